// The robust θ search of the MAIHDA fits (internal, src/analysis/theta_search.hpp).
#include "theta_search.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis::maihda_detail {
namespace {

TEST(ThetaSearch, FindsAnInteriorMinimumToFullPrecisionWithTheSlope) {
  auto f = [](double t) { return std::pow(t - 2.75, 2) * (1.0 + t) + 3.0; };
  auto slope = [](double t) { return 2.0 * (t - 2.75) * (1.0 + t) + std::pow(t - 2.75, 2); };
  const theta_search_result r = minimise_theta(f, slope);
  EXPECT_NEAR(r.theta, 2.75, 1e-14);
  EXPECT_FALSE(r.boundary);
  // Without the slope, Brent's method alone: √ε in θ.
  EXPECT_NEAR(minimise_theta(f).theta, 2.75, 1e-7);
}

TEST(ThetaSearch, KeepsTheBoundaryAndFindsSmallAndLargeMinima) {
  const theta_search_result b = minimise_theta([](double t) { return t * t + t; });
  EXPECT_TRUE(b.boundary);
  EXPECT_EQ(b.theta, 0.0);
  // A minimum inside the first scan step (θ < 1/47) and one beyond the scan (θ > 47).
  auto small = [](double t) { return std::pow(t * t - 1e-4, 2); };
  EXPECT_NEAR(minimise_theta(small, [](double t) { return t * t - 1e-4; }).theta, 1e-2, 1e-15);
  auto large = [](double t) { return std::pow(std::log(t) - std::log(300.0), 2); };
  EXPECT_NEAR(minimise_theta(large, [](double t) { return std::log(t) - std::log(300.0); }).theta, 300.0, 1e-10);
}

TEST(ThetaSearch, ChoosesTheGlobalOfTwoBasins) {
  // Local minimum at θ = 0.5 (value 1), global at θ = 4 (value 0).
  auto f = [](double t) { return std::min(std::pow(t - 0.5, 2) + 1.0, std::pow(t - 4.0, 2)); };
  EXPECT_NEAR(minimise_theta(f).theta, 4.0, 1e-7);
}

TEST(ThetaSearch, UnboundedCriterionIsAnError) {
  EXPECT_THROW(minimise_theta([](double t) { return -t; }), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis::maihda_detail
