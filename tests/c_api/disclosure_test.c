/*
 * disclosure_test.c -- disclosure control through the C ABI, compiled as C11: a small state
 * (sex x region, persons counted) with two cells of fewer than 5 persons, protected by cell
 * suppression (the small cells suppressed, enough others hidden that the audit's intervals reach
 * the protection levels, published cells equal to the roll-up's) and by the cell key method (the
 * same noise whichever order the partners' states were merged in); then every bad argument.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

#define REGIONS 3
/* Participations per (sex, region): women (code 2) and men (code 1). Women in region 2 (3 persons)
 * and men in region 3 (2 persons) are below the frequency threshold of 5. */
static const int cell_size[2][REGIONS] = {{20, 3, 15}, {18, 12, 2}};
static const int32_t sex_code[2] = {JAMSTAT_SEX_FEMALE, JAMSTAT_SEX_MALE};

static jamstat_schema *make_schema(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  const int32_t codes[REGIONS] = {1, 2, 3};
  const char *sv[REGIONS] = {"Norr", "Mitt", "Syd"}, *en[REGIONS] = {"North", "Middle", "South"};
  OK(jamstat_schema_builder_new(&b));
  OK(jamstat_schema_builder_add_dimension(b, "region", REGIONS, codes, sv, en));
  OK(jamstat_schema_builder_add_outcome(b, "in_work", "I arbete", "In work"));
  OK(jamstat_schema_builder_add_numeric(b, "hours", "h", "Timmar", "Hours"));
  OK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  return s;
}

static jamstat_aggregator *new_aggregator(const jamstat_schema *s, int count_persons) {
  jamstat_aggregator *a = NULL;
  jamstat_aggregator_options o = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
  int i;
  if (count_persons) {
    o.count_persons = 1;
    for (i = 0; i < 16; ++i) o.person_key[i] = (uint8_t)(0x40 + i);
  }
  OK(jamstat_aggregator_new(s, &o, &a));
  return a;
}

/* Adds the records of `part` (0, 1, or -1 for all): every person has one participation, the first
 * two persons of every cell of region 1 a second one (persons 1..n, part = person % 2). */
static void add_records(jamstat_aggregator *a, int part, int count_persons) {
  int sex, region, i, repeat;
  uint64_t person = 0;
  for (sex = 0; sex < 2; ++sex)
    for (region = 0; region < REGIONS; ++region)
      for (i = 0; i < cell_size[sex][region]; ++i) {
        ++person;
        for (repeat = 0; repeat < (region == 0 && i < 2 ? 2 : 1); ++repeat) {
          const int32_t codes[2] = {sex_code[sex], region + 1};
          const int32_t outcome[1] = {(i + repeat) % 2};
          const double hours[1] = {10.0 + i + repeat};
          const jamstat_person_id id = {JAMSTAT_PERSON_ID_INTEGER, person, NULL, 0};
          if (part >= 0 && (int)(person % 2) != part) continue;
          OK(jamstat_aggregator_add(a, codes, 2, outcome, 1, hours, 1, count_persons ? &id : NULL, NULL));
        }
      }
}

/* The published groupings: sex x region, region, sex, the total. */
static const uint64_t masks[4] = {3, 2, 1, 0};

/* Row of a (sex level index, region level index) cell in grouping sex x region: sex has 4 levels
 * (0 Okänt, 1 Män, 2 Kvinnor, 3 Ej tillämpligt), the lowest dimension most significant. */
static uint64_t row_of(uint32_t sex_level, uint32_t region_level) { return (uint64_t)sex_level * REGIONS + region_level; }

