// Hand-made tables where primary suppression alone leaks, and the secondary suppression that
// closes each leak.
#include <gtest/gtest.h>

#include "jamstat/disclosure/audit.hpp"
#include "jamstat/disclosure/suppression.hpp"
#include "test_tables.hpp"

namespace jamstat::disclosure {
namespace {

using testing::count_tables;

// The audit row of one count (participations) of one published cell, or -1.
long find_row(const audit_report& r, audited_quantity q, std::uint32_t grouping, std::uint64_t cell) {
  for (std::size_t i = 0; i < r.size(); ++i)
    if (r.quantity[i] == q && r.grouping[i] == grouping && r.cell[i] == cell) return static_cast<long>(i);
  return -1;
}

std::uint64_t suppressed(const suppression_pattern& p) {
  std::uint64_t n = 0;
  for (const cell_status s : p.counts) n += is_suppressed(s);
  return n;
}

// 2 x 3 table with both marginals and the total; cell (0,0) = 2 is below the threshold.
//        c0  c1  c2 | sum
//   r0    2  10  12 |  24
//   r1    8   9  11 |  28
//   sum  10  19  23 |  52
TEST(SuppressionLeaks, OneSuppressedCellInARowIsRecomputedFromItsMarginal) {
  const table_set t = count_tables({2, 3}, {2, 10, 12, 8, 9, 11}, {3, 1, 2, 0});
  const suppression_pattern primary = primary_suppression(t);
  EXPECT_EQ(primary.counts[0], cell_status::primary);
  EXPECT_EQ(suppressed(primary), 1u);

  const audit_report leak = audit(t, primary);
  const long row = find_row(leak, audited_quantity::participations, 0, 0);
  ASSERT_GE(row, 0);
  // 24 - 10 - 12 = 2: the attacker knows the cell exactly.
  EXPECT_DOUBLE_EQ(leak.lower[static_cast<std::size_t>(row)], 2.0);
  EXPECT_DOUBLE_EQ(leak.upper[static_cast<std::size_t>(row)], 2.0);
  EXPECT_EQ(leak.under_protected, 1u);

  const suppression_result r = protect_by_suppression(t);
  const audit_report safe = audit(t, r.pattern);
  EXPECT_EQ(safe.under_protected, 0u);
  const long row2 = find_row(safe, audited_quantity::participations, 0, 0);
  ASSERT_GE(row2, 0);
  // Protection interval of a count of 2 (defaults): at most 1 below and at least 3 above.
  EXPECT_LE(safe.lower[static_cast<std::size_t>(row2)], 1.0 + 1e-9);
  EXPECT_GE(safe.upper[static_cast<std::size_t>(row2)], 3.0 - 1e-9);
  // The least a 2-D table can do is a rectangle of four inner cells.
  EXPECT_GE(r.loss.secondary_cells, 3u);
  EXPECT_EQ(r.loss.primary_cells, 1u);
  EXPECT_EQ(r.loss.primary_persons, 2u);
}

}  // namespace
}  // namespace jamstat::disclosure
