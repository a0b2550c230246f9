/* personnummer_test.c -- the C ABI's personnummer parser and masking (compiled as C11).
 *
 * Check digits are Skatteverket's Luhn digits, computed independently in Python 3:
 *   def luhn(nine): s = sum(d // 10 + d % 10 for d in (int(c) * (2 - i % 2) for i, c in enumerate(nine)))
 *                   return (10 - s % 10) % 10
 *   luhn('811218987') == 6, luhn('701063239') == 1, luhn('121212121') == 2, luhn('300101123') == 2,
 *   luhn('000229123') == 5, luhn('251231123') == 0 */
#include <stdint.h>
#include <string.h>

#include "check.h"

static jamstat_personnummer parse(const char *text, int32_t y, int32_t m, int32_t d) {
  jamstat_personnummer p = JAMSTAT_PERSONNUMMER_INIT;
  OK(jamstat_personnummer_parse(text, strlen(text), y, m, d, &p));
  return p;
}

static void valid_numbers(void) {
  jamstat_personnummer p = parse("811218-9876", 2025, 12, 31);
  CHECK(p.problem == JAMSTAT_PERSONNUMMER_VALID);
  CHECK(strcmp(p.canonical, "198112189876") == 0);
  CHECK(p.birth_year == 1981 && p.birth_month == 12 && p.birth_day == 18);
  CHECK(p.sex == JAMSTAT_SEX_MALE); /* second-to-last digit 7: odd */
  CHECK(p.age == 44);
  CHECK(p.samordningsnummer == 0);
  /* Every accepted form has the same canonical form, the bytes that are hashed as the person id. */
  {
    const char *forms[] = {"198112189876", "19811218-9876", "8112189876", "  811218-9876 "};
    size_t i;
    for (i = 0; i < sizeof forms / sizeof forms[0]; ++i) {
      jamstat_personnummer q = parse(forms[i], 2025, 12, 31);
      CHECK(q.problem == JAMSTAT_PERSONNUMMER_VALID && strcmp(q.canonical, "198112189876") == 0);
    }
  }
  /* Age in completed years: the day before the birthday and on it. */
  CHECK(parse("811218-9876", 2025, 12, 17).age == 43);
  CHECK(parse("811218-9876", 2025, 12, 18).age == 44);
  /* A samordningsnummer: day + 60; the real birth date; even digit: a woman. */
  p = parse("701063-2391", 2025, 6, 1);
  CHECK(p.problem == JAMSTAT_PERSONNUMMER_VALID && p.samordningsnummer == 1);
  CHECK(strcmp(p.canonical, "197010632391") == 0);
  CHECK(p.birth_year == 1970 && p.birth_month == 10 && p.birth_day == 3);
  CHECK(p.sex == JAMSTAT_SEX_MALE); /* 9: odd */
  CHECK(p.age == 54);
  /* '+': a hundred years earlier than '-' would give. */
  p = parse("121212+1212", 2025, 12, 31);
  CHECK(p.problem == JAMSTAT_PERSONNUMMER_VALID && p.birth_year == 1912 && p.age == 113);
  CHECK(p.sex == JAMSTAT_SEX_MALE);
  p = parse("121212-1212", 2025, 12, 31);
  CHECK(p.problem == JAMSTAT_PERSONNUMMER_VALID && p.birth_year == 2012 && p.age == 13);
  /* 29 February: a year older on 1 March in a year without that day. */
  p = parse("000229-1235", 2001, 2, 28);
  CHECK(p.problem == JAMSTAT_PERSONNUMMER_VALID && p.birth_year == 2000 && p.age == 0);
  CHECK(p.sex == JAMSTAT_SEX_MALE); /* 3 */
  CHECK(parse("000229-1235", 2001, 3, 1).age == 1);
  /* The century of a 10-digit form: the latest year not after the reference year. */
  CHECK(parse("251231-1230", 2025, 12, 31).birth_year == 2025);
  CHECK(parse("251231-1230", 2025, 12, 30).problem == JAMSTAT_PERSONNUMMER_BORN_AFTER_REFERENCE);
}

static void invalid_numbers(void) {
  struct {
    const char *text;
    int32_t problem;
  } cases[] = {
      {"811218-9875", JAMSTAT_PERSONNUMMER_CHECK_DIGIT},
      {"811218-98765", JAMSTAT_PERSONNUMMER_FORMAT},
      {"81121-9876", JAMSTAT_PERSONNUMMER_FORMAT},
      {"", JAMSTAT_PERSONNUMMER_FORMAT},
      {"abcdef-ghij", JAMSTAT_PERSONNUMMER_FORMAT},
      {"811318-9875", JAMSTAT_PERSONNUMMER_INVALID_DATE},
      {"20300101-1232", JAMSTAT_PERSONNUMMER_BORN_AFTER_REFERENCE},
      {"19811218+9876", JAMSTAT_PERSONNUMMER_PLUS_SIGN_MISMATCH},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    jamstat_personnummer p = JAMSTAT_PERSONNUMMER_INIT;
    p.age = 77; /* overwritten: every field but problem is zero for an invalid number */
    OK(jamstat_personnummer_parse(cases[i].text, strlen(cases[i].text), 2025, 12, 31, &p));
    CHECK(p.problem == cases[i].problem);
    CHECK(p.canonical[0] == '\0' && p.age == 0 && p.sex == 0 && p.birth_year == 0);
    CHECK(strlen(jamstat_personnummer_problem_message(p.problem)) > 0);
  }
  CHECK(strcmp(jamstat_personnummer_problem_name(JAMSTAT_PERSONNUMMER_CHECK_DIGIT), "check_digit") == 0);
  CHECK(strcmp(jamstat_personnummer_problem_name(JAMSTAT_PERSONNUMMER_VALID), "valid") == 0);
  CHECK(strcmp(jamstat_personnummer_problem_name(99), "unknown") == 0);
  CHECK(strcmp(jamstat_personnummer_problem_name(-1), "unknown") == 0);
  CHECK(strcmp(jamstat_personnummer_problem_message(JAMSTAT_PERSONNUMMER_VALID), "") == 0);
  CHECK(strcmp(jamstat_personnummer_problem_message(99), "") == 0);
  /* Text need not be NUL-terminated: only `length` bytes are read. */
  {
    const char longer[] = "811218-98761234";
    jamstat_personnummer p = JAMSTAT_PERSONNUMMER_INIT;
    OK(jamstat_personnummer_parse(longer, 11, 2025, 12, 31, &p));
    CHECK(p.problem == JAMSTAT_PERSONNUMMER_VALID);
  }
}

static void bad_arguments(void) {
  jamstat_personnummer p = JAMSTAT_PERSONNUMMER_INIT;
  FAILS(jamstat_personnummer_parse("811218-9876", 11, 2025, 12, 31, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out");
  FAILS(jamstat_personnummer_parse(NULL, 11, 2025, 12, 31, &p), JAMSTAT_ERROR_NULL_ARGUMENT, "text");
  OK(jamstat_personnummer_parse(NULL, 0, 2025, 12, 31, &p));
  CHECK(p.problem == JAMSTAT_PERSONNUMMER_FORMAT);
  FAILS(jamstat_personnummer_parse("811218-9876", 11, 2025, 2, 29, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "reference date");
  FAILS(jamstat_personnummer_parse("811218-9876", 11, 2025, 13, 1, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "reference date");
  FAILS(jamstat_personnummer_parse("811218-9876", 11, 1800, 1, 1, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "reference date");
  FAILS(jamstat_personnummer_parse("811218-9876", 11, 2025, -1, 1, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "reference date");
  p.struct_size = 4;
  p.problem = 42;
  FAILS(jamstat_personnummer_parse("811218-9876", 11, 2025, 12, 31, &p), JAMSTAT_ERROR_INVALID_ARGUMENT, "struct_size");
  CHECK(p.problem == 42); /* untouched on failure */
}

static void masking(void) {
  const char *text = "pnr 811218-9876, 198112189876 and 701063-2391; case 12345, 2025-12-31";
  const char *want = "pnr XXXXXX-XXXX, XXXXXXXXXXXX and XXXXXX-XXXX; case 12345, 2025-12-31";
  char buffer[128];
  size_t needed = 0;
  OK(jamstat_mask_personnummer(text, strlen(text), buffer, sizeof buffer, &needed));
  CHECK(strcmp(buffer, want) == 0);
  CHECK(needed == strlen(want) + 1);
  /* Too small: the size needed, nothing written. */
  memset(buffer, '#', sizeof buffer);
  needed = 0;
  FAILS(jamstat_mask_personnummer(text, strlen(text), buffer, 10, &needed), JAMSTAT_ERROR_BUFFER_TOO_SMALL, "bytes are needed");
  CHECK(needed == strlen(want) + 1 && buffer[0] == '#');
  FAILS(jamstat_mask_personnummer(text, strlen(text), NULL, 0, &needed), JAMSTAT_ERROR_BUFFER_TOO_SMALL, "needed");
  FAILS(jamstat_mask_personnummer(text, strlen(text), buffer, sizeof buffer, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "needed");
  FAILS(jamstat_mask_personnummer(NULL, 3, buffer, sizeof buffer, &needed), JAMSTAT_ERROR_NULL_ARGUMENT, "text");
  OK(jamstat_mask_personnummer(NULL, 0, buffer, sizeof buffer, &needed));
  CHECK(buffer[0] == '\0' && needed == 1);
}

/* The canonical form is what the CSV ingest hashes: two forms of one number are one person. */
static void one_person_whatever_the_form(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  jamstat_aggregator *a = NULL;
  jamstat_aggregator_options options = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
  jamstat_table *t = NULL;
  const char *forms[] = {"811218-9876", "198112189876", "701063-2391"};
  size_t i;
  jamstat_cell_counts counts = JAMSTAT_CELL_COUNTS_INIT;
  OK(jamstat_schema_builder_new(&b));
  OK(jamstat_schema_build(b, &s));
  options.count_persons = 1;
  for (i = 0; i < 16; ++i) options.person_key[i] = (uint8_t)(i + 1);
  OK(jamstat_aggregator_new(s, &options, &a));
  for (i = 0; i < 3; ++i) {
    jamstat_personnummer p = parse(forms[i], 2025, 12, 31);
    jamstat_person_id id = {JAMSTAT_PERSON_ID_BYTES, 0, (const uint8_t *)p.canonical, 12};
    int32_t code = p.sex;
    OK(jamstat_aggregator_add(a, &code, 1, NULL, 0, NULL, 0, &id, NULL));
  }
  OK(jamstat_total(a, &t));
  OK(jamstat_table_cell_counts(t, 0, &counts));
  CHECK(counts.has_persons == 1 && counts.persons == 2 && counts.participations == 3);
  jamstat_table_free(&t);
  jamstat_aggregator_free(&a);
  jamstat_schema_free(&s);
  jamstat_schema_builder_free(&b);
}

int main(void) {
  valid_numbers();
  invalid_numbers();
  bad_arguments();
  masking();
  one_person_whatever_the_form();
  printf("c_api: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
