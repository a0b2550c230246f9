// Checks of one Arrow column against the C Data Interface's rules ("The ArrowArray structure":
// buffers, offsets, null counts; "Dictionary-encoded arrays"; "Binary view arrays") and reads of
// its values.
#include "arrow_column.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include "firewall.hpp"
#include "../engine/measure_values.hpp"
#include "../engine/message_text.hpp"

namespace jamstat::c_api::arrow {

namespace {

[[noreturn]] void malformed(const std::string& where, const std::string& what) {
  throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, where + ": " + what);
}

std::string uint128_text(uint128_t v) {
  char digits[48];
  std::size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  std::string out(n, '0');
  for (std::size_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  return out;
}

std::string int128_text(int128_t v) {
  const uint128_t magnitude = v < 0 ? uint128_t{0} - static_cast<uint128_t>(v) : static_cast<uint128_t>(v);
  // Appended: GCC 12 at -O3 misreads `"-" + std::string&&` as an overlapping copy (-Wrestrict).
  std::string text = v < 0 ? "-" : "";
  text += uint128_text(magnitude);
  return text;
}

}  // namespace

std::string decimal_text(int128_t unscaled, std::int32_t scale) {
  const uint128_t magnitude =
      unscaled < 0 ? uint128_t{0} - static_cast<uint128_t>(unscaled) : static_cast<uint128_t>(unscaled);
  const std::string sign = unscaled < 0 ? "-" : "";
  std::string digits = uint128_text(magnitude);
  if (scale < -64 || scale > 64) return sign + digits + "e" + std::to_string(-static_cast<std::int64_t>(scale));
  if (scale <= 0) return sign + digits + (magnitude == 0 ? "" : std::string(static_cast<std::size_t>(-scale), '0'));
  const auto s = static_cast<std::size_t>(scale);
  if (digits.size() <= s) digits.insert(0, s + 1 - digits.size(), '0');
  return sign + digits.substr(0, digits.size() - s) + "." + digits.substr(digits.size() - s);
}

std::int64_t count_zeros(const std::uint8_t* bitmap, std::int64_t start, std::int64_t length) noexcept {
  std::int64_t zeros = 0;
  std::int64_t i = start;
  const std::int64_t end = start + length;
  for (; i < end && (i & 7) != 0; ++i) zeros += !bit(bitmap, i);
  for (; i + 64 <= end; i += 64) zeros += 64 - std::popcount(load<std::uint64_t>(bitmap + (i >> 3), 0));
  for (; i < end; ++i) zeros += !bit(bitmap, i);
  return zeros;
}

column::column(const ArrowSchema& schema, const ArrowArray& array, std::size_t index_in_batch, const batch_shape& batch)
    : child_(index_in_batch), in_batch_(true), name_(schema.name ? schema.name : ""), rows_(batch.rows) {
  where_ = "Arrow child " + std::to_string(index_in_batch);
  if (!name_.empty()) {
    where_ += " '";
    where_ += detail::text_for_message(name_);
    where_ += '\'';
  }
  check_released(schema, array);
  if (array.length < 0 || array.offset < 0)
    malformed(where_, "length " + std::to_string(array.length) + " and offset " + std::to_string(array.offset) +
                          " must not be negative");
  if (array.length < batch.offset + batch.rows)
    malformed(where_, "has " + std::to_string(array.length) + " values; the batch needs " +
                          std::to_string(batch.offset + batch.rows) + " (its offset " + std::to_string(batch.offset) +
                          " plus its length " + std::to_string(batch.rows) + ")");
  if (array.offset > std::numeric_limits<std::int64_t>::max() - array.length)
    malformed(where_, "offset " + std::to_string(array.offset) + " plus length " + std::to_string(array.length) + " overflows");
  start_ = array.offset + batch.offset;
  batch_validity_ = batch.validity;
  batch_start_ = batch.offset;
  check_layout(schema, array);
}

column::column(const ArrowSchema& schema, const ArrowArray& array, const std::string& where)
    : name_(schema.name ? schema.name : ""), where_(where) {
  check_released(schema, array);
  if (array.length < 0 || array.offset < 0 || array.offset > std::numeric_limits<std::int64_t>::max() - array.length)
    malformed(where_, "length " + std::to_string(array.length) + " and offset " + std::to_string(array.offset) +
                          " are not a valid range");
  rows_ = array.length;
  start_ = array.offset;
  check_layout(schema, array);
}

void column::check_released(const ArrowSchema& schema, const ArrowArray& array) const {
  if (!schema.release) malformed(where_, "its ArrowSchema has been released (release is NULL)");
  if (!array.release) malformed(where_, "its ArrowArray has been released (release is NULL)");
}

void column::check_layout(const ArrowSchema& schema, const ArrowArray& array) {
  type_name_ = format_name(schema.format);
  const auto parsed = parse_format(schema.format);
  if (!parsed)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT,
                    where_ + " has type " + type_name_ +
                        ", which jamstat does not read (it reads integers, booleans, float32, float64, decimal32/64/128, "
                        "utf8 and binary of every flavour, and dictionaries of these)");
  type_ = *parsed;
  if (schema.n_children != 0 || array.n_children != 0)
    malformed(where_, "has " + std::to_string(std::max(schema.n_children, array.n_children)) +
                          " children; a column of type " + type_name_ + " has none");
  if ((schema.dictionary != nullptr) != (array.dictionary != nullptr))
    malformed(where_, std::string("its ArrowSchema ") + (schema.dictionary ? "has" : "has no") + " dictionary but its ArrowArray " +
                          (array.dictionary ? "has one" : "has none"));

