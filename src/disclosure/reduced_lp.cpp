#include "reduced_lp.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>
#include <stdexcept>

#include "lp.hpp"

namespace jamstat::disclosure::detail {

namespace {

constexpr double zero_coefficient = 1e-12;

double tolerance(double scale) noexcept { return 1e-9 * std::max(1.0, std::abs(scale)); }

[[noreturn]] void infeasible() {
  throw std::logic_error("disclosure: the attacker's system is infeasible although the true table satisfies it");
}

}  // namespace

reduced_lp::reduced_lp(std::vector<double> lower, std::vector<double> upper,
                       const std::vector<std::vector<std::pair<int, double>>>& rows, std::vector<double> rhs)
    : lower_(std::move(lower)), upper_(std::move(upper)), rows_(rows), rhs_(std::move(rhs)) {
  const std::size_t n = lower_.size(), m = rows_.size();
  base_.resize(n);
  std::iota(base_.begin(), base_.end(), 0);
  scale_.assign(n, 1.0);
  offset_.assign(n, 0.0);
  row_alive_.assign(m, 1);
  std::vector<std::vector<int>> col_rows(n);
  for (std::size_t r = 0; r < m; ++r)
    for (const auto& [j, c] : rows_[r]) col_rows[static_cast<std::size_t>(j)].push_back(static_cast<int>(r));

  std::deque<int> queue;
  std::vector<std::uint8_t> queued(m, 0);
  auto enqueue = [&](int r) {
    if (row_alive_[static_cast<std::size_t>(r)] && !queued[static_cast<std::size_t>(r)]) {
      queued[static_cast<std::size_t>(r)] = 1;
      queue.push_back(r);
    }
  };
  auto remove_entry = [&](int r, int j) -> double {
    auto& row = rows_[static_cast<std::size_t>(r)];
    for (std::size_t i = 0; i < row.size(); ++i)
      if (row[i].first == j) {
        const double c = row[i].second;
        row[i] = row.back();
        row.pop_back();
        return c;
      }
    return 0.0;
  };
  auto add_entry = [&](int r, int j, double c) {
    auto& row = rows_[static_cast<std::size_t>(r)];
    for (std::size_t i = 0; i < row.size(); ++i)
      if (row[i].first == j) {
        row[i].second += c;
        if (std::abs(row[i].second) <= zero_coefficient) {
          row[i] = row.back();
          row.pop_back();
        }
        return;
      }
    if (std::abs(c) > zero_coefficient) {
      row.emplace_back(j, c);
      col_rows[static_cast<std::size_t>(j)].push_back(r);
    }
  };
  std::vector<int> pending_fix;
  auto fix = [&](int j, double value) {
    const auto uj = static_cast<std::size_t>(j);
    if (value < lower_[uj] - tolerance(lower_[uj]) || value > upper_[uj] + tolerance(upper_[uj])) infeasible();
    value = std::clamp(value, lower_[uj], upper_[uj]);
    base_[uj] = -1;
    offset_[uj] = value;
    scale_[uj] = 0.0;
    for (const int r : col_rows[uj]) {
      if (!row_alive_[static_cast<std::size_t>(r)]) continue;
      const double c = remove_entry(r, j);
      if (c == 0.0) continue;
      rhs_[static_cast<std::size_t>(r)] -= c * value;
      enqueue(r);
    }
    col_rows[uj].clear();
  };
  // x_q = alpha + beta * x_p
  auto eliminate = [&](int q, int p, double alpha, double beta) {
    const auto uq = static_cast<std::size_t>(q), up = static_cast<std::size_t>(p);
    double lo = (lower_[uq] - alpha) / beta, hi = (upper_[uq] - alpha) / beta;
    if (beta < 0) std::swap(lo, hi);
    if (std::isnan(lo)) lo = -infinity;
    if (std::isnan(hi)) hi = infinity;
    lower_[up] = std::max(lower_[up], lo);
    upper_[up] = std::min(upper_[up], hi);
    if (lower_[up] > upper_[up] + tolerance(upper_[up])) infeasible();
    base_[uq] = p;
    scale_[uq] = beta;
    offset_[uq] = alpha;
    const std::vector<int> touched = std::move(col_rows[uq]);
    col_rows[uq].clear();
    for (const int r : touched) {
      if (!row_alive_[static_cast<std::size_t>(r)]) continue;
      const double c = remove_entry(r, q);
      if (c == 0.0) continue;
      rhs_[static_cast<std::size_t>(r)] -= c * alpha;
      add_entry(r, p, c * beta);
      enqueue(r);
    }
    if (upper_[up] - lower_[up] <= tolerance(upper_[up])) pending_fix.push_back(p);
  };

  for (std::size_t r = 0; r < m; ++r) enqueue(static_cast<int>(r));
  while (!queue.empty() || !pending_fix.empty()) {
    if (!pending_fix.empty()) {
      const int j = pending_fix.back();
      pending_fix.pop_back();
      if (base_[static_cast<std::size_t>(j)] == j) fix(j, lower_[static_cast<std::size_t>(j)]);
      continue;
    }
    const int r = queue.front();
    queue.pop_front();
    const auto ur = static_cast<std::size_t>(r);
    queued[ur] = 0;
    if (!row_alive_[ur]) continue;
    auto& row = rows_[ur];
    const double b = rhs_[ur];
    if (row.empty()) {
      if (std::abs(b) > 1e-6 * std::max(1.0, std::abs(b))) infeasible();
      row_alive_[ur] = 0;
      continue;
    }
    if (row.size() == 1) {
      const auto [j, a] = row[0];
      row_alive_[ur] = 0;
      fix(j, b / a);
      continue;
    }
    // Non-negative columns with positive coefficients summing to 0 are all 0 (and likewise
    // with negative coefficients).
    bool positive = true, negative = true;
    for (const auto& [j, a] : row) {
      const bool at_zero = lower_[static_cast<std::size_t>(j)] == 0.0;
      positive = positive && a > 0 && at_zero;
      negative = negative && a < 0 && at_zero;
    }
    if ((positive || negative) && std::abs(b) <= tolerance(b)) {
      row_alive_[ur] = 0;
      const auto copy = row;
      for (const auto& [j, a] : copy)
        if (base_[static_cast<std::size_t>(j)] == j) fix(j, 0.0);
      continue;
    }
    if (row.size() == 2) {
      // Keep the column with the wider bounds and express the other through it.
      auto [p, a] = row[0];
      auto [q, c] = row[1];
      row_alive_[ur] = 0;
      row.clear();
      eliminate(q, p, b / c, -a / c);
      continue;
    }
  }

  // Components of what remains.
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int x) {
    while (parent[static_cast<std::size_t>(x)] != x) {
      parent[static_cast<std::size_t>(x)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];
      x = parent[static_cast<std::size_t>(x)];
    }
    return x;
  };
  for (std::size_t r = 0; r < m; ++r) {
    if (!row_alive_[r]) continue;
    ++remaining_rows_;
    for (std::size_t i = 1; i < rows_[r].size(); ++i)
      parent[static_cast<std::size_t>(find(rows_[r][i].first))] = find(rows_[r][0].first);
  }
  component_of_.assign(n, -1);
  position_.assign(n, -1);
  std::vector<int> root_component(n, -1);
  for (std::size_t r = 0; r < m; ++r) {
    if (!row_alive_[r]) continue;
    const int root = find(rows_[r][0].first);
    int& k = root_component[static_cast<std::size_t>(root)];
    if (k < 0) {
      k = static_cast<int>(components_.size());
      components_.emplace_back();
    }
    components_[static_cast<std::size_t>(k)].rows.push_back(static_cast<int>(r));
    for (const auto& [j, c] : rows_[r]) {
      if (component_of_[static_cast<std::size_t>(j)] >= 0) continue;
      component_of_[static_cast<std::size_t>(j)] = k;
      position_[static_cast<std::size_t>(j)] = static_cast<int>(components_[static_cast<std::size_t>(k)].columns.size());
      components_[static_cast<std::size_t>(k)].columns.push_back(j);
    }
  }
  for (std::size_t j = 0; j < n; ++j) remaining_columns_ += base_[j] == static_cast<int>(j);
}

