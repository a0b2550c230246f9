// What `jamstat aggregate` read, kept beside the state it wrote (STATE.ingest.json), so that the
// report made from the state later can say how many rows were rejected and why. `jamstat merge`
// adds up the summaries of its inputs. The state itself holds only accepted records.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "jamstat/engine/aggregator.hpp"
#include "jamstat/io/csv_ingest.hpp"

namespace jamstat::cli {

struct ingest_summary {
  struct rejection {
    std::string reason;  ///< io::row_problem's stable name ("unknown_value")
    std::string column;  ///< the column's header name; empty for whole-row problems
    std::uint64_t rows = 0;
  };
  struct source {
    std::string name;  ///< the file as given on the command line ("<stdin>")
    std::uint64_t rows_accepted = 0;
    std::uint64_t rows_rejected = 0;
  };
  std::uint64_t rows_accepted = 0;
  std::uint64_t rows_rejected = 0;
  std::uint64_t blank_lines = 0;
  std::vector<rejection> rejections;
  std::vector<source> sources;
  /// The state the summary describes: its schema's fingerprint and participations, so that a
  /// summary left over from another run is recognised and not shown.
  std::uint64_t schema_fingerprint = 0;
  std::uint64_t participations = 0;

  std::uint64_t rows_read() const noexcept { return rows_accepted + rows_rejected; }
  /// Adds another summary (merge): counts summed, rejections by (reason, column), sources appended.
  void add(const ingest_summary& other);
  /// True when the summary was written for `state`.
  bool describes(const aggregator& state) const noexcept;
};

/// The summary of an ingest_csv run into `state`.
ingest_summary summarize(const io::ingest_result& result, const aggregator& state);

/// STATE.ingest.json.
std::filesystem::path summary_path(const std::filesystem::path& state_path);

/// Writes the summary as JSON (atomically). Throws failure(io_error).
void write_summary(const ingest_summary& summary, const std::filesystem::path& path);

/// Reads a summary; nullopt when the file does not exist or is not a summary this build writes.
std::optional<ingest_summary> read_summary(const std::filesystem::path& path);

}  // namespace jamstat::cli