  // Buffers: the number the layout has (binary views: at least three), present where read.
  const std::int64_t n = array.n_buffers;
  std::int64_t expected = 2;
  switch (type_.kind) {
    case layout::null_type: expected = 0; break;
    case layout::binary:
    case layout::large_binary: expected = 3; break;
    case layout::binary_view: expected = std::max<std::int64_t>(3, n); break;
    default: break;
  }
  if (type_.kind == layout::null_type) {
    // No buffers to read (Arrow C++ exports none, some producers one NULL validity buffer).
    has_nulls_ = rows_ > 0;
    return;
  }
  if (n != expected)
    malformed(where_, "has " + std::to_string(n) + " buffers; an array of type " + type_name_ + " has " +
                          (type_.kind == layout::binary_view ? "at least 3" : std::to_string(expected)));
  if (!array.buffers) malformed(where_, "its buffers pointer is NULL");

  // Validity. A null count of 0 means no nulls (the bitmap, if any, is not read); -1 means not
  // computed. The nulls that matter are those among the rows read: counted there, so that a
  // column whose nulls are all outside the batch's slice is still read in place.
  if (array.null_count < -1 || array.null_count > array.length)
    malformed(where_, "null_count " + std::to_string(array.null_count) + " is not within [-1, length " +
                          std::to_string(array.length) + "]");
  if (array.null_count != 0) {
    validity_ = static_cast<const std::uint8_t*>(array.buffers[0]);
    if (!validity_ && array.null_count > 0)
      malformed(where_, "null_count is " + std::to_string(array.null_count) + " but its validity bitmap (buffer 0) is NULL");
    if (validity_ && count_zeros(validity_, start_, rows_) == 0) validity_ = nullptr;
  }
  has_nulls_ = validity_ != nullptr || batch_validity_ != nullptr;

  values_ = array.buffers[1];
  if (rows_ > 0 && !values_) malformed(where_, "its values buffer (buffer 1) is NULL");

  if (schema.dictionary) {
    if (type_.kind != layout::integer)
      malformed(where_, "is dictionary-encoded with indices of type " + type_name_ + "; indices must be integers");
    dictionary_.reset(new column(*schema.dictionary, *array.dictionary, where_ + "'s dictionary"));
    if (dictionary_->is_dictionary()) malformed(where_, "has a dictionary of a dictionary, which jamstat does not read");
    check_indices();
    return;
  }
  switch (type_.kind) {
    case layout::binary:
    case layout::large_binary:
      data_ = static_cast<const std::uint8_t*>(array.buffers[2]);
      check_offsets();
      break;
    case layout::binary_view:
      variadic_count_ = n - 3;
      variadic_ = array.buffers + 2;
      variadic_sizes_ = array.buffers[n - 1];
      if (variadic_count_ > 0 && !variadic_sizes_) malformed(where_, "its variadic buffer sizes (the last buffer) are NULL");
      check_views();
      break;
    default: break;
  }
}

