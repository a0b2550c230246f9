// The gap report: runs the comparisons of proportions, contingency tables, stratified comparisons,
// resources, period changes and multiple testing over engine-neutral cells.
#include "jamstat/analysis/gap_report.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "gap_tables.hpp"
#include "gap_text.hpp"
#include "jamstat/analysis/multiple_testing.hpp"
#include "jamstat/analysis/period_change.hpp"
#include "jamstat/analysis/proportions.hpp"
#include "jamstat/analysis/resources.hpp"
#include "jamstat/analysis/stratified.hpp"
#include "jamstat/engine/errors.hpp"
#include "numeric.hpp"

namespace jamstat::analysis {

using detail::as_double;
using detail::men_slot;
using detail::nan;
using detail::not_applicable_slot;
using detail::not_known_slot;
using detail::sex_slots;
using detail::women_slot;

namespace {

constexpr std::size_t no_dimension = static_cast<std::size_t>(-1);

sex_figures blank_figures() { return {0, 0, nan, nan, nan, nan, nan, nan}; }

finding blank_finding(finding_kind kind, finding_period period, std::size_t grouping_dimension,
                      std::uint32_t grouping_level) {
  finding f{};
  f.kind = kind;
  f.period = period;
  f.status = finding_status::ok;
  f.adjusted = false;
  f.subject = -1;
  f.subject_level = -1;
  f.grouping_dimension = grouping_dimension == no_dimension ? -1 : static_cast<std::int32_t>(grouping_dimension);
  f.grouping_level = grouping_dimension == no_dimension ? -1 : static_cast<std::int32_t>(grouping_level);
  f.adjusted_for = 0;
  f.women = f.men = f.not_known = f.not_applicable = blank_figures();
  f.effect = effect_measure::none;
  f.difference = f.difference_lower = f.difference_upper = f.difference_standard_error = nan;
  f.ratio = f.ratio_lower = f.ratio_upper = f.ratio_log_standard_error = nan;
  f.odds_ratio = f.odds_ratio_lower = f.odds_ratio_upper = f.odds_ratio_log_standard_error = nan;
  f.statistic = f.df = f.p_value = f.q_value = f.holm_p_value = nan;
  f.method = test_method::none;
  f.homogeneity_p_value = nan;
  f.monte_carlo_standard_error = 0.0;
  f.persons = 0;
  f.participations = 0;
  f.persons_exact = true;
  f.smallest_cell_persons = persons_unknown;
  return f;
}

sex_figures& figures_of(finding& f, std::size_t slot) {
  switch (slot) {
    case women_slot: return f.women;
    case men_slot: return f.men;
    case not_known_slot: return f.not_known;
    default: return f.not_applicable;
  }
}

// Persons where known, else participations: what the minimum and disclosure counts use.
std::uint64_t head_count(std::uint64_t persons, std::uint64_t participations) {
  return persons == persons_unknown ? participations : persons;
}

finding_status comparison_status(std::uint64_t women, std::uint64_t men, std::uint64_t minimum) {
  if (women == 0 || men == 0) return finding_status::no_comparison;
  if (women < minimum || men < minimum) return finding_status::too_few_persons;
  return finding_status::ok;
}

void set_estimate(sex_figures& s, const estimate& e) {
  s.estimate = e.value;
  s.lower = e.ci.lower;
  s.upper = e.ci.upper;
  s.standard_error = e.standard_error;
}

void set_difference(finding& f, effect_measure effect, const estimate& e) {
  f.effect = effect;
  f.difference = e.value;
  f.difference_lower = e.ci.lower;
  f.difference_upper = e.ci.upper;
  f.difference_standard_error = e.standard_error;
}

void set_ratio(finding& f, const ratio_estimate& r) {
  f.ratio = r.value;
  f.ratio_lower = r.ci.lower;
  f.ratio_upper = r.ci.upper;
  f.ratio_log_standard_error = r.log_standard_error;
}

void set_odds_ratio(finding& f, const ratio_estimate& r) {
  f.odds_ratio = r.value;
  f.odds_ratio_lower = r.ci.lower;
  f.odds_ratio_upper = r.ci.upper;
  f.odds_ratio_log_standard_error = r.log_standard_error;
}

void set_test(finding& f, const test_result& t, test_method method) {
  f.statistic = t.statistic;
  f.df = t.df;
  f.p_value = t.p_value;
  f.method = std::isnan(t.p_value) ? test_method::none : method;
}

// A proportion's figures: base n, amount x, Wilson interval.
void set_proportion(sex_figures& s, std::uint64_t x, std::uint64_t n, double level) {
  s.base = as_double(n);
  s.amount = as_double(x);
  if (n == 0 || x > n) return;
  const double p = as_double(x) / as_double(n);
  const interval w = wilson_interval(x, n, level);
  s.estimate = p;
  s.lower = w.lower;
  s.upper = w.upper;
  s.standard_error = std::sqrt(p * (1.0 - p) / as_double(n));
}

}  // namespace

namespace {

// Everything one period's findings are built from.
struct report_context {
  const gap_schema& schema;
  const gap_report_options& options;
  std::vector<std::size_t> level_counts;
  std::vector<std::size_t> compare;  // dimension indices
  std::vector<std::size_t> adjust;
  double level;
};

class period_builder {
 public:
  period_builder(const report_context& context, const gap_cells& cells, const target_group* target,
                 finding_period period, std::string period_label, std::vector<finding>& out)
      : c_(context), cells_(cells), target_(target), period_(period), label_(std::move(period_label)), out_(out) {
    masks_.resize(cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::span<const std::uint32_t> levels = cells.levels(i);
      std::uint64_t m = 0;
      for (std::size_t d = 0; d < levels.size(); ++d) {
        if (levels[d] == all_levels) continue;
        if (levels[d] >= c_.level_counts[d]) {
          throw usage_error("gap report: cell " + std::to_string(i) + ": level " + std::to_string(levels[d]) +
                            " of dimension '" + c_.schema.dimensions[d].name + "' is not below its " +
                            std::to_string(c_.level_counts[d]) + " levels");
        }
        m |= std::uint64_t{1} << d;
      }
      masks_[i] = m;
    }
  }

