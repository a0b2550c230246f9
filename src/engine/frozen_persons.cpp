#include "jamstat/engine/frozen_persons.hpp"

#include <algorithm>
#include <string>

#include "jamstat/engine/errors.hpp"

namespace jamstat {

void frozen_persons::add(grouping g) {
  if (g.levels.size() != g.persons.size() * g.width)
    throw usage_error("frozen persons: grouping " + std::to_string(g.mask) + " has " + std::to_string(g.levels.size()) +
                      " level indices for " + std::to_string(g.persons.size()) + " cells of " + std::to_string(g.width) +
                      " dimensions");
  const auto at = std::lower_bound(groupings_.begin(), groupings_.end(), g.mask,
                                   [](const grouping& x, std::uint64_t mask) { return x.mask < mask; });
  if (at != groupings_.end() && at->mask == g.mask)
    throw usage_error("frozen persons: grouping " + std::to_string(g.mask) + " is there already");
  groupings_.insert(at, std::move(g));
}

const frozen_persons::grouping* frozen_persons::find(std::uint64_t mask) const noexcept {
  const auto at = std::lower_bound(groupings_.begin(), groupings_.end(), mask,
                                   [](const grouping& x, std::uint64_t m) { return x.mask < m; });
  return at != groupings_.end() && at->mask == mask ? &*at : nullptr;
}

}  // namespace jamstat
