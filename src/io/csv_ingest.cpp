#include "jamstat/io/csv_ingest.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <thread>

#include "byte_source.hpp"
#include "csv_preamble.hpp"
#include "decoded_buffer.hpp"
#include "fast_rows.hpp"
#include "ingest_plan.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/io/csv_reader.hpp"
#include "record_scanner.hpp"
#include "reject_output.hpp"
#include "text_utilities.hpp"

namespace jamstat::io {

std::string csv_input::name() const {
  if (!stream && path == "-") return "<stdin>";
  return path.string();
}

namespace detail {
namespace {

// Counts of one part of one file.
struct tally {
  std::uint64_t accepted = 0, rejected = 0, blank = 0, newlines = 0;
  std::vector<rejection_count> reasons;
  void reject(row_problem p, const std::string& column) {
    ++rejected;
    for (rejection_count& r : reasons)
      if (r.problem == p && r.column == column) {
        ++r.rows;
        return;
      }
    reasons.push_back({p, column, 1});
  }
  void add(const tally& o) {
    accepted += o.accepted;
    rejected += o.rejected;
    blank += o.blank;
    newlines += o.newlines;
    for (const rejection_count& r : o.reasons) {
      auto it = std::find_if(reasons.begin(), reasons.end(),
                             [&](const rejection_count& x) { return x.problem == r.problem && x.column == r.column; });
      if (it == reasons.end()) reasons.push_back(r);
      else it->rows += r.rows;
    }
  }
};

csv_row_error row_error(const std::string& file, const rejected_row& row) {
  std::string where = file + ":" + std::to_string(row.line) + ":";
  if (row.column) where += std::to_string(row.column) + ":";
  return csv_row_error(where + " " + row.message, file, row.line, row.column, row.column_name, row.problem);
}

// What every part of one file shares (read only).
struct file_context {
  const ingest_plan& plan;
  const ingest_options& options;
  std::string name;
  std::size_t personnummer_column;
};

// The rows of one stretch of a file into one aggregator: the whole file, or one thread's part.
class part_runner {
 public:
  using sink = std::function<void(const rejected_row&)>;

  /// Called after every block with the bytes read and the rows seen so far.
  using block_hook = std::function<void(std::uint64_t bytes, std::uint64_t rows)>;

  part_runner(const file_context& ctx, decoded_buffer& in, aggregator& agg, std::uint64_t first_line,
              std::optional<std::uint64_t> stop, sink rejects, bool throw_on_strict, block_hook on_block)
      : ctx_(ctx),
        in_(in),
        agg_(agg),
        line_(first_line),
        first_line_(first_line),
        stop_(stop),
        rejects_(std::move(rejects)),
        throw_on_strict_(throw_on_strict),
        on_block_(std::move(on_block)),
        builder_(ctx.plan, std::max<std::size_t>(ctx.options.batch_rows, 1)),
        fast_(ctx.plan, builder_) {
    texts_.resize(ctx.plan.columns);
    scratch_.resize(ctx.plan.columns);
  }

  tally counts;
  std::optional<rejected_row> strict_error;
  std::uint64_t exit_offset = 0;
  text_encoding entry_encoding = text_encoding::automatic;
  text_encoding decided = text_encoding::automatic;  // the decision this part made, if any

