// One column of an Arrow record batch, checked and read in place (internal): its type, the
// buffer index of the batch's first row (the batch's and the child's offsets added), its
// validity (the child's bitmap and the batch's), and its values, read with unaligned-safe loads.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "arrow_format.hpp"
#include "firewall.hpp"
#include "jamstat/engine/decimal_moments.hpp"
#include "jamstat/jamstat.h"

namespace jamstat::c_api::arrow {

/// A malformed batch whose fault has a place: the row of the batch (-1 when none, or when the
/// row is a dictionary's entry) and the schema field the child feeds (-1 until known), reported
/// through jamstat_last_error_row() / _field().
class located_error : public api_error {
 public:
  located_error(jamstat_status status, const std::string& message, std::int64_t row, std::int64_t field)
      : api_error(status, message), row_(row), field_(field) {}
  std::int64_t row() const noexcept { return row_; }
  std::int64_t field() const noexcept { return field_; }

 private:
  std::int64_t row_;
  std::int64_t field_;
};

/// A value of type T at element `i` of a buffer (memcpy: buffers need not be aligned).
template <class T>
inline T load(const void* base, std::int64_t i) noexcept {
  T v;
  std::memcpy(&v, static_cast<const unsigned char*>(base) + static_cast<std::size_t>(i) * sizeof(T), sizeof(T));
  return v;
}

/// Bit `i` of a bitmap (least significant bit first, as Arrow packs them).
inline bool bit(const std::uint8_t* bitmap, std::int64_t i) noexcept {
  return (bitmap[static_cast<std::size_t>(i) >> 3] >> (i & 7)) & 1;
}

/// Bits that are 0 among bits [start, start + length) of a bitmap.
std::int64_t count_zeros(const std::uint8_t* bitmap, std::int64_t start, std::int64_t length) noexcept;

/// The record batch (the top-level struct array): its rows and which of them are null.
struct batch_shape {
  std::int64_t rows = 0;
  std::int64_t offset = 0;                  ///< the struct's offset, added to every child's
  const std::uint8_t* validity = nullptr;  ///< NULL when no row of the batch is null
};

/// A checked view of one child of a record batch (or of a dictionary's values).
class column {
 public:
  /// Checks child `index_in_batch` of the batch (its format, buffers, lengths, offsets, null count, and
  /// for a dictionary its values) and builds its view. Throws api_error (INVALID_ARGUMENT)
  /// naming the child and what is wrong.
  column(const ArrowSchema& schema, const ArrowArray& array, std::size_t index_in_batch, const batch_shape& batch);

  std::size_t child() const noexcept { return child_; }
  /// "Arrow child 2 ('Region', int64)": where a message points.
  const std::string& where() const noexcept { return where_; }
  /// The child's name as the producer gave it ("" when none).
  const std::string& name() const noexcept { return name_; }
  /// Its type's name for messages ("int64 (format 'l')").
  const std::string& type_name() const noexcept { return type_name_; }
  const data_type& type() const noexcept { return type_; }
  std::int64_t rows() const noexcept { return rows_; }

  /// Dictionary-encoded: this column holds the indices (an integer type) and dictionary() the values.
  bool is_dictionary() const noexcept { return dictionary_ != nullptr; }
  const column& dictionary() const noexcept { return *dictionary_; }

  /// Some row is null (in the child's bitmap or the batch's).
  bool any_null() const noexcept { return has_nulls_; }
  bool is_valid(std::int64_t row) const noexcept {
    return type_.kind != layout::null_type && (!validity_ || bit(validity_, start_ + row)) && (!batch_validity_ || bit(batch_validity_, batch_start_ + row));
  }
  /// valid[j] = 1 when row r0 + j is not null, 0 when it is (n rows).
  void validity_block(std::int64_t r0, std::size_t n, std::uint8_t* valid) const noexcept;

  /// Where row 0's value is: buffer element index.
  std::int64_t start() const noexcept { return start_; }
  /// The values buffer (buffers[1]): values, offsets, views, or the bits of a boolean.
  const void* values() const noexcept { return values_; }
  /// Whether the values of rows [0, rows) can be read in place as a span of T (aligned).
  template <class T>
  bool aligned_for() const noexcept {
    return reinterpret_cast<std::uintptr_t>(values_) % alignof(T) == 0;
  }

  /// An integer column's value (any width and sign), as a 128-bit integer.
  int128_t integer(std::int64_t row) const noexcept;
  /// A dictionary's index at a row (an integer column's value).
  std::int64_t index(std::int64_t row) const noexcept;
  /// A decimal column's unscaled value.
  int128_t decimal(std::int64_t row) const noexcept;
  /// A boolean column's value.
  bool boolean(std::int64_t row) const noexcept { return bit(static_cast<const std::uint8_t*>(values_), start_ + row); }
  /// A binary or utf8 column's (any flavour) bytes.
  std::string_view bytes(std::int64_t row) const noexcept;

  /// The value at a row as a message shows it: "null", "5000000000", "12.345", "'Kvinna'".
  std::string value_text(std::int64_t row) const;

 private:
  // A dictionary's values: an array of its own (no batch around it).
  column(const ArrowSchema& schema, const ArrowArray& array, const std::string& where);
  void check_released(const ArrowSchema& schema, const ArrowArray& array) const;
  void check_layout(const ArrowSchema& schema, const ArrowArray& array);
  // Data-dependent checks, before anything is added: offsets non-decreasing, views within their
  // buffers, dictionary indices within the dictionary.
  void check_offsets() const;
  void check_views() const;
  void check_indices() const;
  [[noreturn]] void malformed_at(std::int64_t row, const std::string& what) const;

  std::size_t child_ = 0;
  bool in_batch_ = false;  // a child of the batch (rows are batch rows), not a dictionary
  std::string name_;
  std::string where_;
  std::string type_name_;
  data_type type_;
  std::int64_t rows_ = 0;
  std::int64_t start_ = 0;
  const std::uint8_t* validity_ = nullptr;  // the column's own bitmap, NULL when it has no nulls
  const std::uint8_t* batch_validity_ = nullptr;
  std::int64_t batch_start_ = 0;
  bool has_nulls_ = false;
  const void* values_ = nullptr;
  const std::uint8_t* data_ = nullptr;  // binary: the data buffer
  const void* const* variadic_ = nullptr;  // binary view: data buffers and their sizes
  std::int64_t variadic_count_ = 0;
  const void* variadic_sizes_ = nullptr;
  std::unique_ptr<column> dictionary_;
};

/// The exact decimal text of unscaled * 10^-scale ("-12.345", "1200" for scale -2).
std::string decimal_text(int128_t unscaled, std::int32_t scale);

}  // namespace jamstat::c_api::arrow
