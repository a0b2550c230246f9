#include "jamstat/analysis/intersectional_table.hpp"

#include <algorithm>
#include <map>

#include "jamstat/analysis/gap_adapter.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/grouping_set.hpp"
#include "jamstat/engine/rollup.hpp"

namespace jamstat::analysis {

namespace {

std::vector<measure_moments> moments_of(const rollup_cell& c) {
  std::vector<measure_moments> out;
  for (const measure_stats& st : c.numerics) {
    const std::uint64_t n = st.count();
    out.push_back({n, n > 0 ? st.total() : 0.0, n > 0 ? st.mean() : 0.0, n >= 2 ? st.sample_variance() : 0.0});
  }
  return out;
}

}  // namespace

// The strata become the levels of one dimension, "stratum", and the gap report compares women and
// men within each of its levels: the same methods, intervals, q-values and verdicts as everywhere.
intersectional_table build_intersectional_table(const aggregator& a, const std::vector<std::string>& dimensions,
                                                const intersectional_table_options& options) {
  const schema& s = a.schema_ref();
  if (dimensions.empty()) throw usage_error("intersectional table: name at least one dimension besides sex");
  intersectional_table out;
  std::vector<std::string_view> names;
  for (const std::string& name : dimensions) {
    const auto d = s.dimension_index(name);
    if (!d) throw usage_error("intersectional table: no dimension is called '" + name + "'");
    if (*d == 0) throw usage_error("intersectional table: sex is always crossed in; name the other dimensions");
    if (std::find(out.dimensions.begin(), out.dimensions.end(), *d) != out.dimensions.end())
      throw usage_error("intersectional table: dimension '" + name + "' is named twice");
    out.dimensions.push_back(*d);
    names.push_back(name);
  }
  const grouping_set g = grouping_set::of(s, names);  // sex kept; canonical (schema) order
  const rollup_table by_stratum = rollup(a, g);
  const rollup_table by_sex = rollup(a, grouping_set::of(s, {}));
  // Positions of the chosen dimensions in the table's canonical order.
  std::vector<std::size_t> position;
  for (const std::size_t d : out.dimensions)
    position.push_back(static_cast<std::size_t>(std::find(g.dimensions().begin(), g.dimensions().end(), d) - g.dimensions().begin()));
  std::map<std::vector<std::uint32_t>, std::uint32_t> index;
  for (const rollup_cell& c : by_stratum.cells()) {
    std::vector<std::uint32_t> levels;
    for (const std::size_t p : position) levels.push_back(c.levels[p]);
    if (index.emplace(levels, 0).second) {
      stratum_key k;
      k.levels = levels;
      for (std::size_t i = 0; i < levels.size(); ++i) {
        const level& l = s.dimensions()[out.dimensions[i]].levels()[levels[i]];
        k.label_sv += (i ? " · " : "") + l.label_sv;
        k.label_en += (i ? " · " : "") + l.label_en;
      }
      out.strata.push_back(std::move(k));
    }
  }
  std::sort(out.strata.begin(), out.strata.end(), [](const stratum_key& x, const stratum_key& y) { return x.levels < y.levels; });
  for (std::uint32_t i = 0; i < out.strata.size(); ++i) index[out.strata[i].levels] = i;

  gap_schema gs = gap_schema_from(s);
  gap_dimension stratum{"stratum", {"Grupp", "Group"}, {}};
  bilingual joined{{}, {}};
  for (std::size_t i = 0; i < out.dimensions.size(); ++i) {
    const dimension& d = s.dimensions()[out.dimensions[i]];
    joined.sv += (i ? " × " : "") + d.display_label(false);
    joined.en += (i ? " × " : "") + d.display_label(true);
  }
  stratum.label = joined;
  for (const stratum_key& k : out.strata) stratum.levels.push_back({k.label_sv, k.label_en});
  gs.dimensions = {stratum};
  for (auto& o : gs.outcomes)
    if (std::find(options.offered_outcomes.begin(), options.offered_outcomes.end(), o.name) != options.offered_outcomes.end())
      o.role = outcome_role::offered;
  for (const std::string& name : options.offered_outcomes)
    if (std::none_of(gs.outcomes.begin(), gs.outcomes.end(), [&](const gap_outcome& o) { return o.name == name; }))
      throw usage_error("intersectional table: no outcome is called '" + name + "'");

  gap_cells cells(gs);
  const std::size_t sex_position = 0;  // sex is the first dimension of both tables
  for (const rollup_cell& c : by_stratum.cells()) {
    std::vector<std::uint32_t> levels;
    for (const std::size_t p : position) levels.push_back(c.levels[p]);
    const std::uint32_t level[1] = {index.at(levels)};
    const std::int32_t sex = s.dimensions()[0].levels()[c.levels[sex_position]].code;
    const auto m = moments_of(c);
    cells.add(level, sex, c.participations, c.persons.value_or(persons_unknown), c.successes, m);
  }
  for (const rollup_cell& c : by_sex.cells()) {
    const std::uint32_t level[1] = {all_levels};
    const std::int32_t sex = s.dimensions()[0].levels()[c.levels[0]].code;
    const auto m = moments_of(c);
    cells.add(level, sex, c.participations, c.persons.value_or(persons_unknown), c.successes, m);
  }
  gap_report_options ro;
  ro.compare_across = {"stratum"};
  ro.confidence_level = options.confidence_level;
  ro.minimum_persons = options.minimum_persons;
  ro.current_period = options.period;
  out.report = build_gap_report(gs, cells, ro);
  return out;
}

}  // namespace jamstat::analysis
