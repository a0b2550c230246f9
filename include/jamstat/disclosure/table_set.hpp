// The engine-neutral input of disclosure control: the finest cells of one aggregate state and
// the groupings that will be published from it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jamstat::disclosure {

/// A dimension of the finest grid: its name and its number of levels. Dimension 0 is sex.
struct dimension_info {
  std::string name;
  std::uint32_t levels = 0;
};

/// One numeric measure (hours, cost) in one finest cell: the sum over the cell's participations
/// and the two largest single contributions (one participation each; 0 when the cell has fewer
/// participations). The dominance rules read the two largest; contributions are assumed
/// non-negative (hours and amounts of money are).
struct measure_cell {
  double sum = 0.0;
  double largest = 0.0;
  double second_largest = 0.0;
};

/// One non-empty finest cell.
struct finest_cell {
  /// Level index of every dimension, in dimension order (sex first).
  std::vector<std::uint32_t> levels;
  /// Distinct persons where the state counts them, otherwise equal to participations.
  std::uint64_t persons = 0;
  /// Records (participations).
  std::uint64_t participations = 0;
  /// Participations with each outcome, in outcome order (each at most `participations`).
  std::vector<std::uint64_t> successes;
  /// Each numeric measure, in measure order.
  std::vector<measure_cell> measures;
  /// The keyed hashes of the cell's distinct persons, sorted ascending and distinct, when the
  /// state counts persons and the caller hands them over (table_set::has_person_hashes); empty
  /// otherwise. Used for the distinct persons of every roll-up cell and for cell keys.
  std::vector<std::uint64_t> person_hashes;
};

/// A published table set derived from one aggregate state: the finest cells, and every grouping
/// (roll-up) that will be published from them. Every published cell is the sum of the finest
/// cells that agree with it on its grouped dimensions; those sums are the linear relations an
/// attacker knows.
///
/// Published cells are addressed by (grouping, cell): the cell index within a grouping is the
/// mixed-radix index of the grouped dimensions' level indices, the lowest-numbered grouped
/// dimension most significant (as the engine's finest-cell index), so a grouping of masks
/// {sex, intervention} with 3 and 12 levels has cells 0..35 with cell = 12 * sex + intervention.
/// Every cell of a published grouping is published, empty ones as 0.
struct table_set {
  std::vector<dimension_info> dimensions;
  std::vector<std::string> outcomes;  ///< outcome names, in the order of finest_cell::successes
  std::vector<std::string> measures;  ///< measure names, in the order of finest_cell::measures
  /// Whether `persons` counts distinct persons (true) or equals participations (false).
  bool persons_counted = true;
  /// Whether every finest cell carries its person hashes (persons_counted must be true).
  bool has_person_hashes = false;
  /// The non-empty finest cells, in any order, each level tuple at most once.
  std::vector<finest_cell> cells;
  /// The published groupings as masks over the dimensions (bit d set = dimension d kept; bit 0 =
  /// sex; 0 = the total), each at most once, in the order the output lists them.
  std::vector<std::uint64_t> groupings;
  /// Distinct persons of every cell of every published grouping (grouping_persons[g][cell]),
  /// needed when persons are counted but no hashes are given (distinct counts do not add up);
  /// leave empty otherwise.
  std::vector<std::vector<std::uint64_t>> grouping_persons;
};

/// Number of cells of a grouping: the product of the kept dimensions' levels.
std::uint64_t grouping_cell_count(const table_set& tables, std::uint64_t mask);

/// The level index of every dimension for one cell of a grouping; dimensions the grouping does
/// not keep get `not_grouped`.
inline constexpr std::uint32_t not_grouped = 0xFFFFFFFFu;
std::vector<std::uint32_t> grouping_cell_levels(const table_set& tables, std::uint64_t mask,
                                                std::uint64_t cell);

/// Published cells are numbered grouping by grouping in table_set::groupings order, within a
/// grouping by cell index. The first number of each grouping's cells, plus the total at the end
/// (size groupings + 1).
std::vector<std::uint64_t> published_cell_offsets(const table_set& tables);

/// Checks the table set and throws jamstat::usage_error saying which argument is wrong and what
/// was expected: no dimensions or more than 63, a dimension without levels, a finest cell with
/// the wrong number of levels or successes or measures, a level out of range, a duplicate finest
/// cell, successes above participations, persons above participations or zero in a non-empty
/// cell, a measure that is not finite or a negative contribution, unsorted or missing person
/// hashes, a grouping naming no dimension or repeated, grouping_persons of the wrong shape, and
/// more than 2^22 published cells or finest cells in all (disclosure control of bigger grids is
/// not meaningful and would not fit in seconds).
void validate(const table_set& tables);

}  // namespace jamstat::disclosure
