#include "jamstat/engine/person_key.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/person_set.hpp"
#include "test_schemas.hpp"

namespace jamstat {
namespace {

std::array<std::uint8_t, 16> key_00_to_0f() {
  std::array<std::uint8_t, 16> k{};
  for (std::size_t i = 0; i < 16; ++i) k[i] = static_cast<std::uint8_t>(i);
  return k;
}

// Reference: SipHash-2-4 test vectors from Aumasson & Bernstein, "SipHash: a fast short-input
// PRF" (2012), Appendix A and the authors' vectors.h: key 00..0f, message 00..0e (15 bytes)
// gives a129ca6149be45e5; the empty message gives 726fdb47dd0e0e31; 00..07 gives 93f5f5799a932462.
TEST(PersonKey, IsSipHash24PerThePublishedTestVectors) {
  const person_key key(key_00_to_0f());
  std::vector<std::uint8_t> msg;
  EXPECT_EQ(key.hash(std::span<const std::uint8_t>(msg)), 0x726fdb47dd0e0e31ull);
  for (std::uint8_t i = 0; i < 8; ++i) msg.push_back(i);
  EXPECT_EQ(key.hash(std::span<const std::uint8_t>(msg)), 0x93f5f5799a932462ull);
  for (std::uint8_t i = 8; i < 15; ++i) msg.push_back(i);
  EXPECT_EQ(key.hash(std::span<const std::uint8_t>(msg)), 0xa129ca6149be45e5ull);
}

TEST(PersonKey, IntegerIdsHashAsTheirEightLittleEndianBytes) {
  const person_key key(key_00_to_0f());
  // 0x0706050403020100 has the bytes 00..07 in little-endian order (vector above).
  EXPECT_EQ(key.hash(std::uint64_t{0x0706050403020100ull}), 0x93f5f5799a932462ull);
  EXPECT_EQ(key.hash(std::uint64_t{4006037207u}), key.hash(static_cast<std::uint64_t>(std::uint32_t{4006037207u})));
  EXPECT_NE(key.hash(std::uint64_t{42}), key.hash(std::string_view("42")));
}

// The inline and vector-lane SipHash of integer ids (src/engine/siphash24.hpp) against libsodium's
// crypto_shorthash of the same 8 little-endian bytes, for random ids under random keys, at every
// run length around the lane width (the scalar tail included).
TEST(PersonKey, IntegerHashingInLanesEqualsLibsodiumOnRandomIdsAndKeys) {
  std::mt19937_64 rng(5218);
  for (int k = 0; k < 8; ++k) {
    std::array<std::uint8_t, 16> bytes{};
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    const person_key key(bytes);
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{8}, std::size_t{9}, std::size_t{17},
                          std::size_t{1000}}) {
      std::vector<std::uint64_t> ids64(n), got64(n), got32(n);
      std::vector<std::uint32_t> ids32(n);
      for (std::size_t i = 0; i < n; ++i) {
        ids64[i] = rng();
        ids32[i] = static_cast<std::uint32_t>(rng());
      }
      key.hash_many(std::span<const std::uint64_t>(ids64), got64.data());
      key.hash_many(std::span<const std::uint32_t>(ids32), got32.data());
      for (std::size_t i = 0; i < n; ++i) {
        std::uint8_t le[8], le32[8];
        for (int b = 0; b < 8; ++b) {
          le[b] = static_cast<std::uint8_t>(ids64[i] >> (8 * b));
          le32[b] = static_cast<std::uint8_t>(std::uint64_t{ids32[i]} >> (8 * b));
        }
        const std::uint64_t want = key.hash(std::span<const std::uint8_t>(le, 8));  // libsodium
        ASSERT_EQ(got64[i], want) << "n=" << n << " i=" << i;
        ASSERT_EQ(key.hash(ids64[i]), want);
        ASSERT_EQ(got32[i], key.hash(std::span<const std::uint8_t>(le32, 8))) << "n=" << n << " i=" << i;
      }
    }
  }
}