  void run() {
    const detail::group_table overall(cells_, masks_, layout({}));
    grouping(no_dimension, overall, overall);
    for (std::size_t g : c_.compare) {
      const detail::group_table by_level(cells_, masks_, layout({g}));
      grouping(g, by_level, overall);
    }
  }

 private:
  detail::key_layout layout(std::vector<std::size_t> dims) const { return detail::key_layout(std::move(dims), c_.level_counts); }

  bool target_covers(const std::vector<std::size_t>& dims) const {
    if (target_ == nullptr) return false;
    const auto& td = target_->dimensions();
    return std::all_of(dims.begin(), dims.end(), [&](std::size_t d) { return std::find(td.begin(), td.end(), d) != td.end(); });
  }

  // The comparisons within each level of grouping dimension g (or of all participations).
  void grouping(std::size_t g, const detail::group_table& raw, const detail::group_table& overall) {
    std::vector<std::size_t> keep_raw;
    if (g != no_dimension) keep_raw.push_back(g);
    std::vector<std::size_t> factors;
    for (std::size_t d : c_.adjust) if (d != g) factors.push_back(d);
    std::vector<std::size_t> keep_adjusted = keep_raw;
    keep_adjusted.insert(keep_adjusted.end(), factors.begin(), factors.end());
    std::optional<detail::group_table> adjusted;
    if (!factors.empty()) adjusted.emplace(cells_, masks_, layout(keep_adjusted));
    std::optional<detail::population_table> population, population_adjusted;
    if (target_covers(keep_raw)) population.emplace(*target_, layout(keep_raw));
    if (!factors.empty() && target_covers(keep_adjusted)) population_adjusted.emplace(*target_, layout(keep_adjusted));

    std::uint64_t factor_mask = 0;
    std::vector<const bilingual*> factor_labels;
    for (std::size_t d : factors) {
      factor_mask |= std::uint64_t{1} << d;
      factor_labels.push_back(&c_.schema.dimensions[d].label);
    }
    const bilingual factor_text = detail::join_labels(factor_labels);

    const std::size_t levels = g == no_dimension ? 1 : c_.level_counts[g];
    for (std::size_t l = 0; l < levels; ++l) {
      group_ = {g, static_cast<std::uint32_t>(l), l, &raw, adjusted ? &*adjusted : nullptr,
                population ? &*population : nullptr, population_adjusted ? &*population_adjusted : nullptr,
                factor_mask, factor_text};
      if (group_.population) participation();
      for (std::size_t o = 0; o < cells_.outcome_count(); ++o) outcome(o);
      for (std::size_t m = 0; m < cells_.measure_count(); ++m) measure(m);
    }
    if (g != no_dimension) distribution(g, raw, overall);
  }

  // The group being compared: level `level` of dimension `dimension` (key `key` of the raw tables).
  struct group_state {
    std::size_t dimension = no_dimension;
    std::uint32_t level = 0;
    std::size_t key = 0;
    const detail::group_table* raw = nullptr;
    const detail::group_table* adjusted = nullptr;
    const detail::population_table* population = nullptr;
    const detail::population_table* population_adjusted = nullptr;
    std::uint64_t factor_mask = 0;
    bilingual factor_text;
  };

  finding start(finding_kind kind, bool adjusted) const {
    finding f = blank_finding(kind, period_, group_.dimension, group_.level);
    f.period_label = label_;
    if (group_.dimension == no_dimension) {
      f.grouping_sv = "Samtliga";
      f.grouping_en = "All";
    } else {
      const gap_dimension& d = c_.schema.dimensions[group_.dimension];
      f.grouping_sv = d.label.sv + ": " + d.levels[group_.level].sv;
      f.grouping_en = d.label.en + ": " + d.levels[group_.level].en;
    }
    if (adjusted) {
      f.adjusted = true;
      f.adjusted_for = group_.factor_mask;
      f.adjusted_for_sv = group_.factor_text.sv;
      f.adjusted_for_en = group_.factor_text.en;
    }
    return f;
  }

