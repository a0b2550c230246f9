// Roll-ups equal direct aggregation at every grouping set (randomized property tests).
#include "jamstat/engine/rollup.hpp"

#include <gtest/gtest.h>

#include "reference_aggregation.hpp"
#include "test_schemas.hpp"

namespace jamstat {
namespace {

std::shared_ptr<const schema> four_dimension_schema() {
  return std::make_shared<const schema>(
      std::vector<dimension>{dimension("age_band", {{0, "a", "a"}, {1, "b", "b"}, {2, "c", "c"}}),
                             dimension("region", {{10, "x", "x"}, {20, "y", "y"}}),
                             dimension("education", {{1, "p", "p"}, {2, "q", "q"}, {3, "r", "r"}, {4, "s", "s"}})},
      std::vector<outcome>{{"work", "", ""}, {"studies", "", ""}},
      std::vector<numeric_measure>{{"hours", "h", "", ""}});
}

TEST(Rollup, EveryGroupingOfTheCubeEqualsDirectAggregation) {
  const auto s = four_dimension_schema();
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto records = testing::random_records(*s, 3000, seed, 900);
    aggregator agg(s, {bad_record_policy::reject, testing::test_key()});
    agg.add_batch(testing::record_columns(records).batch(true));
    const std::vector<rollup_table> tables = cube(agg);
    ASSERT_EQ(tables.size(), 16u);
    for (std::uint64_t mask = 0; mask < 16; ++mask) {
      const grouping_set g = grouping_set::from_mask(*s, mask);
      EXPECT_EQ(tables[mask].grouping(), g);
      testing::expect_rollup_equals_reference(tables[mask], testing::aggregate_directly(*s, records, g.dimensions()), true);
    }
  }
}

TEST(Rollup, TotalIsTheOneCellOfTheEmptyGrouping) {
  const auto s = four_dimension_schema();
  const auto records = testing::random_records(*s, 500, 4);
  aggregator agg(s);
  for (const auto& r : records) agg.add(r.view());
  const rollup_cell all = total(agg);
  EXPECT_TRUE(all.levels.empty());
  testing::expect_rollup_equals_reference(rollup_table(grouping_set::total(), {all}),
                                          testing::aggregate_directly(*s, records, {}), false);
  EXPECT_FALSE(all.persons.has_value());
  aggregator empty(s);
  EXPECT_EQ(total(empty).participations, 0u);
  EXPECT_TRUE(rollup(empty, grouping_set::finest(*s)).cells().empty());
}

TEST(Rollup, FindReturnsNullForEmptyCells) {
  const auto s = testing::small_schema();
  aggregator agg(s);
  const std::int32_t codes[2] = {2, 1}, outcome[1] = {1};
  const double values[2] = {3.0, 4.0};
  agg.add({codes, outcome, values, {}});
  const rollup_table t = rollup(agg, grouping_set::finest(*s));
  const std::uint32_t present[2] = {2, 0}, absent[2] = {1, 0};
  ASSERT_NE(t.find(present), nullptr);
  EXPECT_EQ(t.find(absent), nullptr);
  EXPECT_DOUBLE_EQ(t.find(present)->proportion(0), 1.0);
}

}  // namespace
}  // namespace jamstat