TEST(PersonKey, DifferentKeysGiveDifferentHashesAndKeyChecks) {
  const person_key a = testing::test_key(1), b = testing::test_key(2);
  EXPECT_NE(a.hash(std::string_view("19121212-1212")), b.hash(std::string_view("19121212-1212")));
  EXPECT_NE(a.key_check(), b.key_check());
  EXPECT_EQ(a.key_check(), testing::test_key(1).key_check());
}

TEST(PersonKey, FromBytesNeedsSixteenBytes) {
  const std::uint8_t short_key[15] = {};
  EXPECT_THROW(person_key::from_bytes(short_key), usage_error);
  const std::uint8_t good[16] = {};
  EXPECT_EQ(person_key::from_bytes(good).key_check(), person_key({}).key_check());
}

// The sort behind compaction sorts uniform hashes on their top bits and finishes with an
// insertion sort (with a fallback for data that is not uniform); the union count walks sorted
// sets bucket by bucket with 0 as its empty marker. Both against std::set.
TEST(PersonSet, CompactionAndUnionCountEqualStdSetOnLargeSets) {
  std::mt19937_64 rng(11);
  std::vector<person_set> sets(7);
  std::set<std::uint64_t> all;
  for (std::size_t k = 0; k < sets.size(); ++k) {
    const std::size_t n = k == 0 ? 300 : 20'000 * k;
    std::set<std::uint64_t> mine;
    for (std::size_t i = 0; i < n; ++i) {
      // Uniform hashes, repeats within the set and across sets, and the value 0.
      const std::uint64_t v = i % 5 == 0 ? (rng() % 4096) * 0x9E3779B97F4A7C15ull : rng();
      sets[k].append(v);
      mine.insert(v);
      all.insert(v);
    }
    sets[k].append(0);
    mine.insert(0);
    all.insert(0);
    sets[k].compact();
    ASSERT_TRUE(std::equal(sets[k].hashes().begin(), sets[k].hashes().end(), mine.begin(), mine.end())) << "set " << k;
  }
  std::vector<const person_set*> pointers;
  for (const person_set& s : sets) pointers.push_back(&s);
  EXPECT_EQ(count_distinct_union(pointers), all.size());

  // Not uniform at all (small integers, descending, sharing their top bits): still sorted.
  person_set skewed;
  std::set<std::uint64_t> want;
  for (std::uint64_t i = 50'000; i > 0; --i) {
    skewed.append(i * 3);
    want.insert(i * 3);
  }
  skewed.compact();
  EXPECT_TRUE(std::equal(skewed.hashes().begin(), skewed.hashes().end(), want.begin(), want.end()));
}

TEST(PersonSet, CountsDistinctAndStaysCompact) {
  person_set s;
  for (int round = 0; round < 10; ++round)
    for (std::uint64_t h = 0; h < 1000; ++h) s.insert(h * 2654435761u);
  EXPECT_LE(s.hashes().size(), 2 * 1000u + 64u);  // never more than ~twice the distinct count
  EXPECT_EQ(s.size(), 1000u);
  EXPECT_TRUE(s.is_compact());
  person_set t;
  for (std::uint64_t h = 500; h < 1500; ++h) t.insert(h * 2654435761u);
  const person_set* both[] = {&s, &t};
  EXPECT_EQ(count_distinct_union(both), 1500u);
  s.merge(t);
  EXPECT_EQ(s.size(), 1500u);
}

TEST(PersonSet, MergingEqualsStdSetUnionWhetherCompactOrNot) {
  // Two compact sets merge by one linear union; a set with an unsorted tail goes the append and
  // compact way. Both must give the union, sorted and without duplicates.
  std::mt19937_64 rng(5);
  for (const bool compact_first : {true, false}) {
    person_set a, b;
    std::set<std::uint64_t> want;
    for (int i = 0; i < 30000; ++i) {
      const std::uint64_t h = rng() % 50000;  // overlaps within and across the sets
      (i % 3 ? a : b).append(h);
      want.insert(h);
    }
    b.compact();
    if (compact_first) a.compact();
    a.merge(b);
    a.compact();
    ASSERT_TRUE(a.is_compact());
    EXPECT_EQ(a.size(), want.size());
    EXPECT_TRUE(std::equal(a.hashes().begin(), a.hashes().end(), want.begin(), want.end()));
  }
}

}  // namespace
}  // namespace jamstat
