#include "message_text.hpp"

#include <cstdint>

namespace jamstat::detail {

namespace {

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when it is not one (overlongs,
// surrogates and code points above U+10FFFF are not well-formed).
std::size_t sequence_length(std::string_view s, std::size_t i) {
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
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  const std::uint32_t min_cp = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
  if (cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

std::string escaped(std::string_view text, std::size_t limit, bool& cut) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  cut = false;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = sequence_length(text, i);
    const std::size_t adds = len ? len : 4;
    if (out.size() + adds > limit) {
      cut = true;
      break;
    }
    if (len) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      const auto b = static_cast<unsigned char>(text[i]);
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
      ++i;
    }
  }
  return out;
}

}  // namespace

std::string text_for_message(std::string_view text, std::size_t limit) {
  bool cut;
  std::string out = escaped(text, limit, cut);
  if (cut) out += "\xE2\x80\xA6 (" + std::to_string(text.size()) + " bytes)";
  return out;
}

std::string safe_message(std::string_view message, std::size_t limit) {
  bool cut;
  std::string out = escaped(message, limit, cut);
  if (cut) out += "\xE2\x80\xA6";
  return out;
}

}  // namespace jamstat::detail
