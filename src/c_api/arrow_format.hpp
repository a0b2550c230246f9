// Arrow C Data Interface format strings (internal): the physical layouts jamstat reads, parsed
// from the format strings of the specification's "Data type description" table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace jamstat::c_api::arrow {

/// The physical layouts jamstat reads (buffers as the Arrow columnar format lays them out).
enum class layout : std::uint8_t {
  null_type,     ///< "n": no buffers; every value is null
  boolean,       ///< "b": validity, bit-packed values
  integer,       ///< "c" "C" "s" "S" "i" "I" "l" "L": validity, values
  float32,       ///< "f"
  float64,       ///< "g"
  decimal,       ///< "d:P,S" (128 bits) or "d:P,S,N" (N = 32, 64, 128): validity, little-endian two's complement
  binary,        ///< "z", "u": validity, int32 offsets, data
  large_binary,  ///< "Z", "U": validity, int64 offsets, data
  binary_view,   ///< "vz", "vu": validity, 16-byte views, variadic data buffers, their int64 sizes
  fixed_binary,  ///< "w:N": validity, N bytes per value
};

/// A parsed format string.
struct data_type {
  layout kind = layout::null_type;
  bool is_signed = false;   ///< integer: signed
  unsigned bytes = 0;       ///< integer or decimal: bytes per value; fixed binary: its width
  bool text = false;        ///< utf8 flavours ("u", "U", "vu")
  std::int32_t precision = 0;
  std::int32_t scale = 0;   ///< decimal: value = unscaled * 10^-scale (may be negative)
};

/// Parses a format string; nullopt for a type jamstat does not read (a nested type, a temporal
/// type, float16, decimal256, a malformed string).
std::optional<data_type> parse_format(const char* format);

/// The type's name for messages: "int64", "utf8", "decimal128(12, 2)", "date32 (format 'tdD')".
std::string format_name(const char* format);

}  // namespace jamstat::c_api::arrow
