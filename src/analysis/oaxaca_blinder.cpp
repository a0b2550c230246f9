// The linear Blinder-Oaxaca decomposition from the groups' regression statistics; notation and
// formulas in docs/methods-intersectional.md (after Jann 2008, sections 2.1-2.3, and Yun 2005).
#include "jamstat/analysis/oaxaca_blinder.hpp"

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

/// One group's OLS fit and the sampling covariances the delta method needs.
struct group_fit {
  double n = 0.0;
  VectorXd mean;    ///< x̄ with the intercept first: [1, x̄]
  VectorXd beta;    ///< [a, b]
  MatrixXd v_beta;  ///< s² (X'X)⁻¹
  MatrixXd v_mean;  ///< V(x̄): S_xx/(n(n − 1)) with a zero intercept row and column
  MatrixXd xtx;     ///< the raw X'X of [1, x]
};

group_fit fit_group(const regression_moments& m, Index k, const std::string& who) {
  if (m.characteristics() != k || m.x_ss.rows() != k || m.x_ss.cols() != k || m.xy_ss.size() != k)
    throw usage_error("Oaxaca-Blinder: the statistics of " + who + " have " + std::to_string(m.characteristics()) +
                      " characteristics, the design " + std::to_string(k));
  const Index p = k + 1;
  if (m.participations <= static_cast<std::uint64_t>(p))
    throw usage_error("Oaxaca-Blinder: " + who + " have " + std::to_string(m.participations) +
                      " participations, not more than the " + std::to_string(p) + " regression coefficients");
  group_fit g;
  g.n = static_cast<double>(m.participations);
  const Eigen::ColPivHouseholderQR<MatrixXd> qr(m.x_ss);
  if (qr.rank() < k)
    throw usage_error("Oaxaca-Blinder: the characteristics of " + who +
                      " are collinear (a level without participations, or a constant characteristic)");
  const VectorXd slope = qr.solve(m.xy_ss);
  const double rss = std::max(0.0, m.y_ss - slope.dot(m.xy_ss));
  const double s2 = rss / (g.n - static_cast<double>(p));
  const MatrixXd sxx_inverse = qr.inverse();
  g.mean = VectorXd(p);
  g.mean << 1.0, m.x_mean;
  g.beta = VectorXd(p);
  g.beta << m.y_mean - m.x_mean.dot(slope), slope;
  // V(b) = s² S⁻¹, V(a) = s²/n + x̄'V(b)x̄, Cov(a, b) = −V(b)x̄ (the intercept of the centred fit).
  const MatrixXd v_slope = s2 * sxx_inverse;
  g.v_beta = MatrixXd(p, p);
  g.v_beta(0, 0) = s2 / g.n + m.x_mean.dot(v_slope * m.x_mean);
  g.v_beta.block(1, 0, k, 1) = -v_slope * m.x_mean;
  g.v_beta.block(0, 1, 1, k) = g.v_beta.block(1, 0, k, 1).transpose();
  g.v_beta.bottomRightCorner(k, k) = v_slope;
  g.v_mean = MatrixXd::Zero(p, p);
  g.v_mean.bottomRightCorner(k, k) = m.x_ss / (g.n * (g.n - 1.0));
  g.xtx = MatrixXd(p, p);
  g.xtx(0, 0) = g.n;
  g.xtx.block(1, 0, k, 1) = g.n * m.x_mean;
  g.xtx.block(0, 1, 1, k) = g.n * m.x_mean.transpose();
  g.xtx.bottomRightCorner(k, k) = m.x_ss + g.n * m.x_mean * m.x_mean.transpose();
  return g;
}

/// A decomposition quantity with its gradient in (x̄_A, x̄_B, β_A, β_B).
struct piece {
  double value = 0.0;
  VectorXd g_mean_a, g_mean_b, g_beta_a, g_beta_b;
  explicit piece(Index p)
      : g_mean_a(VectorXd::Zero(p)), g_mean_b(VectorXd::Zero(p)), g_beta_a(VectorXd::Zero(p)), g_beta_b(VectorXd::Zero(p)) {}
  piece& operator+=(const piece& o) {
    value += o.value;
    g_mean_a += o.g_mean_a;
    g_mean_b += o.g_mean_b;
    g_beta_a += o.g_beta_a;
    g_beta_b += o.g_beta_b;
    return *this;
  }
  double se(const group_fit& a, const group_fit& b) const {
    const double v = g_mean_a.dot(a.v_mean * g_mean_a) + g_mean_b.dot(b.v_mean * g_mean_b) +
                     g_beta_a.dot(a.v_beta * g_beta_a) + g_beta_b.dot(b.v_beta * g_beta_b);
    return std::sqrt(std::max(0.0, v));
  }
};

class decomposition {
 public:
  decomposition(const oaxaca_detail::term_expansion& x, const group_fit& a, const group_fit& b, const MatrixXd& m_a,
                const MatrixXd& m_b)
      : e_(x.means), t_(x.coefficients), tm_a_(x.coefficients * m_a), tm_b_(x.coefficients * m_b) {
    xa_ = e_ * a.mean;
    xb_ = e_ * b.mean;
    ba_ = t_ * a.beta;
    bb_ = t_ * b.beta;
    bref_ = tm_a_ * a.beta + tm_b_ * b.beta;
    p_ = a.mean.size();
  }

  const VectorXd& mean_a() const { return xa_; }
  const VectorXd& mean_b() const { return xb_; }
  const VectorXd& beta_a() const { return ba_; }
  const VectorXd& beta_b() const { return bb_; }
  const VectorXd& beta_ref() const { return bref_; }

  /// (X̄_A − X̄_B)'β* over the masked terms.
  piece explained(const VectorXd& m) const {
    piece q(p_);
    const VectorXd d = m.cwiseProduct(xa_ - xb_);
    q.value = d.dot(bref_);
    q.g_mean_a = e_.transpose() * m.cwiseProduct(bref_);
    q.g_mean_b = -q.g_mean_a;
    q.g_beta_a = tm_a_.transpose() * d;
    q.g_beta_b = tm_b_.transpose() * d;
    return q;
  }
  /// X̄_A'(β_A − β*)
  piece unexplained_a(const VectorXd& m) const {
    piece q(p_);
    const VectorXd ma = m.cwiseProduct(xa_);
    q.value = ma.dot(ba_ - bref_);
    q.g_mean_a = e_.transpose() * m.cwiseProduct(ba_ - bref_);
    q.g_beta_a = t_.transpose() * ma - tm_a_.transpose() * ma;
    q.g_beta_b = -tm_b_.transpose() * ma;
    return q;
  }
  /// X̄_B'(β* − β_B)
  piece unexplained_b(const VectorXd& m) const {
    piece q(p_);
    const VectorXd mb = m.cwiseProduct(xb_);
    q.value = mb.dot(bref_ - bb_);
    q.g_mean_b = e_.transpose() * m.cwiseProduct(bref_ - bb_);
    q.g_beta_a = tm_a_.transpose() * mb;
    q.g_beta_b = tm_b_.transpose() * mb - t_.transpose() * mb;
    return q;
  }
  /// Σ m u ⊙ (w_A β_A + w_B β_B) where u = c_a X̄_A + c_b X̄_B: the building block of the threefold parts.
  piece bilinear(const VectorXd& m, double c_a, double c_b, double w_a, double w_b) const {
    piece q(p_);
    const VectorXd u = m.cwiseProduct(c_a * xa_ + c_b * xb_);
    const VectorXd w = m.cwiseProduct(w_a * ba_ + w_b * bb_);
    q.value = u.dot(w_a * ba_ + w_b * bb_);
    q.g_mean_a = c_a * (e_.transpose() * w);
    q.g_mean_b = c_b * (e_.transpose() * w);
    q.g_beta_a = w_a * (t_.transpose() * u);
    q.g_beta_b = w_b * (t_.transpose() * u);
    return q;
  }

 private:
  MatrixXd e_, t_, tm_a_, tm_b_;
  VectorXd xa_, xb_, ba_, bb_, bref_;
  Index p_ = 0;
};

/// β* = M_A β_A + M_B β_B for the chosen reference.
void reference_maps(const oaxaca_options& options, const group_fit& a, const group_fit& b, bool women_first,
                    MatrixXd& m_a, MatrixXd& m_b) {
  const Index p = a.mean.size();
  const MatrixXd id = MatrixXd::Identity(p, p);
  switch (options.reference) {
    case oaxaca_reference::first_group:
      m_a = id;
      m_b = MatrixXd::Zero(p, p);
      return;
    case oaxaca_reference::second_group:
      m_a = MatrixXd::Zero(p, p);
      m_b = id;
      return;
    case oaxaca_reference::weighted:
      if (!(options.first_group_weight >= 0.0 && options.first_group_weight <= 1.0))
        throw usage_error("Oaxaca-Blinder: `first_group_weight` must lie in [0, 1], got " +
                          std::to_string(options.first_group_weight));
      m_a = options.first_group_weight * id;
      m_b = (1.0 - options.first_group_weight) * id;
      return;
    case oaxaca_reference::pooled: {
      // The pooled OLS β* = (X'X)⁻¹ Σ_g X_g'y_g and X_g'y_g = X_g'X_g β̂_g (normal equations).
      const Eigen::LDLT<MatrixXd> pooled(a.xtx + b.xtx);
      m_a = pooled.solve(a.xtx);
      m_b = pooled.solve(b.xtx);
      return;
    }
    case oaxaca_reference::pooled_with_group_indicator: {
      // Z = [X, d], d = 1 for women: Z_g'y_g = [X_g'y_g; d_g Σy_g] = G_g X_g'X_g β̂_g with
      // G_g = [I; d_g e_0'] (Σy_g is the intercept's entry of X_g'y_g). β* is the X part.
      const double d_a = women_first ? 1.0 : 0.0, d_b = 1.0 - d_a;
      MatrixXd ztz = MatrixXd::Zero(p + 1, p + 1);
      ztz.topLeftCorner(p, p) = a.xtx + b.xtx;
      const VectorXd cross = d_a * a.xtx.col(0) + d_b * b.xtx.col(0);
      ztz.block(0, p, p, 1) = cross;
      ztz.block(p, 0, 1, p) = cross.transpose();
      ztz(p, p) = d_a * a.n + d_b * b.n;
      const Eigen::LDLT<MatrixXd> pooled(ztz);
      auto map = [&](const group_fit& g, double d) {
        MatrixXd gx(p + 1, p);
        gx.topRows(p) = g.xtx;
        gx.row(p) = d * g.xtx.row(0);
        return MatrixXd(pooled.solve(gx).topRows(p));
      };
      m_a = map(a, d_a);
      m_b = map(b, d_b);
      return;
    }
  }
  throw usage_error("Oaxaca-Blinder: unknown reference");
}

void set(double& value, double& se, const piece& q, const group_fit& a, const group_fit& b) {
  value = q.value;
  se = q.se(a, b);
}

}  // namespace

oaxaca_blinder_result oaxaca_blinder(const oaxaca_design& design, const regression_moments& women,
                                     const regression_moments& men, const oaxaca_options& options) {
  design.validate();
  const Index k = static_cast<Index>(design.columns());
  const bool women_first = options.order == oaxaca_order::women_minus_men;
  const group_fit fw = fit_group(women, k, "women"), fm = fit_group(men, k, "men");
  const group_fit& a = women_first ? fw : fm;
  const group_fit& b = women_first ? fm : fw;
  MatrixXd m_a, m_b;
  reference_maps(options, a, b, women_first, m_a, m_b);
  const oaxaca_detail::term_expansion x = oaxaca_detail::expand(design, options.normalize_categorical);
  const decomposition dec(x, a, b, m_a, m_b);
  const Index terms = static_cast<Index>(x.terms.size());

  oaxaca_blinder_result out;
  oaxaca_detail::name_groups(options.order, out);
  out.first_participations = (women_first ? women : men).participations;
  out.second_participations = (women_first ? men : women).participations;
  out.first_mean = (women_first ? women : men).y_mean;
  out.second_mean = (women_first ? men : women).y_mean;

  const bool from_a = options.threefold_from_first_group;
  // Threefold parts as bilinear pieces: E = ΔX̄'β_B, C = X̄_B'Δβ, I = ΔX̄'Δβ (viewpoint B) or
  // E = ΔX̄'β_A, C = X̄_A'Δβ, I = −ΔX̄'Δβ (viewpoint A).
  auto endow = [&](const VectorXd& m) { return dec.bilinear(m, 1, -1, from_a ? 1 : 0, from_a ? 0 : 1); };
  auto coeff = [&](const VectorXd& m) { return dec.bilinear(m, from_a ? 1 : 0, from_a ? 0 : 1, 1, -1); };
  auto inter = [&](const VectorXd& m) {
    return from_a ? dec.bilinear(m, -1, 1, 1, -1) : dec.bilinear(m, 1, -1, 1, -1);
  };
  auto fill = [&](oaxaca_row& r, const VectorXd& m) {
    piece unexplained = dec.unexplained_a(m);
    unexplained += dec.unexplained_b(m);
    set(r.explained, r.explained_se, dec.explained(m), a, b);
    set(r.unexplained, r.unexplained_se, unexplained, a, b);
    set(r.endowments, r.endowments_se, endow(m), a, b);
    set(r.coefficients, r.coefficients_se, coeff(m), a, b);
    set(r.interaction, r.interaction_se, inter(m), a, b);
  };

  const VectorXd all = VectorXd::Ones(terms);
  {
    piece unexplained = dec.unexplained_a(all);
    unexplained += dec.unexplained_b(all);
    piece gap = dec.explained(all);
    gap += unexplained;
    set(out.gap, out.gap_se, gap, a, b);
    set(out.explained, out.explained_se, dec.explained(all), a, b);
    set(out.unexplained, out.unexplained_se, unexplained, a, b);
    set(out.unexplained_first, out.unexplained_first_se, dec.unexplained_a(all), a, b);
    set(out.unexplained_second, out.unexplained_second_se, dec.unexplained_b(all), a, b);
    set(out.endowments, out.endowments_se, endow(all), a, b);
    set(out.coefficients, out.coefficients_se, coeff(all), a, b);
    set(out.interaction, out.interaction_se, inter(all), a, b);
  }
  for (Index t = 0; t < terms; ++t) {
    oaxaca_row r = oaxaca_detail::term_row(design, x.terms[static_cast<std::size_t>(t)]);
    r.mean_first = dec.mean_a()[t];
    r.mean_second = dec.mean_b()[t];
    r.coefficient_first = dec.beta_a()[t];
    r.coefficient_second = dec.beta_b()[t];
    r.coefficient_reference = dec.beta_ref()[t];
    fill(r, VectorXd::Unit(terms, t));
    out.terms.push_back(r);
    if (t == 0) out.characteristics.push_back(r);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t c = 0; c < design.characteristics.size(); ++c) {
    oaxaca_row r = oaxaca_detail::characteristic_row(design, c);
    VectorXd m = VectorXd::Zero(terms);
    for (Index t : x.of_characteristic[c]) m[t] = 1.0;
    if (r.kind == oaxaca_row_kind::numeric) {
      const Index t = x.of_characteristic[c].front();
      r.mean_first = dec.mean_a()[t];
      r.mean_second = dec.mean_b()[t];
      r.coefficient_first = dec.beta_a()[t];
      r.coefficient_second = dec.beta_b()[t];
      r.coefficient_reference = dec.beta_ref()[t];
    } else {
      r.mean_first = r.mean_second = r.coefficient_first = r.coefficient_second = r.coefficient_reference = nan;
    }
    fill(r, m);
    out.characteristics.push_back(r);
  }
  return out;
}

}  // namespace jamstat::analysis
