#include "jamstat/io/input_errors.hpp"

namespace jamstat::io {

std::string_view to_string(row_problem problem) noexcept {
  switch (problem) {
    case row_problem::column_count: return "column_count";
    case row_problem::unterminated_quote: return "unterminated_quote";
    case row_problem::text_after_quote: return "text_after_quote";
    case row_problem::record_too_long: return "record_too_long";
    case row_problem::missing_value: return "missing_value";
    case row_problem::unknown_value: return "unknown_value";
    case row_problem::not_a_number: return "not_a_number";
    case row_problem::off_grid: return "off_grid";
    case row_problem::out_of_range: return "out_of_range";
    case row_problem::no_band: return "no_band";
    case row_problem::invalid_personnummer: return "invalid_personnummer";
    case row_problem::invalid_text: return "invalid_text";
    case row_problem::engine_rejected: return "engine_rejected";
  }
  return "unknown";
}

}  // namespace jamstat::io
