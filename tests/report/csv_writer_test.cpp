// report.csv and findings.csv read back as R or Excel would, and checked against the library's
// numbers (roll-up values).
#include "jamstat/report/csv_writer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "csv_reader.hpp"
#include "jamstat/engine/rollup.hpp"
#include "report_fixture.hpp"

namespace jamstat::report {
namespace {

using testing::read_csv;
using testing::report_data;

struct parsed {
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
};

parsed parse(const std::string& text, char separator = ',') {
  EXPECT_EQ(text.substr(0, 3), "\xEF\xBB\xBF");  // UTF-8 byte order mark
  const auto rows = read_csv(text.substr(3), separator);
  parsed out;
  out.header = rows.at(0);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    EXPECT_EQ(rows[r].size(), out.header.size()) << "row " << r;
    std::map<std::string, std::string> m;
    for (std::size_t c = 0; c < out.header.size() && c < rows[r].size(); ++c) m[out.header[c]] = rows[r][c];
    out.rows.push_back(std::move(m));
  }
  return out;
}

double number(const std::string& text) {
  double v = std::nan("");
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  EXPECT_EQ(r.ptr, text.data() + text.size()) << text;
  return v;
}

const std::map<std::string, std::string>* find_row(const parsed& p, const std::map<std::string, std::string>& where) {
  for (const auto& row : p.rows) {
    bool all = true;
    for (const auto& [k, v] : where)
      if (row.at(k) != v) all = false;
    if (all) return &row;
  }
  return nullptr;
}

TEST(CsvWriter, TidyRowsMatchTheRollups) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below()));
  std::ostringstream out;
  write_csv(m, out);
  const parsed p = parse(out.str());
  const std::vector<std::string> expected{"table", "period", "grouping", "age_band", "birth_region", "education",
                                          "intervention", "sex", "statistic", "label", "value", "lower", "upper",
                                          "unit", "status", "internal_use_only"};
  EXPECT_EQ(p.header, expected);

  // Every cell of the sex x intervention roll-up, as the library computes it.
  const rollup_table by = rollup(*d.now, grouping_set::of(*d.s, {"intervention"}));
  const auto& sex = d.s->dimensions()[0];
  const auto& intervention = d.s->dimensions()[4];
  std::size_t checked = 0;
  for (const rollup_cell& c : by.cells()) {
    const std::string sex_label = sex.levels()[c.levels[0]].label_sv;
    const std::string level = intervention.levels()[c.levels[1]].label_sv;
    const std::map<std::string, std::string> key{{"table", "by_intervention"}, {"period", "current"},
                                                 {"sex", sex_label}, {"intervention", level}};
    auto with = [&](const char* statistic) {
      auto k = key;
      k["statistic"] = statistic;
      return find_row(p, k);
    };
    const auto* persons = with("persons");
    ASSERT_NE(persons, nullptr) << sex_label << " " << level;
    EXPECT_EQ(persons->at("grouping"), "sex+intervention");
    EXPECT_EQ(persons->at("age_band"), "Totalt");
    if (*c.persons < 5) {
      EXPECT_EQ(persons->at("value"), "");
      EXPECT_EQ(persons->at("status"), "primary");
      continue;
    }
    EXPECT_EQ(number(persons->at("value")), double(*c.persons));
    EXPECT_EQ(persons->at("status"), "published");
    EXPECT_EQ(number(with("participations")->at("value")), double(c.participations));
    const auto* prop = with("in_work_or_studies.proportion");
    EXPECT_EQ(number(prop->at("value")), 100.0 * double(c.successes[0]) / double(c.participations));  // exact text
    EXPECT_EQ(prop->at("unit"), "%");
    EXPECT_LT(number(prop->at("lower")), number(prop->at("value")));
    const auto* mean = with("hours.mean");
    EXPECT_EQ(number(mean->at("value")), c.numerics[0].mean());
    EXPECT_EQ(mean->at("unit"), "h");
    EXPECT_EQ(number(with("hours.sum")->at("value")), c.numerics[0].total());
    ++checked;
  }
  EXPECT_GT(checked, 20u);
  // The total of everything.
  const rollup_table all = total(*d.now);
  const auto* total_row = find_row(p, {{"table", "overview"}, {"period", "current"}, {"sex", "Totalt"},
                                       {"statistic", "participations"}});
  ASSERT_NE(total_row, nullptr);
  EXPECT_EQ(total_row->at("grouping"), "total");
  EXPECT_EQ(number(total_row->at("value")), double(all.cells()[0].participations));
  // The previous period, the strata, MAIHDA, the decomposition and data quality are there too.
  for (const char* table : {"strata_gaps", "maihda.in_work_or_studies", "decomposition.in_work_or_studies", "data_quality", "strata"})
    EXPECT_NE(find_row(p, {{"table", table}}), nullptr) << table;
  EXPECT_NE(find_row(p, {{"table", "overview"}, {"period", "previous"}}), nullptr);
  const auto* rejected = find_row(p, {{"table", "data_quality"}, {"statistic", "rows_rejected.bad_personnummer"}});
  ASSERT_NE(rejected, nullptr);
  EXPECT_EQ(rejected->at("value"), "2");
  for (const auto& row : p.rows) EXPECT_EQ(row.at("internal_use_only"), "false");
}

