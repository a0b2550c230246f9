// Why a record was rejected. Values are part of the state format: append only, never renumber.
#pragma once

#include <cstdint>
#include <string_view>

namespace jamstat {

enum class rejection_reason : std::uint8_t {
  sex_missing = 0,         ///< sex given as the missing code (-1)
  sex_not_iso5218 = 1,     ///< sex code not one of 0, 1, 2, 9
  code_missing = 2,        ///< a dimension's code given as the missing code (-1)
  code_unknown = 3,        ///< a dimension's code is not one of its levels
  outcome_not_binary = 4,  ///< an outcome value other than 0 or 1
  measure_not_finite = 5,  ///< a numeric measure is NaN or +-infinity
  person_id_missing = 6,   ///< persons are counted but the record has no person id
  measure_off_resolution = 7,  ///< a decimal measure's value is not on its resolution grid
  measure_out_of_range = 8,    ///< a numeric measure's value is outside the measure's valid range
};
inline constexpr std::size_t rejection_reason_count = 9;

/// Stable snake_case name of a reason ("sex_not_iso5218"), used in reports and messages.
std::string_view to_string(rejection_reason reason) noexcept;

}  // namespace jamstat