  // Counts of every sex code in key of table t, and the totals the finding rests on.
  static void set_counts(finding& f, const detail::group_table& t, std::size_t key) {
    bool known = true;
    for (std::size_t s = 0; s < sex_slots; ++s) {
      sex_figures& fig = figures_of(f, s);
      fig.participations = t.participations(key, s);
      fig.persons = t.persons(key, s);
      f.participations += fig.participations;
      if (fig.persons == persons_unknown) known = false;
      else f.persons += fig.persons;
    }
    if (!known) f.persons = persons_unknown;
    f.persons_exact = t.persons_exact();
    f.smallest_cell_persons = std::min(head_count(f.women.persons, f.women.participations),
                                       head_count(f.men.persons, f.men.participations));
  }

  // Keys of the adjusted table within the current group.
  template <class F>
  void for_each_stratum(const detail::key_layout& layout, F&& visit) const {
    const std::size_t position = group_.dimension == no_dimension ? no_dimension : layout.position_of(group_.dimension);
    for (std::size_t key = 0; key < layout.keys; ++key) {
      if (position != no_dimension && layout.level(key, position) != group_.level) continue;
      visit(key);
    }
  }

  // Chi-square test of two proportions, or Fisher's test when the exact rule asks for it.
  void two_group_test(finding& f, std::uint64_t x1, std::uint64_t n1, std::uint64_t x2, std::uint64_t n2) const {
    const test_result chi = two_proportion_test(x1, n1, x2, n2, c_.options.continuity_correction);
    set_test(f, chi, test_method::chi_square);
    // Expected counts of the 2x2 table, for the rule.
    const double pooled = as_double(x1 + x2) / as_double(n1 + n2);
    const double expected[4] = {as_double(n1) * pooled, as_double(n1) * (1 - pooled), as_double(n2) * pooled,
                                as_double(n2) * (1 - pooled)};
    chi_square_result shape;
    shape.smallest_expected = *std::min_element(expected, expected + 4);
    shape.expected_below_5 = static_cast<std::size_t>(std::count_if(expected, expected + 4, [](double e) { return e < 5.0; }));
    shape.cells = 4;
    if (pooled > 0 && pooled < 1 && exact_test_needed(shape, c_.options.exact)) {
      const fisher_2x2_result fisher = fisher_exact_2x2(x1, n1 - x1, x2, n2 - x2, c_.level);
      f.statistic = nan;
      f.df = nan;
      f.p_value = fisher.p_value;
      f.method = test_method::exact;
    }
  }

  // --- participation against the target group
  void participation() {
    const detail::group_table& t = *group_.raw;
    const detail::population_table& pop = *group_.population;
    const std::size_t key = group_.key;
    std::uint64_t participants[sex_slots], population[sex_slots];
    for (std::size_t s = 0; s < sex_slots; ++s) {
      participants[s] = head_count(t.persons(key, s), t.participations(key, s));
      population[s] = pop.population(key, s);
    }
    {
      finding f = start(finding_kind::participation_rate, false);
      f.what_sv = "Deltagande i förhållande till målgruppen";
      f.what_en = "Participation relative to the target group";
      set_counts(f, t, key);
      for (std::size_t s = 0; s < sex_slots; ++s) set_proportion(figures_of(f, s), participants[s], population[s], c_.level);
      f.status = comparison_status(population[women_slot], population[men_slot], c_.options.minimum_persons);
      if (participants[women_slot] > population[women_slot] || participants[men_slot] > population[men_slot]) {
        f.status = finding_status::not_a_rate;
      }
      if (f.status == finding_status::ok) {
        proportions_effects(f, participants[women_slot], population[women_slot], participants[men_slot],
                            population[men_slot]);
      }
      out_.push_back(std::move(f));
    }
    if (group_.adjusted != nullptr && group_.population_adjusted != nullptr) participation_adjusted(population);
    {
      finding f = start(finding_kind::participation_share, false);
      f.what_sv = "Kvinnors andel av deltagarna";
      f.what_en = "Women's share of the participants";
      set_counts(f, t, key);
      const std::uint64_t n = participants[women_slot] + participants[men_slot];
      const std::uint64_t target_total = population[women_slot] + population[men_slot];
      set_proportion(f.women, participants[women_slot], n, c_.level);
      set_proportion(f.men, participants[men_slot], n, c_.level);
      f.women.base = f.men.base = as_double(n);
      if (n == 0 || target_total == 0) f.status = finding_status::no_comparison;
      else if (n < c_.options.minimum_persons) f.status = finding_status::too_few_persons;
      if (f.status == finding_status::ok) {
        // The target group's share is taken as known (a register count), so the interval of the
        // difference is the Wilson interval of the share shifted by it.
        const double p0 = as_double(population[women_slot]) / as_double(target_total);
        const interval w = wilson_interval(participants[women_slot], n, c_.level);
        const double share = as_double(participants[women_slot]) / as_double(n);
        set_difference(f, effect_measure::share_difference,
                       {share - p0, {w.lower - p0, w.upper - p0}, std::sqrt(share * (1 - share) / as_double(n))});
        if (p0 > 0) {
          f.ratio = share / p0;  // representation ratio
          f.ratio_lower = w.lower / p0;
          f.ratio_upper = w.upper / p0;
        }
        f.p_value = binomial_test_p(participants[women_slot], n, p0);
        f.method = test_method::exact;
      }
      out_.push_back(std::move(f));
    }
  }

  void participation_adjusted(const std::uint64_t* raw_population) {
    const detail::group_table& t = *group_.adjusted;
    const detail::population_table& pop = *group_.population_adjusted;
    finding f = start(finding_kind::participation_rate, true);
    f.what_sv = "Deltagande i förhållande till målgruppen";
    f.what_en = "Participation relative to the target group";
    set_counts(f, *group_.raw, group_.key);
    strata_.clear();
    bool rate = true;
    std::uint64_t smallest = persons_unknown;
    for_each_stratum(t.layout(), [&](std::size_t key) {
      const std::uint64_t w = head_count(t.persons(key, women_slot), t.participations(key, women_slot));
      const std::uint64_t m = head_count(t.persons(key, men_slot), t.participations(key, men_slot));
      const std::uint64_t pw = pop.population(key, women_slot), pm = pop.population(key, men_slot);
      if (w > pw || m > pm) rate = false;
      if (pw > 0) smallest = std::min(smallest, pw);
      if (pm > 0) smallest = std::min(smallest, pm);
      strata_.push_back({std::min(w, pw), pw, std::min(m, pm), pm});
    });
    f.smallest_cell_persons = smallest;
    f.status = comparison_status(raw_population[women_slot], raw_population[men_slot], c_.options.minimum_persons);
    if (!rate) f.status = finding_status::not_a_rate;
    if (f.status == finding_status::ok) stratified_effects(f);
    out_.push_back(std::move(f));
  }

  // Difference (Newcombe), risk ratio, odds ratio and the test of two proportions.
  void proportions_effects(finding& f, std::uint64_t x1, std::uint64_t n1, std::uint64_t x2, std::uint64_t n2) const {
    set_difference(f, effect_measure::proportion_difference, proportion_difference(x1, n1, x2, n2, c_.level));
    set_ratio(f, risk_ratio(x1, n1, x2, n2, c_.level));
    set_odds_ratio(f, odds_ratio(x1, n1, x2, n2, c_.level));
    two_group_test(f, x1, n1, x2, n2);
  }

  // Mantel-Haenszel effects, CMH test, Breslow-Day-Tarone and directly standardized proportions
  // of strata_ (women group 1).
  void stratified_effects(finding& f) {
    if (strata_.empty()) {
      f.status = finding_status::no_comparison;
      return;
    }
    const mantel_haenszel_result mh = mantel_haenszel(strata_, c_.level);
    if (mh.strata_compared == 0) {
      f.status = finding_status::no_comparison;
      return;
    }
    set_difference(f, effect_measure::proportion_difference, mh.risk_difference);
    set_ratio(f, mh.risk_ratio);
    set_odds_ratio(f, mh.odds_ratio);
    set_test(f, cochran_mantel_haenszel_test(strata_, c_.options.continuity_correction),
             test_method::cochran_mantel_haenszel);
    f.homogeneity_p_value = breslow_day_test(strata_).test.p_value;
    // Directly standardized proportions: the standard is all participations (both groups) of the
    // strata where both groups are present.
    standard_.clear();
    events_[0].clear();
    events_[1].clear();
    bases_[0].clear();
    bases_[1].clear();
    for (const stratum_2x2& s : strata_) {
      if (s.n1 == 0 || s.n2 == 0) continue;
      standard_.push_back(as_double(s.n1 + s.n2));
      events_[0].push_back(as_double(s.successes1));
      bases_[0].push_back(as_double(s.n1));
      events_[1].push_back(as_double(s.successes2));
      bases_[1].push_back(as_double(s.n2));
    }
    set_estimate(f.women, direct_standardization(events_[0], bases_[0], standard_, c_.level).adjusted);
    set_estimate(f.men, direct_standardization(events_[1], bases_[1], standard_, c_.level).adjusted);
  }

  // --- outcomes
  void outcome(std::size_t o) {
    const detail::group_table& t = *group_.raw;
    const std::size_t key = group_.key;
    const gap_outcome& out = c_.schema.outcomes[o];
    finding f = start(finding_kind::outcome, false);
    f.subject = static_cast<std::int32_t>(o);
    f.what_sv = out.label.sv;
    f.what_en = out.label.en;
    set_counts(f, t, key);
    for (std::size_t s = 0; s < sex_slots; ++s) {
      set_proportion(figures_of(f, s), t.successes(key, s, o), t.participations(key, s), c_.level);
    }
    f.status = comparison_status(head_count(f.women.persons, f.women.participations),
                                 head_count(f.men.persons, f.men.participations), c_.options.minimum_persons);
    if (f.status == finding_status::ok) {
      proportions_effects(f, t.successes(key, women_slot, o), t.participations(key, women_slot),
                          t.successes(key, men_slot, o), t.participations(key, men_slot));
    }
    const finding_status raw_status = f.status;
    out_.push_back(std::move(f));
    if (group_.adjusted == nullptr) return;

    const detail::group_table& a = *group_.adjusted;
    finding g = start(finding_kind::outcome, true);
    g.subject = static_cast<std::int32_t>(o);
    g.what_sv = out.label.sv;
    g.what_en = out.label.en;
    set_counts(g, t, key);
    strata_.clear();
    std::uint64_t smallest = persons_unknown;
    for_each_stratum(a.layout(), [&](std::size_t k) {
      const std::uint64_t nw = a.participations(k, women_slot), nm = a.participations(k, men_slot);
      if (nw > 0) smallest = std::min(smallest, head_count(a.persons(k, women_slot), nw));
      if (nm > 0) smallest = std::min(smallest, head_count(a.persons(k, men_slot), nm));
      strata_.push_back({a.successes(k, women_slot, o), nw, a.successes(k, men_slot, o), nm});
    });
    g.smallest_cell_persons = smallest;
    g.status = raw_status;
    if (g.status == finding_status::ok) stratified_effects(g);
    out_.push_back(std::move(g));
  }

