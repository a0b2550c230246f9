#include <CLI/CLI.hpp>
#include <memory>

#include "aggregate.hpp"
#include "commands.hpp"
#include "exit_status.hpp"

namespace jamstat::cli {

command add_aggregate_command(CLI::App& parent) {
  auto request = std::make_shared<aggregate_request>();
  auto flags = std::make_shared<std::pair<bool, bool>>(false, false);  // --progress, --quiet
  CLI::App* app = parent.add_subcommand("aggregate", "Read CSV files into a state file, as a schema file says");
  app->add_option("-s,--schema", request->schema, "The schema file (JSON; see docs/schema-file.md)")
      ->required()
      ->type_name("SCHEMA.json");
  app->add_option("-o,--output", request->output, "The state file to write (default state.jst; - for standard output)")
      ->type_name("STATE.jst");
  app->add_option("-r,--reject-file", request->reject_file,
                  "Where rejected rows go, with the reason (default: STATE.jst.rejected.csv, written only when rows "
                  "are rejected)")
      ->type_name("FILE.csv");
  app->add_option("-j,--threads", request->threads, "Threads parsing each file (default 1)")
      ->type_name("N")
      ->check(CLI::Range(1u, 256u));
  app->add_flag("--strict", request->strict, "Stop at the first bad row (file:line:column) and write nothing");
  app->add_flag("--progress", flags->first, "Show progress even when standard error is not a terminal");
  app->add_flag("-q,--quiet", flags->second, "No progress bar and no summary (errors are still printed)");
  app->add_option("files", request->inputs, "CSV files, read in order into one state; - is standard input")
      ->required()
      ->type_name("FILE.csv...");
  app->footer(R"(Examples:
  jamstat aggregate --schema export.schema.json -o 2025.jst januari.csv februari.csv
  zcat export.csv.gz | jamstat aggregate -s export.schema.json -o nightly.jst -
  jamstat aggregate -s export.schema.json --threads 4 --strict -o 2025.jst export.csv

Bad rows are never dropped silently: each one is written with its line, column and reason
to the reject file and counted; the first ten are shown. The state, STATE.ingest.json (what
was read, for the report) and the reject file are written whole or not at all.

When the schema file names a person id (or personnummer), the state holds keyed hashes of the ids
per cell: pseudonymised personal data for whoever holds the person key (the personnummer itself
is never written anywhere). Give others `jamstat person-free STATE -o COPY` instead.

Exit status: 0 every row accepted; 1 rows were rejected (the state was written) or, with
--strict, a bad row stopped the run; 2 usage; 3 bad schema file or person key; 4 a CSV file
whose layout does not fit the schema file; 5 a file cannot be read or written.
See docs/cli.md.)");
  return {app, [request, flags] {
            if (flags->first) request->progress = progress_mode::always;
            request->quiet = flags->second;
            const aggregate_outcome out = run_aggregate(*request, stderr);
            return code(out.summary.rows_rejected > 0 ? exit_status::rejected_rows : exit_status::ok);
          }};
}

}  // namespace jamstat::cli
