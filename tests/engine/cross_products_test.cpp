// The cross-product set of a schema: exact per-cell sums of products Σ z_i z_j of outcomes and
// decimal measures, checked against direct integer sums of the records generated here, on both
// ingestion paths, over merge orders, through the state format, and rolled up to grouping sets.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <map>
#include <random>

#include "jamstat/engine/cross_product_sums.hpp"
#include "jamstat/engine/errors.hpp"
#include "jamstat/io/state_format.hpp"
#include "jamstat/jamstat.hpp"

namespace jamstat {
namespace {

// sex, region (3 levels), age band (2 levels); outcome "work"; decimal measures "hours" (0.01 h,
// 0 to 1000 h) and "cost" (1 SEK, -5,000,000 to 5,000,000). Only decimal measures: their states
// are byte-identical whatever the order (a floating measure's are not, docs/engine.md).
std::vector<dimension> dims() {
  return {dimension("region", {{1, "Norr", "North"}, {2, "Mitt", "Middle"}, {3, "Söder", "South"}}),
          dimension("age", {{1, "Unga", "Young"}, {2, "Äldre", "Older"}})};
}
std::vector<numeric_measure> measures() {
  return {numeric_measure::decimal("hours", "h", "Timmar", "Hours", 2, 0, 1000),
          numeric_measure::decimal("cost", "SEK", "Kostnad", "Cost", 0, -5000000, 5000000)};
}
std::shared_ptr<const schema> cross_schema() {
  return std::make_shared<const schema>(dims(), std::vector<outcome>{{"work", "I arbete", "In work"}}, measures(),
                                        std::vector<std::string>{"cost", "work", "hours"});  // any order: kept in field order
}

// One generated participation, with the decimal values in grid units.
struct row {
  std::int32_t sex, region, age, work;
  std::int64_t hours_units, cost_units;
};

std::vector<row> generate(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::int32_t sexes[4] = {0, 1, 2, 9};
  std::vector<row> rows;
  for (std::size_t i = 0; i < n; ++i) {
    row r;
    r.sex = sexes[rng() % 10 < 1 ? (rng() % 2 == 0 ? 0 : 3) : 1 + rng() % 2];
    r.region = static_cast<std::int32_t>(1 + rng() % 3);
    r.age = static_cast<std::int32_t>(1 + rng() % 2);
    r.work = static_cast<std::int32_t>(rng() % 3 == 0);
    // Hours up to the top of the range, costs at both ends of theirs: the largest products.
    r.hours_units = i % 97 == 0 ? 100000 : static_cast<std::int64_t>(rng() % 100001);
    r.cost_units = i % 89 == 0 ? -5000000 : i % 83 == 0 ? 5000000 : static_cast<std::int64_t>(rng() % 10000001) - 5000000;
    rows.push_back(r);
  }
  return rows;
}

void add_records(aggregator& a, const std::vector<row>& rows, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to; ++i) {
    const row& r = rows[i];
    const std::int32_t codes[3] = {r.sex, r.region, r.age}, outcomes[1] = {r.work};
    const double values[2] = {static_cast<double>(r.hours_units) / 100.0, static_cast<double>(r.cost_units)};
    a.add({codes, outcomes, values, {}});
  }
}

// The rows [from, to) as one columnar batch: hours as doubles, cost as grid units (int64).
batch_result add_columns(aggregator& a, const std::vector<row>& rows, std::size_t from, std::size_t to) {
  std::vector<std::uint8_t> sex, region, age, work;
  std::vector<double> hours;
  std::vector<std::int64_t> cost;
  for (std::size_t i = from; i < to; ++i) {
    sex.push_back(static_cast<std::uint8_t>(rows[i].sex));
    region.push_back(static_cast<std::uint8_t>(rows[i].region));
    age.push_back(static_cast<std::uint8_t>(rows[i].age));
    work.push_back(static_cast<std::uint8_t>(rows[i].work));
    hours.push_back(static_cast<double>(rows[i].hours_units) / 100.0);
    cost.push_back(rows[i].cost_units);
  }
  column_batch b{to - from,
                 {std::span<const std::uint8_t>(sex), std::span<const std::uint8_t>(region), std::span<const std::uint8_t>(age)},
                 {std::span<const std::uint8_t>(work)},
                 {std::span<const double>(hours), std::span<const std::int64_t>(cost)},
                 {}};
  return a.add_batch(b);
}

// The set in field order: work (outcome), hours, cost.
std::array<std::int64_t, 3> z_of(const row& r) { return {r.work, r.hours_units, r.cost_units}; }

std::uint32_t sex_level(std::int32_t code) { return code == 9 ? 3u : static_cast<std::uint32_t>(code); }

// Direct sums of the rows grouped by `key` (level indices): n, Σz and the packed Σ z_i z_j.
struct direct {
  std::uint64_t n = 0;
  std::array<int128_t, 3> sums{};
  std::array<int128_t, 6> products{};
};
template <class Key>
std::map<std::vector<std::uint32_t>, direct> sums_directly(const std::vector<row>& rows, Key key) {
  std::map<std::vector<std::uint32_t>, direct> out;
  for (const row& r : rows) {
    direct& d = out[key(r)];
    const auto z = z_of(r);
    ++d.n;
    std::size_t k = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      d.sums[i] += z[i];
      for (std::size_t j = i; j < 3; ++j) d.products[k++] += static_cast<int128_t>(z[i]) * z[j];
    }
  }
  return out;
}

