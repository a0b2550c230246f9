// Benjamini-Hochberg and Holm adjustments, as R's p.adjust.
#include "jamstat/analysis/multiple_testing.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis {

namespace {

// The indices of the non-NaN p-values, ordered by p (ties by position, so the result is stable).
std::vector<std::size_t> order_of_tests(std::span<const double> p, std::span<double> out, const char* function) {
  if (out.size() != p.size()) {
    throw usage_error(std::string(function) + ": the output must have as many values as p (" +
                      std::to_string(p.size()) + "), got " + std::to_string(out.size()));
  }
  std::vector<std::size_t> order;
  order.reserve(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (std::isnan(p[i])) continue;
    if (p[i] < 0 || p[i] > 1) {
      throw usage_error(std::string(function) + ": p[" + std::to_string(i) + "] = " + std::to_string(p[i]) +
                        " is not a probability");
    }
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  return order;
}

}  // namespace

void benjamini_hochberg(std::span<const double> p, std::span<double> q) {
  const std::vector<std::size_t> order = order_of_tests(p, q, "benjamini_hochberg");
  const double m = static_cast<double>(order.size());
  std::vector<double> adjusted(order.size());
  double running = 1.0;
  // From the largest p down: q_(i) = min(running, m / i * p_(i)) (R: cummin(n / i * p[o])).
  for (std::size_t r = order.size(); r-- > 0;) {
    running = std::min(running, m / static_cast<double>(r + 1) * p[order[r]]);
    adjusted[r] = running;
  }
  for (std::size_t i = 0; i < p.size(); ++i) if (std::isnan(p[i])) q[i] = p[i];
  for (std::size_t r = 0; r < order.size(); ++r) q[order[r]] = adjusted[r];
}

std::vector<double> benjamini_hochberg(std::span<const double> p) {
  std::vector<double> q(p.size());
  benjamini_hochberg(p, q);
  return q;
}

void holm(std::span<const double> p, std::span<double> adjusted) {
  const std::vector<std::size_t> order = order_of_tests(p, adjusted, "holm");
  const double m = static_cast<double>(order.size());
  std::vector<double> values(order.size());
  double running = 0.0;
  // R: pmin(1, cummax((n - i + 1) * p[o])).
  for (std::size_t r = 0; r < order.size(); ++r) {
    running = std::max(running, (m - static_cast<double>(r)) * p[order[r]]);
    values[r] = std::min(1.0, running);
  }
  for (std::size_t i = 0; i < p.size(); ++i) if (std::isnan(p[i])) adjusted[i] = p[i];
  for (std::size_t r = 0; r < order.size(); ++r) adjusted[order[r]] = values[r];
}

std::vector<double> holm(std::span<const double> p) {
  std::vector<double> adjusted(p.size());
  holm(p, adjusted);
  return adjusted;
}

}  // namespace jamstat::analysis