  void run() {
    entry_encoding = in_.encoding();
    const bool fast = fast_.usable();
    const char separator = ctx_.plan.separator;
    for (;;) {
      if (in_.size() == 0 && !in_.fill()) break;
      const char* p = in_.begin();
      const char* const end = in_.end();
      const void* last_nl = memrchr(p, '\n', static_cast<std::size_t>(end - p));
      const char* const safe_end = last_nl ? static_cast<const char*>(last_nl) + 1 : p;
      const char* stop_at = nullptr;
      if (stop_) {
        if (*stop_ <= in_.raw_offset(p)) stop_at = p;
        else if (*stop_ <= in_.raw_end()) stop_at = in_.position_of_raw(*stop_);
      }
      const char* const limit = stop_at && stop_at < safe_end ? stop_at : safe_end;
      while (p < safe_end) {
        if (p >= limit) return finish(in_.raw_offset(p));  // the next part's first record
        if (fast) {
          // Plain lines straight into the batch, until one needs the general path.
          while (p < limit) {
            builder_.begin_row();
            const char* q = fast_.row(p);
            if (!q) {
              builder_.abandon_row();
              break;
            }
            builder_.commit(line_);
            ++line_;
            ++rows_;
            p = q;
            if (builder_.full()) flush();
          }
          if (p >= limit) continue;
        }
        const scan_result r = scan_record(p, end, separator, in_.eof(), spans_);
        if (r.status == scan_status::need_more) break;
        handle(p, end, r);
        line_ += r.newlines;
        p = r.next;
        if (strict_error) return finish(in_.raw_offset(p));
        if (builder_.full()) flush();
      }
      in_.consume(p);
      if (on_block_) on_block_(in_.bytes_read(), rows_);
      if (in_.size() == 0) {
        if (in_.eof()) break;
        continue;
      }
      // More text, or the end of the input reached: scan again (at the end a quote still open
      // is unterminated rather than waiting for more).
      if (in_.fill() || in_.eof()) continue;
      // The buffer holds the longest record allowed and the record goes on.
      overlong();
      if (strict_error) return finish(in_.raw_offset(in_.begin()));
    }
    finish(in_.raw_end());
  }

 private:
  void finish(std::uint64_t exit) {
    flush();
    if (on_block_) on_block_(in_.bytes_read(), rows_);
    exit_offset = exit;
    counts.newlines = line_ - first_line_;
    if (entry_encoding == text_encoding::automatic) decided = in_.encoding();
  }

  // `seen`: the row was not counted yet (rows the aggregator refuses were, when committed).
  void reject(rejected_row row, bool seen = false) {
    counts.reject(row.problem, row.column_name);
    if (!seen) ++rows_;
    if (ctx_.options.on_bad_row == bad_row_handling::strict) {
      if (throw_on_strict_) throw row_error(ctx_.name, row);
      if (!strict_error) strict_error = std::move(row);
      return;
    }
    if (rejects_) rejects_(row);
  }

  void reject_row(row_problem problem, std::size_t column, std::string message, std::string record) {
    rejected_row row;
    row.line = line_;
    row.problem = problem;
    row.message = std::move(message);
    row.record = std::move(record);
    if (column != no_column) {
      row.column = static_cast<std::uint32_t>(column + 1);
      row.column_name = ctx_.plan.column_name(column);
    }
    reject(std::move(row));
  }

  void handle(const char* start, const char* end, const scan_result& r) {
    if (r.status == scan_status::unterminated_quote) {
      const char* line_end = next_line(start, end);
      const char* raw_end = line_end;
      if (raw_end > start && raw_end[-1] == '\n') --raw_end;
      if (raw_end > start && raw_end[-1] == '\r') --raw_end;
      reject_row(row_problem::unterminated_quote, no_column,
                 "a quoted field starting on this line is never closed; the line is skipped and reading goes on "
                 "at the next line",
                 masked_record(start, raw_end, {}, no_column));
      return;
    }
    if (is_blank_record(spans_)) {
      ++counts.blank;
      return;
    }
    const char* raw_end = r.next;
    if (raw_end > start && raw_end[-1] == '\n') --raw_end;
    if (raw_end > start && raw_end[-1] == '\r') --raw_end;
    const auto record = [&] { return masked_record(start, raw_end, spans_, ctx_.personnummer_column); };
    if (r.text_after_quote) {
      reject_row(row_problem::text_after_quote, r.bad_field,
                 "text after the closing quote of the field; expected the separator '" +
                     std::string(1, ctx_.plan.separator == '\t' ? ' ' : ctx_.plan.separator) + "' or the end of the line",
                 record());
      return;
    }
    if (spans_.size() != ctx_.plan.columns) {
      reject_row(row_problem::column_count, no_column,
                 "the row has " + std::to_string(spans_.size()) + " fields; expected " +
                     std::to_string(ctx_.plan.columns) + (ctx_.plan.header.empty() ? " (as the first row)" : " (as the header)"),
                 record());
      return;
    }
    for (std::size_t c = 0; c < spans_.size(); ++c)
      texts_[c] = ctx_.plan.column_used[c] ? field_text(spans_[c], scratch_[c]) : std::string_view();
    builder_.begin_row();
    if (auto fault = convert_row(ctx_.plan, texts_, builder_)) {
      builder_.abandon_row();
      reject_row(fault->problem, fault->column, std::move(fault->message), record());
      return;
    }
    builder_.commit(line_);
    ++rows_;
  }