void expect_table_matches(const cross_product_table& table, const std::map<std::vector<std::uint32_t>, direct>& expected) {
  ASSERT_EQ(table.cells.size(), expected.size());
  std::size_t i = 0;
  for (const auto& [levels, d] : expected) {  // both in level order
    const cross_product_cell& c = table.cells[i++];
    ASSERT_EQ(c.levels, levels);
    EXPECT_EQ(c.participations, d.n);
    ASSERT_EQ(c.sums.size(), 3u);
    ASSERT_EQ(c.products.size(), 6u);
    for (std::size_t v = 0; v < 3; ++v) EXPECT_TRUE(c.sums[v] == d.sums[v]) << "sum " << v;
    for (std::size_t k = 0; k < 6; ++k) EXPECT_TRUE(c.products[k] == d.products[k]) << "product " << k;
  }
}

TEST(CrossProducts, SchemaKeepsTheSetInFieldOrderAndEncodesIt) {
  const auto s = cross_schema();
  ASSERT_TRUE(s->keeps_cross_products());
  const auto& v = s->cross_product_variables();
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].name, "work");
  EXPECT_EQ(v[0].from, cross_product_variable::source::outcome);
  EXPECT_EQ(v[1].name, "hours");
  EXPECT_EQ(v[1].decimals, 2u);
  EXPECT_EQ(v[1].largest_magnitude, 100000);
  EXPECT_EQ(v[2].name, "cost");
  EXPECT_EQ(v[2].largest_magnitude, 5000000);
  EXPECT_EQ(s->cross_product_index("cost"), std::optional<std::size_t>(2));
  EXPECT_FALSE(s->cross_product_index("score").has_value());
  // Part of the definition: its fingerprint differs from the schema without the set, whose
  // encoding is unchanged by the feature; the encoding reads back to an equal schema.
  const schema without(dims(), {{"work", "I arbete", "In work"}}, measures());
  EXPECT_NE(without.fingerprint(), s->fingerprint());
  EXPECT_FALSE(without.keeps_cross_products());
  EXPECT_EQ(without.canonical_encoding().size() + 4 + 4 + 3 * 8, s->canonical_encoding().size());
  EXPECT_EQ(schema::from_canonical_encoding(s->canonical_encoding()), *s);
  EXPECT_EQ(schema::from_canonical_encoding(without.canonical_encoding()), without);
}

