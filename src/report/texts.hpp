// The fixed texts of a report in Swedish and English (internal to the report layer).
#pragma once

#include <string>
#include <string_view>

#include "jamstat/engine/rejection_reason.hpp"
#include "jamstat/report/report_input.hpp"

namespace jamstat::report::detail {

/// Every fixed text a report prints, in one language.
struct texts {
  std::string_view total;                 // "Totalt"
  std::string_view default_title;         // "Jämställdhetsrapport"
  std::string_view internal_label;        // "För internt bruk"
  std::string_view internal_explanation;  // why the label is there
  std::string_view persons, participations, anonymous_participants;
  std::string_view successes_suffix;      // ": antal"
  std::string_view proportion_suffix;     // ": andel"
  std::string_view sum_suffix, mean_suffix, per_person_suffix;
  std::string_view overview_title;        // "Deltagare, resultat och resurser efter kön"
  std::string_view by_prefix;             // "Efter kön och "
  std::string_view strata_title_prefix;   // "Intersektionella grupper: kön och "
  std::string_view and_word;              // "och"
  std::string_view percentage_points;     // "procentenheter"
  std::string_view suppressed_finding;    // verdict of a suppressed finding
  std::string_view heat_map_title;        // "Skillnad mellan kvinnor och män i "
  std::string_view maihda_title;          // "MAIHDA: "
  std::string_view decomposition_title;   // "Oaxaca-Blinder: "
  std::string_view suppressed_note;       // footnote for ..
  std::string_view perturbed_note;        // footnote for *
  std::string_view not_computable_note;   // footnote for –
  std::string_view default_protection_note;  // when the caller gives none
  std::string_view internal_protection_note;
};

const texts& texts_for(language lang);

/// Label of an engine rejection reason.
std::string_view rejection_label(rejection_reason reason, language lang);

/// The text with its first letter in lower case ("Åldersgrupp" -> "åldersgrupp"; ASCII and
/// Å, Ä, Ö, É).
std::string lower_first(std::string_view text);

/// Names joined as a sentence: "a", "a och b", "a, b och c".
std::string join_words(const std::vector<std::string>& words, language lang);

}  // namespace jamstat::report::detail