  // A record longer than the limit: an open quote (a line end is in the buffer) rejects its first
  // line; one long line is rejected and skipped.
  void overlong() {
    const char* p = in_.begin();
    const void* nl = std::memchr(p, '\n', in_.size());
    const std::string limit = std::to_string(ctx_.options.max_record_bytes);
    if (nl) {
      const char* line_end = static_cast<const char*>(nl);
      const char* raw_end = line_end > p && line_end[-1] == '\r' ? line_end - 1 : line_end;
      reject_row(row_problem::unterminated_quote, no_column,
                 "a quoted field starting on this line is not closed within " + limit +
                     " bytes; the line is skipped and reading goes on at the next line",
                 masked_record(p, raw_end, {}, no_column));
      ++line_;
      in_.consume(line_end + 1);
      return;
    }
    reject_row(row_problem::record_too_long, no_column, "the line is longer than " + limit + " bytes",
               masked_record(p, p + std::min(in_.size(), reject_record_limit + 1), {}, no_column));
    for (;;) {
      const void* end_of_line = std::memchr(in_.begin(), '\n', in_.size());
      if (end_of_line) {
        in_.consume(static_cast<const char*>(end_of_line) + 1);
        break;
      }
      in_.consume(in_.end());
      if (!in_.fill()) break;
    }
    ++line_;
  }

  void flush() {
    if (builder_.rows() == 0) return;
    add_rows(0, builder_.rows());
    builder_.clear();
  }

  // Adds rows [first, first + count) of the builder. The mapping has checked everything the
  // aggregator checks, so a refusal is a bug: the row is rejected (engine_rejected) with the
  // aggregator's message and the others are added.
  void add_rows(std::size_t first, std::size_t count) {
    while (count > 0) {
      try {
        const batch_result r = agg_.add_batch(builder_.batch(first, count));
        counts.accepted += r.accepted;
        if (r.rejected > 0) {
          // The aggregator's tally policy counted them in its state; only the first is known.
          const rejected_row_info first_bad{r.first_rejected ? first + r.first_rejected->row : first,
                                            r.first_rejected ? r.first_rejected->message : std::string()};
          for (std::uint64_t k = 0; k < r.rejected; ++k) {
            rejected_row row;
            row.line = builder_.line(first_bad.row);
            row.problem = row_problem::engine_rejected;
            row.message = "the aggregator refused the row: " + value_for_message(first_bad.message, 300);
            if (k == 0) reject(std::move(row), true);
            else counts.reject(row_problem::engine_rejected, "");
          }
        }
        return;
      } catch (const input_error& e) {
        const std::size_t bad = first + static_cast<std::size_t>(e.row());
        rejected_row row;
        row.line = builder_.line(bad);
        row.problem = row_problem::engine_rejected;
        row.message = "the aggregator refused the row: " + value_for_message(e.what(), 300);
        add_rows(first, bad - first);
        reject(std::move(row), true);
        count -= bad - first + 1;
        first = bad + 1;
      }
    }
  }

  struct rejected_row_info {
    std::size_t row;
    std::string message;
  };

