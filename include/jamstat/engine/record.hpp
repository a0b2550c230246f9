// Input shapes: one record, or a columnar batch (one array per dimension and measure).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

namespace jamstat {

/// A person's identifier as the caller holds it: absent, an integer, or a byte string. It is
/// hashed with the aggregator's person key on arrival and never stored.
using person_id = std::variant<std::monostate, std::uint64_t, std::string_view>;

/// One participation. `codes` has one code per schema dimension, sex first (ISO/IEC 5218);
/// `outcomes` one 0/1 value per outcome; `numerics` one value per numeric measure (finite, within
/// the measure's range and, for a decimal measure, on its grid). Use dimension::missing_code (-1)
/// for a missing code.
struct record {
  std::span<const std::int32_t> codes;
  std::span<const std::int32_t> outcomes;
  std::span<const double> numerics;
  person_id person;
};

/// Column of dimension codes: 8-bit, 16-bit unsigned or 32-bit signed integers.
using code_column =
    std::variant<std::span<const std::uint8_t>, std::span<const std::uint16_t>, std::span<const std::int32_t>>;
/// Column of outcome values (0 or 1).
using outcome_column = std::variant<std::span<const std::uint8_t>, std::span<const std::int32_t>>;
/// Column of numeric measure values: doubles or floats, or (decimal measures only) the values in
/// grid units as 64-bit integers (26554 for 265.54 h on a 0.01 grid: exact, no double involved).
using numeric_column = std::variant<std::span<const double>, std::span<const float>, std::span<const std::int64_t>>;
/// Column of person ids (integers, or byte strings where an empty string means missing), or
/// none.
using person_id_column = std::variant<std::monostate, std::span<const std::uint32_t>,
                                      std::span<const std::uint64_t>, std::span<const std::string_view>>;

/// A columnar batch of `rows` records. Every column must hold exactly `rows` values. The
/// arrays are read during aggregator::add_batch only and never kept.
struct column_batch {
  std::size_t rows = 0;
  std::vector<code_column> codes;  ///< one per schema dimension, sex first
  std::vector<outcome_column> outcomes;
  std::vector<numeric_column> numerics;
  person_id_column persons;
};

}  // namespace jamstat
