// Number formats of the reports: Swedish and English conventions, exact numbers for files.
#include "jamstat/report/number_format.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace jamstat::report {
namespace {

const std::string nb = "\u00A0";
const std::string minus = "\u2212";

TEST(NumberFormat, SwedishUsesDecimalCommaAndNonBreakingSpaces) {
  EXPECT_EQ(format_number(1234567.891, 1, language::sv), "1" + nb + "234" + nb + "567,9");
  EXPECT_EQ(format_number(999.95, 1, language::sv), "1" + nb + "000,0");  // rounding carries into the thousands
  EXPECT_EQ(format_number(-3.25, 1, language::sv), minus + "3,2");        // %.1f rounds the binary value 3.25 to even
  EXPECT_EQ(format_number(3.2, 1, language::sv, true), "+3,2");
  EXPECT_EQ(format_number(-0.04, 1, language::sv, true), "0,0");  // rounds to zero: no sign
  EXPECT_EQ(format_percent(45.87, 1, language::sv), "45,9" + nb + "%");
  EXPECT_EQ(format_count(12345, language::sv), "12" + nb + "345");
  EXPECT_EQ(format_count(999, language::sv), "999");
}

TEST(NumberFormat, EnglishUsesDecimalPointAndCommas) {
  EXPECT_EQ(format_number(1234567.891, 2, language::en), "1,234,567.89");
  EXPECT_EQ(format_percent(45.87, 1, language::en), "45.9%");
  EXPECT_EQ(format_number(-12.0, 0, language::en), minus + "12");
  EXPECT_EQ(format_count(1000, language::en), "1,000");
}

TEST(NumberFormat, SpecialValues) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(format_number(nan, 1, language::sv), "\u2013");
  EXPECT_EQ(format_percent(nan, 1, language::sv), "\u2013");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity(), 1, language::en), "\u221E");
  EXPECT_EQ(format_probability(0.0004, language::sv), "<" + nb + "0,001");
  EXPECT_EQ(format_probability(0.04213, language::en), "0.042");
  EXPECT_EQ(exact_number(nan), "");
}

TEST(NumberFormat, ExactNumbersReadBackExactly) {
  for (const double v : {0.1, 45.871234567890123, 1e-300, 123456789.125, -2.5, 1.0 / 3.0}) {
    const std::string text = exact_number(v);
    double back = 0;
    std::from_chars(text.data(), text.data() + text.size(), back);
    EXPECT_EQ(back, v) << text;
  }
  EXPECT_EQ(exact_number(-0.0), "0");
  EXPECT_EQ(exact_number(2.5, true), "2,5");
}

}  // namespace
}  // namespace jamstat::report