  const file_context& ctx_;
  decoded_buffer& in_;
  aggregator& agg_;
  std::uint64_t line_;
  std::uint64_t first_line_;
  std::optional<std::uint64_t> stop_;
  sink rejects_;
  bool throw_on_strict_;
  block_hook on_block_;
  batch_builder builder_;
  fast_rows fast_;
  std::uint64_t rows_ = 0;
  std::vector<field_span> spans_;
  std::vector<std::string_view> texts_;
  std::vector<std::string> scratch_;
};

// A fast-path column that would accept one of its missing-value spellings is handed to the
// general path (which knows the spelling means missing).
void guard_missing_spellings(ingest_plan& plan) {
  batch_builder scratch(plan, 1);
  fast_rows probe(plan, scratch);
  const auto accepts = [&](std::size_t column, const spelling_set& missing) {
    for (const std::string& m : missing) {
      const std::string text = m + "\n" + std::string(fast_path_overread, '\0');
      scratch.begin_row();
      const bool ok = probe.field(column, text.data(), true) != nullptr;
      scratch.abandon_row();
      if (ok) return true;
    }
    return false;
  };
  for (std::size_t c = 0; c < plan.columns; ++c) {
    fast_column& f = plan.fast[c];
    if (f.kind == fast_kind::skip || f.kind == fast_kind::bail) continue;
    const column_job job = plan.jobs[c][0];
    const spelling_set* missing = nullptr;
    switch (job.kind) {
      case job_kind::dimension: missing = &plan.dims[job.index].missing; break;
      case job_kind::outcome: missing = &plan.outcomes[job.index].missing; break;
      case job_kind::measure: missing = &plan.measures[job.index].missing; break;
      case job_kind::person: missing = &plan.person->missing; break;
      case job_kind::personnummer: missing = &plan.personnummer->missing; break;
    }
    if (missing && accepts(c, *missing)) f.kind = fast_kind::bail;
  }
}

std::optional<std::uint64_t> regular_file_size(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_size);
}

// The offset just after the first '\n' at or after `from` (or `size` when there is none).
std::uint64_t next_line_start(const std::filesystem::path& path, std::uint64_t from, std::uint64_t size) {
  file_source src(path, from);
  char buf[1 << 16];
  std::uint64_t at = from;
  for (;;) {
    const std::size_t n = src.read(buf, sizeof buf);
    if (n == 0) return size;
    const void* nl = std::memchr(buf, '\n', n);
    if (nl) return at + static_cast<std::uint64_t>(static_cast<const char*>(nl) - buf) + 1;
    at += n;
  }
}

struct progress_state {
  const ingest_options& options;
  std::uint64_t bytes_before = 0, rows_before = 0, bytes_total = 0;
  std::size_t file_index = 0;
  void report(std::uint64_t bytes, std::uint64_t rows) const {
    if (!options.progress) return;
    ingest_progress p;
    p.bytes_done = bytes_before + bytes;
    p.bytes_total = bytes_total;
    p.rows = rows_before + rows;
    p.file_index = file_index;
    options.progress(p);
  }
};

// One part of a file read by a thread (parallel ingestion).
struct part {
  std::uint64_t start = 0;
  std::optional<std::uint64_t> stop;
  text_encoding entry = text_encoding::automatic;
  std::unique_ptr<aggregator> agg;
  std::unique_ptr<reject_spill> spill;
  std::unique_ptr<file_source> source;
  std::unique_ptr<decoded_buffer> buffer;
  std::unique_ptr<part_runner> runner;
  std::exception_ptr error;
};

void run_part(part& p, const file_context& ctx, const std::filesystem::path& path, const aggregator& target,
              part_runner::block_hook on_block) {
  p.agg = std::make_unique<aggregator>(target.schema_ptr(), target.options());
  p.spill = std::make_unique<reject_spill>();
  p.source = std::make_unique<file_source>(path, p.start);
  p.buffer = std::make_unique<decoded_buffer>(*p.source, ctx.name, p.entry, ctx.options.block_bytes,
                                              ctx.options.max_record_bytes, p.start);
  reject_spill* spill = p.spill.get();
  p.runner = std::make_unique<part_runner>(ctx, *p.buffer, *p.agg, 0, p.stop,
                                           [spill](const rejected_row& row) { spill->write(row); }, false, std::move(on_block));
  p.runner->run();
}

}  // namespace
}  // namespace detail

