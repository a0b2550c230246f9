// The adapter from an engine state to disclosure control's table set.
#include "jamstat/disclosure/state_tables.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/rollup.hpp"

namespace jamstat::disclosure {

namespace {

[[noreturn]] void fail(const std::string& message) { throw usage_error("disclosure: " + message); }

double or_zero(double x) { return std::isnan(x) ? 0.0 : x; }

// The frozen persons of the finest cell with these level indices (the frozen cells are sorted by
// them: a binary search). Slots of a sparse store are not in cell order, hence the search.
std::uint64_t frozen_persons_of(const frozen_persons::grouping& finest, const std::vector<std::uint32_t>& levels) {
  const std::size_t w = finest.width;
  std::size_t lo = 0, hi = finest.cells();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const auto first = finest.levels.begin() + static_cast<std::ptrdiff_t>(mid * w);
    if (std::lexicographical_compare(first, first + static_cast<std::ptrdiff_t>(w), levels.begin(), levels.end()))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == finest.cells() || !std::equal(levels.begin(), levels.end(), finest.levels.begin() + static_cast<std::ptrdiff_t>(lo * w)))
    throw std::logic_error("disclosure: a finest cell of a person-free state has no frozen persons");
  return finest.persons[lo];
}

}  // namespace

table_set tables_from_state(const aggregator& state, std::span<const std::uint64_t> grouping_masks, person_handover persons) {
  const schema& s = state.schema_ref();
  const std::size_t dims = s.dimensions().size();
  if (persons != person_handover::hashes && persons != person_handover::counts) fail("person_handover is not a known value");
  table_set t;
  for (const dimension& d : s.dimensions()) {
    if (d.cardinality() > 0xFFFFFFFFu) fail("dimension '" + d.name() + "' has too many levels");
    t.dimensions.push_back({d.name(), static_cast<std::uint32_t>(d.cardinality())});
  }
  for (const outcome& o : s.outcomes()) t.outcomes.push_back(o.name);
  for (const numeric_measure& m : s.numeric_measures()) t.measures.push_back(m.name);
  // A person-free state hands over its frozen counts (it has no hashes): the finest cells' persons
  // and those of every published grouping, which must all have been frozen.
  const frozen_persons* frozen = state.frozen();
  t.persons_counted = state.knows_persons();
  t.has_person_hashes = state.counts_persons() && persons == person_handover::hashes;
  t.groupings.assign(grouping_masks.begin(), grouping_masks.end());
  for (std::size_t g = 0; g < t.groupings.size(); ++g) {
    if (dims < 64 && t.groupings[g] >> dims != 0)
      fail("grouping_masks[" + std::to_string(g) + "] = " + std::to_string(t.groupings[g]) + " names a dimension the schema does not have");
    if (frozen && !frozen->find(t.groupings[g]))
      fail("grouping_masks[" + std::to_string(g) + "] = " + std::to_string(t.groupings[g]) +
           ": this person-free state did not freeze that grouping's distinct persons, so it cannot be protected by persons; "
           "publish a frozen grouping, or make the person-free state again with this one");
  }
  const frozen_persons::grouping* frozen_finest = frozen ? frozen->find(dims < 64 ? (std::uint64_t{1} << dims) - 1 : ~std::uint64_t{0}) : nullptr;
  if (frozen && !frozen_finest) fail("this person-free state lacks the finest cells' persons");
  {
    // validate() refuses grids above 2^22 cells; fail before copying a huge state.
    std::uint64_t finest = 1;
    for (const auto& d : t.dimensions) {
      finest *= d.levels;
      if (finest > (std::uint64_t{1} << 22)) fail("the finest grid has more than 2^22 cells; disclosure control of such a grid is not supported");
    }
  }
  const cell_store& cells = state.cells();
  std::vector<std::uint32_t> levels(dims);
  for (std::uint32_t slot = 0; slot < cells.slot_count(); ++slot) {
    const std::uint64_t n = cells.participations(slot);
    if (n == 0) continue;
    finest_cell c;
    cells.decode(cells.cell_of(slot), levels.data());
    c.levels = levels;
    c.participations = n;
    for (std::size_t o = 0; o < t.outcomes.size(); ++o) c.successes.push_back(cells.successes(o)[slot]);
    for (std::size_t m = 0; m < t.measures.size(); ++m) {
      const measure_stats st = cells.stats(m, slot);
      if (or_zero(st.min()) < 0.0)
        fail("numeric measure '" + t.measures[m] + "' has negative values; the dominance rules of disclosure control need "
             "non-negative contributions (hours, amounts)");
      c.measures.push_back({st.total(), or_zero(st.max()), or_zero(st.second_max())});
    }
    if (state.counts_persons()) {
      std::vector<std::uint64_t> h(cells.persons(slot).hashes().begin(), cells.persons(slot).hashes().end());
      if (!cells.persons(slot).is_compact()) {
        std::sort(h.begin(), h.end());
        h.erase(std::unique(h.begin(), h.end()), h.end());
      }
      c.persons = h.size();
      if (t.has_person_hashes) c.person_hashes = std::move(h);
    } else if (frozen_finest) {
      c.persons = frozen_persons_of(*frozen_finest, levels);
    } else {
      c.persons = n;
    }
    t.cells.push_back(std::move(c));
  }
  if (state.knows_persons() && !t.has_person_hashes) {
    // Distinct persons of every published cell, from the engine's roll-ups.
    for (const std::uint64_t mask : t.groupings) {
      const rollup_table r = rollup(state, grouping_set::from_mask(s, mask));
      std::vector<std::uint64_t> counts(grouping_cell_count(t, mask), 0);
      for (const rollup_cell& rc : r.cells()) {
        std::uint64_t index = 0;
        std::size_t k = 0;
        for (std::size_t d = 0; d < dims; ++d)
          if (mask >> d & 1) index = index * t.dimensions[d].levels + rc.levels[k++];
        counts[index] = rc.persons.value_or(0);
      }
      t.grouping_persons.push_back(std::move(counts));
    }
  }
  validate(t);
  return t;
}