  // --- measures
  void measure(std::size_t m) {
    const detail::group_table& t = *group_.raw;
    const std::size_t key = group_.key;
    const gap_measure& me = c_.schema.measures[m];
    sample_moments by_sex[sex_slots];
    for (std::size_t s = 0; s < sex_slots; ++s) by_sex[s] = t.moments(key, s, m).sample();
    const std::uint64_t women = head_count(t.persons(key, women_slot), t.participations(key, women_slot));
    const std::uint64_t men = head_count(t.persons(key, men_slot), t.participations(key, men_slot));
    finding_status status = comparison_status(women, men, c_.options.minimum_persons);
    if (by_sex[women_slot].count == 0 || by_sex[men_slot].count == 0) status = finding_status::no_comparison;

    // Mean per participation, Welch's test.
    finding f = start(finding_kind::measure_mean, false);
    f.subject = static_cast<std::int32_t>(m);
    f.what_sv = me.label.sv + " per deltagande";
    f.what_en = me.label.en + " per participation";
    set_counts(f, t, key);
    for (std::size_t s = 0; s < sex_slots; ++s) {
      sex_figures& fig = figures_of(f, s);
      fig.base = as_double(by_sex[s].count);
      fig.amount = t.moments(key, s, m).sum;
      if (by_sex[s].count > 0) set_estimate(fig, mean_interval(by_sex[s], c_.level));
    }
    f.status = status;
    if (status == finding_status::ok) {
      const welch_result w = welch_t_test(by_sex[women_slot], by_sex[men_slot], c_.level);
      set_difference(f, effect_measure::mean_difference, w.difference);
      set_test(f, w.test, test_method::student_t);
    }
    out_.push_back(std::move(f));
    if (group_.adjusted != nullptr) measure_adjusted(m, status);

    // Sum per person (no interval: the spread of per-person totals is not in the cells).
    finding p = start(finding_kind::measure_per_person, false);
    p.subject = static_cast<std::int32_t>(m);
    p.what_sv = me.label.sv + " per person";
    p.what_en = me.label.en + " per person";
    set_counts(p, t, key);
    bool persons_known = true;
    for (std::size_t s = 0; s < sex_slots; ++s) {
      sex_figures& fig = figures_of(p, s);
      fig.amount = t.moments(key, s, m).sum;
      if (fig.persons == persons_unknown) {
        persons_known = persons_known && (s != women_slot && s != men_slot);
        continue;
      }
      fig.base = as_double(fig.persons);
      if (fig.persons > 0) fig.estimate = fig.amount / fig.base;
    }
    p.status = persons_known ? status : finding_status::no_comparison;
    if (p.status == finding_status::ok) {
      p.effect = effect_measure::mean_difference;
      p.difference = p.women.estimate - p.men.estimate;
    }
    out_.push_back(std::move(p));

    // Share of the resources against share of the participations (measure counts).
    resource_share_finding(m, false, status);
    if (group_.adjusted != nullptr) resource_share_finding(m, true, status);
  }

  void measure_adjusted(std::size_t m, finding_status raw_status) {
    const detail::group_table& a = *group_.adjusted;
    const gap_measure& me = c_.schema.measures[m];
    finding f = start(finding_kind::measure_mean, true);
    f.subject = static_cast<std::int32_t>(m);
    f.what_sv = me.label.sv + " per deltagande";
    f.what_en = me.label.en + " per participation";
    set_counts(f, *group_.raw, group_.key);
    stratum_moments_.clear();
    std::uint64_t smallest = persons_unknown;
    for_each_stratum(a.layout(), [&](std::size_t k) {
      const sample_moments w = a.moments(k, women_slot, m).sample(), n = a.moments(k, men_slot, m).sample();
      if (w.count > 0) smallest = std::min(smallest, head_count(a.persons(k, women_slot), a.participations(k, women_slot)));
      if (n.count > 0) smallest = std::min(smallest, head_count(a.persons(k, men_slot), a.participations(k, men_slot)));
      stratum_moments_.push_back({w, n});
    });
    f.smallest_cell_persons = smallest;
    f.status = raw_status;
    if (f.status == finding_status::ok) {
      const stratified_difference d = stratified_mean_difference(stratum_moments_, c_.level);
      if (d.strata_used == 0) {
        f.status = finding_status::no_comparison;
      } else {
        set_difference(f, effect_measure::mean_difference, d.difference);
        set_test(f, d.test, test_method::normal);
        // Directly standardized means: strata used by the difference, weighted by their counts.
        double total = 0;
        for (const stratum_moments& s : stratum_moments_) {
          if (s.group1.count >= 2 && s.group2.count >= 2) total += as_double(s.group1.count + s.group2.count);
        }
        const double z = detail::z_for_level(c_.level);
        for (int which = 0; which < 2; ++which) {
          double mean = 0, var = 0;
          for (const stratum_moments& s : stratum_moments_) {
            if (s.group1.count < 2 || s.group2.count < 2) continue;
            const double w = as_double(s.group1.count + s.group2.count) / total;
            const sample_moments& g = which == 0 ? s.group1 : s.group2;
            mean += w * g.mean;
            var += w * w * g.variance / as_double(g.count);
          }
          const double se = std::sqrt(var);
          set_estimate(which == 0 ? f.women : f.men, {mean, {mean - z * se, mean + z * se}, se});
        }
      }
    }
    out_.push_back(std::move(f));
  }

