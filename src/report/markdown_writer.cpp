#include "jamstat/report/markdown_writer.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "presentation.hpp"
#include "texts.hpp"

namespace jamstat::report {

namespace {

using detail::tr;

// A Markdown table cell: pipes escaped, line breaks flattened.
std::string cell(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    if (ch == '|') out += "\\|";
    else if (ch == '\n' || ch == '\r') out += ' ';
    else out += ch;
  }
  return out;
}

void table(std::ostream& out, const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
           std::size_t left_columns = 1) {
  out << '|';
  for (const std::string& h : header) out << ' ' << cell(h) << " |";
  out << "\n|";
  for (std::size_t i = 0; i < header.size(); ++i) out << (i < left_columns ? " --- |" : " ---: |");
  out << '\n';
  for (const auto& row : rows) {
    out << '|';
    for (const std::string& c : row) out << ' ' << cell(c) << " |";
    out << '\n';
  }
  out << '\n';
}

std::string column_heading(const statistic_column& c) {
  if (c.kind == value_kind::amount && !c.unit.empty()) return c.label + " (" + c.unit + ")";
  return c.label;
}

void write_table(std::ostream& out, const report_model& m, const report_table& t) {
  const language lang = m.lang;
  out << "### " << t.title << (t.period_label.empty() ? "" : ", " + t.period_label) << "\n\n";
  for (const std::size_t k : detail::key_statistics(t)) {
    const statistic_column& c = t.statistics[k];
    if (c.interval)
      out << "**" << column_heading(c) << "** (" << format_percent(100.0 * m.confidence_level, 0, lang)
          << tr(lang, " konfidensintervall)", " confidence interval)") << "\n\n";
    else
      out << "**" << column_heading(c) << "**\n\n";
    std::vector<std::string> header;
    for (const std::size_t d : t.dimensions) header.push_back(m.dimensions[d].label);
    if (header.empty()) header.push_back("");
    for (const sex_column& s : m.sexes) header.push_back(s.label);
    std::vector<std::vector<std::string>> rows;
    for (const table_row& r : t.rows) {
      std::vector<std::string> row = r.labels;
      if (row.empty()) row.push_back(std::string(detail::texts_for(lang).total));
      for (std::size_t s = 0; s < m.sexes.size(); ++s) row.push_back(detail::value_with_interval(r.values[s][k], c, lang));
      rows.push_back(std::move(row));
    }
    table(out, header, rows, t.dimensions.empty() ? 1 : t.dimensions.size());
  }
}

std::string estimate_text(const shown_value& v, value_kind kind, const std::string& unit, language lang) {
  std::string out = detail::shown_text(v, kind, detail::default_decimals(kind), lang, kind == value_kind::amount ? unit : "");
  const std::string ci = detail::interval_text(v, kind == value_kind::percent ? value_kind::amount : kind,
                                               detail::default_decimals(kind), lang);
  if (!ci.empty()) out += " (" + ci + ")";
  return out;
}

void write_findings(std::ostream& out, const report_model& m, const std::vector<report_finding>& findings) {
  const language lang = m.lang;
  std::vector<std::vector<std::string>> rows;
  std::size_t rank = 0;
  for (const report_finding& f : findings) {
    const bool change = f.period == analysis::finding_period::change;
    std::vector<std::string> row{std::to_string(++rank), f.what, f.grouping,
                                 f.adjusted ? f.adjusted_for : tr(lang, "ojusterad", "raw")};
    if (!change) {
      row.push_back(estimate_text(f.women, f.estimate_kind, f.estimate_unit, lang));
      row.push_back(estimate_text(f.men, f.estimate_kind, f.estimate_unit, lang));
    } else {
      row.push_back(detail::shown_text(f.gap_before, f.difference_kind, detail::default_decimals(f.difference_kind), lang, {}, true));
      row.push_back(detail::shown_text(f.gap_now, f.difference_kind, detail::default_decimals(f.difference_kind), lang, {}, true));
    }
    std::string diff = detail::shown_text(f.difference, f.difference_kind, detail::default_decimals(f.difference_kind), lang,
                                          f.difference_kind == value_kind::ratio ? "" : f.difference_unit,
                                          f.difference_kind != value_kind::ratio);
    const std::string ci = detail::interval_text(f.difference, f.difference_kind, detail::default_decimals(f.difference_kind), lang);
    if (!ci.empty()) diff += " (" + ci + ")";
    row.push_back(diff);
    row.push_back(is_suppressed(f.status) ? ".." : format_probability(f.q_value, lang));
    row.push_back(f.verdict);
    rows.push_back(std::move(row));
  }
  const bool change = !findings.empty() && findings.front().period == analysis::finding_period::change;
  std::vector<std::string> header{"#", tr(lang, "Jämförelse", "Comparison"), tr(lang, "Grupp", "Group"),
                                  tr(lang, "Justerad för", "Adjusted for")};
  if (change) {
    header.push_back(tr(lang, "Skillnad före", "Gap before"));
    header.push_back(tr(lang, "Skillnad nu", "Gap now"));
    header.push_back(tr(lang, "Förändring (KI)", "Change (CI)"));
  } else {
    header.push_back(m.sexes[0].label + tr(lang, " (KI)", " (CI)"));
    header.push_back(m.sexes[1].label + tr(lang, " (KI)", " (CI)"));
    header.push_back(tr(lang, "Skillnad (KI)", "Difference (CI)"));
  }
  header.push_back("q");
  header.push_back(tr(lang, "Bedömning", "Verdict"));
  table(out, header, rows, 4);
}

}  // namespace

