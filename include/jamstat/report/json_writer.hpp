// The report as one JSON document (schema: docs/report.md, "report.json").
#pragma once

#include <ostream>

#include "jamstat/report/report_model.hpp"

namespace jamstat::report {

/// The value of "format_version" in report.json; raised when a field changes meaning or is removed
/// (fields are only added within a version).
inline constexpr int json_format_version = 1;

/// Writes report.json (UTF-8, no byte order mark, indented by two spaces). Numbers hold full
/// precision; NaN and suppressed values are null, with the status beside them.
void write_json(const report_model& model, std::ostream& out);

}  // namespace jamstat::report