void column::malformed_at(std::int64_t row, const std::string& what) const {
  throw located_error(JAMSTAT_ERROR_INVALID_ARGUMENT, where_ + ": row " + std::to_string(row) + ": " + what, in_batch_ ? row : -1, -1);
}

void column::check_offsets() const {
  if (rows_ == 0) return;
  const bool large = type_.kind == layout::large_binary;
  auto offset = [&](std::int64_t i) -> std::int64_t {
    return large ? load<std::int64_t>(values_, start_ + i) : load<std::int32_t>(values_, start_ + i);
  };
  std::int64_t previous = offset(0);
  if (previous < 0) malformed(where_, "its first offset is " + std::to_string(previous) + "; offsets must not be negative");
  for (std::int64_t r = 0; r < rows_; ++r) {
    const std::int64_t next = offset(r + 1);
    if (next < previous)
      malformed_at(r, "offsets decrease (" + std::to_string(previous) + " then " + std::to_string(next) + ")");
    previous = next;
  }
  if (previous > offset(0) && !data_) malformed(where_, "its data buffer (buffer 2) is NULL but its values are not empty");
}

void column::check_views() const {
  for (std::int64_t r = 0; r < rows_; ++r) {
    if (!is_valid(r)) continue;
    const auto* view = static_cast<const unsigned char*>(values_) + static_cast<std::size_t>(start_ + r) * 16;
    const auto length = load<std::int32_t>(view, 0);
    if (length < 0) malformed_at(r, "view length " + std::to_string(length) + " is negative");
    if (length <= 12) continue;
    const auto buffer = load<std::int32_t>(view + 8, 0), offset = load<std::int32_t>(view + 12, 0);
    if (buffer < 0 || buffer >= variadic_count_)
      malformed_at(r, "view refers to data buffer " + std::to_string(buffer) + "; there are " +
                            std::to_string(variadic_count_));
    const auto size = load<std::int64_t>(variadic_sizes_, buffer);
    if (offset < 0 || static_cast<std::int64_t>(offset) + length > size || !variadic_[buffer])
      malformed_at(r, "view of " + std::to_string(length) + " bytes at offset " +
                            std::to_string(offset) + " is outside data buffer " + std::to_string(buffer) + " (" +
                            std::to_string(size) + " bytes)");
  }
}

void column::check_indices() const {
  const std::int64_t size = dictionary_->rows();
  auto bad = [&](std::int64_t r) {
    malformed_at(r, "dictionary index " + int128_text(integer(r)) +
                          " is outside the dictionary's " + std::to_string(size) + " values");
  };
  // Without nulls: one vectorizable pass for the extremes, rows named only on failure.
  if (!has_nulls_) {
    int128_t lowest = 0, highest = -1;
    if (rows_ > 0) lowest = highest = integer(0);
    for (std::int64_t r = 0; r < rows_; ++r) {
      const int128_t v = integer(r);
      lowest = v < lowest ? v : lowest;
      highest = v > highest ? v : highest;
    }
    if (rows_ == 0 || (lowest >= 0 && highest < size)) return;
  }
  for (std::int64_t r = 0; r < rows_; ++r) {
    if (!is_valid(r)) continue;  // a null's index may be anything
    const int128_t v = integer(r);
    if (v < 0 || v >= size) bad(r);
  }
}

void column::validity_block(std::int64_t r0, std::size_t n, std::uint8_t* valid) const noexcept {
  if (type_.kind == layout::null_type) {
    std::fill(valid, valid + n, std::uint8_t{0});
    return;
  }
  std::fill(valid, valid + n, std::uint8_t{1});
  const auto rows = static_cast<std::int64_t>(n);
  if (validity_)
    for (std::int64_t j = 0; j < rows; ++j) valid[j] = static_cast<std::uint8_t>(bit(validity_, start_ + r0 + j));
  if (batch_validity_)
    for (std::int64_t j = 0; j < rows; ++j) valid[j] &= static_cast<std::uint8_t>(bit(batch_validity_, batch_start_ + r0 + j));
}

