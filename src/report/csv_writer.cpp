#include "jamstat/report/csv_writer.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "jamstat/report/number_format.hpp"
#include "presentation.hpp"
#include "texts.hpp"

namespace jamstat::report {

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

// One CSV line at a time, fields quoted where RFC 4180 needs it.
class csv_out {
 public:
  csv_out(std::ostream& out, const csv_options& options)
      : out_(out), separator_(options.dialect == csv_dialect::excel_sv ? ';' : ','),
        comma_(options.dialect == csv_dialect::excel_sv) {
    if (options.byte_order_mark) out_ << "\xEF\xBB\xBF";
  }
  void field(std::string_view text) {
    if (!first_) out_ << separator_;
    first_ = false;
    const bool quote = text.find_first_of(std::string{separator_, '"', '\r', '\n'}) != std::string_view::npos ||
                       (!text.empty() && (text.front() == ' ' || text.back() == ' '));
    if (!quote) {
      out_ << text;
      return;
    }
    out_ << '"';
    for (const char ch : text) {
      if (ch == '"') out_ << '"';
      out_ << ch;
    }
    out_ << '"';
  }
  void number(double value) { field(exact_number(value, comma_)); }
  void count(std::uint64_t value) { field(std::to_string(value)); }
  void end() {
    out_ << "\r\n";
    first_ = true;
  }

 private:
  std::ostream& out_;
  char separator_;
  bool comma_;
  bool first_ = true;
};

// The columns after the dimensions' (table, period and grouping come first).
constexpr const char* fixed_columns[] = {"sex",   "statistic", "label",  "value",
                                         "lower", "upper",     "unit",   "status", "internal_use_only"};

// A dimension's column: its name, or "<name>_dimension" when the name is one of the fixed columns
// (a dimension called "unit" or "period" must not make two columns of one name).
std::string dimension_column(const std::string& name) {
  for (const char* fixed : {"table", "period", "grouping"})
    if (name == fixed) return name + "_dimension";
  for (const char* fixed : fixed_columns)
    if (name == fixed) return name + "_dimension";
  return name;
}

std::string_view period_name(period_role p) { return p == period_role::previous ? "previous" : "current"; }

// The columns of report.csv.
class tidy_writer {
 public:
  tidy_writer(const report_model& m, csv_out& csv) : m_(m), csv_(csv) {
    csv_.field("table");
    csv_.field("period");
    csv_.field("grouping");
    for (std::size_t d = 1; d < m_.dimensions.size(); ++d) csv_.field(dimension_column(m_.dimensions[d].name));
    for (const char* h : fixed_columns) csv_.field(h);
    csv_.end();
  }

  // `levels`: a label per schema dimension (index 0 = sex), the total label where not grouped.
  void row(std::string_view table, std::string_view period, std::string_view grouping,
           const std::vector<std::string>& levels, std::string_view statistic, std::string_view label,
           const shown_value& v, std::string_view unit) {
    csv_.field(table);
    csv_.field(period);
    csv_.field(grouping);
    for (std::size_t d = 1; d < levels.size(); ++d) csv_.field(levels[d]);
    csv_.field(levels[0]);
    csv_.field(statistic);
    csv_.field(label);
    const bool hidden = is_suppressed(v.status);
    csv_.number(hidden ? nan_value : v.value);
    csv_.number(hidden ? nan_value : v.lower);
    csv_.number(hidden ? nan_value : v.upper);
    csv_.field(unit);
    csv_.field(to_string(v.status));
    csv_.field(m_.internal_use_only ? "true" : "false");
    csv_.end();
  }

  std::vector<std::string> all_total() const {
    return std::vector<std::string>(m_.dimensions.size(), std::string(detail::texts_for(m_.lang).total));
  }

 private:
  const report_model& m_;
  csv_out& csv_;
};

std::string plain(value_kind k, const std::string& unit) {
  if (k == value_kind::percent) return "%";
  return unit;
}

}  // namespace