/* Every published value of a grouping equals the engine's roll-up (statuses allowing). */
static void check_against_rollup(const jamstat_aggregator *a, const jamstat_protected_columns *c, int perturbed) {
  jamstat_table *t = NULL;
  size_t dims[2] = {0, 0};
  uint64_t r;
  size_t k;
  for (k = 0; k < c->dimension_count; ++k) dims[k] = c->dimensions[k];
  OK(jamstat_rollup(a, dims, (size_t)c->dimension_count, &t));
  for (r = 0; r < c->cell_count; ++r) {
    uint32_t levels[2] = {0, 0};
    size_t cell = 0;
    uint64_t participations = 0, persons = 0, successes = 0;
    double hours = 0.0;
    for (k = 0; k < c->dimension_count; ++k) levels[k] = c->level_indices[k][r];
    if (jamstat_table_find(t, levels, (size_t)c->dimension_count, &cell) == JAMSTAT_OK) {
      jamstat_cell_counts n = JAMSTAT_CELL_COUNTS_INIT;
      jamstat_numeric_stats h = JAMSTAT_NUMERIC_STATS_INIT;
      double proportion = 0;
      OK(jamstat_table_cell_counts(t, cell, &n));
      OK(jamstat_table_cell_outcome(t, cell, 0, &successes, &proportion));
      OK(jamstat_table_cell_numeric(t, cell, 0, &h));
      participations = n.participations;
      persons = n.persons;
      hours = h.sum;
    }
    if (c->count_status[r] == JAMSTAT_CELL_PUBLISHED) {
      CHECK(c->participations[r] == participations && c->persons[r] == persons);
    } else if (c->count_status[r] == JAMSTAT_CELL_PERTURBED) {
      /* D = 5, js = 2: within 5 of the truth, never 1 or 2, zero stays zero. */
      CHECK(perturbed && participations > 0);
      CHECK(llabs((long long)c->participations[r] - (long long)participations) <= 5);
      CHECK(llabs((long long)c->persons[r] - (long long)persons) <= 5);
      CHECK(c->participations[r] != 1 && c->participations[r] != 2);
    } else {
      CHECK(!perturbed && c->participations[r] == JAMSTAT_SUPPRESSED_COUNT && c->persons[r] == JAMSTAT_SUPPRESSED_COUNT);
    }
    if (c->outcome_status[0][r] == JAMSTAT_CELL_PUBLISHED) CHECK(c->successes[0][r] == successes);
    if (c->outcome_status[0][r] == JAMSTAT_CELL_PRIMARY || c->outcome_status[0][r] == JAMSTAT_CELL_SECONDARY)
      CHECK(c->successes[0][r] == JAMSTAT_SUPPRESSED_COUNT);
    if (c->measure_status[0][r] == JAMSTAT_CELL_PUBLISHED) NEAR(c->measure_sums[0][r], hours, 1e-12);
    else CHECK(isnan(c->measure_sums[0][r]));
  }
  jamstat_table_free(&t);
}

