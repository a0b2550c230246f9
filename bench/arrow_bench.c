/*
 * arrow_bench.c -- bench/arrow_bench.sh's program: the canonical columns (jamstat generate N DIR)
 * added through jamstat_aggregator_add_arrays and through jamstat_aggregator_add_arrow (record
 * batches built by hand over the same memory, as a producer exports them), in the same process,
 * interleaved run by run, with the same schema and the same batch size.
 *
 * Ways of adding (the Arrow columns are built before the clock starts, as a producer holds them):
 *   arrays   add_arrays: u8 codes, u8 outcome, f64 hours, u32 person ids (the C ABI's own speed)
 *   same     add_arrow, the same buffers as Arrow types: uint8 ('C') codes and outcome, float64
 *            ('g') hours, uint32 ('I') ids -- every column read in place
 *   pandas   add_arrow as pyarrow exports a pandas DataFrame of default dtypes: int64 ('l') codes,
 *            boolean ('b', bit-packed) outcome, float64 hours, int64 ids -- codes and outcome
 *            converted block by block, hours and ids in place
 *   dict     add_arrow with pandas categoricals: every dimension dictionary-encoded, int8 ('c')
 *            indices into utf8 ('u') level labels (sex: its Swedish labels), rest as `same`
 *
 * Usage: arrow_bench DIR [REPS] [BATCH_ROWS]   (BATCH_ROWS 0: the whole 10M rows in one call)
 * Prints one line per run: "<way> persons|plain batch=N seconds S participations P same_state 0|1"
 * (same_state: the serialized state equals that of `arrays` in the same round).
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

static void *checked_malloc(size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  return p;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#define CHECK(call)                                                     \
  do {                                                                  \
    if ((call) != JAMSTAT_OK) {                                         \
      fprintf(stderr, "%s: %s\n", #call, jamstat_last_error_message()); \
      exit(1);                                                          \
    }                                                                   \
  } while (0)

enum { DIMS = 4, FIELDS = 8, MAX_LEVELS = 256 };
static const char *dims[DIMS] = {"age_band", "birth_region", "education", "intervention"};
static const char *names[FIELDS] = {"sex", "age_band", "birth_region", "education", "intervention", "outcome", "hours", "person_id"};

/* ------------------------------------------------------------------- hand-built record batches */

static void release_schema(struct ArrowSchema *s) { s->release = NULL; } /* memory owned by main */
static void release_array(struct ArrowArray *a) { a->release = NULL; }

/* A dictionary's values: utf8 labels (offsets and data built here). */
typedef struct dictionary {
  struct ArrowSchema schema;
  struct ArrowArray array;
  const void *buffers[3];
  int32_t offsets[MAX_LEVELS + 1];
  char data[MAX_LEVELS * 64];
} dictionary;

/* A record batch of FIELDS children (the last, person_id, only with persons). */
typedef struct batch {
  struct ArrowSchema schema, child_schemas[FIELDS];
  struct ArrowArray array, child_arrays[FIELDS];
  struct ArrowSchema *schema_children[FIELDS];
  struct ArrowArray *array_children[FIELDS];
  const void *buffers[FIELDS][2];
  const void *struct_buffers[1]; /* the struct's validity: NULL, no null rows */
  const char *formats[FIELDS];
  const void *values[FIELDS];
  dictionary *dictionaries[FIELDS]; /* NULL: plain */
} batch;

static void dictionary_init(dictionary *d, size_t count, const char *const *labels) {
  memset(d, 0, sizeof *d);
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    d->offsets[i] = (int32_t)at;
    const size_t n = strlen(labels[i]);
    memcpy(d->data + at, labels[i], n);
    at += n;
  }
  d->offsets[count] = (int32_t)at;
  d->buffers[0] = NULL;
  d->buffers[1] = d->offsets;
  d->buffers[2] = d->data;
  d->schema.format = "u";
  d->schema.flags = ARROW_FLAG_NULLABLE;
  d->schema.release = release_schema;
  d->array.length = (int64_t)count;
  d->array.n_buffers = 3;
  d->array.buffers = d->buffers;
  d->array.release = release_array;
}

/* Rows [at, at + rows) of the columns: each child sliced by its offset, as a sliced batch is exported. */
static void batch_set(batch *b, size_t children, size_t at, size_t rows) {
  memset(&b->schema, 0, sizeof b->schema);
  memset(&b->array, 0, sizeof b->array);
  for (size_t i = 0; i < children; ++i) {
    struct ArrowSchema *s = &b->child_schemas[i];
    struct ArrowArray *a = &b->child_arrays[i];
    memset(s, 0, sizeof *s);
    memset(a, 0, sizeof *a);
    s->format = b->formats[i];
    s->name = names[i];
    s->flags = ARROW_FLAG_NULLABLE;
    s->release = release_schema;
    b->buffers[i][0] = NULL; /* no nulls: no validity bitmap */
    b->buffers[i][1] = b->values[i];
    a->length = (int64_t)rows;
    a->offset = (int64_t)at;
    a->n_buffers = 2;
    a->buffers = b->buffers[i];
    a->release = release_array;
    if (b->dictionaries[i]) {
      s->dictionary = &b->dictionaries[i]->schema;
      a->dictionary = &b->dictionaries[i]->array;
    }
    b->schema_children[i] = s;
    b->array_children[i] = a;
  }
  b->schema.format = "+s";
  b->schema.n_children = (int64_t)children;
  b->schema.children = b->schema_children;
  b->schema.release = release_schema;
  b->array.length = (int64_t)rows;
  b->array.n_buffers = 1;
  b->struct_buffers[0] = NULL;
  b->array.buffers = b->struct_buffers;
  b->array.n_children = (int64_t)children;
  b->array.children = b->array_children;
  b->array.release = release_array;
}

/* ---------------------------------------------------------------------------------- the runs */

typedef enum way { ARRAYS, SAME, PANDAS, DICT, WAYS } way;
static const char *way_names[WAYS] = {"arrays", "same", "pandas", "dict"};

typedef struct data {
  size_t n;
  uint8_t *sex, *codes[DIMS], *outcome;
  double *hours;
  uint32_t *person;
  /* pandas: int64 codes and ids, bit-packed outcome */
  int64_t *sex64, *codes64[DIMS], *person64;
  uint8_t *outcome_bits;
  /* dict: int8 indices (level index of the code) */
  int8_t *sex_index, *code_index[DIMS];
} data;

static uint8_t *serialize(const jamstat_aggregator *a, size_t *size) {
  CHECK(jamstat_aggregator_serialized_size(a, size));
  uint8_t *bytes = checked_malloc(*size);
  size_t written = 0;
  CHECK(jamstat_aggregator_serialize(a, bytes, *size, &written));
  *size = written;
  return bytes;
}

/* Adds every row by `w` in batches of `chunk` rows; returns the seconds the adds took. */
static double add_all(jamstat_aggregator *a, way w, const data *d, batch *arrow_batches, size_t chunk, int persons) {
  const size_t n = d->n, children = persons ? FIELDS : FIELDS - 1;
  const double t0 = now();
  for (size_t at = 0; at < n; at += chunk) {
    const size_t rows = n - at < chunk ? n - at : chunk;
    jamstat_batch_result result = JAMSTAT_BATCH_RESULT_INIT;
    if (w == ARRAYS) {
      jamstat_array cols[FIELDS] = {
          {JAMSTAT_COLUMN_U8, 0, d->sex + at, rows},      {JAMSTAT_COLUMN_U8, 0, d->codes[0] + at, rows},
          {JAMSTAT_COLUMN_U8, 0, d->codes[1] + at, rows}, {JAMSTAT_COLUMN_U8, 0, d->codes[2] + at, rows},
          {JAMSTAT_COLUMN_U8, 0, d->codes[3] + at, rows}, {JAMSTAT_COLUMN_U8, 0, d->outcome + at, rows},
          {JAMSTAT_COLUMN_F64, 0, d->hours + at, rows},   {JAMSTAT_COLUMN_U32, 0, d->person + at, rows}};
      CHECK(jamstat_aggregator_add_arrays(a, rows, cols, children, &result));
    } else {
      batch *b = &arrow_batches[w];
      batch_set(b, children, at, rows);
      CHECK(jamstat_aggregator_add_arrow(a, &b->schema, &b->array, NULL, &result));
    }
    if (result.accepted != rows) {
      fprintf(stderr, "%s: %llu of %zu rows accepted\n", way_names[w], (unsigned long long)result.accepted, rows);
      exit(1);
    }
  }
  return now() - t0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: arrow_bench DIR [REPS] [BATCH_ROWS]\n");
    return 2;
  }
  const char *dir = argv[1];
  const int reps = argc > 2 ? atoi(argv[2]) : 5;
  data d;
  size_t bytes = 0;
  d.sex = read_column(dir, "sex.u8", &d.n);
  for (int k = 0; k < DIMS; ++k) {
    char name[64];
    snprintf(name, sizeof name, "%s.u8", dims[k]);
    d.codes[k] = read_column(dir, name, &bytes);
  }
  d.outcome = read_column(dir, "outcome.u8", &bytes);
  d.hours = read_column(dir, "hours.f64", &bytes);
  d.person = read_column(dir, "person_id.u32", &bytes);
  const size_t n = d.n;
  size_t chunk = argc > 3 ? (size_t)atoll(argv[3]) : 0;
  if (chunk == 0) chunk = n;

  /* The schema: each dimension's codes 0..max of the data, labels "<dimension> <code>" (English
   * "<dimension> #<code>"), as the other binding benchmarks build it (with distinct labels). */
  jamstat_schema_builder *sb = NULL;
  jamstat_schema *s = NULL;
  static char label_text[DIMS][MAX_LEVELS][2][48];
  const char *labels[DIMS][MAX_LEVELS][2];
  size_t level_count[DIMS + 1];
  CHECK(jamstat_schema_builder_new(&sb));
  for (int k = 0; k < DIMS; ++k) {
    int max = 0;
    for (size_t i = 0; i < n; ++i)
      if (d.codes[k][i] > max) max = d.codes[k][i];
    int32_t level_codes[MAX_LEVELS];
    const char *sv[MAX_LEVELS], *en[MAX_LEVELS];
    for (int c = 0; c <= max; ++c) {
      level_codes[c] = c;
      snprintf(label_text[k][c][0], sizeof label_text[k][c][0], "%s %d", dims[k], c);
      snprintf(label_text[k][c][1], sizeof label_text[k][c][1], "%s #%d", dims[k], c);
      sv[c] = labels[k][c][0] = label_text[k][c][0];
      en[c] = labels[k][c][1] = label_text[k][c][1];
    }
    level_count[k + 1] = (size_t)max + 1;
    CHECK(jamstat_schema_builder_add_dimension(sb, dims[k], (size_t)max + 1, level_codes, sv, en));
  }
  CHECK(jamstat_schema_builder_add_outcome(sb, "outcome", "", ""));
  CHECK(jamstat_schema_builder_add_numeric(sb, "hours", "h", "", ""));
  CHECK(jamstat_schema_build(sb, &s));

  /* The other ways' columns, built once. */
  d.sex64 = checked_malloc(n * sizeof(int64_t));
  d.person64 = checked_malloc(n * sizeof(int64_t));
  d.outcome_bits = checked_malloc((n + 7) / 8);
  d.sex_index = checked_malloc(n);
  memset(d.outcome_bits, 0, (n + 7) / 8);
  for (int k = 0; k < DIMS; ++k) {
    d.codes64[k] = checked_malloc(n * sizeof(int64_t));
    d.code_index[k] = checked_malloc(n);
  }
  size_t sex_levels = 0;
  CHECK(jamstat_schema_level_count(s, 0, &sex_levels));
  int8_t sex_index_of_code[256];
  memset(sex_index_of_code, -1, sizeof sex_index_of_code);
  const char *sex_labels[MAX_LEVELS];
  for (size_t l = 0; l < sex_levels; ++l) {
    int32_t code = 0;
    CHECK(jamstat_schema_level(s, 0, l, &code, &sex_labels[l], NULL));
    sex_index_of_code[code & 0xFF] = (int8_t)l;
  }
  for (size_t i = 0; i < n; ++i) {
    d.sex64[i] = d.sex[i];
    d.person64[i] = d.person[i];
    if (d.outcome[i]) d.outcome_bits[i >> 3] = (uint8_t)(d.outcome_bits[i >> 3] | (1u << (i & 7)));
    d.sex_index[i] = sex_index_of_code[d.sex[i]];
    if (d.sex_index[i] < 0) {
      fprintf(stderr, "sex code %d of row %zu is no level\n", d.sex[i], i);
      return 1;
    }
    for (int k = 0; k < DIMS; ++k) {
      d.codes64[k][i] = d.codes[k][i];
      d.code_index[k][i] = (int8_t)d.codes[k][i]; /* codes 0..max: the level index */
    }
  }
  static dictionary dictionaries[DIMS + 1];
  dictionary_init(&dictionaries[0], sex_levels, sex_labels);
  for (int k = 0; k < DIMS; ++k) {
    const char *sv[MAX_LEVELS];
    for (size_t c = 0; c < level_count[k + 1]; ++c) sv[c] = labels[k][c][0];
    dictionary_init(&dictionaries[k + 1], level_count[k + 1], sv);
  }
  static batch arrow_batches[WAYS];
  memset(arrow_batches, 0, sizeof arrow_batches);
  {
    batch *b = &arrow_batches[SAME];
    for (int i = 0; i < 5; ++i) b->formats[i] = "C";
    b->values[0] = d.sex;
    for (int k = 0; k < DIMS; ++k) b->values[k + 1] = d.codes[k];
    b->formats[5] = "C";
    b->values[5] = d.outcome;
    b->formats[6] = "g";
    b->values[6] = d.hours;
    b->formats[7] = "I";
    b->values[7] = d.person;
  }
  {
    batch *b = &arrow_batches[PANDAS];
    for (int i = 0; i < 5; ++i) b->formats[i] = "l";
    b->values[0] = d.sex64;
    for (int k = 0; k < DIMS; ++k) b->values[k + 1] = d.codes64[k];
    b->formats[5] = "b";
    b->values[5] = d.outcome_bits;
    b->formats[6] = "g";
    b->values[6] = d.hours;
    b->formats[7] = "l";
    b->values[7] = d.person64;
  }
  {
    batch *b = &arrow_batches[DICT];
    *b = arrow_batches[SAME];
    for (int i = 0; i < 5; ++i) {
      b->formats[i] = "c";
      b->dictionaries[i] = &dictionaries[i];
    }
    b->values[0] = d.sex_index;
    for (int k = 0; k < DIMS; ++k) b->values[k + 1] = d.code_index[k];
  }

  for (int persons = 1; persons >= 0; --persons) {
    for (int r = 0; r < reps; ++r) {
      /* Each round starts with another way (no way always first), states compared at its end. */
      uint8_t *states[WAYS];
      size_t sizes[WAYS];
      double seconds[WAYS];
      uint64_t participations[WAYS];
      for (int j = 0; j < WAYS; ++j) {
        const int w = (r + j) % WAYS;
        jamstat_aggregator_options o = JAMSTAT_AGGREGATOR_OPTIONS_INIT;
        jamstat_aggregator *a = NULL;
        if (persons) {
          o.count_persons = 1;
          for (int k = 0; k < 16; ++k) o.person_key[k] = (uint8_t)(k + 1);
        }
        CHECK(jamstat_aggregator_new(s, &o, &a));
        seconds[w] = add_all(a, (way)w, &d, arrow_batches, chunk, persons);
        CHECK(jamstat_aggregator_participations(a, &participations[w]));
        states[w] = serialize(a, &sizes[w]);
        jamstat_aggregator_free(&a);
      }
      for (int w = 0; w < WAYS; ++w) {
        const int same_state = sizes[w] == sizes[ARRAYS] && memcmp(states[w], states[ARRAYS], sizes[w]) == 0;
        printf("%s %s batch=%zu seconds %.6f participations %llu same_state %d\n", way_names[w], persons ? "persons" : "plain",
               chunk, seconds[w], (unsigned long long)participations[w], same_state);
      }
      fflush(stdout);
      for (int w = 0; w < WAYS; ++w) free(states[w]);
    }
  }
  jamstat_schema_free(&s);
  jamstat_schema_builder_free(&sb);
  return 0;
}
