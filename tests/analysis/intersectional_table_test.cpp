// Intersectional strata tables: each stratum's women and men side by side, against a direct count
// of the records and the gap analysis's own functions on those counts.
#include "jamstat/analysis/intersectional_table.hpp"

#include <gtest/gtest.h>

#include <map>

#include "jamstat/analysis/proportions.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/synth/participations.hpp"

namespace jamstat::analysis {
namespace {

TEST(IntersectionalTable, StrataMatchTheRecords) {
  const synth::participations p = synth::generate(30000, 11);
  const auto s = synth::participation_schema();
  std::array<std::uint8_t, 16> key{};
  key[0] = 9;
  aggregator a(s, {bad_record_policy::reject, person_key(key)});
  a.add_batch(synth::as_batch(p));
  intersectional_table_options options;
  options.period = "2025";
  const intersectional_table t = build_intersectional_table(a, {"age_band", "birth_region"}, options);
  ASSERT_EQ(t.dimensions, (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(t.strata.size(), 18u);  // 6 age bands x 3 regions, all present at this size
  EXPECT_EQ(t.strata[0].label_sv, "16–19 år · Sverige");
  EXPECT_EQ(t.strata[17].label_en, "50–64 years · Outside Europe");
  // Direct counts: women and men per (age band, region), successes.
  std::map<std::tuple<int, int, int>, std::pair<std::uint64_t, std::uint64_t>> direct;  // (sex, age, region) -> (n, successes)
  for (std::size_t i = 0; i < p.size(); ++i) {
    auto& c = direct[{p.sex[i], p.age_band[i], p.birth_region[i]}];
    ++c.first;
    c.second += p.outcome[i];
  }
  std::size_t checked = 0;
  for (const finding& f : t.report.findings) {
    if (f.kind != finding_kind::outcome || f.grouping_dimension != 0 || f.adjusted) continue;
    const stratum_key& k = t.strata[static_cast<std::size_t>(f.grouping_level)];
    const auto women = direct[{2, static_cast<int>(k.levels[0]), static_cast<int>(k.levels[1])}];
    const auto men = direct[{1, static_cast<int>(k.levels[0]), static_cast<int>(k.levels[1])}];
    EXPECT_EQ(f.women.participations, women.first);
    EXPECT_EQ(f.women.amount, static_cast<double>(women.second));
    EXPECT_EQ(f.men.participations, men.first);
    EXPECT_EQ(f.men.amount, static_cast<double>(men.second));
    EXPECT_NE(f.grouping_sv.find(k.label_sv), std::string::npos) << f.grouping_sv;
    if (f.status == finding_status::ok) {
      const estimate d = proportion_difference(women.second, women.first, men.second, men.first, 0.95);
      EXPECT_DOUBLE_EQ(f.difference, d.value);
      EXPECT_DOUBLE_EQ(f.difference_lower, d.ci.lower);
      EXPECT_DOUBLE_EQ(f.difference_upper, d.ci.upper);
      EXPECT_FALSE(f.verdict_sv.empty());
      EXPECT_FALSE(f.verdict_en.empty());
    }
    ++checked;
  }
  EXPECT_EQ(checked, 18u);
  // Distinct persons per stratum are the engine's exact counts.
  for (const finding& f : t.report.findings) {
    if (f.grouping_dimension == 0) {
      EXPECT_TRUE(f.persons_exact);
    }
  }
}

TEST(IntersectionalTable, BadNamesAreRefused) {
  aggregator a(synth::participation_schema());
  EXPECT_THROW(build_intersectional_table(a, {}), usage_error);
  EXPECT_THROW(build_intersectional_table(a, {"sex"}), usage_error);
  EXPECT_THROW(build_intersectional_table(a, {"age_band", "age_band"}), usage_error);
  EXPECT_THROW(build_intersectional_table(a, {"nope"}), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis
