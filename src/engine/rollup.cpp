#include "jamstat/engine/rollup.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/prefaulting_allocator.hpp"

namespace jamstat {

// ------------------------------------------------------------------------------- grouping_set

grouping_set grouping_set::of(const schema& s, std::initializer_list<std::string_view> names, sex_grouping sex) {
  return of(s, std::vector<std::string_view>(names), sex);
}

grouping_set grouping_set::of(const schema& s, const std::vector<std::string_view>& names, sex_grouping sex) {
  std::vector<std::size_t> dims;
  if (sex == sex_grouping::keep) dims.push_back(0);
  for (std::string_view name : names) {
    const auto d = s.dimension_index(name);
    if (!d) throw usage_error("grouping set: no dimension is called '" + std::string(name) + "'");
    if (*d == 0 && sex == sex_grouping::drop)
      throw usage_error("grouping set: 'sex' is named but sex_grouping::drop was asked for");
    if (*d == 0) continue;  // already kept
    if (std::find(dims.begin(), dims.end(), *d) != dims.end())
      throw usage_error("grouping set: dimension '" + std::string(name) + "' is named twice");
    dims.push_back(*d);
  }
  return from_indices(s, std::move(dims));
}

grouping_set grouping_set::from_indices(const schema& s, std::vector<std::size_t> dimensions) {
  std::sort(dimensions.begin(), dimensions.end());
  if (std::adjacent_find(dimensions.begin(), dimensions.end()) != dimensions.end())
    throw usage_error("grouping set: a dimension index is repeated");
  if (!dimensions.empty() && dimensions.back() >= s.dimensions().size())
    throw usage_error("grouping set: dimension index " + std::to_string(dimensions.back()) + " is out of range (the schema has " +
                      std::to_string(s.dimensions().size()) + " dimensions)");
  grouping_set g;
  g.dimensions_ = std::move(dimensions);
  return g;
}

grouping_set grouping_set::from_mask(const schema& s, std::uint64_t mask) {
  std::vector<std::size_t> dims;
  for (std::size_t d = 0; d < 64; ++d)
    if (mask >> d & 1) dims.push_back(d);
  return from_indices(s, std::move(dims));
}

grouping_set grouping_set::finest(const schema& s) {
  std::vector<std::size_t> dims(s.dimensions().size());
  for (std::size_t d = 0; d < dims.size(); ++d) dims[d] = d;
  return from_indices(s, std::move(dims));
}

std::uint64_t grouping_set::mask() const noexcept {
  std::uint64_t m = 0;
  for (std::size_t d : dimensions_) m |= std::uint64_t{1} << d;
  return m;
}

bool grouping_set::keeps(std::size_t dimension) const noexcept {
  return std::binary_search(dimensions_.begin(), dimensions_.end(), dimension);
}

// ------------------------------------------------------------------------------------ rollups

double rollup_cell::proportion(std::size_t outcome) const noexcept {
  if (participations == 0 || outcome >= successes.size()) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(successes[outcome]) / static_cast<double>(participations);
}

rollup_cell rollup_table::cell(std::size_t i) const noexcept {
  const std::size_t g = grouping_.dimensions().size();
  rollup_cell c;
  c.levels = {levels_ + i * g, g};
  c.participations = participations_[i];
  c.successes = {successes_ + i * outcomes_, outcomes_};
  c.numerics = {numerics_ + i * measures_, measures_};
  if (persons_) c.persons = persons_[i];
  if (anonymous_) c.anonymous_participants = anonymous_[i];
  return c;
}

std::optional<std::size_t> rollup_table::find_index(std::span<const std::uint32_t> levels) const noexcept {
  const std::size_t g = grouping_.dimensions().size();
  if (levels.size() != g) return std::nullopt;
  auto less = [&](std::size_t i) {
    const std::uint32_t* l = levels_ + i * g;
    return std::lexicographical_compare(l, l + g, levels.begin(), levels.end());
  };
  std::size_t lo = 0, hi = size_;  // the first cell not less than `levels`
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (less(mid)) lo = mid + 1;
    else hi = mid;
  }
  if (lo == size_ || !std::equal(levels.begin(), levels.end(), levels_ + lo * g)) return std::nullopt;
  return lo;
}

std::optional<rollup_cell> rollup_table::find(std::span<const std::uint32_t> levels) const noexcept {
  const auto i = find_index(levels);
  if (!i) return std::nullopt;
  return cell(*i);
}

