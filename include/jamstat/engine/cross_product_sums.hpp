// The exact sums of products of a schema's cross-product set, per finest cell, and their roll-up
// to any grouping set: what regressions on numeric characteristics need beyond the cells
// (docs/engine.md, "Cross-products").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "jamstat/engine/decimal_moments.hpp"
#include "jamstat/engine/grouping_set.hpp"

namespace jamstat {

class aggregator;

/// Position of the pair (i, j) of p variables in a packed upper triangle stored row by row:
/// (0,0), (0,1), ..., (0,p-1), (1,1), ..., (p-1,p-1). i and j in either order, both < p.
constexpr std::size_t cross_product_pair_index(std::size_t i, std::size_t j, std::size_t p) noexcept {
  if (i > j) {
    const std::size_t t = i;
    i = j;
    j = t;
  }
  return i * p - i * (i == 0 ? 0 : i - 1) / 2 + (j - i);
}

/// Adds one participation's products z_i z_j (i <= j) to a packed triangle of p variables. The
/// values are grid units, |z| <= 2^31 - 1 (an outcome's 0 / 1, a decimal measure's units), so
/// each product is below 2^62 and a sum over fewer than 2^64 participations below 2^126: no sum
/// can leave 128 bits.
inline void add_cross_products(int128_t* triangle, const std::int64_t* z, std::size_t p) noexcept {
  for (std::size_t i = 0; i < p; ++i) {
    const std::int64_t zi = z[i];
    for (std::size_t j = i; j < p; ++j) *triangle++ += static_cast<int128_t>(zi * z[j]);
  }
}

/// One cell of a grouping set with the cross-product set's exact sums (grid units).
struct cross_product_cell {
  /// Level index of each grouped dimension, in the order of grouping_set::dimensions().
  std::vector<std::uint32_t> levels;
  std::uint64_t participations = 0;
  /// Σ z_i per variable of the set (an outcome's successes, a decimal measure's Σu).
  std::vector<int128_t> sums;
  /// Σ z_i z_j, the packed upper triangle (cross_product_pair_index()).
  std::vector<int128_t> products;
  /// Σ z_i z_j for variables i and j (either order; not checked: both below sums.size()).
  int128_t product(std::size_t i, std::size_t j) const noexcept {
    return products[cross_product_pair_index(i, j, sums.size())];
  }
};

/// The cross-product sums of every non-empty cell of a grouping set, sorted by level indices.
struct cross_product_table {
  grouping_set grouping;
  std::vector<cross_product_cell> cells;
  /// The cell with these level indices (grouping order), or nullptr when it is empty.
  const cross_product_cell* find(std::span<const std::uint32_t> levels) const noexcept;
};

/// The cross-product sums at a grouping set, exactly the sums over the participations of each of
/// its cells (integer addition of the finest cells', so any merge order and either ingestion path
/// give the same table). Throws usage_error when the aggregator's schema keeps no cross-product
/// set.
cross_product_table roll_up_cross_products(const aggregator& a, const grouping_set& grouping);

}  // namespace jamstat
