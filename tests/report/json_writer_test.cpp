// report.json parsed with nlohmann-json and checked against the model and the roll-ups.
#include "jamstat/report/json_writer.hpp"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jamstat/engine/rollup.hpp"
#include "report_fixture.hpp"

namespace jamstat::report {
namespace {

using testing::report_data;
using json = nlohmann::json;

json written(const report_model& m) {
  std::ostringstream out;
  write_json(m, out);
  return json::parse(out.str());  // throws on malformed JSON
}

TEST(JsonWriter, StructureAndValues) {
  const report_data& d = report_data::get();
  // Threshold 10: the smallest (sex not known x intervention) cells of the data hold 9 persons.
  const report_model m = build_report(d.input(testing::test_stand_in_suppress_counts_below(10)));
  const json j = written(m);
  EXPECT_EQ(j["format"], "jamstat-report");
  EXPECT_EQ(j["format_version"], json_format_version);
  EXPECT_EQ(j["language"], "sv");
  EXPECT_EQ(j["period"], "2025");
  EXPECT_EQ(j["internal_use_only"], false);
  EXPECT_TRUE(j["internal_use_label"].is_null());
  EXPECT_EQ(j["protection"]["suppressed_symbol"], "..");
  EXPECT_EQ(j["protection"]["any_suppressed"], true);
  EXPECT_EQ(j["dimensions"].size(), 5u);
  EXPECT_EQ(j["dimensions"][4]["name"], "intervention");
  EXPECT_EQ(j["dimensions"][4]["label"], "Insats");
  EXPECT_EQ(j["sexes"][0]["code"], 2);
  EXPECT_TRUE(j["sexes"].back()["code"].is_null());
  EXPECT_EQ(j["chart_dimension"], "intervention");
  EXPECT_EQ(j["tables"].size(), m.tables.size());

  // The overview's women's persons and the intervention table's cells, against the roll-ups.
  const json* by = nullptr;
  for (const json& t : j["tables"])
    if (t["id"] == "by_intervention" && t["period"] == "current") by = &t;
  ASSERT_NE(by, nullptr);
  std::size_t persons = 99, participations = 99;
  for (std::size_t k = 0; k < (*by)["statistics"].size(); ++k) {
    if ((*by)["statistics"][k]["id"] == "persons") persons = k;
    if ((*by)["statistics"][k]["id"] == "participations") participations = k;
  }
  ASSERT_LT(persons, 99u);
  const rollup_table r = rollup(*d.now, grouping_set::of(*d.s, {"intervention"}));
  std::size_t nulls = 0;
  for (std::uint32_t level = 0; level < 12; ++level) {
    const std::uint32_t women[2] = {2, level};
    const auto cell = r.find(women);
    ASSERT_TRUE(cell);
    const json& row = (*by)["rows"][level];
    EXPECT_EQ(row["levels"][0], level);
    EXPECT_EQ(row["values"][0][persons]["value"], *cell->persons);
    EXPECT_EQ(row["values"][0][participations]["value"], cell->participations);
    EXPECT_EQ(row["values"][0][persons]["status"], "published");
    const json& unknown = row["values"][2][persons];  // sex not known: the small cells
    if (unknown["status"] == "primary") {
      EXPECT_TRUE(unknown["value"].is_null());
      ++nulls;
    }
  }
  EXPECT_GT(nulls, 0u);
  EXPECT_TRUE((*by)["rows"].back()["total"].get<bool>());
  EXPECT_TRUE((*by)["rows"].back()["levels"][0].is_null());

  ASSERT_EQ(j["findings"].size(), m.findings.size());
  EXPECT_EQ(j["findings"][0]["verdict"], m.findings[0].verdict);
  EXPECT_EQ(j["findings"][0]["clear"], true);
  ASSERT_FALSE(j["changes"].empty());
  EXPECT_TRUE(j["changes"][0].contains("gap_before"));
  EXPECT_EQ(j["strata_heat_map"]["row_labels"].size(), 6u);
  EXPECT_EQ(j["strata_heat_map"]["cells"].size(), 18u);
  EXPECT_EQ(j["maihda"][0]["model"], "logistic");
  EXPECT_EQ(j["maihda"][0]["strata"].size(), d.maihda.null_model.strata.size());
  EXPECT_DOUBLE_EQ(j["decomposition"]["gap"]["value"].get<double>(), 100.0 * d.decomposition.gap);
  EXPECT_EQ(j["data_quality"]["ingestion"]["rows_rejected"], 3);
  EXPECT_EQ(j["data_quality"]["participations"], d.now_records.size());
}

TEST(JsonWriter, InternalUseIsLabelled) {
  const report_data& d = report_data::get();
  const json j = written(build_report(d.input(internal_use_only(), language::en)));
  EXPECT_EQ(j["internal_use_only"], true);
  EXPECT_EQ(j["internal_use_label"], "For internal use only");
  EXPECT_EQ(j["language"], "en");
  EXPECT_EQ(j["tables"][0]["rows"][0]["values"][0][0]["status"], "internal");
}

}  // namespace
}  // namespace jamstat::report
