// The gap report end to end: UCBAdmissions (the raw gap reverses once stratified by department),
// participation against a target group, measures, other sex codes, roll-up cells, two periods,
// q-values, verdicts and bad input.
#include "jamstat/analysis/gap_report.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jamstat/analysis/multiple_testing.hpp"
#include "jamstat/analysis/period_change.hpp"
#include "jamstat/analysis/proportions.hpp"
#include "jamstat/analysis/resources.hpp"
#include "jamstat/analysis/stratified.hpp"
#include "jamstat/engine/errors.hpp"
#include "reference_values.hpp"

namespace jamstat::analysis {
namespace {

using testing::close;
using testing::closed_form;
using testing::r;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// --- UCBAdmissions: one dimension (department), one outcome (admitted).
gap_schema ucb_schema() {
  gap_schema s;
  gap_dimension dept{"department", {"Institution", "Department"}, {}};
  for (const char* d : {"A", "B", "C", "D", "E", "F"}) dept.levels.push_back({d, d});
  s.dimensions.push_back(dept);
  s.outcomes.push_back({"admitted", {"Antagen", "Admitted"}, outcome_role::result});
  return s;
}

struct ucb_row { std::uint64_t women_admitted, women, men_admitted, men; };
const ucb_row ucb_data[] = {{89, 108, 512, 825}, {17, 25, 353, 560}, {202, 593, 120, 325},
                            {131, 375, 138, 417}, {94, 393, 53, 191}, {24, 341, 22, 373}};

gap_cells ucb_cells(const gap_schema& s) {
  gap_cells cells(s);
  for (std::uint32_t d = 0; d < 6; ++d) {
    const std::uint32_t level[] = {d};
    const std::uint64_t women[] = {ucb_data[d].women_admitted}, men[] = {ucb_data[d].men_admitted};
    // one application per person
    cells.add(level, 2, ucb_data[d].women, ucb_data[d].women, women, {});
    cells.add(level, 1, ucb_data[d].men, ucb_data[d].men, men, {});
  }
  return cells;
}

const finding& find_one(const gap_report& report, const std::function<bool(const finding&)>& match) {
  const auto it = std::find_if(report.findings.begin(), report.findings.end(), match);
  if (it == report.findings.end()) {
    ADD_FAILURE() << "no such finding";
    static const finding none{};
    return none;
  }
  EXPECT_EQ(std::count_if(report.findings.begin(), report.findings.end(), match), 1);
  return *it;
}

TEST(GapReport, UcbAdmissionsGapIsExplainedByDepartment) {
  const gap_schema s = ucb_schema();
  const gap_cells cells = ucb_cells(s);
  gap_report_options options;
  options.adjust_for = {"department"};
  const gap_report report = build_gap_report(s, cells, options);

  const finding& raw = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::outcome && !f.adjusted && f.grouping_dimension == -1;
  });
  EXPECT_EQ(raw.status, finding_status::ok);
  EXPECT_EQ(raw.women.participations, 1835u);
  EXPECT_EQ(raw.men.participations, 2691u);
  EXPECT_EQ(raw.participations, 4526u);
  EXPECT_EQ(raw.persons, 4526u);
  EXPECT_DOUBLE_EQ(raw.women.estimate, 557.0 / 1835);
  EXPECT_DOUBLE_EQ(raw.men.estimate, 1198.0 / 2691);
  const estimate d = proportion_difference(557, 1835, 1198, 2691);
  EXPECT_EQ(raw.difference, d.value);
  EXPECT_EQ(raw.difference_lower, d.ci.lower);
  EXPECT_LT(raw.difference_upper, 0.0);
  EXPECT_TRUE(close(raw.p_value, r("prop.test(c(557, 1198), c(1835, 2691), correct = FALSE)$p.value"), 1e-8));
  EXPECT_EQ(raw.method, test_method::chi_square);
  EXPECT_EQ(raw.effect, effect_measure::proportion_difference);
  // Newcombe interval (-0.16957, -0.11321): statsmodels confint_proportions_2indep(557, 1835, 1198, 2691,
  // method="newcomb"); Mantel-Haenszel risk difference 0.01843, SE 0.01483 (py_reference.inc).
  EXPECT_EQ(raw.verdict_en, "Admitted: a lower share among women than among men (30.4% vs 44.5%); the difference is "
                            "14.2 percentage points (95% CI -17.0 to -11.3 percentage points).");
  EXPECT_EQ(raw.verdict_sv, "Antagen: lägre andel bland kvinnor än bland män (30,4 % mot 44,5 %); skillnaden är "
                            "14,2 procentenheter (95 % KI -17,0 till -11,3 procentenheter).");

  const finding& adj = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::outcome && f.adjusted && f.grouping_dimension == -1;
  });
  ASSERT_EQ(adj.status, finding_status::ok);
  EXPECT_EQ(adj.adjusted_for, 1u);
  EXPECT_EQ(adj.adjusted_for_sv, "institution");
  const stratum_2x2 strata[] = {{89, 108, 512, 825}, {17, 25, 353, 560}, {202, 593, 120, 325},
                                {131, 375, 138, 417}, {94, 393, 53, 191}, {24, 341, 22, 373}};
  const mantel_haenszel_result mh = mantel_haenszel(strata);
  EXPECT_EQ(adj.difference, mh.risk_difference.value);
  EXPECT_GT(adj.difference, 0.0);  // the sign reverses
  EXPECT_EQ(adj.odds_ratio, mh.odds_ratio.value);
  EXPECT_TRUE(close(adj.odds_ratio, r("mantelhaen.test(aperm(UCBAdmissions, c(2, 1, 3))[2:1, , ])$estimate"), closed_form));
  EXPECT_TRUE(close(adj.p_value, r("mantelhaen.test(aperm(UCBAdmissions, c(2, 1, 3))[2:1, , ], correct = FALSE)$p.value"),
                    closed_form));
  EXPECT_EQ(adj.method, test_method::cochran_mantel_haenszel);
  EXPECT_LT(adj.homogeneity_p_value, 0.01);  // department A differs
  EXPECT_EQ(adj.homogeneity_p_value, breslow_day_test(strata).test.p_value);
  // Directly standardized admission rates (standard: all applicants of each department).
  const std::string w = "ageadjust.direct(count = c(89, 17, 202, 131, 94, 24), pop = c(108, 25, 593, 375, 393, 341), "
                        "stdpop = c(933, 585, 918, 792, 584, 714))";
  const std::string m = "ageadjust.direct(count = c(512, 353, 120, 138, 53, 22), pop = c(825, 560, 325, 417, 191, 373), "
                        "stdpop = c(933, 585, 918, 792, 584, 714))";
  EXPECT_TRUE(close(adj.women.estimate, r(w + "[2]"), closed_form));
  EXPECT_TRUE(close(adj.women.upper, r(w + "[4]"), 1e-9));
  EXPECT_TRUE(close(adj.men.estimate, r(m + "[2]"), closed_form));
  EXPECT_TRUE(close(adj.men.lower, r(m + "[3]"), 1e-9));
  EXPECT_EQ(adj.verdict_en,
            "The difference is explained by department: after adjusting, there is no clear difference (1.8 percentage "
            "points higher for women, 95% CI -1.1 to 4.7 percentage points). Adjusted, the estimate even points the "
            "other way. The difference varies across the groups of department (Breslow-Day test, p = 0.002).");
  EXPECT_TRUE(contains(adj.verdict_sv, "Skillnaden förklaras av institution"));
  EXPECT_TRUE(contains(adj.verdict_sv, "åt andra hållet"));
}

TEST(GapReport, UcbAdmissionsByDepartmentAndDistribution) {
  const gap_schema s = ucb_schema();
  const gap_cells cells = ucb_cells(s);
  gap_report_options options;
  options.compare_across = {"department"};
  const gap_report report = build_gap_report(s, cells, options);
  // Department A: women are admitted more often.
  const finding& a = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::outcome && f.grouping_dimension == 0 && f.grouping_level == 0;
  });
  EXPECT_EQ(a.grouping_sv, "Institution: A");
  EXPECT_GT(a.difference, 0.0);
  EXPECT_LT(a.q_value, 0.05);
  EXPECT_TRUE(contains(a.verdict_sv, "högre andel bland kvinnor"));
  // The applications' distribution over departments (R: chisq.test on the applicants).
  const std::string app = "matrix(c(108, 25, 593, 375, 393, 341, 825, 560, 325, 417, 191, 373), 6)";
  const finding& dist = find_one(report, [](const finding& f) { return f.kind == finding_kind::distribution; });
  EXPECT_TRUE(close(dist.statistic, r("chisq.test(" + app + ", correct = FALSE)$statistic"), closed_form));
  EXPECT_TRUE(close(dist.p_value, r("chisq.test(" + app + ", correct = FALSE)$p.value"), closed_form, 1e-300));
  EXPECT_EQ(dist.df, 5.0);
  EXPECT_EQ(dist.method, test_method::chi_square);
  EXPECT_EQ(dist.verdict_en,
            "Women's and men's participations are distributed differently by department (chi-square test, p < 0.001).");
  for (int l = 0; l < 6; ++l) {
    const finding& lv = find_one(report, [&](const finding& f) {
      return f.kind == finding_kind::distribution_level && f.subject_level == l;
    });
    EXPECT_TRUE(close(lv.statistic, r("chisq.test(" + app + ")$stdres[" + std::to_string(l + 1) + ", 1]"), closed_form));
    EXPECT_DOUBLE_EQ(lv.women.estimate, double(ucb_data[l].women) / 1835);
  }
  // q-values: BH over every finding with a p.
  std::vector<double> p;
  for (const finding& f : report.findings) p.push_back(f.p_value);
  const std::vector<double> q = benjamini_hochberg(p);
  std::size_t tests = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_TRUE(close(report.findings[i].q_value, q[i], 0.0));
    if (!std::isnan(p[i])) {
      ++tests;
      EXPECT_GE(report.findings[i].q_value, report.findings[i].p_value);
      EXPECT_GE(report.findings[i].holm_p_value, report.findings[i].q_value);
    }
  }
  EXPECT_EQ(report.tests, tests);
  EXPECT_EQ(report.tests, 1u + 6u + 1u + 6u);  // outcome overall, per department; distribution and its levels
}

// --- a schema with age band and education, an outcome, a sub-intervention and hours.
gap_schema small_schema() {
  gap_schema s;
  s.dimensions.push_back({"age", {"Åldersgrupp", "Age band"}, {{"16-29 år", "16-29"}, {"30-64 år", "30-64"}}});
  s.dimensions.push_back({"education", {"Utbildning", "Education"}, {{"Förgymnasial", "Primary"}, {"Gymnasial", "Secondary"}}});
  s.outcomes.push_back({"work", {"I arbete eller studier", "In work or studies"}, outcome_role::result});
  s.outcomes.push_back({"training", {"Arbetsträning", "Work training"}, outcome_role::offered});
  s.measures.push_back({"hours", {"Timmar", "Hours"}, "h"});
  return s;
}

struct small_cell {
  std::uint32_t age, education;
  std::int32_t sex;
  std::uint64_t participations, persons, work, training;
  measure_moments hours;
};

gap_cells cells_of(const gap_schema& s, const std::vector<small_cell>& rows) {
  gap_cells cells(s);
  for (const small_cell& c : rows) {
    const std::uint32_t levels[] = {c.age, c.education};
    const std::uint64_t successes[] = {c.work, c.training};
    const measure_moments hours[] = {c.hours};
    cells.add(levels, c.sex, c.participations, c.persons, successes, hours);
  }
  return cells;
}

