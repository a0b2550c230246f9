#include "jamstat/engine/person_free.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/rollup.hpp"

namespace jamstat {

namespace {

frozen_persons::grouping freeze(const rollup_table& t) {
  frozen_persons::grouping g;
  g.mask = t.grouping().mask();
  g.width = t.grouping().dimensions().size();
  g.levels.reserve(t.cells().size() * g.width);
  g.persons.reserve(t.cells().size());
  for (const rollup_cell c : t.cells()) {
    g.levels.insert(g.levels.end(), c.levels.begin(), c.levels.end());
    g.persons.push_back(c.persons.value_or(0));
  }
  return g;
}

}  // namespace

aggregator person_free(const aggregator& state, std::span<const std::uint64_t> grouping_masks) {
  if (state.is_person_free()) throw usage_error("person_free: the state is person-free already");
  if (!state.counts_persons())
    throw usage_error("person_free: the state does not count persons: it holds no person hashes, and is person-free as it is");
  const schema& s = state.schema_ref();
  const std::size_t d = s.dimensions().size();
  if (d > 63) throw usage_error("person_free: a schema of more than 63 dimensions (grouping masks have 64 bits)");
  const std::uint64_t finest = (std::uint64_t{1} << d) - 1;
  std::vector<std::uint64_t> masks(grouping_masks.begin(), grouping_masks.end());
  for (const std::uint64_t m : masks)
    if (m & ~finest)
      throw usage_error("person_free: grouping mask " + std::to_string(m) + " names a dimension the schema does not have (it has " +
                        std::to_string(d) + ")");
  std::sort(masks.begin(), masks.end());
  if (std::adjacent_find(masks.begin(), masks.end()) != masks.end())
    throw usage_error("person_free: a grouping mask is given twice");

  auto frozen = std::make_shared<frozen_persons>();
  if (masks.empty()) {
    if (d > 20) throw usage_error("person_free: every grouping of " + std::to_string(d) + " dimensions is 2^" + std::to_string(d) +
                                  " groupings; name the groupings to freeze (at most 2^20)");
    for (const rollup_table& t : cube(state)) frozen->add(freeze(t));
  } else {
    if (masks.size() > (std::size_t{1} << 20)) throw usage_error("person_free: more than 2^20 groupings");
    if (!std::binary_search(masks.begin(), masks.end(), finest)) masks.push_back(finest);
    for (const std::uint64_t m : masks) frozen->add(freeze(rollup(state, grouping_set::from_mask(s, m))));
  }

  aggregator out(aggregator::restoring_tag{}, state.schema_, aggregator_options{state.options_.on_bad_record, std::nullopt},
                 std::nullopt, state.cells_.is_dense() ? cell_store::layout::automatic : cell_store::layout::sparse);
  out.cells_.merge(state.cells_);  // everything but the person sets: `out` keeps none
  out.rejected_ = state.rejected_;
  out.participations_ = state.participations_;
  out.anonymous_ = state.anonymous_;
  out.rounded_ = state.rounded_;
  out.frozen_ = std::move(frozen);
  return out;
}

}  // namespace jamstat
