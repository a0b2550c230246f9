// From the engine to the Oaxaca-Blinder decomposition with numeric characteristics: women's and
// men's regression statistics (X'X, X'y, y'y and n, centred) built exactly from the aggregator's
// cross-product sums, so hours, costs or days in support can be regressors without microdata.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jamstat/analysis/oaxaca_blinder_design.hpp"
#include "jamstat/analysis/oaxaca_blinder_moments.hpp"
#include "jamstat/engine/aggregator.hpp"

namespace jamstat::analysis {

/// What to decompose: the outcome or measure `y`, regressed on numeric characteristics (outcomes
/// or decimal measures of the schema's cross-product set, one column each) and categorical
/// characteristics (dimensions of the schema, dummy coded with the first level omitted).
struct oaxaca_cross_product_request {
  std::string y;                           ///< an outcome or decimal measure of the cross-product set
  std::vector<std::string> numeric;        ///< names in the cross-product set, in column order
  std::vector<std::string> categorical;    ///< dimension names (not sex), after the numeric columns
  bool english = false;                    ///< level labels in English (Swedish by default)
};

/// The design (numeric characteristics first, in the order named, then the categorical ones) and
/// the regression statistics of women and men over it.
struct oaxaca_cross_product_input {
  oaxaca_design design;
  regression_moments women, men;
  /// Participations of the other ISO/IEC 5218 codes (not known, not applicable): reported beside
  /// the decomposition, which compares women and men.
  std::uint64_t other_sex_participations = 0;
};

/// Builds the women's and men's regression statistics from the aggregator's cross-product sums,
/// rolled up to sex and the categorical characteristics (roll_up_cross_products).
///
/// Exact: every raw sum Σ x_a, Σ x_a x_b, Σ x_a y and Σ y² of a group is an integer in grid units
/// (a dummy's products are counts or a measure's sums over the cells of its level), added in
/// 128-bit integers; each mean is the exactly rounded quotient and each centred sum
/// Σ(x_a − x̄_a)(x_b − x̄_b) = (n Σ x_a x_b − Σx_a Σx_b) / n is formed in 256-bit integers and
/// rounded once (rounded_centred_cross_product), so no cancellation occurs however large the means.
/// Throws usage_error when the schema keeps no cross-product set, `y` or a numeric characteristic
/// is not in it (or is named twice, or is `y`), a categorical characteristic is not a dimension of
/// the schema other than sex, or no characteristic is given.
oaxaca_cross_product_input oaxaca_input_from_cross_products(const aggregator& a, const oaxaca_cross_product_request& request);

}  // namespace jamstat::analysis
