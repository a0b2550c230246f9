// report.html: self-contained (no script, no network), well-formed, accessible, protected.
#include "jamstat/report/html_writer.hpp"

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "html_checks.hpp"
#include "report_fixture.hpp"

namespace jamstat::report {
namespace {

using testing::count_of;
using testing::report_data;

std::string html_of(const report_model& m) {
  std::ostringstream out;
  write_html(m, out);
  return out.str();
}

TEST(HtmlWriter, SelfContainedAndWellFormed) {
  const report_data& d = report_data::get();
  const std::string html = html_of(build_report(d.input(testing::test_stand_in_suppress_counts_below())));
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find("<html lang=\"sv\">"), std::string::npos);
  std::string lower = html;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  EXPECT_EQ(lower.find("<script"), std::string::npos);
  EXPECT_EQ(lower.find("http"), std::string::npos);  // no link, no namespace URL, nothing fetched
  EXPECT_EQ(lower.find("url("), std::string::npos);
  EXPECT_EQ(lower.find("@import"), std::string::npos);
  EXPECT_EQ(lower.find(" src="), std::string::npos);
  for (const char* handler : {" onload=", " onclick=", " onerror=", "javascript:"}) EXPECT_EQ(lower.find(handler), std::string::npos);
  const auto problems = testing::tag_problems(html);
  EXPECT_TRUE(problems.empty()) << problems.front();
}

TEST(HtmlWriter, AccessibleStructure) {
  const report_data& d = report_data::get();
  const std::string html = html_of(build_report(d.input(testing::test_stand_in_suppress_counts_below())));
  EXPECT_EQ(count_of(html, "<h1>"), 1u);
  EXPECT_LT(html.find("<title>"), html.find("</head>"));  // the page's title
  EXPECT_EQ(count_of(html, "<table>"), count_of(html, "<caption>"));  // every table has a caption
  const std::size_t charts = count_of(html, "<svg ");
  EXPECT_GE(charts, 6u);  // participants, outcome, hours, heat map, MAIHDA, decomposition
  EXPECT_EQ(count_of(html, "role=\"img\""), charts);
  EXPECT_EQ(count_of(html, "<desc id="), charts);  // every chart has a title and a description
  EXPECT_EQ(count_of(html, "aria-labelledby=\"chart-") + count_of(html, "aria-labelledby=\"heat"), charts);
  for (const char* section : {"Sammanfattning", "Deltagare", "Resultat", "Resurser", "Skillnader mellan kvinnor och män",
                              "Förändring sedan 2024", "Intersektionellt perspektiv", "Datakvalitet", "Skydd av uppgifter"})
    EXPECT_NE(html.find(std::string("-h\">") + section + "</h2>"), std::string::npos) << section;
  EXPECT_NE(html.find("scope=\"col\""), std::string::npos);
  EXPECT_NE(html.find("#D55E00"), std::string::npos);  // Okabe-Ito vermillion and blue
  EXPECT_NE(html.find("#0072B2"), std::string::npos);
}

TEST(HtmlWriter, SuppressedCellsAndTheirFootnote) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below()));
  const std::string html = html_of(m);
  EXPECT_NE(html.find("<td class=\"sup\">..</td>"), std::string::npos);
  EXPECT_NE(html.find("<dt>..</dt>"), std::string::npos);
  EXPECT_NE(html.find(m.protection_note), std::string::npos);
  EXPECT_EQ(html.find("class=\"internal\""), std::string::npos);
  EXPECT_EQ(html.find("För internt bruk"), std::string::npos);
}

TEST(HtmlWriter, PerturbedValuesAreMarked) {
  const report_data& d = report_data::get();
  const std::string html = html_of(build_report(d.input(testing::test_stand_in_perturb_counts())));
  EXPECT_NE(html.find("*</td>"), std::string::npos);
  EXPECT_NE(html.find("<dt>*</dt>"), std::string::npos);
}

TEST(HtmlWriter, InternalReportCarriesABanner) {
  const report_data& d = report_data::get();
  const std::string sv = html_of(build_report(d.input(internal_use_only())));
  EXPECT_NE(sv.find("<div class=\"internal\" role=\"note\"><strong>För internt bruk</strong>"), std::string::npos);
  EXPECT_NE(sv.find("<title>För internt bruk: "), std::string::npos);
  const std::string en = html_of(build_report(d.input(internal_use_only(), language::en)));
  EXPECT_NE(en.find("<strong>For internal use only</strong>"), std::string::npos);
  EXPECT_NE(en.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(en.find(">Differences between women and men</h2>"), std::string::npos);
  EXPECT_TRUE(testing::tag_problems(en).empty());
}

}  // namespace
}  // namespace jamstat::report
