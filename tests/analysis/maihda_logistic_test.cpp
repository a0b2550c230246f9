// MAIHDA logistic against lme4::glmer(family = binomial) on the Bernoulli microdata of
// tests/reference/intersectional/maihda_data.R (1,863 participations, 950 in work, 54 strata).
// Reference values: tests/reference/intersectional/maihda_reference.R (R 4.2.2, lme4 1.1.31).
//
// Two references per model:
// - "tight": glmer with glmerControl(tolPwrss = 1e-13), then nlminb (rel.tol 1e-15) on glmer's
//   own deviance function (update(fit, devFunOnly = TRUE)); the Laplace/AGQ criterion is flat at
//   the optimum, so nlminb stops within ~2e-6 of θ. Estimates within 1e-5 relative, the criterion
//   within 1e-9 relative (observed 1e-14 for the additive model; the null model's lme4 criterion
//   carries a constant +3.4e-7 that an exact-mode R evaluation of the Laplace formula does not).
// - glmer's defaults: its PIRLS stops at a relative change of 1e-7 in the penalised deviance,
//   which moves its optimum by up to 3e-5 relative in these data; compared at 1e-4.
// Standard errors: lme4's vcov() inverts a finite-difference Hessian of its criterion
// (lme4:::deriv12, delta 1e-4) that is itself only good to ~1e-5 (it moves by 8e-6 between delta
// 1e-3 and 1e-4 here); compared at 2e-5.
#include "jamstat/analysis/maihda_logistic.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <numeric>

#include "gauss_hermite.hpp"
#include "jamstat/engine/errors.hpp"
#include "maihda_lme4_strata.hpp"
#include "maihda_test_fixtures.hpp"

namespace jamstat::analysis {
namespace {

#define EXPECT_REL(actual, expected, tol) EXPECT_NEAR((actual), (expected), (tol) * std::abs(expected))

void expect_fixed_effects(const maihda_fit& fit, const std::vector<double>& estimate, double estimate_tol,
                          const std::vector<double>& se, double se_tol) {
  ASSERT_EQ(fit.fixed_effects.size(), estimate.size());
  for (std::size_t i = 0; i < estimate.size(); ++i) {
    // Coefficients near 0 are compared relative to their standard error instead.
    EXPECT_NEAR(fit.fixed_effects[i].estimate, estimate[i], estimate_tol * std::max(std::abs(estimate[i]), se[i]))
        << fit.fixed_effects[i].term;
    EXPECT_REL(fit.fixed_effects[i].standard_error, se[i], se_tol) << fit.fixed_effects[i].term;
  }
}

class MaihdaLogistic : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    laplace_ = new maihda_logistic_result(fit_maihda_logistic(test_data::planted_dimensions(), test_data::planted_in_work()));
    maihda_logistic_options agq;
    agq.quadrature_nodes = 25;
    agq25_ = new maihda_logistic_result(fit_maihda_logistic(test_data::planted_dimensions(), test_data::planted_in_work(), agq));
  }
  static void TearDownTestSuite() {
    delete laplace_;
    delete agq25_;
  }
  static maihda_logistic_result* laplace_;
  static maihda_logistic_result* agq25_;
};
maihda_logistic_result* MaihdaLogistic::laplace_ = nullptr;
maihda_logistic_result* MaihdaLogistic::agq25_ = nullptr;

// R: glmer(in_work ~ 1 + (1 | stratum), data = d, family = binomial, nAGQ = 1). For this model
// glmer's criterion carries PIRLS noise (1e-9 to 1.5e-6 as the parameters move, even at
// tolPwrss = 1e-13) that shifts its finite-difference Hessian and vcov() by 4e-4. The tight
// reference is therefore the exact-mode evaluation of the same Laplace formula in
// maihda_reference.R (exact_laplace: modes by uniroot to 1e-15; nested optimize, tol 1e-12;
// lme4:::deriv12 for the Hessian), and glmer's own values are compared more loosely.
TEST_F(MaihdaLogistic, LaplaceNullModelMatchesGlmer) {
  const maihda_fit& m = laplace_->null_model;
  EXPECT_REL(m.theta, 0.73909712983216758, 1e-6);    // exact-mode Laplace
  EXPECT_REL(m.deviance, 2397.9788921547593, 1e-12);
  expect_fixed_effects(m, {0.084304691379361696}, 1e-6, {0.11697601550685992}, 2e-5);
  EXPECT_REL(m.theta, 0.73909830962844358, 1e-5);    // glmer tight
  EXPECT_REL(m.deviance, 2397.9788924975546, 1e-9);  // glmer's −2 logLik (its +3.4e-7 included)
  expect_fixed_effects(m, {0.084300994390854117}, 1e-4, {0.11692716405618979}, 1e-3);
  EXPECT_REL(m.theta, 0.73909830962856971, 1e-5);    // glmer defaults
  expect_fixed_effects(m, {0.084300994390813622}, 1e-4, {0.11692820756057989}, 1e-3);
  EXPECT_REL(m.vpc, 0.14240019976587423, 1e-5);      // θ²/(θ² + π²/3)
  EXPECT_REL(m.between_variance, m.theta * m.theta, 1e-15);
  EXPECT_DOUBLE_EQ(m.residual_variance, std::numbers::pi * std::numbers::pi / 3.0);
}

