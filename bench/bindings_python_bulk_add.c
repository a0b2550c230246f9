/*
 * bindings_python_bulk_add.c -- the C side of bench/bindings_python_bulk_add.py: the same bulk
 * add, made directly through the C ABI, so that the Python binding's speed can be given as a ratio
 * of the C ABI's own. Compiled and run by the Python script (not by CMake, not in CI):
 *
 *   cc -O2 -I include bench/bindings_python_bulk_add.c -L build/dev -ljamstat -o bulk_add_c
 *   ./bulk_add_c DATA_DIR REPS PERSONS(0|1)
 *
 * DATA_DIR holds the raw columns of `jamstat generate N DIR` (sex.u8 ... hours.f64, person_id.u32).
 * Prints one line per repetition: "c_add_arrays SECONDS" (the jamstat_aggregator_add_arrays call
 * alone, on a fresh aggregator, columns already in memory), then "participations N".
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jamstat/jamstat.h>

static void *read_column(const char *dir, const char *name, size_t width, size_t *rows) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "cannot open %s\n", path); exit(2); }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  void *data = aligned_alloc(64, ((size_t)size + 63) / 64 * 64);
  if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) { fprintf(stderr, "cannot read %s\n", path); exit(2); }
  fclose(f);
  *rows = (size_t)size / width;
  return data;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

#define CHECK(call) do { if ((call) != JAMSTAT_OK) { fprintf(stderr, "%s: %s\n", #call, jamstat_last_error_message()); exit(1); } } while (0)

static jamstat_schema *participation_schema(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  const int32_t codes[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  const char *labels[12] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"};
  jamstat_measure_definition hours = JAMSTAT_MEASURE_DEFINITION_INIT;
  hours.name = "hours";
  hours.unit = "h";
  hours.kind = JAMSTAT_MEASURE_DECIMAL;
  hours.decimals = 2;
  hours.has_range = 1;
  hours.lowest = 0.0;
  hours.highest = 99999.99;
  CHECK(jamstat_schema_builder_new(&b));
  CHECK(jamstat_schema_builder_add_dimension(b, "age_band", 6, codes, labels, labels));
  CHECK(jamstat_schema_builder_add_dimension(b, "birth_region", 3, codes, labels, labels));
  CHECK(jamstat_schema_builder_add_dimension(b, "education", 4, codes, labels, labels));
  CHECK(jamstat_schema_builder_add_dimension(b, "intervention", 12, codes, labels, labels));
  CHECK(jamstat_schema_builder_add_outcome(b, "in_work_or_studies", "", ""));
  CHECK(jamstat_schema_builder_add_measure(b, &hours));
  CHECK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  return s;
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: %s DATA_DIR REPS PERSONS\n", argv[0]); return 2; }
  const char *dir = argv[1];
  const int reps = atoi(argv[2]), persons = atoi(argv[3]);
  static const char *u8_names[6] = {"sex.u8", "age_band.u8", "birth_region.u8", "education.u8", "intervention.u8", "outcome.u8"};
  jamstat_array columns[8];
  size_t rows = 0;
  for (int i = 0; i < 6; ++i) {
    void *d = read_column(dir, u8_names[i], 1, &rows);
    columns[i] = (jamstat_array){JAMSTAT_COLUMN_U8, 0, d, rows};
  }
  columns[6] = (jamstat_array){JAMSTAT_COLUMN_F64, 0, read_column(dir, "hours.f64", 8, &rows), rows};
  columns[7] = (jamstat_array){JAMSTAT_COLUMN_U32, 0, read_column(dir, "person_id.u32", 4, &rows), rows};
  jamstat_schema *s = participation_schema();
  jamstat_aggregator_options opt = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
  if (persons) {
    opt.count_persons = 1;
    for (int i = 0; i < 16; ++i) opt.person_key[i] = (uint8_t)(i + 1);
  }
  uint64_t participations = 0;
  for (int r = 0; r < reps; ++r) {
    jamstat_aggregator *a = NULL;
    CHECK(jamstat_aggregator_new(s, &opt, &a));
    const double t0 = now();
    CHECK(jamstat_aggregator_add_arrays(a, rows, columns, persons ? 8 : 7, NULL));
    const double t1 = now();
    printf("c_add_arrays %.6f\n", t1 - t0);
    fflush(stdout);
    CHECK(jamstat_aggregator_participations(a, &participations));
    jamstat_aggregator_free(&a);
  }
  printf("participations %llu\n", (unsigned long long)participations);
  jamstat_schema_free(&s);
  return 0;
}