TEST(CrossProducts, SchemaRejectsWhatCannotBeKeptExactly) {
  const std::vector<outcome> outs{{"work", "I arbete", "In work"}};
  auto with_score = measures();
  with_score.push_back(numeric_measure::floating("score", "", "Poäng", "Score"));
  auto make = [&](std::vector<std::string> set) { return schema(dims(), outs, with_score, std::move(set)); };
  EXPECT_THROW(make({"work", "score"}), schema_error);   // floating
  EXPECT_THROW(make({"work", "region"}), schema_error);  // a dimension
  EXPECT_THROW(make({"work", "nothing"}), schema_error);
  EXPECT_THROW(make({"work"}), schema_error);            // fewer than two
  EXPECT_THROW(make({"work", "hours", "work"}), schema_error);
  try {
    make({"work", "score"});
  } catch (const schema_error& e) {
    EXPECT_NE(std::string(e.what()).find("floating"), std::string::npos) << e.what();
  }
}

TEST(CrossProducts, RecordPathIsExactPerCellAndRolledUp) {
  const auto s = cross_schema();
  const auto rows = generate(4000, 11);
  aggregator a(s);
  add_records(a, rows, 0, rows.size());
  ASSERT_EQ(a.participations(), rows.size());
  // Finest cells, every pair, against direct 128-bit sums of the rows.
  expect_table_matches(roll_up_cross_products(a, grouping_set::finest(*s)), sums_directly(rows, [](const row& r) {
                         return std::vector<std::uint32_t>{sex_level(r.sex), static_cast<std::uint32_t>(r.region - 1),
                                                           static_cast<std::uint32_t>(r.age - 1)};
                       }));
  // Grouping sets: sex alone, sex x age, region without sex, the total.
  expect_table_matches(roll_up_cross_products(a, grouping_set::from_indices(*s, {0})),
                       sums_directly(rows, [](const row& r) { return std::vector<std::uint32_t>{sex_level(r.sex)}; }));
  expect_table_matches(roll_up_cross_products(a, grouping_set::of(*s, {"age"})), sums_directly(rows, [](const row& r) {
                         return std::vector<std::uint32_t>{sex_level(r.sex), static_cast<std::uint32_t>(r.age - 1)};
                       }));
  expect_table_matches(roll_up_cross_products(a, grouping_set::of(*s, {"region"}, sex_grouping::drop)),
                       sums_directly(rows, [](const row& r) { return std::vector<std::uint32_t>{static_cast<std::uint32_t>(r.region - 1)}; }));
  expect_table_matches(roll_up_cross_products(a, grouping_set::from_indices(*s, {})),
                       sums_directly(rows, [](const row&) { return std::vector<std::uint32_t>{}; }));
  // The cells' own sums of squares agree with the set's diagonal.
  const auto total = roll_up_cross_products(a, grouping_set::from_indices(*s, {}));
  const auto ra = rollup(a, grouping_set::from_indices(*s, {}));
  EXPECT_TRUE(total.cells[0].product(0, 0) == static_cast<int128_t>(ra.cells()[0].successes[0]));
  const std::uint32_t women[1] = {2};
  const auto by_sex = roll_up_cross_products(a, grouping_set::from_indices(*s, {0}));
  ASSERT_NE(by_sex.find(women), nullptr);
  EXPECT_EQ(by_sex.find(women)->levels[0], 2u);
}

TEST(CrossProducts, ColumnarPathGivesTheSameStateAsTheRecordPath) {
  const auto s = cross_schema();
  const auto rows = generate(70000, 12);  // more than one block of the columnar path
  aggregator by_record(s), by_columns(s), by_pieces(s);
  add_records(by_record, rows, 0, rows.size());
  add_columns(by_columns, rows, 0, rows.size());
  // Uneven batches, with records in between.
  std::size_t at = 0;
  for (const std::size_t n : {1u, 5000u, 17u, 40000u}) {
    add_columns(by_pieces, rows, at, at + n);
    at += n;
    add_records(by_pieces, rows, at, at + 3);
    at += 3;
  }
  add_columns(by_pieces, rows, at, rows.size());
  const auto bytes = write_state(by_record);
  EXPECT_EQ(write_state(by_columns), bytes);
  EXPECT_EQ(write_state(by_pieces), bytes);
}

