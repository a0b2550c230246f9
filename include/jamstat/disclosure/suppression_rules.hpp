// The rules of cell suppression: which cells are sensitive and how much protection they need.
#pragma once

#include <cstdint>

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

}  // namespace jamstat::disclosure
