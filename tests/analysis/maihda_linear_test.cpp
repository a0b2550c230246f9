// MAIHDA linear against lme4::lmer on the microdata of tests/reference/intersectional/maihda_data.R
// (1,863 participations in 54 strata). Reference values: tests/reference/intersectional/
// maihda_reference.R, R 4.2.2, lme4 1.1.31, lmer's default settings.
//
// Tolerances: lmer's optimizer (nloptwrap/bobyqa, xtol_abs 1e-8 on θ) leaves θ within ~2e-7 of
// the optimum, so θ and everything derived from it is compared at 1e-6 relative (observed: θ
// 1.3e-7, the fixed effects 1e-9); the criterion at 1e-12 relative (it is flat at the optimum).
#include "jamstat/analysis/maihda_linear.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "jamstat/engine/errors.hpp"
#include "maihda_lme4_strata.hpp"
#include "maihda_test_fixtures.hpp"

namespace jamstat::analysis {
namespace {

using test_data::near_relative;

#define EXPECT_REL(actual, expected, tol) EXPECT_NEAR((actual), (expected), (tol) * std::abs(expected))

void expect_fixed_effects(const maihda_fit& fit, const std::vector<double>& estimate, const std::vector<double>& se,
                          double tol) {
  ASSERT_EQ(fit.fixed_effects.size(), estimate.size());
  for (std::size_t i = 0; i < estimate.size(); ++i) {
    EXPECT_REL(fit.fixed_effects[i].estimate, estimate[i], tol) << fit.fixed_effects[i].term;
    EXPECT_REL(fit.fixed_effects[i].standard_error, se[i], tol) << fit.fixed_effects[i].term;
  }
}

class MaihdaLinear : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reml_ = new maihda_linear_result(fit_maihda_linear(test_data::planted_dimensions(), test_data::planted_hours()));
  }
  static void TearDownTestSuite() { delete reml_; }
  static maihda_linear_result* reml_;
};
maihda_linear_result* MaihdaLinear::reml_ = nullptr;

// R: m0 <- lmer(hours ~ 1 + (1 | stratum), data = d, REML = TRUE)
//    getME(m0, "theta"); as.data.frame(VarCorr(m0))$vcov[1]; sigma(m0)^2; REMLcrit(m0); fixef; sqrt(diag(vcov))
TEST_F(MaihdaLinear, NullModelMatchesLmerReml) {
  const maihda_fit& m = reml_->null_model;
  EXPECT_REL(m.theta, 0.70951733663066552, 1e-6);
  EXPECT_REL(m.between_variance, 7.8776514801462927, 1e-6);
  EXPECT_REL(m.residual_variance, 15.648428855086571, 1e-6);
  EXPECT_REL(m.vpc, 0.33484759755532473, 1e-6);
  EXPECT_REL(m.deviance, 10555.595781520884, 1e-12);
  EXPECT_FALSE(m.boundary);
  expect_fixed_effects(m, {20.425353803568701}, {0.40013696698117263}, 1e-6);
  EXPECT_EQ(m.fixed_effects[0].term, "(Intercept)");
  EXPECT_EQ(m.strata.size(), 54u);
}

// R: m1 <- lmer(hours ~ sex + age + birth + education + (1 | stratum), data = d, REML = TRUE)
TEST_F(MaihdaLinear, AdditiveModelMatchesLmerReml) {
  const maihda_fit& m = reml_->additive_model;
  EXPECT_REL(m.theta, 0.40142300229737604, 1e-6);
  EXPECT_REL(m.between_variance, 2.5179679586459254, 1e-6);
  EXPECT_REL(m.residual_variance, 15.625923358054324, 1e-6);
  EXPECT_REL(m.vpc, 0.13877772494857832, 1e-6);
  EXPECT_REL(m.deviance, 10489.907327476201, 1e-12);
  expect_fixed_effects(m,
                       {19.76235390459907, 2.8844500144010032, -0.92046863664551481, -2.7571331160484198,
                        0.933877655231243, -2.3786371745587993, 0.52290658039623561, 2.0521006878758055},
                       {0.68353512571845276, 0.48947163482451639, 0.58915433693851849, 0.60018398743267809,
                        0.59275304550539709, 0.5961563083159126, 0.5980434357487554, 0.60128177429599705},
                       1e-6);
  EXPECT_EQ(m.fixed_effects[1].term, "kön: Män");
  EXPECT_EQ(m.fixed_effects[6].term, "utbildning: Gymnasial");
  EXPECT_EQ(m.fixed_effects[6].dimension, 3u);
  EXPECT_EQ(m.fixed_effects[6].level, 1u);
}

// R: (VarCorr(m0)$vcov[1] - VarCorr(m1)$vcov[1]) / VarCorr(m0)$vcov[1]
TEST_F(MaihdaLinear, ProportionalChangeInVariance) { EXPECT_REL(reml_->pcv, 0.68036565656758841, 1e-6); }

