#include "complement.hpp"

#include <cmath>
#include <stdexcept>

#include "lp.hpp"

namespace jamstat::disclosure::detail {

namespace {

// A tiny cost per unit of change keeps the certificate table as close to the true one as the
// suppression costs allow (no circulation through hidden cells for free).
constexpr double movement_cost = 1e-6;

}  // namespace

complement::complement(const linear_system& sys, std::vector<state> states, std::vector<double> costs)
    : sys_(&sys), states_(std::move(states)), costs_(std::move(costs)) {
  const std::size_t n = sys.variables(), classes = sys.classes();
  sparse_columns a;
  std::vector<int> rows;
  for (int sign = 0; sign < 2; ++sign)
    for (std::size_t v = 0; v < n; ++v) {
      rows.clear();
      for (const std::uint32_t k : sys.variable_classes(v)) rows.push_back(static_cast<int>(k));
      a.add_column(rows, sign == 0 ? 1.0 : -1.0);
    }
  for (std::size_t k = 0; k < classes; ++k) {
    const int r[] = {static_cast<int>(k)};
    a.add_column(r, -1.0);
    a.add_column(r, 1.0);
  }
  const std::size_t columns = 2 * n + 2 * classes;
  std::vector<double> lo(columns, 0.0), hi(columns, infinity), obj(columns, movement_cost);
  for (std::size_t v = 0; v < n; ++v) hi[n + v] = sys.variable_value(v);
  std::vector<double> rlo(classes, 0.0), rhi(classes, 0.0);
  for (std::size_t k = 0; k < classes; ++k) {
    const std::size_t p = 2 * n + 2 * k;
    if (states_[k] == state::shown) {
      obj[p] = obj[p + 1] = costs_[k];
    } else {
      obj[p] = obj[p + 1] = 0.0;
      hi[p] = hi[p + 1] = 0.0;
    }
    if (states_[k] == state::hidden) {
      rlo[k] = -infinity;
      rhi[k] = infinity;
    }
  }
  lp_ = std::make_unique<linear_program>(static_cast<int>(classes), a, lo, hi, obj, rlo, rhi);
  lp_->solve_after_bound_change();
  ++linear_programs_;
}

complement::~complement() = default;

void complement::hide(std::uint32_t k) {
  if (states_[k] == state::hidden) return;
  if (states_[k] == state::fixed) throw std::logic_error("disclosure: a class that must stay published was to be hidden");
  states_[k] = state::hidden;
  const int n = static_cast<int>(sys_->variables());
  lp_->set_row_bounds(static_cast<int>(k), -infinity, infinity);
  lp_->set_column_bounds(2 * n + 2 * static_cast<int>(k), 0.0, 0.0);
  lp_->set_column_bounds(2 * n + 2 * static_cast<int>(k) + 1, 0.0, 0.0);
}

bool complement::protect(std::uint32_t t, double amount, std::vector<std::uint32_t>& hidden_now,
                         std::vector<double>& moved) {
  if (states_[t] != state::hidden) throw std::logic_error("disclosure: only a suppressed class can be protected");
  hidden_now.clear();
  const linear_system& sys = *sys_;
  lp_->set_row_bounds(static_cast<int>(t), amount, amount);
  const auto result = lp_->solve_after_bound_change();
  ++linear_programs_;
  if (result != linear_program::outcome::optimal) {
    lp_->set_row_bounds(static_cast<int>(t), -infinity, infinity);
    return false;
  }
  const std::size_t n = sys.variables();
  const auto x = lp_->column_values();
  moved.assign(sys.classes(), 0.0);
  for (std::size_t v = 0; v < n; ++v) {
    const double delta = x[v] - x[n + v];
    if (delta == 0.0) continue;
    for (const std::uint32_t k : sys.variable_classes(v)) moved[k] += delta;
  }
  const double eps = 1e-6 * std::max(1.0, std::abs(amount));
  for (std::size_t k = 0; k < sys.classes(); ++k)
    if (states_[k] == state::shown && std::abs(moved[k]) > eps) hidden_now.push_back(static_cast<std::uint32_t>(k));
  for (const std::uint32_t k : hidden_now) hide(k);
  lp_->set_row_bounds(static_cast<int>(t), -infinity, infinity);
  return true;
}

}  // namespace jamstat::disclosure::detail
