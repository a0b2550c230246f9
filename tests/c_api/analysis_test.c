/*
 * analysis_test.c -- the gap report through the C ABI, compiled as C11: R's UCBAdmissions
 * (4,526 applicants by sex and department) aggregated record by record, the report adjusted for
 * department, its findings table read column-wise. The raw gap between women and men reverses
 * once stratified by department. References: R 4.2.2 (recorded beside each value).
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

/* UCBAdmissions: per department A-F, women admitted, women applicants, men admitted, men applicants
 * (the real table: department D men 138 of 279... as R's datasets hold it, aperm(UCBAdmissions, c(2, 1, 3))). */
static const uint64_t ucb[6][4] = {{89, 108, 512, 825}, {17, 25, 353, 560}, {202, 593, 120, 325},
                                   {131, 375, 138, 417}, {94, 393, 53, 191}, {24, 341, 22, 373}};

static jamstat_aggregator *ucb_aggregator(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  jamstat_aggregator *a = NULL;
  const int32_t codes[6] = {0, 1, 2, 3, 4, 5};
  const char *labels[6] = {"A", "B", "C", "D", "E", "F"};
  int d, sex, i;
  OK(jamstat_schema_builder_new(&b));
  OK(jamstat_schema_builder_add_dimension(b, "department", 6, codes, labels, labels));
  OK(jamstat_schema_builder_set_dimension_labels(b, "department", "Institution", "Department"));
  OK(jamstat_schema_builder_add_outcome(b, "admitted", "Antagen", "Admitted"));
  OK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  OK(jamstat_aggregator_new(s, NULL, &a));
  for (d = 0; d < 6; ++d)
    for (sex = 0; sex < 2; ++sex) {
      const uint64_t admitted = ucb[d][sex * 2], applicants = ucb[d][sex * 2 + 1];
      for (i = 0; i < (int)applicants; ++i) {
        const int32_t c[2] = {sex == 0 ? JAMSTAT_SEX_FEMALE : JAMSTAT_SEX_MALE, d};
        const int32_t o[1] = {(uint64_t)i < admitted ? 1 : 0};
        OK(jamstat_aggregator_add(a, c, 2, o, 1, NULL, 0, NULL, NULL));
      }
    }
  jamstat_schema_free(&s);
  return a;
}

static void test_ucb_admissions(void) {
  jamstat_aggregator *a = ucb_aggregator();
  jamstat_gap_report *report = NULL;
  jamstat_gap_options options = JAMSTAT_GAP_OPTIONS_INIT;
  jamstat_findings f = JAMSTAT_FINDINGS_INIT;
  const char *adjust[1] = {"department"};
  uint64_t i, tests = 0;
  double alpha = 0;
  int raw = -1, adjusted = -1;
  const char *labels_sv = NULL, *labels_en = NULL;
  jamstat_schema *s = NULL;

  OK(jamstat_aggregator_schema(a, &s));
  OK(jamstat_schema_dimension_labels(s, 1, &labels_sv, &labels_en));
  CHECK(strcmp(labels_sv, "Institution") == 0 && strcmp(labels_en, "Department") == 0);
  jamstat_schema_free(&s);

  options.adjust_for = adjust;
  options.adjust_for_count = 1;
  options.current_period = "1973";
  OK(jamstat_gap_report_new(a, &options, &report));
  OK(jamstat_gap_report_findings(report, &f));
  OK(jamstat_gap_report_tests(report, &tests, &alpha));
  CHECK(f.count > 0 && tests > 0);
  NEAR(alpha, 0.05, 1e-12);
  for (i = 0; i < f.count; ++i) {
    if (f.kind[i] != JAMSTAT_FINDING_OUTCOME || f.grouping_dimension[i] != -1 || f.period[i] != JAMSTAT_PERIOD_CURRENT) continue;
    if (f.adjusted[i]) adjusted = (int)i;
    else raw = (int)i;
  }
  CHECK(raw >= 0 && adjusted >= 0);
  if (raw >= 0 && adjusted >= 0) {
    /* Raw: women 557 / 1835, men 1198 / 2691 admitted. */
    CHECK(f.women.amount[raw] == 557 && f.women.base[raw] == 1835);
    CHECK(f.men.amount[raw] == 1198 && f.men.base[raw] == 2691);
    NEAR(f.difference[raw], 557.0 / 1835 - 1198.0 / 2691, 1e-12);
    CHECK(f.effect[raw] == JAMSTAT_EFFECT_PROPORTION_DIFFERENCE && f.q_value[raw] < 0.05);
    /* Adjusted for department: the Mantel-Haenszel odds ratio of women vs men.
     * R: mantelhaen.test(aperm(UCBAdmissions, c(2, 1, 3))[2:1, , ])$estimate = 1.1053426615022164;
     * mantelhaen.test(..., correct = FALSE)$p.value = 0.21692369705551723 */
    NEAR(f.odds_ratio[adjusted], 1.1053426615022164, 1e-10);
    NEAR(f.p_value[adjusted], 0.21692369705551723, 1e-10);
    CHECK(f.method[adjusted] == JAMSTAT_TEST_COCHRAN_MANTEL_HAENSZEL);
    CHECK(f.adjusted_for[adjusted] == (uint64_t)1 << 1); /* schema dimension 1 */
    CHECK(strstr(f.adjusted_for_en[adjusted], "department") != NULL || strstr(f.adjusted_for_en[adjusted], "Department") != NULL);
    CHECK(strlen(f.verdict_sv[adjusted]) > 0 && strlen(f.verdict_en[adjusted]) > 0);
    CHECK(strcmp(f.period_label[raw], "1973") == 0);
    CHECK(f.persons[raw] == UINT64_MAX); /* persons are not counted here */
    CHECK(f.participations[raw] == 4526);
  }
  jamstat_gap_report_free(&report);
  CHECK(report == NULL);

  /* Bad options: unknown names, a wrong struct. */
  {
    const char *nope[1] = {"nope"};
    options.adjust_for = nope;
    FAILS(jamstat_gap_report_new(a, &options, &report), JAMSTAT_ERROR_INVALID_ARGUMENT, "nope");
    options.adjust_for = adjust;
    options.offered_outcomes = nope;
    options.offered_outcome_count = 1;
    FAILS(jamstat_gap_report_new(a, &options, &report), JAMSTAT_ERROR_INVALID_ARGUMENT, "no outcome is called 'nope'");
    options.offered_outcome_count = 0;
    options.exact_rule = 9;
    FAILS(jamstat_gap_report_new(a, &options, &report), JAMSTAT_ERROR_INVALID_ARGUMENT, "exact_rule is 9");
  }
  jamstat_aggregator_free(&a);
}

