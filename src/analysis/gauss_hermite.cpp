#include "gauss_hermite.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <string>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis::maihda_detail {
namespace {

/// He_q(z) and He_{q−1}(z) by the recurrence He_{k+1} = z He_k − k He_{k−1}.
void hermite(int q, double z, double& he_q, double& he_q_minus_1) {
  double prev = 1.0, cur = z;  // He_0, He_1
  if (q == 0) {
    he_q = 1.0;
    he_q_minus_1 = 0.0;
    return;
  }
  for (int k = 1; k < q; ++k) {
    const double next = z * cur - static_cast<double>(k) * prev;
    prev = cur;
    cur = next;
  }
  he_q = cur;
  he_q_minus_1 = prev;
}

}  // namespace

gauss_hermite_rule gauss_hermite(int q) {
  if (q < 1 || q > 100) throw usage_error("gauss_hermite: the number of nodes must be 1..100, got " + std::to_string(q));
  gauss_hermite_rule rule;
  if (q == 1) {
    rule.nodes = {0.0};
    rule.weights = {1.0};
    return rule;
  }
  // The Jacobi matrix of the monic probabilists' Hermite polynomials: zero diagonal, off-diagonal √k.
  Eigen::MatrixXd jacobi = Eigen::MatrixXd::Zero(q, q);
  for (int k = 1; k < q; ++k) jacobi(k, k - 1) = jacobi(k - 1, k) = std::sqrt(static_cast<double>(k));
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(jacobi, Eigen::EigenvaluesOnly);
  const double log_q_factorial = std::lgamma(static_cast<double>(q) + 1.0);
  for (int k = 0; k < q; ++k) {
    double z = eigen.eigenvalues()[k];
    // The middle node of an odd rule is 0 exactly (He_q is odd).
    if (q % 2 == 1 && k == q / 2) z = 0.0;
    for (int it = 0; it < 3 && z != 0.0; ++it) {
      double he, he1;
      hermite(q, z, he, he1);
      // He_q' = q He_{q−1}
      z -= he / (static_cast<double>(q) * he1);
    }
    double he, he1;
    hermite(q, z, he, he1);
    rule.nodes.push_back(z);
    rule.weights.push_back(std::exp(log_q_factorial - 2.0 * std::log(static_cast<double>(q) * std::abs(he1))));
  }
  // Symmetrise (the rule is symmetric; rounding in the eigenvalues is not).
  for (int k = 0; k < q / 2; ++k) {
    const std::size_t a = static_cast<std::size_t>(k), b = static_cast<std::size_t>(q - 1 - k);
    const double z = 0.5 * (rule.nodes[b] - rule.nodes[a]);
    const double w = 0.5 * (rule.weights[a] + rule.weights[b]);
    rule.nodes[a] = -z;
    rule.nodes[b] = z;
    rule.weights[a] = rule.weights[b] = w;
  }
  return rule;
}

}  // namespace jamstat::analysis::maihda_detail
