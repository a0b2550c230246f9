#include "jamstat/analysis/oaxaca_blinder_design.hpp"

#include <cmath>
#include <string>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis {

using Eigen::Index;
using Eigen::VectorXd;

std::size_t oaxaca_design::columns() const {
  std::size_t k = 0;
  for (const oaxaca_characteristic& c : characteristics) k += c.columns();
  return k;
}

void oaxaca_design::validate() const {
  if (characteristics.empty()) throw usage_error("Oaxaca-Blinder: the design has no characteristics");
  for (const oaxaca_characteristic& c : characteristics) {
    if (c.categorical() && c.level_labels.size() < 2)
      throw usage_error("Oaxaca-Blinder: categorical characteristic '" + c.name + "' needs at least two levels");
    if (c.categorical() && c.omitted_level >= c.level_labels.size())
      throw usage_error("Oaxaca-Blinder: the omitted level " + std::to_string(c.omitted_level) + " of '" + c.name +
                        "' is out of range");
  }
}

oaxaca_design categorical_design(const std::vector<stratum_dimension>& dimensions,
                                 const std::vector<std::uint32_t>& omitted_levels) {
  if (!omitted_levels.empty() && omitted_levels.size() != dimensions.size())
    throw usage_error("categorical_design: `omitted_levels` must be empty or have one entry per dimension");
  oaxaca_design design;
  for (std::size_t d = 0; d < dimensions.size(); ++d)
    design.characteristics.push_back(
        {dimensions[d].name, dimensions[d].level_labels, omitted_levels.empty() ? 0u : omitted_levels[d]});
  design.validate();
  return design;
}

namespace {

/// x of a cell: the dummies of its levels.
VectorXd cell_row(const oaxaca_design& design, const std::vector<std::uint32_t>& levels, std::size_t cell) {
  if (levels.size() != design.characteristics.size())
    throw usage_error("moments_from_cells: cell " + std::to_string(cell) + " has " + std::to_string(levels.size()) +
                      " level indices, expected one per characteristic (" +
                      std::to_string(design.characteristics.size()) + ")");
  VectorXd x = VectorXd::Zero(static_cast<Index>(design.columns()));
  Index column = 0;
  for (std::size_t c = 0; c < levels.size(); ++c) {
    const oaxaca_characteristic& ch = design.characteristics[c];
    if (!ch.categorical())
      throw usage_error("moments_from_cells: characteristic '" + ch.name +
                        "' is numeric; cells carry only categorical characteristics");
    if (levels[c] >= ch.level_labels.size())
      throw usage_error("moments_from_cells: cell " + std::to_string(cell) + ": level " + std::to_string(levels[c]) +
                        " of '" + ch.name + "' is out of range");
    if (levels[c] != ch.omitted_level)
      x[column + static_cast<Index>(levels[c] < ch.omitted_level ? levels[c] : levels[c] - 1)] = 1.0;
    column += static_cast<Index>(ch.columns());
  }
  return x;
}

}  // namespace

regression_moments moments_from_cells(const oaxaca_design& design, const std::vector<measure_stratum>& cells) {
  design.validate();
  const Index k = static_cast<Index>(design.columns());
  std::vector<VectorXd> rows;
  double n = 0.0, sum_y = 0.0;
  VectorXd sum_x = VectorXd::Zero(k);
  std::uint64_t participations = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    rows.push_back(cell_row(design, cells[i].levels, i));
    if (!std::isfinite(cells[i].mean) || !(cells[i].within_ss >= 0.0))
      throw usage_error("moments_from_cells: cell " + std::to_string(i) + " has a non-finite mean or within sum of squares");
    const double nc = static_cast<double>(cells[i].participations);
    n += nc;
    participations += cells[i].participations;
    sum_y += nc * cells[i].mean;
    sum_x += nc * rows.back();
  }
  regression_moments m = regression_moments::empty(k);
  m.participations = participations;
  if (participations == 0) return m;
  m.x_mean = sum_x / n;
  m.y_mean = sum_y / n;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const double nc = static_cast<double>(cells[i].participations);
    if (nc == 0.0) continue;
    const VectorXd dx = rows[i] - m.x_mean;
    const double dy = cells[i].mean - m.y_mean;
    m.x_ss += nc * dx * dx.transpose();
    m.xy_ss += nc * dx * dy;
    m.y_ss += cells[i].within_ss + nc * dy * dy;
  }
  return m;
}

regression_moments moments_from_cells(const oaxaca_design& design, const std::vector<outcome_stratum>& cells) {
  std::vector<measure_stratum> measures;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const outcome_stratum& c = cells[i];
    if (c.successes > c.participations)
      throw usage_error("moments_from_cells: cell " + std::to_string(i) + " has more successes than participations");
    const double n = static_cast<double>(c.participations), k = static_cast<double>(c.successes);
    measures.push_back({c.levels, c.participations, n > 0.0 ? k / n : 0.0, n > 0.0 ? k * (n - k) / n : 0.0});
  }
  return moments_from_cells(design, measures);
}

}  // namespace jamstat::analysis
