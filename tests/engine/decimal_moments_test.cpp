// Decimal measures: exact integer statistics, correctly rounded doubles, byte-identical states
// whatever the split, merge order, merge tree or ingestion path.
#include "jamstat/engine/decimal_moments.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "exact_reference.hpp"
#include "reference_aggregation.hpp"
#include "jamstat/io/state_format.hpp"
#include "jamstat/jamstat.hpp"
#include "jamstat/synth/participations.hpp"

namespace jamstat {
namespace {

measure_stats decimal_stats(const std::vector<std::int64_t>& units, unsigned decimals) {
  decimal_moments d;
  for (std::int64_t u : units) d.add(u);
  return measure_stats(d, decimals);
}

// Reference: Python 3.11, from fractions import Fraction as F;
// x = [F(u, 100) for u in (1050, 2025, 700, 350, 4000, 1275, 800, 10000, 500, 100, 3000, 6000)];
// n = len(x); m = sum(x) / n; v = sum((a - m) ** 2 for a in x) / (n - 1)
// repr(float(m)), repr(float(v)), repr(float(sum(x))) -> '24.833333333333332' '866.7083333333334' '298.0'
// (float(Fraction) rounds correctly to nearest.)
TEST(DecimalMoments, StatisticsAreTheCorrectlyRoundedExactValues) {
  const measure_stats m = decimal_stats({1050, 2025, 700, 350, 4000, 1275, 800, 10000, 500, 100, 3000, 6000}, 2);
  EXPECT_EQ(m.kind(), measure_kind::decimal);
  EXPECT_EQ(m.count(), 12u);
  EXPECT_EQ(m.mean(), 24.833333333333332);
  EXPECT_EQ(m.sample_variance(), 866.7083333333334);
  EXPECT_EQ(m.total(), 298.0);
  EXPECT_EQ(m.min(), 1.0);
  EXPECT_EQ(m.max(), 100.0);
  EXPECT_EQ(m.second_max(), 60.0);
  EXPECT_EQ(m.decimal().sum, 29800);
}

// rounded_quotient against exact rationals: float(Fraction(a, b)) in Python is correctly rounded;
// here the same is checked structurally: the result r satisfies |a/b - r| <= |a/b - r'| for the
// neighbours r' of r, exactly, in rational arithmetic.
TEST(DecimalMoments, RoundedQuotientIsCorrectlyRounded) {
  std::mt19937_64 rng(17);
  auto check = [](int128_t a, uint128_t b) {
    const double r = rounded_quotient(a, b);
    using testing::rational;
    using testing::big_integer;
    auto big = [](uint128_t v) { return (big_integer(static_cast<std::uint64_t>(v >> 64)) << 64) + static_cast<std::uint64_t>(v); };
    const rational exact = rational(a < 0 ? big_integer(-big(uint128_t(0) - static_cast<uint128_t>(a))) : big(static_cast<uint128_t>(a)), big(b));
    auto as_rational = [](double x) {
      int e;
      const double f = std::frexp(x, &e);
      const auto m = static_cast<std::int64_t>(std::ldexp(f, 53));
      return e - 53 >= 0 ? rational(big_integer(m) << (e - 53)) : rational(big_integer(m), big_integer(1) << (53 - e));
    };
    const rational err = abs(exact - as_rational(r));
    EXPECT_LE(err, abs(exact - as_rational(std::nextafter(r, INFINITY)))) << static_cast<double>(a) << "/" << static_cast<double>(b);
    EXPECT_LE(err, abs(exact - as_rational(std::nextafter(r, -INFINITY)))) << static_cast<double>(a) << "/" << static_cast<double>(b);
  };
  check(1, 3);
  check(-2, 3);
  check(29800, 1200);
  check((int128_t(1) << 100) + 1, 3);
  check(int128_t(1) << 60, (uint128_t(1) << 120) - 1);
  check(1, uint128_t(1) << 127);
  check((int128_t(1) << 53) + 1, 2);  // a tie: to even
  check((int128_t(1) << 53) + 3, 2);  // a tie: to even (up)
  for (int i = 0; i < 500; ++i) {
    const int128_t a = (static_cast<int128_t>(rng()) << (rng() % 60)) * (rng() % 2 ? 1 : -1);
    const uint128_t b = (static_cast<uint128_t>(rng() | 1) << (rng() % 60));
    check(a, b);
  }
}

// Big cells: variance numerators beyond 128 bits go through the 256-bit path; compared with exact
// rationals.
TEST(DecimalMoments, VarianceOfHugeSumsIsExact) {
  decimal_moments d;
  d.count = 3'000'000'000ULL;  // as if 3e9 values alternated between the range limits
  const std::int64_t lim = numeric_measure::decimal_unit_limit;
  d.sum = 0;
  d.sum_of_squares = static_cast<uint128_t>(static_cast<std::uint64_t>(lim * lim)) * d.count;
  d.min = -lim;
  d.max = d.second_max = lim;
  const measure_stats m(d, 0);
  // Exact: M2 = n lim², variance = n lim² / (n - 1).
  using testing::rational;
  const rational var = rational(testing::big_integer(d.count) * lim * lim, testing::big_integer(d.count - 1));
  EXPECT_EQ(m.sample_variance(), static_cast<double>(var));
  EXPECT_EQ(m.mean(), 0.0);
}

std::shared_ptr<const schema> hours_schema(off_grid_policy off_grid = off_grid_policy::reject) {
  return std::make_shared<const schema>(
      std::vector<dimension>{dimension("region", {{1, "Norr", "North"}, {2, "Söder", "South"}})},
      std::vector<outcome>{{"work", "I arbete", "In work"}},
      std::vector<numeric_measure>{numeric_measure::decimal("hours", "h", "Timmar", "Hours", 2, 0.0, 99999.99, off_grid),
                                   numeric_measure::decimal("cost", "SEK", "Kostnad", "Cost", 0, -1e6, 1e6)});
}

TEST(DecimalMoments, SchemaValidatesResolutionAndRange) {
  EXPECT_THROW(schema({}, {}, {numeric_measure::decimal("x", "", "x", "x", 10)}), schema_error);           // > 9 decimals
  EXPECT_THROW(schema({}, {}, {numeric_measure::decimal("x", "", "x", "x", 2, 0.005, 1.0)}), schema_error);  // off grid
  EXPECT_THROW(schema({}, {}, {numeric_measure::decimal("x", "", "x", "x", 2, 2.0, 1.0)}), schema_error);    // empty
  EXPECT_THROW(schema({}, {}, {numeric_measure::decimal("x", "", "x", "x", 2, 0.0, 3e7)}), schema_error);    // > 2^31 - 1 units
  EXPECT_THROW(schema({}, {}, {numeric_measure::floating("x", "", "x", "x", 0.0, 1e200)}), schema_error);   // > 1e140
  numeric_measure bad = numeric_measure::floating("x", "", "x", "x");
  bad.decimals = 2;
  EXPECT_THROW(schema({}, {}, {bad}), schema_error);
  const schema ok({}, {}, {numeric_measure::decimal("x", "", "x", "x", 2)});
  EXPECT_EQ(ok.domain(0).lowest_units, -numeric_measure::decimal_unit_limit);
  EXPECT_EQ(ok.numeric_measures()[0].highest, 21474836.47);
  // Kind, resolution and range are part of the fingerprint.
  const schema a({}, {}, {numeric_measure::decimal("x", "", "x", "x", 2, 0, 100)});
  const schema b({}, {}, {numeric_measure::decimal("x", "", "x", "x", 1, 0, 100)});
  const schema c({}, {}, {numeric_measure::decimal("x", "", "x", "x", 2, 0, 200)});
  const schema d({}, {}, {numeric_measure::floating("x", "", "x", "x", 0, 100)});
  EXPECT_NE(a.fingerprint(), b.fingerprint());
  EXPECT_NE(a.fingerprint(), c.fingerprint());
  EXPECT_NE(a.fingerprint(), d.fingerprint());
  // The encoding round-trips to an equal schema.
  EXPECT_EQ(schema::from_canonical_encoding(a.canonical_encoding()), a);
  EXPECT_EQ(schema::from_canonical_encoding(d.canonical_encoding()), d);
}

record row(const std::int32_t* codes, const std::int32_t* outcome, const double* values) { return {{codes, 2}, {outcome, 1}, {values, 2}, {}}; }

TEST(DecimalMoments, OffGridAndOutOfRangeValuesAreBadInput) {
  aggregator a(hours_schema());
  const std::int32_t codes[2] = {2, 1}, work[1] = {1};
  const double good[2] = {0.29, 12}, off[2] = {0.295, 12}, high[2] = {100000, 12}, negative[2] = {-0.01, 12}, nan[2] = {NAN, 1};
  EXPECT_TRUE(a.add(row(codes, work, good)));
  try {
    a.add(row(codes, work, off));
    FAIL() << "0.295 is off a 0.01 grid";
  } catch (const input_error& e) {
    EXPECT_EQ(e.reason(), rejection_reason::measure_off_resolution);
    EXPECT_EQ(e.field(), a.schema_ref().numeric_field(0));
    EXPECT_NE(std::string(e.what()).find("0.295"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("resolution 0.01"), std::string::npos) << e.what();
  }
  for (const double* v : {high, negative}) {
    try {
      a.add(row(codes, work, v));
      FAIL() << v[0] << " is out of range";
    } catch (const input_error& e) {
      EXPECT_EQ(e.reason(), rejection_reason::measure_out_of_range);
      EXPECT_NE(std::string(e.what()).find("[0, 99999.99]"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(a.add(row(codes, work, nan)), input_error);
  EXPECT_EQ(a.participations(), 1u);
  // The same through a batch, under tally: counted by reason.
  aggregator t(hours_schema(), {bad_record_policy::tally, std::nullopt});
  const std::vector<std::uint8_t> sex{2, 2, 2, 2, 2}, region{1, 1, 1, 1, 1}, outcome{1, 0, 1, 0, 1};
  const std::vector<double> hours{0.29, 0.295, 100000, 1.5, 7.25}, cost{1, 2, 3, 4, 5.5};
  column_batch b;
  b.rows = 5;
  b.codes = {std::span<const std::uint8_t>(sex), std::span<const std::uint8_t>(region)};
  b.outcomes = {std::span<const std::uint8_t>(outcome)};
  b.numerics = {std::span<const double>(hours), std::span<const double>(cost)};
  const batch_result r = t.add_batch(b);
  EXPECT_EQ(r.accepted, 2u);
  EXPECT_EQ(r.rejected, 3u);
  EXPECT_EQ(t.rejected().by_reason(rejection_reason::measure_off_resolution), 2u);  // 0.295 h, 5.5 SEK
  EXPECT_EQ(t.rejected().by_reason(rejection_reason::measure_out_of_range), 1u);
  EXPECT_EQ(total(t).cells()[0].numerics[0].total(), 0.29 + 1.5);
}

TEST(DecimalMoments, FloatColumnsUseTheirOwnRepresentationTolerance) {
  aggregator a(hours_schema());
  const std::vector<std::uint8_t> sex{2, 1}, region{1, 2}, outcome{1, 0};
  const std::vector<float> hours{0.29f, 1234.56f};  // 0.28999999165534973 as a double
  const std::vector<std::int64_t> cost{12, -7};       // whole SEK, as grid units
  column_batch b;
  b.rows = 2;
  b.codes = {std::span<const std::uint8_t>(sex), std::span<const std::uint8_t>(region)};
  b.outcomes = {std::span<const std::uint8_t>(outcome)};
  b.numerics = {std::span<const float>(hours), std::span<const std::int64_t>(cost)};
  a.add_batch(b);
  const measure_stats h = total(a).cells()[0].numerics[0];
  EXPECT_EQ(h.decimal().sum, 29 + 123456);
  EXPECT_EQ(total(a).cells()[0].numerics[1].decimal().sum, 5);
}

TEST(DecimalMoments, RoundingPolicyRoundsAndCounts) {
  aggregator a(hours_schema(off_grid_policy::round), {bad_record_policy::reject, std::nullopt});
  const std::int32_t codes[2] = {1, 2}, work[1] = {0};
  const double v1[2] = {0.295, 1}, v2[2] = {0.285, 1}, v3[2] = {10.127, 1}, v4[2] = {10.12, 1};
  for (const double* v : {v1, v2, v3, v4}) a.add(row(codes, work, v));
  // The nearest hundredth of each double's exact value: 0.295 is 0.29499999999999998... -> 29 (though
  // fl(0.295 * 100) is 29.5); 0.285 is 0.28499999999999998... -> 28; 10.127 -> 1013.
  EXPECT_EQ(total(a).cells()[0].numerics[0].decimal().sum, 29 + 28 + 1013 + 1012);
  EXPECT_EQ(a.rounded_values(0), 3u);
  EXPECT_EQ(a.rounded_values(1), 0u);
  // Counted the same through a batch, and kept in the state.
  aggregator b(hours_schema(off_grid_policy::round));
  const std::vector<std::uint8_t> sex{1, 1, 1, 1}, region{2, 2, 2, 2}, outcome{0, 0, 0, 0};
  const std::vector<double> hours{0.295, 0.285, 10.127, 10.12}, cost{1, 1, 1, 1};
  column_batch batch;
  batch.rows = 4;
  batch.codes = {std::span<const std::uint8_t>(sex), std::span<const std::uint8_t>(region)};
  batch.outcomes = {std::span<const std::uint8_t>(outcome)};
  batch.numerics = {std::span<const double>(hours), std::span<const double>(cost)};
  b.add_batch(batch);
  EXPECT_EQ(write_state(a), write_state(b));
  EXPECT_EQ(read_state(write_state(b)).rounded_values(0), 3u);
}

// --- byte identity -------------------------------------------------------------------------------

column_batch batch_of(const synth::participations& p, std::size_t first, std::size_t count, bool units,
                      std::vector<std::int64_t>& unit_storage) {
  column_batch b = synth::as_batch(p, first, count);
  b.persons = std::monostate{};
  if (units) {
    unit_storage.resize(count);
    for (std::size_t i = 0; i < count; ++i) unit_storage[i] = std::llround(p.hours[first + i] * 100);
    b.numerics[0] = std::span<const std::int64_t>(unit_storage);
  }
  return b;
}

TEST(DecimalMoments, StatesAreByteIdenticalWhateverTheSplitOrderTreeOrPath) {
  const synth::participations p = synth::generate(30000, 77);
  const auto s = synth::participation_schema();
  std::vector<std::int64_t> storage;
  aggregator whole(s);
  whole.add_batch(batch_of(p, 0, p.size(), false, storage));
  const std::vector<std::uint8_t> reference = write_state(whole);

  // Record at a time.
  aggregator records(s);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const std::int32_t codes[5] = {p.sex[i], p.age_band[i], p.birth_region[i], p.education[i], p.intervention[i]};
    const std::int32_t outcome[1] = {p.outcome[i]};
    const double hours[1] = {p.hours[i]};
    records.add({codes, outcome, hours, {}});
  }
  EXPECT_EQ(write_state(records), reference);

  // Grid units given directly.
  aggregator units(s);
  units.add_batch(batch_of(p, 0, p.size(), true, storage));
  EXPECT_EQ(write_state(units), reference);

  // Random splits merged in random orders and trees, each part through a random path.
  std::mt19937_64 rng(1);
  for (int trial = 0; trial < 6; ++trial) {
    std::vector<std::size_t> cuts{0, p.size()};
    for (int c = 0; c < 5; ++c) cuts.push_back(rng() % p.size());
    std::sort(cuts.begin(), cuts.end());
    std::vector<aggregator> parts;
    for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
      aggregator part(s);
      std::vector<std::int64_t> part_storage;
      if (cuts[c + 1] > cuts[c]) part.add_batch(batch_of(p, cuts[c], cuts[c + 1] - cuts[c], rng() % 2, part_storage));
      parts.push_back(std::move(part));
    }
    std::shuffle(parts.begin(), parts.end(), rng);
    // A random merge tree: repeatedly merge two random parts.
    while (parts.size() > 1) {
      const std::size_t i = rng() % parts.size();
      std::size_t j = rng() % (parts.size() - 1);
      if (j >= i) ++j;
      parts[i].merge(parts[j]);
      parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(j));
    }
    EXPECT_EQ(write_state(parts[0]), reference) << "trial " << trial;
  }
}

// The reproducer of the exact-measures issue: an outlier first in a batch leaves decimal
// statistics exact.
TEST(DecimalMoments, AnOutlierFirstChangesNothing) {
  const synth::participations p = synth::generate(262143, 5218);
  std::vector<double> hours{99999.99};
  hours.insert(hours.end(), p.hours.begin(), p.hours.end());
  std::vector<std::uint8_t> zero(hours.size(), 0), sex(hours.size(), 2);
  column_batch b;
  b.rows = hours.size();
  for (int d = 0; d < 5; ++d) b.codes.emplace_back(std::span<const std::uint8_t>(d == 0 ? sex : zero));
  b.outcomes.emplace_back(std::span<const std::uint8_t>(zero));
  b.numerics.emplace_back(std::span<const double>(hours));
  aggregator a(synth::participation_schema());
  a.add_batch(b);
  const measure_stats got = total(a).cells()[0].numerics[0];
  std::vector<double> exact_input;
  for (double h : hours) exact_input.push_back(static_cast<double>(std::llround(h * 100)));  // cents, exact
  const testing::exact_moments ref = testing::exact_moments_of(exact_input);
  EXPECT_EQ(got.sample_variance(), static_cast<double>(ref.m2 / (static_cast<std::int64_t>(hours.size()) - 1) / 10000));
  EXPECT_EQ(got.mean(), static_cast<double>(ref.mean / 100));
}

}  // namespace
}  // namespace jamstat

namespace jamstat {
namespace {

// Every shape of schema (0-3 outcomes, 0-3 measures of either kind) takes the same state through
// the columnar path as record by record. The columnar path picks a scatter by shape; a 0-outcome,
// 2-decimal schema once fell through to the generic scatter with its values left unconverted
// (a crash found by the Python binding's tests).
TEST(DecimalMeasures, EveryShapeOfSchemaGivesTheSameStateByBatchAndByRecord) {
  for (std::size_t n_outcomes = 0; n_outcomes <= 3; ++n_outcomes)
    for (std::size_t n_measures = 0; n_measures <= 3; ++n_measures)
      for (unsigned kinds = 0; kinds < (1u << n_measures); ++kinds) {
        std::vector<outcome> outcomes;
        for (std::size_t o = 0; o < n_outcomes; ++o) outcomes.push_back({"o" + std::to_string(o), "", ""});
        std::vector<numeric_measure> measures;
        for (std::size_t m = 0; m < n_measures; ++m)
          measures.push_back(kinds >> m & 1 ? numeric_measure::decimal("m" + std::to_string(m), "", "", "", 2)
                                            : numeric_measure{"m" + std::to_string(m), "", "", ""});
        const auto s = std::make_shared<const schema>(
            std::vector<dimension>{dimension("region", {{1, "a", "a"}, {2, "b", "b"}, {3, "c", "c"}})}, outcomes, measures);
        // 700 rows: one block, slots armed by their first row. 9000 rows: several blocks with
        // every slot armed up front when there is no floating measure. (These columns' outcomes
        // are i32, so values are checked before the scatter here; SumsOfSquaresCarryPast... and
        // batch_rollback_test.cpp take the check after it.)
        for (const std::size_t rows : {std::size_t{700}, std::size_t{9000}}) {
          const auto records = testing::random_records(*s, rows, 11 + n_outcomes * 16 + n_measures * 4 + kinds + rows);
          aggregator by_record(s), by_batch(s);
          for (const auto& r : records) by_record.add(r.view_for(by_record));
          testing::record_columns columns(records);
          by_batch.add_batch(columns.batch(false));
          EXPECT_EQ(write_state(by_batch), write_state(by_record))
              << n_outcomes << " outcomes, " << n_measures << " measures, decimal mask " << kinds << ", " << rows << " rows";
        }
      }
}

// Σu² of a batch is kept in two 64-bit scratch words, the carry into the high one taken by a
// branch (see add_decimal in columnar_ingest.cpp). Values at the unit limit (2^31 - 1) overflow
// the low word every 4 rows: the batch must give the record path's state, whose Σu² is a 128-bit
// sum, and the exact variance.
TEST(DecimalMoments, SumsOfSquaresCarryPastSixtyFourBitsExactly) {
  const std::int64_t lim = numeric_measure::decimal_unit_limit;
  const auto s = std::make_shared<const schema>(
      std::vector<dimension>{dimension("region", {{1, "Norr", "North"}, {2, "Söder", "South"}})},
      std::vector<outcome>{{"work", "I arbete", "In work"}},
      std::vector<numeric_measure>{numeric_measure::decimal("amount", "SEK", "Belopp", "Amount", 0, -static_cast<double>(lim),
                                                            static_cast<double>(lim))});
  const std::size_t n = 10'000;
  std::vector<std::uint8_t> sex(n), region(n), work(n);
  std::vector<double> amount(n);
  std::mt19937_64 rng(52);
  for (std::size_t i = 0; i < n; ++i) {
    sex[i] = static_cast<std::uint8_t>(1 + rng() % 2);  // sex is built into every schema
    region[i] = static_cast<std::uint8_t>(1 + (i % 7 == 0));
    work[i] = static_cast<std::uint8_t>(rng() % 2);
    // Mostly the limits (either sign), some random large values.
    const std::int64_t u = i % 3 == 0 ? lim : i % 3 == 1 ? -lim : static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(lim));
    amount[i] = static_cast<double>(u);
  }
  aggregator by_batch(s), by_record(s);
  column_batch b;
  b.rows = n;
  b.codes.emplace_back(std::span<const std::uint8_t>(sex));
  b.codes.emplace_back(std::span<const std::uint8_t>(region));
  b.outcomes.emplace_back(std::span<const std::uint8_t>(work));
  b.numerics.emplace_back(std::span<const double>(amount));
  by_batch.add_batch(b);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int32_t codes[2] = {sex[i], region[i]};
    const std::int32_t outcome[1] = {work[i]};
    const double value[1] = {amount[i]};
    by_record.add({codes, outcome, value, {}});
  }
  EXPECT_EQ(write_state(by_batch), write_state(by_record));

  // The exact variance of each region's values, by big-integer arithmetic (exact_reference.hpp).
  using testing::big_integer;
  using testing::rational;
  const rollup_table t = rollup(by_batch, grouping_set::of(*s, {"region"}, sex_grouping::drop));
  ASSERT_EQ(t.cells().size(), 2u);
  for (const rollup_cell c : t.cells()) {
    const std::uint8_t code = static_cast<std::uint8_t>(c.levels[0] == 0 ? 1 : 2);
    big_integer count(0), sum(0), squares(0);
    for (std::size_t i = 0; i < n; ++i) {
      if (region[i] != code) continue;
      const auto u = static_cast<std::int64_t>(amount[i]);
      count = count + big_integer(1);
      sum = sum + big_integer(u);
      squares = squares + big_integer(u) * big_integer(u);
    }
    const rational variance = rational(count * squares - sum * sum, count * (count - big_integer(1)));
    EXPECT_EQ(c.numerics[0].sample_variance(), static_cast<double>(variance)) << "region " << int{code};
  }
}

}  // namespace
}  // namespace jamstat