  void resource_share_finding(std::size_t m, bool adjusted, finding_status raw_status) {
    const detail::group_table& t = adjusted ? *group_.adjusted : *group_.raw;
    const gap_measure& me = c_.schema.measures[m];
    finding f = start(finding_kind::resource_share, adjusted);
    f.subject = static_cast<std::int32_t>(m);
    f.what_sv = "Andel av " + detail::lower_first(me.label.sv);
    f.what_en = "Share of " + detail::lower_first(me.label.en);
    set_counts(f, *group_.raw, group_.key);
    resource_moments_.clear();
    bool negative = false;
    const auto collect = [&](std::size_t k) {
      for (std::size_t s = 0; s < sex_slots; ++s) {
        const sample_moments sm = t.moments(k, s, m).sample();
        if (sm.count > 0 && sm.mean < 0) negative = true;
        resource_moments_.push_back(sm);
      }
    };
    if (adjusted) for_each_stratum(t.layout(), collect); else collect(group_.key);
    f.status = raw_status;
    if (negative) f.status = finding_status::no_comparison;  // shares of a signed quantity mean nothing
    if (f.status == finding_status::ok) {
      const resource_share w = resource_share_ratio(resource_moments_, sex_slots, women_slot, c_.level);
      const resource_share n = resource_share_ratio(resource_moments_, sex_slots, men_slot, c_.level);
      set_estimate(f.women, w.ratio);
      set_estimate(f.men, n.ratio);
      f.women.base = w.participant_share;
      f.women.amount = w.resource_share;
      f.men.base = n.participant_share;
      f.men.amount = n.resource_share;
      f.effect = effect_measure::share_difference;
      f.difference = w.resource_share - w.participant_share;
      f.ratio = w.ratio.value;
      f.ratio_lower = w.ratio.ci.lower;
      f.ratio_upper = w.ratio.ci.upper;
      f.ratio_log_standard_error = w.ratio.standard_error;
      set_test(f, w.test, test_method::normal);
      if (std::isnan(f.ratio)) f.status = finding_status::no_comparison;
    }
    out_.push_back(std::move(f));
  }

  // --- the distribution of women's and men's participations over a dimension's levels
  void distribution(std::size_t g, const detail::group_table& by_level, const detail::group_table& overall) {
    const gap_dimension& dim = c_.schema.dimensions[g];
    const std::size_t levels = c_.level_counts[g];
    group_ = {};
    group_.factor_text = {};
    finding f = start(finding_kind::distribution, false);
    f.subject = static_cast<std::int32_t>(g);
    f.what_sv = "Fördelning efter " + detail::lower_first(dim.label.sv);
    f.what_en = "Distribution by " + detail::lower_first(dim.label.en);
    set_counts(f, overall, 0);
    table_.assign(levels * 2, 0);
    std::uint64_t totals[sex_slots] = {0, 0, 0, 0};
    for (std::size_t l = 0; l < levels; ++l) {
      table_[l * 2] = by_level.participations(l, women_slot);
      table_[l * 2 + 1] = by_level.participations(l, men_slot);
      for (std::size_t s = 0; s < sex_slots; ++s) totals[s] += by_level.participations(l, s);
    }
    for (std::size_t s = 0; s < sex_slots; ++s) figures_of(f, s).base = as_double(totals[s]);
    f.status = comparison_status(head_count(f.women.persons, f.women.participations),
                                 head_count(f.men.persons, f.men.participations), c_.options.minimum_persons);
    if (totals[women_slot] == 0 || totals[men_slot] == 0) f.status = finding_status::no_comparison;
    std::optional<independence_test> test;
    if (f.status == finding_status::ok) {
      test = test_independence(table_, levels, 2, c_.options.exact, c_.options.exact_options);
      f.statistic = test->chi_square.test.statistic;
      f.df = test->chi_square.test.df;
      f.p_value = test->p_value;
      f.method = test->method;
      if (test->exact_used) f.monte_carlo_standard_error = test->exact.standard_error;
      if (test->chi_square.test.df == 0) f.method = test_method::none, f.p_value = nan;
    }
    const finding_status status = f.status;
    out_.push_back(std::move(f));
    for (std::size_t l = 0; l < levels; ++l) {
      finding e = start(finding_kind::distribution_level, false);
      e.subject = static_cast<std::int32_t>(g);
      e.subject_level = static_cast<std::int32_t>(l);
      e.what_sv = dim.levels[l].sv;
      e.what_en = dim.levels[l].en;
      set_counts(e, by_level, l);
      for (std::size_t s = 0; s < sex_slots; ++s) {
        set_proportion(figures_of(e, s), by_level.participations(l, s), totals[s], c_.level);
      }
      e.status = status;
      if (status == finding_status::ok) {
        const std::uint64_t xw = table_[l * 2], xm = table_[l * 2 + 1];
        proportions_effects(e, xw, totals[women_slot], xm, totals[men_slot]);
        if (test && e.method == test_method::chi_square) {
          e.statistic = test->chi_square.standardized_residuals[l * 2];  // adjusted residual, women's column
        }
      }
      out_.push_back(std::move(e));
    }
  }

