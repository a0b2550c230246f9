// Reference values for the analysis tests, looked up by the exact R or Python call that produced
// them (tests/reference/gap/r_reference.R and py_reference.py write the .inc files), and the
// comparison with a stated tolerance.
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace jamstat::analysis::testing {

struct reference_value {
  std::string_view call;
  double value;
};

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

inline const std::vector<reference_value>& r_values() {
  static const std::vector<reference_value> values = {
#include "reference/r_reference.inc"
  };
  return values;
}

inline const std::vector<reference_value>& py_values() {
  static const std::vector<reference_value> values = {
#include "reference/py_reference.inc"
  };
  return values;
}

/// The value R computed for `call` (the call text exactly as in r_reference.R's output).
inline double r(std::string_view call) {
  for (const reference_value& v : r_values()) if (v.call == call) return v.value;
  ADD_FAILURE() << "no R reference value for: " << call;
  return kNaN;
}

/// The value Python computed for `call`.
inline double py(std::string_view call) {
  for (const reference_value& v : py_values()) if (v.call == call) return v.value;
  ADD_FAILURE() << "no Python reference value for: " << call;
  return kNaN;
}

/// Every R call with the given prefix (the randomized inputs are listed as "random_...: <text>").
inline std::vector<std::string> r_inputs(std::string_view prefix) {
  std::vector<std::string> out;
  for (const reference_value& v : r_values()) {
    if (v.call.substr(0, prefix.size()) == prefix) out.emplace_back(v.call.substr(prefix.size()));
  }
  return out;
}

/// The numbers inside the first c(...) of an R expression.
inline std::vector<double> numbers_in(std::string_view text) {
  std::vector<double> out;
  const std::size_t open = text.find("c(");
  const std::size_t close = text.find(')', open);
  std::string inner(text.substr(open + 2, close - open - 2));
  std::size_t pos = 0;
  while (pos < inner.size()) {
    std::size_t used = 0;
    out.push_back(std::stod(inner.substr(pos), &used));
    pos += used;
    while (pos < inner.size() && (inner[pos] == ',' || inner[pos] == ' ')) ++pos;
  }
  return out;
}

/// |actual - expected| <= max(relative * |expected|, absolute); NaN matches NaN, inf matches inf.
inline ::testing::AssertionResult close(double actual, double expected, double relative, double absolute = 0.0) {
  if (std::isnan(expected) && std::isnan(actual)) return ::testing::AssertionSuccess();
  if (std::isinf(expected) && actual == expected) return ::testing::AssertionSuccess();
  const double tolerance = std::max(relative * std::fabs(expected), absolute);
  if (std::fabs(actual - expected) <= tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "actual " << actual << " vs expected " << expected << " (difference "
                                       << actual - expected << ", tolerance " << tolerance << ")";
}

/// Tolerances (docs/methods-gap.md, "Tolerances").
inline constexpr double closed_form = 1e-10;   ///< closed-form statistics against R / SciPy
inline constexpr double iterative = 1e-9;      ///< root finders, exact-test sums over many tables
inline constexpr double numerical = 1e-7;      ///< against numerical derivatives in the Python script

}  // namespace jamstat::analysis::testing
