// Versions, status names and the thread-local last error.
#include <string>

#include "firewall.hpp"

namespace jamstat::c_api {

namespace {

struct error_state {
  jamstat_status status = JAMSTAT_OK;
  std::int64_t row = -1;
  std::int64_t field = -1;
  std::string message;
};

error_state& last_error() noexcept {
  thread_local error_state state;
  return state;
}

}  // namespace

void set_error(jamstat_status status, const char* message, std::int64_t row, std::int64_t field) noexcept {
  error_state& e = last_error();
  last_status = status;
  e.status = status;
  e.row = row;
  e.field = field;
  try {
    e.message = message;
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
  e.message.clear();
}

aggregator_options to_options(const jamstat_aggregator_options* options) {
  aggregator_options out;
  if (!options) return out;
  require_struct_size(options->struct_size, sizeof(jamstat_aggregator_options), "options", "JAMSTAT_AGGREGATOR_OPTIONS_INIT");
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

const char* jamstat_last_error_message(void) { return last_status == JAMSTAT_OK ? "" : last_error().message.c_str(); }
jamstat_status jamstat_last_error_status(void) { return last_status; }
int64_t jamstat_last_error_row(void) { return last_status == JAMSTAT_OK ? -1 : last_error().row; }
int64_t jamstat_last_error_field(void) { return last_status == JAMSTAT_OK ? -1 : last_error().field; }

const char* jamstat_rejection_reason_name(int32_t reason) {
  if (reason < 0 || static_cast<std::size_t>(reason) >= jamstat::rejection_reason_count) return "";
  return jamstat::to_string(static_cast<jamstat::rejection_reason>(reason)).data();
}

}  // extern "C"
