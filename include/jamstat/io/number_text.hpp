// Numbers written as text in CSV files: exact decimal parsing into grid units, doubles, integers.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "jamstat/io/csv_dialect.hpp"

namespace jamstat::io {

/// Why a text is not a number.
enum class number_problem : std::uint8_t {
  none = 0,
  empty,          ///< no characters
  not_a_number,   ///< not of the form [sign] digits [mark digits] [e[sign]digits]
  bad_grouping,   ///< a thousands separator not followed by a group of exactly three digits
  too_large,      ///< beyond what the target holds (grid units beyond ±10^18; a double overflow)
};

/// A decimal text read exactly on a grid of resolution 10^-decimals.
struct grid_number {
  /// The value in grid units, rounded to the nearest grid point (ties to even) when off_grid.
  std::int64_t units = 0;
  /// The text has non-zero digits beyond the grid ("0,295" at two decimals); "0,290" is on it.
  bool off_grid = false;
  number_problem problem = number_problem::none;
};

/// Reads `text` (no surrounding spaces) exactly as grid units of 10^-decimals: "265,54" with
/// decimal mark ',' gives 26554 at two decimals, with no double involved. Accepted: an optional
/// sign ('+', '-' or U+2212 minus), digits with the format's thousands separators between
/// groups of three, the decimal mark and more digits, and an exponent ("2.6554E2"). At least
/// one digit. `decimals` at most 18.
grid_number parse_grid_units(std::string_view text, unsigned decimals, const number_format& format) noexcept;

/// A text read as a double.
struct floating_number {
  double value = 0;
  number_problem problem = number_problem::none;
};

/// Reads `text` as the nearest double (std::from_chars after removing thousands separators and
/// turning the decimal mark into '.'); the same syntax as parse_grid_units. "inf", "nan" and
/// hexadecimal floats are not numbers here.
floating_number parse_floating(std::string_view text, const number_format& format) noexcept;

/// Reads a whole number written as digits with an optional sign and nothing else (codes,
/// ages): nullopt when it is not one or does not fit 64 bits.
std::optional<std::int64_t> parse_integer(std::string_view text) noexcept;

/// Reads a non-negative whole number of digits only (integer person ids): nullopt when it is
/// not one or exceeds 2^64 - 1.
std::optional<std::uint64_t> parse_unsigned(std::string_view text) noexcept;

/// Stable name of a problem ("not_a_number").
std::string_view to_string(number_problem problem) noexcept;

}  // namespace jamstat::io
