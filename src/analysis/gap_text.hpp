// Private: the gap report's words. Labels of what was compared and of groupings, and the verdicts in
// Swedish and English, written from a finding's numbers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jamstat/analysis/finding.hpp"
#include "jamstat/analysis/gap_input.hpp"

namespace jamstat::analysis::detail {

/// "a, b och c" / "a, b and c", each label with its first letter in lower case.
bilingual join_labels(const std::vector<const bilingual*>& labels);

/// The label with its first letter in lower case (for use mid-sentence), unless it looks like an
/// acronym (second letter upper case too).
std::string lower_first(const std::string& label);

/// What the verdicts need besides the finding.
struct verdict_context {
  const gap_schema* schema;
  double significance_level;  ///< q at or below: a clear difference
  double confidence_level;
  std::uint64_t minimum_persons;
  std::string previous_period;  ///< label, may be empty
};

/// Writes f.verdict_sv and f.verdict_en. `raw` is the same comparison without adjustment (for
/// adjusted findings), or null.
void write_verdict(finding& f, const finding* raw, const verdict_context& context);

}  // namespace jamstat::analysis::detail
