// Private numerics of the analysis layer: quantiles and tail probabilities of the reference
// distributions (Boost.Math), argument checks that throw usage_error, and a log-factorial table.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis::detail {

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();
inline constexpr double inf = std::numeric_limits<double>::infinity();

/// Throws usage_error unless 0 < level < 1.
inline void check_confidence_level(double level, const char* function) {
  if (!(level > 0.0 && level < 1.0)) {
    throw usage_error(std::string(function) + ": confidence_level must lie strictly between 0 and 1 (got " +
                      std::to_string(level) + ")");
  }
}

/// Throws usage_error unless successes <= n and n > 0.
inline void check_binomial(std::uint64_t successes, std::uint64_t n, const char* function, const char* what) {
  if (n == 0) throw usage_error(std::string(function) + ": " + what + ": the number of trials must be positive");
  if (successes > n) {
    throw usage_error(std::string(function) + ": " + what + ": successes (" + std::to_string(successes) +
                      ") exceed the number of trials (" + std::to_string(n) + ")");
  }
}

/// The standard normal quantile z with P(|Z| <= z) = level (R: qnorm((1 + level) / 2)).
inline double z_for_level(double level) {
  return boost::math::quantile(boost::math::complement(boost::math::normal_distribution<double>(), (1.0 - level) / 2.0));
}

/// Two-sided p of a standard normal statistic (R: 2 * pnorm(-abs(z))).
inline double normal_p_two_sided(double z) {
  if (std::isnan(z)) return nan;
  return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

/// Upper tail of chi-square (R: pchisq(x, df, lower.tail = FALSE)).
inline double chi_square_upper(double statistic, double df) {
  if (std::isnan(statistic) || !(df > 0)) return nan;
  if (statistic <= 0) return 1.0;
  if (std::isinf(statistic)) return 0.0;
  return boost::math::gamma_q(df / 2.0, statistic / 2.0);
}

/// Two-sided p of a t statistic (R: 2 * pt(-abs(t), df)).
inline double t_p_two_sided(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return nan;
  if (std::isinf(t)) return 0.0;
  return 2.0 * boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(df), std::fabs(t)));
}

/// The t quantile with P(|T| <= t) = level (R: qt((1 + level) / 2, df)).
inline double t_for_level(double level, double df) {
  return boost::math::quantile(
      boost::math::complement(boost::math::students_t_distribution<double>(df), (1.0 - level) / 2.0));
}

/// Quantile of a gamma distribution (R: qgamma(p, shape, scale = scale)).
inline double gamma_quantile(double p, double shape, double scale) {
  if (!(shape > 0) || !(scale > 0) || std::isnan(p)) return nan;
  return boost::math::gamma_p_inv(shape, p) * scale;
}

/// log(x!) for x up to the table's size from the table, beyond it from lgamma.
class log_factorials {
 public:
  explicit log_factorials(std::uint64_t up_to) : table_(static_cast<std::size_t>(up_to) + 1) {
    // lgamma per entry (about one ulp each) rather than a running sum of logs, whose rounding grows.
    for (std::size_t i = 0; i < table_.size(); ++i) table_[i] = std::lgamma(static_cast<double>(i) + 1.0);
  }
  double operator()(std::uint64_t x) const {
    return x < table_.size() ? table_[x] : std::lgamma(static_cast<double>(x) + 1.0);
  }

 private:
  std::vector<double> table_;
};

inline double as_double(std::uint64_t x) { return static_cast<double>(x); }

}  // namespace jamstat::analysis::detail
