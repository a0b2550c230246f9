// Proportions: Wilson, Clopper-Pearson, Newcombe, Katz, Woolf, prop.test, binom.test.
#include "jamstat/analysis/proportions.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/special_functions/beta.hpp>

#include "numeric.hpp"

namespace jamstat::analysis {

using detail::as_double;
using detail::nan;

interval wilson_interval(std::uint64_t successes, std::uint64_t n, double confidence_level) {
  detail::check_confidence_level(confidence_level, "wilson_interval");
  detail::check_binomial(successes, n, "wilson_interval", "proportion");
  // Wilson (1927): the p with |p_hat - p| = z sqrt(p (1 - p) / n), written as centre +- half width.
  const double z = detail::z_for_level(confidence_level);
  const double x = as_double(successes);
  const double nn = as_double(n);
  const double z2 = z * z;
  const double centre = (x + z2 / 2.0) / (nn + z2);
  const double half = z * std::sqrt(x * (nn - x) / nn + z2 / 4.0) / (nn + z2);
  // At 0 and n the bound is exactly 0 or 1 (the formula gives it up to rounding).
  const double lower = successes == 0 ? 0.0 : std::max(0.0, centre - half);
  const double upper = successes == n ? 1.0 : std::min(1.0, centre + half);
  return {lower, upper};
}

interval clopper_pearson_interval(std::uint64_t successes, std::uint64_t n, double confidence_level) {
  detail::check_confidence_level(confidence_level, "clopper_pearson_interval");
  detail::check_binomial(successes, n, "clopper_pearson_interval", "proportion");
  const double alpha = 1.0 - confidence_level;
  const double x = as_double(successes);
  const double nn = as_double(n);
  // R binom.test: qbeta(alpha/2, x, n - x + 1) and qbeta(1 - alpha/2, x + 1, n - x).
  const double lower = successes == 0 ? 0.0 : boost::math::ibeta_inv(x, nn - x + 1.0, alpha / 2.0);
  const double upper = successes == n ? 1.0 : boost::math::ibeta_inv(x + 1.0, nn - x, 1.0 - alpha / 2.0);
  return {lower, upper};
}

estimate proportion_difference(std::uint64_t successes1, std::uint64_t n1, std::uint64_t successes2,
                               std::uint64_t n2, double confidence_level) {
  detail::check_confidence_level(confidence_level, "proportion_difference");
  detail::check_binomial(successes1, n1, "proportion_difference", "group 1");
  detail::check_binomial(successes2, n2, "proportion_difference", "group 2");
  const double p1 = as_double(successes1) / as_double(n1);
  const double p2 = as_double(successes2) / as_double(n2);
  const interval w1 = wilson_interval(successes1, n1, confidence_level);
  const interval w2 = wilson_interval(successes2, n2, confidence_level);
  const double d = p1 - p2;
  // Newcombe (1998), method 10: each bound moves by the root sum of squares of the distances from
  // the proportions to the Wilson bounds on the side that moves the difference that way.
  const double lower = d - std::hypot(p1 - w1.lower, w2.upper - p2);
  const double upper = d + std::hypot(w1.upper - p1, p2 - w2.lower);
  const double se = std::sqrt(p1 * (1.0 - p1) / as_double(n1) + p2 * (1.0 - p2) / as_double(n2));
  return {d, {lower, upper}, se};
}

namespace {

struct two_by_two {
  double a, b, c, d;  // group 1 successes, failures; group 2 successes, failures
  bool corrected;
};

// The 2x2 table, with 0.5 added to every cell when any cell is zero (Haldane-Anscombe).
two_by_two table_with_zero_correction(std::uint64_t successes1, std::uint64_t n1, std::uint64_t successes2,
                                      std::uint64_t n2) {
  two_by_two t{as_double(successes1), as_double(n1 - successes1), as_double(successes2), as_double(n2 - successes2),
               false};
  if (t.a == 0 || t.b == 0 || t.c == 0 || t.d == 0) {
    t.a += 0.5;
    t.b += 0.5;
    t.c += 0.5;
    t.d += 0.5;
    t.corrected = true;
  }
  return t;
}

ratio_estimate log_wald(double log_value, double se, bool corrected, double z) {
  return {std::exp(log_value), {std::exp(log_value - z * se), std::exp(log_value + z * se)}, se, corrected};
}

}  // namespace

ratio_estimate risk_ratio(std::uint64_t successes1, std::uint64_t n1, std::uint64_t successes2, std::uint64_t n2,
                          double confidence_level) {
  detail::check_confidence_level(confidence_level, "risk_ratio");
  detail::check_binomial(successes1, n1, "risk_ratio", "group 1");
  detail::check_binomial(successes2, n2, "risk_ratio", "group 2");
  const two_by_two t = table_with_zero_correction(successes1, n1, successes2, n2);
  const double m1 = t.a + t.b;
  const double m2 = t.c + t.d;
  const double log_rr = std::log(t.a / m1) - std::log(t.c / m2);
  const double se = std::sqrt(1.0 / t.a - 1.0 / m1 + 1.0 / t.c - 1.0 / m2);
  return log_wald(log_rr, se, t.corrected, detail::z_for_level(confidence_level));
}

ratio_estimate odds_ratio(std::uint64_t successes1, std::uint64_t n1, std::uint64_t successes2, std::uint64_t n2,
                          double confidence_level) {
  detail::check_confidence_level(confidence_level, "odds_ratio");
  detail::check_binomial(successes1, n1, "odds_ratio", "group 1");
  detail::check_binomial(successes2, n2, "odds_ratio", "group 2");
  const two_by_two t = table_with_zero_correction(successes1, n1, successes2, n2);
  const double log_or = std::log(t.a) - std::log(t.b) - std::log(t.c) + std::log(t.d);
  const double se = std::sqrt(1.0 / t.a + 1.0 / t.b + 1.0 / t.c + 1.0 / t.d);
  return log_wald(log_or, se, t.corrected, detail::z_for_level(confidence_level));
}

test_result two_proportion_test(std::uint64_t successes1, std::uint64_t n1, std::uint64_t successes2,
                                std::uint64_t n2, bool continuity_correction) {
  detail::check_binomial(successes1, n1, "two_proportion_test", "group 1");
  detail::check_binomial(successes2, n2, "two_proportion_test", "group 2");
  const double x[2] = {as_double(successes1), as_double(successes2)};
  const double n[2] = {as_double(n1), as_double(n2)};
  const double pooled = (x[0] + x[1]) / (n[0] + n[1]);
  if (pooled <= 0.0 || pooled >= 1.0) return {0.0, 1.0, 1.0};
  double yates = 0.0;
  if (continuity_correction) {
    const double delta = x[0] / n[0] - x[1] / n[1];
    yates = std::min(0.5, std::fabs(delta) / (1.0 / n[0] + 1.0 / n[1]));
  }
  double statistic = 0.0;
  for (int g = 0; g < 2; ++g) {
    const double e_success = n[g] * pooled;
    const double e_failure = n[g] * (1.0 - pooled);
    const double o_failure = n[g] - x[g];
    const double r1 = std::fabs(x[g] - e_success) - yates;
    const double r2 = std::fabs(o_failure - e_failure) - yates;
    statistic += r1 * r1 / e_success + r2 * r2 / e_failure;
  }
  return {statistic, 1.0, detail::chi_square_upper(statistic, 1.0)};
}

double binomial_test_p(std::uint64_t successes, std::uint64_t n, double p0) {
  detail::check_binomial(successes, n, "binomial_test_p", "proportion");
  if (!(p0 >= 0.0 && p0 <= 1.0)) {
    throw usage_error("binomial_test_p: p0 must lie in [0, 1] (got " + std::to_string(p0) + ")");
  }
  // R's binom.test, two-sided: degenerate null proportions first.
  if (p0 == 0.0) return successes == 0 ? 1.0 : 0.0;
  if (p0 == 1.0) return successes == n ? 1.0 : 0.0;
  const boost::math::binomial_distribution<double> dist(as_double(n), p0);
  const double x = as_double(successes);
  const double m = as_double(n) * p0;
  if (x == m) return 1.0;
  const double d = boost::math::pdf(dist, x) * (1.0 + 1e-7);
  // R counts the outcomes on the other side of the mean whose probability is <= d. The pmf is
  // monotone there (ceil(m) and floor(m) lie on the far side of the mode), so a binary search
  // finds the first such outcome without visiting all n of them.
  double p;
  if (x < m) {
    // i in [ceil(m), n], pmf non-increasing: first i with pmf(i) <= d.
    std::uint64_t lo = static_cast<std::uint64_t>(std::ceil(m));
    std::uint64_t hi = n + 1;  // pmf(n + 1) = 0 <= d: sentinel
    while (lo < hi) {
      const std::uint64_t mid = lo + (hi - lo) / 2;
      if (boost::math::pdf(dist, as_double(mid)) <= d) hi = mid; else lo = mid + 1;
    }
    const std::uint64_t y = n + 1 - lo;  // the count R calls y
    const double lower_tail = boost::math::cdf(dist, x);
    const double upper_tail = y == 0 ? 0.0 : boost::math::cdf(boost::math::complement(dist, as_double(n - y)));
    p = lower_tail + upper_tail;
  } else {
    // i in [0, floor(m)], pmf non-decreasing: y = number of i with pmf(i) <= d = first i with pmf > d.
    std::uint64_t lo = 0;
    std::uint64_t hi = static_cast<std::uint64_t>(std::floor(m)) + 1;
    while (lo < hi) {
      const std::uint64_t mid = lo + (hi - lo) / 2;
      if (boost::math::pdf(dist, as_double(mid)) <= d) lo = mid + 1; else hi = mid;
    }
    const std::uint64_t y = lo;
    const double lower_tail = y == 0 ? 0.0 : boost::math::cdf(dist, as_double(y - 1));
    const double upper_tail = boost::math::cdf(boost::math::complement(dist, x - 1.0));
    p = lower_tail + upper_tail;
  }
  return std::min(1.0, p);
}

}  // namespace jamstat::analysis
