#include "jamstat/io/csv_reader.hpp"

#include <cstring>

#include "byte_source.hpp"
#include "csv_preamble.hpp"
#include "decoded_buffer.hpp"
#include "record_scanner.hpp"

namespace jamstat::io {

char implied_decimal_mark(const csv_dialect& dialect, char separator) noexcept {
  if (dialect.decimal_mark != 0) return dialect.decimal_mark;
  return separator == ';' ? ',' : '.';
}

struct csv_reader::impl {
  impl(std::unique_ptr<detail::byte_source> src, std::string source_name, const csv_dialect& d,
       const csv_reader_options& o)
      : source(std::move(src)),
        name(std::move(source_name)),
        dialect(d),
        options(o),
        buffer(*source, name, d.encoding, o.block_bytes, o.max_record_bytes) {
    preamble = detail::read_preamble(buffer, dialect, name);
    numbers.decimal_mark = implied_decimal_mark(dialect, preamble.separator);
    numbers.thousands_separators = dialect.thousands_separators;
    line = preamble.lines + 1;
  }

  std::unique_ptr<detail::byte_source> source;
  std::string name;
  csv_dialect dialect;
  csv_reader_options options;
  detail::decoded_buffer buffer;
  detail::csv_preamble preamble;
  number_format numbers;
  std::uint64_t line = 1;
  std::uint64_t blank = 0;
  std::vector<detail::field_span> spans;
};

csv_reader::csv_reader(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
csv_reader::~csv_reader() = default;
csv_reader::csv_reader(csv_reader&&) noexcept = default;
csv_reader& csv_reader::operator=(csv_reader&&) noexcept = default;

csv_reader csv_reader::open(const std::filesystem::path& path, const csv_dialect& dialect,
                            const csv_reader_options& options) {
  return csv_reader(std::make_unique<impl>(std::make_unique<detail::file_source>(path), path.string(), dialect, options));
}

csv_reader csv_reader::from_stream(std::istream& in, std::string name, const csv_dialect& dialect,
                                   const csv_reader_options& options) {
  auto source = std::make_unique<detail::stream_source>(in, name);
  return csv_reader(std::make_unique<impl>(std::move(source), std::move(name), dialect, options));
}

csv_reader csv_reader::from_file(std::FILE* file, std::string name, const csv_dialect& dialect,
                                 const csv_reader_options& options) {
  auto source = std::make_unique<detail::stdio_source>(file, name);
  return csv_reader(std::make_unique<impl>(std::move(source), std::move(name), dialect, options));
}

const std::vector<std::string>& csv_reader::header() const noexcept { return impl_->preamble.header; }
std::size_t csv_reader::columns() const noexcept { return impl_->preamble.columns; }
char csv_reader::separator() const noexcept { return impl_->preamble.separator; }
char csv_reader::decimal_mark() const noexcept { return impl_->numbers.decimal_mark; }
const number_format& csv_reader::numbers() const noexcept { return impl_->numbers; }
text_encoding csv_reader::encoding() const noexcept { return impl_->buffer.encoding(); }
std::uint64_t csv_reader::blank_lines() const noexcept { return impl_->blank; }
std::uint64_t csv_reader::bytes_read() const noexcept { return impl_->buffer.bytes_read(); }
const std::string& csv_reader::name() const noexcept { return impl_->name; }

bool csv_reader::next(csv_record& record) {
  impl& s = *impl_;
  detail::decoded_buffer& in = s.buffer;
  record.fields_.clear();
  record.problem_ = csv_record_problem::none;
  record.problem_column_ = 0;
  for (;;) {
    if (in.size() == 0 && !in.fill()) return false;
    const detail::scan_result r = detail::scan_record(in.begin(), in.end(), s.preamble.separator, in.eof(), s.spans);
    if (r.status == detail::scan_status::need_more) {
      if (in.fill() || in.eof()) continue;  // at the end of input the scan decides
      // The buffer holds max_record_bytes and the record goes on.
      record.line_ = s.line;
      record.lines_ = 1;
      const void* nl = std::memchr(in.begin(), '\n', in.size());
      if (nl) {
        // A line end inside an open quote: the quote is what went wrong. Skip the first line.
        const char* line_end = static_cast<const char*>(nl);
        record.storage_.assign(in.begin(), static_cast<std::size_t>(line_end - in.begin()));
        if (!record.storage_.empty() && record.storage_.back() == '\r') record.storage_.pop_back();
        in.consume(line_end + 1);
        record.problem_ = csv_record_problem::unterminated_quote;
      } else {
        // One line longer than the limit: keep its beginning, skip the rest of it.
        record.storage_.assign(in.begin(), in.size());
        for (;;) {
          const void* end_of_line = std::memchr(in.begin(), '\n', in.size());
          if (end_of_line) {
            in.consume(static_cast<const char*>(end_of_line) + 1);
            break;
          }
          in.consume(in.end());
          if (!in.fill()) break;
        }
        record.problem_ = csv_record_problem::too_long;
      }
      record.raw_ = record.storage_;
      ++s.line;
      return true;
    }
    const char* start = in.begin();
    record.line_ = s.line;
    record.lines_ = r.newlines;
    // The raw text without its line end.
    const char* raw_end = r.next;
    if (raw_end > start && raw_end[-1] == '\n') --raw_end;
    if (raw_end > start && raw_end[-1] == '\r') --raw_end;
    record.raw_ = std::string_view(start, static_cast<std::size_t>(raw_end - start));
    s.line += r.newlines;
    if (r.status == detail::scan_status::unterminated_quote) {
      in.consume(r.next);
      record.problem_ = csv_record_problem::unterminated_quote;
      return true;
    }
    if (detail::is_blank_record(s.spans)) {
      ++s.blank;
      in.consume(r.next);
      continue;
    }
    // Fields: views of the buffer, or of storage_ for those with doubled quotes (built first, so
    // that storage_ does not move under the views).
    record.storage_.clear();
    std::string scratch;
    std::vector<std::size_t> offsets;
    for (const detail::field_span& f : s.spans) {
      if (!f.doubled_quotes) continue;
      offsets.push_back(record.storage_.size());
      record.storage_ += detail::field_text(f, scratch);
    }
    offsets.push_back(record.storage_.size());
    std::size_t k = 0;
    for (std::size_t i = 0; i < s.spans.size(); ++i) {
      const detail::field_span& f = s.spans[i];
      csv_field out;
      out.line = record.line_ + f.line;
      out.column = static_cast<std::uint32_t>(i + 1);
      out.quoted = f.quoted;
      if (f.doubled_quotes) {
        out.text = std::string_view(record.storage_).substr(offsets[k], offsets[k + 1] - offsets[k]);
        ++k;
      } else {
        out.text = std::string_view(f.begin, static_cast<std::size_t>(f.end - f.begin));
      }
      record.fields_.push_back(out);
    }
    if (r.text_after_quote) {
      record.problem_ = csv_record_problem::text_after_quote;
      record.problem_column_ = static_cast<std::uint32_t>(r.bad_field + 1);
    }
    in.consume(r.next);
    return true;
  }
}

}  // namespace jamstat::io
