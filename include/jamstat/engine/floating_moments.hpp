// Statistics of a floating numeric measure in one cell: count, mean, sum of squared deviations,
// min and the two largest values, mergeable, within a documented error bound for every input order.
#pragma once

#include <cstdint>
#include <limits>

#include "jamstat/engine/double_double.hpp"

namespace jamstat {

/// Mergeable statistics of a set of values of a floating measure (the settled state of a cell).
///
/// The mean is held as `shift + offset`: `shift` is one of the values (exact) and `offset` a
/// double-double, so |offset| <= max - min. Combining two sets uses Chan, Golub & LeVeque's
/// pairwise formula (1979/1983) in double-double, M2 = M2_a + M2_b + δ² n_a n_b / n, whose three
/// terms are non-negative: each combination adds at most a few units of roundoff u = 2^-53 to M2's
/// relative error, whatever the values. docs/engine.md states the bound and the tests check it on
/// adversarial orders against exact rational references.
///
/// merge() orders its two operands canonically before combining, so merge(a, b) and merge(b, a)
/// give identical bits (a partner's merge order does not change the state).
struct floating_moments {
  std::uint64_t count = 0;
  double shift = 0.0;       ///< one of the values; the mean is shift + offset
  double_double offset;     ///< mean - shift
  double m2 = 0.0;          ///< Σ(x - mean)²
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  double second_max = -std::numeric_limits<double>::infinity();  ///< second largest (with multiplicity); -inf while count < 2

  /// Statistics of `n` values given their exact deviations' sums from `shift` (a value of the set):
  /// s1 = Σ(x - shift), s2 = Σ(x - shift)² as double-doubles. min, max, second_max are left to the
  /// caller.
  static floating_moments from_shifted_sums(std::uint64_t n, double shift, double_double s1, double_double s2) noexcept {
    floating_moments m;
    if (n == 0) return m;
    const double nd = static_cast<double>(n);
    m.count = n;
    m.shift = shift;
    m.offset = dd::div(s1, nd);
    const double centred = dd::value(dd::sub(s2, dd::mul(s1, m.offset)));
    m.m2 = centred > 0.0 ? centred : 0.0;  // exact M2 >= 0; a negative result is roundoff of O(u^2) S2
    return m;
  }

  /// Combines another set's statistics into these (Chan et al., in canonical operand order).
  void merge(const floating_moments& other) noexcept {
    if (other.count == 0) return;
    const double lo = min < other.min ? min : other.min;
    const double hi = max > other.max ? max : other.max;
    const double lesser_max = max < other.max ? max : other.max;
    double second = second_max > other.second_max ? second_max : other.second_max;
    second = lesser_max > second ? lesser_max : second;
    if (count == 0) {  // the extremes may cover values not settled yet (floating_accumulator)
      *this = other;
      min = lo;
      max = hi;
      second_max = second;
      return;
    }
    const floating_moments a = precedes(*this, other) ? *this : other;
    const floating_moments& b = precedes(*this, other) ? other : *this;
    const double n_a = static_cast<double>(a.count), n_b = static_cast<double>(b.count);
    const double n = n_a + n_b;
    double ks, ke;
    dd::two_sum(b.shift, -a.shift, ks, ke);  // exact difference of the shifts
    const double_double delta = dd::add(dd::sub(b.offset, a.offset), double_double{ks, ke});
    count = a.count + b.count;
    shift = a.shift;
    offset = dd::add(a.offset, dd::mul(delta, n_b / n));
    const double d = dd::value(delta);
    m2 = (a.m2 + b.m2) + d * d * (n_a * (n_b / n));
    min = lo;
    max = hi;
    second_max = second;
  }

