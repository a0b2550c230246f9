/*
 * bindings_dotnet_c.c -- the C side of bench/bindings_dotnet.sh: bulk add of the canonical
 * columns (jamstat generate N DIR) through the C ABI's own jamstat_aggregator_add_arrays, the
 * lower bound the .NET binding's AddArrays is compared with (bench/bindings_dotnet.cs does the
 * same in C#, with the same schema, chunking and repetitions).
 *
 * Usage: bindings_dotnet_c DIR [REPS] [CHUNK_ROWS]
 * Prints one line per run: "c persons|plain chunk=N seconds S participations P".
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <jamstat/jamstat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *read_column(const char *dir, const char *name, size_t *bytes) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  void *p = malloc((size_t)n ? (size_t)n : 1);
  if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(1);
  }
  fclose(f);
  *bytes = (size_t)n;
  return p;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#define CHECK(call)                                                         \
  do {                                                                      \
    if ((call) != JAMSTAT_OK) {                                             \
      fprintf(stderr, "%s: %s\n", #call, jamstat_last_error_message());     \
      exit(1);                                                              \
    }                                                                       \
  } while (0)

static const char *dims[4] = {"age_band", "birth_region", "education", "intervention"};

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bindings_dotnet_c DIR [REPS] [CHUNK_ROWS]\n");
    return 2;
  }
  const char *dir = argv[1];
  int reps = argc > 2 ? atoi(argv[2]) : 5;
  size_t n = 0, bytes = 0;
  uint8_t *sex = read_column(dir, "sex.u8", &n);
  uint8_t *codes[4];
  for (int d = 0; d < 4; ++d) {
    char name[64];
    snprintf(name, sizeof name, "%s.u8", dims[d]);
    codes[d] = read_column(dir, name, &bytes);
  }
  uint8_t *outcome = read_column(dir, "outcome.u8", &bytes);
  double *hours = read_column(dir, "hours.f64", &bytes);
  uint32_t *person = read_column(dir, "person_id.u32", &bytes);
  size_t chunk = argc > 3 ? (size_t)atoll(argv[3]) : n;
  if (chunk == 0) chunk = n;

  /* The schema: each dimension's codes 0..max of the data (bindings_dotnet.cs does the same). */
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  CHECK(jamstat_schema_builder_new(&b));
  for (int d = 0; d < 4; ++d) {
    int max = 0;
    for (size_t i = 0; i < n; ++i)
      if (codes[d][i] > max) max = codes[d][i];
    int32_t level_codes[256];
    const char *labels[256];
    for (int c = 0; c <= max; ++c) {
      level_codes[c] = c;
      labels[c] = "level";
    }
    CHECK(jamstat_schema_builder_add_dimension(b, dims[d], (size_t)max + 1, level_codes, labels, labels));
  }
  CHECK(jamstat_schema_builder_add_outcome(b, "outcome", "", ""));
  CHECK(jamstat_schema_builder_add_numeric(b, "hours", "h", "", ""));
  CHECK(jamstat_schema_build(b, &s));

  for (int with_persons = 1; with_persons >= 0; --with_persons) {
    for (int r = 0; r < reps; ++r) {
      jamstat_aggregator_options o = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
      jamstat_aggregator *a = NULL;
      if (with_persons) {
        o.count_persons = 1;
        for (int k = 0; k < 16; ++k) o.person_key[k] = (uint8_t)(k + 1);
      }
      CHECK(jamstat_aggregator_new(s, &o, &a));
      const double t0 = now();
      for (size_t at = 0; at < n; at += chunk) {
        const size_t rows = n - at < chunk ? n - at : chunk;
        jamstat_array cols[8] = {
            {JAMSTAT_COLUMN_U8, 0, sex + at, rows},        {JAMSTAT_COLUMN_U8, 0, codes[0] + at, rows},
            {JAMSTAT_COLUMN_U8, 0, codes[1] + at, rows},   {JAMSTAT_COLUMN_U8, 0, codes[2] + at, rows},
            {JAMSTAT_COLUMN_U8, 0, codes[3] + at, rows},   {JAMSTAT_COLUMN_U8, 0, outcome + at, rows},
            {JAMSTAT_COLUMN_F64, 0, hours + at, rows},     {JAMSTAT_COLUMN_U32, 0, person + at, rows}};
        jamstat_batch_result result = JAMSTAT_BATCH_RESULT_INIT;
        CHECK(jamstat_aggregator_add_arrays(a, rows, cols, with_persons ? 8 : 7, &result));
      }
      const double seconds = now() - t0;
      uint64_t participations = 0;
      CHECK(jamstat_aggregator_participations(a, &participations));
      printf("c %s chunk=%zu seconds %.6f participations %llu\n", with_persons ? "persons" : "plain", chunk, seconds,
             (unsigned long long)participations);
      fflush(stdout);
      jamstat_aggregator_free(&a);
    }
  }
  /* Per-record adds (jamstat_aggregator_add) of the first million rows, without persons. */
  {
    jamstat_aggregator *a = NULL;
    const size_t m = n < 1000000 ? n : 1000000;
    CHECK(jamstat_aggregator_new(s, NULL, &a));
    const double t0 = now();
    for (size_t i = 0; i < m; ++i) {
      const int32_t c[5] = {sex[i], codes[0][i], codes[1][i], codes[2][i], codes[3][i]};
      const int32_t o[1] = {outcome[i]};
      CHECK(jamstat_aggregator_add(a, c, 5, o, 1, hours + i, 1, NULL, NULL));
    }
    const double seconds = now() - t0;
    printf("c record per_record seconds %.9f participations %zu\n", seconds / (double)m, m);
    jamstat_aggregator_free(&a);
  }
  jamstat_schema_free(&s);
  jamstat_schema_builder_free(&b);
  return 0;
}