namespace {

using namespace detail;

struct run_state {
  ingest_result result;
  reject_writer rejects;
  const rejected_row_callback& on_rejected;
  bool rejects_started = false;
  void reject(const std::string& file, const rejected_row& row) {
    rejects.write(file, row);
    if (on_rejected) on_rejected({file, row.line, row.column, row.column_name, row.problem, row.message});
  }
};

// Reads one input into `target`.
void ingest_one(aggregator& target, const schema_file& schema, const csv_input& input, const ingest_options& options,
                progress_state& progress, run_state& state) {
  const std::string name = input.name();
  std::unique_ptr<byte_source> source;
  std::optional<std::uint64_t> size;
  const bool from_path = !input.stream && input.path != "-";
  if (input.stream) {
    source = std::make_unique<stream_source>(*input.stream, name);
  } else if (!from_path) {
    source = std::make_unique<stdio_source>(stdin, name);
  } else {
    auto file = std::make_unique<file_source>(input.path);
    size = file->size();
    source = std::move(file);
  }
  decoded_buffer buffer(*source, name, schema.csv.encoding, options.block_bytes, options.max_record_bytes);
  const csv_preamble pre = read_preamble(buffer, schema.csv, name);
  number_format numbers;
  numbers.decimal_mark = implied_decimal_mark(schema.csv, pre.separator);
  numbers.thousands_separators = schema.csv.thousands_separators;
  ingest_plan plan = make_plan(schema, target.schema_ref(), pre, numbers, name, options.fast_path);
  guard_missing_spellings(plan);
  const file_context ctx{plan, options, name, plan.personnummer ? plan.personnummer->column : no_column};
  if (!state.rejects_started) {
    state.rejects.start(pre.separator);
    state.rejects_started = true;
  }

  input_report report;
  report.name = name;
  report.separator = pre.separator;
  report.decimal_mark = numbers.decimal_mark;
  report.byte_order_mark = buffer.had_bom();

  const std::uint64_t header_end = buffer.raw_offset(buffer.begin());
  // As many threads as asked for, but each with at least min_bytes_per_thread of the file.
  const std::uint64_t min_part_bytes = std::max<std::uint64_t>(options.min_bytes_per_thread, 1);
  const std::uint64_t body_bytes = size && *size > header_end ? *size - header_end : 0;
  const unsigned threads =
      from_path ? static_cast<unsigned>(std::min<std::uint64_t>(std::max(1u, options.threads), body_bytes / min_part_bytes))
                : 1u;
  const bool parallel = threads > 1;

  tally total;
  if (!parallel) {
    const auto write = [&](const rejected_row& row) { state.reject(name, row); };
    part_runner runner(ctx, buffer, target, pre.lines + 1, std::nullopt, write, true,
                       [&](std::uint64_t bytes, std::uint64_t rows) { progress.report(bytes, rows); });
    runner.run();
    total = runner.counts;
    report.encoding = buffer.encoding();
    report.bytes = buffer.bytes_read();
    report.threads = 1;
  } else {
    // Parts start at line starts after equal shares of the file; each is checked afterwards to
    // start where the part before it ended (a line end inside a quoted field would break that:
    // the part is then read again from the right place), so the result is that of one thread.
    const std::uint64_t body = *size - header_end;
    std::vector<std::uint64_t> starts{header_end};
    for (unsigned k = 1; k < threads; ++k) {
      const std::uint64_t target_offset = header_end + body * k / threads;
      const std::uint64_t s = next_line_start(input.path, target_offset - 1, *size);
      if (s > starts.back() && s < *size) starts.push_back(s);
    }
    const text_encoding entry = buffer.encoding();
    std::vector<part> parts(starts.size());
    for (std::size_t k = 0; k < parts.size(); ++k) {
      parts[k].start = starts[k];
      if (k + 1 < starts.size()) parts[k].stop = starts[k + 1];
      parts[k].entry = entry;
    }
    // Each part publishes its bytes and rows; the calling thread sums them for the progress.
    std::vector<std::atomic<std::uint64_t>> part_bytes(parts.size()), part_rows(parts.size());
    const auto report_all = [&] {
      std::uint64_t bytes = 0, rows = 0;
      for (std::size_t k = 0; k < parts.size(); ++k) {
        bytes += part_bytes[k].load(std::memory_order_relaxed);
        rows += part_rows[k].load(std::memory_order_relaxed);
      }
      progress.report(std::min(bytes, *size), rows);  // parts read a little past their ends
    };
    const auto publish = [&](std::size_t k) {
      return [&, k](std::uint64_t bytes, std::uint64_t rows) {
        part_bytes[k].store(bytes, std::memory_order_relaxed);
        part_rows[k].store(rows, std::memory_order_relaxed);
        if (k == 0) report_all();
      };
    };
    std::vector<std::future<void>> others;
    for (std::size_t k = 1; k < parts.size(); ++k)
      others.push_back(std::async(std::launch::async, [&, k] {
        try {
          run_part(parts[k], ctx, input.path, target, publish(k));
        } catch (...) {
          parts[k].error = std::current_exception();
        }
      }));
    // Part 0 runs on the calling thread, which also reports progress.
    try {
      run_part(parts[0], ctx, input.path, target, publish(0));
    } catch (...) {
      parts[0].error = std::current_exception();
    }
    for (auto& f : others) {
      while (f.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) report_all();
      f.get();
    }
    for (const part& p : parts)
      if (p.error) std::rethrow_exception(p.error);
    // Check that the parts tile the file and read the text as one thread would; read again any
    // that started in the wrong place (inside a quoted field) or decided the encoding otherwise
    // than an earlier part had.
    text_encoding effective = entry;  // the encoding one thread would be in at the part's start
    for (std::size_t k = 0; k < parts.size(); ++k) {
      if (k > 0) {
        const part_runner& before = *parts[k - 1].runner;
        if (before.strict_error) break;  // the first bad row is before this part
        const part_runner& here = *parts[k].runner;
        const bool same_start = before.exit_offset == parts[k].start;
        const bool same_encoding = here.entry_encoding == effective ||
                                   (here.entry_encoding == text_encoding::automatic &&
                                    (here.decided == text_encoding::automatic || here.decided == effective));
        if (!same_start || !same_encoding) {
          part again;
          again.start = before.exit_offset;
          again.stop = parts[k].stop;
          again.entry = effective;
          if (again.stop && *again.stop < again.start) again.stop = again.start;
          run_part(again, ctx, input.path, target, publish(k));
          parts[k] = std::move(again);
        }
      }
      if (parts[k].runner->decided != text_encoding::automatic) effective = parts[k].runner->decided;
    }
    std::uint64_t first_line = pre.lines + 1;
    text_encoding encoding = entry;
    for (part& p : parts) {
      part_runner& r = *p.runner;
      if (r.strict_error) {
        rejected_row row = *r.strict_error;
        row.line += first_line;
        throw row_error(name, row);
      }
      target.merge(*p.agg);
      p.spill->replay(first_line, [&](const rejected_row& row) { state.reject(name, row); });
      total.add(r.counts);
      first_line += r.counts.newlines;
      if (r.decided != text_encoding::automatic) encoding = r.decided;
    }
    report.bytes = *size;
    report.encoding = encoding;
    report.threads = static_cast<unsigned>(parts.size());
    report_all();
  }
  report.lines = pre.lines + total.newlines;
  report.rows_accepted = total.accepted;
  report.rows_rejected = total.rejected;
  report.blank_lines = total.blank;
  state.result.rows_accepted += total.accepted;
  state.result.rows_rejected += total.rejected;
  state.result.blank_lines += total.blank;
  for (const rejection_count& r : total.reasons) {
    auto it = std::find_if(state.result.rejections.begin(), state.result.rejections.end(),
                           [&](const rejection_count& x) { return x.problem == r.problem && x.column == r.column; });
    if (it == state.result.rejections.end()) state.result.rejections.push_back(r);
    else it->rows += r.rows;
  }
  progress.bytes_before += report.bytes;
  progress.rows_before += total.accepted + total.rejected;
  state.result.inputs.push_back(std::move(report));
}

}  // namespace

