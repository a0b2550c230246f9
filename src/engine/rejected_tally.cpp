#include "jamstat/engine/rejected_tally.hpp"

#include "jamstat/engine/errors.hpp"

namespace jamstat {

std::string_view to_string(rejection_reason reason) noexcept {
  switch (reason) {
    case rejection_reason::sex_missing: return "sex_missing";
    case rejection_reason::sex_not_iso5218: return "sex_not_iso5218";
    case rejection_reason::code_missing: return "code_missing";
    case rejection_reason::code_unknown: return "code_unknown";
    case rejection_reason::outcome_not_binary: return "outcome_not_binary";
    case rejection_reason::measure_not_finite: return "measure_not_finite";
    case rejection_reason::person_id_missing: return "person_id_missing";
    case rejection_reason::measure_off_resolution: return "measure_off_resolution";
    case rejection_reason::measure_out_of_range: return "measure_out_of_range";
  }
  return "unknown_reason";
}

void rejected_tally::count(rejection_reason reason, std::size_t field, std::uint64_t records) {
  if (field >= field_count_) throw usage_error("rejected_tally: field index out of range");
  if (static_cast<std::size_t>(reason) >= rejection_reason_count) throw usage_error("rejected_tally: unknown reason");
  // Every entry is at most the total, so checking the total checks them all.
  if (total_ + records < total_) throw overflow_error("rejected_tally: more than 2^64 - 1 rejected records");
  counts_[static_cast<std::size_t>(reason) * field_count_ + field] += records;
  total_ += records;
}

std::uint64_t rejected_tally::by_reason(rejection_reason reason) const noexcept {
  std::uint64_t sum = 0;
  const std::size_t r = static_cast<std::size_t>(reason);
  for (std::size_t f = 0; f < field_count_; ++f) sum += counts_[r * field_count_ + f];
  return sum;
}

std::uint64_t rejected_tally::by_field(std::size_t field) const noexcept {
  std::uint64_t sum = 0;
  if (field >= field_count_) return 0;
  for (std::size_t r = 0; r < rejection_reason_count; ++r) sum += counts_[r * field_count_ + field];
  return sum;
}

std::uint64_t rejected_tally::at(rejection_reason reason, std::size_t field) const noexcept {
  if (field >= field_count_) return 0;
  return counts_[static_cast<std::size_t>(reason) * field_count_ + field];
}

void rejected_tally::merge(const rejected_tally& other) {
  if (other.field_count_ != field_count_) throw schema_mismatch_error("rejected tallies of different schemas");
  if (total_ + other.total_ < total_) throw overflow_error("rejected_tally: more than 2^64 - 1 rejected records");
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
}

}  // namespace jamstat
