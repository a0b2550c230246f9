// `jamstat demo [FOLDER]`: the synthetic data set of two years written as CSV, read back through
// the same path as `jamstat aggregate` (CSV -> schema file -> state), summarised, and reported
// (the protected report of 2025 with 2024 as the previous period, as `jamstat report` writes it).
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "aggregate.hpp"
#include "commands.hpp"
#include "demo_data.hpp"
#include "exit_status.hpp"
#include "jamstat/jamstat.hpp"
#include "jamstat/synth/participations.hpp"
#include "report_run.hpp"
#include "state_files.hpp"

namespace jamstat::cli {

namespace fs = std::filesystem;

namespace {

struct demo_request {
  fs::path folder = "jamstat-demo";
  std::uint64_t rows = 1000000;
  std::uint64_t seed = synth::default_seed;
  std::string lang = "sv";
  bool quiet = false;
};

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

// Persons, participations, the share in work or studies and mean hours by intervention, for women,
// men and in total (the table the demo printed before the report existed; kept as a summary).
void print_table(const aggregator& agg, const std::string& title_line, bool swedish) {
  const schema& s = agg.schema_ref();
  const std::size_t intervention = *s.dimension_index("intervention");
  const dimension& interventions = s.dimensions()[intervention];
  const rollup_table by_sex = rollup(agg, grouping_set::of(s, {"intervention"}));
  const rollup_table both = rollup(agg, grouping_set::of(s, {"intervention"}, sex_grouping::drop));
  const rollup_table sex_total = rollup(agg, grouping_set::of(s, {}));
  const rollup_table all = total(agg);

  const auto female = static_cast<std::uint32_t>(*iso5218::sex_dimension().index_of(iso5218::female));
  const auto male = static_cast<std::uint32_t>(*iso5218::sex_dimension().index_of(iso5218::male));
  const auto not_known = static_cast<std::uint32_t>(*iso5218::sex_dimension().index_of(iso5218::not_known));
  auto label = [&](const level& l) { return swedish ? l.label_sv : l.label_en; };

  const std::size_t name_width = 42, col = 10;
  auto cells = [&](const std::optional<rollup_cell>& c) {
    std::string out;
    if (!c) return pad("..", col, true) + pad("..", col, true) + pad("..", 8, true) + pad("..", 9, true);
    out += pad(c->persons ? with_spaces(*c->persons) : "..", col, true);
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
  std::printf("%s\n\n", title_line.c_str());
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
}

void write_text(const fs::path& path, const std::string& text) {
  atomic_file out(path);
  out.write(text);
  out.commit();
}

int run_demo(const demo_request& request) {
  const bool swedish = request.lang == "sv";
  const fs::path folder = request.folder;
  std::error_code ec;
  fs::create_directories(folder / "data", ec);
  if (ec) throw failure(exit_status::io_error, folder.string() + ": cannot create the folder: " + ec.message());

  // The inputs as a user would have them: a schema file, a key file, one CSV export per year.
  const fs::path schema_path = folder / "participations.schema.json";
  write_text(folder / "person.key",
             std::string("# jamstat demo person key: fixed so that the demo is reproducible. It protects nothing;\n"
                         "# make a secret one for real data: head -c 16 /dev/urandom | xxd -p\n") +
                 demo_person_key_hex + "\n");
  write_text(schema_path, participation_schema_json("person.key"));

  struct year {
    const char* name;
    std::uint64_t seed;
  };
  // Two years: the current one with the canonical seed, the previous one with the next seed (the
  // same population model, another sample).
  const year years[] = {{"2024", request.seed + 1}, {"2025", request.seed}};
  std::optional<aggregator> current;
  for (const year& y : years) {
    const fs::path csv = folder / "data" / (std::string("participations-") + y.name + ".csv");
    write_text(csv, synth::to_csv(synth::generate(request.rows, y.seed)));
    aggregate_request a;
    a.schema = schema_path;
    a.inputs = {csv.string()};
    a.output = folder / (std::string(y.name) + ".jst");
    a.quiet = true;
    const aggregate_outcome out = run_aggregate(a, stderr);
    if (out.summary.rows_rejected > 0)
      throw failure(exit_status::internal, "the demo's own data had rejected rows (" + csv.string() + ")");
    if (!request.quiet)
      std::fprintf(stderr, "%s: %s -> %s\n", y.name, csv.string().c_str(), a.output.string().c_str());
    if (std::string(y.name) == "2025") current = read_state_file(a.output);
  }
  // The full protected report of 2025 with 2024 as the previous period, through the same path as
  // `jamstat report`; the schema file's report defaults name the legitimate factors (age band,
  // education) and the dimensions compared.
  report_request rr;
  rr.state = folder / "2025.jst";
  rr.previous = folder / "2024.jst";
  rr.schema_file = schema_path;
  rr.legitimate = {"age_band", "education"};
  rr.lang = request.lang;
  rr.period = "2025";
  rr.previous_period = "2024";
  rr.title = swedish ? "Jämställdhetsrapport 2025 (syntetiska data)" : "Gender equality report 2025 (synthetic data)";
  rr.organisation = "jamstat demo";
  rr.folder = folder / "report";
  const std::vector<fs::path> written = run_report(rr);
  if (!request.quiet) {
    const std::string title = std::string(swedish ? "Syntetiska data 2025: " : "Synthetic data 2025: ") +
                              with_spaces(request.rows) + (swedish ? " deltagaranden, frö " : " participations, seed ") +
                              std::to_string(request.seed);
    print_table(*current, title, swedish);
    std::printf("\n%s %s\n", swedish ? "Data, schemafil och tillstånd finns i" : "Data, schema file and states are in",
                fs::absolute(folder).string().c_str());
    std::printf("%s %s\n", swedish ? "Rapporten (skyddad, 2025 jämfört med 2024) finns i" : "The report (protected, 2025 compared with 2024) is in",
                fs::absolute(folder / "report").string().c_str());
    const fs::path html = written.size() == 5 ? written[4] : folder / "report" / "report.html";
    std::printf("%s %s\n", swedish ? "Öppna i en webbläsare:" : "Open in a browser:", fs::absolute(html).string().c_str());
  }
  return code(exit_status::ok);
}

}  // namespace

command add_demo_command(CLI::App& parent) {
  auto request = std::make_shared<demo_request>();
  CLI::App* app = parent.add_subcommand("demo", "Run the whole chain on synthetic data of two years: CSV files, schema file, states, report");
  app->add_option("folder", request->folder, "Where to write everything (default ./jamstat-demo)")->type_name("FOLDER");
  app->add_option("-n,--n", request->rows, "Participations per year (default 1,000,000)")
      ->type_name("N")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{2000000000}));
  app->add_option("--seed", request->seed, "Seed of the current year (default 5218; the previous year uses seed + 1)")
      ->type_name("S");
  app->add_option("--lang", request->lang, "Language of the summary and the report: sv (default) or en")
      ->check(CLI::IsMember({"sv", "en"}));
  app->add_flag("-q,--quiet", request->quiet, "Print nothing but errors");
  app->footer(R"(Examples:
  jamstat demo                  # writes ./jamstat-demo and prints where the report is
  jamstat demo /tmp/demo --lang en --n 200000

The folder gets: data/participations-2024.csv and -2025.csv (the canonical synthetic data set of
shared/peers, two samples), participations.schema.json and person.key (a fixed demo key), the
states 2024.jst and 2025.jst aggregated from the CSV files exactly as `jamstat aggregate` does,
and report/ (report.html, report.md, report.json, report.csv, findings.csv): the protected report
of 2025 compared with 2024, as `jamstat report` writes it, adjusted for age band and education.

Exit status: 0 done; 2 usage; 5 the folder cannot be written. See docs/cli.md.)");
  return {app, [request] { return run_demo(*request); }};
}

}  // namespace jamstat::cli
