// The gap findings as the report shows them: texts in the report's language, numbers in display
// units, each finding's status from the cells its figures are read from and the finding callback,
// sorted by importance; and the strata heat map from the strata table's findings.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <tuple>

#include "builder_context.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/iso5218.hpp"

namespace jamstat::report::detail {

namespace {

using analysis::effect_measure;
using analysis::finding;
using analysis::finding_kind;
using analysis::finding_period;

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

// The schema dimensions and levels a finding's (grouping, level) stands for: one dimension in the
// gap report, the strata's dimensions in a strata table.
using level_resolver = std::function<std::vector<std::pair<std::size_t, std::uint32_t>>(std::int32_t dimension,
                                                                                      std::int32_t level)>;

// The cells a finding's women's and men's figures are read from: their grouping (and, for a level
// of a distribution, that level) crossed with sex, in each period the finding describes.
cell_status cell_status_of(builder_context& c, const finding& f, const level_resolver& resolve) {
  if (f.kind == finding_kind::distribution) return cell_status::published;  // a test over a whole table
  std::map<std::size_t, std::uint32_t> at;
  if (f.grouping_dimension >= 0 && f.grouping_level >= 0)
    for (const auto& [d, l] : resolve(f.grouping_dimension, f.grouping_level)) at[d] = l;
  if (f.kind == finding_kind::distribution_level && f.subject >= 0 && f.subject_level >= 0)
    for (const auto& [d, l] : resolve(f.subject, f.subject_level)) at[d] = l;
  std::uint64_t mask = 1;
  std::vector<std::uint32_t> levels{0};
  for (const auto& [d, l] : at) {
    mask |= std::uint64_t{1} << d;
    levels.push_back(l);
  }
  statistic_family family = statistic_family::count;
  std::size_t index = 0;
  if (f.kind == finding_kind::outcome) {
    family = statistic_family::outcome;
    index = static_cast<std::size_t>(f.subject);
  } else if (f.kind == finding_kind::measure_mean || f.kind == finding_kind::measure_per_person ||
             f.kind == finding_kind::resource_share) {
    family = statistic_family::measure;
    index = static_cast<std::size_t>(f.subject);
  }
  cell_status status = cell_status::published;
  std::vector<period_role> periods;
  if (f.period != finding_period::previous) periods.push_back(period_role::current);
  if (f.period != finding_period::current && c.has_previous()) periods.push_back(period_role::previous);
  for (const period_role p : periods)
    for (const std::int32_t sex : {iso5218::female, iso5218::male}) {
      levels[0] = builder_context::sex_level(sex);
      status = combine(status, c.ask(p, mask, levels, family, index).family.status);
    }
  return status;
}

bool is_share(finding_kind k) {
  return k == finding_kind::outcome || k == finding_kind::participation_rate || k == finding_kind::participation_share ||
         k == finding_kind::distribution_level || k == finding_kind::resource_share;
}

shown_value scaled(double v, double lo, double hi, double factor) { return {v * factor, lo * factor, hi * factor, {}}; }

}  // namespace

namespace {

report_finding convert(builder_context& c, const finding& f, std::size_t source, const level_resolver& resolve,
                       double significance_level) {
  const bool en = c.english();
  const report_model& m = c.model();
  report_finding r;
  r.source = source;
  r.kind = f.kind;
  r.period = f.period;
  r.computed = f.status;
  r.adjusted = f.adjusted;
  r.what = en ? f.what_en : f.what_sv;
  r.grouping = en ? f.grouping_en : f.grouping_sv;
  r.grouping_dimension = f.grouping_dimension < 0 ? -1 : f.grouping_dimension + 1;
  r.adjusted_for = en ? f.adjusted_for_en : f.adjusted_for_sv;
  r.period_label = f.period_label;
  r.verdict = en ? f.verdict_en : f.verdict_sv;
  r.p_value = f.p_value;
  r.q_value = f.q_value;
  r.persons = f.persons == analysis::persons_unknown ? f.participations : f.persons;

  const bool measure = f.kind == finding_kind::measure_mean || f.kind == finding_kind::measure_per_person;
  const std::string unit = measure && f.subject >= 0 && static_cast<std::size_t>(f.subject) < m.measures.size()
                               ? m.measures[static_cast<std::size_t>(f.subject)].unit
                               : std::string();
  if (f.kind == finding_kind::distribution) {
    r.estimate_kind = value_kind::percent;
  } else if (is_share(f.kind)) {
    r.estimate_kind = value_kind::percent;
    r.estimate_unit = "%";
    r.women = scaled(f.women.estimate, f.women.lower, f.women.upper, 100.0);
    r.men = scaled(f.men.estimate, f.men.lower, f.men.upper, 100.0);
  } else {
    r.estimate_kind = value_kind::amount;
    r.estimate_unit = unit;
    r.women = scaled(f.women.estimate, f.women.lower, f.women.upper, 1.0);
    r.men = scaled(f.men.estimate, f.men.lower, f.men.upper, 1.0);
  }
  switch (f.effect) {
    case effect_measure::proportion_difference:
    case effect_measure::share_difference:
      r.difference_kind = value_kind::percentage_points;
      r.difference_unit = std::string(c.text().percentage_points);
      r.difference = scaled(f.difference, f.difference_lower, f.difference_upper, 100.0);
      break;
    case effect_measure::mean_difference:
      r.difference_kind = value_kind::amount;
      r.difference_unit = unit;
      r.difference = scaled(f.difference, f.difference_lower, f.difference_upper, 1.0);
      break;
    case effect_measure::ratio:
      r.difference_kind = value_kind::ratio;
      r.difference = scaled(f.ratio, f.ratio_lower, f.ratio_upper, 1.0);
      break;
    case effect_measure::none:
      r.difference_kind = value_kind::ratio;
      break;
  }
  r.clear = f.status == analysis::finding_status::ok && !std::isnan(f.q_value) && f.q_value <= significance_level;

  cell_status status = c.input().protection.internal_use_only ? cell_status::internal : cell_status::published;
  if (!c.input().protection.internal_use_only) {
    if (c.input().protection.findings) {
      const cell_status own = c.input().protection.findings(f);
      if (own == cell_status::internal)
        throw usage_error("report protection: the finding callback returned status internal, which only an internal "
                          "report may have");
      status = combine(status, own);
    }
    status = combine(status, cell_status_of(c, f, resolve));
  }
  r.status = status;
  // Plain assignments, not a loop over {&r.women, &r.men, &r.difference}: GCC 12 at -O3 misreads
  // that loop as writing past the end of r (-Wstringop-overflow) and the Release build fails.
  r.women.status = r.men.status = r.difference.status = status;
  if (is_suppressed(status)) {
    const shown_value hidden{nan_value, nan_value, nan_value, status};
    r.women = hidden;
    r.men = hidden;
    r.difference = hidden;
    r.p_value = r.q_value = nan_value;
    r.clear = false;
    r.verdict = std::string(c.text().suppressed_finding);
    c.model().any_suppressed = true;
  } else if (status == cell_status::perturbed) {
    c.model().any_perturbed = true;
  }
  return r;
}

// Importance: findings that could be computed and are shown first, clear differences before the
// rest, then the stronger evidence (smaller q; on ties, e.g. q underflowing to 0, the larger
// |difference| relative to its interval), untested findings last.
bool more_important(const report_finding& a, const report_finding& b) {
  auto shown = [](const report_finding& f) {
    return f.computed == analysis::finding_status::ok && !is_suppressed(f.status);
  };
  if (shown(a) != shown(b)) return shown(a);
  if (a.clear != b.clear) return a.clear;
  const bool ta = !std::isnan(a.q_value), tb = !std::isnan(b.q_value);
  if (ta != tb) return ta;
  if (ta && a.q_value != b.q_value) return a.q_value < b.q_value;
  auto strength = [](const report_finding& f) {
    const double width = f.difference.upper - f.difference.lower;
    const double centre = f.difference_kind == value_kind::ratio ? std::fabs(std::log(f.difference.value))
                                                                 : std::fabs(f.difference.value);
    return width > 0.0 && std::isfinite(width) ? centre / width : 0.0;
  };
  return strength(a) > strength(b);
}

using finding_key = std::tuple<finding_kind, std::int32_t, std::int32_t, std::int32_t, std::int32_t, bool>;
finding_key key_of(const finding& f) {
  return {f.kind, f.subject, f.subject_level, f.grouping_dimension, f.grouping_level, f.adjusted};
}

}  // namespace

void build_findings(builder_context& c) {
  const analysis::gap_report* gap = c.input().gap;
  if (gap == nullptr) return;
  report_model& m = c.model();
  const level_resolver resolve = [](std::int32_t d, std::int32_t l) {
    return std::vector<std::pair<std::size_t, std::uint32_t>>{{static_cast<std::size_t>(d) + 1, static_cast<std::uint32_t>(l)}};
  };
  std::map<finding_key, std::size_t> current, previous;
  for (std::size_t i = 0; i < gap->findings.size(); ++i) {
    const finding& f = gap->findings[i];
    if (f.period == finding_period::current) current[key_of(f)] = i;
    if (f.period == finding_period::previous) previous[key_of(f)] = i;
  }
  for (std::size_t i = 0; i < gap->findings.size(); ++i) {
    const finding& f = gap->findings[i];
    report_finding r = convert(c, f, i, resolve, gap->significance_level);
    if (f.period == finding_period::change) {
      // The gap in each period, as the two period findings show it (with their own statuses).
      const auto now = current.find(key_of(f));
      const auto before = previous.find(key_of(f));
      if (now != current.end() && before != previous.end() && !is_suppressed(r.status)) {
        const report_finding a = convert(c, gap->findings[before->second], before->second, resolve, gap->significance_level);
        const report_finding b = convert(c, gap->findings[now->second], now->second, resolve, gap->significance_level);
        r.gap_before = a.difference;
        r.gap_now = b.difference;
      }
      m.changes.push_back(std::move(r));
    } else {
      m.findings.push_back(std::move(r));
    }
  }
  std::stable_sort(m.findings.begin(), m.findings.end(), more_important);
  std::stable_sort(m.changes.begin(), m.changes.end(), more_important);
}

void build_heat_map(builder_context& c) {
  const analysis::intersectional_table* strata = c.input().strata;
  const report_model& model = c.model();
  if (strata == nullptr || model.outcomes.empty()) return;
  const std::size_t outcome = c.input().heat_map_outcome;
  const std::vector<std::size_t>& dims = strata->dimensions;
  const level_resolver resolve = [&](std::int32_t, std::int32_t l) {
    std::vector<std::pair<std::size_t, std::uint32_t>> out;
    const analysis::stratum_key& k = strata->strata.at(static_cast<std::size_t>(l));
    for (std::size_t i = 0; i < dims.size(); ++i) out.emplace_back(dims[i], k.levels[i]);
    return out;
  };
  heat_map h;
  h.subject = model.outcomes[outcome].label;
  h.subject_name = model.outcomes[outcome].name;
  h.dimensions = dims;
  h.title = std::string(c.text().heat_map_title) + lower_first(h.subject);
  const bool grid = dims.size() == 2;
  if (grid) {
    h.row_dimension = model.dimensions[dims[0]].label;
    h.column_dimension = model.dimensions[dims[1]].label;
    h.row_labels = model.dimensions[dims[0]].levels;
    h.column_labels = model.dimensions[dims[1]].levels;
  } else {
    std::vector<std::string> names;
    for (const std::size_t d : dims) names.push_back(model.dimensions[d].label);
    h.row_dimension = dims.size() == 1 ? names[0] : join_words(names, c.input().lang);
    if (dims.size() == 1) {
      h.row_labels = model.dimensions[dims[0]].levels;
    } else {
      for (const analysis::stratum_key& k : strata->strata) h.row_labels.push_back(c.english() ? k.label_en : k.label_sv);
    }
    h.column_labels = {h.subject};
  }
  h.cells.assign(h.row_labels.size() * h.column_labels.size(), heat_cell{});
  for (std::size_t i = 0; i < strata->report.findings.size(); ++i) {
    const finding& f = strata->report.findings[i];
    if (f.kind != finding_kind::outcome || f.period != finding_period::current || f.adjusted || f.grouping_dimension != 0 ||
        f.subject != static_cast<std::int32_t>(outcome) || f.grouping_level < 0)
      continue;
    const std::size_t s = static_cast<std::size_t>(f.grouping_level);
    const analysis::stratum_key& k = strata->strata.at(s);
    std::size_t row = 0, column = 0;
    if (grid) {
      row = k.levels[0];
      column = k.levels[1];
    } else {
      row = dims.size() == 1 ? k.levels[0] : s;
    }
    const report_finding r = convert(c, f, i, resolve, strata->report.significance_level);
    heat_cell& cell = h.cells[row * h.column_labels.size() + column];
    cell.present = f.participations > 0;
    cell.levels = k.levels;
    cell.gap = r.difference;
    cell.women = r.women;
    cell.men = r.men;
    cell.clear = r.clear;
    cell.q_value = r.q_value;
  }
  c.model().strata_heat_map = std::move(h);
}

}  // namespace jamstat::report::detail
