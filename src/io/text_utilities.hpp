// Text helpers of the input layer (internal): trimming, case folding for matching, Windows-1252
// to UTF-8, the checks behind encoding detection, and values made safe for messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace jamstat::io::detail {

/// `s` without leading and trailing spaces and tabs.
inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// `s` case-folded for matching column names and value spellings: ASCII A-Z and the Latin-1
/// capitals U+00C0-U+00DE (Å Ä Ö É Ü ..., not U+00D7 ×) become lower case; everything else is
/// kept byte for byte. Equal after folding = the same name or spelling.
std::string fold_case(std::string_view s);
/// Folds into `out` (cleared first); returns false when the result would exceed `capacity`.
bool fold_case_into(std::string_view s, char* out, std::size_t capacity, std::size_t& length) noexcept;

/// True when some byte of [p, p + n) is 0x80 or above.
bool has_high_byte(const char* p, std::size_t n) noexcept;
/// Index of the first byte 0x80 or above in [p, p + n), or n.
std::size_t first_high_byte(const char* p, std::size_t n) noexcept;

/// What a run of bytes says about UTF-8: every sequence well-formed (`valid`), one that is not
/// (`invalid`), or well-formed up to an incomplete sequence at the very end (`truncated`, whose
/// `tail` bytes may complete in the next block).
struct utf8_verdict {
  enum kind { valid, invalid, truncated } verdict = valid;
  std::size_t tail = 0;
};
utf8_verdict check_utf8(const char* p, std::size_t n) noexcept;

/// The evidence a run of bytes gives about its encoding: well-formed multi-byte UTF-8 sequences,
/// bytes that start no well-formed sequence, and an incomplete sequence cut off at the end.
struct utf8_evidence {
  std::size_t sequences = 0;
  std::size_t invalid_bytes = 0;
  std::size_t tail = 0;
};
utf8_evidence weigh_utf8(const char* p, std::size_t n) noexcept;

/// Appends the UTF-8 form of Windows-1252 bytes [p, p + n) at `out` (room for 3n bytes needed)
/// and returns the bytes written. Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D (undefined in 1252) map
/// to U+0081 ... as the WHATWG Encoding Standard maps them.
std::size_t windows_1252_to_utf8(const char* p, std::size_t n, char* out) noexcept;

/// Number of UTF-8 lead bytes (bytes that are not 10xxxxxx) in [p, p + n): the number of code
/// points of well-formed text, hence of Windows-1252 bytes that were converted to it.
std::size_t count_code_points(const char* p, std::size_t n) noexcept;

/// A value quoted for a message: valid UTF-8 (invalid bytes shown as \xNN), control characters
/// as spaces, personnummer-shaped runs masked, at most `limit` bytes.
std::string value_for_message(std::string_view value, std::size_t limit = 60);

}  // namespace jamstat::io::detail
