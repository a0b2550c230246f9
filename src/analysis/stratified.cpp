// Mantel-Haenszel estimators, the CMH test, Breslow-Day-Tarone, direct standardization.
#include "jamstat/analysis/stratified.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "numeric.hpp"

namespace jamstat::analysis {

using detail::as_double;
using detail::inf;
using detail::nan;

namespace {

void check_strata(std::span<const stratum_2x2> strata, const char* function) {
  if (strata.empty()) throw usage_error(std::string(function) + ": no strata given");
  for (std::size_t k = 0; k < strata.size(); ++k) {
    const stratum_2x2& s = strata[k];
    if (s.successes1 > s.n1 || s.successes2 > s.n2) {
      throw usage_error(std::string(function) + ": stratum " + std::to_string(k) +
                        ": successes exceed trials in a group");
    }
  }
}

ratio_estimate log_normal_ratio(double numerator, double denominator, double log_variance, double z) {
  if (!(numerator > 0) || !(denominator > 0)) {
    const double value = denominator > 0 ? 0.0 : (numerator > 0 ? inf : nan);
    return {value, {nan, nan}, nan, false};
  }
  const double log_value = std::log(numerator) - std::log(denominator);
  const double se = std::sqrt(log_variance);
  return {std::exp(log_value), {std::exp(log_value - z * se), std::exp(log_value + z * se)}, se, false};
}

}  // namespace

mantel_haenszel_result mantel_haenszel(std::span<const stratum_2x2> strata, double confidence_level) {
  detail::check_confidence_level(confidence_level, "mantel_haenszel");
  check_strata(strata, "mantel_haenszel");
  const double z = detail::z_for_level(confidence_level);
  mantel_haenszel_result out{};
  // Sums named after the papers: for the risk difference (Sato 1989) W, P, Q; for the risk ratio
  // (Greenland & Robins 1985) R, S and the numerator of the variance; for the odds ratio (Robins,
  // Breslow & Greenland 1986) R, S and the PR, PS + QR, QS sums.
  double rd_num = 0, rd_w = 0, sato_p = 0, sato_q = 0;
  double rr_r = 0, rr_s = 0, rr_v = 0;
  double or_r = 0, or_s = 0, or_pr = 0, or_psqr = 0, or_qs = 0;
  for (const stratum_2x2& s : strata) {
    if (s.n1 == 0 || s.n2 == 0) {
      ++out.strata_without_comparison;
      continue;
    }
    ++out.strata_compared;
    const double a = as_double(s.successes1), n1 = as_double(s.n1), b = n1 - a;
    const double c = as_double(s.successes2), n2 = as_double(s.n2), d = n2 - c;
    const double n = n1 + n2;
    rd_num += (a * n2 - c * n1) / n;
    rd_w += n1 * n2 / n;
    sato_p += (c * n1 * n1 - a * n2 * n2 + n1 * n2 * (n2 - n1) / 2.0) / (n * n);
    sato_q += (a * (n2 - c) + c * (n1 - a)) / (2.0 * n);
    rr_r += a * n2 / n;
    rr_s += c * n1 / n;
    rr_v += (n1 * n2 * (a + c) - a * c * n) / (n * n);
    const double r = a * d / n, sk = b * c / n, p = (a + d) / n, q = (b + c) / n;
    or_r += r;
    or_s += sk;
    or_pr += p * r;
    or_psqr += p * sk + q * r;
    or_qs += q * sk;
  }
  if (out.strata_compared == 0) {
    out.risk_difference = {nan, {nan, nan}, nan};
    out.risk_ratio = out.odds_ratio = {nan, {nan, nan}, nan, false};
    return out;
  }
  const double rd = rd_num / rd_w;
  const double rd_se = std::sqrt((rd * sato_p + sato_q) / (rd_w * rd_w));
  out.risk_difference = {rd, {rd - z * rd_se, rd + z * rd_se}, rd_se};
  out.risk_ratio = log_normal_ratio(rr_r, rr_s, rr_v / (rr_r * rr_s), z);
  const double or_var = or_pr / (2.0 * or_r * or_r) + or_psqr / (2.0 * or_r * or_s) + or_qs / (2.0 * or_s * or_s);
  out.odds_ratio = log_normal_ratio(or_r, or_s, or_var, z);
  return out;
}

test_result cochran_mantel_haenszel_test(std::span<const stratum_2x2> strata, bool continuity_correction) {
  check_strata(strata, "cochran_mantel_haenszel_test");
  // R's mantelhaen.test for 2 x 2 x K: m row-1 totals, n column-1 totals, t stratum totals.
  double delta = 0.0, variance = 0.0;
  for (const stratum_2x2& s : strata) {
    const double m = as_double(s.n1), t = as_double(s.n1 + s.n2);
    const double n = as_double(s.successes1 + s.successes2);
    if (t < 2) continue;
    const double v = m * n * (t - m) * (t - n) / (t * t * (t - 1.0));
    if (v <= 0) continue;  // a zero margin: the count equals its expectation
    delta += as_double(s.successes1) - m * n / t;
    variance += v;
  }
  if (variance <= 0) return {0.0, 1.0, 1.0};
  const double yates = continuity_correction && std::fabs(delta) >= 0.5 ? 0.5 : 0.0;
  const double r = std::fabs(delta) - yates;
  const double statistic = r * r / variance;
  return {statistic, 1.0, detail::chi_square_upper(statistic, 1.0)};
}

breslow_day_result breslow_day_test(std::span<const stratum_2x2> strata) {
  check_strata(strata, "breslow_day_test");
  breslow_day_result out{{nan, nan, nan}, {nan, nan, nan}, 0};
  const mantel_haenszel_result mh = mantel_haenszel(strata);
  const double psi = mh.odds_ratio.value;
  if (!(psi > 0) || std::isinf(psi)) return out;
  double bd = 0.0, sum_a = 0.0, sum_expected = 0.0, sum_variance = 0.0;
  for (const stratum_2x2& s : strata) {
    const double n1 = as_double(s.n1), n2 = as_double(s.n2);
    const double m1 = as_double(s.successes1 + s.successes2);  // column of successes
    const double t = n1 + n2;
    if (n1 == 0 || n2 == 0 || m1 == 0 || m1 == t) continue;  // no variance under any odds ratio
    // The expected a under odds ratio psi with the margins fixed (Breslow & Day 1980, 4.29):
    // a (n2 - m1 + a) = psi (n1 - a)(m1 - a), the root in [max(0, m1 - n2), min(n1, m1)].
    const double lo = std::max(0.0, m1 - n2), hi = std::min(n1, m1);
    double expected;
    const double qa = 1.0 - psi, qb = n2 - m1 + psi * (n1 + m1), qc = -psi * n1 * m1;
    if (std::fabs(qa) < 1e-12) {
      expected = -qc / qb;
    } else {
      // Stable roots: q = -(b + sign(b) sqrt(disc)) / 2, roots q / a and c / q.
      const double disc = std::max(0.0, qb * qb - 4.0 * qa * qc);
      const double qq = -0.5 * (qb + std::copysign(std::sqrt(disc), qb));
      const double r1 = qq / qa, r2 = qc / qq;
      const auto inside = [&](double r) { return r >= lo - 1e-9 * (1.0 + hi) && r <= hi + 1e-9 * (1.0 + hi); };
      expected = inside(r1) ? r1 : r2;
    }
    expected = std::clamp(expected, lo, hi);
    const double cells[4] = {expected, n1 - expected, m1 - expected, n2 - m1 + expected};
    if (!(cells[0] > 0 && cells[1] > 0 && cells[2] > 0 && cells[3] > 0)) continue;
    const double variance = 1.0 / (1.0 / cells[0] + 1.0 / cells[1] + 1.0 / cells[2] + 1.0 / cells[3]);
    const double a = as_double(s.successes1);
    bd += (a - expected) * (a - expected) / variance;
    sum_a += a;
    sum_expected += expected;
    sum_variance += variance;
    ++out.strata_used;
  }
  if (out.strata_used < 2) return out;
  const double df = as_double(out.strata_used - 1);
  // Tarone (1985): subtract the part of the statistic due to the MH estimator not being the
  // conditional MLE.
  const double tarone = bd - (sum_a - sum_expected) * (sum_a - sum_expected) / sum_variance;
  out.uncorrected = {bd, df, detail::chi_square_upper(bd, df)};
  out.test = {tarone, df, detail::chi_square_upper(tarone, df)};
  return out;
}

standardized_rate direct_standardization(std::span<const double> events, std::span<const double> population,
                                         std::span<const double> standard_population, double confidence_level) {
  detail::check_confidence_level(confidence_level, "direct_standardization");
  if (events.size() != population.size() || events.size() != standard_population.size() || events.empty()) {
    throw usage_error("direct_standardization: events, population and standard_population must have the same "
                      "positive length (got " + std::to_string(events.size()) + ", " +
                      std::to_string(population.size()) + ", " + std::to_string(standard_population.size()) + ")");
  }
  double standard_total = 0.0, event_total = 0.0, population_total = 0.0;
  for (std::size_t k = 0; k < events.size(); ++k) {
    for (double v : {events[k], population[k], standard_population[k]}) {
      if (!(v >= 0) || std::isinf(v)) {
        throw usage_error("direct_standardization: stratum " + std::to_string(k) +
                          ": events, population and standard population must be finite and non-negative");
      }
    }
    standard_total += standard_population[k];
    event_total += events[k];
    population_total += population[k];
  }
  if (standard_total <= 0) throw usage_error("direct_standardization: the standard population sums to 0");
  standardized_rate out{population_total > 0 ? event_total / population_total : nan, {nan, {nan, nan}, nan}};
  // epitools::ageadjust.direct: dsr = sum w rate, var = sum w^2 count / pop^2, wm = max w / pop.
  double dsr = 0.0, variance = 0.0, wm = 0.0;
  for (std::size_t k = 0; k < events.size(); ++k) {
    const double w = standard_population[k] / standard_total;
    if (w == 0) continue;
    if (population[k] == 0) return out;  // a weighted stratum without population: rate unknown
    dsr += w * events[k] / population[k];
    variance += w * w * events[k] / (population[k] * population[k]);
    wm = std::max(wm, w / population[k]);
  }
  const double alpha = 1.0 - confidence_level;
  // Fay & Feuer (1997): gamma with the mean and variance of the estimate for the lower bound; for
  // the upper bound the same with one more event's weight added (wm) to mean and variance.
  const double lower = dsr > 0 ? detail::gamma_quantile(alpha / 2.0, dsr * dsr / variance, variance / dsr) : 0.0;
  const double upper = detail::gamma_quantile(1.0 - alpha / 2.0, (dsr + wm) * (dsr + wm) / (variance + wm * wm),
                                              (variance + wm * wm) / (dsr + wm));
  out.adjusted = {dsr, {lower, upper}, std::sqrt(variance)};
  return out;
}

}  // namespace jamstat::analysis
