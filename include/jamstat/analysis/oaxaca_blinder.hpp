// The Blinder-Oaxaca decomposition of the gap between women and men in an outcome or a resource
// measure, from each group's regression statistics (Blinder 1973; Oaxaca 1973; Jann 2008, "The
// Blinder-Oaxaca decomposition for linear regression models", Stata Journal 8(4): 453-479).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "jamstat/analysis/oaxaca_blinder_design.hpp"
#include "jamstat/analysis/oaxaca_blinder_moments.hpp"

namespace jamstat::analysis {

/// Which way the gap is taken. Group A is the first, B the second: gap = ȳ_A − ȳ_B.
enum class oaxaca_order { women_minus_men, men_minus_women };

/// The non-discriminatory coefficients β* of the twofold decomposition.
enum class oaxaca_reference {
  first_group,                  ///< β* = β_A (Oaxaca 1973)
  second_group,                 ///< β* = β_B (Blinder 1973)
  weighted,                     ///< β* = w β_A + (1 − w) β_B (Reimers 1983: w = ½; Cotton 1988: w = n_A/n)
  pooled,                       ///< β* from the pooled regression without a group indicator (Neumark 1988)
  pooled_with_group_indicator,  ///< β* from the pooled regression with a group indicator (Fortin 2008; Jann 2008)
};

struct oaxaca_options {
  oaxaca_order order = oaxaca_order::women_minus_men;
  oaxaca_reference reference = oaxaca_reference::pooled_with_group_indicator;
  double first_group_weight = 0.5;  ///< w of oaxaca_reference::weighted
  /// The threefold decomposition from the second group's viewpoint (E = ΔX̄'β_B, C = X̄_B'Δβ,
  /// I = ΔX̄'Δβ; Jann's default) or the first group's (E = ΔX̄'β_A, C = X̄_A'Δβ, I = −ΔX̄'Δβ).
  bool threefold_from_first_group = false;
  /// Yun's (2005) normalisation of categorical characteristics: coefficients as deviations from
  /// their mean over all levels, so the detailed unexplained parts do not depend on the omitted level.
  bool normalize_categorical = true;
};

/// What a row of the detailed decomposition is.
enum class oaxaca_row_kind { intercept, numeric, level, characteristic_total };

/// One row of the detailed decomposition: an intercept, a numeric characteristic, one level of a
/// categorical characteristic, or a categorical characteristic's total over its levels.
/// Standard errors by the delta method (see oaxaca_blinder_result). Fields that do not apply to a
/// decomposition (the threefold parts in Yun's nonlinear decomposition) are NaN.
struct oaxaca_row {
  oaxaca_row_kind kind = oaxaca_row_kind::intercept;
  std::string characteristic;     ///< "(Intercept)" for the intercept
  std::string level;              ///< the level's label (kind == level), else empty
  std::size_t characteristic_index = 0;
  std::uint32_t level_index = 0;
  double mean_first = 0.0, mean_second = 0.0;  ///< X̄_A, X̄_B (shares for levels; 1 for the intercept)
  double coefficient_first = 0.0, coefficient_second = 0.0, coefficient_reference = 0.0;  ///< β_A, β_B, β* (normalised)
  double explained = 0.0, explained_se = 0.0;      ///< (X̄_A − X̄_B)β*
  double unexplained = 0.0, unexplained_se = 0.0;  ///< X̄_A(β_A − β*) + X̄_B(β* − β_B)
  double endowments = 0.0, endowments_se = 0.0;    ///< threefold
  double coefficients = 0.0, coefficients_se = 0.0;
  double interaction = 0.0, interaction_se = 0.0;
};

/// The twofold and threefold decompositions with their details.
///
/// Standard errors: the delta method of Jann (2008, section 2.3), treating the characteristics'
/// means as random: Var = Σ_g [∇_x̄g' V(x̄_g) ∇_x̄g + ∇_βg' V(β̂_g) ∇_βg], with V(β̂_g) the OLS
/// covariance s_g²(X_g'X_g)⁻¹, V(x̄_g) the sample covariance of x over n_g, x̄_g and β̂_g uncorrelated
/// and the groups independent; a pooled β* is the exact linear function M_A β̂_A + M_B β̂_B of the
/// group estimates. The second-order term tr(V(x̄)V(β̂)) is left out.
struct oaxaca_blinder_result {
  std::string first_group, second_group;  ///< "Kvinnor", "Män" in the order of the gap
  std::uint64_t first_participations = 0, second_participations = 0;
  double first_mean = 0.0, second_mean = 0.0;
  double gap = 0.0, gap_se = 0.0;  ///< ȳ_A − ȳ_B
  double explained = 0.0, explained_se = 0.0;
  double unexplained = 0.0, unexplained_se = 0.0;
  /// The unexplained part split into A's advantage X̄_A'(β_A − β*) and B's disadvantage X̄_B'(β* − β_B).
  double unexplained_first = 0.0, unexplained_first_se = 0.0;
  double unexplained_second = 0.0, unexplained_second_se = 0.0;
  double endowments = 0.0, endowments_se = 0.0;
  double coefficients = 0.0, coefficients_se = 0.0;
  double interaction = 0.0, interaction_se = 0.0;
  std::vector<oaxaca_row> characteristics;  ///< the intercept, then one row per characteristic
  std::vector<oaxaca_row> terms;            ///< the intercept, then numeric characteristics and levels
};

/// Decomposes the gap between women and men. `women` and `men` are the groups' regression
/// statistics over the same design. Throws usage_error when the statistics do not fit the design,
/// a group has no more participations than coefficients, a group's characteristics are collinear
/// (e.g. a level without participations in one group), or an option is out of range.
oaxaca_blinder_result oaxaca_blinder(const oaxaca_design& design, const regression_moments& women,
                                     const regression_moments& men, const oaxaca_options& options = {});

}  // namespace jamstat::analysis
