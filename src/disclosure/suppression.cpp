// Secondary suppression across all published groupings at once (see complement.hpp).
#include "jamstat/disclosure/suppression.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
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
  const std::uint64_t cell = row / q.system->components();
  const std::size_t comp = row % q.system->components();
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
      if (comp == 0) secondary(p.outcomes[q.index][cell]);
      break;
    case audited_quantity::measure_sum:
      secondary(p.measures[q.index][cell]);
      break;
  }
}

/// The sensitive classes of one quantity and their protection (merged per class). An
/// outcome's group disclosure moves its successes with the participations unchanged: up when
/// nobody has the outcome, down (failures up) when everyone has it.
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
    target& t = out[static_cast<std::size_t>(i)];
    t.lower = std::max(t.lower, lower);
    t.upper = std::max(t.upper, upper);
  };
  for (std::uint64_t cell = 0; cell < c.cell_count(); ++cell) {
    const std::uint64_t row = sys.row_of(cell, 0);
    switch (q.kind) {
      case audited_quantity::persons:
      case audited_quantity::participations:
        if (s.count[cell]) {
          const protection p = frequency_protection(sys.row_value(row), rules);
          add(row, p.lower, p.upper);
        }
        break;
      case audited_quantity::successes:
      case audited_quantity::failures: {
        const group_disclosure gd = s.outcome[q.index][cell];
        const double need = group_protection(c, cell, rules);
        if (gd == group_disclosure::nobody) add(row, 0.0, need);
        if (gd == group_disclosure::everyone) add(row, need, 0.0);
        break;
      }
      case audited_quantity::measure_sum: {
        const protection p = s.measure[q.index][cell];
        if (p.needed()) add(row, p.lower / q.scale, p.upper / q.scale);
        break;
      }
    }
  }
  // Larger protection first: its complements often protect smaller ones on the way.
  std::stable_sort(out.begin(), out.end(),
                   [](const target& a, const target& b) { return a.lower + a.upper > b.lower + b.upper; });
  return out;
}

// Hypercubes of up to five dimensions are priced. In a full cube of D dimensions every cube
// moves 2^D published cells, but a cube over more dimensions moves only the cells of finer
// tables, which are smaller: with many persons, five-dimensional cubes cost a fraction of
// rectangles, whose cells in two-dimensional tables are large.
constexpr std::size_t max_cube_dims = 5;
constexpr std::uint64_t candidate_budget = 400000;

/// One protection pass over one quantity.
class protector {
 public:
  protector(const cube& c, const quantity& q, const suppression_rules& rules, suppression_pattern& pattern)
      : q_(q), sys_(*q.system), pattern_(pattern) {
    const std::size_t classes = sys_.classes();
    states_.assign(classes, class_state::hidden);
    costs_.assign(classes, 0.0);
    for (std::size_t k = 0; k < classes; ++k)
      for (const std::uint64_t row : sys_.class_rows(k)) {
        if (!row_shown(q, pattern, row)) continue;
        const std::uint64_t cell = row / sys_.components();
        // Empty cells are published as 0 and never suppressed; in an outcome's pass the
        // counts are settled, so its published participations stay published.
        const bool settled = c.participations()[cell] == 0 || row % sys_.components() == 1;
        if (settled) {
          states_[k] = class_state::fixed;
        } else {
          if (states_[k] == class_state::hidden) states_[k] = class_state::shown;
          costs_[k] += rules.cost == suppression_cost::cells ? 1.0 : 1.0 + static_cast<double>(c.persons()[cell]);
        }
      }
    values_.resize(sys_.variables());
    for (std::size_t v = 0; v < sys_.variables(); ++v) values_[v] = sys_.variable_value(v);
    moved_.assign(classes, 0.0);
    best_up_.assign(classes, 0.0);
    best_down_.assign(classes, 0.0);
  }

