// `jamstat report`: what it is asked for, the run (state -> analyses -> disclosure control ->
// report folder), and the target-group file it reads. The demo calls run_report too.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "jamstat/analysis/gap_input.hpp"
#include "jamstat/engine/schema.hpp"

namespace jamstat::cli {

struct report_request {
  std::filesystem::path state;
  std::optional<std::filesystem::path> previous;
  std::optional<std::filesystem::path> target_group;
  /// The schema file the state was aggregated with: its report defaults (outcome, legitimate
  /// factors, compare) apply when the options do not say otherwise.
  std::optional<std::filesystem::path> schema_file;
  std::vector<std::string> legitimate;  ///< legitimate factors; empty: the schema file's, else none
  std::vector<std::string> compare;     ///< dimensions the findings are repeated across; empty: the schema file's
  std::string lang = "sv";
  std::string title, organisation;
  std::string period, previous_period;  ///< empty: the state files' names without .jst
  bool internal = false;                ///< no disclosure control; every output labelled internal
  std::uint64_t min_persons = 5;        ///< frequency threshold of cell suppression
  std::filesystem::path folder;
  bool announce_forms = false;          ///< print each state's form (describe_form) on standard error
};

/// Runs the report and writes the folder. Returns the paths written (report.csv, findings.csv,
/// report.json, report.md, report.html). Throws failure with the documented exit status.
std::vector<std::filesystem::path> run_report(const report_request& request);

/// A target-group file: CSV with a header naming `sex`, some of the schema's dimensions and
/// `population`; one row per (sex, levels) with the level codes as in the data (ISO/IEC 5218 for
/// sex). Throws failure(bad_input) naming the file, line and column of a bad value, failure(io_error)
/// when it cannot be read.
analysis::target_group read_target_group(const std::filesystem::path& path, const schema& s);

}  // namespace jamstat::cli
