// The start of a CSV file (internal): an Excel "sep=" line, the separator, the header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "decoded_buffer.hpp"
#include "jamstat/io/csv_dialect.hpp"
#include "record_scanner.hpp"

namespace jamstat::io::detail {

struct csv_preamble {
  char separator = ',';
  std::vector<std::string> header;  ///< trimmed column names (empty without a header)
  std::uint64_t lines = 0;          ///< physical lines consumed: blank lines, "sep=", the header
  /// Fields per row: the header's, or without a header the first row's (0 for an empty file).
  std::size_t columns = 0;
};

/// Reads the preamble from a fresh buffer, consuming the "sep=" line, blank lines before the
/// header and the header itself. Throws csv_layout_error for an ambiguous separator or a
/// malformed header.
csv_preamble read_preamble(decoded_buffer& in, const csv_dialect& dialect, const std::string& name);

/// The separator the header line suggests: the most frequent of ; , TAB | outside quotes in
/// [p, end) up to the first line end outside quotes; 0 when two tie (ambiguous); ',' when none
/// occurs (a single column).
char detect_separator(const char* p, const char* end) noexcept;

/// Fills `in` until the record at in.begin() is complete (or the buffer is full or at the end of
/// input); returns the scan.
scan_result scan_complete_record(decoded_buffer& in, char separator, std::vector<field_span>& fields);

}  // namespace jamstat::io::detail
