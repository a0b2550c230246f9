/*
 * jamstat.h -- the stable C ABI of jamstat (C99; usable from C and C++).
 *
 * Conventions (every function follows them; see docs/c-abi.md for the guide):
 *
 * - Handles are opaque: jamstat_schema_builder, jamstat_schema, jamstat_aggregator,
 *   jamstat_table, jamstat_cube. Each has a jamstat_X_free(jamstat_X **handle) that accepts NULL
 *   and a pointer to NULL, frees, and sets *handle to NULL (so a later use of that variable is
 *   JAMSTAT_ERROR_NULL_ARGUMENT). A live handle of the wrong type (a schema passed as an
 *   aggregator, or to jamstat_aggregator_free) is reported as JAMSTAT_ERROR_WRONG_HANDLE: a
 *   _free of the wrong type frees nothing, leaves *handle as it was and sets the last error. A
 *   handle freed through *another* variable is dangling memory, which no C library can detect
 *   reliably: keep one owner per handle.
 * - Handles are independent of each other once made: a table or cube outlives the aggregator
 *   and schema it came from; an aggregator keeps its own reference to its schema (the reference
 *   count is atomic: schemas may be shared and freed from any thread).
 * - Every fallible function returns a jamstat_status. On failure it leaves its outputs
 *   untouched and sets a thread-local error: jamstat_last_error_message() says exactly what was
 *   wrong (which argument, which dimension, which code, which row of a batch), and
 *   jamstat_last_error_row() / jamstat_last_error_field() give the row and schema field when
 *   the error is about a record. A successful call clears it.
 * - Memory: the caller owns what it passes in (never kept after the call returns, except that
 *   a schema keeps copies of its names and labels). Handles returned through an out-parameter
 *   are owned by the caller, who frees them. Strings returned as `const char *` are owned by
 *   the handle they came from and stay valid until it is freed; the error message stays valid
 *   until the next jamstat call on the same thread.
 * - Threads: every function is thread-safe on distinct handles. A handle must not be used by
 *   two threads at once if either call modifies it (add, merge, free); read-only calls on the
 *   same handle may run concurrently. Parallel ingestion: one aggregator per thread, then
 *   jamstat_aggregator_merge.
 * - No C++ exception ever crosses this boundary, and no input, however wrong, aborts the
 *   process.
 * - Parameters that take enum values are plain integers (an enum-typed parameter would make
 *   an out-of-range value undefined behaviour); out-of-range values are reported as
 *   JAMSTAT_ERROR_INVALID_ARGUMENT.
 * - Stability: status codes, enum values and struct layouts are frozen once released; new
 *   functions and new enum values are only ever added. Every options, input and result struct
 *   begins with a `struct_size` field (set it with the matching _INIT macro): the library
 *   reads and writes only the fields that fit in struct_size, so structs can grow at their end.
 *   struct_size may not be less than the end of the struct's first released last field (C tail
 *   padding is not required); a struct_size larger than this library knows is accepted only
 *   when the unknown tail is all zero (an option of a newer binding is never silently ignored).
 *   The small value structs jamstat_person_id, jamstat_column, jamstat_bytes, jamstat_array,
 *   jamstat_row_error and jamstat_measure_columns have no struct_size: their layout is frozen.
 * - Strings: every string the library returns, error messages included, is valid UTF-8 (bytes
 *   of the caller that are not are shown escaped as \xNN), and every string it takes must be
 *   UTF-8 (see docs/c-abi.md for Java/JNA under LANG=C).
 * - Columns: data pointers need the natural alignment of their element type (4 bytes for
 *   I32/U32/F32, 8 for U64/I64/F64, pointer alignment for BYTES).
 */
#ifndef JAMSTAT_H
#define JAMSTAT_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(JAMSTAT_BUILDING_LIBRARY)
#    define JAMSTAT_API __declspec(dllexport)
#  else
#    define JAMSTAT_API
#  endif
#else
#  define JAMSTAT_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------ versions */

#define JAMSTAT_VERSION_MAJOR 0
#define JAMSTAT_VERSION_MINOR 2
#define JAMSTAT_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH of the headers compiled against. */
#define JAMSTAT_VERSION_NUMBER (JAMSTAT_VERSION_MAJOR * 10000 + JAMSTAT_VERSION_MINOR * 100 + JAMSTAT_VERSION_PATCH)
#define JAMSTAT_VERSION_STRING "0.2.0"
/** The ABI version: the shared library's SONAME is libjamstat.so.<JAMSTAT_ABI_VERSION>. It
 *  changes only when a released symbol or layout would have to change, which we do not do. */
#define JAMSTAT_ABI_VERSION 1

/** Version number of the library actually loaded (same encoding as JAMSTAT_VERSION_NUMBER). */
JAMSTAT_API uint32_t jamstat_version_number(void);
/** Version of the library actually loaded, e.g. "0.1.0". Static storage. */
JAMSTAT_API const char *jamstat_version_string(void);
/** ABI version of the library actually loaded. */
JAMSTAT_API uint32_t jamstat_abi_version(void);

/* -------------------------------------------------------------------------------- errors */

/** Status codes. Values are frozen; new ones are only appended. */
typedef enum jamstat_status {
  JAMSTAT_OK = 0,
  JAMSTAT_ERROR_NULL_ARGUMENT = 1,    /**< a required pointer argument is NULL */
  JAMSTAT_ERROR_INVALID_ARGUMENT = 2, /**< an argument is out of range or inconsistent */
  JAMSTAT_ERROR_WRONG_HANDLE = 3,     /**< a handle of another type, or a freed one */
  JAMSTAT_ERROR_INVALID_SCHEMA = 4,   /**< a schema definition is invalid (names, codes, UTF-8) */
  JAMSTAT_ERROR_BAD_RECORD = 5,       /**< a record was rejected (reject policy); see row/field */
  JAMSTAT_ERROR_SCHEMA_MISMATCH = 6,  /**< states of different schemas or person keys */
  JAMSTAT_ERROR_OUT_OF_MEMORY = 7,
  JAMSTAT_ERROR_BUFFER_TOO_SMALL = 8, /**< the caller's buffer is too small; the size needed is returned */
  JAMSTAT_ERROR_STATE_FORMAT = 9,     /**< state bytes truncated, corrupted or not a state */
  JAMSTAT_ERROR_STATE_VERSION = 10,   /**< state written in a format version this library cannot read */
  JAMSTAT_ERROR_NOT_AVAILABLE = 11,   /**< the statistic is not kept (e.g. persons not counted) */
  JAMSTAT_ERROR_INTERNAL = 12,        /**< a bug in jamstat: please report the message */
  JAMSTAT_ERROR_OVERFLOW = 13         /**< a count would exceed 2^64 - 1; nothing was changed (counts never wrap) */
} jamstat_status;

/** Stable name of a status ("JAMSTAT_ERROR_BAD_RECORD"); "JAMSTAT_UNKNOWN_STATUS" for other values. Static storage. */
JAMSTAT_API const char *jamstat_status_name(int32_t status);
/** What a status means, in a sentence ("a record was rejected: see the row and field"), for
 *  messages without a prior failing call. Static storage; a generic text for unknown values. */
JAMSTAT_API const char *jamstat_status_message(int32_t status);
/** Message of the last failed call on this thread, or "" after a successful one. Valid until the next jamstat call on this thread. */
JAMSTAT_API const char *jamstat_last_error_message(void);
/** Status of the last call on this thread. */
JAMSTAT_API jamstat_status jamstat_last_error_status(void);
/** Row (within the batch; 0 for a single record) of the record the last error is about, or -1. */
JAMSTAT_API int64_t jamstat_last_error_row(void);
/** Schema field index (dimensions, outcomes, numeric measures, person_id) the last error is about, or -1. */
JAMSTAT_API int64_t jamstat_last_error_field(void);
/** The jamstat_rejection_reason of the bad record the last error is about, or -1. */
JAMSTAT_API int32_t jamstat_last_error_reason(void);

/* --------------------------------------------------------------------------------- schema */

typedef struct jamstat_schema_builder jamstat_schema_builder;
typedef struct jamstat_schema jamstat_schema;

/** ISO/IEC 5218 sex codes: the built-in dimension 0 of every schema. */
#define JAMSTAT_SEX_NOT_KNOWN 0
#define JAMSTAT_SEX_MALE 1
#define JAMSTAT_SEX_FEMALE 2
#define JAMSTAT_SEX_NOT_APPLICABLE 9
/** Code meaning "missing" in record and column input. */
#define JAMSTAT_MISSING_CODE (-1)

/** Label language. */
typedef enum jamstat_language { JAMSTAT_SWEDISH = 0, JAMSTAT_ENGLISH = 1 } jamstat_language;

/** Creates an empty builder (sex is always included). Free with jamstat_schema_builder_free. */
JAMSTAT_API jamstat_status jamstat_schema_builder_new(jamstat_schema_builder **out);
/** Frees a builder; accepts NULL and *builder == NULL; sets *builder to NULL. */
JAMSTAT_API void jamstat_schema_builder_free(jamstat_schema_builder **builder);
/** Adds a dimension with `level_count` levels (at most 65,535, checked before the arrays are
 *  read): codes[i] with labels_sv[i] / labels_en[i] (UTF-8, copied). Names are unique ignoring
 *  ASCII case; "sex" and "person_id" are built in. Validation happens here and in
 *  jamstat_schema_build. */
JAMSTAT_API jamstat_status jamstat_schema_builder_add_dimension(jamstat_schema_builder *builder, const char *name,
                                                                size_t level_count, const int32_t *codes,
                                                                const char *const *labels_sv,
                                                                const char *const *labels_en);
/** Sets the Swedish and English labels of a dimension added before ("Åldersgrupp" / "Age band";
 *  "" shows the name), shown in reports. Part of the fingerprint. */
JAMSTAT_API jamstat_status jamstat_schema_builder_set_dimension_labels(jamstat_schema_builder *builder, const char *dimension,
                                                                       const char *label_sv, const char *label_en);
/** Adds a binary outcome (labels may be ""). */
JAMSTAT_API jamstat_status jamstat_schema_builder_add_outcome(jamstat_schema_builder *builder, const char *name,
                                                              const char *label_sv, const char *label_en);
/** Adds a floating numeric measure with the widest range (|x| <= 1e140) and a unit (unit and
 *  labels may be ""). jamstat_schema_builder_add_measure declares decimal measures and ranges. */
JAMSTAT_API jamstat_status jamstat_schema_builder_add_numeric(jamstat_schema_builder *builder, const char *name,
                                                              const char *unit, const char *label_sv,
                                                              const char *label_en);

/** Kinds of numeric measure (docs/engine.md, "Numeric measures"). */
#define JAMSTAT_MEASURE_FLOATING 0 /**< any finite value in range; a documented error bound for every input order */
#define JAMSTAT_MEASURE_DECIMAL 1  /**< values on a grid of 10^-decimals; exact integer sums, byte-identical states */
/** What happens to a decimal measure's value off its grid. */
#define JAMSTAT_OFF_GRID_REJECT 0 /**< bad input (JAMSTAT_REJECTED_MEASURE_OFF_RESOLUTION) */
#define JAMSTAT_OFF_GRID_ROUND 1  /**< rounded to the nearest grid point, ties to even, and counted */

/** A numeric measure's definition. Initialise with JAMSTAT_MEASURE_DEFINITION_INIT. */
typedef struct jamstat_measure_definition {
  uint32_t struct_size;  /**< sizeof(jamstat_measure_definition) */
  const char *name;      /**< UTF-8, required */
  const char *unit;      /**< free text, e.g. "h" or "SEK" */
  const char *label_sv;
  const char *label_en;
  uint32_t kind;         /**< JAMSTAT_MEASURE_FLOATING or JAMSTAT_MEASURE_DECIMAL */
  uint32_t decimals;     /**< decimal measures: resolution 10^-decimals, 0..9 */
  uint32_t off_grid;     /**< decimal measures: JAMSTAT_OFF_GRID_REJECT or JAMSTAT_OFF_GRID_ROUND */
  uint32_t has_range;    /**< 0: the kind's widest range; 1: [lowest, highest] */
  double lowest;         /**< smallest valid value (on the grid for a decimal measure) */
  double highest;        /**< largest valid value */
} jamstat_measure_definition;
#define JAMSTAT_MEASURE_DEFINITION_INIT \
  {sizeof(jamstat_measure_definition), NULL, "", "", "", JAMSTAT_MEASURE_FLOATING, 0, JAMSTAT_OFF_GRID_REJECT, 0, 0.0, 0.0}

/** Adds a numeric measure of either kind. A value outside its range, or (decimal) off its grid,
 *  is then bad input; the kind, resolution and range are part of the schema's fingerprint. A
 *  decimal measure's range is at most +-(2^31 - 1) grid units; a floating one's +-1e140. */
JAMSTAT_API jamstat_status jamstat_schema_builder_add_measure(jamstat_schema_builder *builder,
                                                              const jamstat_measure_definition *definition);
/** Declares the schema's cross-product set (docs/engine.md, "Cross-products"): outcomes and
 *  decimal measures, by name (2 to 16), whose exact sums of products Σ z_i z_j every cell keeps, so
 *  that they can be numeric characteristics of jamstat_oaxaca_numeric_new. The set is part of the
 *  schema's fingerprint and of its states; it is kept in field order whatever order the names are
 *  given in. Replaces an earlier set; count 0 clears it. The names are checked by
 *  jamstat_schema_build (JAMSTAT_ERROR_INVALID_SCHEMA names a floating measure, a dimension, an
 *  unknown or repeated name). */
JAMSTAT_API jamstat_status jamstat_schema_builder_set_cross_products(jamstat_schema_builder *builder,
                                                                     const char *const *names, size_t count);
/** Builds an immutable schema from the builder (which stays usable). Free with jamstat_schema_free. */
JAMSTAT_API jamstat_status jamstat_schema_build(const jamstat_schema_builder *builder, jamstat_schema **out);
/** Frees a schema handle; accepts NULL; sets *schema to NULL. Aggregators keep their own reference. */
JAMSTAT_API void jamstat_schema_free(jamstat_schema **schema);

/** Number of dimensions, sex (index 0) included. */
JAMSTAT_API jamstat_status jamstat_schema_dimension_count(const jamstat_schema *schema, size_t *out);
/** Name of dimension `dimension`. The string belongs to the schema. */
JAMSTAT_API jamstat_status jamstat_schema_dimension_name(const jamstat_schema *schema, size_t dimension,
                                                         const char **out);
/** Labels of dimension `dimension` as given ("" when none; sex: "Kön" / "Sex"). The strings belong to the schema. */
JAMSTAT_API jamstat_status jamstat_schema_dimension_labels(const jamstat_schema *schema, size_t dimension,
                                                           const char **label_sv, const char **label_en);
/** Index of the dimension called `name`. JAMSTAT_ERROR_INVALID_ARGUMENT if there is none. */
JAMSTAT_API jamstat_status jamstat_schema_dimension_index(const jamstat_schema *schema, const char *name,
                                                          size_t *out);
/** Number of levels of a dimension. */
JAMSTAT_API jamstat_status jamstat_schema_level_count(const jamstat_schema *schema, size_t dimension, size_t *out);
/** Code and label of level `level` of a dimension; any out pointer may be NULL. */
JAMSTAT_API jamstat_status jamstat_schema_level(const jamstat_schema *schema, size_t dimension, size_t level,
                                                int32_t *code, const char **label_sv, const char **label_en);
/** The level index of `code` in a dimension. JAMSTAT_ERROR_INVALID_ARGUMENT if no level has it. */
JAMSTAT_API jamstat_status jamstat_schema_level_index(const jamstat_schema *schema, size_t dimension, int32_t code,
                                                      size_t *level);
/** The label of the total ("Totalt" in Swedish, "Total" in English). Static storage; "" for an unknown language. */
JAMSTAT_API const char *jamstat_total_label(int32_t language);
/** Number of outcomes / numeric measures. */
JAMSTAT_API jamstat_status jamstat_schema_outcome_count(const jamstat_schema *schema, size_t *out);
JAMSTAT_API jamstat_status jamstat_schema_numeric_count(const jamstat_schema *schema, size_t *out);
/** Name of a schema field (dimensions, then outcomes, numeric measures, "person_id"), e.g. for
 *  jamstat_last_error_field(). */
JAMSTAT_API jamstat_status jamstat_schema_field_name(const jamstat_schema *schema, size_t field, const char **out);
/** Stable 64-bit fingerprint of the full definition. */
JAMSTAT_API jamstat_status jamstat_schema_fingerprint(const jamstat_schema *schema, uint64_t *out);
/** The definition of numeric measure `measure`, its range resolved (has_range = 1). The strings
 *  belong to the schema. */
JAMSTAT_API jamstat_status jamstat_schema_measure(const jamstat_schema *schema, size_t measure,
                                                  jamstat_measure_definition *out);

/** The number of variables in the schema's cross-product set (0 when it keeps none). */
JAMSTAT_API jamstat_status jamstat_schema_cross_product_count(const jamstat_schema *schema, size_t *out);
/** The name of variable `index` of the cross-product set (field order). The string belongs to the schema. */
JAMSTAT_API jamstat_status jamstat_schema_cross_product_name(const jamstat_schema *schema, size_t index, const char **out);

/* ----------------------------------------------------------------------------- aggregator */

typedef struct jamstat_aggregator jamstat_aggregator;

/** What happens to a bad record. */
typedef enum jamstat_bad_record_policy {
  /** Fail with JAMSTAT_ERROR_BAD_RECORD; a batch is all-or-nothing (state unchanged). Default. */
  JAMSTAT_REJECT = 0,
  /** Skip the record and count it in the rejected-records tally (part of the state). */
  JAMSTAT_TALLY = 1
} jamstat_bad_record_policy;

/** Aggregator options. Initialise with JAMSTAT_AGGREGATOR_OPTIONS_INIT. */
typedef struct jamstat_aggregator_options {
  uint32_t struct_size;          /**< sizeof(jamstat_aggregator_options) */
  uint32_t on_bad_record;        /**< a jamstat_bad_record_policy */
  uint32_t count_persons;        /**< non-zero: count distinct persons (a person id is then required with every
                                      record; without it, a person id given is an error) */
  uint8_t person_key[16];        /**< SipHash key for person ids, when count_persons; the all-zero key is refused */
} jamstat_aggregator_options;
#define JAMSTAT_AGGREGATOR_OPTIONS_INIT {sizeof(jamstat_aggregator_options), JAMSTAT_REJECT, 0, {0}}

/** Creates an aggregator for a schema (options may be NULL for the defaults). */
JAMSTAT_API jamstat_status jamstat_aggregator_new(const jamstat_schema *schema, const jamstat_aggregator_options *options,
                                                  jamstat_aggregator **out);
/** Frees an aggregator; accepts NULL; sets *aggregator to NULL. */
JAMSTAT_API void jamstat_aggregator_free(jamstat_aggregator **aggregator);
/** A new reference to the aggregator's schema, freed with jamstat_schema_free. */
JAMSTAT_API jamstat_status jamstat_aggregator_schema(const jamstat_aggregator *aggregator, jamstat_schema **out);

/** Kind of person id. */
typedef enum jamstat_person_id_kind {
  JAMSTAT_PERSON_ID_NONE = 0,
  JAMSTAT_PERSON_ID_INTEGER = 1, /**< hashed as its 8 little-endian bytes */
  JAMSTAT_PERSON_ID_BYTES = 2    /**< hashed as the bytes (e.g. UTF-8 text); empty = missing */
} jamstat_person_id_kind;

/** A person id; hashed with the aggregator's key on arrival, never stored. */
typedef struct jamstat_person_id {
  uint32_t kind; /**< a jamstat_person_id_kind */
  uint64_t integer;
  const uint8_t *bytes;
  size_t length;
} jamstat_person_id;

/** Adds one record: codes[d] per dimension (sex first, ISO/IEC 5218), outcomes[o] (0/1) per
 *  outcome, numerics[m] (finite) per numeric measure; person may be NULL when persons are not
 *  counted. The counts must equal the schema's. `accepted` (may be NULL) is set to 1 if the
 *  record was added, 0 if it was tallied as rejected (tally policy). */
JAMSTAT_API jamstat_status jamstat_aggregator_add(jamstat_aggregator *aggregator, const int32_t *codes,
                                                  size_t code_count, const int32_t *outcomes, size_t outcome_count,
                                                  const double *numerics, size_t numeric_count,
                                                  const jamstat_person_id *person, int *accepted);