namespace {

// The non-empty finest cells with their level indices, decoded once for any number of roll-ups.
struct decoded_cells {
  std::vector<std::uint32_t> slots;
  std::vector<std::uint32_t> levels;  // slots.size() x dimensions
  std::size_t dimensions = 0;
};

// Advances mixed-radix digits (last one fastest) to the next index: the level indices of
// consecutive cells follow by counting, without the divisions of decoding each index.
template <class Cardinality>
void count_up(std::uint32_t* digits, std::size_t n, Cardinality cardinality) {
  for (std::size_t j = n; j-- > 0;) {
    if (++digits[j] < cardinality(j)) return;
    digits[j] = 0;
  }
}

decoded_cells decode_nonempty(const aggregator& a) {
  const cell_store& cells = a.cells();
  decoded_cells out;
  out.dimensions = a.schema_ref().dimensions().size();
  const std::size_t d = out.dimensions;
  std::vector<std::uint32_t> levels(d, 0);
  std::size_t nonempty = 0;  // sized once: growth by doubling costs fresh pages
  for (std::uint32_t slot = 0; slot < cells.slot_count(); ++slot) nonempty += cells.participations(slot) != 0;
  out.slots.resize(nonempty);
  out.levels.resize(nonempty * d);
  std::size_t next = 0;
  for (std::uint32_t slot = 0; slot < cells.slot_count(); ++slot) {
    // A dense store's slots are its cells in order, so their levels follow by counting.
    if (!cells.is_dense()) cells.decode(cells.cell_of(slot), levels.data());
    if (cells.participations(slot) != 0) {
      out.slots[next] = slot;
      for (std::size_t j = 0; j < d; ++j) out.levels[next * d + j] = levels[j];
      ++next;
    }
    if (cells.is_dense()) count_up(levels.data(), d, [&](std::size_t j) { return a.schema_ref().dimensions()[j].cardinality(); });
  }
  return out;
}

// Counts add up without wrapping: a roll-up cell of more than 2^64 - 1 participations (possible only
// from states merged past what any real data holds) is an error, not a small number.
void add_count(std::uint64_t& total, std::uint64_t n) {
  if (total + n < total) throw overflow_error("rollup: a cell would hold more than 2^64 - 1 participations");
  total += n;
}

}  // namespace

namespace detail {

// Builds tables from a source of rows that are finer than (or as fine as) their grouping: the
// finest cells of an aggregator, or a finer table of the same aggregator (the cube lattice).
// Each row has level indices and statistics; a table's cell is the sum of the rows that agree
// with it on the grouped dimensions. A table is made in two steps: its keys (which cells it has),
// then its arrays, carved from memory chunks that a cube's tables share (see arena).
struct rollup_builder {
  const aggregator& a;
  const schema& s;
  std::size_t outcomes, measures;

  explicit rollup_builder(const aggregator& agg)
      : a(agg), s(agg.schema_ref()), outcomes(s.outcomes().size()), measures(s.numeric_measures().size()) {}

  // Rows of the source: the finest cells.
  struct finest_rows {
    const decoded_cells& decoded;
    const cell_store& cells;
    std::size_t count() const noexcept { return decoded.slots.size(); }
    const std::uint32_t* levels(std::size_t i) const noexcept { return decoded.levels.data() + i * decoded.dimensions; }
    // Position of schema dimension d in a row's levels.
    std::size_t position(std::size_t d) const noexcept { return d; }
    void add_to(std::size_t i, std::uint64_t* participations, std::uint64_t* successes, measure_stats* numerics,
                std::size_t n_outcomes, std::size_t n_measures) const {
      const std::uint32_t slot = decoded.slots[i];
      add_count(*participations, cells.participations(slot));
      for (std::size_t o = 0; o < n_outcomes; ++o) successes[o] += cells.successes(o)[slot];  // <= participations
      for (std::size_t m = 0; m < n_measures; ++m) numerics[m].merge(cells.stats(m, slot));
    }
  };

  // Rows of the source: the cells of a finer table.
  struct table_rows {
    const rollup_table& parent;
    std::size_t count() const noexcept { return parent.size_; }
    const std::uint32_t* levels(std::size_t i) const noexcept { return parent.levels_ + i * parent.grouping_.dimensions().size(); }
    std::size_t position(std::size_t d) const noexcept {
      const auto& dims = parent.grouping_.dimensions();
      return static_cast<std::size_t>(std::lower_bound(dims.begin(), dims.end(), d) - dims.begin());
    }
    void add_to(std::size_t i, std::uint64_t* participations, std::uint64_t* successes, measure_stats* numerics,
                std::size_t n_outcomes, std::size_t n_measures) const {
      add_count(*participations, parent.participations_[i]);
      for (std::size_t o = 0; o < n_outcomes; ++o) successes[o] += parent.successes_[i * n_outcomes + o];  // <= participations
      for (std::size_t m = 0; m < n_measures; ++m) numerics[m].merge(parent.numerics_[i * n_measures + m]);
    }
  };

