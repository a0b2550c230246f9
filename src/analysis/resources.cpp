// Means with t intervals, Welch's test, stratified mean difference, resource-to-participant ratio.
#include "jamstat/analysis/resources.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "numeric.hpp"

namespace jamstat::analysis {

using detail::as_double;
using detail::nan;

namespace {

void check_moments(const sample_moments& m, const char* function, const char* what) {
  if (m.count == 0) return;
  if (!std::isfinite(m.mean)) {
    throw usage_error(std::string(function) + ": " + what + ": the mean must be finite");
  }
  if (m.count >= 2 && !(m.variance >= 0 && std::isfinite(m.variance))) {
    throw usage_error(std::string(function) + ": " + what +
                      ": the variance must be finite and non-negative when count >= 2");
  }
}

}  // namespace

estimate mean_interval(const sample_moments& group, double confidence_level) {
  detail::check_confidence_level(confidence_level, "mean_interval");
  check_moments(group, "mean_interval", "group");
  if (group.count == 0) return {nan, {nan, nan}, nan};
  if (group.count < 2) return {group.mean, {nan, nan}, nan};
  const double se = std::sqrt(group.variance / as_double(group.count));
  const double t = detail::t_for_level(confidence_level, as_double(group.count - 1));
  return {group.mean, {group.mean - t * se, group.mean + t * se}, se};
}

welch_result welch_t_test(const sample_moments& group1, const sample_moments& group2, double confidence_level) {
  detail::check_confidence_level(confidence_level, "welch_t_test");
  check_moments(group1, "welch_t_test", "group 1");
  check_moments(group2, "welch_t_test", "group 2");
  const double difference = group1.mean - group2.mean;
  welch_result out{{difference, {nan, nan}, nan}, {nan, nan, nan}};
  if (group1.count < 2 || group2.count < 2) {
    if (group1.count == 0 || group2.count == 0) out.difference.value = nan;
    return out;
  }
  const double v1 = group1.variance / as_double(group1.count);
  const double v2 = group2.variance / as_double(group2.count);
  const double se = std::sqrt(v1 + v2);
  // R: stop("data are essentially constant") below this standard error.
  if (se < 10 * 2.220446049250313e-16 * std::max(std::fabs(group1.mean), std::fabs(group2.mean)) || se == 0) {
    return out;
  }
  const double df = (v1 + v2) * (v1 + v2) /
                    (v1 * v1 / as_double(group1.count - 1) + v2 * v2 / as_double(group2.count - 1));
  const double t = difference / se;
  const double q = detail::t_for_level(confidence_level, df);
  out.difference = {difference, {difference - q * se, difference + q * se}, se};
  out.test = {t, df, detail::t_p_two_sided(t, df)};
  return out;
}

stratified_difference stratified_mean_difference(std::span<const stratum_moments> strata, double confidence_level) {
  detail::check_confidence_level(confidence_level, "stratified_mean_difference");
  double w_sum = 0.0, wd_sum = 0.0, w2v_sum = 0.0;
  std::size_t used = 0;
  for (std::size_t k = 0; k < strata.size(); ++k) {
    check_moments(strata[k].group1, "stratified_mean_difference", "group 1");
    check_moments(strata[k].group2, "stratified_mean_difference", "group 2");
    const sample_moments& g1 = strata[k].group1;
    const sample_moments& g2 = strata[k].group2;
    if (g1.count < 2 || g2.count < 2) continue;
    const double n1 = as_double(g1.count), n2 = as_double(g2.count);
    const double w = n1 * n2 / (n1 + n2);
    w_sum += w;
    wd_sum += w * (g1.mean - g2.mean);
    w2v_sum += w * w * (g1.variance / n1 + g2.variance / n2);
    ++used;
  }
  stratified_difference out{{nan, {nan, nan}, nan}, {nan, nan, nan}, used};
  if (used == 0) return out;
  const double d = wd_sum / w_sum;
  const double se = std::sqrt(w2v_sum) / w_sum;
  const double z = detail::z_for_level(confidence_level);
  out.difference = {d, {d - z * se, d + z * se}, se};
  if (se > 0) out.test = {d / se, nan, detail::normal_p_two_sided(d / se)};
  else if (d == 0) out.test = {0.0, nan, 1.0};
  return out;
}

resource_share resource_share_ratio(std::span<const sample_moments> moments, std::size_t groups, std::size_t group,
                                    double confidence_level) {
  detail::check_confidence_level(confidence_level, "resource_share_ratio");
  if (groups == 0 || moments.empty() || moments.size() % groups != 0) {
    throw usage_error("resource_share_ratio: moments must hold strata * groups values (got " +
                      std::to_string(moments.size()) + " for " + std::to_string(groups) + " groups)");
  }
  if (group >= groups) {
    throw usage_error("resource_share_ratio: group " + std::to_string(group) + " is not below groups (" +
                      std::to_string(groups) + ")");
  }
  for (const sample_moments& m : moments) {
    check_moments(m, "resource_share_ratio", "moments");
    if (m.count > 0 && m.mean < 0) throw usage_error("resource_share_ratio: resources must be non-negative (a mean is negative)");
  }
  const std::size_t strata = moments.size() / groups;
  // Each group's variance over all strata (Chan et al. pooled moments), used for a stratum in
  // which the group has a single observation and so no variance of its own.
  std::vector<double> g_count(groups, 0.0), g_mean(groups, 0.0), g_m2(groups, 0.0);
  for (std::size_t k = 0; k < strata; ++k) {
    for (std::size_t g = 0; g < groups; ++g) {
      const sample_moments& m = moments[k * groups + g];
      if (m.count == 0) continue;
      const double n = as_double(m.count), total = g_count[g] + n;
      const double delta = m.mean - g_mean[g];
      g_m2[g] += (m.count >= 2 ? m.variance * (n - 1.0) : 0.0) + delta * delta * g_count[g] * n / total;
      g_mean[g] += delta * n / total;
      g_count[g] = total;
    }
  }
  double observed = 0.0, expected = 0.0, all_resources = 0.0, all_count = 0.0;
  std::vector<double> stratum_count(strata, 0.0), stratum_mean(strata, 0.0);
  for (std::size_t k = 0; k < strata; ++k) {
    double n = 0.0, t = 0.0;
    for (std::size_t g = 0; g < groups; ++g) {
      const sample_moments& m = moments[k * groups + g];
      n += as_double(m.count);
      if (m.count > 0) t += as_double(m.count) * m.mean;
    }
    stratum_count[k] = n;
    stratum_mean[k] = n > 0 ? t / n : 0.0;
    all_resources += t;
    all_count += n;
    const sample_moments& own = moments[k * groups + group];
    if (own.count > 0) {
      observed += as_double(own.count) * own.mean;
      expected += as_double(own.count) * stratum_mean[k];
    }
  }
  resource_share out{nan, nan, {nan, {nan, nan}, nan}, {nan, nan, nan}};
  if (all_count == 0) return out;
  out.participant_share = g_count[group] / all_count;
  if (all_resources > 0) out.resource_share = observed / all_resources;
  if (!(expected > 0)) return out;
  out.ratio.value = observed / expected;
  if (!(observed > 0)) return out;
  // Delta method on log(O / E): d/dm_jk = [j = group] n_gk / O - n_gk n_jk / (N_k E).
  double variance = 0.0;
  for (std::size_t k = 0; k < strata; ++k) {
    const double n_own = as_double(moments[k * groups + group].count);
    if (n_own == 0) continue;
    for (std::size_t g = 0; g < groups; ++g) {
      const sample_moments& m = moments[k * groups + g];
      if (m.count == 0) continue;
      const double n = as_double(m.count);
      const double gradient = (g == group ? n_own / observed : 0.0) - n_own * n / (stratum_count[k] * expected);
      double s2 = m.count >= 2 ? m.variance : (g_count[g] >= 2 ? g_m2[g] / (g_count[g] - 1.0) : nan);
      variance += gradient * gradient * s2 / n;
    }
  }
  const double log_ratio = std::log(out.ratio.value);
  const double se = std::sqrt(variance);
  const double z = detail::z_for_level(confidence_level);
  out.ratio.ci = {std::exp(log_ratio - z * se), std::exp(log_ratio + z * se)};
  out.ratio.standard_error = se;
  if (se > 0) out.test = {log_ratio / se, nan, detail::normal_p_two_sided(log_ratio / se)};
  else if (log_ratio == 0) out.test = {0.0, nan, 1.0};
  return out;
}

}  // namespace jamstat::analysis
