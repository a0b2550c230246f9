// Internal: a linear program solved with COIN-OR CLP (Eclipse Public License), kept between
// solves so that a change of objective or bounds re-optimizes from the last basis.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

class ClpSimplex;

namespace jamstat::disclosure::detail {

inline constexpr double infinity = std::numeric_limits<double>::infinity();

/// The sparse columns of a constraint matrix (CSC).
struct sparse_columns {
  std::vector<std::int64_t> start{0};  ///< size columns + 1
  std::vector<int> row;
  std::vector<double> value;
  void add_column(std::span<const int> rows, double coefficient = 1.0) {
    for (const int r : rows) {
      row.push_back(r);
      value.push_back(coefficient);
    }
    start.push_back(static_cast<std::int64_t>(row.size()));
  }
  std::size_t columns() const noexcept { return start.size() - 1; }
};

/// minimize c'x subject to row_lower <= A x <= row_upper, column_lower <= x <= column_upper.
class linear_program {
 public:
  linear_program(int rows, const sparse_columns& a, const std::vector<double>& column_lower,
                 const std::vector<double>& column_upper, const std::vector<double>& objective,
                 const std::vector<double>& row_lower, const std::vector<double>& row_upper);
  ~linear_program();
  linear_program(const linear_program&) = delete;
  linear_program& operator=(const linear_program&) = delete;

  void set_objective(std::span<const double> c);
  void set_objective_coefficient(int column, double c);
  void set_row_bounds(int row, double lower, double upper);
  void set_column_bounds(int column, double lower, double upper);

  enum class outcome { optimal, infeasible, unbounded };
  /// Re-optimizes from the current basis: the dual simplex after bound changes (the basis stays
  /// dual feasible), the primal simplex after objective changes (it stays primal feasible).
  /// Falls back to a cold solve when the warm one does not end optimal. Throws
  /// std::runtime_error when CLP fails in a way that is neither optimality nor a proof of
  /// infeasibility or unboundedness.
  outcome solve_after_bound_change();
  outcome solve_after_objective_change();
  /// Solves from scratch (presolve, then CLP's choice of simplex).
  outcome solve_cold();

  double objective_value() const;
  std::span<const double> column_values() const;
  std::span<const double> row_activity() const;
  int columns() const;
  int rows() const;
  std::uint64_t solves() const noexcept { return solves_; }
  int iterations() const;
  void write_mps(const char* path) const;

 private:
  outcome finish(int status);
  std::unique_ptr<ClpSimplex> model_;
  std::uint64_t solves_ = 0;
};

}  // namespace jamstat::disclosure::detail
