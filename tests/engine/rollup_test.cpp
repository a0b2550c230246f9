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
  // With persons every table comes from the finest cells; without, each from its smallest finer
  // table (the cube lattice): both must equal aggregating the records at that grouping.
  const auto s = four_dimension_schema();
  for (const bool persons : {true, false}) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      const auto records = testing::random_records(*s, 3000, seed, 900);
      aggregator agg(s, persons ? aggregator_options{bad_record_policy::reject, testing::test_key()} : aggregator_options{});
      agg.add_batch(testing::record_columns(records).batch(persons));
      const std::vector<rollup_table> tables = cube(agg);
      ASSERT_EQ(tables.size(), 16u);
      for (std::uint64_t mask = 0; mask < 16; ++mask) {
        const grouping_set g = grouping_set::from_mask(*s, mask);
        EXPECT_EQ(tables[mask].grouping(), g);
        testing::expect_rollup_equals_reference(tables[mask], testing::aggregate_directly(*s, records, g.dimensions()), persons);
      }
    }
  }
}

TEST(Rollup, CubeLatticeCarriesAnonymousParticipantsAndEmptyCells) {
  // Anonymous participants belong only to the total and the sex table, including a sex with no
  // recorded participation (its cell exists through them alone); the lattice must neither lose
  // them nor pass them on to the total twice (the total is rolled up from the sex table).
  const auto s = four_dimension_schema();
  auto records = testing::random_records(*s, 500, 7);
  std::erase_if(records, [](const testing::plain_record& r) { return r.codes[0] == iso5218::not_applicable; });
  aggregator agg(s);
  for (const auto& r : records) agg.add(r.view_for(agg));
  agg.add_anonymous(iso5218::not_applicable, 5);
  agg.add_anonymous(iso5218::female, 2);
  const std::vector<rollup_table> tables = cube(agg);
  for (std::uint64_t mask = 0; mask < 16; ++mask) {
    const rollup_table direct = rollup(agg, grouping_set::from_mask(*s, mask));
    ASSERT_EQ(tables[mask].cells().size(), direct.cells().size()) << mask;
    for (std::size_t i = 0; i < direct.cells().size(); ++i) {
      const rollup_cell x = tables[mask].cells()[i], y = direct.cells()[i];
      EXPECT_EQ(testing::as_vector(x.levels), testing::as_vector(y.levels));
      EXPECT_EQ(x.participations, y.participations);
      EXPECT_EQ(x.anonymous_participants, y.anonymous_participants);
      EXPECT_EQ(testing::as_vector(x.successes), testing::as_vector(y.successes));
      EXPECT_EQ(x.numerics[0].count(), y.numerics[0].count());
      if (x.numerics[0].count() > 0) {
        EXPECT_NEAR(x.numerics[0].mean(), y.numerics[0].mean(), 1e-13 * std::fabs(y.numerics[0].mean()));
      }
    }
  }
  EXPECT_EQ(tables[0].cells()[0].anonymous_participants, 7u);
  EXPECT_EQ(tables[0].cells()[0].participations, records.size());
  const std::uint32_t not_applicable[1] = {static_cast<std::uint32_t>(*iso5218::sex_dimension().index_of(iso5218::not_applicable))};
  ASSERT_TRUE(tables[1].find(not_applicable).has_value());
  EXPECT_EQ(tables[1].find(not_applicable)->participations, 0u);
  EXPECT_EQ(tables[1].find(not_applicable)->anonymous_participants, 5u);
}

TEST(Rollup, TotalIsTheOneCellOfTheEmptyGrouping) {
  const auto s = four_dimension_schema();
  const auto records = testing::random_records(*s, 500, 4);
  aggregator agg(s);
  for (const auto& r : records) agg.add(r.view_for(agg));
  const rollup_table all_table = total(agg);
  const rollup_cell all = all_table.cells()[0];
  EXPECT_TRUE(all.levels.empty());
  testing::expect_rollup_equals_reference(all_table, testing::aggregate_directly(*s, records, {}), false);
  EXPECT_FALSE(all.persons.has_value());
  aggregator empty(s);
  EXPECT_EQ(total(empty).cells().size(), 1u);  // also when nothing was added
  EXPECT_EQ(total(empty).cells()[0].participations, 0u);
  // rollup() of the empty grouping set and the cube's total agree with total(): one cell, always.
  EXPECT_EQ(rollup(empty, grouping_set::total()).cells().size(), 1u);
  EXPECT_EQ(cube(empty)[0].cells().size(), 1u);
  EXPECT_EQ(cube(empty)[0].cells()[0].participations, 0u);
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
  ASSERT_TRUE(t.find(present).has_value());
  EXPECT_FALSE(t.find(absent).has_value());
  EXPECT_DOUBLE_EQ(t.find(present)->proportion(0), 1.0);
}

}  // namespace
}  // namespace jamstat
