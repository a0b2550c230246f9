// The report model: everything a report shows, in one language, protected, as plain values and
// strings. build_report() makes it from engine and analysis objects; the writers (CSV, JSON,
// Markdown, HTML) only format it. Numbers are in the unit of their column (percent for
// proportions, percentage points for differences of proportions, the measure's unit for means).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "jamstat/analysis/finding.hpp"
#include "jamstat/report/protection.hpp"
#include "jamstat/report/report_input.hpp"

namespace jamstat::report {

/// A number as the report shows it, with its interval and its protection status. NaN value: not
/// computable (shown as "–"); a suppressing status: not shown (`..`, the numbers are NaN).
struct shown_value {
  double value = std::numeric_limits<double>::quiet_NaN();
  double lower = std::numeric_limits<double>::quiet_NaN();
  double upper = std::numeric_limits<double>::quiet_NaN();
  cell_status status = cell_status::published;
};

/// What kind of number a column holds (how it is formatted).
enum class value_kind : std::uint8_t {
  count = 0,              ///< whole number (persons, participations, rows)
  percent = 1,            ///< 45.9 means 45.9 %
  amount = 2,             ///< in the unit of a measure (hours, kronor)
  percentage_points = 3,  ///< a difference of two percentages
  ratio = 4,              ///< a ratio (1 = equal)
  probability = 5,        ///< a p- or q-value
};

/// One statistic of a table.
struct statistic_column {
  /// Stable id: "persons", "participations", "anonymous_participants", "<outcome>.successes",
  /// "<outcome>.proportion", "<measure>.sum", "<measure>.mean", "<measure>.per_person".
  std::string id;
  std::string label;  ///< in the report's language, e.g. "Andel i arbete eller studier"
  std::string unit;   ///< "", "%", or the measure's unit ("h")
  value_kind kind = value_kind::count;
  int decimals = 0;   ///< decimals shown in HTML and Markdown (CSV and JSON hold full precision)
  statistic_family family = statistic_family::count;
  std::size_t index = 0;  ///< the outcome or measure
  bool interval = false;  ///< lower and upper hold a confidence interval
};

/// A sex column of the tables: women, men, the other ISO/IEC 5218 codes present in the data
/// (never dropped), and all sexes together.
struct sex_column {
  std::int32_t code = 0;  ///< ISO/IEC 5218 code, or all_sexes
  std::string label;      ///< "Kvinnor", "Män", "Okänt", "Ej tillämpligt", "Totalt"
};
inline constexpr std::int32_t all_sexes = -1;

/// One row of a table: a combination of levels of the table's dimensions (or the total row), and
/// its statistics for every sex column.
struct table_row {
  std::vector<std::uint32_t> levels;  ///< level index per table dimension (analysis::all_levels on the total row)
  std::vector<std::string> labels;    ///< label per table dimension ("Totalt" on the total row)
  bool total = false;
  std::vector<std::vector<shown_value>> values;  ///< [sex column][statistic column]
};

/// A table of one period: its dimensions crossed with sex.
struct report_table {
  std::string id;     ///< "overview", "by_<dimension>", "strata"
  std::string title;  ///< in the report's language
  period_role period = period_role::current;
  std::string period_label;
  std::vector<std::size_t> dimensions;  ///< schema dimension indices, in schema order (sex excluded)
  std::vector<statistic_column> statistics;
  std::vector<table_row> rows;  ///< every combination of levels, then the total row
};

/// Labels of a schema dimension in the report's language.
struct dimension_text {
  std::string name;                 ///< as in the schema ("age_band")
  std::string label;                ///< "Åldersgrupp"
  std::vector<std::string> levels;  ///< by level index
};

/// An outcome or a numeric measure in the report's language.
struct subject_text {
  std::string name;
  std::string label;
  std::string unit;  ///< measures only
};

/// One finding of the gap analysis as the report shows it.
struct report_finding {
  std::size_t source = 0;  ///< index in the gap report's (or strata table's) findings
  analysis::finding_kind kind = analysis::finding_kind::outcome;
  analysis::finding_period period = analysis::finding_period::current;
  analysis::finding_status computed = analysis::finding_status::ok;
  bool adjusted = false;
  std::string what;          ///< what was compared, e.g. "I arbete eller studier"
  std::string grouping;      ///< "Samtliga", "Insats: Arbetspraktik"
  std::int32_t grouping_dimension = -1;  ///< schema index of the grouping's dimension; -1: all participations
  std::string adjusted_for;  ///< "åldersgrupp och utbildning", or empty
  std::string period_label;
  std::string verdict;       ///< plain language (replaced by a protection text when suppressed)
  value_kind estimate_kind = value_kind::percent;  ///< of women and men
  std::string estimate_unit;
  shown_value women, men;  ///< the estimates with their intervals
  value_kind difference_kind = value_kind::percentage_points;
  std::string difference_unit;
  shown_value difference;  ///< women - men (a change: current - previous), or the ratio
  /// A change finding: the gap in the previous and in the current period (NaN otherwise).
  shown_value gap_before, gap_now;
  double p_value = std::numeric_limits<double>::quiet_NaN();
  double q_value = std::numeric_limits<double>::quiet_NaN();
  bool clear = false;  ///< q at or below the significance level
  std::uint64_t persons = 0;  ///< persons (participations where not counted) it rests on
  cell_status status = cell_status::published;
};

/// One cell of the strata heat map: the gap between women and men in an outcome in one stratum.
struct heat_cell {
  bool present = false;      ///< the stratum has participations
  std::vector<std::uint32_t> levels;  ///< level index per heat_map::dimensions
  shown_value gap;           ///< women - men, percentage points
  shown_value women, men;    ///< percent
  bool clear = false;
  double q_value = std::numeric_limits<double>::quiet_NaN();
};

/// The heat map of the strata table: rows by the first dimension, columns by the second (one
/// column when the strata have one dimension; rows are whole strata when they have more than two).
struct heat_map {
  std::string title;
  std::string subject;          ///< the outcome's label
  std::string subject_name;     ///< the outcome's name in the schema
  std::vector<std::size_t> dimensions;  ///< schema indices of the strata dimensions, in the strata table's order
  std::string row_dimension;    ///< label of the rows' dimension(s)
  std::string column_dimension; ///< label of the columns' dimension, or empty
  std::vector<std::string> row_labels, column_labels;
  std::vector<heat_cell> cells;  ///< row-major
};

/// A MAIHDA analysis as the report shows it.
struct maihda_view {
  std::string title;
  std::string subject;  ///< the outcome's or measure's label
  std::string unit;     ///< "%" for an outcome, the measure's unit otherwise
  bool logistic = false;
  std::vector<std::string> dimensions;  ///< labels of the strata-defining dimensions
  std::vector<std::size_t> dimension_indices;  ///< their schema indices (sex is 0), schema order
  std::string subject_name;  ///< the outcome's or measure's name in the schema
  double between_variance_null = 0, between_variance_additive = 0;
  double vpc_null = 0, vpc_additive = 0;  ///< fractions
  double pcv = 0;                         ///< fraction; NaN when undefined
  double auc_null = std::numeric_limits<double>::quiet_NaN(), auc_additive = std::numeric_limits<double>::quiet_NaN();
  /// One stratum: observed, the null model's shrunken prediction, what the additive main effects
  /// predict, and the interaction (the additive model's prediction minus that), in `unit`.
  struct stratum {
    std::string label;
    std::vector<std::uint32_t> levels;  ///< level index per strata dimension (see dimension_indices)
    shown_value participations;
    shown_value observed;
    shown_value predicted;   ///< null model: shrunken (empirical Bayes) prediction with interval
    shown_value additive;    ///< additive main effects only (the fixed part)
    shown_value interaction; ///< additive model's prediction minus the fixed part, with interval
    bool flagged = false;    ///< an intersection the additive model misses (interval excludes 0)
    cell_status status = cell_status::published;
  };
  std::vector<stratum> strata;  ///< by predicted value, highest first
};

/// An Oaxaca-Blinder decomposition as the report shows it.
struct decomposition_view {
  std::string title;
  std::string subject;
  std::string subject_name;  ///< the outcome's or measure's name in the schema
  std::string unit;  ///< "procentenheter" / "percentage points", or the measure's unit
  value_kind kind = value_kind::percentage_points;
  bool logit = false;
  std::string first_group, second_group;
  shown_value first_mean, second_mean;  ///< percent or the measure's unit
  shown_value gap, explained, unexplained;  ///< with intervals (± z·SE)
  struct part {
    std::string label;
    shown_value explained, unexplained;
  };
  std::vector<part> characteristics;  ///< per legitimate characteristic (the intercept excluded)
  cell_status status = cell_status::published;
};

/// Rows read and rejected, rounded values.
struct data_quality_view {
  struct reason_rows {
    std::string reason;  ///< stable id
    std::string label;
    std::uint64_t rows = 0;
  };
  bool has_ingestion = false;
  std::uint64_t rows_read = 0, rows_accepted = 0, rows_rejected = 0;
  std::vector<reason_rows> rejected;        ///< this run's ingestion, by reason
  std::vector<std::string> sources;
  std::vector<reason_rows> state_rejected;  ///< the state's own tally, by reason (non-zero only)
  std::uint64_t state_rejected_total = 0;
  struct rounded_measure {
    std::string measure, label, unit;
    std::uint64_t values = 0;
  };
  std::vector<rounded_measure> rounded;  ///< decimal measures whose off-grid values were rounded
  std::uint64_t participations = 0;      ///< recorded in the current state
  bool persons_counted = false;
};

/// The whole report.
struct report_model {
  language lang = language::sv;
  std::string title, organisation, period, previous_period;
  bool internal_use_only = false;
  std::string protection_note;
  bool any_suppressed = false;  ///< some value is shown as `..`
  bool any_perturbed = false;   ///< some value is perturbed
  bool persons_counted = false;
  double confidence_level = 0.95;
  double significance_level = 0.05;  ///< q at or below it counts as a clear difference

  std::vector<dimension_text> dimensions;  ///< schema order, sex first
  std::vector<subject_text> outcomes, measures;
  std::vector<sex_column> sexes;           ///< women, men, the other codes present, all
  std::size_t chart_dimension = 0;         ///< schema index of the charts' dimension (0: none)

  std::vector<report_table> tables;        ///< current period, then the previous period
  std::vector<report_finding> findings;    ///< current and previous period, most important first
  std::vector<report_finding> changes;     ///< the change of every gap, most important first
  std::optional<heat_map> strata_heat_map;
  std::vector<maihda_view> maihda;
  std::optional<decomposition_view> decomposition;
  data_quality_view quality;
  std::vector<std::string> analysis_notes;  ///< report_input::analysis_notes in the report's language

  /// The table with this id and period, or null.
  const report_table* table(std::string_view id, period_role period = period_role::current) const noexcept;
};

}  // namespace jamstat::report
