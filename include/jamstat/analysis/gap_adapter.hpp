// From the engine to the gap report: the report's schema (labels) from an engine schema, and its
// cells from an aggregator's cube (every roll-up that keeps sex, so that every grouping the report
// uses has exact distinct-person counts).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "jamstat/analysis/gap_input.hpp"
#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/schema.hpp"

namespace jamstat::analysis {

/// The gap report's schema for an engine schema: the dimensions after sex (engine dimension d is
/// report dimension d - 1), with their levels' labels; outcomes and numeric measures with their
/// labels and units. A dimension is labelled with its own labels (dimension::display_label: the
/// name when it has none), unless `dimension_labels` gives others by name (e.g. {"age_band",
/// {"Åldersgrupp", "Age band"}}). Outcome roles default to result; set them on the returned schema.
gap_schema gap_schema_from(const schema& s,
                           const std::vector<std::pair<std::string, bilingual>>& dimension_labels = {});

/// The aggregator's cells for the gap report: every table of cube(a) that keeps sex, each cell with
/// all_levels for the dimensions its table does not keep, its sex code, participations, distinct
/// persons (persons_unknown when the aggregator does not count them), successes and measure moments
/// (count, sum, mean, sample variance). Anonymous participants (known only by sex) are not
/// participations and are left out.
gap_cells gap_cells_from(const aggregator& a);

}  // namespace jamstat::analysis