TEST(CsvWriter, SwedishExcelDialectAndInternalUse) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(internal_use_only()));
  std::ostringstream out;
  write_csv(m, out, {csv_dialect::excel_sv, true});
  const parsed p = parse(out.str(), ';');
  const auto* prop = find_row(p, {{"table", "overview"}, {"sex", "Kvinnor"}, {"statistic", "in_work_or_studies.proportion"}});
  ASSERT_NE(prop, nullptr);
  EXPECT_NE(prop->at("value").find(','), std::string::npos);  // decimal comma
  EXPECT_EQ(prop->at("value").find('.'), std::string::npos);
  for (const auto& row : p.rows) {
    EXPECT_EQ(row.at("internal_use_only"), "true");
    EXPECT_EQ(row.at("status"), "internal");
  }
}

TEST(CsvWriter, QuotesFieldsThatNeedIt) {
  // Labels with the separator, quotes and a line break survive the round trip.
  const auto s = std::make_shared<const schema>(
      std::vector<dimension>{dimension("unit", {{0, "Öst, \"gamla\" kontoret", "East"}, {1, "Väst\nnya", "West"}}, "Enhet", "Unit")},
      std::vector<outcome>{{"work", "Arbete", "Work"}}, std::vector<numeric_measure>{});
  aggregator a(s);
  const std::int32_t work[1] = {1};
  for (const std::int32_t sex : {1, 2})
    for (const std::int32_t unit : {0, 1}) {
      const std::int32_t record_codes[2] = {sex, unit};
      record r;
      r.codes = record_codes;
      r.outcomes = work;
      a.add(r);
    }
  report_input in;
  in.current = &a;
  in.protection = internal_use_only();
  const report_model m = build_report(in);
  std::ostringstream out;
  write_csv(m, out);
  const parsed p = parse(out.str());
  // A dimension named like a fixed column ("unit") gets a column of its own name + "_dimension".
  EXPECT_EQ(p.header[3], "unit_dimension");
  EXPECT_EQ(std::count(p.header.begin(), p.header.end(), "unit"), 1);
  EXPECT_NE(find_row(p, {{"unit_dimension", "Öst, \"gamla\" kontoret"}}), nullptr);
  EXPECT_NE(find_row(p, {{"unit_dimension", "Väst\nnya"}}), nullptr);
}

TEST(CsvWriter, FindingsCsv) {
  const report_data& d = report_data::get();
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below()));
  std::ostringstream out;
  write_findings_csv(m, out);
  const parsed p = parse(out.str());
  ASSERT_EQ(p.rows.size(), m.findings.size() + m.changes.size());
  EXPECT_EQ(p.header.front(), "rank");
  EXPECT_EQ(p.rows[0].at("rank"), "1");
  EXPECT_EQ(p.rows[0].at("verdict"), m.findings[0].verdict);
  EXPECT_EQ(p.rows[0].at("clear"), "true");
  std::size_t suppressed = 0;
  for (const auto& row : p.rows) {
    if (row.at("status") != "primary") continue;
    ++suppressed;
    EXPECT_EQ(row.at("women"), "");
    EXPECT_EQ(row.at("difference"), "");
    EXPECT_EQ(row.at("q_value"), "");
    EXPECT_EQ(row.at("persons"), "");
  }
  EXPECT_GT(suppressed, 0u);
  const auto* change = find_row(p, {{"period", "change"}});
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->at("period_label"), "2024–2025");
}

}  // namespace
}  // namespace jamstat::report