measure_moments moments_of(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  const double mean = sum / double(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return {v.size(), sum, mean, v.size() > 1 ? ss / double(v.size() - 1) : 0.0};
}

std::vector<double> values(std::size_t n, double start, double step) {
  std::vector<double> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(start + step * double(i % 17) + 0.25 * double(i % 3));
  return v;
}

std::vector<small_cell> small_rows() {
  return {
      {0, 0, 2, 60, 55, 20, 12, moments_of(values(60, 10, 1.5))}, {0, 0, 1, 40, 38, 18, 6, moments_of(values(40, 12, 1.0))},
      {0, 1, 2, 70, 66, 35, 20, moments_of(values(70, 14, 0.5))}, {0, 1, 1, 50, 47, 30, 9, moments_of(values(50, 15, 1.25))},
      {1, 0, 2, 55, 50, 15, 8, moments_of(values(55, 20, 2.0))},  {1, 0, 1, 45, 42, 14, 12, moments_of(values(45, 22, 1.5))},
      {1, 1, 2, 65, 60, 30, 15, moments_of(values(65, 18, 1.0))}, {1, 1, 1, 55, 51, 31, 13, moments_of(values(55, 21, 0.75))},
      {0, 0, 0, 4, 4, 1, 0, moments_of(values(4, 11, 1.0))},      {1, 1, 9, 2, 2, 1, 1, moments_of(values(2, 30, 2.0))},
  };
}

TEST(GapReport, MeasuresPoolCellMomentsExactly) {
  const gap_schema s = small_schema();
  const gap_cells cells = cells_of(s, small_rows());
  const gap_report report = build_gap_report(s, cells, {});
  const finding& mean = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::measure_mean && f.grouping_dimension == -1 && !f.adjusted;
  });
  // Two-pass moments over all women's values (independent of the cells' pooling).
  std::vector<double> women, men;
  const auto append = [](std::vector<double>& to, std::size_t n, double start, double step) {
    const std::vector<double> v = values(n, start, step);
    to.insert(to.end(), v.begin(), v.end());
  };
  append(women, 60, 10, 1.5); append(women, 70, 14, 0.5); append(women, 55, 20, 2.0); append(women, 65, 18, 1.0);
  append(men, 40, 12, 1.0); append(men, 50, 15, 1.25); append(men, 45, 22, 1.5); append(men, 55, 21, 0.75);
  const measure_moments w = moments_of(women), m = moments_of(men);
  EXPECT_TRUE(close(mean.women.estimate, w.mean, 1e-14));
  EXPECT_TRUE(close(mean.women.standard_error, std::sqrt(w.variance / double(w.count)), 1e-12));
  EXPECT_TRUE(close(mean.men.estimate, m.mean, 1e-14));
  const welch_result welch = welch_t_test({w.count, w.mean, w.variance}, {m.count, m.mean, m.variance});
  EXPECT_TRUE(close(mean.p_value, welch.test.p_value, 1e-10));
  EXPECT_TRUE(close(mean.difference_lower, welch.difference.ci.lower, 1e-12));
  EXPECT_EQ(mean.method, test_method::student_t);
  EXPECT_EQ(mean.not_known.participations, 4u);
  EXPECT_EQ(mean.not_applicable.participations, 2u);
  EXPECT_TRUE(close(mean.not_known.estimate, moments_of(values(4, 11, 1.0)).mean, 1e-15));
  // Per person: the sum over persons.
  const finding& per_person = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::measure_per_person && f.grouping_dimension == -1;
  });
  EXPECT_TRUE(close(per_person.women.estimate, w.sum / (55 + 66 + 50 + 60), 1e-14));
  EXPECT_TRUE(std::isnan(per_person.p_value));
  EXPECT_TRUE(contains(per_person.verdict_en, "no test"));
  // Resource share: the raw ratio from the same moments with every sex code.
  const finding& share = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::resource_share && f.grouping_dimension == -1 && !f.adjusted;
  });
  const measure_moments nk = moments_of(values(4, 11, 1.0)), na = moments_of(values(2, 30, 2.0));
  const sample_moments groups[] = {{nk.count, nk.mean, nk.variance}, {m.count, m.mean, m.variance},
                                   {w.count, w.mean, w.variance}, {na.count, na.mean, na.variance}};
  const resource_share expected = resource_share_ratio(groups, 4, 2);
  EXPECT_TRUE(close(share.ratio, expected.ratio.value, 1e-13));
  EXPECT_TRUE(close(share.ratio_log_standard_error, expected.ratio.standard_error, 1e-10));
  EXPECT_TRUE(close(share.women.amount, w.sum / (w.sum + m.sum + nk.sum + na.sum), 1e-13));
}

