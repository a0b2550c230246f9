#include "jamstat/engine/person_set.hpp"

#include <algorithm>

namespace jamstat {

void person_set::merge(const person_set& other) {
  hashes_.insert(hashes_.end(), other.hashes_.begin(), other.hashes_.end());
  if (hashes_.size() >= 2 * sorted_size_ + 64) compact();
}

void person_set::compact() {
  if (sorted_size_ == hashes_.size()) return;
  std::sort(hashes_.begin(), hashes_.end());
  hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
  hashes_.shrink_to_fit();
  sorted_size_ = hashes_.size();
}

std::uint64_t person_set::size() {
  compact();
  return hashes_.size();
}

std::uint64_t count_distinct_union(std::span<const person_set* const> sets) {
  std::size_t total = 0;
  for (const person_set* s : sets) total += s->hashes().size();
  std::vector<std::uint64_t> all;
  all.reserve(total);
  for (const person_set* s : sets) all.insert(all.end(), s->hashes().begin(), s->hashes().end());
  std::sort(all.begin(), all.end());
  return static_cast<std::uint64_t>(std::unique(all.begin(), all.end()) - all.begin());
}

}  // namespace jamstat
