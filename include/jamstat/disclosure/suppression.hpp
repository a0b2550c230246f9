// Cell suppression: primary rules, secondary suppression across linked tables, and the pattern.
#pragma once

#include <cstdint>
#include <vector>

#include "jamstat/disclosure/cell_status.hpp"
#include "jamstat/disclosure/table_set.hpp"

namespace jamstat::disclosure {

/// The dominance rule for sums and means of numeric measures (as tau-Argus applies to
/// magnitude tables).
enum class dominance_rule : std::uint8_t {
  none = 0,
  p_percent = 1,  ///< sensitive when X - x1 - x2 < p/100 * x1 (the second-largest contributor
                  ///< could estimate the largest contribution to within p percent)
  nk = 2,         ///< sensitive when the n largest contributions exceed k percent of X (n <= 2)
};

/// How much a secondary suppression costs (the information loss the algorithm minimizes).
enum class suppression_cost : std::uint8_t {
  persons = 0,  ///< 1 + the cell's persons: prefers small cells, keeps totals (default)
  cells = 1,    ///< 1 per cell: the fewest cells
};

/// The rules of cell suppression. Defaults and their reasons are in docs/disclosure.md.
struct suppression_rules {
  /// Frequency rule on persons (participations where persons are not counted): a cell with
  /// 0 < persons < frequency_threshold is sensitive. Empty cells are not sensitive.
  std::uint64_t frequency_threshold = 5;
  /// Group disclosure: a cell with 0 < persons < group_threshold in which none or all of the
  /// participations have an outcome reveals that outcome for everyone in it; its outcome
  /// statistic is sensitive. 0 turns the rule off.
  std::uint64_t group_threshold = 10;
  dominance_rule dominance = dominance_rule::p_percent;
  double p_percent = 10.0;   ///< p of the p% rule, in percent
  int nk_n = 2;              ///< n of the (n,k) rule: 1 or 2 (two largest contributions known)
  double nk_k = 85.0;        ///< k of the (n,k) rule, in percent

  /// Protection interval of a frequency-sensitive count v: an attacker's bounds must reach
  /// v - L and v + U with L = U = max(frequency_protection_minimum,
  /// ceil(frequency_protection_fraction * v)), L at most v (counts are not negative).
  double frequency_protection_fraction = 0.3;
  double frequency_protection_minimum = 1.0;
  /// Group disclosure: the attacker's bounds must allow at least this many participations with
  /// (for 0%) or without (for 100%) the outcome.
  double group_protection = 1.0;
  /// Dominance: the tau-Argus protection levels, U = L = p/100 x1 - (X - x1 - x2) for the p%
  /// rule and (100/k)(x1 [+ x2]) - X for (n,k), both at least this fraction of X.
  double dominance_protection_minimum_fraction = 0.0;

  suppression_cost cost = suppression_cost::persons;
};

/// The pattern: the status of every statistic of every published cell. Published cells are
/// numbered grouping by grouping in table_set::groupings order, within a grouping by cell index
/// (see table_set); published_cell_offsets() gives where each grouping starts.
struct suppression_pattern {
  std::vector<cell_status> counts;                 ///< persons and participations
  std::vector<std::vector<cell_status>> outcomes;  ///< [outcome][cell]
  std::vector<std::vector<cell_status>> measures;  ///< [measure][cell]
};

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
