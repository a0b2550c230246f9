// A grouping set: which dimensions a roll-up keeps.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "jamstat/engine/schema.hpp"

namespace jamstat {

/// Whether a grouping set built from names keeps the sex dimension. Every statistic is
/// sex-disaggregated unless the caller says otherwise, so keeping it is the default.
enum class sex_grouping { keep, drop };

/// The dimensions kept by a roll-up, as schema dimension indices in schema order.
class grouping_set {
 public:
  /// The named dimensions, plus sex unless `sex` is drop (naming "sex" with drop is an
  /// error). Throws usage_error for an unknown or repeated name.
  static grouping_set of(const schema& s, std::initializer_list<std::string_view> names,
                         sex_grouping sex = sex_grouping::keep);
  static grouping_set of(const schema& s, const std::vector<std::string_view>& names,
                         sex_grouping sex = sex_grouping::keep);
  /// Exactly these dimension indices (no implicit sex). Throws usage_error when out of range.
  static grouping_set from_indices(const schema& s, std::vector<std::size_t> dimensions);
  /// Bit d of `mask` set = dimension d kept (bit 0 = sex). Throws usage_error when a bit
  /// names no dimension.
  static grouping_set from_mask(const schema& s, std::uint64_t mask);
  /// Every dimension: the finest cells.
  static grouping_set finest(const schema& s);
  /// No dimension: the total ("Totalt").
  static grouping_set total() { return grouping_set{}; }

  const std::vector<std::size_t>& dimensions() const noexcept { return dimensions_; }
  std::uint64_t mask() const noexcept;
  bool keeps(std::size_t dimension) const noexcept;
  friend bool operator==(const grouping_set&, const grouping_set&) = default;

 private:
  std::vector<std::size_t> dimensions_;
};

}  // namespace jamstat
