// Streaming statistics of one numeric measure in one cell: count, sum, mean, variance, min, max.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace jamstat {

/// Mergeable moments of a numeric measure.
///
/// - Values arrive in a *pending window* of shifted sums, Σ(x − K) and Σ(x − K)² with K = the
///   window's first value; every `window` values (and whenever the state is read, merged or
///   written) the window is *settled* into the running mean and M2 with Chan, Golub & LeVeque's
///   pairwise formula (1979/1983). This is their "shifted data" scheme: no sum of squares of raw
///   values is ever formed, so values around 1e9 with a spread of 1 keep their precision, and
///   because K is itself one of the window's values the cancellation in Σ(x−K)² − (Σ(x−K))²/n is
///   bounded by about eps · n_window (< 1e-12 relative for 4,096 values). Adding a value needs
///   no division and no branch beyond the window check, which is what makes record-at-a-time
///   ingestion fast.
/// - The sum is compensated: each value is added with Knuth's TwoSum (its rounding error kept
///   exactly in `sum_compensation`), partial states are combined with Neumaier's algorithm. Sums
///   of amounts in SEK are exact while the true value fits in a double's 53-bit significand, and
///   otherwise within about one ulp of the true sum. (The columnar path adds each chunk's
///   n·K + Σ(x − K) instead, exact for integer amounts whose partial sums stay below 2^53.)
///
/// Boost.Accumulators is not used here: its accumulator sets can not be merged with each other
/// and their internal state is not accessible for the state format, and both are what cells
/// need (merging partners' states, rolling up cells, serializing). The tests use it as an
/// independent reference instead.
struct moments {
  /// Values settled into the running mean at most this many at a time.
  static constexpr std::uint32_t window = 4096;

  std::uint64_t count = 0;   ///< all values, pending ones included
  // The settled part: the first count - pending values.
  double shift = 0.0;        ///< the first value settled; the others are accumulated relative to it
  double mean_offset = 0.0;  ///< mean - shift
  double m2 = 0.0;           ///< sum of squared deviations from the mean
  double sum = 0.0;
  double sum_compensation = 0.0;  ///< Neumaier's running correction of `sum`
  double min = std::numeric_limits<double>::infinity();   ///< over all values
  double max = -std::numeric_limits<double>::infinity();  ///< over all values
  // The pending window.
  std::uint32_t pending = 0;
  double pending_shift = 0.0;  ///< the window's first value
  double pending_s1 = 0.0;     ///< Σ(x - pending_shift)
  double pending_s2 = 0.0;     ///< Σ(x - pending_shift)²

  /// Adds one finite value.
  void add(double x) noexcept {
    if (pending == 0) pending_shift = x;
    const double d = x - pending_shift;
    pending_s1 += d;
    pending_s2 += d * d;
    ++pending;
    ++count;
    // Knuth's TwoSum: the rounding error of sum + x, exactly, without a branch.
    const double t = sum + x, z = t - sum;
    sum_compensation += (sum - (t - z)) + (x - z);
    sum = t;
    min = x < min ? x : min;
    max = x > max ? x : max;
    if (pending == window) settle();
  }

  /// Folds the pending window into the settled part (Chan et al.).
  void settle() noexcept {
    if (pending == 0) return;
    const double n_b = static_cast<double>(pending);
    const double offset_b = pending_s1 / n_b;  // window mean - pending_shift
    const double m2_b = pending_s2 - pending_s1 * offset_b > 0.0 ? pending_s2 - pending_s1 * offset_b : 0.0;
    const std::uint64_t settled_count = count - pending;
    if (settled_count == 0) {
      shift = pending_shift;
      mean_offset = offset_b;
      m2 = m2_b;
    } else {
      const double n_a = static_cast<double>(settled_count), n = n_a + n_b;
      const double delta = (pending_shift - shift) + (offset_b - mean_offset);
      mean_offset += delta * (n_b / n);
      m2 += m2_b + delta * delta * (n_a * n_b / n);
    }
    pending = 0;
    pending_s1 = pending_s2 = 0.0;
  }

  /// A copy with the pending window settled: what the accessors and the state format read.
  moments settled() const noexcept {
    moments m = *this;
    m.settle();
    return m;
  }

  /// Combines another state into this one (Chan et al.'s pairwise formula).
  void merge(const moments& other) noexcept {
    if (other.count == 0) return;
    settle();
    if (other.pending == 0) {
      merge_settled(other);  // the usual case in roll-ups: no copy
    } else {
      merge_settled(other.settled());
    }
  }

 private:
  void merge_settled(const moments& b) noexcept {
    if (count == 0) {
      *this = b;
      return;
    }
    const double n_a = static_cast<double>(count), n_b = static_cast<double>(b.count);
    const double n = n_a + n_b;
    const double delta = (b.shift - shift) + (b.mean_offset - mean_offset);
    mean_offset += delta * (n_b / n);
    m2 += b.m2 + delta * delta * (n_a * n_b / n);
    count += b.count;
    add_to_sum(b.sum);
    add_to_sum(b.sum_compensation);
    min = b.min < min ? b.min : min;
    max = b.max > max ? b.max : max;
  }

 public:
  /// Arithmetic mean; NaN when count is 0.
  double mean() const noexcept {
    if (count == 0) return std::numeric_limits<double>::quiet_NaN();
    const moments s = settled();
    return s.shift + s.mean_offset;
  }
  /// Compensated sum of the values.
  double total() const noexcept {
    const moments s = settled();
    return s.sum + s.sum_compensation;
  }
  /// Sum of squared deviations from the mean.
  double sum_of_squares() const noexcept { return settled().m2; }
  /// Sample variance (n - 1 denominator); NaN when count < 2.
  double sample_variance() const noexcept {
    return count < 2 ? std::numeric_limits<double>::quiet_NaN() : sum_of_squares() / static_cast<double>(count - 1);
  }
  /// Population variance (n denominator); NaN when count < 1.
  double population_variance() const noexcept {
    return count < 1 ? std::numeric_limits<double>::quiet_NaN() : sum_of_squares() / static_cast<double>(count);
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

  /// Equal values: the settled views agree field by field (how the values were windowed does not
  /// matter).
  friend bool operator==(const moments& a, const moments& b) noexcept {
    const moments x = a.settled(), y = b.settled();
    return x.count == y.count && x.shift == y.shift && x.mean_offset == y.mean_offset && x.m2 == y.m2 && x.sum == y.sum &&
           x.sum_compensation == y.sum_compensation && x.min == y.min && x.max == y.max;
  }
};

}  // namespace jamstat
