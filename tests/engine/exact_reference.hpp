// Exact rational references for the moments of a list of doubles: every double is a dyadic
// rational, so Σx and Σx² are computed exactly as big integers over a common power of two
// (Boost.Multiprecision), and the mean and M2 as exact rationals.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

namespace jamstat::testing {

using rational = boost::multiprecision::cpp_rational;
using big_integer = boost::multiprecision::cpp_int;

struct exact_moments {
  rational sum;
  rational mean;
  rational m2;  ///< Σ(x - mean)²
};

/// Exact Σx, mean and M2 of finite doubles.
inline exact_moments exact_moments_of(const std::vector<double>& xs) {
  // x = mantissa * 2^exponent with a 53-bit integer mantissa.
  int lowest = 0;
  bool first = true;
  for (double x : xs) {
    if (x == 0) continue;
    int e;
    std::frexp(x, &e);
    if (first || e - 53 < lowest) lowest = e - 53;
    first = false;
  }
  big_integer sum = 0, squares = 0;
  for (double x : xs) {
    if (x == 0) continue;
    int e;
    const double fraction = std::frexp(x, &e);
    const auto mantissa = static_cast<std::int64_t>(std::ldexp(fraction, 53));
    const big_integer v = big_integer(mantissa) << (e - 53 - lowest);
    sum += v;
    squares += v * v;
  }
  // Σx = sum * 2^lowest, Σx² = squares * 2^(2 lowest).
  auto scaled = [](const big_integer& v, int exponent) {
    if (exponent >= 0) return rational(v << exponent);
    return rational(v, big_integer(1) << -exponent);
  };
  exact_moments m;
  const auto n = static_cast<std::int64_t>(xs.size());
  m.sum = scaled(sum, lowest);
  m.mean = m.sum / n;
  m.m2 = scaled(squares, 2 * lowest) - m.sum * m.sum / n;
  return m;
}

}  // namespace jamstat::testing
