// Arrow format strings, from the table "Data type description -- format strings" of the Arrow C
// Data Interface specification.
#include "arrow_format.hpp"

#include <charconv>
#include <cstring>
#include <string_view>

#include "../engine/message_text.hpp"

namespace jamstat::c_api::arrow {

namespace {

data_type integer(bool is_signed, unsigned bytes) {
  data_type t;
  t.kind = layout::integer;
  t.is_signed = is_signed;
  t.bytes = bytes;
  return t;
}

data_type plain(layout kind, bool text = false) {
  data_type t;
  t.kind = kind;
  t.text = text;
  return t;
}

// Reads a decimal integer (optionally signed) from the front of `s`, advancing it.
std::optional<std::int32_t> read_int(std::string_view& s) {
  std::int32_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end == s.data()) return std::nullopt;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  return v;
}

// "d:P,S" or "d:P,S,N" (after "d:").
std::optional<data_type> parse_decimal(std::string_view s) {
  data_type t;
  t.kind = layout::decimal;
  t.bytes = 16;
  const auto precision = read_int(s);
  if (!precision || *precision <= 0 || s.empty() || s.front() != ',') return std::nullopt;
  s.remove_prefix(1);
  const auto scale = read_int(s);
  if (!scale) return std::nullopt;
  t.precision = *precision;
  t.scale = *scale;
  if (s.empty()) return t;
  if (s.front() != ',') return std::nullopt;
  s.remove_prefix(1);
  const auto bits = read_int(s);
  if (!bits || !s.empty()) return std::nullopt;
  if (*bits != 32 && *bits != 64 && *bits != 128) return std::nullopt;  // decimal256 is not read
  t.bytes = static_cast<unsigned>(*bits / 8);
  return t;
}

}  // namespace

std::optional<data_type> parse_format(const char* format) {
  if (!format) return std::nullopt;
  const std::string_view f(format);
  if (f.size() == 1) {
    switch (f[0]) {
      case 'n': return plain(layout::null_type);
      case 'b': return plain(layout::boolean);
      case 'c': return integer(true, 1);
      case 'C': return integer(false, 1);
      case 's': return integer(true, 2);
      case 'S': return integer(false, 2);
      case 'i': return integer(true, 4);
      case 'I': return integer(false, 4);
      case 'l': return integer(true, 8);
      case 'L': return integer(false, 8);
      case 'f': return plain(layout::float32);
      case 'g': return plain(layout::float64);
      case 'z': return plain(layout::binary);
      case 'u': return plain(layout::binary, true);
      case 'Z': return plain(layout::large_binary);
      case 'U': return plain(layout::large_binary, true);
      default: return std::nullopt;
    }
  }
  if (f == "vz") return plain(layout::binary_view);
  if (f == "vu") return plain(layout::binary_view, true);
  if (f.starts_with("d:")) return parse_decimal(f.substr(2));
  if (f.starts_with("w:")) {
    std::string_view s = f.substr(2);
    const auto width = read_int(s);
    if (!width || *width <= 0 || !s.empty()) return std::nullopt;
    data_type t = plain(layout::fixed_binary);
    t.bytes = static_cast<unsigned>(*width);
    return t;
  }
  return std::nullopt;
}

std::string format_name(const char* format) {
  if (!format) return "(no format: NULL)";
  const std::string_view f(format);
  struct named {
    const char* format;
    const char* name;
  };
  static constexpr named names[] = {
      {"n", "null"},          {"b", "boolean"},      {"c", "int8"},           {"C", "uint8"},         {"s", "int16"},
      {"S", "uint16"},        {"i", "int32"},        {"I", "uint32"},         {"l", "int64"},         {"L", "uint64"},
      {"e", "float16"},       {"f", "float32"},      {"g", "float64"},        {"z", "binary"},        {"Z", "large binary"},
      {"vz", "binary view"},  {"u", "utf8"},         {"U", "large utf8"},     {"vu", "utf8 view"},    {"tdD", "date32"},
      {"tdm", "date64"},      {"tts", "time32[s]"},  {"ttm", "time32[ms]"},   {"ttu", "time64[us]"},  {"ttn", "time64[ns]"},
      {"tDs", "duration[s]"}, {"tDm", "duration[ms]"}, {"tDu", "duration[us]"}, {"tDn", "duration[ns]"}, {"+l", "list"},
      {"+L", "large list"},   {"+s", "struct"},      {"+m", "map"},           {"+r", "run-end encoded"},
  };
  // Appended: GCC 12 at -O3 misreads `"'" + std::string&&` as an overlapping copy (-Wrestrict).
  std::string quoted = "'";
  quoted += detail::text_for_message(f, 60);
  quoted += '\'';
  for (const named& n : names)
    if (f == n.format) return std::string(n.name) + " (format " + quoted + ")";
  if (f.starts_with("d:")) {
    if (const auto t = parse_format(format))
      return "decimal" + std::to_string(t->bytes * 8) + "(" + std::to_string(t->precision) + ", " + std::to_string(t->scale) +
             ") (format " + quoted + ")";
    return "decimal (format " + quoted + ")";
  }
  if (f.starts_with("w:")) return "fixed-size binary (format " + quoted + ")";
  if (f.starts_with("ts")) return "timestamp (format " + quoted + ")";
  if (f.starts_with("+")) return "a nested type (format " + quoted + ")";
  return "format " + quoted;
}

}  // namespace jamstat::c_api::arrow