// R: glmer(in_work ~ sex + age + birth + education + (1 | stratum), data = d, family = binomial)
TEST_F(MaihdaLogistic, LaplaceAdditiveModelMatchesGlmer) {
  const maihda_fit& m = laplace_->additive_model;
  EXPECT_REL(m.theta, 0.34738368701716438, 1e-5);
  EXPECT_REL(m.deviance, 2351.334297322253, 1e-9);
  EXPECT_REL(m.vpc, 0.03538304786119785, 1e-5);
  expect_fixed_effects(m,
                       {-0.43292632729371783, 0.51770549677856803, 0.67752204922345949, -0.045183843272783679,
                        0.064517028744585994, -0.64777266654430354, -0.0097547271858665924, 0.74753244470099833},
                       1e-5,
                       {0.20008002341472714, 0.1467203420003888, 0.1730785178065789, 0.17837985374743517,
                        0.17530529291366562, 0.17539525977877002, 0.17633367112781551, 0.17967594960062294},
                       2e-5);
  EXPECT_REL(m.theta, 0.34738252500937294, 1e-4);  // defaults
  expect_fixed_effects(m,
                       {-0.4329251116787789, 0.5177119674273345, 0.67751783297278134, -0.04517585217423413,
                        0.064512290663071264, -0.64776930074186911, -0.0097516933092945818, 0.74752216214936285},
                       1e-4,
                       {0.20008280902166631, 0.14672295404140681, 0.17307755798591851, 0.17838255253447874,
                        0.17530148018249514, 0.17539940347674576, 0.17633228205487927, 0.1796792260081074},
                       1e-4);
  EXPECT_REL(laplace_->pcv, 0.77909048478676302, 1e-5);
}

// R: the same with nAGQ = 25 (adaptive Gauss-Hermite quadrature).
TEST_F(MaihdaLogistic, AdaptiveQuadratureMatchesGlmerNagq25) {
  const maihda_fit& n = agq25_->null_model;
  EXPECT_REL(n.theta, 0.7434807258935221, 1e-5);
  EXPECT_REL(n.deviance, 2397.3965501639068, 1e-9);
  expect_fixed_effects(n, {0.084172629773756238}, 1e-5, {0.11750588699875668}, 2e-5);
  const maihda_fit& m = agq25_->additive_model;
  EXPECT_REL(m.theta, 0.34996109916556861, 1e-5);
  EXPECT_REL(m.deviance, 2351.1802726508236, 1e-9);
  EXPECT_REL(m.vpc, 0.035891129975658062, 1e-5);
  expect_fixed_effects(m,
                       {-0.43269788694959693, 0.51762107846482164, 0.67748148755772941, -0.045122358564987537,
                        0.063964270202655646, -0.6476801572390759, -0.0098683938444892021, 0.74737518685104165},
                       1e-5,
                       {0.20081468111057585, 0.14723309080656088, 0.17371603032177241, 0.17902022973132392,
                        0.17593483432436266, 0.17605523589267202, 0.17698133065920443, 0.18031134834870244},
                       2e-5);
  EXPECT_REL(agq25_->pcv, 0.77843553158233547, 1e-5);
  EXPECT_EQ(agq25_->quadrature_nodes, 25);
  // The quadrature changes the criterion (a better approximation of the integral), not by much.
  EXPECT_LT(std::abs(m.deviance - laplace_->additive_model.deviance), 1.0);
  EXPECT_GT(std::abs(m.deviance - laplace_->additive_model.deviance), 0.01);
}

