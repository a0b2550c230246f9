// MAIHDA for a binary outcome: the logistic mixed models lme4::glmer(family = binomial) fits on
// the participations (Bernoulli rows), logit P(y_ij = 1) = x_j'β + u_j, u_j ~ N(0, σ_u²), null and
// additive as in maihda_linear.hpp, fitted from the strata's counts and successes.
#pragma once

#include <vector>

#include "jamstat/analysis/intersectional_strata.hpp"
#include "jamstat/analysis/maihda_result.hpp"

namespace jamstat::analysis {

struct maihda_logistic_options {
  /// lme4's nAGQ: 1 = Laplace approximation, 2..25 = adaptive Gauss-Hermite quadrature with this
  /// many nodes per stratum (lme4 allows it for one scalar random effect, which MAIHDA is).
  int quadrature_nodes = 1;
  double interval_level = 0.95;  ///< of the random effects' and the predictions' intervals
};

/// Both MAIHDA models of a binary outcome and what the analysis reads from them.
struct maihda_logistic_result {
  int quadrature_nodes = 1;
  maihda_fit null_model;      ///< residual_variance = π²/3 (latent scale), vpc on that scale
  maihda_fit additive_model;
  double pcv = 0.0;  ///< (σ_u0² − σ_u1²)/σ_u0²; NaN when σ_u0² = 0
  /// Discriminatory accuracy of the strata: the AUC of each participation's predicted
  /// probability, the stratum's predicted probability (fixed part + conditional mode) from the
  /// null model — Merlo's (2018) measure — and from the additive model for comparison.
  double auc_null = 0.0;
  double auc_additive = 0.0;
  /// Σ_j log C(n_j, k_j): log L of the grouped binomial rows = log L of the Bernoulli
  /// participations + this constant (glmer on cbind(k, n − k) reports the former).
  double binomial_log_constant = 0.0;
  std::vector<maihda_stratum> interactions;  ///< as in maihda_linear_result
};

/// Fits the null and the additive MAIHDA model (glmer equivalents) to the strata. Strata with no
/// participations are left out. Throws usage_error for the input errors listed at
/// fit_maihda_linear, for successes above participations, for an outcome without successes or
/// without failures, for a dimension level whose participations all have (or all lack) the
/// outcome (its fixed effect is infinite), and for quadrature_nodes outside 1..25.
maihda_logistic_result fit_maihda_logistic(const std::vector<stratum_dimension>& dimensions,
                                           const std::vector<outcome_stratum>& strata,
                                           const maihda_logistic_options& options = {});

/// Fits one of the two models (the building block of fit_maihda_logistic).
maihda_fit fit_maihda_logistic_model(const std::vector<stratum_dimension>& dimensions,
                                     const std::vector<outcome_stratum>& strata, maihda_model_kind kind,
                                     const maihda_logistic_options& options = {});

}  // namespace jamstat::analysis
