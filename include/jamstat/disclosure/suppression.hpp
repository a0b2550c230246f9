// Cell suppression: primary rules, secondary suppression across linked tables, and the pattern.
#pragma once

#include <cstdint>
#include <vector>

#include "jamstat/disclosure/audit.hpp"
#include "jamstat/disclosure/cell_status.hpp"
#include "jamstat/disclosure/suppression_pattern.hpp"
#include "jamstat/disclosure/suppression_rules.hpp"
#include "jamstat/disclosure/table_set.hpp"

namespace jamstat::disclosure {

/// Information loss of a pattern.
struct information_loss {
  std::uint64_t primary_cells = 0;    ///< cells whose counts are primary suppressed
  std::uint64_t secondary_cells = 0;  ///< cells whose counts are secondary suppressed
  std::uint64_t primary_persons = 0;  ///< sum of persons over those cells
  std::uint64_t secondary_persons = 0;
  std::uint64_t outcome_statistics_suppressed = 0;  ///< (cell, outcome) pairs hidden while the count is shown
  std::uint64_t measure_statistics_suppressed = 0;  ///< (cell, measure) pairs hidden while the count is shown
  std::uint64_t published_cells = 0;                ///< all published cells (shown or not)
  std::uint64_t linear_programs = 0;                ///< LPs solved (a measure of effort)
  double seconds = 0.0;
};

/// The result of protect_by_suppression().
struct suppression_result {
  suppression_pattern pattern;
  information_loss loss;
  audit_report audit;  ///< the audit the pattern passed (under_protected == 0)
};

/// Primary suppression only: the status of every statistic after the primary rules (every
/// statistic of a cell whose count is sensitive is primary; an outcome or measure statistic is
/// primary where its own rule says so). Validates `tables` (see validate()).
suppression_pattern primary_suppression(const table_set& tables, const suppression_rules& rules = {});

/// Primary and secondary suppression of every published grouping at once (linked tables sharing
/// marginals), safe by construction and checked:
/// - for every sensitive statistic and each direction, a linear program (Fischetti and Salazar's
///   model of one sensitive cell, solved as an LP with COIN-OR CLP) finds the cheapest set of
///   further cells whose suppression lets the table move that statistic by its protection level
///   while every published value stays as it is; those cells are suppressed, so the moved table
///   is a certificate that an attacker's interval reaches the protection level;
/// - counts are protected in two linear systems, persons (summed over finest cells) and
///   participations; each outcome in successes and failures; each measure in its sums;
/// - the result is audited (audit()) and any statistic found under-protected is protected again
///   until the audit passes.
/// Throws usage_error for an invalid table set or rules.
suppression_result protect_by_suppression(const table_set& tables, const suppression_rules& rules = {});

}  // namespace jamstat::disclosure
