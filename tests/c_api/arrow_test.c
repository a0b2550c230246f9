/*
 * arrow_test.c -- jamstat_aggregator_add_arrow from C11 with hand-built Arrow C Data Interface
 * structures: children bound by name, position or options.field_names; offsets of the batch and
 * of each child; null counts (0, -1, declared) and validity bitmaps meaning "missing"; struct-level
 * nulls; dictionaries of integer codes and of labels; bit-packed booleans; decimal32/64/128 with
 * every relation of scale to a measure's decimals; person ids of every binary flavour; the
 * release-callback rules (borrowed, or released by the library on every path); malformed batches.
 * Results are compared with the same data through jamstat_aggregator_add_arrays: serialized states
 * must be byte-identical. Exact decimal roundings: tests/reference/c_api_arrow/arrow_reference.py.
 */
#include <stdint.h>
#include <stdlib.h>

/* As a program that includes Arrow's own arrow/c/abi.h (or nanoarrow.h) before jamstat.h does:
 * the specification's definitions under its guard, copied as it asks; jamstat.h then defines
 * nothing again (a second definition would not compile). */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  const char *format;
  const char *name;
  const char *metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema **children;
  struct ArrowSchema *dictionary;
  void (*release)(struct ArrowSchema *);
  void *private_data;
};

struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void **buffers;
  struct ArrowArray **children;
  struct ArrowArray *dictionary;
  void (*release)(struct ArrowArray *);
  void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#include "check.h"

/* ------------------------------------------------------------------ hand-built record batches */

#define MAXC 8

typedef struct {
  struct ArrowSchema schema;
  struct ArrowArray array;
  struct ArrowSchema *schema_children[MAXC];
  struct ArrowArray *array_children[MAXC];
  struct ArrowSchema child_schemas[MAXC];
  struct ArrowArray child_arrays[MAXC];
  const void *buffers[MAXC][6];
  struct ArrowSchema dict_schemas[MAXC];
  struct ArrowArray dict_arrays[MAXC];
  const void *dict_buffers[MAXC][3];
  const void *top_buffers[1];
} batch_t;

/* Release calls, counted: the top-level structures, and every child or dictionary (released by
 * its parent's callback, as the specification requires of producers). released_directly counts
 * children released by someone other than their parent: a consumer must never do that. */
static int top_schema_released, top_array_released, child_schema_released, child_array_released, released_directly;
static int releasing_parent;

static void release_child_schema(struct ArrowSchema *s) {
  if (!releasing_parent) ++released_directly;
  if (s->dictionary && s->dictionary->release) s->dictionary->release(s->dictionary);
  ++child_schema_released;
  s->release = NULL;
}
static void release_child_array(struct ArrowArray *a) {
  if (!releasing_parent) ++released_directly;
  if (a->dictionary && a->dictionary->release) a->dictionary->release(a->dictionary);
  ++child_array_released;
  a->release = NULL;
}
static void release_top_schema(struct ArrowSchema *s) {
  int64_t i;
  releasing_parent = 1;
  for (i = 0; i < s->n_children; ++i)
    if (s->children[i]->release) s->children[i]->release(s->children[i]);
  releasing_parent = 0;
  ++top_schema_released;
  s->release = NULL;
}
static void release_top_array(struct ArrowArray *a) {
  int64_t i;
  releasing_parent = 1;
  for (i = 0; i < a->n_children; ++i)
    if (a->children[i]->release) a->children[i]->release(a->children[i]);
  releasing_parent = 0;
  ++top_array_released;
  a->release = NULL;
}
static void reset_release_counts(void) {
  top_schema_released = top_array_released = child_schema_released = child_array_released = released_directly = 0;
}

static int64_t buffer_count(const char *format) {
  if (strcmp(format, "n") == 0) return 0;
  if (strcmp(format, "u") == 0 || strcmp(format, "z") == 0 || strcmp(format, "U") == 0 || strcmp(format, "Z") == 0) return 3;
  return 2;
}

/* A record batch (struct array) of `length` rows starting at `offset`. */
static void batch_init(batch_t *b, int64_t length, int64_t offset) {
  int i;
  memset(b, 0, sizeof *b);
  for (i = 0; i < MAXC; ++i) {
    b->schema_children[i] = &b->child_schemas[i];
    b->array_children[i] = &b->child_arrays[i];
  }
  b->schema.format = "+s";
  b->schema.name = "";
  b->schema.children = b->schema_children;
  b->schema.release = release_top_schema;
  b->array.length = length;
  b->array.offset = offset;
  b->array.n_buffers = 1;
  b->array.buffers = b->top_buffers;
  b->array.children = b->array_children;
  b->array.release = release_top_array;
}

/* Adds a child: buffers (validity, values, data) as the format's layout has them. */
static int batch_column(batch_t *b, const char *name, const char *format, int64_t length, int64_t offset, int64_t null_count,
                        const void *validity, const void *values, const void *data) {
  const int i = (int)b->schema.n_children;
  struct ArrowSchema *s = &b->child_schemas[i];
  struct ArrowArray *a = &b->child_arrays[i];
  b->schema.n_children++;
  b->array.n_children++;
  s->format = format;
  s->name = name;
  s->flags = ARROW_FLAG_NULLABLE;
  s->release = release_child_schema;
  b->buffers[i][0] = validity;
  b->buffers[i][1] = values;
  b->buffers[i][2] = data;
  a->length = length;
  a->offset = offset;
  a->null_count = null_count;
  a->n_buffers = buffer_count(format);
  a->buffers = b->buffers[i];
  a->release = release_child_array;
  return i;
}

/* Makes child i dictionary-encoded (its own buffers hold the indices). */
static void batch_dictionary(batch_t *b, int i, const char *format, int64_t length, int64_t offset, int64_t null_count,
                             const void *validity, const void *values, const void *data) {
  struct ArrowSchema *s = &b->dict_schemas[i];
  struct ArrowArray *a = &b->dict_arrays[i];
  s->format = format;
  s->name = "";
  s->release = release_child_schema;
  b->dict_buffers[i][0] = validity;
  b->dict_buffers[i][1] = values;
  b->dict_buffers[i][2] = data;
  a->length = length;
  a->offset = offset;
  a->null_count = null_count;
  a->n_buffers = buffer_count(format);
  a->buffers = b->dict_buffers[i];
  a->release = release_child_array;
  b->child_schemas[i].dictionary = s;
  b->child_arrays[i].dictionary = a;
}

static void set_bit(uint8_t *bitmap, int64_t i, int value) {
  if (value) bitmap[i >> 3] = (uint8_t)(bitmap[i >> 3] | (1u << (i & 7)));
  else bitmap[i >> 3] = (uint8_t)(bitmap[i >> 3] & ~(1u << (i & 7)));
}

/* A decimal128 value (two's complement, little-endian) at element i. */
static void put_decimal128(uint8_t *buffer, int64_t i, int64_t low_signed, int64_t high) {
  const uint64_t low = (uint64_t)low_signed;
  memcpy(buffer + 16 * i, &low, 8);
  memcpy(buffer + 16 * i + 8, &high, 8);
}
static void put_decimal(uint8_t *buffer, int64_t i, int64_t v) { put_decimal128(buffer, i, v, v < 0 ? -1 : 0); }

/* -------------------------------------------------------------------------- jamstat helpers */

static const uint8_t test_key[16] = {7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 9, 0, 4, 5, 2};

/* sex, region {1 Norr/North, 2 Söder/South}, age {0, 1, 2}, outcome work, decimal measure hours
 * (2 decimals, [0, 99999.99]) and, when with_cost, floating measure cost ([-1e6, 1e6]). Fields:
 * 0 sex, 1 region, 2 age, 3 work, 4 hours, 5 cost, then person_id. */
static jamstat_schema *make_schema(uint32_t off_grid, int with_cost) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  const int32_t region_codes[2] = {1, 2}, age_codes[3] = {0, 1, 2};
  const char *region_sv[2] = {"Norr", "S\xC3\xB6" "der"}, *region_en[2] = {"North", "South"};
  const char *age_sv[3] = {"Unga", "Medel", "\xC3\x84ldre"}, *age_en[3] = {"Young", "Middle", "Older"};
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
  OK(jamstat_schema_builder_add_dimension(b, "region", 2, region_codes, region_sv, region_en));
  OK(jamstat_schema_builder_add_dimension(b, "age", 3, age_codes, age_sv, age_en));
  OK(jamstat_schema_builder_add_outcome(b, "work", "I arbete", "In work"));
  OK(jamstat_schema_builder_add_measure(b, &hours));
  if (with_cost) OK(jamstat_schema_builder_add_measure(b, &cost));
  OK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  return s;
}

static jamstat_aggregator *new_aggregator(const jamstat_schema *s, uint32_t policy, int persons) {
  jamstat_aggregator *a = NULL;
  jamstat_aggregator_options o = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
  o.on_bad_record = policy;
  o.count_persons = (uint32_t)persons;
  if (persons) memcpy(o.person_key, test_key, 16);
  OK(jamstat_aggregator_new(s, &o, &a));
  return a;
}

static uint8_t *state_of(const jamstat_aggregator *a, size_t *size) {
  uint8_t *bytes;
  *size = 0;
  if (jamstat_aggregator_serialized_size(a, size) != JAMSTAT_OK) return NULL;
  bytes = (uint8_t *)malloc(*size);
  if (bytes && jamstat_aggregator_serialize(a, bytes, *size, size) != JAMSTAT_OK) {
    free(bytes);
    return NULL;
  }
  return bytes;
}

/* Byte-identical serialized states. */
static int same_state(const jamstat_aggregator *a, const jamstat_aggregator *b) {
  size_t na = 0, nb = 0;
  uint8_t *sa = state_of(a, &na), *sb = state_of(b, &nb);
  const int same = sa && sb && na == nb && memcmp(sa, sb, na) == 0;
  free(sa);
  free(sb);
  return same;
}