void write_markdown(const report_model& m, std::ostream& out) {
  const language lang = m.lang;
  const detail::texts& t = detail::texts_for(lang);
  out << "# " << m.title << "\n\n";
  if (m.internal_use_only) out << "## " << t.internal_label << "\n\n" << t.internal_explanation << "\n\n";
  std::string sub = m.organisation;
  if (!m.period.empty()) sub += (sub.empty() ? "" : " · ") + tr(lang, "Period: ", "Period: ") + m.period;
  if (!sub.empty()) out << sub << "\n\n";

  out << "## " << tr(lang, "Skydd av uppgifter", "Protection of the figures") << "\n\n" << m.protection_note << "\n\n";

  out << "## " << tr(lang, "Tabeller", "Tables") << "\n\n";
  for (const report_table& tb : m.tables)
    if (tb.period == period_role::current) write_table(out, m, tb);

  std::vector<report_finding> current, previous;
  for (const report_finding& f : m.findings)
    (f.period == analysis::finding_period::previous ? previous : current).push_back(f);
  if (!current.empty()) {
    out << "## " << tr(lang, "Skillnader mellan kvinnor och män", "Differences between women and men") << "\n\n"
        << tr(lang, "Jämförelserna är ordnade efter hur tydlig skillnaden är (q-värde, Benjamini-Hochberg). En skillnad "
                    "räknas som tydlig när q är högst ",
              "Comparisons are ordered by how clear the difference is (q-value, Benjamini-Hochberg). A difference counts "
              "as clear when q is at most ")
        << format_number(m.significance_level, 2, lang) << ".\n\n";
    write_findings(out, m, current);
  }
  if (!m.changes.empty() || m.table("overview", period_role::previous) != nullptr) {
    out << "## " << tr(lang, "Förändring sedan föregående period", "Change since the previous period") << "\n\n";
    for (const report_table& tb : m.tables)
      if (tb.period == period_role::previous && tb.id == "overview") write_table(out, m, tb);
    if (!m.changes.empty()) write_findings(out, m, m.changes);
  }

  if (m.strata_heat_map || !m.maihda.empty() || m.decomposition) {
    out << "## " << tr(lang, "Intersektionellt perspektiv", "Intersectional perspective") << "\n\n";
  }
  if (m.strata_heat_map) {
    const heat_map& h = *m.strata_heat_map;
    out << "### " << h.title << "\n\n"
        << tr(lang, "Kvinnors andel minus mäns andel, procentenheter. Fetstil: tydlig skillnad.",
              "Women's share minus men's share, percentage points. Bold: a clear difference.")
        << "\n\n";
    std::vector<std::string> header{h.row_dimension};
    for (const std::string& c : h.column_labels) header.push_back(c);
    std::vector<std::vector<std::string>> rows;
    for (std::size_t r = 0; r < h.row_labels.size(); ++r) {
      std::vector<std::string> row{h.row_labels[r]};
      for (std::size_t c = 0; c < h.column_labels.size(); ++c) {
        const heat_cell& hc = h.cells[r * h.column_labels.size() + c];
        std::string text = hc.present ? detail::shown_text(hc.gap, value_kind::percentage_points, 1, lang, {}, true) : "";
        if (hc.clear) text = "**" + text + "**";
        row.push_back(text);
      }
      rows.push_back(std::move(row));
    }
    table(out, header, rows);
  }
  for (const maihda_view& v : m.maihda) {
    out << "### " << v.title << "\n\n";
    out << tr(lang, "Andel av variationen mellan grupperna (VPC), nollmodell: ", "Share of the variation between the groups (VPC), null model: ")
        << format_percent(100.0 * v.vpc_null, 1, lang) << tr(lang, "; med huvudeffekter: ", "; with main effects: ")
        << format_percent(100.0 * v.vpc_additive, 1, lang) << ". "
        << tr(lang, "Förklarat av huvudeffekterna (PCV): ", "Explained by the main effects (PCV): ")
        << format_percent(100.0 * v.pcv, 1, lang) << ".";
    if (!std::isnan(v.auc_null)) out << " AUC: " << format_number(v.auc_null, 3, lang) << ".";
    out << "\n\n";
    std::vector<std::vector<std::string>> rows;
    const value_kind kind = v.logistic ? value_kind::percent : value_kind::amount;
    for (const maihda_view::stratum& s : v.strata) {
      rows.push_back({s.label, detail::shown_text(s.participations, value_kind::count, 0, lang),
                      detail::shown_text(s.observed, kind, 1, lang),
                      estimate_text(s.predicted, kind, "", lang),
                      detail::shown_text(s.additive, kind, 1, lang),
                      detail::shown_text(s.interaction, v.logistic ? value_kind::percentage_points : value_kind::amount, 1, lang, {}, true) +
                          (s.flagged ? " **\u25C6**" : "")});
    }
    table(out, {tr(lang, "Grupp", "Group"), tr(lang, "Deltaganden", "Participations"), tr(lang, "Observerat", "Observed"),
                tr(lang, "Skattat (KI)", "Predicted (CI)"), tr(lang, "Enligt huvudeffekter", "By main effects"),
                tr(lang, "Interaktion", "Interaction")},
          rows);
    out << tr(lang, "\u25C6 = en intersektion som huvudeffekterna inte förklarar (intervallet utesluter 0).",
              "\u25C6 = an intersection the main effects do not explain (the interval excludes 0).")
        << "\n\n";
  }
  if (m.decomposition) {
    const decomposition_view& d = *m.decomposition;
    out << "### " << d.title << "\n\n";
    const value_kind k = d.kind;
    std::vector<std::vector<std::string>> rows{
        {tr(lang, "Skillnad", "Gap") + " (" + d.first_group + " \u2212 " + d.second_group + ")", estimate_text(d.gap, k, "", lang)},
        {tr(lang, "Förklarad av egenskaper", "Explained by characteristics"), estimate_text(d.explained, k, "", lang)},
        {tr(lang, "Oförklarad", "Unexplained"), estimate_text(d.unexplained, k, "", lang)}};
    for (const auto& p : d.characteristics)
      rows.push_back({tr(lang, "  varav förklarat av ", "  of which explained by ") + detail::lower_first(p.label),
                      estimate_text(p.explained, k, "", lang)});
    table(out, {"", d.unit + tr(lang, " (KI)", " (CI)")}, rows);
  }

  const data_quality_view& q = m.quality;
  out << "## " << tr(lang, "Datakvalitet", "Data quality") << "\n\n";
  std::vector<std::vector<std::string>> rows;
  if (q.has_ingestion) {
    rows.push_back({tr(lang, "Rader lästa", "Rows read"), format_count(q.rows_read, lang)});
    rows.push_back({tr(lang, "Rader godkända", "Rows accepted"), format_count(q.rows_accepted, lang)});
    rows.push_back({tr(lang, "Rader avvisade", "Rows rejected"), format_count(q.rows_rejected, lang)});
    for (const auto& r : q.rejected) rows.push_back({"  " + r.label, format_count(r.rows, lang)});
  }
  rows.push_back({tr(lang, "Deltaganden i tillståndet", "Participations in the state"), format_count(q.participations, lang)});
  for (const auto& r : q.state_rejected)
    rows.push_back({tr(lang, "Avvisade i tillståndet: ", "Rejected in the state: ") + r.label, format_count(r.rows, lang)});
  for (const auto& r : q.rounded)
    rows.push_back({tr(lang, "Avrundade värden: ", "Rounded values: ") + r.label, format_count(r.values, lang)});
  table(out, {"", tr(lang, "Antal", "Number")}, rows);
  if (!m.analysis_notes.empty()) {
    out << "### " << tr(lang, "Om analyserna", "About the analyses") << "\n\n";
    for (const std::string& note : m.analysis_notes) out << "- " << note << "\n";
    out << "\n";
  }

  out << "## " << tr(lang, "Teckenförklaring", "Symbols") << "\n\n";
  out << "- " << t.suppressed_note << "\n- " << t.not_computable_note << "\n";
  if (m.any_perturbed) out << "- " << t.perturbed_note << "\n";
  out << "\n";
}

}  // namespace jamstat::report
