#include "complement.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "lp.hpp"

namespace jamstat::disclosure::detail {

namespace {

// A tiny cost per unit of change keeps the certificate table as close to the true one as the
// suppression costs allow (no circulation through hidden cells for free).
constexpr double movement_cost = 1e-6;

}  // namespace

std::optional<certificate> complement_lp(const linear_system& sys, const std::vector<class_state>& states,
                                         const std::vector<double>& costs, const std::vector<double>& values,
                                         std::span<const std::uint32_t> variables, std::uint32_t t, double amount,
                                         std::uint64_t& linear_programs) {
  std::vector<std::uint32_t> vars(variables.begin(), variables.end());
  if (vars.empty())
    for (std::uint32_t v = 0; v < sys.variables(); ++v) vars.push_back(v);
  std::vector<std::int32_t> local(sys.variables(), -1);
  for (std::size_t i = 0; i < vars.size(); ++i) local[vars[i]] = static_cast<std::int32_t>(i);
  // Rows: every class that touches a local variable.
  std::unordered_map<std::uint32_t, int> row_of;
  std::vector<std::uint32_t> row_class;
  for (const std::uint32_t v : vars)
    for (const std::uint32_t k : sys.variable_classes(v))
      if (row_of.try_emplace(k, static_cast<int>(row_class.size())).second) row_class.push_back(k);
  if (!row_of.count(t)) return std::nullopt;
  const std::size_t n = vars.size(), rows = row_class.size();
  std::vector<std::vector<std::pair<int, double>>> cols(2 * n);
  std::vector<double> lo(2 * n, 0.0), hi(2 * n, infinity), obj(2 * n, movement_cost);
  for (std::size_t i = 0; i < n; ++i) {
    for (const std::uint32_t k : sys.variable_classes(vars[i])) {
      cols[i].emplace_back(row_of[k], 1.0);
      cols[n + i].emplace_back(row_of[k], -1.0);
    }
    hi[n + i] = std::max(0.0, values[vars[i]]);
  }
  std::vector<double> rlo(rows, 0.0), rhi(rows, 0.0);
  std::vector<std::pair<std::size_t, std::uint32_t>> slack_of;  // (first slack column, row)
  for (std::size_t r = 0; r < rows; ++r) {
    const std::uint32_t k = row_class[r];
    if (k == t) {
      rlo[r] = rhi[r] = amount;
    } else if (states[k] == class_state::hidden) {
      rlo[r] = -infinity;
      rhi[r] = infinity;
    } else if (states[k] == class_state::shown) {
      slack_of.emplace_back(cols.size(), static_cast<std::uint32_t>(r));
      cols.push_back({{static_cast<int>(r), -1.0}});
      cols.push_back({{static_cast<int>(r), 1.0}});
      lo.insert(lo.end(), {0.0, 0.0});
      hi.insert(hi.end(), {infinity, infinity});
      obj.insert(obj.end(), {costs[k], costs[k]});
    }
  }
  int extra_rows = 0;
  if (sys.ordered()) {
    // successes + change <= participations + change in every finest cell
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t v = vars[i];
      const std::uint64_t f = sys.variable_finest(v);
      const std::int32_t sv = sys.variable_of(f, 0), nv = sys.variable_of(f, 1);
      const double room = values[static_cast<std::size_t>(nv)] - values[static_cast<std::size_t>(sv)];
      const std::int32_t ls = local[static_cast<std::size_t>(sv)], ln = local[static_cast<std::size_t>(nv)];
      if (sys.variable_component(v) == 0) {
        if (ln < 0) hi[i] = std::min(hi[i], std::max(0.0, room));
        else {
          const int r = static_cast<int>(rows) + extra_rows++;
          cols[i].emplace_back(r, 1.0);
          cols[n + i].emplace_back(r, -1.0);
          cols[static_cast<std::size_t>(ln)].emplace_back(r, -1.0);
          cols[n + static_cast<std::size_t>(ln)].emplace_back(r, 1.0);
          rlo.push_back(-infinity);
          rhi.push_back(std::max(0.0, room));
        }
      } else if (ls < 0) {
        hi[n + i] = std::min(hi[n + i], std::max(0.0, room));
      }
    }
  }
  sparse_columns a;
  for (const auto& col : cols) {
    for (const auto& [r, c] : col) {
      a.row.push_back(r);
      a.value.push_back(c);
    }
    a.start.push_back(static_cast<std::int64_t>(a.row.size()));
  }
  linear_program lp(static_cast<int>(rows) + extra_rows, a, lo, hi, obj, rlo, rhi);
  const auto result = lp.solve_cold();
  ++linear_programs;
  if (result != linear_program::outcome::optimal) return std::nullopt;
  const auto x = lp.column_values();
  certificate cert;
  std::unordered_map<std::uint32_t, double> moved;
  for (std::size_t i = 0; i < n; ++i) {
    const double delta = x[i] - x[n + i];
    if (std::abs(delta) <= 1e-9 * std::max(1.0, std::abs(amount))) continue;
    cert.variables.emplace_back(vars[i], delta);
    for (const std::uint32_t k : sys.variable_classes(vars[i])) moved[k] += delta;
  }
  const double eps = 1e-6 * std::max(1.0, std::abs(amount));
  for (const auto& [k, m] : moved)
    if (std::abs(m) > eps) {
      cert.classes.emplace_back(k, m);
      if (states[k] == class_state::shown) cert.cost += costs[k];
    }
  std::sort(cert.classes.begin(), cert.classes.end());
  return cert;
}

}  // namespace jamstat::disclosure::detail
