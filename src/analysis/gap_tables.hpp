// Private: the gap report's aggregation of cells into groupings (sums of counts, pooled moments) and
// of target-group cells, in dense arrays indexed by a mixed-radix key over the kept dimensions and a
// sex slot. One pass over the cells per table, no allocation per cell.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "jamstat/analysis/gap_input.hpp"
#include "jamstat/analysis/resources.hpp"

namespace jamstat::analysis::detail {

/// Sex codes as slots: 0 not known, 1 men, 2 women, 3 not applicable (ISO/IEC 5218 order).
inline constexpr std::size_t sex_slots = 4;
inline constexpr std::size_t not_known_slot = 0, men_slot = 1, women_slot = 2, not_applicable_slot = 3;
inline std::size_t sex_slot(std::int32_t code) { return code == 9 ? 3 : static_cast<std::size_t>(code); }

/// Count, sum, mean and M2 (sum of squared deviations) of a measure, merged by Chan et al.
struct pooled_moments {
  std::uint64_t count = 0;
  double sum = 0.0;
  double mean = 0.0;
  double m2 = 0.0;

  void add(const measure_moments& m);
  sample_moments sample() const;
};

/// The mixed-radix key layout over some dimensions.
struct key_layout {
  std::vector<std::size_t> dimensions;  ///< schema dimension indices, ascending
  std::vector<std::size_t> radices;     ///< their level counts
  std::size_t keys = 1;

  key_layout(std::vector<std::size_t> dims, const std::vector<std::size_t>& level_counts);
  /// The level of dimensions[position] in key.
  std::uint32_t level(std::size_t key, std::size_t position) const;
  /// The position of schema dimension d in `dimensions`, or npos.
  std::size_t position_of(std::size_t d) const;
};

/// One period's cells summed over the dimensions not kept.
class group_table {
 public:
  /// `masks[i]`: bit d set when cells' i-th cell has a level for dimension d (not all_levels).
  group_table(const gap_cells& cells, const std::vector<std::uint64_t>& masks, key_layout layout);

  const key_layout& layout() const { return layout_; }
  std::uint64_t participations(std::size_t key, std::size_t slot) const { return participations_[key * sex_slots + slot]; }
  /// persons_unknown when any contributing cell's persons are unknown.
  std::uint64_t persons(std::size_t key, std::size_t slot) const { return persons_[key * sex_slots + slot]; }
  std::uint64_t successes(std::size_t key, std::size_t slot, std::size_t outcome) const {
    return successes_[(key * sex_slots + slot) * outcomes_ + outcome];
  }
  const pooled_moments& moments(std::size_t key, std::size_t slot, std::size_t measure) const {
    return moments_[(key * sex_slots + slot) * measures_ + measure];
  }
  /// True when the cells used were exactly at this grouping (persons are exact distinct counts).
  bool persons_exact() const { return persons_exact_; }

 private:
  key_layout layout_;
  std::size_t outcomes_, measures_;
  std::vector<std::uint64_t> participations_, persons_, successes_;
  std::vector<pooled_moments> moments_;
  bool persons_exact_ = true;
};

/// Target-group populations summed over the target's dimensions not kept.
class population_table {
 public:
  /// layout's dimensions must all be among the target's.
  population_table(const target_group& target, key_layout layout);
  const key_layout& layout() const { return layout_; }
  std::uint64_t population(std::size_t key, std::size_t slot) const { return population_[key * sex_slots + slot]; }

 private:
  key_layout layout_;
  std::vector<std::uint64_t> population_;
};

}  // namespace jamstat::analysis::detail
