// MAIHDA for a numeric outcome: the linear mixed models lme4::lmer fits on the participations,
//   null:      y_ij = β0 + u_j + e_ij
//   additive:  y_ij = β0 + Σ_d (main effect of stratum j's level of dimension d) + u_j + e_ij
// with u_j ~ N(0, σ_u²), e_ij ~ N(0, σ_e²), fitted exactly from the strata's sufficient statistics.
#pragma once

#include <vector>

#include "jamstat/analysis/intersectional_strata.hpp"
#include "jamstat/analysis/maihda_result.hpp"

namespace jamstat::analysis {

/// lme4's two criteria for the variance parameters.
enum class variance_criterion { reml, ml };

struct maihda_linear_options {
  variance_criterion criterion = variance_criterion::reml;  ///< lmer's default is REML
  double interval_level = 0.95;  ///< of the random effects' and the predictions' intervals
};

/// Both MAIHDA models of a numeric outcome and what the analysis reads from them.
struct maihda_linear_result {
  variance_criterion criterion = variance_criterion::reml;
  maihda_fit null_model;
  maihda_fit additive_model;
  /// Proportional change in the between-stratum variance from the null to the additive model,
  /// (σ_u0² − σ_u1²)/σ_u0²: the share of the between-stratum variation the additive main effects
  /// explain. NaN when σ_u0² = 0.
  double pcv = 0.0;
  /// The additive model's strata whose random effect is clearly non-zero (interval excludes 0):
  /// the intersections the additive model misses, largest |effect| first.
  std::vector<maihda_stratum> interactions;
};

/// Fits the null and the additive MAIHDA model (lmer equivalents) to the strata.
/// Strata with no participations are left out (lme4 never sees them). Throws usage_error when a
/// stratum's levels do not fit `dimensions`, two strata share their levels, fewer than two strata
/// have participations, the participations do not outnumber the strata, the additive design is
/// rank deficient, or the options are out of range.
maihda_linear_result fit_maihda_linear(const std::vector<stratum_dimension>& dimensions,
                                       const std::vector<measure_stratum>& strata,
                                       const maihda_linear_options& options = {});

/// Fits one of the two models (the building block of fit_maihda_linear).
maihda_fit fit_maihda_linear_model(const std::vector<stratum_dimension>& dimensions,
                                   const std::vector<measure_stratum>& strata, maihda_model_kind kind,
                                   const maihda_linear_options& options = {});

}  // namespace jamstat::analysis
