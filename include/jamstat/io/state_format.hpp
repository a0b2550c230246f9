// The binary state format: an aggregator's full state, self-describing, versioned, checksummed.
// Specification: docs/state-format.md.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "jamstat/engine/aggregator.hpp"

namespace jamstat {

/// The format version this build writes; it reads this one and version 1.
inline constexpr std::uint32_t state_format_version = 2;

/// What is wrong with bytes given to read_state.
enum class state_format_problem {
  truncated,        ///< shorter than its header says, or than a field needs
  not_a_state,      ///< wrong magic
  unsupported_version,
  checksum_mismatch,  ///< corrupted in storage or transit
  invalid_content,    ///< checksum fine but the content breaks the format's rules
};

/// Thrown by read_state. The message says what was found and where (byte offset).
class state_format_error : public std::runtime_error {
 public:
  state_format_error(state_format_problem problem, const std::string& message)
      : std::runtime_error(message), problem_(problem) {}
  state_format_problem problem() const noexcept { return problem_; }

 private:
  state_format_problem problem_;
};

/// Serializes the whole state: schema, person-key check, counts, cells, person hashes, the
/// rejected-records tally. Deterministic: equal states give equal bytes.
std::vector<std::uint8_t> write_state(const aggregator& a);

/// The number of bytes write_state produces for `a` now.
std::size_t state_size(const aggregator& a);

/// Serializes into the caller's buffer (no allocation for the bytes themselves; a nightly job can
/// reuse one buffer) and returns the bytes written. Throws usage_error when `out` is smaller than
/// state_size(a).
std::size_t write_state(const aggregator& a, std::span<std::uint8_t> out);

/// Reads a state written by write_state. `options` applies to what is added afterwards; give
/// `options.persons` (the same key) to add more records to a state that counts persons, or
/// leave it empty to merge and query only. Throws state_format_error for bad bytes (never reads
/// outside `bytes`), schema_mismatch_error when the given key is not the state's, and
/// usage_error when a key is given for a state that does not count persons.
aggregator read_state(std::span<const std::uint8_t> bytes, aggregator_options options = {});

}  // namespace jamstat