static void test_cell_suppression(void) {
  jamstat_schema *s = make_schema();
  jamstat_aggregator *a = new_aggregator(s, 1);
  jamstat_protected_tables *p = NULL;
  jamstat_disclosure_summary sum = JAMSTAT_DISCLOSURE_SUMMARY_INIT;
  jamstat_protected_columns c = JAMSTAT_PROTECTED_COLUMNS_INIT;
  jamstat_disclosure_audit audit = JAMSTAT_DISCLOSURE_AUDIT_INIT;
  uint64_t i, small_rows = 0;
  size_t g;
  int hidden_in_row[4] = {0, 0, 0, 0}, hidden_in_column[REGIONS] = {0, 0, 0};

  add_records(a, -1, 1);
  OK(jamstat_protected_tables_new(a, masks, 4, NULL, &p)); /* the defaults: cell suppression */
  OK(jamstat_protected_tables_summary(p, &sum));
  CHECK(sum.method == JAMSTAT_DISCLOSURE_CELL_SUPPRESSION && sum.grouping_count == 4 && sum.persons_counted == 1);
  CHECK(sum.published_cells == 12 + 3 + 4 + 1);
  CHECK(sum.primary_cells == 2 && sum.primary_persons == 3 + 2);
  CHECK(sum.secondary_cells >= 2); /* one suppressed cell in a row or column would leak */
  CHECK(sum.under_protected == 0 && sum.audit_rows > 0);

  OK(jamstat_protected_tables_grouping(p, 0, &c));
  CHECK(c.grouping_mask == 3 && c.cell_count == 12 && c.dimension_count == 2);
  CHECK(c.dimensions[0] == 0 && c.dimensions[1] == 1);
  CHECK(c.outcome_count == 1 && c.measure_count == 1);
  /* Levels and codes of the women in region 2 (sex level 2 = Kvinnor, code 2; region level 1, code 2). */
  CHECK(c.level_indices[0][row_of(2, 1)] == 2 && c.level_codes[0][row_of(2, 1)] == JAMSTAT_SEX_FEMALE);
  CHECK(c.level_indices[1][row_of(2, 1)] == 1 && c.level_codes[1][row_of(2, 1)] == 2);
  /* The two small cells are primary, their every statistic hidden. */
  CHECK(c.count_status[row_of(2, 1)] == JAMSTAT_CELL_PRIMARY);
  CHECK(c.count_status[row_of(1, 2)] == JAMSTAT_CELL_PRIMARY);
  CHECK(c.persons[row_of(2, 1)] == JAMSTAT_SUPPRESSED_COUNT && c.participations[row_of(1, 2)] == JAMSTAT_SUPPRESSED_COUNT);
  CHECK(c.outcome_status[0][row_of(2, 1)] != JAMSTAT_CELL_PUBLISHED && c.measure_status[0][row_of(1, 2)] != JAMSTAT_CELL_PUBLISHED);
  CHECK(isnan(c.measure_sums[0][row_of(2, 1)]));
  /* The empty cells (sex 0 and 9) are published as 0. */
  CHECK(c.count_status[row_of(0, 0)] == JAMSTAT_CELL_PUBLISHED && c.persons[row_of(0, 0)] == 0);
  for (i = 0; i < c.cell_count; ++i)
    if (c.count_status[i] == JAMSTAT_CELL_PRIMARY || c.count_status[i] == JAMSTAT_CELL_SECONDARY) {
      ++hidden_in_row[c.level_indices[0][i]];
      ++hidden_in_column[c.level_indices[1][i]];
    }
  for (i = 0; i < 4; ++i) CHECK(hidden_in_row[i] != 1);
  for (i = 0; i < REGIONS; ++i) CHECK(hidden_in_column[i] != 1);

  /* Published figures are the roll-up's; the total is published and is the aggregator's. */
  for (g = 0; g < 4; ++g) {
    jamstat_protected_columns cg = JAMSTAT_PROTECTED_COLUMNS_INIT;
    OK(jamstat_protected_tables_grouping(p, g, &cg));
    CHECK(cg.grouping_mask == masks[g]);
    check_against_rollup(a, &cg, 0);
  }
  {
    jamstat_protected_columns total = JAMSTAT_PROTECTED_COLUMNS_INIT;
    uint64_t all = 0;
    OK(jamstat_protected_tables_grouping(p, 3, &total));
    OK(jamstat_aggregator_participations(a, &all));
    CHECK(total.cell_count == 1 && total.dimension_count == 0 && total.count_status[0] == JAMSTAT_CELL_PUBLISHED);
    CHECK(total.participations[0] == all && total.persons[0] == 70);
  }

  /* The audit: every interval holds the true value; the sensitive cells' intervals reach their
   * protection levels (v = 3: [2, 4]; v = 2: [1, 3], L = U = max(1, ceil(0.3 v))). */
  OK(jamstat_protected_tables_audit(p, &audit));
  CHECK(audit.count == sum.audit_rows);
  for (i = 0; i < audit.count; ++i) {
    CHECK(audit.lower[i] <= audit.value[i] + 1e-6 && audit.value[i] <= audit.upper[i] + 1e-6);
    CHECK(audit.protected_enough[i] == 1);
    CHECK(audit.grouping[i] < 4);
    if (!isnan(audit.required_lower[i])) {
      CHECK(audit.lower[i] <= audit.required_lower[i] + 1e-6 && audit.upper[i] >= audit.required_upper[i] - 1e-6);
      CHECK(audit.upper[i] - audit.lower[i] > audit.required_upper[i] - audit.required_lower[i] - 1e-6);
    }
    if (audit.quantity[i] == JAMSTAT_AUDIT_PERSONS && audit.grouping[i] == 0 &&
        (audit.cell[i] == row_of(2, 1) || audit.cell[i] == row_of(1, 2))) {
      const double v = audit.cell[i] == row_of(2, 1) ? 3.0 : 2.0;
      ++small_rows;
      CHECK(audit.value[i] == v && audit.required_lower[i] == v - 1 && audit.required_upper[i] == v + 1);
      CHECK(audit.upper[i] - audit.lower[i] >= 2.0);
    }
  }
  CHECK(small_rows == 2);

  /* A stricter threshold hides more; persons from counts give the same pattern here. */
  {
    jamstat_disclosure_options o = JAMSTAT_DISCLOSURE_OPTIONS_INIT;
    jamstat_protected_tables *q = NULL;
    jamstat_disclosure_summary s2 = JAMSTAT_DISCLOSURE_SUMMARY_INIT;
    o.frequency_threshold = 13; /* men in region 2 (12 persons) become sensitive too */
    o.persons = JAMSTAT_PERSONS_FROM_COUNTS;
    OK(jamstat_protected_tables_new(a, masks, 4, &o, &q));
    OK(jamstat_protected_tables_summary(q, &s2));
    CHECK(s2.primary_cells == 3 && s2.under_protected == 0);
    jamstat_protected_tables_free(&q);
  }

  /* The handle outlives the aggregator. */
  jamstat_aggregator_free(&a);
  OK(jamstat_protected_tables_grouping(p, 3, &c));
  CHECK(c.persons[0] == 70);
  jamstat_protected_tables_free(&p);
  CHECK(p == NULL);
  jamstat_schema_free(&s);
}

