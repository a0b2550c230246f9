// A strict RFC 4180 reader for the tests (the report's CSV read back as a program would).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace jamstat::report::testing {

/// Rows of fields. Quoted fields may hold the separator, quotes (doubled) and line breaks; lines
/// end with CRLF. Throws std::runtime_error on a malformed file.
inline std::vector<std::vector<std::string>> read_csv(const std::string& text, char separator = ',') {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  std::size_t i = 0;
  bool quoted = false, any = false;
  while (i < text.size()) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        ++i;
        continue;
      }
      field += c;
      ++i;
      continue;
    }
    if (c == '"') {
      if (!field.empty()) throw std::runtime_error("quote inside an unquoted field");
      quoted = true;
      any = true;
      ++i;
    } else if (c == separator) {
      row.push_back(std::move(field));
      field.clear();
      any = true;
      ++i;
    } else if (c == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') throw std::runtime_error("CR without LF");
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
      i += 2;
    } else if (c == '\n') {
      throw std::runtime_error("LF without CR");
    } else {
      field += c;
      any = true;
      ++i;
    }
  }
  if (quoted) throw std::runtime_error("unterminated quote");
  if (any || !field.empty()) throw std::runtime_error("last line without CRLF");
  return rows;
}

}  // namespace jamstat::report::testing
