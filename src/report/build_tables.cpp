// The report's tables: the overview by sex, each table dimension by sex, the strata, for the
// current and the previous period; every statistic through the protection seam.
#include <algorithm>
#include <cmath>

#include "builder_context.hpp"
#include "jamstat/analysis/proportions.hpp"
#include "jamstat/analysis/resources.hpp"

namespace jamstat::report::detail {

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

shown_value suppressed_or(cell_status status, double value) {
  shown_value v;
  v.status = status;
  if (!is_suppressed(status)) v.value = value;
  return v;
}

// The mean of a measure with its t interval: computed from the true moments and moved with the
// shown (possibly perturbed) sum, so the interval keeps its width around the shown mean.
shown_value mean_value(const protected_cell& cell, double confidence_level) {
  shown_value v;
  v.status = cell.family.status;
  if (is_suppressed(v.status) || cell.measure == nullptr || cell.measure->count() == 0) return v;
  const std::uint64_t n = cell.measure->count();
  // Unperturbed: the roll-up's own mean (bit for bit what the library computes); perturbed: the
  // shown sum over the number of values.
  const double shown_mean = cell.family.status == cell_status::perturbed
                                ? cell.family.shown.amount / static_cast<double>(n)
                                : cell.measure->mean();
  v.value = shown_mean;
  if (n >= 2) {
    const analysis::estimate e =
        analysis::mean_interval({n, cell.measure->mean(), cell.measure->sample_variance()}, confidence_level);
    v.lower = e.ci.lower - e.value + shown_mean;
    v.upper = e.ci.upper - e.value + shown_mean;
  }
  return v;
}

std::uint64_t whole(double x) { return x > 0.0 && std::isfinite(x) ? static_cast<std::uint64_t>(std::llround(x)) : 0; }

// All combinations of the dimensions' levels, the last dimension fastest (at most `limit`).
std::vector<std::vector<std::uint32_t>> all_combinations(const schema& s, const std::vector<std::size_t>& dims,
                                                         std::size_t limit) {
  std::vector<std::vector<std::uint32_t>> out;
  std::size_t count = 1;
  for (const std::size_t d : dims) {
    count *= s.dimensions()[d].cardinality();
    if (count > limit) return out;
  }
  std::vector<std::uint32_t> levels(dims.size(), 0);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(levels);
    for (std::size_t k = dims.size(); k-- > 0;) {
      if (++levels[k] < s.dimensions()[dims[k]].cardinality()) break;
      levels[k] = 0;
    }
  }
  return out;
}

}  // namespace

void wilson_percent(shown_value& v, double successes, double participations, double confidence_level) {
  if (is_suppressed(v.status) || !(participations > 0.0)) return;
  const std::uint64_t n = whole(participations);
  const std::uint64_t k = std::min(whole(successes), n);
  v.value = 100.0 * successes / participations;
  if (n == 0) return;
  const analysis::interval ci = analysis::wilson_interval(k, n, confidence_level);
  v.lower = 100.0 * ci.lower;
  v.upper = 100.0 * ci.upper;
}

std::vector<statistic_column> standard_columns(const builder_context& c, bool with_anonymous) {
  const texts& t = c.text();
  const report_model& m = c.model();
  std::vector<statistic_column> out;
  if (m.persons_counted) out.push_back({"persons", std::string(t.persons), "", value_kind::count, 0, statistic_family::count, 0, false});
  out.push_back({"participations", std::string(t.participations), "", value_kind::count, 0, statistic_family::count, 0, false});
  if (with_anonymous)
    out.push_back({"anonymous_participants", std::string(t.anonymous_participants), "", value_kind::count, 0,
                   statistic_family::count, 0, false});
  for (std::size_t o = 0; o < m.outcomes.size(); ++o) {
    const subject_text& x = m.outcomes[o];
    out.push_back({x.name + ".successes", x.label + std::string(t.successes_suffix), "", value_kind::count, 0,
                   statistic_family::outcome, o, false});
    out.push_back({x.name + ".proportion", x.label + std::string(t.proportion_suffix), "%", value_kind::percent, 1,
                   statistic_family::outcome, o, true});
  }
  for (std::size_t k = 0; k < m.measures.size(); ++k) {
    const subject_text& x = m.measures[k];
    out.push_back({x.name + ".sum", x.label + std::string(t.sum_suffix), x.unit, value_kind::amount, 0,
                   statistic_family::measure, k, false});
    out.push_back({x.name + ".mean", x.label + std::string(t.mean_suffix), x.unit, value_kind::amount, 1,
                   statistic_family::measure, k, true});
    if (m.persons_counted)
      out.push_back({x.name + ".per_person", x.label + std::string(t.per_person_suffix), x.unit, value_kind::amount, 1,
                     statistic_family::measure, k, false});
  }
  return out;
}

