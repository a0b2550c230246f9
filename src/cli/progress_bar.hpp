// A progress bar on standard error for long CSV runs: bytes, rows, rows per second, time left.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

#include "jamstat/io/csv_ingest.hpp"

namespace jamstat::cli {

/// When to show progress.
enum class progress_mode {
  automatic,  ///< a bar when standard error is a terminal, nothing otherwise
  always,     ///< a bar on a terminal; otherwise a plain line every few seconds (logs)
  never,      ///< --quiet
};

/// Draws the progress of an ingest_csv run. On a terminal the bar is redrawn in place (at most
/// ten times a second) and erased by finish(); elsewhere (mode always) a line is written every
/// five seconds.
class progress_bar {
 public:
  progress_bar(std::FILE* out, progress_mode mode);
  ~progress_bar();
  progress_bar(const progress_bar&) = delete;
  progress_bar& operator=(const progress_bar&) = delete;

  bool active() const noexcept { return enabled_; }
  void update(const io::ingest_progress& p);
  /// Erases the bar (terminal) so that messages after it start on a clean line.
  void finish();
  /// Erases the bar before a message is printed; the next update draws it again.
  void clear();

 private:
  std::FILE* out_;
  bool enabled_ = false;
  bool terminal_ = false;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace jamstat::cli
