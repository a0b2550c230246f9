// The primary rules: frequency on persons, group disclosure (0% / 100%), p% and (n,k) dominance.
#include <gtest/gtest.h>

#include <string>

#include "jamstat/disclosure/suppression.hpp"
#include "jamstat/engine/errors.hpp"
#include "test_tables.hpp"

namespace jamstat::disclosure {
namespace {

// One dimension with one cell per level; persons, participations, successes and one measure
// (sum, largest, second largest) given per cell; published: the finest table only.
table_set one_row(const std::vector<std::uint64_t>& persons, const std::vector<std::uint64_t>& participations,
                  const std::vector<std::uint64_t>& successes, const std::vector<measure_cell>& measure) {
  table_set t;
  t.dimensions = {{"sex", static_cast<std::uint32_t>(persons.size())}};
  t.outcomes = {"job"};
  t.measures = {"hours"};
  t.persons_counted = true;
  for (std::uint32_t l = 0; l < persons.size(); ++l) {
    finest_cell c;
    c.levels = {l};
    c.persons = persons[l];
    c.participations = participations[l];
    c.successes = {successes[l]};
    c.measures = {measure[l]};
    t.cells.push_back(c);
  }
  t.groupings = {1};
  t.grouping_persons = {persons};
  return t;
}

TEST(PrimaryRules, FrequencyRuleCountsPersonsNotParticipations) {
  // 4 persons with 9 participations is sensitive (fewer than 5 persons); 5 persons is not.
  const table_set t = one_row({4, 5, 12}, {9, 5, 12}, {3, 2, 6}, {{10, 4, 3}, {10, 3, 3}, {30, 4, 4}});
  const suppression_pattern p = primary_suppression(t);
  EXPECT_EQ(p.counts[0], cell_status::primary);
  EXPECT_EQ(p.counts[1], cell_status::published);
  EXPECT_EQ(p.counts[2], cell_status::published);
  // Every statistic derived from a suppressed count is suppressed with it.
  EXPECT_EQ(p.outcomes[0][0], cell_status::primary);
  EXPECT_EQ(p.measures[0][0], cell_status::primary);
}

TEST(PrimaryRules, ThresholdIsConfigurable) {
  const table_set t = one_row({4, 5, 12}, {9, 5, 12}, {3, 2, 6}, {{10, 4, 3}, {10, 3, 3}, {30, 4, 4}});
  suppression_rules r;
  r.frequency_threshold = 6;
  r.group_threshold = 0;
  const suppression_pattern p = primary_suppression(t, r);
  EXPECT_EQ(p.counts[0], cell_status::primary);
  EXPECT_EQ(p.counts[1], cell_status::primary);
  EXPECT_EQ(p.counts[2], cell_status::published);
}

TEST(PrimaryRules, GroupDisclosureAtZeroAndHundredPercent) {
  // 6 persons, none with a job (0%); 7 persons all with a job (100%); 8 persons, 3 of 8: fine;
  // 12 persons all with a job: above the group threshold (10), not sensitive.
  const measure_cell m{60, 8, 8};
  const table_set t = one_row({6, 7, 8, 12}, {6, 7, 8, 12}, {0, 7, 3, 12}, {m, m, m, m});
  const suppression_pattern p = primary_suppression(t);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(p.counts[k], cell_status::published) << k;
  EXPECT_EQ(p.outcomes[0][0], cell_status::primary);
  EXPECT_EQ(p.outcomes[0][1], cell_status::primary);
  EXPECT_EQ(p.outcomes[0][2], cell_status::published);
  EXPECT_EQ(p.outcomes[0][3], cell_status::published);
}

TEST(PrimaryRules, PPercentRuleOnMeasureSums) {
  // p = 10: sensitive when X - x1 - x2 < 0.1 x1.
  // cell 0: X = 100, x1 = 91, x2 = 5: rest 4 < 9.1 -> sensitive.
  // cell 1: X = 100, x1 = 50, x2 = 30: rest 20 >= 5 -> not.
  // cell 2: X = 100, x1 = 60, x2 = 35: rest 5 < 6 -> sensitive (boundary-near).
  const table_set t = one_row({8, 8, 8}, {8, 8, 8}, {4, 4, 4}, {{100, 91, 5}, {100, 50, 30}, {100, 60, 35}});
  const suppression_pattern p = primary_suppression(t);
  EXPECT_EQ(p.measures[0][0], cell_status::primary);
  EXPECT_EQ(p.measures[0][1], cell_status::published);
  EXPECT_EQ(p.measures[0][2], cell_status::primary);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(p.counts[k], cell_status::published);
}

TEST(PrimaryRules, NkDominanceOnMeasureSums) {
  suppression_rules r;
  r.dominance = dominance_rule::nk;
  r.nk_n = 2;
  r.nk_k = 85;
  // (2, 85): sensitive when x1 + x2 > 0.85 X. cell 0: 86 > 85; cell 1: 84.
  const table_set t = one_row({8, 8}, {8, 8}, {4, 4}, {{100, 80, 6}, {100, 80, 4}});
  const suppression_pattern p = primary_suppression(t, r);
  EXPECT_EQ(p.measures[0][0], cell_status::primary);
  EXPECT_EQ(p.measures[0][1], cell_status::published);
}

TEST(PrimaryRules, EmptyCellsAreNeverSensitive) {
  const table_set t = testing::count_tables({3}, {0, 2, 7}, {1});
  const suppression_pattern p = primary_suppression(t);
  EXPECT_EQ(p.counts[0], cell_status::published);
  EXPECT_EQ(p.counts[1], cell_status::primary);
  EXPECT_EQ(p.counts[2], cell_status::published);
}

TEST(PrimaryRules, BadRulesAreRefused) {
  const table_set t = testing::count_tables({3}, {1, 2, 7}, {1});
  suppression_rules r;
  r.frequency_threshold = 0;
  EXPECT_THROW(primary_suppression(t, r), usage_error);
  r = {};
  r.p_percent = 0;
  EXPECT_THROW(primary_suppression(t, r), usage_error);
  r = {};
  r.dominance = dominance_rule::nk;
  r.nk_n = 3;
  EXPECT_THROW(primary_suppression(t, r), usage_error);
}

TEST(TableSetValidation, SaysWhatIsWrong) {
  table_set t = testing::count_tables({2, 3}, {2, 10, 12, 8, 9, 11}, {3, 1, 2, 0});
  t.cells[0].levels = {0, 5};
  try {
    validate(t);
    FAIL() << "expected usage_error";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("levels[1] = 5"), std::string::npos) << e.what();
  }
  t = testing::count_tables({2, 3}, {2, 10, 12, 8, 9, 11}, {3, 3});
  EXPECT_THROW(validate(t), usage_error);  // repeated grouping
  t = testing::count_tables({2, 3}, {2, 10, 12, 8, 9, 11}, {8});
  EXPECT_THROW(validate(t), usage_error);  // a dimension that does not exist
}

}  // namespace
}  // namespace jamstat::disclosure
