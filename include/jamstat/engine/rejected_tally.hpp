// The rejected-records tally: how many records were refused, by reason and by field.
#pragma once

#include <cstdint>
#include <vector>

#include "jamstat/engine/rejection_reason.hpp"

namespace jamstat {

/// Part of every aggregator's state (merged and serialized with it). A record with several bad
/// fields is counted once, under the first bad field in schema field order (dimensions,
/// outcomes, numeric measures, person_id) so that total() equals the number of records refused.
class rejected_tally {
 public:
  explicit rejected_tally(std::size_t field_count)
      : field_count_(field_count), counts_(field_count * rejection_reason_count, 0) {}

  /// Records `records` rejected records (one by default).
  void count(rejection_reason reason, std::size_t field, std::uint64_t records = 1);
  /// Number of records rejected for any reason.
  std::uint64_t total() const noexcept { return total_; }
  std::uint64_t by_reason(rejection_reason reason) const noexcept;
  std::uint64_t by_field(std::size_t field) const noexcept;
  std::uint64_t at(rejection_reason reason, std::size_t field) const noexcept;
  std::size_t field_count() const noexcept { return field_count_; }
  /// Adds another tally of the same schema.
  void merge(const rejected_tally& other);

  friend bool operator==(const rejected_tally&, const rejected_tally&) = default;

 private:
  std::size_t field_count_;
  std::vector<std::uint64_t> counts_;  // [reason][field]
  std::uint64_t total_ = 0;
};

}  // namespace jamstat
