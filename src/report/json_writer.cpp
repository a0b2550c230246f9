#include "jamstat/report/json_writer.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "texts.hpp"

namespace jamstat::report {

namespace {

using json = nlohmann::ordered_json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json value_of(const shown_value& v) {
  const bool hidden = is_suppressed(v.status);
  return json{{"value", hidden ? json(nullptr) : number(v.value)},
              {"lower", hidden ? json(nullptr) : number(v.lower)},
              {"upper", hidden ? json(nullptr) : number(v.upper)},
              {"status", std::string(to_string(v.status))}};
}

const char* kind_name(value_kind k) {
  switch (k) {
    case value_kind::count: return "count";
    case value_kind::percent: return "percent";
    case value_kind::amount: return "amount";
    case value_kind::percentage_points: return "percentage_points";
    case value_kind::ratio: return "ratio";
    case value_kind::probability: return "probability";
  }
  return "";
}

const char* family_name(statistic_family f) {
  switch (f) {
    case statistic_family::count: return "count";
    case statistic_family::outcome: return "outcome";
    case statistic_family::measure: return "measure";
  }
  return "";
}

json finding_json(const report_finding& f) {
  static constexpr const char* kinds[] = {"participation_rate", "participation_share", "outcome", "distribution",
                                          "distribution_level", "measure_mean", "measure_per_person", "resource_share"};
  static constexpr const char* periods[] = {"current", "previous", "change"};
  static constexpr const char* computed[] = {"ok", "too_few_persons", "no_comparison", "not_a_rate"};
  json j{{"kind", kinds[static_cast<int>(f.kind)]},
         {"period", periods[static_cast<int>(f.period)]},
         {"period_label", f.period_label},
         {"computed", computed[static_cast<int>(f.computed)]},
         {"what", f.what},
         {"grouping", f.grouping},
         {"adjusted", f.adjusted},
         {"adjusted_for", f.adjusted_for},
         {"estimate_kind", kind_name(f.estimate_kind)},
         {"estimate_unit", f.estimate_unit},
         {"women", value_of(f.women)},
         {"men", value_of(f.men)},
         {"difference_kind", kind_name(f.difference_kind)},
         {"difference_unit", f.difference_unit},
         {"difference", value_of(f.difference)}};
  if (f.period == analysis::finding_period::change) {
    j["gap_before"] = value_of(f.gap_before);
    j["gap_now"] = value_of(f.gap_now);
  }
  j["p_value"] = number(f.p_value);
  j["q_value"] = number(f.q_value);
  j["clear"] = f.clear;
  j["persons"] = is_suppressed(f.status) ? json(nullptr) : json(f.persons);
  j["status"] = std::string(to_string(f.status));
  j["verdict"] = f.verdict;
  return j;
}

}  // namespace

void write_json(const report_model& m, std::ostream& out) {
  const detail::texts& t = detail::texts_for(m.lang);
  json j;
  j["format"] = "jamstat-report";
  j["format_version"] = json_format_version;
  j["language"] = m.lang == language::en ? "en" : "sv";
  j["title"] = m.title;
  j["organisation"] = m.organisation;
  j["period"] = m.period;
  j["previous_period"] = m.previous_period;
  j["internal_use_only"] = m.internal_use_only;
  j["internal_use_label"] = m.internal_use_only ? json(std::string(t.internal_label)) : json(nullptr);
  json notes = json::array({std::string(t.suppressed_note), std::string(t.not_computable_note)});
  if (m.any_perturbed) notes.push_back(std::string(t.perturbed_note));
  j["protection"] = {{"note", m.protection_note},
                     {"any_suppressed", m.any_suppressed},
                     {"any_perturbed", m.any_perturbed},
                     {"suppressed_symbol", ".."},
                     {"symbols", notes}};
  j["confidence_level"] = m.confidence_level;
  j["significance_level"] = m.significance_level;
  j["persons_counted"] = m.persons_counted;

  json dims = json::array();
  for (const dimension_text& d : m.dimensions) dims.push_back({{"name", d.name}, {"label", d.label}, {"levels", d.levels}});
  j["dimensions"] = dims;
  json outcomes = json::array(), measures = json::array();
  for (const subject_text& o : m.outcomes) outcomes.push_back({{"name", o.name}, {"label", o.label}});
  for (const subject_text& x : m.measures) measures.push_back({{"name", x.name}, {"label", x.label}, {"unit", x.unit}});
  j["outcomes"] = outcomes;
  j["measures"] = measures;
  json sexes = json::array();
  for (const sex_column& s : m.sexes)
    sexes.push_back({{"code", s.code == all_sexes ? json(nullptr) : json(s.code)}, {"label", s.label}});
  j["sexes"] = sexes;
  j["chart_dimension"] = m.chart_dimension == 0 ? json(nullptr) : json(m.dimensions[m.chart_dimension].name);

  json tables = json::array();
  for (const report_table& tb : m.tables) {
    json stats = json::array();
    for (const statistic_column& c : tb.statistics)
      stats.push_back({{"id", c.id}, {"label", c.label}, {"unit", c.unit}, {"kind", kind_name(c.kind)},
                       {"decimals", c.decimals}, {"family", family_name(c.family)}, {"interval", c.interval}});
    json dnames = json::array();
    for (const std::size_t d : tb.dimensions) dnames.push_back(m.dimensions[d].name);
    json rows = json::array();
    for (const table_row& r : tb.rows) {
      json levels = json::array();
      for (const std::uint32_t l : r.levels) levels.push_back(r.total ? json(nullptr) : json(l));
      json values = json::array();
      for (const auto& by_sex : r.values) {
        json vs = json::array();
        for (const shown_value& v : by_sex) vs.push_back(value_of(v));
        values.push_back(vs);
      }
      rows.push_back({{"levels", levels}, {"labels", r.labels}, {"total", r.total}, {"values", values}});
    }
    tables.push_back({{"id", tb.id}, {"title", tb.title},
                      {"period", tb.period == period_role::previous ? "previous" : "current"},
                      {"period_label", tb.period_label}, {"dimensions", dnames}, {"statistics", stats}, {"rows", rows}});
  }
  j["tables"] = tables;

  json findings = json::array(), changes = json::array();
  for (const report_finding& f : m.findings) findings.push_back(finding_json(f));
  for (const report_finding& f : m.changes) changes.push_back(finding_json(f));
  j["findings"] = findings;
  j["changes"] = changes;

  if (m.strata_heat_map) {
    const heat_map& h = *m.strata_heat_map;
    json cells = json::array();
    for (const heat_cell& c : h.cells)
      cells.push_back({{"present", c.present}, {"levels", c.levels}, {"gap", value_of(c.gap)}, {"women", value_of(c.women)},
                       {"men", value_of(c.men)}, {"clear", c.clear}, {"q_value", number(c.q_value)}});
    json dnames = json::array();
    for (const std::size_t d : h.dimensions) dnames.push_back(m.dimensions[d].name);
    j["strata_heat_map"] = {{"title", h.title}, {"outcome", h.subject_name}, {"subject", h.subject},
                            {"dimensions", dnames}, {"row_dimension", h.row_dimension},
                            {"column_dimension", h.column_dimension}, {"row_labels", h.row_labels},
                            {"column_labels", h.column_labels}, {"cells", cells}};
  } else {
    j["strata_heat_map"] = nullptr;
  }

  json maihda = json::array();
  for (const maihda_view& v : m.maihda) {
    json strata = json::array();
    for (const maihda_view::stratum& s : v.strata)
      strata.push_back({{"label", s.label}, {"levels", s.levels}, {"participations", value_of(s.participations)},
                        {"observed", value_of(s.observed)}, {"predicted", value_of(s.predicted)},
                        {"additive", value_of(s.additive)}, {"interaction", value_of(s.interaction)},
                        {"flagged", s.flagged}, {"status", std::string(to_string(s.status))}});
    json dnames = json::array();
    for (const std::size_t d : v.dimension_indices) dnames.push_back(m.dimensions[d].name);
    maihda.push_back({{"title", v.title}, {"model", v.logistic ? "logistic" : "linear"},
                      {"subject_name", v.subject_name}, {"subject", v.subject}, {"unit", v.unit},
                      {"dimensions", dnames}, {"between_variance_null", number(v.between_variance_null)},
                      {"between_variance_additive", number(v.between_variance_additive)},
                      {"vpc_null", number(v.vpc_null)}, {"vpc_additive", number(v.vpc_additive)}, {"pcv", number(v.pcv)},
                      {"auc_null", number(v.auc_null)}, {"auc_additive", number(v.auc_additive)}, {"strata", strata}});
  }
  j["maihda"] = maihda;

  if (m.decomposition) {
    const decomposition_view& d = *m.decomposition;
    json parts = json::array();
    for (const auto& p : d.characteristics)
      parts.push_back({{"label", p.label}, {"explained", value_of(p.explained)}, {"unexplained", value_of(p.unexplained)}});
    j["decomposition"] = {{"title", d.title}, {"subject_name", d.subject_name}, {"subject", d.subject},
                          {"kind", kind_name(d.kind)}, {"unit", d.unit}, {"method", d.logit ? "yun_logit" : "linear"},
                          {"first_group", d.first_group}, {"second_group", d.second_group},
                          {"first_mean", value_of(d.first_mean)}, {"second_mean", value_of(d.second_mean)},
                          {"gap", value_of(d.gap)}, {"explained", value_of(d.explained)},
                          {"unexplained", value_of(d.unexplained)}, {"characteristics", parts},
                          {"status", std::string(to_string(d.status))}};
  } else {
    j["decomposition"] = nullptr;
  }

  const data_quality_view& q = m.quality;
  auto reasons = [](const std::vector<data_quality_view::reason_rows>& rows) {
    json a = json::array();
    for (const auto& r : rows) a.push_back({{"reason", r.reason}, {"label", r.label}, {"rows", r.rows}});
    return a;
  };
  json rounded = json::array();
  for (const auto& r : q.rounded) rounded.push_back({{"measure", r.measure}, {"label", r.label}, {"values", r.values}});
  json quality{{"participations", q.participations}, {"persons_counted", q.persons_counted}};
  if (q.has_ingestion) {
    quality["ingestion"] = {{"rows_read", q.rows_read}, {"rows_accepted", q.rows_accepted},
                            {"rows_rejected", q.rows_rejected}, {"rejected", reasons(q.rejected)},
                            {"sources", q.sources}};
  } else {
    quality["ingestion"] = nullptr;
  }
  quality["state_rejected_total"] = q.state_rejected_total;
  quality["state_rejected"] = reasons(q.state_rejected);
  quality["rounded_values"] = rounded;
  j["data_quality"] = quality;
  j["analysis_notes"] = m.analysis_notes;

  out << j.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace jamstat::report
