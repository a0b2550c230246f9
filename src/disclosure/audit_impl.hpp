// Internal: the audit on an already built cube and sensitivity.
#pragma once

#include "jamstat/disclosure/audit.hpp"
#include "sensitivity.hpp"

namespace jamstat::disclosure::detail {

audit_report audit_cube(const cube& c, const sensitivity& s, const suppression_pattern& pattern,
                        const suppression_rules& rules);

/// Throws usage_error unless the pattern has one status per published cell for counts, every
/// outcome and every measure.
void check_pattern_shape(const cube& c, const suppression_pattern& pattern);

}  // namespace jamstat::disclosure::detail
