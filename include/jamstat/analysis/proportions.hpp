// Proportions of two groups (women and men): intervals for one proportion, the difference, risk
// ratio and odds ratio of two, and the tests of equality. Group 1 is the group of interest (women
// in the gap report), group 2 the comparison group (men): differences are p1 - p2, ratios p1 / p2.
// Methods and conventions: docs/methods-gap.md, "Proportions".
#pragma once

#include <cstdint>

#include "jamstat/analysis/estimate.hpp"

namespace jamstat::analysis {

/// Wilson score interval for successes / n, without continuity correction
/// (Wilson 1927; R: prop.test(x, n, correct = FALSE)$conf.int). Throws usage_error when n is 0,
/// successes exceed n, or the level is not in (0, 1).
interval wilson_interval(std::uint64_t successes, std::uint64_t n, double confidence_level = 0.95);

/// Clopper-Pearson exact interval for successes / n (Clopper & Pearson 1934;
/// R: binom.test(x, n)$conf.int): beta quantiles; lower bound 0 when successes is 0, upper 1 when
/// successes is n.
interval clopper_pearson_interval(std::uint64_t successes, std::uint64_t n, double confidence_level = 0.95);

/// The difference p1 - p2 with Newcombe's hybrid-score interval (Newcombe 1998, method 10: the
/// Wilson intervals of the two proportions combined; statsmodels
/// confint_proportions_2indep(method = "newcomb")). standard_error is the unpooled Wald SE
/// sqrt(p1 q1 / n1 + p2 q2 / n2), kept for combining differences (period changes).
estimate proportion_difference(std::uint64_t successes1, std::uint64_t n1, std::uint64_t successes2,
                               std::uint64_t n2, double confidence_level = 0.95);

/// A ratio (risk ratio or odds ratio) with its Wald interval on the log scale. `corrected` is true
/// when a zero cell made us add 0.5 to every cell of the 2x2 table (Haldane-Anscombe), for the
/// estimate and the interval alike.
struct ratio_estimate {
  double value;
  interval ci;
  double log_standard_error;
  bool corrected;
};

/// Risk ratio p1 / p2 with the Katz log interval, SE(log RR) = sqrt(1/a - 1/n1 + 1/c - 1/n2)
/// (Katz et al. 1978; R: epitools::riskratio.wald). A zero cell (no successes or no failures in a
/// group) adds 0.5 to all four cells first.
ratio_estimate risk_ratio(std::uint64_t successes1, std::uint64_t n1, std::uint64_t successes2, std::uint64_t n2,
                          double confidence_level = 0.95);

/// Odds ratio (p1 / q1) / (p2 / q2) with Woolf's logit interval, SE(log OR) = sqrt(1/a + 1/b +
/// 1/c + 1/d) (Woolf 1955; R: epitools::oddsratio.wald). A zero cell adds 0.5 to all four cells
/// first (Haldane 1956, Anscombe 1956; Agresti, Categorical Data Analysis, 3rd ed., 3.1.1).
ratio_estimate odds_ratio(std::uint64_t successes1, std::uint64_t n1, std::uint64_t successes2, std::uint64_t n2,
                          double confidence_level = 0.95);

/// Pearson's chi-square test of p1 = p2, 1 degree of freedom (R: prop.test(c(x1, x2), c(n1, n2),
/// correct = continuity_correction)). Without correction (our default) it is the score test that
/// matches the Wilson and Newcombe intervals; with correction it applies Yates' 0.5, capped at
/// |p1 - p2| / (1/n1 + 1/n2) as R does. When the pooled proportion is 0 or 1 (both groups all
/// failures or all successes) R returns NaN; we return statistic 0 and p = 1, the observed
/// proportions being identical.
test_result two_proportion_test(std::uint64_t successes1, std::uint64_t n1, std::uint64_t successes2,
                                std::uint64_t n2, bool continuity_correction = false);

/// Exact two-sided binomial test of P(success) = p0 (R: binom.test(x, n, p0)$p.value): the sum of
/// the probabilities of the outcomes no more likely than the observed one (relative tolerance
/// 1e-7, as R). Throws usage_error unless 0 <= p0 <= 1.
double binomial_test_p(std::uint64_t successes, std::uint64_t n, double p0);

}  // namespace jamstat::analysis
