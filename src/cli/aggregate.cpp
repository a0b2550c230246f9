#include "aggregate.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "exit_status.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/io/schema_file.hpp"
#include "jamstat/io/state_format.hpp"
#include "state_files.hpp"
#include "text_format.hpp"

namespace jamstat::cli {

namespace fs = std::filesystem;

namespace {

io::schema_file load_schema(const fs::path& path) {
  try {
    return io::read_schema_file(path);
  } catch (const io::schema_file_error& e) {
    throw failure(exit_status::bad_schema, e.what());
  } catch (const io::input_file_error& e) {
    throw failure(exit_status::io_error, e.what());
  } catch (const schema_error& e) {
    throw failure(exit_status::bad_schema, path.string() + ": " + e.what());
  }
}

aggregator make_aggregator(const io::schema_file& file, const fs::path& path) {
  try {
    return aggregator(file.schema, io::aggregator_options_for(file));
  } catch (const io::input_file_error& e) {
    throw failure(exit_status::io_error, e.what());
  } catch (const usage_error& e) {
    // The person key is absent, malformed or all zeros.
    throw failure(exit_status::bad_schema, path.string() + ": person_id.key: " + e.what());
  }
}

// Every input must be readable before hours are spent on the first.
void check_inputs(const std::vector<std::string>& inputs) {
  if (inputs.empty()) throw failure(exit_status::usage, "no input files (give CSV files, or - for standard input)");
  std::size_t stdin_count = 0;
  std::set<std::string> seen;
  for (const std::string& in : inputs) {
    if (in == "-") {
      ++stdin_count;
      continue;
    }
    if (!seen.insert(in).second) throw failure(exit_status::usage, in + " is given twice (it would be counted twice)");
    struct stat st {};
    if (::stat(in.c_str(), &st) != 0)
      throw failure(exit_status::io_error, in + ": cannot open: " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw failure(exit_status::io_error, in + ": is a folder, not a CSV file");
    std::ifstream probe(in, std::ios::binary);
    if (!probe) throw failure(exit_status::io_error, in + ": cannot open: " + std::strerror(errno));
  }
  if (stdin_count > 1) throw failure(exit_status::usage, "standard input (-) can be read only once");
}

std::string where(const io::rejected_row_note& r) {
  std::string s = std::string(r.file) + ":" + std::to_string(r.line);
  if (r.column) s += ":" + std::to_string(r.column);
  return s;
}

}  // namespace

aggregate_outcome run_aggregate(const aggregate_request& request, std::FILE* messages) {
  const io::schema_file file = load_schema(request.schema);
  aggregator state = make_aggregator(file, request.schema);
  check_inputs(request.inputs);
  if (request.threads == 0) throw failure(exit_status::usage, "--threads: expected at least 1");

  // Outputs are opened before any reading, so that an unwritable destination is found at once.
  atomic_file state_out(request.output);
  const bool to_stdout = request.output == "-";
  std::optional<fs::path> reject_path = request.reject_file;
  const bool explicit_rejects = reject_path.has_value();
  if (!reject_path && !to_stdout && !request.strict) {
    reject_path = request.output;
    *reject_path += ".rejected.csv";
  }
  std::optional<atomic_file> reject_out;
  std::optional<std::ofstream> reject_stream;
  if (reject_path && !request.strict) {
    if (*reject_path == request.output) throw failure(exit_status::usage, "--reject-file: the same file as the state");
    reject_out.emplace(*reject_path);
    reject_stream.emplace(reject_out->temporary(), std::ios::binary | std::ios::trunc);
    if (!*reject_stream) throw failure(exit_status::io_error, reject_path->string() + ": cannot write");
  }

  std::vector<io::csv_input> inputs;
  for (const std::string& in : request.inputs)
    inputs.push_back(in == "-" ? io::csv_input::standard_input() : io::csv_input::file(in));

  progress_bar bar(stderr, request.quiet ? progress_mode::never : request.progress);
  io::ingest_options options;
  options.on_bad_row = request.strict ? io::bad_row_handling::strict : io::bad_row_handling::quarantine;
  options.rejects = reject_stream ? &*reject_stream : nullptr;
  options.threads = request.threads;
  options.progress = [&](const io::ingest_progress& p) { bar.update(p); };
  std::uint64_t shown = 0;
  options.on_rejected_row = [&](const io::rejected_row_note& r) {
    if (request.quiet || shown++ >= request.shown_rejects) return;
    bar.clear();
    // The message names the column and what was expected ("column 8 'Timmar' (measure hours): ...").
    std::fprintf(messages, "rejected %s: %s [%s]\n", where(r).c_str(), std::string(r.message).c_str(),
                 std::string(io::to_string(r.problem)).c_str());
  };

  io::ingest_result result;
  try {
    result = io::ingest_csv(state, file, inputs, options);
  } catch (const io::csv_row_error& e) {
    bar.finish();
    throw failure(exit_status::rejected_rows, std::string(e.what()) + " (--strict: nothing was written)");
  } catch (const io::csv_layout_error& e) {
    bar.finish();
    throw failure(exit_status::bad_input, e.what());
  } catch (const io::input_file_error& e) {
    bar.finish();
    throw failure(exit_status::io_error, e.what());
  }
  bar.finish();

  aggregate_outcome outcome;
  outcome.summary = summarize(result, state);
  outcome.state_file = request.output;
  state_out.write(write_state(state));
  state_out.commit();
  if (reject_out) {
    reject_stream->close();
    if (!*reject_stream) throw failure(exit_status::io_error, reject_path->string() + ": cannot write");
    if (result.rows_rejected > 0 || explicit_rejects) {
      reject_out->commit();
      outcome.reject_file = reject_path;
    } else {
      reject_out->discard();
      std::error_code ec;
      fs::remove(*reject_path, ec);  // a default reject file left by an earlier run is no longer true
    }
  }
  if (!to_stdout) write_summary(outcome.summary, summary_path(request.output));

  if (!request.quiet) {
    const ingest_summary& s = outcome.summary;
    if (s.rows_rejected > shown && shown >= request.shown_rejects)
      std::fprintf(messages, "... and %s more rejected rows\n", format_count(s.rows_rejected - request.shown_rejects).c_str());
    for (const io::input_report& in : result.inputs)
      std::fprintf(messages, "%s: %s %s accepted, %s rejected (separator '%s', %s%s)\n", in.name.c_str(),
                   format_count(in.rows_accepted).c_str(), rows_word(in.rows_accepted), format_count(in.rows_rejected).c_str(),
                   in.separator == '\t' ? "\\t" : std::string(1, in.separator).c_str(),
                   in.encoding == io::text_encoding::automatic ? "ASCII" : std::string(io::to_string(in.encoding)).c_str(),
                   in.threads > 1 ? (", " + std::to_string(in.threads) + " threads").c_str() : "");
    std::fprintf(messages, "read %s %s: %s accepted, %s rejected", format_count(s.rows_read()).c_str(),
                 rows_word(s.rows_read()), format_count(s.rows_accepted).c_str(), format_count(s.rows_rejected).c_str());
    if (s.blank_lines) std::fprintf(messages, ", %s blank lines skipped", format_count(s.blank_lines).c_str());
    std::fprintf(messages, "\n");
    for (const auto& r : s.rejections)
      std::fprintf(messages, "  %s %s: %s%s\n", format_count(r.rows).c_str(), rows_word(r.rows), r.reason.c_str(),
                   r.column.empty() ? "" : (" in column '" + r.column + "'").c_str());
    if (outcome.reject_file) std::fprintf(messages, "rejected rows written to %s\n", outcome.reject_file->string().c_str());
    if (!to_stdout)
      std::fprintf(messages, "wrote %s (%s participations%s)\n", request.output.string().c_str(),
                   format_count(state.participations()).c_str(),
                   state.counts_persons() ? ", persons counted" : "");
  }
  return outcome;
}

}  // namespace jamstat::cli
