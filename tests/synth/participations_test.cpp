// The project's own generator reproduces the reference data set of shared/peers/README.md, and
// jamstat's results on it match the realised figures given there.
#include "jamstat/synth/participations.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "jamstat/jamstat.hpp"
#include "../engine/test_schemas.hpp"

namespace jamstat {
namespace {

std::string hex(const unsigned char* bytes, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

template <class T>
std::uint64_t fnv(const std::vector<T>& v) {
  return synth::fnv1a64({reinterpret_cast<const std::uint8_t*>(v.data()), v.size() * sizeof(T)});
}

const synth::participations& one_million() {
  static const synth::participations p = synth::generate(1000000);
  return p;
}

// Reference: shared/peers/README.md, "Reference hashes (seed 5218)", N = 1,000,000.
TEST(SyntheticParticipations, MatchesTheReferenceHashes) {
  const auto& p = one_million();
  EXPECT_EQ(fnv(p.hours), 0xaa334328dd2433dbull);
  EXPECT_EQ(fnv(p.person_id), 0xbf065c6cc2e934c3ull);
  const std::string csv = synth::to_csv(p);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(csv.data()), csv.size());
  EXPECT_EQ(hex(digest, sizeof digest), "d47dfeb56dac464c10045446bfe07ef4265c4684fc6f5ce4bec9c54ec1698803");
  EXPECT_EQ(csv.substr(0, 73), "person_id,sex,age_band,birth_region,education,intervention,outcome,hours\n");
}

// Reference: shared/peers/README.md, "Realised at N = 1,000,000" and the Job A cell counts.
TEST(SyntheticParticipations, AggregatesToThePublishedRealisedFigures) {
  const auto& p = one_million();
  aggregator agg(synth::participation_schema(), {bad_record_policy::reject, testing::test_key()});
  const batch_result r = agg.add_batch(synth::as_batch(p));
  EXPECT_EQ(r.accepted, 1000000u);
  const schema& s = agg.schema_ref();
  const rollup_table by_sex = rollup(agg, grouping_set::of(s, {}));
  ASSERT_EQ(by_sex.cells().size(), 3u);
  EXPECT_EQ(by_sex.cells()[0].participations, 19663u);   // sex 0
  EXPECT_EQ(by_sex.cells()[1].participations, 470490u);  // sex 1
  EXPECT_EQ(by_sex.cells()[2].participations, 509847u);  // sex 2
  const rollup_table all_table = total(agg);
  const rollup_cell all = all_table.cells()[0];
  EXPECT_EQ(*all.persons, 625000u);
  EXPECT_NEAR(all.proportion(0), 0.476, 0.0005);
  EXPECT_NEAR(all.numerics[0].mean(), 256.7, 0.05);
  EXPECT_EQ(all.numerics[0].min(), 0.25);
  EXPECT_NEAR(all.numerics[0].max(), 30436.0, 0.5);  // README rounds to whole hours
  // Job A: 2,551 non-empty finest cells, 7,232 cells over all 32 groupings.
  const auto tables = cube(agg);
  ASSERT_EQ(tables.size(), 32u);
  EXPECT_EQ(tables.back().cells().size(), 2551u);
  std::size_t cells = 0;
  for (const auto& t : tables) cells += t.cells().size();
  EXPECT_EQ(cells, 7232u);
}

TEST(SyntheticParticipations, IsAPureFunctionOfNAndSeed) {
  const auto a = synth::generate(5000, 1), b = synth::generate(5000, 1), c = synth::generate(5000, 2);
  EXPECT_EQ(a.hours, b.hours);
  EXPECT_EQ(a.person_id, b.person_id);
  EXPECT_NE(a.hours, c.hours);
  EXPECT_EQ(a.distinct_persons, 3125u);
  EXPECT_THROW(synth::generate(0), std::invalid_argument);
}

}  // namespace
}  // namespace jamstat
