// The person-free form of a state: distinct persons frozen as counts, no person hashes.
#pragma once

#include <cstdint>
#include <span>

#include "jamstat/engine/aggregator.hpp"

namespace jamstat {

/// A person-free copy of a state that counts persons: the same cells, counts, outcomes, measures,
/// tallies and anonymous participants, but instead of the keyed hashes of person ids only the
/// distinct persons of every non-empty cell of the groupings `grouping_masks` (bit d set =
/// schema dimension d kept, bit 0 = sex; 0 = the total). The finest grouping (every dimension)
/// is always frozen, so that disclosure control knows each finest cell's persons; an empty span
/// freezes every grouping of the cube (what `jamstat report` can publish).
///
/// Why: whoever holds the person key can hash every possible personnummer and find who is in
/// which cell of a state with hashes (pseudonymised personal data). A person-free state holds no
/// identifier of anyone; send it to whoever should not hold the key. What is lost: it takes no
/// more records and cannot be merged (distinct persons do not add up across states), and the
/// distinct persons of a grouping not frozen are unknown (roll-ups leave them empty); the cell
/// key method falls back to keys from the cells (docs/disclosure.md).
///
/// Throws usage_error for a state that does not count persons (it holds no hashes: it is
/// person-free as it is), an already person-free state, a mask naming a dimension the schema
/// does not have, a repeated mask, or more than 2^20 groupings.
aggregator person_free(const aggregator& state, std::span<const std::uint64_t> grouping_masks = {});

}  // namespace jamstat
