// Engine schema and cube -> the gap report's engine-neutral input.
#include "jamstat/analysis/gap_adapter.hpp"

#include <vector>

#include "jamstat/engine/grouping_set.hpp"
#include "jamstat/engine/rollup.hpp"

namespace jamstat::analysis {

gap_schema gap_schema_from(const schema& s, const std::vector<std::pair<std::string, bilingual>>& dimension_labels) {
  gap_schema out;
  const std::vector<dimension>& dims = s.dimensions();
  for (std::size_t d = 1; d < dims.size(); ++d) {
    gap_dimension g{dims[d].name(), {dims[d].display_label(false), dims[d].display_label(true)}, {}};
    for (const auto& [name, label] : dimension_labels) {
      if (name == dims[d].name()) g.label = label;
    }
    for (const level& l : dims[d].levels()) g.levels.push_back({l.label_sv, l.label_en});
    out.dimensions.push_back(std::move(g));
  }
  for (const outcome& o : s.outcomes()) out.outcomes.push_back({o.name, {o.label_sv, o.label_en}, outcome_role::result});
  for (const numeric_measure& m : s.numeric_measures()) out.measures.push_back({m.name, {m.label_sv, m.label_en}, m.unit});
  return out;
}

gap_cells gap_cells_from(const aggregator& a) {
  const schema& s = *a.schema_ptr();
  const std::vector<dimension>& dims = s.dimensions();
  gap_cells out(dims.size() - 1, s.outcomes().size(), s.numeric_measures().size());
  const std::vector<rollup_table> tables = cube(a);
  std::size_t cells = 0;
  for (std::uint64_t mask = 1; mask < tables.size(); mask += 2) cells += tables[mask].cells().size();
  out.reserve(cells);
  std::vector<std::uint32_t> levels(dims.size() - 1);
  std::vector<measure_moments> moments(s.numeric_measures().size());
  for (std::uint64_t mask = 1; mask < tables.size(); mask += 2) {  // odd masks keep sex (bit 0)
    const std::vector<std::size_t>& kept = tables[mask].grouping().dimensions();
    for (const rollup_cell& c : tables[mask].cells()) {
      std::fill(levels.begin(), levels.end(), all_levels);
      std::int32_t sex = 0;
      for (std::size_t p = 0; p < kept.size(); ++p) {
        if (kept[p] == 0) sex = dims[0].levels()[c.levels[p]].code;
        else levels[kept[p] - 1] = c.levels[p];
      }
      for (std::size_t m = 0; m < moments.size(); ++m) {
        const measure_stats& st = c.numerics[m];
        const std::uint64_t n = st.count();
        moments[m] = {n, n > 0 ? st.total() : 0.0, n > 0 ? st.mean() : 0.0, n >= 2 ? st.sample_variance() : 0.0};
      }
      out.add(levels, sex, c.participations, c.persons ? *c.persons : persons_unknown, c.successes, moments);
    }
  }
  return out;
}

}  // namespace jamstat::analysis
