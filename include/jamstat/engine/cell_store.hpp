// The finest-cell grid: per-cell statistics stored column-wise, dense or sparse.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "jamstat/engine/moments.hpp"
#include "jamstat/engine/person_set.hpp"
#include "jamstat/engine/prefaulting_allocator.hpp"
#include "jamstat/engine/schema.hpp"

namespace jamstat {

/// Statistics of every finest cell (sex x every dimension), addressed by *slot*.
///
/// A cell is identified by its mixed-radix index over the level indices of all dimensions
/// (sex most significant). Storage is
/// - **dense** when the finest grid has at most `dense_cell_limit` cells: slot == cell index,
///   arrays sized for the whole grid up front, so ingesting a record is pure index arithmetic;
/// - **sparse** otherwise: a hash map from cell index to slot, slots appended on first use, so
///   memory is proportional to the number of non-empty cells.
/// 131,072 cells cost about 10 MB with one outcome and one numeric measure, small next to any
/// batch, while a grid wider than that is mostly empty in real data (intersectional grids with
/// municipalities, say), where a dense array would waste far more than the map costs.
///
/// Per slot: participations (records), successes per outcome, moments per numeric measure, and
/// the set of person hashes when persons are counted. Never any microdata.
class cell_store {
 public:
  static constexpr std::uint64_t dense_cell_limit = std::uint64_t{1} << 17;

  cell_store(std::shared_ptr<const schema> s, bool count_persons);

  const schema& schema_ref() const noexcept { return *schema_; }
  bool is_dense() const noexcept { return dense_; }
  bool counts_persons() const noexcept { return count_persons_; }
  /// Number of slots (grid size when dense, cells seen so far when sparse).
  std::size_t slot_count() const noexcept { return participations_.size(); }

  /// Slot of a cell, creating it if sparse and new.
  std::uint32_t slot_for(std::uint64_t cell) {
    if (dense_) return static_cast<std::uint32_t>(cell);
    return sparse_slot_for(cell);
  }
  /// Cell index held by a slot.
  std::uint64_t cell_of(std::uint32_t slot) const noexcept { return dense_ ? slot : cell_of_slot_[slot]; }

  std::uint64_t& participations(std::uint32_t slot) noexcept { return participations_[slot]; }
  std::uint64_t participations(std::uint32_t slot) const noexcept { return participations_[slot]; }
  std::uint64_t* successes(std::size_t outcome) noexcept { return successes_[outcome].data(); }
  const std::uint64_t* successes(std::size_t outcome) const noexcept { return successes_[outcome].data(); }
  moments* numerics(std::size_t measure) noexcept { return numerics_[measure].data(); }
  const moments* numerics(std::size_t measure) const noexcept { return numerics_[measure].data(); }
  person_set& persons(std::uint32_t slot) noexcept { return persons_[slot]; }
  const person_set& persons(std::uint32_t slot) const noexcept { return persons_[slot]; }

  /// Level index of every dimension of a cell (sex first).
  void decode(std::uint64_t cell, std::uint32_t* levels) const noexcept;
  /// Cell index of level indices (sex first).
  std::uint64_t encode(const std::uint32_t* levels) const noexcept;

  /// Adds every non-empty cell of another store of the same schema (Chan merge of moments,
  /// union of person sets).
  void merge(const cell_store& other);

  /// Bytes held by the store (arrays, map, person sets), for reporting.
  std::size_t memory_bytes() const noexcept;

 private:
  std::uint32_t sparse_slot_for(std::uint64_t cell);
  void add_slot(std::uint64_t cell);

  std::shared_ptr<const schema> schema_;
  bool dense_;
  bool count_persons_;
  std::vector<std::uint64_t> radix_;  // product of the cardinalities after each dimension
  // The per-slot arrays are populated when allocated (see prefaulting_allocator).
  template <class T>
  using slot_array = std::vector<T, prefaulting_allocator<T>>;
  slot_array<std::uint64_t> participations_;
  std::vector<slot_array<std::uint64_t>> successes_;  // [outcome][slot]
  std::vector<slot_array<moments>> numerics_;         // [measure][slot]
  std::vector<person_set> persons_;                    // [slot], empty unless counting persons
  std::unordered_map<std::uint64_t, std::uint32_t> slot_of_cell_;  // sparse only
  std::vector<std::uint64_t> cell_of_slot_;                        // sparse only
};

}  // namespace jamstat
