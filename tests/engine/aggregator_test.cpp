#include "jamstat/engine/aggregator.hpp"

#include <gtest/gtest.h>

#include "jamstat/engine/rollup.hpp"
#include "reference_aggregation.hpp"
#include "test_schemas.hpp"

namespace jamstat {
namespace {

using testing::plain_record;

// The 12 records of the R reference below: (sex, region, work, hours, cost).
std::vector<plain_record> r_sample() {
  const double rows[12][5] = {{2, 1, 1, 10.5, 1200}, {2, 1, 0, 20.25, 800}, {2, 2, 1, 7, 1500.5},
                              {2, 2, 1, 3.5, 99.95}, {1, 1, 0, 40, 2500},    {1, 1, 1, 12.75, 300},
                              {1, 1, 0, 8, 0},       {1, 2, 1, 100, 10000},  {0, 1, 0, 5, 50},
                              {9, 2, 1, 1, 10},      {2, 1, 1, 30, 1000},    {1, 2, 0, 60, 7000}};
  std::vector<plain_record> out;
  for (const auto& r : rows)
    out.push_back({{static_cast<std::int32_t>(r[0]), static_cast<std::int32_t>(r[1])},
                   {static_cast<std::int32_t>(r[2])},
                   {r[3], r[4]},
                   static_cast<std::uint64_t>(&r - rows)});
  return out;
}

// Reference values: R 4.2.2 on the same 12 records,
//   d <- data.frame(sex, region, work, hours, cost); split(d, d[c("sex","region")]) then
//   nrow, sum(work), mean, var, sum, min, max per cell, printed with sprintf("%.17g").
struct r_cell {
  std::uint32_t sex_index, region_index;
  std::uint64_t n, work;
  double hours_mean, hours_var, hours_sum, hours_min, hours_max, cost_mean, cost_var, cost_sum;
};
const r_cell r_cells[] = {
    // sex 0 (index 0), region 1 (index 0)
    {0, 0, 1, 0, 5, NAN, 5, 5, 5, 50, NAN, 50},
    {1, 0, 3, 1, 20.25, 298.1875, 60.75, 8, 40, 933.33333333333337, 1863333.3333333333, 2800},
    {1, 1, 2, 1, 80, 800, 160, 60, 100, 8500, 4500000, 17000},
    {2, 0, 3, 2, 20.25, 95.0625, 60.75, 10.5, 30, 1000, 40000, 3000},
    {2, 1, 2, 2, 5.25, 6.125, 10.5, 3.5, 7, 800.22500000000002, 980770.15125, 1600.45},
    // sex 9 (index 3), region 2 (index 1)
    {3, 1, 1, 1, 1, NAN, 1, 1, 1, 10, NAN, 10},
};

void expect_matches_r(const aggregator& agg) {
  const rollup_table finest = rollup(agg, grouping_set::finest(agg.schema_ref()));
  ASSERT_EQ(finest.cells().size(), std::size(r_cells));
  for (const r_cell& r : r_cells) {
    const std::uint32_t key[2] = {r.sex_index, r.region_index};
    const std::optional<rollup_cell> c = finest.find(key);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->participations, r.n);
    EXPECT_EQ(c->successes[0], r.work);
    const measure_stats& h = c->numerics[0];
    const measure_stats& k = c->numerics[1];
    EXPECT_NEAR(h.mean(), r.hours_mean, 1e-13 * r.hours_mean);
    EXPECT_NEAR(k.mean(), r.cost_mean, 1e-13 * r.cost_mean);
    if (r.n > 1) {
      EXPECT_NEAR(h.sample_variance(), r.hours_var, 1e-12 * r.hours_var);
      EXPECT_NEAR(k.sample_variance(), r.cost_var, 1e-12 * r.cost_var);
    } else {
      EXPECT_TRUE(std::isnan(h.sample_variance()));
    }
    EXPECT_NEAR(h.total(), r.hours_sum, 1e-13 * r.hours_sum);
    EXPECT_NEAR(k.total(), r.cost_sum, 1e-13 * r.cost_sum);
    EXPECT_EQ(h.min(), r.hours_min);
    EXPECT_EQ(h.max(), r.hours_max);
  }
  // R: mean(hours) 24.833333333333332, var(hours) 866.70833333333337, sum(cost) 24460.45,
  // var(cost) 10074965.672935607 over all 12 records.
  const rollup_table all_table = total(agg);
  const rollup_cell all = all_table.cells()[0];
  EXPECT_EQ(all.participations, 12u);
  EXPECT_EQ(all.successes[0], 7u);
  EXPECT_NEAR(all.numerics[0].mean(), 24.833333333333332, 1e-13 * 24.8);
  EXPECT_NEAR(all.numerics[0].sample_variance(), 866.70833333333337, 1e-12 * 866.7);
  EXPECT_NEAR(all.numerics[1].total(), 24460.450000000001, 1e-13 * 24460.45);
  EXPECT_NEAR(all.numerics[1].sample_variance(), 10074965.672935607, 1e-12 * 1e7);
  // R, by region: region 1 n=7 work=3, hours var 164.30654761904762; region 2 n=5 work=4,
  // cost var 20497955.103.
  const rollup_table by_region = rollup(agg, grouping_set::of(agg.schema_ref(), {"region"}, sex_grouping::drop));
  ASSERT_EQ(by_region.cells().size(), 2u);
  EXPECT_EQ(by_region.cells()[0].participations, 7u);
  EXPECT_EQ(by_region.cells()[0].successes[0], 3u);
  EXPECT_NEAR(by_region.cells()[0].numerics[0].sample_variance(), 164.30654761904762, 1e-12 * 164.3);
  EXPECT_EQ(by_region.cells()[1].participations, 5u);
  EXPECT_NEAR(by_region.cells()[1].numerics[1].sample_variance(), 20497955.103, 1e-12 * 2e7);
}

TEST(Aggregator, RecordAtATimeMatchesR) {
  aggregator agg(testing::small_schema());
  for (const plain_record& r : r_sample()) EXPECT_TRUE(agg.add(r.view_for(agg)));
  EXPECT_EQ(agg.participations(), 12u);
  EXPECT_EQ(agg.rejected().total(), 0u);
  expect_matches_r(agg);
}

TEST(Aggregator, ColumnarBatchMatchesR) {
  aggregator agg(testing::small_schema());
  const auto records = r_sample();
  const testing::record_columns columns(records);
  const batch_result result = agg.add_batch(columns.batch(false));
  EXPECT_EQ(result.accepted, 12u);
  EXPECT_EQ(result.rejected, 0u);
  EXPECT_FALSE(result.first_rejected.has_value());
  expect_matches_r(agg);
}

TEST(Aggregator, EveryColumnTypeGivesTheSameState) {
  const auto records = r_sample();
  std::vector<std::uint8_t> sex8, region8, work8;
  std::vector<std::uint16_t> sex16, region16;
  std::vector<float> hours32;
  std::vector<double> cost;
  std::vector<std::uint32_t> ids32;
  for (const plain_record& r : records) {
    sex8.push_back(static_cast<std::uint8_t>(r.codes[0]));
    region8.push_back(static_cast<std::uint8_t>(r.codes[1]));
    sex16.push_back(static_cast<std::uint16_t>(r.codes[0]));
    region16.push_back(static_cast<std::uint16_t>(r.codes[1]));
    work8.push_back(static_cast<std::uint8_t>(r.outcomes[0]));
    hours32.push_back(static_cast<float>(r.numerics[0]));  // all exactly representable
    cost.push_back(r.numerics[1]);
    ids32.push_back(static_cast<std::uint32_t>(r.person));
  }
  const auto key = testing::test_key();
  aggregator a(testing::small_schema(), {bad_record_policy::reject, key});
  column_batch b8{records.size(), {std::span<const std::uint8_t>(sex8), std::span<const std::uint8_t>(region8)},
                  {std::span<const std::uint8_t>(work8)}, {std::span<const float>(hours32), std::span<const double>(cost)},
                  std::span<const std::uint32_t>(ids32)};
  a.add_batch(b8);
  aggregator b(testing::small_schema(), {bad_record_policy::reject, key});
  column_batch b16{records.size(), {std::span<const std::uint16_t>(sex16), std::span<const std::uint16_t>(region16)},
                   {std::span<const std::uint8_t>(work8)}, {std::span<const float>(hours32), std::span<const double>(cost)},
                   std::span<const std::uint32_t>(ids32)};
  b.add_batch(b16);
  aggregator c(testing::small_schema(), {bad_record_policy::reject, key});
  for (const plain_record& r : records) c.add(r.view_for(c));
  expect_matches_r(a);
  const grouping_set finest = grouping_set::finest(*testing::small_schema());
  const auto ta = rollup(a, finest), tb = rollup(b, finest), tc = rollup(c, finest);
  ASSERT_EQ(ta.cells().size(), tc.cells().size());
  for (std::size_t i = 0; i < ta.cells().size(); ++i) {
    EXPECT_EQ(ta.cells()[i].persons, tc.cells()[i].persons);
    EXPECT_EQ(ta.cells()[i].numerics[0].min(), tb.cells()[i].numerics[0].min());
    EXPECT_EQ(ta.cells()[i].participations, tb.cells()[i].participations);
  }
}

TEST(Aggregator, DistinctPersonsAreCountedOncePerCellAndInEveryRollUp) {
  aggregator agg(testing::small_schema(), {bad_record_policy::reject, testing::test_key()});
  auto add = [&](std::int32_t sex, std::int32_t region, std::uint64_t person) {
    const std::int32_t codes[2] = {sex, region}, outcome[1] = {0};
    const double values[2] = {1.0, 1.0};
    agg.add({codes, outcome, values, person});
  };
  add(2, 1, 100);  // person 100: twice in (women, north), once in (women, south)
  add(2, 1, 100);
  add(2, 2, 100);
  add(2, 2, 200);
  add(1, 1, 300);
  const schema& s = agg.schema_ref();
  const rollup_table finest = rollup(agg, grouping_set::finest(s));
  const std::uint32_t women_north[2] = {2, 0}, women_south[2] = {2, 1};
  EXPECT_EQ(finest.find(women_north)->participations, 3u - 1u);
  EXPECT_EQ(*finest.find(women_north)->persons, 1u);
  EXPECT_EQ(*finest.find(women_south)->persons, 2u);
  const rollup_table by_sex = rollup(agg, grouping_set::of(s, {}));
  const std::uint32_t women[1] = {2};
  EXPECT_EQ(by_sex.find(women)->participations, 4u);
  EXPECT_EQ(*by_sex.find(women)->persons, 2u);  // 100 is one person across both regions
  EXPECT_EQ(*total(agg).cells()[0].persons, 3u);
  // String ids work the same way, and an id string is a different person from the integer.
  const std::int32_t codes[2] = {1, 2}, outcome[1] = {1};
  const double values[2] = {2.0, 2.0};
  agg.add({codes, outcome, values, std::string_view("19121212-1212")});
  agg.add({codes, outcome, values, std::string_view("19121212-1212")});
  EXPECT_EQ(*total(agg).cells()[0].persons, 4u);
}

TEST(Aggregator, AnonymousParticipantsAppearOnlyInSexAndTotalRollUps) {
  aggregator agg(testing::small_schema());
  for (const plain_record& r : r_sample()) agg.add(r.view_for(agg));
  agg.add_anonymous(iso5218::female, 5);
  agg.add_anonymous(iso5218::male, 3);
  agg.add_anonymous(iso5218::female, 2);
  EXPECT_EQ(agg.anonymous_participants()[2], 7u);
  const schema& s = agg.schema_ref();
  const rollup_table by_sex = rollup(agg, grouping_set::of(s, {}));
  const std::uint32_t women[1] = {2}, men[1] = {1};
  EXPECT_EQ(by_sex.find(women)->anonymous_participants, 7u);
  EXPECT_EQ(by_sex.find(women)->participations, 5u);  // recorded ones only
  EXPECT_EQ(by_sex.find(men)->anonymous_participants, 3u);
  const rollup_table all_table = total(agg);
  const rollup_cell all = all_table.cells()[0];
  EXPECT_EQ(all.anonymous_participants, 10u);
  EXPECT_EQ(all.participations, 12u);
  const rollup_table finest = rollup(agg, grouping_set::finest(s));
  for (const rollup_cell& c : finest.cells()) EXPECT_EQ(c.anonymous_participants, 0u);
  // Anonymous-only input still shows up.
  aggregator only(testing::small_schema());
  only.add_anonymous(iso5218::not_applicable, 4);
  const rollup_table t = rollup(only, grouping_set::of(s, {}));
  ASSERT_EQ(t.cells().size(), 1u);
  EXPECT_EQ(testing::as_vector(t.cells()[0].levels), std::vector<std::uint32_t>{3});
  EXPECT_EQ(t.cells()[0].anonymous_participants, 4u);
  EXPECT_EQ(t.cells()[0].participations, 0u);
  EXPECT_TRUE(std::isnan(t.cells()[0].proportion(0)));
}

TEST(Aggregator, DenseGridForSmallSchemasAndBatchesOfAnySize) {
  const auto s = testing::small_schema();
  aggregator agg(s);
  EXPECT_TRUE(agg.cells().is_dense());
  EXPECT_EQ(agg.cells().slot_count(), s->finest_cell_count());
  // Batches larger than a chunk (65,536 rows) and not a multiple of a block (1,024 rows).
  const auto records = testing::random_records(*s, 200003, 5);
  const testing::record_columns columns(records);
  agg.add_batch(columns.batch(false));
  const auto ref = testing::aggregate_directly(*s, records, {0, 1});
  testing::expect_rollup_equals_reference(rollup(agg, grouping_set::finest(*s)), ref, false);
  const std::size_t memory = agg.cells().memory_bytes();
  agg.add_batch(columns.batch(false));
  EXPECT_EQ(agg.cells().memory_bytes(), memory);  // twice the records, the same memory
  EXPECT_EQ(agg.participations(), 2 * records.size());
}

TEST(Aggregator, ColumnarPathKeepsPrecisionAtLargeOffsets) {
  // Hours around 1e9 with a spread of about 1 (the first value an outlier at +50), in one cell;
  // reference: the same two-pass mean/variance in long double.
  const auto s = testing::small_schema();
  std::mt19937_64 rng(9);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<plain_record> records;
  for (int i = 0; i < 150000; ++i) records.push_back({{2, 1}, {1}, {1e9 + (i == 0 ? 50.0 : noise(rng)), 1.0}, 0});
  aggregator agg(s);
  agg.add_batch(testing::record_columns(records).batch(false));
  const auto ref = testing::aggregate_directly(*s, records, {0, 1});
  testing::expect_rollup_equals_reference(rollup(agg, grouping_set::finest(*s)), ref, false, 1e-9);
}

}  // namespace
}  // namespace jamstat
