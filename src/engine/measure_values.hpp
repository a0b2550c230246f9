// Checking and converting one numeric measure's values (internal to the engine): the scalar rules
// that the record path, the columnar path's per-row fallback and the error messages share. The
// columnar path's vectorized block checks (columnar_ingest.cpp) apply the same rules.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <charconv>
#include <string>

#include "jamstat/engine/double_double.hpp"
#include "jamstat/engine/rejection_reason.hpp"
#include "jamstat/engine/schema.hpp"

namespace jamstat::detail {

/// How far p = x * 10^decimals may be from an integer and still count as on the grid: a double
/// nearest to a grid value u is within 2^-53 |u| of it, and the product adds one more rounding,
/// so |p - u| <= 2^-52 |u| for every on-grid double; 4 x epsilon leaves room. A float (f32
/// column) is within 2^-24 |u|, hence its own tolerance.
inline constexpr double grid_tolerance_f64 = 4.0 * DBL_EPSILON;
inline constexpr double grid_tolerance_f32 = 4.0 * static_cast<double>(FLT_EPSILON);
/// 1.5 x 2^52: adding it to |p| < 2^51 leaves p rounded to an integer (ties to even) in the low
/// bits of the sum, so the integer is read off without a (non-vectorizable) conversion.
inline constexpr double rounding_magic = 6755399441055744.0;

enum class value_status : std::uint8_t { ok, rounded, not_finite, off_grid, out_of_range };

struct grid_value {
  value_status status = value_status::ok;
  std::int64_t units = 0;
};

/// A floating measure's value: finite and within the measure's range?
inline value_status check_floating(double x, const measure_domain& d) noexcept {
  if (!std::isfinite(x)) return value_status::not_finite;
  if (!(x >= d.lowest && x <= d.highest)) return value_status::out_of_range;
  return value_status::ok;
}

/// The grid point nearest to the exact value of x * scale (ties to even): the product's rounding
/// error is recovered exactly (TwoProduct), so that 0.295 (a double slightly below 0.295) rounds
/// to 29 hundredths even though fl(0.295 * 100) is 29.5.
inline double nearest_grid_point(double x, double scale) noexcept {
  double p, e;
  dd::two_product(x, scale, p, e);
  double r = std::nearbyint(p);
  const double below = (p - r) + e;  // exact value minus r; p - r is exact (Sterbenz)
  if (below > 0.5 || (below == 0.5 && std::fmod(r, 2.0) != 0.0)) r += 1.0;
  if (below < -0.5 || (below == -0.5 && std::fmod(r, 2.0) != 0.0)) r -= 1.0;
  return r;
}

/// A decimal measure's value in grid units, or why it is bad.
/// A value off the grid (or beyond the range once rounded): rounded where the measure says so.
[[gnu::cold, gnu::noinline]] inline grid_value off_grid_units(double x, const measure_domain& d) noexcept {
  if (d.off_grid != off_grid_policy::round) return {value_status::off_grid, 0};
  const double nearest = nearest_grid_point(x, d.scale);
  if (!(nearest >= static_cast<double>(d.lowest_units) && nearest <= static_cast<double>(d.highest_units)))
    return {value_status::out_of_range, 0};
  return {value_status::rounded, static_cast<std::int64_t>(nearest)};
}

[[gnu::always_inline]] inline grid_value to_grid_units(double x, const measure_domain& d, double tolerance) noexcept {
  if (!std::isfinite(x)) return {value_status::not_finite, 0};
  const double p = x * d.scale;
  const double r = std::nearbyint(p);
  // The range is checked on the rounded product (|p| far beyond the range never reaches the grid
  // arithmetic below).
  if (!(r >= static_cast<double>(d.lowest_units) && r <= static_cast<double>(d.highest_units)))
    return {value_status::out_of_range, 0};
  if (std::fabs(p - r) <= tolerance * std::fabs(r)) [[likely]]
    return {value_status::ok, static_cast<std::int64_t>(r)};
  return off_grid_units(x, d);
}

/// Grid units given directly (an i64 column): only the range applies.
inline grid_value check_grid_units(std::int64_t u, const measure_domain& d) noexcept {
  if (u < d.lowest_units || u > d.highest_units) return {value_status::out_of_range, 0};
  return {value_status::ok, u};
}

inline rejection_reason reason_of(value_status s) noexcept {
  switch (s) {
    case value_status::not_finite: return rejection_reason::measure_not_finite;
    case value_status::off_grid: return rejection_reason::measure_off_resolution;
    default: return rejection_reason::measure_out_of_range;
  }
}

/// The shortest text that reads back as x ("0.295", "99999.99"), for messages.
inline std::string number_text(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "+infinity" : "-infinity";
  char buffer[64];
  // Plain digits where they stay short (2000000, 0.295), the exponent form beyond.
  const double magnitude = std::fabs(x);
  const bool plain = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e16);
  const auto result = plain ? std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::fixed)
                            : std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, result.ptr);
}

/// What is wrong with a bad value, for messages: "value 0.295 is not on the measure's grid of 2
/// decimals (resolution 0.01)".
inline std::string describe_bad_value(const std::string& value_text, value_status s, const numeric_measure& m,
                                      const measure_domain& d) {
  switch (s) {
    case value_status::not_finite: return "value " + value_text + " is not a finite number";
    case value_status::off_grid: {
      std::string resolution = "1";
      if (d.decimals > 0) resolution = "0." + std::string(d.decimals - 1, '0') + "1";
      return "value " + value_text + " is not on the measure's grid of " + std::to_string(d.decimals) +
             " decimals (resolution " + resolution + ")";
    }
    default:
      return "value " + value_text + " is outside the measure's valid range [" + number_text(m.lowest) + ", " +
             number_text(m.highest) + "]";
  }
}

}  // namespace jamstat::detail
