// Internal: Gauss-Hermite quadrature for the standard normal density (lme4's GHrule).
#pragma once

#include <vector>

namespace jamstat::analysis::maihda_detail {

struct gauss_hermite_rule {
  std::vector<double> nodes;    ///< z_k, ascending
  std::vector<double> weights;  ///< w_k, Σ w_k = 1: Σ w_k f(z_k) ≈ ∫ f(z) φ(z) dz, exact for polynomials of degree < 2q
};

/// The q-node rule (1 ≤ q ≤ 100): nodes are the roots of the probabilists' Hermite polynomial
/// He_q, found by Golub & Welsch's (1969) eigenvalue method and polished by Newton steps on the
/// three-term recurrence; weights are q! / (q He_{q−1}(z_k))², evaluated in log space.
gauss_hermite_rule gauss_hermite(int q);

}  // namespace jamstat::analysis::maihda_detail