std::vector<shown_value> cell_values(builder_context& c, period_role period, std::uint64_t mask,
                                     std::span<const std::uint32_t> levels, const std::vector<statistic_column>& columns) {
  const double level = c.input().confidence_level;
  std::vector<shown_value> out;
  out.reserve(columns.size());
  for (const statistic_column& col : columns) {
    const protected_cell cell = c.ask(period, mask, levels, col.family, col.index);
    const protection_decision& d = cell.family;
    // Denominators are the published counts (the count family's shown figures), so that a
    // proportion or a sum per person agrees with the counts printed beside it when they are
    // perturbed.
    const cell_figures& counts = cell.count.shown;
    if (col.id == "persons") {
      out.push_back(suppressed_or(d.status, d.shown.persons));
    } else if (col.id == "participations") {
      out.push_back(suppressed_or(d.status, d.shown.participations));
    } else if (col.id == "anonymous_participants") {
      // Known only by sex: protected with the cell's count (a sex-only cell is never small in practice).
      out.push_back(suppressed_or(d.status, static_cast<double>(cell.anonymous)));
    } else if (col.kind == value_kind::percent) {
      shown_value v;
      v.status = d.status;
      if (!is_suppressed(v.status)) wilson_percent(v, d.shown.amount, counts.participations, level);
      out.push_back(v);
    } else if (col.family == statistic_family::outcome) {
      out.push_back(suppressed_or(d.status, d.shown.amount));
    } else if (col.id.ends_with(".sum")) {
      out.push_back(suppressed_or(d.status, d.shown.amount));
    } else if (col.id.ends_with(".mean")) {
      out.push_back(mean_value(cell, level));
    } else {  // per person
      out.push_back(suppressed_or(d.status, counts.persons > 0.0 ? d.shown.amount / counts.persons : nan_value));
    }
  }
  return out;
}

namespace {

report_table make_table(builder_context& c, period_role period, std::string id, std::string title,
                        std::vector<std::size_t> dims, bool with_anonymous) {
  const schema& s = c.schema_ref();
  report_model& m = c.model();
  std::sort(dims.begin(), dims.end());
  report_table t;
  t.id = std::move(id);
  t.title = std::move(title);
  t.period = period;
  t.period_label = period == period_role::previous ? m.previous_period : m.period;
  t.dimensions = dims;
  t.statistics = standard_columns(c, with_anonymous);
  std::uint64_t dims_mask = 0;
  for (const std::size_t d : dims) dims_mask |= std::uint64_t{1} << d;

  // Every combination of levels (empty cells are published as 0), unless there are very many: then
  // only those with participations.
  std::vector<std::vector<std::uint32_t>> rows = all_combinations(s, dims, 5000);
  if (rows.empty() && !dims.empty())
    for (const rollup_cell& cell : c.state(period).table(dims_mask).cells())
      rows.emplace_back(cell.levels.begin(), cell.levels.end());
  if (dims.empty()) rows.clear();
  rows.emplace_back();  // the total row

  for (std::size_t r = 0; r < rows.size(); ++r) {
    table_row row;
    row.total = r + 1 == rows.size();
    for (std::size_t k = 0; k < dims.size(); ++k) {
      row.levels.push_back(row.total ? analysis::all_levels : rows[r][k]);
      row.labels.push_back(row.total ? std::string(c.text().total) : m.dimensions[dims[k]].levels[rows[r][k]]);
    }
    const std::uint64_t mask = row.total ? 0 : dims_mask;
    for (const sex_column& sc : m.sexes) {
      // Sized up front (GCC 12 warns, wrongly, of an overflow in push_back followed by insert).
      const bool with_sex = sc.code != all_sexes;
      const std::size_t grouped = row.total ? 0 : rows[r].size();
      std::vector<std::uint32_t> levels(grouped + (with_sex ? 1 : 0), 0);
      const std::uint64_t cell_mask = with_sex ? (mask | 1) : mask;
      if (with_sex) levels[0] = builder_context::sex_level(sc.code);
      for (std::size_t k = 0; k < grouped; ++k) levels[k + (with_sex ? 1 : 0)] = rows[r][k];
      row.values.push_back(cell_values(c, period, cell_mask, levels, t.statistics));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

bool any_anonymous(builder_context& c) {
  for (const period_role p : {period_role::current, period_role::previous}) {
    if (p == period_role::previous && !c.has_previous()) continue;
    for (const std::uint64_t n : c.state(p).state().anonymous_participants())
      if (n > 0) return true;
  }
  return false;
}

}  // namespace

void build_tables(builder_context& c) {
  report_model& m = c.model();
  const texts& t = c.text();
  const bool anonymous = any_anonymous(c);
  const std::vector<std::size_t> dims = table_dimensions_of(c.input());
  for (const period_role p : {period_role::current, period_role::previous}) {
    if (p == period_role::previous && !c.has_previous()) continue;
    m.tables.push_back(make_table(c, p, "overview", std::string(t.overview_title), {}, anonymous));
    for (const std::size_t d : dims)
      m.tables.push_back(make_table(c, p, "by_" + m.dimensions[d].name,
                                    std::string(t.by_prefix) + lower_first(m.dimensions[d].label), {d}, false));
  }
  if (const analysis::intersectional_table* strata = c.input().strata) {
    std::vector<std::string> names;
    for (const std::size_t d : strata->dimensions) names.push_back(lower_first(m.dimensions[d].label));
    m.tables.push_back(make_table(c, period_role::current, "strata",
                                  std::string(t.strata_title_prefix) + join_words(names, c.input().lang),
                                  strata->dimensions, false));
  }
  // The current period's tables first, then the previous period's (stable for the writers).
  std::stable_partition(m.tables.begin(), m.tables.end(),
                        [](const report_table& x) { return x.period == period_role::current; });
}

}  // namespace jamstat::report::detail
