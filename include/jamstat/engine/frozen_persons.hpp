// Distinct persons frozen per cell of chosen groupings: what a person-free state keeps instead of
// person hashes (docs/state-format.md, "Person-free states").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace jamstat {

/// The distinct persons of every non-empty cell of some grouping sets, counted once from the
/// person hashes and kept as plain counts. Distinct persons do not add up (one person can be in
/// several finest cells), so a grouping whose counts were not frozen cannot be derived from the
/// others: a person-free state knows the persons of exactly the groupings frozen in it.
class frozen_persons {
 public:
  /// The counts of one grouping set (bit d of `mask` set = schema dimension d kept; 0 = the
  /// total). Cells in the roll-up's order (ascending level indices); `levels` holds `width`
  /// level indices per cell, in schema order of the kept dimensions.
  struct grouping {
    std::uint64_t mask = 0;
    std::size_t width = 0;
    std::vector<std::uint32_t> levels;
    std::vector<std::uint64_t> persons;
    std::size_t cells() const noexcept { return persons.size(); }
  };

  /// Adds a grouping's counts; groupings are kept in ascending mask order. Throws usage_error
  /// when the mask is there already or the arrays' sizes disagree.
  void add(grouping g);
  /// The counts of the grouping with this mask, or null when it was not frozen.
  const grouping* find(std::uint64_t mask) const noexcept;
  /// Every grouping frozen, ascending by mask.
  const std::vector<grouping>& groupings() const noexcept { return groupings_; }

 private:
  std::vector<grouping> groupings_;
};

}  // namespace jamstat
