// Hand-made tables where primary suppression alone leaks, and the secondary suppression that
// closes each leak.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

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


// Differencing between a table and its marginal: a 3-dimensional table (2 x 2 x 3) published
// with its (d0, d1) marginal. A lone small cell in a row of the finest table is the marginal
// cell minus the rest of its row.
TEST(SuppressionLeaks, DifferencingBetweenATableAndItsMarginal) {
  const table_set t = count_tables({2, 2, 3}, {3, 10, 12, 9, 14, 11, 8, 9, 15, 10, 12, 13}, {0b111, 0b011});
  const suppression_pattern primary = primary_suppression(t);
  const audit_report leak = audit(t, primary);
  EXPECT_EQ(leak.under_protected, 1u);
  EXPECT_EQ(leak.exactly_disclosed, 1u);
  const suppression_result r = protect_by_suppression(t);
  const audit_report safe = audit(t, r.pattern);
  EXPECT_EQ(safe.under_protected, 0u);
  EXPECT_EQ(safe.exactly_disclosed, 0u);
  EXPECT_GE(r.loss.secondary_cells, 1u);
}

// Linked tables that share a marginal: (d0, d1) and (d0, d2) both published with the d0
// marginal. A small cell of (d0, d1) is closed inside its own table, but the shared d0 marginal
// links the two: the audit over both tables must pass.
TEST(SuppressionLeaks, LinkedTablesSharingAMarginal) {
  // 2 x 3 x 3 finest cells; only the two 2-D tables, the d0 marginal and the total are published.
  std::vector<std::uint64_t> counts(18);
  for (std::size_t f = 0; f < counts.size(); ++f) counts[f] = 3 + (f * 7) % 11;
  counts[0] = 1;  // (0, 0, *) = 1 + 1 + 1: a small cell of the (d0, d1) table
  counts[1] = 1;
  counts[2] = 1;
  const table_set t = count_tables({2, 3, 3}, counts, {0b011, 0b101, 0b001, 0});
  const suppression_pattern primary = primary_suppression(t);
  const audit_report leak = audit(t, primary);
  ASSERT_GE(leak.under_protected, 1u);
  const suppression_result r = protect_by_suppression(t);
  EXPECT_EQ(audit(t, r.pattern).under_protected, 0u);
  // The protection is stated per cell: every primary cell has an interval reaching its level.
  for (std::size_t i = 0; i < r.audit.size(); ++i)
    if (!std::isnan(r.audit.required_lower[i])) {
      EXPECT_LE(r.audit.lower[i], r.audit.required_lower[i] + 1e-9);
      EXPECT_GE(r.audit.upper[i], r.audit.required_upper[i] - 1e-9);
    }
}

// A small group where nobody got a job, with the outcome's total published: the successes of
// the other cells give it away (0), so secondary suppression hides another cell's successes.
TEST(SuppressionLeaks, GroupDisclosureClosedBySecondarySuppressionOfOutcomes) {
  table_set t = count_tables({2, 3}, {6, 20, 25, 18, 22, 30}, {3, 1, 2, 0});
  t.outcomes = {"job"};
  const std::uint64_t successes[] = {0, 8, 11, 7, 9, 12};
  for (auto& c : t.cells) c.successes = {successes[c.levels[0] * 3 + c.levels[1]]};
  const suppression_pattern primary = primary_suppression(t);
  EXPECT_EQ(primary.counts[0], cell_status::published);
  EXPECT_EQ(primary.outcomes[0][0], cell_status::primary);
  EXPECT_GE(audit(t, primary).under_protected, 1u);
  const suppression_result r = protect_by_suppression(t);
  EXPECT_EQ(audit(t, r.pattern).under_protected, 0u);
  EXPECT_EQ(r.loss.primary_cells, 0u);
  EXPECT_GE(r.loss.outcome_statistics_suppressed, 2u);
}

// The audit's intervals against brute force: every non-negative integer table that agrees with
// what a pattern publishes, enumerated; the attacker's interval of a suppressed cell is the
// least and greatest value it takes. Two-dimensional tables with marginals are totally
// unimodular, so the LP bounds are integers and equal these.
struct brute_force_bounds {
  std::vector<std::uint64_t> lower, upper;
};