  /// Arithmetic mean; NaN when count is 0.
  double mean() const noexcept {
    if (count == 0) return std::numeric_limits<double>::quiet_NaN();
    return dd::value(dd::add(offset, shift));
  }
  /// Sum of the values: count x mean in double-double, rounded once.
  double total() const noexcept {
    if (count == 0) return 0.0;
    const double n = static_cast<double>(count);
    double p, e;
    dd::two_product(n, shift, p, e);
    return dd::value(dd::add(double_double{p, e}, dd::mul(offset, n)));
  }

  friend bool operator==(const floating_moments&, const floating_moments&) = default;

 private:
  // A total order on the statistics, for canonical operand order in merge().
  static bool precedes(const floating_moments& x, const floating_moments& y) noexcept {
    if (x.count != y.count) return x.count < y.count;
    if (x.shift != y.shift) return x.shift < y.shift;
    if (x.offset.hi != y.offset.hi) return x.offset.hi < y.offset.hi;
    if (x.offset.lo != y.offset.lo) return x.offset.lo < y.offset.lo;
    return x.m2 < y.m2;
  }
};

/// A cell's accumulator for a floating measure on the record-at-a-time path: values go into a
/// pending window of double-double sums of their exact deviations from the window's first value,
/// Σ(x - K) and Σ(x - K)², and every `window` values (and whenever the statistics are read,
/// merged or written) the window is settled into `settled` with Chan's formula. Adding a value
/// needs no division; the deviations are exact (TwoSum) and their squares exact (TwoProduct), so a
/// window's M2 is within about u of the truth however far the first value is from the others.
struct floating_accumulator {
  static constexpr std::uint32_t window = 4096;

  floating_moments settled;  ///< the values settled so far (min, max and second_max cover pending values too)
  std::uint32_t pending = 0;
  double pending_shift = 0.0;  ///< K: the window's first value
  double_double s1;            ///< Σ(x - K)
  double_double s2;            ///< Σ(x - K)²

  /// Adds one finite value within the measure's range.
  void add(double x) noexcept {
    if (pending == 0) pending_shift = x;
    double dh, dl, t, e, p, pe;
    dd::two_sum(x, -pending_shift, dh, dl);  // x - K exactly
    dd::two_sum(s1.hi, dh, t, e);
    s1.hi = t;
    s1.lo += e + dl;
    dd::two_product(dh, dh, p, pe);  // (dh + dl)² = dh² + 2 dh dl + dl², the last below u² dh²
    dd::two_sum(s2.hi, p, t, e);
    s2.hi = t;
    s2.lo += e + (pe + 2.0 * dh * dl);
    ++pending;
    const double lesser = x < settled.max ? x : settled.max;
    settled.second_max = lesser > settled.second_max ? lesser : settled.second_max;
    settled.max = x > settled.max ? x : settled.max;
    settled.min = x < settled.min ? x : settled.min;
    if (pending == window) settle();
  }

  /// Number of values added.
  std::uint64_t count() const noexcept { return settled.count + pending; }

  /// Folds the pending window into `settled`.
  void settle() noexcept {
    if (pending == 0) return;
    // The window's extremes are already in settled's (they cover pending values): merge it with
    // neutral ones.
    settled.merge(floating_moments::from_shifted_sums(pending, pending_shift, normalized(s1), normalized(s2)));
    pending = 0;
    s1 = s2 = double_double{};
  }

  /// The statistics of every value added (a settled copy).
  floating_moments moments() const noexcept {
    floating_accumulator copy = *this;
    copy.settle();
    return copy.settled;
  }

  /// Combines another accumulator's values into this one.
  void merge(const floating_accumulator& other) noexcept {
    settle();
    settled.merge(other.pending == 0 ? other.settled : other.moments());
  }

  /// Equal statistics (how the values were windowed does not matter).
  friend bool operator==(const floating_accumulator& a, const floating_accumulator& b) noexcept {
    return a.moments() == b.moments();
  }

 private:
  static double_double normalized(double_double x) noexcept {
    double h, l;
    dd::two_sum(x.hi, x.lo, h, l);
    return {h, l};
  }
};

}  // namespace jamstat
