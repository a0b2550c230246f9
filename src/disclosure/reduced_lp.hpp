// Internal: ranges of linear functions over {lower <= x <= upper, A x = b}, after a presolve
// that shrinks the system to what the attacker's LP really needs.
//
// Suppression patterns made of hypercubes give attacker systems full of rows with one or two
// unknowns: a published marginal over a suppressed cube contains two of its cells, so x_a + x_b
// is known. The presolve (as LP presolvers do, e.g. Andersen and Andersen, "Presolving in
// linear programming", Math. Programming 71, 1995):
// - a row with one column fixes it;
// - a row with right-hand side 0 whose columns all have positive coefficients and lower
//   bound 0 fixes them all at 0;
// - a row with two columns a x_p + b x_q = r eliminates x_q = (r - a x_p) / b; x_q's bounds
//   become bounds on x_p. Every eliminated column is therefore an affine function of one
//   remaining column (or a constant), so bounds never turn into general constraints;
// and then splits the remaining rows and columns into independent components: the range of a
// sum over components is the sum of the ranges, each a small LP (CLP, warm-started per
// component).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace jamstat::disclosure::detail {

class linear_program;

struct range {
  double lower = 0.0;
  double upper = 0.0;
};

class reduced_lp {
 public:
  /// rows[r] = (column, coefficient) pairs of equality row r with right-hand side rhs[r].
  /// Throws std::logic_error when the presolve finds the system infeasible (the caller's
  /// system always contains the true table, so this is a bug).
  reduced_lp(std::vector<double> lower, std::vector<double> upper,
             const std::vector<std::vector<std::pair<int, double>>>& rows, std::vector<double> rhs);
  ~reduced_lp();

  /// A linear function constant + sum c_j x_j of the original columns in terms of the
  /// remaining ones.
  struct function {
    std::vector<std::pair<int, double>> terms;  ///< remaining column, coefficient (sorted)
    double constant = 0.0;
  };
  function reduce(std::span<const std::pair<int, double>> objective, double constant) const;

  /// Minimum and maximum of a function (infinite when unbounded): one LP per direction in every
  /// component the function touches.
  /// Directions not asked for are left at the box bound.
  range bounds(const function& f, bool lower = true, bool upper = true);
  /// Bounds from the remaining columns' bounds alone (valid, not always attained).
  range box(const function& f) const;
  /// A feasible point that minimizes (maximize = false) or maximizes the sum of `functions`,
  /// as values of every original column's base (index = remaining column).
  std::vector<double> extreme_point(const std::vector<const function*>& functions, bool maximize);
  /// The value of a function at such a point.
  static double value(const function& f, const std::vector<double>& point);

  std::uint64_t linear_programs() const noexcept { return linear_programs_; }
  std::size_t remaining_columns() const noexcept { return remaining_columns_; }
  std::size_t remaining_rows() const noexcept { return remaining_rows_; }
  std::size_t components() const noexcept { return components_.size(); }

 private:
  struct component {
    std::vector<int> columns;  // reduced columns, in LP order
    std::vector<int> rows;
    std::unique_ptr<linear_program> lp;
    std::vector<double> objective;  // current LP objective
  };
  double optimize(component& comp, const std::vector<std::pair<int, double>>& objective, bool maximize);
  void ensure_model(component& comp);

  // Per original column: x = offset + scale * x[base] (base -1: constant offset).
  std::vector<int> base_;
  std::vector<double> scale_, offset_;
  std::vector<double> lower_, upper_;  // bounds of remaining columns (by original index)
  std::vector<std::vector<std::pair<int, double>>> rows_;  // remaining rows
  std::vector<double> rhs_;
  std::vector<std::uint8_t> row_alive_;
  std::vector<int> component_of_;  // per remaining column, -1 when in no row
  std::vector<int> position_;      // per remaining column: index within its component
  std::vector<component> components_;
  std::size_t remaining_columns_ = 0, remaining_rows_ = 0;
  std::uint64_t linear_programs_ = 0;
};

}  // namespace jamstat::disclosure::detail
