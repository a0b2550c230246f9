// Merging: equal to aggregating the union, whatever the split and the order.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "jamstat/jamstat.hpp"
#include "reference_aggregation.hpp"
#include "test_schemas.hpp"

namespace jamstat {
namespace {

TEST(Merge, RandomSplitsInAnyOrderEqualTheUnion) {
  const auto s = testing::small_schema();
  const auto records = testing::random_records(*s, 5000, 21, 1500);
  const auto reference = testing::aggregate_directly(*s, records, {0, 1});
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 25; ++trial) {
    const std::size_t parts = 1 + rng() % 6;
    std::vector<std::vector<testing::plain_record>> split(parts);
    for (const auto& r : records) split[rng() % parts].push_back(r);
    std::vector<aggregator> aggs;
    for (std::size_t p = 0; p < parts; ++p) {
      aggs.emplace_back(s, aggregator_options{bad_record_policy::tally, testing::test_key()});
      if (trial % 2)  // alternate the two ingestion paths
        aggs.back().add_batch(testing::record_columns(split[p]).batch(true));
      else
        for (const auto& r : split[p]) aggs.back().add(r.view_for(aggs.back()));
      aggs.back().add_anonymous(iso5218::female, p + 1);
    }
    std::vector<std::size_t> order(parts);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    aggregator merged(s, {bad_record_policy::tally, testing::test_key()});
    for (std::size_t p : order) merged.merge(aggs[p]);
    EXPECT_EQ(merged.participations(), records.size());
    EXPECT_EQ(merged.anonymous_participants()[2], parts * (parts + 1) / 2);
    testing::expect_rollup_equals_reference(rollup(merged, grouping_set::finest(*s)), reference, true);
    testing::expect_rollup_equals_reference(rollup(merged, grouping_set::of(*s, {}, sex_grouping::keep)),
                                            testing::aggregate_directly(*s, records, {0}), true);
  }
}

TEST(Merge, RejectedTalliesAddUp) {
  const auto s = testing::small_schema();
  aggregator a(s, {bad_record_policy::tally, std::nullopt}), b(s, {bad_record_policy::tally, std::nullopt});
  const std::int32_t bad_sex[2] = {5, 1}, bad_region[2] = {1, 3}, outcome[1] = {0};
  const double values[2] = {1, 1};
  a.add({bad_sex, outcome, values, {}});
  b.add({bad_sex, outcome, values, {}});
  b.add({bad_region, outcome, values, {}});
  a.merge(b);
  EXPECT_EQ(a.rejected().total(), 3u);
  EXPECT_EQ(a.rejected().at(rejection_reason::sex_not_iso5218, 0), 2u);
  EXPECT_EQ(a.rejected().at(rejection_reason::code_unknown, 1), 1u);
}

TEST(Merge, DifferentSchemasOrKeysAreRefused) {
  const auto s = testing::small_schema();
  const auto other = std::make_shared<const schema>(
      std::vector<dimension>{dimension("region", {{1, "Norr", "North"}, {2, "Söder", "South"}, {3, "Mitt", "Middle"}})},
      s->outcomes(), s->numeric_measures());
  aggregator a(s), b(other);
  try {
    a.merge(b);
    FAIL();
  } catch (const schema_mismatch_error& e) {
    EXPECT_NE(std::string(e.what()).find("different schemas"), std::string::npos);
  }
  aggregator with_persons(s, {bad_record_policy::reject, testing::test_key(1)});
  aggregator other_key(s, {bad_record_policy::reject, testing::test_key(2)});
  EXPECT_THROW(a.merge(with_persons), schema_mismatch_error);
  EXPECT_THROW(with_persons.merge(other_key), schema_mismatch_error);
  EXPECT_THROW(a.merge(a), usage_error);
  aggregator copy_schema(std::make_shared<const schema>(*s));  // equal schema, other object
  EXPECT_NO_THROW(a.merge(copy_schema));
}

// The intended parallel pattern: one aggregator per thread, merged at the end.
TEST(Merge, OneAggregatorPerThreadThenMerge) {
  const auto s = testing::small_schema();
  const auto records = testing::random_records(*s, 40000, 31, 10000);
  const testing::record_columns columns(records);
  const column_batch all = columns.batch(true);
  constexpr std::size_t threads = 4;
  std::vector<aggregator> parts;
  for (std::size_t t = 0; t < threads; ++t) parts.emplace_back(s, aggregator_options{bad_record_policy::reject, testing::test_key()});
  std::vector<std::thread> workers;
  for (std::size_t t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      const std::size_t lo = records.size() * t / threads, hi = records.size() * (t + 1) / threads;
      column_batch slice;
      slice.rows = hi - lo;
      for (const auto& c : columns.codes) slice.codes.emplace_back(std::span<const std::int32_t>(c).subspan(lo, hi - lo));
      for (const auto& c : columns.outcomes) slice.outcomes.emplace_back(std::span<const std::int32_t>(c).subspan(lo, hi - lo));
      for (const auto& c : columns.numerics) slice.numerics.emplace_back(std::span<const double>(c).subspan(lo, hi - lo));
      slice.persons = std::span<const std::uint64_t>(columns.persons).subspan(lo, hi - lo);
      parts[t].add_batch(slice);
    });
  for (auto& w : workers) w.join();
  aggregator merged(s, {bad_record_policy::reject, testing::test_key()});
  for (const auto& p : parts) merged.merge(p);
  (void)all;
  testing::expect_rollup_equals_reference(rollup(merged, grouping_set::finest(*s)),
                                          testing::aggregate_directly(*s, records, {0, 1}), true);
}

}  // namespace
}  // namespace jamstat