TEST(GapReport, AdjustedFindingsAndOfferedSubInterventions) {
  const gap_schema s = small_schema();
  const gap_cells cells = cells_of(s, small_rows());
  gap_report_options options;
  options.adjust_for = {"education", "age"};
  options.compare_across = {"age"};
  const gap_report report = build_gap_report(s, cells, options);
  // Overall, adjusted for age band and education: strata are the four age x education cells.
  const finding& adj = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::outcome && f.subject == 0 && f.adjusted && f.grouping_dimension == -1;
  });
  EXPECT_EQ(adj.adjusted_for, 3u);
  EXPECT_EQ(adj.adjusted_for_sv, "åldersgrupp och utbildning");
  EXPECT_EQ(adj.adjusted_for_en, "age band and education");
  const stratum_2x2 strata[] = {{20, 60, 18, 40}, {35, 70, 30, 50}, {15, 55, 14, 45}, {30, 65, 31, 55}};
  EXPECT_DOUBLE_EQ(adj.difference, mantel_haenszel(strata).risk_difference.value);
  EXPECT_DOUBLE_EQ(adj.p_value, cochran_mantel_haenszel_test(strata).p_value);
  EXPECT_EQ(adj.smallest_cell_persons, 38u);
  // Within age band 16-29, adjusted for education only.
  const finding& young = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::outcome && f.subject == 0 && f.adjusted && f.grouping_dimension == 0 &&
           f.grouping_level == 0;
  });
  EXPECT_EQ(young.adjusted_for, 2u);
  EXPECT_EQ(young.adjusted_for_en, "education");
  EXPECT_DOUBLE_EQ(young.difference, mantel_haenszel(std::span(strata, 2)).risk_difference.value);
  // The offered sub-intervention reads as an offer.
  const finding& offered = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::outcome && f.subject == 1 && !f.adjusted && f.grouping_dimension == -1;
  });
  EXPECT_TRUE(contains(offered.verdict_en, "Work training is offered to women")) << offered.verdict_en;
  EXPECT_TRUE(contains(offered.verdict_sv, "Arbetsträning erbjuds")) << offered.verdict_sv;
  // Adjusted mean difference of hours: stratified_mean_difference over the four strata.
  const finding& hours = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::measure_mean && f.adjusted && f.grouping_dimension == -1;
  });
  std::vector<stratum_moments> sm;
  const auto rows = small_rows();
  for (int k = 0; k < 4; ++k) {
    const measure_moments& a = rows[2 * k].hours;
    const measure_moments& b = rows[2 * k + 1].hours;
    sm.push_back({{a.count, a.mean, a.variance}, {b.count, b.mean, b.variance}});
  }
  // the strata order of the report (age major, education minor) equals the rows' order
  EXPECT_TRUE(close(hours.difference, stratified_mean_difference(sm).difference.value, 1e-13));
  EXPECT_TRUE(close(hours.p_value, stratified_mean_difference(sm).test.p_value, 1e-11));
  // Every finding has both verdicts; none is empty.
  for (const finding& f : report.findings) {
    EXPECT_FALSE(f.verdict_sv.empty());
    EXPECT_FALSE(f.verdict_en.empty());
  }
}

TEST(GapReport, TooFewPersonsToCompare) {
  const gap_schema s = small_schema();
  std::vector<small_cell> rows = small_rows();
  gap_report_options options;
  options.compare_across = {"education"};
  options.minimum_persons = 100;  // education groups have 116-126 women but 85-98 men
  const gap_report report = build_gap_report(s, cells_of(s, rows), options);
  const finding& f = find_one(report, [](const finding& x) {
    return x.kind == finding_kind::outcome && x.subject == 0 && x.grouping_dimension == 1 && x.grouping_level == 0;
  });
  EXPECT_EQ(f.status, finding_status::too_few_persons);
  EXPECT_TRUE(std::isnan(f.p_value));
  EXPECT_TRUE(std::isnan(f.q_value));
  EXPECT_FALSE(std::isnan(f.women.estimate));  // the figures are still shown
  EXPECT_EQ(f.verdict_sv, "För få personer för att jämföra (färre än 100 kvinnor eller män).");
  EXPECT_EQ(f.verdict_en, "Too few persons to compare (fewer than 100 women or men).");
  // No men at all: nothing to compare.
  std::vector<small_cell> women_only;
  for (const small_cell& c : rows) if (c.sex == 2) women_only.push_back(c);
  const gap_report none = build_gap_report(s, cells_of(s, women_only), {});
  for (const finding& x : none.findings) EXPECT_NE(x.status, finding_status::ok);
  EXPECT_EQ(none.tests, 0u);
}

