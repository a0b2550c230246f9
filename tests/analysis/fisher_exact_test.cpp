// Fisher's exact test (2x2) and Fisher-Freeman-Halton (r x c) against R's fisher.test.
#include "jamstat/analysis/fisher_exact.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jamstat/engine/errors.hpp"
#include "reference_values.hpp"

namespace jamstat::analysis {
namespace {

using testing::close;
using testing::iterative;
using testing::r;

std::string matrix2(unsigned a, unsigned b, unsigned c, unsigned d) {
  // R's column-major matrix(c(a, c, b, d), 2) is [[a, b], [c, d]].
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, "matrix(c(%u, %u, %u, %u), 2)", a, c, b, d);
  return buffer;
}

void expect_fisher_matches(unsigned a, unsigned b, unsigned c, unsigned d) {
  const std::string m = matrix2(a, b, c, d);
  const fisher_2x2_result f = fisher_exact_2x2(a, b, c, d);
  SCOPED_TRACE(m);
  // R: fisher.test(m)$p.value
  EXPECT_TRUE(close(f.p_value, r("fisher.test(" + m + ")$p.value"), iterative));
  // R's fisher.test code with uniroot(tol = 1e-15): tests/reference/gap/r_reference.R fisher_tight.
  EXPECT_TRUE(close(f.odds_ratio.value, r("fisher_tight(" + m + ")[1]"), 1e-8));
  EXPECT_TRUE(close(f.odds_ratio.ci.lower, r("fisher_tight(" + m + ")[2]"), 1e-8));
  EXPECT_TRUE(close(f.odds_ratio.ci.upper, r("fisher_tight(" + m + ")[3]"), 1e-8));
}

TEST(FisherExact, TwoByTwoMatchesFisherTest) {
  // (a, b, c, d) of [[a, b], [c, d]]
  const unsigned cases[][4] = {{3, 1, 1, 3}, {10, 2, 3, 15}, {0, 5, 5, 0}, {7, 0, 3, 9},
                               {1, 40, 12, 30}, {2, 3000, 9, 2900}, {20, 25, 15, 30}};
  for (const auto& t : cases) expect_fisher_matches(t[0], t[1], t[2], t[3]);
}

TEST(FisherExact, RsOwnEstimateAgreesToItsUnirootTolerance) {
  // R's fisher.test finds the MLE and the bounds with uniroot's default tolerance (~1e-4 on
  // t in (0, 1), where the odds ratio is t or 1 / t: for an upper bound of 300 that is ~0.3%).
  const std::string m = matrix2(10, 2, 3, 15);
  const fisher_2x2_result f = fisher_exact_2x2(10, 2, 3, 15);
  EXPECT_TRUE(close(f.odds_ratio.value, r("fisher.test(" + m + ")$estimate"), 1e-2));
  EXPECT_TRUE(close(f.odds_ratio.ci.lower, r("fisher.test(" + m + ")$conf.int[1]"), 1e-2));
  EXPECT_TRUE(close(f.odds_ratio.ci.upper, r("fisher.test(" + m + ")$conf.int[2]"), 1e-2));
  const fisher_2x2_result f90 = fisher_exact_2x2(10, 2, 3, 15, 0.9);
  EXPECT_TRUE(close(f90.odds_ratio.ci.lower, r("fisher_tight(matrix(c(10, 3, 2, 15), 2), conf.level = 0.9)[2]"), 1e-8));
  EXPECT_TRUE(close(f90.odds_ratio.ci.upper, r("fisher_tight(matrix(c(10, 3, 2, 15), 2), conf.level = 0.9)[3]"), 1e-8));
}

TEST(FisherExact, RandomizedTwoByTwoTables) {
  // Tables drawn in r_reference.R with set.seed(5218).
  const std::vector<std::string> tables = testing::r_inputs("random_2x2: ");
  ASSERT_EQ(tables.size(), 8u);
  for (const std::string& m : tables) {
    const std::vector<double> v = testing::numbers_in(m);
    // matrix(c(v0, v1, v2, v3), 2) = [[v0, v2], [v1, v3]]
    const fisher_2x2_result f = fisher_exact_2x2(unsigned(v[0]), unsigned(v[2]), unsigned(v[1]), unsigned(v[3]));
    SCOPED_TRACE(m);
    EXPECT_TRUE(close(f.p_value, r("fisher.test(" + m + ")$p.value"), iterative));
    EXPECT_TRUE(close(f.odds_ratio.value, r("fisher_tight(" + m + ")[1]"), 1e-8));
    EXPECT_TRUE(close(f.odds_ratio.ci.lower, r("fisher_tight(" + m + ")[2]"), 1e-8));
    EXPECT_TRUE(close(f.odds_ratio.ci.upper, r("fisher_tight(" + m + ")[3]"), 1e-8));
  }
}

TEST(FisherExact, EdgesOfTheSupport) {
  // a at the bottom of its range: MLE 0, lower bound 0; at the top: MLE and upper bound infinite.
  const fisher_2x2_result bottom = fisher_exact_2x2(0, 5, 5, 0);
  EXPECT_EQ(bottom.odds_ratio.value, 0.0);
  EXPECT_EQ(bottom.odds_ratio.ci.lower, 0.0);
  const fisher_2x2_result top = fisher_exact_2x2(7, 0, 3, 9);
  EXPECT_TRUE(std::isinf(top.odds_ratio.value));
  EXPECT_TRUE(std::isinf(top.odds_ratio.ci.upper));
  // A single observation: p = 1.
  EXPECT_EQ(fisher_exact_2x2(1, 0, 0, 0).p_value, 1.0);
  EXPECT_THROW(fisher_exact_2x2(0, 0, 0, 0), usage_error);
  EXPECT_THROW(fisher_exact_2x2(1, 2, 3, 4, 1.5), usage_error);
}

// R matrix(c(...), rows) column-major -> our row-major counts.
std::vector<std::uint64_t> row_major(const std::string& m, std::size_t rows) {
  const std::vector<double> v = testing::numbers_in(m);
  const std::size_t columns = v.size() / rows;
  std::vector<std::uint64_t> out(v.size());
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < columns; ++j) out[i * columns + j] = std::uint64_t(v[j * rows + i]);
  }
  return out;
}

struct rc_case {
  const char* matrix;
  std::size_t rows;
};
const rc_case rc_cases[] = {{"matrix(c(3, 1, 4, 2, 0, 5, 1, 3, 2), 3)", 3},
                            {"matrix(c(12, 5, 7, 9, 3, 1, 8, 10), 4)", 4},
                            {"matrix(c(2, 0, 1, 6, 3, 4, 0, 2, 5, 1, 2, 3), 4)", 4},
                            {"matrix(c(8, 2, 4, 3, 7, 1, 0, 6, 2, 5), 5)", 5},
                            {"matrix(c(20, 14, 9, 6, 4, 11, 17, 12, 8, 3), 5)", 5},
                            {"matrix(c(0, 0, 3, 2, 0, 4), 3)", 3},
                            {"matrix(c(1, 2, 0, 3, 1, 0, 2, 2, 1, 1, 3, 0, 0, 1, 2, 2), 4)", 4}};

TEST(FisherExact, FreemanHaltonMatchesFisherTestExactly) {
  for (const rc_case& c : rc_cases) {
    const std::vector<std::uint64_t> counts = row_major(c.matrix, c.rows);
    const exact_test_result e = fisher_freeman_halton(counts, c.rows, counts.size() / c.rows);
    SCOPED_TRACE(c.matrix);
    EXPECT_EQ(e.method, test_method::exact);
    EXPECT_EQ(e.standard_error, 0.0);
    // R: fisher.test(m)$p.value (FEXACT network algorithm)
    EXPECT_TRUE(close(e.p_value, r(std::string("fisher.test(") + c.matrix + ")$p.value"), iterative));
  }
}

TEST(FisherExact, FreemanHaltonOnRandomizedTables) {
  // r x c tables drawn in r_reference.R with set.seed(2026).
  const std::vector<std::string> tables = testing::r_inputs("random_rc: ");
  ASSERT_EQ(tables.size(), 6u);
  for (const std::string& m : tables) {
    const std::size_t rows = std::stoul(m.substr(m.rfind(", ") + 2));
    const std::vector<std::uint64_t> counts = row_major(m, rows);
    const exact_test_result e = fisher_freeman_halton(counts, rows, counts.size() / rows);
    SCOPED_TRACE(m);
    EXPECT_EQ(e.method, test_method::exact);
    EXPECT_TRUE(close(e.p_value, r("fisher.test(" + m + ")$p.value"), iterative));
  }
}

TEST(FisherExact, FreemanHaltonOfATwoByTwoIsFisher) {
  const std::uint64_t t[] = {10, 3, 2, 15};
  EXPECT_TRUE(close(fisher_freeman_halton(t, 2, 2).p_value, fisher_exact_2x2(10, 3, 2, 15).p_value, 1e-12));
}

TEST(FisherExact, MonteCarloWhenTheExactWorkIsTooLarge) {
  const char* m = "matrix(c(25, 31, 18, 27, 40, 22, 35, 19, 30, 26), 5)";
  const std::vector<std::uint64_t> counts = row_major(m, 5);
  // Exact within the default work budget: the network algorithm's answer against R.
  const exact_test_result exact = fisher_freeman_halton(counts, 5, 2);
  ASSERT_EQ(exact.method, test_method::exact);
  EXPECT_TRUE(close(exact.p_value, r(std::string("fisher.test(") + m + ")$p.value"), iterative));
  // Forced to Monte Carlo by a tiny budget: within 4 standard errors of the exact p, seeded.
  exact_test_options options;
  options.max_exact_steps = 10;
  options.replicates = 20000;
  const exact_test_result mc = fisher_freeman_halton(counts, 5, 2, options);
  ASSERT_EQ(mc.method, test_method::monte_carlo);
  EXPECT_EQ(mc.replicates, 20000u);
  EXPECT_GT(mc.standard_error, 0.0);
  EXPECT_LT(std::fabs(mc.p_value - exact.p_value), 4 * mc.standard_error) << mc.p_value << " vs " << exact.p_value;
  // R's own simulation (B = 1e6) agrees with both.
  EXPECT_NEAR(r(std::string("fisher.test(") + m + ", simulate.p.value = TRUE, B = 1e6)$p.value"), exact.p_value, 2e-3);
  // Same seed, same p; another seed, another draw.
  EXPECT_EQ(fisher_freeman_halton(counts, 5, 2, options).p_value, mc.p_value);
  options.seed = 1;
  EXPECT_NE(fisher_freeman_halton(counts, 5, 2, options).p_value, mc.p_value);
}

TEST(FisherExact, MonteCarloOnTablesOfEveryShape) {
  // Monte Carlo against the exact p on the r x c tables above, 4 standard errors.
  exact_test_options options;
  options.max_exact_steps = 0;
  options.replicates = 4000;
  for (const rc_case& c : rc_cases) {
    const std::vector<std::uint64_t> counts = row_major(c.matrix, c.rows);
    const std::size_t columns = counts.size() / c.rows;
    const exact_test_result exact = fisher_freeman_halton(counts, c.rows, columns);
    const exact_test_result mc = fisher_freeman_halton(counts, c.rows, columns, options);
    SCOPED_TRACE(c.matrix);
    if (exact.p_value == 1.0 && mc.method == test_method::exact) continue;  // degenerate table
    EXPECT_LE(std::fabs(mc.p_value - exact.p_value), 4 * mc.standard_error + 1.0 / 4001);
  }
}

TEST(FisherExact, DegenerateAndBadTables) {
  // One non-empty row: nothing to test.
  const std::uint64_t one_row[] = {0, 0, 3, 4};
  EXPECT_EQ(fisher_freeman_halton(one_row, 2, 2).p_value, 1.0);
  const std::uint64_t empty[] = {0, 0, 0, 0};
  EXPECT_THROW(fisher_freeman_halton(empty, 2, 2), usage_error);
  const std::uint64_t three[] = {1, 2, 3};
  EXPECT_THROW(fisher_freeman_halton(three, 2, 2), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis
