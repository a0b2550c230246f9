// The Oaxaca-Blinder decomposition with numeric characteristics from the aggregator's
// cross-product sums, against R's lm on the same microdata (generated here and in
// tests/reference/analysis/oaxaca_cross_products.R with the same integer formulas).
#include "jamstat/analysis/oaxaca_cross_products.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "jamstat/analysis/oaxaca_blinder.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/io/state_format.hpp"
#include "jamstat/jamstat.hpp"

namespace jamstat::analysis {
namespace {

constexpr std::int64_t rows = 3000;

std::shared_ptr<const schema> oaxaca_schema(bool with_set = true) {
  return std::make_shared<const schema>(
      std::vector<dimension>{dimension("region", {{1, "Norr", "North"}, {2, "Mitt", "Middle"}, {3, "Söder", "South"}})},
      std::vector<outcome>{{"work", "I arbete", "In work"}},
      std::vector<numeric_measure>{numeric_measure::decimal("hours", "h", "Timmar", "Hours", 2, 0, 100),
                                   numeric_measure::decimal("cost", "SEK", "Kostnad", "Cost", 0, 0, 10000),
                                   numeric_measure::decimal("income", "SEK", "Inkomst", "Income", 0, 0, 100000)},
      with_set ? std::vector<std::string>{"work", "hours", "cost", "income"} : std::vector<std::string>{});
}

// Row i of the microdata, exactly as the R script makes it.
struct microdata_row {
  std::int32_t sex, region, work;
  std::int64_t hours_units, cost, income;
};
microdata_row row_of(std::int64_t i) {
  microdata_row r;
  r.sex = i % 61 == 60 ? 9 : i % 2 == 0 ? 2 : 1;
  r.region = static_cast<std::int32_t>(i % 3 + 1);
  r.hours_units = (i * 7919) % 4001 + 500;
  r.cost = (i * 104729) % 3001 + 200;
  const std::int64_t noise = (i * 6007) % 501 - 250;
  const bool female = r.sex == 2;
  r.income = (r.hours_units * (female ? 17 : 23)) / 10 + r.cost / 4 + 150 * r.region + noise + (female ? 0 : 800);
  r.work = (i * 31) % 7 < 3 + (r.hours_units > 2500 ? 1 : 0) ? 1 : 0;
  return r;
}

// The first half by record, the second as a columnar batch.
aggregator aggregate(const std::shared_ptr<const schema>& s) {
  aggregator a(s);
  for (std::int64_t i = 0; i < rows / 2; ++i) {
    const microdata_row r = row_of(i);
    const std::int32_t codes[2] = {r.sex, r.region}, outcomes[1] = {r.work};
    const double values[3] = {static_cast<double>(r.hours_units) / 100.0, static_cast<double>(r.cost),
                              static_cast<double>(r.income)};
    a.add({codes, outcomes, values, {}});
  }
  std::vector<std::uint8_t> sex, region, work;
  std::vector<std::int64_t> hours, cost, income;
  for (std::int64_t i = rows / 2; i < rows; ++i) {
    const microdata_row r = row_of(i);
    sex.push_back(static_cast<std::uint8_t>(r.sex));
    region.push_back(static_cast<std::uint8_t>(r.region));
    work.push_back(static_cast<std::uint8_t>(r.work));
    hours.push_back(r.hours_units);  // grid units
    cost.push_back(r.cost);
    income.push_back(r.income);
  }
  a.add_batch({sex.size(),
               {std::span<const std::uint8_t>(sex), std::span<const std::uint8_t>(region)},
               {std::span<const std::uint8_t>(work)},
               {std::span<const std::int64_t>(hours), std::span<const std::int64_t>(cost), std::span<const std::int64_t>(income)},
               {}});
  return a;
}

void expect_close(double actual, double expected, double relative, const char* what) {
  EXPECT_NEAR(actual, expected, relative * std::abs(expected)) << what;
}

// Rscript tests/reference/analysis/oaxaca_cross_products.R (R 4.2.2, stats::lm), first block:
// women: lm(income ~ hours + cost); men: the same; pooled: lm(income ~ hours + cost + female) on
// women and men (Jann 2008's pooled coefficients with a group indicator).
TEST(OaxacaCrossProducts, IncomeOnHoursAndCostMatchesLm) {
  const aggregator a = aggregate(oaxaca_schema());
  const oaxaca_cross_product_input in = oaxaca_input_from_cross_products(a, {"income", {"hours", "cost"}, {}, false});
  EXPECT_EQ(in.other_sex_participations, 49u);
  EXPECT_EQ(in.women.participations + in.men.participations + 49u, static_cast<std::uint64_t>(rows));
  ASSERT_EQ(in.design.characteristics.size(), 2u);
  EXPECT_FALSE(in.design.characteristics[0].categorical());
  const oaxaca_blinder_result r = oaxaca_blinder(in.design, in.women, in.men);
  const double tol = 1e-9;
  expect_close(r.gap, -2298.4490106104449, 1e-12, "gap");
  expect_close(r.explained, 3.1904975264796742, tol, "explained");
  expect_close(r.unexplained, -2301.6395081369246, tol, "unexplained");
  expect_close(r.unexplained_first, -2301.639508136951, tol, "unexplained, women's advantage");
  EXPECT_NEAR(r.unexplained_second, 0.0, 1e-9) << "men's part (2.4e-11 in R: zero by the group indicator's normal equation)";
  expect_close(r.endowments, 3.3793748680356561, tol, "endowments");
  expect_close(r.coefficients, -2301.4951746797528, tol, "coefficients");
  expect_close(r.interaction, -0.33321079873025328, tol, "interaction");
  // Terms: the intercept, hours, cost; each group's coefficients and the pooled ones.
  ASSERT_EQ(r.terms.size(), 3u);
  expect_close(r.terms[0].coefficient_first, 287.90210054708007, tol, "women's intercept");
  expect_close(r.terms[0].coefficient_second, 1101.9657181079715, tol, "men's intercept");
  expect_close(r.terms[0].coefficient_reference, 1850.2188004124125, tol, "pooled intercept");
  expect_close(r.terms[1].coefficient_first, 170.35602847031402, tol, "women's hours");
  expect_close(r.terms[1].coefficient_second, 230.16909082660769, tol, "men's hours");
  expect_close(r.terms[1].coefficient_reference, 200.2749771054709, tol, "pooled hours");
  expect_close(r.terms[1].explained, 1.265499413001878, tol, "hours explained");
  expect_close(r.terms[2].coefficient_first, 0.25186229648622122, tol, "women's cost");
  expect_close(r.terms[2].coefficient_second, 0.24614195708443434, tol, "men's cost");
  expect_close(r.terms[2].coefficient_reference, 0.24614424155950229, tol, "pooled cost");
  expect_close(r.terms[2].explained, 1.9249981134777963, tol, "cost explained");
  // Exact: the state read back, or merged in another order, gives the same statistics bit for bit.
  const aggregator back = read_state(write_state(a));
  const oaxaca_cross_product_input again = oaxaca_input_from_cross_products(back, {"income", {"hours", "cost"}, {}, false});
  EXPECT_EQ(again.women.x_ss, in.women.x_ss);
  EXPECT_EQ(again.men.xy_ss, in.men.xy_ss);
  EXPECT_EQ(again.women.y_ss, in.women.y_ss);
}

// The second block of the script: the linear probability model of `work` (an outcome of the set).
TEST(OaxacaCrossProducts, OutcomeOnHoursAndCostMatchesLm) {
  const aggregator a = aggregate(oaxaca_schema());
  const oaxaca_blinder_result r =
      oaxaca_blinder(oaxaca_input_from_cross_products(a, {"work", {"hours", "cost"}, {}, false}).design,
                     oaxaca_input_from_cross_products(a, {"work", {"hours", "cost"}, {}, false}).women,
                     oaxaca_input_from_cross_products(a, {"work", {"hours", "cost"}, {}, false}).men);
  const double tol = 1e-8;
  expect_close(r.gap, -0.00033852372422027432, 1e-11, "gap");
  expect_close(r.explained, 0.00015135493290511517, tol, "explained");
  expect_close(r.unexplained, -0.00048987865712538949, tol, "unexplained");
  expect_close(r.endowments, 0.00016156427764923555, tol, "endowments");
  expect_close(r.coefficients, -0.00047955156914849389, tol, "coefficients");
  expect_close(r.interaction, -2.0536432727277579e-05, tol, "interaction");
  expect_close(r.terms[1].coefficient_first, 0.00536151700807329, tol, "women's hours");
  expect_close(r.terms[2].coefficient_second, 1.6457462274890573e-05, tol, "men's cost");
}

// The third block: a numeric and a categorical characteristic (region, first level omitted, no
// normalisation so that the dummies' coefficients are lm's).
TEST(OaxacaCrossProducts, NumericAndCategoricalMatchLm) {
  const aggregator a = aggregate(oaxaca_schema());
  const oaxaca_cross_product_input in = oaxaca_input_from_cross_products(a, {"income", {"hours"}, {"region"}, false});
  ASSERT_EQ(in.design.characteristics.size(), 2u);
  EXPECT_EQ(in.design.characteristics[1].level_labels, (std::vector<std::string>{"Norr", "Mitt", "Söder"}));
  oaxaca_options o;
  o.normalize_categorical = false;
  const oaxaca_blinder_result r = oaxaca_blinder(in.design, in.women, in.men, o);
  const double tol = 1e-9;
  expect_close(r.gap, -2298.4490106104449, 1e-12, "gap");
  expect_close(r.explained, 1.3681381700065391, tol, "explained");
  expect_close(r.unexplained, -2299.8171487804516, tol, "unexplained");
  expect_close(r.endowments, 1.5571794951185765, tol, "endowments");
  expect_close(r.coefficients, -2299.6293653233106, tol, "coefficients");
  expect_close(r.interaction, -0.37682478225230781, tol, "interaction");
  // terms: intercept, hours, Norr (omitted), Mitt, Söder
  ASSERT_EQ(r.terms.size(), 5u);
  expect_close(r.terms[0].coefficient_first, 562.51104361567241, tol, "women's intercept");
  expect_close(r.terms[1].coefficient_second, 230.08792326734604, tol, "men's hours");
  EXPECT_EQ(r.terms[2].coefficient_first, 0.0);
  expect_close(r.terms[3].coefficient_first, 154.12645141560293, tol, "women's Mitt");
  expect_close(r.terms[4].coefficient_second, 303.64742606007962, tol, "men's Söder");
  expect_close(r.terms[4].coefficient_reference, 299.2767560593403, tol, "pooled Söder");
  expect_close(r.terms[3].explained, 0.035021772267769036, tol, "Mitt explained");
  expect_close(r.terms[4].explained, 0.067633165211160362, tol, "Söder explained");
  // English labels on request.
  EXPECT_EQ(oaxaca_input_from_cross_products(a, {"income", {"hours"}, {"region"}, true}).design.characteristics[1].level_labels[2],
            "South");
}

// The moments are the exactly rounded centred sums: compare them with sums computed here in
// 128-bit integers (for hours and income over the women).
TEST(OaxacaCrossProducts, MomentsAreExactlyRounded) {
  const aggregator a = aggregate(oaxaca_schema());
  const oaxaca_cross_product_input in = oaxaca_input_from_cross_products(a, {"income", {"hours"}, {}, false});
  int128_t n = 0, sx = 0, sy = 0, sxy = 0;
  for (std::int64_t i = 0; i < rows; ++i) {
    const microdata_row r = row_of(i);
    if (r.sex != 2) continue;
    ++n;
    sx += r.hours_units;
    sy += r.income;
    sxy += static_cast<int128_t>(r.hours_units) * r.income;
  }
  EXPECT_EQ(in.women.participations, static_cast<std::uint64_t>(n));
  // (n Σxy − Σx Σy) / (100 n), from the exact integer numerator in long double (rel. 1e-15).
  const int128_t numerator = n * sxy - sx * sy;
  const long double expected = static_cast<long double>(numerator) / (100.0L * static_cast<long double>(n));
  EXPECT_NEAR(in.women.xy_ss[0], static_cast<double>(expected), 1e-15 * std::abs(static_cast<double>(expected)));
  EXPECT_DOUBLE_EQ(in.women.x_mean[0], static_cast<double>(static_cast<long double>(sx) / (100.0L * static_cast<long double>(n))));
}

TEST(OaxacaCrossProducts, BadRequestsAreRejectedWithAClearError) {
  const aggregator a = aggregate(oaxaca_schema());
  auto message = [&](const oaxaca_cross_product_request& request) {
    try {
      (void)oaxaca_input_from_cross_products(a, request);
    } catch (const usage_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({"income", {}, {}, false}).find("no characteristic"), std::string::npos);
  EXPECT_NE(message({"salary", {"hours"}, {}, false}).find("'salary' is not in the schema's cross-product set"), std::string::npos);
  EXPECT_NE(message({"income", {"age"}, {}, false}).find("'age'"), std::string::npos);
  EXPECT_NE(message({"income", {"income"}, {}, false}).find("both the outcome and a characteristic"), std::string::npos);
  EXPECT_NE(message({"income", {"hours", "hours"}, {}, false}).find("named twice"), std::string::npos);
  EXPECT_NE(message({"income", {"hours"}, {"sex"}, false}).find("other than sex"), std::string::npos);
  EXPECT_NE(message({"income", {"hours"}, {"county"}, false}).find("'county'"), std::string::npos);
  const aggregator without = aggregate(oaxaca_schema(false));
  EXPECT_THROW((void)oaxaca_input_from_cross_products(without, {"income", {"hours"}, {}, false}), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis
