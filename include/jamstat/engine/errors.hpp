// The exceptions the C++ layer throws. The C ABI turns each into a status code + message.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "jamstat/engine/rejection_reason.hpp"

namespace jamstat {

/// A schema definition is invalid (empty or duplicate name, bad code, bad UTF-8 ...).
class schema_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A schema's canonical encoding is malformed: `offset()` is the position of the bad byte within
/// the encoding (the state reader adds the encoding's own offset in the state).
class schema_encoding_error : public schema_error {
 public:
  schema_encoding_error(const std::string& message, std::size_t offset) : schema_error(message), offset_(offset) {}
  std::size_t offset() const noexcept { return offset_; }

 private:
  std::size_t offset_;
};

/// Two states built from different schemas (or person keys) were combined.
class schema_mismatch_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A call's arguments are inconsistent with the schema (wrong number of codes or columns,
/// an unknown dimension name in a grouping set, ...).
class usage_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A count or sum would exceed what its type holds (participations beyond 2^64 - 1, say). The
/// operation that found it leaves its target exactly as it was: counts never wrap.
class overflow_error : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

/// A record was rejected. Thrown only under bad_record_policy::reject; under ::tally the record
/// is counted in the rejected-records tally instead. `row` is the row within the batch (0 for a
/// single record), `field` the schema field index (see schema::field_name).
class input_error : public std::invalid_argument {
 public:
  input_error(const std::string& message, std::uint64_t row, std::size_t field, rejection_reason reason)
      : std::invalid_argument(message), row_(row), field_(field), reason_(reason) {}
  std::uint64_t row() const noexcept { return row_; }
  std::size_t field() const noexcept { return field_; }
  rejection_reason reason() const noexcept { return reason_; }

 private:
  std::uint64_t row_;
  std::size_t field_;
  rejection_reason reason_;
};

}  // namespace jamstat
