// Text from callers, made safe to put in an error message (internal): valid UTF-8 whatever the
// input (invalid bytes shown as \xNN), and short (a megabyte name is not echoed in full).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jamstat::detail {

/// `text` as valid UTF-8 with invalid bytes escaped as \xNN, cut at `limit` bytes (at a character
/// boundary) with "… (N bytes)" appended when longer.
std::string text_for_message(std::string_view text, std::size_t limit = 120);

/// A whole message made valid UTF-8 (invalid bytes escaped) and at most `limit` bytes long.
std::string safe_message(std::string_view message, std::size_t limit = 4096);

}  // namespace jamstat::detail