ingest_result ingest_csv(aggregator& target, const schema_file& schema, std::span<const csv_input> inputs,
                         const ingest_options& options) {
  if (!schema.schema || !(target.schema_ref() == *schema.schema))
    throw usage_error("ingest_csv: the aggregator was not built from the schema file's schema (schema_file::schema)");
  const bool wants_persons = schema.person_id.has_value();
  if (wants_persons != target.counts_persons())
    throw usage_error(wants_persons ? "ingest_csv: the schema file names a person id, but the aggregator does not count "
                                      "persons (give it the key: aggregator_options_for(schema_file))"
                                    : "ingest_csv: the aggregator counts persons, but the schema file names no person id");
  const bool quarantine = options.on_bad_row == bad_row_handling::quarantine;
  static const rejected_row_callback none;
  run_state state{{}, reject_writer(quarantine ? options.rejects : nullptr), quarantine ? options.on_rejected_row : none};
  progress_state progress{options};
  for (const csv_input& in : inputs)
    if (!in.stream && in.path != "-")
      if (const auto size = regular_file_size(in.path)) progress.bytes_total += *size;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    progress.file_index = i;
    ingest_one(target, schema, inputs[i], options, progress, state);
  }
  std::stable_sort(state.result.rejections.begin(), state.result.rejections.end(),
                   [](const rejection_count& a, const rejection_count& b) { return a.problem < b.problem; });
  return std::move(state.result);
}

}  // namespace jamstat::io
