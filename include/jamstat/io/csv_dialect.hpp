// How a CSV file is written: separator, text encoding, decimal mark, thousands separators, header.
// The defaults detect what Swedish case systems export (docs/schema-file.md, "csv").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jamstat::io {

/// The text encoding of a CSV file. Everything the reader returns is UTF-8 whatever the file's
/// encoding.
enum class text_encoding : std::uint8_t {
  /// Detect: a UTF-8 byte-order mark means UTF-8; otherwise the 64 KiB from the file's first
  /// non-ASCII byte on decide: at least as many well-formed UTF-8 sequences as bytes that are
  /// not UTF-8 (and at least one) means UTF-8, else Windows-1252 (Excel's "CSV" on a Swedish
  /// Windows). A file that is all ASCII needs no decision. See docs/schema-file.md, "csv".
  automatic = 0,
  utf8 = 1,
  /// Windows-1252, which Latin-1 (ISO-8859-1) files are read as too (the WHATWG Encoding
  /// Standard's rule: the two agree on every letter; 1252 adds € – ’ and friends at 0x80-0x9F).
  windows_1252 = 2,
};

/// Stable name of an encoding ("automatic", "utf-8", "windows-1252").
std::string_view to_string(text_encoding encoding) noexcept;

/// The CSV conventions of one file. A zero character means "detect" (see each field).
struct csv_dialect {
  /// Field separator: ';', ',', '\t' or '|'. 0: the one of these that occurs most often in the
  /// header line outside quotes (a tie is an error that asks to declare it). An Excel
  /// "sep=;" first line is honoured and skipped.
  char separator = 0;
  text_encoding encoding = text_encoding::automatic;
  /// Decimal mark of numbers: '.' or ','. 0: ',' when the separator is ';' (Swedish Excel and
  /// case-system exports), '.' otherwise. Only the declared or implied mark is accepted.
  char decimal_mark = 0;
  /// Thousands separators accepted inside numbers, as UTF-8 text: any of " ", "\u00A0"
  /// (no-break space; byte 0xA0 in Windows-1252), "\u202F" (narrow no-break space), ".", ","
  /// and "'". Empty (the default): none. Groups must then be of three digits ("1 234 567,50").
  std::vector<std::string> thousands_separators;
  /// Whether the first line (after an optional "sep=" line) names the columns. Without a
  /// header, columns are referred to by position and every row must have as many fields as
  /// the first.
  bool header = true;

  friend bool operator==(const csv_dialect&, const csv_dialect&) = default;
};

/// How a number is written (the number part of a dialect, resolved).
struct number_format {
  char decimal_mark = '.';                     ///< '.' or ','
  std::vector<std::string> thousands_separators;  ///< as in csv_dialect; empty: none
  friend bool operator==(const number_format&, const number_format&) = default;
};

}  // namespace jamstat::io
