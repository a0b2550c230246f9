// Measures recorded per participation: binary outcomes and numeric measures.
#pragma once

#include <string>

namespace jamstat {

/// A binary outcome (e.g. "in work or studies after the intervention"): each record carries
/// 0 or 1; cells hold the number of successes, so proportions follow from the record count.
struct outcome {
  std::string name;
  std::string label_sv;
  std::string label_en;
  friend bool operator==(const outcome&, const outcome&) = default;
};

/// A numeric measure (e.g. resource hours, cost in SEK): cells hold count, compensated sum,
/// mean, variance, minimum and maximum. Values must be finite.
struct numeric_measure {
  std::string name;
  std::string unit;  ///< free text, e.g. "h" or "SEK"; part of the fingerprint
  std::string label_sv;
  std::string label_en;
  friend bool operator==(const numeric_measure&, const numeric_measure&) = default;
};

}  // namespace jamstat
