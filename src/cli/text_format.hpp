// Numbers and sizes in the command's messages (English, as every message of the tool).
#pragma once

#include <cstdint>
#include <string>

namespace jamstat::cli {

/// 1234567 -> "1,234,567".
std::string format_count(std::uint64_t n);
/// 3100000.0 -> "3.1 M"; below 10,000 the whole number.
std::string format_rate(double per_second);
/// 309000000 -> "294.7 MiB"; 512 -> "512 bytes".
std::string format_bytes(std::uint64_t bytes);
/// "row" or "rows".
inline const char* rows_word(std::uint64_t n) { return n == 1 ? "row" : "rows"; }

}  // namespace jamstat::cli
