/* cross_products_test.c -- the C ABI of cross-product sets and of the Oaxaca-Blinder decomposition
 * with numeric characteristics (compiled as C11).
 *
 * The microdata are those of tests/analysis/oaxaca_cross_products_test.cpp, generated with the
 * same integer formulas as tests/reference/analysis/oaxaca_cross_products.R, which prints the
 * reference values (R 4.2.2, stats::lm):
 *   women: lm(income ~ hours + cost); men: the same; pooled: lm(income ~ hours + cost + female)
 *   (Jann 2008's pooled coefficients with a group indicator), and the same with hours + region. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

enum { rows = 3000 };

typedef struct {
  int32_t sex, region, work;
  int64_t hours_units, cost, income;
} microdata_row;

static microdata_row row_of(int64_t i) {
  microdata_row r;
  int female;
  int64_t noise;
  r.sex = i % 61 == 60 ? 9 : i % 2 == 0 ? 2 : 1;
  r.region = (int32_t)(i % 3 + 1);
  r.hours_units = (i * 7919) % 4001 + 500;
  r.cost = (i * 104729) % 3001 + 200;
  noise = (i * 6007) % 501 - 250;
  female = r.sex == 2;
  r.income = (r.hours_units * (female ? 17 : 23)) / 10 + r.cost / 4 + 150 * r.region + noise + (female ? 0 : 800);
  r.work = (i * 31) % 7 < 3 + (r.hours_units > 2500 ? 1 : 0) ? 1 : 0;
  return r;
}

static jamstat_schema *make_schema(int with_set) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  const int32_t codes[3] = {1, 2, 3};
  const char *sv[3] = {"Norr", "Mitt", "Söder"}, *en[3] = {"North", "Middle", "South"};
  const char *set[4] = {"income", "work", "cost", "hours"}; /* any order: kept in field order */
  jamstat_measure_definition m = JAMSTAT_MEASURE_DEFINITION_INIT;
  OK(jamstat_schema_builder_new(&b));
  OK(jamstat_schema_builder_add_dimension(b, "region", 3, codes, sv, en));
  OK(jamstat_schema_builder_add_outcome(b, "work", "I arbete", "In work"));
  m.kind = JAMSTAT_MEASURE_DECIMAL;
  m.has_range = 1;
  m.name = "hours";
  m.unit = "h";
  m.decimals = 2;
  m.lowest = 0;
  m.highest = 100;
  OK(jamstat_schema_builder_add_measure(b, &m));
  m.name = "cost";
  m.unit = "SEK";
  m.decimals = 0;
  m.highest = 10000;
  OK(jamstat_schema_builder_add_measure(b, &m));
  m.name = "income";
  m.highest = 100000;
  OK(jamstat_schema_builder_add_measure(b, &m));
  if (with_set) OK(jamstat_schema_builder_set_cross_products(b, set, 4));
  OK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  return s;
}

static jamstat_aggregator *aggregate(const jamstat_schema *s, int reverse) {
  jamstat_aggregator *a = NULL;
  int64_t k;
  OK(jamstat_aggregator_new(s, NULL, &a));
  for (k = 0; k < rows; ++k) {
    const microdata_row r = row_of(reverse ? rows - 1 - k : k);
    const int32_t codes[2] = {r.sex, r.region}, outcomes[1] = {r.work};
    const double values[3] = {(double)r.hours_units / 100.0, (double)r.cost, (double)r.income};
    jamstat_status st = jamstat_aggregator_add(a, codes, 2, outcomes, 1, values, 3, NULL, NULL);
    if (st != JAMSTAT_OK) {
      OK(st);
      break;
    }
  }
  return a;
}

static int same_state(const jamstat_aggregator *a, const jamstat_aggregator *b) {
  size_t na = 0, nb = 0;
  uint8_t *ba, *bb;
  int same;
  OK(jamstat_aggregator_serialized_size(a, &na));
  OK(jamstat_aggregator_serialized_size(b, &nb));
  if (na != nb) return 0;
  ba = malloc(na);
  bb = malloc(nb);
  OK(jamstat_aggregator_serialize(a, ba, na, &na));
  OK(jamstat_aggregator_serialize(b, bb, nb, &nb));
  same = memcmp(ba, bb, na) == 0;
  free(ba);
  free(bb);
  return same;
}

