// libFuzzer target: the CSV reader and the CSV ingest (mapping included) on arbitrary bytes.
//
// The first byte chooses the dialect (separator, encoding, decimal mark, thousands separators),
// the block size and whether a valid header is put in front of the data. Invariants checked:
//   - the reader never reads out of bounds (ASan), its fields are valid UTF-8 whenever the file
//     was decoded from Windows-1252, line numbers never go back;
//   - the ingest's fast path and its general path give byte-identical states, reject files and
//     counts; with two threads (a file split at a line start) the same again;
//   - every row is accounted for: accepted rows are the aggregator's participations;
//   - every state written reads back; no reject file or error message holds anything shaped like
//     a personnummer.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "jamstat/engine/errors.hpp"
#include "jamstat/io/csv_ingest.hpp"
#include "jamstat/io/csv_reader.hpp"
#include "jamstat/io/personnummer.hpp"
#include "jamstat/io/schema_file.hpp"
#include "jamstat/io/state_format.hpp"

namespace {

// An invariant that failed: say which, then stop (libFuzzer saves the input).
[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "csv_reader_fuzz: invariant broken: %s\n", what);
  std::abort();
}
#define FUZZ_CHECK(condition) \
  do {                        \
    if (!(condition)) broken(#condition); \
  } while (0)

using namespace jamstat;
using namespace jamstat::io;

const char* const schema_json = R"({
  "csv": { "missing": ["", "NA"] },
  "reference_date": "2025-12-31",
  "personnummer": { "column": "pnr" },
  "person_id": { "from": "personnummer", "key": { "environment": "JAMSTAT_FUZZ_KEY" } },
  "sex": { "column": "kon", "values": { "K": 2, "M": 1, "kvinna": 2, "man": 1, "2": 2, "1": 1 }, "missing_code": 0 },
  "dimensions": [
    { "name": "age_band", "from": "personnummer_age",
      "bands": [ { "code": 0, "max": 29, "label_sv": "-29" }, { "code": 1, "min": 30, "max": 64, "label_sv": "30-64" },
                 { "code": 2, "min": 65, "label_sv": "65-" } ] },
    { "name": "region", "column": "region",
      "levels": [ { "code": 0, "label_sv": "a" }, { "code": 1, "label_sv": "b" }, { "code": 300, "label_sv": "c" } ] },
    { "name": "grade", "column": "grade",
      "bands": [ { "code": 0, "max": 9, "label_sv": "low" }, { "code": 1, "min": 10, "max": 99, "label_sv": "high" } ] }
  ],
  "outcomes": [ { "name": "work", "column": "arbete", "values": { "ja": 1, "nej": 0, "1": 1, "0": 0 } } ],
  "measures": [
    { "name": "hours", "unit": "h", "column": "timmar", "kind": "decimal", "decimals": 2, "min": -100, "max": 10000,
      "off_grid": "round", "missing_value": 0 },
    { "name": "cost", "unit": "SEK", "column": "kostnad", "kind": "floating", "min": -1e6, "max": 1e9 }
  ]
})";

schema_file& fuzz_schema() {
  static schema_file sf = [] {
    ::setenv("JAMSTAT_FUZZ_KEY", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", 1);
    return parse_schema_file(schema_json, "fuzz.json");
  }();
  return sf;
}

struct run {
  std::vector<std::uint8_t> state;
  std::string rejects;
  std::string error;
  ingest_result result;
};

run ingest_once(const std::string& path, const ingest_options& base, bool fast, unsigned threads) {
  const schema_file& sf = fuzz_schema();
  run out;
  aggregator agg(sf.schema, aggregator_options_for(sf));
  std::ostringstream rejects;
  ingest_options options = base;
  options.fast_path = fast;
  options.threads = threads;
  options.min_bytes_per_thread = 16;
  options.rejects = &rejects;
  const csv_input inputs[] = {csv_input::file(path)};
  try {
    out.result = ingest_csv(agg, sf, inputs, options);
    FUZZ_CHECK(out.result.rows_accepted == agg.participations());
  } catch (const csv_layout_error& e) {
    out.error = e.what();
  } catch (const csv_row_error& e) {
    out.error = e.what();
  }
  out.state = write_state(agg);
  out.rejects = rejects.str();
  // Every state the library writes reads back.
  (void)read_state(out.state, aggregator_options_for(sf));
  return out;
}

void check_no_personnummer(const std::string& text) {
  // Skip the reject file's header line and the file name column (the fixed temporary path).
  std::size_t start = text.find('\n');
  start = start == std::string::npos ? 0 : start + 1;
  FUZZ_CHECK(!contains_personnummer_shape(std::string_view(text).substr(start)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);

  csv_dialect dialect;
  const char separators[] = {0, ';', ',', '\t'};
  dialect.separator = separators[mode & 3];
  const text_encoding encodings[] = {text_encoding::automatic, text_encoding::utf8, text_encoding::windows_1252,
                                     text_encoding::automatic};
  dialect.encoding = encodings[(mode >> 2) & 3];
  if (mode & 0x10) {
    dialect.decimal_mark = ',';
    dialect.thousands_separators = {" ", "\xC2\xA0", "."};
  }
  csv_reader_options reader_options;
  reader_options.block_bytes = (mode & 0x20) ? 64 : 4096;
  reader_options.max_record_bytes = (mode & 0x20) ? 256 : 1 << 16;

  // 1. The reader alone.
  try {
    std::istringstream in(body);
    csv_reader reader = csv_reader::from_stream(in, "fuzz", dialect, reader_options);
    csv_record rec;
    std::uint64_t last_line = 0;
    while (reader.next(rec)) {
      FUZZ_CHECK(rec.line() >= last_line);
      last_line = rec.line();
      for (const csv_field& f : rec.fields()) {
        FUZZ_CHECK(f.line >= rec.line());
        // Text decoded from Windows-1252 is UTF-8 (bytes read before the decision were ASCII).
        FUZZ_CHECK(reader.encoding() != text_encoding::windows_1252 || is_valid_utf8(f.text));
      }
    }
  } catch (const csv_layout_error&) {
  }

  // 2. The ingest, the general path against the fast path and against two threads.
  std::string header = (mode & 0x40) ? "" : "pnr;kon;region;grade;arbete;timmar;kostnad\n";
  if (dialect.separator != 0)
    for (char& c : header)
      if (c == ';') c = dialect.separator;
  char name[] = "/tmp/jamstat-csv-fuzz-XXXXXX";
  const int fd = ::mkstemp(name);
  if (fd < 0) return 0;
  {
    std::ofstream out(name, std::ios::binary);
    out << header << body;
  }
  ::close(fd);
  ingest_options options;
  options.block_bytes = reader_options.block_bytes;
  options.max_record_bytes = reader_options.max_record_bytes;
  options.batch_rows = 7;
  // The dialect comes from the schema file: use this input's.
  fuzz_schema().csv = dialect;
  const run fast = ingest_once(name, options, true, 1);
  const run general = ingest_once(name, options, false, 1);
  FUZZ_CHECK(fast.state == general.state);
  FUZZ_CHECK(fast.rejects == general.rejects);
  FUZZ_CHECK(fast.error == general.error);
  FUZZ_CHECK(fast.result.rows_accepted == general.result.rows_accepted);
  FUZZ_CHECK(fast.result.rejections == general.result.rejections);
  if (mode & 0x80) {
    const run threads = ingest_once(name, options, true, 2);
    FUZZ_CHECK(threads.state == fast.state);
    FUZZ_CHECK(threads.rejects == fast.rejects);
    FUZZ_CHECK(threads.error == fast.error);
  }
  check_no_personnummer(fast.rejects);
  FUZZ_CHECK(!contains_personnummer_shape(fast.error));
  // Strict mode stops at the first row the quarantine rejected.
  options.on_bad_row = bad_row_handling::strict;
  const run strict = ingest_once(name, options, true, 1);
  FUZZ_CHECK(!contains_personnummer_shape(strict.error));
  FUZZ_CHECK(!fast.error.empty() || fast.result.rows_rejected == 0 || !strict.error.empty());
  std::remove(name);
  return 0;
}
