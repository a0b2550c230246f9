// The adapter from an engine state: the table set agrees with the engine's roll-ups, and
// protection of merged states does not depend on the order of the merge.
#include <gtest/gtest.h>

#include <random>

#include "jamstat/disclosure/cell_key.hpp"
#include "jamstat/disclosure/state_tables.hpp"
#include "jamstat/disclosure/suppression.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/person_free.hpp"
#include "jamstat/engine/rollup.hpp"

namespace jamstat::disclosure {
namespace {

std::shared_ptr<const schema> region_age_schema() {
  return std::make_shared<const schema>(
      std::vector<dimension>{dimension("region", {{1, "Norr", "North"}, {2, "Mitt", "Middle"}, {3, "Söder", "South"}}),
                             dimension("age", {{1, "16-24", "16-24"}, {2, "25-54", "25-54"}, {3, "55-", "55-"}})},
      std::vector<outcome>{{"work", "I arbete", "In work"}},
      std::vector<numeric_measure>{{"hours", "h", "Timmar", "Hours"}});
}

person_key key() {
  std::array<std::uint8_t, 16> k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(40 + i);
  return person_key(k);
}

// Adds records first..last-1 of a fixed random sequence (persons recur with several participations).
void add_records(aggregator& a, std::uint64_t first, std::uint64_t last) {
  std::mt19937_64 rng(42);
  for (std::uint64_t i = 0; i < last; ++i) {
    const std::int32_t codes[3] = {static_cast<std::int32_t>(1 + rng() % 2), static_cast<std::int32_t>(1 + rng() % 3),
                                   static_cast<std::int32_t>(1 + (rng() % 7) / 3)};
    const std::int32_t outcome[1] = {static_cast<std::int32_t>(rng() % 3 == 0)};
    const double hours[1] = {static_cast<double>(rng() % 400) / 4.0};
    const std::uint64_t person = rng() % 120;
    if (i < first) continue;
    a.add({codes, outcome, hours, person});
  }
}

aggregator state(std::uint64_t first, std::uint64_t last) {
  aggregator a(region_age_schema(), aggregator_options{bad_record_policy::reject, key()});
  add_records(a, first, last);
  return a;
}

const std::vector<std::uint64_t> all_masks = {0, 1, 2, 3, 4, 5, 6, 7};

TEST(StateTables, PersonsAgreeWithTheEngineRollups) {
  const aggregator a = state(0, 300);
  const table_set by_hashes = tables_from_state(a, all_masks);
  const table_set by_counts = tables_from_state(a, all_masks, person_handover::counts);
  EXPECT_TRUE(by_hashes.has_person_hashes);
  EXPECT_FALSE(by_counts.has_person_hashes);
  ASSERT_EQ(by_counts.grouping_persons.size(), 8u);
  // The frozen counts are the engine's distinct persons, and both hand-overs give the same pattern.
  const rollup_table region = rollup(a, grouping_set::from_mask(a.schema_ref(), 0b011));
  for (const rollup_cell& c : region.cells())
    EXPECT_EQ(by_counts.grouping_persons[3][c.levels[0] * 3 + c.levels[1]], *c.persons);
  const suppression_pattern p1 = primary_suppression(by_hashes), p2 = primary_suppression(by_counts);
  EXPECT_EQ(p1.counts, p2.counts);
  EXPECT_EQ(p1.outcomes, p2.outcomes);
  EXPECT_EQ(p1.measures, p2.measures);
  // Finest cells: participations add up to the state's.
  std::uint64_t n = 0;
  for (const auto& c : by_hashes.cells) n += c.participations;
  EXPECT_EQ(n, a.participations());
}

// A person-free state hands over its frozen counts: the same table set, persons for persons, as
// the state with hashes handing over counts, and the same protection.
TEST(StateTables, APersonFreeStateGivesTheSameTablesAsItsOriginal) {
  const aggregator a = state(0, 300);
  const aggregator free = person_free(a);
  const table_set by_counts = tables_from_state(a, all_masks, person_handover::counts);
  const table_set by_frozen = tables_from_state(free, all_masks);
  EXPECT_TRUE(by_frozen.persons_counted);
  EXPECT_FALSE(by_frozen.has_person_hashes);
  EXPECT_EQ(by_frozen.grouping_persons, by_counts.grouping_persons);
  ASSERT_EQ(by_frozen.cells.size(), by_counts.cells.size());
  for (std::size_t i = 0; i < by_frozen.cells.size(); ++i) {
    EXPECT_EQ(by_frozen.cells[i].levels, by_counts.cells[i].levels);
    EXPECT_EQ(by_frozen.cells[i].persons, by_counts.cells[i].persons);
  }
  const suppression_result p1 = protect_by_suppression(by_counts), p2 = protect_by_suppression(by_frozen);
  EXPECT_EQ(p1.pattern.counts, p2.pattern.counts);
  EXPECT_EQ(p1.pattern.outcomes, p2.pattern.outcomes);
  // A grouping whose persons were not frozen cannot be published by persons: said, not guessed.
  const std::uint64_t sex_only[] = {0b001};
  const aggregator partial = person_free(a, sex_only);
  EXPECT_NO_THROW((void)tables_from_state(partial, std::vector<std::uint64_t>{0b001, 0b111}));
  try {
    (void)tables_from_state(partial, std::vector<std::uint64_t>{0b001, 0b011});
    ADD_FAILURE() << "an unfrozen grouping was accepted";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("did not freeze"), std::string::npos) << e.what();
  }
}

TEST(StateTables, ProtectionDoesNotDependOnMergeOrder) {
  aggregator whole = state(0, 300);
  aggregator ab = state(0, 140), b = state(140, 300);
  ab.merge(b);
  aggregator ba = state(140, 300), a2 = state(0, 140);
  ba.merge(a2);
  cell_key_options o;
  o.secret = {9, 8, 7, 6, 5, 4, 3, 2, 1, 9, 8, 7, 6, 5, 4, 3};
  const perturbed_tables r0 = protect_by_cell_key(tables_from_state(whole, all_masks), o);
  const perturbed_tables r1 = protect_by_cell_key(tables_from_state(ab, all_masks), o);
  const perturbed_tables r2 = protect_by_cell_key(tables_from_state(ba, all_masks), o);
  EXPECT_EQ(r0.cell_key, r1.cell_key);
  EXPECT_EQ(r0.cell_key, r2.cell_key);
  EXPECT_EQ(r0.persons, r2.persons);
  EXPECT_EQ(r0.participations, r1.participations);
  EXPECT_EQ(r0.successes, r2.successes);
  const suppression_result s1 = protect_by_suppression(tables_from_state(ab, all_masks));
  const suppression_result s2 = protect_by_suppression(tables_from_state(ba, all_masks));
  EXPECT_EQ(s1.pattern.counts, s2.pattern.counts);
  EXPECT_EQ(s1.audit.under_protected, 0u);
}

TEST(StateTables, LocateAndStatusAnswerTheReportsQuestions) {
  const aggregator a = state(0, 300);
  const table_set t = tables_from_state(a, std::vector<std::uint64_t>{0b011, 0b001, 0});
  const suppression_result r = protect_by_suppression(t);
  const std::uint32_t women_south[2] = {2, 2};  // sex level 2 (Kvinnor), region level 2
  const published_cell at = locate(t, 0b011, women_south);
  EXPECT_EQ(at.grouping, 0u);
  EXPECT_EQ(at.number, 2u * 3u + 2u);
  const std::uint32_t women[1] = {2};
  EXPECT_EQ(locate(t, 0b001, women).number, 12u + 2u);
  EXPECT_EQ(locate(t, 0, {}).number, 16u);
  EXPECT_EQ(status_of(r.pattern, at.number, statistic_family::count), r.pattern.counts[at.number]);
  EXPECT_THROW(locate(t, 0b111, women), usage_error);   // not published
  EXPECT_THROW(locate(t, 0b001, women_south), usage_error);  // wrong number of levels
  EXPECT_THROW(status_of(r.pattern, at.number, statistic_family::outcome, 3), usage_error);
}

TEST(StateTables, NegativeMeasuresAreRefused) {
  aggregator a(region_age_schema(), aggregator_options{bad_record_policy::reject, key()});
  const std::int32_t codes[3] = {1, 1, 1}, outcome[1] = {0};
  const double hours[1] = {-3.0};
  a.add({codes, outcome, hours, std::uint64_t{1}});
  EXPECT_THROW(tables_from_state(a, all_masks), usage_error);
}

TEST(StateTables, WithoutPersonsCountsAreParticipations) {
  aggregator a(region_age_schema());
  std::mt19937_64 rng(1);
  for (int i = 0; i < 50; ++i) {
    const std::int32_t codes[3] = {2, static_cast<std::int32_t>(1 + rng() % 3), 1}, outcome[1] = {1};
    const double hours[1] = {1.0};
    a.add({codes, outcome, hours, {}});
  }
  const table_set t = tables_from_state(a, all_masks);
  EXPECT_FALSE(t.persons_counted);
  for (const auto& c : t.cells) EXPECT_EQ(c.persons, c.participations);
}

}  // namespace
}  // namespace jamstat::disclosure
