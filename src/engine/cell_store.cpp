#include "jamstat/engine/cell_store.hpp"

#include <algorithm>
#include <limits>

#include "jamstat/engine/errors.hpp"

namespace jamstat {

bool cell_store::dense_suits(const schema& s, bool count_persons) noexcept {
  if (s.finest_cell_count() > dense_cell_limit) return false;
  std::uint64_t per_cell = 8 + 8 * s.outcomes().size() + (count_persons ? sizeof(person_set) : 0);
  for (std::size_t m = 0; m < s.numeric_measures().size(); ++m)
    per_cell += s.domain(m).kind == measure_kind::decimal ? sizeof(decimal_moments) : sizeof(floating_accumulator);
  const std::size_t p = s.cross_product_variables().size();
  per_cell += sizeof(int128_t) * p * (p + 1) / 2;
  return s.finest_cell_count() * per_cell <= dense_byte_limit;
}

cell_store::cell_store(std::shared_ptr<const schema> s, bool count_persons, layout how)
    : schema_(std::move(s)),
      dense_(how == layout::automatic && dense_suits(*schema_, count_persons)),
      count_persons_(count_persons),
      successes_(schema_->outcomes().size()),
      floating_(schema_->numeric_measures().size()),
      decimal_(schema_->numeric_measures().size()),
      cross_pairs_(schema_->cross_product_variables().size() * (schema_->cross_product_variables().size() + 1) / 2) {
  for (std::size_t m = 0; m < schema_->numeric_measures().size(); ++m) decimals_.push_back(schema_->domain(m).decimals);
  const auto& dims = schema_->dimensions();
  radix_.assign(dims.size(), 1);
  for (std::size_t d = dims.size(); d-- > 1;) radix_[d - 1] = radix_[d] * dims[d].cardinality();
  if (dense_) {
    const std::size_t n = static_cast<std::size_t>(schema_->finest_cell_count());
    participations_.assign(n, 0);
    for (auto& s_o : successes_) s_o.assign(n, 0);
    for (std::size_t m = 0; m < floating_.size(); ++m) {
      if (schema_->domain(m).kind == measure_kind::decimal)
        decimal_[m].assign(n, decimal_moments{});
      else
        floating_[m].assign(n, floating_accumulator{});
    }
    if (count_persons_) persons_.resize(n);
    cross_.assign(n * cross_pairs_, 0);
  }
}

void cell_store::densify() {
  if (dense_ || !dense_suits(*schema_, count_persons_)) return;
  cell_store dense(schema_, count_persons_, layout::automatic);
  for (std::uint32_t slot = 0; slot < slot_count(); ++slot) {
    const std::uint64_t cell = cell_of_slot_[slot];
    dense.participations_[cell] = participations_[slot];
    for (std::size_t o = 0; o < successes_.size(); ++o) dense.successes_[o][cell] = successes_[o][slot];
    for (std::size_t m = 0; m < floating_.size(); ++m) {
      if (!decimal_[m].empty())
        dense.decimal_[m][cell] = decimal_[m][slot];
      else
        dense.floating_[m][cell] = floating_[m][slot];
    }
    if (count_persons_) dense.persons_[cell] = std::move(persons_[slot]);
    std::copy_n(cross_.data() + std::size_t{slot} * cross_pairs_, cross_pairs_, dense.cross_.data() + cell * cross_pairs_);
  }
  *this = std::move(dense);
}

std::uint32_t cell_store::sparse_slot_for(std::uint64_t cell) {
  auto [it, inserted] = slot_of_cell_.try_emplace(cell, static_cast<std::uint32_t>(cell_of_slot_.size()));
  if (inserted) {
    if (cell_of_slot_.size() >= std::numeric_limits<std::uint32_t>::max())
      throw usage_error("more than 2^32 - 1 non-empty cells");
    add_slot(cell);
  }
  return it->second;
}

void cell_store::add_slot(std::uint64_t cell) {
  cell_of_slot_.push_back(cell);
  participations_.push_back(0);
  for (auto& s_o : successes_) s_o.push_back(0);
  for (std::size_t m = 0; m < floating_.size(); ++m) {
    if (schema_->domain(m).kind == measure_kind::decimal)
      decimal_[m].emplace_back();
    else
      floating_[m].emplace_back();
  }
  if (count_persons_) persons_.emplace_back();
  cross_.resize(cross_.size() + cross_pairs_, 0);
}

void cell_store::decode(std::uint64_t cell, std::uint32_t* levels) const noexcept {
  for (std::size_t d = 0; d < radix_.size(); ++d) {
    levels[d] = static_cast<std::uint32_t>(cell / radix_[d]);
    cell %= radix_[d];
  }
}

std::uint64_t cell_store::encode(const std::uint32_t* levels) const noexcept {
  std::uint64_t cell = 0;
  for (std::size_t d = 0; d < radix_.size(); ++d) cell += levels[d] * radix_[d];
  return cell;
}

void cell_store::merge(const cell_store& other) {
  if (other.schema_->fingerprint() != schema_->fingerprint() || !(*other.schema_ == *schema_))
    throw schema_mismatch_error("cannot merge cell stores of different schemas");
  // First check that no cell's participations overflow (successes and measure counts are at most
  // the participations), so that an overflow leaves this store unchanged.
  for (std::uint32_t os = 0; os < other.slot_count(); ++os) {
    const std::uint64_t n = other.participations_[os];
    if (n == 0) continue;
    const std::uint64_t cell = other.cell_of(os);
    std::uint64_t mine = 0;
    if (dense_) {
      mine = participations_[cell];
    } else if (const auto it = slot_of_cell_.find(cell); it != slot_of_cell_.end()) {
      mine = participations_[it->second];
    }
    if (mine + n < mine)
      throw overflow_error("merge: a cell would hold more than 2^64 - 1 participations; nothing was merged");
  }
  for (std::uint32_t os = 0; os < other.slot_count(); ++os) {
    const std::uint64_t n = other.participations_[os];
    if (n == 0) continue;
    const std::uint32_t s = slot_for(other.cell_of(os));
    participations_[s] += n;
    for (std::size_t o = 0; o < successes_.size(); ++o) successes_[o][s] += other.successes_[o][os];
    for (std::size_t m = 0; m < floating_.size(); ++m) {
      if (!decimal_[m].empty())
        decimal_[m][s].merge(other.decimal_[m][os]);
      else
        floating_[m][s].merge(other.floating_[m][os]);
    }
    if (count_persons_ && other.count_persons_) persons_[s].merge(other.persons_[os]);
    // Exact integer sums: |z_i z_j| < 2^62 and a cell holds fewer than 2^64 participations
    // (checked above), so no sum can leave 128 bits (docs/engine.md, "Cross-products").
    int128_t* mine = cross_.data() + std::size_t{s} * cross_pairs_;
    const int128_t* theirs = other.cross_.data() + std::size_t{os} * cross_pairs_;
    for (std::size_t k = 0; k < cross_pairs_; ++k) mine[k] += theirs[k];
  }
}

void cell_store::clear_slot(std::uint32_t slot) noexcept {
  participations_[slot] = 0;
  for (auto& s_o : successes_) s_o[slot] = 0;
  for (auto& m : floating_)
    if (!m.empty()) m[slot] = floating_accumulator{};
  for (auto& m : decimal_)
    if (!m.empty()) m[slot] = decimal_moments{};
  std::fill_n(cross_.data() + std::size_t{slot} * cross_pairs_, cross_pairs_, 0);
}

std::size_t cell_store::memory_bytes() const noexcept {
  std::size_t bytes = participations_.capacity() * sizeof(std::uint64_t);
  for (const auto& s_o : successes_) bytes += s_o.capacity() * sizeof(std::uint64_t);
  for (const auto& m : floating_) bytes += m.capacity() * sizeof(floating_accumulator);
  for (const auto& m : decimal_) bytes += m.capacity() * sizeof(decimal_moments);
  bytes += cross_.capacity() * sizeof(int128_t);
  bytes += persons_.capacity() * sizeof(person_set);
  for (const person_set& p : persons_) bytes += p.hashes().size() * sizeof(std::uint64_t);
  bytes += cell_of_slot_.capacity() * sizeof(std::uint64_t);
  bytes += slot_of_cell_.size() * (sizeof(std::uint64_t) + sizeof(std::uint32_t) + 2 * sizeof(void*));
  return bytes;
}

}  // namespace jamstat
