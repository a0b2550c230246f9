// The state format: bit-identical round trips, merges through states, and every way bytes can
// be wrong (each must give a clear error, never a crash or an out-of-bounds read).
#include "jamstat/io/state_format.hpp"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstring>

#include "../engine/reference_aggregation.hpp"
#include "../engine/test_schemas.hpp"
#include "jamstat/engine/errors.hpp"

namespace jamstat {
namespace {

// Recomputes the trailing XXH3-128 checksum, so tests can reach the checks behind it.
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

aggregator sample(bool persons, std::uint64_t seed = 3) {
  const auto s = testing::small_schema();
  aggregator a(s, {bad_record_policy::tally, persons ? std::optional<person_key>(testing::test_key()) : std::nullopt});
  a.add_batch(testing::record_columns(testing::random_records(*s, 3000, seed, 800)).batch(persons));
  const std::int32_t bad[2] = {7, 1}, outcome[1] = {0};
  const double values[2] = {1, 1};
  a.add({bad, outcome, values, persons ? person_id{std::uint64_t{1}} : person_id{}});
  a.add_anonymous(iso5218::female, 12);
  return a;
}

void expect_same_state(const aggregator& x, const aggregator& y) {
  EXPECT_EQ(x.schema_ref(), y.schema_ref());
  EXPECT_EQ(x.participations(), y.participations());
  EXPECT_EQ(x.anonymous_participants(), y.anonymous_participants());
  EXPECT_EQ(x.rejected(), y.rejected());
  EXPECT_EQ(x.person_key_check(), y.person_key_check());
  const auto tx = rollup(x, grouping_set::finest(x.schema_ref())), ty = rollup(y, grouping_set::finest(y.schema_ref()));
  ASSERT_EQ(tx.cells().size(), ty.cells().size());
  for (std::size_t i = 0; i < tx.cells().size(); ++i) {
    EXPECT_EQ(tx.cells()[i].participations, ty.cells()[i].participations);
    EXPECT_EQ(testing::as_vector(tx.cells()[i].successes), testing::as_vector(ty.cells()[i].successes));
    EXPECT_EQ(tx.cells()[i].persons, ty.cells()[i].persons);
    EXPECT_EQ(testing::as_vector(tx.cells()[i].numerics), testing::as_vector(ty.cells()[i].numerics));  // every field, bit for bit
  }
}

TEST(StateFormat, RoundTripIsBitIdentical) {
  for (bool persons : {false, true}) {
    const aggregator a = sample(persons);
    const auto bytes = write_state(a);
    const aggregator b = read_state(bytes, {bad_record_policy::tally, persons ? std::optional<person_key>(testing::test_key()) : std::nullopt});
    expect_same_state(a, b);
    EXPECT_EQ(write_state(b), bytes);
  }
}

TEST(StateFormat, HeaderLayoutIsAsDocumented) {
  const auto bytes = write_state(sample(false));
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 8), "JAMSTATE");
  EXPECT_EQ(bytes[8], 2);  // format version 2, little-endian u32
  EXPECT_EQ(bytes[9] | bytes[10] | bytes[11], 0);
  std::uint64_t body = 0;
  for (int i = 7; i >= 0; --i) body = (body << 8) | bytes[16 + static_cast<std::size_t>(i)];
  EXPECT_EQ(body + 24 + 16, bytes.size());
  std::uint64_t fingerprint = 0;
  for (int i = 7; i >= 0; --i) fingerprint = (fingerprint << 8) | bytes[24 + static_cast<std::size_t>(i)];
  EXPECT_EQ(fingerprint, testing::small_schema()->fingerprint());
}

TEST(StateFormat, SparseGridsAndEmptyStatesRoundTrip) {
  std::vector<level> many;
  for (int i = 0; i < 600; ++i) many.push_back({i * 3, "n" + std::to_string(i), "n" + std::to_string(i)});
  const auto s = std::make_shared<const schema>(std::vector<dimension>{dimension("a", many), dimension("b", many)},
                                                std::vector<outcome>{}, std::vector<numeric_measure>{{"x", "", "", ""}});
  aggregator a(s);
  ASSERT_FALSE(a.cells().is_dense());
  EXPECT_EQ(write_state(read_state(write_state(a))), write_state(a));  // empty
  a.add_batch(testing::record_columns(testing::random_records(*s, 2000, 8)).batch(false));
  const auto bytes = write_state(a);
  const aggregator b = read_state(bytes);
  expect_same_state(a, b);
  EXPECT_EQ(write_state(b), bytes);
}

