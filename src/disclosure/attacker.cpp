#include "attacker.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>

#include "lp.hpp"

namespace jamstat::disclosure::detail {

namespace {

double tolerance(double scale) noexcept { return 1e-7 * std::max(1.0, std::abs(scale)); }

}  // namespace

attacker::attacker(const linear_system& sys, const std::vector<std::uint8_t>& shown)
    : sys_(&sys), shown_(shown) {
  const std::size_t vars = sys.variables(), classes = sys.classes();
  fixed_.assign(vars, std::numeric_limits<double>::quiet_NaN());
  std::vector<std::size_t> unknown(classes);
  class_rest_.resize(classes);
  for (std::size_t k = 0; k < classes; ++k) {
    unknown[k] = sys.class_variables(k).size();
    class_rest_[k] = sys.class_value(k);
  }
  // Presolve: what the shown values alone determine. A shown class whose remaining value is 0
  // has all its unknown variables 0 (they are non-negative); a shown class with one unknown
  // variable left determines it.
  std::deque<std::uint32_t> queue;
  auto settle = [&](std::size_t k) {
    if (!shown_[k] || unknown[k] == 0) return;
    if (unknown[k] == 1 || class_rest_[k] <= tolerance(sys.class_value(k))) queue.push_back(static_cast<std::uint32_t>(k));
  };
  for (std::size_t k = 0; k < classes; ++k) settle(k);
  auto fix = [&](std::uint32_t v, double x) {
    fixed_[v] = x;
    for (const std::uint32_t k : sys.variable_classes(v)) {
      --unknown[k];
      class_rest_[k] -= x;
      settle(k);
    }
  };
  while (!queue.empty()) {
    const std::uint32_t k = queue.front();
    queue.pop_front();
    if (unknown[k] == 0) continue;
    const bool empty = class_rest_[k] <= tolerance(sys.class_value(k));
    if (!empty && unknown[k] != 1) continue;
    for (const std::uint32_t v : sys.class_variables(k))
      if (std::isnan(fixed_[v])) {
        fix(v, empty ? 0.0 : std::max(0.0, class_rest_[k]));
        if (!empty) break;
      }
  }
  column_.assign(vars, -1);
  int columns = 0;
  for (std::size_t v = 0; v < vars; ++v)
    if (std::isnan(fixed_[v])) column_[v] = columns++;
}

std::vector<interval> attacker::bounds(std::span<const std::uint32_t> targets) {
  const linear_system& sys = *sys_;
  const cube& grid = sys.grid();
  const std::size_t classes = sys.classes();
  const std::size_t columns =
      static_cast<std::size_t>(std::count_if(column_.begin(), column_.end(), [](std::int32_t c) { return c >= 0; }));

  // Each unknown variable is at most the smallest remaining value of a shown class containing it.
  std::vector<double> var_upper(columns, infinity);
  std::vector<std::int32_t> row_of_class(classes, -1);
  int rows = 0;
  for (std::size_t k = 0; k < classes; ++k) {
    if (!shown_[k]) continue;
    bool any = false;
    for (const std::uint32_t v : sys.class_variables(k))
      if (column_[v] >= 0) {
        any = true;
        auto& u = var_upper[static_cast<std::size_t>(column_[v])];
        u = std::min(u, std::max(0.0, class_rest_[k]));
      }
    if (any) row_of_class[k] = rows++;
  }

  struct target_state {
    double constant = 0.0;      // the fixed part
    std::vector<int> cols;      // unknown part
    double trivial_upper = 0.0;
    double tol = 0.0;           // absolute tolerance at the scale of the target's value
    double lower = std::numeric_limits<double>::quiet_NaN(), upper = std::numeric_limits<double>::quiet_NaN();
  };
  std::vector<target_state> ts(targets.size());
  std::vector<std::size_t> pending_upper, pending_lower;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::uint32_t t = targets[i];
    target_state& s = ts[i];
    const auto vars = sys.class_variables(t);
    double sum_upper = 0.0;
    for (const std::uint32_t v : vars) {
      if (column_[v] < 0) {
        s.constant += fixed_[v];
      } else {
        s.cols.push_back(column_[v]);
        sum_upper += var_upper[static_cast<std::size_t>(column_[v])];
      }
    }
    s.tol = tolerance(sys.class_value(t));
    if (s.cols.empty()) {
      s.lower = s.upper = s.constant;
      continue;
    }
    // Shown classes containing the target: the same functional (or the total) of every
    // published cell that contains the target's cells.
    s.trivial_upper = sum_upper;
    const std::uint64_t row = sys.class_rows(t)[0];
    const std::uint64_t cell = row / sys.functionals();
    const auto fn = static_cast<functional>(row % sys.functionals());
    const std::uint64_t mask = grid.mask(grid.grouping_of(cell));
    const std::uint64_t f = sys.variable_finest(vars[0]);
    for (std::size_t g = 0; g < grid.groupings(); ++g) {
      if ((grid.mask(g) & ~mask) != 0) continue;
      const std::uint64_t ancestor = grid.cell_of(g, f);
      for (const functional psi : {functional::total, fn}) {
        const std::int32_t k = sys.class_of(sys.row_of(ancestor, psi));
        if (k >= 0 && shown_[static_cast<std::size_t>(k)])
          s.trivial_upper = std::min(s.trivial_upper, std::max(0.0, class_rest_[static_cast<std::size_t>(k)]));
      }
    }
    if (s.trivial_upper <= s.tol) {
      s.lower = s.constant;
      s.upper = s.constant + std::max(0.0, s.trivial_upper);
      continue;
    }
    pending_upper.push_back(i);
    pending_lower.push_back(i);
  }

