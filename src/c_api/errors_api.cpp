// Versions, status names and the thread-local last error.
#include <string>

#include "firewall.hpp"
#include "../engine/message_text.hpp"

namespace jamstat::c_api {

namespace {

struct error_state {
  jamstat_status status = JAMSTAT_OK;
  std::int64_t row = -1;
  std::int64_t field = -1;
  std::int32_t reason = -1;
  std::string message;
};

error_state& last_error() noexcept {
  thread_local error_state state;
  return state;
}

}  // namespace

void throw_null_argument(const char* what) { throw api_error(JAMSTAT_ERROR_NULL_ARGUMENT, std::string(what) + " is NULL"); }

void throw_wrong_handle(std::uint32_t magic_seen, const char* what, const char* type_name) {
  throw api_error(JAMSTAT_ERROR_WRONG_HANDLE, std::string(what) + " is not a live " + type_name +
                                                  (magic_seen == freed_magic ? " (it was freed)" : " (wrong handle type)"));
}

void set_error(jamstat_status status, const char* message, std::int64_t row, std::int64_t field, std::int32_t reason) noexcept {
  error_state& e = last_error();
  last_status = status;
  e.status = status;
  e.row = row;
  e.field = field;
  e.reason = reason;
  try {
    // Valid UTF-8 whatever the caller's bytes in it, and never huge.
    e.message = detail::safe_message(message ? message : "");
  } catch (...) {
    e.message.clear();  // out of memory while reporting: the status still says what happened
  }
}

void clear_error_state() noexcept {
  error_state& e = last_error();
  last_status = JAMSTAT_OK;
  e.status = JAMSTAT_OK;
  e.row = -1;
  e.field = -1;
  e.reason = -1;
  e.message.clear();
}

aggregator_options to_options(const jamstat_aggregator_options* options) {
  aggregator_options out;
  if (!options) return out;
  require_input_struct(options, options->struct_size, JAMSTAT_FIELD_END(jamstat_aggregator_options, person_key),
                       sizeof(jamstat_aggregator_options), "options", "JAMSTAT_AGGREGATOR_OPTIONS_INIT");
  if (options->on_bad_record > JAMSTAT_TALLY)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "options.on_bad_record is " + std::to_string(options->on_bad_record) +
                                                        "; expected JAMSTAT_REJECT (0) or JAMSTAT_TALLY (1)");
  out.on_bad_record = options->on_bad_record == JAMSTAT_TALLY ? bad_record_policy::tally : bad_record_policy::reject;
  if (options->count_persons) out.persons = person_key::from_bytes(options->person_key);
  return out;
}

}  // namespace jamstat::c_api

using namespace jamstat::c_api;

extern "C" {

uint32_t jamstat_version_number(void) { return JAMSTAT_VERSION_NUMBER; }
const char* jamstat_version_string(void) { return JAMSTAT_VERSION_STRING; }
uint32_t jamstat_abi_version(void) { return JAMSTAT_ABI_VERSION; }

const char* jamstat_status_name(int32_t status) {
  switch (status) {
    case JAMSTAT_OK: return "JAMSTAT_OK";
    case JAMSTAT_ERROR_NULL_ARGUMENT: return "JAMSTAT_ERROR_NULL_ARGUMENT";
    case JAMSTAT_ERROR_INVALID_ARGUMENT: return "JAMSTAT_ERROR_INVALID_ARGUMENT";
    case JAMSTAT_ERROR_WRONG_HANDLE: return "JAMSTAT_ERROR_WRONG_HANDLE";
    case JAMSTAT_ERROR_INVALID_SCHEMA: return "JAMSTAT_ERROR_INVALID_SCHEMA";
    case JAMSTAT_ERROR_BAD_RECORD: return "JAMSTAT_ERROR_BAD_RECORD";
    case JAMSTAT_ERROR_SCHEMA_MISMATCH: return "JAMSTAT_ERROR_SCHEMA_MISMATCH";
    case JAMSTAT_ERROR_OUT_OF_MEMORY: return "JAMSTAT_ERROR_OUT_OF_MEMORY";
    case JAMSTAT_ERROR_BUFFER_TOO_SMALL: return "JAMSTAT_ERROR_BUFFER_TOO_SMALL";
    case JAMSTAT_ERROR_STATE_FORMAT: return "JAMSTAT_ERROR_STATE_FORMAT";
    case JAMSTAT_ERROR_STATE_VERSION: return "JAMSTAT_ERROR_STATE_VERSION";
    case JAMSTAT_ERROR_NOT_AVAILABLE: return "JAMSTAT_ERROR_NOT_AVAILABLE";
    case JAMSTAT_ERROR_INTERNAL: return "JAMSTAT_ERROR_INTERNAL";
    case JAMSTAT_ERROR_OVERFLOW: return "JAMSTAT_ERROR_OVERFLOW";
  }
  return "JAMSTAT_UNKNOWN_STATUS";
}

const char* jamstat_status_message(int32_t status) {
  switch (status) {
    case JAMSTAT_OK: return "success";
    case JAMSTAT_ERROR_NULL_ARGUMENT: return "a required pointer argument is NULL";
    case JAMSTAT_ERROR_INVALID_ARGUMENT: return "an argument is out of range or inconsistent with the others";
    case JAMSTAT_ERROR_WRONG_HANDLE: return "a handle of another type, or one that was freed, was given";
    case JAMSTAT_ERROR_INVALID_SCHEMA: return "the schema definition is invalid (a name, code, label, range or resolution)";
    case JAMSTAT_ERROR_BAD_RECORD: return "a record was rejected: see the row, field and reason of the last error";
    case JAMSTAT_ERROR_SCHEMA_MISMATCH: return "the states or aggregators have different schemas or person keys";
    case JAMSTAT_ERROR_OUT_OF_MEMORY: return "out of memory";
    case JAMSTAT_ERROR_BUFFER_TOO_SMALL: return "the buffer is too small; the size needed was returned";
    case JAMSTAT_ERROR_STATE_FORMAT: return "the state bytes are truncated, corrupted or not a jamstat state";
    case JAMSTAT_ERROR_STATE_VERSION: return "the state was written in a format version this library cannot read";
    case JAMSTAT_ERROR_NOT_AVAILABLE: return "the statistic is not kept by this state (e.g. persons not counted)";
    case JAMSTAT_ERROR_INTERNAL: return "an internal error in jamstat: please report the message";
    case JAMSTAT_ERROR_OVERFLOW: return "a count would exceed 2^64 - 1; nothing was changed";
  }
  return "an unknown status (a newer jamstat than this library?)";
}

int32_t jamstat_last_error_reason(void) { return last_status == JAMSTAT_OK ? -1 : last_error().reason; }

const char* jamstat_total_label(int32_t language) {
  if (language == JAMSTAT_SWEDISH) return "Totalt";
  if (language == JAMSTAT_ENGLISH) return "Total";
  return "";
}

const char* jamstat_last_error_message(void) { return last_status == JAMSTAT_OK ? "" : last_error().message.c_str(); }
jamstat_status jamstat_last_error_status(void) { return last_status; }
int64_t jamstat_last_error_row(void) { return last_status == JAMSTAT_OK ? -1 : last_error().row; }
int64_t jamstat_last_error_field(void) { return last_status == JAMSTAT_OK ? -1 : last_error().field; }

const char* jamstat_rejection_reason_name(int32_t reason) {
  if (reason < 0 || static_cast<std::size_t>(reason) >= jamstat::rejection_reason_count) return "";
  return jamstat::to_string(static_cast<jamstat::rejection_reason>(reason)).data();
}

}  // extern "C"
