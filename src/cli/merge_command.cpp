#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <set>

#include "commands.hpp"
#include "exit_status.hpp"
#include "ingest_summary.hpp"
#include "jamstat/io/state_format.hpp"
#include "jamstat/engine/errors.hpp"
#include "state_files.hpp"
#include "text_format.hpp"

namespace jamstat::cli {

namespace fs = std::filesystem;

namespace {

struct merge_request {
  fs::path output;
  std::vector<std::string> inputs;
  bool quiet = false;
};

int run_merge(const merge_request& request) {
  if (request.inputs.empty()) throw failure(exit_status::usage, "no state files to merge");
  std::set<std::string> seen;
  for (const std::string& in : request.inputs)
    if (!seen.insert(in).second) throw failure(exit_status::usage, in + " is given twice (it would be counted twice)");
  atomic_file out(request.output);  // an unwritable destination is found before reading

  aggregator merged = read_state_file(request.inputs.front());
  const auto announce = [&](const std::string& name, const aggregator& state) {
    if (!request.quiet) std::fprintf(stderr, "read %s: %s\n", name.c_str(), describe_form(state).c_str());
  };
  announce(request.inputs.front(), merged);
  if (request.inputs.size() > 1 && merged.is_person_free())
    throw failure(exit_status::bad_schema, "cannot merge " + request.inputs.front() + ": " +
                                               merge_obstacle(merged, request.inputs.front(), merged, request.inputs.front()));
  std::optional<ingest_summary> summary = read_summary(summary_path(request.inputs.front()));
  if (summary && !summary->describes(merged)) summary.reset();
  bool all_summaries = summary.has_value();
  for (std::size_t i = 1; i < request.inputs.size(); ++i) {
    const std::string& name = request.inputs[i];
    const aggregator next = read_state_file(name);
    announce(name, next);
    const std::string why = merge_obstacle(merged, request.inputs.front(), next, name);
    if (!why.empty()) throw failure(exit_status::bad_schema, "cannot merge " + name + ": " + why);
    std::optional<ingest_summary> s = read_summary(summary_path(name));
    if (s && s->describes(next) && summary) summary->add(*s);
    else all_summaries = false;
    try {
      merged.merge(next);
    } catch (const schema_mismatch_error& e) {
      throw failure(exit_status::bad_schema, "cannot merge " + name + ": " + e.what());
    } catch (const overflow_error& e) {
      throw failure(exit_status::bad_input, "cannot merge " + name + ": " + e.what());
    }
  }
  out.write(write_state(merged));
  out.commit();
  if (request.output != "-") {
    const fs::path sp = summary_path(request.output);
    if (all_summaries && summary) {
      write_summary(*summary, sp);
    } else {
      std::error_code ec;
      fs::remove(sp, ec);  // a summary left by an earlier run would describe another state
    }
  }
  if (!request.quiet && request.output != "-")
    std::fprintf(stderr, "merged %zu states into %s (%s participations)\n", request.inputs.size(),
                 request.output.string().c_str(), format_count(merged.participations()).c_str());
  return code(exit_status::ok);
}

}  // namespace

command add_merge_command(CLI::App& parent) {
  auto request = std::make_shared<merge_request>();
  CLI::App* app = parent.add_subcommand("merge", "Merge state files of the same schema into one");
  app->add_option("-o,--output", request->output, "The merged state file to write (- for standard output)")
      ->required()
      ->type_name("OUT.jst");
  app->add_flag("-q,--quiet", request->quiet, "Print nothing but errors");
  app->add_option("states", request->inputs, "State files (jamstat aggregate or merge wrote them); - is standard input")
      ->required()
      ->type_name("STATE.jst...");
  app->footer(R"(Examples:
  jamstat merge -o region.jst partner-a.jst partner-b.jst partner-c.jst
  jamstat merge -o 2025.jst 2025-*.jst

The merged state is exactly the state of all their records read in one run (persons counted
once across partners when they hash ids with the same key); the order of the inputs does not
change it. States must have the same schema and person key: otherwise the error names the
first difference (a dimension, a level, a measure's decimals, the key) and nothing is written.
Each input's form is printed: pseudonymised (person hashes: personal data for whoever holds the
key) or participations only. Person-free states (jamstat person-free) cannot be merged: merge the
states with person hashes first.

Exit status: 0 merged; 2 usage; 3 the schemas or person keys differ; 4 an input is not a valid
state; 5 a file cannot be read or written. See docs/cli.md.)");
  return {app, [request] { return run_merge(*request); }};
}

}  // namespace jamstat::cli
