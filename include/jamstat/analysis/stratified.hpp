// Comparisons of two groups adjusted for legitimate factors: 2x2 tables per stratum combined by
// Mantel-Haenszel (risk difference, risk ratio, odds ratio), the Cochran-Mantel-Haenszel test, the
// Breslow-Day test of homogeneous odds ratios with Tarone's correction, and direct standardization.
// Group 1 is the group of interest (women), group 2 the comparison group (men).
// Methods and conventions: docs/methods-gap.md, "Stratified comparisons".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "jamstat/analysis/estimate.hpp"
#include "jamstat/analysis/proportions.hpp"

namespace jamstat::analysis {

/// One stratum's 2x2 table: successes and trials of group 1 and group 2.
struct stratum_2x2 {
  std::uint64_t successes1;
  std::uint64_t n1;
  std::uint64_t successes2;
  std::uint64_t n2;
};

/// Mantel-Haenszel pooled estimates over strata.
///
/// Strata in which either group is empty (a single-level stratum) carry no information on the
/// comparison: every Mantel-Haenszel weight of theirs is 0, and they are counted in
/// strata_without_comparison. Estimates that are 0/0 (e.g. the risk ratio when neither group has a
/// success in any stratum) are NaN.
struct mantel_haenszel_result {
  /// sum (a_k n2k - c_k n1k) / N_k / sum n1k n2k / N_k, with Sato's (1989) variance, which is
  /// consistent both for large strata and for many small ones (Greenland & Robins 1985 give the
  /// estimator). Normal interval.
  estimate risk_difference;
  /// sum a_k n2k / N_k / sum c_k n1k / N_k, Greenland & Robins (1985) variance of its log.
  ratio_estimate risk_ratio;
  /// sum a_k d_k / N_k / sum b_k c_k / N_k, Robins, Breslow & Greenland (1986) variance of its log
  /// (R: mantelhaen.test(x)$estimate and $conf.int).
  ratio_estimate odds_ratio;
  std::size_t strata_compared;           ///< strata with both groups present
  std::size_t strata_without_comparison; ///< strata with one group (or both) empty
};

/// Mantel-Haenszel estimates. Throws usage_error when a stratum has successes above its trials,
/// there are no strata, or the level is not in (0, 1).
mantel_haenszel_result mantel_haenszel(std::span<const stratum_2x2> strata, double confidence_level = 0.95);

/// Cochran-Mantel-Haenszel test of conditional independence, 1 df (R: mantelhaen.test(x, correct =
/// continuity_correction) for a 2 x 2 x K table). Strata with fewer than 2 observations, or with a
/// zero row or column margin, have zero variance and contribute nothing (R stops with an error on
/// strata of size < 2; we drop them, as their terms are 0). When no stratum has variance every
/// stratum's count equals its expectation: statistic 0, p 1 (as two_proportion_test).
test_result cochran_mantel_haenszel_test(std::span<const stratum_2x2> strata, bool continuity_correction = false);

/// Breslow-Day test of homogeneity of the odds ratios across strata.
struct breslow_day_result {
  /// With Tarone's (1985) correction, df = strata used - 1 (statsmodels
  /// StratifiedTable.test_equal_odds(adjust = True)). NaN with fewer than two strata used.
  test_result test;
  /// Without the correction (Breslow & Day 1980, 4.30; adjust = False).
  test_result uncorrected;
  std::size_t strata_used;  ///< strata whose expected table under the common odds ratio has variance
};

/// Breslow-Day test against the Mantel-Haenszel common odds ratio. Strata where a group or an
/// outcome is empty have no variance and are left out (counted out of strata_used). NaN when the
/// Mantel-Haenszel odds ratio is 0, infinite or undefined.
breslow_day_result breslow_day_test(std::span<const stratum_2x2> strata);

/// A directly standardized rate: the stratum rates events_k / population_k averaged with the
/// standard population's weights.
struct standardized_rate {
  double crude;       ///< sum events / sum population
  /// The standardized rate with the gamma interval of Fay & Feuer (1997) (R:
  /// epitools::ageadjust.direct). standard_error is the square root of sum w_k^2 events_k /
  /// population_k^2 (Poisson). With no events the lower bound is 0. NaN when a stratum with
  /// standard weight has population 0 (its rate is unknown).
  estimate adjusted;
};

/// Direct standardization of events / population per stratum to standard_population (all three
/// indexed by stratum). Throws usage_error when the lengths differ, a value is negative or not
/// finite, the standard population sums to 0, or the level is not in (0, 1).
standardized_rate direct_standardization(std::span<const double> events, std::span<const double> population,
                                         std::span<const double> standard_population,
                                         double confidence_level = 0.95);

}  // namespace jamstat::analysis
