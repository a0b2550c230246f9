// The finest-cell grid: per-cell statistics stored column-wise, dense or sparse.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "jamstat/engine/decimal_moments.hpp"
#include "jamstat/engine/floating_moments.hpp"
#include "jamstat/engine/measure_stats.hpp"
#include "jamstat/engine/person_set.hpp"
#include "jamstat/engine/prefaulting_allocator.hpp"
#include "jamstat/engine/schema.hpp"

namespace jamstat {

/// Statistics of every finest cell (sex x every dimension), addressed by *slot*.
///
/// A cell is identified by its mixed-radix index over the level indices of all dimensions
/// (sex most significant). Storage is
/// - **dense** when the finest grid has at most `dense_cell_limit` cells and the whole grid's
///   arrays take at most `dense_byte_limit` bytes: slot == cell index, arrays sized for the whole
///   grid up front, so ingesting a record is pure index arithmetic;
/// - **sparse** otherwise: a hash map from cell index to slot, slots appended on first use, so
///   memory is proportional to the number of non-empty cells.
/// 131,072 cells cost about 16 MB with one outcome and one numeric measure, small next to any
/// batch, while a grid wider than that is mostly empty in real data (intersectional grids with
/// municipalities, say), where a dense array would waste far more than the map costs. The byte
/// limit keeps a schema with many measures (40 measures on a 4 x 32^3 grid would be 550 MB dense)
/// proportional to its cells too. A state read from bytes with few cells is read sparse (its memory
/// follows the cells present, whatever its schema) and becomes dense on its first ingestion
/// (densify()).
///
/// Per slot: participations (records), successes per outcome, per numeric measure its
/// statistics (floating_accumulator or decimal_moments, by the measure's kind), and the set of
/// person hashes when persons are counted, and, when the schema keeps a cross-product set, the
/// exact sums of products Σ z_i z_j of its variables (a packed upper triangle of 128-bit integers,
/// see cross_product_sums.hpp). Never any microdata.
class cell_store {
 public:
  static constexpr std::uint64_t dense_cell_limit = std::uint64_t{1} << 17;
  static constexpr std::uint64_t dense_byte_limit = std::uint64_t{32} << 20;

  /// How a store is laid out: by the rule above, or sparse whatever the grid.
  enum class layout { automatic, sparse };

  cell_store(std::shared_ptr<const schema> s, bool count_persons, layout how = layout::automatic);

  /// Whether a schema's finest grid is stored densely under the automatic layout.
  static bool dense_suits(const schema& s, bool count_persons) noexcept;
  /// Converts a sparse store whose grid suits the dense layout into a dense one (slots become
  /// cell indices). A no-op otherwise.
  void densify();

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
  /// The accumulators of floating measure `measure` (null when the measure is decimal).
  floating_accumulator* floating(std::size_t measure) noexcept { return floating_[measure].empty() ? nullptr : floating_[measure].data(); }
  const floating_accumulator* floating(std::size_t measure) const noexcept {
    return floating_[measure].empty() ? nullptr : floating_[measure].data();
  }
  /// The statistics of decimal measure `measure` (null when the measure is floating).
  decimal_moments* decimal(std::size_t measure) noexcept { return decimal_[measure].empty() ? nullptr : decimal_[measure].data(); }
  const decimal_moments* decimal(std::size_t measure) const noexcept {
    return decimal_[measure].empty() ? nullptr : decimal_[measure].data();
  }
  /// Statistics of measure `measure` in a slot, whatever its kind.
  measure_stats stats(std::size_t measure, std::uint32_t slot) const noexcept {
    if (!decimal_[measure].empty()) return measure_stats(decimal_[measure][slot], decimals_[measure]);
    return measure_stats(floating_[measure][slot].moments());
  }
  /// Pairs i <= j of the schema's cross-product set: p (p + 1) / 2, 0 when it keeps none.
  std::size_t cross_product_pairs() const noexcept { return cross_pairs_; }
  /// A slot's sums of products Σ z_i z_j in grid units (cross_product_pairs() values, the packed
  /// upper triangle row by row: (0,0), (0,1), ..., (1,1), ...); null when the schema keeps none.
  int128_t* cross_products(std::uint32_t slot) noexcept {
    return cross_pairs_ == 0 ? nullptr : cross_.data() + std::size_t{slot} * cross_pairs_;
  }
  const int128_t* cross_products(std::uint32_t slot) const noexcept {
    return cross_pairs_ == 0 ? nullptr : cross_.data() + std::size_t{slot} * cross_pairs_;
  }
  /// Empties a slot's statistics (participations, successes, measures; not its person set).
  void clear_slot(std::uint32_t slot) noexcept;
  person_set& persons(std::uint32_t slot) noexcept { return persons_[slot]; }
  const person_set& persons(std::uint32_t slot) const noexcept { return persons_[slot]; }

  /// Level index of every dimension of a cell (sex first).
  void decode(std::uint64_t cell, std::uint32_t* levels) const noexcept;
  /// Cell index of level indices (sex first).
  std::uint64_t encode(const std::uint32_t* levels) const noexcept;

  /// Adds every non-empty cell of another store of the same schema (measure statistics merged,
  /// person sets united). Throws overflow_error, with this store unchanged, when a cell's
  /// participations would exceed 2^64 - 1.
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
  std::vector<slot_array<floating_accumulator>> floating_;  // [measure][slot]; empty for decimal measures
  std::vector<slot_array<decimal_moments>> decimal_;        // [measure][slot]; empty for floating measures
  std::vector<unsigned> decimals_;                          // [measure]
  std::size_t cross_pairs_ = 0;                             // pairs of the cross-product set
  slot_array<int128_t> cross_;                              // [slot][pair]
  std::vector<person_set> persons_;                    // [slot], empty unless counting persons
  std::unordered_map<std::uint64_t, std::uint32_t> slot_of_cell_;  // sparse only
  std::vector<std::uint64_t> cell_of_slot_;                        // sparse only
};

}  // namespace jamstat
