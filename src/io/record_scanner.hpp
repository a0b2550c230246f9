// The general CSV record parser (internal): quoted fields with separators, doubled quotes and
// newlines; CRLF; recovery from malformed quoting. The ingest's fast path hands every line it
// does not fully understand to this parser, which is the single definition of what a record is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jamstat::io::detail {

/// One field of a record as it lies in the buffer.
struct field_span {
  const char* begin;      ///< content (inside the quotes for a quoted field)
  const char* end;
  const char* raw_begin;  ///< the field as written (quotes and surrounding spaces included)
  const char* raw_end;
  std::uint32_t line;     ///< physical lines between the record's start and this field's start
  bool quoted;
  bool doubled_quotes;    ///< content has "" pairs standing for one quote each
};

enum class scan_status : std::uint8_t {
  complete,            ///< a record ending with '\n'
  need_more,           ///< the record continues beyond the buffer
  unterminated_quote,  ///< (only at the end of input) a quoted field never closed
};

struct scan_result {
  scan_status status = scan_status::complete;
  const char* next = nullptr;    ///< start of the next record (complete, unterminated_quote)
  std::uint32_t newlines = 0;    ///< physical line ends consumed up to `next`
  bool text_after_quote = false;  ///< complete, but a field has text after its closing quote
  std::size_t bad_field = 0;      ///< that field's index
};

/// Parses the record starting at `p` in [p, end). A field whose first non-blank character is a
/// quote is quoted: it runs to the next quote not doubled and may contain separators and line
/// breaks; blanks after the closing quote are allowed, anything else marks the record
/// text_after_quote (the rest of that field is read as unquoted text, so the record still ends
/// where a reader would expect). Other fields run to the separator or the line end; a quote inside
/// them is an ordinary character. "\r\n" ends a record like "\n". `at_eof`: `end` is the end of
/// the input (a quoted field still open there is unterminated_quote, whose `next` is the start
/// of the following physical line).
scan_result scan_record(const char* p, const char* end, char separator, bool at_eof, std::vector<field_span>& fields);

/// The content of a field: a view of the buffer, or (doubled quotes) the unescaped copy in
/// `scratch`.
std::string_view field_text(const field_span& f, std::string& scratch);

/// True when no field is quoted and every field holds only blanks (an empty line, or ";;;" as
/// spreadsheets export an empty row): such records are skipped and counted, never ingested.
bool is_blank_record(const std::vector<field_span>& fields) noexcept;

/// Start of the physical line after the one containing `p`, within [p, end] (end if none).
const char* next_line(const char* p, const char* end) noexcept;

}  // namespace jamstat::io::detail
