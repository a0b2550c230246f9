// Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer):
// validation, sex and age, the canonical form that is hashed as the person id, and masking.
// The number itself is never stored or written anywhere by jamstat (docs/schema-file.md).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jamstat::io {

/// Why a text is not a valid personnummer or samordningsnummer.
enum class personnummer_problem : std::uint8_t {
  none = 0,
  format,                ///< not 10 or 12 digits with an optional '-' or '+' before the last four
  invalid_date,          ///< no such date (the day less 60 for a samordningsnummer)
  check_digit,           ///< the Luhn check digit does not match
  born_after_reference,  ///< the birth date is after the reference date
  plus_sign_mismatch,    ///< a 12-digit number with '+' for someone under 100 at the reference date
};

/// Stable name of a problem ("check_digit").
std::string_view to_string(personnummer_problem problem) noexcept;
/// An English phrase for messages ("the check digit does not match").
std::string_view describe(personnummer_problem problem) noexcept;

/// A valid personnummer or samordningsnummer.
///
/// Accepted forms (surrounding spaces ignored): YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC,
/// YYYYMMDD-NNNC and YYYYMMDDNNNC (and YYYYMMDD+NNNC for someone 100 or older). C is the Luhn
/// check digit over the ten digits YYMMDDNNN. A samordningsnummer has 60 added to the day.
///
/// The century of a 10-digit form comes from the reference date, as Skatteverket writes the
/// numbers (folkbokföringslagen 18 §: the separator becomes '+' from the year the person turns
/// 100): with '-' (or none) the birth year is the latest year not after the reference year that
/// ends in YY; with '+' it is a hundred years earlier.
class personnummer {
 public:
  /// Parses `text`, resolving the century of 10-digit forms against `reference`. Returns
  /// nullopt and sets `*problem` (when given) for anything else; never throws.
  static std::optional<personnummer> parse(std::string_view text, std::chrono::year_month_day reference,
                                           personnummer_problem* problem = nullptr) noexcept;

  /// The canonical form YYYYMMDDNNNC: 12 ASCII digits (a samordningsnummer keeps its day + 60).
  /// "811218-9876" and "198112189876" have the same canonical form: this is what jamstat hashes
  /// as the person id (the 12 bytes, with the aggregator's person key).
  std::string_view canonical() const noexcept { return {digits_.data(), digits_.size()}; }
  /// The birth date (the real day for a samordningsnummer).
  std::chrono::year_month_day birth_date() const noexcept { return birth_; }
  bool is_samordningsnummer() const noexcept { return samordning_; }
  /// Legal sex per ISO/IEC 5218 from the second-to-last digit: odd 1 (man), even 2 (woman).
  std::int32_t sex() const noexcept { return (digits_[10] - '0') % 2 == 1 ? 1 : 2; }
  /// Age in completed years at `date` (negative when `date` is before the birth date). Someone
  /// born on 29 February turns a year older on 1 March in years without that day.
  int age_at(std::chrono::year_month_day date) const noexcept;

  friend bool operator==(const personnummer& a, const personnummer& b) noexcept { return a.digits_ == b.digits_; }

 private:
  personnummer() = default;
  std::array<char, 12> digits_{};
  std::chrono::year_month_day birth_{};
  bool samordning_ = false;
};

/// The Luhn check digit of nine digits YYMMDDNNN (weights 2, 1, 2, ... from the left; digits of
/// products summed), as Skatteverket computes it. `nine_digits` must be 9 ASCII digits.
int luhn_check_digit(std::string_view nine_digits) noexcept;

/// A text made safe to show in place of a personnummer: every letter and digit becomes 'X',
/// separators stay, at most 20 characters ("811218-9876" -> "XXXXXX-XXXX"). It tells the shape of
/// a malformed number without any of its digits; file and line locate the row.
std::string mask_personnummer(std::string_view text);

/// True when `text` contains something shaped like a personnummer: 10 or 12 digits in a row
/// (optionally a '-' or '+' before the last four) whose date part is a calendar date or a
/// samordningsnummer date, not preceded or followed by another digit. Used to mask such numbers
/// wherever they appear (reject files, messages), check digit valid or not.
bool contains_personnummer_shape(std::string_view text) noexcept;

/// `text` with every personnummer-shaped run (see contains_personnummer_shape) masked.
std::string mask_personnummer_shapes(std::string_view text);

}  // namespace jamstat::io
