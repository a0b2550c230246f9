#include "jamstat/disclosure/table_set.hpp"

#include <cmath>
#include <string>

#include "jamstat/disclosure/suppression.hpp"
#include "jamstat/engine/errors.hpp"

namespace jamstat::disclosure {

namespace {

constexpr std::uint64_t cell_limit = std::uint64_t{1} << 22;

[[noreturn]] void fail(const std::string& message) { throw usage_error("disclosure: " + message); }

std::string cell_name(std::size_t i) { return "table_set.cells[" + std::to_string(i) + "]"; }

}  // namespace

std::uint64_t grouping_cell_count(const table_set& tables, std::uint64_t mask) {
  std::uint64_t n = 1;
  for (std::size_t d = 0; d < tables.dimensions.size(); ++d)
    if (mask >> d & 1) {
      n *= tables.dimensions[d].levels;
      if (n > cell_limit) return n;  // callers only compare against the limit
    }
  return n;
}

std::vector<std::uint32_t> grouping_cell_levels(const table_set& tables, std::uint64_t mask,
                                                std::uint64_t cell) {
  const std::size_t dims = tables.dimensions.size();
  if (dims > 63 || mask >> dims != 0) fail("grouping mask " + std::to_string(mask) + " names a dimension that does not exist");
  if (cell >= grouping_cell_count(tables, mask))
    fail("cell " + std::to_string(cell) + " is out of range for grouping mask " + std::to_string(mask));
  std::vector<std::uint32_t> levels(dims, not_grouped);
  for (std::size_t d = dims; d-- > 0;)
    if (mask >> d & 1) {
      const std::uint32_t n = tables.dimensions[d].levels;
      levels[d] = static_cast<std::uint32_t>(cell % n);
      cell /= n;
    }
  return levels;
}

std::vector<std::uint64_t> published_cell_offsets(const table_set& tables) {
  std::vector<std::uint64_t> offsets{0};
  for (const std::uint64_t mask : tables.groupings) offsets.push_back(offsets.back() + grouping_cell_count(tables, mask));
  return offsets;
}

void validate(const table_set& tables) {
  const std::size_t dims = tables.dimensions.size();
  if (dims == 0 || dims > 63) fail("table_set.dimensions must hold 1 to 63 dimensions, has " + std::to_string(dims));
  std::uint64_t finest = 1;
  for (std::size_t d = 0; d < dims; ++d) {
    if (tables.dimensions[d].levels == 0) fail("dimension '" + tables.dimensions[d].name + "' has no levels");
    finest *= tables.dimensions[d].levels;
    if (finest > cell_limit)
      fail("the finest grid has more than 2^22 cells; disclosure control of such a grid is not supported");
  }
  if (tables.has_person_hashes && !tables.persons_counted)
    fail("table_set.has_person_hashes needs persons_counted");
  const std::size_t outcomes = tables.outcomes.size(), measures = tables.measures.size();
  std::vector<std::uint8_t> seen(finest, 0);
  for (std::size_t i = 0; i < tables.cells.size(); ++i) {
    const finest_cell& c = tables.cells[i];
    if (c.levels.size() != dims)
      fail(cell_name(i) + ".levels has " + std::to_string(c.levels.size()) + " entries, expected " + std::to_string(dims));
    std::uint64_t f = 0;
    for (std::size_t d = 0; d < dims; ++d) {
      if (c.levels[d] >= tables.dimensions[d].levels)
        fail(cell_name(i) + ".levels[" + std::to_string(d) + "] = " + std::to_string(c.levels[d]) + " is not below " +
             std::to_string(tables.dimensions[d].levels) + " (levels of '" + tables.dimensions[d].name + "')");
      f = f * tables.dimensions[d].levels + c.levels[d];
    }
    if (seen[f]) fail(cell_name(i) + " repeats the levels of an earlier cell");
    seen[f] = 1;
    if (c.participations == 0) fail(cell_name(i) + " has no participations; pass only non-empty finest cells");
    if (c.persons > c.participations)
      fail(cell_name(i) + ".persons (" + std::to_string(c.persons) + ") exceeds participations (" +
           std::to_string(c.participations) + ")");
    if (tables.persons_counted && c.persons == 0) fail(cell_name(i) + ".persons is 0 in a non-empty cell");
    if (!tables.persons_counted && c.persons != c.participations)
      fail(cell_name(i) + ".persons must equal participations when persons are not counted");
    if (c.successes.size() != outcomes)
      fail(cell_name(i) + ".successes has " + std::to_string(c.successes.size()) + " entries, expected " +
           std::to_string(outcomes) + " (one per outcome)");
    for (std::size_t o = 0; o < outcomes; ++o)
      if (c.successes[o] > c.participations)
        fail(cell_name(i) + ".successes[" + std::to_string(o) + "] exceeds participations");
    if (c.measures.size() != measures)
      fail(cell_name(i) + ".measures has " + std::to_string(c.measures.size()) + " entries, expected " +
           std::to_string(measures) + " (one per measure)");
    for (std::size_t m = 0; m < measures; ++m) {
      const measure_cell& v = c.measures[m];
      if (!std::isfinite(v.sum) || !std::isfinite(v.largest) || !std::isfinite(v.second_largest))
        fail(cell_name(i) + ".measures[" + std::to_string(m) + "] is not finite");
      if (v.second_largest < 0 || v.largest < v.second_largest || v.sum < 0)
        fail(cell_name(i) + ".measures[" + std::to_string(m) +
             "]: contributions must be non-negative with largest >= second_largest and sum >= 0");
    }
    if (tables.has_person_hashes) {
      if (c.person_hashes.size() != c.persons)
        fail(cell_name(i) + ".person_hashes has " + std::to_string(c.person_hashes.size()) + " hashes, expected " +
             std::to_string(c.persons) + " (persons)");
      for (std::size_t k = 1; k < c.person_hashes.size(); ++k)
        if (c.person_hashes[k - 1] >= c.person_hashes[k])
          fail(cell_name(i) + ".person_hashes must be sorted ascending and distinct");
    } else if (!c.person_hashes.empty()) {
      fail(cell_name(i) + ".person_hashes is given but table_set.has_person_hashes is false");
    }
  }
  if (tables.groupings.empty()) fail("table_set.groupings is empty: nothing would be published");
  std::uint64_t total = 0;
  for (std::size_t g = 0; g < tables.groupings.size(); ++g) {
    const std::uint64_t mask = tables.groupings[g];
    if (mask >> dims != 0)
      fail("table_set.groupings[" + std::to_string(g) + "] = " + std::to_string(mask) + " names a dimension that does not exist");
    for (std::size_t h = 0; h < g; ++h)
      if (tables.groupings[h] == mask) fail("table_set.groupings[" + std::to_string(g) + "] repeats an earlier grouping");
    total += grouping_cell_count(tables, mask);
    if (total > cell_limit) fail("the groupings publish more than 2^22 cells in all");
  }
  const bool need_persons = tables.persons_counted && !tables.has_person_hashes;
  if (need_persons) {
    if (tables.grouping_persons.size() != tables.groupings.size())
      fail("persons are counted without person hashes: table_set.grouping_persons must give the distinct persons of "
           "every cell of every grouping (" + std::to_string(tables.groupings.size()) + " groupings)");
    for (std::size_t g = 0; g < tables.groupings.size(); ++g)
      if (tables.grouping_persons[g].size() != grouping_cell_count(tables, tables.groupings[g]))
        fail("table_set.grouping_persons[" + std::to_string(g) + "] has " + std::to_string(tables.grouping_persons[g].size()) +
             " entries, expected " + std::to_string(grouping_cell_count(tables, tables.groupings[g])) + " (cells of the grouping)");
  } else if (!tables.grouping_persons.empty()) {
    fail("table_set.grouping_persons is only used when persons are counted and no person hashes are given");
  }
}

}  // namespace jamstat::disclosure