brute_force_bounds enumerate(const std::vector<std::uint64_t>& x, std::size_t rows, std::size_t cols,
                             const std::vector<std::uint8_t>& hidden_finest, const std::vector<std::uint8_t>& hidden_row,
                             const std::vector<std::uint8_t>& hidden_col, bool total_hidden) {
  const std::size_t n = rows * cols;
  std::vector<std::size_t> unknown;
  for (std::size_t f = 0; f < n; ++f)
    if (hidden_finest[f]) unknown.push_back(f);
  // The published linear constraints: each a set of finest cells and its sum.
  std::vector<std::pair<std::vector<std::size_t>, std::uint64_t>> known;
  auto add = [&](std::vector<std::size_t> cells) {
    std::uint64_t sum = 0;
    for (const std::size_t f : cells) sum += x[f];
    known.emplace_back(std::move(cells), sum);
  };
  for (std::size_t r = 0; r < rows; ++r)
    if (!hidden_row[r]) {
      std::vector<std::size_t> c;
      for (std::size_t k = 0; k < cols; ++k) c.push_back(r * cols + k);
      add(c);
    }
  for (std::size_t k = 0; k < cols; ++k)
    if (!hidden_col[k]) {
      std::vector<std::size_t> c;
      for (std::size_t r = 0; r < rows; ++r) c.push_back(r * cols + k);
      add(c);
    }
  if (!total_hidden) {
    std::vector<std::size_t> c(n);
    for (std::size_t f = 0; f < n; ++f) c[f] = f;
    add(c);
  }
  std::uint64_t cap = 0;
  for (const auto v : x) cap += v;
  brute_force_bounds b;
  b.lower.assign(n, UINT64_MAX);
  b.upper.assign(n, 0);
  std::vector<std::uint64_t> y = x;
  std::vector<std::uint8_t> assigned(n, 1);
  for (const std::size_t f : unknown) assigned[f] = 0;
  // Partial check: assigned cells never exceed a known sum; a fully assigned one equals it.
  auto feasible = [&] {
    for (const auto& [cells, sum] : known) {
      std::uint64_t s = 0;
      bool complete = true;
      for (const std::size_t f : cells) {
        if (assigned[f]) s += y[f];
        else complete = false;
      }
      if (s > sum || (complete && s != sum)) return false;
    }
    return true;
  };
  std::function<void(std::size_t)> go = [&](std::size_t k) {
    if (k == unknown.size()) {
      for (const std::size_t f : unknown) {
        b.lower[f] = std::min(b.lower[f], y[f]);
        b.upper[f] = std::max(b.upper[f], y[f]);
      }
      return;
    }
    assigned[unknown[k]] = 1;
    for (std::uint64_t v = 0; v <= cap; ++v) {
      y[unknown[k]] = v;
      if (feasible()) go(k + 1);
    }
    assigned[unknown[k]] = 0;
  };
  go(0);
  return b;
}

TEST(AuditIntervals, EqualBruteForceEnumerationOnSmallTables) {
  // 3 x 3 tables with marginals and the total: one small cell, then two in opposite corners.
  for (const std::vector<std::uint64_t>& x : {std::vector<std::uint64_t>{2, 6, 7, 5, 8, 9, 6, 7, 9},
                                              std::vector<std::uint64_t>{2, 6, 7, 5, 8, 9, 6, 7, 1}}) {
    const table_set t = count_tables({3, 3}, x, {3, 1, 2, 0});
    // Published cells: grouping 0 = finest (9), 1 = d0 (3), 2 = d1 (3), 3 = total (1).
    for (const suppression_pattern& p : {primary_suppression(t), protect_by_suppression(t).pattern}) {
      std::vector<std::uint8_t> hf(9), hr(3), hc(3);
      for (std::size_t k = 0; k < 9; ++k) hf[k] = is_suppressed(p.counts[k]);
      for (std::size_t k = 0; k < 3; ++k) hr[k] = is_suppressed(p.counts[9 + k]);
      for (std::size_t k = 0; k < 3; ++k) hc[k] = is_suppressed(p.counts[12 + k]);
      const bool ht = is_suppressed(p.counts[15]);
      ASSERT_LE(std::count(hf.begin(), hf.end(), 1), 8) << "too many unknowns to enumerate";
      ASSERT_FALSE(ht);
      const brute_force_bounds b = enumerate(x, 3, 3, hf, hr, hc, ht);
      const audit_report a = audit(t, p);
      std::size_t compared = 0;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (a.grouping[i] != 0 || a.quantity[i] != audited_quantity::participations) continue;
        EXPECT_NEAR(a.lower[i], static_cast<double>(b.lower[a.cell[i]]), 1e-7) << "cell " << a.cell[i];
        EXPECT_NEAR(a.upper[i], static_cast<double>(b.upper[a.cell[i]]), 1e-7) << "cell " << a.cell[i];
        ++compared;
      }
      EXPECT_EQ(compared, static_cast<std::size_t>(std::count(hf.begin(), hf.end(), 1)));
    }
  }
}

