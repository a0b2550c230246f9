#include "oaxaca_terms.hpp"

#include <limits>

namespace jamstat::analysis::oaxaca_detail {

using Eigen::Index;
using Eigen::MatrixXd;

term_expansion expand(const oaxaca_design& design, bool normalize) {
  term_expansion out;
  const Index p = static_cast<Index>(design.columns()) + 1;
  std::size_t expanded = 1;
  for (const oaxaca_characteristic& c : design.characteristics) expanded += c.categorical() ? c.level_labels.size() : 1;
  out.means = MatrixXd::Zero(static_cast<Index>(expanded), p);
  out.coefficients = MatrixXd::Zero(static_cast<Index>(expanded), p);
  out.terms.push_back({oaxaca_row_kind::intercept, 0, 0});
  out.means(0, 0) = 1.0;
  out.coefficients(0, 0) = 1.0;
  Index row = 1, column = 1;  // column of β / x̄ (0 = intercept)
  for (std::size_t ci = 0; ci < design.characteristics.size(); ++ci) {
    const oaxaca_characteristic& c = design.characteristics[ci];
    out.of_characteristic.emplace_back();
    if (!c.categorical()) {
      out.terms.push_back({oaxaca_row_kind::numeric, ci, 0});
      out.means(row, column) = 1.0;
      out.coefficients(row, column) = 1.0;
      out.of_characteristic.back().push_back(row);
      ++row;
      ++column;
      continue;
    }
    const Index levels = static_cast<Index>(c.level_labels.size());
    const Index first = row;
    for (Index l = 0; l < levels; ++l) {
      out.terms.push_back({oaxaca_row_kind::level, ci, static_cast<std::uint32_t>(l)});
      out.of_characteristic.back().push_back(row + l);
      if (l == static_cast<Index>(c.omitted_level)) {
        // share of the omitted level: 1 − Σ the dummies' shares (x̄[0] = 1)
        out.means(row + l, 0) = 1.0;
        for (Index j = 0; j < levels - 1; ++j) out.means(row + l, column + j) = -1.0;
      } else {
        const Index j = column + (l < static_cast<Index>(c.omitted_level) ? l : l - 1);
        out.means(row + l, j) = 1.0;
        out.coefficients(row + l, j) = 1.0;
      }
    }
    if (normalize) {
      // β̃_l = β_l − (1/L) Σ_m β_m and the intercept + (1/L) Σ_m β_m (Yun 2005, eq. 5).
      for (Index j = 0; j < levels - 1; ++j) {
        for (Index l = 0; l < levels; ++l) out.coefficients(first + l, column + j) -= 1.0 / static_cast<double>(levels);
        out.coefficients(0, column + j) += 1.0 / static_cast<double>(levels);
      }
    }
    row += levels;
    column += levels - 1;
  }
  return out;
}

oaxaca_row term_row(const oaxaca_design& design, const expanded_term& t) {
  oaxaca_row r;
  r.kind = t.kind;
  if (t.kind == oaxaca_row_kind::intercept) {
    r.characteristic = "(Intercept)";
    return r;
  }
  const oaxaca_characteristic& c = design.characteristics[t.characteristic];
  r.characteristic = c.name;
  r.characteristic_index = t.characteristic;
  if (t.kind == oaxaca_row_kind::level) {
    r.level = c.level_labels[t.level];
    r.level_index = t.level;
  }
  return r;
}

oaxaca_row characteristic_row(const oaxaca_design& design, std::size_t c) {
  oaxaca_row r;
  r.characteristic = design.characteristics[c].name;
  r.characteristic_index = c;
  r.kind = design.characteristics[c].categorical() ? oaxaca_row_kind::characteristic_total : oaxaca_row_kind::numeric;
  return r;
}

void name_groups(oaxaca_order order, oaxaca_blinder_result& out) {
  const bool women_first = order == oaxaca_order::women_minus_men;
  out.first_group = women_first ? "Kvinnor" : "Män";
  out.second_group = women_first ? "Män" : "Kvinnor";
}

}  // namespace jamstat::analysis::oaxaca_detail