static uint64_t participations(const jamstat_aggregator *a) {
  uint64_t n = UINT64_MAX;
  jamstat_aggregator_participations(a, &n);
  return n;
}

static uint64_t rejected(const jamstat_aggregator *a, int32_t reason, int64_t field) {
  uint64_t n = UINT64_MAX;
  jamstat_aggregator_rejected(a, reason, field, &n);
  return n;
}

/* The total's statistics of numeric measure m. */
static jamstat_numeric_stats total_stats(const jamstat_aggregator *a, size_t m) {
  jamstat_table *t = NULL;
  jamstat_numeric_stats st = JAMSTAT_NUMERIC_STATS_INIT;
  OK(jamstat_total(a, &t));
  OK(jamstat_table_cell_numeric(t, 0, m, &st));
  jamstat_table_free(&t);
  return st;
}

static uint64_t total_persons(const jamstat_aggregator *a) {
  jamstat_table *t = NULL;
  jamstat_cell_counts c = JAMSTAT_CELL_COUNTS_INIT;
  OK(jamstat_total(a, &t));
  OK(jamstat_table_cell_counts(t, 0, &c));
  jamstat_table_free(&t);
  return c.persons;
}

static jamstat_array arr(uint32_t type, const void *data, uint64_t length) {
  jamstat_array x;
  x.type = type;
  x.flags = 0;
  x.data = data;
  x.length = length;
  return x;
}

/* ------------------------------------------------------------------------------------ tests */

/* Every kind of column, children in another order than the schema's, against add_arrays. */
static void test_same_as_add_arrays(void) {
  enum { N = 10 };
  jamstat_schema *s = make_schema(JAMSTAT_OFF_GRID_REJECT, 1);
  jamstat_aggregator *a = new_aggregator(s, JAMSTAT_REJECT, 0), *b = new_aggregator(s, JAMSTAT_REJECT, 0);
  const uint8_t sex[N] = {2, 1, 2, 2, 1, 0, 9, 1, 2, 1};
  const int64_t region[N] = {1, 2, 2, 1, 1, 2, 1, 2, 1, 1};
  const int8_t age_index[N] = {0, 1, 2, 2, 1, 0, 0, 1, 2, 0};
  const int32_t age_dictionary[3] = {2, 0, 1};
  const int32_t age[N] = {2, 0, 1, 1, 0, 2, 2, 0, 1, 2}; /* age_dictionary[age_index] */
  const uint8_t work[N] = {1, 0, 1, 1, 0, 0, 1, 1, 0, 1};
  uint8_t work_bits[2] = {0, 0};
  const int64_t hours[N] = {3750, 26554, 0, 12, 9999999, 500, 125, 2000, 4000, 1}; /* grid units */
  uint8_t hours_dec[16 * N];
  const double cost[N] = {100.5, -20.25, 0, 1e5, 3.0, 7.75, -1e6, 1e6, 0.1, 42};
  batch_t t;
  jamstat_array columns[6];
  jamstat_batch_result r = JAMSTAT_BATCH_RESULT_INIT;
  int i, c;
  for (i = 0; i < N; ++i) {
    set_bit(work_bits, i, work[i]);
    put_decimal(hours_dec, i, hours[i]);
  }
  batch_init(&t, N, 0);
  batch_column(&t, "hours", "d:10,2", N, 0, 0, NULL, hours_dec, NULL);
  batch_column(&t, "sex", "C", N, 0, 0, NULL, sex, NULL);
  batch_column(&t, "work", "b", N, 0, 0, NULL, work_bits, NULL);
  batch_column(&t, "region", "l", N, 0, 0, NULL, region, NULL);
  c = batch_column(&t, "age", "c", N, 0, 0, NULL, age_index, NULL);
  batch_dictionary(&t, c, "i", 3, 0, 0, NULL, age_dictionary, NULL);
  batch_column(&t, "cost", "g", N, 0, 0, NULL, cost, NULL);
  reset_release_counts();
  OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
  CHECK(r.accepted == N && r.rejected == 0 && r.first_rejected_row == -1 && r.error_count == 0);
  CHECK(r.first_rejected_message[0] == 0);
  /* Borrowed (no options): the library released nothing. */
  CHECK(top_schema_released == 0 && top_array_released == 0 && child_schema_released == 0 && child_array_released == 0);
  CHECK(t.schema.release == release_top_schema && t.array.release == release_top_array);

  {
    int32_t region32[N];
    for (i = 0; i < N; ++i) region32[i] = (int32_t)region[i];
    columns[0] = arr(JAMSTAT_COLUMN_U8, sex, N);
    columns[1] = arr(JAMSTAT_COLUMN_I32, region32, N);
    columns[2] = arr(JAMSTAT_COLUMN_I32, age, N);
    columns[3] = arr(JAMSTAT_COLUMN_U8, work, N);
    columns[4] = arr(JAMSTAT_COLUMN_I64, hours, N);
    columns[5] = arr(JAMSTAT_COLUMN_F64, cost, N);
    OK(jamstat_aggregator_add_arrays(b, N, columns, 6, NULL));
  }
  CHECK(participations(a) == N);
  CHECK(same_state(a, b));
  {
    /* Exact: the grid units sum to 10,036,941, i.e. 100,369.41 h (arrow_reference.py). */
    const jamstat_numeric_stats st = total_stats(a, 0);
    CHECK(st.count == N && st.sum == 100369.41 && st.max == 99999.99 && st.min == 0);
  }
  /* The caller releases what it kept: children through their parent only. */
  t.schema.release(&t.schema);
  t.array.release(&t.array);
  CHECK(top_schema_released == 1 && top_array_released == 1 && child_schema_released == 7 && child_array_released == 7);
  CHECK(released_directly == 0);
  jamstat_aggregator_free(&a);
  jamstat_aggregator_free(&b);
  jamstat_schema_free(&s);
}

/* The batch's offset, each child's own offset, validity bitmaps and null counts 0, -1 and
 * declared; struct-level nulls. Logical rows (after the offsets):
 *   row  sex   region  work   hours
 *   0    2     1       1      10.00
 *   1    1     null    0      5.00     code_missing (field 1)
 *   2    2     2       null   1.25     outcome_not_binary (field 3)
 *   3    null  1       1      2.00     sex_missing (field 0)
 *   4    1     2       1      null     measure_not_finite (field 4)
 *   5    2     2       0      7.77
 *   6    9     1       1      0.01
 *   7    1     1       1      3.00
 * age is 1 everywhere; its bitmap has zeros but its null_count is 0, which the library honours. */
enum { OFFSET_ROWS = 8, BATCH_OFFSET = 2 };
typedef struct {
  uint8_t sex[16];
  uint8_t sex_valid[2];
  int16_t region[16];
  uint8_t region_valid[2];
  uint8_t age[16];
  uint8_t age_bitmap[2];
  uint8_t work[4];
  uint8_t work_valid[4];
  uint8_t hours[16 * 16];
  uint8_t hours_valid[4];
} offset_data;

static void build_offset_batch(batch_t *t, offset_data *d) {
  const int sex[OFFSET_ROWS] = {2, 1, 2, -1, 1, 2, 9, 1};
  const int region[OFFSET_ROWS] = {1, -1, 2, 1, 2, 2, 1, 1};
  const int work[OFFSET_ROWS] = {1, 0, -1, 1, 1, 0, 1, 1};
  const int64_t hours[OFFSET_ROWS] = {1000, 500, 125, 200, -1, 777, 1, 300};
  /* Physical index of logical row r: child offset + batch offset + r. */
  const int64_t sex_off = 1, region_off = 0, age_off = 3, work_off = 5, hours_off = 4;
  int r;
  memset(d, 0, sizeof *d);
  for (r = 0; r < 16; ++r) d->sex[r] = 77; /* junk outside the slice */
  for (r = 0; r < OFFSET_ROWS; ++r) {
    const int64_t ps = sex_off + BATCH_OFFSET + r, pr = region_off + BATCH_OFFSET + r, pa = age_off + BATCH_OFFSET + r;
    const int64_t pw = work_off + BATCH_OFFSET + r, ph = hours_off + BATCH_OFFSET + r;
    d->sex[ps] = (uint8_t)(sex[r] < 0 ? 200 : sex[r]); /* a null's value is junk */
    set_bit(d->sex_valid, ps, sex[r] >= 0);
    d->region[pr] = (int16_t)(region[r] < 0 ? -7 : region[r]);
    set_bit(d->region_valid, pr, region[r] >= 0);
    d->age[pa] = 1;
    set_bit(d->age_bitmap, pa, r % 3 != 0); /* zeros, but null_count 0: not read */
    set_bit(d->work, pw, work[r] == 1);
    set_bit(d->work_valid, pw, work[r] >= 0);
    put_decimal(d->hours, ph, hours[r] < 0 ? 999999 : hours[r]);
    set_bit(d->hours_valid, ph, hours[r] >= 0);
  }
  batch_init(t, OFFSET_ROWS, BATCH_OFFSET);
  batch_column(t, "sex", "C", sex_off + BATCH_OFFSET + OFFSET_ROWS, sex_off, 1, d->sex_valid, d->sex, NULL);
  batch_column(t, "region", "s", region_off + BATCH_OFFSET + OFFSET_ROWS, region_off, -1, d->region_valid, d->region, NULL);
  batch_column(t, "age", "C", age_off + BATCH_OFFSET + OFFSET_ROWS, age_off, 0, d->age_bitmap, d->age, NULL);
  batch_column(t, "work", "b", work_off + BATCH_OFFSET + OFFSET_ROWS, work_off, -1, d->work_valid, d->work, NULL);
  batch_column(t, "hours", "d:8,2", hours_off + BATCH_OFFSET + OFFSET_ROWS, hours_off, 1, d->hours_valid, d->hours, NULL);
}

