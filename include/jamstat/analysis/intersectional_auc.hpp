// Discriminatory accuracy of intersectional strata: the area under the ROC curve when every
// participation is predicted by its stratum's prediction, computed exactly from the strata.
#pragma once

#include <cstdint>
#include <span>

namespace jamstat::analysis {

/// A stratum's prediction and its participations with and without the outcome.
struct scored_stratum {
  double prediction = 0.0;
  std::uint64_t successes = 0;
  std::uint64_t failures = 0;
};

/// The AUC (the Mann-Whitney statistic divided by successes × failures): the probability that a
/// participation with the outcome is predicted higher than one without, ties counting one half —
/// pROC's auc() and wilcox.test()'s W / (n1 n0). Participations within one stratum always tie.
/// O(S log S) in the number of strata. Throws usage_error when there are no successes or no
/// failures, or a prediction is NaN.
double strata_auc(std::span<const scored_stratum> strata);

}  // namespace jamstat::analysis