TEST(GapReport, ParticipationAgainstTheTargetGroup) {
  const gap_schema s = small_schema();
  // Participants (persons) by age band: women 55+66 = 121 and 50+60 = 110; men 38+47 = 85 and 42+51 = 93.
  const gap_cells cells = cells_of(s, small_rows());
  target_group target({0});  // by age band
  const std::uint32_t young[] = {0}, old[] = {1};
  target.add(young, 2, 500);
  target.add(young, 1, 400);
  target.add(old, 2, 300);
  target.add(old, 1, 350);
  target.add(old, 0, 20);
  gap_report_options options;
  options.target = &target;
  options.compare_across = {"age"};
  options.adjust_for = {"age"};
  const gap_report report = build_gap_report(s, cells, options);
  const finding& rate = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::participation_rate && f.grouping_dimension == -1 && !f.adjusted;
  });
  EXPECT_EQ(rate.women.amount, 231.0);
  EXPECT_EQ(rate.women.base, 800.0);
  EXPECT_EQ(rate.men.amount, 178.0);
  EXPECT_EQ(rate.men.base, 750.0);
  EXPECT_DOUBLE_EQ(rate.difference, proportion_difference(231, 800, 178, 750).value);
  EXPECT_DOUBLE_EQ(rate.ratio, risk_ratio(231, 800, 178, 750).value);
  const finding& young_rate = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::participation_rate && f.grouping_dimension == 0 && f.grouping_level == 0;
  });
  EXPECT_EQ(young_rate.women.amount, 121.0);
  EXPECT_EQ(young_rate.men.base, 400.0);
  const finding& adjusted = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::participation_rate && f.adjusted;
  });
  const stratum_2x2 strata[] = {{121, 500, 85, 400}, {110, 300, 93, 350}};
  EXPECT_DOUBLE_EQ(adjusted.difference, mantel_haenszel(strata).risk_difference.value);
  EXPECT_DOUBLE_EQ(adjusted.p_value, cochran_mantel_haenszel_test(strata).p_value);
  // Women's share of the participants against the target group's, exact binomial test.
  const finding& share = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::participation_share && f.grouping_dimension == -1;
  });
  EXPECT_DOUBLE_EQ(share.women.estimate, 231.0 / 409);
  EXPECT_DOUBLE_EQ(share.difference, 231.0 / 409 - 800.0 / 1550);
  EXPECT_TRUE(close(share.p_value, binomial_test_p(231, 409, 800.0 / 1550), 0.0));
  EXPECT_EQ(share.method, test_method::exact);
  const interval w = wilson_interval(231, 409);
  EXPECT_DOUBLE_EQ(share.difference_lower, w.lower - 800.0 / 1550);
}

TEST(GapReport, ParticipationShareMatchesBinomTest) {
  // Women 180 of 350 participants; the target group is 800 women and 750 men.
  gap_schema s;
  s.dimensions.push_back({"all", {"Alla", "All"}, {{"alla", "all"}}});
  gap_cells cells(s);
  const std::uint32_t l0[] = {0};
  cells.add(l0, 2, 200, 180, {}, {});
  cells.add(l0, 1, 190, 170, {}, {});
  target_group target({});
  target.add({}, 2, 800);
  target.add({}, 1, 750);
  gap_report_options options;
  options.target = &target;
  const gap_report report = build_gap_report(s, cells, options);
  const finding& share = find_one(report, [](const finding& f) { return f.kind == finding_kind::participation_share; });
  EXPECT_TRUE(close(share.p_value, r("binom.test(180, 350, 800/1550)$p.value"), testing::iterative));
  EXPECT_EQ(share.verdict_en, "Women's share of the participants (51.4%) matches their share of the target group (51.6%).");
  const finding& rate = find_one(report, [](const finding& f) { return f.kind == finding_kind::participation_rate; });
  EXPECT_TRUE(close(rate.p_value, r("prop.test(c(180, 170), c(800, 750), correct = FALSE)$p.value"), closed_form));
  // More participants than the target group: not a rate.
  target_group small({});
  small.add({}, 2, 100);
  small.add({}, 1, 750);
  options.target = &small;
  const gap_report bad = build_gap_report(s, cells, options);
  const finding& not_rate = find_one(bad, [](const finding& f) { return f.kind == finding_kind::participation_rate; });
  EXPECT_EQ(not_rate.status, finding_status::not_a_rate);
  EXPECT_TRUE(contains(not_rate.verdict_en, "more participants than persons in the target group"));
}

