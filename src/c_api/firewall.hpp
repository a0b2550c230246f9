// The C ABI's exception firewall and handle checks: every exported function runs its body
// through guarded(), so no C++ exception crosses the boundary and every failure becomes a status
// code plus a thread-local message.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>

#include "jamstat/jamstat.h"
#include "jamstat/jamstat.hpp"
#include "jamstat/io/state_format.hpp"

// Handles. Each begins with a magic tag so that a handle of the wrong type is recognised; the tag
// is overwritten when the handle is freed.
struct jamstat_schema_builder {
  std::uint32_t magic;
  std::vector<jamstat::dimension> dimensions;
  std::vector<jamstat::outcome> outcomes;
  std::vector<jamstat::numeric_measure> numerics;
};
struct jamstat_schema {
  std::uint32_t magic;
  std::shared_ptr<const jamstat::schema> schema;
};
struct jamstat_aggregator {
  std::uint32_t magic;
  jamstat::aggregator aggregator;
};
struct jamstat_table {
  std::uint32_t magic;
  std::shared_ptr<const jamstat::schema> schema;
  jamstat::rollup_table table;
};

namespace jamstat::c_api {

inline constexpr std::uint32_t builder_magic = 0x4A534231;     // "JSB1"
inline constexpr std::uint32_t schema_magic = 0x4A534331;      // "JSC1"
inline constexpr std::uint32_t aggregator_magic = 0x4A534131;  // "JSA1"
inline constexpr std::uint32_t table_magic = 0x4A535431;       // "JST1"
inline constexpr std::uint32_t freed_magic = 0xDEADF4EE;

/// An error raised inside the C layer itself, with the status it maps to.
class api_error : public std::runtime_error {
 public:
  api_error(jamstat_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  jamstat_status status() const noexcept { return status_; }

 private:
  jamstat_status status_;
};

/// Records the outcome of a call in the thread-local error state.
void set_error(jamstat_status status, const char* message, std::int64_t row = -1, std::int64_t field = -1) noexcept;
void clear_error_state() noexcept;

/// The last call's status on this thread. Trivially initialised, so checking it on the success path
/// costs no initialisation guard; the message and location are only touched after a failure.
inline thread_local jamstat_status last_status = JAMSTAT_OK;

inline void clear_error() noexcept {
  if (last_status != JAMSTAT_OK) clear_error_state();
}

/// Runs `body`, translating every exception into a status and message.
template <class Body>
jamstat_status guarded(Body&& body) noexcept {
  try {
    body();
    clear_error();
    return JAMSTAT_OK;
  } catch (const api_error& e) {
    set_error(e.status(), e.what());
    return e.status();
  } catch (const input_error& e) {
    set_error(JAMSTAT_ERROR_BAD_RECORD, e.what(), static_cast<std::int64_t>(e.row()), static_cast<std::int64_t>(e.field()));
    return JAMSTAT_ERROR_BAD_RECORD;
  } catch (const schema_error& e) {
    set_error(JAMSTAT_ERROR_INVALID_SCHEMA, e.what());
    return JAMSTAT_ERROR_INVALID_SCHEMA;
  } catch (const schema_mismatch_error& e) {
    set_error(JAMSTAT_ERROR_SCHEMA_MISMATCH, e.what());
    return JAMSTAT_ERROR_SCHEMA_MISMATCH;
  } catch (const usage_error& e) {
    set_error(JAMSTAT_ERROR_INVALID_ARGUMENT, e.what());
    return JAMSTAT_ERROR_INVALID_ARGUMENT;
  } catch (const state_format_error& e) {
    const jamstat_status s = e.problem() == state_format_problem::unsupported_version ? JAMSTAT_ERROR_STATE_VERSION
                                                                                      : JAMSTAT_ERROR_STATE_FORMAT;
    set_error(s, e.what());
    return s;
  } catch (const overflow_error& e) {
    set_error(JAMSTAT_ERROR_OVERFLOW, e.what());
    return JAMSTAT_ERROR_OVERFLOW;
  } catch (const std::bad_alloc&) {
    set_error(JAMSTAT_ERROR_OUT_OF_MEMORY, "out of memory");
    return JAMSTAT_ERROR_OUT_OF_MEMORY;
  } catch (const std::length_error&) {
    set_error(JAMSTAT_ERROR_OUT_OF_MEMORY, "out of memory (a size exceeded what can be allocated)");
    return JAMSTAT_ERROR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_error(JAMSTAT_ERROR_INTERNAL, (std::string("internal error: ") + e.what()).c_str());
    return JAMSTAT_ERROR_INTERNAL;
  } catch (...) {
    set_error(JAMSTAT_ERROR_INTERNAL, "internal error: unknown exception");
    return JAMSTAT_ERROR_INTERNAL;
  }
}

/// Throws NULL_ARGUMENT naming `what` when `p` is null.
template <class T>
T* require(T* p, const char* what) {
  if (!p) throw api_error(JAMSTAT_ERROR_NULL_ARGUMENT, std::string(what) + " is NULL");
  return p;
}

/// Checks that `h` is a live handle of the expected kind.
template <class Handle>
Handle* require_handle(Handle* h, std::uint32_t magic, const char* what, const char* type_name) {
  require(h, what);
  if (h->magic != magic)
    throw api_error(JAMSTAT_ERROR_WRONG_HANDLE, std::string(what) + " is not a live " + type_name +
                                                    (h->magic == freed_magic ? " (it was freed)" : " (wrong handle type)"));
  return h;
}

inline const jamstat_schema* check(const jamstat_schema* h, const char* what = "schema") {
  return require_handle(h, schema_magic, what, "jamstat_schema");
}
inline jamstat_schema_builder* check(jamstat_schema_builder* h, const char* what = "builder") {
  return require_handle(h, builder_magic, what, "jamstat_schema_builder");
}
inline const jamstat_schema_builder* check(const jamstat_schema_builder* h, const char* what = "builder") {
  return require_handle(h, builder_magic, what, "jamstat_schema_builder");
}
inline jamstat_aggregator* check(jamstat_aggregator* h, const char* what = "aggregator") {
  return require_handle(h, aggregator_magic, what, "jamstat_aggregator");
}
inline const jamstat_aggregator* check(const jamstat_aggregator* h, const char* what = "aggregator") {
  return require_handle(h, aggregator_magic, what, "jamstat_aggregator");
}
inline const jamstat_table* check(const jamstat_table* h, const char* what = "table") {
  return require_handle(h, table_magic, what, "jamstat_table");
}

/// Frees a handle if it is live, and nulls the caller's pointer. Never throws.
template <class Handle>
void free_handle(Handle** h, std::uint32_t magic) noexcept {
  if (!h || !*h) return;
  if ((*h)->magic == magic) {
    (*h)->magic = freed_magic;
    delete *h;
  }
  *h = nullptr;
}

/// Throws INVALID_ARGUMENT unless `index` < `count`.
inline void require_index(std::size_t index, std::size_t count, const char* what) {
  if (index >= count)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT,
                    std::string(what) + " " + std::to_string(index) + " is out of range (there are " + std::to_string(count) + ")");
}

/// Whether the caller's struct (struct_size bytes) has the field that ends at `field_end`.
inline bool has_field(std::uint32_t struct_size, std::size_t field_end) noexcept { return struct_size >= field_end; }

/// Checks a caller's struct_size against the size of the first released layout.
inline void require_struct_size(std::uint32_t size, std::size_t v1_size, const char* what, const char* init) {
  if (size < v1_size)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, std::string(what) + ".struct_size is " + std::to_string(size) +
                                                        "; expected at least " + std::to_string(v1_size) + " (initialise with " +
                                                        init + ")");
}

/// Converts C options (NULL = defaults) to C++ ones.
aggregator_options to_options(const jamstat_aggregator_options* options);

}  // namespace jamstat::c_api
