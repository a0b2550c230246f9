// Schemas shared by the engine tests.
#pragma once

#include <memory>

#include "jamstat/jamstat.hpp"

namespace jamstat::testing {

/// sex + region (codes 1, 2); outcome "work"; numeric measures "hours" and "cost".
inline std::shared_ptr<const schema> small_schema() {
  return std::make_shared<const schema>(
      std::vector<dimension>{dimension("region", {{1, "Norr", "North"}, {2, "Söder", "South"}})},
      std::vector<outcome>{{"work", "I arbete", "In work"}},
      std::vector<numeric_measure>{{"hours", "h", "Timmar", "Hours"}, {"cost", "SEK", "Kostnad", "Cost"}});
}

/// A fixed test key for person hashing.
inline person_key test_key(std::uint8_t first = 1) {
  std::array<std::uint8_t, 16> k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(first + i);
  return person_key(k);
}

}  // namespace jamstat::testing
