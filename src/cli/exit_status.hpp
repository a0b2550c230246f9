// The jamstat command's exit statuses (docs/cli.md, "Exit status"), and the error that carries one.
#pragma once

#include <stdexcept>
#include <string>

namespace jamstat::cli {

/// What a run of `jamstat` ended with. The values are part of the command's interface: scripts
/// test them, so they are never renumbered.
enum class exit_status : int {
  ok = 0,
  /// Input rows were rejected: quarantined to the reject file (the outputs were written), or,
  /// under --strict, the first bad row stopped the run (nothing was written).
  rejected_rows = 1,
  /// The command line is wrong (unknown option, missing argument, bad value).
  usage = 2,
  /// The schema file is invalid, its person key cannot be used, or states to be combined have
  /// different schemas or person keys.
  bad_schema = 3,
  /// An input file cannot be read as what it should be: a CSV file whose layout or header does
  /// not fit the schema file (UTF-16, an ambiguous separator, columns missing), a state file that
  /// is not a valid state (truncated, corrupted, an unsupported version).
  bad_input = 4,
  /// A file or folder cannot be opened, read or written.
  io_error = 5,
  /// A bug in jamstat (an unexpected exception): please report it with the message.
  internal = 10,
};

constexpr int code(exit_status s) noexcept { return static_cast<int>(s); }

/// An error with the exit status it ends the command with; what() is the message printed after
/// "jamstat <command>: ".
class failure : public std::runtime_error {
 public:
  failure(exit_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  exit_status status() const noexcept { return status_; }

 private:
  exit_status status_;
};

}  // namespace jamstat::cli