TEST(StateFormat, StatesRoundTripThroughMerge) {
  // Partners serialize, a coordinator reads and merges: equal to aggregating everything at once.
  const auto s = testing::small_schema();
  const auto records = testing::random_records(*s, 6000, 12, 2000);
  aggregator merged = read_state(write_state(aggregator(s, {bad_record_policy::reject, testing::test_key()})));
  for (int part = 0; part < 3; ++part) {
    aggregator partner(s, {bad_record_policy::reject, testing::test_key()});
    const std::vector<testing::plain_record> slice(records.begin() + part * 2000, records.begin() + (part + 1) * 2000);
    partner.add_batch(testing::record_columns(slice).batch(true));
    merged.merge(read_state(write_state(partner)));
  }
  testing::expect_rollup_equals_reference(rollup(merged, grouping_set::finest(*s)), testing::aggregate_directly(*s, records, {0, 1}), true);
  // Merge order does not change the counts; the bytes of two orders agree on every count.
  const aggregator again = read_state(write_state(merged));
  EXPECT_EQ(write_state(again), write_state(merged));
}

void expect_problem(const std::vector<std::uint8_t>& bytes, state_format_problem problem, const std::string& fragment) {
  try {
    (void)read_state(bytes);
    ADD_FAILURE() << "no state_format_error; expected: " << fragment;
  } catch (const state_format_error& e) {
    EXPECT_EQ(e.problem(), problem) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(StateFormat, DamagedBytesGiveClearErrors) {
  const auto good = write_state(sample(true));
  expect_problem({}, state_format_problem::truncated, "truncated in the header (0 bytes)");
  expect_problem({'P', 'K', 3, 4, 0, 0, 0, 0, 0}, state_format_problem::not_a_state, "not a jamstat state");
  expect_problem({'J', 'A', 'M'}, state_format_problem::truncated, "truncated in the header");
  expect_problem(std::vector<std::uint8_t>(good.begin(), good.begin() + 20), state_format_problem::truncated, "truncated");
  for (std::size_t cut : {good.size() - 1, good.size() - 16, std::size_t{40}, std::size_t{24}})
    expect_problem(std::vector<std::uint8_t>(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut)),
                   state_format_problem::truncated, "truncated");
  auto longer = good;
  longer.push_back(0);
  expect_problem(longer, state_format_problem::invalid_content, "1 unexpected bytes after the checksum");
  auto flipped = good;
  flipped[good.size() / 3] ^= 1;
  expect_problem(flipped, state_format_problem::checksum_mismatch, "checksum mismatch");
  auto version = good;
  version[8] = 9;
  expect_problem(version, state_format_problem::unsupported_version, "format version 9 is not supported; this jamstat reads versions 1 to 2");
  auto flags = good;
  flags[12] |= 4;
  reseal(flags);
  expect_problem(flags, state_format_problem::invalid_content, "unknown header flags");
}

TEST(StateFormat, ContentBehindAValidChecksumIsStillChecked) {
  const auto good = write_state(sample(false));
  auto fingerprint = good;
  fingerprint[24] ^= 1;
  reseal(fingerprint);
  expect_problem(fingerprint, state_format_problem::invalid_content, "does not match its fingerprint");
  auto schema_bytes = good;
  schema_bytes[36 + 4] = 'X';  // inside the tag "jamstat-schema-v2"
  reseal(schema_bytes);
  expect_problem(schema_bytes, state_format_problem::invalid_content, "invalid schema: schema encoding: unknown tag");
  // The total participations right after the schema and key check.
  const std::size_t schema_length = testing::small_schema()->canonical_encoding().size();
  const std::size_t participations_at = 24 + 8 + 4 + schema_length + 8;
  auto total = good;
  put_u64(total, participations_at, 5);
  reseal(total);
  expect_problem(total, state_format_problem::invalid_content, "do not add up to the total");
  // The cell count: more cells than the data holds.
  const std::size_t tally_at = participations_at + 8 + 32;
  const std::size_t rounded_at = tally_at + 8 + 8 * rejection_reason_count * testing::small_schema()->field_count();
  const std::size_t cells_at = rounded_at + 8 * testing::small_schema()->numeric_measures().size();
  auto cells = good;
  put_u64(cells, cells_at, 1u << 30);
  reseal(cells);
  expect_problem(cells, state_format_problem::invalid_content, "cells announced");
  // The first cell's index outside the grid.
  auto index = good;
  put_u64(index, cells_at + 8, 1000);
  reseal(index);
  expect_problem(index, state_format_problem::invalid_content, "outside the grid");
  // A first cell whose successes exceed its participations.
  auto successes = good;
  put_u64(successes, cells_at + 8 + 16, ~std::uint64_t{0});
  reseal(successes);
  expect_problem(successes, state_format_problem::invalid_content, "more successes than participations");
  // A NaN in the first cell's moments.
  auto nan = good;
  put_u64(nan, cells_at + 8 + 24 + 16, 0x7FF8000000000000ull);
  reseal(nan);
  expect_problem(nan, state_format_problem::invalid_content, "non-finite value");
}

TEST(StateFormat, AStateWithFewerRejectionReasonsReadsAndIsWrittenInTheCurrentForm) {
  // docs/state-format.md: a later version may append reasons, so a reader accepts a reason count
  // R up to the reasons it knows. Here the last reason's row of counts is cut out of a current
  // state (R - 1 reasons): it must read, keep every other count, and be written with the
  // current R (the missing row as zeros), which then reads back to the same bytes.
  aggregator tallied(testing::small_schema(), {bad_record_policy::tally, std::nullopt});
  const std::int32_t bad_sex[2] = {7, 1}, outcome[1] = {1};
  const double values[2] = {1, 2};
  tallied.add({bad_sex, outcome, values, {}});  // sex_not_iso5218, the second reason
  const auto current = write_state(tallied);
  const std::size_t fields = testing::small_schema()->field_count();
  const std::size_t schema_length = testing::small_schema()->canonical_encoding().size();
  const std::size_t tally_at = 24 + 8 + 4 + schema_length + 8 + 8 + 32;
  std::vector<std::uint8_t> older(current.begin(), current.end());
  put_u64(older, tally_at, static_cast<std::uint64_t>(fields) | static_cast<std::uint64_t>(rejection_reason_count - 1) << 32);
  const std::size_t last_row = tally_at + 8 + 8 * (rejection_reason_count - 1) * fields;
  older.erase(older.begin() + static_cast<std::ptrdiff_t>(last_row), older.begin() + static_cast<std::ptrdiff_t>(last_row + 8 * fields));
  put_u64(older, 16, older.size() - 40);  // the body length
  reseal(older);
  const aggregator read = read_state(older);
  EXPECT_EQ(read.rejected(), tallied.rejected());
  EXPECT_EQ(read.rejected().at(rejection_reason::sex_not_iso5218, 0), 1u);
  EXPECT_EQ(write_state(read), current);
}

TEST(StateFormat, PersonKeysAreCheckedOnRead) {
  const auto with_persons = write_state(sample(true));
  const aggregator keyless = read_state(with_persons);
  EXPECT_TRUE(keyless.counts_persons());
  EXPECT_EQ(keyless.person_key_check(), testing::test_key().key_check());
  aggregator writable = read_state(with_persons);
  const std::int32_t codes[2] = {2, 1}, outcome[1] = {1};
  const double values[2] = {1, 1};
  EXPECT_THROW(writable.add({codes, outcome, values, std::uint64_t{5}}), usage_error);
  EXPECT_THROW((void)read_state(with_persons, {bad_record_policy::reject, testing::test_key(9)}), schema_mismatch_error);
  EXPECT_THROW((void)read_state(write_state(sample(false)), {bad_record_policy::reject, testing::test_key()}), usage_error);
  aggregator with_key = read_state(with_persons, {bad_record_policy::reject, testing::test_key()});
  EXPECT_TRUE(with_key.add({codes, outcome, values, std::uint64_t{5}}));
}

}  // namespace
}  // namespace jamstat
