// Well-formed UTF-8 (internal): the one decoder the schema's label checks, the error messages and
// the CSV reader's encoding detection share.
#pragma once

#include <cstddef>
#include <string_view>

namespace jamstat::detail {

/// Length (1-4) of the well-formed UTF-8 sequence starting at s[i] (i < s.size()), or 0 when it
/// is not one: a stray continuation byte, a bad continuation, an overlong form, a surrogate, a
/// code point above U+10FFFF (RFC 3629, section 4), or a sequence cut short by the end of `s`. In
/// the last case, when `truncated` is given, *truncated is set to the bytes present (a prefix that
/// may complete in the next block of a stream); otherwise it is set to 0.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i, std::size_t* truncated = nullptr) noexcept;

// (jamstat::is_valid_utf8, schema.hpp, checks a whole text with it.)

}  // namespace jamstat::detail