int main(void) {
  jamstat_schema *s = make_schema(1), *plain = make_schema(0);
  jamstat_aggregator *a = aggregate(s, 0), *backwards = aggregate(s, 1), *without = aggregate(plain, 0);
  jamstat_decomposition *d = NULL;
  jamstat_decomposition_result r = JAMSTAT_DECOMPOSITION_RESULT_INIT;
  jamstat_oaxaca_options o = JAMSTAT_OAXACA_OPTIONS_INIT;
  const char *hours_cost[2] = {"hours", "cost"}, *hours_only[1] = {"hours"}, *region[1] = {"region"};
  const char *unknown[1] = {"days"}, *name = NULL;
  size_t count = 0;
  jamstat_schema_builder *bad = NULL;
  jamstat_schema *never = NULL;
  const char *floating_set[2] = {"hours", "region"};

  /* The set as declared, in field order (outcomes first, then measures). */
  OK(jamstat_schema_cross_product_count(s, &count));
  CHECK(count == 4);
  OK(jamstat_schema_cross_product_name(s, 0, &name));
  CHECK(name && strcmp(name, "work") == 0);
  OK(jamstat_schema_cross_product_name(s, 3, &name));
  CHECK(name && strcmp(name, "income") == 0);
  FAILS(jamstat_schema_cross_product_name(s, 4, &name), JAMSTAT_ERROR_INVALID_ARGUMENT, "has 4 variables");
  OK(jamstat_schema_cross_product_count(plain, &count));
  CHECK(count == 0);

  /* The exact sums make the state independent of the order of the records. */
  CHECK(same_state(a, backwards));

  /* income on hours and cost (the pooled reference with a group indicator is the default). */
  o.subject_kind = JAMSTAT_SUBJECT_MEASURE;
  o.subject = 2; /* income */
  OK(jamstat_oaxaca_numeric_new(a, &o, hours_cost, 2, &d));
  OK(jamstat_decomposition_result_get(d, &r));
  CHECK(r.other_sex_participations == 49);
  CHECK(r.women_participations + r.men_participations + 49 == rows);
  NEAR(r.gap, -2298.4490106104449, 1e-12);
  NEAR(r.explained, 3.1904975264796742, 1e-9);
  NEAR(r.unexplained, -2301.6395081369246, 1e-9);
  NEAR(r.endowments, 3.3793748680356561, 1e-9);
  NEAR(r.coefficients, -2301.4951746797528, 1e-9);
  NEAR(r.interaction, -0.33321079873025328, 1e-9);
  CHECK(r.term_count == 3); /* intercept, hours, cost */
  CHECK(r.term_count == 3 && strcmp(r.characteristic[1], "hours") == 0);
  /* R: the explained contributions of hours and cost */
  CHECK(r.term_count == 3 && fabs(r.explained_term[1] - 1.265499413001878) <= 1e-9 * 1.265499413001878);
  CHECK(r.term_count == 3 && fabs(r.explained_term[2] - 1.9249981134777963) <= 1e-9 * 1.9249981134777963);
  jamstat_decomposition_free(&d);
  CHECK(d == NULL);

  /* income on hours and region: a numeric and a categorical characteristic (totals do not depend
   * on the dummies' normalisation). */
  o.characteristics = region;
  o.characteristic_count = 1;
  OK(jamstat_oaxaca_numeric_new(a, &o, hours_only, 1, &d));
  r.struct_size = sizeof r;
  OK(jamstat_decomposition_result_get(d, &r));
  NEAR(r.gap, -2298.4490106104449, 1e-12);
  NEAR(r.explained, 1.3681381700065391, 1e-9);
  NEAR(r.unexplained, -2299.8171487804516, 1e-9);
  NEAR(r.endowments, 1.5571794951185765, 1e-9);
  NEAR(r.coefficients, -2299.6293653233106, 1e-9);
  NEAR(r.interaction, -0.37682478225230781, 1e-9);
  jamstat_decomposition_free(&d);

  /* Bad requests: each its status and a message saying what. */
  FAILS(jamstat_oaxaca_numeric_new(without, &o, hours_only, 1, &d), JAMSTAT_ERROR_INVALID_ARGUMENT, "cross-product");
  FAILS(jamstat_oaxaca_numeric_new(a, &o, unknown, 1, &d), JAMSTAT_ERROR_INVALID_ARGUMENT, "days");
  FAILS(jamstat_oaxaca_numeric_new(a, &o, NULL, 1, &d), JAMSTAT_ERROR_NULL_ARGUMENT, "numeric");
  FAILS(jamstat_oaxaca_numeric_new(a, NULL, hours_only, 1, &d), JAMSTAT_ERROR_NULL_ARGUMENT, "options");
  FAILS(jamstat_oaxaca_numeric_new(a, &o, hours_only, 1, NULL), JAMSTAT_ERROR_NULL_ARGUMENT, "out");
  o.nonlinear = 1;
  FAILS(jamstat_oaxaca_numeric_new(a, &o, hours_only, 1, &d), JAMSTAT_ERROR_INVALID_ARGUMENT, "linear");
  o.nonlinear = 0;
  o.subject = 7;
  FAILS(jamstat_oaxaca_numeric_new(a, &o, hours_only, 1, &d), JAMSTAT_ERROR_INVALID_ARGUMENT, "7");
  CHECK(d == NULL);
  FAILS(jamstat_oaxaca_numeric_new((const jamstat_aggregator *)s, &o, hours_only, 1, &d), JAMSTAT_ERROR_WRONG_HANDLE, "");

  /* A set the schema cannot keep is refused when the schema is built, naming the culprit. */
  OK(jamstat_schema_builder_new(&bad));
  FAILS(jamstat_schema_builder_set_cross_products(bad, NULL, 2), JAMSTAT_ERROR_NULL_ARGUMENT, "names");
  FAILS(jamstat_schema_builder_set_cross_products(bad, floating_set, 17), JAMSTAT_ERROR_INVALID_ARGUMENT, "at most 16");
  OK(jamstat_schema_builder_set_cross_products(bad, floating_set, 2));
  FAILS(jamstat_schema_build(bad, &never), JAMSTAT_ERROR_INVALID_SCHEMA, "hours");
  CHECK(never == NULL);
  OK(jamstat_schema_builder_set_cross_products(bad, NULL, 0)); /* cleared */
  OK(jamstat_schema_build(bad, &never));
  jamstat_schema_free(&never);
  jamstat_schema_builder_free(&bad);

  jamstat_aggregator_free(&a);
  jamstat_aggregator_free(&backwards);
  jamstat_aggregator_free(&without);
  jamstat_schema_free(&s);
  jamstat_schema_free(&plain);
  printf("c_api: %d passed, %d failed\n", passed, failed);
  return failed != 0;
}
