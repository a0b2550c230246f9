// Internal: the dense index of a table set's finest cells and published cells, and every
// published cell's values (counts, successes, sums, two largest contributions).
#pragma once

#include <cstdint>
#include <vector>

#include "jamstat/disclosure/table_set.hpp"

namespace jamstat::disclosure::detail {

/// The finest grid and the published groupings of a validated table set. Finest cells are
/// numbered by the mixed-radix index of their levels (dimension 0 most significant); published
/// cells grouping by grouping (see table_set).
class cube {
 public:
  /// Validates `tables` (throws usage_error) and computes every published cell's values.
  explicit cube(const table_set& tables);

  const table_set& tables() const noexcept { return *tables_; }
  std::size_t dimensions() const noexcept { return levels_.size(); }
  std::size_t groupings() const noexcept { return masks_.size(); }
  std::size_t outcomes() const noexcept { return tables_->outcomes.size(); }
  std::size_t measures() const noexcept { return tables_->measures.size(); }
  std::uint64_t finest_count() const noexcept { return finest_count_; }
  std::uint64_t cell_count() const noexcept { return offsets_.back(); }
  std::uint64_t mask(std::size_t g) const noexcept { return masks_[g]; }
  const std::vector<std::uint64_t>& offsets() const noexcept { return offsets_; }

  /// The published cell (global number) of grouping g that contains finest cell f.
  std::uint64_t cell_of(std::size_t g, std::uint64_t f) const noexcept {
    std::uint64_t c = 0;
    for (const auto& [d, stride] : kept_[g]) c += ((f / finest_stride_[d]) % levels_[d]) * stride;
    return offsets_[g] + c;
  }
  /// Grouping of a global published cell number.
  std::size_t grouping_of(std::uint64_t cell) const noexcept;
  /// Index of the published grouping with this mask, or -1.
  std::int64_t grouping_with_mask(std::uint64_t mask) const noexcept;
  std::uint32_t levels(std::size_t d) const noexcept { return levels_[d]; }
  /// Level of dimension d in finest cell f.
  std::uint32_t level(std::uint64_t f, std::size_t d) const noexcept {
    return static_cast<std::uint32_t>((f / finest_stride_[d]) % levels_[d]);
  }
  /// Finest cell f with dimension d set to level l.
  std::uint64_t with_level(std::uint64_t f, std::size_t d, std::uint32_t l) const noexcept {
    return f - static_cast<std::uint64_t>(level(f, d)) * finest_stride_[d] + static_cast<std::uint64_t>(l) * finest_stride_[d];
  }
  /// The published cells of grouping `child` (a grouping that keeps every dimension of the
  /// cell's grouping and d besides) that split `cell` by the levels of d. Appends to `out`.
  void children(std::uint64_t cell, std::size_t child, std::size_t d, std::vector<std::uint64_t>& out) const;
  /// Index of the input finest_cell at finest index f, or -1 when the cell is empty.
  std::int64_t slot(std::uint64_t f) const noexcept { return slot_[f]; }

  // Published values, indexed by global cell number.
  const std::vector<std::uint64_t>& participations() const noexcept { return participations_; }
  /// Distinct persons (participations where persons are not counted).
  const std::vector<std::uint64_t>& persons() const noexcept { return persons_; }
  /// Sum of the finest cells' persons (the additive model of persons).
  const std::vector<std::uint64_t>& persons_sum() const noexcept { return persons_sum_; }
  const std::vector<std::uint64_t>& successes(std::size_t o) const noexcept { return successes_[o]; }
  const std::vector<double>& sums(std::size_t m) const noexcept { return sums_[m]; }
  const std::vector<double>& largest(std::size_t m) const noexcept { return largest_[m]; }
  const std::vector<double>& second_largest(std::size_t m) const noexcept { return second_[m]; }

  /// Finest-cell values as dense vectors over finest indices (0 for empty cells).
  std::vector<double> finest_participations() const;
  std::vector<double> finest_persons() const;
  std::vector<double> finest_successes(std::size_t o) const;
  std::vector<double> finest_sums(std::size_t m) const;

 private:
  void distinct_persons_from_hashes();

  const table_set* tables_;
  std::vector<std::uint32_t> levels_;
  std::vector<std::uint64_t> finest_stride_;
  std::uint64_t finest_count_ = 1;
  std::vector<std::uint64_t> masks_;
  std::vector<std::uint64_t> offsets_;
  std::vector<std::vector<std::pair<std::size_t, std::uint64_t>>> kept_;  // [g]: (dimension, stride in g)
  std::vector<std::int64_t> slot_;
  std::vector<std::uint64_t> finest_index_;  // per input cell

  std::vector<std::uint64_t> participations_, persons_, persons_sum_;
  std::vector<std::vector<std::uint64_t>> successes_;
  std::vector<std::vector<double>> sums_, largest_, second_;
};

}  // namespace jamstat::disclosure::detail
