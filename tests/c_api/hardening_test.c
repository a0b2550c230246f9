/*
 * hardening_test.c -- the findings of the hostile-caller review of the C ABI, each a regression
 * test, compiled as C11: counts that wrapped, contradictory states that read, allocations driven
 * by tiny states, unbounded and invalid-UTF-8 messages, header and behaviour that disagreed; and
 * the binding-friendly additions (status messages, sized arrays, every bad row of a batch,
 * column-wise export, cube and total, lookups).
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <xxhash.h>

#include "check.h"

/* --- helpers ---------------------------------------------------------------------------------- */

static int valid_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t len, k;
    uint32_t cp;
    if (*p < 0x80) {
      ++p;
      continue;
    }
    if ((*p & 0xE0) == 0xC0) {
      len = 2;
      cp = *p & 0x1F;
    } else if ((*p & 0xF0) == 0xE0) {
      len = 3;
      cp = *p & 0x0F;
    } else if ((*p & 0xF8) == 0xF0) {
      len = 4;
      cp = *p & 0x07;
    } else {
      return 0;
    }
    for (k = 1; k < len; ++k) {
      if ((p[k] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (p[k] & 0x3F);
    }
    if (cp < (len == 2 ? 0x80u : len == 3 ? 0x800u : 0x10000u) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    p += len;
  }
  return 1;
}

static long max_rss_kib(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

static void put_u64(uint8_t *b, size_t at, uint64_t v) {
  int i;
  for (i = 0; i < 8; ++i) b[at + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_u32(const uint8_t *b, size_t at) {
  return (uint32_t)b[at] | (uint32_t)b[at + 1] << 8 | (uint32_t)b[at + 2] << 16 | (uint32_t)b[at + 3] << 24;
}

/* Recomputes the trailing XXH3-128 checksum (docs/state-format.md). */
static void reseal(uint8_t *b, size_t size) {
  XXH128_hash_t h = XXH3_128bits(b, size - 16);
  put_u64(b, size - 16, h.low64);
  put_u64(b, size - 8, h.high64);
}

static uint8_t *serialize(const jamstat_aggregator *a, size_t *size) {
  uint8_t *bytes;
  OK(jamstat_aggregator_serialized_size(a, size));
  bytes = malloc(*size);
  OK(jamstat_aggregator_serialize(a, bytes, *size, size));
  return bytes;
}

/* Offsets in a state (docs/state-format.md): after the schema, the key check, the participations,
 * the anonymous counts, the tally (u32 F, u32 R, R x F u64), the rounded counts (M u64), the cell
 * count, the cells. */
typedef struct located {
  size_t participations, tally, rounded, cells;
} located;

static located locate(const uint8_t *b, size_t measures) {
  located l;
  const size_t schema_length = get_u32(b, 32);
  const size_t fields = get_u32(b, 24 + 8 + 4 + schema_length + 8 + 8 + 32);
  const size_t reasons = get_u32(b, 24 + 8 + 4 + schema_length + 8 + 8 + 32 + 4);
  l.participations = 24 + 8 + 4 + schema_length + 8;
  l.tally = l.participations + 8 + 32;
  l.rounded = l.tally + 8 + 8 * reasons * fields;
  l.cells = l.rounded + 8 * measures;
  return l;
}

/* sex x region (codes 1, 2); outcome work; hours decimal (2 decimals, 0..1000), cost floating. */
static jamstat_schema *schema_two_measures(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  const int32_t codes[2] = {1, 2};
  const char *sv[2] = {"Norr", "S\xC3\xB6" "der"}, *en[2] = {"North", "South"};
  jamstat_measure_definition hours = JAMSTAT_MEASURE_DEFINITION_INIT;
  hours.name = "hours";
  hours.kind = JAMSTAT_MEASURE_DECIMAL;
  hours.decimals = 2;
  hours.has_range = 1;
  hours.lowest = 0;
  hours.highest = 1000;
  OK(jamstat_schema_builder_new(&b));
  OK(jamstat_schema_builder_add_dimension(b, "region", 2, codes, sv, en));
  OK(jamstat_schema_builder_add_outcome(b, "work", "I arbete", "In work"));
  OK(jamstat_schema_builder_add_measure(b, &hours));
  OK(jamstat_schema_builder_add_numeric(b, "cost", "SEK", "Kostnad", "Cost"));
  OK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  return s;
}

static void add_one(jamstat_aggregator *a, int32_t sex, int32_t region, int32_t work, double hours, double cost) {
  const int32_t c[2] = {sex, region}, o[1] = {work};
  const double v[2] = {hours, cost};
  OK(jamstat_aggregator_add(a, c, 2, o, 1, v, 2, NULL, NULL));
}

/* --- silent wrong answers ----------------------------------------------------------------------- */

static void test_counts_never_wrap(void) {
  jamstat_schema *s = schema_two_measures();
  jamstat_aggregator *a = NULL, *b = NULL, *x = NULL, *y = NULL;
  uint8_t *bytes;
  size_t size;
  located l;
  uint64_t n = 0;
  OK(jamstat_aggregator_new(s, NULL, &a));
  add_one(a, 2, 1, 1, 1.5, 10);
  bytes = serialize(a, &size);
  l = locate(bytes, 2);
  /* One cell of 2^63 participations (its successes 0, its measures' counts 2^63 too: the reader
   * checks the statistics, so make them those of 2^63 equal values). */
  put_u64(bytes, l.participations, (uint64_t)1 << 63);
  put_u64(bytes, l.cells + 8 + 8, (uint64_t)1 << 63);     /* the cell's participations */
  put_u64(bytes, l.cells + 8 + 16, 0);                     /* successes */
  put_u64(bytes, l.cells + 8 + 24, (uint64_t)1 << 63);     /* hours count */
  put_u64(bytes, l.cells + 8 + 32, 0);                     /* hours sum: 150 x 2^63 = 75 x 2^64 */
  put_u64(bytes, l.cells + 8 + 40, 75);
  put_u64(bytes, l.cells + 8 + 48, 0);                     /* sum of squares: 22500 x 2^63 = 11250 x 2^64 */
  put_u64(bytes, l.cells + 8 + 56, 11250);
  put_u64(bytes, l.cells + 8 + 80, 150);                   /* second largest: all values are 1.50 */
  put_u64(bytes, l.cells + 8 + 24 + 64, (uint64_t)1 << 63); /* cost count */
  {
    const double ten = 10;
    uint64_t bits;
    memcpy(&bits, &ten, 8);
    put_u64(bytes, l.cells + 8 + 144, bits); /* cost's second largest: all values are 10 */
  }
  reseal(bytes, size);
  OK(jamstat_aggregator_deserialize(bytes, size, NULL, &x));
  OK(jamstat_aggregator_deserialize(bytes, size, NULL, &y));
  FAILS(jamstat_aggregator_merge(x, y), JAMSTAT_ERROR_OVERFLOW, "2^64 - 1");
  OK(jamstat_aggregator_participations(x, &n));
  CHECK(n == (uint64_t)1 << 63); /* unchanged */
  free(bytes);

  /* A tally of 2^63 + 2^63 rejections: refused on read, not read as 0. */
  OK(jamstat_aggregator_new(s, NULL, &b));
  bytes = serialize(b, &size);
  l = locate(bytes, 2);
  put_u64(bytes, l.tally + 8 + 8 * 0, (uint64_t)1 << 63); /* sex_missing, field sex */
  put_u64(bytes, l.tally + 8 + 8 * 6, (uint64_t)1 << 63); /* sex_not_iso5218 (6 fields a reason), field sex */
  reseal(bytes, size);
  FAILS(jamstat_aggregator_deserialize(bytes, size, NULL, &y), JAMSTAT_ERROR_STATE_FORMAT, "more than 2^64 - 1");
  free(bytes);
  jamstat_aggregator_free(&a);
  jamstat_aggregator_free(&b);
  jamstat_aggregator_free(&x);
  jamstat_aggregator_free(&y);
  jamstat_schema_free(&s);
}

static void test_contradictory_states_are_refused(void) {
  jamstat_schema *s = schema_two_measures();
  jamstat_aggregator *a = NULL, *back = NULL;
  uint8_t *bytes;
  size_t size;
  located l;
  double mean = 1001;
  uint64_t bits;
  OK(jamstat_aggregator_new(s, NULL, &a));
  add_one(a, 2, 1, 1, 1, 1);
  add_one(a, 2, 1, 0, 2, 2);
  bytes = serialize(a, &size);
  l = locate(bytes, 2);
  /* Count 2, min 1, max 2, but a mean of 1001 (cost: shift 1 + offset 1000). */
  memcpy(&bits, &mean, 8);
  put_u64(bytes, l.cells + 8 + 24 + 64 + 16, bits - 0); /* the cost offset's high part */
  reseal(bytes, size);
  FAILS(jamstat_aggregator_deserialize(bytes, size, NULL, &back), JAMSTAT_ERROR_STATE_FORMAT, "mean is outside");
  free(bytes);
  /* Hours: count 2, min 1.00, max 2.00, but a sum of -7.00. */
  bytes = serialize(a, &size);
  put_u64(bytes, l.cells + 8 + 24 + 8, (uint64_t)(int64_t)-700);
  put_u64(bytes, l.cells + 8 + 24 + 16, UINT64_MAX); /* the sign extension of the 128-bit sum */
  reseal(bytes, size);
  FAILS(jamstat_aggregator_deserialize(bytes, size, NULL, &back), JAMSTAT_ERROR_STATE_FORMAT, "sum contradicts");
  free(bytes);
  CHECK(back == NULL);
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

/* --- bounded resources -------------------------------------------------------------------------- */

static void test_tiny_states_cannot_allocate_much(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  jamstat_aggregator *a = NULL, *back = NULL;
  uint8_t *bytes;
  size_t size, d;
  long before, after;
  char name[16];
  const int32_t codes[2] = {0, 1048575};
  const char *labels[2] = {"a", "b"};
  int32_t codes32[32];
  const char *labels32[32];

  /* 60 two-level dimensions coded {0, 1048575}: 242 MiB before (a dense code table each). */
  before = max_rss_kib();
  OK(jamstat_schema_builder_new(&b));
  for (d = 0; d < 60; ++d) {
    sprintf(name, "d%u", (unsigned)d);
    OK(jamstat_schema_builder_add_dimension(b, name, 2, codes, labels, labels));
  }
  OK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  OK(jamstat_aggregator_new(s, NULL, &a));
  bytes = serialize(a, &size);
  OK(jamstat_aggregator_deserialize(bytes, size, NULL, &back));
  after = max_rss_kib();
  CHECK(after - before < 32 * 1024);
  free(bytes);
  jamstat_aggregator_free(&a);
  jamstat_aggregator_free(&back);
  jamstat_schema_free(&s);

  /* A 4 x 32^3 grid with 40 measures and no cells: 484 MiB before (a dense grid of 40 measures). */
  before = max_rss_kib();
  for (d = 0; d < 32; ++d) {
    codes32[d] = (int32_t)d;
    labels32[d] = "x";
  }
  OK(jamstat_schema_builder_new(&b));
  OK(jamstat_schema_builder_add_dimension(b, "a", 32, codes32, labels32, labels32));
  OK(jamstat_schema_builder_add_dimension(b, "b", 32, codes32, labels32, labels32));
  OK(jamstat_schema_builder_add_dimension(b, "c", 32, codes32, labels32, labels32));
  for (d = 0; d < 40; ++d) {
    sprintf(name, "m%u", (unsigned)d);
    OK(jamstat_schema_builder_add_numeric(b, name, "", "", ""));
  }
  OK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  OK(jamstat_aggregator_new(s, NULL, &a));
  bytes = serialize(a, &size);
  OK(jamstat_aggregator_deserialize(bytes, size, NULL, &back));
  after = max_rss_kib();
  CHECK(after - before < 64 * 1024);
  free(bytes);
  jamstat_aggregator_free(&a);
  jamstat_aggregator_free(&back);
  jamstat_schema_free(&s);
}

static void test_messages_are_short_and_utf8(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  jamstat_aggregator *a = NULL;
  int32_t *codes = malloc(65535 * sizeof *codes);
  const char **labels = malloc(65535 * sizeof *labels);
  char *long_name = malloc(1 << 20);
  size_t i, index = 0;
  const int32_t bad[3] = {2, 70000, 0};
  const int32_t none[1] = {0};
  for (i = 0; i < 65535; ++i) {
    codes[i] = (int32_t)i;
    labels[i] = "x";
  }
  memset(long_name, 'n', (1 << 20) - 1);
  long_name[(1 << 20) - 1] = 0;
  OK(jamstat_schema_builder_new(&b));
  OK(jamstat_schema_builder_add_dimension(b, "many", 65535, codes, labels, labels));
  OK(jamstat_schema_builder_add_dimension(b, long_name, 1, none, labels, labels));
  OK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  OK(jamstat_aggregator_new(s, NULL, &a));
  /* An unknown code in a 65,535-level dimension: a few codes listed, and how many more. */
  FAILS(jamstat_aggregator_add(a, bad, 3, NULL, 0, NULL, 0, NULL, NULL), JAMSTAT_ERROR_BAD_RECORD, "and 65523 more");
  CHECK(strlen(jamstat_last_error_message()) < 300);
  /* A 1 MiB name is not echoed in full. */
  FAILS(jamstat_schema_dimension_index(s, long_name + 1, &index), JAMSTAT_ERROR_INVALID_ARGUMENT, "bytes)");
  CHECK(strlen(jamstat_last_error_message()) < 400);
  /* Invalid UTF-8 from the caller comes back escaped. */
  FAILS(jamstat_schema_dimension_index(s, "\xff\xfe region", &index), JAMSTAT_ERROR_INVALID_ARGUMENT, "\\xFF\\xFE region");
  CHECK(valid_utf8(jamstat_last_error_message()));
  FAILS(jamstat_schema_builder_new(NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out is NULL");
  free(codes);
  free((void *)labels);
  free(long_name);
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

static void test_announced_sizes_are_reported(void) {
  jamstat_schema *s = schema_two_measures();
  jamstat_aggregator *a = NULL, *back = NULL;
  uint8_t *bytes;
  size_t size;
  OK(jamstat_aggregator_new(s, NULL, &a));
  bytes = serialize(a, &size);
  put_u64(bytes, 16, UINT64_MAX);
  FAILS(jamstat_aggregator_deserialize(bytes, size, NULL, &back), JAMSTAT_ERROR_STATE_FORMAT,
        "the header announces 18446744073709551615 + 40");
  free(bytes);
  /* A schema error inside a state is located at its byte: the first measure's kind set to 7. */
  bytes = serialize(a, &size);
  {
    const size_t schema_at = 36, schema_length = get_u32(bytes, 32);
    size_t at;
    /* Find the "hours" measure name and step over its four strings to its kind. */
    for (at = schema_at; at + 5 < schema_at + schema_length; ++at)
      if (memcmp(bytes + at, "hours", 5) == 0) break;
    at += 5 + 4 + 0 + 4 + 0 + 4 + 0; /* name, unit "", label_sv "", label_en "" */
    bytes[at] = 7;
    reseal(bytes, size);
    {
      char expected[64];
      sprintf(expected, "(at byte %u)", (unsigned)at);
      FAILS(jamstat_aggregator_deserialize(bytes, size, NULL, &back), JAMSTAT_ERROR_STATE_FORMAT, expected);
    }
  }
  free(bytes);
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

/* --- header and behaviour agree ----------------------------------------------------------------- */

static void test_header_and_behaviour_agree(void) {
  jamstat_schema *s = schema_two_measures();
  jamstat_aggregator *a = NULL, *empty = NULL;
  jamstat_table *t = NULL;
  jamstat_schema_builder *b = NULL;
  jamstat_aggregator_options o = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
  jamstat_person_id pid;
  size_t count = 0, cell = 0, dim = 0;
  uint64_t still = 0;
  const size_t order[2] = {1, 0};
  uint32_t levels[2];
  const int32_t c[2] = {2, 1}, w[1] = {1};
  const double v[2] = {1, 1};
  unsigned char bigger[sizeof(jamstat_aggregator_options) + 8];

  OK(jamstat_aggregator_new(s, NULL, &empty));
  /* The total has its one cell, also when nothing was added. */
  OK(jamstat_rollup(empty, NULL, 0, &t));
  OK(jamstat_table_cell_count(t, &count));
  CHECK(count == 1);
  jamstat_table_free(&t);
  OK(jamstat_total(empty, &t));
  OK(jamstat_table_cell_count(t, &count));
  CHECK(count == 1);
  jamstat_table_free(&t);

  /* The caller's order of dimensions is kept. */
  OK(jamstat_aggregator_new(s, NULL, &a));
  add_one(a, 2, 1, 1, 1, 1);
  add_one(a, 1, 2, 0, 2, 2);
  OK(jamstat_rollup(a, order, 2, &t));
  OK(jamstat_table_dimension(t, 0, &dim));
  CHECK(dim == 1);
  levels[0] = 0; /* region index 0 (code 1) */
  levels[1] = 2; /* sex index 2 (women) */
  OK(jamstat_table_find(t, levels, 2, &cell));
  {
    uint32_t level = 9;
    int32_t code = 0;
    OK(jamstat_table_cell_level(t, cell, 1, &level, &code, JAMSTAT_SWEDISH, NULL));
    CHECK(level == 2 && code == 2);
    OK(jamstat_table_cell_level(t, cell, 0, &level, &code, JAMSTAT_SWEDISH, NULL));
    CHECK(level == 0 && code == 1);
  }
  jamstat_table_free(&t);
  {
    const size_t twice[2] = {1, 1};
    FAILS(jamstat_rollup(a, twice, 2, &t), JAMSTAT_ERROR_INVALID_ARGUMENT, "named twice");
  }

  /* Limits are checked before arrays are read. */
  OK(jamstat_schema_builder_new(&b));
  FAILS(jamstat_schema_builder_add_dimension(b, "x", SIZE_MAX, NULL, NULL, NULL), JAMSTAT_ERROR_INVALID_SCHEMA, "at most 65535 levels");
  /* "Sex" beside the built-in "sex". */
  {
    const int32_t one[1] = {1};
    const char *l1[1] = {"a"};
    OK(jamstat_schema_builder_add_dimension(b, "Sex", 1, one, l1, l1));
    {
      jamstat_schema *bad = NULL;
      FAILS(jamstat_schema_build(b, &bad), JAMSTAT_ERROR_INVALID_SCHEMA, "already used, ignoring case");
    }
  }
  jamstat_schema_builder_free(&b);

  /* A _free of the wrong type frees nothing and says so. */
  jamstat_schema_free((jamstat_schema **)(void *)&a);
  CHECK(a != NULL && jamstat_last_error_status() == JAMSTAT_ERROR_WRONG_HANDLE);
  CHECK(strstr(jamstat_last_error_message(), "nothing was freed") != NULL);
  OK(jamstat_aggregator_participations(a, &still)); /* still alive */
  CHECK(still == 2);

  /* A person id while persons are not counted is an error, not ignored. */
  pid.kind = JAMSTAT_PERSON_ID_INTEGER;
  pid.integer = 7;
  pid.bytes = NULL;
  pid.length = 0;
  FAILS(jamstat_aggregator_add(a, c, 2, w, 1, v, 2, &pid, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT, "does not count persons");
  /* The all-zero key of JAMSTAT_AGGREGATOR_OPTIONS_INIT is not a key. */
  o.count_persons = 1;
  FAILS(jamstat_aggregator_new(s, &o, &empty), JAMSTAT_ERROR_INVALID_ARGUMENT, "all zeros");
  /* A struct larger than this library knows: accepted with a zero tail, refused with a non-zero one. */
  o.count_persons = 0;
  memset(bigger, 0, sizeof bigger);
  memcpy(bigger, &o, sizeof o);
  ((jamstat_aggregator_options *)(void *)bigger)->struct_size = sizeof bigger;
  {
    jamstat_aggregator *x = NULL;
    OK(jamstat_aggregator_new(s, (const jamstat_aggregator_options *)(const void *)bigger, &x));
    jamstat_aggregator_free(&x);
    bigger[sizeof o + 3] = 1;
    FAILS(jamstat_aggregator_new(s, (const jamstat_aggregator_options *)(const void *)bigger, &x), JAMSTAT_ERROR_INVALID_ARGUMENT,
          "is not zero");
    /* The minimum is the end of the last field (a packed declaration's size). */
    o.struct_size = 28;
    OK(jamstat_aggregator_new(s, &o, &x));
    jamstat_aggregator_free(&x);
  }
  jamstat_aggregator_free(&a);
  jamstat_aggregator_free(&empty);
  jamstat_schema_free(&s);
}

/* --- what binding authors need ------------------------------------------------------------------ */

static void test_binding_additions(void) {
  jamstat_schema *s = schema_two_measures();
  jamstat_aggregator *a = NULL;
  jamstat_table *t = NULL;
  jamstat_cube *cube = NULL;
  jamstat_table_columns cols = JAMSTAT_TABLE_COLUMNS_INIT;
  jamstat_batch_result r = JAMSTAT_BATCH_RESULT_INIT;
  jamstat_row_error errors[8];
  jamstat_array arrays[5];
  const uint8_t sex[6] = {1, 2, 7, 2, 1, 9}, region[6] = {1, 2, 1, 9, 2, 1}, work[6] = {1, 0, 1, 1, 3, 0};
  const double hours[6] = {1, 2, 3, 4, 5, 6}, cost[6] = {10, 20, 30, 40, 50, 60};
  size_t size = 0, n = 0, level = 0;
  uint64_t participations = 0;

  CHECK(strcmp(jamstat_status_message(JAMSTAT_ERROR_BAD_RECORD), "a record was rejected: see the row, field and reason of the last error") == 0);
  CHECK(strlen(jamstat_status_message(999)) > 0);
  CHECK(strcmp(jamstat_total_label(JAMSTAT_SWEDISH), "Totalt") == 0 && strcmp(jamstat_total_label(JAMSTAT_ENGLISH), "Total") == 0);
  OK(jamstat_schema_level_index(s, 0, JAMSTAT_SEX_FEMALE, &level));
  CHECK(level == 2);
  OK(jamstat_schema_level_index(s, 1, 2, &level));
  CHECK(level == 1);
  FAILS(jamstat_schema_level_index(s, 1, 5, &level), JAMSTAT_ERROR_INVALID_ARGUMENT, "no level with code 5; its codes are 1, 2");

  OK(jamstat_aggregator_new(s, NULL, &a));
  OK(jamstat_aggregator_serialized_size(a, &size));
  CHECK(size > 40);

  /* Arrays in field order, with their lengths. Rows 2 (sex 7), 3 (region 9) and 4 (outcome 3) are bad. */
  arrays[0].type = JAMSTAT_COLUMN_U8;
  arrays[0].data = sex;
  arrays[1].type = JAMSTAT_COLUMN_U8;
  arrays[1].data = region;
  arrays[2].type = JAMSTAT_COLUMN_U8;
  arrays[2].data = work;
  arrays[3].type = JAMSTAT_COLUMN_F64;
  arrays[3].data = hours;
  arrays[4].type = JAMSTAT_COLUMN_F64;
  arrays[4].data = cost;
  for (n = 0; n < 5; ++n) {
    arrays[n].flags = 0;
    arrays[n].length = 6;
  }
  arrays[4].length = 5;
  FAILS(jamstat_aggregator_add_arrays(a, 6, arrays, 5, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT, "has 5 values; the batch has 6 rows");
  arrays[4].length = 6;
  r.errors = errors;
  r.error_capacity = 8;
  FAILS(jamstat_aggregator_add_arrays(a, 6, arrays, 5, &r), JAMSTAT_ERROR_BAD_RECORD, "row 2");
  CHECK(jamstat_last_error_reason() == JAMSTAT_REJECTED_SEX_NOT_ISO5218);
  CHECK(r.error_count == 3);
  CHECK(errors[0].row == 2 && errors[0].field == 0 && errors[0].reason == JAMSTAT_REJECTED_SEX_NOT_ISO5218);
  CHECK(errors[1].row == 3 && errors[1].field == 1 && errors[1].reason == JAMSTAT_REJECTED_CODE_UNKNOWN);
  CHECK(errors[2].row == 4 && errors[2].field == 2 && errors[2].reason == JAMSTAT_REJECTED_OUTCOME_NOT_BINARY);
  CHECK(strstr(r.first_rejected_message, "sex") != NULL);
  OK(jamstat_aggregator_participations(a, &participations));
  CHECK(participations == 0); /* REJECT: the batch is all-or-nothing */
  jamstat_aggregator_free(&a);
  {
    jamstat_aggregator_options tally = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
    tally.on_bad_record = JAMSTAT_TALLY;
    OK(jamstat_aggregator_new(s, &tally, &a));
  }
  r.error_capacity = 2;
  OK(jamstat_aggregator_add_arrays(a, 6, arrays, 5, &r));
  CHECK(r.accepted == 3 && r.rejected == 3 && r.error_count == 3 && r.first_rejected_row == 2);
  CHECK(strstr(r.first_rejected_message, "row 2: dimension 'sex': code 7 is not a level") != NULL);
  CHECK(errors[1].row == 3);

  /* Export: the sex x region table, women first. */
  {
    const size_t dims[2] = {0, 1};
    OK(jamstat_rollup(a, dims, 2, &t));
  }
  OK(jamstat_table_export(t, JAMSTAT_EXPORT_REPORTING_ORDER, &cols));
  CHECK(cols.cell_count == 3 && cols.dimension_count == 2 && cols.outcome_count == 1 && cols.measure_count == 2);
  CHECK(cols.level_codes[0][0] == 2 && cols.level_codes[0][1] == 1 && cols.level_codes[0][2] == 9); /* Kvinnor, Män, Ej tillämpligt */
  CHECK(cols.level_codes[1][0] == 2);                                                               /* women's region */
  CHECK(cols.participations[0] == 1 && cols.successes[0][0] == 0);
  CHECK(cols.measures[0].mean[0] == 2.0 && cols.measures[1].sum[0] == 20.0);
  CHECK(cols.persons == NULL && cols.anonymous_participants == NULL);
  FAILS(jamstat_table_export(t, 4, &cols), JAMSTAT_ERROR_INVALID_ARGUMENT, "flags is 4");
  jamstat_table_free(&t);

  /* The cube: 4 tables (2 dimensions); the total from it has one cell. */
  OK(jamstat_cube_new(a, &cube));
  OK(jamstat_cube_table_count(cube, &n));
  CHECK(n == 4);
  OK(jamstat_cube_table(cube, 0, &t));
  jamstat_cube_free(&cube); /* the table outlives the cube */
  OK(jamstat_table_cell_count(t, &n));
  CHECK(n == 1);
  OK(jamstat_table_export(t, 0, &cols));
  CHECK(cols.participations[0] == 3 && cols.anonymous_participants != NULL);
  jamstat_table_free(&t);
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

int main(void) {
  test_counts_never_wrap();
  test_contradictory_states_are_refused();
  test_tiny_states_cannot_allocate_much();
  test_messages_are_short_and_utf8();
  test_announced_sizes_are_reported();
  test_header_and_behaviour_agree();
  test_binding_additions();
  printf("c_api: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
