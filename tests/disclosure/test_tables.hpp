// Table sets for the disclosure tests: hand-made count tables and a seeded random generator of
// participation data (persons with several participations, outcomes, a skewed measure).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "jamstat/disclosure/table_set.hpp"

namespace jamstat::disclosure::testing {

/// A table set of counts only (persons not counted: persons = participations), from the dense
/// finest counts (row-major, dimension 0 most significant; 0 = empty cell).
inline table_set count_tables(const std::vector<std::uint32_t>& levels, const std::vector<std::uint64_t>& counts,
                              const std::vector<std::uint64_t>& groupings) {
  table_set t;
  for (std::size_t d = 0; d < levels.size(); ++d) t.dimensions.push_back({"d" + std::to_string(d), levels[d]});
  t.persons_counted = false;
  t.groupings = groupings;
  for (std::uint64_t f = 0; f < counts.size(); ++f) {
    if (counts[f] == 0) continue;
    finest_cell c;
    c.levels.resize(levels.size());
    std::uint64_t rest = f;
    for (std::size_t d = levels.size(); d-- > 0;) {
      c.levels[d] = static_cast<std::uint32_t>(rest % levels[d]);
      rest /= levels[d];
    }
    c.persons = c.participations = counts[f];
    t.cells.push_back(c);
  }
  return t;
}

/// Every grouping of `dims` dimensions (the full cube, 2^dims tables; mask 0 = the total).
inline std::vector<std::uint64_t> full_cube(std::size_t dims) {
  std::vector<std::uint64_t> g;
  for (std::uint64_t m = 0; m < (std::uint64_t{1} << dims); ++m) g.push_back(m);
  return g;
}

struct random_spec {
  std::vector<std::uint32_t> levels;
  /// Level weights per dimension (empty: a mild built-in skew).
  std::vector<std::vector<double>> weights;
  std::uint64_t participations = 1000;
  std::uint64_t seed = 1;
  double persons_per_participation = 0.625;  ///< as the canonical synthetic data (5/8)
  bool with_hashes = true;
  std::size_t outcomes = 1;
  std::size_t measures = 1;
};

/// Seeded random participation data aggregated into finest cells. Persons have fixed sex (and
/// the first dimension after sex); the other dimensions vary per participation, as age band,
/// education and intervention do in the synthetic data. Level probabilities are skewed (Zipf-like)
/// so that some cells are small and many are empty; the measure is log-normal-ish hours.
inline table_set random_tables(const random_spec& spec) {
  std::mt19937_64 rng(spec.seed);
  const std::size_t dims = spec.levels.size();
  const std::uint64_t persons = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(static_cast<double>(spec.participations) * spec.persons_per_participation));
  std::vector<std::discrete_distribution<std::uint32_t>> level_dist;
  for (std::size_t d = 0; d < dims; ++d) {
    std::vector<double> w(spec.levels[d]);
    if (d < spec.weights.size() && spec.weights[d].size() == w.size()) {
      w = spec.weights[d];
    } else {
      for (std::size_t l = 0; l < w.size(); ++l) w[l] = 1.0 / (1.0 + static_cast<double>(l) * 0.7);
      std::shuffle(w.begin(), w.end(), rng);
    }
    level_dist.emplace_back(w.begin(), w.end());
  }
  std::vector<std::vector<std::uint32_t>> fixed(persons);
  std::vector<std::uint64_t> hash(persons);
  for (std::uint64_t p = 0; p < persons; ++p) {
    hash[p] = rng();
    for (std::size_t d = 0; d < std::min<std::size_t>(2, dims); ++d) fixed[p].push_back(level_dist[d](rng));
  }
  struct acc {
    std::uint64_t n = 0;
    std::vector<std::uint64_t> who;
    std::vector<std::uint64_t> succ;
    std::vector<measure_cell> m;
  };
  std::map<std::vector<std::uint32_t>, acc> cells;
  std::uniform_int_distribution<std::uint64_t> pick(0, persons - 1);
  std::lognormal_distribution<double> hours(4.0, 1.0);
  std::bernoulli_distribution coin(0.4);
  for (std::uint64_t i = 0; i < spec.participations; ++i) {
    const std::uint64_t p = i < persons ? i : pick(rng);
    std::vector<std::uint32_t> lv(dims);
    for (std::size_t d = 0; d < dims; ++d) lv[d] = d < fixed[p].size() ? fixed[p][d] : level_dist[d](rng);
    acc& a = cells[lv];
    ++a.n;
    a.who.push_back(hash[p]);
    a.succ.resize(spec.outcomes, 0);
    a.m.resize(spec.measures);
    for (std::size_t o = 0; o < spec.outcomes; ++o) a.succ[o] += coin(rng);
    for (std::size_t m = 0; m < spec.measures; ++m) {
      const double x = std::round(hours(rng) * 100.0) / 100.0;
      measure_cell& mc = a.m[m];
      mc.sum += x;
      if (x > mc.largest) {
        mc.second_largest = mc.largest;
        mc.largest = x;
      } else if (x > mc.second_largest) {
        mc.second_largest = x;
      }
    }
  }
  table_set t;
  for (std::size_t d = 0; d < dims; ++d) t.dimensions.push_back({d == 0 ? "sex" : "d" + std::to_string(d), spec.levels[d]});
  for (std::size_t o = 0; o < spec.outcomes; ++o) t.outcomes.push_back("outcome" + std::to_string(o));
  for (std::size_t m = 0; m < spec.measures; ++m) t.measures.push_back("measure" + std::to_string(m));
  t.persons_counted = true;
  t.has_person_hashes = spec.with_hashes;
  for (auto& [lv, a] : cells) {
    std::sort(a.who.begin(), a.who.end());
    a.who.erase(std::unique(a.who.begin(), a.who.end()), a.who.end());
    finest_cell c;
    c.levels = lv;
    c.participations = a.n;
    c.persons = a.who.size();
    c.successes = a.succ;
    c.measures = a.m;
    if (spec.with_hashes) c.person_hashes.assign(a.who.begin(), a.who.end());
    t.cells.push_back(std::move(c));
  }
  t.groupings = full_cube(dims);
  return t;
}

/// The canonical dimensions of the synthetic participation data (sex 3, age band 6, birth
/// region 3, education 4, intervention 12) with level weights like its marginal distributions.
inline random_spec canonical_spec(std::uint64_t participations, std::uint64_t seed) {
  random_spec spec;
  spec.levels = {3, 6, 3, 4, 12};
  spec.weights = {{0.02, 0.47, 0.51},
                  {0.08, 0.21, 0.19, 0.25, 0.16, 0.11},
                  {0.64, 0.12, 0.24},
                  {0.25, 0.42, 0.26, 0.07},
                  {17, 9, 9.5, 7, 4, 5, 7.5, 3, 7, 10.5, 9, 11.5}};
  spec.participations = participations;
  spec.seed = seed;
  return spec;
}

}  // namespace jamstat::disclosure::testing
