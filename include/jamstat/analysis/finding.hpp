// One row of the gap report: what was compared, in which group and period, the figures of women, men
// and the other sex codes, the difference with its interval, p and q, whether it was adjusted (and
// for what), and a verdict in Swedish and English. Every field is a number, an enum or a string,
// so the report exports column-wise (C ABI, CSV). Columns: docs/methods-gap.md, "The findings table".
#pragma once

#include <cstdint>
#include <string>

#include "jamstat/analysis/estimate.hpp"

namespace jamstat::analysis {

/// What a finding compares. Values are stable (exported through the C ABI).
enum class finding_kind : std::uint8_t {
  participation_rate = 0,   ///< participants / target-group population, women vs men
  participation_share = 1,  ///< women's share of the participants vs their share of the target group
  outcome = 2,              ///< an outcome's proportion of participations (a result or an offered sub-intervention)
  distribution = 3,         ///< how women's and men's participations spread over a dimension's levels (test of independence)
  distribution_level = 4,   ///< one level of that distribution: its share of women's vs men's participations
  measure_mean = 5,         ///< a measure's mean per participation
  measure_per_person = 6,   ///< a measure's sum per person (no interval, no test)
  resource_share = 7,       ///< women's share of a measure's total vs their share of the participations
};

/// Which period a finding describes.
enum class finding_period : std::uint8_t {
  current = 0,
  previous = 1,
  change = 2,  ///< the change of the gap from the previous period to the current one
};

/// Whether a finding could be computed.
enum class finding_status : std::uint8_t {
  ok = 0,
  too_few_persons = 1,  ///< fewer than the minimum of women or of men: figures shown, no comparison
  no_comparison = 2,    ///< no women or no men at all (or no target-group population, or nothing to test)
  not_a_rate = 3,       ///< more participants than target-group population: the rate is not a proportion
};

/// What the difference columns hold.
enum class effect_measure : std::uint8_t {
  none = 0,
  proportion_difference = 1,  ///< women - men, proportions (0.05 = 5 percentage points)
  mean_difference = 2,        ///< women - men, in the measure's unit
  share_difference = 3,       ///< women's share - reference share (target group or participations)
  ratio = 4,                  ///< the effect is the ratio columns; the difference columns are NaN
};

/// Figures of one sex code in a finding. NaN where not applicable.
struct sex_figures {
  std::uint64_t persons;         ///< distinct persons (persons_unknown when not known)
  std::uint64_t participations;
  double base;                   ///< denominator: participations, target-group population, or measure count
  double amount;                 ///< numerator: successes, participants, or the measure's sum
  double estimate;               ///< proportion, rate, mean, share or ratio
  double lower;                  ///< its interval
  double upper;
  double standard_error;         ///< of the estimate (NaN for score / exact intervals)
};

/// A row of the gap report.
struct finding {
  finding_kind kind;
  finding_period period;
  finding_status status;
  bool adjusted;                    ///< adjusted for legitimate factors (see adjusted_for)
  std::int32_t subject;             ///< outcome or measure index; the dimension index for distributions; -1 for participation
  std::int32_t subject_level;       ///< distribution_level: the level; otherwise -1
  std::int32_t grouping_dimension;  ///< -1: all participations
  std::int32_t grouping_level;      ///< -1: all levels
  std::uint64_t adjusted_for;       ///< bit d set: adjusted for dimension d (0 when raw)

  sex_figures women, men, not_known, not_applicable;

  effect_measure effect;
  double difference;                ///< women - men (see effect); for a change: current - previous
  double difference_lower, difference_upper;
  double difference_standard_error;
  double ratio;                     ///< risk / rate ratio, resource-to-participant ratio; for a change: current / previous
  double ratio_lower, ratio_upper;
  double ratio_log_standard_error;
  double odds_ratio;
  double odds_ratio_lower, odds_ratio_upper;
  double odds_ratio_log_standard_error;
  double statistic;                 ///< test statistic (chi-square, z, t, or the adjusted residual of a level)
  double df;
  double p_value;                   ///< NaN when nothing was tested
  double q_value;                   ///< Benjamini-Hochberg over every tested finding of the report
  double holm_p_value;              ///< Holm over the same family
  test_method method;
  double homogeneity_p_value;       ///< Breslow-Day-Tarone across strata (adjusted outcomes), else NaN
  double monte_carlo_standard_error;  ///< of p when method is monte_carlo, else 0

  std::uint64_t persons;            ///< persons the finding rests on, all sex codes (persons_unknown when not known)
  std::uint64_t participations;     ///< participations it rests on, all sex codes
  bool persons_exact;               ///< false when persons were summed over finer cells (an upper bound)
  std::uint64_t smallest_cell_persons;  ///< the fewest persons in a (stratum x sex) cell used, for disclosure control

  std::string what_sv, what_en;          ///< what was compared ("I arbete eller studier")
  std::string grouping_sv, grouping_en;  ///< "Samtliga" / "All", or "Åldersgrupp: 30-49 år"
  std::string adjusted_for_sv, adjusted_for_en;  ///< "åldersgrupp och utbildning", or empty
  std::string period_label;              ///< the caller's label of the period ("2025"), "2024-2025" for a change
  std::string verdict_sv, verdict_en;
};

}  // namespace jamstat::analysis
