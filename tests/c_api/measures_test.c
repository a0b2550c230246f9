/*
 * measures_test.c -- decimal and floating measures through the C ABI, compiled as C11:
 * definitions, ranges, grid units in I64 columns, exact statistics, the rejection reasons of
 * values off the grid or out of range, rounded-value counts, overflow of counts.
 * Reference values: Python's fractions (exact, correctly rounded by float()).
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

static jamstat_schema *hours_schema(uint32_t off_grid) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  const int32_t codes[2] = {1, 2};
  const char *sv[2] = {"Norr", "S\xC3\xB6" "der"};
  const char *en[2] = {"North", "South"};
  jamstat_measure_definition hours = JAMSTAT_MEASURE_DEFINITION_INIT, cost = JAMSTAT_MEASURE_DEFINITION_INIT;
  hours.name = "hours";
  hours.unit = "h";
  hours.kind = JAMSTAT_MEASURE_DECIMAL;
  hours.decimals = 2;
  hours.off_grid = off_grid;
  hours.has_range = 1;
  hours.lowest = 0;
  hours.highest = 99999.99;
  cost.name = "cost";
  cost.unit = "SEK";
  cost.has_range = 1;
  cost.lowest = -1e6;
  cost.highest = 1e6;
  OK(jamstat_schema_builder_new(&b));
  OK(jamstat_schema_builder_add_dimension(b, "region", 2, codes, sv, en));
  OK(jamstat_schema_builder_add_outcome(b, "work", "I arbete", "In work"));
  OK(jamstat_schema_builder_add_measure(b, &hours));
  OK(jamstat_schema_builder_add_measure(b, &cost));
  OK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  return s;
}

static void test_definitions(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_measure_definition d = JAMSTAT_MEASURE_DEFINITION_INIT, got = JAMSTAT_MEASURE_DEFINITION_INIT;
  jamstat_schema *s = hours_schema(JAMSTAT_OFF_GRID_REJECT);
  uint64_t f1 = 0, f2 = 0;
  jamstat_schema *other = hours_schema(JAMSTAT_OFF_GRID_ROUND);

  OK(jamstat_schema_measure(s, 0, &got));
  CHECK(strcmp(got.name, "hours") == 0 && got.kind == JAMSTAT_MEASURE_DECIMAL && got.decimals == 2);
  CHECK(got.has_range == 1 && got.lowest == 0 && got.highest == 99999.99);
  OK(jamstat_schema_measure(s, 1, &got));
  CHECK(got.kind == JAMSTAT_MEASURE_FLOATING && got.highest == 1e6);
  FAILS(jamstat_schema_measure(s, 2, &got), JAMSTAT_ERROR_INVALID_ARGUMENT, "numeric measure 2 is out of range");
  /* The off-grid policy is part of the fingerprint. */
  OK(jamstat_schema_fingerprint(s, &f1));
  OK(jamstat_schema_fingerprint(other, &f2));
  CHECK(f1 != f2);

  OK(jamstat_schema_builder_new(&b));
  d.name = "x";
  d.kind = 7;
  FAILS(jamstat_schema_builder_add_measure(b, &d), JAMSTAT_ERROR_INVALID_ARGUMENT, "definition.kind is 7");
  d.kind = JAMSTAT_MEASURE_DECIMAL;
  d.decimals = 12;
  FAILS(jamstat_schema_builder_add_measure(b, &d), JAMSTAT_ERROR_INVALID_SCHEMA, "12 decimals; at most 9");
  d.decimals = 2;
  d.has_range = 1;
  d.lowest = 0.005;
  d.highest = 10;
  FAILS(jamstat_schema_builder_add_measure(b, &d), JAMSTAT_ERROR_INVALID_SCHEMA, "not on the grid");
  d.lowest = 0;
  d.highest = 3e7;
  FAILS(jamstat_schema_builder_add_measure(b, &d), JAMSTAT_ERROR_INVALID_SCHEMA, "decimal limit");
  d.kind = JAMSTAT_MEASURE_FLOATING;
  d.decimals = 0;
  d.highest = 1e200;
  FAILS(jamstat_schema_builder_add_measure(b, &d), JAMSTAT_ERROR_INVALID_SCHEMA, "wider than a floating measure allows");
  d.struct_size = 8;
  FAILS(jamstat_schema_builder_add_measure(b, &d), JAMSTAT_ERROR_INVALID_ARGUMENT, "struct_size is 8");
  FAILS(jamstat_schema_builder_add_measure(b, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "definition is NULL");
  jamstat_schema_builder_free(&b);
  jamstat_schema_free(&s);
  jamstat_schema_free(&other);
}

