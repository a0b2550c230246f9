// The engine-neutral input of the gap report: what the analysis needs to know about a schema (names
// and Swedish / English labels of dimensions, levels, outcomes and measures), one period's cells of
// counts and moments, and optional target-group counts. An adapter fills these from an aggregator's
// roll-ups; nothing here depends on the engine. Shapes: docs/methods-gap.md, "Gap report input".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace jamstat::analysis {

/// A text in Swedish and English.
struct bilingual {
  std::string sv;
  std::string en;
};

/// A dimension: its name (as in the schema), its label and its levels' labels, by level index.
struct gap_dimension {
  std::string name;
  bilingual label;
  std::vector<bilingual> levels;
};

/// What an outcome records: a result of the participation (in work or studies after it), or a
/// sub-intervention offered during it (a *delinsats*). Only the wording of verdicts differs.
enum class outcome_role : std::uint8_t { result = 0, offered = 1 };

/// A binary outcome (0/1 per participation).
struct gap_outcome {
  std::string name;
  bilingual label;
  outcome_role role = outcome_role::result;
};

/// A numeric measure (hours, cost), with its unit as printed after numbers ("h", "kr").
struct gap_measure {
  std::string name;
  bilingual label;
  std::string unit;
};

/// Names and labels of everything the cells are broken down by and carry.
struct gap_schema {
  std::vector<gap_dimension> dimensions;
  std::vector<gap_outcome> outcomes;
  std::vector<gap_measure> measures;

  /// The index of the dimension called `name`; usage_error naming the known dimensions otherwise.
  std::size_t dimension_index(std::string_view name) const;
};

/// A cell's level for a dimension it is rolled up over (the cell covers all that dimension's levels).
inline constexpr std::uint32_t all_levels = 0xFFFFFFFFu;

/// Persons not known for a cell (the engine counted no person ids).
inline constexpr std::uint64_t persons_unknown = 0xFFFFFFFFFFFFFFFFull;

/// A numeric measure's statistics in one cell: count of values, their sum, mean and sample
/// variance (divisor count - 1; ignored when count < 2).
struct measure_moments {
  std::uint64_t count;
  double sum;
  double mean;
  double variance;
};

/// One period's cells, stored column-wise. Each cell: a level index per dimension (or all_levels),
/// an ISO/IEC 5218 sex code (0, 1, 2, 9), participations, distinct persons (or persons_unknown),
/// successes per outcome and moments per measure.
///
/// Cells may be finest cells (every dimension at a level) or roll-ups (some dimensions all_levels),
/// and may mix both: for each grouping the report uses the cells whose rolled-up dimensions are
/// exactly those outside the grouping if there are any (persons then are the engine's exact
/// distinct counts), and otherwise sums the finest cells available (persons then are summed, which
/// counts a person once per cell: exact when every person falls in one cell, e.g. person
/// attributes; an upper bound otherwise, flagged in the findings). Cells with the same levels and
/// sex are added together.
class gap_cells {
 public:
  gap_cells(std::size_t dimensions, std::size_t outcomes, std::size_t measures);
  /// The shape of `schema`.
  explicit gap_cells(const gap_schema& schema);

  /// Appends a cell. Throws usage_error (naming the argument) when a span has the wrong length, the
  /// sex code is not 0, 1, 2 or 9, successes exceed participations, persons exceed participations,
  /// or a measure's count exceeds participations or its mean / variance is not finite.
  void add(std::span<const std::uint32_t> levels, std::int32_t sex, std::uint64_t participations,
           std::uint64_t persons, std::span<const std::uint64_t> successes,
           std::span<const measure_moments> measures);

  void reserve(std::size_t cells);
  std::size_t size() const { return sex_.size(); }
  std::size_t dimension_count() const { return dimensions_; }
  std::size_t outcome_count() const { return outcomes_; }
  std::size_t measure_count() const { return measures_; }

  std::span<const std::uint32_t> levels(std::size_t cell) const {
    return {levels_.data() + cell * dimensions_, dimensions_};
  }
  std::int32_t sex(std::size_t cell) const { return sex_[cell]; }
  std::uint64_t participations(std::size_t cell) const { return participations_[cell]; }
  std::uint64_t persons(std::size_t cell) const { return persons_[cell]; }
  std::span<const std::uint64_t> successes(std::size_t cell) const {
    return {successes_.data() + cell * outcomes_, outcomes_};
  }
  std::span<const measure_moments> moments(std::size_t cell) const {
    return {moments_.data() + cell * measures_, measures_};
  }

 private:
  std::size_t dimensions_, outcomes_, measures_;
  std::vector<std::uint32_t> levels_;
  std::vector<std::int32_t> sex_;
  std::vector<std::uint64_t> participations_;
  std::vector<std::uint64_t> persons_;
  std::vector<std::uint64_t> successes_;
  std::vector<measure_moments> moments_;
};

/// The target group: the number of persons the participants are drawn from (e.g. registered in
/// the target group), by sex and by some of the schema's dimensions. Each cell gives a level per
/// listed dimension, a sex code and a population; cells with the same key are added. Participation
/// rates are computed for a grouping when the listed dimensions include the grouping's dimension
/// (and, adjusted, the legitimate factors); the counts are summed over listed dimensions a grouping
/// does not use. A combination never given counts as population 0.
class target_group {
 public:
  /// `dimensions`: indices into the schema's dimensions, in the order of each cell's levels.
  explicit target_group(std::vector<std::size_t> dimensions);

  /// Adds a cell. usage_error when levels has the wrong length or contains all_levels, or the sex
  /// code is not 0, 1, 2 or 9.
  void add(std::span<const std::uint32_t> levels, std::int32_t sex, std::uint64_t population);

  const std::vector<std::size_t>& dimensions() const { return dimensions_; }
  std::size_t size() const { return sex_.size(); }
  std::span<const std::uint32_t> levels(std::size_t cell) const {
    return {levels_.data() + cell * dimensions_.size(), dimensions_.size()};
  }
  std::int32_t sex(std::size_t cell) const { return sex_[cell]; }
  std::uint64_t population(std::size_t cell) const { return population_[cell]; }

 private:
  std::vector<std::size_t> dimensions_;
  std::vector<std::uint32_t> levels_;
  std::vector<std::int32_t> sex_;
  std::vector<std::uint64_t> population_;
};

}  // namespace jamstat::analysis
