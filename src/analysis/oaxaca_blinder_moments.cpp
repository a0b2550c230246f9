#include "jamstat/analysis/oaxaca_blinder_moments.hpp"

#include <cmath>
#include <string>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

regression_moments regression_moments::empty(Index k) {
  regression_moments m;
  m.x_mean = VectorXd::Zero(k);
  m.x_ss = MatrixXd::Zero(k, k);
  m.xy_ss = VectorXd::Zero(k);
  return m;
}

regression_moments regression_moments::from_cross_products(std::uint64_t participations, const MatrixXd& xtx,
                                                           const VectorXd& xty, double yty) {
  const Index p = xtx.rows();
  if (p < 1 || xtx.cols() != p || xty.size() != p)
    throw usage_error("regression_moments::from_cross_products: `xtx` must be square and `xty` as long as its side (got " +
                      std::to_string(xtx.rows()) + "×" + std::to_string(xtx.cols()) + " and " +
                      std::to_string(xty.size()) + ")");
  const double n = static_cast<double>(participations);
  if (participations == 0 || std::abs(xtx(0, 0) - n) > 1e-9 * n)
    throw usage_error("regression_moments::from_cross_products: xtx(0, 0) must be the number of participations (the "
                      "intercept column's Σ1) and positive");
  if (!xtx.isApprox(xtx.transpose(), 1e-12))
    throw usage_error("regression_moments::from_cross_products: `xtx` is not symmetric");
  const Index k = p - 1;
  regression_moments m;
  m.participations = participations;
  m.x_mean = xtx.col(0).tail(k) / n;
  m.y_mean = xty[0] / n;
  m.x_ss = xtx.bottomRightCorner(k, k) - n * m.x_mean * m.x_mean.transpose();
  m.xy_ss = xty.tail(k) - n * m.x_mean * m.y_mean;
  m.y_ss = std::max(0.0, yty - n * m.y_mean * m.y_mean);
  return m;
}

void regression_moments::add(const VectorXd& x, double y) {
  if (x.size() != x_mean.size())
    throw usage_error("regression_moments::add: expected " + std::to_string(x_mean.size()) + " characteristics, got " +
                      std::to_string(x.size()));
  // Welford's update, the one-value case of the pairwise merge.
  ++participations;
  const double n = static_cast<double>(participations);
  const VectorXd dx = x - x_mean;
  const double dy = y - y_mean;
  x_mean += dx / n;
  y_mean += dy / n;
  const VectorXd dx_after = x - x_mean;
  x_ss += dx * dx_after.transpose();
  xy_ss += dx * (y - y_mean);
  y_ss += dy * (y - y_mean);
}

void regression_moments::merge(const regression_moments& other) {
  if (other.x_mean.size() != x_mean.size())
    throw usage_error("regression_moments::merge: the statistics have " + std::to_string(x_mean.size()) + " and " +
                      std::to_string(other.x_mean.size()) + " characteristics");
  if (other.participations == 0) return;
  if (participations == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(participations), nb = static_cast<double>(other.participations);
  const double n = na + nb, f = na * nb / n;
  const VectorXd dx = other.x_mean - x_mean;
  const double dy = other.y_mean - y_mean;
  x_ss += other.x_ss + f * dx * dx.transpose();
  xy_ss += other.xy_ss + f * dx * dy;
  y_ss += other.y_ss + f * dy * dy;
  x_mean += dx * (nb / n);
  y_mean += dy * (nb / n);
  participations += other.participations;
}

}  // namespace jamstat::analysis
