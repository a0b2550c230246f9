#include "record_scanner.hpp"

#include <algorithm>
#include <cstring>

namespace jamstat::io::detail {

namespace {
bool is_blank(char c) { return c == ' ' || c == '\t'; }
}  // namespace

const char* next_line(const char* p, const char* end) noexcept {
  const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
  return nl ? static_cast<const char*>(nl) + 1 : end;
}

scan_result scan_record(const char* p, const char* end, char separator, bool at_eof, std::vector<field_span>& fields) {
  fields.clear();
  scan_result r;
  const char* q = p;
  for (;;) {
    field_span f{};
    f.raw_begin = q;
    f.line = r.newlines;
    const char* t = q;
    while (t < end && is_blank(*t)) ++t;
    if (t < end && *t == '"') {
      f.quoted = true;
      const char* content = t + 1;
      const char* s = content;
      for (;;) {
        const void* found = std::memchr(s, '"', static_cast<std::size_t>(end - s));
        if (!found) {
          if (!at_eof) return {scan_status::need_more};
          r.status = scan_status::unterminated_quote;
          r.next = next_line(p, end);
          r.newlines = 1;
          return r;
        }
        const char* quote = static_cast<const char*>(found);
        r.newlines += static_cast<std::uint32_t>(std::count(s, quote, '\n'));
        if (quote + 1 == end && !at_eof) return {scan_status::need_more};  // "" or a closing quote?
        if (quote + 1 < end && quote[1] == '"') {
          f.doubled_quotes = true;
          s = quote + 2;
          continue;
        }
        f.begin = content;
        f.end = quote;
        t = quote + 1;
        break;
      }
      while (t < end && is_blank(*t)) ++t;
      if (t < end && *t != separator && *t != '\n' && !(*t == '\r' && t + 1 < end && t[1] == '\n')) {
        if (*t == '\r' && t + 1 == end && !at_eof) return {scan_status::need_more};
        // Text after the closing quote: note it and read on to the field's end as unquoted text.
        if (!r.text_after_quote) {
          r.text_after_quote = true;
          r.bad_field = fields.size();
        }
        while (t < end && *t != separator && *t != '\n') ++t;
      } else if (t < end && *t == '\r') {
        ++t;  // "\r\n" after the closing quote: t is now at '\n'
      }
    } else {
      t = q;
      while (t < end && *t != separator && *t != '\n') ++t;
      f.begin = q;
      f.end = t;
    }
    if (t == end) {
      if (!at_eof) return {scan_status::need_more};
      // The input ends without '\n' (cannot happen after decoded_buffer, which appends one).
      f.raw_end = t;
      if (!f.quoted && f.end > f.begin && f.end[-1] == '\r') --f.end;
      fields.push_back(f);
      r.next = end;
      return r;
    }
    f.raw_end = t;
    if (*t == separator) {
      fields.push_back(f);
      q = t + 1;
      continue;
    }
    // '\n' (possibly after '\r'): the record ends.
    if (f.raw_end > f.raw_begin && f.raw_end[-1] == '\r') {
      --f.raw_end;
      if (!f.quoted || f.end > f.raw_end) f.end = std::max(f.begin, f.raw_end);
    }
    fields.push_back(f);
    r.newlines += 1;
    r.next = t + 1;
    return r;
  }
}

bool is_blank_record(const std::vector<field_span>& fields) noexcept {
  for (const field_span& f : fields) {
    if (f.quoted) return false;
    for (const char* c = f.begin; c < f.end; ++c)
      if (!is_blank(*c)) return false;
  }
  return true;
}

std::string_view field_text(const field_span& f, std::string& scratch) {
  if (!f.doubled_quotes) return {f.begin, static_cast<std::size_t>(f.end - f.begin)};
  scratch.clear();
  for (const char* c = f.begin; c < f.end; ++c) {
    scratch += *c;
    if (*c == '"' && c + 1 < f.end && c[1] == '"') ++c;
  }
  return scratch;
}

}  // namespace jamstat::io::detail
