// Roll-ups: the statistics of any grouping set, the full cube of marginals, and the total.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/grouping_set.hpp"
#include "jamstat/engine/measure_stats.hpp"

namespace jamstat {

namespace detail {
struct rollup_builder;
}

/// One cell of a roll-up table: a view into the table's arrays, valid as long as the table (like
/// std::span). Copy the values out to keep them longer than the table.
struct rollup_cell {
  /// Level index (position in dimension::levels()) of each grouped dimension, in the order of
  /// grouping_set::dimensions().
  std::span<const std::uint32_t> levels;
  std::uint64_t participations = 0;          ///< records
  std::span<const std::uint64_t> successes;  ///< per outcome
  std::span<const measure_stats> numerics;   ///< per numeric measure
  std::optional<std::uint64_t> persons;      ///< distinct persons, when the aggregator counts them
  /// Participants known only by sex (aggregator::add_anonymous). Non-zero only in roll-ups
  /// whose grouping set has no dimension but sex; never part of `participations`, so the
  /// outcome proportions and means stay those of the recorded participations.
  std::uint64_t anonymous_participants = 0;

  /// successes[o] / participations; NaN when the cell has no participations.
  double proportion(std::size_t outcome) const noexcept;
};

/// The non-empty cells of one grouping set, sorted by their level indices.
///
/// Stored column-wise, one array per statistic, all in one chunk of memory: a table costs one
/// allocation however many cells it has, and the tables of a cube share a few chunks (a cube of
/// 7,300 cells used to cost 22,000 allocations, and on the benchmark VM their fresh pages were
/// most of the cube's time). cells() presents them as rollup_cell views. Tables are immutable; a
/// copy shares the chunk.
class rollup_table {
 public:
  /// The cells as a random-access range of rollup_cell views (by value: iterate with
  /// `for (const rollup_cell& c : table.cells())` or `auto`).
  class cell_range;

  const grouping_set& grouping() const noexcept { return grouping_; }
  cell_range cells() const noexcept;
  /// Position in cells() of the cell with these level indices (grouping order), or nullopt when
  /// that cell is empty.
  std::optional<std::size_t> find_index(std::span<const std::uint32_t> levels) const noexcept;
  /// The cell with these level indices (grouping order), or nullopt when it is empty.
  std::optional<rollup_cell> find(std::span<const std::uint32_t> levels) const noexcept;

 private:
  friend struct detail::rollup_builder;

  explicit rollup_table(grouping_set grouping) : grouping_(std::move(grouping)) {}
  rollup_cell cell(std::size_t i) const noexcept;

  grouping_set grouping_;
  std::size_t size_ = 0;
  std::size_t outcomes_ = 0;
  std::size_t measures_ = 0;
  std::shared_ptr<const std::byte> memory_;       // holds the arrays below (shared by a cube's tables)
  const std::uint32_t* levels_ = nullptr;          // size_ x grouped dimensions
  const std::uint64_t* participations_ = nullptr;  // size_
  const std::uint64_t* successes_ = nullptr;       // size_ x outcomes_
  const measure_stats* numerics_ = nullptr;        // size_ x measures_
  const std::uint64_t* persons_ = nullptr;         // size_ when counting persons, else null
  const std::uint64_t* anonymous_ = nullptr;       // size_ when the grouping keeps at most sex, else null
};

class rollup_table::cell_range {
 public:
  class iterator {
   public:
    using iterator_concept = std::random_access_iterator_tag;
    using iterator_category = std::input_iterator_tag;  // *it is a value (a view), not a reference
    using value_type = rollup_cell;
    using difference_type = std::ptrdiff_t;
    using reference = rollup_cell;

    iterator() = default;
    rollup_cell operator*() const noexcept { return table_->cell(index_); }
    rollup_cell operator[](difference_type k) const noexcept { return table_->cell(index_ + static_cast<std::size_t>(k)); }
    iterator& operator++() noexcept { return ++index_, *this; }
    iterator operator++(int) noexcept { return iterator(table_, index_++); }
    iterator& operator--() noexcept { return --index_, *this; }
    iterator operator--(int) noexcept { return iterator(table_, index_--); }
    iterator& operator+=(difference_type k) noexcept { return index_ += static_cast<std::size_t>(k), *this; }
    iterator& operator-=(difference_type k) noexcept { return index_ -= static_cast<std::size_t>(k), *this; }
    friend iterator operator+(iterator it, difference_type k) noexcept { return it += k; }
    friend iterator operator+(difference_type k, iterator it) noexcept { return it += k; }
    friend iterator operator-(iterator it, difference_type k) noexcept { return it -= k; }
    friend difference_type operator-(iterator a, iterator b) noexcept {
      return static_cast<difference_type>(a.index_) - static_cast<difference_type>(b.index_);
    }
    friend bool operator==(iterator a, iterator b) noexcept { return a.index_ == b.index_; }
    friend std::strong_ordering operator<=>(iterator a, iterator b) noexcept { return a.index_ <=> b.index_; }

   private:
    friend class cell_range;
    iterator(const rollup_table* table, std::size_t index) : table_(table), index_(index) {}
    const rollup_table* table_ = nullptr;
    std::size_t index_ = 0;
  };

  explicit cell_range(const rollup_table& table) noexcept : table_(&table) {}
  std::size_t size() const noexcept { return table_->size_; }
  bool empty() const noexcept { return table_->size_ == 0; }
  /// The i-th cell (i < size(); not checked).
  rollup_cell operator[](std::size_t i) const noexcept { return table_->cell(i); }
  rollup_cell front() const noexcept { return table_->cell(0); }
  rollup_cell back() const noexcept { return table_->cell(table_->size_ - 1); }
  iterator begin() const noexcept { return iterator(table_, 0); }
  iterator end() const noexcept { return iterator(table_, table_->size_); }

 private:
  const rollup_table* table_;
};

inline rollup_table::cell_range rollup_table::cells() const noexcept { return cell_range(*this); }

/// Statistics at a grouping set, equal to aggregating the records directly at that grouping:
/// counts, distinct persons and decimal measures exactly; floating measures combined with Chan's
/// formula (within the bound of docs/engine.md). Throws overflow_error when a cell's count would
/// exceed 2^64 - 1.
rollup_table rollup(const aggregator& a, const grouping_set& grouping);

/// The full cube: one table per subset of the dimensions, indexed by grouping_set::mask()
/// (bit d = dimension d, sex = bit 0), so element 0 is the total (one cell, always) and the last
/// the finest cells.
/// Each table is rolled up from its smallest finer table (the cube lattice), not from the finest
/// cells. Distinct persons do not add up that way: they are counted for every table in one pass
/// over the persons of the finest cells (each person once in each roll-up cell its finest cells
/// project to). Throws usage_error for more than 20 dimensions (2^20 tables).
std::vector<rollup_table> cube(const aggregator& a);

/// The total ("Totalt"): a table of the empty grouping set with exactly one cell, also when
/// nothing was added (as rollup() of the empty grouping set and cube()'s element 0 are),
/// anonymous participants included. `total(a).cells()[0]` is the cell; keep the table while the
/// cell is used.
rollup_table total(const aggregator& a);

}  // namespace jamstat