  void protect(const target& t, double margin) {
    if (states_[t.k] == class_state::fixed)
      throw std::logic_error("disclosure: a sensitive statistic equals a statistic that must stay published");
    if (states_[t.k] == class_state::shown) hide(t.k);  // it equals a published marginal: both go
    for (const double direction : {1.0, -1.0}) {
      const double need = (direction > 0 ? t.upper : t.lower) * (1.0 + margin) + margin;
      if (need <= 0.0) continue;
      const double reached = direction > 0 ? best_up_[t.k] : -best_down_[t.k];
      if (reached >= need - 1e-9 * std::max(1.0, need)) continue;  // certified by an earlier table
      protect_direction(t.k, direction * need);
    }
  }

  std::uint64_t linear_programs() const noexcept { return linear_programs_; }

 private:
  /// Moves of the classes touched by a set of variable changes (scratch: moved_).
  void accumulate(const std::vector<std::pair<std::uint32_t, double>>& changes, std::vector<std::uint32_t>& touched) {
    for (const auto& [v, delta] : changes)
      for (const std::uint32_t k : sys_.variable_classes(v)) {
        if (moved_[k] == 0.0) touched.push_back(k);
        moved_[k] += delta;
        if (moved_[k] == 0.0) moved_[k] = 1e-300;  // keep it in `touched` exactly once
      }
  }

  double eps(double amount) const noexcept { return 1e-7 * std::max(1.0, std::abs(amount)); }

  /// Room to move a variable: down to 0, and for an outcome's successes up to its participations.
  double room(std::uint32_t v, double sign) const {
    if (sign < 0) return values_[v];
    if (!sys_.ordered()) return std::numeric_limits<double>::infinity();
    const std::int32_t n = sys_.variable_of(sys_.variable_finest(v), 1);
    return values_[static_cast<std::size_t>(n)] - values_[v];
  }

  /// The cheapest hypercube through a variable of class t that moves t by `amount`, given the
  /// changes already planned (`planned`: classes they move, free to use).
  std::optional<certificate> cheapest_cube(std::uint32_t t, double amount, const std::vector<std::uint8_t>& planned) {
    const cube& grid = sys_.grid();
    const std::size_t comp = sys_.class_rows(t)[0] % sys_.components();
    const double sign = amount > 0 ? 1.0 : -1.0, a = std::abs(amount);
    std::vector<std::uint32_t> anchors;
    for (const std::uint32_t v : sys_.class_variables(t))
      if (room(v, sign) >= a - eps(a)) anchors.push_back(v);
    if (anchors.size() > 8) {
      std::partial_sort(anchors.begin(), anchors.begin() + 8, anchors.end(),
                        [&](std::uint32_t x, std::uint32_t y) { return room(x, sign) > room(y, sign); });
      anchors.resize(8);
    }
    const std::size_t dims = grid.dimensions();
    std::optional<certificate> best;
    std::vector<std::uint32_t> touched;
    std::vector<std::pair<std::uint32_t, double>> changes;
    std::size_t chosen_dims[max_cube_dims];
    std::uint32_t chosen_levels[max_cube_dims];
    std::uint64_t candidates = 0;
    auto evaluate = [&](std::uint64_t f0, std::size_t k) {
      ++candidates;
      changes.clear();
      for (std::uint32_t m = 0; m < (1u << k); ++m) {
        std::uint64_t f = f0;
        int flips = 0;
        for (std::size_t i = 0; i < k; ++i)
          if (m >> i & 1) {
            f = grid.with_level(f, chosen_dims[i], chosen_levels[i]);
            ++flips;
          }
        const std::int32_t v = sys_.variable_of(f, comp);
        if (v < 0) return;  // a structural zero cannot change
        const double s = (flips % 2 == 0) ? sign : -sign;
        if (room(static_cast<std::uint32_t>(v), s) < a - eps(a)) return;
        changes.emplace_back(static_cast<std::uint32_t>(v), s * a);
      }
      touched.clear();
      accumulate(changes, touched);
      certificate cert;
      bool ok = std::abs(moved_[t] - sign * a) <= eps(a);
      for (const std::uint32_t kk : touched) {
        const double m = moved_[kk];
        moved_[kk] = 0.0;
        if (!ok || std::abs(m) <= eps(a)) continue;
        if (states_[kk] == class_state::fixed) ok = false;
        else if (states_[kk] == class_state::shown && !planned[kk]) cert.cost += costs_[kk];
        cert.classes.emplace_back(kk, m);
      }
      if (!ok || (best && cert.cost >= best->cost)) return;
      cert.variables = changes;
      best = std::move(cert);
    };
    for (const std::uint32_t anchor : anchors) {
      const std::uint64_t f0 = sys_.variable_finest(anchor);
      for (std::size_t k = 1; k <= max_cube_dims && k <= dims; ++k) {
        // A free cube cannot be beaten; past the budget, keep what was found.
        if (best && (best->cost == 0.0 || candidates > candidate_budget)) break;
        // every set of k dimensions and every choice of other levels along them
        std::size_t ds[max_cube_dims];
        for (std::size_t i = 0; i < k; ++i) ds[i] = i;
        while (true) {
          std::uint32_t ls[max_cube_dims] = {};
          bool levels_left = true;
          for (std::size_t i = 0; i < k; ++i) {
            if (grid.levels(ds[i]) < 2) levels_left = false;
            chosen_dims[i] = ds[i];
          }
          while (levels_left) {
            bool distinct = true;
            for (std::size_t i = 0; i < k; ++i) {
              chosen_levels[i] = ls[i];
              if (ls[i] == grid.level(f0, ds[i])) distinct = false;
            }
            if (distinct) evaluate(f0, k);
            std::size_t i = 0;
            for (; i < k; ++i) {
              if (++ls[i] < grid.levels(ds[i])) break;
              ls[i] = 0;
            }
            if (i == k) break;
          }
          // next combination of k dimensions
          std::size_t i = k;
          while (i > 0 && ds[i - 1] == dims - k + i - 1) --i;
          if (i == 0) break;
          ++ds[i - 1];
          for (std::size_t j = i; j < k; ++j) ds[j] = ds[j - 1] + 1;
        }
      }
    }
    return best;
  }

