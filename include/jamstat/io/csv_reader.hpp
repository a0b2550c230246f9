// A streaming CSV reader: one record at a time from a file, a FILE* (standard input) or a stream,
// decoded to UTF-8, with every field's line and column. Memory is bounded by a block and the
// longest record allowed, never by the file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <istream>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "jamstat/io/csv_dialect.hpp"

namespace jamstat::io {

/// Limits of a reader.
struct csv_reader_options {
  /// Bytes read from the source at a time.
  std::size_t block_bytes = std::size_t{1} << 20;
  /// The longest record (UTF-8 bytes, line breaks in quoted fields included). A longer one is
  /// returned with problem too_long (or unterminated_quote when a quote is open) and skipped.
  std::size_t max_record_bytes = std::size_t{8} << 20;
};

/// One field: its text (quotes removed, doubled quotes undone, "\r" of a CRLF dropped; not
/// trimmed), the physical line it starts on and its column (1-based, as a spreadsheet counts).
struct csv_field {
  std::string_view text;
  std::uint64_t line = 0;
  std::uint32_t column = 0;
  bool quoted = false;
};

/// Why a record could not be split into fields as written.
enum class csv_record_problem : std::uint8_t {
  none = 0,
  unterminated_quote,  ///< a quote never closed (or the quoted field exceeds max_record_bytes): raw() is the first line
  text_after_quote,    ///< text between a closing quote and the separator (fields are still given)
  too_long,            ///< a line longer than max_record_bytes: raw() is its beginning, fields() empty
};

/// A record returned by csv_reader::next. Views are valid until the next call.
class csv_record {
 public:
  /// The physical line the record starts on (1-based, header and blank lines counted).
  std::uint64_t line() const noexcept { return line_; }
  /// Physical lines the record spans (more than 1 with line breaks inside quotes).
  std::uint32_t lines() const noexcept { return lines_; }
  std::span<const csv_field> fields() const noexcept { return fields_; }
  std::size_t size() const noexcept { return fields_.size(); }
  const csv_field& operator[](std::size_t i) const noexcept { return fields_[i]; }
  /// The record as written (decoded to UTF-8), without its line end.
  std::string_view raw() const noexcept { return raw_; }
  csv_record_problem problem() const noexcept { return problem_; }
  /// For text_after_quote: the column (1-based) at fault.
  std::uint32_t problem_column() const noexcept { return problem_column_; }

 private:
  friend class csv_reader;
  std::uint64_t line_ = 0;
  std::uint32_t lines_ = 0;
  std::vector<csv_field> fields_;
  std::string_view raw_;
  csv_record_problem problem_ = csv_record_problem::none;
  std::uint32_t problem_column_ = 0;
  std::string storage_;  // unescaped fields, or a too-long line's beginning
};

/// Reads CSV records. The separator, encoding and header are settled on construction (see
/// csv_dialect for the detection rules); records follow with next(). Lines that are empty or hold
/// only blanks and separators (";;;" as spreadsheets export empty rows) are skipped and counted.
///
/// Throws input_file_error when the source cannot be opened or read and csv_layout_error for a
/// layout it cannot read (UTF-16, an ambiguous separator, a malformed header).
class csv_reader {
 public:
  /// Opens a file ("-" is not special here; use from_file(stdin, ...) for standard input).
  static csv_reader open(const std::filesystem::path& path, const csv_dialect& dialect = {},
                         const csv_reader_options& options = {});
  /// Reads from a stream the caller keeps alive; `name` is used in messages.
  static csv_reader from_stream(std::istream& in, std::string name, const csv_dialect& dialect = {},
                                const csv_reader_options& options = {});
  /// Reads from a FILE* the caller keeps open (standard input: from_file(stdin, "<stdin>")).
  static csv_reader from_file(std::FILE* file, std::string name, const csv_dialect& dialect = {},
                              const csv_reader_options& options = {});
  ~csv_reader();
  csv_reader(csv_reader&&) noexcept;
  csv_reader& operator=(csv_reader&&) noexcept;

  /// The header's column names, trimmed (empty when the dialect has no header).
  const std::vector<std::string>& header() const noexcept;
  /// Fields per row: the header's count, or the first row's without a header.
  std::size_t columns() const noexcept;
  /// The separator in use (declared, from "sep=", or detected).
  char separator() const noexcept;
  /// The decimal mark in use (declared, or implied by the separator).
  char decimal_mark() const noexcept;
  /// The number format in use (decimal mark and the declared thousands separators).
  const number_format& numbers() const noexcept;
  /// The encoding decided so far (automatic while everything read was ASCII).
  text_encoding encoding() const noexcept;

  /// Reads the next record into `record`; false at the end of the input.
  bool next(csv_record& record);

  /// Blank lines skipped so far.
  std::uint64_t blank_lines() const noexcept;
  /// Bytes read from the source so far.
  std::uint64_t bytes_read() const noexcept;
  const std::string& name() const noexcept;

 private:
  struct impl;
  explicit csv_reader(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// The decimal mark a dialect implies with a given separator: the declared one, else ',' for ';'
/// and '.' otherwise.
char implied_decimal_mark(const csv_dialect& dialect, char separator) noexcept;

}  // namespace jamstat::io