/** Element types of batch columns. */
typedef enum jamstat_column_type {
  JAMSTAT_COLUMN_NONE = 0,
  JAMSTAT_COLUMN_U8 = 1,
  JAMSTAT_COLUMN_U16 = 2,
  JAMSTAT_COLUMN_I32 = 3,
  JAMSTAT_COLUMN_U32 = 4,
  JAMSTAT_COLUMN_U64 = 5,
  JAMSTAT_COLUMN_F32 = 6,
  JAMSTAT_COLUMN_F64 = 7,
  JAMSTAT_COLUMN_BYTES = 8, /**< data points to `rows` jamstat_bytes */
  JAMSTAT_COLUMN_I64 = 9    /**< int64_t: a decimal measure's values in grid units (26554 for 265.54 at 2 decimals) */
} jamstat_column_type;

/** A byte string (person id) in a JAMSTAT_COLUMN_BYTES column. */
typedef struct jamstat_bytes {
  const uint8_t *data;
  size_t length;
} jamstat_bytes;

/** A typed column of `rows` values. Allowed types: codes U8, U16, I32; outcomes U8, I32;
 *  numerics F64, F32, and I64 (grid units) for decimal measures; person ids U32, U64, BYTES (or NONE). */
typedef struct jamstat_column {
  uint32_t type; /**< a jamstat_column_type */
  const void *data;
} jamstat_column;

/** A columnar batch. Initialise with JAMSTAT_BATCH_INIT. */
typedef struct jamstat_batch {
  uint32_t struct_size; /**< sizeof(jamstat_batch) */
  size_t rows;
  const jamstat_column *codes; /**< one per dimension, sex first */
  size_t code_count;
  const jamstat_column *outcomes;
  size_t outcome_count;
  const jamstat_column *numerics;
  size_t numeric_count;
  jamstat_column person_ids; /**< type NONE when persons are not counted */
} jamstat_batch;
#define JAMSTAT_BATCH_INIT {sizeof(jamstat_batch), 0, NULL, 0, NULL, 0, NULL, 0, {JAMSTAT_COLUMN_NONE, NULL}}

/** A bad row of a batch: where and why. */
typedef struct jamstat_row_error {
  uint64_t row;
  int64_t field;  /**< schema field index */
  int32_t reason; /**< a jamstat_rejection_reason */
  uint32_t reserved;
} jamstat_row_error;

/** What a batch did. Initialise with JAMSTAT_BATCH_RESULT_INIT. */
typedef struct jamstat_batch_result {
  uint32_t struct_size; /**< sizeof(jamstat_batch_result) */
  uint64_t accepted;
  uint64_t rejected;
  int64_t first_rejected_row;   /**< -1 when none */
  int64_t first_rejected_field; /**< -1 when none */
  int32_t first_rejected_reason; /**< a jamstat_rejection_reason, -1 when none */
  /* Since 0.2: */
  char first_rejected_message[256]; /**< the first bad row's message (UTF-8, NUL-terminated, cut at a character); "" when none */
  jamstat_row_error *errors;  /**< optional caller buffer (may be NULL): every bad row of the batch, in row order, up
                                   to error_capacity, under either policy; under REJECT the whole batch is checked
                                   (the state is still unchanged), so a file can be fixed in one pass */
  uint64_t error_capacity;    /**< entries `errors` holds */
  uint64_t error_count;       /**< output: bad rows found (may exceed error_capacity) */
} jamstat_batch_result;
#define JAMSTAT_BATCH_RESULT_INIT {sizeof(jamstat_batch_result), 0, 0, -1, -1, -1, {0}, NULL, 0, 0}

/** Adds a columnar batch (the fast path). Under JAMSTAT_REJECT a bad row fails the whole batch
 *  with JAMSTAT_ERROR_BAD_RECORD, jamstat_last_error_row() = the row, and the state unchanged.
 *  Under JAMSTAT_TALLY bad rows are skipped and counted; `result` (may be NULL) reports them. */
JAMSTAT_API jamstat_status jamstat_aggregator_add_batch(jamstat_aggregator *aggregator, const jamstat_batch *batch,
                                                        jamstat_batch_result *result);

/** A column that knows its length: `length` values of `type` (a jamstat_column_type) at `data`. */
typedef struct jamstat_array {
  uint32_t type;
  uint32_t flags;  /**< 0 (reserved) */
  const void *data;
  uint64_t length;
} jamstat_array;

/** Adds a columnar batch of `rows` rows given as arrays in schema field order: one per dimension
 *  (sex first), then one per outcome, then one per numeric measure, then the person ids (when
 *  persons are counted; column_count is then the schema's field count, else one less). Every
 *  array's length must equal `rows` (a shorter one is an error, never a read past its end); the
 *  types allowed are those of jamstat_batch's columns. Otherwise as jamstat_aggregator_add_batch. */
JAMSTAT_API jamstat_status jamstat_aggregator_add_arrays(jamstat_aggregator *aggregator, uint64_t rows,
                                                         const jamstat_array *columns, size_t column_count,
                                                         jamstat_batch_result *result);

/** Adds `participants` anonymous participants known only by sex (ISO/IEC 5218 code). A code
 *  that is not ISO/IEC 5218 follows the bad-record policy: JAMSTAT_ERROR_BAD_RECORD under
 *  REJECT, counted in the tally (as `participants` rejected records) under TALLY. */
JAMSTAT_API jamstat_status jamstat_aggregator_add_anonymous(jamstat_aggregator *aggregator, int32_t sex_code,
                                                            uint64_t participants);
/** Adds everything `other` holds into `aggregator` (same schema, same person key). */
JAMSTAT_API jamstat_status jamstat_aggregator_merge(jamstat_aggregator *aggregator, const jamstat_aggregator *other);
/** Records added (rejected ones excluded). */
JAMSTAT_API jamstat_status jamstat_aggregator_participations(const jamstat_aggregator *aggregator, uint64_t *out);

/** Why a record was rejected. Values are frozen. */
typedef enum jamstat_rejection_reason {
  JAMSTAT_REJECTED_SEX_MISSING = 0,
  JAMSTAT_REJECTED_SEX_NOT_ISO5218 = 1,
  JAMSTAT_REJECTED_CODE_MISSING = 2,
  JAMSTAT_REJECTED_CODE_UNKNOWN = 3,
  JAMSTAT_REJECTED_OUTCOME_NOT_BINARY = 4,
  JAMSTAT_REJECTED_MEASURE_NOT_FINITE = 5,
  JAMSTAT_REJECTED_PERSON_ID_MISSING = 6,
  JAMSTAT_REJECTED_MEASURE_OFF_RESOLUTION = 7, /**< a decimal measure's value is not on its grid */
  JAMSTAT_REJECTED_MEASURE_OUT_OF_RANGE = 8    /**< a measure's value is outside its valid range */
} jamstat_rejection_reason;
/** Pass as `reason` or `field` to sum over all reasons or fields. */
#define JAMSTAT_ANY (-1)
/** Rejected records tallied for a reason and a field (either may be JAMSTAT_ANY). */
JAMSTAT_API jamstat_status jamstat_aggregator_rejected(const jamstat_aggregator *aggregator, int32_t reason,
                                                       int64_t field, uint64_t *out);
/** Stable name of a rejection reason ("code_unknown"). Static storage; "" for unknown values. */
JAMSTAT_API const char *jamstat_rejection_reason_name(int32_t reason);
/** Values of decimal measure `measure` that were off its grid and rounded to it (measures with
 *  JAMSTAT_OFF_GRID_ROUND; 0 otherwise). Part of the state. */
JAMSTAT_API jamstat_status jamstat_aggregator_rounded_values(const jamstat_aggregator *aggregator, size_t measure,
                                                             uint64_t *out);

/* -------------------------------------------------------------------------------- roll-ups */

typedef struct jamstat_table jamstat_table;

/** Roll-up at exactly the dimensions dimensions[0..count) (schema indices, each at most once; sex
 *  is NOT added implicitly here). The table keeps the caller's order of the dimensions:
 *  jamstat_table_dimension(t, k), jamstat_table_cell_level(t, cell, k, ...) and
 *  jamstat_table_find(t, levels, ...) use it; its cells are sorted by their level indices in
 *  schema order. Count 0 gives the total: one cell, also when nothing was added. Free the table
 *  with jamstat_table_free; it outlives the aggregator. */
JAMSTAT_API jamstat_status jamstat_rollup(const jamstat_aggregator *aggregator, const size_t *dimensions,
                                          size_t dimension_count, jamstat_table **out);
/** Roll-up by dimension names; sex is kept unless keep_sex is 0. */
JAMSTAT_API jamstat_status jamstat_rollup_by_name(const jamstat_aggregator *aggregator, const char *const *names,
                                                  size_t name_count, int keep_sex, jamstat_table **out);
/** The total ("Totalt"): a table without dimensions with exactly one cell, anonymous participants included. */
JAMSTAT_API jamstat_status jamstat_total(const jamstat_aggregator *aggregator, jamstat_table **out);
/** Frees a table; accepts NULL; sets *table to NULL. */
JAMSTAT_API void jamstat_table_free(jamstat_table **table);

/** Every roll-up at once: the 2^d tables of all subsets of the d dimensions, each built from its
 *  smallest finer table (the cube lattice). At most 20 dimensions. */
typedef struct jamstat_cube jamstat_cube;
JAMSTAT_API jamstat_status jamstat_cube_new(const jamstat_aggregator *aggregator, jamstat_cube **out);
/** Frees a cube; accepts NULL; sets *cube to NULL. Tables taken from it stay valid. */
JAMSTAT_API void jamstat_cube_free(jamstat_cube **cube);
/** Number of tables: 2^d. */
JAMSTAT_API jamstat_status jamstat_cube_table_count(const jamstat_cube *cube, size_t *out);
/** The table of the dimensions in bit mask `mask` (bit k = schema dimension k; 0 = the total),
 *  as a new table handle (free it; it shares the cube's memory and outlives the cube). */
JAMSTAT_API jamstat_status jamstat_cube_table(const jamstat_cube *cube, uint64_t mask, jamstat_table **out);

/** Number of cells (the non-empty ones; the total has its one cell always); cells are sorted by
 *  their level indices in schema order. */
JAMSTAT_API jamstat_status jamstat_table_cell_count(const jamstat_table *table, size_t *out);
/** Number of grouped dimensions, and the schema index of the k-th (in the caller's order). */
JAMSTAT_API jamstat_status jamstat_table_dimension_count(const jamstat_table *table, size_t *out);
JAMSTAT_API jamstat_status jamstat_table_dimension(const jamstat_table *table, size_t k, size_t *schema_dimension);
/** The k-th grouped dimension's level of a cell: level index, code and label in `language`
 *  (a jamstat_language) (outs may be NULL). The label belongs to the table. */