void write_csv(const report_model& m, std::ostream& out, const csv_options& options) {
  csv_out csv(out, options);
  tidy_writer w(m, csv);
  const std::string women_minus_men = m.sexes[0].label + " \u2212 " + m.sexes[1].label;

  for (const report_table& t : m.tables) {
    for (const table_row& row : t.rows) {
      for (std::size_t s = 0; s < m.sexes.size(); ++s) {
        std::vector<std::string> levels = w.all_total();
        levels[0] = m.sexes[s].label;
        if (!row.total)
          for (std::size_t k = 0; k < t.dimensions.size(); ++k) levels[t.dimensions[k]] = row.labels[k];
        const std::string grouping =
            detail::grouping_name(m, row.total ? std::vector<std::size_t>{} : t.dimensions, m.sexes[s].code != all_sexes);
        for (std::size_t k = 0; k < t.statistics.size(); ++k)
          w.row(t.id, period_name(t.period), grouping, levels, t.statistics[k].id, t.statistics[k].label,
                row.values[s][k], plain(t.statistics[k].kind, t.statistics[k].unit));
      }
    }
  }

  if (m.strata_heat_map) {
    const heat_map& h = *m.strata_heat_map;
    const std::string grouping = detail::grouping_name(m, h.dimensions, true);
    for (const heat_cell& cell : h.cells) {
      if (!cell.present) continue;
      std::vector<std::string> levels = w.all_total();
      for (std::size_t k = 0; k < h.dimensions.size() && k < cell.levels.size(); ++k)
        levels[h.dimensions[k]] = m.dimensions[h.dimensions[k]].levels[cell.levels[k]];
      std::vector<std::string> women = levels, men = levels, both = levels;
      women[0] = m.sexes[0].label;
      men[0] = m.sexes[1].label;
      both[0] = women_minus_men;
      w.row("strata_gaps", "current", grouping, women, h.subject_name + ".proportion", h.subject, cell.women, "%");
      w.row("strata_gaps", "current", grouping, men, h.subject_name + ".proportion", h.subject, cell.men, "%");
      w.row("strata_gaps", "current", grouping, both, h.subject_name + ".difference", h.subject, cell.gap,
            "percentage_points");
      shown_value q{cell.q_value, nan_value, nan_value, cell.gap.status};
      w.row("strata_gaps", "current", grouping, both, h.subject_name + ".q_value", "q", q, "");
    }
  }

  for (const maihda_view& v : m.maihda) {
    const std::string table = "maihda." + v.subject_name;
    const bool sex_kept = !v.dimension_indices.empty() && v.dimension_indices[0] == 0;
    const std::string grouping = detail::grouping_name(m, v.dimension_indices, sex_kept);
    for (const maihda_view::stratum& s : v.strata) {
      std::vector<std::string> levels = w.all_total();
      for (std::size_t k = 0; k < v.dimension_indices.size() && k < s.levels.size(); ++k)
        levels[v.dimension_indices[k]] = m.dimensions[v.dimension_indices[k]].levels[s.levels[k]];
      const std::string unit = v.logistic ? "%" : v.unit;
      const std::string diff_unit = v.logistic ? "percentage_points" : v.unit;
      w.row(table, "current", grouping, levels, "participations", "participations", s.participations, "");
      w.row(table, "current", grouping, levels, "observed", "observed", s.observed, unit);
      w.row(table, "current", grouping, levels, "predicted", "null model, shrunken", s.predicted, unit);
      w.row(table, "current", grouping, levels, "additive", "additive main effects", s.additive, unit);
      w.row(table, "current", grouping, levels, "interaction", "additive model minus main effects", s.interaction,
            diff_unit);
      shown_value flagged{s.flagged ? 1.0 : 0.0, nan_value, nan_value, s.status};
      w.row(table, "current", grouping, levels, "flagged", "interval excludes 0", flagged, "");
    }
    std::vector<std::string> levels = w.all_total();
    const cell_status summary = m.internal_use_only ? cell_status::internal : cell_status::published;
    for (const auto& [id, value] : {std::pair<const char*, double>{"vpc_null", v.vpc_null}, {"vpc_additive", v.vpc_additive},
                                   {"pcv", v.pcv}, {"auc_null", v.auc_null}, {"auc_additive", v.auc_additive},
                                   {"between_variance_null", v.between_variance_null},
                                   {"between_variance_additive", v.between_variance_additive}}) {
      if (std::isnan(value) && std::string_view(id).starts_with("auc")) continue;
      w.row(table, "current", "total", levels, id, id, shown_value{value, nan_value, nan_value, summary}, "");
    }
  }

  if (m.decomposition) {
    const decomposition_view& d = *m.decomposition;
    std::vector<std::string> levels = w.all_total();
    levels[0] = d.first_group + " \u2212 " + d.second_group;
    const std::string unit = d.kind == value_kind::percentage_points ? "percentage_points" : d.unit;
    const std::string table = "decomposition." + d.subject_name;
    std::vector<std::string> first = w.all_total(), second = w.all_total();
    first[0] = d.first_group;
    second[0] = d.second_group;
    const std::string mean_unit = d.kind == value_kind::percentage_points ? "%" : d.unit;
    w.row(table, "current", "sex", first, "mean", d.subject, d.first_mean, mean_unit);
    w.row(table, "current", "sex", second, "mean", d.subject, d.second_mean, mean_unit);
    w.row(table, "current", "sex", levels, "gap", "gap", d.gap, unit);
    w.row(table, "current", "sex", levels, "explained", "explained", d.explained, unit);
    w.row(table, "current", "sex", levels, "unexplained", "unexplained", d.unexplained, unit);
    for (const decomposition_view::part& p : d.characteristics) {
      w.row(table, "current", "sex", levels, "explained." + p.label, p.label, p.explained, unit);
      w.row(table, "current", "sex", levels, "unexplained." + p.label, p.label, p.unexplained, unit);
    }
  }

  const data_quality_view& q = m.quality;
  const std::vector<std::string> all = w.all_total();
  const cell_status plain_status = m.internal_use_only ? cell_status::internal : cell_status::published;
  auto count_row = [&](const std::string& id, const std::string& label, std::uint64_t n) {
    w.row("data_quality", "current", "total", all, id, label,
          shown_value{static_cast<double>(n), nan_value, nan_value, plain_status}, "");
  };
  if (q.has_ingestion) {
    count_row("rows_read", "rows_read", q.rows_read);
    count_row("rows_accepted", "rows_accepted", q.rows_accepted);
    count_row("rows_rejected", "rows_rejected", q.rows_rejected);
    for (const auto& r : q.rejected) count_row("rows_rejected." + r.reason, r.label, r.rows);
  }
  count_row("participations_in_state", "participations_in_state", q.participations);
  for (const auto& r : q.state_rejected) count_row("state_rejected." + r.reason, r.label, r.rows);
  for (const auto& r : q.rounded) count_row("rounded_values." + r.measure, r.label, r.values);
}

void write_findings_csv(const report_model& m, std::ostream& out, const csv_options& options) {
  csv_out csv(out, options);
  for (const char* h : {"rank", "period", "period_label", "kind", "what", "grouping", "adjusted", "adjusted_for",
                        "women", "women_lower", "women_upper", "men", "men_lower", "men_upper", "estimate_unit",
                        "difference", "difference_lower", "difference_upper", "difference_unit", "p_value", "q_value",
                        "clear", "persons", "status", "verdict", "internal_use_only"})
    csv.field(h);
  csv.end();
  static constexpr const char* kinds[] = {"participation_rate", "participation_share", "outcome", "distribution",
                                          "distribution_level", "measure_mean", "measure_per_person", "resource_share"};
  static constexpr const char* periods[] = {"current", "previous", "change"};
  std::size_t rank = 0;
  for (const std::vector<report_finding>* list : {&m.findings, &m.changes}) {
    for (const report_finding& f : *list) {
      csv.count(++rank);
      csv.field(periods[static_cast<int>(f.period)]);
      csv.field(f.period_label);
      csv.field(kinds[static_cast<int>(f.kind)]);
      csv.field(f.what);
      csv.field(f.grouping);
      csv.field(f.adjusted ? "true" : "false");
      csv.field(f.adjusted_for);
      for (const shown_value* v : {&f.women, &f.men}) {
        csv.number(v->value);
        csv.number(v->lower);
        csv.number(v->upper);
      }
      csv.field(f.estimate_kind == value_kind::percent ? "%" : f.estimate_unit);
      csv.number(f.difference.value);
      csv.number(f.difference.lower);
      csv.number(f.difference.upper);
      csv.field(f.difference_kind == value_kind::percentage_points ? "percentage_points"
                : f.difference_kind == value_kind::ratio           ? "ratio"
                                                                   : f.difference_unit);
      csv.number(f.p_value);
      csv.number(f.q_value);
      csv.field(f.clear ? "true" : "false");
      if (is_suppressed(f.status)) csv.field("");
      else csv.count(f.persons);
      csv.field(to_string(f.status));
      csv.field(f.verdict);
      csv.field(m.internal_use_only ? "true" : "false");
      csv.end();
    }
  }
}

}  // namespace jamstat::report
