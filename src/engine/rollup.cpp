#include "jamstat/engine/rollup.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>

#include "jamstat/engine/errors.hpp"

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
  c.levels = {levels_.data() + i * g, g};
  c.participations = participations_[i];
  c.successes = {successes_.data() + i * outcomes_, outcomes_};
  c.numerics = {numerics_.data() + i * measures_, measures_};
  if (counts_persons_) c.persons = persons_[i];
  if (!anonymous_.empty()) c.anonymous_participants = anonymous_[i];
  return c;
}

std::optional<std::size_t> rollup_table::find_index(std::span<const std::uint32_t> levels) const noexcept {
  const std::size_t g = grouping_.dimensions().size();
  if (levels.size() != g) return std::nullopt;
  auto less = [&](std::size_t i) {
    const std::uint32_t* l = levels_.data() + i * g;
    return std::lexicographical_compare(l, l + g, levels.begin(), levels.end());
  };
  std::size_t lo = 0, hi = size_;  // the first cell not less than `levels`
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (less(mid)) lo = mid + 1;
    else hi = mid;
  }
  if (lo == size_ || !std::equal(levels.begin(), levels.end(), levels_.data() + lo * g)) return std::nullopt;
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

decoded_cells decode_nonempty(const aggregator& a) {
  const cell_store& cells = a.cells();
  decoded_cells out;
  out.dimensions = a.schema_ref().dimensions().size();
  std::vector<std::uint32_t> levels(out.dimensions);
  for (std::uint32_t slot = 0; slot < cells.slot_count(); ++slot) {
    if (cells.participations(slot) == 0) continue;
    cells.decode(cells.cell_of(slot), levels.data());
    out.slots.push_back(slot);
    out.levels.insert(out.levels.end(), levels.begin(), levels.end());
  }
  return out;
}

}  // namespace

namespace detail {

// Builds a table from a source of rows that are finer than (or as fine as) its grouping: the
// finest cells of an aggregator, or a finer table of the same aggregator (the cube lattice).
// Each row has level indices (a flat array with a stride) and statistics; a table's cell is the
// sum of the rows that agree with it on the grouped dimensions.
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
    void add_to(std::size_t i, rollup_table& t, std::size_t at) const noexcept {
      const std::uint32_t slot = decoded.slots[i];
      t.participations_[at] += cells.participations(slot);
      for (std::size_t o = 0; o < t.outcomes_; ++o) t.successes_[at * t.outcomes_ + o] += cells.successes(o)[slot];
      for (std::size_t m = 0; m < t.measures_; ++m) t.numerics_[at * t.measures_ + m].merge(cells.numerics(m)[slot]);
    }
  };

  // Rows of the source: the cells of a finer table.
  struct table_rows {
    const rollup_table& parent;
    std::size_t count() const noexcept { return parent.size_; }
    const std::uint32_t* levels(std::size_t i) const noexcept {
      return parent.levels_.data() + i * parent.grouping_.dimensions().size();
    }
    std::size_t position(std::size_t d) const noexcept {
      const auto& dims = parent.grouping_.dimensions();
      return static_cast<std::size_t>(std::lower_bound(dims.begin(), dims.end(), d) - dims.begin());
    }
    void add_to(std::size_t i, rollup_table& t, std::size_t at) const noexcept {
      t.participations_[at] += parent.participations_[i];
      for (std::size_t o = 0; o < t.outcomes_; ++o) t.successes_[at * t.outcomes_ + o] += parent.successes_[i * t.outcomes_ + o];
      for (std::size_t m = 0; m < t.measures_; ++m) t.numerics_[at * t.measures_ + m].merge(parent.numerics_[i * t.measures_ + m]);
    }
  };

  template <class Rows>
  rollup_table build(const grouping_set& grouping, const Rows& rows, const decoded_cells* members_of_finest,
                     bool empty_total_cell = false) const {
    const auto& g = grouping.dimensions();
    if (!g.empty() && g.back() >= s.dimensions().size()) throw usage_error("grouping set does not fit this schema");
    rollup_table t(grouping);
    t.outcomes_ = outcomes;
    t.measures_ = measures;
    t.counts_persons_ = a.counts_persons();

    // A cell's key is its mixed-radix index over the grouped dimensions, so ascending keys are
    // ascending levels. The keys present are found first (a dense table of all keys when the
    // grouping is small, the usual case; sorted keys otherwise), so that every array is sized
    // once, exactly, and filled in order: no growth and no sort of the output.
    std::vector<std::uint64_t> card(g.size());
    std::vector<std::size_t> at(g.size());
    std::uint64_t keys = 1;
    for (std::size_t k = 0; k < g.size(); ++k) {
      card[k] = s.dimensions()[g[k]].cardinality();
      at[k] = rows.position(g[k]);
      keys = keys > (std::uint64_t{1} << 40) ? keys : keys * card[k];
    }
    auto key_of_row = [&](std::size_t i) {
      const std::uint32_t* l = rows.levels(i);
      std::uint64_t key = 0;
      for (std::size_t k = 0; k < g.size(); ++k) key = key * card[k] + l[at[k]];
      return key;
    };
    const bool anonymous_here = g.empty() || (g.size() == 1 && g[0] == 0);
    std::vector<std::uint64_t> extra_keys;  // cells made by anonymous participants (and the total, see total())
    if (anonymous_here)
      for (std::uint32_t sex = 0; sex < a.anonymous_participants().size(); ++sex)
        if (a.anonymous_participants()[sex] > 0) extra_keys.push_back(g.empty() ? 0 : sex);
    if (g.empty() && empty_total_cell) extra_keys.push_back(0);  // see total()

    const bool dense = keys <= (std::uint64_t{1} << 20);
    std::vector<std::int32_t> dense_index;
    std::vector<std::uint64_t> sorted_keys;
    std::vector<std::uint64_t> row_keys(rows.count());
    for (std::size_t i = 0; i < rows.count(); ++i) row_keys[i] = key_of_row(i);
    if (dense) {
      dense_index.assign(keys, -1);
      for (const std::uint64_t key : row_keys) dense_index[key] = 0;
      for (const std::uint64_t key : extra_keys) dense_index[key] = 0;
      for (std::uint64_t key = 0; key < keys; ++key)
        if (dense_index[key] == 0) {
          dense_index[key] = static_cast<std::int32_t>(sorted_keys.size());
          sorted_keys.push_back(key);
        }
    } else {
      sorted_keys = row_keys;
      sorted_keys.insert(sorted_keys.end(), extra_keys.begin(), extra_keys.end());
      std::sort(sorted_keys.begin(), sorted_keys.end());
      sorted_keys.erase(std::unique(sorted_keys.begin(), sorted_keys.end()), sorted_keys.end());
    }
    auto index_of_key = [&](std::uint64_t key) -> std::size_t {
      if (dense) return static_cast<std::size_t>(dense_index[key]);
      return static_cast<std::size_t>(std::lower_bound(sorted_keys.begin(), sorted_keys.end(), key) - sorted_keys.begin());
    };

    const std::size_t n = sorted_keys.size();
    t.size_ = n;
    t.levels_.resize(n * g.size());
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t rest = sorted_keys[i];
      for (std::size_t k = g.size(); k-- > 0;) {
        t.levels_[i * g.size() + k] = static_cast<std::uint32_t>(rest % card[k]);
        rest /= card[k];
      }
    }
    t.participations_.assign(n, 0);
    t.successes_.assign(n * outcomes, 0);
    t.numerics_.assign(n * measures, moments{});
    for (std::size_t i = 0; i < rows.count(); ++i) rows.add_to(i, t, index_of_key(row_keys[i]));

    if (anonymous_here && !a.anonymous_participants().empty()) {
      t.anonymous_.assign(n, 0);
      for (std::uint32_t sex = 0; sex < a.anonymous_participants().size(); ++sex)
        if (a.anonymous_participants()[sex] > 0) t.anonymous_[index_of_key(g.empty() ? 0 : sex)] += a.anonymous_participants()[sex];
    }

    if (t.counts_persons_) {
      // Distinct persons do not add up: each cell counts the union of its finest cells' sets.
      if (!members_of_finest) throw std::logic_error("rollup: distinct persons need the finest cells");
      std::vector<std::size_t> first(n + 1, 0);  // the rows of cell i are members[first[i], first[i + 1])
      for (std::size_t i = 0; i < rows.count(); ++i) ++first[index_of_key(row_keys[i]) + 1];
      for (std::size_t i = 0; i < n; ++i) first[i + 1] += first[i];
      std::vector<const person_set*> members(rows.count());
      std::vector<std::size_t> next(first.begin(), first.end() - 1);
      for (std::size_t i = 0; i < rows.count(); ++i)
        members[next[index_of_key(row_keys[i])]++] = &a.cells().persons(members_of_finest->slots[i]);
      t.persons_.resize(n);
      for (std::size_t i = 0; i < n; ++i)
        t.persons_[i] = count_distinct_union(std::span<const person_set* const>(members.data() + first[i], first[i + 1] - first[i]));
    }
    return t;
  }
};

}  // namespace detail

