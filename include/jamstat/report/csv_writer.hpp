// The report as tidy long-format CSV (one row per cell and statistic) for R, Excel and Power BI,
// and the findings as CSV (one row per finding). Columns: docs/report.md.
#pragma once

#include <ostream>

#include "jamstat/report/report_model.hpp"

namespace jamstat::report {

/// The two CSV dialects.
enum class csv_dialect : std::uint8_t {
  /// RFC 4180: "," between fields, "." in numbers. Read the same in every language and locale by
  /// R (read.csv, readr), Python (pandas), Power BI and Excel's Data > From Text/CSV. The default.
  rfc4180 = 0,
  /// What Swedish Excel opens with a double click: ";" between fields, "," in numbers.
  excel_sv = 1,
};

struct csv_options {
  csv_dialect dialect = csv_dialect::rfc4180;
  /// Start with the UTF-8 byte order mark, so that Excel reads å, ä, ö right when the file is
  /// double-clicked (R's readr, pandas with encoding "utf-8-sig" and Power BI skip it).
  bool byte_order_mark = true;
};

/// Writes report.csv: a header, then one row per (table, row, sex column, statistic), the strata
/// heat map's gaps, the MAIHDA strata, the decomposition and the data-quality counts. Lines end
/// with CRLF (RFC 4180). Numbers hold full precision (shortest text that reads back exactly);
/// suppressed and not computable values are empty, the status column says which.
void write_csv(const report_model& model, std::ostream& out, const csv_options& options = {});

/// Writes findings.csv: one row per finding of the gap analysis (the current and previous period's
/// findings by importance, then the changes), with its verdict in the report's language.
void write_findings_csv(const report_model& model, std::ostream& out, const csv_options& options = {});

}  // namespace jamstat::report
