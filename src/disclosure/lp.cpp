#include "lp.hpp"

#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "ClpDualRowDantzig.hpp"
#include "ClpPrimalColumnDantzig.hpp"
#include "ClpSimplex.hpp"
#include "CoinFinite.hpp"

namespace jamstat::disclosure::detail {

namespace {

double coin(double x) noexcept {
  if (x == infinity) return COIN_DBL_MAX;
  if (x == -infinity) return -COIN_DBL_MAX;
  return x;
}

std::vector<double> coin(const std::vector<double>& v) {
  std::vector<double> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = coin(v[i]);
  return out;
}

}  // namespace

linear_program::linear_program(int rows, const sparse_columns& a, const std::vector<double>& column_lower,
                               const std::vector<double>& column_upper, const std::vector<double>& objective,
                               const std::vector<double>& row_lower, const std::vector<double>& row_upper)
    : model_(std::make_unique<ClpSimplex>()) {
  model_->setLogLevel(0);
  if (std::getenv("JAMSTAT_LP_NOSCALE")) model_->scaling(0);
  if (std::getenv("JAMSTAT_LP_DANTZIG")) {
    ClpPrimalColumnDantzig primal_pricing;
    model_->setPrimalColumnPivotAlgorithm(primal_pricing);
    ClpDualRowDantzig dual_pricing;
    model_->setDualRowPivotAlgorithm(dual_pricing);
  }
  std::vector<CoinBigIndex> start(a.start.size());
  for (std::size_t i = 0; i < a.start.size(); ++i) start[i] = static_cast<CoinBigIndex>(a.start[i]);
  const auto cl = coin(column_lower), cu = coin(column_upper), rl = coin(row_lower), ru = coin(row_upper);
  model_->loadProblem(static_cast<int>(a.columns()), rows, start.data(), a.row.data(), a.value.data(), cl.data(),
                      cu.data(), objective.data(), rl.data(), ru.data());
}

linear_program::~linear_program() = default;

void linear_program::set_objective(std::span<const double> c) {
  for (std::size_t i = 0; i < c.size(); ++i) model_->setObjectiveCoefficient(static_cast<int>(i), c[i]);
}
void linear_program::set_objective_coefficient(int column, double c) { model_->setObjectiveCoefficient(column, c); }
void linear_program::set_row_bounds(int row, double lower, double upper) { model_->setRowBounds(row, coin(lower), coin(upper)); }
void linear_program::set_column_bounds(int column, double lower, double upper) {
  model_->setColumnBounds(column, coin(lower), coin(upper));
}

linear_program::outcome linear_program::finish(int status) {
  // CLP: 0 optimal, 1 primal infeasible, 2 dual infeasible (unbounded), 3 stopped, 4 errors.
  if (status == 0) return outcome::optimal;
  if (status == 1) return outcome::infeasible;
  if (status == 2) return outcome::unbounded;
  // A warm start that stopped: solve from scratch once before giving up.
  model_->allSlackBasis(true);
  model_->initialSolve();
  ++solves_;
  const int again = model_->status();
  if (again == 0) return outcome::optimal;
  if (again == 1) return outcome::infeasible;
  if (again == 2) return outcome::unbounded;
  throw std::runtime_error("disclosure: the LP solver (CLP) stopped with status " + std::to_string(again));
}

// startFinishOptions 1 | 2: keep the factorization and work areas between solves and reuse
// them when the number of rows is unchanged (it always is here). Without them every warm solve
// of the audit paid a full setup, about ten times the simplex iterations themselves.
static const int keep_work_areas = std::getenv("JAMSTAT_LP_SF") ? std::atoi(std::getenv("JAMSTAT_LP_SF")) : 3;

linear_program::outcome linear_program::solve_after_bound_change() {
  ++solves_;
  model_->dual(0, keep_work_areas);
  return finish(model_->status());
}

linear_program::outcome linear_program::solve_after_objective_change() {
  ++solves_;
  model_->primal(0, keep_work_areas);
  return finish(model_->status());
}

linear_program::outcome linear_program::solve_cold() {
  ++solves_;
  model_->initialSolve();
  return finish(model_->status());
}

double linear_program::objective_value() const { return model_->objectiveValue(); }
std::span<const double> linear_program::column_values() const {
  return {model_->primalColumnSolution(), static_cast<std::size_t>(model_->numberColumns())};
}
std::span<const double> linear_program::row_activity() const {
  return {model_->primalRowSolution(), static_cast<std::size_t>(model_->numberRows())};
}
void linear_program::write_mps(const char* path) const { model_->writeMps(path); }
int linear_program::iterations() const { return model_->numberIterations(); }
int linear_program::columns() const { return model_->numberColumns(); }
int linear_program::rows() const { return model_->numberRows(); }

}  // namespace jamstat::disclosure::detail
