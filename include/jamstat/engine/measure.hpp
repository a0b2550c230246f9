// Measures recorded per participation: binary outcomes and numeric measures.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace jamstat {

/// A binary outcome (e.g. "in work or studies after the intervention"): each record carries
/// 0 or 1; cells hold the number of successes, so proportions follow from the record count.
struct outcome {
  std::string name;
  std::string label_sv;
  std::string label_en;
  friend bool operator==(const outcome&, const outcome&) = default;
};

/// How a numeric measure's values are accumulated (see docs/engine.md, "Numeric measures").
enum class measure_kind : std::uint8_t {
  /// Any finite value within the measure's range. Cells keep count, mean (double-double), sum of
  /// squared deviations, min and the two largest values; every statistic is within a documented
  /// error bound for every order of the input, and states do not depend on the merge order of
  /// two operands (but may differ in the last bits between ingestion paths and merge trees).
  floating = 0,
  /// Values on a decimal grid of resolution 10^-decimals (0.01 h, 1 öre): cells keep the count,
  /// Σu and Σu² of the values in grid units u as exact integers, min and the two largest values.
  /// Every statistic is exact up to its final rounding to a double, and any split of the
  /// records, merge order or tree, and either ingestion path give byte-identical states.
  decimal = 1,
};

/// What happens to a decimal measure's value that is not on its grid (beyond the representation
/// error of a double: 0.29 is on a 0.01 grid, 0.295 is not).
enum class off_grid_policy : std::uint8_t {
  reject = 0,  ///< bad input (rejection reason measure_off_resolution): the default
  round = 1,   ///< rounded to the nearest grid point (ties to even); the state counts them
};

/// A numeric measure (resource hours, cost in SEK, days in support).
///
/// Every measure has a valid range [lowest, highest], part of the schema; a value outside it is
/// bad input (rejection reason measure_out_of_range), so that no sum or square can overflow into
/// a wrong number. Left as NaN, the range is the kind's widest (see the constants below); the
/// schema stores the resolved range.
struct numeric_measure {
  std::string name;
  std::string unit;  ///< free text, e.g. "h" or "SEK"; part of the fingerprint
  std::string label_sv;
  std::string label_en;
  measure_kind kind = measure_kind::floating;
  /// Decimal kind: the resolution is 10^-decimals (0 ... max_decimals). 0 for floating measures.
  std::uint8_t decimals = 0;
  /// Decimal kind: what happens to values off the grid. reject for floating measures.
  off_grid_policy off_grid = off_grid_policy::reject;
  double lowest = std::numeric_limits<double>::quiet_NaN();   ///< smallest valid value (NaN: the widest)
  double highest = std::numeric_limits<double>::quiet_NaN();  ///< largest valid value (NaN: the widest)

  /// Most decimals a decimal measure may have.
  static constexpr unsigned max_decimals = 9;
  /// Widest range of a floating measure: |x| <= 1e140, so that the shifted sums of squares of up
  /// to 2^64 values and every mean and sum stay finite (4 * (1e140)^2 * 2^64 < 1.8e308).
  static constexpr double floating_limit = 1e140;
  /// Widest range of a decimal measure, in grid units: |u| <= 2^31 - 1 (21,474,836.47 at two
  /// decimals), so that Σu² of 2^64 values fits in 128 bits and the sums never overflow. Choose a
  /// coarser resolution (whole SEK rather than öre) for larger amounts.
  static constexpr std::int64_t decimal_unit_limit = (std::int64_t{1} << 31) - 1;

  /// A floating measure with the widest range, or [lowest, highest].
  static numeric_measure floating(std::string name, std::string unit, std::string label_sv, std::string label_en,
                                  double lowest = std::numeric_limits<double>::quiet_NaN(),
                                  double highest = std::numeric_limits<double>::quiet_NaN()) {
    return {std::move(name), std::move(unit), std::move(label_sv), std::move(label_en), measure_kind::floating, 0,
            off_grid_policy::reject, lowest, highest};
  }
  /// A decimal measure with resolution 10^-decimals and the valid range [lowest, highest] (both on
  /// the grid; NaN for the widest).
  static numeric_measure decimal(std::string name, std::string unit, std::string label_sv, std::string label_en,
                                 unsigned decimals, double lowest = std::numeric_limits<double>::quiet_NaN(),
                                 double highest = std::numeric_limits<double>::quiet_NaN(),
                                 off_grid_policy off_grid = off_grid_policy::reject) {
    return {std::move(name), std::move(unit), std::move(label_sv), std::move(label_en), measure_kind::decimal,
            static_cast<std::uint8_t>(decimals > 255 ? 255 : decimals), off_grid, lowest, highest};
  }

  /// Equal definitions. Ranges compare by value, and two unresolved (NaN) bounds are equal.
  friend bool operator==(const numeric_measure& a, const numeric_measure& b) noexcept {
    auto same = [](double x, double y) { return x == y || (x != x && y != y); };
    return a.name == b.name && a.unit == b.unit && a.label_sv == b.label_sv && a.label_en == b.label_en &&
           a.kind == b.kind && a.decimals == b.decimals && a.off_grid == b.off_grid && same(a.lowest, b.lowest) &&
           same(a.highest, b.highest);
  }
};

/// Stable name of a kind ("floating", "decimal").
inline const char* to_string(measure_kind kind) noexcept { return kind == measure_kind::decimal ? "decimal" : "floating"; }

}  // namespace jamstat
