#include "jamstat/report/html_writer.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "presentation.hpp"
#include "svg_charts.hpp"
#include "texts.hpp"

namespace jamstat::report {

namespace {

using detail::chart_series;
using detail::chart_spec;
using detail::escape;
using detail::tr;

constexpr std::string_view style = R"css(
:root{--w:#D55E00;--m:#0072B2;--ink:#1b1b1b;--muted:#595959;--line:#dcdcdc;--soft:#f5f6f8}
*{box-sizing:border-box}
body{margin:0;font-family:"DejaVu Sans","Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:#fff;line-height:1.45;font-size:15px}
.wrap{max-width:980px;margin:0 auto;padding:22px 28px 48px}
.internal{background:#fff4ce;border:3px solid #a4001d;color:#6d0013;padding:12px 16px;margin:0 0 16px;font-size:17px}
.internal strong{font-size:20px;letter-spacing:.02em;text-transform:uppercase;display:block}
header h1{font-size:30px;margin:6px 0 2px;line-height:1.2}
.meta{color:var(--muted);margin:0 0 14px}
nav{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 14px;margin:12px 0 8px;font-size:14px}
nav ol{margin:4px 0;padding-left:20px;columns:2;column-gap:32px}
a{color:#005a8c}
h2{font-size:22px;margin:38px 0 10px;padding-bottom:5px;border-bottom:2px solid var(--ink)}
h3{font-size:17px;margin:24px 0 6px}
p{margin:6px 0 10px;max-width:72ch}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(210px,1fr));gap:12px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 14px;background:var(--soft)}
.card .k{font-size:13px;color:var(--muted);margin-bottom:4px}
.card .pair{display:flex;gap:16px;align-items:baseline}
.card .v{font-size:21px;font-weight:700}
.card .s{font-size:12px;color:var(--muted)}
.w{color:var(--w)} .m{color:var(--m)}
.key{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
table{border-collapse:collapse;width:100%;font-size:13.5px;margin:6px 0 18px}
caption{text-align:left;font-weight:700;padding:2px 0 6px;caption-side:top;font-size:14px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:right;vertical-align:top}
th[scope=row],td.l,th.l{text-align:left}
thead th{border-bottom:2px solid #8a8a8a;font-weight:600;background:#fafafa;vertical-align:bottom}
tr.total th,tr.total td{font-weight:700;border-top:2px solid #8a8a8a}
.ci{display:block;color:var(--muted);font-size:11.5px;white-space:nowrap;font-weight:400}
.sup{color:#6b6b6b}
figure{margin:8px 0 16px}
figcaption{font-size:13px;color:var(--muted);margin-top:2px}
svg.chart{max-width:100%;height:auto;font-family:inherit;display:block}
svg .cat{font-size:13px;text-anchor:end;fill:#222}
svg .em{font-weight:700}
svg .tick{font-size:11px;text-anchor:middle;fill:#595959}
svg .grid{stroke:#e4e4e4}
svg .zero{stroke:#666}
svg .val{font-size:12px;fill:#222}
svg .na{font-size:12px;fill:#6b6b6b}
svg .ci{stroke-width:1.6}
svg .lg{font-size:13px;fill:#222}
svg .band{fill:#f7f7f7}
svg .axis{font-size:12px;text-anchor:end;fill:#595959}
svg .colh{font-size:12px;text-anchor:middle;fill:#222}
svg .hd{font-size:13px;font-weight:700;text-anchor:middle}
svg .hv{font-size:13px;text-anchor:middle;fill:#111}
svg .inv{fill:#fff}
svg .lgs{font-size:12px;fill:#444}
svg .lgs.end{text-anchor:end}
.finding{border-left:5px solid #c9c9c9;padding:8px 12px;margin:10px 0;background:var(--soft);border-radius:0 6px 6px 0}
.finding.clear{border-left-color:#1b1b1b}
.finding.suppressed{border-left-style:dashed}
.finding p{margin:2px 0 4px;max-width:none}
.finding .facts{font-size:13px;color:var(--muted)}
.tag{display:inline-block;font-size:11.5px;padding:1px 8px;border-radius:10px;background:#e6e6e6;margin:0 6px 2px 0}
.tag.adj{background:#d7efe5}
.tag.clear{background:#1b1b1b;color:#fff}
.note{font-size:13px;color:var(--muted)}
dl.symbols{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;font-size:14px}
dl.symbols dt{font-weight:700;font-family:"DejaVu Sans Mono",monospace}
dl.symbols dd{margin:0}
footer{margin-top:40px;font-size:12.5px;color:var(--muted);border-top:1px solid var(--line);padding-top:10px}
@media print{nav{display:none} h2{break-after:avoid} figure,table{break-inside:avoid}}
)css";

// A table cell with a value and, below it, its interval.
std::string value_cell(const shown_value& v, const statistic_column& c, language lang) {
  std::string text = detail::shown_text(v, c.kind, c.decimals, lang, c.kind == value_kind::amount ? "" : c.unit);
  std::string out = "<td" + std::string(is_suppressed(v.status) ? " class=\"sup\"" : "") + ">" + escape(text);
  if (c.interval) {
    const std::string ci = detail::interval_text(v, c.kind == value_kind::percent ? value_kind::amount : c.kind, c.decimals, lang);
    if (!ci.empty()) out += "<span class=\"ci\">" + escape(ci) + "</span>";
  }
  return out + "</td>";
}

std::string confidence_text(const report_model& m) {
  return format_percent(100.0 * m.confidence_level, 0, m.lang);
}

class page {
 public:
  explicit page(const report_model& m) : m_(m), lang_(m.lang), t_(detail::texts_for(m.lang)) {}

  std::string render() {
    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"" << (lang_ == language::en ? "en" : "sv") << "\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
      << escape((m_.internal_use_only ? std::string(t_.internal_label) + ": " : std::string()) + m_.title)
      << "</title>\n<style>" << style << "</style>\n</head>\n<body>\n<div class=\"wrap\">\n";
    header(o);
    nav(o);
    o << "<main>\n";
    summary(o);
    participants(o);
    results(o);
    resources(o);
    findings(o);
    change(o);
    intersectional(o);
    tables(o);
    quality(o);
    protection(o);
    o << "</main>\n<footer>" << escape(m_.title);
    if (!m_.organisation.empty()) o << " · " << escape(m_.organisation);
    o << " · " << escape(tr(lang_, "Framtagen med jamstat", "Produced with jamstat"));
    if (m_.internal_use_only) o << " · <strong>" << escape(t_.internal_label) << "</strong>";
    o << "</footer>\n</div>\n</body>\n</html>\n";
    return o.str();
  }

 private:
  // Sections in the order of the page, with their anchors.
  struct section_ref {
    std::string id, title;
  };

  bool has_findings() const { return !m_.findings.empty(); }
  bool has_change() const { return !m_.changes.empty() || m_.table("overview", period_role::previous) != nullptr; }
  bool has_intersectional() const { return m_.strata_heat_map || !m_.maihda.empty() || m_.decomposition; }
  const report_table* chart_table() const {
    return m_.chart_dimension == 0 ? nullptr : m_.table("by_" + m_.dimensions[m_.chart_dimension].name);
  }
  std::string chart_dimension_label() const {
    return m_.chart_dimension == 0 ? std::string() : detail::lower_first(m_.dimensions[m_.chart_dimension].label);
  }

  std::vector<section_ref> sections() const {
    std::vector<section_ref> s{{"sammanfattning", tr(lang_, "Sammanfattning", "Summary")},
                               {"deltagare", tr(lang_, "Deltagare", "Participants")},
                               {"resultat", tr(lang_, "Resultat", "Results")},
                               {"resurser", tr(lang_, "Resurser", "Resources")}};
    if (has_findings()) s.push_back({"skillnader", tr(lang_, "Skillnader mellan kvinnor och män", "Differences between women and men")});
    if (has_change())
      s.push_back({"forandring", tr(lang_, "Förändring sedan ", "Change since ") +
                                     (m_.previous_period.empty() ? tr(lang_, "föregående period", "the previous period") : m_.previous_period)});
    if (has_intersectional()) s.push_back({"intersektionellt", tr(lang_, "Intersektionellt perspektiv", "Intersectional perspective")});
    s.push_back({"tabeller", tr(lang_, "Tabeller", "Tables")});
    s.push_back({"datakvalitet", tr(lang_, "Datakvalitet", "Data quality")});
    s.push_back({"skydd", tr(lang_, "Skydd av uppgifter", "Protection of the figures")});
    return s;
  }
  std::string title_of(const std::string& id) const {
    for (const section_ref& s : sections())
      if (s.id == id) return s.title;
    return id;
  }
  void open_section(std::ostream& o, const std::string& id) const {
    o << "<section id=\"" << id << "\" aria-labelledby=\"" << id << "-h\">\n<h2 id=\"" << id << "-h\">" << escape(title_of(id))
      << "</h2>\n";
  }

  void header(std::ostream& o) const {
    o << "<header>\n";
    if (m_.internal_use_only)
      o << "<div class=\"internal\" role=\"note\"><strong>" << escape(t_.internal_label) << "</strong>"
        << escape(t_.internal_explanation) << "</div>\n";
    o << "<h1>" << escape(m_.title) << "</h1>\n";
    std::string meta = m_.organisation;
    if (!m_.period.empty()) meta += (meta.empty() ? "" : " · ") + tr(lang_, "Period ", "Period ") + m_.period;
    if (!m_.previous_period.empty() && has_change())
      meta += tr(lang_, " (jämförs med ", " (compared with ") + m_.previous_period + ")";
    if (!meta.empty()) o << "<p class=\"meta\">" << escape(meta) << "</p>\n";
    o << "</header>\n";
  }

  void nav(std::ostream& o) const {
    o << "<nav aria-label=\"" << escape(tr(lang_, "Innehåll", "Contents")) << "\"><strong>" << escape(tr(lang_, "Innehåll", "Contents"))
      << "</strong><ol>";
    for (const section_ref& s : sections()) o << "<li><a href=\"#" << s.id << "\">" << escape(s.title) << "</a></li>";
    o << "</ol></nav>\n";
  }

  // The overview's value of statistic `id` for sex column `s`.
  const shown_value* overview_value(const std::string& id, std::size_t s, period_role p = period_role::current) const {
    const report_table* t = m_.table("overview", p);
    if (t == nullptr || t->rows.empty()) return nullptr;
    for (std::size_t k = 0; k < t->statistics.size(); ++k)
      if (t->statistics[k].id == id) return &t->rows.back().values[s][k];
    return nullptr;
  }
  const statistic_column* overview_column(const std::string& id) const {
    const report_table* t = m_.table("overview");
    if (t == nullptr) return nullptr;
    for (const statistic_column& c : t->statistics)
      if (c.id == id) return &c;
    return nullptr;
  }
  std::size_t total_column() const { return m_.sexes.size() - 1; }

  void card(std::ostream& o, const std::string& id) const {
    const statistic_column* c = overview_column(id);
    if (c == nullptr) return;
    o << "<div class=\"card\"><div class=\"k\">" << escape(c->label) << (c->kind == value_kind::amount && !c->unit.empty() ? " (" + escape(c->unit) + ")" : "")
      << "</div><div class=\"pair\">";
    for (std::size_t s = 0; s < 2; ++s) {
      const shown_value* v = overview_value(id, s);
      o << "<div><div class=\"v " << (s == 0 ? "w" : "m") << "\">" << escape(detail::shown_text(*v, c->kind, c->decimals, lang_))
        << "</div><div class=\"s\">" << escape(m_.sexes[s].label) << "</div></div>";
    }
    const shown_value* all = overview_value(id, total_column());
    o << "<div><div class=\"v\">" << escape(detail::shown_text(*all, c->kind, c->decimals, lang_)) << "</div><div class=\"s\">"
      << escape(m_.sexes[total_column()].label) << "</div></div></div></div>\n";
  }

  void summary(std::ostream& o) const {
    open_section(o, "sammanfattning");
    o << "<div class=\"cards\">\n";
    card(o, m_.persons_counted ? "persons" : "participations");
    for (const subject_text& x : m_.outcomes) card(o, x.name + ".proportion");
    for (const subject_text& x : m_.measures) card(o, x.name + ".mean");
    o << "</div>\n";
    // The clearest differences for all participants, in plain language.
    std::vector<const report_finding*> top;
    for (const report_finding& f : m_.findings)
      if (f.period == analysis::finding_period::current && f.grouping_dimension < 0 && f.clear && top.size() < 4) top.push_back(&f);
    if (!top.empty()) {
      o << "<h3>" << escape(tr(lang_, "Tydligaste skillnaderna", "The clearest differences")) << "</h3>\n<ul>\n";
      for (const report_finding* f : top) o << "<li>" << escape(f->verdict) << "</li>\n";
      o << "</ul>\n";
    } else if (has_findings()) {
      o << "<p>" << escape(tr(lang_, "Ingen tydlig skillnad mellan kvinnor och män bland samtliga deltagare.",
                              "No clear difference between women and men among all participants.")) << "</p>\n";
    }
    o << "<p class=\"note\">" << escape(m_.protection_note) << "</p>\n</section>\n";
  }

  // Women and men (and the other codes, in the tables) of one statistic over the chart dimension.
  chart_spec sex_chart(const report_table& t, std::size_t k, const std::string& id, const std::string& title,
                       const std::string& description) const {
    const statistic_column& c = t.statistics[k];
    chart_spec s;
    s.id = id;
    s.title = title;
    s.description = description;
    s.kind = c.kind;
    s.decimals = c.decimals;
    s.unit = c.unit;
    s.lang = lang_;
    chart_series women{m_.sexes[0].label, detail::palette::women, 'o', {}};
    chart_series men{m_.sexes[1].label, detail::palette::men, 's', {}};
    // The total row first, emphasised: the comparison everything else is read against.
    std::vector<std::size_t> order;
    order.push_back(t.rows.size() - 1);
    for (std::size_t r = 0; r + 1 < t.rows.size(); ++r) order.push_back(r);
    for (const std::size_t r : order) {
      const table_row& row = t.rows[r];
      s.categories.push_back(row.total ? tr(lang_, "Samtliga", "All") : row.labels[0]);
      s.emphasised.push_back(row.total);
      women.values.push_back(row.values[0][k]);
      men.values.push_back(row.values[1][k]);
    }
    s.series = {women, men};
    return s;
  }

  std::size_t column_index(const report_table& t, const std::string& id) const {
    for (std::size_t k = 0; k < t.statistics.size(); ++k)
      if (t.statistics[k].id == id) return k;
    return t.statistics.size();
  }

  // A table of statistics `columns` by the table's rows, one column per sex (and an extra women's
  // share column for counts).
  void sex_table(std::ostream& o, const report_table& t, const std::vector<std::size_t>& columns, const std::string& caption,
                 bool women_share = false) const {
    o << "<table>\n<caption>" << escape(caption) << "</caption>\n<thead><tr><th scope=\"col\" class=\"l\">";
    for (std::size_t i = 0; i < t.dimensions.size(); ++i) o << (i ? " · " : "") << escape(m_.dimensions[t.dimensions[i]].label);
    o << "</th>";
    const bool several = columns.size() > 1;
    for (const std::size_t k : columns)
      for (const sex_column& s : m_.sexes)
        o << "<th scope=\"col\">" << escape(s.label)
          << (several ? "<span class=\"ci\">" + escape(t.statistics[k].label) + "</span>" : "") << "</th>";
    if (women_share) o << "<th scope=\"col\">" << escape(tr(lang_, "Andel kvinnor", "Share women")) << "</th>";
    o << "</tr></thead>\n<tbody>\n";
    for (const table_row& r : t.rows) {
      o << "<tr" << (r.total ? " class=\"total\"" : "") << "><th scope=\"row\" class=\"l\">";
      if (r.total) o << escape(t_.total);
      else
        for (std::size_t i = 0; i < r.labels.size(); ++i) o << (i ? " · " : "") << escape(r.labels[i]);
      o << "</th>";
      for (const std::size_t k : columns)
        for (std::size_t s = 0; s < m_.sexes.size(); ++s) o << value_cell(r.values[s][k], t.statistics[k], lang_);
      if (women_share) {
        const shown_value& w = r.values[0][columns[0]];
        const shown_value& m = r.values[1][columns[0]];
        shown_value share;
        share.status = combine(w.status, m.status);
        if (!is_suppressed(share.status) && w.value + m.value > 0) share.value = 100.0 * w.value / (w.value + m.value);
        o << "<td" << (is_suppressed(share.status) ? " class=\"sup\"" : "") << ">"
          << escape(detail::shown_text(share, value_kind::percent, 1, lang_)) << "</td>";
      }
      o << "</tr>\n";
    }
    o << "</tbody></table>\n";
  }

  void participants(std::ostream& o) {
    open_section(o, "deltagare");
    const report_table* t = chart_table();
    const std::string count_id = m_.persons_counted ? "persons" : "participations";
    if (t != nullptr) {
      const std::size_t k = column_index(*t, count_id);
      const std::string what = m_.persons_counted ? tr(lang_, "Personer", "Persons") : tr(lang_, "Deltaganden", "Participations");
      o << "<p>" << escape(what + tr(lang_, " efter kön och ", " by sex and ") + chart_dimension_label() + ".") << ' '
        << escape(m_.persons_counted ? tr(lang_, "En person räknas en gång per rad även om hon eller han deltagit flera gånger.",
                                          "A person counts once per row even with several participations.")
                                     : "")
        << "</p>\n<figure>" << detail::horizontal_chart(sex_chart(*t, k, "chart-participants", what + tr(lang_, " efter kön och ", " by sex and ") + chart_dimension_label(),
                                                                 tr(lang_, "Liggande staplar: kvinnor och män per ", "Horizontal bars: women and men per ") + chart_dimension_label()))
        << "<figcaption>" << escape(tr(lang_, "Övriga könskoder (okänt, ej tillämpligt) redovisas i tabellen.",
                                       "The other sex codes (not known, not applicable) are shown in the table."))
        << "</figcaption></figure>\n";
      sex_table(o, *t, {k}, what + tr(lang_, " efter kön och ", " by sex and ") + chart_dimension_label(), true);
    }
    const report_table* overview = m_.table("overview");
    if (overview != nullptr) {
      std::vector<std::size_t> counts;
      for (std::size_t k = 0; k < overview->statistics.size(); ++k)
        if (overview->statistics[k].kind == value_kind::count && overview->statistics[k].family == statistic_family::count)
          counts.push_back(k);
      sex_table(o, *overview, counts, tr(lang_, "Personer och deltaganden efter kön", "Persons and participations by sex"));
    }
    o << "</section>\n";
  }

  void results(std::ostream& o) {
    open_section(o, "resultat");
    const report_table* t = chart_table();
    for (std::size_t i = 0; i < m_.outcomes.size(); ++i) {
      const subject_text& x = m_.outcomes[i];
      o << "<h3>" << escape(x.label) << "</h3>\n";
      if (t == nullptr) continue;
      const std::size_t k = column_index(*t, x.name + ".proportion");
      chart_spec s = sex_chart(*t, k, "chart-outcome-" + std::to_string(i),
                               x.label + tr(lang_, ", andel efter kön och ", ", share by sex and ") + chart_dimension_label(),
                               tr(lang_, "Punkter med ", "Dots with ") + confidence_text(m_) +
                                   tr(lang_, " konfidensintervall (Wilson) för kvinnor och män per ", " confidence intervals (Wilson) for women and men per ") +
                                   chart_dimension_label());
      s.dots = true;
      s.value_labels = false;
      s.axis_min = 0.0;
      s.axis_max = 100.0;
      s.axis_label = tr(lang_, "procent", "percent");
      o << "<p>" << escape(tr(lang_, "Andel av deltagandena med utfallet, med ", "Share of participations with the outcome, with ") + confidence_text(m_) +
                           tr(lang_, " konfidensintervall. Cirkel: kvinnor, kvadrat: män.", " confidence intervals. Circle: women, square: men."))
        << "</p>\n<figure>" << detail::horizontal_chart(s) << "</figure>\n";
      sex_table(o, *t, {k}, x.label + tr(lang_, ", andel (", ", share (") + confidence_text(m_) + tr(lang_, " konfidensintervall)", " confidence interval)"));
    }
    o << "</section>\n";
  }

  void resources(std::ostream& o) {
    open_section(o, "resurser");
    const report_table* t = chart_table();
    for (std::size_t i = 0; i < m_.measures.size(); ++i) {
      const subject_text& x = m_.measures[i];
      o << "<h3>" << escape(x.label) << "</h3>\n";
      if (t == nullptr) continue;
      const std::size_t k = column_index(*t, x.name + ".mean");
      chart_spec s = sex_chart(*t, k, "chart-measure-" + std::to_string(i),
                               x.label + tr(lang_, " per deltagande efter kön och ", " per participation by sex and ") + chart_dimension_label(),
                               tr(lang_, "Liggande staplar med konfidensintervall: medelvärde per deltagande för kvinnor och män per ",
                                  "Horizontal bars with confidence intervals: mean per participation for women and men per ") +
                                   chart_dimension_label());
      s.whiskers = true;
      s.axis_label = x.unit;
      o << "<p>" << escape(tr(lang_, "Medelvärde per deltagande med ", "Mean per participation with ") + confidence_text(m_) +
                           tr(lang_, " konfidensintervall.", " confidence intervals."))
        << "</p>\n<figure>" << detail::horizontal_chart(s) << "</figure>\n";
      std::vector<std::size_t> columns{k};
      const std::size_t per_person = column_index(*t, x.name + ".per_person");
      if (per_person < t->statistics.size()) columns.push_back(per_person);
      sex_table(o, *t, columns, x.label + " (" + x.unit + ")");
    }
    o << "</section>\n";
  }

  std::string estimate(const shown_value& v, value_kind kind, const std::string& unit) const {
    std::string out = detail::shown_text(v, kind, detail::default_decimals(kind), lang_, kind == value_kind::amount ? unit : "");
    const std::string ci = detail::interval_text(v, kind == value_kind::percent ? value_kind::amount : kind, detail::default_decimals(kind), lang_);
    if (!ci.empty()) out += " (" + ci + ")";
    return out;
  }
  std::string difference(const report_finding& f, const shown_value& v) const {
    const bool ratio = f.difference_kind == value_kind::ratio;
    std::string out = detail::shown_text(v, f.difference_kind, detail::default_decimals(f.difference_kind), lang_,
                                         ratio ? "" : f.difference_unit, !ratio);
    const std::string ci = detail::interval_text(v, f.difference_kind, detail::default_decimals(f.difference_kind), lang_);
    if (!ci.empty()) out += " (" + ci + ")";
    return out;
  }

  void finding_card(std::ostream& o, const report_finding& f) const {
    const bool suppressed = is_suppressed(f.status);
    o << "<div class=\"finding" << (f.clear ? " clear" : "") << (suppressed ? " suppressed" : "") << "\"><div>";
    if (f.clear) o << "<span class=\"tag clear\">" << escape(tr(lang_, "Tydlig skillnad", "Clear difference")) << "</span>";
    o << "<span class=\"tag" << (f.adjusted ? " adj" : "") << "\">"
      << escape(f.adjusted ? tr(lang_, "Justerad för ", "Adjusted for ") + f.adjusted_for : tr(lang_, "Ojusterad", "Raw")) << "</span>";
    o << "<span class=\"tag\">" << escape(f.what) << "</span>";
    if (f.grouping_dimension >= 0) o << "<span class=\"tag\">" << escape(f.grouping) << "</span>";
    o << "</div><p>" << escape(f.verdict) << "</p>";
    if (!suppressed && f.computed == analysis::finding_status::ok) {
      std::string facts;
      if (f.period == analysis::finding_period::change) {
        facts = tr(lang_, "Skillnad ", "Gap ") + (m_.previous_period.empty() ? tr(lang_, "före", "before") : m_.previous_period) + " " +
                detail::shown_text(f.gap_before, f.difference_kind, detail::default_decimals(f.difference_kind), lang_, {}, true) + " · " +
                (m_.period.empty() ? tr(lang_, "nu", "now") : m_.period) + " " +
                detail::shown_text(f.gap_now, f.difference_kind, detail::default_decimals(f.difference_kind), lang_, {}, true) + " · " +
                tr(lang_, "förändring ", "change ") + difference(f, f.difference);
      } else if (f.kind != analysis::finding_kind::distribution) {
        facts = m_.sexes[0].label + " " + estimate(f.women, f.estimate_kind, f.estimate_unit) + " · " + m_.sexes[1].label + " " +
                estimate(f.men, f.estimate_kind, f.estimate_unit) + " · " +
                (f.difference_kind == value_kind::ratio ? tr(lang_, "kvot ", "ratio ") : tr(lang_, "skillnad ", "difference ")) +
                difference(f, f.difference);
      }
      if (!std::isnan(f.q_value)) facts += (facts.empty() ? "" : " · ") + std::string("q ") + format_probability(f.q_value, lang_);
      facts += (facts.empty() ? "" : " · ") + format_count(f.persons, lang_) +
               (m_.persons_counted ? tr(lang_, " personer", " persons") : tr(lang_, " deltaganden", " participations"));
      o << "<div class=\"facts\">" << escape(facts) << "</div>";
    }
    o << "</div>\n";
  }

  void findings(std::ostream& o) const {
    if (!has_findings()) return;
    open_section(o, "skillnader");
    std::size_t current = 0, clear = 0;
    for (const report_finding& f : m_.findings)
      if (f.period == analysis::finding_period::current) {
        ++current;
        clear += f.clear;
      }
    o << "<p>" << escape(tr(lang_, "Kvinnor och män jämförs först utan justering och sedan justerat för legitima faktorer (till exempel ålder och utbildning). "
                                   "En skillnad som kvarstår efter justering förklaras inte av dessa faktorer. En skillnad räknas som tydlig när q-värdet "
                                   "(Benjamini-Hochberg, justerat för att många jämförelser görs samtidigt) är högst ",
                           "Women and men are compared first raw, then adjusted for legitimate factors (such as age and education). "
                           "A difference that remains after adjustment is not explained by those factors. A difference counts as clear "
                           "when its q-value (Benjamini-Hochberg, adjusted for making many comparisons at once) is at most ") +
                        format_number(m_.significance_level, 2, lang_) + ". " +
                        format_count(clear, lang_) + tr(lang_, " av ", " of ") + format_count(current, lang_) +
                        tr(lang_, " jämförelser visar en tydlig skillnad; alla finns i findings.csv och report.json.",
                           " comparisons show a clear difference; all are in findings.csv and report.json."))
      << "</p>\n";
    o << "<h3>" << escape(tr(lang_, "Samtliga deltagare", "All participants")) << "</h3>\n";
    for (const report_finding& f : m_.findings)
      if (f.period == analysis::finding_period::current && f.grouping_dimension < 0 &&
          f.kind != analysis::finding_kind::distribution_level)
        finding_card(o, f);
    std::vector<const report_finding*> within;
    for (const report_finding& f : m_.findings)
      if (f.period == analysis::finding_period::current && (f.grouping_dimension >= 0 || f.kind == analysis::finding_kind::distribution_level) &&
          f.clear && within.size() < 10)
        within.push_back(&f);
    if (!within.empty()) {
      o << "<h3>" << escape(tr(lang_, "Tydligaste skillnaderna inom grupper", "The clearest differences within groups")) << "</h3>\n";
      for (const report_finding* f : within) finding_card(o, *f);
    }
    o << "</section>\n";
  }

  void change(std::ostream& o) const {
    if (!has_change()) return;
    open_section(o, "forandring");
    const report_table* now = m_.table("overview");
    const report_table* before = m_.table("overview", period_role::previous);
    if (now != nullptr && before != nullptr) {
      const std::string p0 = m_.previous_period.empty() ? tr(lang_, "Före", "Before") : m_.previous_period;
      const std::string p1 = m_.period.empty() ? tr(lang_, "Nu", "Now") : m_.period;
      o << "<table>\n<caption>" << escape(tr(lang_, "Nyckeltal efter kön, ", "Key figures by sex, ") + p0 + tr(lang_, " och ", " and ") + p1)
        << "</caption>\n<thead><tr><th scope=\"col\" class=\"l\"></th>";
      for (const std::size_t s : {std::size_t{0}, std::size_t{1}, total_column()})
        for (const std::string& p : {p0, p1})
          o << "<th scope=\"col\">" << escape(m_.sexes[s].label) << "<span class=\"ci\">" << escape(p) << "</span></th>";
      o << "</tr></thead>\n<tbody>\n";
      for (const std::size_t k : detail::key_statistics(*now)) {
        const statistic_column& c = now->statistics[k];
        o << "<tr><th scope=\"row\" class=\"l\">" << escape(c.label)
          << (c.kind == value_kind::amount && !c.unit.empty() ? " (" + escape(c.unit) + ")" : "") << "</th>";
        for (const std::size_t s : {std::size_t{0}, std::size_t{1}, total_column()}) {
          o << value_cell(before->rows.back().values[s][k], c, lang_);
          o << value_cell(now->rows.back().values[s][k], c, lang_);
        }
        o << "</tr>\n";
      }
      o << "</tbody></table>\n";
    }
    std::size_t shown = 0;
    for (const report_finding& f : m_.changes)
      if (f.grouping_dimension < 0 && f.kind != analysis::finding_kind::distribution_level && shown < 8) {
        finding_card(o, f);
        ++shown;
      }
    o << "</section>\n";
  }

  void intersectional(std::ostream& o) const {
    if (!has_intersectional()) return;
    open_section(o, "intersektionellt");
    o << "<p>" << escape(tr(lang_, "Kön analyseras tillsammans med andra grunder, eftersom en maktordning inte kan förstås skild från de andra. "
                                   "Intersektionella grupper blir snabbt små: små grupper visas inte.",
                           "Sex is analysed together with other grounds, since one power order cannot be understood apart from the others. "
                           "Intersectional groups get small fast: small groups are not shown."))
      << "</p>\n";
    if (m_.strata_heat_map) {
      const heat_map& h = *m_.strata_heat_map;
      o << "<h3>" << escape(h.title) << "</h3>\n<p>"
        << escape(tr(lang_, "Kvinnors andel minus mäns andel i procentenheter. Orange: högre för kvinnor, blått: högre för män. "
                            "Tjock ram och fetstil: tydlig skillnad.",
                     "Women's share minus men's share in percentage points. Orange: higher for women, blue: higher for men. "
                     "Thick border and bold: a clear difference."))
        << "</p>\n<figure>" << detail::heat_map_chart(h, m_.sexes, lang_) << "</figure>\n";
    }
    std::size_t index = 0;
    for (const maihda_view& v : m_.maihda) maihda(o, v, index++);
    if (m_.decomposition) decomposition(o, *m_.decomposition);
    o << "</section>\n";
  }

  void maihda(std::ostream& o, const maihda_view& v, std::size_t index) const {
    o << "<h3>" << escape(v.title) << "</h3>\n";
    std::string dims;
    for (std::size_t i = 0; i < v.dimensions.size(); ++i) dims += (i ? " × " : "") + v.dimensions[i];
    o << "<p>" << escape(tr(lang_, "Grupper efter ", "Groups by ") + dims + ". " +
                         tr(lang_, "Av variationen i ", "Of the variation in ") + detail::lower_first(v.subject) +
                         tr(lang_, " ligger ", ", ") + format_percent(100.0 * v.vpc_null, 1, lang_) +
                         tr(lang_, " mellan grupperna (VPC). Grundernas var för sig verkande huvudeffekter förklarar ",
                            " lies between the groups (VPC). The main effects of the grounds, each on its own, explain ") +
                         format_percent(100.0 * v.pcv, 0, lang_) +
                         tr(lang_, " av den skillnaden mellan grupper (PCV); resten är intersektionell.",
                            " of that variation between groups (PCV); the rest is intersectional."));
    if (!std::isnan(v.auc_null))
      o << ' ' << escape(tr(lang_, "Grupptillhörigheten skiljer dem med och utan utfallet åt med AUC ",
                              "Group membership tells those with and without the outcome apart with AUC ") +
                           format_number(v.auc_null, 2, lang_) + tr(lang_, " (0,5 = inte alls, 1 = helt).", " (0.5 = not at all, 1 = fully)."));
    o << "</p>\n";
    chart_spec s;
    s.id = "chart-maihda-" + std::to_string(index);
    s.title = v.title;
    s.description = tr(lang_, "Varje grupps skattade värde (krympt mot genomsnittet) med intervall; markerade grupper är intersektioner som huvudeffekterna inte förklarar.",
                       "Each group's predicted value (shrunk towards the mean) with its interval; highlighted groups are intersections the main effects do not explain.");
    s.dots = true;
    s.value_labels = false;
    s.kind = v.logistic ? value_kind::percent : value_kind::amount;
    s.decimals = 1;
    s.unit = v.unit;
    s.lang = lang_;
    s.axis_min = v.logistic ? 0.0 : std::numeric_limits<double>::quiet_NaN();
    chart_series predicted{tr(lang_, "Skattat", "Predicted"), detail::palette::total, 'o', {}};
    for (const maihda_view::stratum& st : v.strata) {
      s.categories.push_back(st.label + (st.flagged ? " \u25C6" : ""));
      s.emphasised.push_back(st.flagged);
      s.category_colours.push_back(st.flagged ? detail::palette::flagged : detail::palette::total);
      predicted.values.push_back(st.predicted);
    }
    s.series = {predicted};
    o << "<figure>" << detail::horizontal_chart(s) << "<figcaption>"
      << escape(tr(lang_, "\u25C6 orange: en intersektion som huvudeffekterna inte förklarar (intervallet för interaktionen utesluter 0).",
                   "\u25C6 orange: an intersection the main effects do not explain (the interaction's interval excludes 0)."))
      << "</figcaption></figure>\n";
    std::vector<const maihda_view::stratum*> flagged;
    for (const maihda_view::stratum& st : v.strata)
      if (st.flagged) flagged.push_back(&st);
    if (!flagged.empty()) {
      const value_kind kind = v.logistic ? value_kind::percent : value_kind::amount;
      const value_kind diff = v.logistic ? value_kind::percentage_points : value_kind::amount;
      o << "<table>\n<caption>" << escape(tr(lang_, "Intersektioner som huvudeffekterna inte förklarar", "Intersections the main effects do not explain"))
        << "</caption>\n<thead><tr><th scope=\"col\" class=\"l\">" << escape(tr(lang_, "Grupp", "Group")) << "</th><th scope=\"col\">"
        << escape(tr(lang_, "Deltaganden", "Participations")) << "</th><th scope=\"col\">" << escape(tr(lang_, "Observerat", "Observed"))
        << "</th><th scope=\"col\">" << escape(tr(lang_, "Väntat av huvudeffekter", "Expected from main effects")) << "</th><th scope=\"col\">"
        << escape(tr(lang_, "Interaktion", "Interaction")) << "</th></tr></thead>\n<tbody>\n";
      for (const maihda_view::stratum* st : flagged) {
        o << "<tr><th scope=\"row\" class=\"l\">" << escape(st->label) << "</th><td>"
          << escape(detail::shown_text(st->participations, value_kind::count, 0, lang_)) << "</td><td>"
          << escape(detail::shown_text(st->observed, kind, 1, lang_)) << "</td><td>" << escape(detail::shown_text(st->additive, kind, 1, lang_))
          << "</td><td>" << escape(detail::shown_text(st->interaction, diff, 1, lang_, v.logistic ? "" : v.unit, true));
        const std::string ci = detail::interval_text(st->interaction, diff, 1, lang_);
        if (!ci.empty()) o << "<span class=\"ci\">" << escape(ci) << "</span>";
        o << "</td></tr>\n";
      }
      o << "</tbody></table>\n";
    }
  }

  void decomposition(std::ostream& o, const decomposition_view& d) const {
    o << "<h3>" << escape(d.title) << "</h3>\n";
    const value_kind mean_kind = d.kind == value_kind::percentage_points ? value_kind::percent : value_kind::amount;
    o << "<p>" << escape(d.first_group + " " + detail::shown_text(d.first_mean, mean_kind, 1, lang_, mean_kind == value_kind::amount ? d.unit : "") +
                         ", " + d.second_group + " " +
                         detail::shown_text(d.second_mean, mean_kind, 1, lang_, mean_kind == value_kind::amount ? d.unit : "") + ". " +
                         tr(lang_, "Skillnaden delas i en del som förklaras av skillnader i legitima egenskaper (",
                            "The gap is split into a part explained by differences in legitimate characteristics (") +
                         [&] {
                           std::vector<std::string> names;
                           for (const auto& p : d.characteristics) names.push_back(detail::lower_first(p.label));
                           return detail::join_words(names, lang_);
                         }() +
                         tr(lang_, ") och en oförklarad del.", ") and an unexplained part.") +
                         (d.logit ? tr(lang_, " Icke-linjär dekomposition (Yun).", " Nonlinear decomposition (Yun).") : ""))
      << "</p>\n";
    chart_spec s;
    s.id = "chart-decomposition";
    s.title = d.title;
    s.description = tr(lang_, "Liggande staplar: total skillnad, förklarad och oförklarad del med konfidensintervall.",
                       "Horizontal bars: the total gap, the explained and the unexplained part with confidence intervals.");
    s.kind = d.kind;
    s.decimals = 1;
    s.unit = d.kind == value_kind::amount ? d.unit : "";
    s.axis_label = d.unit;
    s.lang = lang_;
    s.whiskers = true;
    s.axis_min = std::numeric_limits<double>::quiet_NaN();
    chart_series series{"", detail::palette::total, 'o', {}};
    s.categories = {tr(lang_, "Total skillnad", "Total gap"), tr(lang_, "Förklarad", "Explained"), tr(lang_, "Oförklarad", "Unexplained")};
    s.category_colours = {detail::palette::total, detail::palette::explained, detail::palette::unexplained};
    s.emphasised = {true, false, true};
    series.values = {d.gap, d.explained, d.unexplained};
    for (const auto& p : d.characteristics) {
      s.categories.push_back(tr(lang_, "  förklarat av ", "  explained by ") + detail::lower_first(p.label));
      s.category_colours.push_back("#7FCEB9");
      s.emphasised.push_back(false);
      series.values.push_back(p.explained);
    }
    s.series = {series};
    o << "<figure>" << detail::horizontal_chart(s) << "</figure>\n";
  }

  void tables(std::ostream& o) const {
    open_section(o, "tabeller");
    o << "<p>" << escape(tr(lang_, "Alla tabeller med fler mått och full precision finns i report.csv (en rad per cell och mått) och report.json.",
                           "Every table with more statistics and full precision is in report.csv (one row per cell and statistic) and report.json."))
      << "</p>\n";
    for (const report_table& t : m_.tables) {
      if (t.period != period_role::current) continue;
      o << "<h3>" << escape(t.title) << "</h3>\n";
      for (const std::size_t k : detail::key_statistics(t))
        sex_table(o, t, {k}, t.statistics[k].label +
                                 (t.statistics[k].kind == value_kind::amount && !t.statistics[k].unit.empty() ? " (" + t.statistics[k].unit + ")" : ""));
    }
    o << "</section>\n";
  }

  void quality(std::ostream& o) const {
    open_section(o, "datakvalitet");
    const data_quality_view& q = m_.quality;
    o << "<table>\n<caption>" << escape(tr(lang_, "Inläsning och kontroll", "Reading and checks")) << "</caption>\n<thead><tr><th scope=\"col\" class=\"l\">"
      << escape(tr(lang_, "Uppgift", "Item")) << "</th><th scope=\"col\">" << escape(tr(lang_, "Antal", "Number")) << "</th></tr></thead>\n<tbody>\n";
    auto row = [&](const std::string& label, std::uint64_t n, bool strong = false) {
      o << "<tr" << (strong ? " class=\"total\"" : "") << "><th scope=\"row\" class=\"l\">" << escape(label) << "</th><td>"
        << escape(format_count(n, lang_)) << "</td></tr>\n";
    };
    if (q.has_ingestion) {
      row(tr(lang_, "Rader lästa", "Rows read"), q.rows_read);
      row(tr(lang_, "Rader godkända", "Rows accepted"), q.rows_accepted);
      row(tr(lang_, "Rader avvisade", "Rows rejected"), q.rows_rejected, true);
      for (const auto& r : q.rejected) row("\u2003" + r.label, r.rows);
    }
    row(tr(lang_, "Deltaganden i underlaget", "Participations in the state"), q.participations, !q.has_ingestion);
    if (q.state_rejected_total > 0) {
      row(tr(lang_, "Poster avvisade i underlaget", "Records rejected in the state"), q.state_rejected_total);
      for (const auto& r : q.state_rejected) row("\u2003" + r.label, r.rows);
    }
    for (const auto& r : q.rounded) row(tr(lang_, "Värden avrundade till upplösningen: ", "Values rounded to the resolution: ") + r.label, r.values);
    o << "</tbody></table>\n";
    if (q.has_ingestion && !q.sources.empty()) {
      std::string files;
      for (std::size_t i = 0; i < q.sources.size(); ++i) files += (i ? ", " : "") + q.sources[i];
      o << "<p class=\"note\">" << escape(tr(lang_, "Lästa filer: ", "Files read: ") + files) << "</p>\n";
    }
    if (!m_.analysis_notes.empty()) {
      o << "<h3>" << escape(tr(lang_, "Om analyserna", "About the analyses")) << "</h3>\n<ul>\n";
      for (const std::string& note : m_.analysis_notes) o << "<li>" << escape(note) << "</li>\n";
      o << "</ul>\n";
    }
    o << "<p class=\"note\">"
      << escape(q.persons_counted ? tr(lang_, "Personer räknas distinkt i varje cell (pseudonymiserade id).", "Persons are counted distinctly in every cell (pseudonymised ids).")
                                  : tr(lang_, "Underlaget räknar inte personer: antal avser deltaganden.", "The state does not count persons: numbers are participations."))
      << "</p>\n</section>\n";
  }

  void protection(std::ostream& o) const {
    open_section(o, "skydd");
    if (m_.internal_use_only)
      o << "<p><strong>" << escape(t_.internal_label) << ".</strong> " << escape(t_.internal_explanation) << "</p>\n";
    o << "<p>" << escape(m_.protection_note) << "</p>\n<dl class=\"symbols\">";
    auto symbol = [&](std::string_view note) {
      const std::size_t gap = note.find("  ");
      o << "<dt>" << escape(note.substr(0, gap)) << "</dt><dd>" << escape(note.substr(gap + 2)) << "</dd>";
    };
    symbol(t_.suppressed_note);
    symbol(t_.not_computable_note);
    if (m_.any_perturbed) symbol(t_.perturbed_note);
    o << "</dl>\n";
    o << "<p class=\"note\">" << escape(tr(lang_, "Konfidensintervall: ", "Confidence intervals: ") + confidence_text(m_) +
                                        tr(lang_, " (andelar: Wilson; medelvärden: t-fördelningen).", " (proportions: Wilson; means: the t distribution)."))
      << "</p>\n</section>\n";
  }

  const report_model& m_;
  language lang_;
  const detail::texts& t_;
};

}  // namespace

void write_html(const report_model& model, std::ostream& out) { out << page(model).render(); }

}  // namespace jamstat::report
