// build_report: validation, the shared context (roll-ups, the protection seam), and the order in
// which the parts of the model are built.
#include "jamstat/report/build_report.hpp"

#include <algorithm>
#include <cmath>

#include "builder_context.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/iso5218.hpp"

namespace jamstat::report {

std::string_view to_string(cell_status s) noexcept {
  switch (s) {
    case cell_status::published: return "published";
    case cell_status::primary: return "primary";
    case cell_status::secondary: return "secondary";
    case cell_status::perturbed: return "perturbed";
    case cell_status::internal: return "internal";
  }
  return "published";
}

cell_status combine(cell_status a, cell_status b) noexcept {
  auto rank = [](cell_status s) {
    switch (s) {
      case cell_status::primary: return 4;
      case cell_status::secondary: return 3;
      case cell_status::perturbed: return 2;
      case cell_status::internal: return 1;
      case cell_status::published: return 0;
    }
    return 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

report_protection internal_use_only() {
  report_protection p;
  p.internal_use_only = true;
  p.note = {std::string(detail::texts_for(language::sv).internal_protection_note),
            std::string(detail::texts_for(language::en).internal_protection_note)};
  return p;
}

finding_protection findings_resting_on_fewer_than(std::uint64_t persons) {
  return [persons](const analysis::finding& f) {
    // smallest_cell_persons is persons_unknown only when nothing was compared; 0 when a cell used
    // was empty (an empty cell discloses nothing about anyone).
    if (f.smallest_cell_persons == analysis::persons_unknown) return cell_status::published;
    return f.smallest_cell_persons > 0 && f.smallest_cell_persons < persons ? cell_status::primary
                                                                           : cell_status::published;
  };
}

const report_table* report_model::table(std::string_view id, period_role p) const noexcept {
  for (const report_table& t : tables)
    if (t.id == id && t.period == p) return &t;
  return nullptr;
}

namespace detail {

const rollup_table& rollup_cache::table(std::uint64_t mask) {
  auto it = tables_.find(mask);
  if (it == tables_.end())
    it = tables_.emplace(mask, rollup(*aggregator_, grouping_set::from_mask(aggregator_->schema_ref(), mask))).first;
  return it->second;
}

builder_context::builder_context(const report_input& input, report_model& model)
    : input_(input), model_(model), current_(input.current), previous_(input.previous) {}

std::uint32_t builder_context::sex_level(std::int32_t code) {
  return static_cast<std::uint32_t>(*iso5218::sex_dimension().index_of(code));
}

protection_decision builder_context::decide(period_role period, std::uint64_t mask,
                                            std::span<const std::uint32_t> levels, statistic_family family,
                                            std::size_t index, const cell_figures& truth) {
  key k{static_cast<int>(period), mask, std::vector<std::uint32_t>(levels.begin(), levels.end()),
        static_cast<int>(family), index};
  auto it = answers_.find(k);
  if (it != answers_.end()) return it->second;
  protection_decision d;
  if (input_.protection.internal_use_only) {
    d.status = cell_status::internal;
    d.shown = truth;
  } else {
    protection_query q;
    q.period = period;
    q.grouping_mask = mask;
    q.levels = levels;
    q.family = family;
    q.index = index;
    q.figures = truth;
    d = input_.protection.cells(q);
    if (d.status == cell_status::internal)
      throw usage_error("report protection: the cell callback returned status internal, which only an internal report "
                        "(report_protection::internal_use_only) may have");
    if (is_suppressed(d.status)) {
      const double nan = std::nan("");
      d.shown = {nan, nan, nan};
      model_.any_suppressed = true;
    } else if (d.status == cell_status::perturbed) {
      model_.any_perturbed = true;
    } else {
      d.shown = truth;  // published: the true figures whatever the callback filled in
    }
  }
  answers_.emplace(std::move(k), d);
  return d;
}

protected_cell builder_context::ask(period_role period, std::uint64_t mask, std::span<const std::uint32_t> levels,
                                    statistic_family family, std::size_t index) {
  const rollup_table& t = state(period).table(mask);
  const std::optional<rollup_cell> cell = t.find(levels);
  protected_cell out;
  cell_figures count{0.0, 0.0, std::nan("")};
  if (cell) {
    out.present = cell->participations > 0;
    count.participations = static_cast<double>(cell->participations);
    count.persons = static_cast<double>(cell->persons.value_or(cell->participations));
    out.anonymous = cell->anonymous_participants;
  }
  out.count = decide(period, mask, levels, statistic_family::count, 0, count);
  if (family == statistic_family::count) {
    out.family = out.count;
    return out;
  }
  cell_figures truth = count;
  truth.amount = 0.0;
  if (family == statistic_family::outcome) {
    if (cell) truth.amount = static_cast<double>(cell->successes[index]);
  } else if (cell) {
    out.measure = &cell->numerics[index];
    truth.amount = out.measure->count() > 0 ? out.measure->total() : 0.0;
  }
  out.family = decide(period, mask, levels, family, index, truth);
  out.family.status = combine(out.family.status, out.count.status);
  if (is_suppressed(out.family.status)) {
    const double nan = std::nan("");
    out.family.shown = {nan, nan, nan};
  }
  return out;
}

}  // namespace detail

namespace {

void validate(const report_input& in) {
  if (in.current == nullptr) throw usage_error("report_input.current: the current period's aggregator is required");
  if (in.previous != nullptr && !(in.previous->schema_ref() == in.current->schema_ref()))
    throw usage_error("report_input.previous: the previous period's state has a different schema than the current one");
  if (!(in.confidence_level > 0.0 && in.confidence_level < 1.0))
    throw usage_error("report_input.confidence_level: expected a level in (0, 1), e.g. 0.95");
  if (!in.protection.internal_use_only && !in.protection.cells)
    throw usage_error("report_input.protection: every published statistic is protected by default; give a cell "
                      "protection (report_protection::cells) or ask for an internal report (internal_use_only())");
  const schema& s = in.current->schema_ref();
  auto dimension_named = [&](const std::string& field, const std::string& name) {
    const auto d = s.dimension_index(name);
    if (!d) throw usage_error(field + ": no dimension is called '" + name + "'");
    if (*d == 0) throw usage_error(field + ": sex is crossed into every table; name the other dimensions");
    return *d;
  };
  for (const std::string& name : in.table_dimensions) dimension_named("report_input.table_dimensions", name);
  if (!in.chart_dimension.empty()) dimension_named("report_input.chart_dimension", in.chart_dimension);
  for (const auto& [name, label] : in.dimension_labels)
    if (!s.dimension_index(name)) throw usage_error("report_input.dimension_labels: no dimension is called '" + name + "'");
  for (const maihda_input& m : in.maihda) {
    if ((m.logistic == nullptr) == (m.linear == nullptr))
      throw usage_error("report_input.maihda: give exactly one of logistic and linear");
    if (m.logistic && m.family != statistic_family::outcome)
      throw usage_error("report_input.maihda: a logistic MAIHDA models an outcome (family outcome)");
    if (m.linear && m.family != statistic_family::measure)
      throw usage_error("report_input.maihda: a linear MAIHDA models a measure (family measure)");
    const std::size_t limit = m.logistic ? s.outcomes().size() : s.numeric_measures().size();
    if (m.index >= limit) throw usage_error("report_input.maihda: index out of range for the schema");
    for (const std::size_t d : m.strata.dimensions())
      if (d >= s.dimensions().size()) throw usage_error("report_input.maihda: strata grouping does not fit the schema");
    const auto& fit = m.logistic ? m.logistic->null_model : m.linear->null_model;
    for (const auto& st : fit.strata)
      if (st.levels.size() != m.strata.dimensions().size())
        throw usage_error("report_input.maihda: the strata's levels do not match the strata grouping's dimensions");
  }
  if (in.decomposition) {
    const decomposition_input& d = *in.decomposition;
    if (d.result == nullptr) throw usage_error("report_input.decomposition: result is null");
    if (d.family == statistic_family::count) throw usage_error("report_input.decomposition: family must be outcome or measure");
    const std::size_t limit = d.family == statistic_family::outcome ? s.outcomes().size() : s.numeric_measures().size();
    if (d.index >= limit) throw usage_error("report_input.decomposition: index out of range for the schema");
  }
  if (in.strata != nullptr) {
    for (const std::size_t d : in.strata->dimensions)
      if (d == 0 || d >= s.dimensions().size()) throw usage_error("report_input.strata: its dimensions do not fit the schema");
    if (!s.outcomes().empty() && in.heat_map_outcome >= s.outcomes().size())
      throw usage_error("report_input.heat_map_outcome: out of range");
  }
}

// The charts' dimension: as named, else "intervention", else the first after sex (0: none).
std::size_t resolve_chart_dimension(const report_input& in) {
  const schema& s = in.current->schema_ref();
  if (!in.chart_dimension.empty()) return *s.dimension_index(in.chart_dimension);
  if (const auto d = s.dimension_index("intervention")) return *d;
  return s.dimensions().size() > 1 ? 1 : 0;
}

// The table dimensions, the charts' among them.
std::vector<std::size_t> table_dimension_indices(const report_input& in) {
  const schema& s = in.current->schema_ref();
  std::vector<std::size_t> out;
  if (in.table_dimensions.empty()) {
    for (std::size_t d = 1; d < s.dimensions().size(); ++d) out.push_back(d);
  } else {
    for (const std::string& name : in.table_dimensions) {
      const std::size_t d = *s.dimension_index(name);
      if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
    }
    const std::size_t chart = resolve_chart_dimension(in);
    if (chart != 0 && std::find(out.begin(), out.end(), chart) == out.end()) out.insert(out.begin(), chart);
  }
  return out;
}

}  // namespace

std::vector<std::uint64_t> published_groupings(const report_input& in) {
  validate(in);
  std::vector<std::uint64_t> out;
  auto add = [&](std::uint64_t mask) {
    if (std::find(out.begin(), out.end(), mask) == out.end()) out.push_back(mask);
  };
  add(0);
  add(1);
  for (const std::size_t d : table_dimension_indices(in)) {
    add(std::uint64_t{1} << d);
    add(1 | (std::uint64_t{1} << d));
  }
  if (in.strata != nullptr) {
    std::uint64_t mask = 0;
    for (const std::size_t d : in.strata->dimensions) mask |= std::uint64_t{1} << d;
    add(mask);
    add(mask | 1);
  }
  for (const maihda_input& m : in.maihda) add(m.strata.mask());
  // Findings read the women's and men's cells of every grouping the gap report compares across.
  if (in.gap != nullptr)
    for (const analysis::finding& f : in.gap->findings) {
      std::uint64_t mask = 1;
      if (f.grouping_dimension >= 0) mask |= std::uint64_t{1} << (f.grouping_dimension + 1);
      if (f.kind == analysis::finding_kind::distribution_level) mask |= std::uint64_t{1} << (f.subject + 1);
      add(mask);
    }
  return out;
}

report_model build_report(const report_input& in) {
  validate(in);
  report_model m;
  detail::builder_context c(in, m);
  const schema& s = in.current->schema_ref();
  const detail::texts& t = c.text();
  const bool en = c.english();

  m.lang = in.lang;
  m.title = in.title.empty() ? std::string(t.default_title) + (in.period.empty() ? "" : " " + in.period) : in.title;
  m.organisation = in.organisation;
  m.period = in.period;
  m.previous_period = in.previous_period;
  m.internal_use_only = in.protection.internal_use_only;
  const std::string& note = en ? in.protection.note.en : in.protection.note.sv;
  m.protection_note = !note.empty() ? note
                      : std::string(in.protection.internal_use_only ? t.internal_protection_note : t.default_protection_note);
  m.persons_counted = in.current->knows_persons();
  m.confidence_level = in.confidence_level;
  m.significance_level = in.gap != nullptr ? in.gap->significance_level : 1.0 - in.confidence_level;

  for (std::size_t d = 0; d < s.dimensions().size(); ++d) {
    const dimension& dim = s.dimensions()[d];
    dimension_text dt{dim.name(), dim.display_label(en), {}};
    for (const auto& [name, label] : in.dimension_labels)
      if (name == dim.name()) dt.label = en ? label.en : label.sv;
    for (const level& l : dim.levels()) dt.levels.push_back(en ? l.label_en : l.label_sv);
    m.dimensions.push_back(std::move(dt));
  }
  for (const outcome& o : s.outcomes()) m.outcomes.push_back({o.name, en ? o.label_en : o.label_sv, ""});
  for (const numeric_measure& x : s.numeric_measures()) m.measures.push_back({x.name, en ? x.label_en : x.label_sv, x.unit});
  for (subject_text& x : m.outcomes)
    if (x.label.empty()) x.label = x.name;
  for (subject_text& x : m.measures)
    if (x.label.empty()) x.label = x.name;

  // Sex columns: women and men always; the other codes when either period has any of them.
  const dimension& sex = iso5218::sex_dimension();
  auto sex_label = [&](std::int32_t code) {
    const level& l = sex.levels()[detail::builder_context::sex_level(code)];
    return en ? l.label_en : l.label_sv;
  };
  m.sexes.push_back({iso5218::female, sex_label(iso5218::female)});
  m.sexes.push_back({iso5218::male, sex_label(iso5218::male)});
  for (const std::int32_t code : {iso5218::not_known, iso5218::not_applicable}) {
    const std::uint32_t level[1] = {detail::builder_context::sex_level(code)};
    bool present = false;
    for (const period_role p : {period_role::current, period_role::previous}) {
      if (p == period_role::previous && !c.has_previous()) continue;
      const auto cell = c.state(p).table(1).find(level);
      if (cell && (cell->participations > 0 || cell->anonymous_participants > 0)) present = true;
    }
    if (present) m.sexes.push_back({code, sex_label(code)});
  }
  m.sexes.push_back({all_sexes, std::string(t.total)});

  m.chart_dimension = resolve_chart_dimension(in);
  for (const analysis::bilingual& text : in.analysis_notes) m.analysis_notes.push_back(en ? text.en : text.sv);

  detail::build_tables(c);
  detail::build_findings(c);
  detail::build_heat_map(c);
  detail::build_maihda(c);
  detail::build_decomposition(c);
  detail::build_data_quality(c);
  return m;
}

namespace detail {
// Exposed to build_tables.cpp.
std::vector<std::size_t> table_dimensions_of(const report_input& in) { return table_dimension_indices(in); }
}  // namespace detail

}  // namespace jamstat::report
