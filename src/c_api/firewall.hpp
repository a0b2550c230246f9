// The C ABI's exception firewall and handle checks: every exported function runs its body
// through guarded(), so no C++ exception crosses the boundary and every failure becomes a status
// code plus a thread-local message.
#pragma once

#include <cstddef>
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
  std::vector<std::string> cross_products;  // names; checked by jamstat::schema at build
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
  // The caller's order of the grouped dimensions (schema indices), and for each its position in
  // the table's canonical (schema) order.
  std::vector<std::size_t> order;
  std::vector<std::size_t> position;
  // Column-wise exports, built on first request per flags value (see table_api.cpp).
  struct exported;
  std::vector<std::shared_ptr<exported>> exports;
};
struct jamstat_cube {
  std::uint32_t magic;
  std::shared_ptr<const jamstat::schema> schema;
  std::shared_ptr<const std::vector<jamstat::rollup_table>> tables;  // indexed by mask
};

namespace jamstat::c_api {

inline constexpr std::uint32_t builder_magic = 0x4A534231;     // "JSB1"
inline constexpr std::uint32_t schema_magic = 0x4A534331;      // "JSC1"
inline constexpr std::uint32_t aggregator_magic = 0x4A534131;  // "JSA1"
inline constexpr std::uint32_t table_magic = 0x4A535431;       // "JST1"
inline constexpr std::uint32_t cube_magic = 0x4A535531;        // "JSU1"
inline constexpr std::uint32_t freed_magic = 0xDEADF4EE;

/// An error raised inside the C layer itself, with the status it maps to.
class api_error : public std::runtime_error {
 public:
  api_error(jamstat_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  jamstat_status status() const noexcept { return status_; }

 private:
  jamstat_status status_;
};

/// Records the outcome of a call in the thread-local error state (the message made valid UTF-8
/// and at most 4 KiB).
void set_error(jamstat_status status, const char* message, std::int64_t row = -1, std::int64_t field = -1,
               std::int32_t reason = -1) noexcept;
void clear_error_state() noexcept;

/// The last call's status on this thread. Trivially initialised, so checking it on the success path
/// costs no initialisation guard; the message and location are only touched after a failure.
// Initial-exec: read without a call to __tls_get_addr on every successful call (4 bytes of the
// static TLS surplus glibc keeps for libraries loaded later, as by JNA, ctypes or .NET).
inline thread_local jamstat_status last_status [[gnu::tls_model("initial-exec")]] = JAMSTAT_OK;

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
    set_error(JAMSTAT_ERROR_BAD_RECORD, e.what(), static_cast<std::int64_t>(e.row()), static_cast<std::int64_t>(e.field()),
              static_cast<std::int32_t>(e.reason()));
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

/// Throws NULL_ARGUMENT naming `what` (out of line: the hot calls only test the pointer).
[[noreturn, gnu::cold]] void throw_null_argument(const char* what);
/// Throws WRONG_HANDLE for a handle whose tag is `magic_seen`.
[[noreturn, gnu::cold]] void throw_wrong_handle(std::uint32_t magic_seen, const char* what, const char* type_name);

/// Throws NULL_ARGUMENT naming `what` when `p` is null.
template <class T>
inline T* require(T* p, const char* what) {
  if (!p) [[unlikely]]
    throw_null_argument(what);
  return p;
}

/// Checks that `h` is a live handle of the expected kind.
template <class Handle>
inline Handle* require_handle(Handle* h, std::uint32_t magic, const char* what, const char* type_name) {
  if (!h) [[unlikely]]
    throw_null_argument(what);
  if (h->magic != magic) [[unlikely]]
    throw_wrong_handle(h->magic, what, type_name);
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
inline const jamstat_cube* check(const jamstat_cube* h, const char* what = "cube") {
  return require_handle(h, cube_magic, what, "jamstat_cube");
}

/// Frees a handle if it is live and of this type, and nulls the caller's pointer. A live handle of
/// another type is left alone (not freed, *h unchanged) and reported as WRONG_HANDLE in the last
/// error. Never throws.
template <class Handle>
void free_handle(Handle** h, std::uint32_t magic, const char* type_name) noexcept {
  if (!h || !*h) {
    clear_error();
    return;
  }
  if ((*h)->magic != magic) {
    const bool freed = (*h)->magic == freed_magic;
    set_error(JAMSTAT_ERROR_WRONG_HANDLE, (std::string("the handle given to ") + type_name + "_free is not a live " +
                                           type_name + (freed ? " (it was freed)" : " (wrong handle type); nothing was freed"))
                                              .c_str());
    if (freed) *h = nullptr;
    return;
  }
  (*h)->magic = freed_magic;
  delete *h;
  *h = nullptr;
  clear_error();
}

/// Throws INVALID_ARGUMENT unless `index` < `count`.
inline void require_index(std::size_t index, std::size_t count, const char* what) {
  if (index >= count)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT,
                    std::string(what) + " " + std::to_string(index) + " is out of range (there are " + std::to_string(count) + ")");
}

/// Whether the caller's struct (struct_size bytes) has the field that ends at `field_end`.
inline bool has_field(std::uint32_t struct_size, std::size_t field_end) noexcept { return struct_size >= field_end; }

/// Checks a caller's struct_size against the end of the first released layout's last field (C tail
/// padding is not required).
inline void require_struct_size(std::uint32_t size, std::size_t v1_size, const char* what, const char* init) {
  if (size < v1_size)
    throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, std::string(what) + ".struct_size is " + std::to_string(size) +
                                                        "; expected at least " + std::to_string(v1_size) + " (initialise with " +
                                                        init + ")");
}

/// An input struct: struct_size at least the first release's end, and any bytes beyond what this
/// library knows (`known`) all zero, so that an option of a newer binding is never silently ignored.
inline void require_input_struct(const void* p, std::uint32_t size, std::size_t v1_size, std::size_t known, const char* what,
                                 const char* init) {
  require_struct_size(size, v1_size, what, init);
  const auto* bytes = static_cast<const unsigned char*>(p);
  for (std::size_t i = known; i < size; ++i)
    if (bytes[i] != 0)
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT,
                      std::string(what) + ".struct_size is " + std::to_string(size) + ", beyond the " + std::to_string(known) +
                          " bytes this library (" JAMSTAT_VERSION_STRING ") knows, and byte " + std::to_string(i) +
                          " of that tail is not zero: a newer option would be ignored (upgrade libjamstat)");
}

/// The end of a struct's field: offsetof + sizeof.
#define JAMSTAT_FIELD_END(type, field) (offsetof(type, field) + sizeof(((type*)nullptr)->field))

/// Converts C options (NULL = defaults) to C++ ones.
aggregator_options to_options(const jamstat_aggregator_options* options);

}  // namespace jamstat::c_api
