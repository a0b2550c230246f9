#include "presentation.hpp"

#include <cmath>

namespace jamstat::report::detail {

std::string shown_text(const shown_value& v, value_kind kind, int decimals, language lang, std::string_view unit,
                       bool plus_sign) {
  if (is_suppressed(v.status)) return "..";
  std::string out;
  switch (kind) {
    case value_kind::count: out = format_number(v.value, 0, lang, plus_sign); break;
    case value_kind::percent: out = format_percent(v.value, decimals, lang, plus_sign); break;
    case value_kind::probability: out = format_probability(v.value, lang); break;
    case value_kind::ratio: out = format_number(v.value, decimals, lang, plus_sign); break;
    case value_kind::percentage_points:
    case value_kind::amount:
      out = format_number(v.value, decimals, lang, plus_sign);
      if (!unit.empty() && !std::isnan(v.value)) out += std::string(nbsp) + std::string(unit);
      break;
  }
  if (v.status == cell_status::perturbed && !std::isnan(v.value)) out += "*";
  return out;
}

std::string interval_text(const shown_value& v, value_kind kind, int decimals, language lang) {
  if (is_suppressed(v.status) || std::isnan(v.lower) || std::isnan(v.upper)) return "";
  const std::string lo = format_number(v.lower, decimals, lang), hi = format_number(v.upper, decimals, lang);
  // A range of negative numbers reads better with a spaced dash: "−3,1 – −1,2".
  const bool spaced = v.lower < 0 || v.upper < 0;
  std::string out = lo + (spaced ? std::string(nbsp) + "\u2013" + std::string(nbsp) : std::string("\u2013")) + hi;
  if (kind == value_kind::percent) out += lang == language::sv ? std::string(nbsp) + "%" : std::string("%");
  return out;
}

std::string grouping_name(const report_model& m, const std::vector<std::size_t>& dimensions, bool with_sex) {
  std::string out = with_sex ? "sex" : "";
  for (const std::size_t d : dimensions) {
    if (d == 0) continue;
    out += (out.empty() ? "" : "+") + m.dimensions[d].name;
  }
  return out.empty() ? "total" : out;
}

int default_decimals(value_kind kind) {
  switch (kind) {
    case value_kind::count: return 0;
    case value_kind::ratio: return 2;
    case value_kind::probability: return 3;
    default: return 1;
  }
}

}  // namespace jamstat::report::detail

namespace jamstat::report::detail {

std::vector<std::size_t> key_statistics(const report_table& table) {
  std::vector<std::size_t> out;
  bool persons = false;
  for (std::size_t i = 0; i < table.statistics.size(); ++i)
    if (table.statistics[i].id == "persons") persons = true;
  for (std::size_t i = 0; i < table.statistics.size(); ++i) {
    const std::string& id = table.statistics[i].id;
    if (id == "persons" || (!persons && id == "participations") || id.ends_with(".proportion") || id.ends_with(".mean"))
      out.push_back(i);
  }
  return out;
}

std::string value_with_interval(const shown_value& v, const statistic_column& column, language lang) {
  std::string out = shown_text(v, column.kind, column.decimals, lang, column.kind == value_kind::amount ? "" : column.unit);
  if (column.interval) {
    const std::string ci = interval_text(v, column.kind == value_kind::percent ? value_kind::amount : column.kind,
                                         column.decimals, lang);
    if (!ci.empty()) out += " (" + ci + ")";
  }
  return out;
}

std::string difference_heading(const report_finding& f, language lang) {
  std::string unit = f.difference_kind == value_kind::ratio ? tr(lang, "kvot", "ratio") : f.difference_unit;
  return tr(lang, "Skillnad", "Difference") + (unit.empty() ? "" : ", " + unit);
}

}  // namespace jamstat::report::detail
