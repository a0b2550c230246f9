// Writing every output of a report into a folder.
#pragma once

#include <filesystem>
#include <vector>

#include "jamstat/report/csv_writer.hpp"
#include "jamstat/report/report_model.hpp"

namespace jamstat::report {

struct folder_options {
  csv_options csv;  ///< dialect and byte order mark of report.csv and findings.csv
};

/// Writes report.csv, findings.csv, report.json, report.md and report.html into `folder` (created
/// with its parents when missing; existing files of these names are replaced, each written to a
/// temporary file first and renamed, so a reader never sees half a report). Returns the paths
/// written, in that order. Throws std::filesystem::filesystem_error or std::runtime_error naming
/// the file when it cannot be written.
std::vector<std::filesystem::path> write_report_folder(const report_model& model, const std::filesystem::path& folder,
                                                       const folder_options& options = {});

}  // namespace jamstat::report
