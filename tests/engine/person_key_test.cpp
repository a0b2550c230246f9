#include "jamstat/engine/person_key.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace jamstat