static void test_offsets_and_nulls(void) {
  jamstat_schema *s = make_schema(JAMSTAT_OFF_GRID_REJECT, 0);
  jamstat_aggregator *tally = new_aggregator(s, JAMSTAT_TALLY, 0), *reject = new_aggregator(s, JAMSTAT_REJECT, 0);
  jamstat_aggregator *same = new_aggregator(s, JAMSTAT_TALLY, 0), *empty = new_aggregator(s, JAMSTAT_REJECT, 0);
  jamstat_row_error errors[8];
  jamstat_batch_result r = JAMSTAT_BATCH_RESULT_INIT;
  offset_data d;
  batch_t t;
  build_offset_batch(&t, &d);
  r.errors = errors;
  r.error_capacity = 8;
  OK(jamstat_aggregator_add_arrow(tally, &t.schema, &t.array, NULL, &r));
  CHECK(r.accepted == 4 && r.rejected == 4 && r.error_count == 4);
  CHECK(r.first_rejected_row == 1 && r.first_rejected_field == 1 && r.first_rejected_reason == JAMSTAT_REJECTED_CODE_MISSING);
  CHECK(strstr(r.first_rejected_message, "row 1: dimension 'region' (Arrow child 1 'region'): code is missing (null)") != NULL);
  CHECK(errors[0].row == 1 && errors[0].field == 1 && errors[0].reason == JAMSTAT_REJECTED_CODE_MISSING);
  CHECK(errors[1].row == 2 && errors[1].field == 3 && errors[1].reason == JAMSTAT_REJECTED_OUTCOME_NOT_BINARY);
  CHECK(errors[2].row == 3 && errors[2].field == 0 && errors[2].reason == JAMSTAT_REJECTED_SEX_MISSING);
  CHECK(errors[3].row == 4 && errors[3].field == 4 && errors[3].reason == JAMSTAT_REJECTED_MEASURE_NOT_FINITE);
  CHECK(rejected(tally, JAMSTAT_REJECTED_MEASURE_NOT_FINITE, 4) == 1 && rejected(tally, JAMSTAT_ANY, JAMSTAT_ANY) == 4);
  {
    /* The same records through add_arrays (nulls as the missing code, NaN, and 2 for the outcome). */
    const int32_t sex[8] = {2, 1, 2, -1, 1, 2, 9, 1}, region[8] = {1, -1, 2, 1, 2, 2, 1, 1}, age[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    const int32_t work[8] = {1, 0, 2, 1, 1, 0, 1, 1};
    const double hours[8] = {10.0, 5.0, 1.25, 2.0, 0.0 / 0.0, 7.77, 0.01, 3.0};
    jamstat_array columns[5];
    columns[0] = arr(JAMSTAT_COLUMN_I32, sex, 8);
    columns[1] = arr(JAMSTAT_COLUMN_I32, region, 8);
    columns[2] = arr(JAMSTAT_COLUMN_I32, age, 8);
    columns[3] = arr(JAMSTAT_COLUMN_I32, work, 8);
    columns[4] = arr(JAMSTAT_COLUMN_F64, hours, 8);
    OK(jamstat_aggregator_add_arrays(same, 8, columns, 5, NULL));
    CHECK(same_state(tally, same));
  }
  /* Reject: the first bad row fails the batch, every bad row is listed, nothing is added. */
  memset(errors, 0, sizeof errors);
  FAILS(jamstat_aggregator_add_arrow(reject, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_BAD_RECORD,
        "row 1: dimension 'region' (Arrow child 1 'region'): code is missing (null); expected one of 1, 2");
  CHECK(jamstat_last_error_row() == 1 && jamstat_last_error_field() == 1 &&
        jamstat_last_error_reason() == JAMSTAT_REJECTED_CODE_MISSING);
  CHECK(r.accepted == 0 && r.error_count == 4 && errors[3].row == 4 && errors[3].field == 4);
  CHECK(participations(reject) == 0 && same_state(reject, empty));
  /* Each bad value's message says what the Arrow value was. */
  {
    jamstat_batch_result one = JAMSTAT_BATCH_RESULT_INIT;
    jamstat_aggregator *a = new_aggregator(s, JAMSTAT_TALLY, 0);
    t.array.length = 2; /* rows 2..3 of the slice: the outcome's null first */
    t.array.offset = BATCH_OFFSET + 2;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &one));
    CHECK(one.rejected == 2 && one.first_rejected_row == 0);
    CHECK(strstr(one.first_rejected_message, "outcome 'work' (Arrow child 3 'work'): value is missing (null); expected 0 or 1") != NULL);
    t.array.length = 1;
    t.array.offset = BATCH_OFFSET + 4;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &one));
    CHECK(strstr(one.first_rejected_message, "row 0: numeric measure 'hours' (Arrow child 4 'hours'): value is missing (null)") != NULL);
    t.array.offset = BATCH_OFFSET + 3;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &one));
    CHECK(strstr(one.first_rejected_message, "dimension 'sex' (Arrow child 0 'sex'): code is missing (null); expected one of 0, 1, 2, 9 (ISO/IEC 5218)") != NULL);
    jamstat_aggregator_free(&a);
  }
  jamstat_aggregator_free(&tally);
  jamstat_aggregator_free(&reject);
  jamstat_aggregator_free(&same);
  jamstat_aggregator_free(&empty);
  jamstat_schema_free(&s);
}

/* A null row of the batch itself makes every field of it missing: rejected as sex_missing. */
static void test_struct_nulls(void) {
  jamstat_schema *s = make_schema(JAMSTAT_OFF_GRID_REJECT, 0);
  jamstat_aggregator *a = new_aggregator(s, JAMSTAT_TALLY, 0);
  const uint8_t sex[4] = {2, 1, 2, 1}, region[4] = {1, 2, 1, 2}, age[4] = {0, 1, 2, 0}, work[4] = {1, 0, 1, 1};
  const double hours[4] = {1, 2, 3, 4};
  uint8_t validity[1] = {0x0B}; /* rows 0, 1, 3 valid; row 2 null */
  jamstat_batch_result r = JAMSTAT_BATCH_RESULT_INIT;
  batch_t t;
  batch_init(&t, 4, 0);
  t.array.null_count = 1;
  t.top_buffers[0] = validity;
  batch_column(&t, "sex", "C", 4, 0, 0, NULL, sex, NULL);
  batch_column(&t, "region", "C", 4, 0, 0, NULL, region, NULL);
  batch_column(&t, "age", "C", 4, 0, 0, NULL, age, NULL);
  batch_column(&t, "work", "C", 4, 0, 0, NULL, work, NULL);
  batch_column(&t, "hours", "g", 4, 0, 0, NULL, hours, NULL);
  OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
  CHECK(r.accepted == 3 && r.rejected == 1 && r.first_rejected_row == 2 && r.first_rejected_reason == JAMSTAT_REJECTED_SEX_MISSING);
  CHECK(strstr(r.first_rejected_message, "row 2: dimension 'sex' (Arrow child 0 'sex'): code is missing (null)") != NULL);
  CHECK(total_stats(a, 0).sum == 7.0);
  /* A struct null count of -1 is computed; a bitmap with the null outside the slice is not read. */
  t.array.null_count = -1;
  t.array.offset = 3;
  t.array.length = 1;
  OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
  CHECK(r.accepted == 1 && r.rejected == 0);
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

/* Dictionaries of integer codes (with an offset and a null entry) and of labels; plain labels. */
static void test_dictionaries(void) {
  enum { N = 6 };
  jamstat_schema *s = make_schema(JAMSTAT_OFF_GRID_REJECT, 0);
  jamstat_aggregator *a = new_aggregator(s, JAMSTAT_TALLY, 0), *b = new_aggregator(s, JAMSTAT_TALLY, 0);
  /* sex: int32 indices into utf8 labels "Kvinnor", "Men", "Ej tillämpligt", null, "Kvinna". */
  const int32_t sex_index[N] = {0, 1, 2, 0, 3, 4};
  const int32_t sex_offsets[6] = {0, 7, 10, 25, 25, 31};
  const char sex_data[] = "KvinnorMenEj till\xC3\xA4mpligtKvinna";
  uint8_t sex_dict_valid[1] = {0x17}; /* entry 3 null */
  /* region: uint16 indices into an int64 dictionary {junk, 2, 1} with offset 1: index 0 -> 2. */
  const uint16_t region_index[N] = {0, 1, 1, 0, 0, 1};
  const int64_t region_dict[3] = {-99, 2, 1};
  /* age: plain utf8 labels (Swedish or English). */
  const int32_t age_offsets[N + 1] = {0, 4, 10, 16, 21, 26, 30};
  const char age_data[] = "UngaMiddle\xC3\x84ldreOlderMedelUnga";
  const uint8_t work[N] = {1, 1, 0, 0, 1, 0};
  const double hours[N] = {1, 2, 3, 4, 5, 6};
  jamstat_row_error errors[4];
  jamstat_batch_result r = JAMSTAT_BATCH_RESULT_INIT;
  batch_t t;
  int c;
  batch_init(&t, N, 0);
  c = batch_column(&t, "sex", "i", N, 0, 0, NULL, sex_index, NULL);
  batch_dictionary(&t, c, "u", 5, 0, 1, sex_dict_valid, sex_offsets, sex_data);
  c = batch_column(&t, "region", "S", N, 0, 0, NULL, region_index, NULL);
  batch_dictionary(&t, c, "l", 2, 1, 0, NULL, region_dict, NULL);
  batch_column(&t, "age", "u", N, 0, 0, NULL, age_offsets, age_data);
  batch_column(&t, "work", "C", N, 0, 0, NULL, work, NULL);
  batch_column(&t, "hours", "g", N, 0, 0, NULL, hours, NULL);
  r.errors = errors;
  r.error_capacity = 4;
  OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
  /* Rows 4 (null label: sex missing) and 5 ("Kvinna" is no label: not ISO 5218) are rejected. */
  CHECK(r.accepted == 4 && r.rejected == 2 && r.error_count == 2);
  CHECK(errors[0].row == 4 && errors[0].field == 0 && errors[0].reason == JAMSTAT_REJECTED_SEX_MISSING);
  CHECK(errors[1].row == 5 && errors[1].field == 0 && errors[1].reason == JAMSTAT_REJECTED_SEX_NOT_ISO5218);
  CHECK(strstr(r.first_rejected_message, "code is missing (null in the dictionary at index 3)") != NULL);
  {
    const int32_t sex[N] = {2, 1, 9, 2, -1, 12345}, region[N] = {2, 1, 1, 2, 2, 1}, age[N] = {0, 1, 2, 2, 1, 0};
    jamstat_array columns[5];
    columns[0] = arr(JAMSTAT_COLUMN_I32, sex, N);
    columns[1] = arr(JAMSTAT_COLUMN_I32, region, N);
    columns[2] = arr(JAMSTAT_COLUMN_I32, age, N);
    columns[3] = arr(JAMSTAT_COLUMN_U8, work, N);
    columns[4] = arr(JAMSTAT_COLUMN_F64, hours, N);
    OK(jamstat_aggregator_add_arrays(b, N, columns, 5, NULL));
    CHECK(same_state(a, b));
  }
  /* The unknown label's message names it. */
  t.array.offset = 5;
  t.array.length = 1;
  OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
  CHECK(strstr(r.first_rejected_message, "label 'Kvinna' (dictionary index 4) is neither the Swedish nor the English label of a level") != NULL);
  /* An index outside the dictionary is a malformed batch, found before anything is added. */
  {
    const int32_t bad_index[N] = {0, 1, 2, 7, 0, 1};
    const uint64_t before = participations(a);
    t.array.offset = 0;
    t.array.length = N;
    t.buffers[0][1] = bad_index;
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "Arrow child 0 'sex': row 3: dictionary index 7 is outside the dictionary's 5 values");
    CHECK(jamstat_last_error_row() == 3 && jamstat_last_error_field() == 0);
    CHECK(participations(a) == before);
    /* A null's index is not looked at. */
    {
      uint8_t valid[1] = {0x37}; /* row 3 null */
      t.child_arrays[0].null_count = 1;
      t.buffers[0][0] = valid;
      OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
      CHECK(r.accepted == 5 && r.rejected == 1 && r.first_rejected_row == 3 && r.first_rejected_reason == JAMSTAT_REJECTED_SEX_MISSING);
      t.child_arrays[0].null_count = 0;
      t.buffers[0][0] = NULL;
    }
  }
  /* Indices sliced twice (the child's own offset 2 and the batch's offset 1): a bad index is
   * located at its batch row and the field it feeds, region (field 1); rows 0..2 of the slice. */
  {
    const uint16_t sliced_index[N + 3] = {9, 9, 9, 0, 1, 5, 0, 0, 0};
    const int32_t sex_ok[N + 3] = {9, 9, 9, 0, 1, 0, 1, 0, 0};
    const uint64_t before = participations(a);
    t.buffers[0][1] = sex_ok;
    t.child_arrays[0].length = N + 3;
    t.child_arrays[0].offset = 2;
    t.child_arrays[1].length = N + 3;
    t.child_arrays[1].offset = 2;
    t.buffers[1][1] = sliced_index;
    t.array.offset = 1;
    t.array.length = 3;
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "Arrow child 1 'region': row 2: dictionary index 5 is outside the dictionary's 2 values");
    CHECK(jamstat_last_error_row() == 2 && jamstat_last_error_field() == 1);
    CHECK(participations(a) == before);
    /* One row fewer: the bad index is outside the slice and never read. Rows: region index 0, 1
     * (codes 2, 1) and sex labels Kvinnor, Men (codes 2, 1). */
    t.array.length = 2;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(r.accepted == 2 && r.rejected == 0 && participations(a) == before + 2);
    /* A fault among a dictionary's own entries has no batch row: row -1, the field it feeds. */
    {
      const int32_t bad_offsets[6] = {0, 7, 3, 25, 25, 31};
      t.dict_buffers[0][1] = bad_offsets;
      FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
            "offsets decrease (7 then 3)");
      CHECK(jamstat_last_error_row() == -1 && jamstat_last_error_field() == 0);
      CHECK(participations(a) == before + 2);
      t.dict_buffers[0][1] = sex_offsets;
    }
  }
  jamstat_aggregator_free(&a);
  jamstat_aggregator_free(&b);
  jamstat_schema_free(&s);
}

/* Decimals against a 2-decimal measure: scale equal, coarser, finer (exact and off the grid),
 * negative scales, 32/64/128-bit widths, values beyond every range; integer columns as values or
 * grid units; a floating measure from decimals. */
static void test_decimals(void) {
  enum { N = 6 };
  jamstat_schema *reject_schema = make_schema(JAMSTAT_OFF_GRID_REJECT, 1), *round_schema = make_schema(JAMSTAT_OFF_GRID_ROUND, 1);
  const uint8_t sex[N] = {1, 2, 1, 2, 1, 2}, region[N] = {1, 1, 2, 2, 1, 1}, age[N] = {0, 0, 1, 1, 2, 2}, work[N] = {0, 1, 0, 1, 0, 1};
  uint8_t hours[16 * N], cost[16 * N];
  jamstat_batch_result r = JAMSTAT_BATCH_RESULT_INIT;
  jamstat_array columns[6];
  batch_t t;
  int i;
  columns[0] = arr(JAMSTAT_COLUMN_U8, sex, N);
  columns[1] = arr(JAMSTAT_COLUMN_U8, region, N);
  columns[2] = arr(JAMSTAT_COLUMN_U8, age, N);
  columns[3] = arr(JAMSTAT_COLUMN_U8, work, N);
  batch_init(&t, N, 0);
  batch_column(&t, "sex", "C", N, 0, 0, NULL, sex, NULL);
  batch_column(&t, "region", "C", N, 0, 0, NULL, region, NULL);
  batch_column(&t, "age", "C", N, 0, 0, NULL, age, NULL);
  batch_column(&t, "work", "C", N, 0, 0, NULL, work, NULL);
  batch_column(&t, "hours", "d:12,4", N, 0, 0, NULL, hours, NULL);
  batch_column(&t, "cost", "d:12,1", N, 0, 0, NULL, cost, NULL);
  {
    /* Scale 4 > 2 decimals, extra digits zero: exact. cost 0.1 at scale 1 -> the double 0.1. */
    const int64_t scaled[N] = {375000, 2655400, 0, 100, -0 /* 0 */, 99999900};
    const int64_t units[N] = {3750, 26554, 0, 1, 0, 999999};
    const double cost_values[N] = {0.1, -2.5, 1e5, 0.3, 12345.6, -0.7};
    const int64_t cost_tenths[N] = {1, -25, 1000000, 3, 123456, -7};
    jamstat_aggregator *a = new_aggregator(reject_schema, JAMSTAT_REJECT, 0), *b = new_aggregator(reject_schema, JAMSTAT_REJECT, 0);
    for (i = 0; i < N; ++i) {
      put_decimal(hours, i, scaled[i]);
      put_decimal(cost, i, cost_tenths[i]);
    }
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    columns[4] = arr(JAMSTAT_COLUMN_I64, units, N);
    columns[5] = arr(JAMSTAT_COLUMN_F64, cost_values, N);
    OK(jamstat_aggregator_add_arrays(b, N, columns, 6, NULL));
    CHECK(same_state(a, b));
    /* Scale 1 < 2 decimals (rescaled exactly), and a negative scale (-2: unscaled 3 is 300). */
    t.child_schemas[4].format = "d:12,1";
    for (i = 0; i < N; ++i) put_decimal(hours, i, units[i] / 10);
    jamstat_aggregator_free(&a);
    a = new_aggregator(reject_schema, JAMSTAT_REJECT, 0);
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(total_stats(a, 0).sum == 10302.9); /* arrow_reference.py */
    t.child_schemas[4].format = "d:3,-2";
    for (i = 0; i < N; ++i) put_decimal(hours, i, i);
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(total_stats(a, 0).count == 2 * N && total_stats(a, 0).sum == 11802.9); /* + 0, 100, ..., 500 */
    jamstat_aggregator_free(&a);
    jamstat_aggregator_free(&b);
  }
  {
    /* 64- and 32-bit decimals at scale 2 are grid units: byte-identical to I64 columns. */
    const int64_t units64[N] = {3750, 26554, 0, 1, 77, 999999};
    const int32_t units32[N] = {3750, 26554, 0, 1, 77, 999999};
    const int64_t cost_units[N] = {1, 2, 3, 4, 5, 6};
    const double cost_values[N] = {1, 2, 3, 4, 5, 6};
    jamstat_aggregator *a = new_aggregator(reject_schema, JAMSTAT_REJECT, 0), *b = new_aggregator(reject_schema, JAMSTAT_REJECT, 0);
    jamstat_aggregator *c = new_aggregator(reject_schema, JAMSTAT_REJECT, 0);
    t.child_schemas[4].format = "d:18,2,64";
    t.buffers[4][1] = units64;
    t.child_schemas[5].format = "l"; /* integers for a floating measure: their values */
    t.buffers[5][1] = cost_units;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    t.child_schemas[4].format = "d:9,2,32";
    t.buffers[4][1] = units32;
    OK(jamstat_aggregator_add_arrow(c, &t.schema, &t.array, NULL, &r));
    columns[4] = arr(JAMSTAT_COLUMN_I64, units64, N);
    columns[5] = arr(JAMSTAT_COLUMN_F64, cost_values, N);
    OK(jamstat_aggregator_add_arrays(b, N, columns, 6, NULL));
    CHECK(same_state(a, b) && same_state(c, b));
    /* An int64 column: values by default (37 h), grid units with JAMSTAT_ARROW_GRID_UNITS. */
    {
      jamstat_arrow_options o = JAMSTAT_ARROW_OPTIONS_INIT;
      const int64_t whole[N] = {37, 265, 0, 1, 0, 9999};
      const int64_t whole_units[N] = {3700, 26500, 0, 100, 0, 999900};
      jamstat_aggregator *d = new_aggregator(reject_schema, JAMSTAT_REJECT, 0), *e = new_aggregator(reject_schema, JAMSTAT_REJECT, 0);
      t.child_schemas[4].format = "l";
      t.buffers[4][1] = whole;
      OK(jamstat_aggregator_add_arrow(d, &t.schema, &t.array, NULL, &r));
      columns[4] = arr(JAMSTAT_COLUMN_I64, whole_units, N);
      OK(jamstat_aggregator_add_arrays(e, N, columns, 6, NULL));
      CHECK(same_state(d, e));
      o.flags = JAMSTAT_ARROW_GRID_UNITS;
      t.buffers[4][1] = units64;
      OK(jamstat_aggregator_add_arrow(c, &t.schema, &t.array, &o, &r));
      columns[4] = arr(JAMSTAT_COLUMN_I64, units64, N);
      OK(jamstat_aggregator_add_arrays(b, N, columns, 6, NULL));
      CHECK(same_state(c, b));
      /* A value beyond the range, given as grid units: the message shows it as the value. */
      {
        const int64_t too_big[N] = {1, 2, 3, 10000000, 5, 6};
        t.buffers[4][1] = too_big;
        FAILS(jamstat_aggregator_add_arrow(d, &t.schema, &t.array, &o, &r), JAMSTAT_ERROR_BAD_RECORD,
              "row 3: numeric measure 'hours' (Arrow child 4 'hours'): value 100000.00 (10000000 grid units) is outside the "
              "measure's valid range [0, 99999.99]");
      }
      jamstat_aggregator_free(&d);
      jamstat_aggregator_free(&e);
    }
    jamstat_aggregator_free(&a);
    jamstat_aggregator_free(&b);
    jamstat_aggregator_free(&c);
  }
  {
    /* Finer than the grid with digits beyond it: the measure's off-grid rule on the exact decimal.
     * Under rounding, ties go to even on the exact value: 0.295 -> 0.30 (a double 0.295, just below,
     * would give 0.29), 0.285 -> 0.28, 12.3449 -> 12.34, 0.2951 -> 0.30 (arrow_reference.py). */
    const int64_t scaled[N] = {2950, 2850, 123449, 2951, 100, 5000};
    const double cost_values[N] = {1, 2, 3, 4, 5, 6};
    uint64_t rounded = 0;
    jamstat_aggregator *a = new_aggregator(round_schema, JAMSTAT_REJECT, 0), *b = new_aggregator(round_schema, JAMSTAT_REJECT, 0);
    jamstat_aggregator *c = new_aggregator(reject_schema, JAMSTAT_TALLY, 0);
    const int64_t expected_units[N] = {30, 28, 1234, 30, 1, 50};
    jamstat_row_error errors[6];
    t.child_schemas[4].format = "d:10,4";
    t.buffers[4][1] = hours;
    t.child_schemas[5].format = "g";
    t.buffers[5][1] = cost_values;
    for (i = 0; i < N; ++i) put_decimal(hours, i, scaled[i]);
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    OK(jamstat_aggregator_rounded_values(a, 0, &rounded));
    CHECK(rounded == 4);
    columns[4] = arr(JAMSTAT_COLUMN_I64, expected_units, N);
    columns[5] = arr(JAMSTAT_COLUMN_F64, cost_values, N);
    OK(jamstat_aggregator_add_arrays(b, N, columns, 6, NULL));
    OK(jamstat_aggregator_rounded_values(b, 0, &rounded));
    CHECK(rounded == 0 && total_stats(a, 0).sum == total_stats(b, 0).sum && total_stats(a, 0).sum == 13.73);
    /* Rejecting policy: the four off-grid values are bad records, worded with their exact text. */
    r.errors = errors;
    r.error_capacity = 6;
    OK(jamstat_aggregator_add_arrow(c, &t.schema, &t.array, NULL, &r));
    CHECK(r.accepted == 2 && r.rejected == 4 && r.error_count == 4 && errors[2].row == 2 &&
          errors[2].reason == JAMSTAT_REJECTED_MEASURE_OFF_RESOLUTION && errors[2].field == 4);
    CHECK(strstr(r.first_rejected_message,
                 "row 0: numeric measure 'hours' (Arrow child 4 'hours'): value 0.2950 is not on the measure's grid of 2 "
                 "decimals (resolution 0.01)") != NULL);
    r.errors = NULL;
    r.error_capacity = 0;
    /* Beyond 64 bits (2^100 at scale 4), and beyond the range: out of range, the exact value shown. */
    put_decimal128(hours, 0, 0, INT64_C(1) << 36);
    put_decimal(hours, 1, -100);
    OK(jamstat_aggregator_add_arrow(c, &t.schema, &t.array, NULL, &r));
    CHECK(r.first_rejected_reason == JAMSTAT_REJECTED_MEASURE_OUT_OF_RANGE);
    CHECK(strstr(r.first_rejected_message, "value 126765060022822940149670320.5376 is outside the measure's valid range") != NULL);
    CHECK(rejected(c, JAMSTAT_REJECTED_MEASURE_OUT_OF_RANGE, 4) == 2);
    jamstat_aggregator_free(&a);
    jamstat_aggregator_free(&b);
    jamstat_aggregator_free(&c);
  }
  {
    /* A floating measure from decimal128 beyond 2^53: correctly rounded through its exact text.
     * 1234567890123456789 * 10^-13 = 123456.7890123456789 -> the double 123456.78901234568. */
    const int64_t units[N] = {1, 2, 3, 4, 5, 6};
    jamstat_aggregator *a = new_aggregator(reject_schema, JAMSTAT_REJECT, 0);
    t.child_schemas[4].format = "d:18,2,64";
    t.buffers[4][1] = units;
    t.child_schemas[5].format = "d:30,13";
    t.buffers[5][1] = cost;
    for (i = 0; i < N; ++i) put_decimal(cost, i, INT64_C(1234567890123456789));
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(total_stats(a, 1).max == 123456.78901234568 && total_stats(a, 1).min == 123456.78901234568);
    jamstat_aggregator_free(&a);
  }
  jamstat_schema_free(&reject_schema);
  jamstat_schema_free(&round_schema);
}

