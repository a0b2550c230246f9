#include "jamstat/io/personnummer.hpp"

namespace jamstat::io {

namespace {

bool is_digit(char c) { return static_cast<unsigned>(c - '0') < 10; }
int two_digits(const char* p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::nullopt_t fail(personnummer_problem* out, personnummer_problem p) {
  if (out) *out = p;
  return std::nullopt;
}

// Where a personnummer-shaped run starting at text[i] ends (one past), or 0 when there is none.
// Shapes: 8 or 6 date digits, an optional '-' or '+', 4 digits; not followed by a digit. The date
// part must be a month 01-12 and a day 01-31 or 61-91 (any year).
std::size_t shape_end(std::string_view text, std::size_t i) {
  for (const std::size_t date_digits : {std::size_t{8}, std::size_t{6}}) {
    std::size_t j = i, k = 0;
    while (k < date_digits && j < text.size() && is_digit(text[j])) ++j, ++k;
    if (k != date_digits) continue;
    if (j < text.size() && (text[j] == '-' || text[j] == '+')) ++j;
    std::size_t tail = 0;
    while (tail < 4 && j < text.size() && is_digit(text[j])) ++j, ++tail;
    if (tail != 4 || (j < text.size() && is_digit(text[j]))) continue;
    const char* d = text.data() + i + (date_digits - 4);  // MMDD
    const int month = two_digits(d), day = two_digits(d + 2);
    if (month < 1 || month > 12 || !((day >= 1 && day <= 31) || (day >= 61 && day <= 91))) continue;
    return j;
  }
  return 0;
}

}  // namespace

int luhn_check_digit(std::string_view nine_digits) noexcept {
  int sum = 0;
  for (std::size_t i = 0; i < 9 && i < nine_digits.size(); ++i) {
    int v = (nine_digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += v / 10 + v % 10;
  }
  return (10 - sum % 10) % 10;
}

std::optional<personnummer> personnummer::parse(std::string_view text, std::chrono::year_month_day reference,
                                                personnummer_problem* problem) noexcept {
  using namespace std::chrono;
  if (problem) *problem = personnummer_problem::none;
  text = trimmed(text);
  // The shape: 10 or 12 digits, and optionally '-' or '+' before the last four.
  char digits[12];
  std::size_t n = 0;
  char separator = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      if (n == 12) return fail(problem, personnummer_problem::format);
      digits[n++] = c;
    } else if ((c == '-' || c == '+') && separator == 0 && i + 5 == text.size()) {
      separator = c;
    } else {
      return fail(problem, personnummer_problem::format);
    }
  }
  if (n != 10 && n != 12) return fail(problem, personnummer_problem::format);
  const char* ten = digits + (n - 10);  // YYMMDDNNNC
  const int ref_year = static_cast<int>(reference.year());
  int year;
  if (n == 12) {
    year = two_digits(digits) * 100 + two_digits(digits + 2);
  } else {
    const int yy = two_digits(ten);
    year = ref_year - ((ref_year - yy) % 100 + 100) % 100;  // latest year <= ref_year ending in yy
    if (separator == '+') year -= 100;
  }
  const int month = two_digits(ten + 2);
  int day = two_digits(ten + 4);
  const bool samordning = day >= 61 && day <= 91;
  if (samordning) day -= 60;
  const year_month_day birth{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                             std::chrono::day(static_cast<unsigned>(day))};
  if (month < 1 || month > 12 || day < 1 || !birth.ok())
    return fail(problem, personnummer_problem::invalid_date);
  if (luhn_check_digit({ten, 9}) != ten[9] - '0') return fail(problem, personnummer_problem::check_digit);
  if (sys_days(birth) > sys_days(reference))
    return fail(problem, personnummer_problem::born_after_reference);
  if (n == 12 && separator == '+' && ref_year - year < 100)
    return fail(problem, personnummer_problem::plus_sign_mismatch);

  personnummer p;
  p.digits_[0] = static_cast<char>('0' + year / 1000);
  p.digits_[1] = static_cast<char>('0' + year / 100 % 10);
  for (std::size_t i = 0; i < 10; ++i) p.digits_[2 + i] = ten[i];
  p.birth_ = birth;
  p.samordning_ = samordning;
  return p;
}

int personnummer::age_at(std::chrono::year_month_day date) const noexcept {
  int age = static_cast<int>(date.year()) - static_cast<int>(birth_.year());
  const unsigned m = static_cast<unsigned>(date.month()), d = static_cast<unsigned>(date.day());
  const unsigned bm = static_cast<unsigned>(birth_.month()), bd = static_cast<unsigned>(birth_.day());
  if (m < bm || (m == bm && d < bd)) --age;  // birthday not yet reached (29 Feb: reached on 1 Mar)
  return age;
}

std::string_view to_string(personnummer_problem problem) noexcept {
  switch (problem) {
    case personnummer_problem::none: return "none";
    case personnummer_problem::format: return "format";
    case personnummer_problem::invalid_date: return "invalid_date";
    case personnummer_problem::check_digit: return "check_digit";
    case personnummer_problem::born_after_reference: return "born_after_reference";
    case personnummer_problem::plus_sign_mismatch: return "plus_sign_mismatch";
  }
  return "unknown";
}

std::string_view describe(personnummer_problem problem) noexcept {
  switch (problem) {
    case personnummer_problem::none: return "valid";
    case personnummer_problem::format:
      return "not of the form YYMMDD-NNNC or YYYYMMDDNNNC (10 or 12 digits, '-' or '+' before the last four)";
    case personnummer_problem::invalid_date: return "its date is not a calendar date";
    case personnummer_problem::check_digit: return "the check digit does not match";
    case personnummer_problem::born_after_reference: return "its birth date is after the reference date";
    case personnummer_problem::plus_sign_mismatch: return "'+' is only used from the year a person turns 100";
  }
  return "invalid";
}

std::string mask_personnummer(std::string_view text) {
  constexpr std::size_t shown = 20;
  std::string out;
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (characters == shown) {
      out += "\xE2\x80\xA6";  // …
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 1;
    if (c >= 0x80) {  // a whole UTF-8 sequence (or a stray byte) becomes one X
      len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
      if (i + len > text.size()) len = text.size() - i;
      out += 'X';
    } else if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      out += 'X';
    } else if (c < 0x20 || c == 0x7F) {
      out += ' ';
    } else {
      out += static_cast<char>(c);
    }
    i += len;
    ++characters;
  }
  return out;
}

bool contains_personnummer_shape(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size(); ++i)
    if (is_digit(text[i]) && (i == 0 || !is_digit(text[i - 1])) && shape_end(text, i) != 0) return true;
  return false;
}

std::string mask_personnummer_shapes(std::string_view text) {
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!is_digit(out[i]) || (i > 0 && is_digit(out[i - 1]))) continue;
    const std::size_t end = shape_end(out, i);
    if (end == 0) continue;
    for (std::size_t k = i; k < end; ++k)
      if (is_digit(out[k])) out[k] = 'X';
    i = end - 1;
  }
  return out;
}

}  // namespace jamstat::io