int128_t column::integer(std::int64_t row) const noexcept {
  const std::int64_t i = start_ + row;
  switch (type_.bytes) {
    case 1: return type_.is_signed ? int128_t{load<std::int8_t>(values_, i)} : int128_t{load<std::uint8_t>(values_, i)};
    case 2: return type_.is_signed ? int128_t{load<std::int16_t>(values_, i)} : int128_t{load<std::uint16_t>(values_, i)};
    case 4: return type_.is_signed ? int128_t{load<std::int32_t>(values_, i)} : int128_t{load<std::uint32_t>(values_, i)};
    default: return type_.is_signed ? int128_t{load<std::int64_t>(values_, i)} : int128_t{load<std::uint64_t>(values_, i)};
  }
}

std::int64_t column::index(std::int64_t row) const noexcept {
  const int128_t v = integer(row);
  return v < 0 || v > std::numeric_limits<std::int64_t>::max() ? -1 : static_cast<std::int64_t>(v);
}

int128_t column::decimal(std::int64_t row) const noexcept {
  const std::int64_t i = start_ + row;
  switch (type_.bytes) {
    case 4: return load<std::int32_t>(values_, i);
    case 8: return load<std::int64_t>(values_, i);
    default: {
      // Little-endian two's complement: the low 64 bits, then the high 64 bits (signed).
      const auto* p = static_cast<const unsigned char*>(values_) + static_cast<std::size_t>(i) * 16;
      const auto low = load<std::uint64_t>(p, 0);
      const auto high = load<std::int64_t>(p, 1);
      return static_cast<int128_t>((static_cast<uint128_t>(static_cast<std::uint64_t>(high)) << 64) | low);
    }
  }
}

std::string_view column::bytes(std::int64_t row) const noexcept {
  const std::int64_t i = start_ + row;
  switch (type_.kind) {
    case layout::binary: {
      const auto begin = load<std::int32_t>(values_, i), end = load<std::int32_t>(values_, i + 1);
      return {reinterpret_cast<const char*>(data_) + begin, static_cast<std::size_t>(end - begin)};
    }
    case layout::large_binary: {
      const auto begin = load<std::int64_t>(values_, i), end = load<std::int64_t>(values_, i + 1);
      return {reinterpret_cast<const char*>(data_) + begin, static_cast<std::size_t>(end - begin)};
    }
    case layout::binary_view: {
      const auto* view = static_cast<const unsigned char*>(values_) + static_cast<std::size_t>(i) * 16;
      const auto length = load<std::int32_t>(view, 0);
      if (length <= 12) return {reinterpret_cast<const char*>(view + 4), static_cast<std::size_t>(length < 0 ? 0 : length)};
      const auto buffer = load<std::int32_t>(view + 8, 0), offset = load<std::int32_t>(view + 12, 0);
      return {static_cast<const char*>(variadic_[buffer]) + offset, static_cast<std::size_t>(length)};
    }
    case layout::fixed_binary:
      return {static_cast<const char*>(values_) + static_cast<std::size_t>(i) * type_.bytes, type_.bytes};
    default: return {};
  }
}

std::string column::value_text(std::int64_t row) const {
  if (!is_valid(row)) return "null";
  if (dictionary_) {
    const std::int64_t i = index(row);
    return dictionary_->value_text(i) + " (dictionary index " + std::to_string(i) + ")";
  }
  switch (type_.kind) {
    case layout::null_type: return "null";
    case layout::boolean: return boolean(row) ? "true" : "false";
    case layout::integer: return int128_text(integer(row));
    case layout::float32: return detail::number_text(static_cast<double>(load<float>(values_, start_ + row)));
    case layout::float64: return detail::number_text(load<double>(values_, start_ + row));
    case layout::decimal: return decimal_text(decimal(row), type_.scale);
    default: {
      std::string text = "'";  // appended: see int128_text
      text += detail::text_for_message(bytes(row));
      text += '\'';
      return text;
    }
  }
}

}  // namespace jamstat::c_api::arrow