  // The cells of a table: a cell's key is its mixed-radix index over the grouped dimensions, so
  // ascending keys are ascending levels. Found before anything is allocated, so that every array
  // is sized once, exactly, and filled in order: no growth and no sort of the output.
  struct table_keys {
    std::vector<std::uint64_t> cardinality;  // per grouped dimension
    std::vector<std::uint64_t> sorted;       // the keys present
    bool anonymous_here = false;             // the grouping keeps at most sex
    std::uint64_t key_count = 0;             // product of the cardinalities (capped)
    bool dense() const noexcept { return key_count <= dense_keys; }
    static constexpr std::uint64_t dense_keys = std::uint64_t{1} << 20;
  };

  // Scratch reused by every table a builder makes (fresh memory is what costs most here).
  // dense_index[key] is a present key's position in table_keys::sorted, for small groupings
  // (the usual case); -1 everywhere between uses. Larger groupings use a binary search.
  std::vector<std::int32_t> dense_index;
  std::vector<std::uint64_t> keys_of_rows;
  std::vector<std::size_t> positions;  // of the grouped dimensions in a row's levels

  void index_keys(const table_keys& k) {
    if (!k.dense()) return;
    if (dense_index.size() < k.key_count) dense_index.resize(k.key_count, -1);
    for (std::size_t i = 0; i < k.sorted.size(); ++i) dense_index[k.sorted[i]] = static_cast<std::int32_t>(i);
  }
  void unindex_keys(const table_keys& k) {
    if (k.dense())
      for (const std::uint64_t key : k.sorted) dense_index[key] = -1;
  }
  std::size_t index_of(const table_keys& k, std::uint64_t key) const noexcept {
    if (k.dense()) return static_cast<std::size_t>(dense_index[key]);
    return static_cast<std::size_t>(std::lower_bound(k.sorted.begin(), k.sorted.end(), key) - k.sorted.begin());
  }

  // Every row's key, into keys_of_rows.
  template <class Rows>
  void find_row_keys(const table_keys& k, const std::vector<std::size_t>& g, const Rows& rows) {
    std::vector<std::size_t>& at = positions;
    at.resize(g.size());
    for (std::size_t j = 0; j < g.size(); ++j) at[j] = rows.position(g[j]);
    keys_of_rows.resize(rows.count());
    for (std::size_t i = 0; i < rows.count(); ++i) {
      const std::uint32_t* l = rows.levels(i);
      std::uint64_t key = 0;
      for (std::size_t j = 0; j < g.size(); ++j) key = key * k.cardinality[j] + l[at[j]];
      keys_of_rows[i] = key;
    }
  }

  template <class Rows>
  table_keys keys_of(const grouping_set& grouping, const Rows& rows, bool empty_total_cell) {
    const auto& g = grouping.dimensions();
    if (!g.empty() && g.back() >= s.dimensions().size()) throw usage_error("grouping set does not fit this schema");
    table_keys k;
    std::uint64_t keys = 1;
    for (const std::size_t d : g) {
      k.cardinality.push_back(s.dimensions()[d].cardinality());
      keys = keys > (std::uint64_t{1} << 40) ? keys : keys * k.cardinality.back();
    }
    find_row_keys(k, g, rows);
    std::vector<std::uint64_t>& present = keys_of_rows;  // the rows' keys and, past them, extra cells'
    k.anonymous_here = g.empty() || (g.size() == 1 && g[0] == 0);
    if (k.anonymous_here)  // cells made by anonymous participants
      for (std::uint32_t sex = 0; sex < a.anonymous_participants().size(); ++sex)
        if (a.anonymous_participants()[sex] > 0) present.push_back(g.empty() ? 0 : sex);
    if (g.empty() && empty_total_cell) present.push_back(0);  // see total()
    k.key_count = keys;
    if (k.dense()) {
      // Mark the keys present in the (all -1) dense index, then collect them in order.
      if (dense_index.size() < keys) dense_index.resize(keys, -1);
      std::size_t n = 0;
      for (const std::uint64_t key : present) {
        n += dense_index[key] < 0;
        dense_index[key] = 0;
      }
      k.sorted.reserve(n);
      for (std::uint64_t key = 0; key < keys; ++key)
        if (dense_index[key] == 0) {
          k.sorted.push_back(key);
          dense_index[key] = -1;
        }
    } else {
      k.sorted = present;
      std::sort(k.sorted.begin(), k.sorted.end());
      k.sorted.erase(std::unique(k.sorted.begin(), k.sorted.end()), k.sorted.end());
    }
    present.resize(rows.count());
    return k;
  }

  // The level indices of every present key, in order. A dense grouping counts through all its
  // keys (no division); a sparse one divides.
  static void decode_keys(const table_keys& k, std::uint32_t* levels) {
    const std::size_t g = k.cardinality.size();
    if (k.dense() && g > 0) {
      std::vector<std::uint32_t> digits(g, 0);
      std::size_t next = 0;
      for (std::uint64_t key = 0; next < k.sorted.size(); ++key) {
        if (k.sorted[next] == key) {
          for (std::size_t j = 0; j < g; ++j) levels[g * next + j] = digits[j];
          ++next;
        }
        count_up(digits.data(), g, [&](std::size_t j) { return k.cardinality[j]; });
      }
      return;
    }
    for (std::size_t i = 0; i < k.sorted.size(); ++i) {
      std::uint64_t rest = k.sorted[i];
      for (std::size_t j = g; j-- > 0;) {
        levels[i * g + j] = static_cast<std::uint32_t>(rest % k.cardinality[j]);
        rest /= k.cardinality[j];
      }
    }
  }

  // Bytes of a table's arrays, each rounded up to 8 bytes so that the next one stays aligned.
  std::size_t bytes_of(const table_keys& k) const noexcept {
    const std::size_t n = k.sorted.size();
    std::size_t bytes = (n * k.cardinality.size() * sizeof(std::uint32_t) + 7) / 8 * 8;
    bytes += n * (1 + outcomes) * sizeof(std::uint64_t) + 16 + n * measures * sizeof(measure_stats);  // 16: alignment
    if (a.knows_persons()) bytes += n * sizeof(std::uint64_t);  // (a person-free state: maybe unused)
    if (k.anonymous_here) bytes += n * sizeof(std::uint64_t);
    return bytes;
  }

  // Memory carved into the arrays of one or more tables, in chunks populated when allocated
  // (prefaulting_allocator): a cube's tables share a few chunks instead of making thousands of
  // small allocations, whose fresh pages cost more than the roll-up's arithmetic on the
  // benchmark VM. A table never spans two chunks; each holds its chunk through a shared_ptr.
  class arena {
   public:
    // first_chunk: the bytes the first table needs (a lone table's exact size), or 0.
    explicit arena(std::size_t first_chunk) : next_chunk_(std::max<std::size_t>(first_chunk, 1)) {}
    // Makes sure the next `bytes` fit in the current chunk.
    void reserve(std::size_t bytes) {
      if (bytes <= left_ && chunk_) return;
      const std::size_t size = std::max(bytes, next_chunk_);
      std::byte* p = prefaulting_allocator<std::byte>().allocate(size);
      chunk_ = std::shared_ptr<std::byte>(p, [size](std::byte* q) { prefaulting_allocator<std::byte>().deallocate(q, size); });
      next_ = p;
      left_ = size;
      next_chunk_ = std::min<std::size_t>(std::max<std::size_t>(2 * size, 256 * 1024), 64 * 1024 * 1024);
    }
    template <class T>
    T* take(std::size_t n) {
      static_assert(alignof(T) <= 16);
      if (alignof(T) > 8) {  // chunks are 64-byte aligned; keep 16-byte alignment for 128-bit sums
        const std::size_t pad = static_cast<std::size_t>(-reinterpret_cast<std::uintptr_t>(next_)) % alignof(T);
        if (pad > left_) throw std::logic_error("rollup: table memory overrun");
        next_ += pad;
        left_ -= pad;
      }
      const std::size_t bytes = (n * sizeof(T) + 7) / 8 * 8;
      if (bytes > left_) throw std::logic_error("rollup: table memory overrun");
      T* p = reinterpret_cast<T*>(next_);
      next_ += bytes;
      left_ -= bytes;
      return p;
    }
    const std::shared_ptr<std::byte>& chunk() const noexcept { return chunk_; }

   private:
    std::size_t next_chunk_;
    std::shared_ptr<std::byte> chunk_;
    std::byte* next_ = nullptr;
    std::size_t left_ = 0;
  };

  // Distinct persons of a table's cells: counted here from the finest cells' sets (members_of_finest
  // given), or left as zeros in `deferred_persons` for the cube's single pass over all persons.
  template <class Rows>
  rollup_table build(const grouping_set& grouping, const Rows& rows, const decoded_cells* members_of_finest, arena& memory,
                     bool empty_total_cell = false, std::uint64_t** deferred_persons = nullptr) {
    const table_keys k = keys_of(grouping, rows, empty_total_cell);  // also every row's key, in keys_of_rows
    index_keys(k);
    const auto& g = grouping.dimensions();
    const std::size_t n = k.sorted.size();
    rollup_table t(grouping);
    t.size_ = n;
    t.outcomes_ = outcomes;
    t.measures_ = measures;
    memory.reserve(bytes_of(k));
    t.memory_ = memory.chunk();

    std::uint32_t* levels = memory.take<std::uint32_t>(n * g.size());
    decode_keys(k, levels);
    std::uint64_t* participations = std::uninitialized_fill_n(memory.take<std::uint64_t>(n), n, 0) - n;
    std::uint64_t* successes = std::uninitialized_fill_n(memory.take<std::uint64_t>(n * outcomes), n * outcomes, 0) - n * outcomes;
    measure_stats* numerics = memory.take<measure_stats>(n * measures);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t m = 0; m < measures; ++m) {
        const measure_domain& d = s.domain(m);
        new (numerics + i * measures + m) measure_stats(measure_stats::empty(d.kind, d.decimals));
      }
    const std::vector<std::uint64_t>& keys = keys_of_rows;
    for (std::size_t i = 0; i < rows.count(); ++i) {
      const std::size_t at = index_of(k, keys[i]);
      rows.add_to(i, participations + at, successes + at * outcomes, numerics + at * measures, outcomes, measures);
    }
    t.levels_ = levels;
    t.participations_ = participations;
    t.successes_ = successes;
    t.numerics_ = numerics;

    if (k.anonymous_here) {
      std::uint64_t* anonymous = std::uninitialized_fill_n(memory.take<std::uint64_t>(n), n, 0) - n;
      for (std::uint32_t sex = 0; sex < a.anonymous_participants().size(); ++sex)
        if (a.anonymous_participants()[sex] > 0) anonymous[index_of(k, g.empty() ? 0 : sex)] += a.anonymous_participants()[sex];
      t.anonymous_ = anonymous;
    }

    if (a.counts_persons() && deferred_persons) {
      std::uint64_t* persons = std::uninitialized_fill_n(memory.take<std::uint64_t>(n), n, 0) - n;
      t.persons_ = persons;
      *deferred_persons = persons;
    } else if (a.counts_persons()) {
      // Distinct persons do not add up: each cell counts the union of its finest cells' sets.
      if (!members_of_finest) throw std::logic_error("rollup: distinct persons need the finest cells");
      std::vector<std::size_t> first(n + 1, 0);  // the rows of cell i are members[first[i], first[i + 1])
      for (std::size_t i = 0; i < rows.count(); ++i) ++first[index_of(k, keys[i]) + 1];
      for (std::size_t i = 0; i < n; ++i) first[i + 1] += first[i];
      std::vector<const person_set*> members(rows.count());
      std::vector<std::size_t> next(first.begin(), first.end() - 1);
      for (std::size_t i = 0; i < rows.count(); ++i)
        members[next[index_of(k, keys[i])]++] = &a.cells().persons(members_of_finest->slots[i]);
      std::uint64_t* persons = memory.take<std::uint64_t>(n);
      for (std::size_t i = 0; i < n; ++i)
        persons[i] = count_distinct_union(std::span<const person_set* const>(members.data() + first[i], first[i + 1] - first[i]));
      t.persons_ = persons;
    } else if (const frozen_persons::grouping* f = a.is_person_free() ? a.frozen()->find(grouping.mask()) : nullptr) {
      // A person-free state: the counts frozen for this grouping, cell for cell (the state takes no
      // records after freezing, so its cells are the ones frozen; the reader checks it).
      if (f->cells() != n || !std::equal(f->levels.begin(), f->levels.end(), levels))
        throw std::logic_error("rollup: the frozen persons do not match the grouping's cells");
      std::uint64_t* persons = memory.take<std::uint64_t>(n);
      std::copy(f->persons.begin(), f->persons.end(), persons);
      t.persons_ = persons;
    }
    unindex_keys(k);
    return t;
  }

  // One table from the finest cells, in a chunk of its own (exactly its size).
  rollup_table build_alone(const grouping_set& grouping, bool empty_total_cell) {
    const decoded_cells decoded = decode_nonempty(a);
    const finest_rows finest{decoded, a.cells()};
    arena memory(0);
    return build(grouping, finest, &decoded, memory, empty_total_cell);
  }
};

}  // namespace detail

rollup_table rollup(const aggregator& a, const grouping_set& grouping) {
  // The total has its one cell always (also when nothing was added), however it is asked for.
  return detail::rollup_builder(a).build_alone(grouping, grouping.dimensions().empty());
}

namespace {

// Distinct persons of every table of a cube in one pass over the persons, instead of one union
// per roll-up cell (which walked every person hash once per table: ~10 s for the 32 tables of 10M
// records). Every (person, finest cell) pair first counts once in the roll-up cell its finest cell
// projects to, in every table: that is each finest cell's set size, added per cell, not per
// person. A person found in several finest cells was then counted more than once in a roll-up cell
// where those cells meet, and that excess is taken off: two cells meet in exactly the tables whose
// dimensions avoid those where the cells differ, so a person of two cells is recorded as (first
// cell, dimensions where they differ) and the corrections are applied per such pair; persons of
// three or more cells (about one in eight in the canonical data) are corrected one by one. The
// pairs come out of the sorted sets in hash order bucket by bucket (the top bits of the uniform
// hashes); a run of equal hashes is one person.
void count_cube_persons(const aggregator& a, const decoded_cells& decoded, const std::vector<std::optional<rollup_table>>& built,
                        const std::vector<std::uint64_t*>& persons) {
  const std::size_t n_cells = decoded.slots.size(), d = decoded.dimensions;
  const std::size_t n_tables = built.size();  // 2^d, indexed by the mask of kept dimensions
  // All tables' counts in one array (table t's cells from offset[t]), and proj[i * n_tables + t]:
  // the index there of the cell of table t that finest cell i belongs to.
  std::vector<std::size_t> offset(n_tables + 1, 0);
  for (std::size_t t = 0; t < n_tables; ++t) offset[t + 1] = offset[t] + built[t]->cells().size();
  std::vector<std::int64_t> counts(offset[n_tables], 0);
  std::vector<std::uint32_t> proj(n_tables * n_cells);
  std::vector<std::uint32_t> key(d);
  for (std::size_t t = 0; t < n_tables; ++t) {
    const rollup_table& table = *built[t];
    const auto& g = table.grouping().dimensions();
    for (std::size_t i = 0; i < n_cells; ++i) {
      const std::uint32_t* levels = decoded.levels.data() + i * d;
      for (std::size_t k = 0; k < g.size(); ++k) key[k] = levels[g[k]];
      const auto at = table.find_index(std::span<const std::uint32_t>(key.data(), g.size()));
      if (!at) throw std::logic_error("rollup: a finest cell projects to no cell of its roll-up");
      proj[i * n_tables + t] = static_cast<std::uint32_t>(offset[t] + *at);
    }
  }
  // The sets, sorted (copies of any that are not compact); each counted once per table.
  std::vector<std::span<const std::uint64_t>> sets(n_cells);
  std::vector<std::vector<std::uint64_t>> copies;
  copies.reserve(n_cells);
  std::size_t total = 0;
  for (std::size_t i = 0; i < n_cells; ++i) {
    const person_set& set = a.cells().persons(decoded.slots[i]);
    sets[i] = set.hashes();
    if (!set.is_compact()) {
      std::vector<std::uint64_t> copy(sets[i].begin(), sets[i].end());
      std::sort(copy.begin(), copy.end());
      copy.erase(std::unique(copy.begin(), copy.end()), copy.end());
      copies.push_back(std::move(copy));
      sets[i] = copies.back();
    }
    total += sets[i].size();
    const std::uint32_t* p = proj.data() + i * n_tables;
    for (std::size_t t = 0; t < n_tables; ++t) counts[p[t]] += static_cast<std::int64_t>(sets[i].size());
  }
  // Where two finest cells' levels differ, as a mask of dimensions.
  auto differing = [&](std::uint32_t x, std::uint32_t y) {
    const std::uint32_t* lx = decoded.levels.data() + std::size_t{x} * d;
    const std::uint32_t* ly = decoded.levels.data() + std::size_t{y} * d;
    std::uint32_t mask = 0;
    for (std::size_t j = 0; j < d; ++j) mask |= static_cast<std::uint32_t>(lx[j] != ly[j]) << j;
    return mask;
  };
  // Persons of two cells: how many per (first cell, differing dimensions).
  std::vector<std::uint64_t> pair_counts;
  std::unordered_map<std::uint64_t, std::uint64_t> pair_map;  // when cells x 2^d is too large for an array
  const bool pair_array = n_cells * n_tables <= (std::size_t{1} << 24);
  if (pair_array) pair_counts.assign(n_cells * n_tables, 0);
  // Buckets of about 64K pairs: each bucket visits every cell's set once (a cache miss each), so few
  // large buckets (150 at 10M records) rather than many small ones; within a bucket a counting
  // sort on the next 16 bits of the uniform hashes (about one pair a bin), then insertion sort.
  const int bucket_bits = std::clamp(static_cast<int>(std::bit_width(total >> 16)), 0, 24);
  const int shift = 64 - bucket_bits;
  const int low_shift = shift >= 16 ? shift - 16 : 0;
  std::vector<std::size_t> cursor(n_cells, 0), bin_start(65537);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> pairs, sorted_pairs;
  std::vector<std::uint32_t> seen;
  for (std::uint64_t bucket = 0; bucket < (std::uint64_t{1} << bucket_bits); ++bucket) {
    pairs.clear();
    for (std::size_t i = 0; i < n_cells; ++i) {
      const auto h = sets[i];
      std::size_t c = cursor[i];
      while (c < h.size() && (bucket_bits == 0 || (h[c] >> shift) == bucket)) pairs.emplace_back(h[c++], static_cast<std::uint32_t>(i));
      cursor[i] = c;
    }
    std::fill(bin_start.begin(), bin_start.end(), 0);
    for (const auto& pr : pairs) ++bin_start[((pr.first >> low_shift) & 0xFFFF) + 1];
    for (std::size_t b = 1; b < bin_start.size(); ++b) bin_start[b] += bin_start[b - 1];
    sorted_pairs.resize(pairs.size());
    for (const auto& pr : pairs) sorted_pairs[bin_start[(pr.first >> low_shift) & 0xFFFF]++] = pr;
    for (std::size_t x = 1; x < sorted_pairs.size(); ++x)
      for (std::size_t y = x; y > 0 && sorted_pairs[y] < sorted_pairs[y - 1]; --y) std::swap(sorted_pairs[y], sorted_pairs[y - 1]);
    pairs.swap(sorted_pairs);
    for (std::size_t r = 0; r < pairs.size();) {
      std::size_t e = r + 1;
      while (e < pairs.size() && pairs[e].first == pairs[r].first) ++e;
      const std::size_t k = e - r;
      if (k == 2) {
        const std::uint32_t diff = differing(pairs[r].second, pairs[r + 1].second);
        if (pair_array)
          ++pair_counts[std::size_t{pairs[r].second} * n_tables + diff];
        else
          ++pair_map[(std::uint64_t{pairs[r].second} << 32) | diff];
      } else if (k > 2) {
        for (std::size_t t = 0; t < n_tables; ++t) {
          seen.clear();
          for (std::size_t m = r; m < e; ++m) {
            const std::uint32_t p = proj[std::size_t{pairs[m].second} * n_tables + t];
            if (std::find(seen.begin(), seen.end(), p) == seen.end())
              seen.push_back(p);
            else
              --counts[p];  // counted again for another of the person's cells
          }
        }
      }
      r = e;
    }
  }
  // Two cells meet in table t exactly when t keeps none of the dimensions where they differ.
  auto correct = [&](std::size_t cell, std::uint32_t diff, std::uint64_t n) {
    const std::uint32_t* p = proj.data() + cell * n_tables;
    for (std::size_t t = 0; t < n_tables; ++t)
      if ((t & diff) == 0) counts[p[t]] -= static_cast<std::int64_t>(n);
  };
  if (pair_array) {
    for (std::size_t cell = 0; cell < n_cells; ++cell)
      for (std::size_t diff = 1; diff < n_tables; ++diff)
        if (const std::uint64_t n = pair_counts[cell * n_tables + diff]) correct(cell, static_cast<std::uint32_t>(diff), n);
  } else {
    for (const auto& [pair_key, n] : pair_map) correct(static_cast<std::size_t>(pair_key >> 32), static_cast<std::uint32_t>(pair_key), n);
  }
  for (std::size_t t = 0; t < n_tables; ++t)
    for (std::size_t c = offset[t]; c < offset[t + 1]; ++c) persons[t][c - offset[t]] = static_cast<std::uint64_t>(counts[c]);
}

// An upper bound of the bytes a cube's tables take (each table has at most the product of its
// dimensions' cardinalities and at most the non-empty finest cells plus one cell per sex for
// anonymous participants, plus a total cell), so that they share one chunk of memory (see
// rollup_builder::arena); 0 (chunks as they come) when the bound exceeds 16 MiB, where a loose
// bound would hold memory the tables do not use. An underestimate only costs a second chunk.
std::size_t cube_bytes_bound(const schema& s, std::size_t nonempty, bool persons) {
  const std::size_t d = s.dimensions().size();
  const std::size_t per_cell = (1 + s.outcomes().size()) * sizeof(std::uint64_t) + s.numeric_measures().size() * sizeof(measure_stats) +
                               (persons ? 2 : 1) * sizeof(std::uint64_t);
  constexpr std::size_t cap = std::size_t{16} << 20;
  const std::size_t sexes = s.dimensions()[0].cardinality();
  std::size_t total = 0;
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << d); ++mask) {
    std::size_t cells = 1;
    for (std::size_t dim = 0; dim < d && cells <= nonempty; ++dim)
      if (mask >> dim & 1) cells *= s.dimensions()[dim].cardinality();
    cells = std::min(cells, nonempty + sexes) + 1;
    total += cells * (per_cell + static_cast<std::size_t>(std::popcount(mask)) * sizeof(std::uint32_t)) + 64;
    if (total > cap) return 0;
  }
  return total;
}

}  // namespace

std::vector<rollup_table> cube(const aggregator& a) {
  const schema& s = a.schema_ref();
  const std::size_t d = s.dimensions().size();
  if (d > 20) throw usage_error("cube: " + std::to_string(d) + " dimensions would give 2^" + std::to_string(d) + " tables; at most 20 dimensions");
  const decoded_cells decoded = decode_nonempty(a);
  detail::rollup_builder builder(a);
  const detail::rollup_builder::finest_rows finest{decoded, a.cells()};
  const std::uint64_t all = (std::uint64_t{1} << d) - 1;
  detail::rollup_builder::arena memory(cube_bytes_bound(s, decoded.slots.size(), a.knows_persons()));
  // Finer tables first (more dimensions kept); each table from its smallest finer neighbour,
  // which is already built: about 5x fewer merges than rolling every table up from the finest
  // cells. Distinct persons do not add up that way: they are counted afterwards, for every table
  // at once, from the finest cells' person sets (count_cube_persons).
  std::vector<std::uint64_t> order(all + 1);
  for (std::uint64_t mask = 0; mask <= all; ++mask) order[mask] = mask;
  std::stable_sort(order.begin(), order.end(), [](std::uint64_t x, std::uint64_t y) { return std::popcount(x) > std::popcount(y); });
  std::vector<std::optional<rollup_table>> built(all + 1);
  std::vector<std::uint64_t*> persons(all + 1, nullptr);
  for (const std::uint64_t mask : order) {
    const rollup_table* parent = nullptr;
    for (std::size_t dim = 0; dim < d; ++dim) {
      const std::uint64_t finer = mask | (std::uint64_t{1} << dim);
      if (finer == mask) continue;
      const rollup_table& candidate = *built[finer];
      if (!parent || candidate.cells().size() < parent->cells().size()) parent = &candidate;
    }
    const grouping_set g = grouping_set::from_mask(s, mask);
    std::uint64_t** deferred = a.counts_persons() ? &persons[mask] : nullptr;
    if (parent)
      built[mask] = builder.build(g, detail::rollup_builder::table_rows{*parent}, nullptr, memory, mask == 0, deferred);
    else
      built[mask] = builder.build(g, finest, &decoded, memory, mask == 0, deferred);
  }
  if (a.counts_persons()) count_cube_persons(a, decoded, built, persons);
  std::vector<rollup_table> tables;
  tables.reserve(all + 1);
  for (auto& t : built) tables.push_back(std::move(*t));
  return tables;
}

rollup_table total(const aggregator& a) { return detail::rollup_builder(a).build_alone(grouping_set::total(), true); }

}  // namespace jamstat
