// Engine-neutral input of the intersectional analyses (MAIHDA): the strata that the crossing of
// some dimensions (sex among them) defines, each with the exact sufficient statistics of its
// participations. An adapter fills these from the aggregator's finest cells or a roll-up.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jamstat::analysis {

/// One dimension that defines the intersectional strata (sex is one of them), e.g. the age band:
/// its name and the label of each of its levels, indexed by level index (the strata refer to
/// levels by this index). The first level that has participations is the reference level of the
/// dummy coding (R's treatment contrasts).
struct stratum_dimension {
  std::string name;                       ///< e.g. "age_band"
  std::vector<std::string> level_labels;  ///< e.g. {"16–29", "30–49", "50–64"}
};

/// A numeric outcome (a resource measure such as hours) over the participations of one stratum:
/// count, mean and sum of squared deviations from the mean. These are exact sufficient statistics
/// of a linear mixed model whose fixed effects are constant within the stratum.
struct measure_stratum {
  std::vector<std::uint32_t> levels;  ///< the level index per stratum-defining dimension
  std::uint64_t participations = 0;
  double mean = 0.0;       ///< mean of the outcome over the participations
  double within_ss = 0.0;  ///< Σ (y − mean)² over the participations (n − 1 times the variance)

  /// From the raw sums Σy and Σy². Σy² − (Σy)²/n loses precision when the mean is large beside
  /// the spread; prefer the mean and the within sum of squares (the engine's moments) when known.
  static measure_stratum from_sums(std::vector<std::uint32_t> levels, std::uint64_t participations, double sum,
                                   double sum_of_squares);
};

/// A binary outcome (e.g. in work or studies at exit) over the participations of one stratum.
struct outcome_stratum {
  std::vector<std::uint32_t> levels;  ///< the level index per stratum-defining dimension
  std::uint64_t participations = 0;
  std::uint64_t successes = 0;  ///< participations with the outcome
};

/// The stratum's name from its levels' labels, e.g. "Kvinnor · 16–29 · Utanför Europa".
/// Throws usage_error when `levels` does not fit `dimensions`.
std::string stratum_label(const std::vector<stratum_dimension>& dimensions, const std::vector<std::uint32_t>& levels);

}  // namespace jamstat::analysis