/* Person ids of every flavour: the same persons as add_arrays gives, byte for byte. */
static void test_person_ids(void) {
  enum { N = 6 };
  jamstat_schema *s = make_schema(JAMSTAT_OFF_GRID_REJECT, 0);
  const uint8_t sex[N] = {1, 2, 1, 2, 1, 2}, region[N] = {1, 1, 2, 2, 1, 1}, age[N] = {0, 0, 1, 1, 2, 2}, work[N] = {0, 1, 0, 1, 0, 1};
  const double hours[N] = {1, 2, 3, 4, 5, 6};
  /* utf8 ids: "anna", "bo", null, "", "anna", "a-long-identifier" (a null and an empty one: missing). */
  const int32_t offsets[N + 1] = {0, 4, 6, 6, 6, 10, 27};
  const char data[] = "annaboannaa-long-identifier";
  uint8_t valid[1] = {0x3B}; /* row 2 null */
  jamstat_bytes ids[N];
  jamstat_array columns[6];
  jamstat_batch_result r = JAMSTAT_BATCH_RESULT_INIT;
  jamstat_aggregator *reference = new_aggregator(s, JAMSTAT_TALLY, 1);
  batch_t t;
  int i;
  for (i = 0; i < N; ++i) {
    ids[i].data = (const uint8_t *)data + offsets[i];
    ids[i].length = (size_t)(offsets[i + 1] - offsets[i]);
  }
  ids[2].data = NULL;
  columns[0] = arr(JAMSTAT_COLUMN_U8, sex, N);
  columns[1] = arr(JAMSTAT_COLUMN_U8, region, N);
  columns[2] = arr(JAMSTAT_COLUMN_U8, age, N);
  columns[3] = arr(JAMSTAT_COLUMN_U8, work, N);
  columns[4] = arr(JAMSTAT_COLUMN_F64, hours, N);
  columns[5] = arr(JAMSTAT_COLUMN_BYTES, ids, N);
  OK(jamstat_aggregator_add_arrays(reference, N, columns, 6, NULL));
  CHECK(rejected(reference, JAMSTAT_REJECTED_PERSON_ID_MISSING, 5) == 2);

  batch_init(&t, N, 0);
  batch_column(&t, "person_id", "u", N, 0, 1, valid, offsets, data);
  batch_column(&t, "sex", "C", N, 0, 0, NULL, sex, NULL);
  batch_column(&t, "region", "C", N, 0, 0, NULL, region, NULL);
  batch_column(&t, "age", "C", N, 0, 0, NULL, age, NULL);
  batch_column(&t, "work", "C", N, 0, 0, NULL, work, NULL);
  batch_column(&t, "hours", "g", N, 0, 0, NULL, hours, NULL);
  {
    jamstat_aggregator *a = new_aggregator(s, JAMSTAT_TALLY, 1);
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(r.rejected == 2 && r.first_rejected_row == 2 && r.first_rejected_field == 5);
    CHECK(strstr(r.first_rejected_message, "row 2: person_id is missing (null), but this aggregator counts distinct persons") != NULL);
    CHECK(same_state(a, reference));
    jamstat_aggregator_free(&a);
  }
  {
    /* large utf8 (int64 offsets) and binary: the same bytes. */
    const int64_t large_offsets[N + 1] = {0, 4, 6, 6, 6, 10, 27};
    jamstat_aggregator *a = new_aggregator(s, JAMSTAT_TALLY, 1), *b = new_aggregator(s, JAMSTAT_TALLY, 1);
    t.child_schemas[0].format = "U";
    t.buffers[0][1] = large_offsets;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(same_state(a, reference));
    t.child_schemas[0].format = "z";
    t.buffers[0][1] = offsets;
    OK(jamstat_aggregator_add_arrow(b, &t.schema, &t.array, NULL, &r));
    CHECK(same_state(b, reference));
    jamstat_aggregator_free(&a);
    jamstat_aggregator_free(&b);
  }
  {
    /* utf8 view: short strings inline, long ones in a data buffer (with its size). */
    uint8_t views[16 * N];
    const char *long_id = "a-long-identifier";
    const char *variadic_data = "xxa-long-identifier";
    const int64_t sizes[1] = {19};
    const int32_t lengths[N] = {4, 2, 0, 0, 4, 17};
    const char *short_ids[N] = {"anna", "bo", "", "", "anna", ""};
    jamstat_aggregator *a = new_aggregator(s, JAMSTAT_TALLY, 1);
    memset(views, 0, sizeof views);
    for (i = 0; i < N; ++i) {
      memcpy(views + 16 * i, &lengths[i], 4);
      if (lengths[i] <= 12) {
        memcpy(views + 16 * i + 4, short_ids[i], (size_t)lengths[i]);
      } else {
        const int32_t buffer = 0, offset = 2;
        memcpy(views + 16 * i + 4, long_id, 4);
        memcpy(views + 16 * i + 8, &buffer, 4);
        memcpy(views + 16 * i + 12, &offset, 4);
      }
    }
    t.child_schemas[0].format = "vu";
    t.child_arrays[0].n_buffers = 4;
    t.buffers[0][1] = views;
    t.buffers[0][2] = variadic_data;
    t.buffers[0][3] = sizes;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(same_state(a, reference));
    /* A view outside its buffer is a malformed batch. */
    {
      const int64_t small[1] = {10};
      t.buffers[0][3] = small;
      FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
            "Arrow child 0 'person_id': row 5: view of 17 bytes at offset 2 is outside data buffer 0 (10 bytes)");
      CHECK(jamstat_last_error_row() == 5 && jamstat_last_error_field() == 5);
    }
    jamstat_aggregator_free(&a);
  }
  {
    /* Dictionary-encoded utf8 ids: int8 indices. */
    const int8_t index[N] = {0, 1, 0, 2, 0, 3};
    const int32_t dict_offsets[5] = {0, 4, 6, 6, 23};
    const char dict_data[] = "annaboa-long-identifier";
    jamstat_aggregator *a = new_aggregator(s, JAMSTAT_TALLY, 1);
    t.child_schemas[0].format = "c";
    t.child_arrays[0].n_buffers = 2;
    t.buffers[0][1] = index;
    t.buffers[0][2] = NULL;
    batch_dictionary(&t, 0, "u", 4, 0, 0, NULL, dict_offsets, dict_data);
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(same_state(a, reference));
    jamstat_aggregator_free(&a);
    t.child_schemas[0].dictionary = NULL;
    t.child_arrays[0].dictionary = NULL;
  }
  {
    /* Integer ids: int64 (read in place) and int32 (widened, -1 as int64 -1) equal U64 columns;
     * int64 ids with a null: the null is a missing id, the others hash as the integers do. */
    const int64_t ids64[N] = {5, -1, 7, 5, INT64_MAX, 0};
    const int32_t ids32[N] = {5, -1, 7, 5, 2147483647, 0};
    const uint64_t u64[N] = {5, UINT64_MAX, 7, 5, (uint64_t)INT64_MAX, 0};
    const uint64_t u64b[N] = {5, UINT64_MAX, 7, 5, 2147483647u, 0};
    jamstat_aggregator *a = new_aggregator(s, JAMSTAT_TALLY, 1), *b = new_aggregator(s, JAMSTAT_TALLY, 1);
    jamstat_aggregator *c = new_aggregator(s, JAMSTAT_TALLY, 1), *d = new_aggregator(s, JAMSTAT_TALLY, 1);
    t.child_schemas[0].format = "l";
    t.child_arrays[0].null_count = 0;
    t.buffers[0][1] = ids64;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    columns[5] = arr(JAMSTAT_COLUMN_U64, u64, N);
    OK(jamstat_aggregator_add_arrays(b, N, columns, 6, NULL));
    CHECK(same_state(a, b) && total_persons(a) == 5);
    t.child_schemas[0].format = "i";
    t.buffers[0][1] = ids32;
    OK(jamstat_aggregator_add_arrow(c, &t.schema, &t.array, NULL, &r));
    columns[5] = arr(JAMSTAT_COLUMN_U64, u64b, N);
    OK(jamstat_aggregator_add_arrays(d, N, columns, 6, NULL));
    CHECK(same_state(c, d));
    jamstat_aggregator_free(&c);
    jamstat_aggregator_free(&d);
    /* With row 2 null: as add_arrays with that record's sex missing (rejected either way). */
    c = new_aggregator(s, JAMSTAT_TALLY, 1);
    d = new_aggregator(s, JAMSTAT_TALLY, 1);
    t.child_schemas[0].format = "l";
    t.child_arrays[0].null_count = 1;
    t.buffers[0][1] = ids64;
    OK(jamstat_aggregator_add_arrow(c, &t.schema, &t.array, NULL, &r));
    CHECK(r.rejected == 1 && r.first_rejected_row == 2 && r.first_rejected_reason == JAMSTAT_REJECTED_PERSON_ID_MISSING);
    {
      const int32_t sex_missing[N] = {1, 2, -1, 2, 1, 2};
      jamstat_array with_missing[6];
      memcpy(with_missing, columns, sizeof columns);
      with_missing[0] = arr(JAMSTAT_COLUMN_I32, sex_missing, N);
      with_missing[5] = arr(JAMSTAT_COLUMN_U64, u64, N);
      OK(jamstat_aggregator_add_arrays(d, N, with_missing, 6, NULL));
    }
    CHECK(participations(c) == participations(d) && total_persons(c) == total_persons(d) && total_persons(c) == 4);
    jamstat_aggregator_free(&a);
    jamstat_aggregator_free(&b);
    jamstat_aggregator_free(&c);
    jamstat_aggregator_free(&d);
  }
  {
    /* A person_id child for an aggregator that does not count persons is an error, never ignored. */
    jamstat_aggregator *a = new_aggregator(s, JAMSTAT_TALLY, 0);
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "Arrow child 0's name is 'person_id', but this aggregator does not count persons");
    jamstat_aggregator_free(&a);
  }
  jamstat_aggregator_free(&reference);
  jamstat_schema_free(&s);
}

