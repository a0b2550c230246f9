#include "jamstat/analysis/intersectional_rollup.hpp"

#include <string>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/iso5218.hpp"

namespace jamstat::analysis {
namespace {

std::vector<stratum_dimension> grouped_dimensions(const schema& s, const rollup_table& table, bool english,
                                                  bool skip_sex) {
  std::vector<stratum_dimension> out;
  for (std::size_t d : table.grouping().dimensions()) {
    if (skip_sex && d == 0) continue;
    const dimension& dim = s.dimensions().at(d);
    stratum_dimension sd;
    sd.name = dim.name();
    for (const level& l : dim.levels()) sd.level_labels.push_back(english ? l.label_en : l.label_sv);
    out.push_back(std::move(sd));
  }
  return out;
}

void check_measure(const schema& s, std::size_t measure) {
  if (measure >= s.numeric_measures().size())
    throw usage_error("intersectional strata: numeric measure " + std::to_string(measure) + " is out of range (the schema has " +
                      std::to_string(s.numeric_measures().size()) + ")");
}

void check_outcome(const schema& s, std::size_t outcome) {
  if (outcome >= s.outcomes().size())
    throw usage_error("intersectional strata: outcome " + std::to_string(outcome) + " is out of range (the schema has " +
                      std::to_string(s.outcomes().size()) + ")");
}

measure_stratum measure_of(const rollup_cell& c, std::vector<std::uint32_t> levels, std::size_t measure) {
  const measure_stats& m = c.numerics[measure];
  measure_stratum out;
  out.levels = std::move(levels);
  out.participations = m.count();
  if (m.count() > 0) {
    out.mean = m.mean();
    out.within_ss = m.sum_of_squares();
  }
  return out;
}

/// Position of sex in the grouping and the level indices of women and men.
struct sex_positions {
  std::size_t position = 0;
  std::uint32_t women = 0, men = 0;
};

sex_positions find_sex(const schema& s, const rollup_table& table) {
  const auto& dims = table.grouping().dimensions();
  if (dims.empty() || dims.front() != 0)
    throw usage_error("Oaxaca-Blinder cells: the roll-up's grouping must keep sex (women and men are compared)");
  if (dims.size() < 2)
    throw usage_error("Oaxaca-Blinder cells: the roll-up's grouping keeps only sex; the characteristics are its other dimensions");
  const dimension& sex = s.dimensions().front();
  return {0, static_cast<std::uint32_t>(*sex.index_of(iso5218::female)), static_cast<std::uint32_t>(*sex.index_of(iso5218::male))};
}

template <class Cells, class Make>
Cells split_by_sex(const schema& s, const rollup_table& table, bool english, Make make) {
  const sex_positions sex = find_sex(s, table);
  Cells out;
  out.design = categorical_design(grouped_dimensions(s, table, english, true));
  for (const rollup_cell& c : table.cells()) {
    const std::uint32_t code = c.levels[sex.position];
    std::vector<std::uint32_t> levels(c.levels.begin() + 1, c.levels.end());
    if (code == sex.women)
      out.women.push_back(make(c, std::move(levels)));
    else if (code == sex.men)
      out.men.push_back(make(c, std::move(levels)));
    else
      out.other_sex_participations += c.participations;
  }
  return out;
}

}  // namespace

maihda_measure_input maihda_measure_strata(const schema& s, const rollup_table& table, std::size_t measure, bool english) {
  check_measure(s, measure);
  if (table.grouping().dimensions().empty()) throw usage_error("MAIHDA strata: the roll-up's grouping has no dimension");
  maihda_measure_input out;
  out.dimensions = grouped_dimensions(s, table, english, false);
  for (const rollup_cell& c : table.cells())
    out.strata.push_back(measure_of(c, {c.levels.begin(), c.levels.end()}, measure));
  return out;
}

maihda_outcome_input maihda_outcome_strata(const schema& s, const rollup_table& table, std::size_t outcome, bool english) {
  check_outcome(s, outcome);
  if (table.grouping().dimensions().empty()) throw usage_error("MAIHDA strata: the roll-up's grouping has no dimension");
  maihda_outcome_input out;
  out.dimensions = grouped_dimensions(s, table, english, false);
  for (const rollup_cell& c : table.cells())
    out.strata.push_back({{c.levels.begin(), c.levels.end()}, c.participations, c.successes[outcome]});
  return out;
}

oaxaca_measure_cells oaxaca_measure_cells_from(const schema& s, const rollup_table& table, std::size_t measure,
                                               bool english) {
  check_measure(s, measure);
  return split_by_sex<oaxaca_measure_cells>(s, table, english, [&](const rollup_cell& c, std::vector<std::uint32_t> levels) {
    return measure_of(c, std::move(levels), measure);
  });
}

oaxaca_outcome_cells oaxaca_outcome_cells_from(const schema& s, const rollup_table& table, std::size_t outcome,
                                               bool english) {
  check_outcome(s, outcome);
  return split_by_sex<oaxaca_outcome_cells>(s, table, english, [&](const rollup_cell& c, std::vector<std::uint32_t> levels) {
    return outcome_stratum{std::move(levels), c.participations, c.successes[outcome]};
  });
}

}  // namespace jamstat::analysis
