// The gap report: one call that compares women and men in who participates (against the target
// group), which sub-interventions they are offered, which results they achieve and which resources
// they get, raw and adjusted for legitimate factors, in one or two periods, and returns a flat table
// of findings with Benjamini-Hochberg q-values over all its tests and verdicts in Swedish and
// English. Methods and conventions: docs/methods-gap.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jamstat/analysis/contingency.hpp"
#include "jamstat/analysis/finding.hpp"
#include "jamstat/analysis/fisher_exact.hpp"
#include "jamstat/analysis/gap_input.hpp"

namespace jamstat::analysis {

/// What to compare and how.
struct gap_report_options {
  /// Dimensions (by name) to compare across: for each, the findings are repeated within each of its
  /// levels, and the distribution of women's and men's participations over its levels is tested.
  /// The findings for all participations together are always made.
  std::vector<std::string> compare_across;
  /// Legitimate factors (by name) to adjust for: every comparison is repeated stratified by them
  /// (except by the dimension it is grouped by). Empty: raw comparisons only.
  std::vector<std::string> adjust_for;
  /// Target-group counts for the participation findings; none when null.
  const target_group* target = nullptr;
  /// The previous period's cells (same schema): findings for it and the change of every gap.
  const gap_cells* previous = nullptr;
  std::string current_period;   ///< label of the current period ("2025"), may be empty
  std::string previous_period;  ///< label of the previous period ("2024"), may be empty
  double confidence_level = 0.95;
  /// A comparison needs at least this many women and this many men (persons; participations
  /// where persons are not known). Fewer: the figures are shown, the verdict says there are too few.
  std::uint64_t minimum_persons = 10;
  /// Continuity correction of the chi-square tests of two proportions and of the CMH test (R's
  /// prop.test and mantelhaen.test default to true; we default to false, matching the score
  /// intervals).
  bool continuity_correction = false;
  exact_rule exact = exact_rule::any_expected_below_5;
  exact_test_options exact_options;
};

/// The report: findings in a stable order (period; grouping; kind; subject), one table.
struct gap_report {
  std::vector<finding> findings;
  std::size_t tests;  ///< findings with a p-value: the family of the q-values
  double significance_level;  ///< 1 - confidence_level: q at or below it counts as a clear difference
};

/// Builds the gap report for `current` (and options.previous) with the schema's labels. Throws
/// usage_error when a name is unknown, a cell's level is outside its dimension, the cells' shape
/// differs from the schema's, or the target group lists an unknown dimension.
gap_report build_gap_report(const gap_schema& schema, const gap_cells& current, const gap_report_options& options);

}  // namespace jamstat::analysis
