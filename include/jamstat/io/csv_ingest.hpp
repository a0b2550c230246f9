// CSV files into an aggregator, through a schema file: the input side of `jamstat aggregate`.
// Bad rows are quarantined (or stop the run under strict mode); nothing is dropped silently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "jamstat/engine/aggregator.hpp"
#include "jamstat/io/csv_dialect.hpp"
#include "jamstat/io/input_errors.hpp"
#include "jamstat/io/schema_file.hpp"

namespace jamstat::io {

/// What happens to a bad row.
enum class bad_row_handling : std::uint8_t {
  /// The row is written to the reject file (if any) with its reason and counted by reason and
  /// column; ingestion goes on. The default.
  quarantine = 0,
  /// The first bad row stops the run: csv_row_error (file:line:column, the column, what was
  /// expected). The aggregator then holds an unspecified part of the rows before it: discard it.
  strict = 1,
};

/// One input: a file by path ("-" for standard input) or a stream the caller keeps alive.
struct csv_input {
  std::filesystem::path path;      ///< the file, or the stream's name in messages
  std::istream* stream = nullptr;  ///< when set, read from it instead of opening `path`

  static csv_input file(std::filesystem::path p) { return {std::move(p), nullptr}; }
  static csv_input standard_input() { return {"-", nullptr}; }
  static csv_input from_stream(std::istream& in, std::string name) { return {std::move(name), &in}; }
  /// The name used in messages and reject files ("<stdin>" for standard input).
  std::string name() const;
};

/// Where a run is (for a progress bar): called from the calling thread after every block.
struct ingest_progress {
  std::uint64_t bytes_done = 0;   ///< bytes read from all inputs so far
  std::uint64_t bytes_total = 0;  ///< sum of the sizes of the inputs that are regular files (0: unknown)
  std::uint64_t rows = 0;         ///< rows read (accepted and rejected) so far
  std::size_t file_index = 0;     ///< the input being read
};
using progress_callback = std::function<void(const ingest_progress&)>;

/// One rejected row as it is written to the reject file (personnummer masked): for a caller that
/// shows the first few on screen. The views are valid during the call only.
struct rejected_row_note {
  std::string_view file;         ///< the input's name
  std::uint64_t line = 0;        ///< the physical line where the record starts (1 = the header)
  std::uint32_t column = 0;      ///< 1-based CSV column; 0 when the whole row is at fault
  std::string_view column_name;  ///< the column's header name (or "column N"); empty for the whole row
  row_problem problem = row_problem::column_count;
  std::string_view message;      ///< what is wrong and what was expected
};
using rejected_row_callback = std::function<void(const rejected_row_note&)>;

/// How a run is done.
struct ingest_options {
  bad_row_handling on_bad_row = bad_row_handling::quarantine;
  /// The reject file (quarantine): CSV, UTF-8 with a byte-order mark (Excel opens it as such),
  /// the first input's separator; columns file, line, column, column_name, reason, message,
  /// record (the original record with personnummer masked). nullptr: rows are only counted.
  std::ostream* rejects = nullptr;
  /// Threads parsing one file (each with its own aggregator, merged in file order; see
  /// docs/schema-file.md, "Threads"). Standard input and streams are read by one thread.
  unsigned threads = 1;
  /// A file is split among threads only when every thread gets at least this many bytes.
  std::size_t min_bytes_per_thread = std::size_t{1} << 20;
  progress_callback progress;
  /// Called for every rejected row (quarantine), on the calling thread, in input and line order
  /// (the reject file's order), whether or not there is a reject file.
  rejected_row_callback on_rejected_row;
  /// Rows per column_batch handed to aggregator::add_batch.
  std::size_t batch_rows = 65536;
  /// Bytes read at a time, and the longest record allowed (see csv_reader_options).
  std::size_t block_bytes = std::size_t{1} << 20;
  std::size_t max_record_bytes = std::size_t{8} << 20;
  /// Parse plain lines with the fast path (off: every line through the general parser; the
  /// results are identical, which the tests and the fuzz target check).
  bool fast_path = true;
};

/// Rejected rows of one reason in one column.
struct rejection_count {
  row_problem problem = row_problem::column_count;
  std::string column;  ///< the column's header name (or "column N"); empty for whole-row problems
  std::uint64_t rows = 0;
  friend bool operator==(const rejection_count&, const rejection_count&) = default;
};

/// What was read from one input.
struct input_report {
  std::string name;
  std::uint64_t bytes = 0;          ///< bytes read
  std::uint64_t lines = 0;          ///< physical lines (header included)
  std::uint64_t rows_accepted = 0;
  std::uint64_t rows_rejected = 0;
  std::uint64_t blank_lines = 0;    ///< empty lines and ";;;" rows, skipped
  char separator = ',';
  char decimal_mark = '.';
  /// The encoding read (automatic: the file was all ASCII, which reads the same either way).
  text_encoding encoding = text_encoding::automatic;
  bool byte_order_mark = false;
  unsigned threads = 1;             ///< threads that parsed it
};

/// The outcome of a run. Every row is accounted for: accepted, or rejected with a reason; empty
/// lines are counted as blank.
struct ingest_result {
  std::uint64_t rows_accepted = 0;
  std::uint64_t rows_rejected = 0;
  std::uint64_t blank_lines = 0;
  /// By reason, then column (in the order of row_problem, then of first occurrence).
  std::vector<rejection_count> rejections;
  std::vector<input_report> inputs;
  std::uint64_t rows_read() const noexcept { return rows_accepted + rows_rejected; }
};

/// Reads `inputs` in order into `target`, mapping their columns as `schema` says. `target` must
/// have been built from schema.schema (the same schema; persons counted iff the schema file has
/// a person id, with the key of load_person_key) — usage_error otherwise.
///
/// Throws input_file_error (a file cannot be read), csv_layout_error (a file's layout or header
/// does not fit the schema file; nothing of that file was added) and, under strict handling,
/// csv_row_error for the first bad row. The aggregator's own bad_record_policy is a safety net:
/// the mapping checks every value the aggregator would (codes, 0/1, ranges, grids, ids), so it
/// only comes into play for a bug (row_problem::engine_rejected).
ingest_result ingest_csv(aggregator& target, const schema_file& schema, std::span<const csv_input> inputs,
                         const ingest_options& options = {});

}  // namespace jamstat::io