  const report_context& c_;
  const gap_cells& cells_;
  const target_group* target_;
  finding_period period_;
  std::string label_;
  std::vector<finding>& out_;
  std::vector<std::uint64_t> masks_;
  group_state group_;
  // Scratch reused across findings (no allocation per finding once grown).
  std::vector<stratum_2x2> strata_;
  std::vector<double> standard_, events_[2], bases_[2];
  std::vector<stratum_moments> stratum_moments_;
  std::vector<sample_moments> resource_moments_;
  std::vector<std::uint64_t> table_;
};

using finding_key = std::tuple<finding_kind, std::int32_t, std::int32_t, std::int32_t, std::int32_t, bool>;

finding_key key_of(const finding& f) {
  return {f.kind, f.subject, f.subject_level, f.grouping_dimension, f.grouping_level, f.adjusted};
}

// The change of a gap from `before` to `now` (both status ok).
std::optional<finding> change_of(const finding& now, const finding& before, double level, const std::string& label) {
  if (now.kind == finding_kind::distribution || now.kind == finding_kind::measure_per_person) return std::nullopt;
  finding f = now;
  f.period = finding_period::change;
  f.period_label = label;
  f.q_value = f.holm_p_value = nan;
  f.homogeneity_p_value = nan;
  f.monte_carlo_standard_error = 0.0;
  f.statistic = f.df = f.p_value = nan;
  f.method = test_method::none;
  f.persons = (now.persons == persons_unknown || before.persons == persons_unknown) ? persons_unknown
                                                                                     : now.persons + before.persons;
  f.participations = now.participations + before.participations;
  f.smallest_cell_persons = std::min(now.smallest_cell_persons, before.smallest_cell_persons);
  f.persons_exact = now.persons_exact && before.persons_exact;
  const auto ratio_of = [](double v, double lo, double hi, double se) { return ratio_estimate{v, {lo, hi}, se, false}; };
  const ratio_estimate rr_now = ratio_of(now.ratio, now.ratio_lower, now.ratio_upper, now.ratio_log_standard_error);
  const ratio_estimate rr_before =
      ratio_of(before.ratio, before.ratio_lower, before.ratio_upper, before.ratio_log_standard_error);
  const period_change rr = ratio_of_ratios(rr_now, rr_before, level);
  f.ratio = rr.change.value;
  f.ratio_lower = rr.change.ci.lower;
  f.ratio_upper = rr.change.ci.upper;
  f.ratio_log_standard_error = rr.change.standard_error;
  const period_change orr = ratio_of_ratios(
      ratio_of(now.odds_ratio, now.odds_ratio_lower, now.odds_ratio_upper, now.odds_ratio_log_standard_error),
      ratio_of(before.odds_ratio, before.odds_ratio_lower, before.odds_ratio_upper, before.odds_ratio_log_standard_error),
      level);
  f.odds_ratio = orr.change.value;
  f.odds_ratio_lower = orr.change.ci.lower;
  f.odds_ratio_upper = orr.change.ci.upper;
  f.odds_ratio_log_standard_error = orr.change.standard_error;
  period_change main;
  test_method method = test_method::normal;
  if (now.kind == finding_kind::resource_share) {
    main = rr;  // the change of women's resource-to-participant ratio
    f.effect = effect_measure::share_difference;
    f.difference = now.difference - before.difference;
    f.difference_lower = f.difference_upper = f.difference_standard_error = nan;
  } else if (now.kind == finding_kind::measure_mean && !now.adjusted) {
    // Four independent means: Welch-Satterthwaite (moments rebuilt from count, mean and SE).
    const auto moments = [](const sex_figures& s) {
      return sample_moments{static_cast<std::uint64_t>(s.base), s.estimate, s.standard_error * s.standard_error * s.base};
    };
    main = change_in_mean_difference(moments(now.women), moments(now.men), moments(before.women), moments(before.men),
                                     level);
    method = test_method::student_t;
  } else {
    main = change_in_difference({now.difference, {now.difference_lower, now.difference_upper}, now.difference_standard_error},
                                {before.difference, {before.difference_lower, before.difference_upper},
                                 before.difference_standard_error},
                                level);
  }
  if (now.kind != finding_kind::resource_share) {
    f.difference = main.change.value;
    f.difference_lower = main.change.ci.lower;
    f.difference_upper = main.change.ci.upper;
    f.difference_standard_error = main.change.standard_error;
  }
  f.statistic = main.test.statistic;
  f.df = main.test.df;
  f.p_value = main.test.p_value;
  f.method = std::isnan(f.p_value) ? test_method::none : method;
  return f;
}

}  // namespace

gap_report build_gap_report(const gap_schema& schema, const gap_cells& current, const gap_report_options& options) {
  detail::check_confidence_level(options.confidence_level, "build_gap_report");
  if (schema.dimensions.size() > 64) throw usage_error("build_gap_report: at most 64 dimensions are supported");
  const auto check_shape = [&](const gap_cells& cells, const char* which) {
    if (cells.dimension_count() != schema.dimensions.size() || cells.outcome_count() != schema.outcomes.size() ||
        cells.measure_count() != schema.measures.size()) {
      throw usage_error(std::string("build_gap_report: the ") + which +
                        " cells' dimensions, outcomes and measures do not match the schema's");
    }
  };
  check_shape(current, "current");
  if (options.previous != nullptr) check_shape(*options.previous, "previous");
  report_context context{schema, options, {}, {}, {}, options.confidence_level};
  for (const gap_dimension& d : schema.dimensions) {
    if (d.levels.empty()) throw usage_error("build_gap_report: dimension '" + d.name + "' has no levels");
    context.level_counts.push_back(d.levels.size());
  }
  for (const std::string& name : options.compare_across) {
    const std::size_t d = schema.dimension_index(name);
    if (std::find(context.compare.begin(), context.compare.end(), d) == context.compare.end()) context.compare.push_back(d);
  }
  for (const std::string& name : options.adjust_for) context.adjust.push_back(schema.dimension_index(name));
  std::sort(context.adjust.begin(), context.adjust.end());
  context.adjust.erase(std::unique(context.adjust.begin(), context.adjust.end()), context.adjust.end());
  if (options.target != nullptr) {
    for (std::size_t d : options.target->dimensions()) {
      if (d >= schema.dimensions.size()) {
        throw usage_error("build_gap_report: the target group lists dimension " + std::to_string(d) +
                          ", the schema has " + std::to_string(schema.dimensions.size()));
      }
    }
    for (std::size_t i = 0; i < options.target->size(); ++i) {
      const std::span<const std::uint32_t> levels = options.target->levels(i);
      for (std::size_t p = 0; p < levels.size(); ++p) {
        if (levels[p] >= context.level_counts[options.target->dimensions()[p]]) {
          throw usage_error("build_gap_report: target-group cell " + std::to_string(i) + ": level " +
                            std::to_string(levels[p]) + " is outside dimension '" +
                            schema.dimensions[options.target->dimensions()[p]].name + "'");
        }
      }
    }
  }

  gap_report report;
  report.significance_level = 1.0 - options.confidence_level;
  std::vector<finding>& out = report.findings;
  period_builder(context, current, options.target, finding_period::current, options.current_period, out).run();
  if (options.previous != nullptr) {
    const std::size_t first_previous = out.size();
    period_builder(context, *options.previous, options.target, finding_period::previous, options.previous_period, out)
        .run();
    std::map<finding_key, std::size_t> previous;
    for (std::size_t i = first_previous; i < out.size(); ++i) previous.emplace(key_of(out[i]), i);
    const std::string label = options.previous_period.empty() || options.current_period.empty()
                                  ? std::string()
                                  : options.previous_period + "–" + options.current_period;
    std::vector<finding> changes;
    for (std::size_t i = 0; i < first_previous; ++i) {
      const finding& now = out[i];
      const auto it = previous.find(key_of(now));
      if (it == previous.end()) continue;
      const finding& before = out[it->second];
      if (now.status != finding_status::ok || before.status != finding_status::ok) continue;
      if (auto c = change_of(now, before, options.confidence_level, label)) changes.push_back(std::move(*c));
    }
    for (finding& c : changes) out.push_back(std::move(c));
  }

  // Benjamini-Hochberg and Holm over every tested finding.
  std::vector<double> p(out.size()), q(out.size()), h(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) p[i] = out[i].p_value;
  benjamini_hochberg(p, q);
  holm(p, h);
  report.tests = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].q_value = q[i];
    out[i].holm_p_value = h[i];
    if (!std::isnan(p[i])) ++report.tests;
  }

  // Verdicts, adjusted findings read beside their raw counterparts.
  std::map<std::tuple<finding_period, finding_key>, std::size_t> raw_index;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!out[i].adjusted) raw_index.emplace(std::make_tuple(out[i].period, key_of(out[i])), i);
  }
  const detail::verdict_context words{&schema, report.significance_level, options.confidence_level,
                                      options.minimum_persons, options.previous_period};
  for (finding& f : out) {
    const finding* raw = nullptr;
    if (f.adjusted) {
      finding_key k = key_of(f);
      std::get<5>(k) = false;
      const auto it = raw_index.find(std::make_tuple(f.period, k));
      if (it != raw_index.end()) raw = &out[it->second];
    }
    detail::write_verdict(f, raw, words);
  }
  return report;
}

}  // namespace jamstat::analysis
