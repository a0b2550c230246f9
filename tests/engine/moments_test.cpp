#include "jamstat/engine/moments.hpp"

#include <gtest/gtest.h>

#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/max.hpp>
#include <boost/accumulators/statistics/mean.hpp>
#include <boost/accumulators/statistics/min.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <boost/accumulators/statistics/sum_kahan.hpp>
#include <boost/accumulators/statistics/variance.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <random>
#include <vector>

namespace jamstat {
namespace {

moments of(const std::vector<double>& xs) {
  moments m;
  for (double x : xs) m.add(x);
  return m;
}

// Reference: R 4.2.2, x <- c(10.5, 20.25, 7, 3.5, 40, 12.75, 8, 100, 5, 1, 30, 60);
// sprintf("%.17g", c(mean(x), var(x), sum(x))) -> 24.833333333333332 866.70833333333337 298
TEST(Moments, MatchesRForASmallSample) {
  const moments m = of({10.5, 20.25, 7, 3.5, 40, 12.75, 8, 100, 5, 1, 30, 60});
  EXPECT_EQ(m.count, 12u);
  EXPECT_NEAR(m.mean(), 24.833333333333332, 1e-14 * 24.8);
  EXPECT_NEAR(m.sample_variance(), 866.70833333333337, 1e-13 * 866.7);
  EXPECT_EQ(m.total(), 298.0);
  EXPECT_EQ(m.min, 1.0);
  EXPECT_EQ(m.max, 100.0);
}

TEST(Moments, EmptyAndSingleValueStates) {
  moments empty;
  EXPECT_EQ(empty.count, 0u);
  EXPECT_TRUE(std::isnan(empty.sample_variance()));
  EXPECT_TRUE(std::isnan(empty.population_variance()));
  const moments one = of({42.5});
  EXPECT_EQ(one.mean(), 42.5);
  EXPECT_TRUE(std::isnan(one.sample_variance()));
  EXPECT_EQ(one.population_variance(), 0.0);
  moments merged = empty;
  merged.merge(one);
  EXPECT_EQ(merged, one);
  moments kept = one;
  kept.merge(empty);
  EXPECT_EQ(kept, one);
}

// Reference: Boost.Accumulators (an independent implementation) over 10,000 lognormal values.
TEST(Moments, AgreesWithBoostAccumulators) {
  namespace acc = boost::accumulators;
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(4.0, 0.9);
  acc::accumulator_set<double, acc::stats<acc::tag::mean, acc::tag::variance, acc::tag::min, acc::tag::max,
                                          acc::tag::sum_kahan>>
      ref;
  moments m;
  for (int i = 0; i < 10000; ++i) {
    const double x = dist(rng);
    ref(x);
    m.add(x);
  }
  const double n = 10000.0;
  EXPECT_NEAR(m.mean(), acc::mean(ref), 1e-12 * acc::mean(ref));
  // Boost's variance is the population variance (n denominator).
  EXPECT_NEAR(m.population_variance(), acc::variance(ref), 1e-10 * acc::variance(ref));
  EXPECT_NEAR(m.sample_variance(), acc::variance(ref) * n / (n - 1), 1e-10 * acc::variance(ref));
  EXPECT_EQ(m.min, acc::min(ref));
  EXPECT_EQ(m.max, acc::max(ref));
  EXPECT_NEAR(m.total(), acc::sum_kahan(ref), 1e-13 * acc::sum_kahan(ref));
}

// High-precision reference: 100-digit binary floats (Boost.Multiprecision), two-pass formula,
// over the exact doubles used. Values around 1e9 with a spread of about 1: a naive sum of squares
// would lose every significant digit of the variance here.
TEST(Moments, LargeOffsetSmallSpreadKeepsFullPrecision) {
  using big = boost::multiprecision::cpp_bin_float_100;
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> xs;
  for (int i = 0; i < 100000; ++i) xs.push_back(1e9 + noise(rng));
  big sum = 0;
  for (double x : xs) sum += x;
  const big mean = sum / xs.size();
  big ss = 0;
  for (double x : xs) ss += (big(x) - mean) * (big(x) - mean);
  const double ref_mean = static_cast<double>(mean);
  const double ref_var = static_cast<double>(ss / (xs.size() - 1));
  const double ref_sum = static_cast<double>(sum);

  const moments m = of(xs);
  EXPECT_NEAR(m.mean(), ref_mean, 1e-15 * ref_mean);
  EXPECT_NEAR(m.sample_variance(), ref_var, 1e-9 * ref_var);
  EXPECT_NEAR(m.total(), ref_sum, 2e-16 * ref_sum);  // compensated: within an ulp or so

  // Merged from uneven parts (Chan): same precision.
  moments a = of(std::vector<double>(xs.begin(), xs.begin() + 3)), b = of(std::vector<double>(xs.begin() + 3, xs.end()));
  a.merge(b);
  EXPECT_NEAR(a.mean(), ref_mean, 1e-15 * ref_mean);
  EXPECT_NEAR(a.sample_variance(), ref_var, 1e-9 * ref_var);
}

// Exact reference: Python fractions.Fraction over the doubles 1e9 + 0.1 ... 1e9 + 0.7:
// mean 1000000000.4, sample variance 0.04666666905085376 (R's var() gives ...855113).
TEST(Moments, ExactRationalReferenceAtAnOffsetOf1e9) {
  const moments m = of({1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3, 1e9 + 0.4, 1e9 + 0.5, 1e9 + 0.6, 1e9 + 0.7});
  EXPECT_NEAR(m.mean(), 1000000000.4, 1e-15 * 1e9);
  EXPECT_NEAR(m.sample_variance(), 0.04666666905085376, 1e-12);
}

TEST(Moments, CompensatedSumIsExactWhereANaiveSumIsNot) {
  // 1e16 + 1 + 1 - 1e16: a naive left-to-right double sum gives 0 or 4, the exact answer is 2.
  moments m = of({1e16, 1.0, 1.0, -1e16});
  EXPECT_EQ(m.total(), 2.0);
  // Amounts in SEK with öre: 0.1 added 10 times is 1 exactly once compensated.
  moments sek = of(std::vector<double>(10, 0.1));
  EXPECT_EQ(sek.total(), 1.0);
}

TEST(Moments, MergeIsIndependentOfSplitAndOrder) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-50, 1000);
  std::vector<double> xs(2000);
  for (double& x : xs) x = u(rng);
  const moments whole = of(xs);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<moments> parts(1 + rng() % 7);
    for (double x : xs) parts[rng() % parts.size()].add(x);
    std::shuffle(parts.begin(), parts.end(), rng);
    moments merged;
    for (const moments& p : parts) merged.merge(p);
    EXPECT_EQ(merged.count, whole.count);
    EXPECT_NEAR(merged.mean(), whole.mean(), 1e-12 * std::fabs(whole.mean()));
    EXPECT_NEAR(merged.sum_of_squares(), whole.sum_of_squares(), 1e-11 * whole.sum_of_squares());
    EXPECT_NEAR(merged.total(), whole.total(), 1e-12 * std::fabs(whole.total()));
    EXPECT_EQ(merged.min, whole.min);
    EXPECT_EQ(merged.max, whole.max);
  }
}

}  // namespace
}  // namespace jamstat