rollup_table rollup(const aggregator& a, const grouping_set& grouping) {
  const decoded_cells decoded = decode_nonempty(a);
  const detail::rollup_builder builder(a);
  return builder.build(grouping, detail::rollup_builder::finest_rows{decoded, a.cells()}, &decoded);
}

std::vector<rollup_table> cube(const aggregator& a) {
  const schema& s = a.schema_ref();
  const std::size_t d = s.dimensions().size();
  if (d > 20) throw usage_error("cube: " + std::to_string(d) + " dimensions would give 2^" + std::to_string(d) + " tables; at most 20 dimensions");
  const decoded_cells decoded = decode_nonempty(a);
  const detail::rollup_builder builder(a);
  const detail::rollup_builder::finest_rows finest{decoded, a.cells()};
  const std::uint64_t all = (std::uint64_t{1} << d) - 1;
  // Finer tables first (more dimensions kept); each table from its smallest finer neighbour,
  // which is already built: about 5x fewer merges than rolling every table up from the finest
  // cells. Distinct persons come from the finest cells' sets, so with persons every table is
  // built from those.
  std::vector<std::uint64_t> order(all + 1);
  for (std::uint64_t mask = 0; mask <= all; ++mask) order[mask] = mask;
  std::stable_sort(order.begin(), order.end(), [](std::uint64_t x, std::uint64_t y) { return std::popcount(x) > std::popcount(y); });
  std::vector<std::optional<rollup_table>> built(all + 1);
  for (const std::uint64_t mask : order) {
    const grouping_set g = grouping_set::from_mask(s, mask);
    const rollup_table* parent = nullptr;
    if (!a.counts_persons())
      for (std::size_t dim = 0; dim < d; ++dim) {
        const std::uint64_t finer = mask | (std::uint64_t{1} << dim);
        if (finer == mask) continue;
        const rollup_table& candidate = *built[finer];
        if (!parent || candidate.cells().size() < parent->cells().size()) parent = &candidate;
      }
    if (parent)
      built[mask] = builder.build(g, detail::rollup_builder::table_rows{*parent}, nullptr);
    else
      built[mask] = builder.build(g, finest, &decoded);
  }
  std::vector<rollup_table> tables;
  tables.reserve(all + 1);
  for (auto& t : built) tables.push_back(std::move(*t));
  return tables;
}

rollup_table total(const aggregator& a) {
  const decoded_cells decoded = decode_nonempty(a);
  const detail::rollup_builder builder(a);
  return builder.build(grouping_set::total(), detail::rollup_builder::finest_rows{decoded, a.cells()}, &decoded, true);
}

}  // namespace jamstat
