#include "jamstat/engine/schema.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/iso5218.hpp"
#include "jamstat/synth/participations.hpp"
#include "test_schemas.hpp"

namespace jamstat {
namespace {

TEST(Iso5218, SexIsBuiltInWithTheFourCodesAndBothLanguages) {
  const schema s({}, {}, {});
  ASSERT_EQ(s.dimensions().size(), 1u);
  const dimension& sex = s.dimensions()[0];
  EXPECT_EQ(sex.name(), "sex");
  ASSERT_EQ(sex.cardinality(), 4u);
  const level expected[] = {{0, "Okänt", "Not known"}, {1, "Män", "Men"}, {2, "Kvinnor", "Women"},
                            {9, "Ej tillämpligt", "Not applicable"}};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(sex.levels()[i], expected[i]);
  EXPECT_EQ(sex.index_of(iso5218::female), 2u);
  EXPECT_EQ(sex.index_of(9), 3u);
  EXPECT_FALSE(sex.index_of(3).has_value());
  EXPECT_FALSE(sex.index_of(-1).has_value());
}

TEST(Schema, FieldsAreNumberedDimensionsOutcomesMeasuresPersonId) {
  const auto s = testing::small_schema();
  EXPECT_EQ(s->field_count(), 6u);
  EXPECT_EQ(s->field_name(0), "sex");
  EXPECT_EQ(s->field_name(1), "region");
  EXPECT_EQ(s->field_name(s->outcome_field(0)), "work");
  EXPECT_EQ(s->field_name(s->numeric_field(1)), "cost");
  EXPECT_EQ(s->field_name(s->person_id_field()), "person_id");
  EXPECT_EQ(s->finest_cell_count(), 8u);
  EXPECT_EQ(s->dimension_index("region"), 1u);
  EXPECT_FALSE(s->dimension_index("nope").has_value());
}

// Reference: the canonical encoding rebuilt independently in Python and hashed with
// hashlib.blake2b(digest_size=16); the fingerprint is the first 8 bytes read little-endian.
// (python3 tests/reference/schema_fingerprint.py prints these values; the version-1 ones are
// those of states written before measure kinds existed.)
TEST(Schema, FingerprintIsStableAndMatchesAnIndependentEncoding) {
  EXPECT_EQ(testing::small_schema()->fingerprint(), 0x9ed073c44eeb86cbull);
  EXPECT_EQ(synth::participation_schema()->fingerprint(), 0x423ba094f804d4c3ull);
}

TEST(Schema, FingerprintChangesWithAnyPartOfTheDefinition) {
  const auto base = testing::small_schema();
  const schema relabelled({dimension("region", {{1, "Norr", "North"}, {2, "Syd", "South"}})},
                          base->outcomes(), base->numeric_measures());
  const schema other_unit({base->dimensions()[1]}, base->outcomes(),
                          {{"hours", "min", "Timmar", "Hours"}, {"cost", "SEK", "Kostnad", "Cost"}});
  const schema reordered({base->dimensions()[1]}, base->outcomes(),
                         {{"cost", "SEK", "Kostnad", "Cost"}, {"hours", "h", "Timmar", "Hours"}});
  EXPECT_NE(relabelled.fingerprint(), base->fingerprint());
  EXPECT_NE(other_unit.fingerprint(), base->fingerprint());
  EXPECT_NE(reordered.fingerprint(), base->fingerprint());
  EXPECT_EQ(schema({base->dimensions()[1]}, base->outcomes(), base->numeric_measures()).fingerprint(),
            base->fingerprint());
}

void expect_schema_error(const std::function<void()>& build, const std::string& fragment) {
  try {
    build();
    ADD_FAILURE() << "no schema_error; expected one mentioning: " << fragment;
  } catch (const schema_error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Schema, InvalidDefinitionsAreRejectedWithPreciseMessages) {
  expect_schema_error([] { dimension("", {{1, "a", "a"}}); }, "dimension name is empty");
  expect_schema_error([] { dimension("x", {}); }, "dimension 'x' has no levels");
  expect_schema_error([] { dimension("x", {{1, "a", "a"}, {1, "b", "b"}}); }, "level code 1 appears twice");
  expect_schema_error([] { dimension("x", {{-2, "a", "a"}}); }, "codes must be non-negative");
  expect_schema_error([] { dimension("x", {{1, "", "a"}}); }, "level code 1: Swedish label is empty");
  expect_schema_error([] { dimension("x", {{1, "a\xC3", "a"}}); }, "Swedish label is not valid UTF-8");
  expect_schema_error([] { dimension("x", {{1, "a", "\xED\xA0\x80"}}); }, "English label is not valid UTF-8");
  expect_schema_error([] { dimension("x", {{0, "a", "a"}, {2000000, "b", "b"}}); }, "codes span 0..2000000");
  expect_schema_error([] { schema({dimension("sex", {{1, "a", "a"}})}, {}, {}); }, "dimension name 'sex' is already used");
  expect_schema_error([] { schema({dimension("x", {{1, "a", "a"}})}, {{"x", "", ""}}, {}); }, "outcome name 'x' is already used");
  expect_schema_error([] { schema({}, {}, {{"person_id", "", "", ""}}); }, "numeric measure name 'person_id'");
  expect_schema_error([] { schema({}, {}, {{"h", "\xFF", "", ""}}); }, "unit is not valid UTF-8");
}

TEST(Schema, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("Kvinnor, Män, Okänt – 16–19 år"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));        // U+1F600
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));               // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));       // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));               // truncated
  EXPECT_FALSE(is_valid_utf8("\x80"));                   // lone continuation byte
}

}  // namespace
}  // namespace jamstat