TEST(CrossProducts, MergeOrderDoesNotChangeTheState) {
  const auto s = cross_schema();
  const auto rows = generate(6000, 13);
  aggregator whole(s);
  add_records(whole, rows, 0, rows.size());
  const std::size_t cuts[5] = {0, 700, 2900, 3000, 6000};
  auto part = [&](int k) {
    aggregator p(s);
    if (k % 2 == 0)
      add_records(p, rows, cuts[k], cuts[k + 1]);
    else
      add_columns(p, rows, cuts[k], cuts[k + 1]);
    return p;
  };
  const auto expected = write_state(whole);
  const int orders[4][4] = {{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}, {1, 3, 0, 2}};
  for (const auto& order : orders) {
    aggregator m = part(order[0]);
    for (int i = 1; i < 4; ++i) m.merge(part(order[i]));
    EXPECT_EQ(write_state(m), expected) << "order " << order[0] << order[1] << order[2] << order[3];
  }
  // A tree: (0 + 1) + (2 + 3), through states.
  aggregator left = part(0), right = part(2);
  left.merge(part(1));
  right.merge(part(3));
  aggregator tree = read_state(write_state(left));
  tree.merge(read_state(write_state(right)));
  EXPECT_EQ(write_state(tree), expected);
}

TEST(CrossProducts, StateRoundTripAndSparseLayout) {
  const auto s = cross_schema();
  const auto rows = generate(3000, 14);
  aggregator a(s);
  add_records(a, rows, 0, rows.size());
  const auto bytes = write_state(a);
  EXPECT_EQ(bytes.size(), state_size(a));
  const aggregator back = read_state(bytes);
  EXPECT_EQ(write_state(back), bytes);
  const auto finest = grouping_set::finest(*s);
  const auto ta = roll_up_cross_products(a, finest), tb = roll_up_cross_products(back, finest);
  ASSERT_EQ(ta.cells.size(), tb.cells.size());
  for (std::size_t i = 0; i < ta.cells.size(); ++i) EXPECT_TRUE(ta.cells[i].products == tb.cells[i].products);

  // A state with few cells is read sparse; adding to it densifies and keeps the sums.
  aggregator few(s);
  add_records(few, rows, 0, 1);
  aggregator few_back = read_state(write_state(few));
  add_records(few_back, rows, 1, 200);
  aggregator direct_200(s);
  add_records(direct_200, rows, 0, 200);
  EXPECT_EQ(write_state(few_back), write_state(direct_200));

  // A grid too wide for the dense layout: the sparse store keeps the sums too.
  std::vector<level> many;
  for (int i = 0; i < 600; ++i) many.push_back({i, "n" + std::to_string(i), "n" + std::to_string(i)});
  const auto wide = std::make_shared<const schema>(
      std::vector<dimension>{dimension("a", many), dimension("b", many)}, std::vector<outcome>{{"work", "I arbete", "In work"}},
      std::vector<numeric_measure>{numeric_measure::decimal("hours", "h", "Timmar", "Hours", 2, 0, 1000)},
      std::vector<std::string>{"work", "hours"});
  aggregator sparse(wide);
  ASSERT_FALSE(sparse.cells().is_dense());
  int128_t expected_product = 0;
  for (std::size_t i = 0; i < 500; ++i) {
    const std::int32_t codes[3] = {2, static_cast<std::int32_t>(i % 7), 5}, outcomes[1] = {static_cast<std::int32_t>(i % 2)};
    const double hours[1] = {static_cast<double>(i) / 4.0};
    sparse.add({codes, outcomes, hours, {}});
    if (i % 7 == 3) expected_product += static_cast<int128_t>(i % 2) * static_cast<std::int64_t>(i * 25);
  }
  const std::uint32_t levels[3] = {2, 3, 5};
  const auto sparse_table = roll_up_cross_products(read_state(write_state(sparse)), grouping_set::finest(*wide));
  ASSERT_NE(sparse_table.find(levels), nullptr);
  EXPECT_TRUE(sparse_table.find(levels)->product(0, 1) == expected_product);
}