  void hide(std::uint32_t k) {
    states_[k] = class_state::hidden;
    for (const std::uint64_t row : sys_.class_rows(k))
      if (row_shown(q_, pattern_, row)) hide_row(q_, pattern_, row);
  }

  /// Applies a certificate's changes to values_ (sign +1) or reverts them (sign -1).
  void apply(const std::vector<std::pair<std::uint32_t, double>>& changes, double sign) {
    for (const auto& [v, d] : changes) values_[v] += sign * d;
  }

  void protect_direction(std::uint32_t t, double amount) {
    const double sign = amount > 0 ? 1.0 : -1.0;
    double remaining = std::abs(amount);
    std::vector<std::pair<std::uint32_t, double>> total;  // the combined certificate
    std::vector<std::uint8_t> planned(sys_.classes(), 0);
    // Hypercubes, the whole amount at once or, when no cube has room, in parts.
    for (int step = 0; step < 8 && remaining > eps(amount); ++step) {
      std::optional<certificate> cert;
      for (double part = remaining; part >= remaining / 16.0 && !cert; part /= 2.0) {
        if (q_.integer && part < 1.0 - 1e-9) break;
        cert = cheapest_cube(t, sign * part, planned);
        if (cert) remaining -= part;
      }
      if (!cert) break;
      apply(cert->variables, 1.0);
      total.insert(total.end(), cert->variables.begin(), cert->variables.end());
      for (const auto& [k, m] : cert->classes) planned[k] = 1;
    }
    if (remaining > eps(amount)) {
      // The LP of one cell over the variables near it, then over all of them.
      std::vector<std::uint32_t> near = neighbourhood(t);
      const std::vector<std::uint32_t> none;
      std::optional<certificate> cert = complement_lp(sys_, states_, costs_, values_, near, t, sign * remaining, linear_programs_);
      if (!cert) cert = complement_lp(sys_, states_, costs_, values_, everything(), t, sign * remaining, linear_programs_);
      if (!cert) throw std::logic_error("disclosure: no table exists that moves a sensitive statistic by its protection level");
      apply(cert->variables, 1.0);
      total.insert(total.end(), cert->variables.begin(), cert->variables.end());
    }
    apply(total, -1.0);  // values_ back to the true table
    // The combined certificate: hide every shown class it moves, and remember how far it moves
    // each class (a later sensitive class it already moves far enough needs nothing more).
    std::vector<std::uint32_t> touched;
    accumulate(total, touched);
    std::vector<std::pair<std::uint32_t, double>> moves;
    for (const std::uint32_t k : touched) {
      const double m = moved_[k];
      moved_[k] = 0.0;
      if (std::abs(m) <= eps(amount)) continue;
      moves.emplace_back(k, m);
      if (states_[k] == class_state::shown) hide(k);
      else if (states_[k] == class_state::fixed)
        throw std::logic_error("disclosure: a certificate moves a statistic that must stay published");
    }
    for (const auto& [k, m] : moves) {
      best_up_[k] = std::max(best_up_[k], m);
      best_down_[k] = std::min(best_down_[k], m);
    }
    // The opposite table x - (y - x) is a certificate too when it stays feasible: it moves the
    // same (now hidden) classes the other way, for free.
    bool mirror = true;
    for (const auto& [v, d] : total) {
      values_[v] -= d;
      if (values_[v] < -1e-9) mirror = false;
    }
    if (mirror && sys_.ordered())
      for (const auto& [v, d] : total) {
        const std::int32_t n = sys_.variable_of(sys_.variable_finest(v), 1);
        if (values_[v] > values_[static_cast<std::size_t>(n)] + 1e-9) mirror = false;
      }
    for (const auto& [v, d] : total) values_[v] += d;
    if (mirror)
      for (const auto& [k, m] : moves) {
        best_up_[k] = std::max(best_up_[k], -m);
        best_down_[k] = std::min(best_down_[k], -m);
      }
  }

