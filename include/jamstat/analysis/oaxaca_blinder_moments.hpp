// The mergeable sufficient statistics of one group's linear regression (the input of the
// Oaxaca-Blinder decomposition): count, means and centred cross-products of the characteristics
// x (k columns, the intercept implicit) and the outcome y.
#pragma once

#include <Eigen/Dense>
#include <cstdint>

namespace jamstat::analysis {

/// n, x̄, ȳ, Σ(x − x̄)(x − x̄)', Σ(x − x̄)(y − ȳ) and Σ(y − ȳ)² of one group (women or men). Centred
/// sums keep their precision where raw cross-products X'X, X'y, y'y would cancel; partners' or
/// batches' statistics merge exactly (Chan, Golub & LeVeque's pairwise update).
struct regression_moments {
  std::uint64_t participations = 0;
  Eigen::VectorXd x_mean;  ///< k
  double y_mean = 0.0;
  Eigen::MatrixXd x_ss;    ///< k × k
  Eigen::VectorXd xy_ss;   ///< k
  double y_ss = 0.0;

  /// An empty state for k characteristics.
  static regression_moments empty(Eigen::Index k);

  /// From the raw cross-products of [1, x] and y: `xtx` is (k+1) × (k+1) with the intercept's row
  /// and column first (so xtx(0, 0) = n and xtx(0, j) = Σx_j), `xty` = [Σy, Σx_j y], `yty` = Σy².
  /// Throws usage_error for mismatched sizes, xtx(0, 0) ≠ n or a non-symmetric xtx.
  static regression_moments from_cross_products(std::uint64_t participations, const Eigen::MatrixXd& xtx,
                                                const Eigen::VectorXd& xty, double yty);

  /// Adds one participation (x, y): the streaming form of the statistics.
  void add(const Eigen::VectorXd& x, double y);

  /// Adds `other`'s participations (same k, else usage_error).
  void merge(const regression_moments& other);

  /// k, the number of characteristics (columns of x).
  Eigen::Index characteristics() const { return x_mean.size(); }
};

}  // namespace jamstat::analysis