TEST(CrossProducts, RejectedBatchRestoresTheSums) {
  const auto s = cross_schema();
  const auto rows = generate(70000, 15);
  aggregator a(s);  // reject policy: a bad row undoes the whole batch
  add_records(a, rows, 0, 1000);
  const auto before = write_state(a);
  auto bad = rows;
  bad[65000].hours_units = 100001;  // 1000.01 h: outside the range
  EXPECT_THROW(add_columns(a, bad, 1000, bad.size()), input_error);
  EXPECT_EQ(write_state(a), before);
  // Under the tally policy the bad row is left out and the rest counted, exactly.
  aggregator t(s, {bad_record_policy::tally, std::nullopt});
  add_columns(t, bad, 0, bad.size());
  auto kept = bad;
  kept.erase(kept.begin() + 65000);
  aggregator reference(s);
  add_records(reference, kept, 0, kept.size());
  const auto finest = grouping_set::finest(*s);
  const auto tt = roll_up_cross_products(t, finest), tr = roll_up_cross_products(reference, finest);
  ASSERT_EQ(tt.cells.size(), tr.cells.size());
  for (std::size_t i = 0; i < tt.cells.size(); ++i) EXPECT_TRUE(tt.cells[i].products == tr.cells[i].products);
}

TEST(CrossProducts, RollUpRefusesSchemasWithoutASet) {
  const auto s = std::make_shared<const schema>(dims(), std::vector<outcome>{{"work", "I arbete", "In work"}}, measures());
  aggregator a(s);
  EXPECT_THROW(roll_up_cross_products(a, grouping_set::finest(*s)), usage_error);
  // Without a set nothing changes in the state: no section.
  const auto bytes = write_state(a);
  EXPECT_EQ(write_state(read_state(bytes)), bytes);
}

// --- corrupt sections ---------------------------------------------------------------------

void reseal(std::vector<std::uint8_t>& bytes) {
  const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size() - 16);
  for (int i = 0; i < 8; ++i) {
    bytes[bytes.size() - 16 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.low64 >> (8 * i));
    bytes[bytes.size() - 8 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.high64 >> (8 * i));
  }
}