/* Codes and outcomes of other widths and types; unaligned buffers; a null-type column; zero rows. */
static void test_other_types(void) {
  enum { N = 5 };
  jamstat_schema *s = make_schema(JAMSTAT_OFF_GRID_REJECT, 0);
  jamstat_aggregator *a = new_aggregator(s, JAMSTAT_TALLY, 0);
  const int8_t sex[N] = {2, -1, -5, 1, 2};
  const int64_t region[N] = {1, 2, 2, INT64_C(5000000000), 1};
  uint8_t age_bytes[4 * N + 1]; /* int32 codes at an odd address */
  const double work[N] = {1.0, 0.0, 1.0, 0.0, 0.5};
  jamstat_row_error errors[5];
  jamstat_batch_result r = JAMSTAT_BATCH_RESULT_INIT;
  batch_t t;
  int i;
  for (i = 0; i < N; ++i) {
    const int32_t code = i % 3;
    memcpy(age_bytes + 1 + 4 * i, &code, 4);
  }
  batch_init(&t, N, 0);
  batch_column(&t, "sex", "c", N, 0, 0, NULL, sex, NULL);
  batch_column(&t, "region", "l", N, 0, 0, NULL, region, NULL);
  batch_column(&t, "age", "i", N, 0, 0, NULL, age_bytes + 1, NULL);
  batch_column(&t, "work", "g", N, 0, 0, NULL, work, NULL);
  batch_column(&t, "hours", "n", N, 0, N, NULL, NULL, NULL);
  r.errors = errors;
  r.error_capacity = 5;
  OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
  CHECK(r.accepted == 0 && r.rejected == 5);
  CHECK(errors[0].field == 4 && errors[0].reason == JAMSTAT_REJECTED_MEASURE_NOT_FINITE);
  CHECK(errors[1].field == 0 && errors[1].reason == JAMSTAT_REJECTED_SEX_MISSING);
  CHECK(errors[2].field == 0 && errors[2].reason == JAMSTAT_REJECTED_SEX_NOT_ISO5218);
  CHECK(errors[3].field == 1 && errors[3].reason == JAMSTAT_REJECTED_CODE_UNKNOWN);
  CHECK(errors[4].field == 3 && errors[4].reason == JAMSTAT_REJECTED_OUTCOME_NOT_BINARY);
  CHECK(strstr(r.first_rejected_message, "numeric measure 'hours' (Arrow child 4 'hours'): value is missing (null)") != NULL);
  {
    /* Rows one at a time, for their messages. */
    const char *expected[N] = {"", "row 0: dimension 'sex' (Arrow child 0 'sex'): code is missing (-1)",
                               "code -5 is not a level; expected one of 0, 1, 2, 9 (ISO/IEC 5218)",
                               "dimension 'region' (Arrow child 1 'region'): code 5000000000 is not a level; expected one of 1, 2",
                               "outcome 'work' (Arrow child 3 'work'): value 0.5 is not 0 or 1"};
    const double hours[N] = {1, 2, 3, 4, 5};
    t.child_schemas[4].format = "g";
    t.child_arrays[4].n_buffers = 2;
    t.child_arrays[4].null_count = 0;
    t.buffers[4][1] = hours;
    t.array.length = 1;
    for (i = 1; i < N; ++i) {
      t.array.offset = i;
      OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
      CHECK(r.rejected == 1 && strstr(r.first_rejected_message, expected[i]) != NULL);
      if (r.rejected != 1 || strstr(r.first_rejected_message, expected[i]) == NULL) fprintf(stderr, "  got: %s\n", r.first_rejected_message);
    }
    t.array.offset = 0;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(r.accepted == 1 && participations(a) == 1);
    /* Zero rows: nothing added, nothing rejected. */
    t.array.length = 0;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(r.accepted == 0 && r.rejected == 0 && participations(a) == 1);
  }
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

/* Binding children: names (exact), SKIP_UNKNOWN, options.field_names, BY_POSITION. */
static void test_binding(void) {
  enum { N = 3 };
  jamstat_schema *s = make_schema(JAMSTAT_OFF_GRID_REJECT, 0);
  jamstat_aggregator *a = new_aggregator(s, JAMSTAT_REJECT, 0);
  const uint8_t sex[N] = {1, 2, 2}, region[N] = {1, 2, 1}, age[N] = {0, 1, 2}, work[N] = {1, 1, 0};
  const double hours[N] = {1.5, 2.5, 3.5};
  const int32_t dates[N] = {19000, 19001, 19002};
  jamstat_arrow_options o = JAMSTAT_ARROW_OPTIONS_INIT;
  jamstat_batch_result r = JAMSTAT_BATCH_RESULT_INIT;
  batch_t t;
  batch_init(&t, N, 0);
  batch_column(&t, "Kön", "C", N, 0, 0, NULL, sex, NULL);
  batch_column(&t, "region", "C", N, 0, 0, NULL, region, NULL);
  batch_column(&t, "start", "tdD", N, 0, 0, NULL, dates, NULL);
  batch_column(&t, "Age", "C", N, 0, 0, NULL, age, NULL);
  batch_column(&t, "work", "C", N, 0, 0, NULL, work, NULL);
  batch_column(&t, "hours", "g", N, 0, 0, NULL, hours, NULL);
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 0's name 'Kön' is not a field of the schema; the fields are sex, region, age, work, hours");
  t.child_schemas[0].name = "Sex";
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "'Sex' is not a field of the schema (names are case-sensitive: the schema has 'sex')");
  t.child_schemas[0].name = "sex";
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT, "'start' is not a field");
  o.flags = JAMSTAT_ARROW_SKIP_UNKNOWN;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "no Arrow child feeds dimension 'age'");
  t.child_schemas[3].name = "age";
  OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r)); /* the date child is skipped */
  CHECK(r.accepted == N && participations(a) == N);
  {
    /* options.field_names renames and skips children (NULL: skip). */
    const char *names[6] = {"sex", "region", NULL, "age", "work", "hours"};
    t.child_schemas[0].name = "kon";
    t.child_schemas[3].name = "alder";
    o.flags = 0;
    o.field_names = names;
    o.field_name_count = 6;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r));
    CHECK(participations(a) == 2 * N);
    names[4] = "hours";
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "Arrow children 4 and 5 both feed numeric measure 'hours'");
    names[4] = "arbete";
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "options.field_names[4] 'arbete' is not a field of the schema");
    names[4] = "work";
    o.field_name_count = 5;
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "options.field_name_count is 5; the record batch has 6 children");
    o.field_name_count = 6;
    o.flags = JAMSTAT_ARROW_BY_POSITION;
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "options.field_names and JAMSTAT_ARROW_BY_POSITION exclude each other");
    o.field_names = NULL;
    o.field_name_count = 0;
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "the record batch has 6 children; by position it needs 5 (sex, region, age, work, hours)");
  }
  {
    /* By position: names are not read. The date child in the measure's place is refused by type. */
    t.schema.n_children = t.array.n_children = 5;
    t.schema_children[2] = &t.child_schemas[3];
    t.array_children[2] = &t.child_arrays[3];
    t.schema_children[3] = &t.child_schemas[4];
    t.array_children[3] = &t.child_arrays[4];
    t.schema_children[4] = &t.child_schemas[2];
    t.array_children[4] = &t.child_arrays[2];
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "Arrow child 4 'start' has type date32 (format 'tdD'), which jamstat does not read");
    t.schema_children[4] = &t.child_schemas[5];
    t.array_children[4] = &t.child_arrays[5];
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r));
    CHECK(participations(a) == 3 * N);
    /* A type the field cannot take. */
    t.schema_children[3] = &t.child_schemas[5];
    t.array_children[3] = &t.child_arrays[5];
    t.schema_children[4] = &t.child_schemas[4];
    t.array_children[4] = &t.child_arrays[4];
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r), JAMSTAT_ERROR_BAD_RECORD,
          "row 0: outcome 'work' (Arrow child 3 'hours'): value 1.5 is not 0 or 1");
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT, "is not a field");
  }
  (void)r;
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

