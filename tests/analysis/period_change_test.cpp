// Changes of gaps between periods: MOVER against the Python formula, the mean and ratio forms by hand.
#include "jamstat/analysis/period_change.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "jamstat/engine/errors.hpp"
#include "reference_values.hpp"

namespace jamstat::analysis {
namespace {

using testing::close;
using testing::py;

TEST(PeriodChange, DifferenceOfProportionDifferences) {
  // Current 15/40 vs 25/45, previous 30/50 vs 20/48.
  const period_change c = change_in_proportion_difference(15, 40, 25, 45, 30, 50, 20, 48);
  const double expected = (15.0 / 40 - 25.0 / 45) - (30.0 / 50 - 20.0 / 48);
  EXPECT_TRUE(close(c.change.value, expected, 1e-15));
  // Python: mover(d1, *newcombe(...), d0, *newcombe(...)) (Zou & Donner 2008, eq. 4)
  EXPECT_TRUE(close(c.change.ci.lower,
                    py("mover(15/40 - 25/45, *newcombe(15, 40, 25, 45), 30/50 - 20/48, *newcombe(30, 50, 20, 48))[0]"),
                    testing::closed_form));
  EXPECT_TRUE(close(c.change.ci.upper,
                    py("mover(15/40 - 25/45, *newcombe(15, 40, 25, 45), 30/50 - 20/48, *newcombe(30, 50, 20, 48))[1]"),
                    testing::closed_form));
  const double se = std::sqrt(0.375 * 0.625 / 40 + (25.0 / 45) * (20.0 / 45) / 45 + 0.6 * 0.4 / 50 +
                              (20.0 / 48) * (28.0 / 48) / 48);
  EXPECT_TRUE(close(c.change.standard_error, se, 1e-14));
  EXPECT_TRUE(close(c.test.p_value, std::erfc(std::fabs(expected / se) / std::sqrt(2.0)), 1e-14));
}

TEST(PeriodChange, DifferenceOfMeanDifferences) {
  const sample_moments w1{120, 14.5, 30.25}, m1{100, 18.0, 40.0}, w0{110, 13.0, 25.0}, m0{90, 17.5, 36.0};
  const period_change c = change_in_mean_difference(w1, m1, w0, m0);
  const double v[4] = {30.25 / 120, 40.0 / 100, 25.0 / 110, 36.0 / 90};
  const double n[4] = {120, 100, 110, 90};
  double var = 0, den = 0;
  for (int i = 0; i < 4; ++i) {
    var += v[i];
    den += v[i] * v[i] / (n[i] - 1);
  }
  const double change = (14.5 - 18.0) - (13.0 - 17.5);
  EXPECT_DOUBLE_EQ(c.change.value, change);
  EXPECT_TRUE(close(c.change.standard_error, std::sqrt(var), 1e-14));
  EXPECT_TRUE(close(c.test.df, var * var / den, 1e-13));
  // With two groups instead of four the same arithmetic is Welch's test (checked against R).
  const period_change welch_like = change_in_mean_difference(w1, m1, {1000000, 0.0, 0.0}, {1000000, 0.0, 0.0});
  const welch_result w = welch_t_test(w1, m1);
  EXPECT_TRUE(close(welch_like.test.p_value, w.test.p_value, 1e-12));
  EXPECT_TRUE(close(welch_like.change.ci.lower, w.difference.ci.lower, 1e-12));
  // A group of one: no test.
  EXPECT_TRUE(std::isnan(change_in_mean_difference(w1, m1, {1, 3.0, testing::kNaN}, m0).test.p_value));
}

TEST(PeriodChange, RatioOfOddsRatios) {
  const ratio_estimate now = odds_ratio(15, 40, 25, 45), before = odds_ratio(30, 50, 20, 48);
  const period_change c = ratio_of_ratios(now, before);
  EXPECT_TRUE(close(c.change.value, now.value / before.value, 1e-14));
  const double se = std::hypot(now.log_standard_error, before.log_standard_error);
  EXPECT_TRUE(close(c.change.ci.lower, c.change.value * std::exp(-1.959963984540054 * se), 1e-12));
  EXPECT_TRUE(close(c.test.p_value, std::erfc(std::fabs(std::log(c.change.value)) / se / std::sqrt(2.0)), 1e-13));
  // A zero ratio cannot be compared on the log scale.
  EXPECT_TRUE(std::isnan(ratio_of_ratios({0.0, {0.0, 0.0}, testing::kNaN, false}, before).change.value));
}

TEST(PeriodChange, NoChangeWithoutVariance) {
  const estimate same{0.0, {0.0, 0.0}, 0.0};
  EXPECT_EQ(change_in_difference(same, same).test.p_value, 1.0);
  EXPECT_THROW(change_in_difference(same, same, 2.0), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis
