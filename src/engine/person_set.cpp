#include "jamstat/engine/person_set.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <iterator>

#include "jamstat/engine/prefaulting_allocator.hpp"

namespace jamstat {

namespace {

// Sorts person hashes. They are keyed SipHash values, uniformly distributed, so an LSD radix sort
// on only the top ~log2(n) + 4 bits (11 bits a pass, a 2,048-entry histogram stays in L1) leaves
// each value within a run of about 1/16 equal-prefix neighbours, and one insertion-sort pass
// finishes the job in linear expected time: two passes for up to 2^18 values instead of the six a
// full 64-bit sort needs. The insertion sort is given a budget of moves; should it run out (it
// cannot for hashes under a secret key, but the code does not rely on that) std::sort finishes.
void sort_hashes(std::uint64_t* data, std::size_t n, std::vector<std::uint64_t>& buffer) {
  if (n < 256) {
    std::sort(data, data + n);
    return;
  }
  constexpr int bits = 11;
  constexpr std::size_t buckets = std::size_t{1} << bits;
  const int wanted_bits = std::min(64, static_cast<int>(std::bit_width(n)) + 4);
  const int passes = (wanted_bits + bits - 1) / bits;
  const int lowest = std::max(0, 64 - passes * bits);  // the lowest bit sorted on
  buffer.resize(n);
  std::uint64_t* from = data;
  std::uint64_t* to = buffer.data();
  for (int shift = lowest; shift < 64; shift += bits) {
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
  if (from != data) std::copy(from, from + n, data);
  if (lowest == 0) return;
  std::size_t budget = 8 * n;
  for (std::size_t i = 1; i < n; ++i) {
    const std::uint64_t v = data[i];
    std::size_t j = i;
    while (j > 0 && data[j - 1] > v) {
      data[j] = data[j - 1];
      --j;
    }
    data[j] = v;
    const std::size_t moved = i - j;
    if (moved > budget) {
      std::sort(data, data + n);
      return;
    }
    budget -= moved;
  }
}

}  // namespace

void person_set::prefault() noexcept {
  const std::size_t spare = hashes_.capacity() - hashes_.size();
  if (spare * sizeof(std::uint64_t) >= 4 * 4096) detail::populate_pages(hashes_.data() + hashes_.size(), spare * sizeof(std::uint64_t));
}

void person_set::merge(const person_set& other) {
  if (other.hashes_.empty()) return;
  if (is_compact() && other.is_compact()) {
    // Both sorted (the usual case: merging aggregators after their batches): one linear union
    // into memory sized and populated once, instead of appending, re-sorting what is already
    // sorted and merging in place.
    person_set merged;
    merged.hashes_.reserve(hashes_.size() + other.hashes_.size());
    merged.prefault();
    std::set_union(hashes_.begin(), hashes_.end(), other.hashes_.begin(), other.hashes_.end(), std::back_inserter(merged.hashes_));
    merged.sorted_size_ = merged.hashes_.size();
    *this = std::move(merged);
    return;
  }
  hashes_.insert(hashes_.end(), other.hashes_.begin(), other.hashes_.end());
  if (hashes_.size() >= 2 * sorted_size_ + 64) compact();
}

void person_set::compact() {
  if (sorted_size_ == hashes_.size()) return;
  // Sort only what was appended since the last compaction, then merge it into the sorted prefix.
  thread_local std::vector<std::uint64_t> buffer;
  const auto tail = hashes_.begin() + static_cast<std::ptrdiff_t>(sorted_size_);
  sort_hashes(hashes_.data() + sorted_size_, hashes_.size() - sorted_size_, buffer);
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
    sort_hashes(all.data(), all.size(), buffer);
    return static_cast<std::uint64_t>(std::unique(all.begin(), all.end()) - all.begin());
  }
  // Every set is sorted, so the values with the same top bits form one run in each set. Walk the
  // sets bucket by bucket (about 1,024 values a bucket) and count each bucket's distinct values
  // in a small open-addressing table that stays in L1; the hashes are uniformly random, so their
  // low bits are a good table index. 0 marks an empty slot; the value 0 itself is tracked apart.
  const int bucket_bits = std::clamp(static_cast<int>(std::bit_width(total / 1024)), 1, 24);
  const int shift = 64 - bucket_bits;
  std::vector<std::uint64_t> table;
  std::vector<std::size_t> cursor(sets.size(), 0), end(sets.size(), 0);
  std::uint64_t distinct = 0;
  bool zero_seen = false;
  for (std::uint64_t bucket = 0; bucket < (std::uint64_t{1} << bucket_bits); ++bucket) {
    std::size_t bucket_size = 0;
    for (std::size_t m = 0; m < sets.size(); ++m) {
      const auto h = sets[m]->hashes();
      const std::size_t from = cursor[m];
      std::size_t e = from;
      while (e < h.size() && (h[e] >> shift) == bucket) ++e;
      end[m] = e;
      bucket_size += e - from;
    }
    if (bucket_size == 0) continue;
    const std::size_t size = std::bit_ceil(bucket_size * 2);  // at most half full: short probes
    if (table.size() < size) table.resize(size);
    std::uint64_t* slots = table.data();
    std::fill_n(slots, size, 0);
    const std::size_t mask = size - 1;
    std::uint64_t here = 0;
    for (std::size_t m = 0; m < sets.size(); ++m) {
      const auto h = sets[m]->hashes();
      for (std::size_t i = cursor[m]; i < end[m]; ++i) {
        const std::uint64_t v = h[i];
        if (v == 0) {
          zero_seen = true;
          continue;
        }
        std::size_t slot = v & mask;
        while (slots[slot] != 0 && slots[slot] != v) slot = (slot + 1) & mask;
        here += slots[slot] == 0;
        slots[slot] = v;
      }
      cursor[m] = end[m];
    }
    distinct += here;
  }
  distinct += zero_seen ? 1 : 0;
  return distinct;
}

}  // namespace jamstat