// Conditional modes b_j = θ û_j, sqrt(condVar) = θ/L_j and fitted probabilities at the tight
// optimum (R: environment(devfun)$pp$b(1) after devfun(optimum); plogis(Xβ + b)).
TEST_F(MaihdaLogistic, ConditionalModesMatchGlmer) {
  struct expected {
    const maihda_fit* fit;
    const std::array<double, 54>* ranef;
    const std::array<double, 54>* condsd;
    const std::array<double, 54>* fitted;
  };
  for (const expected& e : {expected{&laplace_->null_model, &test_data::glmer_null_ranef,
                                     &test_data::glmer_null_condsd, &test_data::glmer_null_fitted},
                            expected{&laplace_->additive_model, &test_data::glmer_additive_ranef,
                                     &test_data::glmer_additive_condsd, &test_data::glmer_additive_fitted},
                            expected{&agq25_->additive_model, &test_data::glmer25_additive_ranef,
                                     &test_data::glmer25_additive_condsd, nullptr}}) {
    ASSERT_EQ(e.fit->strata.size(), 54u);
    for (std::size_t j = 0; j < 54; ++j) {
      const maihda_stratum& s = e.fit->strata[j];
      EXPECT_NEAR(s.random_effect, (*e.ranef)[j], 1e-5) << j;
      EXPECT_NEAR(s.random_effect_sd, (*e.condsd)[j], 1e-5) << j;
      if (e.fitted) {
        EXPECT_NEAR(s.predicted, (*e.fitted)[j], 1e-6) << j;
      }
      EXPECT_LT(s.predicted_lower, s.predicted);
      EXPECT_GT(s.predicted_upper, s.predicted);
      EXPECT_DOUBLE_EQ(s.observed, static_cast<double>(test_data::planted_strata[j].in_work) /
                                       static_cast<double>(test_data::planted_strata[j].n));
    }
  }
}

// The planted interaction is the one stratum the additive model misses. R: which(abs(b) >
// qnorm(0.975) * sqrt(condVar)) on the tight Laplace fit gives stratum 7 (0-based) alone.
TEST_F(MaihdaLogistic, FindsAndNamesThePlantedInteraction) {
  for (const maihda_logistic_result* r : {laplace_, agq25_}) {
    ASSERT_EQ(r->interactions.size(), 1u);
    EXPECT_EQ(r->interactions[0].label, test_data::planted_label);
    EXPECT_EQ(r->interactions[0].input_index, test_data::planted_index);
    EXPECT_LT(r->interactions[0].random_effect_upper, 0.0);  // less often in work than additive
  }
}

// R: wilcox.test(p[y == 1], p[y == 0], exact = FALSE)$statistic / (n1 * n0) with p the fitted
// probability of every participation (the rank statistic is insensitive to the last digits).
TEST_F(MaihdaLogistic, DiscriminatoryAccuracyMatchesMannWhitney) {
  EXPECT_NEAR(laplace_->auc_null, 0.71240214446301953, 1e-14);
  EXPECT_NEAR(laplace_->auc_additive, 0.70468323052977455, 1e-14);
  EXPECT_NEAR(agq25_->auc_null, 0.71243442670202339, 1e-14);
  EXPECT_NEAR(agq25_->auc_additive, 0.70468323052977455, 1e-14);
}

// R: glmer(cbind(k, n - k) ~ 1 + (1 | stratum), data = s, family = binomial) on the grouped rows:
// −2 logLik 330.54374780591917 = the Bernoulli criterion − 2 sum(lchoose(n, k)), with
// sum(lchoose(n, k)) = 1033.7175723458274; θ the same.
TEST_F(MaihdaLogistic, GroupedRowsDifferByTheBinomialConstant) {
  EXPECT_REL(laplace_->binomial_log_constant, 1033.7175723458274, 1e-13);
  EXPECT_REL(laplace_->null_model.deviance - 2.0 * laplace_->binomial_log_constant, 330.54374780591917, 1e-8);
  EXPECT_REL(laplace_->null_model.theta, 0.73909844907044031, 1e-5);
}

// lme4's GHrule(7) and GHrule(25) (Golub-Welsch through eigen()): nodes and weights.
TEST(GaussHermite, MatchesLme4GhRule) {
  const auto r7 = maihda_detail::gauss_hermite(7);
  const double z7[] = {-3.7504397177257438, -2.3667594107345415, -1.1544053947399682, 0.0,
                       1.1544053947399677,  2.3667594107345415,  3.7504397177257438};
  const double w7[] = {0.00054826885597221724, 0.030757123967586515, 0.24012317860501278, 0.45714285714285713,
                       0.24012317860501267,    0.030757123967586477, 0.00054826885597221789};
  for (int k = 0; k < 7; ++k) {
    EXPECT_NEAR(r7.nodes[static_cast<std::size_t>(k)], z7[k], 1e-14);
    EXPECT_NEAR(r7.weights[static_cast<std::size_t>(k)], w7[k], 1e-14);
  }
  const auto r25 = maihda_detail::gauss_hermite(25);
  EXPECT_NEAR(r25.nodes[0], -8.7175976783995885, 1e-13);
  EXPECT_REL(r25.weights[0], 1.530038997998701e-17, 1e-10);
  EXPECT_NEAR(r25.weights[12], 0.24816935117648514, 1e-14);
  // Exact for polynomials of degree < 2q: E z^(2m) = (2m − 1)!! under the standard normal.
  for (int q : {2, 5, 12, 25}) {
    const auto r = maihda_detail::gauss_hermite(q);
    for (int m = 0; 2 * m < 2 * q; ++m) {
      double moment = 0.0, expected = 1.0;
      for (std::size_t k = 0; k < r.nodes.size(); ++k) moment += r.weights[k] * std::pow(r.nodes[k], 2 * m);
      for (int i = 2 * m - 1; i > 1; i -= 2) expected *= i;
      EXPECT_REL(moment, expected, 1e-11) << "q = " << q << ", m = " << m;
    }
  }
  EXPECT_THROW(maihda_detail::gauss_hermite(0), usage_error);
}

TEST(MaihdaLogisticInput, BadInputIsRejectedWithAClearError) {
  const auto dims = test_data::planted_dimensions();
  const auto good = test_data::planted_in_work();
  auto expect_usage_error = [&](std::vector<outcome_stratum> strata, const std::string& fragment,
                                maihda_logistic_options options = {}) {
    try {
      fit_maihda_logistic(dims, strata, options);
      ADD_FAILURE() << "no error for " << fragment;
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  auto too_many = good;
  too_many[4].successes = too_many[4].participations + 1;
  expect_usage_error(too_many, "stratum 4 has more successes");
  auto none = good;
  for (outcome_stratum& s : none) s.successes = 0;
  expect_usage_error(none, "no successes");
  auto all = good;
  for (outcome_stratum& s : all) s.successes = s.participations;
  expect_usage_error(all, "no failures");
  auto separated = good;
  for (outcome_stratum& s : separated)
    if (s.levels[1] == 2) s.successes = 0;  // nobody aged 50–64 in work
  expect_usage_error(separated, "every participation at åldersgrupp: 50–64 lacks the outcome");
  maihda_logistic_options nodes;
  nodes.quadrature_nodes = 26;
  expect_usage_error(good, "quadrature_nodes", nodes);
}

// Strata exactly at their additive prediction (proportions 1/4, 1/2, 3/4 by age band for both
// sexes: additive on the logit scale) are each at the maximum of their own binomial likelihood, so
// any θ > 0 lowers the marginal likelihood: the additive model sits at θ = 0, a logistic regression.
// R: glm(cbind(k, n - k) ~ sex + age, binomial, control = glm.control(epsilon = 1e-15, maxit = 100)):
// estimates log(1/3), 0, log 3, 2 log 3; standard errors as below (glm's default epsilon 1e-8 stops
// IRLS early enough to move them by 1e-6; glmer itself stops with "pwrssUpdate did not converge").
TEST(MaihdaLogisticBoundary, AdditiveModelAtZeroVariance) {
  const std::vector<stratum_dimension> dims{{"kön", {"Kvinnor", "Män"}}, {"åldersgrupp", {"16–29", "30–49", "50–64"}}};
  const std::vector<outcome_stratum> strata{{{0, 0}, 8, 2}, {{0, 1}, 8, 4}, {{0, 2}, 8, 6},
                                            {{1, 0}, 8, 2}, {{1, 1}, 8, 4}, {{1, 2}, 8, 6}};
  const maihda_fit m = fit_maihda_logistic_model(dims, strata, maihda_model_kind::additive);
  EXPECT_TRUE(m.boundary);
  EXPECT_EQ(m.theta, 0.0);
  EXPECT_EQ(m.vpc, 0.0);
  expect_fixed_effects(m, {std::log(1.0 / 3.0), 0.0, std::log(3.0), 2.0 * std::log(3.0)}, 1e-8,
                       {0.65828058860438343, 0.63245553203367588, 0.76376261582597349, 0.81649658092772615}, 1e-8);
  for (const maihda_stratum& s : m.strata) {
    EXPECT_EQ(s.random_effect, 0.0);
    EXPECT_FALSE(s.clearly_nonzero);
    EXPECT_NEAR(s.predicted, s.observed, 1e-9);
  }
}

}  // namespace
}  // namespace jamstat::analysis