reduced_lp::~reduced_lp() = default;

void reduced_lp::ensure_model(component& comp) {
  if (comp.lp) return;
  const std::size_t cols = comp.columns.size();
  std::vector<std::vector<std::pair<int, double>>> by_col(cols);
  std::vector<double> rl, ru;
  for (std::size_t i = 0; i < comp.rows.size(); ++i) {
    const auto r = static_cast<std::size_t>(comp.rows[i]);
    for (const auto& [j, c] : rows_[r]) by_col[static_cast<std::size_t>(position_[static_cast<std::size_t>(j)])].emplace_back(static_cast<int>(i), c);
    rl.push_back(rhs_[r]);
    ru.push_back(rhs_[r]);
  }
  sparse_columns a;
  std::vector<double> lo(cols), hi(cols);
  for (std::size_t i = 0; i < cols; ++i) {
    for (const auto& [r, c] : by_col[i]) {
      a.row.push_back(r);
      a.value.push_back(c);
    }
    a.start.push_back(static_cast<std::int64_t>(a.row.size()));
    lo[i] = lower_[static_cast<std::size_t>(comp.columns[i])];
    hi[i] = upper_[static_cast<std::size_t>(comp.columns[i])];
  }
  comp.objective.assign(cols, 0.0);
  comp.lp = std::make_unique<linear_program>(static_cast<int>(comp.rows.size()), a, lo, hi, comp.objective, rl, ru);
}

