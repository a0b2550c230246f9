// Pearson's chi-square test of independence, adjusted residuals, and the exact-test rule.
#include "jamstat/analysis/contingency.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "numeric.hpp"

namespace jamstat::analysis {

using detail::as_double;
using detail::nan;

chi_square_result chi_square_independence(std::span<const std::uint64_t> counts, std::size_t rows,
                                          std::size_t columns) {
  if (rows == 0 || columns == 0 || counts.size() != rows * columns) {
    throw usage_error("chi_square_independence: counts must hold rows * columns = " + std::to_string(rows * columns) +
                      " values (got " + std::to_string(counts.size()) + ")");
  }
  std::vector<double> row_sums(rows, 0.0), column_sums(columns, 0.0);
  double total = 0.0;
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < columns; ++j) {
      const double v = as_double(counts[i * columns + j]);
      row_sums[i] += v;
      column_sums[j] += v;
      total += v;
    }
  }
  if (total == 0) throw usage_error("chi_square_independence: the table is empty (all counts are 0)");
  const auto nonempty = [](const std::vector<double>& v) {
    return static_cast<std::size_t>(std::count_if(v.begin(), v.end(), [](double s) { return s > 0; }));
  };
  const std::size_t r = nonempty(row_sums), c = nonempty(column_sums);
  chi_square_result out;
  out.expected.assign(rows * columns, 0.0);
  out.standardized_residuals.assign(rows * columns, nan);
  out.smallest_expected = nan;
  out.expected_below_5 = 0;
  out.cells = r * c;
  double statistic = 0.0;
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < columns; ++j) {
      if (row_sums[i] == 0 || column_sums[j] == 0) continue;
      const double e = row_sums[i] * column_sums[j] / total;
      const double o = as_double(counts[i * columns + j]);
      out.expected[i * columns + j] = e;
      statistic += (o - e) * (o - e) / e;
      const double v = e * (1.0 - row_sums[i] / total) * (1.0 - column_sums[j] / total);
      if (v > 0) out.standardized_residuals[i * columns + j] = (o - e) / std::sqrt(v);
      if (!(out.smallest_expected <= e)) out.smallest_expected = e;
      if (e < 5.0) ++out.expected_below_5;
    }
  }
  if (r < 2 || c < 2) {
    out.test = {0.0, 0.0, 1.0};
  } else {
    const double df = as_double((r - 1) * (c - 1));
    out.test = {statistic, df, detail::chi_square_upper(statistic, df)};
  }
  return out;
}

bool exact_test_needed(const chi_square_result& chi_square, exact_rule rule) {
  switch (rule) {
    case exact_rule::always: return true;
    case exact_rule::never: return false;
    case exact_rule::any_expected_below_5: return chi_square.expected_below_5 > 0;
    case exact_rule::cochran:
      return chi_square.smallest_expected < 1.0 ||
             5 * chi_square.expected_below_5 > chi_square.cells;  // more than 20%
  }
  return false;
}

independence_test test_independence(std::span<const std::uint64_t> counts, std::size_t rows, std::size_t columns,
                                    exact_rule rule, const exact_test_options& options) {
  independence_test out{chi_square_independence(counts, rows, columns), false, {nan, nan, test_method::none, 0},
                        nan, test_method::chi_square};
  out.p_value = out.chi_square.test.p_value;
  if (out.chi_square.test.df == 0 || !exact_test_needed(out.chi_square, rule)) return out;
  out.exact_used = true;
  // A table that is 2x2 once empty rows and columns are dropped: Fisher's test.
  std::vector<std::uint64_t> kept;
  std::size_t kept_rows = 0;
  std::vector<bool> column_used(columns, false);
  for (std::size_t j = 0; j < columns; ++j) {
    for (std::size_t i = 0; i < rows; ++i) if (counts[i * columns + j] > 0) column_used[j] = true;
  }
  for (std::size_t i = 0; i < rows; ++i) {
    bool any = false;
    for (std::size_t j = 0; j < columns; ++j) any = any || counts[i * columns + j] > 0;
    if (!any) continue;
    ++kept_rows;
    for (std::size_t j = 0; j < columns; ++j) if (column_used[j]) kept.push_back(counts[i * columns + j]);
  }
  if (kept.size() == 4 && kept_rows == 2) {
    const fisher_2x2_result f = fisher_exact_2x2(kept[0], kept[1], kept[2], kept[3]);
    out.exact = {f.p_value, 0.0, test_method::exact, 0};
  } else {
    out.exact = fisher_freeman_halton(counts, rows, columns, options);
  }
  out.p_value = out.exact.p_value;
  out.method = out.exact.method;
  return out;
}

}  // namespace jamstat::analysis
