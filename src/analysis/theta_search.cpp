#include "theta_search.hpp"

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>
#include <boost/math/tools/toms748_solve.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis::maihda_detail {

theta_search_result minimise_theta(const std::function<double(double)>& objective,
                                   const std::function<double(double)>& slope) {
  theta_search_result out;
  auto f = [&](double theta) {
    ++out.evaluations;
    const double v = objective(theta);
    // A NaN would silently break the comparisons below; treat it as +inf (outside the feasible set).
    return std::isnan(v) ? std::numeric_limits<double>::infinity() : v;
  };

  constexpr int scan_points = 48;
  std::vector<std::pair<double, double>> scan;  // (θ, objective)
  for (int i = 0; i < scan_points; ++i) {
    const double psi = static_cast<double>(i) / scan_points;
    const double theta = psi / (1.0 - psi);
    scan.emplace_back(theta, f(theta));
  }
  while (scan.back().second < scan[scan.size() - 2].second) {
    const double theta = scan.back().first * 4.0;
    if (theta > 1e6)
      throw usage_error("MAIHDA: the between-stratum variance is unbounded (the criterion keeps decreasing as it grows): "
                        "the outcome does not vary within the strata");
    scan.emplace_back(theta, f(theta));
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < scan.size(); ++i)
    if (scan[i].second < scan[best].second) best = i;
  const double lo = scan[best == 0 ? 0 : best - 1].first;
  const double hi = scan[std::min(best + 1, scan.size() - 1)].first;

  std::uintmax_t brent_iterations = 200;
  const auto [theta_b, value_b] =
      boost::math::tools::brent_find_minima(f, lo, hi, std::numeric_limits<double>::digits / 2, brent_iterations);
  out.theta = theta_b;
  out.objective = value_b;
  if (best == 0 && scan[0].second <= value_b) {
    out.theta = 0.0;
    out.objective = scan[0].second;
    out.boundary = true;
    return out;
  }
  if (!slope || !(theta_b > 0.0)) return out;

  // Polish: bracket the root of the slope around Brent's point, widening towards the scan bracket.
  double a = theta_b, b = theta_b;
  double sa = 0.0, sb = 0.0;
  bool bracketed = false;
  for (double step = 1e-7; step < 1.0 && !bracketed; step *= 8.0) {
    a = std::max(lo, theta_b * (1.0 - step));
    b = std::min(hi, theta_b * (1.0 + step));
    if (!(a > 0.0)) a = theta_b * 0.5;
    sa = slope(a);
    sb = slope(b);
    bracketed = sa < 0.0 && sb > 0.0;
    if (a <= lo && b >= hi) break;
  }
  if (!bracketed) return out;  // flat to rounding: Brent's point stands
  std::uintmax_t root_iterations = 100;
  const auto root = boost::math::tools::toms748_solve([&](double t) { return slope(t); }, a, b, sa, sb,
                                                      boost::math::tools::eps_tolerance<double>(50), root_iterations);
  const double theta_r = 0.5 * (root.first + root.second);
  const double value_r = f(theta_r);
  // The root is the stationary point; accept it unless its value is above Brent's by more than rounding.
  if (value_r <= out.objective + 64.0 * std::numeric_limits<double>::epsilon() * (1.0 + std::abs(out.objective))) {
    out.theta = theta_r;
    out.objective = value_r;
  }
  return out;
}

}  // namespace jamstat::analysis::maihda_detail
