// A deliberately naive, independent aggregation used as the reference in engine tests: records
// kept in memory, grouped with std::map, means and variances by the two-pass formula in long
// double, distinct persons with std::set. Shares no code with the engine beyond the schema.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <span>
#include <type_traits>
#include <vector>

#include "jamstat/jamstat.hpp"

namespace jamstat::testing {

/// A copy of a roll-up cell's span (levels, successes, numerics), for EXPECT_EQ and its messages.
template <class T>
std::vector<std::remove_cv_t<T>> as_vector(std::span<T> values) {
  return {values.begin(), values.end()};
}

struct plain_record {
  std::vector<std::int32_t> codes;
  std::vector<std::int32_t> outcomes;
  std::vector<double> numerics;
  std::uint64_t person = 0;
  record view() const { return record{codes, outcomes, numerics, person}; }
  /// The record as `into` takes it: with its person id only when `into` counts persons (an
  /// aggregator that does not count persons refuses ids).
  record view_for(const aggregator& into) const {
    return record{codes, outcomes, numerics, into.counts_persons() ? person : person_id{}};
  }
};

struct reference_cell {
  std::uint64_t n = 0;
  std::vector<std::uint64_t> successes;
  std::vector<std::vector<double>> values;  // per numeric measure
  std::set<std::uint64_t> persons;
};

inline std::map<std::vector<std::uint32_t>, reference_cell> aggregate_directly(
    const schema& s, const std::vector<plain_record>& records, const std::vector<std::size_t>& grouping) {
  std::map<std::vector<std::uint32_t>, reference_cell> out;
  for (const plain_record& r : records) {
    std::vector<std::uint32_t> key;
    for (std::size_t d : grouping) key.push_back(static_cast<std::uint32_t>(*s.dimensions()[d].index_of(r.codes[d])));
    reference_cell& c = out[key];
    if (c.n == 0) {
      c.successes.assign(r.outcomes.size(), 0);
      c.values.resize(r.numerics.size());
    }
    ++c.n;
    for (std::size_t o = 0; o < r.outcomes.size(); ++o) c.successes[o] += static_cast<std::uint64_t>(r.outcomes[o]);
    for (std::size_t m = 0; m < r.numerics.size(); ++m) c.values[m].push_back(r.numerics[m]);
    c.persons.insert(r.person);
  }
  return out;
}

inline long double mean_of(const std::vector<double>& xs) {
  long double s = 0;
  for (double x : xs) s += x;
  return s / static_cast<long double>(xs.size());
}

inline long double sample_variance_of(const std::vector<double>& xs) {
  const long double m = mean_of(xs);
  long double ss = 0;
  for (double x : xs) ss += (x - m) * (x - m);
  return ss / static_cast<long double>(xs.size() - 1);
}

/// Asserts that a roll-up equals the direct aggregation: same cells, counts, successes and
/// distinct persons exactly; means, variances and sums within `rel` relative; min/max exactly.
inline void expect_rollup_equals_reference(const rollup_table& t,
                                           const std::map<std::vector<std::uint32_t>, reference_cell>& ref,
                                           bool persons, double rel = 1e-12) {
  ASSERT_EQ(t.cells().size(), ref.size()) << "grouping mask " << t.grouping().mask();
  auto it = ref.begin();
  for (const rollup_cell& c : t.cells()) {
    ASSERT_EQ(as_vector(c.levels), it->first);
    const reference_cell& r = it->second;
    EXPECT_EQ(c.participations, r.n);
    EXPECT_EQ(as_vector(c.successes), r.successes);
    if (persons) {
      ASSERT_TRUE(c.persons.has_value());
      EXPECT_EQ(*c.persons, r.persons.size());
    }
    for (std::size_t m = 0; m < r.values.size(); ++m) {
      const measure_stats& got = c.numerics[m];
      const auto mean = static_cast<double>(mean_of(r.values[m]));
      EXPECT_EQ(got.count(), r.n);
      EXPECT_NEAR(got.mean(), mean, rel * std::max(1.0, std::fabs(mean)));
      if (r.n > 1) {
        const auto var = static_cast<double>(sample_variance_of(r.values[m]));
        EXPECT_NEAR(got.sample_variance(), var, rel * std::max(1e-300, var) + 1e-300);
      }
      long double sum = 0;
      for (double x : r.values[m]) sum += x;
      EXPECT_NEAR(got.total(), static_cast<double>(sum), rel * std::max(1.0, std::fabs(static_cast<double>(sum))));
      EXPECT_EQ(got.min(), *std::min_element(r.values[m].begin(), r.values[m].end()));
      EXPECT_EQ(got.max(), *std::max_element(r.values[m].begin(), r.values[m].end()));
    }
    ++it;
  }
}

/// Random valid records of a schema: codes drawn from the levels (sex skewed like real data),
/// Bernoulli outcomes, lognormal numeric values, person ids from a pool so persons repeat.
inline std::vector<plain_record> random_records(const schema& s, std::size_t n, std::uint64_t seed,
                                                std::uint64_t persons = 0) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> value(3.0, 1.0);
  std::vector<plain_record> out(n);
  if (persons == 0) persons = n / 2 + 1;
  for (plain_record& r : out) {
    for (const dimension& d : s.dimensions()) r.codes.push_back(d.levels()[rng() % d.cardinality()].code);
    for (std::size_t o = 0; o < s.outcomes().size(); ++o) r.outcomes.push_back(static_cast<std::int32_t>(rng() % 2));
    for (std::size_t m = 0; m < s.numeric_measures().size(); ++m) r.numerics.push_back(std::round(value(rng) * 100) / 100);
    r.person = rng() % persons;
  }
  return out;
}

/// Holds the columns of a set of records (i32 codes and outcomes, f64 values, u64 person ids)
/// and gives a column_batch view of them.
struct record_columns {
  std::vector<std::vector<std::int32_t>> codes, outcomes;
  std::vector<std::vector<double>> numerics;
  std::vector<std::uint64_t> persons;
  explicit record_columns(const std::vector<plain_record>& records) {
    if (records.empty()) return;
    codes.resize(records[0].codes.size());
    outcomes.resize(records[0].outcomes.size());
    numerics.resize(records[0].numerics.size());
    for (const plain_record& r : records) {
      for (std::size_t i = 0; i < codes.size(); ++i) codes[i].push_back(r.codes[i]);
      for (std::size_t i = 0; i < outcomes.size(); ++i) outcomes[i].push_back(r.outcomes[i]);
      for (std::size_t i = 0; i < numerics.size(); ++i) numerics[i].push_back(r.numerics[i]);
      persons.push_back(r.person);
    }
  }
  column_batch batch(bool with_persons) const {
    column_batch b;
    b.rows = persons.size();
    for (const auto& c : codes) b.codes.emplace_back(std::span<const std::int32_t>(c));
    for (const auto& c : outcomes) b.outcomes.emplace_back(std::span<const std::int32_t>(c));
    for (const auto& c : numerics) b.numerics.emplace_back(std::span<const double>(c));
    if (with_persons) b.persons = std::span<const std::uint64_t>(persons);
    return b;
  }
};

}  // namespace jamstat::testing
