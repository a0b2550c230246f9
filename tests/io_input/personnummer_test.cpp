// Personnummer and samordningsnummer: forms, century, Luhn, dates, sex, age, masking.
// Reference values: tests/reference/io_input/personnummer_vectors.py (Python datetime and an
// independent Luhn), run with python3 3.11; its output is pasted below.
#include <gtest/gtest.h>

#include "jamstat/io/personnummer.hpp"

namespace jamstat::io {
namespace {

using namespace std::chrono;
constexpr year_month_day ymd(int y, unsigned m, unsigned d) { return year_month_day{year(y), month(m), day(d)}; }

struct vector_case {
  const char* number;
  bool valid;
  std::int32_t sex;
  int age;  // at 2025-12-31
};

// Skatteverket's published test personnummer (as quoted in github.com/ullenius/pnummer test.sh)
// and the classic example 811218-9876; output of personnummer_vectors.py.
const vector_case published[] = {
    {"202508242381", true, 2, 0},   {"202510022383", true, 2, 0},   {"202503312387", true, 2, 0},
    {"202509012387", true, 2, 0},   {"202512232386", true, 2, 0},   {"202504182391", true, 1, 0},
    {"189506299818", true, 1, 130}, {"189002099811", true, 1, 135}, {"189103179801", true, 2, 134},
    {"190006129803", true, 2, 125}, {"190704019801", true, 2, 118}, {"190108219817", true, 1, 124},
    {"200306062381", true, 2, 22},  {"200802122390", true, 1, 17},  {"200607092384", true, 2, 19},
    {"198112189876", true, 1, 44},
};

TEST(Personnummer, PublishedTestNumbers) {
  const auto ref = ymd(2025, 12, 31);
  for (const vector_case& v : published) {
    personnummer_problem why;
    const auto p = personnummer::parse(v.number, ref, &why);
    ASSERT_TRUE(p.has_value()) << v.number << ": " << to_string(why);
    EXPECT_EQ(p->canonical(), v.number);
    EXPECT_EQ(p->sex(), v.sex) << v.number;
    EXPECT_EQ(p->age_at(ref), v.age) << v.number;
    EXPECT_FALSE(p->is_samordningsnummer());
  }
}

TEST(Personnummer, TenDigitFormsResolveTheCentury) {
  const auto ref = ymd(2025, 12, 31);
  // '-' (or none): the latest year not after 2025 ending in YY; '+': a hundred years earlier.
  EXPECT_EQ(personnummer::parse("811218-9876", ref)->canonical(), "198112189876");
  EXPECT_EQ(personnummer::parse("8112189876", ref)->canonical(), "198112189876");
  EXPECT_EQ(personnummer::parse("250824-2381", ref)->canonical(), "202508242381");
  EXPECT_EQ(personnummer::parse("950629+9818", ref)->canonical(), "189506299818");  // 130 years old
  EXPECT_EQ(personnummer::parse("950629-9818", ref)->canonical(), "199506299818");  // another person
  EXPECT_EQ(personnummer::parse("000612+9803", ref)->canonical(), "190006129803");
  EXPECT_EQ(personnummer::parse("000612-9803", ref)->canonical(), "200006129803");
  // The separator turns '+' from the year a person turns 100 (folkbokföringslagen 18 §).
  EXPECT_EQ(personnummer::parse("251223+2386", ymd(2025, 1, 1))->canonical(), "192512232386");
  EXPECT_EQ(personnummer::parse("251223+2386", ymd(2025, 1, 1))->age_at(ymd(2025, 1, 1)), 99);
  EXPECT_EQ(personnummer::parse("251223-2386", ymd(2024, 12, 31))->canonical(), "192512232386");
  personnummer_problem why;
  EXPECT_FALSE(personnummer::parse("251223-2386", ymd(2025, 6, 1), &why));  // born 2025-12-23: not yet
  EXPECT_EQ(why, personnummer_problem::born_after_reference);
}

TEST(Personnummer, OnePersonWhateverTheForm) {
  const auto ref = ymd(2025, 12, 31);
  const auto a = personnummer::parse("811218-9876", ref);
  for (const char* form : {"198112189876", "19811218-9876", "8112189876", " 811218-9876 ", "\t19811218-9876"}) {
    const auto b = personnummer::parse(form, ref);
    ASSERT_TRUE(b.has_value()) << form;
    EXPECT_EQ(*a, *b) << form;
  }
  EXPECT_EQ(a->birth_date(), ymd(1981, 12, 18));
}

TEST(Personnummer, Samordningsnummer) {
  // Skatteverket's example: 701063-2391, born 1970-10-03 (day 03 + 60).
  const auto p = personnummer::parse("701063-2391", ymd(2025, 12, 31));
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(p->is_samordningsnummer());
  EXPECT_EQ(p->birth_date(), ymd(1970, 10, 3));
  EXPECT_EQ(p->canonical(), "197010632391");  // the number itself, day + 60 kept
  EXPECT_EQ(p->sex(), 1);                       // 9: odd
  EXPECT_EQ(p->age_at(ymd(2025, 12, 31)), 55);
  personnummer_problem why;
  EXPECT_FALSE(personnummer::parse("701093-2391", ymd(2025, 12, 31), &why));  // day 33: no such date
  EXPECT_EQ(why, personnummer_problem::invalid_date);
}

TEST(Personnummer, WrongCheckDigitsAndEverySingleDigitError) {
  const auto ref = ymd(2025, 12, 31);
  EXPECT_EQ(luhn_check_digit("811218987"), 6);
  personnummer_problem why;
  EXPECT_FALSE(personnummer::parse("811218-9875", ref, &why));
  EXPECT_EQ(why, personnummer_problem::check_digit);
  // The Luhn digit catches every single-digit error (or the date does).
  const std::string good = "8112189876";
  for (std::size_t i = 0; i < good.size(); ++i)
    for (char d = '0'; d <= '9'; ++d) {
      if (d == good[i]) continue;
      std::string bad = good;
      bad[i] = d;
      EXPECT_FALSE(personnummer::parse(bad, ref).has_value()) << bad;
    }
}

TEST(Personnummer, InvalidDates) {
  const auto ref = ymd(2025, 12, 31);
  personnummer_problem why;
  // Valid check digits (luhn over the first nine), impossible dates.
  for (const char* nine : {"810230987", "811318987", "811200987", "010229238", "811232987"}) {
    std::string n = std::string(nine) + static_cast<char>('0' + luhn_check_digit(nine));
    EXPECT_FALSE(personnummer::parse(n, ref, &why)) << n;
    EXPECT_EQ(why, personnummer_problem::invalid_date) << n;
  }
  // 29 February: 2000 was a leap year, 1900 was not.
  EXPECT_TRUE(personnummer::parse("000229-2381", ref).has_value());
  EXPECT_FALSE(personnummer::parse("190002292381", ref, &why));
  EXPECT_EQ(why, personnummer_problem::invalid_date);
}

TEST(Personnummer, LeapDayBirthdays) {
  // Python: age of 2000-02-29 at 2023-02-28 is 22, at 2023-03-01 23, at 2024-02-29 24.
  const auto p = personnummer::parse("20000229-2381", ymd(2025, 12, 31));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->sex(), 2);  // 8: even
  EXPECT_EQ(p->age_at(ymd(2023, 2, 28)), 22);
  EXPECT_EQ(p->age_at(ymd(2023, 3, 1)), 23);
  EXPECT_EQ(p->age_at(ymd(2024, 2, 28)), 23);
  EXPECT_EQ(p->age_at(ymd(2024, 2, 29)), 24);
  EXPECT_LT(p->age_at(ymd(1999, 1, 1)), 0);
}

TEST(Personnummer, PlusSignInTwelveDigits) {
  personnummer_problem why;
  EXPECT_FALSE(personnummer::parse("19811218+9876", ymd(2025, 12, 31), &why));
  EXPECT_EQ(why, personnummer_problem::plus_sign_mismatch);
  EXPECT_TRUE(personnummer::parse("18950629+9818", ymd(2025, 12, 31)).has_value());
}

TEST(Personnummer, Formats) {
  personnummer_problem why;
  for (const char* t : {"", "81121-89876", "811218--9876", "8112189876x", "811218 9876", "1981121898761", "811218_9876",
                        "ABCDEF-GHIJ", "811218-98765", "81121898", "-8112189876", "811218-"}) {
    EXPECT_FALSE(personnummer::parse(t, ymd(2025, 12, 31), &why)) << t;
    EXPECT_EQ(why, personnummer_problem::format) << t;
  }
}

TEST(Personnummer, Masking) {
  EXPECT_EQ(mask_personnummer("811218-9876"), "XXXXXX-XXXX");
  EXPECT_EQ(mask_personnummer("19811218-9876"), "XXXXXXXX-XXXX");
  EXPECT_EQ(mask_personnummer("Åsa 12"), "XXX XX");
  EXPECT_EQ(mask_personnummer("123456789012345678901234"), "XXXXXXXXXXXXXXXXXXXX\xE2\x80\xA6");
  EXPECT_EQ(mask_personnummer_shapes("id 811218-9876, 198112189876;K"), "id XXXXXX-XXXX, XXXXXXXXXXXX;K");
  EXPECT_EQ(mask_personnummer_shapes("samordning 701063-2391"), "samordning XXXXXX-XXXX");
  EXPECT_EQ(mask_personnummer_shapes("811218+9876"), "XXXXXX+XXXX");
  // Not personnummer-shaped: no date, too many digits, a person id up to 2^32.
  for (const char* t : {"4294967295", "12345678901234", "3,1415926535", "2025-12-31", "811218-987"}) {
    EXPECT_FALSE(contains_personnummer_shape(t)) << t;
    EXPECT_EQ(mask_personnummer_shapes(t), t);
  }
  EXPECT_TRUE(contains_personnummer_shape("x0101011234y"));
  EXPECT_TRUE(contains_personnummer_shape("811218-9875"));  // wrong check digit: still masked
}

}  // namespace
}  // namespace jamstat::io