static void same_columns(const jamstat_protected_tables *x, const jamstat_protected_tables *y, size_t grouping) {
  jamstat_protected_columns a = JAMSTAT_PROTECTED_COLUMNS_INIT, b = JAMSTAT_PROTECTED_COLUMNS_INIT;
  uint64_t i;
  int same = 1;
  OK(jamstat_protected_tables_grouping(x, grouping, &a));
  OK(jamstat_protected_tables_grouping(y, grouping, &b));
  CHECK(a.cell_count == b.cell_count);
  for (i = 0; i < a.cell_count && i < b.cell_count; ++i)
    same = same && a.count_status[i] == b.count_status[i] && a.persons[i] == b.persons[i] &&
           a.participations[i] == b.participations[i] && a.successes[0][i] == b.successes[0][i] &&
           a.outcome_status[0][i] == b.outcome_status[0][i] && a.measure_status[0][i] == b.measure_status[0][i];
  CHECK(same);
}

static void test_cell_key(void) {
  jamstat_schema *s = make_schema();
  jamstat_aggregator *x = new_aggregator(s, 1), *y = new_aggregator(s, 1), *x1 = new_aggregator(s, 1), *y0 = new_aggregator(s, 1);
  jamstat_aggregator *whole = new_aggregator(s, 1);
  jamstat_protected_tables *px = NULL, *py = NULL, *pw = NULL;
  jamstat_disclosure_options o = JAMSTAT_DISCLOSURE_OPTIONS_INIT;
  jamstat_disclosure_summary sum = JAMSTAT_DISCLOSURE_SUMMARY_INIT;
  jamstat_disclosure_audit audit = JAMSTAT_DISCLOSURE_AUDIT_INIT;
  size_t g, i;

  /* Two partners' states merged in either order, and the same records in one state. */
  add_records(x, 0, 1);
  add_records(x1, 1, 1);
  add_records(y, 1, 1);
  add_records(y0, 0, 1);
  OK(jamstat_aggregator_merge(x, x1));
  OK(jamstat_aggregator_merge(y, y0));
  add_records(whole, -1, 1);

  o.method = JAMSTAT_DISCLOSURE_CELL_KEY;
  for (i = 0; i < 16; ++i) o.cell_key_secret[i] = (uint8_t)(0xA0 ^ i);
  OK(jamstat_protected_tables_new(x, masks, 4, &o, &px));
  OK(jamstat_protected_tables_new(y, masks, 4, &o, &py));
  OK(jamstat_protected_tables_new(whole, masks, 4, &o, &pw));
  OK(jamstat_protected_tables_summary(px, &sum));
  CHECK(sum.method == JAMSTAT_DISCLOSURE_CELL_KEY && sum.keys_from_persons == 1);
  CHECK(sum.perturbed_cells == 6 + 3 + 2 + 1); /* the non-empty cells */
  CHECK(sum.primary_cells == 0 && sum.secondary_cells == 0 && sum.audit_rows == 0);
  OK(jamstat_protected_tables_audit(px, &audit));
  CHECK(audit.count == 0);
  for (g = 0; g < 4; ++g) {
    jamstat_protected_columns c = JAMSTAT_PROTECTED_COLUMNS_INIT;
    same_columns(px, py, g);
    same_columns(px, pw, g);
    OK(jamstat_protected_tables_grouping(px, g, &c));
    check_against_rollup(x, &c, 1);
  }
  {
    /* Small cells are perturbed, not suppressed; the noise is not all zero. */
    jamstat_protected_columns c = JAMSTAT_PROTECTED_COLUMNS_INIT;
    jamstat_table *t = NULL;
    const size_t dims[2] = {0, 1};
    uint64_t r, changed = 0;
    OK(jamstat_protected_tables_grouping(px, 0, &c));
    CHECK(c.count_status[row_of(2, 1)] == JAMSTAT_CELL_PERTURBED && c.count_status[row_of(0, 0)] == JAMSTAT_CELL_PUBLISHED);
    OK(jamstat_rollup(x, dims, 2, &t));
    for (r = 0; r < c.cell_count; ++r) {
      size_t cell = 0;
      uint32_t levels[2];
      jamstat_cell_counts n = JAMSTAT_CELL_COUNTS_INIT;
      levels[0] = c.level_indices[0][r];
      levels[1] = c.level_indices[1][r];
      if (jamstat_table_find(t, levels, 2, &cell) != JAMSTAT_OK) continue;
      OK(jamstat_table_cell_counts(t, cell, &n));
      changed += c.participations[r] != n.participations;
    }
    CHECK(changed > 0);
    jamstat_table_free(&t);
  }
  /* Another secret, other noise. */
  {
    jamstat_protected_tables *other = NULL;
    jamstat_protected_columns a = JAMSTAT_PROTECTED_COLUMNS_INIT, b = JAMSTAT_PROTECTED_COLUMNS_INIT;
    uint64_t r, differ = 0;
    o.cell_key_secret[0] ^= 0xFF;
    OK(jamstat_protected_tables_new(x, masks, 4, &o, &other));
    OK(jamstat_protected_tables_grouping(px, 0, &a));
    OK(jamstat_protected_tables_grouping(other, 0, &b));
    for (r = 0; r < a.cell_count; ++r) differ += a.participations[r] != b.participations[r];
    CHECK(differ > 0);
    jamstat_protected_tables_free(&other);
  }
  jamstat_protected_tables_free(&px);
  jamstat_protected_tables_free(&py);
  jamstat_protected_tables_free(&pw);
  jamstat_aggregator_free(&x);
  jamstat_aggregator_free(&y);
  jamstat_aggregator_free(&x1);
  jamstat_aggregator_free(&y0);
  jamstat_aggregator_free(&whole);
  jamstat_schema_free(&s);
}

