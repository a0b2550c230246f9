#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "commands.hpp"
#include "jamstat/jamstat.hpp"
#include "jamstat/synth/participations.hpp"

namespace jamstat::cli {

namespace {

// Pads to `width` display columns, counting UTF-8 code points (labels have å, ä, ö, –).
std::string pad(const std::string& text, std::size_t width, bool right_align) {
  std::size_t columns = 0;
  for (unsigned char c : text) columns += (c & 0xC0) != 0x80;
  if (columns >= width) return text;
  const std::string fill(width - columns, ' ');
  return right_align ? fill + text : text + fill;
}

std::string with_spaces(std::uint64_t v) {  // Swedish thousands separator: 1 234 567
  std::string digits = std::to_string(v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

std::string fixed(double v, int decimals, bool swedish) {
  if (std::isnan(v)) return "..";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (swedish)
    for (char& c : s)
      if (c == '.') c = ',';
  return s;
}

}  // namespace

int demo_command(std::span<const std::string_view> args) {
  std::uint64_t n = 1000000, seed = synth::default_seed;
  bool swedish = true;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= args.size()) throw std::invalid_argument(std::string(a) + " needs a value");
      return args[++i];
    };
    if (a == "--n") n = parse_count("--n", value());
    else if (a == "--seed") seed = parse_count("--seed", value());
    else if (a == "--lang") {
      const std::string_view lang = value();
      if (lang != "sv" && lang != "en") throw std::invalid_argument("--lang: expected sv or en, got '" + std::string(lang) + "'");
      swedish = lang == "sv";
    } else throw std::invalid_argument("unknown option '" + std::string(a) + "'");
  }

  const synth::participations data = synth::generate(n, seed);
  const auto s = synth::participation_schema();
  // A fixed key is fine for synthetic data; real use takes the key from the caller's secret store.
  const person_key demo_key({'j', 'a', 'm', 's', 't', 'a', 't', '-', 'd', 'e', 'm', 'o', '-', 'k', 'e', 'y'});
  aggregator agg(s, {bad_record_policy::reject, demo_key});
  agg.add_batch(synth::as_batch(data));

  const std::size_t intervention = *s->dimension_index("intervention");
  const dimension& interventions = s->dimensions()[intervention];
  const rollup_table by_sex = rollup(agg, grouping_set::of(*s, {"intervention"}));
  const rollup_table both = rollup(agg, grouping_set::of(*s, {"intervention"}, sex_grouping::drop));
  const rollup_table sex_total = rollup(agg, grouping_set::of(*s, {}));
  const rollup_table all = total(agg);

  const std::uint32_t female = static_cast<std::uint32_t>(*iso5218::sex_dimension().index_of(iso5218::female));
  const std::uint32_t male = static_cast<std::uint32_t>(*iso5218::sex_dimension().index_of(iso5218::male));
  const std::uint32_t not_known = static_cast<std::uint32_t>(*iso5218::sex_dimension().index_of(iso5218::not_known));
  auto label = [&](const level& l) { return swedish ? l.label_sv : l.label_en; };

  const std::size_t name_width = 42, col = 10;
  auto cells = [&](const std::optional<rollup_cell>& c) {
    std::string out;
    if (!c) return pad("..", col, true) + pad("..", col, true) + pad("..", 8, true) + pad("..", 9, true);
    out += pad(with_spaces(*c->persons), col, true);
    out += pad(with_spaces(c->participations), col, true);
    out += pad(fixed(100.0 * c->proportion(0), 1, swedish), 8, true);
    out += pad(fixed(c->numerics[0].mean(), 1, swedish), 9, true);
    return out;
  };
  const std::string head_women = swedish ? "Kvinnor" : "Women", head_men = swedish ? "Män" : "Men",
                    head_total = swedish ? "Totalt" : "Total";
  const std::string sub = swedish ? pad("Personer", col, true) + pad("Deltag.", col, true) + pad("Arb/st%", 8, true) + pad("Timmar", 9, true)
                                  : pad("Persons", col, true) + pad("Partic.", col, true) + pad("Work/st%", 8, true) + pad("Hours", 9, true);
  const std::size_t group_width = 2 * col + 8 + 9;

  std::printf("%s\n", swedish ? "Deltagare, andel i arbete eller studier efter avslut och medelantal timmar per insats, efter kön"
                              : "Participants, share in work or studies after exit and mean hours per intervention, by sex");
  std::printf("%s %s %s, seed %llu\n\n", swedish ? "Syntetiska data:" : "Synthetic data:", with_spaces(n).c_str(), swedish ? "deltagaranden" : "participations",
              static_cast<unsigned long long>(seed));
  std::printf("%s |%s |%s |%s\n", pad("", name_width, false).c_str(), pad(head_women, group_width, true).c_str(),
              pad(head_men, group_width, true).c_str(), pad(head_total, group_width, true).c_str());
  std::printf("%s |%s |%s |%s\n", pad(swedish ? "Insats" : "Intervention", name_width, false).c_str(), sub.c_str(),
              sub.c_str(), sub.c_str());
  std::printf("%s\n", std::string(name_width + 3 * (group_width + 2), '-').c_str());
  for (std::uint32_t i = 0; i < interventions.cardinality(); ++i) {
    const std::uint32_t w[2] = {female, i}, m[2] = {male, i}, t[1] = {i};
    std::printf("%s |%s |%s |%s\n", pad(label(interventions.levels()[i]), name_width, false).c_str(),
                cells(by_sex.find(w)).c_str(), cells(by_sex.find(m)).c_str(), cells(both.find(t)).c_str());
  }
  std::printf("%s\n", std::string(name_width + 3 * (group_width + 2), '-').c_str());
  const std::uint32_t w[1] = {female}, m[1] = {male};
  std::printf("%s |%s |%s |%s\n", pad(head_total, name_width, false).c_str(), cells(sex_total.find(w)).c_str(),
              cells(sex_total.find(m)).c_str(), cells(all.cells()[0]).c_str());
  const std::uint32_t u[1] = {not_known};
  const std::optional<rollup_cell> unknown = sex_total.find(u);
  std::printf("\n%s %s %s\n", swedish ? "Totalt omfattar även" : "Total includes",
              with_spaces(unknown ? unknown->participations : 0).c_str(),
              swedish ? "deltagaranden med okänt kön (ISO/IEC 5218 kod 0)." : "participations with sex not known (ISO/IEC 5218 code 0).");
  std::printf("%s\n", swedish ? "Personer räknas distinkt i varje cell: en person med flera insatser räknas en gång per rad."
                              : "Persons are counted distinctly in every cell: a person with several participations counts once per row.");
  std::printf("%s %llu\n", swedish ? "Avvisade poster:" : "Rejected records:",
              static_cast<unsigned long long>(agg.rejected().total()));
  return 0;
}

}  // namespace jamstat::cli
