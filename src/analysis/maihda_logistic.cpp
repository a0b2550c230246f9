// MAIHDA logistic: the marginal likelihood lme4::glmer maximises for one scalar random intercept,
// evaluated stratum by stratum from (n_j, k_j).
//
// The Bernoulli participations of stratum j share the linear predictor η0_j + θu (η0_j = x_j'β,
// u ~ N(0, 1) spherical as in lme4), so their likelihood given u is exp ℓ_j(η) with
// ℓ_j(η) = k_j η − n_j log(1 + e^η), and −2 log L = Σ_j −2 log ∫ exp(ℓ_j(η0_j + θu)) φ(u) du.
// lme4 (glmerLaplace / glmerAGQ in src/external.cpp) approximates each integral around the
// conditional mode û_j of devc_j(u) = −2ℓ_j(η0_j + θu) + u², with L_j² = 1 + θ² n_j μ̂_j(1 − μ̂_j):
//   Laplace (nAGQ = 1): f_j = devc_j(û_j) + log L_j²
//   AGQ (nAGQ = q):     f_j = devc_j(û_j) + log L_j² − 2 log Σ_k w_k exp(−½[devc_j(û_j + z_k/L_j) − devc_j(û_j)] + z_k²/2)
// with (z_k, w_k) the q-node Gauss-Hermite rule for φ. Summed over strata this is exactly glmer's
// objective on the Bernoulli microdata (−2 log L there; the grouped binomial rows' −2 log L is
// smaller by 2 Σ log C(n_j, k_j)). Every f_j depends on β only through η0_j, so the gradient in
// (β, θ) is Σ_j (∂f_j/∂η0) x_j and Σ_j ∂f_j/∂θ, with ∂f_j/∂· obtained analytically by the chain
// rule through û_j(η0, θ) and L_j(η0, θ) (see docs/methods-intersectional.md).
//
// Optimisation: θ by the robust 1-D search of theta_search.hpp over the criterion profiled in β
// (Newton's method with a backtracking line search at each θ), with the slope ∂F/∂θ at β̂(θ)
// (envelope theorem) to polish θ to full precision. glmer optimises (θ, β) jointly with bobyqa
// and Nelder-Mead; both reach the same optimum, ours to tighter tolerances.
#include "jamstat/analysis/maihda_logistic.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "gauss_hermite.hpp"
#include "jamstat/analysis/intersectional_auc.hpp"
#include "jamstat/engine/errors.hpp"
#include "maihda_design.hpp"
#include "theta_search.hpp"

namespace jamstat::analysis {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

double softplus(double eta) { return eta > 0.0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta)); }
double logistic(double eta) {
  if (eta >= 0.0) return 1.0 / (1.0 + std::exp(-eta));
  const double e = std::exp(eta);
  return e / (1.0 + e);
}

/// One stratum's contribution to the criterion at (η0, θ) and its derivatives.
struct stratum_terms {
  double f = 0.0;        ///< −2 log of the stratum's (approximate) marginal likelihood
  double d_eta = 0.0;    ///< ∂f/∂η0
  double d_theta = 0.0;  ///< ∂f/∂θ
  double hess_eta = 0.0; ///< ∂²f/∂η0² of the Laplace approximation (a Newton curvature for β)
  double fisher = 0.0;   ///< 2v̂/L², its leading (always positive) part
  double mode = 0.0;     ///< û (spherical)
  double l2 = 1.0;       ///< L² = 1 + θ² v̂
};

class logistic_marginal {
 public:
  logistic_marginal(VectorXd n, VectorXd k, maihda_detail::gauss_hermite_rule rule)
      : n_(std::move(n)), k_(std::move(k)), rule_(std::move(rule)), modes_(VectorXd::Zero(n_.size())) {}

  Index strata() const { return n_.size(); }

  /// devc(u) = −2ℓ(η0 + θu) + u².
  double devc(Index j, double eta0, double theta, double u) const {
    const double eta = eta0 + theta * u;
    return -2.0 * (k_[j] * eta - n_[j] * softplus(eta)) + u * u;
  }

  /// The conditional mode: the root of G(u) = u − θ(k − nμ(η0 + θu)), increasing in u (G' ≥ 1),
  /// bracketed by θ(k − n) and θk. Safeguarded Newton from `start`.
  double mode(Index j, double eta0, double theta, double start) const {
    if (theta == 0.0) return 0.0;
    double lo = theta * (k_[j] - n_[j]), hi = theta * k_[j];
    if (lo > hi) std::swap(lo, hi);
    double u = std::clamp(start, lo, hi);
    for (int it = 0; it < 200; ++it) {
      const double mu = logistic(eta0 + theta * u);
      const double g = u - theta * (k_[j] - n_[j] * mu);
      if (g == 0.0) return u;
      if (g > 0.0) hi = u; else lo = u;
      const double dg = 1.0 + theta * theta * n_[j] * mu * (1.0 - mu);
      double next = u - g / dg;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (std::abs(next - u) <= 1e-15 * (1.0 + std::abs(u)) || hi - lo <= 1e-15 * (1.0 + std::abs(u))) return next;
      u = next;
    }
    return u;
  }

  stratum_terms terms(Index j, double eta0, double theta, double start) const {
    stratum_terms t;
    const double n = n_[j], k = k_[j];
    const double u = mode(j, eta0, theta, start);
    const double eta = eta0 + theta * u;
    const double mu = logistic(eta);
    const double v = n * mu * (1.0 - mu);
    const double r = k - n * mu;  // ℓ'(η̂)
    const double th2 = theta * theta;
    const double l2 = 1.0 + th2 * v;
    t.mode = u;
    t.l2 = l2;
    const double devc0 = -2.0 * (k * eta - n * softplus(eta)) + u * u;
    // Derivatives of the mode and of L² (chain rule through the mode equation u = θ r(η0 + θu)).
    const double du_deta = -theta * v / l2;
    const double du_dtheta = (r - theta * v * u) / l2;
    const double deta_deta = 1.0 / l2;
    const double deta_dtheta = u + theta * du_dtheta;
    const double dv_deta_hat = v * (1.0 - 2.0 * mu);
    const double dl2_deta = th2 * dv_deta_hat * deta_deta;
    const double dl2_dtheta = 2.0 * theta * v + th2 * dv_deta_hat * deta_dtheta;
    const double ddevc0_deta = -2.0 * r;       // ∂devc/∂u = 0 at the mode
    const double ddevc0_dtheta = -2.0 * r * u;
    t.f = devc0 + std::log(l2);
    t.d_eta = ddevc0_deta + dl2_deta / l2;
    t.d_theta = ddevc0_dtheta + dl2_dtheta / l2;
    // ∂²/∂η0² of the Laplace form: d(−2r)/dη0 = 2v/L², and the derivative of θ²v(1−2μ)/L⁴ through η̂.
    const double tterm_deta_hat =
        th2 * (v * (1.0 - 2.0 * mu) * (1.0 - 2.0 * mu) - 2.0 * v * v) / (l2 * l2) -
        2.0 * th2 * v * (1.0 - 2.0 * mu) * th2 * dv_deta_hat / (l2 * l2 * l2);
    t.fisher = 2.0 * v / l2;
    t.hess_eta = t.fisher + tterm_deta_hat / l2;
    if (rule_.nodes.size() == 1) return t;

    const double s = 1.0 / std::sqrt(l2);
    const double ds_deta = -0.5 * s / l2 * dl2_deta;
    const double ds_dtheta = -0.5 * s / l2 * dl2_dtheta;
    double a_sum = 0.0, da_deta = 0.0, da_dtheta = 0.0;
    for (std::size_t q = 0; q < rule_.nodes.size(); ++q) {
      const double z = rule_.nodes[q];
      const double uk = u + s * z;
      const double etak = eta0 + theta * uk;
      const double rk = k - n * logistic(etak);
      const double devck = -2.0 * (k * etak - n * softplus(etak)) + uk * uk;
      const double a = rule_.weights[q] * std::exp(-0.5 * (devck - devc0) + 0.5 * z * z);
      const double ddevc_du = -2.0 * theta * rk + 2.0 * uk;
      const double ddevck_deta = -2.0 * rk + ddevc_du * (du_deta + z * ds_deta);
      const double ddevck_dtheta = -2.0 * rk * uk + ddevc_du * (du_dtheta + z * ds_dtheta);
      a_sum += a;
      da_deta += a * -0.5 * (ddevck_deta - ddevc0_deta);
      da_dtheta += a * -0.5 * (ddevck_dtheta - ddevc0_dtheta);
    }
    t.f -= 2.0 * std::log(a_sum);
    t.d_eta -= 2.0 * da_deta / a_sum;
    t.d_theta -= 2.0 * da_dtheta / a_sum;
    return t;
  }

