// The cell key method: the ptable against an independent maximum-entropy solution, the noise
// against its table, and cell keys that follow the persons across groupings and orders.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>

#include "jamstat/disclosure/cell_key.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/engine/person_key.hpp"
#include "test_tables.hpp"

namespace jamstat::disclosure {
namespace {

constexpr std::array<std::uint8_t, 16> secret{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

struct expected_transition {
  std::uint64_t j;
  double p;
};

void expect_row(const perturbation_table& t, std::uint64_t i, const std::vector<expected_transition>& want) {
  const auto& row = t.row(i);
  ASSERT_EQ(row.size(), want.size()) << "row " << i;
  for (std::size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(row[k].perturbed, want[k].j) << "row " << i;
    EXPECT_NEAR(row[k].probability, want[k].p, 2e-6) << "row " << i << " j " << want[k].j;
  }
}

TEST(Ptable, RowsEqualAnIndependentMaximumEntropySolution) {
  // /usr/bin/python3 tests/reference/disclosure/ptable_reference.py (SciPy 1.10 SLSQP; D = 5, V = 3, js = 2)
  const perturbation_table t = perturbation_table::generate({5, 3.0, 2});
  expect_row(t, 1, {{0, 0.7344695416}, {3, 0.1367201854}, {4, 0.0727963201}, {5, 0.0374295542}, {6, 0.0185843988}});
  expect_row(t, 3, {{0, 0.2039861828}, {3, 0.3936625017}, {4, 0.2474923947}, {5, 0.1105684819}, {6, 0.0351020505},
                    {7, 0.0079189036}, {8, 0.0012694848}});
  expect_row(t, 8, {{3, 0.0037918560}, {4, 0.0165909297}, {5, 0.0522926410}, {6, 0.1187303744}, {7, 0.1941934567},
                    {8, 0.2288014849}, {9, 0.1941934556}, {10, 0.1187303751}, {11, 0.0522926409}, {12, 0.0165909296},
                    {13, 0.0037918562}});
}

TEST(Ptable, EveryRowMeetsItsParameters) {
  for (const ptable_parameters p : {ptable_parameters{5, 3.0, 2}, ptable_parameters{2, 1.0, 0}, ptable_parameters{4, 2.0, 1},
                                    ptable_parameters{8, 10.0, 4}}) {
    const perturbation_table t = perturbation_table::generate(p);
    EXPECT_EQ(t.last_row(), std::uint64_t{p.max_deviation} + p.small_count_threshold + 1);
    ASSERT_EQ(t.row(0).size(), 1u);
    EXPECT_EQ(t.row(0)[0].perturbed, 0u);
    for (std::uint64_t i = 1; i <= t.last_row(); ++i) {
      double sum = 0.0;
      for (const auto& tr : t.row(i)) {
        sum += tr.probability;
        const std::uint64_t dev = tr.perturbed > i ? tr.perturbed - i : i - tr.perturbed;
        EXPECT_LE(dev, p.max_deviation);
        EXPECT_FALSE(tr.perturbed >= 1 && tr.perturbed <= p.small_count_threshold) << "row " << i << " -> " << tr.perturbed;
      }
      EXPECT_NEAR(sum, 1.0, 1e-12);
      EXPECT_NEAR(t.mean_change(i), 0.0, 1e-10) << "row " << i << " is biased";
      if (i > p.small_count_threshold + p.max_deviation / 2 + 1 || i == t.last_row()) {
        EXPECT_NEAR(t.variance_of_change(i), p.variance, 1e-9) << "row " << i;
      }
    }
  }
}

TEST(Ptable, CsvRoundTripAndBadFiles) {
  const perturbation_table t = perturbation_table::generate({4, 2.0, 1});
  const perturbation_table back = perturbation_table::from_csv(t.to_csv());
  EXPECT_EQ(back.parameters().max_deviation, 4u);
  EXPECT_EQ(back.parameters().small_count_threshold, 1u);
  EXPECT_NEAR(back.parameters().variance, 2.0, 1e-9);
  ASSERT_EQ(back.last_row(), t.last_row());
  for (std::uint64_t i = 0; i <= t.last_row(); ++i)
    for (const double key : {0.0, 0.1, 0.33, 0.5, 0.77, 0.999999})
      for (const std::uint64_t extra : {std::uint64_t{0}, std::uint64_t{40}})
        EXPECT_EQ(back.perturb(i + (i == t.last_row() ? extra : 0), key), t.perturb(i + (i == t.last_row() ? extra : 0), key));
  EXPECT_THROW(perturbation_table::from_csv("a,b,c\n0,0,1\n"), usage_error);
  EXPECT_THROW(perturbation_table::from_csv("i,j,p\n0,0,1\n1,0,0.5\n1,2,0.4\n"), usage_error);  // sums to 0.9
  EXPECT_THROW(perturbation_table::from_csv("i,j,p\n0,0,1\n2,2,1\n"), usage_error);            // row 1 missing
  EXPECT_THROW(perturbation_table::generate({0, 1.0, 0}), usage_error);
  EXPECT_THROW(perturbation_table::generate({3, 9.0, 0}), usage_error);  // V >= D^2
  EXPECT_THROW(perturbation_table::generate({3, 2.0, 3}), usage_error);  // js >= D
}

table_set persons_tables(std::uint64_t participations, std::uint64_t seed) {
  testing::random_spec spec;
  spec.levels = {3, 4, 5};
  spec.participations = participations;
  spec.seed = seed;
  spec.measures = 0;
  return testing::random_tables(spec);
}

TEST(CellKey, KeyIsTheSumOfDistinctPersonsRecordKeysModOne) {
  const table_set t = persons_tables(300, 7);
  cell_key_options o;
  o.secret = secret;
  const perturbed_tables r = protect_by_cell_key(t, o);
  ASSERT_TRUE(r.keys_from_persons);
  // The total (grouping mask 0 is the first of the full cube): every distinct person once.
  std::vector<std::uint64_t> all;
  for (const auto& c : t.cells) all.insert(all.end(), c.person_hashes.begin(), c.person_hashes.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  const person_key k(secret);
  std::uint64_t sum = 0;
  for (const std::uint64_t h : all) sum += k.hash(h);
  ASSERT_EQ(t.groupings[0], 0u);
  EXPECT_EQ(r.cell_key[0], static_cast<double>(sum >> 11) * 0x1.0p-53);
}

TEST(CellKey, SameCellSamePerturbationInEveryGroupingSetAndOrder) {
  table_set t = persons_tables(400, 8);
  cell_key_options o;
  o.secret = secret;
  const perturbed_tables full = protect_by_cell_key(t, o);
  // Publish only the (sex, d2) table and the total, with the finest cells in reverse order.
  table_set u = t;
  std::reverse(u.cells.begin(), u.cells.end());
  u.groupings = {0b101, 0};
  const perturbed_tables part = protect_by_cell_key(u, o);
  const auto full_offsets = published_cell_offsets(t), part_offsets = published_cell_offsets(u);
  const std::size_t g_full = static_cast<std::size_t>(std::find(t.groupings.begin(), t.groupings.end(), 0b101u) - t.groupings.begin());
  for (std::uint64_t cell = 0; cell < 15; ++cell) {
    EXPECT_EQ(part.cell_key[part_offsets[0] + cell], full.cell_key[full_offsets[g_full] + cell]);
    EXPECT_EQ(part.persons[part_offsets[0] + cell], full.persons[full_offsets[g_full] + cell]);
    EXPECT_EQ(part.participations[part_offsets[0] + cell], full.participations[full_offsets[g_full] + cell]);
  }
  EXPECT_EQ(part.persons[part_offsets[1]], full.persons[0]);
}

TEST(CellKey, NoiseFollowsItsPtable) {
  // Many cells with counts of at least the ptable's last row: the changes j - i are drawn from
  // the last row. Chi-square goodness of fit (10 degrees of freedom, critical value at 0.001:
  // R 4.2.2 qchisq(0.999, 10) = 29.58830).
  testing::random_spec spec;
  spec.levels = {3, 12, 12, 12};
  spec.participations = 60000;
  spec.seed = 99;
  spec.measures = 0;
  spec.outcomes = 0;
  spec.persons_per_participation = 1.0;
  spec.weights = {{1, 1, 1}, std::vector<double>(12, 1.0), std::vector<double>(12, 1.0), std::vector<double>(12, 1.0)};
  table_set t = testing::random_tables(spec);
  t.groupings = {0b1111, 0b0111, 0b1011, 0b1101};
  cell_key_options o;
  o.secret = secret;
  const perturbed_tables r = protect_by_cell_key(t, o);
  const auto offsets = published_cell_offsets(t);
  // True persons per published cell, recomputed here.
  std::vector<std::uint64_t> truth(offsets.back(), 0);
  for (const auto& c : t.cells)
    for (std::size_t g = 0; g < t.groupings.size(); ++g) {
      std::uint64_t idx = 0;
      for (std::size_t d = 0; d < 4; ++d)
        if (t.groupings[g] >> d & 1) idx = idx * t.dimensions[d].levels + c.levels[d];
      truth[offsets[g] + idx] += c.participations;
    }
  const perturbation_table& pt = o.ptable;
  std::map<long, double> observed;
  double n = 0;
  for (std::size_t k = 0; k < truth.size(); ++k) {
    if (truth[k] < pt.last_row()) continue;
    observed[static_cast<long>(r.participations[k]) - static_cast<long>(truth[k])] += 1;
    ++n;
  }
  ASSERT_GT(n, 1500);
  double chi2 = 0.0;
  for (const auto& tr : pt.row(pt.last_row())) {
    const long change = static_cast<long>(tr.perturbed) - static_cast<long>(pt.last_row());
    const double e = n * tr.probability;
    const double x = observed.count(change) ? observed[change] : 0.0;
    chi2 += (x - e) * (x - e) / e;
    observed.erase(change);
  }
  EXPECT_TRUE(observed.empty()) << "changes outside the ptable's support";
  EXPECT_LT(chi2, 29.58830);
}

TEST(CellKey, SmallCountsAreNeverPublishedAndZerosStayZero) {
  const table_set t = persons_tables(500, 3);
  cell_key_options o;
  o.secret = secret;
  const perturbed_tables r = protect_by_cell_key(t, o);
  std::uint64_t perturbed = 0;
  for (std::size_t k = 0; k < r.persons.size(); ++k) {
    for (const std::uint64_t v : {r.persons[k], r.participations[k], r.successes[0][k]}) EXPECT_FALSE(v == 1 || v == 2) << k;
    EXPECT_LE(r.persons[k], r.participations[k]);
    EXPECT_LE(r.successes[0][k], r.participations[k]);
    if (r.counts[k] == cell_status::perturbed) ++perturbed;
    else EXPECT_EQ(r.participations[k], 0u);
  }
  EXPECT_GT(perturbed, 0u);
}

TEST(CellKey, WithoutPersonIdsKeysComeFromTheCells) {
  table_set t = testing::count_tables({2, 3}, {2, 10, 12, 8, 9, 11}, {3, 1, 0});
  cell_key_options o;
  o.secret = secret;
  const perturbed_tables a = protect_by_cell_key(t, o);
  EXPECT_FALSE(a.keys_from_persons);
  t.groupings = {1, 3};  // the same cells in another output
  const perturbed_tables b = protect_by_cell_key(t, o);
  for (std::uint64_t k = 0; k < 6; ++k) EXPECT_EQ(a.participations[k], b.participations[2 + k]);
  for (std::uint64_t k = 0; k < 2; ++k) EXPECT_EQ(a.participations[6 + k], b.participations[k]);
  cell_key_options zero;
  EXPECT_THROW(protect_by_cell_key(t, zero), usage_error);
}

TEST(CellKey, MeasuresAreProtectedBySuppression) {
  testing::random_spec spec;
  spec.levels = {3, 4, 4};
  spec.participations = 300;
  spec.seed = 17;
  const table_set t = testing::random_tables(spec);
  cell_key_options o;
  o.secret = secret;
  const perturbed_tables r = protect_by_cell_key(t, o);
  ASSERT_EQ(r.measures.size(), 1u);
  std::uint64_t hidden = 0;
  for (const cell_status s : r.measures[0]) hidden += is_suppressed(s);
  EXPECT_GT(hidden, 0u);  // single-contributor cells are dominated
}

}  // namespace
}  // namespace jamstat::disclosure
