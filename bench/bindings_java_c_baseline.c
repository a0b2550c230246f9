/* The C ABI's own speed on the canonical 10M rows, the baseline of bench/bindings_java.sh:
 * jamstat_aggregator_add_arrays over the raw columns of `jamstat generate N DIR` (u8 codes and
 * outcome, f64 hours into a decimal measure, u32 person ids), with and without distinct
 * persons, and jamstat_aggregator_add one record at a time. Prints "C <phase> <seconds>" lines;
 * the median of REPS runs per phase.
 * Build: cc -O2 -std=c11 -Iinclude bench/bindings_java_c_baseline.c -Lbuild/dev -ljamstat -o /tmp/jb
 * Run:   LD_LIBRARY_PATH=build/dev /tmp/jb DIR [REPS] */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jamstat/jamstat.h>

static void *read_file(const char *dir, const char *name, size_t *size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  void *p = malloc((size_t)n);
  if (fread(p, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(1); }
  fclose(f);
  *size = (size_t)n;
  return p;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void check(jamstat_status s, const char *what) {
  if (s != JAMSTAT_OK) { fprintf(stderr, "%s: %s\n", what, jamstat_last_error_message()); exit(1); }
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static jamstat_schema *participation_schema(void) {
  static const char *names[4] = {"age_band", "birth_region", "education", "intervention"};
  static const size_t levels[4] = {6, 3, 4, 12};
  jamstat_schema_builder *b = NULL;
  check(jamstat_schema_builder_new(&b), "builder");
  for (int d = 0; d < 4; ++d) {
    int32_t codes[12];
    const char *labels[12];
    static const char *level_names[12] = {"l0", "l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8", "l9", "l10", "l11"};
    for (size_t l = 0; l < levels[d]; ++l) { codes[l] = (int32_t)l; labels[l] = level_names[l]; }
    check(jamstat_schema_builder_add_dimension(b, names[d], levels[d], codes, labels, labels), "dimension");
  }
  check(jamstat_schema_builder_add_outcome(b, "in_work_or_studies", "", ""), "outcome");
  jamstat_measure_definition m = JAMSTAT_MEASURE_DEFINITION_INIT;
  m.name = "hours"; m.unit = "h"; m.kind = JAMSTAT_MEASURE_DECIMAL; m.decimals = 2;
  m.has_range = 1; m.lowest = 0.0; m.highest = 99999.99;
  check(jamstat_schema_builder_add_measure(b, &m), "measure");
  jamstat_schema *s = NULL;
  check(jamstat_schema_build(b, &s), "build");
  jamstat_schema_builder_free(&b);
  return s;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: %s DIR [REPS]\n", argv[0]); return 2; }
  const int reps = argc > 2 ? atoi(argv[2]) : 5;
  static const char *files[6] = {"sex.u8", "age_band.u8", "birth_region.u8", "education.u8", "intervention.u8", "outcome.u8"};
  jamstat_array cols[8];
  size_t rows = 0, size = 0;
  for (int i = 0; i < 6; ++i) {
    void *p = read_file(argv[1], files[i], &rows);
    cols[i] = (jamstat_array){JAMSTAT_COLUMN_U8, 0, p, rows};
  }
  cols[6] = (jamstat_array){JAMSTAT_COLUMN_F64, 0, read_file(argv[1], "hours.f64", &size), rows};
  cols[7] = (jamstat_array){JAMSTAT_COLUMN_U32, 0, read_file(argv[1], "person_id.u32", &size), rows};
  jamstat_schema *s = participation_schema();
  double t_plain[64], t_persons[64], t_record[64];
  const size_t record_rows = rows < 2000000 ? rows : 2000000;
  for (int r = 0; r < reps && r < 64; ++r) {
    for (int persons = 0; persons < 2; ++persons) {
      jamstat_aggregator_options o = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
      if (persons) { o.count_persons = 1; memset(o.person_key, 7, 16); }
      jamstat_aggregator *a = NULL;
      check(jamstat_aggregator_new(s, &o, &a), "aggregator");
      double t0 = now();
      check(jamstat_aggregator_add_arrays(a, rows, cols, persons ? 8 : 7, NULL), "add_arrays");
      (persons ? t_persons : t_plain)[r] = now() - t0;
      jamstat_aggregator_free(&a);
    }
    /* one record at a time, without persons (the per-record cost Java adds to) */
    jamstat_aggregator *a = NULL;
    check(jamstat_aggregator_new(s, NULL, &a), "aggregator");
    const uint8_t *c[6];
    for (int i = 0; i < 6; ++i) c[i] = cols[i].data;
    const double *h = cols[6].data;
    double t0 = now();
    for (size_t i = 0; i < record_rows; ++i) {
      int32_t codes[5] = {c[0][i], c[1][i], c[2][i], c[3][i], c[4][i]}, out[1] = {c[5][i]};
      check(jamstat_aggregator_add(a, codes, 5, out, 1, &h[i], 1, NULL, NULL), "add");
    }
    t_record[r] = (now() - t0) / (double)record_rows;
    jamstat_aggregator_free(&a);
  }
  int n = reps < 64 ? reps : 64;
  qsort(t_plain, (size_t)n, sizeof(double), cmp);
  qsort(t_persons, (size_t)n, sizeof(double), cmp);
  qsort(t_record, (size_t)n, sizeof(double), cmp);
  printf("C rows %zu\n", rows);
  printf("C add_arrays %.4f\n", t_plain[n / 2]);
  printf("C add_arrays_persons %.4f\n", t_persons[n / 2]);
  printf("C add_record_us %.4f\n", t_record[n / 2] * 1e6);
  jamstat_schema_free(&s);
  return 0;
}
