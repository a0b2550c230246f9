#include "message_text.hpp"

#include "utf8.hpp"

#include <cstdint>

namespace jamstat::detail {

namespace {

std::string escaped(std::string_view text, std::size_t limit, bool& cut) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  cut = false;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = utf8_sequence_length(text, i);
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
