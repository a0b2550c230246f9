#include "jamstat/engine/person_set.hpp"

#include <algorithm>
#include <array>
#include <bit>

namespace jamstat {

namespace {

// LSD radix sort of 64-bit values, 11 bits a pass (a 2,048-entry histogram stays in L1); six passes
// cover 64 bits. Person hashes are uniformly random, so no pass can be skipped; for short ranges
// std::sort is faster.
void radix_sort(std::uint64_t* data, std::size_t n, std::vector<std::uint64_t>& buffer) {
  if (n < 512) {
    std::sort(data, data + n);
    return;
  }
  buffer.resize(n);
  std::uint64_t* from = data;
  std::uint64_t* to = buffer.data();
  constexpr int bits = 11;
  constexpr std::size_t buckets = std::size_t{1} << bits;
  for (int shift = 0; shift < 64; shift += bits) {
    std::array<std::size_t, buckets> count{};
    for (std::size_t i = 0; i < n; ++i) ++count[(from[i] >> shift) & (buckets - 1)];
    std::size_t sum = 0;
    for (std::size_t& c : count) {
      const std::size_t here = c;
      c = sum;
      sum += here;
    }
    for (std::size_t i = 0; i < n; ++i) to[count[(from[i] >> shift) & (buckets - 1)]++] = from[i];
    std::swap(from, to);
  }
  if (from != data) std::copy(from, from + n, data);  // six passes: the result is back in data
}

}  // namespace

void person_set::merge(const person_set& other) {
  hashes_.insert(hashes_.end(), other.hashes_.begin(), other.hashes_.end());
  if (hashes_.size() >= 2 * sorted_size_ + 64) compact();
}

void person_set::compact() {
  if (sorted_size_ == hashes_.size()) return;
  // Sort only what was appended since the last compaction, then merge it into the sorted prefix.
  thread_local std::vector<std::uint64_t> buffer;
  const auto tail = hashes_.begin() + static_cast<std::ptrdiff_t>(sorted_size_);
  radix_sort(hashes_.data() + sorted_size_, hashes_.size() - sorted_size_, buffer);
  if (sorted_size_ > 0) {
    std::inplace_merge(hashes_.begin(), tail, hashes_.end());
    hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
  } else {
    hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
  }
  if (hashes_.capacity() > 2 * hashes_.size() + 64) hashes_.shrink_to_fit();
  sorted_size_ = hashes_.size();
}

std::uint64_t person_set::size() {
  compact();
  return hashes_.size();
}

std::uint64_t count_distinct_union(std::span<const person_set* const> sets) {
  std::size_t total = 0;
  for (const person_set* s : sets) total += s->hashes().size();
  if (total == 0) return 0;
  bool all_compact = true;
  for (const person_set* s : sets) all_compact = all_compact && s->is_compact();
  if (total < 4096 || !all_compact) {
    std::vector<std::uint64_t> all;
    all.reserve(total);
    for (const person_set* s : sets) all.insert(all.end(), s->hashes().begin(), s->hashes().end());
    thread_local std::vector<std::uint64_t> buffer;
    radix_sort(all.data(), all.size(), buffer);
    return static_cast<std::uint64_t>(std::unique(all.begin(), all.end()) - all.begin());
  }
  // Every set is sorted, so the values with the same top bits form one run in each set. Walk the
  // sets bucket by bucket (about 4,096 values a bucket) and count each bucket's distinct values
  // in a small open-addressing table that stays in cache; the hashes are uniformly random, so
  // their low bits are a good table index.
  const int bucket_bits = std::clamp(static_cast<int>(std::bit_width(total / 4096)), 1, 20);
  const int shift = 64 - bucket_bits;
  std::vector<std::uint64_t> table;
  std::vector<std::uint8_t> used;
  std::vector<std::size_t> filled;
  std::vector<std::size_t> cursor(sets.size(), 0), end(sets.size(), 0);
  std::uint64_t distinct = 0;
  for (std::uint64_t bucket = 0; bucket < (std::uint64_t{1} << bucket_bits); ++bucket) {
    std::size_t bucket_size = 0;
    for (std::size_t m = 0; m < sets.size(); ++m) {
      const auto h = sets[m]->hashes();
      std::size_t e = cursor[m];
      while (e < h.size() && (h[e] >> shift) == bucket) ++e;
      end[m] = e;
      bucket_size += e - cursor[m];
    }
    if (bucket_size * 2 > table.size()) {  // at most half full: short probe sequences
      table.assign(std::bit_ceil(bucket_size * 2), 0);
      used.assign(table.size(), 0);
    }
    const std::size_t mask = table.size() - 1;
    for (std::size_t m = 0; m < sets.size(); ++m) {
      const auto h = sets[m]->hashes();
      for (std::size_t i = cursor[m]; i < end[m]; ++i) {
        std::size_t slot = h[i] & mask;
        while (used[slot] && table[slot] != h[i]) slot = (slot + 1) & mask;
        if (used[slot]) continue;
        used[slot] = 1;
        table[slot] = h[i];
        filled.push_back(slot);
      }
      cursor[m] = end[m];
    }
    distinct += filled.size();
    for (std::size_t f : filled) used[f] = 0;
    filled.clear();
  }
  return distinct;
}

}  // namespace jamstat