static void test_without_persons(void) {
  jamstat_schema *s = make_schema();
  jamstat_aggregator *a = new_aggregator(s, 0);
  jamstat_protected_tables *p = NULL;
  jamstat_disclosure_options o = JAMSTAT_DISCLOSURE_OPTIONS_INIT;
  jamstat_disclosure_summary sum = JAMSTAT_DISCLOSURE_SUMMARY_INIT;
  jamstat_protected_columns c = JAMSTAT_PROTECTED_COLUMNS_INIT;
  int i;
  add_records(a, -1, 0);
  OK(jamstat_protected_tables_new(a, masks, 2, NULL, &p));
  OK(jamstat_protected_tables_summary(p, &sum));
  CHECK(sum.persons_counted == 0 && sum.primary_cells == 2 && sum.under_protected == 0);
  OK(jamstat_protected_tables_grouping(p, 0, &c));
  CHECK(c.persons[row_of(2, 0)] == 22 && c.participations[row_of(2, 0)] == 22); /* persons = participations */
  jamstat_protected_tables_free(&p);
  o.method = JAMSTAT_DISCLOSURE_CELL_KEY;
  for (i = 0; i < 16; ++i) o.cell_key_secret[i] = (uint8_t)(i + 1);
  OK(jamstat_protected_tables_new(a, masks, 4, &o, &p));
  OK(jamstat_protected_tables_summary(p, &sum));
  CHECK(sum.keys_from_persons == 0 && sum.perturbed_cells == 12);
  jamstat_protected_tables_free(&p);
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

static void test_bad_arguments(void) {
  jamstat_schema *s = make_schema();
  jamstat_aggregator *a = new_aggregator(s, 1);
  jamstat_protected_tables *p = NULL, *untouched = NULL;
  jamstat_disclosure_options o = JAMSTAT_DISCLOSURE_OPTIONS_INIT;
  jamstat_disclosure_summary sum = JAMSTAT_DISCLOSURE_SUMMARY_INIT;
  jamstat_protected_columns c = JAMSTAT_PROTECTED_COLUMNS_INIT;
  jamstat_disclosure_audit audit = JAMSTAT_DISCLOSURE_AUDIT_INIT;
  const uint64_t repeated[2] = {1, 1}, beyond[1] = {(uint64_t)1 << 5};
  add_records(a, -1, 1);

  /* Creation. */
  FAILS(jamstat_protected_tables_new(a, masks, 4, NULL, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out");
  FAILS(jamstat_protected_tables_new(NULL, masks, 4, NULL, &p), JAMSTAT_ERROR_NULL_ARGUMENT, "aggregator");
  FAILS(jamstat_protected_tables_new((const jamstat_aggregator *)s, masks, 4, NULL, &p), JAMSTAT_ERROR_WRONG_HANDLE,
        "jamstat_aggregator");
  FAILS(jamstat_protected_tables_new(a, NULL, 4, NULL, &p), JAMSTAT_ERROR_NULL_ARGUMENT, "grouping_masks");
  FAILS(jamstat_protected_tables_new(a, masks, 0, NULL, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "grouping_count is 0");
  FAILS(jamstat_protected_tables_new(a, repeated, 2, NULL, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "");
  FAILS(jamstat_protected_tables_new(a, beyond, 1, NULL, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "names a dimension");
  CHECK(p == NULL);

  /* Options. */
  o.struct_size = 8;
  FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "JAMSTAT_DISCLOSURE_OPTIONS_INIT");
  {
    struct {
      jamstat_disclosure_options options;
      uint64_t newer_option;
    } big;
    const jamstat_disclosure_options init = JAMSTAT_DISCLOSURE_OPTIONS_INIT;
    memset(&big, 0, sizeof big);
    big.options = init;
    big.options.struct_size = (uint32_t)sizeof big;
    big.newer_option = 1;
    FAILS(jamstat_protected_tables_new(a, masks, 4, &big.options, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "not zero");
    big.newer_option = 0;
    OK(jamstat_protected_tables_new(a, masks, 4, &big.options, &p)); /* a zero tail is fine */
    jamstat_protected_tables_free(&p);
  }
  {
    const jamstat_disclosure_options init = JAMSTAT_DISCLOSURE_OPTIONS_INIT;
    o = init;
    o.method = 7;
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "options.method is 7");
    o = init;
    o.dominance = 3;
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "options.dominance is 3");
    o = init;
    o.nk_n = 0;
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "options.nk_n is 0");
    o = init;
    o.cost = 2;
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "options.cost is 2");
    o = init;
    o.persons = 2;
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "options.persons is 2");
    o = init;
    o.frequency_threshold = 0;
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "frequency_threshold");
    o = init;
    o.p_percent = -1.0;
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "p_percent");
    o = init;
    o.frequency_protection_fraction = NAN;
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "frequency_protection_fraction");
    o = init;
    o.method = JAMSTAT_DISCLOSURE_CELL_KEY; /* the all-zero secret of the _INIT macro */
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "cell_key_secret is all zero");
    o.cell_key_secret[3] = 7;
    o.ptable_variance = 0.0;
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "");
    o.ptable_variance = 3.0;
    o.ptable_max_deviation = 0;
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "");
    o.ptable_max_deviation = 5;
    o.ptable_csv = "this is no ptable";
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "");
    o.ptable_csv = "i,j,p\n0,0,1\n1,0,0.3\n1,2,0.3\n";
    FAILS(jamstat_protected_tables_new(a, masks, 4, &o, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "");
    CHECK(p == NULL);
  }

  /* A negative measure value: the dominance rules need non-negative contributions. */
  {
    jamstat_aggregator *neg = new_aggregator(s, 0);
    const int32_t codes[2] = {JAMSTAT_SEX_FEMALE, 1}, outcome[1] = {0};
    const double hours[1] = {-1.0};
    OK(jamstat_aggregator_add(neg, codes, 2, outcome, 1, hours, 1, NULL, NULL));
    FAILS(jamstat_protected_tables_new(neg, masks, 4, NULL, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "negative");
    jamstat_aggregator_free(&neg);
  }

  /* Accessors. */
  OK(jamstat_protected_tables_new(a, masks, 4, NULL, &p));
  FAILS(jamstat_protected_tables_summary(NULL, &sum), JAMSTAT_ERROR_NULL_ARGUMENT, "tables");
  FAILS(jamstat_protected_tables_summary(p, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out");
  FAILS(jamstat_protected_tables_summary((const jamstat_protected_tables *)a, &sum), JAMSTAT_ERROR_WRONG_HANDLE,
        "jamstat_protected_tables");
  sum.struct_size = 4;
  FAILS(jamstat_protected_tables_summary(p, &sum), JAMSTAT_ERROR_INVALID_ARGUMENT, "JAMSTAT_DISCLOSURE_SUMMARY_INIT");
  sum.struct_size = sizeof sum;
  FAILS(jamstat_protected_tables_grouping(p, 4, &c), JAMSTAT_ERROR_INVALID_ARGUMENT, "grouping 4 is out of range");
  CHECK(c.count_status == NULL); /* untouched on failure */
  FAILS(jamstat_protected_tables_grouping(p, 0, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out");
  FAILS(jamstat_protected_tables_grouping((const jamstat_protected_tables *)s, 0, &c), JAMSTAT_ERROR_WRONG_HANDLE, "");
  c.struct_size = 0;
  FAILS(jamstat_protected_tables_grouping(p, 0, &c), JAMSTAT_ERROR_INVALID_ARGUMENT, "JAMSTAT_PROTECTED_COLUMNS_INIT");
  FAILS(jamstat_protected_tables_audit(NULL, &audit), JAMSTAT_ERROR_NULL_ARGUMENT, "tables");
  FAILS(jamstat_protected_tables_audit(p, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out");
  FAILS(jamstat_protected_tables_audit((const jamstat_protected_tables *)a, &audit), JAMSTAT_ERROR_WRONG_HANDLE, "");
  audit.struct_size = 1;
  FAILS(jamstat_protected_tables_audit(p, &audit), JAMSTAT_ERROR_INVALID_ARGUMENT, "JAMSTAT_DISCLOSURE_AUDIT_INIT");
  CHECK(audit.count == 0);

  /* Freeing: the wrong type frees nothing and says so; NULL is fine; the variable is nulled. */
  jamstat_protected_tables_free((jamstat_protected_tables **)&a);
  CHECK(a != NULL && jamstat_last_error_status() == JAMSTAT_ERROR_WRONG_HANDLE);
  jamstat_aggregator_free((jamstat_aggregator **)&p);
  CHECK(p != NULL && jamstat_last_error_status() == JAMSTAT_ERROR_WRONG_HANDLE);
  jamstat_protected_tables_free(&p);
  CHECK(p == NULL && jamstat_last_error_status() == JAMSTAT_OK);
  jamstat_protected_tables_free(&p);
  jamstat_protected_tables_free(NULL);
  CHECK(jamstat_last_error_status() == JAMSTAT_OK);
  FAILS(jamstat_protected_tables_summary(p, &sum), JAMSTAT_ERROR_NULL_ARGUMENT, "tables");
  CHECK(untouched == NULL);

  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
}

int main(void) {
  test_cell_suppression();
  test_cell_key();
  test_without_persons();
  test_bad_arguments();
  printf("c_api: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
