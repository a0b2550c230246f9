// Exact statistics of a decimal numeric measure in one cell: integer sums in grid units.
#pragma once

#include <cstdint>
#include <limits>

namespace jamstat {

__extension__ typedef __int128 int128_t;            ///< GCC/Clang 128-bit integers (every platform jamstat targets)
__extension__ typedef unsigned __int128 uint128_t;

/// Count, Σu, Σu², min and the two largest values of a decimal measure's values in grid units u
/// (value = u x 10^-decimals). Integer arithmetic is associative and commutative, so any split
/// of the values, any merge order or tree and either ingestion path give identical statistics
/// (and identical state bytes). No overflow is possible: |u| <= 2^31 - 1 (the measure's range),
/// so u² < 2^62, Σu² of up to 2^64 values < 2^126 and |Σu| < 2^95.
struct decimal_moments {
  std::uint64_t count = 0;
  int128_t sum = 0;              ///< Σu
  uint128_t sum_of_squares = 0;  ///< Σu²
  std::int64_t min = std::numeric_limits<std::int64_t>::max();
  std::int64_t max = std::numeric_limits<std::int64_t>::min();
  /// Second largest value (with multiplicity); INT64_MIN while count < 2.
  std::int64_t second_max = std::numeric_limits<std::int64_t>::min();

  /// Adds one value in grid units (|u| <= 2^31 - 1, checked by the caller).
  void add(std::int64_t u) noexcept {
    ++count;
    sum += u;
    sum_of_squares += static_cast<std::uint64_t>(u * u);
    const std::int64_t lesser = u < max ? u : max;
    second_max = lesser > second_max ? lesser : second_max;
    max = u > max ? u : max;
    min = u < min ? u : min;
  }

  /// Adds another set's statistics.
  void merge(const decimal_moments& other) noexcept {
    if (other.count == 0) return;
    count += other.count;
    sum += other.sum;
    sum_of_squares += other.sum_of_squares;
    const std::int64_t lesser = max < other.max ? max : other.max;
    std::int64_t second = second_max > other.second_max ? second_max : other.second_max;
    second_max = lesser > second ? lesser : second;
    max = max > other.max ? max : other.max;
    min = min < other.min ? min : other.min;
  }

  friend bool operator==(const decimal_moments&, const decimal_moments&) = default;
};

}  // namespace jamstat
