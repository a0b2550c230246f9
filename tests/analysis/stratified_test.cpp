// Mantel-Haenszel, CMH, Breslow-Day-Tarone and direct standardization against R (mantelhaen.test,
// epitools::ageadjust.direct), statsmodels (StratifiedTable) and independent Python formulas.
#include "jamstat/analysis/stratified.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jamstat/analysis/proportions.hpp"
#include "jamstat/engine/errors.hpp"
#include "reference_values.hpp"

namespace jamstat::analysis {
namespace {

using testing::close;
using testing::closed_form;
using testing::py;
using testing::r;

// UCBAdmissions (R datasets) by department A-F: women admitted, women applicants, men admitted, men
// applicants. Department D is the real 131/375 and 138/417 (138 admitted, 279 rejected men);
// statsmodels' own test suite enters D's men as 278/139.
const stratum_2x2 ucb[] = {{89, 108, 512, 825}, {17, 25, 353, 560}, {202, 593, 120, 325},
                           {131, 375, 138, 417}, {94, 393, 53, 191}, {24, 341, 22, 373}};
const char* ucb_r = "aperm(UCBAdmissions, c(2, 1, 3))[2:1, , ]";

// SAS/STAT PROC FREQ documentation, CMH example (migraine): active vs placebo, better vs same.
const stratum_2x2 migraine[] = {{16, 27, 5, 25}, {12, 28, 7, 26}};

TEST(Stratified, UcbAdmissionsRawGapReversesOnceStratified) {
  // Raw: women are admitted less often (30% vs 45%), clearly.
  const estimate raw = proportion_difference(557, 1835, 1198, 2691);
  EXPECT_LT(raw.ci.upper, 0.0);
  EXPECT_LT(two_proportion_test(557, 1835, 1198, 2691).p_value, 1e-20);
  EXPECT_TRUE(close(two_proportion_test(557, 1835, 1198, 2691).p_value,
                    r("prop.test(c(557, 1198), c(1835, 2691), correct = FALSE)$p.value"), 1e-8));
  // Within departments: the pooled odds ratio favours women slightly and is not significant.
  const mantel_haenszel_result mh = mantel_haenszel(ucb);
  EXPECT_GT(mh.odds_ratio.value, 1.0);
  EXPECT_GT(mh.risk_difference.value, 0.0);
  EXPECT_EQ(mh.strata_compared, 6u);
  const std::string call = std::string("mantelhaen.test(") + ucb_r;
  EXPECT_TRUE(close(mh.odds_ratio.value, r(call + ")$estimate"), closed_form));
  EXPECT_TRUE(close(mh.odds_ratio.ci.lower, r(call + ")$conf.int[1]"), closed_form));
  EXPECT_TRUE(close(mh.odds_ratio.ci.upper, r(call + ")$conf.int[2]"), closed_form));
  for (bool correct : {false, true}) {
    const test_result t = cochran_mantel_haenszel_test(ucb, correct);
    const std::string flag = correct ? "TRUE" : "FALSE";
    EXPECT_TRUE(close(t.statistic, r(call + ", correct = " + flag + ")$statistic"), closed_form));
    EXPECT_TRUE(close(t.p_value, r(call + ", correct = " + flag + ")$p.value"), closed_form));
    EXPECT_GT(t.p_value, 0.2);
  }
  // Risk ratio and risk difference: statsmodels' riskratio_pooled and the Python formulas
  // (Greenland-Robins for the risk ratio's variance, Sato for the risk difference's).
  EXPECT_TRUE(close(mh.risk_ratio.value, py("StratifiedTable(ucb()).riskratio_pooled"), closed_form));
  EXPECT_TRUE(close(mh.risk_ratio.value, py("mh_risk_ratio(list(UCB.values()))[0]"), closed_form));
  EXPECT_TRUE(close(mh.risk_ratio.log_standard_error, py("mh_risk_ratio(list(UCB.values()))[1]"), closed_form));
  EXPECT_TRUE(close(mh.risk_difference.value, py("mh_risk_difference(list(UCB.values()))[0]"), closed_form));
  EXPECT_TRUE(close(mh.risk_difference.standard_error, py("mh_risk_difference(list(UCB.values()))[1]"), closed_form));
  // The departments' odds ratios differ (department A): Breslow-Day-Tarone against statsmodels.
  const breslow_day_result bd = breslow_day_test(ucb);
  EXPECT_EQ(bd.strata_used, 6u);
  EXPECT_EQ(bd.test.df, 5.0);
  EXPECT_TRUE(close(bd.test.statistic, py("StratifiedTable(ucb()).test_equal_odds(adjust=True).statistic"), closed_form));
  EXPECT_TRUE(close(bd.test.p_value, py("StratifiedTable(ucb()).test_equal_odds(adjust=True).pvalue"), closed_form));
  EXPECT_TRUE(close(bd.uncorrected.statistic, py("StratifiedTable(ucb()).test_equal_odds(adjust=False).statistic"), closed_form));
  EXPECT_TRUE(close(bd.uncorrected.p_value, py("StratifiedTable(ucb()).test_equal_odds(adjust=False).pvalue"), closed_form));
  // and against the Python implementation that finds the expected cells with a root finder
  EXPECT_TRUE(close(bd.test.statistic,
                    py("breslow_day(list(UCB.values()), StratifiedTable(ucb()).oddsratio_pooled, True)[0]"), closed_form));
}

TEST(Stratified, MigraineBreslowDayMatchesThePublishedSasExample) {
  // SAS/STAT PROC FREQ documentation: Breslow-Day chi-square 1.4929, df 1, p 0.2218.
  const breslow_day_result bd = breslow_day_test(migraine);
  EXPECT_NEAR(bd.uncorrected.statistic, 1.4929, 5e-5);
  EXPECT_NEAR(bd.uncorrected.p_value, 0.2218, 5e-5);
  EXPECT_TRUE(close(bd.test.statistic, py("StratifiedTable(migraine()).test_equal_odds(adjust=True).statistic"), closed_form));
  EXPECT_TRUE(close(bd.test.p_value, py("StratifiedTable(migraine()).test_equal_odds(adjust=True).pvalue"), closed_form));
  EXPECT_TRUE(close(bd.uncorrected.statistic, py("StratifiedTable(migraine()).test_equal_odds(adjust=False).statistic"), closed_form));
  const mantel_haenszel_result mh = mantel_haenszel(migraine);
  EXPECT_TRUE(close(mh.odds_ratio.value, py("StratifiedTable(migraine()).oddsratio_pooled"), closed_form));
  EXPECT_TRUE(close(mh.odds_ratio.ci.lower, py("StratifiedTable(migraine()).oddsratio_pooled_confint()[0]"), closed_form));
  EXPECT_TRUE(close(mh.odds_ratio.ci.upper, py("StratifiedTable(migraine()).oddsratio_pooled_confint()[1]"), closed_form));
  EXPECT_TRUE(close(mh.risk_ratio.value, py("StratifiedTable(migraine()).riskratio_pooled"), closed_form));
  EXPECT_TRUE(close(mh.risk_difference.standard_error, py("mh_risk_difference(list(MIGRAINE.values()))[1]"), closed_form));
  EXPECT_TRUE(close(cochran_mantel_haenszel_test(migraine).statistic,
                    py("StratifiedTable(migraine()).test_null_odds(correction=False).statistic"), closed_form));
  EXPECT_TRUE(close(cochran_mantel_haenszel_test(migraine, true).p_value,
                    py("StratifiedTable(migraine()).test_null_odds(correction=True).pvalue"), closed_form));
}

std::vector<stratum_2x2> strata_of(const std::string& r_array) {
  // array(c(...), c(2, 2, K)): per stratum R's [1,1], [2,1], [1,2], [2,2] = a, c, b, d.
  const std::vector<double> v = testing::numbers_in(r_array);
  std::vector<stratum_2x2> out;
  for (std::size_t k = 0; k + 3 < v.size(); k += 4) {
    const auto a = std::uint64_t(v[k]), c = std::uint64_t(v[k + 1]), b = std::uint64_t(v[k + 2]),
               d = std::uint64_t(v[k + 3]);
    out.push_back({a, a + b, c, c + d});
  }
  return out;
}

TEST(Stratified, RandomizedStrata) {
  // Strata drawn in r_reference.R with set.seed(11).
  const std::vector<std::string> arrays = testing::r_inputs("random_strata: ");
  ASSERT_EQ(arrays.size(), 6u);
  for (const std::string& a : arrays) {
    const std::vector<stratum_2x2> strata = strata_of(a);
    SCOPED_TRACE(a);
    const mantel_haenszel_result mh = mantel_haenszel(strata);
    EXPECT_TRUE(close(mh.odds_ratio.value, r("mantelhaen.test(" + a + ")$estimate"), closed_form));
    EXPECT_TRUE(close(mh.odds_ratio.ci.lower, r("mantelhaen.test(" + a + ")$conf.int[1]"), closed_form));
    EXPECT_TRUE(close(mh.odds_ratio.ci.upper, r("mantelhaen.test(" + a + ")$conf.int[2]"), closed_form));
    EXPECT_TRUE(close(cochran_mantel_haenszel_test(strata, false).p_value,
                      r("mantelhaen.test(" + a + ", correct = FALSE)$p.value"), closed_form));
    EXPECT_TRUE(close(cochran_mantel_haenszel_test(strata, true).p_value,
                      r("mantelhaen.test(" + a + ", correct = TRUE)$p.value"), closed_form));
    const std::string st = "StratifiedTable(tables_of(parse_r_array(\"" + a + "\")))";
    const breslow_day_result bd = breslow_day_test(strata);
    EXPECT_TRUE(close(bd.test.statistic, py(st + ".test_equal_odds(adjust=True).statistic"), 1e-9, 1e-12));
    // statsmodels computes p as 1 - cdf, which loses everything below ~1e-16 absolute.
    EXPECT_TRUE(close(bd.test.p_value, py(st + ".test_equal_odds(adjust=True).pvalue"), 1e-9, 1e-15));
    EXPECT_TRUE(close(bd.uncorrected.statistic, py(st + ".test_equal_odds(adjust=False).statistic"), 1e-9, 1e-12));
    EXPECT_TRUE(close(mh.risk_ratio.value, py(st + ".riskratio_pooled"), closed_form));
    EXPECT_TRUE(close(mh.risk_ratio.log_standard_error, py("mh_risk_ratio(parse_r_array(\"" + a + "\"))[1]"), closed_form));
    EXPECT_TRUE(close(mh.risk_difference.value, py("mh_risk_difference(parse_r_array(\"" + a + "\"))[0]"), closed_form, 1e-15));
    EXPECT_TRUE(close(mh.risk_difference.standard_error, py("mh_risk_difference(parse_r_array(\"" + a + "\"))[1]"), closed_form));
  }
}

TEST(Stratified, OneStratumReducesToTheUnstratifiedEstimates) {
  const stratum_2x2 one[] = {{30, 100, 20, 100}};
  const mantel_haenszel_result mh = mantel_haenszel(one);
  const estimate d = proportion_difference(30, 100, 20, 100);
  EXPECT_DOUBLE_EQ(mh.risk_difference.value, d.value);
  EXPECT_TRUE(close(mh.risk_difference.standard_error, d.standard_error, 1e-14));  // Sato = Wald here
  const ratio_estimate rr = risk_ratio(30, 100, 20, 100);
  EXPECT_TRUE(close(mh.risk_ratio.value, rr.value, 1e-14));
  EXPECT_TRUE(close(mh.risk_ratio.log_standard_error, rr.log_standard_error, 1e-14));  // GR = Katz here
  EXPECT_TRUE(close(mh.odds_ratio.value, odds_ratio(30, 100, 20, 100).value, 1e-14));
  // CMH of one stratum is the chi-square times (N - 1) / N.
  EXPECT_TRUE(close(cochran_mantel_haenszel_test(one).statistic, two_proportion_test(30, 100, 20, 100).statistic * 199.0 / 200.0, 1e-13));
  // Breslow-Day needs two strata.
  EXPECT_TRUE(std::isnan(breslow_day_test(one).test.p_value));
}

TEST(Stratified, StrataWithOneGroupOrNoVariationCarryNoWeight) {
  // A stratum with no men and a stratum with one person change nothing.
  const stratum_2x2 with[] = {{89, 108, 512, 825}, {17, 25, 353, 560}, {5, 9, 0, 0}, {1, 1, 0, 0}, {0, 0, 3, 4}};
  const stratum_2x2 without[] = {{89, 108, 512, 825}, {17, 25, 353, 560}};
  const mantel_haenszel_result a = mantel_haenszel(with), b = mantel_haenszel(without);
  EXPECT_EQ(a.strata_compared, 2u);
  EXPECT_EQ(a.strata_without_comparison, 3u);
  EXPECT_DOUBLE_EQ(a.odds_ratio.value, b.odds_ratio.value);
  EXPECT_DOUBLE_EQ(a.risk_difference.standard_error, b.risk_difference.standard_error);
  EXPECT_DOUBLE_EQ(cochran_mantel_haenszel_test(with).statistic, cochran_mantel_haenszel_test(without).statistic);
  EXPECT_DOUBLE_EQ(breslow_day_test(with).test.statistic, breslow_day_test(without).test.statistic);
  EXPECT_EQ(breslow_day_test(with).strata_used, 2u);
  // A stratum where everyone succeeds has no Breslow-Day variance; it is left out.
  const stratum_2x2 all_succeed[] = {{89, 108, 512, 825}, {17, 25, 353, 560}, {20, 20, 15, 15}};
  EXPECT_EQ(breslow_day_test(all_succeed).strata_used, 2u);
  // Only single-group strata: nothing to compare.
  const stratum_2x2 none[] = {{5, 9, 0, 0}, {0, 0, 3, 4}};
  const mantel_haenszel_result n = mantel_haenszel(none);
  EXPECT_TRUE(std::isnan(n.risk_difference.value));
  EXPECT_TRUE(std::isnan(n.odds_ratio.value));
  EXPECT_EQ(cochran_mantel_haenszel_test(none).p_value, 1.0);
  // Zero successes in one group in every stratum: the odds ratio is 0, its interval undefined.
  const stratum_2x2 zero[] = {{0, 10, 3, 10}, {0, 12, 5, 11}};
  const mantel_haenszel_result z = mantel_haenszel(zero);
  EXPECT_EQ(z.odds_ratio.value, 0.0);
  EXPECT_TRUE(std::isnan(z.odds_ratio.ci.lower));
  EXPECT_TRUE(std::isnan(breslow_day_test(zero).test.p_value));
  EXPECT_LT(z.risk_difference.value, 0.0);
  EXPECT_GT(z.risk_difference.standard_error, 0.0);
}

TEST(Stratified, BadStrataAreUsageErrors) {
  EXPECT_THROW(mantel_haenszel(std::span<const stratum_2x2>()), usage_error);
  const stratum_2x2 bad[] = {{5, 4, 1, 2}};
  EXPECT_THROW(mantel_haenszel(bad), usage_error);
  EXPECT_THROW(cochran_mantel_haenszel_test(bad), usage_error);
  EXPECT_THROW(breslow_day_test(bad), usage_error);
  EXPECT_THROW(mantel_haenszel(migraine, 0.0), usage_error);
}

TEST(Stratified, DirectStandardizationMatchesEpitools) {
  struct c { std::vector<double> count, pop, std; const char* text; };
  const c cases[] = {
      {{5, 12, 30, 8}, {1000, 2400, 3000, 500}, {2000, 3000, 2500, 1500},
       "ageadjust.direct(count = c(5, 12, 30, 8), pop = c(1000, 2400, 3000, 500), stdpop = c(2000, 3000, 2500, 1500))"},
      {{250, 420}, {900, 1100}, {1000, 1000}, "ageadjust.direct(count = c(250, 420), pop = c(900, 1100), stdpop = c(1000, 1000))"}};
  for (const c& k : cases) {
    const standardized_rate s = direct_standardization(k.count, k.pop, k.std);
    const std::string call = k.text;
    EXPECT_TRUE(close(s.crude, r(call + "[1]"), closed_form));
    EXPECT_TRUE(close(s.adjusted.value, r(call + "[2]"), closed_form));
    EXPECT_TRUE(close(s.adjusted.ci.lower, r(call + "[3]"), 1e-9));
    EXPECT_TRUE(close(s.adjusted.ci.upper, r(call + "[4]"), 1e-9));
  }
  const std::vector<double> count{5, 12, 30, 8}, pop{1000, 2400, 3000, 500}, stdpop{2000, 3000, 2500, 1500};
  EXPECT_TRUE(close(direct_standardization(count, pop, stdpop, 0.9).adjusted.ci.lower,
                    r("ageadjust.direct(count = c(5, 12, 30, 8), pop = c(1000, 2400, 3000, 500), stdpop = c(2000, 3000, "
                      "2500, 1500), conf.level = 0.9)[3]"), 1e-9));
  // No events: epitools gives NaN for the lower bound; ours is 0, the upper bound as epitools.
  const std::vector<double> none{0, 0, 0}, pop3{100, 200, 300}, ones{1, 1, 1};
  const standardized_rate z = direct_standardization(none, pop3, ones);
  EXPECT_TRUE(std::isnan(r("ageadjust.direct(count = c(0, 0, 0), pop = c(100, 200, 300), stdpop = c(1, 1, 1))[3]")));
  EXPECT_EQ(z.adjusted.value, 0.0);
  EXPECT_EQ(z.adjusted.ci.lower, 0.0);
  EXPECT_TRUE(close(z.adjusted.ci.upper, r("ageadjust.direct(count = c(0, 0, 0), pop = c(100, 200, 300), stdpop = c(1, 1, 1))[4]"), 1e-9));
  // A weighted stratum without population: unknown.
  const std::vector<double> ev{1, 2}, po{10, 0}, st{1, 1};
  EXPECT_TRUE(std::isnan(direct_standardization(ev, po, st).adjusted.value));
  const std::vector<double> neg{-1, 2};
  EXPECT_THROW(direct_standardization(neg, po, st), usage_error);
  const std::vector<double> short_pop{10};
  EXPECT_THROW(direct_standardization(ev, short_pop, st), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis
