// A grid too large for dense storage: the hash-map path gives the same results, and its memory
// follows the non-empty cells, not the grid.
#include <gtest/gtest.h>

#include "jamstat/jamstat.hpp"
#include "reference_aggregation.hpp"
#include "test_schemas.hpp"

namespace jamstat {
namespace {

std::shared_ptr<const schema> wide_schema() {
  // 4 x 290 municipalities (codes 114..2584 as in SCB's list, spaced) x 12 x 40 = 556,800 cells.
  std::vector<level> municipalities, interventions, ages;
  for (int i = 0; i < 290; ++i) municipalities.push_back({114 + 8 * i, "kommun " + std::to_string(i), "municipality " + std::to_string(i)});
  for (int i = 0; i < 12; ++i) interventions.push_back({i, "insats " + std::to_string(i), "intervention " + std::to_string(i)});
  for (int i = 0; i < 40; ++i) ages.push_back({18 + i, std::to_string(18 + i) + " år", std::to_string(18 + i) + " years"});
  return std::make_shared<const schema>(
      std::vector<dimension>{dimension("municipality", municipalities), dimension("intervention", interventions),
                             dimension("age", ages)},
      std::vector<outcome>{{"work", "", ""}}, std::vector<numeric_measure>{{"cost", "SEK", "", ""}});
}

TEST(SparseGrid, LargeGridsUseTheMapAndAgreeWithDirectAggregation) {
  const auto s = wide_schema();
  EXPECT_GT(s->finest_cell_count(), cell_store::dense_cell_limit);
  const auto records = testing::random_records(*s, 20000, 41, 8000);
  aggregator agg(s, {bad_record_policy::reject, testing::test_key()});
  EXPECT_FALSE(agg.cells().is_dense());
  // Half by batch (16-bit and 32-bit code columns), half record by record.
  const std::vector<testing::plain_record> first(records.begin(), records.begin() + 10000);
  const testing::record_columns columns(first);
  column_batch batch = columns.batch(true);
  std::vector<std::uint16_t> municipality16(columns.codes[1].begin(), columns.codes[1].end());
  batch.codes[1] = std::span<const std::uint16_t>(municipality16);
  agg.add_batch(batch);
  for (std::size_t i = 10000; i < records.size(); ++i) agg.add(records[i].view_for(agg));
  for (const std::vector<std::size_t>& g : std::vector<std::vector<std::size_t>>{{0, 1, 2, 3}, {0, 1}, {2}, {0, 3}, {}})
    testing::expect_rollup_equals_reference(rollup(agg, grouping_set::from_indices(*s, g)), testing::aggregate_directly(*s, records, g),
                                            true);
  // Slots only for cells that were seen.
  const auto finest = testing::aggregate_directly(*s, records, {0, 1, 2, 3});
  EXPECT_EQ(agg.cells().slot_count(), finest.size());
  EXPECT_LT(agg.cells().slot_count(), s->finest_cell_count() / 20);
}

TEST(SparseGrid, BadCodesInWideColumnsAreCaught) {
  const auto s = wide_schema();
  aggregator agg(s, {bad_record_policy::tally, std::nullopt});
  const std::int32_t sex[3] = {1, 2, 2}, municipality[3] = {114, 115, 99999}, intervention[3] = {0, 1, 2}, age[3] = {18, 57, 30};
  const std::int32_t work[3] = {0, 1, 1};
  const double cost[3] = {1, 2, 3};
  column_batch b{3,
                 {std::span<const std::int32_t>(sex), std::span<const std::int32_t>(municipality),
                  std::span<const std::int32_t>(intervention), std::span<const std::int32_t>(age)},
                 {std::span<const std::int32_t>(work)},
                 {std::span<const double>(cost)},
                 {}};
  const batch_result r = agg.add_batch(b);
  EXPECT_EQ(r.accepted, 1u);
  EXPECT_EQ(r.rejected, 2u);
  EXPECT_EQ(r.first_rejected->row, 1u);
  EXPECT_NE(r.first_rejected->message.find("dimension 'municipality': code 115 is not a level"), std::string::npos);
  EXPECT_EQ(agg.rejected().at(rejection_reason::code_unknown, 1), 2u);
  EXPECT_EQ(agg.cells().slot_count(), 1u);
}

}  // namespace
}  // namespace jamstat
