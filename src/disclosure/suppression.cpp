// Secondary suppression across all published groupings at once.
#include "jamstat/disclosure/suppression.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "audit_impl.hpp"
#include "complement.hpp"
#include "quantity.hpp"

namespace jamstat::disclosure {

namespace detail {
namespace {

/// A sensitive class and how far an attacker's interval must reach below and above its value
/// (in the quantity's units).
struct target {
  std::uint32_t k;
  double lower, upper;
};

/// Hides one statistic of one cell (a row) in the pattern; a hidden count hides every family.
void hide_row(const quantity& q, suppression_pattern& p, std::uint64_t row) {
  const std::uint64_t cell = row / q.system->functionals();
  const auto fn = static_cast<functional>(row % q.system->functionals());
  auto secondary = [](cell_status& s) {
    if (s == cell_status::published) s = cell_status::secondary;
  };
  switch (q.kind) {
    case audited_quantity::persons:
    case audited_quantity::participations:
      secondary(p.counts[cell]);
      for (auto& o : p.outcomes) secondary(o[cell]);
      for (auto& m : p.measures) secondary(m[cell]);
      break;
    case audited_quantity::successes:
    case audited_quantity::failures:
      if (fn == functional::first) secondary(p.outcomes[q.index][cell]);
      break;
    case audited_quantity::measure_sum:
      secondary(p.measures[q.index][cell]);
      break;
  }
}

/// The sensitive classes of one quantity and their protection (merged per class).
std::vector<target> targets_of(const cube& c, const quantity& q, const sensitivity& s, const suppression_rules& rules) {
  const linear_system& sys = *q.system;
  std::vector<target> out;
  std::vector<std::int32_t> at(sys.classes(), -1);
  auto add = [&](std::uint64_t row, double lower, double upper) {
    const std::int32_t k = sys.class_of(row);
    if (k < 0 || (lower <= 0.0 && upper <= 0.0)) return;
    auto& i = at[static_cast<std::size_t>(k)];
    if (i < 0) {
      i = static_cast<std::int32_t>(out.size());
      out.push_back({static_cast<std::uint32_t>(k), 0.0, 0.0});
    }
    out[static_cast<std::size_t>(i)].lower = std::max(out[static_cast<std::size_t>(i)].lower, lower);
    out[static_cast<std::size_t>(i)].upper = std::max(out[static_cast<std::size_t>(i)].upper, upper);
  };
  for (std::uint64_t cell = 0; cell < c.cell_count(); ++cell) {
    switch (q.kind) {
      case audited_quantity::persons:
      case audited_quantity::participations:
        if (s.count[cell]) {
          const std::uint64_t row = sys.row_of(cell, functional::total);
          const protection p = frequency_protection(sys.row_value(row), rules);
          add(row, p.lower, p.upper);
        }
        break;
      case audited_quantity::successes:
      case audited_quantity::failures: {
        const group_disclosure gd = s.outcome[q.index][cell];
        if (gd == group_disclosure::none) break;
        const functional fn = gd == group_disclosure::nobody ? functional::first : functional::second;
        add(sys.row_of(cell, fn), 0.0, group_protection(c, cell, rules));
        break;
      }
      case audited_quantity::measure_sum: {
        const protection p = s.measure[q.index][cell];
        if (p.needed()) add(sys.row_of(cell, functional::total), p.lower / q.scale, p.upper / q.scale);
        break;
      }
    }
  }
  // Larger protection first: its complements often protect smaller ones on the way.
  std::stable_sort(out.begin(), out.end(),
                   [](const target& a, const target& b) { return a.lower + a.upper > b.lower + b.upper; });
  return out;
}

/// Protects every target of one quantity, adding secondary suppressions to `pattern`.
/// `margin` enlarges every protection (used when the audit finds a numerical shortfall).
std::uint64_t protect_quantity(const cube& c, const quantity& q, const sensitivity& s, const suppression_rules& rules,
                               suppression_pattern& pattern, double margin) {
  const linear_system& sys = *q.system;
  const auto targets = targets_of(c, q, s, rules);
  if (targets.empty()) return 0;
  const auto& participations = c.participations();
  const auto& persons = c.persons();
  // Class states and costs. Empty cells are published as 0 and never suppressed; in an
  // outcome's pass the counts are settled, so published participation totals stay published.
  std::vector<complement::state> states(sys.classes(), complement::state::hidden);
  std::vector<double> costs(sys.classes(), 0.0);
  for (std::size_t k = 0; k < sys.classes(); ++k) {
    for (const std::uint64_t row : sys.class_rows(k)) {
      if (!row_shown(q, pattern, row)) continue;
      const std::uint64_t cell = row / sys.functionals();
      const bool settled = participations[cell] == 0 ||
                           (sys.functionals() == 3 && static_cast<functional>(row % 3) == functional::total);
      if (settled) {
        states[k] = complement::state::fixed;
      } else {
        if (states[k] == complement::state::hidden) states[k] = complement::state::shown;
        costs[k] += rules.cost == suppression_cost::cells ? 1.0 : 1.0 + static_cast<double>(persons[cell]);
      }
    }
  }
  complement comp(sys, std::move(states), std::move(costs));
  std::vector<double> best_up(sys.classes(), 0.0), best_down(sys.classes(), 0.0), moved;
  std::vector<std::uint32_t> hidden_now;
  auto hide_class = [&](std::uint32_t k) {
    for (const std::uint64_t row : sys.class_rows(k))
      if (row_shown(q, pattern, row)) hide_row(q, pattern, row);
  };
  for (const target& t : targets) {
    if (comp.class_state(t.k) == complement::state::fixed)
      throw std::logic_error("disclosure: a sensitive statistic equals a statistic that must stay published");
    if (comp.class_state(t.k) == complement::state::shown) {
      // The sensitive statistic equals a published one (a marginal over the same finest
      // cells): both go.
      comp.hide(t.k);
      hide_class(t.k);
    }
    for (const double direction : {1.0, -1.0}) {
      const double need = (direction > 0 ? t.upper : t.lower) * (1.0 + margin) + margin;
      if (need <= 0.0) continue;
      const double reached = direction > 0 ? best_up[t.k] : -best_down[t.k];
      if (reached >= need - 1e-9 * std::max(1.0, need)) continue;  // certified by an earlier table
      if (!comp.protect(t.k, direction * need, hidden_now, moved))
        throw std::logic_error("disclosure: no table exists that moves a sensitive statistic by its protection level");
      for (const std::uint32_t k : hidden_now) hide_class(k);
      for (std::size_t k = 0; k < moved.size(); ++k) {
        best_up[k] = std::max(best_up[k], moved[k]);
        best_down[k] = std::min(best_down[k], moved[k]);
      }
    }
  }
  return comp.linear_programs();
}

}  // namespace
}  // namespace detail

suppression_result protect_by_suppression(const table_set& tables, const suppression_rules& rules) {
  const auto start = std::chrono::steady_clock::now();
  const detail::cube c(tables);
  const detail::sensitivity s = detail::find_sensitive(c, rules);
  suppression_result result;
  result.pattern = detail::primary_pattern(c, s);
  const auto zeros = detail::structural_zeros(c);
  std::uint64_t lps = 0;
  {
    // Counts first (they settle the participation totals the outcomes' pass keeps), then
    // every outcome and measure; each quantity starts from the pattern the previous ones left.
    const auto quantities = detail::all_quantities(c, zeros);
    for (const auto& q : quantities) lps += detail::protect_quantity(c, q, s, rules, result.pattern, 0.0);
    // The audit is the check: a statistic the LP tolerances left short is protected again
    // with a margin.
    for (int round = 0;; ++round) {
      const audit_report rep = detail::audit_cube(c, s, result.pattern, rules);
      lps += rep.linear_programs;
      if (rep.under_protected == 0) break;
      if (round == 3) throw std::logic_error("disclosure: secondary suppression did not pass its audit");
      for (const auto& q : quantities) {
        bool failing = false;
        for (std::size_t i = 0; i < rep.size() && !failing; ++i)
          failing = !rep.protected_enough[i] && rep.index[i] == q.index &&
                    (rep.quantity[i] == q.kind ||
                     (q.kind == audited_quantity::successes && rep.quantity[i] == audited_quantity::failures));
        if (failing) lps += detail::protect_quantity(c, q, s, rules, result.pattern, 1e-4 * (round + 1));
      }
    }
  }
  information_loss& loss = result.loss;
  loss.published_cells = c.cell_count();
  for (std::uint64_t k = 0; k < c.cell_count(); ++k) {
    const cell_status st = result.pattern.counts[k];
    if (st == cell_status::primary) {
      ++loss.primary_cells;
      loss.primary_persons += c.persons()[k];
    } else if (st == cell_status::secondary) {
      ++loss.secondary_cells;
      loss.secondary_persons += c.persons()[k];
    } else {
      for (const auto& o : result.pattern.outcomes) loss.outcome_statistics_suppressed += is_suppressed(o[k]);
      for (const auto& m : result.pattern.measures) loss.measure_statistics_suppressed += is_suppressed(m[k]);
    }
  }
  loss.linear_programs = lps;
  loss.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace jamstat::disclosure
