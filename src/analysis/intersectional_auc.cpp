// The AUC of stratum-level predictions, exact from counts: sort the strata by prediction; a
// success in stratum a beats every failure in strata predicted lower and ties with the failures of
// strata predicted equally (its own stratum included), so
//   AUC = Σ_a k_a (F_below(a) + ½ F_equal(a)) / (K F),
// the Mann-Whitney U of the participations divided by K·F (pROC, wilcox.test). Twice the
// numerator is an integer; it is accumulated in long double, exact while below 2⁶⁴.
#include "jamstat/analysis/intersectional_auc.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis {

double strata_auc(std::span<const scored_stratum> strata) {
  std::vector<scored_stratum> sorted;
  long double successes = 0.0L, failures = 0.0L;
  for (std::size_t i = 0; i < strata.size(); ++i) {
    if (std::isnan(strata[i].prediction))
      throw usage_error("strata_auc: the prediction of stratum " + std::to_string(i) + " is NaN");
    if (strata[i].successes + strata[i].failures == 0) continue;
    sorted.push_back(strata[i]);
    successes += static_cast<long double>(strata[i].successes);
    failures += static_cast<long double>(strata[i].failures);
  }
  if (successes == 0.0L || failures == 0.0L)
    throw usage_error("strata_auc: the AUC needs participations both with and without the outcome");
  std::sort(sorted.begin(), sorted.end(),
            [](const scored_stratum& a, const scored_stratum& b) { return a.prediction < b.prediction; });
  long double twice_u = 0.0L, failures_below = 0.0L;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    long double k = 0.0L, f = 0.0L;
    for (; j < sorted.size() && sorted[j].prediction == sorted[i].prediction; ++j) {
      k += static_cast<long double>(sorted[j].successes);
      f += static_cast<long double>(sorted[j].failures);
    }
    twice_u += k * (2.0L * failures_below + f);
    failures_below += f;
    i = j;
  }
  return static_cast<double>(twice_u / (2.0L * successes * failures));
}

}  // namespace jamstat::analysis
