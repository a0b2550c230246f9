// Proportions against R (prop.test, binom.test, epitools) and statsmodels / Newcombe (1998).
#include "jamstat/analysis/proportions.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "jamstat/engine/errors.hpp"
#include "reference_values.hpp"

namespace jamstat::analysis {
namespace {

using testing::close;
using testing::closed_form;
using testing::py;
using testing::r;

std::string fmt(const char* pattern, auto... args) {
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, pattern, args...);
  return buffer;
}

struct xn {
  unsigned x, n;
};
const xn one_sample_cases[] = {{0, 10}, {10, 10}, {15, 40}, {1, 1}, {3, 1000}, {999, 1000}, {123456, 1000000}, {7, 9}};

TEST(Proportions, WilsonMatchesPropTestWithoutCorrection) {
  for (const xn c : one_sample_cases) {
    const interval w = wilson_interval(c.x, c.n);
    // R: prop.test(x, n, correct = FALSE)$conf.int
    EXPECT_TRUE(close(w.lower, r(fmt("prop.test(%u, %u, correct = FALSE)$conf.int[1]", c.x, c.n)), closed_form, 1e-16))
        << c.x << "/" << c.n;
    EXPECT_TRUE(close(w.upper, r(fmt("prop.test(%u, %u, correct = FALSE)$conf.int[2]", c.x, c.n)), closed_form, 1e-16))
        << c.x << "/" << c.n;
  }
  const interval w90 = wilson_interval(15, 40, 0.9);
  EXPECT_TRUE(close(w90.lower, r("prop.test(15, 40, correct = FALSE, conf.level = 0.9)$conf.int[1]"), closed_form));
  EXPECT_TRUE(close(w90.upper, r("prop.test(15, 40, correct = FALSE, conf.level = 0.9)$conf.int[2]"), closed_form));
}

TEST(Proportions, ClopperPearsonMatchesBinomTest) {
  for (const xn c : one_sample_cases) {
    const interval cp = clopper_pearson_interval(c.x, c.n);
    EXPECT_TRUE(close(cp.lower, r(fmt("binom.test(%u, %u)$conf.int[1]", c.x, c.n)), closed_form, 1e-16)) << c.x << "/" << c.n;
    EXPECT_TRUE(close(cp.upper, r(fmt("binom.test(%u, %u)$conf.int[2]", c.x, c.n)), closed_form, 1e-16)) << c.x << "/" << c.n;
  }
  const interval cp99 = clopper_pearson_interval(15, 40, 0.99);
  EXPECT_TRUE(close(cp99.lower, r("binom.test(15, 40, conf.level = 0.99)$conf.int[1]"), closed_form));
  EXPECT_TRUE(close(cp99.upper, r("binom.test(15, 40, conf.level = 0.99)$conf.int[2]"), closed_form));
}

TEST(Proportions, BinomialTestMatchesBinomTest) {
  struct c { unsigned x, n; const char* p0; };
  const c cases[] = {{7, 20, "0.3"},      {2, 50, "0.2"},     {45, 50, "0.6"},          {0, 10, "0.5"},
                     {10, 10, "0.5"},     {3, 7, "0.5"},      {5000, 10000, "0.52"},    {400000, 1000000, "0.4003"},
                     {11, 30, "0.4"},     {1, 1000, "0.0004"}, {12, 30, "0.4"},         {3, 3, "0.999"}};
  for (const c& k : cases) {
    // R: binom.test(x, n, p0)$p.value
    EXPECT_TRUE(close(binomial_test_p(k.x, k.n, std::stod(k.p0)),
                      r(fmt("binom.test(%u, %u, %s)$p.value", k.x, k.n, k.p0)), testing::iterative))
        << k.x << "/" << k.n << " vs " << k.p0;
  }
  EXPECT_EQ(binomial_test_p(0, 5, 0.0), 1.0);
  EXPECT_EQ(binomial_test_p(1, 5, 0.0), 0.0);
  EXPECT_EQ(binomial_test_p(5, 5, 1.0), 1.0);
  EXPECT_THROW(binomial_test_p(1, 5, 1.5), usage_error);
}

TEST(Proportions, TwoProportionTestMatchesPropTest) {
  struct c { unsigned x1, n1, x2, n2; };
  const c cases[] = {{15, 40, 25, 45}, {0, 10, 5, 12}, {100, 1000, 130, 1000}, {3, 5, 2, 6}, {1, 2, 1, 2}, {10, 10, 7, 12}};
  for (const c& k : cases) {
    for (bool correct : {false, true}) {
      const test_result t = two_proportion_test(k.x1, k.n1, k.x2, k.n2, correct);
      const char* flag = correct ? "TRUE" : "FALSE";
      // R: prop.test(c(x1, x2), c(n1, n2), correct = ...)
      EXPECT_TRUE(close(t.statistic, r(fmt("prop.test(c(%u, %u), c(%u, %u), correct = %s)$statistic", k.x1, k.x2, k.n1, k.n2, flag)),
                        closed_form, 1e-15));
      EXPECT_TRUE(close(t.p_value, r(fmt("prop.test(c(%u, %u), c(%u, %u), correct = %s)$p.value", k.x1, k.x2, k.n1, k.n2, flag)),
                        closed_form));
      EXPECT_EQ(t.df, 1.0);
    }
  }
  // Both groups at 0%: R gives NaN; identical proportions give statistic 0 and p 1 here.
  const test_result none = two_proportion_test(0, 8, 0, 9);
  EXPECT_EQ(none.statistic, 0.0);
  EXPECT_EQ(none.p_value, 1.0);
  EXPECT_EQ(two_proportion_test(8, 8, 9, 9).p_value, 1.0);
}

TEST(Proportions, NewcombeDifferenceMatchesStatsmodelsAndThePaper) {
  struct c { unsigned x1, n1, x2, n2; };
  const c cases[] = {{56, 70, 48, 80}, {9, 10, 3, 10},   {6, 7, 2, 7},   {5, 56, 0, 29},  {0, 10, 0, 20},
                     {0, 10, 0, 10},   {10, 10, 0, 20}, {10, 10, 0, 10}, {15, 40, 25, 45}, {123456, 1000000, 120000, 990000}};
  for (const c& k : cases) {
    const estimate d = proportion_difference(k.x1, k.n1, k.x2, k.n2);
    // statsmodels: confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
    EXPECT_TRUE(close(d.ci.lower, py(fmt("newcombe(%u, %u, %u, %u)[0]", k.x1, k.n1, k.x2, k.n2)), closed_form, 1e-15));
    EXPECT_TRUE(close(d.ci.upper, py(fmt("newcombe(%u, %u, %u, %u)[1]", k.x1, k.n1, k.x2, k.n2)), closed_form, 1e-15));
    EXPECT_DOUBLE_EQ(d.value, double(k.x1) / k.n1 - double(k.x2) / k.n2);
  }
  // Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (four decimals).
  struct published { unsigned x1, n1, x2, n2; double lower, upper; };
  const published table2[] = {{56, 70, 48, 80, 0.0524, 0.3339}, {9, 10, 3, 10, 0.1705, 0.8090},
                              {5, 56, 0, 29, -0.0381, 0.1926},  {0, 10, 0, 20, -0.1611, 0.2775},
                              {0, 10, 0, 10, -0.2775, 0.2775},  {10, 10, 0, 20, 0.6791, 1.0000},
                              {10, 10, 0, 10, 0.6075, 1.0000}};
  for (const published& p : table2) {
    const estimate d = proportion_difference(p.x1, p.n1, p.x2, p.n2);
    EXPECT_NEAR(d.ci.lower, p.lower, 5e-5);
    EXPECT_NEAR(d.ci.upper, p.upper, 5e-5);
  }
  // The Wald SE kept for period changes.
  EXPECT_DOUBLE_EQ(proportion_difference(15, 40, 25, 45).standard_error,
                   std::sqrt(0.375 * 0.625 / 40 + (25.0 / 45) * (20.0 / 45) / 45));
}

TEST(Proportions, RiskAndOddsRatiosMatchEpitools) {
  struct c { unsigned x1, n1, x2, n2; };
  const c cases[] = {{15, 40, 25, 45}, {100, 1000, 130, 1000}, {56, 70, 48, 80}};
  for (const c& k : cases) {
    // epitools, rows: men (reference), women; columns: failure, success.
    const std::string tab = fmt("matrix(c(%u, %u, %u, %u), 2)", k.n2 - k.x2, k.n1 - k.x1, k.x2, k.x1);
    const ratio_estimate rr = risk_ratio(k.x1, k.n1, k.x2, k.n2);
    const ratio_estimate orr = odds_ratio(k.x1, k.n1, k.x2, k.n2);
    EXPECT_FALSE(rr.corrected);
    EXPECT_TRUE(close(rr.value, r("riskratio.wald(" + tab + ")$measure[2, 1]"), closed_form));
    EXPECT_TRUE(close(rr.ci.lower, r("riskratio.wald(" + tab + ")$measure[2, 2]"), closed_form));
    EXPECT_TRUE(close(rr.ci.upper, r("riskratio.wald(" + tab + ")$measure[2, 3]"), closed_form));
    EXPECT_TRUE(close(orr.value, r("oddsratio.wald(" + tab + ")$measure[2, 1]"), closed_form));
    EXPECT_TRUE(close(orr.ci.lower, r("oddsratio.wald(" + tab + ")$measure[2, 2]"), closed_form));
    EXPECT_TRUE(close(orr.ci.upper, r("oddsratio.wald(" + tab + ")$measure[2, 3]"), closed_form));
  }
}

TEST(Proportions, ZeroCellsUseHaldaneAnscombe) {
  // A zero cell adds 0.5 to all four cells: epitools on the table + 0.5.
  struct c { unsigned x1, n1, x2, n2; };
  const c cases[] = {{0, 10, 5, 12}, {10, 10, 7, 12}, {0, 8, 0, 9}};
  for (const c& k : cases) {
    const std::string tab = fmt("matrix(c(%u, %u, %u, %u), 2) + 0.5", k.n2 - k.x2, k.n1 - k.x1, k.x2, k.x1);
    const ratio_estimate rr = risk_ratio(k.x1, k.n1, k.x2, k.n2);
    const ratio_estimate orr = odds_ratio(k.x1, k.n1, k.x2, k.n2);
    EXPECT_TRUE(rr.corrected);
    EXPECT_TRUE(orr.corrected);
    EXPECT_TRUE(close(rr.value, r("riskratio.wald(" + tab + ")$measure[2, 1]"), closed_form));
    EXPECT_TRUE(close(rr.ci.lower, r("riskratio.wald(" + tab + ")$measure[2, 2]"), closed_form));
    EXPECT_TRUE(close(rr.ci.upper, r("riskratio.wald(" + tab + ")$measure[2, 3]"), closed_form));
    EXPECT_TRUE(close(orr.value, r("oddsratio.wald(" + tab + ")$measure[2, 1]"), closed_form));
    EXPECT_TRUE(close(orr.ci.lower, r("oddsratio.wald(" + tab + ")$measure[2, 2]"), closed_form));
    EXPECT_TRUE(close(orr.ci.upper, r("oddsratio.wald(" + tab + ")$measure[2, 3]"), closed_form));
  }
}

TEST(Proportions, BadInputIsAUsageError) {
  EXPECT_THROW(wilson_interval(0, 0), usage_error);
  EXPECT_THROW(wilson_interval(11, 10), usage_error);
  EXPECT_THROW(wilson_interval(1, 10, 1.0), usage_error);
  EXPECT_THROW(clopper_pearson_interval(1, 10, 0.0), usage_error);
  EXPECT_THROW(proportion_difference(1, 0, 1, 2), usage_error);
  EXPECT_THROW(risk_ratio(3, 2, 1, 2), usage_error);
  EXPECT_THROW(odds_ratio(1, 2, 3, 2), usage_error);
  EXPECT_THROW(two_proportion_test(1, 2, 1, 0), usage_error);
  try {
    wilson_interval(11, 10);
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("successes (11) exceed the number of trials (10)"), std::string::npos) << e.what();
  }
}

TEST(Proportions, OneObservationAndCertainOutcomes) {
  // n = 1 and 0% / 100%: the bounds that must be exact.
  EXPECT_EQ(wilson_interval(0, 1).lower, 0.0);
  EXPECT_EQ(wilson_interval(1, 1).upper, 1.0);
  EXPECT_EQ(clopper_pearson_interval(0, 7).lower, 0.0);
  EXPECT_EQ(clopper_pearson_interval(7, 7).upper, 1.0);
  const estimate d = proportion_difference(7, 7, 0, 5);
  EXPECT_EQ(d.value, 1.0);
  EXPECT_LE(d.ci.upper, 1.0);
  EXPECT_EQ(d.standard_error, 0.0);
}

}  // namespace
}  // namespace jamstat::analysis
