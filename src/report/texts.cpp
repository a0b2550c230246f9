#include "texts.hpp"

#include <vector>

namespace jamstat::report::detail {

namespace {

constexpr texts swedish{
    .total = "Totalt",
    .default_title = "Jämställdhetsrapport",
    .internal_label = "För internt bruk",
    .internal_explanation = "Rapporten är inte skyddad mot röjande av enskilda personer och får inte publiceras.",
    .persons = "Personer",
    .participations = "Deltaganden",
    .anonymous_participants = "Anonyma deltagare",
    .successes_suffix = ", antal",
    .proportion_suffix = ", andel",
    .sum_suffix = ", summa",
    .mean_suffix = " per deltagande",
    .per_person_suffix = " per person",
    .overview_title = "Deltagare, resultat och resurser efter kön",
    .by_prefix = "Efter kön och ",
    .strata_title_prefix = "Intersektionella grupper: kön, ",
    .and_word = "och",
    .percentage_points = "procentenheter",
    .suppressed_finding = "Jämförelsen visas inte: den vilar på uppgifter som är skyddade för att enskilda personer inte ska kunna identifieras.",
    .heat_map_title = "Skillnad mellan kvinnor och män per grupp: ",
    .maihda_title = "Intersektionella grupper (MAIHDA): ",
    .decomposition_title = "Förklarad och oförklarad skillnad (Oaxaca-Blinder): ",
    .suppressed_note = "..  Uppgiften visas inte för att skydda enskilda personer (röjandekontroll).",
    .perturbed_note = "*  Värdet är slumpmässigt justerat för att skydda enskilda personer; delarna summerar inte alltid till totalen.",
    .not_computable_note = "–  Kan inte beräknas (inga deltaganden eller för få värden).",
    .default_protection_note = "Uppgifterna är skyddade mot röjande av enskilda personer.",
    .internal_protection_note = "Ingen röjandekontroll är gjord: rapporten är endast för internt bruk.",
};

constexpr texts english{
    .total = "Total",
    .default_title = "Gender equality report",
    .internal_label = "For internal use only",
    .internal_explanation = "This report is not protected against disclosure of individuals and must not be published.",
    .persons = "Persons",
    .participations = "Participations",
    .anonymous_participants = "Anonymous participants",
    .successes_suffix = ", number",
    .proportion_suffix = ", share",
    .sum_suffix = ", total",
    .mean_suffix = " per participation",
    .per_person_suffix = " per person",
    .overview_title = "Participants, results and resources by sex",
    .by_prefix = "By sex and ",
    .strata_title_prefix = "Intersectional groups: sex, ",
    .and_word = "and",
    .percentage_points = "percentage points",
    .suppressed_finding = "Not shown: the comparison rests on figures protected so that no individual can be identified.",
    .heat_map_title = "Difference between women and men by group: ",
    .maihda_title = "Intersectional groups (MAIHDA): ",
    .decomposition_title = "Explained and unexplained difference (Oaxaca-Blinder): ",
    .suppressed_note = "..  Not shown, to protect individuals (disclosure control).",
    .perturbed_note = "*  The value has random noise added to protect individuals; parts do not always add up to totals.",
    .not_computable_note = "–  Cannot be computed (no participations or too few values).",
    .default_protection_note = "The figures are protected against disclosure of individuals.",
    .internal_protection_note = "No disclosure control was applied: this report is for internal use only.",
};

}  // namespace

const texts& texts_for(language lang) { return lang == language::en ? english : swedish; }

std::string_view rejection_label(rejection_reason reason, language lang) {
  const bool en = lang == language::en;
  switch (reason) {
    case rejection_reason::sex_missing: return en ? "Sex missing" : "Kön saknas";
    case rejection_reason::sex_not_iso5218: return en ? "Sex not an ISO/IEC 5218 code" : "Kön är inte en ISO/IEC 5218-kod";
    case rejection_reason::code_missing: return en ? "Value missing" : "Värde saknas";
    case rejection_reason::code_unknown: return en ? "Unknown code" : "Okänd kod";
    case rejection_reason::outcome_not_binary: return en ? "Outcome not 0 or 1" : "Utfall är inte 0 eller 1";
    case rejection_reason::measure_not_finite: return en ? "Measure not a number" : "Mått är inte ett tal";
    case rejection_reason::person_id_missing: return en ? "Person id missing" : "Person-id saknas";
    case rejection_reason::measure_off_resolution: return en ? "Measure has too many decimals" : "Mått har för många decimaler";
    case rejection_reason::measure_out_of_range: return en ? "Measure out of range" : "Mått utanför tillåtet intervall";
  }
  return en ? "Other" : "Annat";
}

std::string lower_first(std::string_view text) {
  std::string out(text);
  if (out.empty()) return out;
  const unsigned char c = static_cast<unsigned char>(out[0]);
  if (c >= 'A' && c <= 'Z') {
    out[0] = static_cast<char>(c - 'A' + 'a');
  } else if (c == 0xC3 && out.size() > 1) {
    // Latin-1 capitals À..Þ (except ×) are C3 80..9E; their small letters are C3 A0..BE.
    const unsigned char d = static_cast<unsigned char>(out[1]);
    if (d >= 0x80 && d <= 0x9E && d != 0x97) out[1] = static_cast<char>(d + 0x20);
  }
  return out;
}

std::string join_words(const std::vector<std::string>& words, language lang) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? std::string(" ") + std::string(texts_for(lang).and_word) + " " : ", ";
    out += words[i];
  }
  return out;
}

}  // namespace jamstat::report::detail
