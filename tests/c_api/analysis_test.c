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


/* --- intersectional analyses -------------------------------------------------------------------- */

/* The MAIHDA test data of tests/analysis/maihda_test_strata.hpp (generated by
 * tests/reference/intersectional/maihda_data.R; do not edit): per stratum sex (0 women, 1 men),
 * age band, birth region, education, participations, participations in work. */
static const unsigned planted[54][6] = {
    {0, 0, 0, 0, 25, 10},
    {0, 0, 0, 1, 55, 29},
    {0, 0, 0, 2, 16, 8},
    {0, 0, 1, 0, 58, 28},
    {0, 0, 1, 1, 26, 16},
    {0, 0, 1, 2, 17, 10},
    {0, 0, 2, 0, 31, 7},
    {0, 0, 2, 1, 120, 3},
    {0, 0, 2, 2, 45, 25},
    {0, 1, 0, 0, 41, 26},
    {0, 1, 0, 1, 29, 17},
    {0, 1, 0, 2, 55, 38},
    {0, 1, 1, 0, 10, 4},
    {0, 1, 1, 1, 57, 37},
    {0, 1, 1, 2, 12, 7},
    {0, 1, 2, 0, 11, 6},
    {0, 1, 2, 1, 5, 0},
    {0, 1, 2, 2, 9, 8},
    {0, 2, 0, 0, 15, 6},
    {0, 2, 0, 1, 44, 10},
    {0, 2, 0, 2, 46, 28},
    {0, 2, 1, 0, 38, 19},
    {0, 2, 1, 1, 50, 17},
    {0, 2, 1, 2, 56, 31},
    {0, 2, 2, 0, 7, 3},
    {0, 2, 2, 1, 46, 12},
    {0, 2, 2, 2, 51, 20},
    {1, 0, 0, 0, 59, 26},
    {1, 0, 0, 1, 28, 18},
    {1, 0, 0, 2, 57, 39},
    {1, 0, 1, 0, 14, 6},
    {1, 0, 1, 1, 17, 9},
    {1, 0, 1, 2, 57, 40},
    {1, 0, 2, 0, 59, 21},
    {1, 0, 2, 1, 39, 19},
    {1, 0, 2, 2, 10, 5},
    {1, 1, 0, 0, 60, 33},
    {1, 1, 0, 1, 38, 25},
    {1, 1, 0, 2, 32, 27},
    {1, 1, 1, 0, 37, 27},
    {1, 1, 1, 1, 34, 25},
    {1, 1, 1, 2, 41, 32},
    {1, 1, 2, 0, 38, 19},
    {1, 1, 2, 1, 60, 35},
    {1, 1, 2, 2, 44, 31},
    {1, 2, 0, 0, 4, 1},
    {1, 2, 0, 1, 21, 16},
    {1, 2, 0, 2, 41, 27},
    {1, 2, 1, 0, 9, 5},
    {1, 2, 1, 1, 20, 8},
    {1, 2, 1, 2, 5, 2},
    {1, 2, 2, 0, 44, 18},
    {1, 2, 2, 1, 5, 1},
    {1, 2, 2, 2, 15, 10}};

static jamstat_aggregator *planted_aggregator(void) {
  jamstat_schema_builder *b = NULL;
  jamstat_schema *s = NULL;
  jamstat_aggregator *a = NULL;
  const int32_t codes[3] = {0, 1, 2};
  const char *age[3] = {"16\xE2\x80\x93" "29", "30\xE2\x80\x93" "49", "50\xE2\x80\x93" "64"};
  const char *birth[3] = {"Sverige", "Europa utom Sverige", "Utanf\xC3\xB6r Europa"};
  const char *edu[3] = {"F\xC3\xB6rgymnasial", "Gymnasial", "Eftergymnasial"};
  size_t r;
  unsigned i;
  OK(jamstat_schema_builder_new(&b));
  OK(jamstat_schema_builder_add_dimension(b, "age", 3, codes, age, age));
  OK(jamstat_schema_builder_add_dimension(b, "birth", 3, codes, birth, birth));
  OK(jamstat_schema_builder_add_dimension(b, "education", 3, codes, edu, edu));
  OK(jamstat_schema_builder_add_outcome(b, "in_work", "I arbete", "In work"));
  OK(jamstat_schema_build(b, &s));
  jamstat_schema_builder_free(&b);
  OK(jamstat_aggregator_new(s, NULL, &a));
  for (r = 0; r < 54; ++r)
    for (i = 0; i < planted[r][4]; ++i) {
      const int32_t c[4] = {planted[r][0] == 0 ? JAMSTAT_SEX_FEMALE : JAMSTAT_SEX_MALE, (int32_t)planted[r][1], (int32_t)planted[r][2],
                            (int32_t)planted[r][3]};
      const int32_t o[1] = {i < planted[r][5] ? 1 : 0};
      OK(jamstat_aggregator_add(a, c, 4, o, 1, NULL, 0, NULL, NULL));
    }
  jamstat_schema_free(&s);
  return a;
}

