// MAIHDA linear: lme4's profiled (RE)ML criterion for one scalar random intercept, evaluated
// exactly from the strata's sufficient statistics (Bates, Mächler, Bolker & Walker 2015, "Fitting
// linear mixed-effects models using lme4", J. Stat. Softw. 67(1), section 3).
//
// With ρ = θ² and every fixed effect constant within a stratum, the stratum's participations have
// covariance σ²(I + ρ11'), whose inverse and determinant are closed-form. Writing
//   w_j = n_j / (1 + n_j ρ),  W = Σ_j Σ_i (y_ij − ȳ_j)²,  A = Σ_j w_j x_j x_j',
// the generalised least-squares estimate is β̂(ρ) = A⁻¹ Σ_j w_j x_j ȳ_j, the penalised residual sum of
// squares is r²(ρ) = W + Σ_j w_j (ȳ_j − x_j'β̂)², lme4's log|L_θ|² = Σ_j log(1 + n_j ρ) and
// log|R_X|² = log det A. The profiled criteria (lme4's eqs. 34 and 41) are then
//   ML:   Σ log(1 + n_j ρ) + N [1 + log(2π r²/N)]
//   REML: Σ log(1 + n_j ρ) + log det A + (N − p)[1 + log(2π r²/(N − p))]
// each O(S p²) for S strata, and their derivative in ρ is closed-form too (envelope theorem):
//   Σ w_j − [REML] Σ w_j² x_j'A⁻¹x_j − ν Σ w_j² (ȳ_j − x_j'β̂)² / r²,  ν = N − p (REML) or N (ML).
#include "jamstat/analysis/maihda_linear.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <numbers>

#include "jamstat/engine/errors.hpp"
#include "maihda_design.hpp"
#include "theta_search.hpp"

namespace jamstat::analysis {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

/// The profiled criterion of one model at a given ρ = θ².
struct profile_state {
  VectorXd w;         ///< n_j / (1 + n_j ρ)
  VectorXd beta;      ///< β̂(ρ)
  VectorXd residual;  ///< ȳ_j − x_j'β̂
  MatrixXd a_inverse;
  double log_det_a = 0.0;
  double r2 = 0.0;
};

class linear_profile {
 public:
  linear_profile(const MatrixXd& x, VectorXd n, VectorXd mean, double within_total, bool reml)
      : x_(x), n_(std::move(n)), mean_(std::move(mean)), within_total_(within_total), reml_(reml) {
    total_ = n_.sum();
    nu_ = reml_ ? total_ - static_cast<double>(x_.cols()) : total_;
  }

  profile_state at(double rho) const {
    profile_state s;
    s.w = n_.array() / (1.0 + n_.array() * rho);
    const MatrixXd a = x_.transpose() * s.w.asDiagonal() * x_;
    const Eigen::LLT<MatrixXd> llt(a);
    if (llt.info() != Eigen::Success) throw usage_error("MAIHDA: the fixed-effect design is not of full rank");
    s.beta = llt.solve(x_.transpose() * (s.w.array() * mean_.array()).matrix());
    s.residual = mean_ - x_ * s.beta;
    s.a_inverse = llt.solve(MatrixXd::Identity(a.rows(), a.cols()));
    s.log_det_a = 2.0 * llt.matrixL().toDenseMatrix().diagonal().array().log().sum();
    s.r2 = within_total_ + (s.w.array() * s.residual.array().square()).sum();
    return s;
  }

  double criterion(double theta) const {
    const double rho = theta * theta;
    const profile_state s = at(rho);
    double d = (n_.array() * rho).log1p().sum();
    if (reml_) d += s.log_det_a;
    return d + nu_ * (1.0 + std::log(2.0 * std::numbers::pi * s.r2 / nu_));
  }

  /// d criterion / dρ (same sign as d criterion / dθ for θ > 0).
  double slope(double theta) const {
    const double rho = theta * theta;
    const profile_state s = at(rho);
    const VectorXd w2 = s.w.array().square();
    double g = s.w.sum();
    if (reml_) g -= (w2.array() * (x_ * s.a_inverse).cwiseProduct(x_).rowwise().sum().array()).sum();
    g -= nu_ * (w2.array() * s.residual.array().square()).sum() / s.r2;
    return g;
  }

  double nu() const { return nu_; }

 private:
  const MatrixXd& x_;
  VectorXd n_, mean_;
  double within_total_;
  bool reml_;
  double total_ = 0.0, nu_ = 0.0;
};

}  // namespace

