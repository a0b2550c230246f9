// Internal: the stratum-level design of the MAIHDA models (shared by the linear and the logistic
// fit). Not part of the public API.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "jamstat/analysis/intersectional_strata.hpp"
#include "jamstat/analysis/maihda_result.hpp"

namespace jamstat::analysis::maihda_detail {

/// The strata with participations and their fixed-effect design (one row per stratum).
struct stratum_design {
  std::vector<std::size_t> input_rows;           ///< input index of each stratum in the fit
  Eigen::MatrixXd x;                             ///< intercept + dummies, one row per stratum
  std::vector<maihda_fixed_effect> fixed_terms;  ///< names of x's columns (estimates unset)
};

/// Checks the strata against the dimensions (level count and range, no two strata with the same
/// levels, at least two strata with participations) and builds the design of the model: the
/// intercept alone (null) or with the dummy-coded main effects of every dimension (additive;
/// levels without participations get no column, the first level with participations is the
/// reference). Throws usage_error naming the argument at fault.
stratum_design build_design(const std::vector<stratum_dimension>& dimensions,
                            const std::vector<const std::vector<std::uint32_t>*>& levels,
                            const std::vector<std::uint64_t>& participations, maihda_model_kind kind);

/// The standard normal quantile for a two-sided interval at `level` (0 < level < 1), else throws.
double interval_z(double level);

/// Fills the identifying columns of the output row of design row `row`.
maihda_stratum stratum_row(const std::vector<stratum_dimension>& dimensions, const stratum_design& design,
                           std::size_t row, const std::vector<std::uint32_t>& levels, std::uint64_t participations);

/// The additive model's clearly non-zero strata, largest |random effect| first.
std::vector<maihda_stratum> clearly_nonzero_strata(const maihda_fit& additive);

/// (σ_u0² − σ_u1²)/σ_u0², NaN when σ_u0² = 0.
double proportional_change_in_variance(const maihda_fit& null_model, const maihda_fit& additive);

}  // namespace jamstat::analysis::maihda_detail
