// The standard report in one call: from one aggregator (and optionally last period's), run the
// analyses a gender-equality report needs with defaults that fit any schema (the gap report raw
// and adjusted, the intersectional strata table, MAIHDA, the Oaxaca-Blinder decomposition), then
// build the report. What the command-line tool (`jamstat report`, `jamstat demo`) calls; callers
// that want other analyses fill report_input themselves and call build_report.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jamstat/analysis/gap_input.hpp"
#include "jamstat/report/report_input.hpp"
#include "jamstat/report/report_model.hpp"

namespace jamstat::report {

/// Which analyses the standard report runs, on what. Every field has a default; names are schema
/// dimension, outcome and measure names.
struct standard_analyses_options {
  /// Dimensions the gap findings are repeated across (each level of each), e.g. {"intervention"}.
  /// Empty: the report's chart dimension ("intervention" when the schema has it, else the first
  /// dimension after sex), when the schema has a dimension after sex.
  std::vector<std::string> compare_across;
  /// Legitimate factors (age, education, time in support, ...): differences explained by them are
  /// not unjustified. The gap findings are repeated adjusted for them (Mantel-Haenszel /
  /// standardisation) and the Oaxaca-Blinder decomposition splits the gap by them. Empty: raw
  /// comparisons only and no decomposition (which grounds are legitimate is the organisation's
  /// call, never guessed; the schema file's report defaults name them).
  std::vector<std::string> legitimate_factors;
  /// The grounds crossed with sex in the intersectional view (strata table, heat map, MAIHDA),
  /// e.g. {"age_band", "birth_region"}. Empty: the first two dimensions after sex other than the
  /// chart dimension (an intervention is not a ground of a power order; dimensions the findings
  /// are compared across may be grounds).
  /// The heat map is a grid for two grounds, a list of strata otherwise.
  std::vector<std::string> intersectional_dimensions;
  /// Outcomes that record an offered sub-intervention (delinsats) rather than a result: only the
  /// wording of their verdicts differs.
  std::vector<std::string> offered_outcomes;
  /// The outcome of the heat map, the logistic MAIHDA and the decomposition. Empty: the first
  /// outcome of the schema.
  std::string outcome;
  /// Also a linear MAIHDA of every numeric measure (resources across the intersections).
  bool maihda_of_measures = true;
  /// Run MAIHDA / the decomposition at all.
  bool maihda = true;
  bool decomposition = true;
  /// Yun's nonlinear (logit) decomposition of the outcome instead of the linear probability one.
  bool logit_decomposition = false;
  /// Target-group counts for the participation findings (levels index the gap schema's
  /// dimensions: schema dimension d is gap dimension d - 1); none when null. Kept alive by the
  /// caller while the report is built.
  const analysis::target_group* target = nullptr;
  /// A comparison needs at least this many women and this many men (gap report, strata table).
  std::uint64_t minimum_persons = 10;
};

/// The analyses of a standard report, owned. report_input points into it (attach): keep it alive
/// while build_report runs. Analyses that could not be run (e.g. MAIHDA when an outcome's level
/// has no successes at all, or a decomposition of collinear characteristics) are absent, and
/// `notes` says which and why (the report prints the notes).
struct standard_analyses {
  std::shared_ptr<const analysis::gap_report> gap;
  std::shared_ptr<const analysis::intersectional_table> strata;
  std::size_t outcome = 0;  ///< the heat map's, MAIHDA's and the decomposition's outcome
  struct maihda_run {
    grouping_set strata;
    statistic_family family = statistic_family::outcome;
    std::size_t index = 0;
    std::shared_ptr<const analysis::maihda_logistic_result> logistic;
    std::shared_ptr<const analysis::maihda_linear_result> linear;
  };
  std::vector<maihda_run> maihda;
  std::shared_ptr<const analysis::oaxaca_blinder_result> decomposition;
  bool logit_decomposition = false;
  std::vector<analysis::bilingual> notes;
};

/// Runs the standard analyses on `input.current` (and `input.previous` for the change since the
/// last period; period labels from input.period / input.previous_period, dimension labels from
/// input.dimension_labels, confidence level from input.confidence_level). Throws usage_error
/// (naming the option) for an unknown name, a legitimate factor or ground that is "sex", or an
/// input without a current state; an analysis the data cannot support is skipped with a note
/// instead.
standard_analyses run_standard_analyses(const report_input& input, const standard_analyses_options& options = {});

/// Points input's analysis fields (gap, strata, heat_map_outcome, maihda, decomposition,
/// analysis_notes) at `analyses`, replacing what was there.
void attach(report_input& input, const standard_analyses& analyses);

/// The whole standard report in one call: run_standard_analyses, attach, build_report. `input`
/// gives the states, language, titles, ingestion summary and protection (required unless
/// internal_use_only(): see build_report); its analysis fields are replaced.
report_model build_standard_report(report_input input, const standard_analyses_options& options = {});

/// The groupings build_standard_report asks the protection seam about (published_groupings of the
/// input it builds): run disclosure control over these linked tables before building.
std::vector<std::uint64_t> standard_report_groupings(const report_input& input,
                                                     const standard_analyses_options& options = {});

}  // namespace jamstat::report
