// Internal: the robust one-dimensional search for the random-effect parameter θ ≥ 0 of a MAIHDA
// model (lme4's θ: the relative standard deviation of the stratum random intercept).
#pragma once

#include <functional>

namespace jamstat::analysis::maihda_detail {

struct theta_search_result {
  double theta = 0.0;
  double objective = 0.0;
  bool boundary = false;  ///< the minimum is at θ = 0
  int evaluations = 0;
};

/// Minimises `objective(θ)` over θ ∈ [0, ∞).
///
/// 1. A scan of 48 points equally spaced in ψ = θ/(1 + θ) ∈ [0, 1) (θ from 0 to 47), extended
///    geometrically (×4) beyond θ = 47 while the objective still decreases, up to θ = 1e6 (then
///    usage_error: the between-stratum variance is unbounded). The scan finds the basin of the
///    global minimum unless two minima lie within one scan step.
/// 2. Brent's method (boost::math::tools::brent_find_minima, 2⁻²⁶ relative in θ, at most 200
///    iterations) within the two scan steps around the best scan point. When that point is θ = 0,
///    the boundary is kept if objective(0) is not above Brent's minimum.
/// 3. When `slope` (a function with the sign of d objective/dθ for θ > 0) is given and the minimum
///    is interior: TOMS 748 root finding on the slope (boost::math::tools::toms748_solve, to within
///    4 ulps of θ, at most 100 iterations) in a bracket around Brent's point, because the location
///    of a minimum found from function values alone is only accurate to √ε.
theta_search_result minimise_theta(const std::function<double(double)>& objective,
                                   const std::function<double(double)>& slope = {});

}  // namespace jamstat::analysis::maihda_detail
