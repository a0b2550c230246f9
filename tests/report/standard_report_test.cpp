// The standard report (analyses with defaults, one call) and the protection promise across every
// output: a suppressed cell's figures appear in none of report.csv, findings.csv, report.json,
// report.md and report.html.
#include "jamstat/report/standard_report.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jamstat/engine/errors.hpp"
#include "jamstat/report/build_report.hpp"
#include "jamstat/report/report_folder.hpp"
#include "report_fixture.hpp"

namespace jamstat::report {
namespace {

using testing::report_data;

report_input basic_input(const report_data& d, report_protection p) {
  report_input in;
  in.current = d.now.get();
  in.previous = d.before.get();
  in.period = "2025";
  in.previous_period = "2024";
  in.protection = std::move(p);
  return in;
}

TEST(StandardReport, RunsEveryAnalysisWithDefaults) {
  const report_data& d = report_data::get();
  standard_analyses_options o;
  o.legitimate_factors = {"age_band", "education"};
  const report_input in = basic_input(d, testing::test_stand_in_suppress_counts_below());
  const standard_analyses a = run_standard_analyses(in, o);
  ASSERT_TRUE(a.gap);
  ASSERT_TRUE(a.strata);
  ASSERT_TRUE(a.decomposition);
  // Defaults: compared across the chart dimension (intervention); the grounds are the first two
  // dimensions after sex that are not the intervention.
  EXPECT_EQ(a.strata->dimensions, (std::vector<std::size_t>{1, 2}));
  bool across_intervention = false, adjusted = false, change = false;
  for (const analysis::finding& f : a.gap->findings) {
    across_intervention |= f.grouping_dimension == 3;  // gap dimension 3 = schema dimension 4
    adjusted |= f.adjusted;
    change |= f.period == analysis::finding_period::change;
  }
  EXPECT_TRUE(across_intervention);
  EXPECT_TRUE(adjusted);
  EXPECT_TRUE(change);
  // MAIHDA of the outcome (logistic) and of hours (linear), strata sex x age band x birth region.
  ASSERT_EQ(a.maihda.size(), 2u) << (a.notes.empty() ? "" : a.notes[0].en);
  EXPECT_TRUE(a.maihda[0].logistic);
  EXPECT_TRUE(a.maihda[1].linear);
  EXPECT_EQ(a.maihda[0].strata.dimensions(), (std::vector<std::size_t>{0, 1, 2}));
  // The same analyses as the fixture's, which runs them by hand.
  EXPECT_DOUBLE_EQ(a.decomposition->gap, d.decomposition.gap);
  EXPECT_EQ(a.gap->findings.size(), d.gap.findings.size());
  EXPECT_TRUE(a.notes.empty());

  report_input attached = in;
  attach(attached, a);
  const report_model m = build_report(attached);
  ASSERT_TRUE(m.strata_heat_map);
  EXPECT_EQ(m.strata_heat_map->row_labels.size(), 6u);
  EXPECT_EQ(m.maihda.size(), 2u);
  EXPECT_TRUE(m.decomposition);
  EXPECT_FALSE(m.findings.empty());
  EXPECT_FALSE(m.changes.empty());
}

TEST(StandardReport, OneCallAndTheGroupingsItAsksAbout) {
  const report_data& d = report_data::get();
  standard_analyses_options o;
  o.legitimate_factors = {"age_band", "education"};
  o.maihda_of_measures = false;
  std::set<std::uint64_t> asked;
  report_protection spy = testing::test_stand_in_suppress_counts_below();
  const cell_protection inner = spy.cells;
  spy.cells = [&](const protection_query& q) {
    asked.insert(q.grouping_mask);
    return inner(q);
  };
  const report_input in = basic_input(d, spy);
  const std::vector<std::uint64_t> groupings = standard_report_groupings(in, o);
  const report_model m = build_standard_report(in, o);
  EXPECT_EQ(m.maihda.size(), 1u);
  EXPECT_TRUE(m.any_suppressed);
  // Every grouping asked about was announced, and every announced one was asked about.
  EXPECT_EQ(asked, std::set<std::uint64_t>(groupings.begin(), groupings.end()));
}

TEST(StandardReport, WithoutLegitimateFactorsThereIsNoDecompositionAndANoteSaysSo) {
  const report_data& d = report_data::get();
  standard_analyses_options o;
  o.maihda = false;
  const report_model m = build_standard_report(basic_input(d, internal_use_only()), o);
  EXPECT_FALSE(m.decomposition);
  EXPECT_TRUE(m.maihda.empty());
  for (const report_finding& f : m.findings) EXPECT_FALSE(f.adjusted);
  ASSERT_EQ(m.analysis_notes.size(), 1u);
  EXPECT_NE(m.analysis_notes[0].find("legitima faktorer"), std::string::npos);
}

TEST(StandardReport, RefusesUnknownNames) {
  const report_data& d = report_data::get();
  const report_input in = basic_input(d, internal_use_only());
  auto with = [&](auto set) {
    standard_analyses_options o;
    set(o);
    return o;
  };
  EXPECT_THROW(run_standard_analyses(in, with([](auto& o) { o.compare_across = {"shoe_size"}; })), usage_error);
  EXPECT_THROW(run_standard_analyses(in, with([](auto& o) { o.legitimate_factors = {"sex"}; })), usage_error);
  EXPECT_THROW(run_standard_analyses(in, with([](auto& o) { o.intersectional_dimensions = {"age_band", "age_band"}; })),
               usage_error);
  EXPECT_THROW(run_standard_analyses(in, with([](auto& o) { o.outcome = "in_prison"; })), usage_error);
  EXPECT_THROW(run_standard_analyses(in, with([](auto& o) { o.offered_outcomes = {"coaching"}; })), usage_error);
  report_input none = in;
  none.current = nullptr;
  EXPECT_THROW(run_standard_analyses(none), usage_error);
}

// A small state with one sensitive cell: women in unit "C" are 3 persons with distinctive hours
// (1111.17 + 2222.29 + 3333.41 = 6666.87, mean 2222.29) and 1 of 3 in work (33.3 %).
struct canary_state {
  std::shared_ptr<const schema> s;
  std::unique_ptr<aggregator> a;
  canary_state() {
    s = std::make_shared<const schema>(
        std::vector<dimension>{dimension("unit", {{0, "Enhet A", "Unit A"}, {1, "Enhet B", "Unit B"}, {2, "Enhet C", "Unit C"}},
                                         "Enhet", "Unit")},
        std::vector<outcome>{{"work", "I arbete", "In work"}},
        std::vector<numeric_measure>{numeric_measure::floating("hours", "h", "Timmar", "Hours", 0.0, 99999.0)});
    std::array<std::uint8_t, 16> key{};
    key[0] = 7;
    a = std::make_unique<aggregator>(s, aggregator_options{bad_record_policy::reject, person_key(key)});
    std::uint64_t person = 1;
    auto add = [&](std::int32_t sex, std::int32_t unit, std::int32_t work, double hours) {
      const std::int32_t codes[2] = {sex, unit};
      const std::int32_t outcomes[1] = {work};
      const double numerics[1] = {hours};
      record r;
      r.codes = codes;
      r.outcomes = outcomes;
      r.numerics = numerics;
      r.person = person++;
      ASSERT_TRUE(a->add(r));
    };
    // Everyone else: whole hours, in work at rates far from 33.3 %, men spread unevenly over the
    // units (41, 47, 59: no share of a third anywhere).
    const int men[3] = {41, 47, 59};
    for (std::int32_t unit = 0; unit < 3; ++unit)
      for (int i = 0; i < men[unit]; ++i) add(1, unit, i % 4 == 0, 10.0 + unit);
    for (std::int32_t unit = 0; unit < 2; ++unit)
      for (int i = 0; i < 40; ++i) add(2, unit, i % 5 != 0, 20.0 + unit);
    add(2, 2, 1, 1111.17);
    add(2, 2, 0, 2222.29);
    add(2, 2, 0, 3333.41);
  }
};

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ProtectionAcrossOutputs, ASuppressedCellAppearsInNoOutput) {
  const canary_state c;
  for (const language lang : {language::sv, language::en}) {
    report_input in;
    in.current = c.a.get();
    in.lang = lang;
    in.protection = testing::test_stand_in_suppress_counts_below(5);
    standard_analyses_options o;
    o.intersectional_dimensions = {"unit"};  // the strata table, heat map and MAIHDA read the cell too
    const report_model m = build_standard_report(in, o);
    EXPECT_TRUE(m.any_suppressed);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("jamstat-report-canary-" + std::to_string(::getpid()) + (lang == language::en ? "-en" : "-sv"));
    const auto files = write_report_folder(m, dir);
    ASSERT_EQ(files.size(), 5u);
    for (const auto& file : files) {
      const std::string text = read_all(file);
      ASSERT_FALSE(text.empty()) << file;
      // The cell's sum, mean and proportion, in every format a writer uses.
      for (const char* secret : {"6666.87", "6666,87", "6\u00A0666,87", "6,666.87", "6\u00A0666,9", "6,666.9", "2222.29",
                                 "2222,29", "2\u00A0222,3", "2,222.3", "33.33", "33,33", "33,3\u00A0%", "33.3%"})
        EXPECT_EQ(text.find(secret), std::string::npos) << file.filename() << " shows " << secret;
    }
    // And where the cell is, it says so: suppressed in the table, the findings and the strata.
    const report_table* by_unit = m.table("by_unit");
    ASSERT_NE(by_unit, nullptr);
    for (const shown_value& v : by_unit->rows[2].values[0]) EXPECT_EQ(v.status, cell_status::primary);
    for (const report_finding& f : m.findings)
      if (f.grouping_dimension == 1 && c.a && f.grouping.find(lang == language::en ? "Unit C" : "Enhet C") != std::string::npos &&
          f.kind != analysis::finding_kind::distribution_level) {
        EXPECT_TRUE(is_suppressed(f.status)) << f.what;
      }
    const nlohmann::json j = nlohmann::json::parse(read_all(dir / "report.json"));
    EXPECT_EQ(j["protection"]["any_suppressed"], true);
    if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir);
  }
}

}  // namespace
}  // namespace jamstat::report
