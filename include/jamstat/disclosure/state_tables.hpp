// The table set of an engine state: what disclosure control protects, built from an aggregator.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "jamstat/disclosure/cell_status.hpp"
#include "jamstat/disclosure/suppression_pattern.hpp"
#include "jamstat/disclosure/table_set.hpp"
#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/grouping_set.hpp"

namespace jamstat::disclosure {

/// How tables_from_state() hands persons over.
enum class person_handover : std::uint8_t {
  /// The person hashes of every finest cell (exact distinct persons of every published cell, and
  /// cell keys that follow the persons). The default.
  hashes = 0,
  /// Only the distinct-person counts of every published cell (table_set::grouping_persons),
  /// e.g. for a caller that should not copy the hashes. Cell keys then come from the cells.
  counts = 1,
};

/// Builds the table set of `state` for the published groupings `grouping_masks` (bit d set =
/// schema dimension d kept, bit 0 = sex; 0 = the total), in the order given: one dimension_info
/// per schema dimension (name, number of levels), the outcome and numeric-measure names, and every
/// non-empty finest cell with its participations, successes, each measure's sum and two largest
/// values (measure_stats::total, max, second_max), and its distinct persons. Participants known
/// only by sex (aggregator::add_anonymous) are not in any finest cell and not in the table set:
/// the report shows them beside the protected tables. Throws usage_error for an empty or
/// repeated grouping, a mask naming no dimension, a measure with a negative value in some cell
/// (the dominance rules assume non-negative contributions such as hours and amounts), or a grid
/// too large for disclosure control (see validate()).
table_set tables_from_state(const aggregator& state, std::span<const std::uint64_t> grouping_masks,
                            person_handover persons = person_handover::hashes);
/// The same for grouping sets.
table_set tables_from_state(const aggregator& state, std::span<const grouping_set> groupings,
                            person_handover persons = person_handover::hashes);

/// Where a cell of a published grouping is: its grouping's position in table_set::groupings and
/// its global number among the published cells (the index into suppression_pattern and
/// perturbed_tables vectors).
struct published_cell {
  std::size_t grouping = 0;
  std::uint64_t number = 0;
};

/// The published cell of the grouping with mask `grouping_mask` whose kept dimensions have the
/// level indices `levels` (in schema order, sex first when kept: rollup_cell::levels).
/// Throws usage_error when no published grouping has that mask or a level is out of range.
published_cell locate(const table_set& tables, std::uint64_t grouping_mask, std::span<const std::uint32_t> levels);

/// The status of one statistic family of a published cell in a pattern (`index` = the outcome or
/// measure; ignored for counts). Throws usage_error when `index` or the cell is out of range.
cell_status status_of(const suppression_pattern& pattern, std::uint64_t cell, statistic_family family, std::size_t index = 0);

}  // namespace jamstat::disclosure
