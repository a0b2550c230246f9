#include "jamstat/engine/rollup.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

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

const rollup_cell* rollup_table::find(std::span<const std::uint32_t> levels) const noexcept {
  auto it = std::lower_bound(cells_.begin(), cells_.end(), levels, [](const rollup_cell& c, std::span<const std::uint32_t> key) {
    return std::lexicographical_compare(c.levels.begin(), c.levels.end(), key.begin(), key.end());
  });
  if (it == cells_.end() || !std::equal(it->levels.begin(), it->levels.end(), levels.begin(), levels.end())) return nullptr;
  return &*it;
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

rollup_table rollup_decoded(const aggregator& a, const decoded_cells& decoded, const grouping_set& grouping) {
  const schema& s = a.schema_ref();
  const cell_store& cells = a.cells();
  const auto& g = grouping.dimensions();
  if (!g.empty() && g.back() >= s.dimensions().size()) throw usage_error("grouping set does not fit this schema");
  const std::size_t n_outcomes = s.outcomes().size(), n_numerics = s.numeric_measures().size();

  // Output cells are found by their mixed-radix index over the grouped dimensions: a dense table
  // when the grouping is small (the usual case), a hash map otherwise. On the dense table the keys
  // present are found first, so that the cells are made once, exactly as many as needed, already
  // in order (ascending key is ascending levels), with no growth of the output and no sort.
  std::uint64_t keys = 1;
  for (std::size_t d : g) keys = keys > (std::uint64_t{1} << 40) ? keys : keys * s.dimensions()[d].cardinality();
  const bool dense = keys <= (std::uint64_t{1} << 20);
  const bool anonymous_here = g.empty() || (g.size() == 1 && g[0] == 0);
  auto key_of = [&](const std::uint32_t* levels) {
    std::uint64_t key = 0;
    for (std::size_t d : g) key = key * s.dimensions()[d].cardinality() + levels[d];
    return key;
  };
  std::vector<std::int32_t> dense_index(dense ? keys : 0, -1);
  std::unordered_map<std::uint64_t, std::size_t> sparse_index;
  std::vector<rollup_cell> out;
  std::vector<std::vector<std::uint32_t>> member_slots;  // for distinct persons
  auto new_cell = [&](auto&& levels_of) {
    rollup_cell c;
    levels_of(c.levels);
    c.successes.assign(n_outcomes, 0);
    c.numerics.assign(n_numerics, moments{});
    out.push_back(std::move(c));
    if (a.counts_persons()) member_slots.emplace_back();
  };
  if (dense) {
    for (std::size_t i = 0; i < decoded.slots.size(); ++i) dense_index[key_of(decoded.levels.data() + i * decoded.dimensions)] = 0;
    if (anonymous_here)
      for (std::uint32_t sex = 0; sex < a.anonymous_participants().size(); ++sex)
        if (a.anonymous_participants()[sex] > 0) dense_index[g.empty() ? 0 : sex] = 0;
    std::size_t present = 0;
    for (std::int32_t& at : dense_index)
      if (at == 0) ++present;
    out.reserve(present);
    if (a.counts_persons()) member_slots.reserve(present);
    for (std::uint64_t key = 0; key < keys; ++key) {
      if (dense_index[key] < 0) continue;
      dense_index[key] = static_cast<std::int32_t>(out.size());
      new_cell([&](std::vector<std::uint32_t>& l) {
        l.resize(g.size());
        std::uint64_t rest = key;
        for (std::size_t k = g.size(); k-- > 0;) {
          const std::uint64_t card = s.dimensions()[g[k]].cardinality();
          l[k] = static_cast<std::uint32_t>(rest % card);
          rest /= card;
        }
      });
    }
  }
  auto cell_for = [&](std::uint64_t key, auto&& levels_of) -> std::size_t {
    if (dense) return static_cast<std::size_t>(dense_index[key]);
    auto [it, inserted] = sparse_index.try_emplace(key, out.size());
    if (inserted) new_cell(levels_of);
    return it->second;
  };

  for (std::size_t i = 0; i < decoded.slots.size(); ++i) {
    const std::uint32_t slot = decoded.slots[i];
    const std::uint32_t* levels = decoded.levels.data() + i * decoded.dimensions;
    rollup_cell& c = out[cell_for(key_of(levels), [&](std::vector<std::uint32_t>& l) {
      for (std::size_t d : g) l.push_back(levels[d]);
    })];
    c.participations += cells.participations(slot);
    for (std::size_t o = 0; o < n_outcomes; ++o) c.successes[o] += cells.successes(o)[slot];
    for (std::size_t m = 0; m < n_numerics; ++m) c.numerics[m].merge(cells.numerics(m)[slot]);
    if (a.counts_persons()) member_slots[static_cast<std::size_t>(&c - out.data())].push_back(slot);
  }

  // Anonymous participants belong to groupings that keep at most sex.
  if (anonymous_here) {
    for (std::uint32_t sex = 0; sex < a.anonymous_participants().size(); ++sex) {
      const std::uint64_t n = a.anonymous_participants()[sex];
      if (n == 0) continue;
      out[cell_for(g.empty() ? 0 : sex, [&](std::vector<std::uint32_t>& l) {
        if (!g.empty()) l.push_back(sex);
      })].anonymous_participants += n;
    }
  }

  if (a.counts_persons()) {
    std::vector<const person_set*> sets;
    for (std::size_t i = 0; i < out.size(); ++i) {
      sets.clear();
      for (std::uint32_t slot : member_slots[i]) sets.push_back(&cells.persons(slot));
      out[i].persons = count_distinct_union(sets);
    }
  }

  if (!dense) std::sort(out.begin(), out.end(), [](const rollup_cell& x, const rollup_cell& y) { return x.levels < y.levels; });
  return rollup_table(grouping, std::move(out));
}

}  // namespace

rollup_table rollup(const aggregator& a, const grouping_set& grouping) {
  return rollup_decoded(a, decode_nonempty(a), grouping);
}

std::vector<rollup_table> cube(const aggregator& a) {
  const schema& s = a.schema_ref();
  const std::size_t d = s.dimensions().size();
  if (d > 20) throw usage_error("cube: " + std::to_string(d) + " dimensions would give 2^" + std::to_string(d) + " tables; at most 20 dimensions");
  std::vector<rollup_table> tables;
  tables.reserve(std::size_t{1} << d);
  const decoded_cells decoded = decode_nonempty(a);
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << d); ++mask)
    tables.push_back(rollup_decoded(a, decoded, grouping_set::from_mask(s, mask)));
  return tables;
}

rollup_cell total(const aggregator& a) {
  rollup_table t = rollup(a, grouping_set::total());
  if (!t.cells().empty()) return t.cells().front();
  rollup_cell empty;
  empty.successes.assign(a.schema_ref().outcomes().size(), 0);
  empty.numerics.assign(a.schema_ref().numeric_measures().size(), moments{});
  if (a.counts_persons()) empty.persons = 0;
  return empty;
}

}  // namespace jamstat