  /// The variables of the target's finest cells and of every finest cell one level away from
  /// one of them (for an outcome, successes only: the participations stay as published).
  std::vector<std::uint32_t> neighbourhood(std::uint32_t t) const {
    const cube& grid = sys_.grid();
    const std::size_t comp = sys_.class_rows(t)[0] % sys_.components();
    std::vector<std::uint32_t> out;
    for (const std::uint32_t v : sys_.class_variables(t)) {
      const std::uint64_t f = sys_.variable_finest(v);
      out.push_back(v);
      for (std::size_t d = 0; d < grid.dimensions(); ++d)
        for (std::uint32_t l = 0; l < grid.levels(d); ++l) {
          if (l == grid.level(f, d)) continue;
          const std::int32_t w = sys_.variable_of(grid.with_level(f, d, l), comp);
          if (w >= 0) out.push_back(static_cast<std::uint32_t>(w));
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  std::vector<std::uint32_t> everything() const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t v = 0; v < sys_.variables(); ++v)
      if (!sys_.ordered() || sys_.variable_component(v) == 0) out.push_back(v);
    return out;
  }

  const quantity& q_;
  const linear_system& sys_;
  suppression_pattern& pattern_;
  std::vector<class_state> states_;
  std::vector<double> costs_, values_, moved_, best_up_, best_down_;
  std::uint64_t linear_programs_ = 0;
};

std::uint64_t protect_quantity(const cube& c, const quantity& q, const sensitivity& s, const suppression_rules& rules,
                               suppression_pattern& pattern, double margin) {
  const auto targets = targets_of(c, q, s, rules);
  if (targets.empty()) return 0;
  protector p(c, q, rules, pattern);
  for (const target& t : targets) p.protect(t, margin);
  return p.linear_programs();
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
  // Counts first (they settle the participations the outcomes' pass keeps), then every
  // outcome and measure; each quantity starts from the pattern the previous ones left.
  const auto quantities = detail::all_quantities(c, zeros);
  for (const auto& q : quantities) lps += detail::protect_quantity(c, q, s, rules, result.pattern, 0.0);
  // The audit is the check: a statistic the tolerances left short is protected again with a
  // margin.
  for (int round = 0;; ++round) {
    audit_report rep = detail::audit_cube(c, s, result.pattern, rules);
    lps += rep.linear_programs;
    if (rep.under_protected == 0) {
      result.audit = std::move(rep);
      break;
    }
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
