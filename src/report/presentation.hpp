// How the human-readable writers (Markdown, HTML) print values (internal to the report layer).
#pragma once

#include <string>
#include <string_view>

#include "jamstat/report/number_format.hpp"
#include "jamstat/report/report_model.hpp"

namespace jamstat::report::detail {

/// The Swedish or the English text.
inline std::string tr(language lang, std::string_view sv, std::string_view en) {
  return std::string(lang == language::en ? en : sv);
}

/// A value as printed: ".." when suppressed, "–" when not computable, otherwise the number in its
/// kind's format (counts grouped, percent with "%", amounts with `unit` when given), followed by
/// "*" when perturbed. `plus_sign` for differences.
std::string shown_text(const shown_value& v, value_kind kind, int decimals, language lang, std::string_view unit = {},
                       bool plus_sign = false);

/// The interval "43,1–48,7" (no unit), or "" when it is not defined or the value is suppressed.
std::string interval_text(const shown_value& v, value_kind kind, int decimals, language lang);

/// The machine name of a grouping: its dimensions' names joined by "+" ("sex+intervention"), or
/// "total".
std::string grouping_name(const report_model& m, const std::vector<std::size_t>& dimensions, bool with_sex);

/// Decimals to print a difference or estimate of this kind with.
int default_decimals(value_kind kind);

}  // namespace jamstat::report::detail

namespace jamstat::report::detail {

/// The statistics a human-readable table shows (the rest are in CSV and JSON): persons (or
/// participations when persons are not counted), each outcome's proportion and each measure's
/// mean, as positions in table.statistics.
std::vector<std::size_t> key_statistics(const report_table& table);

/// A shown value with its interval in brackets: "45,9 % (44,1–47,6)".
std::string value_with_interval(const shown_value& v, const statistic_column& column, language lang);

/// The label of a finding's difference column: "Skillnad, procentenheter" / "Difference, h".
std::string difference_heading(const report_finding& f, language lang);

}  // namespace jamstat::report::detail
