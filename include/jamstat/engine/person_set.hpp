// The distinct persons of one finest cell, held as keyed 64-bit hashes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace jamstat {

/// An exact set of person hashes. Appends are O(1) amortized; the set is compacted (the new tail
/// radix-sorted and merged into the sorted part, duplicates dropped) whenever it has doubled since
/// the last compaction, and at the end of every batch, so between calls it never holds more than
/// about twice as many entries as there are distinct persons in the cell. Memory therefore grows
/// with the number of distinct (person, finest cell) pairs: 8 bytes each, up to twice that
/// between compactions. This is the one part of the state that grows with the data.
///
/// Exactness: two different persons are counted as one only if their 64-bit SipHash values
/// collide; with n persons the chance of any collision is about n^2 / 2^65 (1e-7 at n = 1e6).
class person_set {
 public:
  void insert(std::uint64_t hash) {
    hashes_.push_back(hash);
    if (hashes_.size() >= 2 * sorted_size_ + 64) compact();
  }
  /// Appends without compacting, for a batch whose caller compacts the sets it touched every few
  /// million rows and at its end.
  void append(std::uint64_t hash) { hashes_.push_back(hash); }
  /// Makes room for `extra` more appends without reallocating.
  void reserve_more(std::size_t extra) { hashes_.reserve(hashes_.size() + extra); }
  /// Asks the kernel to map the reserved, still unused capacity now, in one call, instead of page
  /// by page as appends reach it (a no-op where MADV_POPULATE_WRITE is unknown or for small sets).
  void prefault() noexcept;
  /// Adds every hash of another set.
  void merge(const person_set& other);
  /// Sorts and de-duplicates; afterwards hashes() is the sorted distinct set.
  void compact();
  /// Distinct persons (compacts first).
  std::uint64_t size();
  /// The hashes: sorted and distinct right after compact(), possibly not otherwise.
  std::span<const std::uint64_t> hashes() const noexcept { return hashes_; }
  bool is_compact() const noexcept { return sorted_size_ == hashes_.size(); }

  friend bool operator==(const person_set&, const person_set&) = default;

 private:
  std::vector<std::uint64_t> hashes_;
  std::size_t sorted_size_ = 0;
};

/// Number of distinct values in the union of several compacted sets.
std::uint64_t count_distinct_union(std::span<const person_set* const> sets);

}  // namespace jamstat