TEST(GapReport, RolledUpCellsGiveExactPersons) {
  const gap_schema s = small_schema();
  gap_cells cells = cells_of(s, small_rows());
  // Without roll-ups persons are summed over finest cells and flagged.
  const gap_report summed = build_gap_report(s, cells, {});
  const finding& a = find_one(summed, [](const finding& f) {
    return f.kind == finding_kind::outcome && f.subject == 0 && f.grouping_dimension == -1;
  });
  EXPECT_FALSE(a.persons_exact);
  EXPECT_EQ(a.women.persons, 55u + 66 + 50 + 60);
  // With the total cells (persons counted once across cells) the report uses those.
  const std::uint32_t all[] = {all_levels, all_levels};
  const std::uint64_t women_success[] = {100, 55}, men_success[] = {93, 40}, nk_success[] = {1, 0}, na_success[] = {1, 1};
  const measure_moments none[] = {{0, 0, 0, 0}};
  cells.add(all, 2, 250, 200, women_success, none);
  cells.add(all, 1, 190, 160, men_success, none);
  cells.add(all, 0, 4, 4, nk_success, none);
  cells.add(all, 9, 2, 2, na_success, none);
  const gap_report exact = build_gap_report(s, cells, {});
  const finding& b = find_one(exact, [](const finding& f) {
    return f.kind == finding_kind::outcome && f.subject == 0 && f.grouping_dimension == -1;
  });
  EXPECT_TRUE(b.persons_exact);
  EXPECT_EQ(b.women.persons, 200u);
  EXPECT_EQ(b.persons, 366u);
  EXPECT_EQ(b.participations, 446u);
}

TEST(GapReport, ChangeBetweenPeriods) {
  const gap_schema s = small_schema();
  const gap_cells now = cells_of(s, small_rows());
  std::vector<small_cell> before_rows = small_rows();
  for (small_cell& c : before_rows) if (c.sex == 2) c.work = c.work * 3 / 4;  // women did worse before
  const gap_cells before = cells_of(s, before_rows);
  gap_report_options options;
  options.previous = &before;
  options.current_period = "2025";
  options.previous_period = "2024";
  const gap_report report = build_gap_report(s, now, options);
  const auto pick = [&](finding_period p) -> const finding& {
    return find_one(report, [p](const finding& f) {
      return f.kind == finding_kind::outcome && f.subject == 0 && f.grouping_dimension == -1 && f.period == p;
    });
  };
  const finding& cur = pick(finding_period::current);
  const finding& prev = pick(finding_period::previous);
  const finding& change = pick(finding_period::change);
  EXPECT_EQ(cur.period_label, "2025");
  EXPECT_EQ(prev.period_label, "2024");
  EXPECT_EQ(change.period_label, "2024–2025");
  const period_change expected = change_in_proportion_difference(
      100, 250, 93, 190, 20 * 3 / 4 + 35 * 3 / 4 + 15 * 3 / 4 + 30 * 3 / 4, 250, 93, 190);
  EXPECT_TRUE(close(change.difference, expected.change.value, 1e-14));
  EXPECT_TRUE(close(change.difference_lower, expected.change.ci.lower, 1e-14));
  EXPECT_TRUE(close(change.p_value, expected.test.p_value, 1e-12));
  EXPECT_DOUBLE_EQ(change.difference, cur.difference - prev.difference);
  EXPECT_EQ(change.persons, cur.persons + prev.persons);
  EXPECT_TRUE(contains(change.verdict_en, "since 2024")) << change.verdict_en;
  // Odds ratios' ratio.
  EXPECT_TRUE(close(change.odds_ratio, cur.odds_ratio / prev.odds_ratio, 1e-13));
  // Means: four-group Welch-Satterthwaite.
  const finding& hours = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::measure_mean && f.period == finding_period::change && !f.adjusted;
  });
  EXPECT_EQ(hours.method, test_method::student_t);
  EXPECT_NEAR(hours.difference, 0.0, 1e-12);  // hours did not change
  EXPECT_GT(hours.p_value, 0.99);
  // The change findings are in the family of the q-values.
  EXPECT_FALSE(std::isnan(change.q_value));
}