table_set tables_from_state(const aggregator& state, std::span<const grouping_set> groupings, person_handover persons) {
  std::vector<std::uint64_t> masks;
  for (const grouping_set& g : groupings) masks.push_back(g.mask());
  return tables_from_state(state, masks, persons);
}

published_cell locate(const table_set& tables, std::uint64_t grouping_mask, std::span<const std::uint32_t> levels) {
  const auto it = std::find(tables.groupings.begin(), tables.groupings.end(), grouping_mask);
  if (it == tables.groupings.end()) fail("no published grouping has mask " + std::to_string(grouping_mask));
  const std::size_t g = static_cast<std::size_t>(it - tables.groupings.begin());
  std::uint64_t index = 0;
  std::size_t k = 0;
  for (std::size_t d = 0; d < tables.dimensions.size(); ++d) {
    if (!(grouping_mask >> d & 1)) continue;
    if (k >= levels.size()) fail("levels has " + std::to_string(levels.size()) + " entries, fewer than the grouping's dimensions");
    if (levels[k] >= tables.dimensions[d].levels)
      fail("levels[" + std::to_string(k) + "] = " + std::to_string(levels[k]) + " is not a level of '" + tables.dimensions[d].name + "'");
    index = index * tables.dimensions[d].levels + levels[k++];
  }
  if (k != levels.size()) fail("levels has " + std::to_string(levels.size()) + " entries, expected " + std::to_string(k) + " (the grouping's dimensions)");
  std::uint64_t offset = 0;
  for (std::size_t h = 0; h < g; ++h) offset += grouping_cell_count(tables, tables.groupings[h]);
  return {g, offset + index};
}

cell_status status_of(const suppression_pattern& pattern, std::uint64_t cell, statistic_family family, std::size_t index) {
  auto pick = [&](const std::vector<cell_status>& v) {
    if (cell >= v.size()) fail("cell " + std::to_string(cell) + " is not a published cell of the pattern");
    return v[cell];
  };
  switch (family) {
    case statistic_family::count:
      return pick(pattern.counts);
    case statistic_family::outcome:
      if (index >= pattern.outcomes.size()) fail("outcome " + std::to_string(index) + " is out of range");
      return pick(pattern.outcomes[index]);
    case statistic_family::measure:
      if (index >= pattern.measures.size()) fail("measure " + std::to_string(index) + " is out of range");
      return pick(pattern.measures[index]);
  }
  fail("statistic_family is not a known value");
}

}  // namespace jamstat::disclosure
