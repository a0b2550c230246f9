// A nonlinear decomposition of the gap between women and men in a binary outcome (Yun 2004,
// "Decomposing differences in the first moment", Economics Letters 82: 275-280; with Yun's 2005
// normalisation of categorical characteristics), from grouped binomial cells when every
// characteristic is a dimension.
#pragma once

#include <vector>

#include "jamstat/analysis/intersectional_strata.hpp"
#include "jamstat/analysis/oaxaca_blinder.hpp"
#include "jamstat/analysis/oaxaca_blinder_design.hpp"

namespace jamstat::analysis {

struct oaxaca_logit_options {
  oaxaca_order order = oaxaca_order::women_minus_men;
  /// Whose logit coefficients price the characteristics in the explained part: the first group's
  /// (Yun 2004: E = F̄(X_A β_A) − F̄(X_B β_A), C = F̄(X_B β_A) − F̄(X_B β_B)) or the second's
  /// (E = F̄(X_A β_B) − F̄(X_B β_B), C = F̄(X_A β_A) − F̄(X_A β_B)).
  bool explained_at_first_group_coefficients = true;
  bool normalize_categorical = true;  ///< Yun (2005)
};

/// Yun's decomposition. The aggregate parts are exact averages over the cells; the detailed parts
/// use Yun's weights, E_k = E·ΔX̄_k β_Rk / ΔX̄'β_R and C_k = C·X̄_Ok Δβ_k / X̄_O'Δβ (O the group whose
/// characteristics the coefficients part uses), which do not depend on an ordering of the
/// characteristics (unlike Fairlie's sequential replacement). The logits are fitted by IRLS on the
/// grouped cells (the maximum-likelihood fit of the Bernoulli participations). Standard errors:
/// the delta method in the coefficients with the characteristics fixed (Yun 2004, 2005), V(β̂) the
/// inverse Fisher information. Rows: explained / unexplained and their SEs; the threefold fields
/// are NaN. Throws usage_error as oaxaca_blinder, and for a level of a characteristic whose
/// participations in one group all have (or all lack) the outcome (separation).
oaxaca_blinder_result oaxaca_blinder_logit(const oaxaca_design& design, const std::vector<outcome_stratum>& women,
                                           const std::vector<outcome_stratum>& men,
                                           const oaxaca_logit_options& options = {});

}  // namespace jamstat::analysis
