// Numbers as CSV exports write them: exact grid units from decimal text, doubles, integers.
// Expected values are exact decimal arithmetic (the grid units are the decimal digits; rounding
// is half to even on the exact decimal, worked out by hand in each comment).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "jamstat/io/number_text.hpp"

namespace jamstat::io {
namespace {

number_format comma() { return {',', {}}; }
number_format point() { return {'.', {}}; }
number_format comma_with(std::vector<std::string> thousands) { return {',', std::move(thousands)}; }

struct grid_case {
  const char* text;
  unsigned decimals;
  std::int64_t units;
  bool off_grid;
};

TEST(GridUnits, DecimalCommaExactly) {
  const grid_case cases[] = {
      {"265,54", 2, 26554, false}, {"265,5", 2, 26550, false},  {"265", 2, 26500, false},
      {"0,29", 2, 29, false},      {"-1,5", 2, -150, false},    {"+3", 2, 300, false},
      {",5", 2, 50, false},        {"5,", 2, 500, false},       {"0", 2, 0, false},
      {"-0", 2, 0, false},         {"007,10", 2, 710, false},   {"265,540", 2, 26554, false},
      {"12", 0, 12, false},        {"12,000", 0, 12, false},    {"21474836,47", 2, 2147483647, false},
      // Off the grid: rounded half to even on the exact decimal.
      {"265,545", 2, 26554, true},  // 26554.5 -> 26554 (even)
      {"265,555", 2, 26556, true},  // 26555.5 -> 26556 (even)
      {"0,295", 2, 30, true},       // 29.5 -> 30 (even); the double 0.295 is below, the text is not
      {"0,2951", 2, 30, true},      // 29.51 -> 30
      {"0,2949", 2, 29, true},      // 29.49 -> 29
      {"-0,295", 2, -30, true},     // symmetric
      {"12,5", 0, 12, true},        // 12.5 -> 12
      {"13,5", 0, 14, true},        // 13.5 -> 14
      {"0,001", 2, 0, true},        // 0.1 -> 0
      {"0,005", 2, 0, true},        // 0.5 -> 0 (even)
      {"0,015", 2, 2, true},        // 1.5 -> 2
      {"0,00000000000000000000001", 2, 0, true},
      {"1,00000000000000000000000000000000000000000000000001", 2, 100, true},  // beyond 40 digits: sticky
  };
  for (const grid_case& c : cases) {
    const grid_number g = parse_grid_units(c.text, c.decimals, comma());
    EXPECT_EQ(g.problem, number_problem::none) << c.text;
    EXPECT_EQ(g.units, c.units) << c.text;
    EXPECT_EQ(g.off_grid, c.off_grid) << c.text;
  }
}

TEST(GridUnits, DecimalPointAndExponents) {
  EXPECT_EQ(parse_grid_units("265.54", 2, point()).units, 26554);
  EXPECT_EQ(parse_grid_units("2.6554E2", 2, point()).units, 26554);
  EXPECT_EQ(parse_grid_units("2.6554e+2", 2, point()).units, 26554);
  EXPECT_EQ(parse_grid_units("26554e-2", 2, point()).units, 26554);
  EXPECT_EQ(parse_grid_units("1e-2", 2, point()).units, 1);
  EXPECT_TRUE(parse_grid_units("1e-3", 2, point()).off_grid);
  EXPECT_EQ(parse_grid_units("1E+20", 2, point()).problem, number_problem::too_large);
  EXPECT_EQ(parse_grid_units("1e1000000000", 2, point()).problem, number_problem::too_large);
  EXPECT_EQ(parse_grid_units("0e1000000000", 2, point()).units, 0);
  // ',' is not the decimal mark here.
  EXPECT_EQ(parse_grid_units("265,54", 2, point()).problem, number_problem::not_a_number);
  // Grid values below 10^18 units are read (an int64 with headroom); larger are too large.
  EXPECT_EQ(parse_grid_units("999999999999999999", 0, point()).units, 999999999999999999);
  EXPECT_EQ(parse_grid_units("1000000000000000000", 0, point()).problem, number_problem::too_large);
  EXPECT_EQ(parse_grid_units("99999999999999999999", 2, point()).problem, number_problem::too_large);
}

TEST(GridUnits, ThousandsSeparators) {
  const auto spaces = comma_with({" ", "\xC2\xA0", "\xE2\x80\xAF"});
  EXPECT_EQ(parse_grid_units("1 234 567,50", 2, spaces).units, 123456750);
  EXPECT_EQ(parse_grid_units("1\xC2\xA0" "234,5", 2, spaces).units, 123450);       // no-break space
  EXPECT_EQ(parse_grid_units("12\xE2\x80\xAF" "345", 0, spaces).units, 12345);     // narrow no-break space
  EXPECT_EQ(parse_grid_units("-1 000", 0, spaces).units, -1000);
  EXPECT_EQ(parse_grid_units("12 34", 0, spaces).problem, number_problem::bad_grouping);
  EXPECT_EQ(parse_grid_units("1234 567", 0, spaces).problem, number_problem::bad_grouping);
  EXPECT_EQ(parse_grid_units("1 2345", 0, spaces).problem, number_problem::bad_grouping);
  EXPECT_EQ(parse_grid_units("1 ", 0, spaces).problem, number_problem::bad_grouping);
  EXPECT_EQ(parse_grid_units(" 1", 0, spaces).problem, number_problem::not_a_number);
  EXPECT_EQ(parse_grid_units("1,234 5", 3, spaces).problem, number_problem::not_a_number);  // no groups after the mark
  const auto dots = comma_with({"."});
  EXPECT_EQ(parse_grid_units("1.234,50", 2, dots).units, 123450);
  EXPECT_EQ(parse_grid_units("1.23", 2, dots).problem, number_problem::bad_grouping);
  // Without declared separators a space is not part of a number.
  EXPECT_EQ(parse_grid_units("1 234", 0, comma()).problem, number_problem::not_a_number);
}

TEST(GridUnits, NotNumbers) {
  for (const char* t : {"abc", ".", ",", "1,2,3", "1e", "1e+", "--1", "+-1", "1-", "12a", "0x10", "inf", "nan", "1 e2"})
    EXPECT_NE(parse_grid_units(t, 2, comma()).problem, number_problem::none) << t;
  EXPECT_EQ(parse_grid_units("", 2, comma()).problem, number_problem::empty);
}

TEST(Floating, AsFromChars) {
  EXPECT_EQ(parse_floating("265,54", comma()).value, 265.54);
  EXPECT_EQ(parse_floating("265.54", point()).value, 265.54);
  EXPECT_EQ(parse_floating("1 234,5", comma_with({" "})).value, 1234.5);
  EXPECT_EQ(parse_floating("\xE2\x88\x92" "2,5", comma()).value, -2.5);
  EXPECT_EQ(parse_floating("1e308", point()).value, 1e308);
  EXPECT_EQ(parse_floating("1e309", point()).problem, number_problem::too_large);
  EXPECT_EQ(parse_floating("1e-400", point()).value, 0.0);
  EXPECT_TRUE(std::signbit(parse_floating("-0,0", comma()).value));
  EXPECT_EQ(parse_floating("0.1", point()).value, 0.1);  // correctly rounded
  for (const char* t : {"inf", "nan", "infinity", "0x1p3", "", "1,5"})
    EXPECT_NE(parse_floating(t, point()).problem, number_problem::none) << t;
}

TEST(Integers, DigitsAndSign) {
  EXPECT_EQ(parse_integer("12"), 12);
  EXPECT_EQ(parse_integer("-3"), -3);
  EXPECT_EQ(parse_integer("+4"), 4);
  EXPECT_EQ(parse_integer("007"), 7);
  for (const char* t : {"", "-", "+", "1.0", "1,0", "+-5", "1 000", "9223372036854775808", "a"})
    EXPECT_FALSE(parse_integer(t).has_value()) << t;
  EXPECT_EQ(parse_unsigned("18446744073709551615"), std::numeric_limits<std::uint64_t>::max());
  for (const char* t : {"18446744073709551616", "-1", "+1", "", "1e3"}) EXPECT_FALSE(parse_unsigned(t).has_value()) << t;
}

}  // namespace
}  // namespace jamstat::io
