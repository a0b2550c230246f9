// A suppression pattern: the status of every statistic of every published cell.
#pragma once

#include <vector>

#include "jamstat/disclosure/cell_status.hpp"

namespace jamstat::disclosure {

/// The pattern: the status of every statistic of every published cell. Published cells are
/// numbered grouping by grouping in table_set::groupings order, within a grouping by cell index
/// (see table_set); published_cell_offsets() gives where each grouping starts.
struct suppression_pattern {
  std::vector<cell_status> counts;                 ///< persons and participations
  std::vector<std::vector<cell_status>> outcomes;  ///< [outcome][cell]
  std::vector<std::vector<cell_status>> measures;  ///< [measure][cell]
};

}  // namespace jamstat::disclosure
