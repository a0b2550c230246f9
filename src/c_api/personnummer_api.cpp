// The personnummer parser and masking of the CSV ingest (jamstat/io/personnummer.hpp), for
// integrators who take person ids from their own case systems.
#include <chrono>
#include <cstring>
#include <string>
#include <string_view>

#include "firewall.hpp"
#include "jamstat/io/personnummer.hpp"

using namespace jamstat;
using namespace jamstat::c_api;

namespace {

std::string_view text_of(const char* text, std::size_t length) {
  if (length == 0) return {};
  return {require(text, "text"), length};
}

// The C constants are the C++ enum's values; checked here so that neither drifts.
static_assert(JAMSTAT_PERSONNUMMER_VALID == static_cast<int>(io::personnummer_problem::none));
static_assert(JAMSTAT_PERSONNUMMER_FORMAT == static_cast<int>(io::personnummer_problem::format));
static_assert(JAMSTAT_PERSONNUMMER_INVALID_DATE == static_cast<int>(io::personnummer_problem::invalid_date));
static_assert(JAMSTAT_PERSONNUMMER_CHECK_DIGIT == static_cast<int>(io::personnummer_problem::check_digit));
static_assert(JAMSTAT_PERSONNUMMER_BORN_AFTER_REFERENCE == static_cast<int>(io::personnummer_problem::born_after_reference));
static_assert(JAMSTAT_PERSONNUMMER_PLUS_SIGN_MISMATCH == static_cast<int>(io::personnummer_problem::plus_sign_mismatch));

bool known_problem(std::int32_t problem) noexcept {
  return problem >= JAMSTAT_PERSONNUMMER_VALID && problem <= JAMSTAT_PERSONNUMMER_PLUS_SIGN_MISMATCH;
}

}  // namespace

extern "C" {

jamstat_status jamstat_personnummer_parse(const char* text, size_t length, int32_t reference_year, int32_t reference_month,
                                          int32_t reference_day, jamstat_personnummer* out) {
  return guarded([&] {
    require(out, "out");
    require_struct_size(out->struct_size, JAMSTAT_FIELD_END(jamstat_personnummer, samordningsnummer), "out",
                        "JAMSTAT_PERSONNUMMER_INIT");
    const std::string_view number = text_of(text, length);
    const bool in_range = reference_year >= 1900 && reference_year <= 9999 && reference_month >= 1 && reference_month <= 12 &&
                          reference_day >= 1 && reference_day <= 31;
    const std::chrono::year_month_day reference =
        in_range ? std::chrono::year_month_day{std::chrono::year{reference_year}, std::chrono::month{static_cast<unsigned>(reference_month)},
                                               std::chrono::day{static_cast<unsigned>(reference_day)}}
                 : std::chrono::year_month_day{};
    if (!in_range || !reference.ok())
      throw api_error(JAMSTAT_ERROR_INVALID_ARGUMENT, "the reference date " + std::to_string(reference_year) + "-" +
                                                          std::to_string(reference_month) + "-" + std::to_string(reference_day) +
                                                          " is not a calendar date in the years 1900 to 9999");
    io::personnummer_problem problem = io::personnummer_problem::none;
    const auto parsed = io::personnummer::parse(number, reference, &problem);
    jamstat_personnummer result{};
    result.struct_size = out->struct_size;
    result.problem = static_cast<std::int32_t>(problem);
    if (parsed) {
      const std::string_view canonical = parsed->canonical();
      std::memcpy(result.canonical, canonical.data(), canonical.size());
      const std::chrono::year_month_day birth = parsed->birth_date();
      result.birth_year = static_cast<int>(birth.year());
      result.birth_month = static_cast<std::int32_t>(static_cast<unsigned>(birth.month()));
      result.birth_day = static_cast<std::int32_t>(static_cast<unsigned>(birth.day()));
      result.sex = parsed->sex();
      result.age = parsed->age_at(reference);
      result.samordningsnummer = parsed->is_samordningsnummer() ? 1 : 0;
    }
    // The first released layout is the whole struct: copy what the caller's struct holds.
    std::memcpy(out, &result, std::min<std::size_t>(out->struct_size, sizeof result));
  });
}

const char* jamstat_personnummer_problem_name(int32_t problem) {
  if (problem == JAMSTAT_PERSONNUMMER_VALID) return "valid";
  if (!known_problem(problem)) return "unknown";
  return io::to_string(static_cast<io::personnummer_problem>(problem)).data();  // static, NUL-terminated literals
}

const char* jamstat_personnummer_problem_message(int32_t problem) {
  if (problem == JAMSTAT_PERSONNUMMER_VALID || !known_problem(problem)) return "";
  return io::describe(static_cast<io::personnummer_problem>(problem)).data();
}

jamstat_status jamstat_mask_personnummer(const char* text, size_t length, char* buffer, size_t capacity, size_t* needed) {
  return guarded([&] {
    require(needed, "needed");
    const std::string masked = io::mask_personnummer_shapes(text_of(text, length));
    if (capacity < masked.size() + 1) {
      *needed = masked.size() + 1;
      throw api_error(JAMSTAT_ERROR_BUFFER_TOO_SMALL, "buffer: capacity " + std::to_string(capacity) + " is too small; " +
                                                          std::to_string(masked.size() + 1) + " bytes are needed");
    }
    require(buffer, "buffer");
    std::memcpy(buffer, masked.c_str(), masked.size() + 1);
    *needed = masked.size() + 1;
  });
}

}  // extern "C"
