// Internal: which statistics the primary rules find sensitive, and how much protection each needs.
#pragma once

#include <cstdint>
#include <vector>

#include "cube.hpp"
#include "jamstat/disclosure/suppression.hpp"

namespace jamstat::disclosure::detail {

/// Group disclosure of one outcome in one cell.
enum class group_disclosure : std::int8_t {
  none = 0,
  nobody = 1,    ///< 0% have the outcome: protect successes upwards
  everyone = 2,  ///< 100% have the outcome: protect failures upwards
};

/// A protection interval: an attacker's bounds must reach value - lower and value + upper.
struct protection {
  double lower = 0.0;
  double upper = 0.0;
  bool needed() const noexcept { return lower > 0.0 || upper > 0.0; }
};

struct sensitivity {
  std::vector<std::uint8_t> count;                     ///< [cell] frequency rule
  std::vector<std::vector<group_disclosure>> outcome;  ///< [outcome][cell]
  std::vector<std::vector<protection>> measure;        ///< [measure][cell] dominance rule
};

/// Throws usage_error for rules outside their domain (threshold 0, p outside (0, 100], n not 1
/// or 2, k outside (0, 100], negative fractions or protections).
void check_rules(const suppression_rules& rules);

/// Applies the primary rules to every published cell.
sensitivity find_sensitive(const cube& c, const suppression_rules& rules);

/// The protection a frequency-sensitive count with value v needs.
protection frequency_protection(double v, const suppression_rules& rules);

/// The protection of a group-disclosure cell: at least `group_protection` participations with
/// (nobody) or without (everyone) the outcome, as far as the cell has participations to move.
double group_protection(const cube& c, std::uint64_t cell, const suppression_rules& rules);

/// The pattern after the primary rules alone.
suppression_pattern primary_pattern(const cube& c, const sensitivity& s);

}  // namespace jamstat::disclosure::detail
