#include "maihda_design.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "jamstat/engine/errors.hpp"

namespace jamstat::analysis {

measure_stratum measure_stratum::from_sums(std::vector<std::uint32_t> levels, std::uint64_t participations,
                                           double sum, double sum_of_squares) {
  measure_stratum s;
  s.levels = std::move(levels);
  s.participations = participations;
  if (participations > 0) {
    const double n = static_cast<double>(participations);
    s.mean = sum / n;
    // Σ(y − ȳ)² = Σy² − (Σy)²/n; rounding can make it slightly negative when all values are equal.
    s.within_ss = std::max(0.0, sum_of_squares - sum * s.mean);
  }
  return s;
}

std::string stratum_label(const std::vector<stratum_dimension>& dimensions, const std::vector<std::uint32_t>& levels) {
  if (levels.size() != dimensions.size())
    throw usage_error("stratum_label: expected " + std::to_string(dimensions.size()) + " level indices (one per dimension), got " +
                      std::to_string(levels.size()));
  std::string label;
  for (std::size_t d = 0; d < dimensions.size(); ++d) {
    if (levels[d] >= dimensions[d].level_labels.size())
      throw usage_error("stratum_label: level " + std::to_string(levels[d]) + " of dimension '" + dimensions[d].name +
                        "' is out of range (it has " + std::to_string(dimensions[d].level_labels.size()) + " levels)");
    if (d > 0) label += " · ";
    label += dimensions[d].level_labels[levels[d]];
  }
  return label;
}

namespace maihda_detail {

stratum_design build_design(const std::vector<stratum_dimension>& dimensions,
                            const std::vector<const std::vector<std::uint32_t>*>& levels,
                            const std::vector<std::uint64_t>& participations, maihda_model_kind kind) {
  if (dimensions.empty()) throw usage_error("MAIHDA: `dimensions` is empty; the strata need at least one defining dimension");
  for (std::size_t d = 0; d < dimensions.size(); ++d)
    if (dimensions[d].level_labels.empty())
      throw usage_error("MAIHDA: dimension '" + dimensions[d].name + "' has no levels");
  std::map<std::vector<std::uint32_t>, std::size_t> seen;
  stratum_design design;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::vector<std::uint32_t>& lv = *levels[i];
    if (lv.size() != dimensions.size())
      throw usage_error("MAIHDA: stratum " + std::to_string(i) + " has " + std::to_string(lv.size()) +
                        " level indices, expected one per dimension (" + std::to_string(dimensions.size()) + ")");
    for (std::size_t d = 0; d < lv.size(); ++d)
      if (lv[d] >= dimensions[d].level_labels.size())
        throw usage_error("MAIHDA: stratum " + std::to_string(i) + ": level " + std::to_string(lv[d]) + " of dimension '" +
                          dimensions[d].name + "' is out of range (it has " +
                          std::to_string(dimensions[d].level_labels.size()) + " levels)");
    const auto [it, inserted] = seen.emplace(lv, i);
    if (!inserted)
      throw usage_error("MAIHDA: strata " + std::to_string(it->second) + " and " + std::to_string(i) +
                        " have the same levels; each intersectional stratum must appear once");
    if (participations[i] > 0) design.input_rows.push_back(i);
  }
  const std::size_t s = design.input_rows.size();
  if (s < 2)
    throw usage_error("MAIHDA: " + std::to_string(s) + " strata have participations; the between-stratum variance needs at least 2");

  maihda_fixed_effect intercept;
  intercept.term = "(Intercept)";
  intercept.intercept = true;
  design.fixed_terms.push_back(intercept);
  // Which levels occur among the strata with participations: R's factor() drops the others, and
  // the first remaining level is the reference of the treatment contrasts.
  std::vector<std::vector<std::size_t>> column_of(dimensions.size());
  if (kind == maihda_model_kind::additive) {
    for (std::size_t d = 0; d < dimensions.size(); ++d) {
      std::vector<bool> present(dimensions[d].level_labels.size(), false);
      for (std::size_t r : design.input_rows) present[(*levels[r])[d]] = true;
      column_of[d].assign(present.size(), 0);
      bool reference_seen = false;
      for (std::size_t l = 0; l < present.size(); ++l) {
        if (!present[l]) continue;
        if (!reference_seen) {
          reference_seen = true;
          continue;
        }
        column_of[d][l] = design.fixed_terms.size();
        maihda_fixed_effect term;
        term.term = dimensions[d].name + ": " + dimensions[d].level_labels[l];
        term.dimension = d;
        term.level = static_cast<std::uint32_t>(l);
        design.fixed_terms.push_back(term);
      }
    }
  }
  const std::size_t p = design.fixed_terms.size();
  design.x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(p));
  for (std::size_t r = 0; r < s; ++r) {
    const Eigen::Index row = static_cast<Eigen::Index>(r);
    design.x(row, 0) = 1.0;
    if (kind != maihda_model_kind::additive) continue;
    for (std::size_t d = 0; d < dimensions.size(); ++d) {
      const std::size_t c = column_of[d][(*levels[design.input_rows[r]])[d]];
      if (c != 0) design.x(row, static_cast<Eigen::Index>(c)) = 1.0;
    }
  }
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(design.x);
  if (qr.rank() < static_cast<Eigen::Index>(p))
    throw usage_error("MAIHDA: the additive model's design is rank deficient: some stratum-defining dimensions are "
                      "collinear across the strata with participations (e.g. one dimension determines another)");
  return design;
}

double interval_z(double level) {
  if (!(level > 0.0 && level < 1.0))
    throw usage_error("MAIHDA: `interval_level` must lie strictly between 0 and 1, got " + std::to_string(level));
  return boost::math::quantile(boost::math::normal_distribution<double>(), 0.5 + level / 2.0);
}

maihda_stratum stratum_row(const std::vector<stratum_dimension>& dimensions, const stratum_design& design,
                           std::size_t row, const std::vector<std::uint32_t>& levels, std::uint64_t participations) {
  maihda_stratum out;
  out.input_index = design.input_rows[row];
  out.levels = levels;
  out.label = stratum_label(dimensions, levels);
  out.participations = participations;
  return out;
}

std::vector<maihda_stratum> clearly_nonzero_strata(const maihda_fit& additive) {
  std::vector<maihda_stratum> out;
  for (const maihda_stratum& s : additive.strata)
    if (s.clearly_nonzero) out.push_back(s);
  std::stable_sort(out.begin(), out.end(), [](const maihda_stratum& a, const maihda_stratum& b) {
    return std::abs(a.random_effect) > std::abs(b.random_effect);
  });
  return out;
}

double proportional_change_in_variance(const maihda_fit& null_model, const maihda_fit& additive) {
  if (!(null_model.between_variance > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  return (null_model.between_variance - additive.between_variance) / null_model.between_variance;
}

}  // namespace maihda_detail
}  // namespace jamstat::analysis