static void test_maihda_and_decomposition(void) {
  jamstat_aggregator *a = planted_aggregator();
  jamstat_maihda *m = NULL;
  jamstat_maihda_options mo = JAMSTAT_MAIHDA_OPTIONS_INIT;
  jamstat_maihda_model null_model = JAMSTAT_MAIHDA_MODEL_INIT, additive = JAMSTAT_MAIHDA_MODEL_INIT;
  jamstat_decomposition *d = NULL;
  jamstat_oaxaca_options oo = JAMSTAT_OAXACA_OPTIONS_INIT;
  jamstat_decomposition_result dr = JAMSTAT_DECOMPOSITION_RESULT_INIT;
  jamstat_gap_report *strata = NULL;
  jamstat_strata st = JAMSTAT_STRATA_INIT;
  jamstat_findings f = JAMSTAT_FINDINGS_INIT;
  const char *dims[3] = {"age", "birth", "education"};
  const uint64_t *interactions = NULL;
  size_t n_interactions = 0;
  double pcv = 0, auc_null = 0, auc_additive = 0;
  uint64_t i;

  /* MAIHDA, logistic, Laplace. R (lme4 1.1.31):
   * glmer(in_work ~ 1 + (1 | stratum), data = d, family = binomial)                  theta 0.73909830962856971
   * glmer(in_work ~ sex + age + birth + education + (1 | stratum), ..., family = binomial)  theta 0.34738252500937294
   * AUC of the null model's stratum predictions (pROC / wilcox.test): 0.71240214446301953 */
  mo.dimensions = dims;
  mo.dimension_count = 3;
  OK(jamstat_maihda_new(a, &mo, &m));
  OK(jamstat_maihda_model_get(m, JAMSTAT_MAIHDA_NULL, &null_model));
  OK(jamstat_maihda_model_get(m, JAMSTAT_MAIHDA_ADDITIVE, &additive));
  NEAR(null_model.theta, 0.73909830962856971, 1e-5);
  NEAR(additive.theta, 0.34738252500937294, 1e-4);
  NEAR(null_model.between_variance, null_model.theta * null_model.theta, 1e-12);
  CHECK(null_model.stratum_count == 54 && additive.stratum_count == 54);
  NEAR(null_model.residual_variance, 3.14159265358979 * 3.14159265358979 / 3, 1e-12);
  OK(jamstat_maihda_summary(m, &pcv, &auc_null, &auc_additive));
  NEAR(pcv, (null_model.between_variance - additive.between_variance) / null_model.between_variance, 1e-12);
  NEAR(auc_null, 0.71240214446301953, 1e-9);
  /* The planted interaction (young women born outside Europe with upper secondary education) is
   * the additive model's clearly non-zero stratum. */
  OK(jamstat_maihda_interactions(m, &interactions, &n_interactions));
  CHECK(n_interactions >= 1);
  if (n_interactions >= 1) {
    const uint64_t s = interactions[0];
    CHECK(additive.clearly_nonzero[s] == 1);
    CHECK(strstr(additive.label[s], "Kvinnor") != NULL && strstr(additive.label[s], "Utanf\xC3\xB6r Europa") != NULL &&
          strstr(additive.label[s], "Gymnasial") != NULL);
    CHECK(additive.levels[0][s] == 2 && additive.levels[1][s] == 0); /* sex level index 2 (women), the youngest band */
  }
  FAILS(jamstat_maihda_model_get(m, 5, &additive), JAMSTAT_ERROR_INVALID_ARGUMENT, "which is 5");
  jamstat_maihda_free(&m);
  mo.subject = 3;
  FAILS(jamstat_maihda_new(a, &mo, &m), JAMSTAT_ERROR_INVALID_ARGUMENT, "outcome 3 is out of range");

  /* Oaxaca-Blinder of the gap in work, explained by age, birth region and education: the parts add
   * up to the gap, which is the difference of the exact proportions. */
  oo.characteristics = dims;
  oo.characteristic_count = 3;
  OK(jamstat_oaxaca_new(a, &oo, &d));
  OK(jamstat_decomposition_result_get(d, &dr));
  {
    uint64_t women = 0, men = 0, women_work = 0, men_work = 0, r;
    for (r = 0; r < 54; ++r) {
      if (planted[r][0] == 0) {
        women += planted[r][4];
        women_work += planted[r][5];
      } else {
        men += planted[r][4];
        men_work += planted[r][5];
      }
    }
    CHECK(dr.women_participations == women && dr.men_participations == men && dr.other_sex_participations == 0);
    NEAR(dr.gap, (double)women_work / (double)women - (double)men_work / (double)men, 1e-12);
  }
  NEAR(dr.explained + dr.unexplained, dr.gap, 1e-12);
  CHECK(dr.term_count > 0 && dr.gap_se > 0 && dr.explained_se > 0);
  jamstat_decomposition_free(&d);
  oo.nonlinear = 1;
  OK(jamstat_oaxaca_new(a, &oo, &d));
  OK(jamstat_decomposition_result_get(d, &dr));
  NEAR(dr.explained + dr.unexplained, dr.gap, 1e-12);
  CHECK(dr.endowments != dr.endowments); /* NaN: no threefold parts in the nonlinear decomposition */
  jamstat_decomposition_free(&d);

  /* The strata table of age x birth region crossed with sex. */
  OK(jamstat_strata_report_new(a, dims, 2, NULL, &strata));
  OK(jamstat_gap_report_strata(strata, &st));
  CHECK(st.dimension_count == 2 && st.count == 9 && st.dimensions[0] == 1 && st.dimensions[1] == 2);
  CHECK(strcmp(st.label_sv[8], "50\xE2\x80\x93" "64 \xC2\xB7 Utanf\xC3\xB6r Europa") == 0);
  OK(jamstat_gap_report_findings(strata, &f));
  {
    int in_strata = 0;
    for (i = 0; i < f.count; ++i)
      if (f.grouping_dimension[i] == 0 && f.kind[i] == JAMSTAT_FINDING_OUTCOME) ++in_strata;
    CHECK(in_strata == 9);
  }
  jamstat_gap_report_free(&strata);
  jamstat_aggregator_free(&a);
}

int main(void) {
  test_ucb_admissions();
  test_target_group_and_periods();
  test_maihda_and_decomposition();
  printf("c_api: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
