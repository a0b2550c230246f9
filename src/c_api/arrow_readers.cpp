// Field readers of Arrow columns: in place where the engine takes the buffer as it is, converted
// block by block otherwise.
#include "arrow_readers.hpp"

#include <array>
#include <bit>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "firewall.hpp"
#include "../engine/measure_values.hpp"
#include "../engine/message_text.hpp"

static_assert(std::endian::native == std::endian::little,
              "Arrow buffers are read as little-endian values, and integer person ids as their little-endian bytes");

namespace jamstat::c_api::arrow {

namespace {

// Codes that are never a level (levels are non-negative, -1 is the missing code): an integer
// outside int32 or a label that names no level, and a label that names several.
constexpr std::int32_t unknown_code = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t ambiguous_code = unknown_code + 1;

constexpr double quiet_nan = std::numeric_limits<double>::quiet_NaN();

// Calls f(T{}) with the column's integer type.
template <class F>
void with_integer_type(const data_type& t, F&& f) {
  switch (t.bytes) {
    case 1: t.is_signed ? f(std::int8_t{}) : f(std::uint8_t{}); break;
    case 2: t.is_signed ? f(std::int16_t{}) : f(std::uint16_t{}); break;
    case 4: t.is_signed ? f(std::int32_t{}) : f(std::uint32_t{}); break;
    default: t.is_signed ? f(std::int64_t{}) : f(std::uint64_t{}); break;
  }
}

template <class T>
std::int32_t to_code(T v) noexcept {
  if constexpr (sizeof(T) < 4 || (sizeof(T) == 4 && std::is_signed_v<T>)) {
    return static_cast<std::int32_t>(v);
  } else if constexpr (std::is_signed_v<T>) {
    return v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max() ? static_cast<std::int32_t>(v)
                                                                                                        : unknown_code;
  } else {
    return v <= static_cast<T>(std::numeric_limits<std::int32_t>::max()) ? static_cast<std::int32_t>(v) : unknown_code;
  }
}

std::int32_t to_code(int128_t v) noexcept {
  return v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max() ? static_cast<std::int32_t>(v)
                                                                                                      : unknown_code;
}

bool is_binary(layout k) noexcept {
  return k == layout::binary || k == layout::large_binary || k == layout::binary_view || k == layout::fixed_binary;
}

// 10^i as 128-bit integers, i = 0..38.
constexpr std::array<uint128_t, 39> powers_of_ten = [] {
  std::array<uint128_t, 39> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

// Byte k of spread_bits[b] is bit k of b: a bitmap byte as eight 0/1 bytes (little-endian).
constexpr std::array<std::uint64_t, 256> spread_bits = [] {
  std::array<std::uint64_t, 256> table{};
  for (std::uint64_t b = 0; b < 256; ++b)
    for (unsigned k = 0; k < 8; ++k) table[b] |= ((b >> k) & 1) << (8 * k);
  return table;
}();

[[noreturn]] void wrong_type(const column& c, const std::string& field, const char* takes) {
  throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT,
                  c.where() + " has type " + c.type_name() + (c.is_dictionary() ? " (dictionary-encoded, values " + c.dictionary().type_name() + ")" : "") +
                      "; " + field + " takes " + takes);
}

template <class T>
std::span<const T> in_place_span(const column& c, std::int64_t r0, std::size_t n) {
  return {static_cast<const T*>(c.values()) + c.start() + r0, n};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Decimals

double decimal_to_double(int128_t unscaled, std::int32_t scale) {
  if (unscaled == 0) return 0.0;
  static constexpr double exact_powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const bool negative = unscaled < 0;
  const uint128_t magnitude = negative ? uint128_t{0} - static_cast<uint128_t>(unscaled) : static_cast<uint128_t>(unscaled);
  // Both operands exact (|m| <= 2^53, 10^|s| <= 10^22): one IEEE operation, correctly rounded.
  if (magnitude <= (uint128_t{1} << 53) && scale >= -22 && scale <= 22) {
    const double m = static_cast<double>(static_cast<std::uint64_t>(magnitude));
    const double x = scale >= 0 ? m / exact_powers[scale] : m * exact_powers[-scale];
    return negative ? -x : x;
  }
  // Otherwise the exact decimal text, read correctly rounded.
  const std::string text = decimal_text(unscaled, 0) + "e" + std::to_string(-static_cast<std::int64_t>(scale));
  double x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  (void)end;
  if (ec == std::errc::result_out_of_range) {
    const auto digits = static_cast<std::int64_t>(decimal_text(unscaled, 0).size()) - (negative ? 1 : 0);
    const bool huge = digits - static_cast<std::int64_t>(scale) > 0;
    return (negative ? -1.0 : 1.0) * (huge ? DBL_MAX : 0.0);
  }
  return x;
}

grid_units to_grid_units(int128_t unscaled, std::int32_t scale, unsigned decimals) noexcept {
  const bool negative = unscaled < 0;
  const uint128_t magnitude = negative ? uint128_t{0} - static_cast<uint128_t>(unscaled) : static_cast<uint128_t>(unscaled);
  const uint128_t limit = uint128_t{1} << 62;  // far beyond any measure's range (2^31 - 1 grid units)
  const auto signed_units = [&](uint128_t q, bool off) {
    if (q > limit) return grid_units{negative ? -std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::max(), false};
    const auto u = static_cast<std::int64_t>(q);
    return grid_units{negative ? -u : u, off};
  };
  if (magnitude == 0) return {};
  const std::int64_t shift = static_cast<std::int64_t>(decimals) - scale;  // grid units = unscaled * 10^shift
  if (shift >= 0) {
    if (shift >= static_cast<std::int64_t>(powers_of_ten.size())) return signed_units(limit + 1, false);
    const uint128_t m = powers_of_ten[static_cast<std::size_t>(shift)];
    if (magnitude > limit / m) return signed_units(limit + 1, false);
    return signed_units(magnitude * m, false);
  }
  // Finer than the grid: exact when the extra digits are zero, else rounded (ties to even).
  if (-shift >= static_cast<std::int64_t>(powers_of_ten.size())) return signed_units(0, true);  // |value| < 10^-(decimals+1)
  const uint128_t divisor = powers_of_ten[static_cast<std::size_t>(-shift)];
  uint128_t q = magnitude / divisor;
  const uint128_t r = magnitude % divisor;
  if (r == 0) return signed_units(q, false);
  if (2 * r > divisor || (2 * r == divisor && (q & 1) != 0)) ++q;
  return signed_units(q, true);
}

// ---------------------------------------------------------------------------------------------
// Codes

code_reader::code_reader(const column& c, const dimension& d, bool is_sex) : c_(c), d_(d), is_sex_(is_sex) {
  const std::string field = "dimension '" + detail::text_for_message(d.name()) + "'";
  const char* takes = "integer codes, dictionary-encoded integer codes, or labels (utf8 or binary, plain or dictionary-encoded)";
  auto build_labels = [&] {
    for (const level& l : d.levels())
      for (const std::string* label : {&l.label_sv, &l.label_en}) {
        if (label->empty()) continue;
        const auto [it, inserted] = labels_.emplace(*label, l.code);
        if (!inserted && it->second != l.code) it->second = ambiguous_code;
      }
  };
  if (c.is_dictionary()) {
    const column& values = c.dictionary();
    const bool labels = is_binary(values.type().kind);
    if (values.type().kind != layout::integer && values.type().kind != layout::null_type && !labels) wrong_type(c, field, takes);
    if (labels) build_labels();
    table_.resize(static_cast<std::size_t>(values.rows()));
    for (std::int64_t j = 0; j < values.rows(); ++j)
      table_[static_cast<std::size_t>(j)] = !values.is_valid(j) ? dimension::missing_code
                                            : labels                ? label_code(values.bytes(j))
                                                                    : to_code(values.integer(j));
    how_ = how::dictionary;
    table_fits_byte_ = !table_.empty();
    for (const std::int32_t code : table_) table_fits_byte_ = table_fits_byte_ && code >= 0 && code <= 255;
    if (table_fits_byte_) table8_.assign(table_.begin(), table_.end());
    return;
  }
  const data_type& t = c.type();
  switch (t.kind) {
    case layout::integer:
      how_ = how::integers;
      if (!c.any_null()) {
        if (t.bytes == 1 && !t.is_signed) how_ = how::u8;
        if (t.bytes == 2 && !t.is_signed && c.aligned_for<std::uint16_t>()) how_ = how::u16;
        if (t.bytes == 4 && t.is_signed && c.aligned_for<std::int32_t>()) how_ = how::i32;
      }
      break;
    case layout::null_type: how_ = how::nulls; break;
    default:
      if (!is_binary(t.kind)) wrong_type(c, field, takes);
      build_labels();
      how_ = how::labels;
  }
}

std::int32_t code_reader::label_code(std::string_view label) const noexcept {
  const auto it = labels_.find(label);
  return it == labels_.end() ? unknown_code : it->second;
}

code_column code_reader::block(std::int64_t r0, std::size_t n) {
  switch (how_) {
    case how::u8: return in_place_span<std::uint8_t>(c_, r0, n);
    case how::u16: return in_place_span<std::uint16_t>(c_, r0, n);
    case how::i32: return in_place_span<std::int32_t>(c_, r0, n);
    default: break;
  }
  const bool nulls = c_.any_null();
  const std::int64_t first = c_.start() + r0;
  // A block without nulls whose codes all fit a byte is given as u8 codes, which the engine reads
  // in its fused pass (one loop over all code columns): pandas' int64 codes and int8 dictionary
  // indices are the common case.
  if (!nulls && (how_ == how::integers || (how_ == how::dictionary && table_fits_byte_))) {
    narrow_.resize(n);
    std::uint8_t* out8 = narrow_.data();
    std::uint64_t wide = 0;
    with_integer_type(c_.type(), [&](auto tag) {
      using T = decltype(tag);
      if (how_ == how::integers) {
        for (std::size_t j = 0; j < n; ++j) {
          const auto v = static_cast<std::uint64_t>(load<T>(c_.values(), first + static_cast<std::int64_t>(j)));
          wide |= v >> 8;  // a negative code is a huge unsigned one
          out8[j] = static_cast<std::uint8_t>(v);
        }
      } else {
        const std::uint8_t* table = table8_.data();
        const auto size = static_cast<std::uint64_t>(table8_.size());
        for (std::size_t j = 0; j < n; ++j) {
          const auto i = static_cast<std::uint64_t>(load<T>(c_.values(), first + static_cast<std::int64_t>(j)));
          out8[j] = table[i < size ? i : 0];  // indices were checked: no row reads beyond the table
        }
      }
    });
    if (wide == 0) return std::span<const std::uint8_t>(out8, n);
  }
  codes_.resize(n);
  std::int32_t* out = codes_.data();
  if (nulls) {
    valid_.resize(n);
    c_.validity_block(r0, n, valid_.data());
  }
  switch (how_) {
    case how::integers:
      with_integer_type(c_.type(), [&](auto tag) {
        using T = decltype(tag);
        for (std::size_t j = 0; j < n; ++j) out[j] = to_code(load<T>(c_.values(), first + static_cast<std::int64_t>(j)));
      });
      break;
    case how::dictionary:
      with_integer_type(c_.type(), [&](auto tag) {
        using T = decltype(tag);
        const std::int32_t* table = table_.data();
        const auto size = static_cast<std::uint64_t>(table_.size());
        // Indices were checked for valid rows; a null's index may be anything and is not looked up.
        for (std::size_t j = 0; j < n; ++j) {
          const auto i = static_cast<std::uint64_t>(load<T>(c_.values(), first + static_cast<std::int64_t>(j)));
          out[j] = i < size ? table[i] : dimension::missing_code;
        }
      });
      break;
    case how::labels:
      for (std::size_t j = 0; j < n; ++j)
        out[j] = nulls && !valid_[j] ? dimension::missing_code : label_code(c_.bytes(r0 + static_cast<std::int64_t>(j)));
      break;
    default: std::fill(out, out + n, dimension::missing_code); break;
  }
  if (nulls)
    for (std::size_t j = 0; j < n; ++j) out[j] = valid_[j] ? out[j] : dimension::missing_code;
  return std::span<const std::int32_t>(out, n);
}

std::string code_reader::describe(std::int64_t row) const {
  const std::string expected_codes = "; expected one of " + d_.codes_list() + (is_sex_ ? " (ISO/IEC 5218)" : "");
  auto labels_list = [&] {
    std::string list;
    std::size_t shown = 0;
    for (const level& l : d_.levels()) {
      if (shown == 8) return list + ", ... and " + std::to_string(d_.levels().size() - shown) + " more";
      list += shown++ ? ", '" : "'";  // appended: GCC 12 -O3 -Wrestrict misreads `"'" + std::string&&`
      list += detail::text_for_message(l.label_sv, 40);
      list += '\'';
    }
    return list;
  };
  auto describe_label = [&](std::string_view label, const std::string& text) {
    if (label_code(label) == ambiguous_code) return "label " + text + " is the label of more than one level";
    return "label " + text + " is neither the Swedish nor the English label of a level; expected one of " + labels_list();
  };
  if (!c_.is_valid(row)) return "code is missing (null)" + expected_codes;
  if (how_ == how::dictionary) {
    const column& values = c_.dictionary();
    const std::int64_t i = c_.index(row);
    if (!values.is_valid(i)) return "code is missing (null in the dictionary at index " + std::to_string(i) + ")" + expected_codes;
    if (is_binary(values.type().kind)) return describe_label(values.bytes(i), c_.value_text(row));
    const int128_t v = values.integer(i);
    if (v == dimension::missing_code) return "code is missing (-1, dictionary index " + std::to_string(i) + ")" + expected_codes;
    return "code " + c_.value_text(row) + " is not a level" + expected_codes;
  }
  if (how_ == how::labels) return describe_label(c_.bytes(row), c_.value_text(row));
  const int128_t v = c_.integer(row);
  if (v == dimension::missing_code) return "code is missing (-1)" + expected_codes;
  return "code " + c_.value_text(row) + " is not a level" + expected_codes;
}

// ---------------------------------------------------------------------------------------------
// Outcomes

outcome_reader::outcome_reader(const column& c, const std::string& name) : c_(c) {
  const std::string field = "outcome '" + detail::text_for_message(name) + "'";
  const char* takes = "booleans, integers (0 or 1) or floats (0.0 or 1.0)";
  if (c.is_dictionary()) wrong_type(c, field, takes);
  const data_type& t = c.type();
  switch (t.kind) {
    case layout::boolean: how_ = how::boolean; break;
    case layout::integer:
      how_ = how::integers;
      if (!c.any_null() && t.bytes == 1 && !t.is_signed) how_ = how::u8;
      if (!c.any_null() && t.bytes == 4 && t.is_signed && c.aligned_for<std::int32_t>()) how_ = how::i32;
      break;
    case layout::float32:
    case layout::float64: how_ = how::floats; break;
    case layout::null_type: how_ = how::nulls; break;
    default: wrong_type(c, field, takes);
  }
}

outcome_column outcome_reader::block(std::int64_t r0, std::size_t n) {
  if (how_ == how::u8) return in_place_span<std::uint8_t>(c_, r0, n);
  if (how_ == how::i32) return in_place_span<std::int32_t>(c_, r0, n);
  values_.resize(n);
  std::uint8_t* out = values_.data();
  const std::int64_t first = c_.start() + r0;
  constexpr std::uint8_t not_binary = 2;
  switch (how_) {
    case how::boolean: {
      // Whole bitmap bytes expand to eight 0/1 bytes each (the 8 bits shifted to the low bit of
      // each byte of a 64-bit word); the ragged ends bit by bit.
      const auto* bits = static_cast<const std::uint8_t*>(c_.values());
      std::size_t j = 0;
      for (; j < n && ((first + static_cast<std::int64_t>(j)) & 7) != 0; ++j)
        out[j] = static_cast<std::uint8_t>(bit(bits, first + static_cast<std::int64_t>(j)));
      for (; j + 8 <= n; j += 8)
        std::memcpy(out + j, &spread_bits[bits[static_cast<std::size_t>(first + static_cast<std::int64_t>(j)) >> 3]], 8);
      for (; j < n; ++j) out[j] = static_cast<std::uint8_t>(bit(bits, first + static_cast<std::int64_t>(j)));
      break;
    }
    case how::integers:
      with_integer_type(c_.type(), [&](auto tag) {
        using T = decltype(tag);
        for (std::size_t j = 0; j < n; ++j) {
          const T v = load<T>(c_.values(), first + static_cast<std::int64_t>(j));
          out[j] = static_cast<std::uint8_t>(v == T{0} ? 0 : v == T{1} ? 1 : not_binary);
        }
      });
      break;
    case how::floats:
      for (std::size_t j = 0; j < n; ++j) {
        const double v = c_.type().kind == layout::float64 ? load<double>(c_.values(), first + static_cast<std::int64_t>(j))
                                                          : static_cast<double>(load<float>(c_.values(), first + static_cast<std::int64_t>(j)));
        out[j] = static_cast<std::uint8_t>(v == 0.0 ? 0 : v == 1.0 ? 1 : not_binary);
      }
      break;
    default: std::fill(out, out + n, not_binary); break;
  }
  if (c_.any_null()) {
    valid_.resize(n);
    c_.validity_block(r0, n, valid_.data());
    for (std::size_t j = 0; j < n; ++j) out[j] = valid_[j] ? out[j] : not_binary;
  }
  return std::span<const std::uint8_t>(out, n);
}

std::string outcome_reader::describe(std::int64_t row) const {
  if (!c_.is_valid(row)) return "value is missing (null); expected 0 or 1";
  return "value " + c_.value_text(row) + " is not 0 or 1";
}

// ---------------------------------------------------------------------------------------------
// Numeric measures

measure_reader::measure_reader(const column& c, const numeric_measure& m, const measure_domain& d, bool integers_are_grid_units)
    : c_(c), m_(m), d_(d), decimal_measure_(d.kind == measure_kind::decimal) {
  const std::string field = "numeric measure '" + detail::text_for_message(m.name) + "'";
  const char* takes = "float64, float32, integers or decimal32/64/128";
  if (c.is_dictionary()) wrong_type(c, field, takes);
  const data_type& t = c.type();
  const bool nulls = c.any_null();
  if (decimal_measure_ && !integers_are_grid_units) multiplier_ = static_cast<int128_t>(powers_of_ten[d.decimals]);
  switch (t.kind) {
    case layout::float64: how_ = !nulls && c.aligned_for<double>() ? how::f64 : how::copy_f64; break;
    case layout::float32: how_ = !nulls && c.aligned_for<float>() ? how::f32 : how::copy_f32; break;
    case layout::integer:
      how_ = how::integers;
      if (decimal_measure_ && multiplier_ == 1 && !nulls && t.bytes == 8 && t.is_signed && c.aligned_for<std::int64_t>())
        how_ = how::i64;
      break;
    case layout::decimal:
      how_ = how::decimals;
      // A decimal64 at the measure's own scale is grid units as the engine takes them.
      if (decimal_measure_ && !nulls && t.bytes == 8 && t.scale == static_cast<std::int32_t>(d.decimals) &&
          c.aligned_for<std::int64_t>())
        how_ = how::i64;
      break;
    case layout::null_type: how_ = how::nulls; break;
    default: wrong_type(c, field, takes);
  }
}

void measure_reader::fill_units(std::int64_t r0, std::size_t n) {
  units_.resize(n);
  off_grid_.assign(n, 0);
  std::int64_t* out = units_.data();
  const std::int64_t first = c_.start() + r0;
  constexpr std::int64_t beyond = std::numeric_limits<std::int64_t>::max();  // out of every measure's range
  // value * multiplier within +-2^62 (far beyond any range, 2^31 - 1 units), in 64-bit arithmetic.
  auto scaled = [](std::int64_t v, std::int64_t multiplier, std::int64_t limit) {
    return v > limit ? beyond : v < -limit ? -beyond : v * multiplier;
  };
  if (how_ == how::integers) {
    const auto multiplier = static_cast<std::int64_t>(multiplier_);
    const std::int64_t limit = (std::int64_t{1} << 62) / multiplier;
    with_integer_type(c_.type(), [&](auto tag) {
      using T = decltype(tag);
      for (std::size_t j = 0; j < n; ++j) {
        const T v = load<T>(c_.values(), first + static_cast<std::int64_t>(j));
        if constexpr (std::is_unsigned_v<T> && sizeof(T) == 8)
          out[j] = v > static_cast<std::uint64_t>(limit) ? beyond : static_cast<std::int64_t>(v) * multiplier;
        else
          out[j] = scaled(static_cast<std::int64_t>(v), multiplier, limit);
      }
    });
    return;
  }
  // Decimals at the measure's scale or a coarser one (the usual case): 64-bit arithmetic. A
  // decimal128 beyond 64 bits is beyond every range.
  const std::int64_t shift = static_cast<std::int64_t>(d_.decimals) - c_.type().scale;
  if (shift >= 0 && shift <= 18) {
    const auto multiplier = static_cast<std::int64_t>(powers_of_ten[static_cast<std::size_t>(shift)]);
    const std::int64_t limit = (std::int64_t{1} << 62) / multiplier;
    const unsigned bytes = c_.type().bytes;
    const auto* values = static_cast<const unsigned char*>(c_.values());
    if (bytes == 16) {
      for (std::size_t j = 0; j < n; ++j) {
        const auto* p = values + static_cast<std::size_t>(first + static_cast<std::int64_t>(j)) * 16;
        const auto low = load<std::int64_t>(p, 0), high = load<std::int64_t>(p, 1);
        out[j] = high == (low >> 63) ? scaled(low, multiplier, limit) : high < 0 ? -beyond : beyond;
      }
    } else if (bytes == 8) {
      for (std::size_t j = 0; j < n; ++j) out[j] = scaled(load<std::int64_t>(values, first + static_cast<std::int64_t>(j)), multiplier, limit);
    } else {
      for (std::size_t j = 0; j < n; ++j) out[j] = scaled(load<std::int32_t>(values, first + static_cast<std::int64_t>(j)), multiplier, limit);
    }
    return;
  }
  for (std::size_t j = 0; j < n; ++j) {
    const grid_units g = to_grid_units(c_.decimal(r0 + static_cast<std::int64_t>(j)), c_.type().scale, d_.decimals);
    out[j] = g.units;
    off_grid_[j] = g.off_grid;
  }
}

numeric_column measure_reader::block(std::int64_t r0, std::size_t n) {
  switch (how_) {
    case how::f64: return in_place_span<double>(c_, r0, n);
    case how::f32: return in_place_span<float>(c_, r0, n);
    case how::i64: return in_place_span<std::int64_t>(c_, r0, n);
    default: break;
  }
  const bool nulls = c_.any_null() || how_ == how::nulls;
  if (nulls) {
    valid_.resize(n);
    c_.validity_block(r0, n, valid_.data());
  }
  const std::int64_t first = c_.start() + r0;
  if (how_ == how::copy_f32) {
    floats_.resize(n);
    for (std::size_t j = 0; j < n; ++j)
      floats_[j] = nulls && !valid_[j] ? std::numeric_limits<float>::quiet_NaN() : load<float>(c_.values(), first + static_cast<std::int64_t>(j));
    return std::span<const float>(floats_.data(), n);
  }
  doubles_.resize(n);
  double* out = doubles_.data();
  if (decimal_measure_ && (how_ == how::integers || how_ == how::decimals)) {
    fill_units(r0, n);
    bool off_grid = false;
    for (std::size_t j = 0; j < n; ++j) off_grid |= off_grid_[j] != 0;
    if (!nulls && !off_grid) return std::span<const std::int64_t>(units_.data(), n);
    // As doubles the engine maps back to the same grid units: u / 10^k exactly (the double nearest
    // to a grid value converts back to it), and a value finer than the grid as a quarter unit
    // beside its exactly rounded grid point, so that the engine applies the measure's off-grid
    // rule (reject, or round to that point and count it).
    for (std::size_t j = 0; j < n; ++j) {
      const double u = static_cast<double>(units_[j]);
      out[j] = nulls && !valid_[j] ? quiet_nan : off_grid_[j] ? (u + 0.25) / d_.scale : u / d_.scale;
    }
    return std::span<const double>(out, n);
  }
  switch (how_) {
    case how::copy_f64:
      for (std::size_t j = 0; j < n; ++j) out[j] = load<double>(c_.values(), first + static_cast<std::int64_t>(j));
      break;
    case how::integers:
      with_integer_type(c_.type(), [&](auto tag) {
        using T = decltype(tag);
        for (std::size_t j = 0; j < n; ++j) out[j] = static_cast<double>(load<T>(c_.values(), first + static_cast<std::int64_t>(j)));
      });
      break;
    case how::decimals:
      for (std::size_t j = 0; j < n; ++j) out[j] = decimal_to_double(c_.decimal(r0 + static_cast<std::int64_t>(j)), c_.type().scale);
      break;
    default: std::fill(out, out + n, quiet_nan); break;
  }
  if (nulls)
    for (std::size_t j = 0; j < n; ++j) out[j] = valid_[j] ? out[j] : quiet_nan;
  return std::span<const double>(out, n);
}

std::string measure_reader::describe(std::int64_t row, rejection_reason reason) const {
  if (!c_.is_valid(row)) return "value is missing (null)";
  std::string text = c_.value_text(row);
  if (decimal_measure_ && c_.type().kind == layout::integer && multiplier_ == 1 && d_.decimals > 0)
    text = decimal_text(c_.integer(row), static_cast<std::int32_t>(d_.decimals)) + " (" + text + " grid units)";
  const detail::value_status status = reason == rejection_reason::measure_not_finite       ? detail::value_status::not_finite
                                      : reason == rejection_reason::measure_off_resolution ? detail::value_status::off_grid
                                                                                           : detail::value_status::out_of_range;
  return detail::describe_bad_value(text, status, m_, d_);
}

// ---------------------------------------------------------------------------------------------
// Person ids

person_reader::person_reader(const column& c) : c_(c) {
  const char* takes = "integers, or utf8 or binary (plain, large, view, fixed-size or dictionary-encoded)";
  if (c.is_dictionary()) {
    if (!is_binary(c.dictionary().type().kind) && c.dictionary().type().kind != layout::null_type) wrong_type(c, "person_id", takes);
    how_ = how::dictionary;
    return;
  }
  const data_type& t = c.type();
  switch (t.kind) {
    case layout::integer:
      how_ = c.any_null() ? how::integers_with_nulls : how::integers;
      if (!c.any_null() && t.bytes == 4 && !t.is_signed && c.aligned_for<std::uint32_t>()) how_ = how::u32;
      if (!c.any_null() && t.bytes == 8 && c.aligned_for<std::uint64_t>()) how_ = how::u64;
      break;
    case layout::null_type: how_ = how::nulls; break;
    default:
      if (!is_binary(t.kind)) wrong_type(c, "person_id", takes);
      how_ = how::strings;
  }
}

person_id_column person_reader::block(std::int64_t r0, std::size_t n) {
  if (how_ == how::u32) return in_place_span<std::uint32_t>(c_, r0, n);
  if (how_ == how::u64) return in_place_span<std::uint64_t>(c_, r0, n);
  const std::int64_t first = c_.start() + r0;
  if (how_ == how::integers || how_ == how::integers_with_nulls) {
    integers_.resize(n);
    std::uint64_t* out = integers_.data();
    with_integer_type(c_.type(), [&](auto tag) {
      using T = decltype(tag);
      // A signed id as its 64-bit two's complement: -1 is hashed as int64 -1 is.
      for (std::size_t j = 0; j < n; ++j)
        out[j] = static_cast<std::uint64_t>(static_cast<std::int64_t>(load<T>(c_.values(), first + static_cast<std::int64_t>(j))));
    });
    if (how_ == how::integers) return std::span<const std::uint64_t>(out, n);
  }
  valid_.resize(n);
  c_.validity_block(r0, n, valid_.data());
  views_.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    const std::int64_t row = r0 + static_cast<std::int64_t>(j);
    std::string_view v;
    if (valid_[j]) {
      switch (how_) {
        case how::integers_with_nulls: v = {reinterpret_cast<const char*>(&integers_[j]), sizeof(std::uint64_t)}; break;
        case how::strings: v = c_.bytes(row); break;
        case how::dictionary: {
          const std::int64_t i = c_.index(row);
          if (c_.dictionary().is_valid(i)) v = c_.dictionary().bytes(i);
          break;
        }
        default: break;
      }
    }
    views_[j] = v;
  }
  return std::span<const std::string_view>(views_.data(), n);
}

std::string person_reader::describe(std::int64_t row) const {
  std::string why = "an empty string";
  if (!c_.is_valid(row)) why = "null";
  else if (how_ == how::dictionary && !c_.dictionary().is_valid(c_.index(row)))
    why = "null in the dictionary at index " + std::to_string(c_.index(row));
  return "person_id is missing (" + why + "), but this aggregator counts distinct persons";
}

}  // namespace jamstat::c_api::arrow
