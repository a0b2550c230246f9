// The audit: what an attacker can derive about every suppressed statistic by linear programming.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jamstat/disclosure/suppression_pattern.hpp"
#include "jamstat/disclosure/suppression_rules.hpp"
#include "jamstat/disclosure/table_set.hpp"

namespace jamstat::disclosure {

/// The linear systems the audit solves, one per additive statistic: the attacker knows every
/// published value of that statistic and that every finest cell is non-negative.
enum class audited_quantity : std::uint8_t {
  persons = 0,         ///< persons, as sums of the finest cells' persons (the brief's model)
  participations = 1,  ///< participations (always exactly additive)
  successes = 2,       ///< successes of one outcome (with failures = participations - successes)
  failures = 3,        ///< failures of one outcome
  measure_sum = 4,     ///< sum of one numeric measure
};

/// One row per (suppressed statistic, quantity), column-wise so that it exports as a flat table.
/// `required_lower`/`required_upper` are the bounds the attacker's interval must reach for a
/// sensitive statistic (NaN for a statistic that is suppressed only as a complement).
struct audit_report {
  std::vector<audited_quantity> quantity;
  std::vector<std::uint32_t> index;      ///< outcome or measure index (0 for counts)
  std::vector<std::uint32_t> grouping;   ///< index into table_set::groupings
  std::vector<std::uint64_t> cell;       ///< cell index within the grouping
  std::vector<double> value;             ///< the true value
  std::vector<double> lower;             ///< the attacker's lower bound (LP minimum)
  std::vector<double> upper;             ///< the attacker's upper bound (LP maximum)
  std::vector<double> required_lower;
  std::vector<double> required_upper;
  std::vector<std::uint8_t> protected_enough;  ///< 1 unless the statistic is sensitive and under-protected
  std::uint64_t under_protected = 0;     ///< rows with protected_enough == 0
  std::uint64_t exactly_disclosed = 0;   ///< rows (sensitive or not) with lower == upper
  std::uint64_t linear_programs = 0;     ///< LPs solved (bounds proven otherwise need none)
  double seconds = 0.0;

  std::size_t size() const noexcept { return value.size(); }
};

/// Computes, for every suppressed statistic of `pattern`, the interval [lower, upper] an
/// attacker derives from everything `pattern` publishes by linear programming: the persons and
/// participations of every cell whose count is suppressed; an outcome's successes and failures
/// and a measure's sum where they are suppressed while the count is published; and, in a cell
/// whose count is suppressed, the outcome or measure statistic a primary rule protects (its
/// other statistics are hidden with the count, whose interval the report gives). Intervals come
/// from linear programming (min and max of the statistic subject to the published values and
/// non-negative finest cells), and marks the sensitive statistics (by `rules`, as
/// primary_suppression() finds them) whose interval does not reach their protection level.
/// For counts the LP bounds are rounded inwards to integers before the comparison (an attacker
/// knows counts are integers). The attacker's system is first reduced (values the published
/// ones determine, published cells implied by finer published cells, rows with two unknowns)
/// and split into independent parts, so each bound is a small LP (COIN-OR CLP).
/// Throws usage_error when the table set is invalid or the pattern has the wrong shape.
audit_report audit(const table_set& tables, const suppression_pattern& pattern,
                   const suppression_rules& rules = {});

/// "persons", "participations", "successes", "failures", "measure_sum".
std::string to_string(audited_quantity q);

}  // namespace jamstat::disclosure
