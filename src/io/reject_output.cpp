#include "reject_output.hpp"

#include <cerrno>
#include <cstring>

#include "jamstat/io/personnummer.hpp"

namespace jamstat::io::detail {

std::string masked_record(const char* begin, const char* end, const std::vector<field_span>& fields,
                          std::size_t personnummer_column) {
  std::string out;
  const char* cursor = begin;
  if (personnummer_column < fields.size()) {
    const field_span& f = fields[personnummer_column];
    if (f.begin >= cursor && f.end <= end && f.begin <= f.end) {
      out.append(cursor, f.begin);
      out += mask_personnummer(std::string_view(f.begin, static_cast<std::size_t>(f.end - f.begin)));
      cursor = f.end;
    }
  }
  out.append(cursor, end);
  out = mask_personnummer_shapes(out);
  if (out.size() > reject_record_limit) {
    std::size_t cut = reject_record_limit;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // a character boundary
    out.resize(cut);
    out += "\xE2\x80\xA6";
  }
  return out;
}

void reject_writer::start(char separator) {
  if (!out_ || started_) return;
  started_ = true;
  separator_ = separator;
  *out_ << "\xEF\xBB\xBF";
  for (const char* h : {"file", "line", "column", "column_name", "reason", "message"}) field(h, false);
  field("record", true);
}

void reject_writer::field(std::string_view text, bool last) {
  bool quote = text.empty() ? false : (text.front() == ' ' || text.back() == ' ');
  for (const char c : text)
    if (c == separator_ || c == '"' || c == '\n' || c == '\r') quote = true;
  if (quote) {
    *out_ << '"';
    for (const char c : text) {
      if (c == '"') *out_ << '"';
      *out_ << c;
    }
    *out_ << '"';
  } else {
    *out_ << text;
  }
  *out_ << (last ? '\n' : separator_);
}

void reject_writer::write(const std::string& file, const rejected_row& row) {
  if (!out_) return;
  field(file, false);
  field(std::to_string(row.line), false);
  field(row.column ? std::to_string(row.column) : std::string(), false);
  field(row.column_name, false);
  field(to_string(row.problem), false);
  field(row.message, false);
  field(row.record, true);
}

// ---------------------------------------------------------------------------------------------

reject_spill::reject_spill() : file_(std::tmpfile()) {
  if (!file_) throw input_file_error("cannot create a temporary file for rejected rows: " + std::string(std::strerror(errno)));
}

reject_spill::~reject_spill() {
  if (file_) std::fclose(file_);
}

namespace {
void put_text(std::FILE* f, const std::string& s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  std::fwrite(&n, sizeof n, 1, f);
  std::fwrite(s.data(), 1, s.size(), f);
}
bool get_text(std::FILE* f, std::string& s) {
  std::uint32_t n = 0;
  if (std::fread(&n, sizeof n, 1, f) != 1) return false;
  s.resize(n);
  return std::fread(s.data(), 1, n, f) == n;
}
}  // namespace

void reject_spill::write(const rejected_row& row) {
  std::fwrite(&row.line, sizeof row.line, 1, file_);
  std::fwrite(&row.column, sizeof row.column, 1, file_);
  const auto problem = static_cast<std::uint8_t>(row.problem);
  std::fwrite(&problem, 1, 1, file_);
  put_text(file_, row.column_name);
  put_text(file_, row.message);
  put_text(file_, row.record);
  if (std::ferror(file_)) throw input_file_error("cannot write the temporary file of rejected rows (disk full?)");
}

bool reject_spill::read(rejected_row& row) {
  std::uint8_t problem = 0;
  if (std::fread(&row.line, sizeof row.line, 1, file_) != 1) return false;
  if (std::fread(&row.column, sizeof row.column, 1, file_) != 1) return false;
  if (std::fread(&problem, 1, 1, file_) != 1) return false;
  row.problem = static_cast<row_problem>(problem);
  return get_text(file_, row.column_name) && get_text(file_, row.message) && get_text(file_, row.record);
}

}  // namespace jamstat::io::detail
