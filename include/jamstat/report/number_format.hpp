// Numbers as a report prints them: Swedish (decimal comma, non-breaking space between thousands,
// "45,9 %", "−3,2") or English ("45.9%", "1,234", "−3.2"); and exactly, for files read by programs.
#pragma once

#include <cstdint>
#include <string>

#include "jamstat/report/report_input.hpp"

namespace jamstat::report {

/// The non-breaking space (U+00A0) between groups of thousands and before "%" in Swedish.
inline constexpr const char* nbsp = "\u00A0";
/// The minus sign (U+2212) of printed negative numbers.
inline constexpr const char* minus_sign = "\u2212";

/// `value` rounded to `decimals` places in the language's format: Swedish "1 234 567,8", English
/// "1,234,567.8" (always grouped; U+00A0 in Swedish); negative numbers with U+2212; with
/// `plus_sign`, positive ones with "+". A value that rounds to zero prints without a sign. NaN
/// prints as "–" (U+2013, "cannot be computed"); infinities as "∞" / "−∞".
std::string format_number(double value, int decimals, language lang, bool plus_sign = false);

/// A whole count: "12 345" / "12,345".
std::string format_count(std::uint64_t value, language lang);

/// A percentage (45.9 = 45.9 %): "45,9 %" (U+00A0 before %) / "45.9%".
std::string format_percent(double percent, int decimals, language lang, bool plus_sign = false);

/// A p- or q-value: three significant decimals above 0.001 ("0,042"), "< 0,001" below.
std::string format_probability(double p, language lang);

/// The shortest decimal text that reads back as exactly `value` (std::to_chars), with a decimal
/// point or, when `decimal_comma`, a comma; "" for NaN. What CSV and JSON files hold.
std::string exact_number(double value, bool decimal_comma = false);

}  // namespace jamstat::report
