#include "jamstat/engine/cross_product_sums.hpp"

#include <algorithm>
#include <map>

#include "jamstat/engine/aggregator.hpp"
#include "jamstat/engine/errors.hpp"

namespace jamstat {

const cross_product_cell* cross_product_table::find(std::span<const std::uint32_t> levels) const noexcept {
  const auto it = std::lower_bound(cells.begin(), cells.end(), levels, [](const cross_product_cell& c, std::span<const std::uint32_t> l) {
    return std::lexicographical_compare(c.levels.begin(), c.levels.end(), l.begin(), l.end());
  });
  if (it == cells.end() || !std::equal(it->levels.begin(), it->levels.end(), levels.begin(), levels.end())) return nullptr;
  return &*it;
}

cross_product_table roll_up_cross_products(const aggregator& a, const grouping_set& grouping) {
  const schema& s = a.schema_ref();
  if (!s.keeps_cross_products())
    throw usage_error("roll_up_cross_products: the aggregator's schema keeps no cross-product set (declare one in the "
                      "schema: schema(dimensions, outcomes, measures, cross_products))");
  if (!grouping.dimensions().empty() && grouping.dimensions().back() >= s.dimensions().size())
    throw usage_error("roll_up_cross_products: the grouping set names a dimension the schema does not have");
  const auto& variables = s.cross_product_variables();
  const std::size_t p = variables.size(), pairs = p * (p + 1) / 2;
  const cell_store& cells = a.cells();
  std::vector<std::uint32_t> finest(s.dimensions().size());
  // Keyed by the grouped levels: std::map keeps them sorted, so the table is in level order.
  std::map<std::vector<std::uint32_t>, cross_product_cell> groups;
  std::vector<std::uint32_t> key(grouping.dimensions().size());
  for (std::uint32_t slot = 0; slot < cells.slot_count(); ++slot) {
    const std::uint64_t n = cells.participations(slot);
    if (n == 0) continue;
    cells.decode(cells.cell_of(slot), finest.data());
    for (std::size_t g = 0; g < key.size(); ++g) key[g] = finest[grouping.dimensions()[g]];
    auto [it, inserted] = groups.try_emplace(key);
    cross_product_cell& c = it->second;
    if (inserted) {
      c.levels = key;
      c.sums.assign(p, 0);
      c.products.assign(pairs, 0);
    }
    c.participations += n;  // below 2^64: the aggregator's total is
    for (std::size_t v = 0; v < p; ++v)
      c.sums[v] += variables[v].from == cross_product_variable::source::outcome
                       ? static_cast<int128_t>(cells.successes(variables[v].index)[slot])
                       : cells.decimal(variables[v].index)[slot].sum;
    const int128_t* products = cells.cross_products(slot);
    for (std::size_t k = 0; k < pairs; ++k) c.products[k] += products[k];
  }
  cross_product_table table{grouping, {}};
  table.cells.reserve(groups.size());
  for (auto& [levels, c] : groups) table.cells.push_back(std::move(c));
  return table;
}

}  // namespace jamstat