  if (!pending_upper.empty() || !pending_lower.empty()) {
    // The LP: unknown variables >= 0, every shown class with unknowns equal to its remaining value.
    sparse_columns a;
    std::vector<std::vector<int>> col_rows(columns);
    for (std::size_t k = 0; k < classes; ++k) {
      if (row_of_class[k] < 0) continue;
      for (const std::uint32_t v : sys.class_variables(k))
        if (column_[v] >= 0) col_rows[static_cast<std::size_t>(column_[v])].push_back(row_of_class[k]);
    }
    for (const auto& r : col_rows) a.add_column(r);
    std::vector<double> lo(columns, 0.0), hi(columns, infinity), obj(columns, 0.0);
    std::vector<double> rlo(static_cast<std::size_t>(rows)), rhi(static_cast<std::size_t>(rows));
    for (std::size_t k = 0; k < classes; ++k)
      if (row_of_class[k] >= 0) {
        const double rest = std::max(0.0, class_rest_[k]);
        rlo[static_cast<std::size_t>(row_of_class[k])] = rhi[static_cast<std::size_t>(row_of_class[k])] = rest;
      }
    linear_program lp(rows, a, lo, hi, obj, rlo, rhi);
    std::vector<double> current(columns, 0.0);
    auto set_objective = [&](const std::vector<double>& next) {
      for (std::size_t j = 0; j < columns; ++j)
        if (next[j] != current[j]) lp.set_objective_coefficient(static_cast<int>(j), next[j]);
      current = next;
    };
    // A solution is a table the attacker cannot rule out: where it attains a trivial bound,
    // that bound is the exact LP bound.
    auto certify = [&](std::span<const double> x) {
      for (auto* list : {&pending_upper, &pending_lower}) {
        const bool upper = list == &pending_upper;
        std::erase_if(*list, [&](std::size_t i) {
          target_state& s = ts[i];
          double sum = 0.0;
          for (const int j : s.cols) sum += x[static_cast<std::size_t>(j)];
          if (upper && sum >= s.trivial_upper - s.tol) {
            s.upper = s.constant + s.trivial_upper;
            return true;
          }
          if (!upper && sum <= s.tol) {
            s.lower = s.constant;
            return true;
          }
          return false;
        });
      }
    };
    auto run = [&](const std::vector<double>& objective) {
      set_objective(objective);
      const auto result = lp.solve_after_objective_change();
      ++linear_programs_;
      if (result == linear_program::outcome::infeasible)
        throw std::logic_error("disclosure: the attacker's LP is infeasible although the true table satisfies it");
      return result;
    };
    // Two LPs that push every pending target up (down) at once settle most bounds.
    if (!pending_upper.empty()) {
      std::vector<double> o(columns, 0.0);
      for (const std::size_t i : pending_upper)
        for (const int j : ts[i].cols) o[static_cast<std::size_t>(j)] -= 1.0;
      if (run(o) == linear_program::outcome::optimal) certify(lp.column_values());
    }
    if (!pending_lower.empty()) {
      std::vector<double> o(columns, 0.0);
      for (const std::size_t i : pending_lower)
        for (const int j : ts[i].cols) o[static_cast<std::size_t>(j)] += 1.0;
      if (run(o) == linear_program::outcome::optimal) certify(lp.column_values());
    }
    // The rest, one LP each.
    while (!pending_upper.empty() || !pending_lower.empty()) {
      const bool upper = !pending_upper.empty();
      const std::size_t i = upper ? pending_upper.back() : pending_lower.back();
      (upper ? pending_upper : pending_lower).pop_back();
      target_state& s = ts[i];
      std::vector<double> o(columns, 0.0);
      for (const int j : s.cols) o[static_cast<std::size_t>(j)] = upper ? -1.0 : 1.0;
      const auto result = run(o);
      if (result == linear_program::outcome::unbounded) {
        if (!upper) throw std::logic_error("disclosure: the attacker's minimization is unbounded");
        s.upper = infinity;
        continue;
      }
      const double value = upper ? -lp.objective_value() : lp.objective_value();
      if (upper) s.upper = s.constant + std::min(value, s.trivial_upper);
      else s.lower = s.constant + std::max(value, 0.0);
      certify(lp.column_values());
    }
  }
  std::vector<interval> out(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) out[i] = {ts[i].lower, ts[i].upper};
  return out;
}

}  // namespace jamstat::disclosure::detail
