// The result shapes every analysis function returns: a point estimate with its confidence interval,
// and a test's statistic, degrees of freedom and p-value. Plain numbers, so that they export
// column-wise through the C ABI. NaN marks a quantity that is not defined for the data (documented
// per function), never an error.
#pragma once

#include <cstdint>

namespace jamstat::analysis {

/// A two-sided confidence interval [lower, upper]. NaN bounds when it is not defined.
struct interval {
  double lower;
  double upper;
};

/// A point estimate with its confidence interval. `standard_error` is on the scale the interval
/// was built on (the log scale for ratios; NaN for intervals that are not built from one, such as
/// score or exact intervals).
struct estimate {
  double value;
  interval ci;
  double standard_error;
};

/// A test of a null hypothesis: statistic, its degrees of freedom (NaN when the reference
/// distribution has none, e.g. an exact test) and the two-sided p-value.
struct test_result {
  double statistic;
  double df;
  double p_value;
};

/// How a p-value was obtained.
enum class test_method : std::uint8_t {
  none = 0,              ///< no test (too few observations, or nothing to test)
  chi_square = 1,        ///< Pearson chi-square (large-sample)
  normal = 2,            ///< z statistic (Wald or score), standard normal reference
  student_t = 3,         ///< t statistic (Welch-Satterthwaite degrees of freedom)
  exact = 4,             ///< exact conditional test (binomial, Fisher, Fisher-Freeman-Halton)
  monte_carlo = 5,       ///< Monte-Carlo estimate of an exact p-value
  cochran_mantel_haenszel = 6,  ///< CMH chi-square over strata
};

}  // namespace jamstat::analysis
