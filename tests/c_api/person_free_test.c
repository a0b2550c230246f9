/* person_free_test.c -- person-free states through the C ABI (compiled as C11): the form of a
 * state, the person-free copy, its roll-ups, its round trip, and what it refuses. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

static jamstat_aggregator *pseudonymised(jamstat_schema *s) {
  jamstat_aggregator_options options = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
  jamstat_aggregator *a = NULL;
  int i;
  options.count_persons = 1;
  for (i = 0; i < 16; ++i) options.person_key[i] = (uint8_t)(7 * i + 1);
  OK(jamstat_aggregator_new(s, &options, &a));
  for (i = 0; i < 400; ++i) {
    int32_t codes[2];
    jamstat_person_id id = {JAMSTAT_PERSON_ID_INTEGER, 0, NULL, 0};
    codes[0] = i % 5 == 0 ? 1 : 2;
    codes[1] = 1 + i % 3;
    id.integer = (uint64_t)(i % 97); /* persons recur across cells */
    OK(jamstat_aggregator_add(a, codes, 2, NULL, 0, NULL, 0, &id, NULL));
  }
  return a;
}

static uint64_t persons_of(const jamstat_aggregator *a, const size_t *dims, size_t n, size_t cell, uint32_t *has) {
  jamstat_table *t = NULL;
  jamstat_cell_counts c = JAMSTAT_CELL_COUNTS_INIT;
  OK(jamstat_rollup(a, dims, n, &t));
  OK(jamstat_table_cell_counts(t, cell, &c));
  jamstat_table_free(&t);
  *has = c.has_persons;
  return c.persons;
}

int main(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  jamstat_aggregator *a = NULL, *free_all = NULL, *free_sex = NULL, *back = NULL, *plain = NULL, *again = NULL;
  const int32_t codes[3] = {1, 2, 3};
  const char *labels[3] = {"a", "b", "c"};
  const size_t sex[1] = {0}, region[1] = {1}, both[2] = {0, 1};
  const uint64_t sex_mask[1] = {1}, bad_mask[1] = {4}, twice[2] = {1, 1};
  int32_t form = -1;
  uint32_t has = 0;
  size_t size = 0;
  uint8_t *bytes;
  OK(jamstat_schema_builder_new(&b));
  OK(jamstat_schema_builder_add_dimension(b, "region", 3, codes, labels, labels));
  OK(jamstat_schema_build(b, &s));
  a = pseudonymised(s);

  OK(jamstat_aggregator_state_form(a, &form));
  CHECK(form == JAMSTAT_STATE_PSEUDONYMISED);
  OK(jamstat_aggregator_person_free(a, NULL, 0, &free_all));
  OK(jamstat_aggregator_state_form(free_all, &form));
  CHECK(form == JAMSTAT_STATE_PERSON_FREE);
  /* Every grouping keeps the original's distinct persons. */
  {
    uint32_t h1 = 0, h2 = 0;
    size_t cell;
    for (cell = 0; cell < 2; ++cell) {
      const uint64_t x = persons_of(a, sex, 1, cell, &h1), y = persons_of(free_all, sex, 1, cell, &h2);
      CHECK(h1 == 1 && h2 == 1 && x == y && x > 0);
    }
    for (cell = 0; cell < 3; ++cell) CHECK(persons_of(a, region, 1, cell, &h1) == persons_of(free_all, region, 1, cell, &h2) && h2 == 1);
    for (cell = 0; cell < 6; ++cell) CHECK(persons_of(a, both, 2, cell, &h1) == persons_of(free_all, both, 2, cell, &h2) && h2 == 1);
  }
  /* Chosen groupings: sex (and the finest) frozen, region unknown. */
  OK(jamstat_aggregator_person_free(a, sex_mask, 1, &free_sex));
  (void)persons_of(free_sex, sex, 1, 0, &has);
  CHECK(has == 1);
  (void)persons_of(free_sex, region, 1, 0, &has);
  CHECK(has == 0);
  (void)persons_of(free_sex, both, 2, 0, &has);
  CHECK(has == 1);

  /* It round-trips and is still person-free. */
  OK(jamstat_aggregator_serialized_size(free_all, &size));
  bytes = (uint8_t *)malloc(size);
  OK(jamstat_aggregator_serialize(free_all, bytes, size, &size));
  OK(jamstat_aggregator_deserialize(bytes, size, NULL, &back));
  OK(jamstat_aggregator_state_form(back, &form));
  CHECK(form == JAMSTAT_STATE_PERSON_FREE);
  free(bytes);

  /* What it refuses. */
  {
    int32_t c2[2] = {2, 1};
    jamstat_person_id id = {JAMSTAT_PERSON_ID_INTEGER, 5, NULL, 0};
    FAILS(jamstat_aggregator_add(free_all, c2, 2, NULL, 0, NULL, 0, NULL, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT, "person-free");
    FAILS(jamstat_aggregator_add(free_all, c2, 2, NULL, 0, NULL, 0, &id, NULL), JAMSTAT_ERROR_INVALID_ARGUMENT, "person-free");
    FAILS(jamstat_aggregator_merge(free_all, back), JAMSTAT_ERROR_INVALID_ARGUMENT, "cannot merge a person-free state");
    FAILS(jamstat_aggregator_merge(a, back), JAMSTAT_ERROR_INVALID_ARGUMENT, "cannot merge a person-free state");
    FAILS(jamstat_aggregator_add_anonymous(free_all, 2, 3), JAMSTAT_ERROR_INVALID_ARGUMENT, "person-free");
  }
  FAILS(jamstat_aggregator_person_free(free_all, NULL, 0, &again), JAMSTAT_ERROR_INVALID_ARGUMENT, "person-free already");
  FAILS(jamstat_aggregator_person_free(a, bad_mask, 1, &again), JAMSTAT_ERROR_INVALID_ARGUMENT, "names a dimension");
  FAILS(jamstat_aggregator_person_free(a, twice, 2, &again), JAMSTAT_ERROR_INVALID_ARGUMENT, "given twice");
  FAILS(jamstat_aggregator_person_free(a, NULL, 1, &again), JAMSTAT_ERROR_NULL_ARGUMENT, "grouping_masks");
  FAILS(jamstat_aggregator_person_free(a, NULL, 0, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out");
  FAILS(jamstat_aggregator_person_free(NULL, NULL, 0, &again), JAMSTAT_ERROR_NULL_ARGUMENT, "aggregator");
  FAILS(jamstat_aggregator_state_form(a, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out");
  FAILS(jamstat_aggregator_person_free((const jamstat_aggregator *)s, NULL, 0, &again), JAMSTAT_ERROR_WRONG_HANDLE, "aggregator");
  CHECK(again == NULL);
  OK(jamstat_aggregator_new(s, NULL, &plain));
  OK(jamstat_aggregator_state_form(plain, &form));
  CHECK(form == JAMSTAT_STATE_PARTICIPATIONS_ONLY);
  FAILS(jamstat_aggregator_person_free(plain, NULL, 0, &again), JAMSTAT_ERROR_INVALID_ARGUMENT, "does not count persons");

  jamstat_aggregator_free(&plain);
  jamstat_aggregator_free(&back);
  jamstat_aggregator_free(&free_sex);
  jamstat_aggregator_free(&free_all);
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
  jamstat_schema_builder_free(&b);
  printf("c_api: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
