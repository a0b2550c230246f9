// `jamstat aggregate`: CSV files into a state file through a schema file. The demo uses the same
// function, so that its data goes the way a user's does.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ingest_summary.hpp"
#include "jamstat/io/csv_ingest.hpp"
#include "progress_bar.hpp"

namespace jamstat::cli {

struct aggregate_request {
  std::filesystem::path schema;                     ///< the schema file
  std::vector<std::string> inputs;                  ///< CSV files; "-" is standard input
  std::filesystem::path output = "state.jst";       ///< the state file; "-" is standard output
  std::optional<std::filesystem::path> reject_file;  ///< default: OUTPUT.rejected.csv (when rows are rejected)
  unsigned threads = 1;
  bool strict = false;
  progress_mode progress = progress_mode::automatic;
  bool quiet = false;           ///< no progress, no summary (errors are still printed)
  std::size_t shown_rejects = 10;  ///< rejected rows printed on standard error
};

struct aggregate_outcome {
  ingest_summary summary;
  std::optional<std::filesystem::path> reject_file;  ///< set when one was written
  std::filesystem::path state_file;
};

/// Runs the command: reads the schema file and its person key, checks that every input can be
/// opened, reads the inputs in order into one state, writes the state (atomically), the reject
/// file and the summary (STATE.ingest.json), and prints what it did on `messages` unless quiet.
/// Throws failure with the exit status of what went wrong (the state is not written then); the
/// caller maps rejected rows (summary.rows_rejected > 0) to exit_status::rejected_rows.
aggregate_outcome run_aggregate(const aggregate_request& request, std::FILE* messages);

}  // namespace jamstat::cli
