// How one schema field reads its Arrow column, block by block (internal): in place when the
// buffer already is what the engine takes, otherwise converted into a block-sized buffer (nulls
// become the engine's missing values). Each reader also words what is wrong with a bad row's
// value, from the Arrow value itself (a null, a 64-bit code, a label, an exact decimal).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "arrow_column.hpp"
#include "jamstat/engine/dimension.hpp"
#include "jamstat/engine/record.hpp"
#include "jamstat/engine/rejection_reason.hpp"
#include "jamstat/engine/schema.hpp"

namespace jamstat::c_api::arrow {

/// A dimension's codes: u8, u16 and i32 columns in place; other integers (outside int32: a code
/// that is no level), dictionaries of integers or labels, and utf8 labels (a level's Swedish or
/// English label, exactly) converted to i32; a null is the missing code -1.
class code_reader {
 public:
  /// Throws api_error (INVALID_ARGUMENT) when the column's type cannot hold a dimension's codes.
  code_reader(const column& c, const dimension& d, bool is_sex);
  bool in_place() const noexcept { return how_ <= how::i32; }
  code_column block(std::int64_t r0, std::size_t n);
  /// What is wrong with row `row`'s value (after "dimension 'x': ").
  std::string describe(std::int64_t row) const;

 private:
  enum class how : std::uint8_t { u8, u16, i32, integers, dictionary, labels, nulls };
  std::int32_t label_code(std::string_view label) const noexcept;
  const column& c_;
  const dimension& d_;
  bool is_sex_;
  how how_;
  std::unordered_map<std::string_view, std::int32_t> labels_;  // label -> code (or ambiguous_code)
  std::vector<std::int32_t> table_;                             // dictionary index -> code
  bool table_fits_byte_ = false;                                // every entry a code 0..255
  std::vector<std::uint8_t> table8_;
  std::vector<std::int32_t> codes_;
  std::vector<std::uint8_t> narrow_;                            // a block's codes as u8
  std::vector<std::uint8_t> valid_;
};

/// An outcome's values: u8 and i32 columns in place; booleans, other integers and floats
/// converted to u8 (0, 1, or 2 for anything else and for a null: not binary).
class outcome_reader {
 public:
  outcome_reader(const column& c, const std::string& name);
  bool in_place() const noexcept { return how_ <= how::i32; }
  outcome_column block(std::int64_t r0, std::size_t n);
  std::string describe(std::int64_t row) const;

 private:
  enum class how : std::uint8_t { u8, i32, boolean, integers, floats, nulls };
  const column& c_;
  how how_;
  std::vector<std::uint8_t> values_;
  std::vector<std::uint8_t> valid_;
};

/// A numeric measure's values: f64 and f32 columns in place (without nulls); int64 grid units in
/// place; integers (values, or grid units when asked), decimals (exact, rescaled to a decimal
/// measure's grid) and nulls (NaN: not finite) converted. A decimal measure's block is given as
/// grid units, or, when a block has nulls or values finer than the grid, as doubles that the
/// engine maps back to the same grid units exactly (u / 10^k), NaN for a null, and a value
/// finer than the grid as a quarter unit beside the exactly rounded grid point (so that the
/// measure's off-grid rule applies to the exact decimal).
class measure_reader {
 public:
  measure_reader(const column& c, const numeric_measure& m, const measure_domain& d, bool integers_are_grid_units);
  bool in_place() const noexcept { return how_ <= how::i64; }
  numeric_column block(std::int64_t r0, std::size_t n);
  std::string describe(std::int64_t row, rejection_reason reason) const;

 private:
  enum class how : std::uint8_t { f64, f32, i64, copy_f64, copy_f32, integers, decimals, nulls };
  void fill_units(std::int64_t r0, std::size_t n);
  const column& c_;
  const numeric_measure& m_;
  const measure_domain& d_;
  how how_;
  bool decimal_measure_;
  int128_t multiplier_ = 1;  // integers: value -> grid units
  std::vector<double> doubles_;
  std::vector<float> floats_;
  std::vector<std::int64_t> units_;
  std::vector<std::uint8_t> off_grid_;
  std::vector<std::uint8_t> valid_;
};

/// Person ids: u32 and u64 (and int64, as its two's complement) columns in place; other integers
/// widened to u64; integers with nulls, utf8/binary of every flavour and dictionaries of them as
/// byte strings (an integer as its 8 little-endian bytes, which hashes as the integer does; a
/// null as the empty string: missing).
class person_reader {
 public:
  explicit person_reader(const column& c);
  bool in_place() const noexcept { return how_ <= how::u64; }
  person_id_column block(std::int64_t r0, std::size_t n);
  std::string describe(std::int64_t row) const;

 private:
  enum class how : std::uint8_t { u32, u64, integers, integers_with_nulls, strings, dictionary, nulls };
  const column& c_;
  how how_;
  std::vector<std::uint64_t> integers_;
  std::vector<std::string_view> views_;
  std::vector<std::uint8_t> valid_;
};

/// The double nearest to unscaled * 10^-scale (correctly rounded; beyond the double range,
/// +-DBL_MAX).
double decimal_to_double(int128_t unscaled, std::int32_t scale);

/// What a decimal value is in grid units of 10^-decimals: exact, or off the grid (then `units`
/// is the grid point nearest the exact value, ties to even), or beyond +-2^62 (then `units` is
/// +-INT64_MAX: out of any measure's range).
struct grid_units {
  std::int64_t units = 0;
  bool off_grid = false;
};
grid_units to_grid_units(int128_t unscaled, std::int32_t scale, unsigned decimals) noexcept;

}  // namespace jamstat::c_api::arrow
