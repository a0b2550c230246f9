#include "jamstat/engine/cell_store.hpp"

#include <limits>

#include "jamstat/engine/errors.hpp"

namespace jamstat {

cell_store::cell_store(std::shared_ptr<const schema> s, bool count_persons)
    : schema_(std::move(s)),
      dense_(schema_->finest_cell_count() <= dense_cell_limit),
      count_persons_(count_persons),
      successes_(schema_->outcomes().size()),
      numerics_(schema_->numeric_measures().size()) {
  const auto& dims = schema_->dimensions();
  radix_.assign(dims.size(), 1);
  for (std::size_t d = dims.size(); d-- > 1;) radix_[d - 1] = radix_[d] * dims[d].cardinality();
  if (dense_) {
    const std::size_t n = static_cast<std::size_t>(schema_->finest_cell_count());
    participations_.assign(n, 0);
    for (auto& s_o : successes_) s_o.assign(n, 0);
    for (auto& m : numerics_) m.assign(n, moments{});
    if (count_persons_) persons_.resize(n);
  }
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
  for (auto& m : numerics_) m.emplace_back();
  if (count_persons_) persons_.emplace_back();
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
  for (std::uint32_t os = 0; os < other.slot_count(); ++os) {
    const std::uint64_t n = other.participations_[os];
    if (n == 0) continue;
    const std::uint32_t s = slot_for(other.cell_of(os));
    participations_[s] += n;
    for (std::size_t o = 0; o < successes_.size(); ++o) successes_[o][s] += other.successes_[o][os];
    for (std::size_t m = 0; m < numerics_.size(); ++m) numerics_[m][s].merge(other.numerics_[m][os]);
    if (count_persons_ && other.count_persons_) persons_[s].merge(other.persons_[os]);
  }
}

std::size_t cell_store::memory_bytes() const noexcept {
  std::size_t bytes = participations_.capacity() * sizeof(std::uint64_t);
  for (const auto& s_o : successes_) bytes += s_o.capacity() * sizeof(std::uint64_t);
  for (const auto& m : numerics_) bytes += m.capacity() * sizeof(moments);
  bytes += persons_.capacity() * sizeof(person_set);
  for (const person_set& p : persons_) bytes += p.hashes().size() * sizeof(std::uint64_t);
  bytes += cell_of_slot_.capacity() * sizeof(std::uint64_t);
  bytes += slot_of_cell_.size() * (sizeof(std::uint64_t) + sizeof(std::uint32_t) + 2 * sizeof(void*));
  return bytes;
}

}  // namespace jamstat
