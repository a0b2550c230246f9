// The status of one statistic of one published cell: what a report shows and the C ABI exports.
#pragma once

#include <cstdint>

namespace jamstat::disclosure {

/// How a statistic of a published cell may be shown. The numbering is part of the C ABI and is
/// never reordered; new values are only added at the end.
enum class cell_status : std::uint8_t {
  published = 0,  ///< shown as computed
  primary = 1,    ///< suppressed (`..`): the cell itself is sensitive
  secondary = 2,  ///< suppressed (`..`): hidden so that a sensitive cell cannot be computed
  perturbed = 3,  ///< shown with cell-key noise (parts need not add up to totals)
};

/// True for the statuses a report shows as `..`.
constexpr bool is_suppressed(cell_status s) noexcept {
  return s == cell_status::primary || s == cell_status::secondary;
}

/// The families of statistics of a cell. A statistic derived from a suppressed cell (a
/// proportion, a mean, an interval, a finding of the gap analysis) takes the status of its
/// family in that cell; a suppressed count suppresses every family of the cell.
enum class statistic_family : std::uint8_t {
  count = 0,    ///< persons and participations
  outcome = 1,  ///< successes of one outcome, its proportion and interval
  measure = 2,  ///< sum of one numeric measure, its mean and interval
};

}  // namespace jamstat::disclosure
