#include "text_utilities.hpp"

#include <algorithm>
#include <cstring>

#include "../engine/message_text.hpp"
#include "../engine/utf8.hpp"
#include "jamstat/io/personnummer.hpp"

namespace jamstat::io::detail {

bool fold_case_into(std::string_view s, char* out, std::size_t capacity, std::size_t& length) noexcept {
  if (s.size() > capacity) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + 32);
    } else if (static_cast<unsigned char>(c) == 0xC3 && i + 1 < s.size()) {
      // U+00C0..U+00DE are C3 80..C3 9E; their small letters are C3 A0..C3 BE. U+00D7 (×) has none.
      const auto next = static_cast<unsigned char>(s[i + 1]);
      out[i] = c;
      out[i + 1] = static_cast<char>(next >= 0x80 && next <= 0x9E && next != 0x97 ? next + 0x20 : next);
      ++i;
      continue;
    }
    out[i] = c;
  }
  length = s.size();
  return true;
}

std::string fold_case(std::string_view s) {
  std::string out(s.size(), '\0');
  std::size_t length = 0;
  fold_case_into(s, out.data(), out.size(), length);
  return out;
}

bool has_high_byte(const char* p, std::size_t n) noexcept {
  // Eight bytes at a time: OR-reduce and look at the top bits once (the compiler vectorizes it).
  std::uint64_t acc = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    acc |= w;
  }
  for (; i < n; ++i) acc |= static_cast<unsigned char>(p[i]);
  return (acc & 0x8080808080808080ULL) != 0;
}

std::size_t first_high_byte(const char* p, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64)
    if (has_high_byte(p + i, 64)) break;
  for (; i < n; ++i)
    if (static_cast<unsigned char>(p[i]) >= 0x80) return i;
  return n;
}

utf8_verdict check_utf8(const char* text, std::size_t n) noexcept {
  const std::string_view s(text, n);
  for (std::size_t i = 0; i < n;) {
    std::size_t truncated = 0;
    const std::size_t len = jamstat::detail::utf8_sequence_length(s, i, &truncated);
    if (truncated > 0) return {utf8_verdict::truncated, truncated};  // may complete in the next block
    if (len == 0) return {utf8_verdict::invalid, 0};
    i += len;
  }
  return {utf8_verdict::valid, 0};
}

utf8_evidence weigh_utf8(const char* p, std::size_t n) noexcept {
  utf8_evidence e;
  const std::string_view s(p, n);
  std::size_t i = 0;
  while (i < n) {
    if (static_cast<unsigned char>(p[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t truncated = 0;
    const std::size_t len = jamstat::detail::utf8_sequence_length(s, i, &truncated);
    if (truncated > 0) {
      e.tail = n - i;  // a sequence that may complete in the next block
      break;
    }
    if (len != 0) {
      ++e.sequences;
      i += len;
    } else {
      ++e.invalid_bytes;
      ++i;
    }
  }
  return e;
}

namespace {
// Windows-1252 bytes 0x80..0x9F as Unicode code points (WHATWG index-windows-1252; the five
// undefined bytes map to the C1 control of the same value).
constexpr std::uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
}  // namespace

std::size_t windows_1252_to_utf8(const char* p, std::size_t n, char* out) noexcept {
  char* o = out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = static_cast<unsigned char>(p[i]);
    if (b < 0x80) {
      *o++ = static_cast<char>(b);
      continue;
    }
    const std::uint32_t cp = b < 0xA0 ? cp1252_high[b - 0x80] : b;
    if (cp < 0x800) {
      *o++ = static_cast<char>(0xC0 | (cp >> 6));
      *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *o++ = static_cast<char>(0xE0 | (cp >> 12));
      *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return static_cast<std::size_t>(o - out);
}

std::size_t count_code_points(const char* p, std::size_t n) noexcept {
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) count += (static_cast<unsigned char>(p[i]) & 0xC0) != 0x80;
  return count;
}

std::string value_for_message(std::string_view value, std::size_t limit) {
  std::string text = mask_personnummer_shapes(value);
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return jamstat::detail::text_for_message(text, limit);
}

}  // namespace jamstat::io::detail
