// All-or-nothing batches on the fused columnar path: a long batch is validated block by block as
// it is added, so a bad row late in it must roll back everything added before it (scratch not
// yet folded, and cells already folded) and leave the state bit for bit as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "jamstat/io/state_format.hpp"
#include "jamstat/jamstat.hpp"
#include "jamstat/synth/participations.hpp"

namespace jamstat {
namespace {

// More rows than one fold chunk (2^18), so that a bad row near the end comes after a chunk fold
// (which folds floating sums into the cells; the synthetic schema's decimal hours stay in the
// scratch until the batch ends), and sex 9 (a code that is not its level index) here and there.
constexpr std::size_t batch_rows = 300'000;

struct rollback_case {
  const char* name;
  std::size_t bad_row;
  enum { unknown_code, outcome_two, outcome_255, nan_hours, infinite_hours, off_grid_hours, hours_above_range, hours_at_rounding_edge, hours_minus_1e14 } kind;
  rejection_reason reason;
  std::size_t field;
};

const rollback_case rollback_cases[] = {
    {"unknown_age_band_late", 299'000, rollback_case::unknown_code, rejection_reason::code_unknown, 1},
    {"outcome_2_late", 280'123, rollback_case::outcome_two, rejection_reason::outcome_not_binary, 5},
    {"nan_hours_late", 299'999, rollback_case::nan_hours, rejection_reason::measure_not_finite, 6},
    {"infinite_hours_mid", 150'000, rollback_case::infinite_hours, rejection_reason::measure_not_finite, 6},
    {"nan_hours_first_block", 3, rollback_case::nan_hours, rejection_reason::measure_not_finite, 6},
    // Values are checked after their block is scattered (the common shape under the reject
    // policy): every kind of bad value must still roll the whole batch back.
    {"outcome_255_late", 299'001, rollback_case::outcome_255, rejection_reason::outcome_not_binary, 5},
    {"off_grid_hours_late", 298'765, rollback_case::off_grid_hours, rejection_reason::measure_off_resolution, 6},
    {"hours_above_range_mid", 151'234, rollback_case::hours_above_range, rejection_reason::measure_out_of_range, 6},
    // x * 100 + 1.5 * 2^52 is -1.0 and -3.2e15: negative doubles, whose bits minus the magic's
    // would overflow a signed 64-bit subtraction (UBSan runs these).
    {"hours_at_rounding_edge_last_row", batch_rows - 1, rollback_case::hours_at_rounding_edge, rejection_reason::measure_out_of_range, 6},
    {"hours_minus_1e14_mid", 200'001, rollback_case::hours_minus_1e14, rejection_reason::measure_out_of_range, 6},
};

class BatchRollback : public ::testing::TestWithParam<rollback_case> {};

TEST_P(BatchRollback, ABadRowLateInALongBatchLeavesTheStateExactlyAsItWas) {
  const rollback_case& c = GetParam();
  const auto s = synth::participation_schema();
  synth::participations earlier = synth::generate(20'000, 7);
  synth::participations p = synth::generate(batch_rows, 11);
  // Sex 9 (Ej tillämpligt: looked up, not an index) in the first third only: its blocks take the
  // general index pass, the later ones the fused pass.
  for (std::size_t i = 0; i < 100'000; i += 997) p.sex[i] = 9;
  switch (c.kind) {
    case rollback_case::unknown_code: p.age_band[c.bad_row] = 6; break;
    case rollback_case::outcome_two: p.outcome[c.bad_row] = 2; break;
    case rollback_case::nan_hours: p.hours[c.bad_row] = std::numeric_limits<double>::quiet_NaN(); break;
    case rollback_case::infinite_hours: p.hours[c.bad_row] = std::numeric_limits<double>::infinity(); break;
    case rollback_case::outcome_255: p.outcome[c.bad_row] = 255; break;
    case rollback_case::off_grid_hours: p.hours[c.bad_row] = 12.345; break;
    case rollback_case::hours_above_range: p.hours[c.bad_row] = 100'000.0; break;
    case rollback_case::hours_at_rounding_edge: p.hours[c.bad_row] = -67'553'994'410'557.45; break;
    case rollback_case::hours_minus_1e14: p.hours[c.bad_row] = -1e14; break;
  }
  column_batch batch = synth::as_batch(p);
  batch.persons = std::monostate{};

  aggregator a(s);
  a.add_batch([&] {
    column_batch b = synth::as_batch(earlier);
    b.persons = std::monostate{};
    return b;
  }());
  const std::vector<std::uint8_t> before = write_state(a);
  try {
    a.add_batch(batch);
    FAIL() << "no input_error for " << c.name;
  } catch (const input_error& e) {
    EXPECT_EQ(e.row(), c.bad_row) << e.what();
    EXPECT_EQ(e.reason(), c.reason) << e.what();
    EXPECT_EQ(e.field(), c.field) << e.what();
  }
  EXPECT_EQ(write_state(a), before);
  EXPECT_EQ(a.participations(), earlier.size());

  // The aggregator is still usable: the good rows added afterwards give the same state as an
  // aggregator that never saw the bad batch.
  p = synth::generate(batch_rows, 11);
  batch = synth::as_batch(p);
  batch.persons = std::monostate{};
  a.add_batch(batch);
  aggregator fresh(s);
  column_batch e = synth::as_batch(earlier);
  e.persons = std::monostate{};
  fresh.add_batch(e);
  fresh.add_batch(batch);
  EXPECT_EQ(write_state(a), write_state(fresh));
}

INSTANTIATE_TEST_SUITE_P(Kinds, BatchRollback, ::testing::ValuesIn(rollback_cases),
                         [](const ::testing::TestParamInfo<rollback_case>& param_info) { return std::string(param_info.param.name); });

TEST(BatchRollback, TallyPolicyOnTheFusedPathCountsBadRowsAndAddsTheRest) {
  const auto s = synth::participation_schema();
  synth::participations p = synth::generate(batch_rows, 3);
  p.hours[5] = std::numeric_limits<double>::quiet_NaN();
  p.outcome[270'000] = 7;
  p.education[299'998] = 200;
  column_batch batch = synth::as_batch(p);
  batch.persons = std::monostate{};
  aggregator lenient(s, {bad_record_policy::tally, std::nullopt});
  const batch_result r = lenient.add_batch(batch);
  EXPECT_EQ(r.accepted, batch_rows - 3);
  EXPECT_EQ(r.rejected, 3u);
  EXPECT_EQ(r.first_rejected->row, 5u);
  EXPECT_EQ(lenient.rejected().total(), 3u);

  // Same rows without the three bad ones, record at a time.
  aggregator reference(s);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (i == 5 || i == 270'000 || i == 299'998) continue;
    const std::int32_t codes[5] = {p.sex[i], p.age_band[i], p.birth_region[i], p.education[i], p.intervention[i]};
    const std::int32_t outcome[1] = {p.outcome[i]};
    const double hours[1] = {p.hours[i]};
    reference.add({codes, outcome, hours, {}});
  }
  const rollup_table got_table = total(lenient), want_table = total(reference);
  const rollup_cell got = got_table.cells()[0], want = want_table.cells()[0];
  EXPECT_EQ(got.participations, want.participations);
  EXPECT_TRUE(std::ranges::equal(got.successes, want.successes));
  EXPECT_EQ(got.numerics[0].min(), want.numerics[0].min());
  EXPECT_EQ(got.numerics[0].max(), want.numerics[0].max());
  EXPECT_NEAR(got.numerics[0].mean(), want.numerics[0].mean(), 1e-12 * want.numerics[0].mean());
  EXPECT_NEAR(got.numerics[0].sample_variance(), want.numerics[0].sample_variance(), 1e-11 * want.numerics[0].sample_variance());
}

}  // namespace
}  // namespace jamstat
