// State format version 2: version-1 states written by the previous code still read; every
// invariant the format implies is checked on read; every state the library writes reads back
// (a property test over random adds and merges, hostile values included).
#include <gtest/gtest.h>
#include <xxhash.h>

#include <fstream>
#include <iterator>
#include <random>

#include "../engine/reference_aggregation.hpp"
#include "jamstat/io/state_format.hpp"
#include "jamstat/jamstat.hpp"
#include "jamstat/synth/participations.hpp"

#ifndef JAMSTAT_TEST_FIXTURES
#error "JAMSTAT_TEST_FIXTURES must name tests/io/fixtures"
#endif

namespace jamstat {
namespace {

std::vector<std::uint8_t> fixture(const std::string& name) {
  std::ifstream in(std::string(JAMSTAT_TEST_FIXTURES) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void reseal(std::vector<std::uint8_t>& bytes) {
  const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size() - 16);
  for (int i = 0; i < 8; ++i) {
    bytes[bytes.size() - 16 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.low64 >> (8 * i));
    bytes[bytes.size() - 8 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.high64 >> (8 * i));
  }
}

void put_u64(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint64_t get_u64(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | bytes[at + static_cast<std::size_t>(i)];
  return v;
}

// The synthetic schema as version 1 knew it: hours floating with the widest range.
std::shared_ptr<const schema> v1_synth_schema() {
  const auto& decimal = *synth::participation_schema();
  std::vector<dimension> dims;  // version 1 had no dimension labels
  for (auto d = decimal.dimensions().begin() + 1; d != decimal.dimensions().end(); ++d) dims.emplace_back(d->name(), d->levels());
  return std::make_shared<const schema>(dims, decimal.outcomes(),
                                        std::vector<numeric_measure>{{"hours", "h", "Timmar", "Hours"}});
}

// tests/io/fixtures/*_v1.jamstate were written by the code before format version 2 (commit
// 70b7778) with tests/io/fixtures/write_v1_fixtures.cpp: the synthetic data set, N = 3000, seed
// 5218 (tally policy, two bad records, anonymous participants 5 women and 3 men), and N = 500
// with persons counted under the key bytes 1..16.
TEST(StateVersions, VersionOneStatesStillRead) {
  const auto bytes = fixture("synth_3000_tally_v1.jamstate");
  ASSERT_EQ(bytes[8], 1);
  EXPECT_EQ(get_u64(bytes, 24), 0x6fdee205b7abe6baull);  // the version-1 fingerprint (tests/reference/schema_fingerprint.py)
  const aggregator old = read_state(bytes);
  EXPECT_EQ(old.schema_ref(), *v1_synth_schema());
  EXPECT_EQ(old.participations(), 3000u);
  EXPECT_EQ(old.rejected().total(), 2u);
  EXPECT_EQ(old.rejected().at(rejection_reason::sex_not_iso5218, 0), 1u);
  EXPECT_EQ(old.rejected().at(rejection_reason::code_unknown, 4), 1u);
  EXPECT_EQ(old.anonymous_participants()[2], 5u);
  EXPECT_EQ(old.anonymous_participants()[1], 3u);

  // The same data aggregated now: equal counts, and moments within the old precision bound.
  const synth::participations p = synth::generate(3000, 5218);
  aggregator now(v1_synth_schema());
  column_batch b = synth::as_batch(p);
  b.persons = std::monostate{};
  now.add_batch(b);
  const rollup_table t_old = rollup(old, grouping_set::finest(old.schema_ref()));
  const rollup_table t_now = rollup(now, grouping_set::finest(now.schema_ref()));
  ASSERT_EQ(t_old.cells().size(), t_now.cells().size());
  for (std::size_t i = 0; i < t_old.cells().size(); ++i) {
    const rollup_cell a = t_old.cells()[i], c = t_now.cells()[i];
    ASSERT_EQ(testing::as_vector(a.levels), testing::as_vector(c.levels));
    EXPECT_EQ(a.participations, c.participations);
    EXPECT_EQ(a.successes[0], c.successes[0]);
    EXPECT_NEAR(a.numerics[0].mean(), c.numerics[0].mean(), 1e-12 * c.numerics[0].mean());
    if (a.participations > 1) {
      EXPECT_NEAR(a.numerics[0].sample_variance(), c.numerics[0].sample_variance(), 1e-10 * c.numerics[0].sample_variance());
      EXPECT_EQ(a.numerics[0].second_max(), a.numerics[0].max());  // version 1 kept no second largest: taken as the largest
    }
    EXPECT_EQ(a.numerics[0].min(), c.numerics[0].min());
    EXPECT_EQ(a.numerics[0].max(), c.numerics[0].max());
  }
  // It is written in the current version, which reads back to the same bytes, and merges with a
  // state of today's code for the same schema.
  const auto current = write_state(old);
  EXPECT_EQ(current[8], 2);
  EXPECT_EQ(write_state(read_state(current)), current);
  aggregator merged = read_state(current);
  merged.merge(now);
  EXPECT_EQ(merged.participations(), 6000u);
}

TEST(StateVersions, VersionOneStatesWithPersonsRead) {
  std::array<std::uint8_t, 16> k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(1 + i);
  const auto bytes = fixture("synth_500_persons_v1.jamstate");
  aggregator old = read_state(bytes, {bad_record_policy::reject, person_key(k)});
  EXPECT_TRUE(old.counts_persons());
  const synth::participations p = synth::generate(3000, 5218);
  aggregator now(v1_synth_schema(), {bad_record_policy::reject, person_key(k)});
  now.add_batch(synth::as_batch(p, 0, 500));
  const rollup_table a = rollup(old, grouping_set::of(old.schema_ref(), {"intervention"}));
  const rollup_table c = rollup(now, grouping_set::of(now.schema_ref(), {"intervention"}));
  ASSERT_EQ(a.cells().size(), c.cells().size());
  for (std::size_t i = 0; i < a.cells().size(); ++i) EXPECT_EQ(a.cells()[i].persons, c.cells()[i].persons);
  // Records can still be added under the key.
  old.add_batch(synth::as_batch(p, 500, 100));
  EXPECT_EQ(old.participations(), 600u);
}

// --- contradictory content behind a valid checksum --------------------------------------------

struct located_state {
  std::vector<std::uint8_t> bytes;
  std::size_t cells_at = 0;   // the cell count
  std::size_t tally_at = 0;   // the tally's field count
  std::size_t rounded_at = 0;
};

// One cell (women, region index 0) with hours decimal {1.00, 2.50, 4.00} and cost floating.
located_state one_cell_state() {
  const auto s = std::make_shared<const schema>(
      std::vector<dimension>{dimension("region", {{1, "Norr", "North"}, {2, "Söder", "South"}})},
      std::vector<outcome>{{"work", "I arbete", "In work"}},
      std::vector<numeric_measure>{numeric_measure::decimal("hours", "h", "Timmar", "Hours", 2, 0, 1000),
                                   numeric_measure::floating("cost", "SEK", "Kostnad", "Cost", 0, 1e6)});
  aggregator a(s);
  const std::int32_t codes[2] = {2, 1}, work[1] = {1};
  for (double h : {1.0, 2.5, 4.0}) {
    const double v[2] = {h, 10 * h};
    a.add({codes, work, v, {}});
  }
  located_state st;
  st.bytes = write_state(a);
  st.tally_at = 24 + 8 + 4 + s->canonical_encoding().size() + 8 + 8 + 32;
  st.rounded_at = st.tally_at + 8 + 8 * rejection_reason_count * s->field_count();
  st.cells_at = st.rounded_at + 8 * s->numeric_measures().size();
  return st;
}

void expect_invalid(std::vector<std::uint8_t> bytes, const std::string& fragment) {
  reseal(bytes);
  try {
    (void)read_state(bytes);
    ADD_FAILURE() << "read a contradictory state; expected: " << fragment;
  } catch (const state_format_error& e) {
    EXPECT_EQ(e.problem(), state_format_problem::invalid_content) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(StateVersions, ContradictoryStatesAreRefused) {
  const located_state st = one_cell_state();
  ASSERT_NO_THROW((void)read_state(st.bytes));
  // Cell layout: index, participations, successes, then hours {count, sum (16), squares (16), min,
  // max, second} and cost {count, shift, offset hi, offset lo, M2, min, max, second}.
  const std::size_t cell = st.cells_at + 8, hours = cell + 24, cost = hours + 64;
  auto sum = st.bytes;  // a sum no three values in [1.00, 4.00] can have
  put_u64(sum, hours + 8, 1001);
  expect_invalid(sum, "sum contradicts");
  auto squares = st.bytes;  // Σu² below (Σu)²/n: a negative variance
  put_u64(squares, hours + 24, 100 * 100 + 250 * 250 + 400 * 400 - 60000);
  expect_invalid(squares, "sum of squares");
  auto second = st.bytes;  // second largest above the largest
  put_u64(second, hours + 56, 500);
  expect_invalid(second, "second largest");
  auto range = st.bytes;  // a max beyond the measure's range
  put_u64(range, hours + 48, 200000);
  expect_invalid(range, "outside its range");
  auto mean = st.bytes;  // a mean far outside [min, max]
  put_u64(mean, cost + 16, std::bit_cast<std::uint64_t>(1001.0));
  expect_invalid(mean, "mean is outside");
  auto m2 = st.bytes;  // more spread than min and max allow
  put_u64(m2, cost + 32, std::bit_cast<std::uint64_t>(1e9));
  expect_invalid(m2, "exceeds what its min and max allow");
  auto negative = st.bytes;
  put_u64(negative, cost + 32, std::bit_cast<std::uint64_t>(-7.0));
  expect_invalid(negative, "negative");
  // A tally no record could produce: sex_missing counted for the 'region' field.
  auto tally = st.bytes;
  put_u64(tally, st.tally_at + 8 + 8 * 1, 3);  // reason 0 (sex_missing), field 1
  expect_invalid(tally, "which no record can produce");
  // Rounded values for a measure that does not round.
  auto rounded = st.bytes;
  put_u64(rounded, st.rounded_at, 1);
  expect_invalid(rounded, "does not round");
}

TEST(StateVersions, TallyCountsThatOverflowAreRefused) {
  // Two counts of 2^63 in the tally add up to 2^64: refused, not read as 0.
  const located_state st = one_cell_state();
  auto bytes = st.bytes;
  put_u64(bytes, st.tally_at + 8 + 8 * (0 * 6 + 0), std::uint64_t{1} << 63);  // sex_missing, field sex
  put_u64(bytes, st.tally_at + 8 + 8 * (1 * 6 + 0), std::uint64_t{1} << 63);  // sex_not_iso5218, field sex
  expect_invalid(bytes, "more than 2^64 - 1");
}

// --- every state the library writes, it reads back -------------------------------------------

TEST(StateVersions, EveryStateWrittenReadsBackAfterRandomAddsAndMerges) {
  const auto s = std::make_shared<const schema>(
      std::vector<dimension>{dimension("region", {{1, "Norr", "North"}, {2, "Söder", "South"}, {5, "Väst", "West"}})},
      std::vector<outcome>{{"work", "I arbete", "In work"}},
      std::vector<numeric_measure>{numeric_measure::decimal("hours", "h", "Timmar", "Hours", 2, -100, 99999.99,
                                                            off_grid_policy::round),
                                   numeric_measure::floating("cost", "SEK", "Kostnad", "Cost"),
                                   numeric_measure::decimal("days", "d", "Dagar", "Days", 0)});
  const double hostile[] = {NAN, INFINITY, -INFINITY, 1e308, -1e308, DBL_MAX, 1e155, -1e155, 1e140, -1e140, 1.5e154,
                            0.295, 1e-300, -0.0, 99999.99, 99999.995, 21474836.47, 21474836.48, -21474836.48, 5e-324};
  std::mt19937_64 rng(2026);
  std::lognormal_distribution<double> typical(3, 1.5);
  auto value = [&](int m) {
    if (rng() % 4 == 0) return hostile[rng() % std::size(hostile)];
    const double x = typical(rng);
    return m == 1 ? x : std::round(x * (m == 0 ? 100 : 1)) / (m == 0 ? 100 : 1);
  };
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<aggregator> states;
    for (int k = 0; k < 3; ++k) states.emplace_back(s, aggregator_options{rng() % 2 ? bad_record_policy::tally : bad_record_policy::reject, {}});
    for (int step = 0; step < 60; ++step) {
      aggregator& a = states[rng() % states.size()];
      const int what = static_cast<int>(rng() % 10);
      try {
        if (what < 5) {
          const std::int32_t codes[2] = {static_cast<std::int32_t>(rng() % 4), static_cast<std::int32_t>(rng() % 7)};
          const std::int32_t work[1] = {static_cast<std::int32_t>(rng() % 3)};
          const double v[3] = {value(0), value(1), value(2)};
          a.add({codes, work, v, {}});
        } else if (what < 8) {
          const std::size_t n = 1 + rng() % 3000;
          std::vector<std::uint8_t> sex(n), region(n), work(n);
          std::vector<double> h(n), c(n), d(n);
          for (std::size_t i = 0; i < n; ++i) {
            sex[i] = static_cast<std::uint8_t>(rng() % 3);
            region[i] = static_cast<std::uint8_t>(1 + rng() % 2);
            work[i] = static_cast<std::uint8_t>(rng() % 2);
            h[i] = rng() % 50 ? std::round(typical(rng) * 100) / 100 : value(0);
            c[i] = rng() % 50 ? typical(rng) : value(1);
            d[i] = rng() % 50 ? std::round(typical(rng)) : value(2);
          }
          column_batch b;
          b.rows = n;
          b.codes = {std::span<const std::uint8_t>(sex), std::span<const std::uint8_t>(region)};
          b.outcomes = {std::span<const std::uint8_t>(work)};
          b.numerics = {std::span<const double>(h), std::span<const double>(c), std::span<const double>(d)};
          a.add_batch(b);
        } else if (what == 8) {
          a.add_anonymous(static_cast<std::int32_t>(rng() % 3), rng() % 5);
        } else {
          aggregator& other = states[rng() % states.size()];
          if (&other != &a) a.merge(other);
        }
      } catch (const input_error&) {
        // reject policy: the record or batch was refused, the state unchanged
      }
      const auto bytes = write_state(a);
      aggregator back = read_state(bytes);  // must not throw
      ASSERT_EQ(write_state(back), bytes) << "trial " << trial << " step " << step;
    }
  }
}

}  // namespace
}  // namespace jamstat
