// The result tables of a MAIHDA (multilevel analysis of individual heterogeneity and
// discriminatory accuracy): one fitted model (null or additive) and its strata. Every table is a
// vector of flat rows of numbers and strings, so that it exports column-wise (C ABI, reports).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace jamstat::analysis {

/// One fixed effect of a MAIHDA model (dummy coding, first level with participations as reference).
struct maihda_fixed_effect {
  std::string term;              ///< "(Intercept)" or "<dimension>: <level label>"
  std::size_t dimension = 0;     ///< index of the dimension (meaningless for the intercept)
  std::uint32_t level = 0;       ///< level index within the dimension (meaningless for the intercept)
  bool intercept = false;
  double estimate = 0.0;
  double standard_error = 0.0;
};

/// One stratum of a fitted MAIHDA model: its shrunken (empirical Bayes) random effect and its
/// predicted mean or probability. Intervals are Wald intervals at the options' level.
struct maihda_stratum {
  std::size_t input_index = 0;        ///< position of the stratum in the input
  std::vector<std::uint32_t> levels;  ///< level index per stratum-defining dimension
  std::string label;                  ///< e.g. "Kvinnor · 16–29 · Utanför Europa"
  std::uint64_t participations = 0;
  double observed = 0.0;    ///< observed mean (linear) or proportion (logistic)
  double fixed_part = 0.0;  ///< x'β: the additive prediction on the linear-predictor scale
  /// The conditional mode of the stratum's random effect (lme4's ranef) and its conditional
  /// standard deviation (sqrt of lme4's condVar), with the interval mode ± z·sd.
  double random_effect = 0.0;
  double random_effect_sd = 0.0;
  double random_effect_lower = 0.0;
  double random_effect_upper = 0.0;
  /// x'β + u on the linear-predictor scale and its prediction error sd (see docs/methods-intersectional.md).
  double linear_predictor = 0.0;
  double linear_predictor_sd = 0.0;
  /// The predicted stratum mean (linear) or probability (logistic: the interval is transformed
  /// from the linear-predictor scale).
  double predicted = 0.0;
  double predicted_lower = 0.0;
  double predicted_upper = 0.0;
  /// The random effect's interval excludes 0: in the additive model, an intersection whose mean
  /// the additive main effects do not explain.
  bool clearly_nonzero = false;
};

/// Which of the two MAIHDA models a fit is.
enum class maihda_model_kind { null_model, additive };

/// One fitted MAIHDA model.
struct maihda_fit {
  maihda_model_kind kind = maihda_model_kind::null_model;
  std::vector<maihda_fixed_effect> fixed_effects;
  double theta = 0.0;              ///< lme4's θ: σ_u/σ_e (linear) or σ_u (logistic)
  double between_variance = 0.0;   ///< σ_u², the between-stratum variance
  double residual_variance = 0.0;  ///< σ_e² (linear) or π²/3 (logistic, latent scale)
  double vpc = 0.0;                ///< σ_u² / (σ_u² + residual variance)
  /// The minimised criterion, as lme4 reports it: the REML criterion or −2 log L (linear);
  /// −2 log L of the Bernoulli participations (logistic, Laplace or quadrature approximation).
  double deviance = 0.0;
  bool boundary = false;  ///< σ_u² estimated at 0 (lme4: "boundary (singular) fit")
  int evaluations = 0;    ///< criterion evaluations used by the optimizer
  std::vector<maihda_stratum> strata;  ///< the strata with participations, in input order
};

}  // namespace jamstat::analysis
