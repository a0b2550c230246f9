// The gap report on the engine's own data: the synthetic participation data set aggregated with
// distinct persons, its cube turned into gap cells, and the report's figures checked against the
// records themselves.
#include "jamstat/analysis/gap_adapter.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "jamstat/analysis/gap_report.hpp"
#include "jamstat/engine/aggregator.hpp"
#include "jamstat/synth/participations.hpp"

namespace jamstat::analysis {
namespace {

TEST(GapAdapter, ReportOnTheSyntheticDataMatchesTheRecords) {
  const synth::participations p = synth::generate(20000);
  const auto s = synth::participation_schema();
  std::array<std::uint8_t, 16> key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 7 + 1);
  aggregator agg(s, {bad_record_policy::reject, person_key(key)});
  agg.add_batch(synth::as_batch(p));

  const gap_schema gs = gap_schema_from(*s, {{"age_band", {"Åldersgrupp", "Age band"}},
                                              {"education", {"Utbildning", "Education"}},
                                              {"intervention", {"Insats", "Intervention"}}});
  ASSERT_EQ(gs.dimensions.size(), s->dimensions().size() - 1);
  EXPECT_EQ(gs.dimensions[gs.dimension_index("age_band")].label.sv, "Åldersgrupp");
  EXPECT_EQ(gs.dimensions[gs.dimension_index("education")].label.sv, "Utbildning");                // the one given
  EXPECT_EQ(gs.dimensions[gs.dimension_index("birth_region")].label.sv, "Födelseregion");         // the schema's own
  const gap_cells cells = gap_cells_from(agg);
  gap_report_options options;
  options.compare_across = {"intervention"};
  options.adjust_for = {"age_band", "education"};
  const gap_report report = build_gap_report(gs, cells, options);

  // The records' own figures for women.
  std::uint64_t women = 0, women_success = 0;
  double women_hours = 0;
  std::set<std::uint32_t> women_persons;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p.sex[i] != 2) continue;
    ++women;
    women_success += p.outcome[i];
    women_hours += p.hours[i];
    women_persons.insert(p.person_id[i]);
  }
  const auto raw = std::find_if(report.findings.begin(), report.findings.end(), [](const finding& f) {
    return f.kind == finding_kind::outcome && !f.adjusted && f.grouping_dimension == -1;
  });
  ASSERT_NE(raw, report.findings.end());
  EXPECT_EQ(raw->women.participations, women);
  EXPECT_EQ(raw->women.amount, double(women_success));
  EXPECT_EQ(raw->women.persons, women_persons.size());  // exact distinct persons from the total roll-up
  EXPECT_TRUE(raw->persons_exact);
  EXPECT_EQ(raw->participations, p.size());
  EXPECT_GT(raw->not_known.participations, 0u);  // sex 0 reported beside women and men
  const auto hours = std::find_if(report.findings.begin(), report.findings.end(), [](const finding& f) {
    return f.kind == finding_kind::measure_mean && !f.adjusted && f.grouping_dimension == -1;
  });
  ASSERT_NE(hours, report.findings.end());
  EXPECT_NEAR(hours->women.estimate, women_hours / double(women), 1e-9 * women_hours / double(women));
  // Per intervention, and the distribution of women's and men's participations over interventions
  // (the generator gives women and men different intervention weights: a clear difference).
  const auto dist = std::find_if(report.findings.begin(), report.findings.end(),
                                 [](const finding& f) { return f.kind == finding_kind::distribution; });
  ASSERT_NE(dist, report.findings.end());
  EXPECT_LT(dist->q_value, 1e-6);
  EXPECT_EQ(dist->df, 11.0);
  EXPECT_EQ(std::count_if(report.findings.begin(), report.findings.end(),
                          [](const finding& f) { return f.kind == finding_kind::distribution_level; }),
            12);
  // Adjusted findings exist and are adjusted for the two factors.
  const auto adjusted = std::find_if(report.findings.begin(), report.findings.end(), [](const finding& f) {
    return f.kind == finding_kind::outcome && f.adjusted && f.grouping_dimension == -1;
  });
  ASSERT_NE(adjusted, report.findings.end());
  EXPECT_EQ(adjusted->adjusted_for_en, "age band and education");
  EXPECT_TRUE(adjusted->persons_exact);
  for (const finding& f : report.findings) {
    EXPECT_FALSE(f.verdict_sv.empty());
    EXPECT_FALSE(f.verdict_en.empty());
  }
}

}  // namespace
}  // namespace jamstat::analysis
