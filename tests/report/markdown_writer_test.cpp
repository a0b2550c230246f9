// report.md: headings, tables, findings, protection.
#include "jamstat/report/markdown_writer.hpp"

#include <sstream>

#include <gtest/gtest.h>

#include "html_checks.hpp"
#include "jamstat/report/number_format.hpp"
#include "report_fixture.hpp"

namespace jamstat::report {
namespace {

using testing::report_data;

std::string markdown_of(const report_model& m) {
  std::ostringstream out;
  write_markdown(m, out);
  return out.str();
}

TEST(MarkdownWriter, HeadingsTablesAndFindings) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below()));
  const std::string md = markdown_of(m);
  EXPECT_TRUE(md.starts_with("# Jämställdhetsrapport 2025\n"));
  EXPECT_EQ(md.find("För internt bruk"), std::string::npos);
  for (const char* heading : {"## Skydd av uppgifter", "## Tabeller", "## Skillnader mellan kvinnor och män",
                              "## Förändring sedan föregående period", "## Intersektionellt perspektiv", "## Datakvalitet",
                              "## Teckenförklaring"})
    EXPECT_NE(md.find(heading), std::string::npos) << heading;
  EXPECT_NE(md.find("| Insats | Kvinnor | Män | Okänt | Totalt |"), std::string::npos);
  EXPECT_NE(md.find("| .. |"), std::string::npos);  // a suppressed cell
  EXPECT_NE(md.find(m.findings[0].verdict), std::string::npos);
  // The women's persons of the overview, in Swedish format.
  const report_table* overview = m.table("overview");
  const std::string women = format_count(static_cast<std::uint64_t>(overview->rows[0].values[0][0].value), language::sv);
  EXPECT_NE(md.find("| Totalt | " + women + " |"), std::string::npos);
  // Every table row has as many cells as its header.
  std::istringstream lines(md);
  std::string line;
  std::size_t columns = 0;
  while (std::getline(lines, line)) {
    if (!line.starts_with("|")) {
      columns = 0;
      continue;
    }
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
    if (columns == 0) columns = pipes;
    EXPECT_EQ(pipes, columns) << line;
  }
}

TEST(MarkdownWriter, InternalHeadingLine) {
  const report_data& d = report_data::get();
  const std::string md = markdown_of(build_report(d.input(internal_use_only(), language::en)));
  EXPECT_NE(md.find("\n## For internal use only\n"), std::string::npos);
  EXPECT_NE(md.find("| Intervention | Women | Men | Not known | Total |"), std::string::npos);
}

}  // namespace
}  // namespace jamstat::report
