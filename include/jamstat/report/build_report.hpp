// Building a report: from the states and analyses of a report_input to the report_model the
// writers print.
#pragma once

#include <cstdint>
#include <vector>

#include "jamstat/report/report_input.hpp"
#include "jamstat/report/report_model.hpp"

namespace jamstat::report {

/// Builds the report: a table of every published grouping (the overview by sex, each table
/// dimension by sex, the strata), for the current and the previous period, every statistic passed
/// through input.protection; the gap findings sorted by importance with their statuses; the
/// strata heat map, MAIHDA and the decomposition when given; data quality. Throws usage_error
/// (saying which field and what was expected) when input.current is null, the previous state's
/// schema differs, a name is unknown, an analysis does not fit the schema (a MAIHDA grouping
/// without the strata's dimensions, an index out of range, a MAIHDA input with no or two
/// results), the confidence level is not in (0, 1), or the protection has no cell callback while
/// internal_use_only is not set (every published statistic is protected by default).
report_model build_report(const report_input& input);

/// The groupings (masks over the schema's dimensions, bit 0 = sex, 0 = the total) whose cells
/// build_report will ask input.protection about, in a stable order: the linked tables that
/// disclosure control must protect together (secondary suppression across them). Every grouping
/// is asked about for the current period and, when input.previous is set, for the previous one.
/// Throws usage_error as build_report for unknown names.
std::vector<std::uint64_t> published_groupings(const report_input& input);

}  // namespace jamstat::report