JAMSTAT_API jamstat_status jamstat_table_cell_level(const jamstat_table *table, size_t cell, size_t k,
                                                    uint32_t *level_index, int32_t *code, int32_t language,
                                                    const char **label);
/** Finds the cell with these level indices (one per grouped dimension, in the table's order).
 *  JAMSTAT_ERROR_INVALID_ARGUMENT if it is empty. */
JAMSTAT_API jamstat_status jamstat_table_find(const jamstat_table *table, const uint32_t *level_indices,
                                              size_t count, size_t *cell);

/** Statistics of one numeric measure in one cell. Initialise with JAMSTAT_NUMERIC_STATS_INIT.
 *  Decimal measures: every value is the exact statistic rounded once to the nearest double (sd:
 *  the square root of the rounded variance). Floating measures: within docs/engine.md's bound. */
typedef struct jamstat_numeric_stats {
  uint32_t struct_size; /**< sizeof(jamstat_numeric_stats) */
  uint64_t count;
  double sum;
  double mean;     /**< NaN when count == 0 */
  double variance; /**< sample variance (n - 1); NaN when count < 2 */
  double sd;       /**< sample standard deviation; NaN when count < 2 */
  double min;      /**< NaN when count == 0 */
  double max;      /**< NaN when count == 0 */
  /* Since 0.2: */
  uint32_t kind;     /**< JAMSTAT_MEASURE_FLOATING or JAMSTAT_MEASURE_DECIMAL */
  uint32_t decimals; /**< decimal measures: the grid's decimals */
  double second_max; /**< second largest value (with repeats); NaN when count < 2 */
} jamstat_numeric_stats;
#define JAMSTAT_NUMERIC_STATS_INIT {sizeof(jamstat_numeric_stats), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

/** Counts of one cell. Initialise with JAMSTAT_CELL_COUNTS_INIT. */
typedef struct jamstat_cell_counts {
  uint32_t struct_size;            /**< sizeof(jamstat_cell_counts) */
  uint64_t participations;         /**< records */
  uint64_t persons;                /**< distinct persons; 0 when not counted (see has_persons) */
  uint32_t has_persons;            /**< 1 when the aggregator counts persons */
  uint64_t anonymous_participants; /**< only in groupings with no dimension but sex */
} jamstat_cell_counts;
#define JAMSTAT_CELL_COUNTS_INIT {sizeof(jamstat_cell_counts), 0, 0, 0, 0}

JAMSTAT_API jamstat_status jamstat_table_cell_counts(const jamstat_table *table, size_t cell, jamstat_cell_counts *out);
/** Successes of outcome `outcome` in a cell, and their proportion of the participations (NaN if none). */
JAMSTAT_API jamstat_status jamstat_table_cell_outcome(const jamstat_table *table, size_t cell, size_t outcome,
                                                      uint64_t *successes, double *proportion);
JAMSTAT_API jamstat_status jamstat_table_cell_numeric(const jamstat_table *table, size_t cell, size_t measure,
                                                      jamstat_numeric_stats *out);

/** A roll-up table's statistics of one numeric measure, one array each (cell_count values). */
typedef struct jamstat_measure_columns {
  const uint64_t *count;
  const double *sum;
  const double *mean;       /**< NaN when count == 0 */
  const double *variance;   /**< sample variance; NaN when count < 2 */
  const double *sd;
  const double *min;
  const double *max;
  const double *second_max; /**< NaN when count < 2 */
} jamstat_measure_columns;

/** A whole roll-up table, column-wise: every array has cell_count values (level arrays, one per
 *  grouped dimension in the table's order; successes, one per outcome). The arrays belong to
 *  the table and stay valid until it is freed. Initialise with JAMSTAT_TABLE_COLUMNS_INIT. */
typedef struct jamstat_table_columns {
  uint32_t struct_size; /**< sizeof(jamstat_table_columns) */
  uint64_t cell_count;
  uint64_t dimension_count;
  const size_t *dimensions;                /**< schema index of each grouped dimension */
  const uint32_t *const *level_indices;    /**< [dimension][cell] */
  const int32_t *const *level_codes;       /**< [dimension][cell] */
  const uint64_t *participations;
  const uint64_t *persons;                 /**< NULL when persons are not counted */
  const uint64_t *anonymous_participants;  /**< NULL unless the table groups by at most sex */
  uint64_t outcome_count;
  const uint64_t *const *successes;        /**< [outcome][cell] */
  uint64_t measure_count;
  const jamstat_measure_columns *measures; /**< [measure] */
} jamstat_table_columns;
#define JAMSTAT_TABLE_COLUMNS_INIT {sizeof(jamstat_table_columns), 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL}
/** Export flag: cells in the order Swedish tables use: by sex Kvinnor, Män, Okänt, Ej tillämpligt
 *  (when the table groups by sex), otherwise by level index; without it, cells are in the
 *  table's order (level indices in schema order, sex index 0 Okänt, 1 Män, 2 Kvinnor, 3 Ej tillämpligt). */
#define JAMSTAT_EXPORT_REPORTING_ORDER 1u
/** Exports the whole table column-wise in one call (flags: 0 or JAMSTAT_EXPORT_REPORTING_ORDER). */
JAMSTAT_API jamstat_status jamstat_table_export(const jamstat_table *table, uint32_t flags, jamstat_table_columns *out);


/* ------------------------------------------------------------------------------ gap report */

/* The gap report (docs/methods-gap.md): women and men compared in who participates (against a
 * target group), which sub-interventions they are offered, which results they achieve and which
 * resources they get, raw and adjusted for legitimate factors, in one period or two, with
 * Benjamini-Hochberg q-values over every test of the report and verdicts in Swedish and English.
 * The findings table is exported column-wise. Every finding carries the persons and
 * participations it rests on (for disclosure control). */

typedef struct jamstat_target_group jamstat_target_group;
typedef struct jamstat_gap_report jamstat_gap_report;

/** A target group (e.g. the registered population by sex and age band) for the participation
 *  findings: population counts per cell of `dimensions` (schema indices of dimensions other than
 *  sex; count 0 for sex alone) by sex code. Free with jamstat_target_group_free. */
JAMSTAT_API jamstat_status jamstat_target_group_new(const jamstat_schema *schema, const size_t *dimensions,
                                                    size_t dimension_count, jamstat_target_group **out);
/** Adds one cell: level indices (one per dimension of the target group), a sex code, the population. */
JAMSTAT_API jamstat_status jamstat_target_group_add(jamstat_target_group *target, const uint32_t *level_indices,
                                                    size_t count, int32_t sex_code, uint64_t population);
/** Frees a target group; accepts NULL; sets *target to NULL. */
JAMSTAT_API void jamstat_target_group_free(jamstat_target_group **target);

/** When an exact test replaces the chi-square test. */
#define JAMSTAT_EXACT_ANY_EXPECTED_BELOW_5 0 /**< the default */
#define JAMSTAT_EXACT_COCHRAN 1
#define JAMSTAT_EXACT_ALWAYS 2
#define JAMSTAT_EXACT_NEVER 3

/** What the gap report compares. Initialise with JAMSTAT_GAP_OPTIONS_INIT. */
typedef struct jamstat_gap_options {
  uint32_t struct_size;                 /**< sizeof(jamstat_gap_options) */
  const char *const *compare_across;    /**< dimension names: findings per level and the distribution over them */
  size_t compare_across_count;
  const char *const *adjust_for;        /**< legitimate factors (dimension names) to stratify by */
  size_t adjust_for_count;
  const char *const *offered_outcomes;  /**< outcomes that are offered sub-interventions (delinsatser), not results */
  size_t offered_outcome_count;
  const jamstat_target_group *target;   /**< may be NULL: no participation findings */
  const jamstat_aggregator *previous;   /**< may be NULL; same schema: the previous period, and the change of every gap */
  const char *current_period;           /**< label, e.g. "2025" (may be NULL) */
  const char *previous_period;          /**< label, e.g. "2024" (may be NULL) */
  double confidence_level;              /**< 0.95 */
  uint64_t minimum_persons;             /**< at least this many women and men to compare (10) */
  uint32_t continuity_correction;       /**< 0: none (the default), 1: Yates / CMH correction */
  uint32_t exact_rule;                  /**< JAMSTAT_EXACT_* */
  uint64_t max_exact_steps;             /**< 5,000,000: beyond, a Monte-Carlo estimate */
  uint64_t monte_carlo_replicates;      /**< 10,000 */
  uint64_t seed;                        /**< of the Monte-Carlo estimates: 5218 */
} jamstat_gap_options;
#define JAMSTAT_GAP_OPTIONS_INIT \
  {sizeof(jamstat_gap_options), NULL, 0, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, 0.95, 10, 0, JAMSTAT_EXACT_ANY_EXPECTED_BELOW_5, 5000000, 10000, 5218}

/** Builds the gap report of an aggregator (options may be NULL for the defaults). */
JAMSTAT_API jamstat_status jamstat_gap_report_new(const jamstat_aggregator *aggregator, const jamstat_gap_options *options,
                                                  jamstat_gap_report **out);
/** Frees a gap report; accepts NULL; sets *report to NULL. */
JAMSTAT_API void jamstat_gap_report_free(jamstat_gap_report **report);

/** Kinds of finding (what is compared). */
#define JAMSTAT_FINDING_PARTICIPATION_RATE 0  /**< participants / target-group population */
#define JAMSTAT_FINDING_PARTICIPATION_SHARE 1 /**< women's share of participants vs of the target group */
#define JAMSTAT_FINDING_OUTCOME 2             /**< an outcome's proportion (a result or an offered sub-intervention) */
#define JAMSTAT_FINDING_DISTRIBUTION 3        /**< women's and men's participations over a dimension's levels */
#define JAMSTAT_FINDING_DISTRIBUTION_LEVEL 4  /**< one level of that distribution */
#define JAMSTAT_FINDING_MEASURE_MEAN 5        /**< a measure's mean per participation */
#define JAMSTAT_FINDING_MEASURE_PER_PERSON 6  /**< a measure's sum per person */
#define JAMSTAT_FINDING_RESOURCE_SHARE 7      /**< women's share of a measure's total vs of the participations */
/** Periods. */
#define JAMSTAT_PERIOD_CURRENT 0
#define JAMSTAT_PERIOD_PREVIOUS 1
#define JAMSTAT_PERIOD_CHANGE 2 /**< the change of the gap from the previous period */
/** Statuses. */
#define JAMSTAT_FINDING_OK 0
#define JAMSTAT_FINDING_TOO_FEW_PERSONS 1
#define JAMSTAT_FINDING_NO_COMPARISON 2
#define JAMSTAT_FINDING_NOT_A_RATE 3
/** What the difference columns hold. */
#define JAMSTAT_EFFECT_NONE 0
#define JAMSTAT_EFFECT_PROPORTION_DIFFERENCE 1
#define JAMSTAT_EFFECT_MEAN_DIFFERENCE 2
#define JAMSTAT_EFFECT_SHARE_DIFFERENCE 3
#define JAMSTAT_EFFECT_RATIO 4
/** Tests. */
#define JAMSTAT_TEST_NONE 0
#define JAMSTAT_TEST_CHI_SQUARE 1
#define JAMSTAT_TEST_NORMAL 2
#define JAMSTAT_TEST_STUDENT_T 3
#define JAMSTAT_TEST_EXACT 4
#define JAMSTAT_TEST_MONTE_CARLO 5
#define JAMSTAT_TEST_COCHRAN_MANTEL_HAENSZEL 6

/** One sex code's figures in every finding (count values each). */
typedef struct jamstat_sex_columns {
  const uint64_t *persons;        /**< UINT64_MAX when not known */
  const uint64_t *participations;
  const double *base;             /**< denominator: participations, population or measure count */
  const double *amount;           /**< numerator: successes, participants or the measure's sum */
  const double *estimate;         /**< proportion, rate, mean, share or ratio */
  const double *lower;
  const double *upper;
  const double *standard_error;
} jamstat_sex_columns;

/** The findings table, column-wise: every array has `count` values, owned by the report. */
typedef struct jamstat_findings {
  uint32_t struct_size; /**< sizeof(jamstat_findings) */
  uint64_t count;
  const int32_t *kind;               /**< JAMSTAT_FINDING_* */
  const int32_t *period;             /**< JAMSTAT_PERIOD_* */
  const int32_t *status;             /**< JAMSTAT_FINDING_OK ... */
  const int32_t *adjusted;           /**< 1: adjusted for legitimate factors */
  const int32_t *subject;            /**< outcome or measure index; schema dimension index for distributions; -1 */
  const int32_t *subject_level;      /**< distribution levels: the level index; -1 */
  const int32_t *grouping_dimension; /**< schema dimension index the finding is within, -1 for all participations */
  const int32_t *grouping_level;     /**< its level index, -1 */
  const uint64_t *adjusted_for;      /**< bit d: adjusted for schema dimension d */
  jamstat_sex_columns women;
  jamstat_sex_columns men;
  jamstat_sex_columns not_known;      /**< sex code 0 */
  jamstat_sex_columns not_applicable; /**< sex code 9 */
  const int32_t *effect;             /**< JAMSTAT_EFFECT_* */
  const double *difference;
  const double *difference_lower;
  const double *difference_upper;
  const double *difference_standard_error;
  const double *ratio;
  const double *ratio_lower;
  const double *ratio_upper;
  const double *ratio_log_standard_error;
  const double *odds_ratio;
  const double *odds_ratio_lower;
  const double *odds_ratio_upper;
  const double *odds_ratio_log_standard_error;
  const double *statistic;
  const double *df;
  const double *p_value;
  const double *q_value;
  const double *holm_p_value;
  const int32_t *method;             /**< JAMSTAT_TEST_* */
  const double *homogeneity_p_value; /**< Breslow-Day-Tarone across strata (adjusted outcomes) */
  const double *monte_carlo_standard_error;
  const uint64_t *persons;           /**< persons the finding rests on, every sex code (UINT64_MAX when not known) */
  const uint64_t *participations;
  const int32_t *persons_exact;
  const uint64_t *smallest_cell_persons;
  const char *const *what_sv;
  const char *const *what_en;
  const char *const *grouping_sv;
  const char *const *grouping_en;
  const char *const *adjusted_for_sv;
  const char *const *adjusted_for_en;
  const char *const *period_label;
  const char *const *verdict_sv;
  const char *const *verdict_en;
} jamstat_findings;
#define JAMSTAT_FINDINGS_INIT {.struct_size = sizeof(jamstat_findings)}

/** The report's findings, column-wise (valid until the report is freed). */
JAMSTAT_API jamstat_status jamstat_gap_report_findings(const jamstat_gap_report *report, jamstat_findings *out);
/** Tests in the report (the family of the q-values) and the significance level (1 - confidence). */
JAMSTAT_API jamstat_status jamstat_gap_report_tests(const jamstat_gap_report *report, uint64_t *tests, double *significance_level);


/* ------------------------------------------------------------------------ intersectional */

/* The intersectional analyses (docs/methods-intersectional.md), computed from the aggregate state:
 * strata tables (any dimensions crossed with sex, women against men in every stratum), MAIHDA
 * (multilevel models with a random intercept per stratum, as lme4 fits them on the participations)
 * and the Oaxaca-Blinder decomposition of a gap between women and men. */

/** Strata table: the gap report over the strata of `dimensions` (names of dimensions besides sex,
 *  crossed with sex). Options as for jamstat_gap_report_new (compare_across, adjust_for, target and
 *  previous are not used and must be empty/NULL). The findings' grouping_dimension is 0 for a
 *  stratum's findings (grouping_level = its index, see jamstat_gap_report_strata) and -1 for all
 *  participations. Free with jamstat_gap_report_free. */
JAMSTAT_API jamstat_status jamstat_strata_report_new(const jamstat_aggregator *aggregator, const char *const *dimensions,
                                                     size_t dimension_count, const jamstat_gap_options *options,
                                                     jamstat_gap_report **out);
/** The strata of a strata report: `dimension_count` schema dimensions, `count` strata, each stratum's
 *  level index per dimension and its labels ("16–19 år · Utanför Europa"). Owned by the report. */
typedef struct jamstat_strata {
  uint32_t struct_size; /**< sizeof(jamstat_strata) */
  uint64_t dimension_count;
  const size_t *dimensions;              /**< schema indices */
  uint64_t count;
  const uint32_t *const *level_indices;  /**< [dimension][stratum] */
  const char *const *label_sv;
  const char *const *label_en;
} jamstat_strata;
#define JAMSTAT_STRATA_INIT {.struct_size = sizeof(jamstat_strata)}
JAMSTAT_API jamstat_status jamstat_gap_report_strata(const jamstat_gap_report *report, jamstat_strata *out);

/** What a MAIHDA or a decomposition analyses. */
#define JAMSTAT_SUBJECT_OUTCOME 0 /**< a binary outcome: logistic models (MAIHDA), proportions (decomposition) */
#define JAMSTAT_SUBJECT_MEASURE 1 /**< a numeric measure: linear models, means */
/** Criteria of the linear models. */
#define JAMSTAT_REML 0
#define JAMSTAT_ML 1

typedef struct jamstat_maihda jamstat_maihda;

/** MAIHDA options. Initialise with JAMSTAT_MAIHDA_OPTIONS_INIT. */
typedef struct jamstat_maihda_options {
  uint32_t struct_size;            /**< sizeof(jamstat_maihda_options) */
  const char *const *dimensions;   /**< the stratum-defining dimensions besides sex (sex is always one) */
  size_t dimension_count;
  uint32_t subject_kind;           /**< JAMSTAT_SUBJECT_OUTCOME or JAMSTAT_SUBJECT_MEASURE */
  uint32_t subject;                /**< the outcome's or measure's index */
  uint32_t criterion;              /**< linear models: JAMSTAT_REML (lmer's default) or JAMSTAT_ML */
  uint32_t quadrature_nodes;       /**< logistic models: 1 = Laplace (glmer's default), 2..25 = adaptive Gauss-Hermite */
  double interval_level;           /**< 0.95 */
  uint32_t english;                /**< stratum labels in English */
} jamstat_maihda_options;
#define JAMSTAT_MAIHDA_OPTIONS_INIT {sizeof(jamstat_maihda_options), NULL, 0, JAMSTAT_SUBJECT_OUTCOME, 0, JAMSTAT_REML, 1, 0.95, 0}

/** Fits the null and the additive MAIHDA models to the strata of sex x the dimensions. */
JAMSTAT_API jamstat_status jamstat_maihda_new(const jamstat_aggregator *aggregator, const jamstat_maihda_options *options,
                                              jamstat_maihda **out);
/** Frees a MAIHDA; accepts NULL; sets *maihda to NULL. */
JAMSTAT_API void jamstat_maihda_free(jamstat_maihda **maihda);

/** The models. */
#define JAMSTAT_MAIHDA_NULL 0
#define JAMSTAT_MAIHDA_ADDITIVE 1

/** One fitted model, column-wise (owned by the MAIHDA handle). Initialise with JAMSTAT_MAIHDA_MODEL_INIT. */
typedef struct jamstat_maihda_model {
  uint32_t struct_size;            /**< sizeof(jamstat_maihda_model) */
  double theta;                    /**< lme4's theta */
  double between_variance;         /**< sigma_u^2 */
  double residual_variance;        /**< sigma_e^2 (linear) or pi^2/3 (logistic, latent scale) */
  double vpc;                      /**< variance partition coefficient */
  double deviance;                 /**< REML criterion or -2 log L, as lme4 reports */
  int32_t boundary;                /**< 1: sigma_u^2 at 0 (a singular fit) */
  uint64_t fixed_effect_count;
  const char *const *term;         /**< "(Intercept)", "Åldersgrupp: 20–24 år", ... */
  const double *estimate;
  const double *standard_error;
  uint64_t stratum_count;
  const char *const *label;        /**< "Kvinnor · 16–19 år · Utanför Europa" */
  const uint32_t *const *levels;   /**< [dimension][stratum]: sex first, then the options' dimensions */
  const uint64_t *participations;
  const double *observed;          /**< mean (linear) or proportion (logistic) */
  const double *random_effect;     /**< the conditional mode (lme4's ranef) */
  const double *random_effect_sd;
  const double *random_effect_lower;
  const double *random_effect_upper;
  const double *predicted;         /**< the predicted mean or probability */
  const double *predicted_lower;
  const double *predicted_upper;
  const int32_t *clearly_nonzero;  /**< the random effect's interval excludes 0 */
} jamstat_maihda_model;
#define JAMSTAT_MAIHDA_MODEL_INIT {.struct_size = sizeof(jamstat_maihda_model)}
JAMSTAT_API jamstat_status jamstat_maihda_model_get(const jamstat_maihda *maihda, int32_t which, jamstat_maihda_model *out);
/** The analysis: the proportional change in variance from the null to the additive model, and
 *  (logistic) the strata's discriminatory accuracy (AUC, null and additive models; NaN for linear
 *  models). Any out pointer may be NULL. */
JAMSTAT_API jamstat_status jamstat_maihda_summary(const jamstat_maihda *maihda, double *pcv, double *auc_null,
                                                  double *auc_additive);
/** The additive model's strata whose interaction is clearly non-zero (the intersections the additive
 *  model misses), largest first: `count` indices into the additive model's strata. Owned by the handle. */
JAMSTAT_API jamstat_status jamstat_maihda_interactions(const jamstat_maihda *maihda, const uint64_t **strata, size_t *count);

/** Reference coefficients of the decomposition. */
#define JAMSTAT_OAXACA_POOLED_WITH_GROUP 0 /**< pooled regression with a group indicator (Fortin 2008; Jann 2008): the default */
#define JAMSTAT_OAXACA_POOLED 1            /**< pooled without it (Neumark 1988) */
#define JAMSTAT_OAXACA_WOMEN 2             /**< women's coefficients */
#define JAMSTAT_OAXACA_MEN 3               /**< men's coefficients */
#define JAMSTAT_OAXACA_WEIGHTED 4          /**< w x women's + (1 - w) x men's */

typedef struct jamstat_decomposition jamstat_decomposition;

/** Oaxaca-Blinder options. Initialise with JAMSTAT_OAXACA_OPTIONS_INIT. */
typedef struct jamstat_oaxaca_options {
  uint32_t struct_size;                /**< sizeof(jamstat_oaxaca_options) */
  const char *const *characteristics;  /**< legitimate characteristics: names of dimensions besides sex */
  size_t characteristic_count;
  uint32_t subject_kind;               /**< JAMSTAT_SUBJECT_OUTCOME or JAMSTAT_SUBJECT_MEASURE */
  uint32_t subject;                    /**< the outcome's or measure's index */
  uint32_t reference;                  /**< JAMSTAT_OAXACA_* */
  double women_weight;                 /**< w of JAMSTAT_OAXACA_WEIGHTED */
  uint32_t nonlinear;                  /**< outcomes: Yun's logit decomposition instead of the linear one */
  uint32_t english;                    /**< labels in English */
} jamstat_oaxaca_options;
#define JAMSTAT_OAXACA_OPTIONS_INIT {sizeof(jamstat_oaxaca_options), NULL, 0, JAMSTAT_SUBJECT_OUTCOME, 0, JAMSTAT_OAXACA_POOLED_WITH_GROUP, 0.5, 0, 0}

/** Decomposes the gap between women and men (women minus men) into the part the characteristics
 *  explain and the part they do not, from the aggregate state. */
JAMSTAT_API jamstat_status jamstat_oaxaca_new(const jamstat_aggregator *aggregator, const jamstat_oaxaca_options *options,
                                              jamstat_decomposition **out);
/** Oaxaca-Blinder with numeric characteristics (docs/methods-intersectional.md §2.5): the subject
 *  (options->subject_kind and subject: an outcome or a decimal measure of the schema's cross-product
 *  set) regressed on `numeric` (names in the set, one column each, in this order) and on
 *  options->characteristics (dimensions besides sex, dummy coded; may be empty), with X'X and X'y
 *  summed exactly from the cells' cross-products. The linear decomposition only: options->nonlinear
 *  must be 0. JAMSTAT_ERROR_INVALID_ARGUMENT when the schema keeps no cross-product set or a name is
 *  not in it. The result is read with jamstat_decomposition_result_get. */
JAMSTAT_API jamstat_status jamstat_oaxaca_numeric_new(const jamstat_aggregator *aggregator,
                                                      const jamstat_oaxaca_options *options,
                                                      const char *const *numeric, size_t numeric_count,
                                                      jamstat_decomposition **out);
/** Frees a decomposition; accepts NULL; sets *decomposition to NULL. */
JAMSTAT_API void jamstat_decomposition_free(jamstat_decomposition **decomposition);

/** The decomposition: totals with standard errors (delta method, Jann 2008), and the detailed terms
 *  column-wise (owned by the handle). Threefold parts are NaN for the nonlinear decomposition. */
typedef struct jamstat_decomposition_result {
  uint32_t struct_size;        /**< sizeof(jamstat_decomposition_result) */
  uint64_t women_participations;
  uint64_t men_participations;
  uint64_t other_sex_participations; /**< sex codes 0 and 9: reported beside the decomposition */
  double women_mean;
  double men_mean;
  double gap;
  double gap_se;
  double explained;
  double explained_se;
  double unexplained;
  double unexplained_se;
  double endowments;
  double endowments_se;
  double coefficients;
  double coefficients_se;
  double interaction;
  double interaction_se;
  uint64_t term_count;
  const char *const *characteristic;   /**< "(Intercept)" or the characteristic's name */
  const char *const *level;            /**< the level's label, or "" */
  const int32_t *is_total;             /**< 1: a characteristic's total over its levels */
  const double *explained_term;
  const double *explained_term_se;
  const double *unexplained_term;
  const double *unexplained_term_se;
} jamstat_decomposition_result;
#define JAMSTAT_DECOMPOSITION_RESULT_INIT {.struct_size = sizeof(jamstat_decomposition_result)}
JAMSTAT_API jamstat_status jamstat_decomposition_result_get(const jamstat_decomposition *decomposition,
                                                            jamstat_decomposition_result *out);

/* --------------------------------------------------------------------------- state format */

/** The bytes jamstat_aggregator_serialize needs for the aggregator's state now. */
JAMSTAT_API jamstat_status jamstat_aggregator_serialized_size(const jamstat_aggregator *aggregator, size_t *out);
/** Serializes the aggregator's state (format: docs/state-format.md). With buffer == NULL or
 *  capacity too small, returns JAMSTAT_ERROR_BUFFER_TOO_SMALL and sets *size to the bytes
 *  needed; otherwise writes them and sets *size. A state that counts persons holds keyed hashes
 *  of person ids: pseudonymised personal data for whoever holds the key (docs/state-format.md);
 *  jamstat_aggregator_person_free makes a copy without them for anyone who should not hold it. */
JAMSTAT_API jamstat_status jamstat_aggregator_serialize(const jamstat_aggregator *aggregator, uint8_t *buffer,
                                                        size_t capacity, size_t *size);
/** Reads a serialized state into a new aggregator. `options` (may be NULL) applies to later
 *  adds; to add more records to a state that counts persons, set count_persons and the same
 *  person_key (checked); without the key the state can be merged and queried only. */
JAMSTAT_API jamstat_status jamstat_aggregator_deserialize(const uint8_t *bytes, size_t size,
                                                          const jamstat_aggregator_options *options,
                                                          jamstat_aggregator **out);

/* ------------------------------------------------------------------ Arrow C Data Interface */

/* The Arrow C Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html): the two
 * structures exactly as the specification defines them, under its guard macro, so that a caller
 * who includes Arrow's own arrow/c/abi.h (or nanoarrow.h) before or after this header gets one
 * definition. Their layout is Arrow's (frozen by the specification; no struct_size). */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  /* Array type description */
  const char *format;
  const char *name;
  const char *metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema **children;
  struct ArrowSchema *dictionary;
  /* Release callback */
  void (*release)(struct ArrowSchema *);
  /* Opaque producer-specific data */
  void *private_data;
};

struct ArrowArray {
  /* Array data description */
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void **buffers;
  struct ArrowArray **children;
  struct ArrowArray *dictionary;
  /* Release callback */
  void (*release)(struct ArrowArray *);
  /* Opaque producer-specific data */
  void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

/** Flags of jamstat_arrow_options (OR them together). */
#define JAMSTAT_ARROW_BY_POSITION 1u /**< children in schema field order, as jamstat_aggregator_add_arrays takes them; names not read */
#define JAMSTAT_ARROW_RELEASE 2u     /**< the library takes ownership: it releases `schema` and `array` before returning, whatever the status */
#define JAMSTAT_ARROW_SKIP_UNKNOWN 4u /**< children whose name is no schema field are skipped (default: an error) */
#define JAMSTAT_ARROW_GRID_UNITS 8u  /**< integer columns of decimal measures hold grid units, as JAMSTAT_COLUMN_I64 does (default: values) */

/** How jamstat_aggregator_add_arrow reads a record batch. Initialise with JAMSTAT_ARROW_OPTIONS_INIT. */
typedef struct jamstat_arrow_options {
  uint32_t struct_size;           /**< sizeof(jamstat_arrow_options) */
  uint32_t flags;                 /**< JAMSTAT_ARROW_* */
  const char *const *field_names; /**< NULL, or one entry per child of the batch: the schema field it feeds (NULL: skip the child) */
  size_t field_name_count;        /**< entries in field_names: the batch's number of children */
} jamstat_arrow_options;
#define JAMSTAT_ARROW_OPTIONS_INIT {sizeof(jamstat_arrow_options), 0, NULL, 0}

/** Adds a record batch given through the Arrow C Data Interface: `schema` of format "+s" (a
 *  struct, as a record batch is exported) and its `array`. Children feed schema fields by name
 *  ("sex", dimension, outcome and measure names, "person_id"; exact, case-sensitive), or by
 *  position with JAMSTAT_ARROW_BY_POSITION, or as options->field_names says. Types read
 *  (docs/c-abi.md, "Arrow"): dimensions from integer codes, dictionary-encoded integer codes, or
 *  utf8 labels (plain or dictionary-encoded) matched to a level's Swedish or English label;
 *  outcomes from booleans or integers; measures from float64, float32, integers (values) and
 *  decimal32/64/128 (exact, rescaled to a decimal measure's grid); person ids from integers,
 *  utf8/binary (also large, view, fixed-size and dictionary-encoded). A null is a missing value
 *  and follows the bad-record rules: a missing code (JAMSTAT_REJECTED_SEX_MISSING / _CODE_MISSING),
 *  outcome (_OUTCOME_NOT_BINARY), measure value (_MEASURE_NOT_FINITE) or person id
 *  (_PERSON_ID_MISSING). Offsets (of the batch and of every child) and null counts are honoured;
 *  columns whose buffers fit (u8/u16/i32 codes, u8/i32 outcomes, f64/f32 measures, decimal64 at a
 *  decimal measure's scale, u32/u64/i64 ids; aligned, without nulls) are read in place, others
 *  converted in blocks of rows, never copied whole. Ownership: the caller keeps both structures and releases them (the library reads them
 *  during the call only), unless options->flags has JAMSTAT_ARROW_RELEASE: then the library
 *  calls schema->release and array->release (when not NULL) before it returns, on success and
 *  on every error. Otherwise as jamstat_aggregator_add_arrays: under JAMSTAT_REJECT a bad row
 *  fails the whole batch with the state unchanged; `result` (may be NULL) reports the counts,
 *  the first bad row and every bad row (its `errors` buffer). A malformed batch (wrong format,
 *  buffers, lengths, offsets or dictionary indices) is JAMSTAT_ERROR_INVALID_ARGUMENT naming
 *  the child (and row), found before anything is added; jamstat_last_error_field() is then the
 *  field the child feeds and jamstat_last_error_row() the row (or -1). `options` may be NULL (by
 *  name, borrowed). */
JAMSTAT_API jamstat_status jamstat_aggregator_add_arrow(jamstat_aggregator *aggregator, struct ArrowSchema *schema,
                                                        struct ArrowArray *array, const jamstat_arrow_options *options,
                                                        jamstat_batch_result *result);

/* ---------------------------------------------------------------------- disclosure control */

/* Disclosure control (docs/disclosure.md): the tables an aggregator publishes, protected before
 * anyone sees them, by cell suppression (primary rules, secondary suppression across every linked
 * table, and an audit by linear programming that proves it) or by the cell key method (consistent
 * noise on every count). A jamstat_protected_tables handle holds the published groupings of one
 * state, column-wise, with the status of every statistic of every cell. It outlives the aggregator.
 * Only what may be published is exported as a value: a suppressed count is
 * JAMSTAT_SUPPRESSED_COUNT and a suppressed sum NaN, never the true figure. The exception is the
 * audit (jamstat_protected_tables_audit), which is for the publisher: it holds the true values of
 * suppressed statistics. A state that counts persons holds keyed hashes of person ids:
 * pseudonymised personal data for whoever holds the key (docs/state-format.md). */

typedef struct jamstat_protected_tables jamstat_protected_tables;

/** Methods. */
#define JAMSTAT_DISCLOSURE_CELL_SUPPRESSION 0 /**< primary and secondary suppression, audited (the default) */
#define JAMSTAT_DISCLOSURE_CELL_KEY 1         /**< counts perturbed by the cell key method; measures by suppression */
/** Dominance rules for sums of measures (tau-Argus's magnitude-table rules). */
#define JAMSTAT_DOMINANCE_NONE 0
#define JAMSTAT_DOMINANCE_P_PERCENT 1 /**< sensitive when X - x1 - x2 < p/100 * x1 */
#define JAMSTAT_DOMINANCE_NK 2        /**< sensitive when the n largest contributions exceed k percent of X */
/** What a secondary suppression costs (the information loss minimised). */
#define JAMSTAT_SUPPRESSION_COST_PERSONS 0 /**< 1 + the cell's persons: prefers small cells, keeps totals */
#define JAMSTAT_SUPPRESSION_COST_CELLS 1   /**< 1 per cell: the fewest cells */
/** How persons are handed from a state that counts them. */
#define JAMSTAT_PERSONS_FROM_HASHES 0 /**< the person hashes: exact distinct persons, cell keys follow the persons */
#define JAMSTAT_PERSONS_FROM_COUNTS 1 /**< only the distinct counts of every published cell; cell keys from the cells */

/** Status of a statistic of a published cell (the report's numbers; frozen). */
#define JAMSTAT_CELL_PUBLISHED 0 /**< shown as computed */
#define JAMSTAT_CELL_PRIMARY 1   /**< suppressed (".."): the cell itself is sensitive */
#define JAMSTAT_CELL_SECONDARY 2 /**< suppressed (".."): hidden so that a sensitive cell cannot be computed */
#define JAMSTAT_CELL_PERTURBED 3 /**< shown with cell-key noise (parts need not add up to totals) */
/** The value of a suppressed count in the exported columns. */
#define JAMSTAT_SUPPRESSED_COUNT UINT64_MAX

/** Options of disclosure control. Initialise with JAMSTAT_DISCLOSURE_OPTIONS_INIT; defaults and
 *  their reasons are in docs/disclosure.md. */
typedef struct jamstat_disclosure_options {
  uint32_t struct_size;                   /**< sizeof(jamstat_disclosure_options) */
  uint32_t method;                        /**< JAMSTAT_DISCLOSURE_CELL_SUPPRESSION or JAMSTAT_DISCLOSURE_CELL_KEY */
  uint64_t frequency_threshold;           /**< a cell with 1 .. threshold - 1 persons is sensitive (5); at least 1 */
  uint64_t group_threshold;               /**< group disclosure: an outcome at 0% or 100% in a cell with fewer persons is sensitive (10); 0 = off */
  uint32_t dominance;                     /**< JAMSTAT_DOMINANCE_* (P_PERCENT) */
  uint32_t nk_n;                          /**< n of the (n,k) rule: 1 or 2 (2) */
  double p_percent;                       /**< p of the p% rule (10) */
  double nk_k;                            /**< k of the (n,k) rule, in percent (85) */
  double frequency_protection_fraction;   /**< protection interval of a sensitive count v: max(minimum, ceil(fraction v)) each way (0.3) */
  double frequency_protection_minimum;    /**< (1) */
  double group_protection;                /**< participations with (0%) or without (100%) the outcome an attacker must allow (1) */
  double dominance_protection_minimum_fraction; /**< dominance protection at least this fraction of the sum (0) */
  uint32_t cost;                          /**< JAMSTAT_SUPPRESSION_COST_* (PERSONS) */
  uint32_t persons;                       /**< JAMSTAT_PERSONS_FROM_HASHES or JAMSTAT_PERSONS_FROM_COUNTS */
  uint8_t cell_key_secret[16];            /**< cell key method: the publisher's 16-byte secret of the record keys; all-zero is refused */
  uint32_t ptable_max_deviation;          /**< cell key method: D, the largest change of a count (5) */
  uint32_t ptable_small_count_threshold;  /**< cell key method: js, no count is published as 1..js (2); 0 = off */
  double ptable_variance;                 /**< cell key method: V, the variance of the change (3); 0 < V < D^2 */
  const char *ptable_csv;                 /**< cell key method: NULL, or a ptable as CSV text (columns i, j, p; ptable's pt_export) used instead of D, V, js */
} jamstat_disclosure_options;
#define JAMSTAT_DISCLOSURE_OPTIONS_INIT                                                                                   \
  {sizeof(jamstat_disclosure_options), JAMSTAT_DISCLOSURE_CELL_SUPPRESSION, 5, 10, JAMSTAT_DOMINANCE_P_PERCENT, 2, 10.0, \
   85.0, 0.3, 1.0, 1.0, 0.0, JAMSTAT_SUPPRESSION_COST_PERSONS, JAMSTAT_PERSONS_FROM_HASHES, {0}, 5, 2, 3.0, NULL}

/** Protects the groupings `grouping_masks[0..grouping_count)` of an aggregator's state, all at
 *  once as linked tables (bit k = schema dimension k, bit 0 = sex; 0 = the total; as
 *  jamstat_cube_table takes them; each at most once, at least one). `options` may be NULL for the
 *  defaults (cell suppression; the cell key method needs a secret). Participants added with
 *  jamstat_aggregator_add_anonymous are in no protected cell. Measures must be non-negative.
 *  Errors: JAMSTAT_ERROR_INVALID_ARGUMENT for a bad mask, option or state (negative measure
 *  values, a grid above 2^22 cells). Free with jamstat_protected_tables_free. */
JAMSTAT_API jamstat_status jamstat_protected_tables_new(const jamstat_aggregator *aggregator, const uint64_t *grouping_masks,
                                                        size_t grouping_count, const jamstat_disclosure_options *options,
                                                        jamstat_protected_tables **out);
/** Frees protected tables; accepts NULL; sets *tables to NULL. */
JAMSTAT_API void jamstat_protected_tables_free(jamstat_protected_tables **tables);

/** What protection did. Initialise with JAMSTAT_DISCLOSURE_SUMMARY_INIT. */
typedef struct jamstat_disclosure_summary {
  uint32_t struct_size;                   /**< sizeof(jamstat_disclosure_summary) */
  uint32_t method;                        /**< JAMSTAT_DISCLOSURE_* */
  uint64_t grouping_count;
  uint64_t published_cells;               /**< every cell of every grouping (empty ones included) */
  uint64_t primary_cells;                 /**< cells whose counts are primary suppressed */
  uint64_t secondary_cells;               /**< cells whose counts are secondary suppressed */
  uint64_t primary_persons;               /**< persons in those cells (counted once per published cell) */
  uint64_t secondary_persons;
  uint64_t outcome_statistics_suppressed; /**< (cell, outcome) pairs hidden while the count is shown */
  uint64_t measure_statistics_suppressed; /**< (cell, measure) pairs hidden while the count is shown */
  uint64_t perturbed_cells;               /**< cell key method: cells whose counts are perturbed */
  uint64_t capped_cells;                  /**< cell key method: perturbed persons or successes lowered to the perturbed participations */
  uint32_t persons_counted;               /**< 1: persons are distinct persons; 0: equal to participations */
  uint32_t keys_from_persons;             /**< cell key method: 1 when cell keys come from the persons' record keys */
  uint64_t audit_rows;                    /**< rows of jamstat_protected_tables_audit */
  uint64_t under_protected;               /**< audit rows below their protection interval (0 after protection) */
  uint64_t linear_programs;               /**< LPs solved (protection and audit) */
  double seconds;
} jamstat_disclosure_summary;
#define JAMSTAT_DISCLOSURE_SUMMARY_INIT {.struct_size = sizeof(jamstat_disclosure_summary)}
JAMSTAT_API jamstat_status jamstat_protected_tables_summary(const jamstat_protected_tables *tables,
                                                            jamstat_disclosure_summary *out);

/** One protected grouping, column-wise: every array has cell_count values, one per cell of the
 *  grouping (empty cells included, as 0), the cell index being the mixed-radix index of the
 *  level indices in schema order (the lowest-numbered dimension most significant), so the audit's
 *  `cell` is a row here. Values are those that may be published: true under cell suppression,
 *  perturbed under the cell key method (parts need not add up to totals: say so in every output);
 *  a suppressed count is JAMSTAT_SUPPRESSED_COUNT and a suppressed sum NaN. Statuses are
 *  JAMSTAT_CELL_*. The arrays belong to the handle. Initialise with JAMSTAT_PROTECTED_COLUMNS_INIT. */
typedef struct jamstat_protected_columns {
  uint32_t struct_size;                   /**< sizeof(jamstat_protected_columns) */
  uint64_t grouping_mask;
  uint64_t cell_count;
  uint64_t dimension_count;
  const size_t *dimensions;               /**< schema indices of the grouped dimensions, in schema order */
  const uint32_t *const *level_indices;   /**< [dimension][cell] */
  const int32_t *const *level_codes;      /**< [dimension][cell] */
  const int32_t *count_status;            /**< status of persons and participations (and of every statistic when suppressed) */
  const uint64_t *persons;                /**< distinct persons (participations when persons are not counted) */
  const uint64_t *participations;
  uint64_t outcome_count;
  const int32_t *const *outcome_status;   /**< [outcome][cell] */
  const uint64_t *const *successes;       /**< [outcome][cell] */
  uint64_t measure_count;
  const int32_t *const *measure_status;   /**< [measure][cell] */
  const double *const *measure_sums;      /**< [measure][cell]: the sum (never perturbed; a mean is the sum over participations) */
} jamstat_protected_columns;
#define JAMSTAT_PROTECTED_COLUMNS_INIT {.struct_size = sizeof(jamstat_protected_columns)}
/** The columns of grouping `grouping` (an index into the masks given to jamstat_protected_tables_new). */
JAMSTAT_API jamstat_status jamstat_protected_tables_grouping(const jamstat_protected_tables *tables, size_t grouping,
                                                             jamstat_protected_columns *out);

/** Quantities the audit bounds. */
#define JAMSTAT_AUDIT_PERSONS 0        /**< persons, as sums of the finest cells' persons */
#define JAMSTAT_AUDIT_PARTICIPATIONS 1
#define JAMSTAT_AUDIT_SUCCESSES 2      /**< successes of outcome `index` */
#define JAMSTAT_AUDIT_FAILURES 3       /**< participations without outcome `index` */
#define JAMSTAT_AUDIT_MEASURE_SUM 4    /**< sum of measure `index` */

/** The audit of cell suppression, one row per (suppressed statistic, quantity): the interval
 *  [lower, upper] an attacker derives by linear programming from everything published, and the
 *  interval it had to reach (required_lower, required_upper; NaN for a statistic suppressed only as
 *  a complement). `value` and the required bounds reveal the true figures: the audit is for the
 *  publisher; only lower and upper may be stated in a publication. Empty under the cell key method.
 *  The arrays belong to the handle. Initialise with JAMSTAT_DISCLOSURE_AUDIT_INIT. */
typedef struct jamstat_disclosure_audit {
  uint32_t struct_size;                   /**< sizeof(jamstat_disclosure_audit) */
  uint64_t count;
  const int32_t *quantity;                /**< JAMSTAT_AUDIT_* */
  const uint32_t *index;                  /**< outcome or measure index (0 for counts) */
  const uint32_t *grouping;               /**< index into the groupings */
  const uint64_t *cell;                   /**< row in that grouping's jamstat_protected_columns */
  const double *value;                    /**< the true value */
  const double *lower;
  const double *upper;
  const double *required_lower;
  const double *required_upper;
  const int32_t *protected_enough;        /**< 1 unless sensitive and under-protected */
} jamstat_disclosure_audit;
#define JAMSTAT_DISCLOSURE_AUDIT_INIT {.struct_size = sizeof(jamstat_disclosure_audit)}
JAMSTAT_API jamstat_status jamstat_protected_tables_audit(const jamstat_protected_tables *tables, jamstat_disclosure_audit *out);

/* --------------------------------------------------------------------------- personnummer */

/** Why a text is not a valid personnummer or samordningsnummer (jamstat_personnummer.problem). */
#define JAMSTAT_PERSONNUMMER_VALID 0                 /**< a valid number */
#define JAMSTAT_PERSONNUMMER_FORMAT 1                /**< not 10 or 12 digits with an optional '-' or '+' before the last four */
#define JAMSTAT_PERSONNUMMER_INVALID_DATE 2          /**< no such date (the day less 60 for a samordningsnummer) */
#define JAMSTAT_PERSONNUMMER_CHECK_DIGIT 3           /**< the Luhn check digit does not match */
#define JAMSTAT_PERSONNUMMER_BORN_AFTER_REFERENCE 4  /**< the birth date is after the reference date */
#define JAMSTAT_PERSONNUMMER_PLUS_SIGN_MISMATCH 5    /**< a 12-digit number with '+' for someone under 100 at the reference date */

/** A parsed personnummer (personal identity number) or samordningsnummer (coordination number).
 *  Initialise with JAMSTAT_PERSONNUMMER_INIT. When `problem` is not JAMSTAT_PERSONNUMMER_VALID
 *  every other field is zero. */
typedef struct jamstat_personnummer {
  uint32_t struct_size;       /**< sizeof(jamstat_personnummer) */
  int32_t problem;            /**< JAMSTAT_PERSONNUMMER_VALID or why the text is not a valid number */
  char canonical[16];         /**< YYYYMMDDNNNC, 12 ASCII digits and a NUL (a samordningsnummer keeps its day + 60):
                                   pass these 12 bytes as a JAMSTAT_PERSON_ID_BYTES person id, as `jamstat aggregate`
                                   does. It is the number itself: never log or store it */
  int32_t birth_year;         /**< the real birth date (day less 60 for a samordningsnummer) */
  int32_t birth_month;
  int32_t birth_day;
  int32_t sex;                /**< ISO/IEC 5218 legal sex from the second-to-last digit: 1 odd (man), 2 even (woman) */
  int32_t age;                /**< completed years at the reference date */
  int32_t samordningsnummer;  /**< 1 for a samordningsnummer, 0 for a personnummer */
} jamstat_personnummer;
#define JAMSTAT_PERSONNUMMER_INIT {sizeof(jamstat_personnummer), 0, {0}, 0, 0, 0, 0, 0, 0}

/** Parses a personnummer or samordningsnummer as the CSV ingest does (docs/schema-file.md,
 *  "personnummer"): YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, YYYYMMDD-NNNC, YYYYMMDDNNNC (and
 *  YYYYMMDD+NNNC for someone 100 or older), surrounding spaces ignored; the Luhn check digit;
 *  60 added to the day for a samordningsnummer. The century of a 10-digit form, and the age,
 *  come from the reference date (reference_year, _month, _day: a calendar date, year 1900..9999).
 *  `text` is `length` bytes (need not be NUL-terminated; NULL is allowed when length is 0).
 *  An invalid number is not an error: the call returns JAMSTAT_OK with out->problem saying why.
 *  Errors: NULL out (or text with length > 0), a bad struct_size, an invalid reference date.
 *  No message of the library ever contains the number. */
JAMSTAT_API jamstat_status jamstat_personnummer_parse(const char *text, size_t length, int32_t reference_year,
                                                      int32_t reference_month, int32_t reference_day,
                                                      jamstat_personnummer *out);
/** Stable name of a JAMSTAT_PERSONNUMMER_* problem ("check_digit"; "valid" for 0); "unknown" for other values. Static storage. */
JAMSTAT_API const char *jamstat_personnummer_problem_name(int32_t problem);
/** An English phrase for a problem ("the check digit does not match"); "" for 0 and unknown values. Static storage. */
JAMSTAT_API const char *jamstat_personnummer_problem_message(int32_t problem);
/** Writes `text` with every run shaped like a personnummer or samordningsnummer (10 or 12 digits,
 *  an optional '-' or '+' before the last four, a date part that is a calendar date or a
 *  samordningsnummer date; check digit valid or not) masked as X ("811218-9876" -> "XXXXXX-XXXX"),
 *  for log lines and messages of the caller's own. The result and its NUL go to `buffer` (`capacity`
 *  bytes); *needed (required) is set to the bytes the result needs, NUL included. When capacity is
 *  too small: JAMSTAT_ERROR_BUFFER_TOO_SMALL and nothing written (call again with *needed bytes);
 *  buffer may be NULL when capacity is 0. */
JAMSTAT_API jamstat_status jamstat_mask_personnummer(const char *text, size_t length, char *buffer, size_t capacity,
                                                     size_t *needed);

/* ------------------------------------------------------------------------ person-free states */

/** What a state holds about persons (jamstat_aggregator_state_form). */
#define JAMSTAT_STATE_PARTICIPATIONS_ONLY 0 /**< persons not counted: no person data at all */
#define JAMSTAT_STATE_PSEUDONYMISED 1       /**< keyed hashes of person ids per cell: pseudonymised personal data for
                                                 whoever holds the key (docs/state-format.md) */
#define JAMSTAT_STATE_PERSON_FREE 2         /**< distinct persons frozen as counts per cell of some groupings; no hashes */

/** The form of a state: JAMSTAT_STATE_PARTICIPATIONS_ONLY, _PSEUDONYMISED or _PERSON_FREE. */
JAMSTAT_API jamstat_status jamstat_aggregator_state_form(const jamstat_aggregator *aggregator, int32_t *out);
/** A person-free copy of a state that counts persons (docs/state-format.md, "Person-free states"):
 *  the same cells, counts, outcomes, measures and tallies, but instead of the keyed hashes of person
 *  ids only the distinct persons of every non-empty cell of the groupings `grouping_masks` (bit d =
 *  schema dimension d, bit 0 = sex; 0 = the total; `count` of them). The finest grouping is always
 *  frozen; count 0 (grouping_masks may then be NULL) freezes every grouping of the cube. For
 *  exchange with anyone who should not hold the person key. The copy takes no records and cannot be
 *  merged (JAMSTAT_ERROR_INVALID_ARGUMENT: distinct persons do not add up across states); its
 *  roll-ups give persons for the frozen groupings only (has_persons 0 elsewhere); protected tables
 *  must publish frozen groupings. It serializes and reads back like any state. Free the copy with
 *  jamstat_aggregator_free. Errors: a state that does not count persons or is person-free
 *  already, a mask naming a dimension the schema lacks, a repeated mask. */
JAMSTAT_API jamstat_status jamstat_aggregator_person_free(const jamstat_aggregator *aggregator, const uint64_t *grouping_masks,
                                                          size_t count, jamstat_aggregator **out);

#ifdef __cplusplus
}
#endif

#endif /* JAMSTAT_H */
