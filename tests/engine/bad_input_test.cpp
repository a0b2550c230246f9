// Every bad-input path: what is rejected, with which message, and what the state looks like after.
#include <gtest/gtest.h>

#include "jamstat/jamstat.hpp"
#include "reference_aggregation.hpp"
#include "test_schemas.hpp"

namespace jamstat {
namespace {

struct bad_case {
  const char* name;
  std::int32_t sex, region, work;
  double hours;
  bool with_person;
  rejection_reason reason;
  std::size_t field;
  const char* message;
};

const bad_case bad_cases[] = {
    {"missing sex", -1, 1, 0, 1.0, true, rejection_reason::sex_missing, 0,
     "dimension 'sex': code is missing (-1); expected one of 0, 1, 2, 9 (ISO/IEC 5218)"},
    {"sex not ISO 5218", 3, 1, 0, 1.0, true, rejection_reason::sex_not_iso5218, 0,
     "dimension 'sex': code 3 is not a level; expected one of 0, 1, 2, 9 (ISO/IEC 5218)"},
    {"missing region", 2, -1, 0, 1.0, true, rejection_reason::code_missing, 1, "dimension 'region': code is missing (-1)"},
    {"unknown region", 2, 7, 0, 1.0, true, rejection_reason::code_unknown, 1,
     "dimension 'region': code 7 is not a level; expected one of 1, 2"},
    {"outcome 2", 2, 1, 2, 1.0, true, rejection_reason::outcome_not_binary, 2, "outcome 'work': value 2 is not 0 or 1"},
    {"outcome -1", 2, 1, -1, 1.0, true, rejection_reason::outcome_not_binary, 2, "outcome 'work': value -1 is not 0 or 1"},
    {"NaN hours", 2, 1, 0, NAN, true, rejection_reason::measure_not_finite, 3,
     "numeric measure 'hours': value NaN is not a finite number"},
    {"infinite hours", 2, 1, 0, INFINITY, true, rejection_reason::measure_not_finite, 3,
     "numeric measure 'hours': value +infinity is not a finite number"},
    {"-infinite hours", 2, 1, 0, -INFINITY, true, rejection_reason::measure_not_finite, 3, "value -infinity"},
    {"no person id", 2, 1, 0, 1.0, false, rejection_reason::person_id_missing, 5,
     "person_id is missing, but this aggregator counts distinct persons"},
};

class BadRecord : public ::testing::TestWithParam<bad_case> {};

TEST_P(BadRecord, RejectPolicyThrowsAPreciseErrorAndLeavesTheStateUnchanged) {
  const bad_case& c = GetParam();
  aggregator agg(testing::small_schema(), {bad_record_policy::reject, testing::test_key()});
  const std::int32_t codes[2] = {c.sex, c.region}, outcome[1] = {c.work};
  const double values[2] = {c.hours, 5.0};
  const person_id person = c.with_person ? person_id{std::uint64_t{7}} : person_id{};
  try {
    agg.add({codes, outcome, values, person});
    FAIL() << "no input_error for " << c.name;
  } catch (const input_error& e) {
    EXPECT_EQ(e.reason(), c.reason);
    EXPECT_EQ(e.field(), c.field);
    EXPECT_EQ(e.row(), 0u);
    EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
  }
  EXPECT_EQ(agg.participations(), 0u);
  EXPECT_EQ(agg.rejected().total(), 0u);
  EXPECT_EQ(total(agg).cells()[0].participations, 0u);
}

TEST_P(BadRecord, TallyPolicyCountsTheRecordByReasonAndField) {
  const bad_case& c = GetParam();
  aggregator agg(testing::small_schema(), {bad_record_policy::tally, testing::test_key()});
  const std::int32_t codes[2] = {c.sex, c.region}, outcome[1] = {c.work};
  const double values[2] = {c.hours, 5.0};
  const person_id person = c.with_person ? person_id{std::uint64_t{7}} : person_id{};
  EXPECT_FALSE(agg.add({codes, outcome, values, person}));
  EXPECT_EQ(agg.rejected().total(), 1u);
  EXPECT_EQ(agg.rejected().by_reason(c.reason), 1u);
  EXPECT_EQ(agg.rejected().by_field(c.field), 1u);
  EXPECT_EQ(agg.rejected().at(c.reason, c.field), 1u);
  EXPECT_EQ(agg.participations(), 0u);
  EXPECT_EQ(total(agg).cells()[0].participations, 0u);
}

TEST_P(BadRecord, BatchReportsTheRowUnderBothPolicies) {
  const bad_case& c = GetParam();
  // 3,000 good rows with the bad one at row 2,500 (third block).
  auto records = testing::random_records(*testing::small_schema(), 3000, 17);
  records[2500].codes = {c.sex, c.region};
  records[2500].outcomes = {c.work};
  records[2500].numerics[0] = c.hours;
  std::vector<std::string> ids;
  for (const auto& r : records) ids.push_back("p" + std::to_string(r.person));
  if (!c.with_person) ids[2500].clear();
  std::vector<std::string_view> id_views(ids.begin(), ids.end());
  const testing::record_columns columns(records);
  column_batch batch = columns.batch(false);
  batch.persons = std::span<const std::string_view>(id_views);

  aggregator strict(testing::small_schema(), {bad_record_policy::reject, testing::test_key()});
  try {
    strict.add_batch(batch);
    FAIL() << "no input_error for " << c.name;
  } catch (const input_error& e) {
    EXPECT_EQ(e.row(), 2500u);
    EXPECT_EQ(e.reason(), c.reason);
    EXPECT_NE(std::string(e.what()).find("row 2500: "), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
  }
  // All-or-nothing: not even the 2,500 good rows before it were added.
  EXPECT_EQ(strict.participations(), 0u);
  EXPECT_EQ(total(strict).cells()[0].participations, 0u);

  aggregator lenient(testing::small_schema(), {bad_record_policy::tally, testing::test_key()});
  const batch_result result = lenient.add_batch(batch);
  EXPECT_EQ(result.accepted, 2999u);
  EXPECT_EQ(result.rejected, 1u);
  ASSERT_TRUE(result.first_rejected.has_value());
  EXPECT_EQ(result.first_rejected->row, 2500u);
  EXPECT_EQ(result.first_rejected->reason, c.reason);
  EXPECT_EQ(result.first_rejected->field, c.field);
  EXPECT_EQ(lenient.rejected().at(c.reason, c.field), 1u);
  EXPECT_EQ(total(lenient).cells()[0].participations, 2999u);
  // The 2,999 good rows are aggregated exactly as if the bad one had never been there.
  records.erase(records.begin() + 2500);
  aggregator clean(testing::small_schema());
  for (const auto& r : records) clean.add(r.view_for(clean));
  EXPECT_EQ(testing::as_vector(total(lenient).cells()[0].successes), testing::as_vector(total(clean).cells()[0].successes));
  EXPECT_NEAR(total(lenient).cells()[0].numerics[0].sample_variance(), total(clean).cells()[0].numerics[0].sample_variance(), 1e-9);
}

INSTANTIATE_TEST_SUITE_P(AllReasons, BadRecord, ::testing::ValuesIn(bad_cases),
                         [](const ::testing::TestParamInfo<bad_case>& param_info) {
                           std::string n = param_info.param.name;
                           for (char& ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

TEST(BadInput, ARecordWithSeveralBadFieldsIsCountedOnceUnderTheFirst) {
  aggregator agg(testing::small_schema(), {bad_record_policy::tally, std::nullopt});
  const std::int32_t codes[2] = {2, 9}, outcome[1] = {5};
  const double values[2] = {NAN, NAN};
  agg.add({codes, outcome, values, {}});
  EXPECT_EQ(agg.rejected().total(), 1u);
  EXPECT_EQ(agg.rejected().at(rejection_reason::code_unknown, 1), 1u);
  EXPECT_EQ(agg.rejected().by_reason(rejection_reason::outcome_not_binary), 0u);
}

TEST(BadInput, WrongShapesAreUsageErrorsNamingTheColumn) {
  aggregator agg(testing::small_schema(), {bad_record_policy::tally, testing::test_key()});
  const std::int32_t codes[1] = {2}, outcome[1] = {1};
  const double values[2] = {1, 1};
  EXPECT_THROW(agg.add({codes, outcome, values, std::uint64_t{1}}), usage_error);

  const auto records = testing::random_records(*testing::small_schema(), 10, 1);
  const testing::record_columns columns(records);
  column_batch missing_column = columns.batch(true);
  missing_column.numerics.pop_back();
  EXPECT_THROW(agg.add_batch(missing_column), usage_error);

  column_batch short_column = columns.batch(true);
  short_column.numerics[1] = std::span<const double>(columns.numerics[1].data(), 9);
  try {
    agg.add_batch(short_column);
    FAIL();
  } catch (const usage_error& e) {
    EXPECT_STREQ(e.what(), "batch column 'cost' has 9 values; the batch has 10 rows");
  }
  column_batch no_persons = columns.batch(false);
  EXPECT_THROW(agg.add_batch(no_persons), usage_error);
  EXPECT_EQ(agg.participations(), 0u);  // nothing added by any of these
  EXPECT_EQ(agg.rejected().total(), 0u);
}

TEST(BadInput, AnonymousParticipantsNeedAnIso5218Code) {
  aggregator agg(testing::small_schema());
  EXPECT_THROW(agg.add_anonymous(4, 10), input_error);
  EXPECT_THROW(agg.add_anonymous(-1, 10), input_error);
  EXPECT_EQ(total(agg).cells()[0].anonymous_participants, 0u);
}

TEST(BadInput, GroupingSetsNamingUnknownOrRepeatedDimensionsFail) {
  const auto s = testing::small_schema();
  EXPECT_THROW(grouping_set::of(*s, {"municipality"}), usage_error);
  EXPECT_THROW(grouping_set::of(*s, {"region", "region"}), usage_error);
  EXPECT_THROW(grouping_set::of(*s, {"sex"}, sex_grouping::drop), usage_error);
  EXPECT_THROW(grouping_set::from_indices(*s, {0, 2}), usage_error);
  EXPECT_THROW(grouping_set::from_mask(*s, 0b100), usage_error);
  EXPECT_EQ(grouping_set::of(*s, {"region"}).dimensions(), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(grouping_set::of(*s, {"sex", "region"}).dimensions(), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(grouping_set::of(*s, {"region"}, sex_grouping::drop).dimensions(), (std::vector<std::size_t>{1}));
}

}  // namespace
}  // namespace jamstat
