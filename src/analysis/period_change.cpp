// Changes of a gap between two periods: MOVER intervals, Wald tests.
#include "jamstat/analysis/period_change.hpp"

#include <cmath>

#include "numeric.hpp"

namespace jamstat::analysis {

using detail::as_double;
using detail::nan;

period_change change_in_difference(const estimate& current, const estimate& previous, double confidence_level) {
  detail::check_confidence_level(confidence_level, "change_in_difference");
  const double change = current.value - previous.value;
  // MOVER (Zou & Donner 2008): the change's lower bound moves down by the root sum of squares of the
  // current estimate's distance to its lower bound and the previous estimate's to its upper bound.
  const double lower = change - std::hypot(current.value - current.ci.lower, previous.ci.upper - previous.value);
  const double upper = change + std::hypot(current.ci.upper - current.value, previous.value - previous.ci.lower);
  const double se = std::hypot(current.standard_error, previous.standard_error);
  period_change out{{change, {lower, upper}, se}, {nan, nan, nan}};
  if (se > 0) out.test = {change / se, nan, detail::normal_p_two_sided(change / se)};
  else if (se == 0 && change == 0) out.test = {0.0, nan, 1.0};
  return out;
}

period_change change_in_proportion_difference(std::uint64_t successes1_current, std::uint64_t n1_current,
                                              std::uint64_t successes2_current, std::uint64_t n2_current,
                                              std::uint64_t successes1_previous, std::uint64_t n1_previous,
                                              std::uint64_t successes2_previous, std::uint64_t n2_previous,
                                              double confidence_level) {
  const estimate current =
      proportion_difference(successes1_current, n1_current, successes2_current, n2_current, confidence_level);
  const estimate previous =
      proportion_difference(successes1_previous, n1_previous, successes2_previous, n2_previous, confidence_level);
  return change_in_difference(current, previous, confidence_level);
}

period_change change_in_mean_difference(const sample_moments& group1_current, const sample_moments& group2_current,
                                        const sample_moments& group1_previous, const sample_moments& group2_previous,
                                        double confidence_level) {
  detail::check_confidence_level(confidence_level, "change_in_mean_difference");
  const sample_moments* groups[4] = {&group1_current, &group2_current, &group1_previous, &group2_previous};
  period_change out{{nan, {nan, nan}, nan}, {nan, nan, nan}};
  double variance = 0.0, df_denominator = 0.0;
  for (const sample_moments* g : groups) {
    // The same checks as Welch's test: finite means, finite non-negative variances.
    (void)mean_interval(*g, confidence_level);
    if (g->count < 2) return out;
    const double v = g->variance / as_double(g->count);
    variance += v;
    df_denominator += v * v / as_double(g->count - 1);
  }
  const double change = (group1_current.mean - group2_current.mean) - (group1_previous.mean - group2_previous.mean);
  const double se = std::sqrt(variance);
  out.change.value = change;
  if (!(se > 0)) return out;
  // Welch-Satterthwaite for a sum of four independent variance terms.
  const double df = variance * variance / df_denominator;
  const double q = detail::t_for_level(confidence_level, df);
  out.change = {change, {change - q * se, change + q * se}, se};
  out.test = {change / se, df, detail::t_p_two_sided(change / se, df)};
  return out;
}

period_change ratio_of_ratios(const ratio_estimate& current, const ratio_estimate& previous, double confidence_level) {
  detail::check_confidence_level(confidence_level, "ratio_of_ratios");
  period_change out{{nan, {nan, nan}, nan}, {nan, nan, nan}};
  if (!(current.value > 0) || !(previous.value > 0) || std::isinf(current.value) || std::isinf(previous.value)) {
    return out;
  }
  const double log_change = std::log(current.value) - std::log(previous.value);
  const double se = std::hypot(current.log_standard_error, previous.log_standard_error);
  const double z = detail::z_for_level(confidence_level);
  out.change = {std::exp(log_change), {std::exp(log_change - z * se), std::exp(log_change + z * se)}, se};
  if (se > 0) out.test = {log_change / se, nan, detail::normal_p_two_sided(log_change / se)};
  return out;
}

}  // namespace jamstat::analysis
