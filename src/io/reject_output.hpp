// Rejected rows (internal): what is kept of one, the reject file's CSV, and the spill file a
// thread writes its rejects to until its part of the file is known to be in order.
#pragma once

#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "jamstat/io/input_errors.hpp"
#include "record_scanner.hpp"

namespace jamstat::io::detail {

/// One rejected row. `record` is the original record with personnummer masked.
struct rejected_row {
  std::uint64_t line = 0;    ///< physical line of the record's start (absolute, or within a part)
  std::uint32_t column = 0;  ///< 1-based CSV column; 0 for the whole row
  std::string column_name;   ///< header name (or "column N"); empty for the whole row
  row_problem problem = row_problem::column_count;
  std::string message;       ///< what is wrong and what was expected (no location)
  std::string record;
};

/// The longest original record kept in a reject file (longer ones are cut, marked with "…").
inline constexpr std::size_t reject_record_limit = 64 * 1024;

/// The original record [begin, end) as written, with the personnummer column's field (when
/// `personnummer_column` < fields.size()) and every personnummer-shaped run masked.
std::string masked_record(const char* begin, const char* end, const std::vector<field_span>& fields,
                          std::size_t personnummer_column);

/// The reject file: CSV, UTF-8 with a byte-order mark; columns file, line, column, column_name,
/// reason, message, record.
class reject_writer {
 public:
  explicit reject_writer(std::ostream* out) : out_(out) {}
  /// Writes the byte-order mark and the header line (once), with `separator`.
  void start(char separator);
  void write(const std::string& file, const rejected_row& row);
  bool active() const noexcept { return out_ != nullptr; }

 private:
  void field(std::string_view text, bool last);
  std::ostream* out_;
  char separator_ = ';';
  bool started_ = false;
};

/// A temporary file of rejected rows (deleted when closed).
class reject_spill {
 public:
  reject_spill();
  ~reject_spill();
  reject_spill(const reject_spill&) = delete;
  reject_spill& operator=(const reject_spill&) = delete;
  void write(const rejected_row& row);
  /// Reads every row back in order, adding `line_offset` to each line, into `sink`.
  template <class Sink>
  void replay(std::uint64_t line_offset, Sink&& sink);

 private:
  bool read(rejected_row& row);
  std::FILE* file_ = nullptr;
};

template <class Sink>
void reject_spill::replay(std::uint64_t line_offset, Sink&& sink) {
  if (!file_) return;
  std::rewind(file_);
  rejected_row row;
  while (read(row)) {
    row.line += line_offset;
    sink(row);
  }
}

}  // namespace jamstat::io::detail
