#include "jamstat/report/number_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace jamstat::report {

std::string format_number(double value, int decimals, language lang, bool plus_sign) {
  if (std::isnan(value)) return "\u2013";
  if (std::isinf(value)) return value > 0 ? "\u221E" : std::string(minus_sign) + "\u221E";
  if (decimals < 0) decimals = 0;
  if (decimals > 9) decimals = 9;
  char buffer[400];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::fabs(value));
  const std::string digits = buffer;
  const std::size_t point = digits.find('.');
  const std::string whole = digits.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : digits.substr(point + 1);
  bool zero = true;
  for (const char ch : digits)
    if (ch >= '1' && ch <= '9') zero = false;
  const bool swedish = lang == language::sv;
  std::string out;
  if (!zero && value < 0) out += minus_sign;
  else if (!zero && plus_sign) out += '+';
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += swedish ? nbsp : ",";
    out += whole[i];
  }
  if (!fraction.empty()) out += (swedish ? "," : ".") + fraction;
  return out;
}

std::string format_count(std::uint64_t value, language lang) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += lang == language::sv ? nbsp : ",";
    out += digits[i];
  }
  return out;
}

std::string format_percent(double percent, int decimals, language lang, bool plus_sign) {
  const std::string number = format_number(percent, decimals, lang, plus_sign);
  if (std::isnan(percent)) return number;
  return number + (lang == language::sv ? std::string(nbsp) + "%" : std::string("%"));
}

std::string format_probability(double p, language lang) {
  if (std::isnan(p)) return "\u2013";
  if (p < 0.001) return std::string("<") + nbsp + format_number(0.001, 3, lang);
  return format_number(p, 3, lang);
}

std::string exact_number(double value, bool decimal_comma) {
  if (std::isnan(value)) return "";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  if (value == 0.0) value = 0.0;  // no "-0"
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string out(buffer, result.ptr);
  if (decimal_comma)
    for (char& ch : out)
      if (ch == '.') ch = ',';
  return out;
}

}  // namespace jamstat::report
