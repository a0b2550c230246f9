// Internal: the additive quantities that suppression protects and the audit checks, and which
// of their rows a suppression pattern publishes.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "jamstat/disclosure/audit.hpp"
#include "linear_system.hpp"

namespace jamstat::disclosure::detail {

/// One additive quantity as a linear system: persons (K = 1, the finest cells' persons),
/// participations (K = 1), an outcome (K = 2: successes and participations, ordered) or a
/// measure's sums (K = 1, divided by `scale` so that the LP works near unit scale).
struct quantity {
  audited_quantity kind;  ///< persons, participations, successes (for the outcome) or measure_sum
  std::size_t index = 0;  ///< outcome or measure index
  double scale = 1.0;
  bool integer = true;
  std::unique_ptr<linear_system> system;
};

quantity make_quantity(const cube& c, audited_quantity kind, std::size_t index, const std::vector<std::uint8_t>& zeros);

/// The quantities of a table set in a fixed order: persons (when counted), participations,
/// each outcome, each measure.
std::vector<quantity> all_quantities(const cube& c, const std::vector<std::uint8_t>& zeros);

/// Whether `pattern` publishes a row: a count where the count is shown; an outcome's
/// successes where the outcome is shown and its participations where the count is shown; a
/// measure's sum where the measure is shown.
bool row_shown(const quantity& q, const suppression_pattern& pattern, std::uint64_t row);

/// A class is shown when any of its rows is.
std::vector<std::uint8_t> shown_classes(const quantity& q, const suppression_pattern& pattern);

}  // namespace jamstat::disclosure::detail