void put_i128(std::vector<std::uint8_t>& bytes, std::size_t at, int128_t v) {
  const auto u = static_cast<uint128_t>(v);
  for (int i = 0; i < 16; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(u >> (8 * i));
}

int128_t get_i128(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  uint128_t u = 0;
  for (int i = 15; i >= 0; --i) u = (u << 8) | bytes[at + static_cast<std::size_t>(i)];
  return static_cast<int128_t>(u);
}

void expect_invalid(std::vector<std::uint8_t> bytes, const std::string& says) {
  reseal(bytes);
  try {
    (void)read_state(bytes);
    ADD_FAILURE() << "read a corrupt state; expected: " << says;
  } catch (const state_format_error& e) {
    EXPECT_EQ(e.problem(), state_format_problem::invalid_content) << e.what();
    EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
  }
}

TEST(CrossProducts, CorruptSectionsAreRejected) {
  // One cell: the section is its 6 sums, the 96 bytes before the checksum.
  const auto s = cross_schema();
  aggregator a(s);
  const std::int32_t codes[3] = {2, 1, 1};
  const std::int32_t yes[1] = {1}, no[1] = {0};
  const double v1[2] = {10.0, 300}, v2[2] = {20.0, -100}, v3[2] = {5.5, 0};
  a.add({codes, yes, v1, {}});
  a.add({codes, no, v2, {}});
  a.add({codes, yes, v3, {}});
  const auto good = write_state(a);
  const std::size_t section = good.size() - 16 - 6 * 16;
  auto at = [&](std::size_t i, std::size_t j) { return section + 16 * cross_product_pair_index(i, j, 3); };
  // The section as written: work² = 2, work·hours = 1550 (units), hours·cost = 1000·300 − 2000·100.
  EXPECT_TRUE(get_i128(good, at(0, 0)) == 2);
  EXPECT_TRUE(get_i128(good, at(0, 1)) == 1000 + 550);
  EXPECT_TRUE(get_i128(good, at(1, 2)) == 1000 * 300 - 2000 * 100);
  EXPECT_TRUE(get_i128(good, at(2, 2)) == 300 * 300 + 100 * 100);

  auto with = [&](std::size_t i, std::size_t j, int128_t v) {
    auto bytes = good;
    put_i128(bytes, at(i, j), v);
    return bytes;
  };
  expect_invalid(with(0, 0, 3), "differs from the cell's sum of squares");
  expect_invalid(with(1, 1, 1), "differs from the cell's sum of squares");
  expect_invalid(with(2, 2, -1), "differs from the cell's sum of squares");
  // Σ hours·cost beyond Cauchy-Schwarz (|Σuv| <= sqrt(Σu² Σv²) = sqrt(5,302,500 · 100,000) ≈ 728,182 units).
  expect_invalid(with(1, 2, int128_t{1} << 100), "Cauchy-Schwarz");
  expect_invalid(with(1, 2, -(int128_t{1} << 100)), "Cauchy-Schwarz");
  // Σ work·hours: within Cauchy-Schwarz (sqrt(2 · 5,302,500) ≈ 3,256) but, with 2 participations
  // working and 1 not, outside [Σu − 1·max, 2·max] ∩ [2·min, Σu − 1·min] = [1,550, 3,000].
  expect_invalid(with(0, 1, 1000), "smallest and largest values");
  expect_invalid(with(0, 1, 3001), "smallest and largest values");
  // Truncated and extended sections: the size no longer adds up.
  auto shorter = good;
  shorter.erase(shorter.begin() + static_cast<std::ptrdiff_t>(section), shorter.begin() + static_cast<std::ptrdiff_t>(section + 16));
  for (int i = 0; i < 8; ++i)  // the body length in the header
    shorter[16 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>((shorter.size() - 24 - 16) >> (8 * i));
  reseal(shorter);
  EXPECT_THROW((void)read_state(shorter), state_format_error);
  auto longer = good;
  longer.insert(longer.begin() + static_cast<std::ptrdiff_t>(section + 96), 16, std::uint8_t{0});
  for (int i = 0; i < 8; ++i)
    longer[16 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>((longer.size() - 24 - 16) >> (8 * i));
  expect_invalid(longer, "unexpected bytes after the cross-products");
  // The section itself untouched reads back.
  EXPECT_EQ(write_state(read_state(good)), good);
}

TEST(CrossProducts, TwoOutcomesObeyTheirFrechetBounds) {
  const auto s = std::make_shared<const schema>(
      std::vector<dimension>{}, std::vector<outcome>{{"a", "a", "a"}, {"b", "b", "b"}}, std::vector<numeric_measure>{},
      std::vector<std::string>{"a", "b"});
  aggregator x(s);
  const std::int32_t codes[1] = {1};
  const std::int32_t pattern[4][2] = {{1, 1}, {1, 0}, {0, 1}, {1, 1}};
  for (const auto& o : pattern) x.add({codes, o, {}, {}});
  const auto good = write_state(x);
  const std::size_t section = good.size() - 16 - 3 * 16;
  EXPECT_TRUE(get_i128(good, section + 16) == 2);  // both outcomes: 2 participations
  auto bytes = good;
  put_i128(bytes, section + 16, 4);  // more co-occurrences than either outcome's successes (3)
  expect_invalid(bytes, "Cauchy-Schwarz");  // which implies the upper Fréchet bound for 0 / 1 variables
  bytes = good;
  put_i128(bytes, section + 16, -1);
  expect_invalid(bytes, "possible number of participations with both outcomes");
  bytes = good;
  put_i128(bytes, section + 16, 1);  // fewer than 3 + 3 − 4 = 2
  expect_invalid(bytes, "possible number of participations with both outcomes");
}

}  // namespace
}  // namespace jamstat