double reduced_lp::optimize(component& comp, const std::vector<std::pair<int, double>>& objective, bool maximize) {
  ensure_model(comp);
  const std::size_t cols = comp.columns.size();
  std::vector<double> next(cols, 0.0);
  for (const auto& [j, c] : objective) next[static_cast<std::size_t>(position_[static_cast<std::size_t>(j)])] += maximize ? -c : c;
  for (std::size_t i = 0; i < cols; ++i)
    if (next[i] != comp.objective[i]) comp.lp->set_objective_coefficient(static_cast<int>(i), next[i]);
  comp.objective = std::move(next);
  const auto result = comp.lp->solve_after_objective_change();
  ++linear_programs_;
  if (result == linear_program::outcome::infeasible) infeasible();
  if (result == linear_program::outcome::unbounded) return maximize ? infinity : -infinity;
  double value = 0.0;
  const auto x = comp.lp->column_values();
  for (const auto& [j, c] : objective) value += c * x[static_cast<std::size_t>(position_[static_cast<std::size_t>(j)])];
  return value;
}

reduced_lp::function reduced_lp::reduce(std::span<const std::pair<int, double>> objective, double constant) const {
  function f;
  f.constant = constant;
  for (const auto& [j, c] : objective) {
    double scale = 1.0, offset = 0.0;
    int b = j;
    while (b >= 0 && base_[static_cast<std::size_t>(b)] != b) {
      offset += scale * offset_[static_cast<std::size_t>(b)];
      scale *= scale_[static_cast<std::size_t>(b)];
      b = base_[static_cast<std::size_t>(b)];
    }
    f.constant += c * offset;
    if (b >= 0 && scale != 0.0) f.terms.emplace_back(b, c * scale);
  }
  std::sort(f.terms.begin(), f.terms.end());
  std::size_t w = 0;
  for (std::size_t r = 0; r < f.terms.size(); ++r) {
    if (w > 0 && f.terms[w - 1].first == f.terms[r].first) f.terms[w - 1].second += f.terms[r].second;
    else f.terms[w++] = f.terms[r];
  }
  f.terms.resize(w);
  std::erase_if(f.terms, [](const std::pair<int, double>& t) { return std::abs(t.second) <= zero_coefficient; });
  return f;
}

range reduced_lp::box(const function& f) const {
  range out{f.constant, f.constant};
  for (const auto& [j, c] : f.terms) {
    const double lo = lower_[static_cast<std::size_t>(j)], hi = upper_[static_cast<std::size_t>(j)];
    out.lower += c > 0 ? c * lo : c * hi;
    out.upper += c > 0 ? c * hi : c * lo;
  }
  return out;
}

range reduced_lp::bounds(const function& f, bool lower, bool upper) {
  range out{f.constant, f.constant};
  std::vector<std::vector<std::pair<int, double>>> per_component;
  std::vector<int> used;
  for (const auto& [j, c] : f.terms) {
    const int k = component_of_[static_cast<std::size_t>(j)];
    if (k < 0) {
      const double lo = lower_[static_cast<std::size_t>(j)], hi = upper_[static_cast<std::size_t>(j)];
      out.lower += c > 0 ? c * lo : c * hi;
      out.upper += c > 0 ? c * hi : c * lo;
      continue;
    }
    if (per_component.size() <= static_cast<std::size_t>(k)) per_component.resize(static_cast<std::size_t>(k) + 1);
    if (per_component[static_cast<std::size_t>(k)].empty()) used.push_back(k);
    per_component[static_cast<std::size_t>(k)].emplace_back(j, c);
  }
  for (const int k : used) {
    component& comp = components_[static_cast<std::size_t>(k)];
    const auto& obj = per_component[static_cast<std::size_t>(k)];
    if (upper) out.upper += optimize(comp, obj, true);
    if (lower) out.lower += optimize(comp, obj, false);
  }
  return out;
}

std::vector<double> reduced_lp::extreme_point(const std::vector<const function*>& functions, bool maximize) {
  std::vector<double> sum(lower_.size(), 0.0);
  for (const function* f : functions)
    for (const auto& [j, c] : f->terms) sum[static_cast<std::size_t>(j)] += c;
  std::vector<double> point(lower_.size(), 0.0);
  std::vector<std::vector<std::pair<int, double>>> per_component(components_.size());
  for (std::size_t j = 0; j < lower_.size(); ++j) {
    if (base_[j] != static_cast<int>(j)) continue;
    const int k = component_of_[j];
    if (k >= 0) {
      per_component[static_cast<std::size_t>(k)].emplace_back(static_cast<int>(j), sum[j]);
      continue;
    }
    // A column in no row: at the bound the sum prefers (a finite one when the sum is 0).
    const bool high = (sum[j] > 0) == maximize && sum[j] != 0.0;
    point[j] = high ? upper_[j] : lower_[j];
    if (!std::isfinite(point[j])) point[j] = std::isfinite(lower_[j]) ? lower_[j] : upper_[j];
  }
  for (std::size_t k = 0; k < components_.size(); ++k) {
    component& comp = components_[k];
    optimize(comp, per_component[k], maximize);
    const auto x = comp.lp->column_values();
    for (std::size_t i = 0; i < comp.columns.size(); ++i) point[static_cast<std::size_t>(comp.columns[i])] = x[i];
  }
  return point;
}

double reduced_lp::value(const function& f, const std::vector<double>& point) {
  double v = f.constant;
  for (const auto& [j, c] : f.terms) v += c * point[static_cast<std::size_t>(j)];
  return v;
}

}  // namespace jamstat::disclosure::detail
