// `jamstat person-free`: a copy of a state without person hashes, for exchange with anyone who
// should not hold the person key (docs/state-format.md, "Person-free states").
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "exit_status.hpp"
#include "ingest_summary.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/person_free.hpp"
#include "jamstat/io/state_format.hpp"
#include "state_files.hpp"

namespace jamstat::cli {

namespace fs = std::filesystem;

namespace {

struct person_free_request {
  fs::path input, output;
  bool quiet = false;
};

int run_person_free(const person_free_request& r) {
  if (r.input == r.output && r.input != "-")
    throw failure(exit_status::usage, "the person-free copy must not replace " + r.input.string() +
                                          " (the state with hashes is what later nights are merged into)");
  atomic_file out(r.output);  // an unwritable destination is found before reading
  const aggregator state = read_state_file(r.input);
  if (!r.quiet) std::fprintf(stderr, "read %s: %s\n", r.input.string().c_str(), describe_form(state).c_str());
  if (!state.counts_persons())
    throw failure(exit_status::usage, r.input.string() + " holds no person hashes: it is " + describe_form(state) +
                                          " already; nothing to do");
  aggregator copy = [&] {
    try {
      return person_free(state);
    } catch (const usage_error& e) {
      throw failure(exit_status::usage, e.what());
    }
  }();
  out.write(write_state(copy));
  out.commit();
  if (r.output != "-") {
    // The ingest summary describes the same rows: keep it beside the copy for the report.
    const std::optional<ingest_summary> summary = read_summary(summary_path(r.input));
    if (summary && summary->describes(copy)) write_summary(*summary, summary_path(r.output));
  }
  if (!r.quiet && r.output != "-")
    std::fprintf(stderr, "wrote %s: %s\n", r.output.string().c_str(), describe_form(copy).c_str());
  return code(exit_status::ok);
}

}  // namespace

command add_person_free_command(CLI::App& parent) {
  auto r = std::make_shared<person_free_request>();
  CLI::App* app = parent.add_subcommand("person-free", "Copy a state without its person hashes (frozen person counts)");
  app->add_option("state", r->input, "A state that counts persons (- for standard input)")->required()->type_name("STATE.jst");
  app->add_option("-o,--output", r->output, "The person-free state to write (- for standard output)")
      ->required()
      ->type_name("OUT.jst");
  app->add_flag("-q,--quiet", r->quiet, "Print nothing but errors");
  app->footer(R"(Examples:
  jamstat person-free 2025.jst -o 2025.person-free.jst
  jamstat report 2025.person-free.jst -s export.schema.json -o rapport-2025

A state that counts persons holds, per cell, keyed hashes of person ids. Whoever holds the person
key can hash every possible personnummer and find who is in which cell: such a state is
pseudonymised personal data. The person-free copy keeps every cell, count, outcome, measure and
tally, but of persons only the distinct persons of every cell of every grouping the report can
publish (frozen counts), and no identifier of anyone. Send it to whoever should not hold the key.
It cannot be merged or added to (distinct persons do not add up across states): merge the states
with hashes first. The report, and its disclosure control by persons, read it as they read the
state it came from.

Exit status: 0 written; 2 usage (a state without person hashes, or already person-free); 4 the
input is not a valid state; 5 a file cannot be read or written. See docs/cli.md.)");
  return {app, [r] { return run_person_free(*r); }};
}

}  // namespace jamstat::cli