static void test_exact_statistics(void) {
  jamstat_schema *s = hours_schema(JAMSTAT_OFF_GRID_REJECT);
  jamstat_aggregator *a = NULL, *b = NULL;
  jamstat_table *t = NULL;
  jamstat_numeric_stats st = JAMSTAT_NUMERIC_STATS_INIT;
  jamstat_batch batch = JAMSTAT_BATCH_INIT;
  jamstat_column codes[2], outcomes[1], numerics[2];
  const uint8_t sex[6] = {2, 2, 1, 1, 2, 1}, region[6] = {1, 2, 1, 2, 1, 1}, work[6] = {1, 0, 1, 1, 0, 1};
  /* Hours as grid units (hundredths) and as doubles: the same values. */
  const int64_t hours_units[6] = {1050, 2025, 700, 350, 4000, 1275};
  const double hours[6] = {10.5, 20.25, 7, 3.5, 40, 12.75}, cost[6] = {1200, 800, 1500.5, 99.95, 2500, 300};
  int i;

  OK(jamstat_aggregator_new(s, NULL, &a));
  OK(jamstat_aggregator_new(s, NULL, &b));
  codes[0].type = JAMSTAT_COLUMN_U8;
  codes[0].data = sex;
  codes[1].type = JAMSTAT_COLUMN_U8;
  codes[1].data = region;
  outcomes[0].type = JAMSTAT_COLUMN_U8;
  outcomes[0].data = work;
  numerics[0].type = JAMSTAT_COLUMN_I64;
  numerics[0].data = hours_units;
  numerics[1].type = JAMSTAT_COLUMN_F64;
  numerics[1].data = cost;
  batch.rows = 6;
  batch.codes = codes;
  batch.code_count = 2;
  batch.outcomes = outcomes;
  batch.outcome_count = 1;
  batch.numerics = numerics;
  batch.numeric_count = 2;
  OK(jamstat_aggregator_add_batch(a, &batch, NULL));
  /* The same records one at a time (doubles), in reverse order. */
  for (i = 5; i >= 0; --i) {
    const int32_t c[2] = {sex[i], region[i] == 1 ? 1 : 2};
    const int32_t o[1] = {work[i]};
    const double v[2] = {hours[i], cost[i]};
    OK(jamstat_aggregator_add(b, c, 2, o, 1, v, 2, NULL, NULL));
  }
  /* Decimal statistics are exact whatever the path and order (the floating cost may differ in its
   * last bits between the paths). */
  OK(jamstat_rollup(a, NULL, 0, &t));
  OK(jamstat_table_cell_numeric(t, 0, 0, &st));
  /* Python 3.11: from fractions import Fraction as F; x = [F(u, 100) for u in (1050, 2025, 700, 350, 4000, 1275)];
   * m = sum(x) / 6; repr(float(m)), repr(float(sum((v - m) ** 2 for v in x) / 5)), float(sum(x))
   * -> '15.666666666666666' '174.29166666666666' 94.0 */
  CHECK(st.count == 6 && st.kind == JAMSTAT_MEASURE_DECIMAL && st.decimals == 2);
  CHECK(st.mean == 15.666666666666666);
  CHECK(st.variance == 174.29166666666666);
  CHECK(st.sum == 94.0 && st.min == 3.5 && st.max == 40 && st.second_max == 20.25);
  jamstat_table_free(&t);
  OK(jamstat_rollup(b, NULL, 0, &t));
  OK(jamstat_table_cell_numeric(t, 0, 0, &st));
  CHECK(st.mean == 15.666666666666666 && st.variance == 174.29166666666666);
  OK(jamstat_table_cell_numeric(t, 0, 1, &st));
  CHECK(st.kind == JAMSTAT_MEASURE_FLOATING && st.count == 6);
  NEAR(st.sum, 6400.45, 1e-15); /* 1200 + 800 + 1500.5 + 99.95 + 2500 + 300 */
  jamstat_table_free(&t);
  /* An I64 column for a floating measure is refused. */
  numerics[1].type = JAMSTAT_COLUMN_I64;
  numerics[1].data = hours_units;
  FAILS(jamstat_aggregator_add_batch(a, &batch, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT, "I64 grid units only for decimal measures");

  jamstat_aggregator_free(&a);
  jamstat_aggregator_free(&b);
  jamstat_schema_free(&s);
}

static void test_bad_values(void) {
  jamstat_schema *s = hours_schema(JAMSTAT_OFF_GRID_REJECT), *r = hours_schema(JAMSTAT_OFF_GRID_ROUND);
  jamstat_aggregator *a = NULL, *t = NULL, *rounding = NULL;
  jamstat_aggregator_options tally = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
  const int32_t c[2] = {2, 1}, o[1] = {1};
  const double off[2] = {0.295, 1}, high[2] = {100000, 1}, big_cost[2] = {1, 2e6}, good[2] = {0.29, 1};
  uint64_t n = 0;
  int accepted = -1;

  OK(jamstat_aggregator_new(s, NULL, &a));
  FAILS(jamstat_aggregator_add(a, c, 2, o, 1, off, 2, NULL, NULL), JAMSTAT_ERROR_BAD_RECORD, "value 0.295 is not on the measure's grid");
  CHECK(jamstat_last_error_field() == 3);
  FAILS(jamstat_aggregator_add(a, c, 2, o, 1, high, 2, NULL, NULL), JAMSTAT_ERROR_BAD_RECORD, "outside the measure's valid range [0, 99999.99]");
  FAILS(jamstat_aggregator_add(a, c, 2, o, 1, big_cost, 2, NULL, NULL), JAMSTAT_ERROR_BAD_RECORD, "value 2000000 is outside");
  CHECK(jamstat_last_error_field() == 4);
  OK(jamstat_aggregator_add(a, c, 2, o, 1, good, 2, NULL, NULL));

  tally.on_bad_record = JAMSTAT_TALLY;
  OK(jamstat_aggregator_new(s, &tally, &t));
  OK(jamstat_aggregator_add(t, c, 2, o, 1, off, 2, NULL, &accepted));
  CHECK(accepted == 0);
  OK(jamstat_aggregator_add(t, c, 2, o, 1, high, 2, NULL, &accepted));
  OK(jamstat_aggregator_rejected(t, JAMSTAT_REJECTED_MEASURE_OFF_RESOLUTION, JAMSTAT_ANY, &n));
  CHECK(n == 1);
  OK(jamstat_aggregator_rejected(t, JAMSTAT_REJECTED_MEASURE_OUT_OF_RANGE, 3, &n));
  CHECK(n == 1);
  CHECK(strcmp(jamstat_rejection_reason_name(JAMSTAT_REJECTED_MEASURE_OFF_RESOLUTION), "measure_off_resolution") == 0);
  CHECK(strcmp(jamstat_rejection_reason_name(JAMSTAT_REJECTED_MEASURE_OUT_OF_RANGE), "measure_out_of_range") == 0);

  OK(jamstat_aggregator_new(r, NULL, &rounding));
  OK(jamstat_aggregator_add(rounding, c, 2, o, 1, off, 2, NULL, &accepted));
  CHECK(accepted == 1);
  OK(jamstat_aggregator_rounded_values(rounding, 0, &n));
  CHECK(n == 1);
  OK(jamstat_aggregator_rounded_values(rounding, 1, &n));
  CHECK(n == 0);
  FAILS(jamstat_aggregator_rounded_values(rounding, 2, &n), JAMSTAT_ERROR_INVALID_ARGUMENT, "out of range");

  jamstat_aggregator_free(&a);
  jamstat_aggregator_free(&t);
  jamstat_aggregator_free(&rounding);
  jamstat_schema_free(&s);
  jamstat_schema_free(&r);
}

static void test_counts_never_wrap(void) {
  jamstat_schema *s = hours_schema(JAMSTAT_OFF_GRID_REJECT);
  jamstat_aggregator *a = NULL, *b = NULL;
  jamstat_table *t = NULL;
  jamstat_cell_counts cc = JAMSTAT_CELL_COUNTS_INIT;
  OK(jamstat_aggregator_new(s, NULL, &a));
  OK(jamstat_aggregator_new(s, NULL, &b));
  OK(jamstat_aggregator_add_anonymous(a, JAMSTAT_SEX_FEMALE, UINT64_MAX));
  FAILS(jamstat_aggregator_add_anonymous(a, JAMSTAT_SEX_FEMALE, 2), JAMSTAT_ERROR_OVERFLOW, "exceeds 2^64 - 1");
  OK(jamstat_aggregator_add_anonymous(b, JAMSTAT_SEX_FEMALE, 1));
  FAILS(jamstat_aggregator_merge(a, b), JAMSTAT_ERROR_OVERFLOW, "nothing was merged");
  OK(jamstat_rollup(a, NULL, 0, &t));
  OK(jamstat_table_cell_counts(t, 0, &cc));
  CHECK(cc.anonymous_participants == UINT64_MAX); /* unchanged by the failures */
  CHECK(strcmp(jamstat_status_name(JAMSTAT_ERROR_OVERFLOW), "JAMSTAT_ERROR_OVERFLOW") == 0);
  jamstat_table_free(&t);
  jamstat_aggregator_free(&a);
  jamstat_aggregator_free(&b);
  jamstat_schema_free(&s);
}

int main(void) {
  test_definitions();
  test_exact_statistics();
  test_bad_values();
  test_counts_never_wrap();
  printf("c_api: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