  /// Criterion and gradient at (β, θ); `hessian_beta` (if given) gets X' diag(∂²f/∂η0²) X.
  double evaluate(const MatrixXd& x, const VectorXd& beta, double theta, VectorXd* grad_beta, double* grad_theta,
                  MatrixXd* hessian_beta, bool keep_modes) const {
    const VectorXd eta0 = x * beta;
    double total = 0.0, gt = 0.0;
    VectorXd g_eta(strata()), h_eta(strata());
    for (Index j = 0; j < strata(); ++j) {
      const stratum_terms t = terms(j, eta0[j], theta, modes_[j]);
      if (keep_modes) modes_[j] = t.mode;
      total += t.f;
      g_eta[j] = t.d_eta;
      gt += t.d_theta;
      // Safeguard: a curvature of at least a quarter of the Fisher part keeps Newton's matrix positive definite.
      h_eta[j] = std::max(t.hess_eta, 0.25 * t.fisher);
    }
    if (grad_beta) *grad_beta = x.transpose() * g_eta;
    if (grad_theta) *grad_theta = gt;
    if (hessian_beta) *hessian_beta = x.transpose() * h_eta.asDiagonal() * x;
    return total;
  }

  const VectorXd& modes() const { return modes_; }
  void reset_modes() { modes_.setZero(); }

 private:
  VectorXd n_, k_;
  maihda_detail::gauss_hermite_rule rule_;
  mutable VectorXd modes_;  ///< warm starts of the conditional modes, updated as the optimizer moves
};

/// Newton's method for β̂(θ) with a backtracking line search; the conditional modes follow.
/// Converged when the largest step is below 1e-10 (1 + max |β|). Throws usage_error when the
/// estimates run away (a separation the up-front checks did not catch).
class logistic_profile {
 public:
  logistic_profile(const MatrixXd& x, logistic_marginal& marginal, VectorXd start)
      : x_(x), marginal_(marginal), beta_(std::move(start)) {}

  double criterion(double theta) {
    fit_beta(theta);
    return value_;
  }
  double slope(double theta) {
    fit_beta(theta);
    return grad_theta_;
  }
  const VectorXd& beta() const { return beta_; }

  void fit_beta(double theta) {
    if (have_ && theta == theta_) return;
    VectorXd grad;
    MatrixXd hess;
    double value = marginal_.evaluate(x_, beta_, theta, &grad, nullptr, &hess, true);
    VectorXd trial_grad;
    MatrixXd trial_hess;
    for (int it = 0; it < 200; ++it) {
      const Eigen::LLT<MatrixXd> llt(hess);
      const VectorXd step = llt.info() == Eigen::Success ? VectorXd(llt.solve(grad)) : VectorXd(grad / hess.trace());
      double t = 1.0;
      VectorXd trial = beta_ - step;
      // The full step's gradient and curvature come with its value (the step is nearly always taken).
      double trial_value = marginal_.evaluate(x_, trial, theta, &trial_grad, nullptr, &trial_hess, true);
      const double slack = 1e-12 * (1.0 + std::abs(value));
      for (int halvings = 0; !(trial_value <= value + slack) && halvings < 40; ++halvings) {
        t *= 0.5;
        trial = beta_ - t * step;
        trial_value = marginal_.evaluate(x_, trial, theta, &trial_grad, nullptr, &trial_hess, true);
      }
      beta_ = trial;
      value = trial_value;
      grad = trial_grad;
      hess = trial_hess;
      if (!beta_.allFinite() || beta_.cwiseAbs().maxCoeff() > 50.0)
        throw usage_error("MAIHDA logistic: the fixed effects run away (separation: some combination of levels has "
                          "only participations with, or only without, the outcome)");
      if ((t * step).cwiseAbs().maxCoeff() <= 1e-10 * (1.0 + beta_.cwiseAbs().maxCoeff())) break;
    }
    value_ = marginal_.evaluate(x_, beta_, theta, nullptr, &grad_theta_, nullptr, true);
    theta_ = theta;
    have_ = true;
  }

 private:
  const MatrixXd& x_;
  logistic_marginal& marginal_;
  VectorXd beta_;
  double theta_ = 0.0, value_ = 0.0, grad_theta_ = 0.0;
  bool have_ = false;
};

/// The gradient of the criterion in (θ, β), for the finite-difference Hessian.
VectorXd full_gradient(const logistic_marginal& marginal, const MatrixXd& x, const VectorXd& params) {
  const Index p = x.cols();
  VectorXd grad_beta;
  double grad_theta = 0.0;
  marginal.evaluate(x, params.tail(p), params[0], &grad_beta, &grad_theta, nullptr, false);
  VectorXd g(p + 1);
  g[0] = grad_theta;
  g.tail(p) = grad_beta;
  return g;
}

}  // namespace

maihda_fit fit_maihda_logistic_model(const std::vector<stratum_dimension>& dimensions,
                                     const std::vector<outcome_stratum>& strata, maihda_model_kind kind,
                                     const maihda_logistic_options& options) {
  const double z = maihda_detail::interval_z(options.interval_level);
  if (options.quadrature_nodes < 1 || options.quadrature_nodes > 25)
    throw usage_error("MAIHDA logistic: `quadrature_nodes` must be 1 (Laplace) to 25 (lme4's nAGQ), got " +
                      std::to_string(options.quadrature_nodes));
  std::vector<const std::vector<std::uint32_t>*> levels;
  std::vector<std::uint64_t> counts;
  for (std::size_t i = 0; i < strata.size(); ++i) {
    if (strata[i].successes > strata[i].participations)
      throw usage_error("MAIHDA logistic: stratum " + std::to_string(i) + " has more successes (" +
                        std::to_string(strata[i].successes) + ") than participations (" +
                        std::to_string(strata[i].participations) + ")");
    levels.push_back(&strata[i].levels);
    counts.push_back(strata[i].participations);
  }
  const maihda_detail::stratum_design design = maihda_detail::build_design(dimensions, levels, counts, kind);
  const Index s_count = static_cast<Index>(design.input_rows.size());
  const Index p = design.x.cols();
  VectorXd n(s_count), k(s_count);
  for (Index r = 0; r < s_count; ++r) {
    const outcome_stratum& s = strata[design.input_rows[static_cast<std::size_t>(r)]];
    n[r] = static_cast<double>(s.participations);
    k[r] = static_cast<double>(s.successes);
  }
  const double total_n = n.sum(), total_k = k.sum();
  if (total_k == 0.0 || total_k == total_n)
    throw usage_error("MAIHDA logistic: the outcome has " + std::string(total_k == 0.0 ? "no successes" : "no failures") +
                      "; a logistic model needs both");
  // A level whose participations all have (or all lack) the outcome has an infinite main effect
  // (the reference level's makes every other level's infinite).
  if (kind == maihda_model_kind::additive) {
    for (std::size_t d = 0; d < dimensions.size(); ++d) {
      std::vector<double> nl(dimensions[d].level_labels.size(), 0.0), kl(nl.size(), 0.0);
      for (Index r = 0; r < s_count; ++r) {
        const std::uint32_t l = strata[design.input_rows[static_cast<std::size_t>(r)]].levels[d];
        nl[l] += n[r];
        kl[l] += k[r];
      }
      for (std::size_t l = 0; l < nl.size(); ++l)
        if (nl[l] > 0.0 && (kl[l] == 0.0 || kl[l] == nl[l]))
          throw usage_error("MAIHDA logistic: every participation at " + dimensions[d].name + ": " +
                            dimensions[d].level_labels[l] + (kl[l] == 0.0 ? " lacks" : " has") +
                            " the outcome; its main effect is infinite (separation)");
    }
  }

  logistic_marginal marginal(n, k, maihda_detail::gauss_hermite(options.quadrature_nodes));
  VectorXd start = VectorXd::Zero(p);
  start[0] = std::log(total_k / (total_n - total_k));
  logistic_profile profile(design.x, marginal, start);
  const maihda_detail::theta_search_result found = maihda_detail::minimise_theta(
      [&](double theta) { return profile.criterion(theta); }, [&](double theta) { return profile.slope(theta); });
  const double theta = found.theta;
  profile.fit_beta(theta);
  const VectorXd beta = profile.beta();
  marginal.evaluate(design.x, beta, theta, nullptr, nullptr, nullptr, true);

  // lme4's default vcov for nAGQ ≥ 1: the β block of (H/2)⁻¹, H the Hessian of the criterion in
  // (θ, β), here by central differences of the analytic gradient.
  VectorXd params(p + 1);
  params[0] = theta;
  params.tail(p) = beta;
  MatrixXd hessian(p + 1, p + 1);
  for (Index i = 0; i < p + 1; ++i) {
    const double h = 1e-4 * std::max(1.0, std::abs(params[i]));
    VectorXd up = params, down = params;
    up[i] += h;
    down[i] -= h;
    hessian.col(i) = (full_gradient(marginal, design.x, up) - full_gradient(marginal, design.x, down)) / (2.0 * h);
  }
  hessian = 0.5 * (hessian + hessian.transpose()).eval();
  MatrixXd v_beta;
  {
    const Eigen::FullPivLU<MatrixXd> lu(hessian);
    if (lu.isInvertible()) {
      v_beta = (2.0 * lu.inverse()).bottomRightCorner(p, p);
    }
    // At θ = 0 the criterion is flat to second order in θ only by accident; fall back to the β block.
    if (!lu.isInvertible() || !(v_beta.diagonal().array() > 0.0).all())
      v_beta = (0.5 * hessian.bottomRightCorner(p, p)).inverse();
  }
  marginal.evaluate(design.x, beta, theta, nullptr, nullptr, nullptr, true);

  maihda_fit fit;
  fit.kind = kind;
  fit.theta = theta;
  fit.deviance = found.objective;
  fit.boundary = found.boundary;
  fit.evaluations = found.evaluations;
  fit.between_variance = theta * theta;
  fit.residual_variance = std::numbers::pi * std::numbers::pi / 3.0;  // the standard logistic's variance
  fit.vpc = fit.between_variance / (fit.between_variance + fit.residual_variance);
  fit.fixed_effects = design.fixed_terms;
  for (Index c = 0; c < p; ++c) {
    fit.fixed_effects[static_cast<std::size_t>(c)].estimate = beta[c];
    fit.fixed_effects[static_cast<std::size_t>(c)].standard_error = std::sqrt(v_beta(c, c));
  }
  const VectorXd eta0 = design.x * beta;
  for (Index r = 0; r < s_count; ++r) {
    const std::size_t input = design.input_rows[static_cast<std::size_t>(r)];
    maihda_stratum row = maihda_detail::stratum_row(dimensions, design, static_cast<std::size_t>(r), strata[input].levels,
                                                    strata[input].participations);
    const stratum_terms t = marginal.terms(r, eta0[r], theta, marginal.modes()[r]);
    row.observed = k[r] / n[r];
    row.fixed_part = eta0[r];
    // lme4's ranef: b = θû, condVar θ²/L² (the inverse curvature at the conditional mode).
    row.random_effect = theta * t.mode;
    row.random_effect_sd = std::abs(theta) / std::sqrt(t.l2);
    row.random_effect_lower = row.random_effect - z * row.random_effect_sd;
    row.random_effect_upper = row.random_effect + z * row.random_effect_sd;
    // The linear predictor η0 + b̂: b̂ moves with η0 at rate −θ²v/L², so η0's uncertainty enters
    // with weight 1/L² (the linearised analogue of the linear model's prediction error variance).
    const double fixed_var = design.x.row(r) * v_beta * design.x.row(r).transpose();
    row.linear_predictor = row.fixed_part + row.random_effect;
    row.linear_predictor_sd = std::sqrt(row.random_effect_sd * row.random_effect_sd + fixed_var / (t.l2 * t.l2));
    row.predicted = logistic(row.linear_predictor);
    row.predicted_lower = logistic(row.linear_predictor - z * row.linear_predictor_sd);
    row.predicted_upper = logistic(row.linear_predictor + z * row.linear_predictor_sd);
    row.clearly_nonzero = row.random_effect_lower > 0.0 || row.random_effect_upper < 0.0;
    fit.strata.push_back(std::move(row));
  }
  return fit;
}

maihda_logistic_result fit_maihda_logistic(const std::vector<stratum_dimension>& dimensions,
                                           const std::vector<outcome_stratum>& strata,
                                           const maihda_logistic_options& options) {
  maihda_logistic_result out;
  out.quadrature_nodes = options.quadrature_nodes;
  out.null_model = fit_maihda_logistic_model(dimensions, strata, maihda_model_kind::null_model, options);
  out.additive_model = fit_maihda_logistic_model(dimensions, strata, maihda_model_kind::additive, options);
  out.pcv = maihda_detail::proportional_change_in_variance(out.null_model, out.additive_model);
  out.interactions = maihda_detail::clearly_nonzero_strata(out.additive_model);
  auto auc_of = [&](const maihda_fit& fit) {
    std::vector<scored_stratum> scored;
    for (const maihda_stratum& s : fit.strata) {
      const std::uint64_t successes = strata[s.input_index].successes;
      scored.push_back({s.predicted, successes, s.participations - successes});
    }
    return strata_auc(scored);
  };
  out.auc_null = auc_of(out.null_model);
  out.auc_additive = auc_of(out.additive_model);
  for (const outcome_stratum& s : strata) {
    const double n = static_cast<double>(s.participations), k = static_cast<double>(s.successes);
    out.binomial_log_constant += std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
  }
  return out;
}

}  // namespace jamstat::analysis