static void test_target_group_and_periods(void) {
  jamstat_aggregator *now = ucb_aggregator(), *before = ucb_aggregator();
  jamstat_schema *s = NULL;
  jamstat_target_group *target = NULL;
  jamstat_gap_report *report = NULL;
  jamstat_gap_options options = JAMSTAT_GAP_OPTIONS_INIT;
  jamstat_findings f = JAMSTAT_FINDINGS_INIT;
  uint64_t i;
  int rates = 0, changes = 0;
  OK(jamstat_aggregator_schema(now, &s));
  /* A target group by sex alone: 10,000 women and 12,000 men. */
  OK(jamstat_target_group_new(s, NULL, 0, &target));
  OK(jamstat_target_group_add(target, NULL, 0, JAMSTAT_SEX_FEMALE, 10000));
  OK(jamstat_target_group_add(target, NULL, 0, JAMSTAT_SEX_MALE, 12000));
  FAILS(jamstat_target_group_add(target, NULL, 0, 7, 10), JAMSTAT_ERROR_INVALID_ARGUMENT, "sex");
  options.target = target;
  options.previous = before;
  options.current_period = "1974";
  options.previous_period = "1973";
  OK(jamstat_gap_report_new(now, &options, &report));
  OK(jamstat_gap_report_findings(report, &f));
  for (i = 0; i < f.count; ++i) {
    if (f.kind[i] == JAMSTAT_FINDING_PARTICIPATION_RATE && f.period[i] == JAMSTAT_PERIOD_CURRENT && f.grouping_dimension[i] == -1) {
      ++rates;
      /* rates per participant (persons are not counted: participations): 1835 / 10000, 2691 / 12000 */
      NEAR(f.women.estimate[i], 0.1835, 1e-12);
      NEAR(f.men.estimate[i], 2691.0 / 12000, 1e-12);
    }
    if (f.period[i] == JAMSTAT_PERIOD_CHANGE && f.kind[i] == JAMSTAT_FINDING_OUTCOME && f.grouping_dimension[i] == -1 && !f.adjusted[i]) {
      ++changes;
      NEAR(f.difference[i] + 1.0, 1.0, 1e-12); /* the same data both periods: no change */
    }
  }
  CHECK(rates == 1);
  CHECK(changes == 1);
  jamstat_gap_report_free(&report);
  jamstat_target_group_free(&target);
  jamstat_schema_free(&s);
  jamstat_aggregator_free(&now);
  jamstat_aggregator_free(&before);
}

int main(void) {
  test_ucb_admissions();
  test_target_group_and_periods();
  printf("c_api: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
