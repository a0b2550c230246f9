// Chi-square test of independence and the exact-test rule against R's chisq.test / fisher.test.
#include "jamstat/analysis/contingency.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jamstat/engine/errors.hpp"
#include "reference_values.hpp"

namespace jamstat::analysis {
namespace {

using testing::close;
using testing::closed_form;
using testing::r;

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
                            {"matrix(c(1, 2, 0, 3, 1, 0, 2, 2, 1, 1, 3, 0, 0, 1, 2, 2), 4)", 4}};

TEST(Contingency, ChiSquareAndStandardizedResidualsMatchChisqTest) {
  for (const rc_case& c : rc_cases) {
    const std::vector<std::uint64_t> counts = row_major(c.matrix, c.rows);
    const std::size_t columns = counts.size() / c.rows;
    const chi_square_result x = chi_square_independence(counts, c.rows, columns);
    const std::string m = c.matrix;
    SCOPED_TRACE(m);
    // R: chisq.test(m, correct = FALSE)
    EXPECT_TRUE(close(x.test.statistic, r("suppressWarnings(chisq.test(" + m + ", correct = FALSE))$statistic"), closed_form));
    EXPECT_TRUE(close(x.test.p_value, r("suppressWarnings(chisq.test(" + m + ", correct = FALSE))$p.value"), closed_form));
    EXPECT_EQ(x.test.df, double((c.rows - 1) * (columns - 1)));
    for (std::size_t i = 0; i < c.rows; ++i) {
      for (std::size_t j = 0; j < columns; ++j) {
        // R: chisq.test(m)$stdres[i, j]
        const std::string call = "suppressWarnings(chisq.test(" + m + "))$stdres[" + std::to_string(i + 1) + ", " +
                                 std::to_string(j + 1) + "]";
        EXPECT_TRUE(close(x.standardized_residuals[i * columns + j], r(call), closed_form, 1e-14)) << call;
      }
    }
  }
  const std::uint64_t two[] = {120, 95, 80, 105};  // matrix(c(120, 80, 95, 105), 2)
  const chi_square_result x = chi_square_independence(two, 2, 2);
  EXPECT_TRUE(close(x.test.statistic, r("chisq.test(matrix(c(120, 80, 95, 105), 2), correct = FALSE)$statistic"), closed_form));
  EXPECT_TRUE(close(x.test.p_value, r("chisq.test(matrix(c(120, 80, 95, 105), 2), correct = FALSE)$p.value"), closed_form));
  EXPECT_EQ(x.expected_below_5, 0u);
}

TEST(Contingency, EmptyRowsAndColumnsAreDropped) {
  // matrix(c(0, 0, 3, 2, 0, 4), 3) = [[0, 2], [0, 0], [3, 4]] has an empty second row: R's
  // chisq.test returns NaN; we test the 2 x 2 rest.
  const std::string m = "matrix(c(0, 0, 3, 2, 0, 4), 3)";
  const std::vector<std::uint64_t> counts = row_major(m, 3);
  const chi_square_result x = chi_square_independence(counts, 3, 2);
  EXPECT_TRUE(std::isnan(r("suppressWarnings(chisq.test(" + m + ", correct = FALSE))$statistic")));
  EXPECT_EQ(x.test.df, 1.0);
  EXPECT_TRUE(std::isnan(x.standardized_residuals[2]));
  EXPECT_TRUE(std::isnan(x.standardized_residuals[3]));
  EXPECT_EQ(x.expected[2], 0.0);
  const std::uint64_t rest[] = {0, 2, 3, 4};
  const chi_square_result y = chi_square_independence(rest, 2, 2);
  EXPECT_DOUBLE_EQ(x.test.statistic, y.test.statistic);
  EXPECT_DOUBLE_EQ(x.standardized_residuals[0], y.standardized_residuals[0]);
  // The exact test on the same table drops the row as well: R's fisher.test keeps it and agrees.
  const independence_test t = test_independence(counts, 3, 2);
  EXPECT_TRUE(t.exact_used);
  EXPECT_TRUE(close(t.p_value, r("fisher.test(" + m + ")$p.value"), testing::iterative));
}

TEST(Contingency, ExactTestWhenExpectedCountsAreSmall) {
  const rc_case& c = rc_cases[0];
  const std::vector<std::uint64_t> counts = row_major(c.matrix, c.rows);
  const independence_test t = test_independence(counts, 3, 3);
  EXPECT_TRUE(t.exact_used);
  EXPECT_EQ(t.method, test_method::exact);
  EXPECT_TRUE(close(t.p_value, r(std::string("fisher.test(") + c.matrix + ")$p.value"), testing::iterative));
  // Large expected counts: chi-square.
  const std::uint64_t big[] = {120, 95, 80, 105};
  const independence_test large = test_independence(big, 2, 2);
  EXPECT_FALSE(large.exact_used);
  EXPECT_EQ(large.method, test_method::chi_square);
  EXPECT_EQ(large.p_value, large.chi_square.test.p_value);
  // The rules.
  const chi_square_result x = chi_square_independence(counts, 3, 3);
  EXPECT_TRUE(exact_test_needed(x, exact_rule::any_expected_below_5));
  EXPECT_TRUE(exact_test_needed(x, exact_rule::always));
  EXPECT_FALSE(exact_test_needed(x, exact_rule::never));
  // matrix(c(20, 14, 9, 6, 4, 11, 17, 12, 8, 3), 5): two expected counts of ten below 5 (20%, not
  // more), none below 1: Cochran keeps chi-square, the default rule does not.
  const std::vector<std::uint64_t> five = row_major(rc_cases[4].matrix, 5);
  const chi_square_result y = chi_square_independence(five, 5, 2);
  ASSERT_EQ(y.expected_below_5, 2u);
  EXPECT_GE(y.smallest_expected, 1.0);
  EXPECT_FALSE(exact_test_needed(y, exact_rule::cochran));
  EXPECT_TRUE(exact_test_needed(y, exact_rule::any_expected_below_5));
}

TEST(Contingency, BadShapesAreUsageErrors) {
  const std::uint64_t three[] = {1, 2, 3};
  EXPECT_THROW(chi_square_independence(three, 2, 2), usage_error);
  const std::uint64_t zeros[] = {0, 0, 0, 0};
  EXPECT_THROW(chi_square_independence(zeros, 2, 2), usage_error);
  const std::uint64_t one_column[] = {3, 4, 5};
  const chi_square_result x = chi_square_independence(one_column, 3, 1);
  EXPECT_EQ(x.test.p_value, 1.0);
  EXPECT_EQ(x.test.df, 0.0);
}

}  // namespace
}  // namespace jamstat::analysis
