// What can go wrong when CSV input is read: the file itself, its layout, one row, the schema file.
// Every message names where (file, line, column or JSON path) and what was expected; no message
// ever contains a personnummer (docs/schema-file.md, "Personnummer").
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace jamstat::io {

/// A file could not be opened or read (or a key file, or a schema file). The message names it.
class input_file_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A CSV file's layout cannot be read as declared: UTF-16, an ambiguous separator, a header that
/// does not have the columns the schema file names, a byte-order mark contradicting a declared
/// encoding. Nothing of the file has been ingested when this is thrown.
class csv_layout_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Why one input row was not ingested. Stable names (to_string) appear in reject files and
/// reports; values may be appended to, never renumbered.
enum class row_problem : std::uint8_t {
  column_count = 0,        ///< not as many fields as the header has columns
  unterminated_quote = 1,  ///< a quoted field never closed (or longer than the record limit)
  text_after_quote = 2,    ///< characters between a closing quote and the next separator
  record_too_long = 3,     ///< a line longer than the record limit
  missing_value = 4,       ///< a value that must be present is empty or a missing-value spelling
  unknown_value = 5,       ///< not one of the spellings (or codes) the schema file maps
  not_a_number = 6,        ///< a number column whose text is not a number (or not a whole number)
  off_grid = 7,            ///< more decimals than the decimal measure's resolution (policy reject)
  out_of_range = 8,        ///< a measure's value outside its valid range
  no_band = 9,             ///< a value (an age) in none of the dimension's bands
  invalid_personnummer = 10,  ///< not a valid personnummer or samordningsnummer
  invalid_text = 11,          ///< not valid UTF-8 in a file read as UTF-8
  engine_rejected = 12,       ///< the aggregator refused a row the mapping accepted (a bug; see the message)
};
inline constexpr std::size_t row_problem_count = 13;

/// Stable snake_case name ("unknown_value").
std::string_view to_string(row_problem problem) noexcept;

/// A bad row under strict mode: where it is, which column, what is wrong and what was expected.
/// what() reads "participations.csv:12:8: column 'hours' (measure hours): \"12,5x\" is not a
/// number; expected ...". Personnummer are masked.
class csv_row_error : public std::runtime_error {
 public:
  csv_row_error(const std::string& message, std::string file, std::uint64_t line, std::uint32_t column,
                std::string column_name, row_problem problem)
      : std::runtime_error(message),
        file_(std::move(file)),
        line_(line),
        column_(column),
        column_name_(std::move(column_name)),
        problem_(problem) {}
  const std::string& file() const noexcept { return file_; }
  /// The physical line (1-based) where the record starts.
  std::uint64_t line() const noexcept { return line_; }
  /// The CSV column (1-based, as a spreadsheet counts), or 0 when the whole row is at fault.
  std::uint32_t column() const noexcept { return column_; }
  /// The column's header name (empty without a header or for a whole-row problem).
  const std::string& column_name() const noexcept { return column_name_; }
  row_problem problem() const noexcept { return problem_; }

 private:
  std::string file_;
  std::uint64_t line_;
  std::uint32_t column_;
  std::string column_name_;
  row_problem problem_;
};

/// A schema file is invalid. what() starts with the file name and the JSON path of the fault
/// ("schema.json: dimensions[2].levels[0].code: expected a non-negative integer, found \"a\"").
class schema_file_error : public std::runtime_error {
 public:
  schema_file_error(const std::string& message, std::string json_path)
      : std::runtime_error(message), json_path_(std::move(json_path)) {}
  /// Where in the JSON document ("dimensions[2].levels[0].code"; empty for the whole file).
  const std::string& json_path() const noexcept { return json_path_; }

 private:
  std::string json_path_;
};

}  // namespace jamstat::io
