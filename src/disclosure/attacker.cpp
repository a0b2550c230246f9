#include "attacker.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>

#include "lp.hpp"
#include "reduced_lp.hpp"

namespace jamstat::disclosure::detail {

namespace {

double tolerance(double scale) noexcept { return 1e-7 * std::max(1.0, std::abs(scale)); }

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

attacker::attacker(const linear_system& sys, const std::vector<std::uint8_t>& shown) : sys_(&sys), shown_(shown) {
  const std::size_t vars = sys.variables(), classes = sys.classes();
  fixed_.assign(vars, nan);
  std::vector<std::size_t> unknown(classes);
  class_rest_.resize(classes);
  for (std::size_t k = 0; k < classes; ++k) {
    unknown[k] = sys.class_variables(k).size();
    class_rest_[k] = sys.class_value(k);
  }
  // Presolve: what the shown values alone determine. A shown class whose remaining value is 0
  // has all its unknown variables 0 (they are non-negative); a shown class with one unknown
  // variable left determines it; no participations means no successes.
  std::deque<std::uint32_t> queue;
  auto settle = [&](std::size_t k) {
    if (!shown_[k] || unknown[k] == 0) return;
    if (unknown[k] == 1 || class_rest_[k] <= tolerance(sys.class_value(k))) queue.push_back(static_cast<std::uint32_t>(k));
  };
  for (std::size_t k = 0; k < classes; ++k) settle(k);
  std::deque<std::uint32_t> zero_successes;
  auto fix = [&](std::uint32_t v, double x) {
    fixed_[v] = x;
    for (const std::uint32_t k : sys.variable_classes(v)) {
      --unknown[k];
      class_rest_[k] -= x;
      settle(k);
    }
    if (sys.ordered() && sys.variable_component(v) == 1 && x == 0.0) {
      const std::int32_t s = sys.variable_of(sys.variable_finest(v), 0);
      if (s >= 0) zero_successes.push_back(static_cast<std::uint32_t>(s));
    }
  };
  while (!queue.empty() || !zero_successes.empty()) {
    if (!zero_successes.empty()) {
      const std::uint32_t v = zero_successes.front();
      zero_successes.pop_front();
      if (std::isnan(fixed_[v])) fix(v, 0.0);
      continue;
    }
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
  expr_.assign(vars, expression{});
  for (std::size_t v = 0; v < vars; ++v) {
    if (!std::isnan(fixed_[v])) {
      expr_[v].constant = fixed_[v];
      continue;
    }
    column_[v] = static_cast<std::int32_t>(col_lower_.size());
    expr_[v].col[0] = column_[v];
    col_lower_.push_back(0.0);
    col_upper_.push_back(infinity);
    if (!sys.ordered() || sys.variable_component(v) != 1) continue;
    // participations = successes + failures: the column is the failures
    const auto sv = static_cast<std::size_t>(sys.variable_of(sys.variable_finest(v), 0));
    if (std::isnan(fixed_[sv])) expr_[v].col[1] = static_cast<std::int32_t>(sv);  // resolved below
    else expr_[v].constant = fixed_[sv];
  }
  if (sys.ordered())
    for (std::size_t v = 0; v < vars; ++v) {
      if (sys.variable_component(v) == 1) {
        if (expr_[v].col[1] >= 0) expr_[v].col[1] = column_[static_cast<std::size_t>(expr_[v].col[1])];
        continue;
      }
      // successes at most the participations when those are known
      const auto nv = static_cast<std::size_t>(sys.variable_of(sys.variable_finest(v), 1));
      if (column_[v] >= 0 && column_[nv] < 0) col_upper_[static_cast<std::size_t>(column_[v])] = fixed_[nv];
    }

  // A shown cell whose finer cells along some dimension are all shown is their sum: its row
  // is implied. (Children have strictly smaller variable sets, so this cannot go in circles.)
  const cube& grid = sys.grid();
  redundant_.assign(classes, 0);
  std::vector<std::uint64_t> kids;
  for (std::size_t k = 0; k < classes; ++k) {
    if (!shown_[k] || unknown[k] == 0) continue;
    for (const std::uint64_t row : sys.class_rows(k)) {
      const std::uint64_t cell = row / sys.components();
      const std::size_t comp = row % sys.components();
      const std::uint64_t mask = grid.mask(grid.grouping_of(cell));
      for (std::size_t d = 0; d < grid.dimensions() && !redundant_[k]; ++d) {
        if (mask >> d & 1) continue;
        const std::int64_t child = grid.grouping_with_mask(mask | std::uint64_t{1} << d);
        if (child < 0) continue;
        kids.clear();
        grid.children(cell, static_cast<std::size_t>(child), d, kids);
        bool implied = true;
        for (const std::uint64_t kid : kids) {
          const std::int32_t kc = sys.class_of(sys.row_of(kid, comp));
          if (kc >= 0 && (static_cast<std::size_t>(kc) == k || !shown_[static_cast<std::size_t>(kc)])) {
            implied = false;
            break;
          }
        }
        if (implied) redundant_[k] = 1;
      }
      if (redundant_[k]) break;
    }
  }
}

std::vector<interval> attacker::bounds(std::span<const statistic> targets) {
  const linear_system& sys = *sys_;
  const std::size_t classes = sys.classes();
  // The attacker's system: unknown columns within their bounds, every shown class that is not
  // implied by finer ones equal to its value; then reduced (reduced_lp.hpp).
  std::vector<std::vector<std::pair<int, double>>> rows;
  std::vector<double> rhs;
  for (std::size_t k = 0; k < classes; ++k) {
    if (!shown_[k] || redundant_[k]) continue;
    double rest = sys.class_value(k);
    std::vector<std::pair<int, double>> row;
    for (const std::uint32_t v : sys.class_variables(k)) {
      rest -= expr_[v].constant;
      for (const std::int32_t col : expr_[v].col)
        if (col >= 0) row.emplace_back(col, 1.0);
    }
    if (row.empty()) continue;
    rows.push_back(std::move(row));
    rhs.push_back(std::max(0.0, rest));
  }
  const std::size_t rows_in = rows.size();
  reduced_lp lp(col_lower_, col_upper_, rows, std::move(rhs));
  if (std::getenv("JAMSTAT_DISCLOSURE_TRACE"))
    std::fprintf(stderr, "attacker: %zu columns %zu rows -> %zu columns %zu rows in %zu components; %zu targets\n", col_lower_.size(), rows_in,
                 lp.remaining_columns(), lp.remaining_rows(), lp.components(), targets.size());
  // Every statistic in terms of the remaining columns, with the bounds the column bounds give
  // (and 0 below: every statistic here is non-negative).
  std::vector<reduced_lp::function> f(targets.size());
  std::vector<std::pair<int, double>> objective;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const statistic& t = targets[i];
    objective.clear();
    double constant = 0.0;
    for (const auto& [k, sign] : {std::pair{t.plus, 1.0}, std::pair{t.minus, -1.0}}) {
      if (k < 0) continue;
      for (const std::uint32_t v : sys.class_variables(static_cast<std::size_t>(k))) {
        constant += sign * expr_[v].constant;
        for (const std::int32_t col : expr_[v].col)
          if (col >= 0) objective.emplace_back(col, sign);
      }
    }
    f[i] = lp.reduce(objective, constant);
  }
  std::vector<interval> out(targets.size(), interval{nan, nan});
  std::vector<range> box(targets.size());
  std::vector<const reduced_lp::function*> open_lower, open_upper;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    box[i] = lp.box(f[i]);
    box[i].lower = std::max(box[i].lower, 0.0);
    if (f[i].terms.empty()) {
      out[i] = {f[i].constant, f[i].constant};
      continue;
    }
    open_lower.push_back(&f[i]);
    open_upper.push_back(&f[i]);
  }
  // Two feasible tables, one as low and one as high as possible for all statistics at once:
  // a statistic that attains its box bound in one of them has that bound as its exact bound.
  for (const bool maximize : {false, true}) {
    auto& open = maximize ? open_upper : open_lower;
    if (open.empty()) continue;
    const std::vector<double> point = lp.extreme_point(open, maximize);
    std::erase_if(open, [&](const reduced_lp::function* g) {
      const std::size_t i = static_cast<std::size_t>(g - f.data());
      const double v = reduced_lp::value(*g, point), tol = 1e-7 * std::max(1.0, std::abs(v));
      if (maximize && std::isfinite(box[i].upper) && v >= box[i].upper - tol) {
        out[i].upper = box[i].upper;
        return true;
      }
      if (!maximize && v <= box[i].lower + tol) {
        out[i].lower = box[i].lower;
        return true;
      }
      return false;
    });
  }
  // The rest: one LP per direction in every component the statistic touches.
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (!std::isnan(out[i].lower) && !std::isnan(out[i].upper)) continue;
    const range r = lp.bounds(f[i], std::isnan(out[i].lower), std::isnan(out[i].upper));
    if (std::isnan(out[i].lower)) out[i].lower = std::max(r.lower, 0.0);
    if (std::isnan(out[i].upper)) out[i].upper = r.upper;
  }
  linear_programs_ += lp.linear_programs();
  return out;
}

}  // namespace jamstat::disclosure::detail
