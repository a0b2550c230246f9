// Person-free states: distinct persons frozen per grouping cell, no person hashes; what they keep,
// what they refuse, and how the reader checks their frozen counts.
#include "jamstat/engine/person_free.hpp"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/rollup.hpp"
#include "jamstat/io/state_format.hpp"
#include "reference_aggregation.hpp"
#include "test_schemas.hpp"

namespace jamstat {
namespace {

aggregator sample(bool persons) {
  const auto s = testing::small_schema();
  aggregator a(s, {bad_record_policy::tally, persons ? std::optional<person_key>(testing::test_key()) : std::nullopt});
  a.add_batch(testing::record_columns(testing::random_records(*s, 3000, 5, 400)).batch(persons));
  const std::int32_t bad[2] = {7, 1}, outcome[1] = {0};
  const double values[2] = {1, 1};
  a.add({bad, outcome, values, persons ? person_id{std::uint64_t{1}} : person_id{}});  // tallied
  a.add_anonymous(iso5218::female, 12);
  return a;
}

template <class F>
void expect_usage_error(F&& f, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "no usage_error; expected one saying \"" << fragment << "\"";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

void reseal(std::vector<std::uint8_t>& bytes) {
  const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size() - 16);
  for (int i = 0; i < 8; ++i) {
    bytes[bytes.size() - 16 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.low64 >> (8 * i));
    bytes[bytes.size() - 8 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.high64 >> (8 * i));
  }
}

void put(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint64_t v, int width = 8) {
  for (int i = 0; i < width; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

void expect_invalid(const std::vector<std::uint8_t>& bytes, const std::string& fragment) {
  try {
    (void)read_state(bytes);
    ADD_FAILURE() << "read; expected invalid content: " << fragment;
  } catch (const state_format_error& e) {
    EXPECT_EQ(e.problem(), state_format_problem::invalid_content);
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(PersonFree, EveryGroupingOfTheCubeKeepsItsDistinctPersons) {
  const aggregator a = sample(true);
  const aggregator free = person_free(a);
  EXPECT_TRUE(free.is_person_free());
  EXPECT_FALSE(free.counts_persons());
  EXPECT_TRUE(free.knows_persons());
  EXPECT_FALSE(free.person_key_check().has_value());
  EXPECT_EQ(free.participations(), a.participations());
  EXPECT_EQ(free.anonymous_participants(), a.anonymous_participants());
  EXPECT_EQ(free.rejected(), a.rejected());
  const auto original = cube(a), frozen = cube(free);
  ASSERT_EQ(original.size(), frozen.size());
  for (std::size_t t = 0; t < original.size(); ++t) {
    ASSERT_EQ(original[t].cells().size(), frozen[t].cells().size());
    for (std::size_t i = 0; i < original[t].cells().size(); ++i) {
      const rollup_cell x = original[t].cells()[i], y = frozen[t].cells()[i];
      EXPECT_EQ(x.participations, y.participations);
      EXPECT_EQ(x.persons, y.persons);
      EXPECT_EQ(testing::as_vector(x.successes), testing::as_vector(y.successes));
      EXPECT_EQ(testing::as_vector(x.numerics), testing::as_vector(y.numerics));
      EXPECT_EQ(x.anonymous_participants, y.anonymous_participants);
    }
  }
  // A single roll-up gives the same frozen counts as the cube.
  const rollup_table by_sex = rollup(free, grouping_set::from_mask(free.schema_ref(), 0b01));
  EXPECT_EQ(by_sex.cells()[0].persons, original[0b01].cells()[0].persons);
}

TEST(PersonFree, ChosenGroupingsAndTheFinestAreFrozenTheOthersUnknown) {
  const aggregator a = sample(true);
  const std::uint64_t sex[] = {0b01};
  const aggregator free = person_free(a, sex);
  ASSERT_EQ(free.frozen()->groupings().size(), 2u);  // sex, and the finest always
  const schema& s = free.schema_ref();
  const rollup_table by_sex = rollup(free, grouping_set::from_mask(s, 0b01)), finest = rollup(free, grouping_set::finest(s)),
                     by_region = rollup(free, grouping_set::from_mask(s, 0b10));
  for (const rollup_cell c : by_sex.cells()) EXPECT_TRUE(c.persons.has_value());
  for (const rollup_cell c : finest.cells()) EXPECT_TRUE(c.persons.has_value());
  for (const rollup_cell c : by_region.cells()) EXPECT_FALSE(c.persons.has_value());
  EXPECT_FALSE(total(free).cells()[0].persons.has_value());
}

TEST(PersonFree, RoundTripsBitIdenticallyAndHoldsNoPersonHash) {
  const aggregator a = sample(true);
  const aggregator free = person_free(a);
  const std::vector<std::uint8_t> bytes = write_state(free);
  EXPECT_EQ(bytes.size(), state_size(free));
  const aggregator back = read_state(bytes);
  EXPECT_TRUE(back.is_person_free());
  EXPECT_EQ(write_state(back), bytes);
  const auto x = cube(free), y = cube(back);
  for (std::size_t t = 0; t < x.size(); ++t)
    for (std::size_t i = 0; i < x[t].cells().size(); ++i) EXPECT_EQ(x[t].cells()[i].persons, y[t].cells()[i].persons);
  // No 8-byte person hash of the original appears anywhere in the bytes.
  std::size_t hashes = 0;
  for (std::uint32_t slot = 0; slot < a.cells().slot_count(); ++slot)
    for (const std::uint64_t h : a.cells().persons(slot).hashes()) {
      ++hashes;
      std::uint8_t pattern[8];
      std::memcpy(pattern, &h, 8);
      EXPECT_EQ(std::search(bytes.begin(), bytes.end(), pattern, pattern + 8), bytes.end());
    }
  EXPECT_GT(hashes, 300u);
  // The same holds for a person-free state of chosen groupings.
  const std::uint64_t region[] = {0b10};
  const auto partial = write_state(person_free(a, region));
  EXPECT_EQ(write_state(read_state(partial)), partial);
}

TEST(PersonFree, TakesNoRecordsAndIsNeverMerged) {
  aggregator free = person_free(sample(true));
  aggregator other = sample(true);
  const std::int32_t codes[2] = {2, 1}, outcome[1] = {1};
  const double values[2] = {1, 1};
  expect_usage_error([&] { free.add({codes, outcome, values, person_id{}}); }, "person-free");
  expect_usage_error([&] { free.add({codes, outcome, values, person_id{std::uint64_t{3}}}); }, "person-free");
  expect_usage_error([&] { (void)free.add_batch(testing::record_columns(testing::random_records(free.schema_ref(), 10, 1, 5)).batch(false)); },
                     "person-free");
  expect_usage_error([&] { free.add_anonymous(iso5218::female, 1); }, "person-free");
  expect_usage_error([&] { free.merge(other); }, "cannot merge a person-free state");
  expect_usage_error([&] { other.merge(free); }, "cannot merge a person-free state");
  aggregator free2 = person_free(sample(true));
  expect_usage_error([&] { free.merge(free2); }, "the same person may be in both");
  // Nothing changed.
  EXPECT_EQ(write_state(free), write_state(person_free(sample(true))));
  // A key given on reading is refused: there are no hashes to check it against.
  expect_usage_error([&] { (void)read_state(write_state(free), {bad_record_policy::reject, testing::test_key()}); }, "person-free");
}

TEST(PersonFree, RefusesWhatItCannotFreeze) {
  expect_usage_error([] { (void)person_free(sample(false)); }, "does not count persons");
  expect_usage_error([] { (void)person_free(person_free(sample(true))); }, "person-free already");
  const std::uint64_t beyond[] = {0b100};
  expect_usage_error([&] { (void)person_free(sample(true), beyond); }, "names a dimension");
  const std::uint64_t twice[] = {1, 1};
  expect_usage_error([&] { (void)person_free(sample(true), twice); }, "given twice");
}

// The frozen section of a state frozen for the finest grouping only (sex x region: mask 3) is
// its last bytes before the checksum: the grouping count, the mask, the cell count, then per
// cell two u32 level indices and a u64 count.
TEST(PersonFree, TheReaderChecksEveryFrozenCount) {
  const aggregator a = sample(true);
  const std::uint64_t finest[] = {0b11};
  const aggregator free = person_free(a, finest);
  const std::vector<std::uint8_t> good = write_state(free);
  const std::size_t cells = free.frozen()->groupings()[0].cells();
  const std::size_t section = good.size() - 16 - (24 + 16 * cells);
  const std::size_t first_cell = section + 24, first_persons = first_cell + 8;
  ASSERT_EQ(read_state(good).frozen()->groupings()[0].persons[0], free.frozen()->groupings()[0].persons[0]);
  auto bytes = good;
  put(bytes, first_persons, 1u << 30);
  reseal(bytes);
  expect_invalid(bytes, "impossible for its");
  bytes = good;
  put(bytes, first_persons, 0);
  reseal(bytes);
  expect_invalid(bytes, "impossible for its");
  bytes = good;
  put(bytes, first_cell, 1, 4);  // the first cell's sex level changed: not the state's cell
  reseal(bytes);
  expect_invalid(bytes, "not the state's cells");
  bytes = good;
  put(bytes, section + 8, 0b111);
  reseal(bytes);
  expect_invalid(bytes, "names a dimension");
  bytes = good;
  put(bytes, section + 8, 0b01);  // a real grouping, but not the finest, and its cells differ
  reseal(bytes);
  expect_invalid(bytes, "cells");
  bytes = good;
  put(bytes, section, 0);
  reseal(bytes);
  expect_invalid(bytes, "groupings of frozen persons announced");
  bytes = good;
  put(bytes, section + 16, cells + 1);
  reseal(bytes);
  expect_invalid(bytes, "cells");
  // Both person flags at once.
  bytes = good;
  put(bytes, 12, 3, 4);
  reseal(bytes);
  expect_invalid(bytes, "both hold person hashes and be person-free");
  // Truncating the section anywhere is an error, never an out-of-bounds read.
  for (std::size_t cut = section; cut < good.size() - 16; cut += 5) {
    std::vector<std::uint8_t> shorter(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut));
    shorter.resize(cut + 16);
    const std::uint64_t body = cut - 24;
    put(shorter, 16, body);
    reseal(shorter);
    EXPECT_THROW((void)read_state(shorter), state_format_error);
  }
}

}  // namespace
}  // namespace jamstat