maihda_fit fit_maihda_linear_model(const std::vector<stratum_dimension>& dimensions,
                                   const std::vector<measure_stratum>& strata, maihda_model_kind kind,
                                   const maihda_linear_options& options) {
  const double z = maihda_detail::interval_z(options.interval_level);
  std::vector<const std::vector<std::uint32_t>*> levels;
  std::vector<std::uint64_t> counts;
  for (std::size_t i = 0; i < strata.size(); ++i) {
    const measure_stratum& s = strata[i];
    if (!std::isfinite(s.mean) || !std::isfinite(s.within_ss) || s.within_ss < 0.0)
      throw usage_error("MAIHDA: stratum " + std::to_string(i) +
                        " has a non-finite mean or a negative or non-finite within sum of squares");
    levels.push_back(&s.levels);
    counts.push_back(s.participations);
  }
  const maihda_detail::stratum_design design = maihda_detail::build_design(dimensions, levels, counts, kind);
  const Index s_count = static_cast<Index>(design.input_rows.size());
  VectorXd n(s_count), mean(s_count);
  double within_total = 0.0, total = 0.0;
  for (Index r = 0; r < s_count; ++r) {
    const measure_stratum& s = strata[design.input_rows[static_cast<std::size_t>(r)]];
    n[r] = static_cast<double>(s.participations);
    mean[r] = s.mean;
    within_total += s.within_ss;
    total += n[r];
  }
  // lme4 refuses a grouping factor with as many levels as observations (no residual variance left).
  if (!(total > static_cast<double>(s_count)))
    throw usage_error("MAIHDA: " + std::to_string(static_cast<std::uint64_t>(total)) + " participations in " +
                      std::to_string(s_count) + " strata; the participations must outnumber the strata");
  const bool reml = options.criterion == variance_criterion::reml;
  const linear_profile profile(design.x, n, mean, within_total, reml);
  if (!(profile.nu() > 0.0)) throw usage_error("MAIHDA: more fixed effects than participations");

  const maihda_detail::theta_search_result found = maihda_detail::minimise_theta(
      [&](double theta) { return profile.criterion(theta); }, [&](double theta) { return profile.slope(theta); });
  const double theta = found.theta, rho = theta * theta;
  const profile_state s = profile.at(rho);

  maihda_fit fit;
  fit.kind = kind;
  fit.theta = theta;
  fit.deviance = found.objective;
  fit.boundary = found.boundary;
  fit.evaluations = found.evaluations;
  const double sigma2 = s.r2 / profile.nu();  // lme4's sigma()²: pwrss/(N − p) (REML) or pwrss/N (ML)
  fit.residual_variance = sigma2;
  fit.between_variance = rho * sigma2;
  fit.vpc = fit.between_variance / (fit.between_variance + fit.residual_variance);
  const MatrixXd v_beta = sigma2 * s.a_inverse;  // lme4's vcov(): σ² (R_X'R_X)⁻¹
  fit.fixed_effects = design.fixed_terms;
  for (Index c = 0; c < s.beta.size(); ++c) {
    fit.fixed_effects[static_cast<std::size_t>(c)].estimate = s.beta[c];
    fit.fixed_effects[static_cast<std::size_t>(c)].standard_error = std::sqrt(v_beta(c, c));
  }
  for (Index r = 0; r < s_count; ++r) {
    const std::size_t input = design.input_rows[static_cast<std::size_t>(r)];
    maihda_stratum row = maihda_detail::stratum_row(dimensions, design, static_cast<std::size_t>(r), strata[input].levels,
                                                    strata[input].participations);
    const double shrink = 1.0 / (1.0 + n[r] * rho);  // 1 − the shrinkage factor n_j ρ/(1 + n_j ρ)
    row.observed = mean[r];
    row.fixed_part = design.x.row(r).dot(s.beta);
    // The conditional mode (BLUP) ρ w_j (ȳ_j − x_j'β̂) and lme4's condVar σ²ρ/(1 + n_j ρ).
    row.random_effect = rho * s.w[r] * s.residual[r];
    const double cond_var = sigma2 * rho * shrink;
    row.random_effect_sd = std::sqrt(cond_var);
    row.random_effect_lower = row.random_effect - z * row.random_effect_sd;
    row.random_effect_upper = row.random_effect + z * row.random_effect_sd;
    // Prediction error variance of x_j'β̂ + û_j (Henderson): the BLUP's error is uncorrelated with
    // β̂ − β, and x_j'β̂ enters the prediction with weight 1/(1 + n_j ρ).
    const double fixed_var = design.x.row(r) * v_beta * design.x.row(r).transpose();
    row.linear_predictor = row.fixed_part + row.random_effect;
    row.linear_predictor_sd = std::sqrt(cond_var + shrink * shrink * fixed_var);
    row.predicted = row.linear_predictor;
    row.predicted_lower = row.predicted - z * row.linear_predictor_sd;
    row.predicted_upper = row.predicted + z * row.linear_predictor_sd;
    row.clearly_nonzero = row.random_effect_lower > 0.0 || row.random_effect_upper < 0.0;
    fit.strata.push_back(std::move(row));
  }
  return fit;
}

maihda_linear_result fit_maihda_linear(const std::vector<stratum_dimension>& dimensions,
                                       const std::vector<measure_stratum>& strata, const maihda_linear_options& options) {
  maihda_linear_result out;
  out.criterion = options.criterion;
  out.null_model = fit_maihda_linear_model(dimensions, strata, maihda_model_kind::null_model, options);
  out.additive_model = fit_maihda_linear_model(dimensions, strata, maihda_model_kind::additive, options);
  out.pcv = maihda_detail::proportional_change_in_variance(out.null_model, out.additive_model);
  out.interactions = maihda_detail::clearly_nonzero_strata(out.additive_model);
  return out;
}

}  // namespace jamstat::analysis