/* Release callbacks: borrowed by default; with JAMSTAT_ARROW_RELEASE released exactly once, base
 * structures only, on success and on every error, with the error state kept. */
static jamstat_aggregator *reentrant_target;
static void release_top_schema_calling_jamstat(struct ArrowSchema *s) {
  size_t n = 0;
  (void)jamstat_schema_dimension_count(NULL, &n); /* a failing call inside the callback */
  (void)reentrant_target;
  release_top_schema(s);
}

static void test_release(void) {
  enum { N = 2 };
  jamstat_schema *s = make_schema(JAMSTAT_OFF_GRID_REJECT, 0);
  jamstat_aggregator *a = new_aggregator(s, JAMSTAT_REJECT, 0);
  const uint8_t sex[N] = {1, 2}, bad_sex[N] = {1, 3}, region[N] = {1, 2}, age[N] = {0, 1}, work[N] = {1, 0};
  const double hours[N] = {1, 2};
  jamstat_arrow_options o = JAMSTAT_ARROW_OPTIONS_INIT;
  batch_t t;
#define BUILD()                                                    \
  do {                                                             \
    batch_init(&t, N, 0);                                          \
    batch_column(&t, "sex", "C", N, 0, 0, NULL, sex, NULL);        \
    batch_column(&t, "region", "C", N, 0, 0, NULL, region, NULL);  \
    batch_column(&t, "age", "C", N, 0, 0, NULL, age, NULL);        \
    batch_column(&t, "work", "C", N, 0, 0, NULL, work, NULL);      \
    batch_column(&t, "hours", "g", N, 0, 0, NULL, hours, NULL);    \
    reset_release_counts();                                        \
  } while (0)
#define RELEASED_ONCE()                                                                                                   \
  CHECK(top_schema_released == 1 && top_array_released == 1 && child_schema_released == 5 && child_array_released == 5 && \
        released_directly == 0 && t.schema.release == NULL && t.array.release == NULL)

  o.flags = JAMSTAT_ARROW_RELEASE;
  /* Success. */
  BUILD();
  OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, NULL));
  RELEASED_ONCE();
  CHECK(participations(a) == N);
  /* A released structure is refused (not read, not released again). */
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "the ArrowSchema has been released (release is NULL)");
  RELEASED_ONCE();
  /* A bad record: released, and the error (status, message, row, field) kept. */
  BUILD();
  t.buffers[0][1] = bad_sex;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, NULL), JAMSTAT_ERROR_BAD_RECORD,
        "row 1: dimension 'sex' (Arrow child 0 'sex'): code 3 is not a level");
  CHECK(jamstat_last_error_row() == 1 && jamstat_last_error_field() == 0);
  RELEASED_ONCE();
  /* A malformed batch, a wrong handle, a NULL aggregator: released all the same. */
  BUILD();
  t.child_arrays[2].length = 1;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 2 'age': has 1 values; the batch needs 2");
  RELEASED_ONCE();
  BUILD();
  FAILS(jamstat_aggregator_add_arrow(NULL, &t.schema, &t.array, &o, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "aggregator is NULL");
  RELEASED_ONCE();
  BUILD();
  FAILS(jamstat_aggregator_add_arrow((jamstat_aggregator *)s, &t.schema, &t.array, &o, NULL), JAMSTAT_ERROR_WRONG_HANDLE,
        "not a live jamstat_aggregator");
  RELEASED_ONCE();
  /* A release callback that itself calls jamstat does not change the error the caller sees. */
  BUILD();
  t.schema.release = release_top_schema_calling_jamstat;
  t.buffers[0][1] = bad_sex;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, NULL), JAMSTAT_ERROR_BAD_RECORD, "code 3 is not a level");
  CHECK(top_schema_released == 1 && t.schema.release == NULL);
  BUILD();
  t.schema.release = release_top_schema_calling_jamstat;
  OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, NULL));
  CHECK(jamstat_last_error_status() == JAMSTAT_OK && strcmp(jamstat_last_error_message(), "") == 0);
  /* Borrowed (flags 0): never released, on success or failure; the caller releases. */
  o.flags = 0;
  BUILD();
  OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, NULL));
  t.buffers[0][1] = bad_sex;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, NULL), JAMSTAT_ERROR_BAD_RECORD, "code 3");
  CHECK(top_schema_released == 0 && top_array_released == 0 && child_schema_released == 0 && child_array_released == 0);
  t.schema.release(&t.schema);
  t.array.release(&t.array);
  RELEASED_ONCE();
  /* Options too short to hold flags: nothing is released (the flags cannot be read). */
  BUILD();
  o.flags = JAMSTAT_ARROW_RELEASE;
  o.struct_size = 4;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "options.struct_size is 4; expected at least 24");
  CHECK(top_schema_released == 0);
  t.schema.release(&t.schema);
  t.array.release(&t.array);
#undef BUILD
#undef RELEASED_ONCE
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

