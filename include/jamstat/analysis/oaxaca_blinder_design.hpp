// What the columns of an Oaxaca-Blinder regression are: characteristics that are numeric (one
// column) or categorical (one dummy column per level except an omitted one), and the helper that
// builds the regression statistics from cells when every characteristic is a dimension.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "jamstat/analysis/intersectional_strata.hpp"
#include "jamstat/analysis/oaxaca_blinder_moments.hpp"

namespace jamstat::analysis {

/// One characteristic (a "legitimate" explanatory factor: age, education, days in support ...).
struct oaxaca_characteristic {
  std::string name;
  /// Categorical: the label of every level, the omitted one included. Empty: numeric.
  std::vector<std::string> level_labels;
  std::uint32_t omitted_level = 0;  ///< categorical: the level without a dummy column
  /// True for a categorical characteristic (it has level labels).
  bool categorical() const { return !level_labels.empty(); }
  /// Columns in x: 1 (numeric) or levels − 1 (categorical, dummies in level order, omitted skipped).
  std::size_t columns() const { return categorical() ? level_labels.size() - 1 : 1; }
};

/// The characteristics in column order: x's columns are the characteristics' columns, concatenated.
struct oaxaca_design {
  std::vector<oaxaca_characteristic> characteristics;
  /// k: the columns of x over all characteristics.
  std::size_t columns() const;
  /// Throws usage_error for a categorical characteristic with fewer than two levels or an omitted
  /// level out of range, or a design without characteristics.
  void validate() const;
};

/// The design in which every characteristic is a dimension (dummy coded, `omitted_levels[i]` the
/// omitted level of dimension i; empty = the first level of each).
oaxaca_design categorical_design(const std::vector<stratum_dimension>& dimensions,
                                 const std::vector<std::uint32_t>& omitted_levels = {});

/// One group's regression statistics from its cells (one cell per combination of the
/// characteristics' levels, as from the aggregator's finest cells of one sex): exact, computed in
/// two passes over the cells (means, then centred sums; Σ(y − ȳ)² = Σ within_ss + Σ n (ȳ_c − ȳ)²).
/// Throws usage_error when a cell's levels do not fit the design (which must be categorical).
regression_moments moments_from_cells(const oaxaca_design& design, const std::vector<measure_stratum>& cells);

/// The same for a binary outcome (the linear probability model): a cell with n participations and
/// k successes has mean k/n and within sum of squares k(n − k)/n.
regression_moments moments_from_cells(const oaxaca_design& design, const std::vector<outcome_stratum>& cells);

}  // namespace jamstat::analysis
