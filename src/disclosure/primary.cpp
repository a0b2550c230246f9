// Primary suppression: the frequency rule, group disclosure and the dominance rules.
#include <algorithm>
#include <cmath>
#include <string>

#include "jamstat/engine/errors.hpp"
#include "sensitivity.hpp"

namespace jamstat::disclosure {

namespace detail {

void check_rules(const suppression_rules& r) {
  auto fail = [](const std::string& m) { throw usage_error("disclosure: suppression_rules." + m); };
  if (r.frequency_threshold == 0) fail("frequency_threshold must be at least 1 (1 turns the frequency rule off)");
  if (r.dominance == dominance_rule::p_percent && !(r.p_percent > 0.0 && r.p_percent <= 100.0))
    fail("p_percent must be in (0, 100], is " + std::to_string(r.p_percent));
  if (r.dominance == dominance_rule::nk) {
    if (r.nk_n != 1 && r.nk_n != 2) fail("nk_n must be 1 or 2 (only the two largest contributions are known)");
    if (!(r.nk_k > 0.0 && r.nk_k <= 100.0)) fail("nk_k must be in (0, 100], is " + std::to_string(r.nk_k));
  }
  if (r.dominance != dominance_rule::none && r.dominance != dominance_rule::p_percent && r.dominance != dominance_rule::nk)
    fail("dominance is not a known rule");
  if (!(r.frequency_protection_fraction >= 0.0) || !std::isfinite(r.frequency_protection_fraction))
    fail("frequency_protection_fraction must be a finite number >= 0");
  if (!(r.frequency_protection_minimum >= 0.0) || !std::isfinite(r.frequency_protection_minimum))
    fail("frequency_protection_minimum must be a finite number >= 0");
  if (!(r.group_protection >= 0.0) || !std::isfinite(r.group_protection))
    fail("group_protection must be a finite number >= 0");
  if (!(r.dominance_protection_minimum_fraction >= 0.0) || !(r.dominance_protection_minimum_fraction <= 1.0))
    fail("dominance_protection_minimum_fraction must be in [0, 1]");
  if (r.cost != suppression_cost::persons && r.cost != suppression_cost::cells) fail("cost is not a known cost function");
}

protection frequency_protection(double v, const suppression_rules& r) {
  const double level = std::max(r.frequency_protection_minimum, std::ceil(r.frequency_protection_fraction * v));
  return {std::min(v, level), level};
}

double group_protection(const cube& c, std::uint64_t cell, const suppression_rules& r) {
  const double n = static_cast<double>(c.participations()[cell]);
  return std::min(r.group_protection, n);
}

namespace {

// tau-Argus's protection levels of a dominated cell (Hundepool et al., Handbook on Statistical
// Disclosure Control, ch. 4): the p% rule needs the attacker's bounds to be at least
// p/100 x1 - (X - x1 - x2) away from X (then the second-largest contributor cannot estimate the
// largest to within p%); (n,k) needs (100/k) * (sum of the n largest) - X.
protection dominance_protection(double x, double x1, double x2, const suppression_rules& r) {
  if (r.dominance == dominance_rule::none || x1 <= 0.0) return {};
  const double rest = std::max(0.0, x - x1 - x2);
  double level = 0.0;
  if (r.dominance == dominance_rule::p_percent) {
    if (!(rest < r.p_percent / 100.0 * x1)) return {};
    level = r.p_percent / 100.0 * x1 - rest;
  } else {
    const double top = r.nk_n == 1 ? x1 : x1 + x2;
    if (!(top > r.nk_k / 100.0 * x)) return {};
    level = 100.0 / r.nk_k * top - x;
  }
  level = std::max(level, r.dominance_protection_minimum_fraction * x);
  return {std::min(level, x), level};
}

}  // namespace

sensitivity find_sensitive(const cube& c, const suppression_rules& r) {
  check_rules(r);
  const std::uint64_t cells = c.cell_count();
  sensitivity s;
  s.count.assign(cells, 0);
  s.outcome.assign(c.outcomes(), std::vector<group_disclosure>(cells, group_disclosure::none));
  s.measure.assign(c.measures(), std::vector<protection>(cells));
  const auto& persons = c.persons();
  const auto& n = c.participations();
  for (std::uint64_t k = 0; k < cells; ++k) {
    if (n[k] == 0) continue;  // empty cells are never sensitive (they are published as 0)
    s.count[k] = persons[k] < r.frequency_threshold;
    if (persons[k] < r.group_threshold)
      for (std::size_t o = 0; o < c.outcomes(); ++o) {
        const std::uint64_t succ = c.successes(o)[k];
        if (succ == 0) s.outcome[o][k] = group_disclosure::nobody;
        else if (succ == n[k]) s.outcome[o][k] = group_disclosure::everyone;
      }
    for (std::size_t m = 0; m < c.measures(); ++m)
      s.measure[m][k] = dominance_protection(c.sums(m)[k], c.largest(m)[k], c.second_largest(m)[k], r);
  }
  return s;
}

suppression_pattern primary_pattern(const cube& c, const sensitivity& s) {
  const std::uint64_t cells = c.cell_count();
  suppression_pattern p;
  p.counts.assign(cells, cell_status::published);
  p.outcomes.assign(c.outcomes(), std::vector<cell_status>(cells, cell_status::published));
  p.measures.assign(c.measures(), std::vector<cell_status>(cells, cell_status::published));
  for (std::uint64_t k = 0; k < cells; ++k) {
    if (s.count[k]) {
      // Every statistic derived from a suppressed count is suppressed with it.
      p.counts[k] = cell_status::primary;
      for (auto& o : p.outcomes) o[k] = cell_status::primary;
      for (auto& m : p.measures) m[k] = cell_status::primary;
      continue;
    }
    for (std::size_t o = 0; o < c.outcomes(); ++o)
      if (s.outcome[o][k] != group_disclosure::none) p.outcomes[o][k] = cell_status::primary;
    for (std::size_t m = 0; m < c.measures(); ++m)
      if (s.measure[m][k].needed()) p.measures[m][k] = cell_status::primary;
  }
  return p;
}

}  // namespace detail

suppression_pattern primary_suppression(const table_set& tables, const suppression_rules& rules) {
  const detail::cube c(tables);
  return detail::primary_pattern(c, detail::find_sensitive(c, rules));
}

}  // namespace jamstat::disclosure
