// What a report is built from: the aggregate states (this period and optionally the previous
// one), the analyses the caller ran on them, what the ingestion read, and how the report is
// protected. The caller keeps every pointed-to object alive while build_report runs; the built
// report_model owns copies of everything it shows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "jamstat/analysis/gap_input.hpp"
#include "jamstat/analysis/gap_report.hpp"
#include "jamstat/analysis/intersectional_table.hpp"
#include "jamstat/analysis/maihda_linear.hpp"
#include "jamstat/analysis/maihda_logistic.hpp"
#include "jamstat/analysis/oaxaca_blinder.hpp"
#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/grouping_set.hpp"
#include "jamstat/report/protection.hpp"

namespace jamstat::report {

/// The language of a report: Swedish (the default) or English. Labels, texts and number formats
/// follow it.
enum class language : std::uint8_t { sv = 0, en = 1 };

/// What the ingestion of this run read: rows read, accepted, and rejected by reason. Filled by the
/// caller (the command-line tool's CSV reader); the report shows it as it is. The state's own
/// tally of rejected records (aggregator::rejected) is shown beside it.
struct ingestion_summary {
  /// One reason for rejecting rows.
  struct rejection {
    std::string reason;         ///< stable id, e.g. "bad_personnummer", "code_unknown"
    analysis::bilingual label;  ///< what it means, e.g. {"Ogiltigt personnummer", "Invalid personal identity number"}
    std::uint64_t rows = 0;
  };
  std::uint64_t rows_read = 0;
  std::uint64_t rows_accepted = 0;
  std::vector<rejection> rejected;  ///< by reason; their rows add up to rows_read - rows_accepted
  std::vector<std::string> sources;  ///< the files read (names only: shown as they are)
};

/// A MAIHDA analysis to show: its strata grouping (the roll-up its strata were read from, e.g.
/// grouping_set::of(schema, {"age_band", "birth_region"}): sex first when kept), what it models, and
/// exactly one of the two results.
struct maihda_input {
  grouping_set strata;
  statistic_family family = statistic_family::outcome;  ///< outcome (logistic) or measure (linear)
  std::size_t index = 0;                                ///< the outcome or measure
  const analysis::maihda_logistic_result* logistic = nullptr;
  const analysis::maihda_linear_result* linear = nullptr;
};

/// An Oaxaca-Blinder decomposition to show: what it decomposes and the result (women minus men, or
/// men minus women as its groups say).
struct decomposition_input {
  statistic_family family = statistic_family::outcome;  ///< outcome or measure
  std::size_t index = 0;
  bool logit = false;  ///< Yun's nonlinear decomposition (oaxaca_blinder_logit)
  const analysis::oaxaca_blinder_result* result = nullptr;
};

/// Everything a report is built from.
struct report_input {
  const aggregator* current = nullptr;   ///< this period's state (required)
  const aggregator* previous = nullptr;  ///< the previous period's state (same schema), optional

  language lang = language::sv;
  std::string title;         ///< e.g. "Jämställdhetsrapport 2025"; empty: a default title
  std::string organisation;  ///< e.g. "Samordningsförbundet Finnveden"
  std::string period;        ///< label of the current period, e.g. "2025"
  std::string previous_period;  ///< e.g. "2024"
  /// Labels of dimensions by name, replacing the schema's own (dimension::display_label).
  std::vector<std::pair<std::string, analysis::bilingual>> dimension_labels;

  /// The dimensions (names, not sex) to publish a table by, each crossed with sex, in this order.
  /// Empty: every dimension of the schema.
  std::vector<std::string> table_dimensions;
  /// The dimension the charts break participants, results and resources down by. Empty:
  /// "intervention" when the schema has it, otherwise the first dimension after sex.
  std::string chart_dimension;
  double confidence_level = 0.95;  ///< of every interval the report computes itself

  std::optional<ingestion_summary> ingestion;

  /// Analyses, built by the caller from the same states (optional each).
  const analysis::gap_report* gap = nullptr;
  const analysis::intersectional_table* strata = nullptr;
  std::size_t heat_map_outcome = 0;  ///< the outcome whose gap the strata heat map shows
  std::vector<maihda_input> maihda;
  std::optional<decomposition_input> decomposition;
  /// Notes on the analyses (e.g. one that could not be run, and why), printed in every output.
  std::vector<analysis::bilingual> analysis_notes;

  report_protection protection;
};

}  // namespace jamstat::report
