// The statistics of one numeric measure over a set of participations, whatever its kind: what
// roll-up cells, the analysis layer and the C ABI read.
#pragma once

#include <cstdint>

#include "jamstat/engine/decimal_moments.hpp"
#include "jamstat/engine/floating_moments.hpp"
#include "jamstat/engine/measure.hpp"

namespace jamstat {

/// Count, sum, mean, variance, min, max and second largest value of a numeric measure.
///
/// - **Decimal** measures: every statistic is computed from the exact integer sums and rounded
///   once, to nearest (ties to even): mean, total, M2, both variances, min, max and second_max
///   are the doubles nearest to their exact values; the standard deviation is the square root
///   of the rounded variance (within 1 ulp).
/// - **Floating** measures: within the bound of docs/engine.md ("Numeric measures").
///
/// A value type (80 bytes): copy it freely.
class measure_stats {
 public:
  /// No values, floating kind.
  measure_stats() noexcept : floating_(), kind_(measure_kind::floating), decimals_(0) {}
  /// Statistics of a floating measure.
  explicit measure_stats(const floating_moments& m) noexcept : floating_(m), kind_(measure_kind::floating), decimals_(0) {}
  /// Statistics of a decimal measure whose grid is 10^-decimals.
  measure_stats(const decimal_moments& m, unsigned decimals) noexcept
      : decimal_(m), kind_(measure_kind::decimal), decimals_(static_cast<std::uint8_t>(decimals)) {}
  /// No values of a measure of this kind and resolution.
  static measure_stats empty(measure_kind kind, unsigned decimals) noexcept {
    return kind == measure_kind::decimal ? measure_stats(decimal_moments{}, decimals) : measure_stats();
  }

  measure_kind kind() const noexcept { return kind_; }
  /// Decimal places of a decimal measure's grid (0 for floating measures).
  unsigned decimals() const noexcept { return decimals_; }
  /// Number of values.
  std::uint64_t count() const noexcept { return kind_ == measure_kind::decimal ? decimal_.count : floating_.count; }

  /// Arithmetic mean; NaN when count is 0.
  double mean() const;
  /// Sum of the values (0 when count is 0).
  double total() const;
  /// Sum of squared deviations from the mean, M2 (0 when count < 2).
  double sum_of_squares() const;
  /// Sample variance M2 / (n - 1); NaN when count < 2.
  double sample_variance() const;
  /// Population variance M2 / n; NaN when count is 0.
  double population_variance() const;
  /// Sample standard deviation; NaN when count < 2.
  double sample_sd() const;
  /// Smallest, largest and second largest value (with multiplicity); NaN when there are fewer
  /// values than that.
  double min() const;
  double max() const;
  double second_max() const;

  /// The exact statistics of a decimal measure. Throws usage_error for a floating one.
  const decimal_moments& decimal() const;
  /// The statistics of a floating measure. Throws usage_error for a decimal one.
  const floating_moments& floating() const;

  /// Adds another set's statistics of the same measure. Throws usage_error when the kinds or
  /// resolutions differ.
  void merge(const measure_stats& other);

  friend bool operator==(const measure_stats& a, const measure_stats& b) noexcept {
    if (a.kind_ != b.kind_ || a.decimals_ != b.decimals_) return false;
    return a.kind_ == measure_kind::decimal ? a.decimal_ == b.decimal_ : a.floating_ == b.floating_;
  }

 private:
  union {
    floating_moments floating_;
    decimal_moments decimal_;
  };
  measure_kind kind_;
  std::uint8_t decimals_;
};

/// The double nearest to a / b (ties to even) for integers a and b > 0: how every statistic of a
/// decimal measure is rounded. Exposed for the tests.
double rounded_quotient(int128_t a, uint128_t b) noexcept;

/// The double nearest to (n·s_ab − s_a·s_b) / (n · 10^decimals) (ties to even): the centred
/// cross-product Σ(a − ā)(b − b̄) of two integer-valued variables (grid units; `decimals` is the sum
/// of a's and b's decimals) from their exact sums s_a = Σa, s_b = Σb, s_ab = Σab over n
/// participations. The numerator is computed exactly in 256-bit integers and rounded once, so no
/// cancellation can occur however large the means (what regressions on numeric characteristics
/// are computed from; docs/engine.md, "Cross-products"). NaN when n is 0.
double rounded_centred_cross_product(std::uint64_t n, int128_t sum_a, int128_t sum_b, int128_t sum_ab,
                                     unsigned decimals) noexcept;

}  // namespace jamstat
