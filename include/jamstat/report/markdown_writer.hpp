// The report as Markdown: headings, tables of the key statistics by sex, the findings in plain
// language, the intersectional view, data quality and the protection note.
#pragma once

#include <ostream>

#include "jamstat/report/report_model.hpp"

namespace jamstat::report {

/// Writes report.md (UTF-8, GitHub-flavoured Markdown tables). Suppressed values are "..",
/// perturbed values end with "*", with the symbols explained at the end. An internal report starts
/// with a heading line "För internt bruk" / "For internal use only".
void write_markdown(const report_model& model, std::ostream& out);

}  // namespace jamstat::report