// R: ranef(m, condVar = TRUE) with sqrt(attr(, "postVar")), fitted(m) per stratum, and the
// prediction error sd of x_j'β + u_j from Henderson's mixed model equations inverted explicitly
// (maihda_reference.R: pev_sd). Absolute tolerance 1e-6 on the scale of the outcome (sd 4).
TEST_F(MaihdaLinear, ShrunkenPredictionsMatchLmer) {
  struct expected {
    const maihda_fit* fit;
    const std::array<double, 54>* ranef;
    const std::array<double, 54>* condsd;
    const std::array<double, 54>* fitted;
    const std::array<double, 54>* pev;
  };
  for (const expected& e : {expected{&reml_->null_model, &test_data::lmer_null_ranef, &test_data::lmer_null_condsd,
                                     &test_data::lmer_null_fitted, &test_data::lmer_null_pev_sd},
                            expected{&reml_->additive_model, &test_data::lmer_additive_ranef,
                                     &test_data::lmer_additive_condsd, &test_data::lmer_additive_fitted,
                                     &test_data::lmer_additive_pev_sd}}) {
    ASSERT_EQ(e.fit->strata.size(), 54u);
    for (std::size_t j = 0; j < 54; ++j) {
      const maihda_stratum& s = e.fit->strata[j];
      EXPECT_EQ(s.input_index, j);
      EXPECT_NEAR(s.random_effect, (*e.ranef)[j], 1e-6) << j;
      EXPECT_NEAR(s.random_effect_sd, (*e.condsd)[j], 1e-6) << j;
      EXPECT_NEAR(s.predicted, (*e.fitted)[j], 1e-6) << j;
      EXPECT_NEAR(s.linear_predictor_sd, (*e.pev)[j], 1e-6) << j;
      EXPECT_NEAR(s.predicted_upper - s.predicted, 1.959963984540054 * (*e.pev)[j], 1e-5) << j;
      EXPECT_NEAR(s.random_effect_upper - s.random_effect, 1.959963984540054 * (*e.condsd)[j], 1e-5) << j;
      EXPECT_NEAR(s.fixed_part + s.random_effect, s.predicted, 1e-12);
      EXPECT_EQ(s.participations, test_data::planted_strata[j].n);
      EXPECT_DOUBLE_EQ(s.observed, test_data::planted_strata[j].hours_mean);
    }
  }
}

// The planted interaction is the additive model's largest clearly non-zero random effect, named by
// its levels; the set of flagged strata is R's: which(abs(ranef) > qnorm(0.975) * sqrt(condVar)).
TEST_F(MaihdaLinear, FindsAndNamesThePlantedInteraction) {
  ASSERT_FALSE(reml_->interactions.empty());
  const maihda_stratum& top = reml_->interactions.front();
  EXPECT_EQ(top.label, test_data::planted_label);
  EXPECT_EQ(top.input_index, test_data::planted_index);
  EXPECT_EQ(top.levels, (std::vector<std::uint32_t>{0, 0, 2, 1}));
  EXPECT_LT(top.random_effect_upper, 0.0);  // fewer hours than the additive model says
  std::set<std::size_t> flagged;
  for (const maihda_stratum& s : reml_->interactions) flagged.insert(s.input_index);
  EXPECT_EQ(flagged, (std::set<std::size_t>{1, 7, 10, 13, 15, 20, 25, 36, 38, 39, 43, 44}));
  for (std::size_t i = 1; i < reml_->interactions.size(); ++i)
    EXPECT_GE(std::abs(reml_->interactions[i - 1].random_effect), std::abs(reml_->interactions[i].random_effect));
}

// R: lmer(..., REML = FALSE); deviance(m)
TEST(MaihdaLinearMl, MatchesLmerMl) {
  maihda_linear_options ml;
  ml.criterion = variance_criterion::ml;
  const maihda_linear_result r = fit_maihda_linear(test_data::planted_dimensions(), test_data::planted_hours(), ml);
  EXPECT_REL(r.null_model.theta, 0.70252076473297842, 1e-6);
  EXPECT_REL(r.null_model.between_variance, 7.7229099211573837, 1e-6);
  EXPECT_REL(r.null_model.residual_variance, 15.648136955962938, 1e-6);
  EXPECT_REL(r.null_model.deviance, 10555.592639029172, 1e-12);
  expect_fixed_effects(r.null_model, {20.425434905779216}, {0.39651472612082678}, 1e-6);
  EXPECT_REL(r.additive_model.theta, 0.36700462946873436, 1e-6);
  EXPECT_REL(r.additive_model.between_variance, 2.1034280916903927, 1e-6);
  EXPECT_REL(r.additive_model.residual_variance, 15.616531609203415, 1e-6);
  EXPECT_REL(r.additive_model.vpc, 0.11870388687082027, 1e-6);
  EXPECT_REL(r.additive_model.deviance, 10492.721041604525, 1e-12);
  expect_fixed_effects(r.additive_model,
                       {19.770445130179152, 2.8979222547005636, -0.93424127587867323, -2.7434686855210413,
                        0.93386036597278055, -2.4102644534385407, 0.49553354361819557, 2.0425541948948953},
                       {0.63570136118072584, 0.4559615567607801, 0.54777751732985136, 0.55901374340847154,
                        0.55139343319865641, 0.55460326940381199, 0.55664772273834351, 0.56016090753411396},
                       1e-6);
  EXPECT_REL(r.pcv, 0.72763788349674741, 1e-6);
}

