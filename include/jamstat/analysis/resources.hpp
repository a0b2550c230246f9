// Equivalent resources: means of a numeric measure (hours, cost) by group with t intervals,
// Welch's t-test from the groups' moments, a mean difference adjusted for strata, and each group's
// share of the resources against its share of the participations. Everything works from moments
// (count, mean, sample variance), never from microdata. Methods: docs/methods-gap.md, "Resources".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "jamstat/analysis/estimate.hpp"

namespace jamstat::analysis {

/// Count, mean and sample variance (divisor count - 1) of a measure in one group.
struct sample_moments {
  std::uint64_t count;
  double mean;
  double variance;  ///< divisor count - 1; ignored (may be NaN) when count < 2
};

/// The mean with its t interval mean +- t(count - 1) sqrt(variance / count) (R: t.test(x)$conf.int).
/// standard_error = sqrt(variance / count). NaN interval and SE when count < 2; NaN everything when
/// count is 0. Throws usage_error for a non-finite mean, a negative or (count >= 2) non-finite
/// variance, or a level not in (0, 1).
estimate mean_interval(const sample_moments& group, double confidence_level = 0.95);

/// Welch's two-sample t-test of mean1 = mean2.
struct welch_result {
  estimate difference;  ///< mean1 - mean2, t interval with Welch-Satterthwaite df
  test_result test;     ///< t statistic, df, two-sided p
};

/// Welch's t-test from two groups' moments (R: t.test(x, y, var.equal = FALSE)). NaN when a group
/// has fewer than 2 observations, or both variances are 0 (R stops: "data are essentially
/// constant"). Throws usage_error as mean_interval.
welch_result welch_t_test(const sample_moments& group1, const sample_moments& group2,
                          double confidence_level = 0.95);

/// One stratum's moments of the two groups compared.
struct stratum_moments {
  sample_moments group1;
  sample_moments group2;
};

/// The difference of means adjusted for strata: the within-stratum differences averaged with weights
/// n1k n2k / (n1k + n2k) (the Mantel-Haenszel weights of a difference), variance
/// sum w^2 (s1^2 / n1 + s2^2 / n2) / (sum w)^2, normal interval and z test. Strata where either
/// group has fewer than 2 observations are left out (their variance is unknown).
struct stratified_difference {
  estimate difference;
  test_result test;          ///< z statistic, df NaN, two-sided p
  std::size_t strata_used;
};

stratified_difference stratified_mean_difference(std::span<const stratum_moments> strata,
                                                 double confidence_level = 0.95);

/// A group's share of the resources against its share of the participations.
struct resource_share {
  double resource_share;     ///< the group's sum of the measure / the sum over all groups
  double participant_share;  ///< the group's count / the count over all groups
  /// Observed over expected resources, O / E, with O = sum_k n_gk m_gk and E = sum_k n_gk M_k,
  /// M_k the mean of all groups in stratum k. With one stratum it is resource_share /
  /// participant_share. Interval by the delta method on the log scale, treating the counts as
  /// fixed and the means as independent with variances s^2 / n.
  estimate ratio;
  test_result test;  ///< z = log(O / E) / SE, two-sided p (NaN when O / E is not positive)
};

/// The resource-to-participant ratio of group `group` among `groups` groups, from moments laid out
/// stratum-major: moments[k * groups + g]. One stratum gives the raw ratio; several give the ratio
/// adjusted for the strata (indirect standardization of the group's resources to the strata means).
/// Empty groups have count 0. Throws usage_error on a bad layout, group index or negative mean.
resource_share resource_share_ratio(std::span<const sample_moments> moments, std::size_t groups, std::size_t group,
                                    double confidence_level = 0.95);

}  // namespace jamstat::analysis
