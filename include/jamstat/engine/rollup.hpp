// Roll-ups: the statistics of any grouping set, the full cube of marginals, and the total.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/grouping_set.hpp"
#include "jamstat/engine/moments.hpp"

namespace jamstat {

/// One cell of a roll-up.
struct rollup_cell {
  /// Level index (position in dimension::levels()) of each grouped dimension, in the order of
  /// grouping_set::dimensions().
  std::vector<std::uint32_t> levels;
  std::uint64_t participations = 0;       ///< records
  std::vector<std::uint64_t> successes;   ///< per outcome
  std::vector<moments> numerics;          ///< per numeric measure
  std::optional<std::uint64_t> persons;   ///< distinct persons, when the aggregator counts them
  /// Participants known only by sex (aggregator::add_anonymous). Non-zero only in roll-ups
  /// whose grouping set has no dimension but sex; never part of `participations`, so the
  /// outcome proportions and means stay those of the recorded participations.
  std::uint64_t anonymous_participants = 0;

  /// successes[o] / participations; NaN when the cell has no participations.
  double proportion(std::size_t outcome) const noexcept;
};

/// The non-empty cells of one grouping set, sorted by their level indices.
class rollup_table {
 public:
  rollup_table(grouping_set grouping, std::vector<rollup_cell> cells)
      : grouping_(std::move(grouping)), cells_(std::move(cells)) {}
  const grouping_set& grouping() const noexcept { return grouping_; }
  const std::vector<rollup_cell>& cells() const noexcept { return cells_; }
  /// The cell with these level indices (grouping order), or nullptr when it is empty.
  const rollup_cell* find(std::span<const std::uint32_t> levels) const noexcept;

 private:
  grouping_set grouping_;
  std::vector<rollup_cell> cells_;
};

/// Statistics at a grouping set, equal to aggregating the records directly at that grouping:
/// counts and distinct persons exactly; moments combined with Chan's formula.
rollup_table rollup(const aggregator& a, const grouping_set& grouping);

/// The full cube: one table per subset of the dimensions, indexed by grouping_set::mask()
/// (bit d = dimension d, sex = bit 0), so element 0 is the total and the last the finest cells.
/// Throws usage_error for more than 20 dimensions (2^20 tables).
std::vector<rollup_table> cube(const aggregator& a);

/// The total ("Totalt"): one cell over everything, anonymous participants included.
rollup_cell total(const aggregator& a);

}  // namespace jamstat