// Stratum means exactly additive: lme4 reports a singular fit with θ = 0.
// R: lmer(hours ~ sex + age + (1 | stratum), data = boundary_microdata(), REML = TRUE)
TEST(MaihdaLinearBoundary, AdditiveModelAtZeroVariance) {
  const std::vector<stratum_dimension> dims{{"kön", {"Kvinnor", "Män"}}, {"åldersgrupp", {"16–29", "30–49", "50–64"}}};
  std::vector<measure_stratum> strata;
  for (const auto& r : test_data::boundary_strata)
    strata.push_back({{r.levels.begin(), r.levels.end()}, r.n, r.hours_mean, r.hours_within_ss});
  const maihda_linear_result r = fit_maihda_linear(dims, strata);
  EXPECT_TRUE(r.additive_model.boundary);
  EXPECT_EQ(r.additive_model.theta, 0.0);
  EXPECT_EQ(r.additive_model.between_variance, 0.0);
  EXPECT_REL(r.additive_model.residual_variance, 2.042857142857144, 1e-12);
  EXPECT_REL(r.additive_model.deviance, 134.20537744968158, 1e-12);
  expect_fixed_effects(r.additive_model, {10, 2.9999999999999956, 2.0000000000000013, -0.999999999999999},
                       {0.49296304709192512, 0.46245846499980192, 0.53947010185173749, 0.61782857248852752}, 1e-10);
  EXPECT_TRUE(r.interactions.empty());
  for (const maihda_stratum& s : r.additive_model.strata) {
    EXPECT_EQ(s.random_effect, 0.0);
    EXPECT_EQ(s.random_effect_sd, 0.0);
    EXPECT_FALSE(s.clearly_nonzero);
  }
  // R: lmer(hours ~ 1 + (1 | stratum), data = boundary_microdata(), REML = TRUE)
  EXPECT_FALSE(r.null_model.boundary);
  EXPECT_REL(r.null_model.theta, 1.4088506377798269, 1e-6);
  EXPECT_REL(r.null_model.residual_variance, 2.163632180284309, 1e-6);
  EXPECT_REL(r.null_model.deviance, 153.79734942517882, 1e-12);
  EXPECT_REL(r.pcv, 1.0, 1e-15);
}

// Strata defined by one dimension: the additive model has a fixed effect per stratum, so the
// stratum means are fitted exactly and the between-stratum variance is at its boundary (REML
// criterion constant in r², increasing in log|L|); β̂ are the stratum means' contrasts.
TEST(MaihdaLinearBoundary, SaturatedAdditiveModel) {
  const std::vector<stratum_dimension> dims{{"åldersgrupp", {"16–29", "30–49", "50–64"}}};
  const std::vector<measure_stratum> strata{{{0}, 12, 20.0, 130.0}, {{1}, 9, 23.5, 80.0}, {{2}, 15, 18.25, 160.0}};
  const maihda_fit m = fit_maihda_linear_model(dims, strata, maihda_model_kind::additive);
  EXPECT_TRUE(m.boundary);
  EXPECT_EQ(m.between_variance, 0.0);
  EXPECT_NEAR(m.fixed_effects[0].estimate, 20.0, 1e-12);
  EXPECT_NEAR(m.fixed_effects[1].estimate, 3.5, 1e-12);
  EXPECT_NEAR(m.fixed_effects[2].estimate, -1.75, 1e-12);
  EXPECT_NEAR(m.residual_variance, (130.0 + 80.0 + 160.0) / (36.0 - 3.0), 1e-12);  // the pooled within variance
  const maihda_fit null_model = fit_maihda_linear_model(dims, strata, maihda_model_kind::null_model);
  EXPECT_FALSE(null_model.boundary);
  EXPECT_GT(null_model.between_variance, 0.0);
}

