#include "csv_preamble.hpp"

#include <cstring>

#include "jamstat/io/input_errors.hpp"
#include "text_utilities.hpp"

namespace jamstat::io::detail {

namespace {

std::string separator_name(char c) {
  if (c == '\t') return "TAB";
  return std::string("'") + c + "'";
}

// The first physical line at in.begin() (without its line end), filling the buffer as needed.
std::string_view first_line(decoded_buffer& in) {
  for (;;) {
    const void* nl = std::memchr(in.begin(), '\n', in.size());
    if (nl) {
      std::string_view line(in.begin(), static_cast<std::size_t>(static_cast<const char*>(nl) - in.begin()));
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return line;
    }
    if (!in.fill()) return {in.begin(), in.size()};
  }
}

// True when [p, end) holds a line end outside quotes.
bool header_record_complete(const char* p, const char* end) {
  bool quoted = false;
  for (; p < end; ++p) {
    if (*p == '"') quoted = !quoted;
    else if (*p == '\n' && !quoted) return true;
  }
  return false;
}

}  // namespace

char detect_separator(const char* p, const char* end) noexcept {
  const char candidates[] = {';', ',', '\t', '|'};
  std::size_t counts[4] = {0, 0, 0, 0};
  bool quoted = false;
  for (; p < end; ++p) {
    const char c = *p;
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted) {
      if (c == '\n') break;
      for (int k = 0; k < 4; ++k) counts[k] += c == candidates[k];
    }
  }
  int best = 0;
  for (int k = 1; k < 4; ++k)
    if (counts[k] > counts[best]) best = k;
  if (counts[best] == 0) return ',';
  for (int k = 0; k < 4; ++k)
    if (k != best && counts[k] == counts[best]) return 0;
  return candidates[best];
}

scan_result scan_complete_record(decoded_buffer& in, char separator, std::vector<field_span>& fields) {
  for (;;) {
    const scan_result r = scan_record(in.begin(), in.end(), separator, in.eof(), fields);
    if (r.status != scan_status::need_more) return r;
    if (!in.fill()) return r;  // full, or nothing more: the caller decides
  }
}

csv_preamble read_preamble(decoded_buffer& in, const csv_dialect& dialect, const std::string& name) {
  csv_preamble out;
  if (in.size() == 0) in.fill();
  // Blank lines before anything else.
  for (;;) {
    const std::string_view line = first_line(in);
    if (in.size() == 0 || !trim(line).empty()) break;
    in.consume(next_line(in.begin(), in.end()));
    ++out.lines;
    if (in.size() == 0 && !in.fill()) break;
  }
  char separator = dialect.separator;
  {
    // Excel's "sep=;" line names the separator.
    const std::string_view line = trim(first_line(in));
    if (line.size() == 5 && fold_case(line.substr(0, 4)) == "sep=") {
      if (separator == 0) separator = line[4];
      in.consume(next_line(in.begin(), in.end()));
      ++out.lines;
    }
  }
  if (separator == 0) {
    // The whole header record must be in the buffer: quoted names may hold line breaks.
    while (!header_record_complete(in.begin(), in.end()) && in.fill()) {
    }
    separator = detect_separator(in.begin(), in.end());
    if (separator == 0)
      throw csv_layout_error(name +
                             ": the header line has as many of two possible separators (; , TAB |); declare "
                             "\"separator\" in the schema file's \"csv\" section");
  }
  if (separator == '"' || separator == '\n' || separator == '\r' || separator == ' ')
    throw csv_layout_error(name + ": " + separator_name(separator) + " cannot be a separator");
  out.separator = separator;
  if (in.size() == 0) return out;  // an empty file

  std::vector<field_span> fields;
  const scan_result r = scan_complete_record(in, separator, fields);
  if (r.status == scan_status::need_more)
    throw csv_layout_error(name + ": the first record is longer than the record limit (a quote never closed?)");
  if (r.status == scan_status::unterminated_quote)
    throw csv_layout_error(name + ": line " + std::to_string(out.lines + 1) + ": a quoted field is never closed");
  out.columns = fields.size();
  if (!dialect.header) return out;
  if (r.text_after_quote)
    throw csv_layout_error(name + ": line " + std::to_string(out.lines + 1) + ": the header has text after the closing "
                           "quote of column " + std::to_string(r.bad_field + 1));
  std::string scratch;
  for (const field_span& f : fields) out.header.emplace_back(trim(field_text(f, scratch)));
  out.lines += r.newlines;
  in.consume(r.next);
  return out;
}

}  // namespace jamstat::io::detail
