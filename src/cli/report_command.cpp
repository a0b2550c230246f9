// `jamstat report STATE`: the protected report of a state (and optionally last period's state and
// a target group) into a folder: report.csv, findings.csv, report.json, report.md, report.html.
// The analyses are the report layer's standard ones; disclosure control is cell suppression by
// jamstat::disclosure answering the report's protection seam (docs/disclosure.md, "Protecting a
// report"), unless --internal.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "exit_status.hpp"
#include "ingest_summary.hpp"
#include "jamstat/disclosure/state_tables.hpp"
#include "jamstat/disclosure/suppression.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/io/input_errors.hpp"
#include "jamstat/io/schema_file.hpp"
#include "jamstat/report/build_report.hpp"
#include "jamstat/report/report_folder.hpp"
#include "jamstat/report/standard_report.hpp"
#include "report_run.hpp"
#include "state_files.hpp"

namespace jamstat::cli {

namespace fs = std::filesystem;

namespace {

// What each rejection reason of the CSV reader (io::row_problem's stable names) means, for the
// report's data-quality section.
analysis::bilingual problem_label(const std::string& reason) {
  static const std::pair<const char*, analysis::bilingual> labels[] = {
      {"column_count", {"Fel antal fält", "Wrong number of fields"}},
      {"unterminated_quote", {"Citattecken som inte avslutas", "Unterminated quote"}},
      {"text_after_quote", {"Text efter citattecken", "Text after a closing quote"}},
      {"record_too_long", {"För lång rad", "Line too long"}},
      {"missing_value", {"Värde saknas", "Missing value"}},
      {"unknown_value", {"Okänt värde", "Unknown value"}},
      {"not_a_number", {"Inte ett tal", "Not a number"}},
      {"off_grid", {"För många decimaler", "Too many decimals"}},
      {"out_of_range", {"Värde utanför giltigt intervall", "Value out of range"}},
      {"no_band", {"Ålder utanför alla åldersgrupper", "Value in no band"}},
      {"invalid_personnummer", {"Ogiltigt personnummer", "Invalid personal identity number"}},
      {"invalid_text", {"Ogiltig text (inte UTF-8)", "Invalid text (not UTF-8)"}},
      {"engine_rejected", {"Avvisad av motorn (fel i jamstat)", "Rejected by the engine (a bug)"}},
  };
  for (const auto& [id, label] : labels)
    if (reason == id) return label;
  return {reason, reason};
}

// The summary aggregate left beside the state, as the report shows it (rejections by reason).
std::optional<report::ingestion_summary> ingestion_of(const fs::path& state_path, const aggregator& state) {
  const auto summary = read_summary(summary_path(state_path));
  if (!summary || !summary->describes(state)) return std::nullopt;
  report::ingestion_summary is;
  is.rows_read = summary->rows_read();
  is.rows_accepted = summary->rows_accepted;
  for (const auto& rej : summary->rejections) {
    auto it = std::find_if(is.rejected.begin(), is.rejected.end(), [&](const auto& x) { return x.reason == rej.reason; });
    if (it == is.rejected.end())
      is.rejected.push_back({rej.reason, problem_label(rej.reason), rej.rows});
    else
      it->rows += rej.rows;
  }
  for (const auto& src : summary->sources) is.sources.push_back(src.name);
  return is;
}

// Cell suppression of one period's state over the report's linked tables (docs/disclosure.md).
struct protected_state {
  disclosure::table_set tables;
  disclosure::suppression_result result;
};

std::shared_ptr<const protected_state> protect(const aggregator& state, const std::vector<std::uint64_t>& masks,
                                               const disclosure::suppression_rules& rules) {
  auto p = std::make_shared<protected_state>();
  p->tables = disclosure::tables_from_state(state, masks);
  p->result = disclosure::protect_by_suppression(p->tables, rules);
  return p;
}

report::report_protection suppression_protection(const aggregator& current, const aggregator* previous,
                                                 const std::vector<std::uint64_t>& masks, std::uint64_t min_persons) {
  disclosure::suppression_rules rules;
  rules.frequency_threshold = min_persons;
  const std::array<std::shared_ptr<const protected_state>, 2> states{
      protect(current, masks, rules), previous ? protect(*previous, masks, rules) : nullptr};
  report::report_protection rp;
  rp.cells = [states](const report::protection_query& q) {
    const protected_state& s = *states[static_cast<std::size_t>(q.period)];
    const disclosure::published_cell at = disclosure::locate(s.tables, q.grouping_mask, q.levels);
    const disclosure::cell_status st = disclosure::status_of(
        s.result.pattern, at.number, static_cast<disclosure::statistic_family>(q.family), q.index);
    return report::protection_decision{static_cast<report::cell_status>(st), q.figures};
  };
  rp.findings = report::findings_resting_on_fewer_than(min_persons);
  const std::string n = std::to_string(min_persons);
  rp.note = {"Celler med färre än " + n +
                 " personer är undertryckta (..), liksom de celler som annars skulle avslöja dem "
                 "(sekundär undertryckning, granskad med linjärprogrammering).",
             "Cells with fewer than " + n +
                 " persons are suppressed (..), as are the cells that would otherwise reveal them "
                 "(secondary suppression, audited by linear programming)."};
  return rp;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

std::vector<fs::path> run_report(const report_request& r) {
  const aggregator current = read_state_file(r.state);
  if (r.announce_forms) std::fprintf(stderr, "read %s: %s\n", r.state.string().c_str(), describe_form(current).c_str());
  std::optional<aggregator> previous;
  if (r.previous) {
    previous.emplace(read_state_file(*r.previous));
    if (r.announce_forms)
      std::fprintf(stderr, "read %s: %s\n", r.previous->string().c_str(), describe_form(*previous).c_str());
    if (!(current.schema_ref() == previous->schema_ref()))
      throw failure(exit_status::bad_schema, "cannot compare " + r.previous->string() + " with " + r.state.string() +
                                                 ": " + merge_obstacle(current, r.state.string(), *previous,
                                                                       r.previous->string()));
  }
  const schema& s = current.schema_ref();

  // Options, else the schema file's report defaults, else none (legitimate factors are never guessed).
  report::standard_analyses_options options;
  options.legitimate_factors = r.legitimate;
  options.compare_across = r.compare;
  options.minimum_persons = std::max<std::uint64_t>(10, r.min_persons);
  bool legitimate_from_schema_file = false;
  if (r.schema_file) {
    const io::schema_file sf = io::read_schema_file(*r.schema_file);  // errors: exit 3 / 5 (main)
    if (!(*sf.schema == s))
      throw failure(exit_status::bad_schema,
                    r.schema_file->string() + " does not describe the schema of " + r.state.string());
    if (options.legitimate_factors.empty()) {
      options.legitimate_factors = sf.report.legitimate_factors;
      legitimate_from_schema_file = !options.legitimate_factors.empty();
    }
    if (options.compare_across.empty()) options.compare_across = sf.report.compare;
    options.outcome = sf.report.outcome;
  }
  std::optional<analysis::target_group> target;
  if (r.target_group) {
    target.emplace(read_target_group(*r.target_group, s));
    options.target = &*target;
  }

  report::report_input in;
  in.current = &current;
  in.previous = previous ? &*previous : nullptr;
  in.lang = r.lang == "en" ? report::language::en : report::language::sv;
  in.title = r.title;
  in.organisation = r.organisation;
  in.period = !r.period.empty() ? r.period : r.state.stem().string();
  if (r.previous) in.previous_period = !r.previous_period.empty() ? r.previous_period : r.previous->stem().string();
  in.ingestion = ingestion_of(r.state, current);

  // Names in the options are checked by the report layer: an unknown one is a usage error.
  std::vector<std::uint64_t> published;
  report::standard_analyses analyses;
  // The groupings to protect depend on the analyses, not on the protection: ask with a
  // placeholder (the report layer refuses an input without one), then protect those groupings.
  in.protection = report::internal_use_only();
  try {
    published = report::standard_report_groupings(in, options);
    analyses = report::run_standard_analyses(in, options);
  } catch (const usage_error& e) {
    throw failure(exit_status::usage, e.what());
  }
  in.protection = r.internal ? report::internal_use_only()
                             : suppression_protection(current, in.previous, published, r.min_persons);
  report::attach(in, analyses);
  if (options.legitimate_factors.empty())
    in.analysis_notes.push_back(
        {"Inga legitima faktorer angivna (--legitimate eller schemafilens report.legitimate_factors): "
         "skillnaderna redovisas ojusterade och ingen dekomposition görs.",
         "No legitimate factors given (--legitimate or the schema file's report.legitimate_factors): the gaps are "
         "shown unadjusted and no decomposition is made."});
  else
    in.analysis_notes.push_back(
        {"Legitima faktorer (" + std::string(legitimate_from_schema_file ? "schemafilens standardval" : "angivna") +
             "): " + joined(options.legitimate_factors) + ".",
         "Legitimate factors (" + std::string(legitimate_from_schema_file ? "the schema file's defaults" : "given") +
             "): " + joined(options.legitimate_factors) + "."});
  const report::report_model model = report::build_report(in);
  try {
    return report::write_report_folder(model, r.folder);
  } catch (const std::runtime_error& e) {  // filesystem_error too: a folder or file that cannot be written
    throw failure(exit_status::io_error, e.what());
  }
}

command add_report_command(CLI::App& parent) {
  auto r = std::make_shared<report_request>();
  CLI::App* app = parent.add_subcommand("report", "Write the protected report of a state into a folder");
  app->add_option("state", r->state, "The state file (jamstat aggregate or merge wrote it)")
      ->required()
      ->type_name("STATE.jst");
  app->add_option("-o,--output", r->folder, "The folder to write the report into (created with its parents)")
      ->required()
      ->type_name("FOLDER");
  app->add_option("-p,--previous", r->previous, "Last period's state (same schema): the change since then")
      ->type_name("LAST.jst");
  app->add_option("-t,--target-group", r->target_group, "Target-group population by sex and dimensions (CSV)")
      ->type_name("T.csv");
  app->add_option("-s,--schema", r->schema_file,
                  "The schema file the state was aggregated with, for its report defaults (outcome, legitimate "
                  "factors, compare)")
      ->type_name("SCHEMA.json");
  app->add_option("--legitimate", r->legitimate,
                  "Legitimate factors to adjust the gaps for and decompose by (default: the schema file's, else none)")
      ->delimiter(',')
      ->type_name("DIM,...");
  app->add_option("--compare", r->compare, "Dimensions to repeat the findings across (default: the schema file's)")
      ->delimiter(',')
      ->type_name("DIM,...");
  app->add_option("--lang", r->lang, "Language: sv (default) or en")->check(CLI::IsMember({"sv", "en"}));
  app->add_option("--title", r->title, "The report's title");
  app->add_option("--organisation", r->organisation, "Who publishes it");
  app->add_option("--period", r->period, "Label of the state's period (default: its file name without .jst)");
  app->add_option("--previous-period", r->previous_period, "Label of the previous period (default: its file name)");
  app->add_option("--min-persons", r->min_persons, "Cells with fewer persons are suppressed (default 5)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000}));
  app->add_flag("--internal", r->internal,
                "No disclosure control: a report for internal use only (every output says so)");
  auto quiet = std::make_shared<bool>(false);
  app->add_flag("-q,--quiet", *quiet, "Do not print the form of the states read (the paths written are printed)");
  app->footer(R"(Examples:
  jamstat report 2025.jst --previous 2024.jst -s export.schema.json -o rapport-2025
  jamstat report 2025.jst --lang en --legitimate age_band,education --target-group malgrupp.csv -o report-2025-en

Writes report.csv (tidy: one row per cell and statistic), findings.csv, report.json, report.md and
report.html (self-contained, SVG charts, no script) and prints their paths. Every published statistic
passes disclosure control (cell suppression, primary and secondary) unless --internal. The summary
aggregate wrote beside the state (STATE.jst.ingest.json) is shown when present. The form of each
state read is printed on standard error: pseudonymised (person hashes: personal data for whoever
holds the key), person-free (jamstat person-free: frozen person counts) or participations only.

Exit status: 0 written; 2 usage (also an unknown dimension name); 3 the states' schemas differ, or
the schema file is invalid or not the state's; 4 a file is not a valid state or target group;
5 a file or folder cannot be read or written. See docs/cli.md.)");
  return {app, [r, quiet] {
            r->announce_forms = !*quiet;
            for (const fs::path& p : run_report(*r)) std::printf("%s\n", p.string().c_str());
            return code(exit_status::ok);
          }};
}

}  // namespace jamstat::cli
