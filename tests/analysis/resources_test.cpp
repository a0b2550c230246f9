// Means, Welch's test and resource shares against R (t.test) and the Python delta-method script.
#include "jamstat/analysis/resources.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jamstat/engine/errors.hpp"
#include "reference_values.hpp"

namespace jamstat::analysis {
namespace {

using testing::close;
using testing::closed_form;
using testing::py;
using testing::r;

// The moments R computed of the data it drew (r_reference.R, set.seed(42)).
sample_moments moments_of(int i, const char* group) {
  const std::string g = "welch_data[[" + std::to_string(i) + "]]$" + group;
  return {std::uint64_t(r("length(" + g + ")")), r("mean(" + g + ")"), r("var(" + g + ")")};
}

TEST(Resources, WelchMatchesTTestFromMoments) {
  for (int i = 1; i <= 4; ++i) {
    const sample_moments x = moments_of(i, "x"), y = moments_of(i, "y");
    const welch_result w = welch_t_test(x, y);
    const std::string call = "t.test(welch_data[[" + std::to_string(i) + "]]$x, welch_data[[" + std::to_string(i) + "]]$y)";
    SCOPED_TRACE(call);
    // Moments carry the data's rounding (17 digits), so 1e-10 relative for everything but the
    // fourth case, whose means of 1e6 with spread 5 lose ~1e-6 relative in the difference.
    const double tol = i == 4 ? 1e-8 : closed_form;
    EXPECT_TRUE(close(w.test.statistic, r(call + "$statistic"), tol));
    EXPECT_TRUE(close(w.test.df, r(call + "$parameter"), tol));
    EXPECT_TRUE(close(w.test.p_value, r(call + "$p.value"), tol));
    EXPECT_TRUE(close(w.difference.ci.lower, r(call + "$conf.int[1]"), tol));
    EXPECT_TRUE(close(w.difference.ci.upper, r(call + "$conf.int[2]"), tol));
    const estimate m = mean_interval(x);
    const std::string one = "t.test(welch_data[[" + std::to_string(i) + "]]$x)";
    EXPECT_TRUE(close(m.ci.lower, r(one + "$conf.int[1]"), closed_form));
    EXPECT_TRUE(close(m.ci.upper, r(one + "$conf.int[2]"), closed_form));
  }
  EXPECT_TRUE(close(mean_interval(moments_of(1, "x"), 0.9).ci.lower,
                    r("t.test(welch_data[[1]]$x, conf.level = 0.9)$conf.int[1]"), closed_form));
  // SciPy from the same moments.
  EXPECT_TRUE(close(welch_t_test({120, 14.5, 30.25}, {100, 18.0, 40.0}).test.p_value,
                    py("ss.ttest_ind_from_stats(14.5, math.sqrt(30.25), 120, 18.0, math.sqrt(40.0), 100, equal_var=False).pvalue"),
                    closed_form));
}

TEST(Resources, TooFewObservationsAndConstantData) {
  // One observation: the mean, no interval. None: nothing.
  const estimate one = mean_interval({1, 5.0, testing::kNaN});
  EXPECT_EQ(one.value, 5.0);
  EXPECT_TRUE(std::isnan(one.ci.lower));
  EXPECT_TRUE(std::isnan(mean_interval({0, 0.0, 0.0}).value));
  // Welch with a group of one: the difference, no test.
  const welch_result w = welch_t_test({1, 5.0, testing::kNaN}, {10, 4.0, 1.0});
  EXPECT_EQ(w.difference.value, 1.0);
  EXPECT_TRUE(std::isnan(w.test.p_value));
  // Both groups constant: R stops ("data are essentially constant"); NaN here.
  EXPECT_TRUE(std::isnan(welch_t_test({5, 3.0, 0.0}, {6, 4.0, 0.0}).test.p_value));
  // Bad moments.
  EXPECT_THROW(mean_interval({3, testing::kInf, 1.0}), usage_error);
  EXPECT_THROW(mean_interval({3, 1.0, -1.0}), usage_error);
  EXPECT_THROW(welch_t_test({3, 1.0, testing::kNaN}, {3, 1.0, 1.0}), usage_error);
}

TEST(Resources, StratifiedMeanDifference) {
  // One stratum: the difference of means with the Wald SE.
  const stratum_moments one[] = {{{120, 14.5, 30.25}, {100, 18.0, 40.0}}};
  const stratified_difference d = stratified_mean_difference(one);
  EXPECT_DOUBLE_EQ(d.difference.value, -3.5);
  EXPECT_TRUE(close(d.difference.standard_error, std::sqrt(30.25 / 120 + 40.0 / 100), 1e-14));
  EXPECT_EQ(d.strata_used, 1u);
  // Two strata: weights n1 n2 / (n1 + n2) = 20 and 12; a stratum with a group of one is left out.
  const stratum_moments two[] = {{{40, 10.0, 16.0}, {40, 12.0, 25.0}}, {{20, 30.0, 9.0}, {30, 27.0, 36.0}},
                                 {{1, 99.0, testing::kNaN}, {5, 1.0, 1.0}}};
  const stratified_difference e = stratified_mean_difference(two);
  EXPECT_EQ(e.strata_used, 2u);
  EXPECT_TRUE(close(e.difference.value, (20.0 * -2.0 + 12.0 * 3.0) / 32.0, 1e-14));
  const double var = (400.0 * (16.0 / 40 + 25.0 / 40) + 144.0 * (9.0 / 20 + 36.0 / 30)) / (32.0 * 32.0);
  EXPECT_TRUE(close(e.difference.standard_error, std::sqrt(var), 1e-14));
  EXPECT_TRUE(close(e.test.p_value, std::erfc(std::fabs(e.difference.value / std::sqrt(var)) / std::sqrt(2.0)), 1e-14));
}

TEST(Resources, ResourceShareRatioMatchesNumericalDeltaMethod) {
  // Raw: women, men and not known in one stratum.
  const sample_moments raw[] = {{120, 14.5, 30.25}, {100, 18.0, 40.0}, {7, 12.0, 9.0}};
  const char* raw_text = "[(120, 14.5, 30.25), (100, 18.0, 40.0), (7, 12.0, 9.0)]";
  for (std::size_t g = 0; g < 2; ++g) {
    const resource_share s = resource_share_ratio(raw, 3, g);
    const std::string call = std::string("resource_ratio(") + raw_text + ", 3, " + std::to_string(g) + ")";
    EXPECT_TRUE(close(s.ratio.value, py(call + "[0]"), closed_form));
    EXPECT_TRUE(close(s.ratio.standard_error, py(call + "[1]"), testing::numerical));
    // One stratum: the ratio is resource share / participant share.
    EXPECT_TRUE(close(s.ratio.value, s.resource_share / s.participant_share, 1e-14));
  }
  const resource_share women = resource_share_ratio(raw, 3, 0);
  const double total = 120 * 14.5 + 100 * 18.0 + 7 * 12.0;
  EXPECT_TRUE(close(women.resource_share, 120 * 14.5 / total, 1e-15));
  EXPECT_TRUE(close(women.participant_share, 120.0 / 227.0, 1e-15));
  EXPECT_LT(women.ratio.ci.upper, 1.0);  // women get clearly less than their share
  EXPECT_LT(women.test.p_value, 0.01);
  // Stratified: three strata x three groups, one group empty in one stratum.
  const sample_moments strat[] = {{40, 10.0, 16.0}, {35, 12.5, 20.0}, {3, 9.0, 4.0},
                                  {60, 20.0, 36.0}, {20, 22.0, 49.0}, {0, 0.0, 0.0},
                                  {25, 31.0, 64.0}, {45, 30.0, 81.0}, {2, 28.0, 2.0}};
  const char* strat_text =
      "[(40, 10.0, 16.0), (35, 12.5, 20.0), (3, 9.0, 4.0), (60, 20.0, 36.0), (20, 22.0, 49.0), (0, 0.0, 0.0), "
      "(25, 31.0, 64.0), (45, 30.0, 81.0), (2, 28.0, 2.0)]";
  for (std::size_t g = 0; g < 2; ++g) {
    const resource_share s = resource_share_ratio(strat, 3, g);
    const std::string call = std::string("resource_ratio(") + strat_text + ", 3, " + std::to_string(g) + ")";
    EXPECT_TRUE(close(s.ratio.value, py(call + "[0]"), closed_form));
    EXPECT_TRUE(close(s.ratio.standard_error, py(call + "[1]"), testing::numerical));
  }
}

TEST(Resources, ResourceShareEdges) {
  // A group with a single observation in a stratum borrows its variance over all strata.
  const sample_moments single[] = {{1, 10.0, testing::kNaN}, {5, 12.0, 4.0}, {6, 11.0, 2.0}, {4, 13.0, 9.0}};
  const resource_share s = resource_share_ratio(single, 2, 0);
  EXPECT_TRUE(std::isfinite(s.ratio.standard_error));
  // No resources at all for the group: ratio 0, no interval.
  const sample_moments zero[] = {{10, 0.0, 0.0}, {10, 5.0, 1.0}};
  const resource_share z = resource_share_ratio(zero, 2, 0);
  EXPECT_EQ(z.ratio.value, 0.0);
  EXPECT_TRUE(std::isnan(z.ratio.ci.lower));
  EXPECT_THROW(resource_share_ratio(zero, 3, 0), usage_error);
  EXPECT_THROW(resource_share_ratio(zero, 2, 2), usage_error);
  const sample_moments negative[] = {{10, -1.0, 1.0}, {10, 5.0, 1.0}};
  EXPECT_THROW(resource_share_ratio(negative, 2, 0), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis
