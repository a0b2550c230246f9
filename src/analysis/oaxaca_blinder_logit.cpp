// Yun's (2004) decomposition of a gap in a binary outcome from logit fits on grouped cells, with
// Yun's (2005) normalisation; formulas in docs/methods-intersectional.md.
#include "jamstat/analysis/oaxaca_blinder_logit.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "jamstat/engine/errors.hpp"
#include "oaxaca_terms.hpp"

namespace jamstat::analysis {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

double expit(double eta) {
  if (eta >= 0.0) return 1.0 / (1.0 + std::exp(-eta));
  const double e = std::exp(eta);
  return e / (1.0 + e);
}

/// One group's cells and its logit fit.
struct logit_group {
  MatrixXd x;  ///< cells × (k + 1), the intercept first
  VectorXd n, k;
  double total = 0.0;
  VectorXd beta;
  MatrixXd v_beta;  ///< inverse Fisher information
  VectorXd mean;    ///< x̄ = Σ n_c x_c / n

  /// F̄(X β): the mean predicted probability over the group's participations.
  double mean_probability(const VectorXd& b) const {
    const VectorXd eta = x * b;
    double s = 0.0;
    for (Index c = 0; c < eta.size(); ++c) s += n[c] * expit(eta[c]);
    return s / total;
  }
  /// ∂F̄(X β)/∂β = Σ n_c F(1 − F) x_c / n
  VectorXd mean_probability_gradient(const VectorXd& b) const {
    const VectorXd eta = x * b;
    VectorXd w(eta.size());
    for (Index c = 0; c < eta.size(); ++c) {
      const double f = expit(eta[c]);
      w[c] = n[c] * f * (1.0 - f) / total;
    }
    return x.transpose() * w;
  }
};

VectorXd cell_x(const oaxaca_design& design, const std::vector<std::uint32_t>& levels, std::size_t cell,
                const std::string& who) {
  if (levels.size() != design.characteristics.size())
    throw usage_error("Oaxaca-Blinder logit: cell " + std::to_string(cell) + " of " + who + " has " +
                      std::to_string(levels.size()) + " level indices, expected one per characteristic (" +
                      std::to_string(design.characteristics.size()) + ")");
  VectorXd x = VectorXd::Zero(static_cast<Index>(design.columns()) + 1);
  x[0] = 1.0;
  Index column = 1;
  for (std::size_t c = 0; c < levels.size(); ++c) {
    const oaxaca_characteristic& ch = design.characteristics[c];
    if (!ch.categorical())
      throw usage_error("Oaxaca-Blinder logit: characteristic '" + ch.name + "' is numeric; the decomposition from "
                        "cells needs categorical characteristics");
    if (levels[c] >= ch.level_labels.size())
      throw usage_error("Oaxaca-Blinder logit: cell " + std::to_string(cell) + " of " + who + ": level " +
                        std::to_string(levels[c]) + " of '" + ch.name + "' is out of range");
    if (levels[c] != ch.omitted_level)
      x[column + static_cast<Index>(levels[c] < ch.omitted_level ? levels[c] : levels[c] - 1)] = 1.0;
    column += static_cast<Index>(ch.columns());
  }
  return x;
}

logit_group fit_logit(const oaxaca_design& design, const std::vector<outcome_stratum>& cells, const std::string& who) {
  logit_group g;
  const Index p = static_cast<Index>(design.columns()) + 1;
  std::vector<VectorXd> rows;
  std::vector<double> n, k;
  // Separation: a level whose participations all have (or lack) the outcome has an infinite coefficient.
  std::vector<std::vector<double>> level_n(design.characteristics.size()), level_k(design.characteristics.size());
  for (std::size_t c = 0; c < design.characteristics.size(); ++c) {
    level_n[c].assign(design.characteristics[c].level_labels.size(), 0.0);
    level_k[c].assign(design.characteristics[c].level_labels.size(), 0.0);
  }
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const outcome_stratum& cell = cells[i];
    if (cell.successes > cell.participations)
      throw usage_error("Oaxaca-Blinder logit: cell " + std::to_string(i) + " of " + who +
                        " has more successes than participations");
    const VectorXd x = cell_x(design, cell.levels, i, who);
    if (cell.participations == 0) continue;
    rows.push_back(x);
    n.push_back(static_cast<double>(cell.participations));
    k.push_back(static_cast<double>(cell.successes));
    for (std::size_t c = 0; c < design.characteristics.size(); ++c) {
      level_n[c][cell.levels[c]] += n.back();
      level_k[c][cell.levels[c]] += k.back();
    }
  }
  for (std::size_t c = 0; c < design.characteristics.size(); ++c)
    for (std::size_t l = 0; l < level_n[c].size(); ++l) {
      const std::string where = "'" + design.characteristics[c].name + ": " + design.characteristics[c].level_labels[l] + "'";
      if (level_n[c][l] == 0.0)
        throw usage_error("Oaxaca-Blinder logit: " + who + " have no participations at " + where +
                          "; its coefficient is not identified");
      if (level_k[c][l] == 0.0 || level_k[c][l] == level_n[c][l])
        throw usage_error("Oaxaca-Blinder logit: every participation of " + who + " at " + where +
                          (level_k[c][l] == 0.0 ? " lacks" : " has") + " the outcome; its coefficient is infinite (separation)");
    }
  const Index cells_used = static_cast<Index>(rows.size());
  g.x = MatrixXd(cells_used, p);
  g.n = VectorXd(cells_used);
  g.k = VectorXd(cells_used);
  for (Index c = 0; c < cells_used; ++c) {
    g.x.row(c) = rows[static_cast<std::size_t>(c)].transpose();
    g.n[c] = n[static_cast<std::size_t>(c)];
    g.k[c] = k[static_cast<std::size_t>(c)];
  }
  g.total = g.n.sum();
  if (g.total <= static_cast<double>(p))
    throw usage_error("Oaxaca-Blinder logit: " + who + " have no more participations than coefficients");
  g.mean = g.x.transpose() * g.n / g.total;
  const Eigen::ColPivHouseholderQR<MatrixXd> rank_check(g.x.transpose() * g.n.asDiagonal() * g.x);
  if (rank_check.rank() < p)
    throw usage_error("Oaxaca-Blinder logit: the characteristics of " + who + " are collinear across their cells");

  // IRLS = Newton's method on the grouped binomial log-likelihood (Bernoulli up to a constant),
  // with step halving when the deviance rises; converged when max |step| < 1e-12 (1 + max |β|).
  auto deviance = [&](const VectorXd& b) {
    const VectorXd eta = g.x * b;
    double d = 0.0;
    for (Index c = 0; c < cells_used; ++c) {
      const double softplus = eta[c] > 0.0 ? eta[c] + std::log1p(std::exp(-eta[c])) : std::log1p(std::exp(eta[c]));
      d -= 2.0 * (g.k[c] * eta[c] - g.n[c] * softplus);
    }
    return d;
  };
  g.beta = VectorXd::Zero(p);
  const double share = g.k.sum() / g.total;
  g.beta[0] = std::log(share / (1.0 - share));
  double dev = deviance(g.beta);
  bool converged = false;
  for (int it = 0; it < 100 && !converged; ++it) {
    const VectorXd eta = g.x * g.beta;
    VectorXd w(cells_used), r(cells_used);
    for (Index c = 0; c < cells_used; ++c) {
      const double mu = expit(eta[c]);
      w[c] = g.n[c] * mu * (1.0 - mu);
      r[c] = g.k[c] - g.n[c] * mu;
    }
    const MatrixXd info = g.x.transpose() * w.asDiagonal() * g.x;
    VectorXd step = info.ldlt().solve(g.x.transpose() * r);
    VectorXd next = g.beta + step;
    double next_dev = deviance(next);
    for (int h = 0; h < 30 && next_dev > dev + 1e-12 * (1.0 + dev); ++h) {
      step *= 0.5;
      next = g.beta + step;
      next_dev = deviance(next);
    }
    g.beta = next;
    dev = next_dev;
    converged = step.cwiseAbs().maxCoeff() < 1e-12 * (1.0 + g.beta.cwiseAbs().maxCoeff());
  }
  if (!converged || !g.beta.allFinite())
    throw usage_error("Oaxaca-Blinder logit: the logit fit of " + who + " did not converge (separation)");
  const VectorXd eta = g.x * g.beta;
  VectorXd w(cells_used);
  for (Index c = 0; c < cells_used; ++c) {
    const double mu = expit(eta[c]);
    w[c] = g.n[c] * mu * (1.0 - mu);
  }
  g.v_beta = (g.x.transpose() * w.asDiagonal() * g.x).inverse();
  return g;
}

/// A quantity with its gradients in β_A and β_B.
struct logit_piece {
  double value = 0.0;
  VectorXd g_a, g_b;
  double se(const logit_group& a, const logit_group& b) const {
    return std::sqrt(std::max(0.0, g_a.dot(a.v_beta * g_a) + g_b.dot(b.v_beta * g_b)));
  }
};

}  // namespace

oaxaca_blinder_result oaxaca_blinder_logit(const oaxaca_design& design, const std::vector<outcome_stratum>& women,
                                           const std::vector<outcome_stratum>& men,
                                           const oaxaca_logit_options& options) {
  design.validate();
  const bool women_first = options.order == oaxaca_order::women_minus_men;
  const logit_group fw = fit_logit(design, women, "women"), fm = fit_logit(design, men, "men");
  const logit_group& a = women_first ? fw : fm;
  const logit_group& b = women_first ? fm : fw;
  const oaxaca_detail::term_expansion x = oaxaca_detail::expand(design, options.normalize_categorical);
  const MatrixXd& e = x.means;
  const MatrixXd& t = x.coefficients;
  const Index p = a.beta.size(), terms = static_cast<Index>(x.terms.size());
  const bool at_a = options.explained_at_first_group_coefficients;
  const VectorXd& beta_r = at_a ? a.beta : b.beta;     // prices the explained part
  const logit_group& other = at_a ? b : a;             // whose characteristics the coefficients part uses

  // Aggregates: E = F̄(X_A β_R) − F̄(X_B β_R), C = F̄(X_O β_A) − F̄(X_O β_B).
  logit_piece explained{a.mean_probability(beta_r) - b.mean_probability(beta_r), VectorXd::Zero(p), VectorXd::Zero(p)};
  const VectorXd de = a.mean_probability_gradient(beta_r) - b.mean_probability_gradient(beta_r);
  (at_a ? explained.g_a : explained.g_b) = de;
  logit_piece unexplained{other.mean_probability(a.beta) - other.mean_probability(b.beta),
                          other.mean_probability_gradient(a.beta), -other.mean_probability_gradient(b.beta)};

  // Yun's weights on the expanded (normalised) terms.
  const VectorXd dx = e * (a.mean - b.mean);
  const VectorXd xo = e * other.mean;
  const VectorXd br = t * beta_r, db = t * (a.beta - b.beta);
  const VectorXd wa = dx.cwiseProduct(br), wc = xo.cwiseProduct(db);
  const double sa = wa.sum(), sc = wc.sum();
  const MatrixXd dxt = dx.asDiagonal() * t, xot = xo.asDiagonal() * t;  // ∂(Δx̄_t β̃_t)/∂β rows
  const VectorXd dxt_sum = dxt.colwise().sum().transpose(), xot_sum = xot.colwise().sum().transpose();
  auto detail = [&](const VectorXd& m, logit_piece& ex, logit_piece& un) {
    const double w1 = m.dot(wa) / sa, w2 = m.dot(wc) / sc;
    // ∂w/∂β = (Σ_m ∂a_t/∂β · Σa − a_m Σ ∂a/∂β)/(Σa)²
    const VectorXd dw1 = (dxt.transpose() * m * sa - m.dot(wa) * dxt_sum) / (sa * sa);
    const VectorXd dw2 = (xot.transpose() * m * sc - m.dot(wc) * xot_sum) / (sc * sc);
    ex.value = w1 * explained.value;
    ex.g_a = w1 * explained.g_a + (at_a ? VectorXd(explained.value * dw1) : VectorXd::Zero(p));
    ex.g_b = w1 * explained.g_b + (at_a ? VectorXd::Zero(p) : VectorXd(explained.value * dw1));
    un.value = w2 * unexplained.value;
    un.g_a = w2 * unexplained.g_a + unexplained.value * dw2;
    un.g_b = w2 * unexplained.g_b - unexplained.value * dw2;
  };

  oaxaca_blinder_result out;
  oaxaca_detail::name_groups(options.order, out);
  out.first_participations = static_cast<std::uint64_t>(a.total);
  out.second_participations = static_cast<std::uint64_t>(b.total);
  out.first_mean = a.k.sum() / a.total;
  out.second_mean = b.k.sum() / b.total;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  logit_piece gap{out.first_mean - out.second_mean, a.mean_probability_gradient(a.beta),
                  -b.mean_probability_gradient(b.beta)};
  out.gap = gap.value;
  out.gap_se = gap.se(a, b);
  out.explained = explained.value;
  out.explained_se = explained.se(a, b);
  out.unexplained = unexplained.value;
  out.unexplained_se = unexplained.se(a, b);
  out.unexplained_first = out.unexplained_first_se = out.unexplained_second = out.unexplained_second_se = nan;
  out.endowments = out.endowments_se = out.coefficients = out.coefficients_se = out.interaction = out.interaction_se = nan;
  auto fill = [&](oaxaca_row& r, const VectorXd& m) {
    logit_piece ex, un;
    detail(m, ex, un);
    r.explained = ex.value;
    r.explained_se = ex.se(a, b);
    r.unexplained = un.value;
    r.unexplained_se = un.se(a, b);
    r.endowments = r.endowments_se = r.coefficients = r.coefficients_se = r.interaction = r.interaction_se = nan;
  };
  const VectorXd mean_a = e * a.mean, mean_b = e * b.mean, coef_a = t * a.beta, coef_b = t * b.beta;
  for (Index i = 0; i < terms; ++i) {
    oaxaca_row r = oaxaca_detail::term_row(design, x.terms[static_cast<std::size_t>(i)]);
    r.mean_first = mean_a[i];
    r.mean_second = mean_b[i];
    r.coefficient_first = coef_a[i];
    r.coefficient_second = coef_b[i];
    r.coefficient_reference = br[i];
    fill(r, VectorXd::Unit(terms, i));
    out.terms.push_back(r);
    if (i == 0) out.characteristics.push_back(r);
  }
  for (std::size_t c = 0; c < design.characteristics.size(); ++c) {
    oaxaca_row r = oaxaca_detail::characteristic_row(design, c);
    VectorXd m = VectorXd::Zero(terms);
    for (Index i : x.of_characteristic[c]) m[i] = 1.0;
    r.mean_first = r.mean_second = r.coefficient_first = r.coefficient_second = r.coefficient_reference = nan;
    fill(r, m);
    out.characteristics.push_back(r);
  }
  return out;
}

}  // namespace jamstat::analysis
