// From the engine to the intersectional analyses: MAIHDA strata and the Oaxaca-Blinder cells of
// women and men from a roll-up table (e.g. rollup(aggregator, grouping_set::of(schema, {"age_band",
// "birth_region", "education"})), which keeps sex), with the schema's labels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "jamstat/analysis/intersectional_strata.hpp"
#include "jamstat/analysis/oaxaca_blinder_design.hpp"
#include "jamstat/engine/rollup.hpp"
#include "jamstat/engine/schema.hpp"

namespace jamstat::analysis {

/// MAIHDA input for a numeric measure: the strata-defining dimensions and the strata.
struct maihda_measure_input {
  std::vector<stratum_dimension> dimensions;
  std::vector<measure_stratum> strata;
};

/// MAIHDA input for an outcome.
struct maihda_outcome_input {
  std::vector<stratum_dimension> dimensions;
  std::vector<outcome_stratum> strata;
};

/// One stratum per non-empty cell of `table`; the dimensions are the table's grouping (sex first
/// when kept: every ISO/IEC 5218 code present is a stratum of its own), labelled in Swedish or,
/// with `english`, in English. A measure stratum counts the participations with a value of measure
/// `measure` (its count), with their mean and sum of squared deviations (the engine's exact
/// moments). Throws usage_error when `measure` or `outcome` is out of range or the table's
/// grouping has no dimension.
maihda_measure_input maihda_measure_strata(const schema& s, const rollup_table& table, std::size_t measure,
                                           bool english = false);
maihda_outcome_input maihda_outcome_strata(const schema& s, const rollup_table& table, std::size_t outcome,
                                           bool english = false);

/// Oaxaca-Blinder input from cells of a numeric measure: the design of the table's dimensions
/// other than sex (categorical, first level omitted) and the women's and men's cells over them.
struct oaxaca_measure_cells {
  oaxaca_design design;
  std::vector<measure_stratum> women, men;
  /// Participations of the other ISO/IEC 5218 codes (not known, not applicable): reported beside
  /// the decomposition, which compares women and men.
  std::uint64_t other_sex_participations = 0;
};

/// The same for an outcome.
struct oaxaca_outcome_cells {
  oaxaca_design design;
  std::vector<outcome_stratum> women, men;
  std::uint64_t other_sex_participations = 0;
};

/// Splits `table` by sex. Throws usage_error when the table's grouping does not keep sex or keeps
/// nothing else, or `measure` / `outcome` is out of range.
oaxaca_measure_cells oaxaca_measure_cells_from(const schema& s, const rollup_table& table, std::size_t measure,
                                               bool english = false);
oaxaca_outcome_cells oaxaca_outcome_cells_from(const schema& s, const rollup_table& table, std::size_t outcome,
                                               bool english = false);

}  // namespace jamstat::analysis
