/*
 * c_api_test.c -- exercises the whole C ABI from a program compiled as C11 (-Wall -Wextra
 * -Werror -pedantic), every error path included. Reference values for the statistics are R's
 * (see tests/engine/aggregator_test.cpp for the R session): 12 records, sex x region.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jamstat/jamstat.h"

#include "check.h"

static jamstat_schema *small_schema(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  const int32_t codes[2] = {1, 2};
  const char *sv[2] = {"Norr", "S\xC3\xB6" "der"};
  const char *en[2] = {"North", "South"};
  OK(jamstat_schema_builder_new(&b));
  OK(jamstat_schema_builder_add_dimension(b, "region", 2, codes, sv, en));
  OK(jamstat_schema_builder_add_outcome(b, "work", "I arbete", "In work"));
  OK(jamstat_schema_builder_add_numeric(b, "hours", "h", "Timmar", "Hours"));
  OK(jamstat_schema_builder_add_numeric(b, "cost", "SEK", "Kostnad", "Cost"));
  OK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  CHECK(b == NULL);
  return s;
}

/* The 12 records of the R reference: sex, region, work, hours, cost. */
static const double records[12][5] = {{2, 1, 1, 10.5, 1200}, {2, 1, 0, 20.25, 800}, {2, 2, 1, 7, 1500.5},
                                      {2, 2, 1, 3.5, 99.95}, {1, 1, 0, 40, 2500},    {1, 1, 1, 12.75, 300},
                                      {1, 1, 0, 8, 0},       {1, 2, 1, 100, 10000},  {0, 1, 0, 5, 50},
                                      {9, 2, 1, 1, 10},      {2, 1, 1, 30, 1000},    {1, 2, 0, 60, 7000}};

static jamstat_aggregator *new_aggregator(const jamstat_schema *s, uint32_t policy, int persons) {
  jamstat_aggregator_options o = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
  jamstat_aggregator *a = NULL;
  int i;
  o.on_bad_record = policy;
  o.count_persons = (uint32_t)persons;
  for (i = 0; i < 16; ++i) o.person_key[i] = (uint8_t)(i + 1);
  OK(jamstat_aggregator_new(s, &o, &a));
  return a;
}

static void add_r_records(jamstat_aggregator *a, int persons) {
  int i;
  for (i = 0; i < 12; ++i) {
    const int32_t codes[2] = {(int32_t)records[i][0], (int32_t)records[i][1]};
    const int32_t outcome[1] = {(int32_t)records[i][2]};
    const double values[2] = {records[i][3], records[i][4]};
    jamstat_person_id p = {JAMSTAT_PERSON_ID_INTEGER, 0, NULL, 0};
    int accepted = -1;
    p.integer = (uint64_t)(i % 7);
    OK(jamstat_aggregator_add(a, codes, 2, outcome, 1, values, 2, persons ? &p : NULL, &accepted));
    CHECK(accepted == 1);
  }
}

static void test_versions_and_status_names(void) {
  CHECK(jamstat_version_number() == JAMSTAT_VERSION_NUMBER);
  CHECK(strcmp(jamstat_version_string(), JAMSTAT_VERSION_STRING) == 0);
  CHECK(jamstat_abi_version() == JAMSTAT_ABI_VERSION);
  CHECK(strcmp(jamstat_status_name(JAMSTAT_ERROR_BAD_RECORD), "JAMSTAT_ERROR_BAD_RECORD") == 0);
  CHECK(strcmp(jamstat_status_name(999), "JAMSTAT_UNKNOWN_STATUS") == 0);
  CHECK(strcmp(jamstat_rejection_reason_name(JAMSTAT_REJECTED_CODE_UNKNOWN), "code_unknown") == 0);
  CHECK(strcmp(jamstat_rejection_reason_name(77), "") == 0);
}

