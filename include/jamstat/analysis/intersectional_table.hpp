// Intersectional strata tables: for any set of dimensions crossed with sex, every stratum (one
// combination of their levels: "16–19 år · Utanför Europa") with women's and men's persons,
// participations, outcome proportions and measure means side by side, the gap with its interval,
// and the gap analysis's verdict, in Swedish and English.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jamstat/analysis/gap_report.hpp"
#include "jamstat/engine/aggregator.hpp"

namespace jamstat::analysis {

/// One stratum: a level index per chosen dimension, and its label.
struct stratum_key {
  std::vector<std::uint32_t> levels;
  std::string label_sv, label_en;  ///< the levels' labels joined with " · "
};

struct intersectional_table_options {
  double confidence_level = 0.95;
  std::uint64_t minimum_persons = 10;  ///< fewer women or men in a stratum: figures only, no comparison
  std::vector<std::string> offered_outcomes;  ///< outcomes that are offered sub-interventions, not results
  std::string period;                  ///< label of the period, e.g. "2025"
};

/// The strata and their findings.
struct intersectional_table {
  std::vector<std::size_t> dimensions;  ///< schema indices of the chosen dimensions (sex excluded)
  std::vector<stratum_key> strata;      ///< every stratum with participations, in level order
  /// The gap report over the strata: findings with grouping_dimension 0 and grouping_level = the
  /// stratum's index in `strata` are the stratum's (outcome proportions, measure means, the
  /// stratum's share of women's vs men's participations); those with grouping_dimension -1 are of
  /// all participations; the distribution finding tests whether women and men spread differently
  /// over the strata. q-values are over every test of the table.
  gap_report report;
};

/// Builds the strata table of `dimensions` (names of schema dimensions other than sex) from the
/// aggregator's roll-up by sex and those dimensions (persons exact when the aggregator counts
/// them). Throws usage_error for an unknown or repeated name, "sex", or no dimension.
intersectional_table build_intersectional_table(const aggregator& a, const std::vector<std::string>& dimensions,
                                                const intersectional_table_options& options = {});

}  // namespace jamstat::analysis
