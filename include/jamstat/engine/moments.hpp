// Streaming statistics of one numeric measure in one cell: count, sum, mean, variance, min, max.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace jamstat {

/// Mergeable moments of a numeric measure.
///
/// - mean and M2 (sum of squared deviations) follow Welford (1962) for single values and
///   Chan, Golub & LeVeque (1979/1983) for combining two partial states, so no sum of squares
///   of raw values is ever formed. Both run on values *shifted* by the first value seen
///   (`shift`), as Chan, Golub & LeVeque recommend: a plain running mean of values around 1e9
///   loses about one ulp of 1e9 per update, the shifted one only rounds values near zero, so
///   values around 1e9 with a spread of 1 keep a relative precision of about 1e-12 in the
///   variance instead of 1e-8;
/// - the sum is a Neumaier (improved Kahan-Babuska) compensated sum, so sums of amounts in SEK
///   are exact while their true value fits in a double's 53-bit significand and otherwise
///   carry an error of a few ulps of the sum of |values|.
///
/// Boost.Accumulators is not used here: its accumulator sets can not be merged with each other
/// and their internal state is not accessible for the state format, and both are what cells
/// need (merging partners' states, rolling up cells, serializing). The tests use it as an
/// independent reference instead.
struct moments {
  std::uint64_t count = 0;
  double shift = 0.0;        ///< the first value seen; the others are accumulated relative to it
  double mean_offset = 0.0;  ///< mean - shift
  double m2 = 0.0;           ///< sum of squared deviations from the mean
  double sum = 0.0;
  double sum_compensation = 0.0;  ///< Neumaier's running correction of `sum`
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  /// Adds one finite value (Welford's update on the shifted value).
  void add(double x) noexcept {
    if (count == 0) shift = x;
    ++count;
    const double y = x - shift;
    const double delta = y - mean_offset;
    mean_offset += delta / static_cast<double>(count);
    m2 += delta * (y - mean_offset);
    add_to_sum(x);
    min = x < min ? x : min;
    max = x > max ? x : max;
  }

  /// Combines another state into this one (Chan et al.'s pairwise formula).
  void merge(const moments& other) noexcept {
    if (other.count == 0) return;
    if (count == 0) {
      *this = other;
      return;
    }
    const double n_a = static_cast<double>(count), n_b = static_cast<double>(other.count);
    const double n = n_a + n_b;
    const double delta = (other.shift - shift) + (other.mean_offset - mean_offset);
    mean_offset += delta * (n_b / n);
    m2 += other.m2 + delta * delta * (n_a * n_b / n);
    count += other.count;
    add_to_sum(other.sum);
    add_to_sum(other.sum_compensation);
    min = other.min < min ? other.min : min;
    max = other.max > max ? other.max : max;
  }

  /// Arithmetic mean; NaN when count is 0.
  double mean() const noexcept {
    return count == 0 ? std::numeric_limits<double>::quiet_NaN() : shift + mean_offset;
  }
  /// Compensated sum of the values.
  double total() const noexcept { return sum + sum_compensation; }
  /// Sample variance (n - 1 denominator); NaN when count < 2.
  double sample_variance() const noexcept {
    return count < 2 ? std::numeric_limits<double>::quiet_NaN() : m2 / static_cast<double>(count - 1);
  }
  /// Population variance (n denominator); NaN when count < 1.
  double population_variance() const noexcept {
    return count < 1 ? std::numeric_limits<double>::quiet_NaN() : m2 / static_cast<double>(count);
  }
  /// Sample standard deviation; NaN when count < 2.
  double sample_sd() const noexcept { return std::sqrt(sample_variance()); }

  /// Neumaier's compensated addition.
  void add_to_sum(double x) noexcept {
    const double t = sum + x;
    if (std::fabs(sum) >= std::fabs(x))
      sum_compensation += (sum - t) + x;
    else
      sum_compensation += (x - t) + sum;
    sum = t;
  }

  friend bool operator==(const moments&, const moments&) = default;
};

}  // namespace jamstat