static void test_schema(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL, *s2 = NULL;
  const int32_t dup[2] = {1, 1}, codes[2] = {1, 2};
  const char *sv[2] = {"a", "b"}, *en[2] = {"a", "b"}, *bad_utf8[2] = {"a", "b\xC3"}, *with_null[2] = {"a", NULL};
  size_t n = 0, idx = 0;
  const char *name = NULL, *lsv = NULL, *len = NULL;
  int32_t code = 0;
  uint64_t fp1 = 0, fp2 = 0;

  FAILS(jamstat_schema_builder_new(NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out is NULL");
  OK(jamstat_schema_builder_new(&b));
  FAILS(jamstat_schema_builder_add_dimension(b, NULL, 2, codes, sv, en), JAMSTAT_ERROR_NULL_ARGUMENT, "name is NULL");
  FAILS(jamstat_schema_builder_add_dimension(b, "x", 2, dup, sv, en), JAMSTAT_ERROR_INVALID_SCHEMA, "level code 1 appears twice");
  FAILS(jamstat_schema_builder_add_dimension(b, "x", 2, codes, bad_utf8, en), JAMSTAT_ERROR_INVALID_SCHEMA, "not valid UTF-8");
  FAILS(jamstat_schema_builder_add_dimension(b, "x", 2, codes, with_null, en), JAMSTAT_ERROR_NULL_ARGUMENT, "labels_sv[1] is NULL");
  FAILS(jamstat_schema_builder_add_dimension(b, "x", 2, NULL, sv, en), JAMSTAT_ERROR_NULL_ARGUMENT, "codes is NULL");
  FAILS(jamstat_schema_builder_add_dimension(b, "x", 0, NULL, NULL, NULL), JAMSTAT_ERROR_INVALID_SCHEMA, "has no levels");
  FAILS(jamstat_schema_builder_add_outcome(b, "o", NULL, ""), JAMSTAT_ERROR_NULL_ARGUMENT, "label_sv is NULL");
  FAILS(jamstat_schema_builder_add_numeric(b, "m", NULL, "", ""), JAMSTAT_ERROR_NULL_ARGUMENT, "unit is NULL");
  OK(jamstat_schema_builder_add_dimension(b, "x", 2, codes, sv, en));
  OK(jamstat_schema_builder_add_outcome(b, "x", "", ""));
  FAILS(jamstat_schema_build(b, &s), JAMSTAT_ERROR_INVALID_SCHEMA, "outcome name 'x' is already used");
  CHECK(s == NULL); /* outputs untouched on failure */
  FAILS(jamstat_schema_build(b, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out is NULL");
  jamstat_schema_builder_free(&b);
  jamstat_schema_builder_free(&b); /* a second free through the same (now NULL) variable is fine */
  jamstat_schema_builder_free(NULL);

  s = small_schema();
  CHECK(strcmp(jamstat_last_error_message(), "") == 0); /* success clears the message */
  OK(jamstat_schema_dimension_count(s, &n));
  CHECK(n == 2);
  OK(jamstat_schema_dimension_name(s, 0, &name));
  CHECK(strcmp(name, "sex") == 0);
  OK(jamstat_schema_level_count(s, 0, &n));
  CHECK(n == 4);
  OK(jamstat_schema_level(s, 0, 1, &code, &lsv, &len));
  CHECK(code == JAMSTAT_SEX_MALE && strcmp(lsv, "M\xC3\xA4n") == 0 && strcmp(len, "Men") == 0);
  OK(jamstat_schema_level(s, 0, 2, &code, NULL, NULL));
  CHECK(code == JAMSTAT_SEX_FEMALE);
  OK(jamstat_schema_level(s, 1, 1, NULL, &lsv, NULL));
  CHECK(strcmp(lsv, "S\xC3\xB6" "der") == 0);
  FAILS(jamstat_schema_level(s, 1, 2, &code, NULL, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT, "level 2 is out of range");
  FAILS(jamstat_schema_level_count(s, 5, &n), JAMSTAT_ERROR_INVALID_ARGUMENT, "dimension 5 is out of range");
  OK(jamstat_schema_dimension_index(s, "region", &idx));
  CHECK(idx == 1);
  FAILS(jamstat_schema_dimension_index(s, "kommun", &idx), JAMSTAT_ERROR_INVALID_ARGUMENT, "no dimension is called 'kommun'");
  OK(jamstat_schema_outcome_count(s, &n));
  CHECK(n == 1);
  OK(jamstat_schema_numeric_count(s, &n));
  CHECK(n == 2);
  OK(jamstat_schema_field_name(s, 3, &name));
  CHECK(strcmp(name, "hours") == 0);
  OK(jamstat_schema_field_name(s, 5, &name));
  CHECK(strcmp(name, "person_id") == 0);
  FAILS(jamstat_schema_field_name(s, 6, &name), JAMSTAT_ERROR_INVALID_ARGUMENT, "field 6 is out of range");
  s2 = small_schema();
  OK(jamstat_schema_fingerprint(s, &fp1));
  OK(jamstat_schema_fingerprint(s2, &fp2));
  CHECK(fp1 == fp2 && fp1 != 0);
  FAILS(jamstat_schema_fingerprint(s, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out is NULL");
  jamstat_schema_free(&s2);
  jamstat_schema_free(&s);
  CHECK(s == NULL);
}

static void test_records_match_r(void) {
  jamstat_schema *s = small_schema();
  jamstat_aggregator *a = new_aggregator(s, JAMSTAT_REJECT, 0);
  jamstat_table *t = NULL;
  jamstat_numeric_stats st = JAMSTAT_NUMERIC_STATS_INIT;
  jamstat_cell_counts cc = JAMSTAT_CELL_COUNTS_INIT;
  const uint32_t women_north[2] = {2, 0};
  size_t cell = 0, n = 0, dim = 0;
  uint64_t successes = 0, count = 0;
  double proportion = 0;
  const char *label = NULL;
  int32_t code = 0;
  uint32_t level = 0;

  add_r_records(a, 0);
  OK(jamstat_aggregator_participations(a, &count));
  CHECK(count == 12);
  /* Total. R: mean(hours) 24.833333333333332, var(hours) 866.70833333333337, var(cost) 10074965.672935607. */
  OK(jamstat_rollup(a, NULL, 0, &t));
  OK(jamstat_table_cell_count(t, &n));
  CHECK(n == 1);
  OK(jamstat_table_cell_numeric(t, 0, 0, &st));
  CHECK(st.count == 12);
  NEAR(st.mean, 24.833333333333332, 1e-13);
  NEAR(st.variance, 866.70833333333337, 1e-12);
  NEAR(st.sum, 298.0, 1e-15);
  CHECK(st.min == 1.0 && st.max == 100.0);
  OK(jamstat_table_cell_numeric(t, 0, 1, &st));
  NEAR(st.variance, 10074965.672935607, 1e-12);
  NEAR(st.sd, sqrt(10074965.672935607), 1e-12);
  OK(jamstat_table_cell_outcome(t, 0, 0, &successes, &proportion));
  CHECK(successes == 7);
  NEAR(proportion, 7.0 / 12.0, 1e-15);
  FAILS(jamstat_table_cell_numeric(t, 0, 2, &st), JAMSTAT_ERROR_INVALID_ARGUMENT, "numeric measure 2 is out of range");
  FAILS(jamstat_table_cell_numeric(t, 1, 0, &st), JAMSTAT_ERROR_INVALID_ARGUMENT, "cell 1 is out of range");
  FAILS(jamstat_table_cell_level(t, 0, 0, &level, NULL, JAMSTAT_SWEDISH, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "grouped dimension 0 is out of range");
  jamstat_table_free(&t);

  /* By sex and region. R: women-north n=3 work=2, hours mean 20.25 var 95.0625, cost var 40000. */
  {
    const char *names[1] = {"region"};
    OK(jamstat_rollup_by_name(a, names, 1, 1, &t));
  }
  OK(jamstat_table_dimension_count(t, &n));
  CHECK(n == 2);
  OK(jamstat_table_dimension(t, 1, &dim));
  CHECK(dim == 1);
  OK(jamstat_table_cell_count(t, &n));
  CHECK(n == 6);
  OK(jamstat_table_find(t, women_north, 2, &cell));
  OK(jamstat_table_cell_level(t, cell, 0, &level, &code, JAMSTAT_SWEDISH, &label));
  CHECK(level == 2 && code == JAMSTAT_SEX_FEMALE && strcmp(label, "Kvinnor") == 0);
  OK(jamstat_table_cell_level(t, cell, 1, &level, &code, JAMSTAT_ENGLISH, &label));
  CHECK(level == 0 && code == 1 && strcmp(label, "North") == 0);
  FAILS(jamstat_table_cell_level(t, cell, 1, &level, &code, 5, &label), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "language is 5");
  OK(jamstat_table_cell_counts(t, cell, &cc));
  CHECK(cc.participations == 3 && cc.has_persons == 0 && cc.anonymous_participants == 0);
  OK(jamstat_table_cell_numeric(t, cell, 0, &st));
  NEAR(st.mean, 20.25, 1e-15);
  NEAR(st.variance, 95.0625, 1e-13);
  OK(jamstat_table_cell_numeric(t, cell, 1, &st));
  NEAR(st.variance, 40000.0, 1e-13);
  FAILS(jamstat_table_find(t, women_north, 1, &cell), JAMSTAT_ERROR_INVALID_ARGUMENT, "groups 2 dimensions");
  {
    const uint32_t empty_cell[2] = {3, 0};
    FAILS(jamstat_table_find(t, empty_cell, 2, &cell), JAMSTAT_ERROR_INVALID_ARGUMENT, "no non-empty cell");
  }
  {
    jamstat_numeric_stats old = JAMSTAT_NUMERIC_STATS_INIT;
    old.struct_size = 4;
    FAILS(jamstat_table_cell_numeric(t, 0, 0, &old), JAMSTAT_ERROR_INVALID_ARGUMENT, "out.struct_size is 4");
  }
  jamstat_table_free(&t);
  {
    const char *names[1] = {"municipality"};
    FAILS(jamstat_rollup_by_name(a, names, 1, 1, &t), JAMSTAT_ERROR_INVALID_ARGUMENT, "no dimension is called 'municipality'");
  }
  {
    const size_t dims[1] = {4};
    FAILS(jamstat_rollup(a, dims, 1, &t), JAMSTAT_ERROR_INVALID_ARGUMENT, "out of range");
  }
  CHECK(t == NULL);
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

static void test_bad_records(void) {
  jamstat_schema *s = small_schema();
  jamstat_aggregator *strict = new_aggregator(s, JAMSTAT_REJECT, 1);
  jamstat_aggregator *lenient = new_aggregator(s, JAMSTAT_TALLY, 1);
  const int32_t bad_sex[2] = {4, 1}, good[2] = {2, 1}, outcome[1] = {0}, bad_outcome[1] = {2};
  const double values[2] = {1, 2};
  double nan_values[2];
  jamstat_person_id p = {JAMSTAT_PERSON_ID_INTEGER, 42, NULL, 0};
  jamstat_person_id bad_kind = {7, 0, NULL, 0};
  jamstat_person_id null_bytes = {JAMSTAT_PERSON_ID_BYTES, 0, NULL, 3};
  int accepted = -1;
  uint64_t n = 0;
  nan_values[0] = NAN;
  nan_values[1] = 1;

  FAILS(jamstat_aggregator_add(strict, bad_sex, 2, outcome, 1, values, 2, &p, &accepted), JAMSTAT_ERROR_BAD_RECORD,
        "dimension 'sex': code 4 is not a level; expected one of 0, 1, 2, 9");
  CHECK(jamstat_last_error_row() == 0 && jamstat_last_error_field() == 0);
  CHECK(accepted == -1);
  FAILS(jamstat_aggregator_add(strict, good, 2, bad_outcome, 1, values, 2, &p, NULL), JAMSTAT_ERROR_BAD_RECORD,
        "outcome 'work': value 2 is not 0 or 1");
  CHECK(jamstat_last_error_field() == 2);
  FAILS(jamstat_aggregator_add(strict, good, 2, outcome, 1, nan_values, 2, &p, NULL), JAMSTAT_ERROR_BAD_RECORD,
        "numeric measure 'hours': value NaN");
  FAILS(jamstat_aggregator_add(strict, good, 2, outcome, 1, values, 2, NULL, NULL), JAMSTAT_ERROR_BAD_RECORD,
        "person_id is missing");
  CHECK(jamstat_last_error_field() == 5);
  FAILS(jamstat_aggregator_add(strict, good, 1, outcome, 1, values, 2, &p, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "record has 1 codes");
  CHECK(jamstat_last_error_row() == -1);
  FAILS(jamstat_aggregator_add(strict, NULL, 2, outcome, 1, values, 2, &p, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "codes is NULL");
  FAILS(jamstat_aggregator_add(strict, good, 2, outcome, 1, values, 2, &bad_kind, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "person.kind is 7");
  FAILS(jamstat_aggregator_add(strict, good, 2, outcome, 1, values, 2, &null_bytes, NULL), JAMSTAT_ERROR_NULL_ARGUMENT,
        "person.bytes is NULL");
  OK(jamstat_aggregator_participations(strict, &n));
  CHECK(n == 0);

  OK(jamstat_aggregator_add(lenient, bad_sex, 2, outcome, 1, values, 2, &p, &accepted));
  CHECK(accepted == 0);
  OK(jamstat_aggregator_add(lenient, good, 2, bad_outcome, 1, values, 2, &p, &accepted));
  OK(jamstat_aggregator_add(lenient, good, 2, outcome, 1, values, 2, &p, &accepted));
  CHECK(accepted == 1);
  OK(jamstat_aggregator_rejected(lenient, JAMSTAT_ANY, JAMSTAT_ANY, &n));
  CHECK(n == 2);
  OK(jamstat_aggregator_rejected(lenient, JAMSTAT_REJECTED_SEX_NOT_ISO5218, 0, &n));
  CHECK(n == 1);
  OK(jamstat_aggregator_rejected(lenient, JAMSTAT_REJECTED_OUTCOME_NOT_BINARY, JAMSTAT_ANY, &n));
  CHECK(n == 1);
  OK(jamstat_aggregator_rejected(lenient, JAMSTAT_ANY, 1, &n));
  CHECK(n == 0);
  FAILS(jamstat_aggregator_rejected(lenient, 99, JAMSTAT_ANY, &n), JAMSTAT_ERROR_INVALID_ARGUMENT, "reason 99");
  FAILS(jamstat_aggregator_rejected(lenient, JAMSTAT_ANY, 6, &n), JAMSTAT_ERROR_INVALID_ARGUMENT, "field 6 is out of range");

  /* Anonymous participants follow the policy: refused under REJECT, tallied under TALLY. */
  FAILS(jamstat_aggregator_add_anonymous(strict, 3, 10), JAMSTAT_ERROR_BAD_RECORD, "sex code 3 is not an ISO/IEC 5218 code");
  OK(jamstat_aggregator_add_anonymous(lenient, 3, 10));
  OK(jamstat_aggregator_add_anonymous(lenient, -1, 4));
  OK(jamstat_aggregator_rejected(lenient, JAMSTAT_REJECTED_SEX_NOT_ISO5218, 0, &n));
  CHECK(n == 1 + 10);
  OK(jamstat_aggregator_rejected(lenient, JAMSTAT_REJECTED_SEX_MISSING, 0, &n));
  CHECK(n == 4);
  OK(jamstat_aggregator_add_anonymous(lenient, JAMSTAT_SEX_FEMALE, 10));
  jamstat_aggregator_free(&strict);
  jamstat_aggregator_free(&lenient);
  jamstat_schema_free(&s);
}

/* Columns of N rows: rows 0..N-1 cycle through the 12 R records. */
#define N 5000
static uint8_t col_sex[N], col_region[N], col_work[N];
static int32_t col_region32[N];
static double col_hours[N], col_cost[N];
static uint32_t col_ids[N];
static jamstat_bytes col_id_bytes[N];
static char id_text[N][16];

static void fill_columns(void) {
  int i;
  for (i = 0; i < N; ++i) {
    const double *r = records[i % 12];
    col_sex[i] = (uint8_t)r[0];
    col_region[i] = (uint8_t)r[1];
    col_region32[i] = (int32_t)r[1];
    col_work[i] = (uint8_t)r[2];
    col_hours[i] = r[3];
    col_cost[i] = r[4];
    col_ids[i] = (uint32_t)(i % 1000);
    snprintf(id_text[i], sizeof id_text[i], "p%d", i % 1000);
    col_id_bytes[i].data = (const uint8_t *)id_text[i];
    col_id_bytes[i].length = strlen(id_text[i]);
  }
}

static jamstat_batch make_batch(jamstat_column codes[2], jamstat_column outcomes[1], jamstat_column numerics[2], size_t first,
                                size_t rows) {
  jamstat_batch b = JAMSTAT_BATCH_INIT;
  codes[0].type = JAMSTAT_COLUMN_U8;
  codes[0].data = col_sex + first;
  codes[1].type = JAMSTAT_COLUMN_I32;
  codes[1].data = col_region32 + first;
  outcomes[0].type = JAMSTAT_COLUMN_U8;
  outcomes[0].data = col_work + first;
  numerics[0].type = JAMSTAT_COLUMN_F64;
  numerics[0].data = col_hours + first;
  numerics[1].type = JAMSTAT_COLUMN_F64;
  numerics[1].data = col_cost + first;
  b.rows = rows;
  b.codes = codes;
  b.code_count = 2;
  b.outcomes = outcomes;
  b.outcome_count = 1;
  b.numerics = numerics;
  b.numeric_count = 2;
  b.person_ids.type = JAMSTAT_COLUMN_U32;
  b.person_ids.data = col_ids + first;
  return b;
}

static void test_batches(void) {
  jamstat_schema *s = small_schema();
  jamstat_aggregator *a = new_aggregator(s, JAMSTAT_REJECT, 1);
  jamstat_aggregator *b = new_aggregator(s, JAMSTAT_REJECT, 1);
  jamstat_aggregator *lenient = new_aggregator(s, JAMSTAT_TALLY, 1);
  jamstat_column codes[2], outcomes[1], numerics[2];
  jamstat_batch batch = make_batch(codes, outcomes, numerics, 0, N);
  jamstat_batch_result result = JAMSTAT_BATCH_RESULT_INIT;
  jamstat_table *t = NULL;
  jamstat_cell_counts cc = JAMSTAT_CELL_COUNTS_INIT;
  uint64_t n = 0;
  int i;

  OK(jamstat_aggregator_add_batch(a, &batch, &result));
  CHECK(result.accepted == N && result.rejected == 0 && result.first_rejected_row == -1);
  /* The same rows as byte-string ids and u8 region codes in another aggregator: same persons count. */
  codes[1].type = JAMSTAT_COLUMN_U8;
  codes[1].data = col_region;
  batch.person_ids.type = JAMSTAT_COLUMN_BYTES;
  batch.person_ids.data = col_id_bytes;
  OK(jamstat_aggregator_add_batch(b, &batch, NULL));
  OK(jamstat_rollup(a, NULL, 0, &t));
  OK(jamstat_table_cell_counts(t, 0, &cc));
  CHECK(cc.participations == N && cc.has_persons == 1 && cc.persons == 1000);
  jamstat_table_free(&t);
  OK(jamstat_rollup(b, NULL, 0, &t));
  OK(jamstat_table_cell_counts(t, 0, &cc));
  CHECK(cc.persons == 1000);
  jamstat_table_free(&t);

  /* A bad code at row 4321: the reject policy fails the whole batch and names the row. */
  col_region32[4321] = 7;
  batch = make_batch(codes, outcomes, numerics, 0, N);
  OK(jamstat_aggregator_participations(a, &n));
  FAILS(jamstat_aggregator_add_batch(a, &batch, &result), JAMSTAT_ERROR_BAD_RECORD,
        "row 4321: dimension 'region': code 7 is not a level; expected one of 1, 2");
  CHECK(jamstat_last_error_row() == 4321 && jamstat_last_error_field() == 1);
  {
    uint64_t after = 0;
    OK(jamstat_aggregator_participations(a, &after));
    CHECK(after == n); /* all-or-nothing */
  }
  OK(jamstat_aggregator_add_batch(lenient, &batch, &result));
  CHECK(result.accepted == N - 1 && result.rejected == 1 && result.first_rejected_row == 4321 &&
        result.first_rejected_field == 1 && result.first_rejected_reason == JAMSTAT_REJECTED_CODE_UNKNOWN);
  col_region32[4321] = (int32_t)records[4321 % 12][1];

  /* Shape errors name the column. */
  batch = make_batch(codes, outcomes, numerics, 0, N);
  numerics[1].type = JAMSTAT_COLUMN_I32;
  FAILS(jamstat_aggregator_add_batch(a, &batch, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "numeric column 1 ('cost') has type I32 (3); allowed: F64, F32");
  numerics[1].type = JAMSTAT_COLUMN_F64;
  codes[0].data = NULL;
  FAILS(jamstat_aggregator_add_batch(a, &batch, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "code column 0 ('sex') has no data");
  codes[0].data = col_sex;
  batch.code_count = 1;
  FAILS(jamstat_aggregator_add_batch(a, &batch, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT, "batch has 1 code columns; the schema has 2");
  batch.code_count = 2;
  batch.person_ids.type = JAMSTAT_COLUMN_NONE;
  FAILS(jamstat_aggregator_add_batch(a, &batch, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT, "no person_id column");
  batch.person_ids.type = JAMSTAT_COLUMN_F64;
  FAILS(jamstat_aggregator_add_batch(a, &batch, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT, "person_id column has type F64");
  batch.person_ids.type = JAMSTAT_COLUMN_U32;
  batch.struct_size = 0;
  FAILS(jamstat_aggregator_add_batch(a, &batch, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT, "batch.struct_size is 0");
  batch.struct_size = sizeof batch;
  result.struct_size = 0;
  FAILS(jamstat_aggregator_add_batch(a, &batch, &result), JAMSTAT_ERROR_INVALID_ARGUMENT, "result.struct_size is 0");
  FAILS(jamstat_aggregator_add_batch(a, NULL, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "batch is NULL");
  {
    jamstat_bytes broken[2] = {{NULL, 0}, {NULL, 5}};
    batch = make_batch(codes, outcomes, numerics, 0, 2);
    batch.person_ids.type = JAMSTAT_COLUMN_BYTES;
    batch.person_ids.data = broken;
    FAILS(jamstat_aggregator_add_batch(a, &batch, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "row 1: person_id has length 5 but no data");
  }
  OK(jamstat_aggregator_participations(a, &n));
  CHECK(n == N);
  for (i = 0; i < 3; ++i) jamstat_aggregator_free(i == 0 ? &a : i == 1 ? &b : &lenient);
  jamstat_schema_free(&s);
}

static void test_merge_and_state(void) {
  jamstat_schema *s = small_schema();
  jamstat_schema *other_schema = NULL;
  jamstat_aggregator *a = new_aggregator(s, JAMSTAT_REJECT, 1), *b = new_aggregator(s, JAMSTAT_REJECT, 1);
  jamstat_aggregator *no_persons = new_aggregator(s, JAMSTAT_REJECT, 0), *back = NULL, *keyless = NULL, *other = NULL;
  uint8_t *bytes = NULL, *again = NULL;
  size_t size = 0, size2 = 0;
  uint64_t n = 0;
  jamstat_aggregator_options wrong_key = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
  jamstat_table *t = NULL;
  jamstat_cell_counts cc = JAMSTAT_CELL_COUNTS_INIT;

  add_r_records(a, 1);
  add_r_records(b, 1);
  OK(jamstat_aggregator_add_anonymous(b, JAMSTAT_SEX_MALE, 4));
  OK(jamstat_aggregator_merge(a, b));
  OK(jamstat_aggregator_participations(a, &n));
  CHECK(n == 24);
  FAILS(jamstat_aggregator_merge(a, no_persons), JAMSTAT_ERROR_SCHEMA_MISMATCH, "counts persons");
  FAILS(jamstat_aggregator_merge(a, a), JAMSTAT_ERROR_INVALID_ARGUMENT, "merged with itself");
  {
    jamstat_schema_builder *bl = NULL;
    const int32_t codes[3] = {1, 2, 3};
    const char *l[3] = {"a", "b", "c"};
    OK(jamstat_schema_builder_new(&bl));
    OK(jamstat_schema_builder_add_dimension(bl, "region", 3, codes, l, l));
    OK(jamstat_schema_build(bl, &other_schema));
    jamstat_schema_builder_free(&bl);
    other = new_aggregator(other_schema, JAMSTAT_REJECT, 1);
    FAILS(jamstat_aggregator_merge(a, other), JAMSTAT_ERROR_SCHEMA_MISMATCH, "different schemas");
  }

  /* Serialize: size query, write, read back, write again: identical bytes. */
  FAILS(jamstat_aggregator_serialize(a, NULL, 0, &size), JAMSTAT_ERROR_BUFFER_TOO_SMALL, "the state needs");
  CHECK(size > 40);
  bytes = (uint8_t *)malloc(size);
  FAILS(jamstat_aggregator_serialize(a, bytes, size - 1, &size2), JAMSTAT_ERROR_BUFFER_TOO_SMALL, "the buffer has");
  OK(jamstat_aggregator_serialize(a, bytes, size, &size2));
  CHECK(size2 == size);
  {
    jamstat_aggregator_options key = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
    int i;
    key.count_persons = 1;
    for (i = 0; i < 16; ++i) key.person_key[i] = (uint8_t)(i + 1);
    OK(jamstat_aggregator_deserialize(bytes, size, &key, &back));
  }
  again = (uint8_t *)malloc(size);
  OK(jamstat_aggregator_serialize(back, again, size, &size2));
  CHECK(size2 == size && memcmp(bytes, again, size) == 0);
  add_r_records(back, 1); /* with its key, a state read back takes more records */
  OK(jamstat_aggregator_participations(back, &n));
  CHECK(n == 36);

  /* Without the key: merge and query only. */
  OK(jamstat_aggregator_deserialize(bytes, size, NULL, &keyless));
  {
    const int32_t codes[2] = {2, 1}, outcome[1] = {0};
    const double values[2] = {1, 1};
    jamstat_person_id p = {JAMSTAT_PERSON_ID_INTEGER, 1, NULL, 0};
    FAILS(jamstat_aggregator_add(keyless, codes, 2, outcome, 1, values, 2, &p, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "read without its person key");
  }
  OK(jamstat_aggregator_merge(keyless, b));
  OK(jamstat_rollup(keyless, NULL, 0, &t));
  OK(jamstat_table_cell_counts(t, 0, &cc));
  CHECK(cc.participations == 36 && cc.persons == 7 && cc.anonymous_participants == 8);
  jamstat_table_free(&t);
  wrong_key.count_persons = 1;
  FAILS(jamstat_aggregator_deserialize(bytes, size, &wrong_key, &other), JAMSTAT_ERROR_SCHEMA_MISMATCH, "person key");

  /* Damaged bytes: truncated, flipped, wrong version, not a state. */
  FAILS(jamstat_aggregator_deserialize(bytes, size - 1, NULL, &other), JAMSTAT_ERROR_STATE_FORMAT, "truncated");
  FAILS(jamstat_aggregator_deserialize(bytes, 5, NULL, &other), JAMSTAT_ERROR_STATE_FORMAT, "truncated");
  bytes[size / 2] ^= 0x10;
  FAILS(jamstat_aggregator_deserialize(bytes, size, NULL, &other), JAMSTAT_ERROR_STATE_FORMAT, "checksum mismatch");
  bytes[size / 2] ^= 0x10;
  bytes[8] = 3;
  FAILS(jamstat_aggregator_deserialize(bytes, size, NULL, &other), JAMSTAT_ERROR_STATE_VERSION, "format version 3 is not supported");
  bytes[8] = 2;
  bytes[0] = 'X';
  FAILS(jamstat_aggregator_deserialize(bytes, size, NULL, &other), JAMSTAT_ERROR_STATE_FORMAT, "not a jamstat state");
  FAILS(jamstat_aggregator_deserialize(NULL, 10, NULL, &other), JAMSTAT_ERROR_NULL_ARGUMENT, "bytes is NULL");
  CHECK(other != NULL); /* the mismatched-schema aggregator from above, untouched by the failures */

  free(bytes);
  free(again);
  jamstat_aggregator_free(&a);
  jamstat_aggregator_free(&b);
  jamstat_aggregator_free(&no_persons);
  jamstat_aggregator_free(&back);
  jamstat_aggregator_free(&keyless);
  jamstat_aggregator_free(&other);
  jamstat_schema_free(&other_schema);
  jamstat_schema_free(&s);
}

static void test_wrong_handles(void) {
  jamstat_schema *s = small_schema();
  jamstat_aggregator *a = new_aggregator(s, JAMSTAT_REJECT, 0);
  jamstat_schema *from_aggregator = NULL;
  unsigned char garbage[256];
  uint64_t n = 0;
  size_t count = 0;
  jamstat_aggregator_options bad = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
  jamstat_aggregator *unused = NULL;

  memset(garbage, 0xDD, sizeof garbage);
  FAILS(jamstat_aggregator_participations((const jamstat_aggregator *)(const void *)s, &n), JAMSTAT_ERROR_WRONG_HANDLE,
        "aggregator is not a live jamstat_aggregator (wrong handle type)");
  FAILS(jamstat_schema_dimension_count((const jamstat_schema *)(const void *)a, &count), JAMSTAT_ERROR_WRONG_HANDLE,
        "schema is not a live jamstat_schema");
  FAILS(jamstat_aggregator_participations((const jamstat_aggregator *)(const void *)garbage, &n), JAMSTAT_ERROR_WRONG_HANDLE,
        "not a live jamstat_aggregator");
  FAILS(jamstat_table_cell_count((const jamstat_table *)(const void *)garbage, &count), JAMSTAT_ERROR_WRONG_HANDLE,
        "not a live jamstat_table");
  FAILS(jamstat_aggregator_participations(NULL, &n), JAMSTAT_ERROR_NULL_ARGUMENT, "aggregator is NULL");
  FAILS(jamstat_aggregator_new(NULL, NULL, &unused), JAMSTAT_ERROR_NULL_ARGUMENT, "schema is NULL");
  bad.struct_size = 3;
  FAILS(jamstat_aggregator_new(s, &bad, &unused), JAMSTAT_ERROR_INVALID_ARGUMENT, "options.struct_size is 3");
  bad.struct_size = sizeof bad;
  bad.on_bad_record = 9;
  FAILS(jamstat_aggregator_new(s, &bad, &unused), JAMSTAT_ERROR_INVALID_ARGUMENT, "options.on_bad_record is 9");
  CHECK(unused == NULL);

  /* The aggregator keeps its own schema reference: freeing the caller's schema is safe. */
  jamstat_schema_free(&s);
  CHECK(s == NULL);
  OK(jamstat_aggregator_schema(a, &from_aggregator));
  OK(jamstat_schema_dimension_count(from_aggregator, &count));
  CHECK(count == 2);
  jamstat_schema_free(&from_aggregator);
  jamstat_aggregator_free(&a);
  CHECK(a == NULL);
  FAILS(jamstat_aggregator_participations(a, &n), JAMSTAT_ERROR_NULL_ARGUMENT, "aggregator is NULL");
  jamstat_aggregator_free(&a);
  jamstat_table_free(NULL);
}

/* The intended parallel pattern: one aggregator per thread, merged at the end. */
struct worker {
  const jamstat_schema *schema;
  jamstat_aggregator *aggregator;
  size_t first, rows;
  jamstat_status status;
};

static void *ingest(void *arg) {
  struct worker *w = (struct worker *)arg;
  jamstat_column codes[2], outcomes[1], numerics[2];
  jamstat_batch batch = make_batch(codes, outcomes, numerics, w->first, w->rows);
  jamstat_aggregator_options o = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
  int i;
  o.count_persons = 1;
  for (i = 0; i < 16; ++i) o.person_key[i] = (uint8_t)(i + 1);
  w->status = jamstat_aggregator_new(w->schema, &o, &w->aggregator);
  if (w->status == JAMSTAT_OK) w->status = jamstat_aggregator_add_batch(w->aggregator, &batch, NULL);
  return NULL;
}

static void test_threads(void) {
  jamstat_schema *s = small_schema();
  jamstat_aggregator *whole = new_aggregator(s, JAMSTAT_REJECT, 1);
  jamstat_aggregator *merged = new_aggregator(s, JAMSTAT_REJECT, 1);
  jamstat_column codes[2], outcomes[1], numerics[2];
  jamstat_batch all = make_batch(codes, outcomes, numerics, 0, N);
  struct worker workers[4];
  pthread_t threads[4];
  jamstat_table *t1 = NULL, *t2 = NULL;
  size_t c1 = 0, c2 = 0, i;

  OK(jamstat_aggregator_add_batch(whole, &all, NULL));
  for (i = 0; i < 4; ++i) {
    workers[i].schema = s;
    workers[i].aggregator = NULL;
    workers[i].first = N * i / 4;
    workers[i].rows = N * (i + 1) / 4 - N * i / 4;
    CHECK(pthread_create(&threads[i], NULL, ingest, &workers[i]) == 0);
  }
  for (i = 0; i < 4; ++i) {
    pthread_join(threads[i], NULL);
    CHECK(workers[i].status == JAMSTAT_OK);
    OK(jamstat_aggregator_merge(merged, workers[i].aggregator));
    jamstat_aggregator_free(&workers[i].aggregator);
  }
  OK(jamstat_rollup(whole, NULL, 0, &t1));
  {
    const size_t finest[2] = {0, 1};
    jamstat_table_free(&t1);
    OK(jamstat_rollup(whole, finest, 2, &t1));
    OK(jamstat_rollup(merged, finest, 2, &t2));
  }
  OK(jamstat_table_cell_count(t1, &c1));
  OK(jamstat_table_cell_count(t2, &c2));
  CHECK(c1 == c2 && c1 == 6);
  for (i = 0; i < c1 && i < c2; ++i) {
    jamstat_cell_counts a = JAMSTAT_CELL_COUNTS_INIT, b = JAMSTAT_CELL_COUNTS_INIT;
    jamstat_numeric_stats x = JAMSTAT_NUMERIC_STATS_INIT, y = JAMSTAT_NUMERIC_STATS_INIT;
    OK(jamstat_table_cell_counts(t1, i, &a));
    OK(jamstat_table_cell_counts(t2, i, &b));
    CHECK(a.participations == b.participations && a.persons == b.persons);
    OK(jamstat_table_cell_numeric(t1, i, 1, &x));
    OK(jamstat_table_cell_numeric(t2, i, 1, &y));
    NEAR(y.mean, x.mean, 1e-12);
  }
  jamstat_table_free(&t1);
  jamstat_table_free(&t2);
  jamstat_aggregator_free(&whole);
  jamstat_aggregator_free(&merged);
  jamstat_schema_free(&s);
}

int main(void) {
  fill_columns();
  test_versions_and_status_names();
  test_schema();
  test_records_match_r();
  test_bad_records();
  test_batches();
  test_merge_and_state();
  test_wrong_handles();
  test_threads();
  printf("c_api: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