TEST(GapReport, ExactTestForSmallTables) {
  gap_schema s;
  s.dimensions.push_back({"type", {"Insatstyp", "Intervention type"}, {{"Coachning", "Coaching"}, {"Praktik", "Placement"}, {"Studier", "Studies"}}});
  s.outcomes.push_back({"work", {"I arbete", "In work"}, outcome_role::result});
  gap_cells cells(s);
  // matrix(c(3, 1, 4, 2, 0, 5), 3): women 3, 1, 4; men 2, 0, 5 participations per type
  const std::uint64_t w[] = {3, 1, 4}, m[] = {2, 0, 5};
  for (std::uint32_t t = 0; t < 3; ++t) {
    const std::uint32_t lv[] = {t};
    const std::uint64_t ws[] = {w[t] / 2}, ms[] = {m[t] / 2};
    cells.add(lv, 2, w[t], w[t], ws, {});
    cells.add(lv, 1, m[t], m[t], ms, {});
  }
  gap_report_options options;
  options.compare_across = {"type"};
  options.minimum_persons = 1;
  const gap_report report = build_gap_report(s, cells, options);
  const finding& dist = find_one(report, [](const finding& f) { return f.kind == finding_kind::distribution; });
  EXPECT_EQ(dist.method, test_method::exact);
  const std::uint64_t table[] = {3, 2, 1, 0, 4, 5};
  EXPECT_DOUBLE_EQ(dist.p_value, fisher_freeman_halton(table, 3, 2).p_value);
  EXPECT_TRUE(contains(dist.verdict_en, "exact test"));
  // The outcome's 2x2 with small expected counts: Fisher's test.
  const finding& outcome = find_one(report, [](const finding& f) {
    return f.kind == finding_kind::outcome && f.grouping_dimension == -1;
  });
  EXPECT_EQ(outcome.method, test_method::exact);
  EXPECT_DOUBLE_EQ(outcome.p_value, fisher_exact_2x2(1 + 0 + 2, 8 - 3, 1 + 0 + 2, 7 - 3).p_value);
}

TEST(GapReport, BadInputIsAUsageError) {
  const gap_schema s = small_schema();
  const gap_cells cells = cells_of(s, small_rows());
  gap_report_options options;
  options.compare_across = {"region"};
  try {
    build_gap_report(s, cells, options);
    ADD_FAILURE() << "no error";
  } catch (const usage_error& e) {
    EXPECT_TRUE(contains(e.what(), "no dimension named 'region'; the dimensions are: age, education")) << e.what();
  }
  options.compare_across = {};
  options.confidence_level = 1.0;
  EXPECT_THROW(build_gap_report(s, cells, options), usage_error);
  // A level outside its dimension.
  gap_cells bad(s);
  const std::uint32_t levels[] = {0, 5};
  const std::uint64_t succ[] = {0, 0};
  const measure_moments mm[] = {{0, 0, 0, 0}};
  bad.add(levels, 2, 1, 1, succ, mm);
  EXPECT_THROW(build_gap_report(s, bad, {}), usage_error);
  // Cell validation.
  gap_cells c(s);
  const std::uint32_t ok[] = {0, 0};
  EXPECT_THROW(c.add(ok, 3, 1, 1, succ, mm), usage_error);           // sex code
  const std::uint64_t too_many[] = {2, 0};
  EXPECT_THROW(c.add(ok, 2, 1, 1, too_many, mm), usage_error);       // successes > participations
  EXPECT_THROW(c.add(ok, 2, 1, 2, succ, mm), usage_error);           // persons > participations
  EXPECT_THROW(c.add(levels, 2, 1, 1, std::span<const std::uint64_t>(succ, 1), mm), usage_error);
  // Shape mismatch between cells and schema.
  gap_cells other(1, 0, 0);
  EXPECT_THROW(build_gap_report(s, other, {}), usage_error);
  target_group t({0});
  EXPECT_THROW(t.add(std::span<const std::uint32_t>(ok, 2), 2, 10), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis
