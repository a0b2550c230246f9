// Internal: the terms of the detailed Oaxaca-Blinder decomposition. Coefficients β and means x̄
// come with the intercept first (x̄ = [1, x̄_1 .. x̄_k]); the decomposition works on "expanded" terms:
// the intercept, each numeric characteristic, and every level of a categorical characteristic
// (the omitted one included, with share 1 − Σ other shares and coefficient 0, or with Yun's
// normalised coefficients). Both maps are linear: x̄_e = E x̄, β_e = T β.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "jamstat/analysis/oaxaca_blinder.hpp"
#include "jamstat/analysis/oaxaca_blinder_design.hpp"

namespace jamstat::analysis::oaxaca_detail {

struct expanded_term {
  oaxaca_row_kind kind = oaxaca_row_kind::intercept;
  std::size_t characteristic = 0;
  std::uint32_t level = 0;
};

struct term_expansion {
  std::vector<expanded_term> terms;  ///< terms[0] is the intercept
  Eigen::MatrixXd means;             ///< E: expanded × (k + 1)
  Eigen::MatrixXd coefficients;      ///< T: expanded × (k + 1)
  std::vector<std::vector<Eigen::Index>> of_characteristic;  ///< the terms of each characteristic
};

/// The maps of `design`; `normalize` applies Yun's (2005) normalisation to categorical
/// characteristics: β̃_l = β_l − β̄ over all L levels (β_omitted = 0), intercept + Σ β̄.
term_expansion expand(const oaxaca_design& design, bool normalize);

/// A row named after term `t` (kind, characteristic, level), numbers unset.
oaxaca_row term_row(const oaxaca_design& design, const expanded_term& t);

/// A row for characteristic `c` as a whole.
oaxaca_row characteristic_row(const oaxaca_design& design, std::size_t c);

/// Swedish group labels in the order of the gap.
void name_groups(oaxaca_order order, oaxaca_blinder_result& out);

}  // namespace jamstat::analysis::oaxaca_detail
