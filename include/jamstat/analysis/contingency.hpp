// r x c tables of counts (e.g. intervention type x sex): Pearson's chi-square test of independence
// with adjusted standardized residuals, and the rule that switches to an exact test when expected
// counts are small. Methods: docs/methods-gap.md, "Contingency tables".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "jamstat/analysis/estimate.hpp"
#include "jamstat/analysis/fisher_exact.hpp"

namespace jamstat::analysis {

/// Pearson's chi-square test of independence of an r x c table.
struct chi_square_result {
  /// X^2 = sum (O - E)^2 / E over the non-empty rows and columns, df = (r' - 1)(c' - 1) with r', c'
  /// their numbers (R: chisq.test(x, correct = FALSE) after dropping empty rows and columns; R
  /// itself returns NaN when a row or column is empty). With fewer than two non-empty rows or
  /// columns: statistic 0, df 0, p 1.
  test_result test;
  /// Expected counts R_i C_j / N, row-major, rows x columns (0 for an empty row or column).
  std::vector<double> expected;
  /// Adjusted standardized residuals (O - E) / sqrt(E (1 - R_i / N)(1 - C_j / N)) (Haberman 1973;
  /// R: chisq.test(x)$stdres), row-major; NaN in empty rows and columns, and where the variance is
  /// 0 (a row or column holding everything).
  std::vector<double> standardized_residuals;
  double smallest_expected;          ///< over the non-empty rows and columns
  std::size_t expected_below_5;      ///< cells of the non-empty rows and columns with E < 5
  std::size_t cells;                 ///< cells of the non-empty rows and columns
};

/// Pearson's chi-square test of independence of a rows x columns table of counts (row-major).
/// Throws usage_error when counts.size() is not rows * columns or the table is empty.
chi_square_result chi_square_independence(std::span<const std::uint64_t> counts, std::size_t rows,
                                          std::size_t columns);

/// When the large-sample chi-square test is replaced by the exact one.
enum class exact_rule : std::uint8_t {
  /// Any expected count below 5 (stricter than Cochran: the default).
  any_expected_below_5 = 0,
  /// Cochran (1954): some expected count below 1, or more than 20% of them below 5.
  cochran = 1,
  always = 2,  ///< always the exact test
  never = 3,   ///< always the chi-square test
};

/// Whether the rule asks for the exact test for this chi-square result.
bool exact_test_needed(const chi_square_result& chi_square, exact_rule rule);

/// A test of independence: the chi-square test, and where the rule asks for it the exact test
/// (Fisher's for a table that is 2x2 after dropping empty rows and columns, otherwise
/// Fisher-Freeman-Halton), whose p is then the one reported.
struct independence_test {
  chi_square_result chi_square;
  bool exact_used;
  exact_test_result exact;  ///< meaningful when exact_used
  double p_value;           ///< exact.p_value when exact_used, else chi_square.test.p_value
  test_method method;       ///< chi_square, exact or monte_carlo
};

/// Chi-square test plus the exact test where `rule` asks for it.
independence_test test_independence(std::span<const std::uint64_t> counts, std::size_t rows, std::size_t columns,
                                    exact_rule rule = exact_rule::any_expected_below_5,
                                    const exact_test_options& options = {});

}  // namespace jamstat::analysis