// Realistic tables: sex x age band x birth region x intervention (3 x 6 x 3 x 12, the canonical
// weights) of a small association's year, every grouping of the cube published; many small
// cells. The audit proves protection and the information loss is reported.
TEST(SuppressionProof, RealisticCubeIsProtectedAndAudited) {
  testing::random_spec spec;
  spec.levels = {3, 6, 3, 12};
  spec.weights = {{0.02, 0.47, 0.51},
                  {0.08, 0.21, 0.19, 0.25, 0.16, 0.11},
                  {0.64, 0.12, 0.24},
                  {17, 9, 9.5, 7, 4, 5, 7.5, 3, 7, 10.5, 9, 11.5}};
  spec.participations = 600;
  spec.seed = 2024;
  const table_set t = testing::random_tables(spec);
  const suppression_pattern primary = primary_suppression(t);
  const audit_report leak = audit(t, primary);
  EXPECT_GT(leak.under_protected, 0u) << "primary suppression alone should leak in a full cube";
  const suppression_result r = protect_by_suppression(t);
  EXPECT_EQ(r.audit.under_protected, 0u);
  EXPECT_GT(r.loss.primary_cells, 20u);
  EXPECT_GT(r.loss.secondary_cells, 0u);
  EXPECT_LT(r.loss.secondary_cells, r.loss.published_cells / 2);
  // The secondary cells hold few persons: the cost prefers small cells over totals.
  // The total and the sex marginal (the headline figures) stay published.
  EXPECT_EQ(r.pattern.counts[0], cell_status::published);
  std::printf("realistic cube: %llu published cells, primary %llu (%llu persons), secondary %llu (%llu persons), %llu LPs, %.3f s\n",
              static_cast<unsigned long long>(r.loss.published_cells), static_cast<unsigned long long>(r.loss.primary_cells),
              static_cast<unsigned long long>(r.loss.primary_persons), static_cast<unsigned long long>(r.loss.secondary_cells),
              static_cast<unsigned long long>(r.loss.secondary_persons), static_cast<unsigned long long>(r.loss.linear_programs),
              r.loss.seconds);
}

TEST(SuppressionProof, RandomTablesWithOutcomesAndMeasuresPassTheAudit) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    testing::random_spec spec;
    spec.levels = {3, 4, 5};
    spec.participations = 150 * seed;
    spec.seed = 100 + seed;
    spec.outcomes = 2;
    spec.measures = 1;
    const table_set t = testing::random_tables(spec);
    const suppression_result r = protect_by_suppression(t);
    const audit_report a = audit(t, r.pattern);
    EXPECT_EQ(a.under_protected, 0u) << "seed " << seed;
    // A suppressed count hides the cell's outcomes and measures.
    for (std::size_t k = 0; k < r.pattern.counts.size(); ++k)
      if (is_suppressed(r.pattern.counts[k])) {
        for (const auto& o : r.pattern.outcomes) EXPECT_TRUE(is_suppressed(o[k]));
        for (const auto& m : r.pattern.measures) EXPECT_TRUE(is_suppressed(m[k]));
      }
  }
}

}  // namespace
}  // namespace jamstat::disclosure