/* Malformed batches: every one named precisely, none adds anything. */
static void test_malformed(void) {
  enum { N = 3 };
  jamstat_schema *s = make_schema(JAMSTAT_OFF_GRID_REJECT, 0);
  jamstat_aggregator *a = new_aggregator(s, JAMSTAT_REJECT, 0);
  const uint8_t sex[N] = {1, 2, 2}, region[N] = {1, 2, 1}, age[N] = {0, 1, 2}, work[N] = {1, 1, 0};
  const double hours[N] = {1.5, 2.5, 3.5};
  const int32_t bad_offsets[N + 1] = {0, 4, 2, 6};
  jamstat_arrow_options o = JAMSTAT_ARROW_OPTIONS_INIT;
  jamstat_batch_result r = JAMSTAT_BATCH_RESULT_INIT;
  batch_t t;
  batch_init(&t, N, 0);
  batch_column(&t, "sex", "C", N, 0, 0, NULL, sex, NULL);
  batch_column(&t, "region", "C", N, 0, 0, NULL, region, NULL);
  batch_column(&t, "age", "C", N, 0, 0, NULL, age, NULL);
  batch_column(&t, "work", "C", N, 0, 0, NULL, work, NULL);
  batch_column(&t, "hours", "g", N, 0, 0, NULL, hours, NULL);
  OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
  FAILS(jamstat_aggregator_add_arrow(a, NULL, &t.array, NULL, &r), JAMSTAT_ERROR_NULL_ARGUMENT, "schema is NULL");
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, NULL, NULL, &r), JAMSTAT_ERROR_NULL_ARGUMENT, "array is NULL");
  t.schema.format = "+l";
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "the ArrowSchema has type list (format '+l'); a record batch is given as a struct array (format '+s')");
  t.schema.format = "+s";
  t.array.n_children = 4;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "the ArrowSchema has 5 children but the ArrowArray 4");
  t.array.n_children = 5;
  t.array.length = 4;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 0 'sex': has 3 values; the batch needs 4 (its offset 0 plus its length 4)");
  t.array.length = N;
  t.array.null_count = 1;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "the record batch's null_count is 1 but its validity bitmap is NULL");
  t.array.null_count = 0;
  t.child_arrays[1].null_count = 2;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 1 'region': null_count is 2 but its validity bitmap (buffer 0) is NULL");
  t.child_arrays[1].null_count = 9;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 1 'region': null_count 9 is not within [-1, length 3]");
  t.child_arrays[1].null_count = 0;
  t.child_arrays[4].n_buffers = 3;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 4 'hours': has 3 buffers; an array of type float64 (format 'g') has 2");
  t.child_arrays[4].n_buffers = 2;
  t.buffers[4][1] = NULL;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 4 'hours': its values buffer (buffer 1) is NULL");
  t.buffers[4][1] = hours;
  t.child_arrays[3].offset = -1;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 3 'work': length 3 and offset -1 must not be negative");
  t.child_arrays[3].offset = 0;
  t.child_schemas[2].format = "d:40,2,256";
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 2 'age' has type decimal (format 'd:40,2,256'), which jamstat does not read");
  t.child_schemas[2].format = "g";
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 2 'age' has type float64 (format 'g'); dimension 'age' takes integer codes");
  CHECK(jamstat_last_error_row() == -1 && jamstat_last_error_field() == 2);
  t.child_schemas[2].format = "u";
  t.child_arrays[2].n_buffers = 3;
  t.buffers[2][1] = bad_offsets;
  t.buffers[2][2] = "UngaMedel";
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 2 'age': row 1: offsets decrease (4 then 2)");
  CHECK(jamstat_last_error_row() == 1 && jamstat_last_error_field() == 2);
  t.child_schemas[2].format = "C";
  t.child_arrays[2].n_buffers = 2;
  t.buffers[2][1] = age;
  t.child_arrays[0].release = NULL;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 0 'sex': its ArrowArray has been released (release is NULL)");
  t.child_arrays[0].release = release_child_array;
  t.child_schemas[1].dictionary = &t.dict_schemas[1];
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "Arrow child 1 'region': its ArrowSchema has dictionary but its ArrowArray has none");
  t.child_schemas[1].dictionary = NULL;
  o.flags = 64;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &o, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
        "options.flags has unknown bits (64)");
  o.flags = 0;
  {
    /* A larger options struct with a non-zero unknown tail is refused. */
    struct {
      jamstat_arrow_options o;
      uint64_t newer;
    } big;
    memset(&big, 0, sizeof big);
    big.o.struct_size = sizeof big;
    big.newer = 1;
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &big.o, &r), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "a newer option would be ignored");
    big.newer = 0;
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, &big.o, &r));
  }
  r.struct_size = 8;
  FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_INVALID_ARGUMENT, "result.struct_size is 8");
  CHECK(participations(a) == 2 * N);
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

/* Batches of several blocks (converted columns are read 131,072 rows at a time): all-or-nothing
 * under reject across blocks, every bad row listed, rows numbered in the whole batch, and the state
 * byte-identical to add_arrays. */
static uint64_t lcg_state = 20250101u;
static uint32_t lcg(void) {
  lcg_state = lcg_state * 6364136223846793005u + 1442695040888963407u;
  return (uint32_t)(lcg_state >> 33);
}

static void test_many_blocks(void) {
  enum { N = 300000 };
  jamstat_schema *s = make_schema(JAMSTAT_OFF_GRID_REJECT, 0);
  uint8_t *sex = (uint8_t *)malloc(N), *age = (uint8_t *)malloc(N), *work = (uint8_t *)malloc(N);
  uint8_t *work_bits = (uint8_t *)calloc(N / 8 + 1, 1), *region_valid = (uint8_t *)malloc(N / 8 + 1);
  int64_t *region = (int64_t *)malloc(N * sizeof(int64_t)), *units = (int64_t *)malloc(N * sizeof(int64_t));
  int32_t *region32 = (int32_t *)malloc(N * sizeof(int32_t));
  uint8_t *hours = (uint8_t *)malloc(16 * (size_t)N);
  const uint8_t sexes[4] = {0, 1, 2, 9};
  jamstat_row_error errors[4];
  jamstat_batch_result r = JAMSTAT_BATCH_RESULT_INIT;
  jamstat_array columns[5];
  batch_t t;
  int64_t i;
  memset(region_valid, 0xFF, N / 8 + 1);
  for (i = 0; i < N; ++i) {
    sex[i] = sexes[lcg() % 4];
    region[i] = 1 + lcg() % 2;
    region32[i] = (int32_t)region[i];
    age[i] = (uint8_t)(lcg() % 3);
    work[i] = (uint8_t)(lcg() % 2);
    set_bit(work_bits, i, work[i]);
    units[i] = lcg() % 1000000;
    put_decimal(hours, i, units[i]);
  }
  columns[0] = arr(JAMSTAT_COLUMN_U8, sex, N);
  columns[1] = arr(JAMSTAT_COLUMN_I32, region32, N);
  columns[2] = arr(JAMSTAT_COLUMN_U8, age, N);
  columns[3] = arr(JAMSTAT_COLUMN_U8, work, N);
  columns[4] = arr(JAMSTAT_COLUMN_I64, units, N);
  batch_init(&t, N, 0);
  batch_column(&t, "sex", "C", N, 0, 0, NULL, sex, NULL);
  batch_column(&t, "region", "l", N, 0, -1, region_valid, region, NULL);
  batch_column(&t, "age", "C", N, 0, 0, NULL, age, NULL);
  batch_column(&t, "work", "b", N, 0, 0, NULL, work_bits, NULL);
  batch_column(&t, "hours", "d:10,2", N, 0, 0, NULL, hours, NULL);
  {
    /* Clean: the same state as add_arrays, under either policy. */
    jamstat_aggregator *a = new_aggregator(s, JAMSTAT_REJECT, 0), *b = new_aggregator(s, JAMSTAT_REJECT, 0);
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(r.accepted == N && r.rejected == 0);
    OK(jamstat_aggregator_add_arrays(b, N, columns, 5, NULL));
    CHECK(same_state(a, b));
    jamstat_aggregator_free(&a);
    jamstat_aggregator_free(&b);
  }
  /* Two missing regions, in the first and third blocks. */
  set_bit(region_valid, 100, 0);
  set_bit(region_valid, 280000, 0);
  region32[100] = region32[280000] = -1;
  {
    jamstat_aggregator *a = new_aggregator(s, JAMSTAT_REJECT, 0), *fresh = new_aggregator(s, JAMSTAT_REJECT, 0);
    r.errors = errors;
    r.error_capacity = 4;
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_BAD_RECORD,
          "row 100: dimension 'region' (Arrow child 1 'region'): code is missing (null)");
    CHECK(r.error_count == 2 && errors[0].row == 100 && errors[1].row == 280000 && errors[1].field == 1);
    CHECK(participations(a) == 0 && same_state(a, fresh));
    /* The bad row alone in the last block: still nothing added. */
    set_bit(region_valid, 100, 1);
    FAILS(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r), JAMSTAT_ERROR_BAD_RECORD, "row 280000: ");
    CHECK(jamstat_last_error_row() == 280000 && participations(a) == 0 && same_state(a, fresh));
    set_bit(region_valid, 100, 0);
    jamstat_aggregator_free(&a);
    jamstat_aggregator_free(&fresh);
  }
  {
    /* Tally: the same state (and tally) as add_arrays with the missing code. */
    jamstat_aggregator *a = new_aggregator(s, JAMSTAT_TALLY, 0), *b = new_aggregator(s, JAMSTAT_TALLY, 0);
    OK(jamstat_aggregator_add_arrow(a, &t.schema, &t.array, NULL, &r));
    CHECK(r.accepted == N - 2 && r.rejected == 2 && r.first_rejected_row == 100 && r.error_count == 2 && errors[1].row == 280000);
    OK(jamstat_aggregator_add_arrays(b, N, columns, 5, NULL));
    CHECK(same_state(a, b));
    jamstat_aggregator_free(&a);
    jamstat_aggregator_free(&b);
  }
  free(sex);
  free(age);
  free(work);
  free(work_bits);
  free(region_valid);
  free(region);
  free(region32);
  free(units);
  free(hours);
  jamstat_schema_free(&s);
}

int main(void) {
  test_same_as_add_arrays();
  test_offsets_and_nulls();
  test_struct_nulls();
  test_dictionaries();
  test_decimals();
  test_person_ids();
  test_other_types();
  test_binding();
  test_release();
  test_malformed();
  test_many_blocks();
  printf("c_api: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