// The raw sums Σy, Σy² (from R: sum(y), sum(y^2) per stratum) give the same fit.
TEST(MaihdaLinearInput, FromSumsGivesTheSameFit) {
  std::vector<measure_stratum> strata;
  for (const auto& r : test_data::planted_strata)
    strata.push_back(measure_stratum::from_sums({r.levels.begin(), r.levels.end()}, r.n, r.hours_sum, r.hours_sum_sq));
  const maihda_fit from_sums =
      fit_maihda_linear_model(test_data::planted_dimensions(), strata, maihda_model_kind::additive);
  const maihda_fit from_moments =
      fit_maihda_linear_model(test_data::planted_dimensions(), test_data::planted_hours(), maihda_model_kind::additive);
  EXPECT_REL(from_sums.theta, from_moments.theta, 1e-9);
  EXPECT_REL(from_sums.residual_variance, from_moments.residual_variance, 1e-11);
  for (std::size_t i = 0; i < from_sums.fixed_effects.size(); ++i)
    EXPECT_REL(from_sums.fixed_effects[i].estimate, from_moments.fixed_effects[i].estimate, 1e-10);
}

// The fit does not depend on the order of the strata, and strata without participations are left
// out (as lme4 never sees them), so the reference level stays the first level with participations.
TEST(MaihdaLinearInput, OrderAndEmptyStrataDoNotMatter) {
  std::vector<measure_stratum> strata = test_data::planted_hours();
  const maihda_fit base = fit_maihda_linear_model(test_data::planted_dimensions(), strata, maihda_model_kind::additive);
  std::reverse(strata.begin(), strata.end());
  std::vector<stratum_dimension> dims = test_data::planted_dimensions();
  dims[1].level_labels.insert(dims[1].level_labels.begin(), "0–15");  // an empty first age band
  for (measure_stratum& s : strata) ++s.levels[1];
  strata.push_back({{0, 0, 0, 0}, 0, 0.0, 0.0});
  const maihda_fit shuffled = fit_maihda_linear_model(dims, strata, maihda_model_kind::additive);
  EXPECT_REL(shuffled.theta, base.theta, 1e-10);
  ASSERT_EQ(shuffled.fixed_effects.size(), base.fixed_effects.size());
  EXPECT_EQ(shuffled.fixed_effects[2].term, "åldersgrupp: 30–49");
  for (std::size_t i = 0; i < base.fixed_effects.size(); ++i)
    EXPECT_REL(shuffled.fixed_effects[i].estimate, base.fixed_effects[i].estimate, 1e-9);
  ASSERT_EQ(shuffled.strata.size(), 54u);
  EXPECT_EQ(shuffled.strata[0].input_index, 0u);
  EXPECT_NEAR(shuffled.strata[0].random_effect, base.strata[53].random_effect, 1e-9);
}

TEST(MaihdaLinearInput, BadInputIsRejectedWithAClearError) {
  const auto dims = test_data::planted_dimensions();
  const auto good = test_data::planted_hours();
  auto expect_usage_error = [&](std::vector<measure_stratum> strata, const std::string& fragment,
                                maihda_linear_options options = {}) {
    try {
      fit_maihda_linear(dims, strata, options);
      ADD_FAILURE() << "no error for " << fragment;
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  auto wrong_count = good;
  wrong_count[3].levels.pop_back();
  expect_usage_error(wrong_count, "stratum 3 has 3 level indices");
  auto out_of_range = good;
  out_of_range[5].levels[2] = 3;
  expect_usage_error(out_of_range, "level 3 of dimension 'födelseregion' is out of range");
  auto duplicate = good;
  duplicate[9].levels = duplicate[4].levels;
  expect_usage_error(duplicate, "strata 4 and 9 have the same levels");
  expect_usage_error({good[0]}, "1 strata have participations");
  auto one_each = good;
  for (measure_stratum& s : one_each) s.participations = 1;
  expect_usage_error(one_each, "must outnumber the strata");
  auto nan_mean = good;
  nan_mean[2].mean = std::nan("");
  expect_usage_error(nan_mean, "stratum 2 has a non-finite mean");
  maihda_linear_options bad_level;
  bad_level.interval_level = 1.0;
  expect_usage_error(good, "interval_level", bad_level);
  // Birth region determined by education across the strata: the additive design is rank deficient.
  std::vector<measure_stratum> collinear;
  for (const measure_stratum& s : good)
    if (s.levels[2] == s.levels[3]) collinear.push_back(s);
  expect_usage_error(collinear, "rank deficient");
  // No variation within any stratum: the between-stratum variance is unbounded.
  auto constant = good;
  for (measure_stratum& s : constant) s.within_ss = 0.0;
  expect_usage_error(constant, "unbounded");
  EXPECT_THROW(stratum_label(dims, {0, 0, 0}), usage_error);
  EXPECT_EQ(stratum_label(dims, {1, 2, 0, 2}), "Män · 50–64 · Sverige · Eftergymnasial");
}

}  // namespace
}  // namespace jamstat::analysis
