#include "jamstat/io/number_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace jamstat::io {

namespace {

// A decimal text taken apart: value = N * 10^(extra + exponent - fraction_digits), where N is the
// integer of the first `stored` significant digits; `sticky` says whether any digit beyond them
// (counted in `extra`) is non-zero. Forty significant digits are far more than any grid value
// needs (at most 18), so the rest only matters through `sticky`.
struct scanned_number {
  static constexpr int capacity = 40;
  bool negative = false;
  std::array<char, capacity> digits{};
  int stored = 0;
  long extra = 0;
  bool sticky = false;
  long fraction_digits = 0;
  long exponent = 0;
  std::size_t digit_count = 0;  // all digits seen, leading zeros included
  number_problem problem = number_problem::none;

  void add(char d) {
    ++digit_count;
    if (stored == 0 && d == '0') return;  // leading zero: no significance
    if (stored < capacity) {
      digits[static_cast<std::size_t>(stored++)] = d;
    } else {
      ++extra;
      sticky |= d != '0';
    }
  }
};

// Length of the thousands separator of `format` that starts at text[i], or 0.
std::size_t separator_at(std::string_view text, std::size_t i, const number_format& format) {
  for (const std::string& s : format.thousands_separators)
    if (!s.empty() && text.substr(i, s.size()) == s) return s.size();
  return 0;
}

bool is_digit(char c) { return static_cast<unsigned>(c - '0') < 10; }

scanned_number scan(std::string_view text, const number_format& format) {
  scanned_number out;
  const std::size_t n = text.size();
  if (n == 0) {
    out.problem = number_problem::empty;
    return out;
  }
  std::size_t i = 0;
  if (text[0] == '+' || text[0] == '-') {
    out.negative = text[0] == '-';
    i = 1;
  } else if (text.substr(0, 3) == "\xE2\x88\x92") {  // U+2212 MINUS SIGN, as typeset Swedish numbers use
    out.negative = true;
    i = 3;
  }
  // Integer part, with thousands separators between groups of three.
  std::size_t group = 0, groups = 0, integer_digits = 0;
  while (i < n) {
    if (is_digit(text[i])) {
      out.add(text[i]);
      ++group;
      ++integer_digits;
      ++i;
      continue;
    }
    const std::size_t sep = integer_digits > 0 && text[i] != format.decimal_mark ? separator_at(text, i, format) : 0;
    if (sep == 0) break;
    if (groups == 0 ? group > 3 : group != 3) {
      out.problem = number_problem::bad_grouping;
      return out;
    }
    ++groups;
    group = 0;
    i += sep;
  }
  if (groups > 0 && group != 3) {
    out.problem = number_problem::bad_grouping;
    return out;
  }
  if (i < n && text[i] == format.decimal_mark) {
    ++i;
    while (i < n && is_digit(text[i])) {
      out.add(text[i]);
      ++out.fraction_digits;
      ++i;
    }
  }
  if (out.digit_count == 0) {
    out.problem = number_problem::not_a_number;
    return out;
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative_exponent = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) negative_exponent = text[i++] == '-';
    if (i == n || !is_digit(text[i])) {
      out.problem = number_problem::not_a_number;
      return out;
    }
    long e = 0;
    while (i < n && is_digit(text[i])) {
      if (e < 1'000'000) e = e * 10 + (text[i] - '0');  // clamped: far beyond any value
      ++i;
    }
    out.exponent = negative_exponent ? -e : e;
  }
  if (i != n) out.problem = number_problem::not_a_number;
  return out;
}

constexpr std::int64_t pow10(int k) {
  std::int64_t p = 1;
  for (int i = 0; i < k; ++i) p *= 10;
  return p;
}

}  // namespace

grid_number parse_grid_units(std::string_view text, unsigned decimals, const number_format& format) noexcept {
  grid_number out;
  const scanned_number s = scan(text, format);
  if (s.problem != number_problem::none) {
    out.problem = s.problem;
    return out;
  }
  if (decimals > 18) {
    out.problem = number_problem::too_large;
    return out;
  }
  if (s.stored == 0) return out;  // zero, on every grid (sticky needs stored digits first)
  // units = N * 10^shift (+ a remainder below one unit when shift < 0).
  const long shift = s.extra + s.exponent - s.fraction_digits + static_cast<long>(decimals);
  constexpr int max_digits = 18;  // 10^18 < 2^63
  std::int64_t units = 0;
  if (shift >= 0) {
    if (s.extra > 0 || s.stored + shift > max_digits) {
      out.problem = number_problem::too_large;
      return out;
    }
    for (int k = 0; k < s.stored; ++k) units = units * 10 + (s.digits[static_cast<std::size_t>(k)] - '0');
    units *= pow10(static_cast<int>(shift));
  } else {
    const long keep = s.stored + shift;  // digits that stay whole units
    if (keep > max_digits) {
      out.problem = number_problem::too_large;
      return out;
    }
    for (long k = 0; k < keep; ++k) units = units * 10 + (s.digits[static_cast<std::size_t>(k)] - '0');
    // The dropped part: digits [keep, stored) then the sticky tail; with keep < 0, -keep zeros
    // come first (the value is below a tenth of a unit).
    bool nonzero = s.sticky;
    for (long k = keep < 0 ? 0 : keep; k < s.stored; ++k) nonzero |= s.digits[static_cast<std::size_t>(k)] != '0';
    out.off_grid = nonzero;
    if (nonzero && keep >= 0) {
      // Round half to even on the exact decimal: compare the dropped part with one half.
      const char first = s.digits[static_cast<std::size_t>(keep)];  // keep < stored since shift < 0
      bool rest_nonzero = s.sticky;
      for (long k = keep + 1; k < s.stored; ++k) rest_nonzero |= s.digits[static_cast<std::size_t>(k)] != '0';
      const bool up = first > '5' || (first == '5' && (rest_nonzero || (units & 1) != 0));
      if (up) ++units;
    }
  }
  out.units = s.negative ? -units : units;
  return out;
}

floating_number parse_floating(std::string_view text, const number_format& format) noexcept {
  floating_number out;
  const scanned_number s = scan(text, format);
  if (s.problem != number_problem::none) {
    out.problem = s.problem;
    return out;
  }
  // Rebuild the number in the form std::from_chars reads: digits, '.', digits, exponent.
  std::string normal;
  normal.reserve(text.size() + 1);
  std::size_t i = 0;
  if (text[0] == '+' || text[0] == '-') {
    i = 1;
  } else if (text.substr(0, 3) == "\xE2\x88\x92") {
    i = 3;
  }
  if (s.negative) normal += '-';
  while (i < text.size()) {
    const char c = text[i];
    if (is_digit(c) || c == 'e' || c == 'E' || c == '+' || c == '-') {
      normal += c;
      ++i;
    } else if (c == format.decimal_mark) {
      normal += '.';
      ++i;
    } else {
      const std::size_t sep = separator_at(text, i, format);
      i += sep ? sep : 1;  // scan() accepted the text: anything else is a separator
    }
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(normal.data(), normal.data() + normal.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // Overflow or underflow: the sign of the decimal exponent of the value says which.
    const long magnitude = s.stored + s.extra + s.exponent - s.fraction_digits;
    if (magnitude > 0) {
      out.problem = number_problem::too_large;
      return out;
    }
    out.value = s.negative ? -0.0 : 0.0;
    return out;
  }
  if (ec != std::errc() || end != normal.data() + normal.size() || !std::isfinite(value)) {
    out.problem = number_problem::not_a_number;
    return out;
  }
  out.value = value;
  return out;
}

std::optional<std::int64_t> parse_integer(std::string_view text) noexcept {
  std::int64_t value = 0;
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+') ++first;  // from_chars takes '-' but not '+'
  if (first == last || (*first == '-' && first + 1 == last)) return std::nullopt;
  if (first != text.data() && *first == '-') return std::nullopt;  // "+-5"
  const auto [end, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || end != last) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) noexcept {
  if (text.empty() || !is_digit(text[0])) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string_view to_string(number_problem problem) noexcept {
  switch (problem) {
    case number_problem::none: return "none";
    case number_problem::empty: return "empty";
    case number_problem::not_a_number: return "not_a_number";
    case number_problem::bad_grouping: return "bad_grouping";
    case number_problem::too_large: return "too_large";
  }
  return "unknown";
}

std::string_view to_string(text_encoding encoding) noexcept {
  switch (encoding) {
    case text_encoding::automatic: return "automatic";
    case text_encoding::utf8: return "utf-8";
    case text_encoding::windows_1252: return "windows-1252";
  }
  return "unknown";
}

}  // namespace jamstat::io
