// Did the gap change between two periods? The change in a difference between women and men from
// one period to the next (difference of differences), and the ratio of two odds ratios, for
// independent samples (different participations in each period). Methods: docs/methods-gap.md,
// "Change between periods".
#pragma once

#include <cstdint>

#include "jamstat/analysis/estimate.hpp"
#include "jamstat/analysis/proportions.hpp"
#include "jamstat/analysis/resources.hpp"

namespace jamstat::analysis {

/// A change between periods: the estimate (current minus previous, or a ratio), its interval, and
/// the test of no change.
struct period_change {
  estimate change;
  test_result test;
};

/// The change current - previous of two differences given with their intervals and standard
/// errors: interval by the MOVER method (Zou & Donner 2008; from Newcombe intervals it is
/// Newcombe's square-and-add carried one step further), test z = change / sqrt(se_c^2 + se_p^2).
/// NaN when an input is NaN. When both standard errors are 0 the p-value is 1 for no change and
/// NaN otherwise.
period_change change_in_difference(const estimate& current, const estimate& previous, double confidence_level = 0.95);

/// The change in the difference of proportions (group 1 - group 2) between two periods: MOVER
/// interval from the two Newcombe intervals, Wald z test with unpooled variances.
period_change change_in_proportion_difference(std::uint64_t successes1_current, std::uint64_t n1_current,
                                              std::uint64_t successes2_current, std::uint64_t n2_current,
                                              std::uint64_t successes1_previous, std::uint64_t n1_previous,
                                              std::uint64_t successes2_previous, std::uint64_t n2_previous,
                                              double confidence_level = 0.95);

/// The change in the difference of means (group 1 - group 2) between two periods: (m1c - m2c) -
/// (m1p - m2p), SE sqrt(sum s^2 / n) over the four groups, t interval and test with the
/// Welch-Satterthwaite degrees of freedom of the four terms. NaN when a group has count < 2.
period_change change_in_mean_difference(const sample_moments& group1_current, const sample_moments& group2_current,
                                        const sample_moments& group1_previous, const sample_moments& group2_previous,
                                        double confidence_level = 0.95);

/// The ratio of two (odds or risk) ratios, current / previous, on the log scale: SE
/// sqrt(se_c^2 + se_p^2) of the log standard errors, normal interval, z test of ratio 1.
period_change ratio_of_ratios(const ratio_estimate& current, const ratio_estimate& previous,
                              double confidence_level = 0.95);

}  // namespace jamstat::analysis
