#include "utf8.hpp"

#include <cstdint>

namespace jamstat::detail {

std::size_t utf8_sequence_length(std::string_view s, std::size_t i, std::size_t* truncated) noexcept {
  if (truncated) *truncated = 0;
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t len;
  std::uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  const std::size_t have = s.size() - i < len ? s.size() - i : len;
  for (std::size_t k = 1; k < have; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (have < len) {
    if (truncated) *truncated = have;
    return 0;
  }
  const std::uint32_t min_cp = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
  if (cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace jamstat::detail
