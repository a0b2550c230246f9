// State files on disk for the jamstat command: read one (with messages naming the file), write one
// so that a reader never sees half of it, and say how two states' schemas differ.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>

#include "jamstat/engine/aggregator.hpp"

namespace jamstat::cli {

/// Reads a whole state file (any size; "-" is standard input). Throws failure: io_error when it
/// cannot be read, bad_input when it is not a valid state (the message names the file).
aggregator read_state_file(const std::filesystem::path& path);

/// Reads a whole file into memory. Throws failure(io_error) naming the file.
std::string read_whole_file(const std::filesystem::path& path);

/// A file written under a temporary name beside its destination and renamed into place by
/// commit(), so that readers see the old file or the whole new one, never a part. Destroyed
/// without commit() (an error), the temporary file is removed. "-" writes to standard output.
class atomic_file {
 public:
  /// Creates the temporary file now, so that an unwritable destination is found before any work.
  /// Throws failure(io_error) naming the destination.
  explicit atomic_file(std::filesystem::path destination);
  ~atomic_file();
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;

  std::FILE* stream() const noexcept { return file_; }
  void write(std::span<const std::uint8_t> bytes);
  void write(const std::string& text);
  /// Flushes, syncs and renames into place. Throws failure(io_error).
  void commit();
  /// Removes the temporary file (nothing is written).
  void discard() noexcept;
  const std::filesystem::path& destination() const noexcept { return destination_; }
  const std::filesystem::path& temporary() const noexcept { return temporary_; }

 private:
  std::filesystem::path destination_, temporary_;
  std::FILE* file_ = nullptr;
  bool to_stdout_ = false;
};

/// Writes `state` (write_state) to `path` atomically.
void write_state_file(const aggregator& state, const std::filesystem::path& path);

/// What a state holds about persons, in a sentence for the command's messages: "pseudonymised
/// (keyed hashes of person ids: personal data for whoever holds the person key)", "person-free
/// (distinct persons frozen for 32 groupings; no person hashes)" or "participations only (no person
/// data)".
std::string describe_form(const aggregator& state);

/// Why states `a` and `b` (named `name_a`, `name_b` in the text) cannot be merged, in words: the
/// first difference of their schemas ("dimension 3 is 'education' in a.jst but 'utbildning' in
/// b.jst", "measure 'hours' has 2 decimals in a.jst but 1 in b.jst", "level code 4 of dimension
/// 'intervention' is only in b.jst"), or of their persons (counted or not, different keys).
/// Empty when they can be merged.
std::string merge_obstacle(const aggregator& a, const std::string& name_a, const aggregator& b, const std::string& name_b);

}  // namespace jamstat::cli
