// Writes the seed corpus for state_reader_fuzz into the directory given: states of a few shapes
// (dense, sparse, with and without persons, person-free, empty), each prefixed with both mode bytes.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "jamstat/jamstat.hpp"
#include "jamstat/engine/person_free.hpp"
#include "jamstat/io/state_format.hpp"

using namespace jamstat;

namespace {

void write_seed(const std::string& dir, const std::string& name, const std::vector<std::uint8_t>& state) {
  for (std::uint8_t mode : {0, 1}) {
    std::ofstream out(dir + "/" + name + "_mode" + std::to_string(mode), std::ios::binary);
    out.put(static_cast<char>(mode));
    out.write(reinterpret_cast<const char*>(state.data()), static_cast<std::streamsize>(state.size()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: make_seed_corpus DIR [FIXTURES_DIR]\n";
    return 2;
  }
  const std::string dir = argv[1];
  // Version-1 states written by the previous code (tests/io/fixtures), as they are.
  if (argc == 3)
    for (const char* name : {"synth_3000_tally_v1.jamstate", "synth_500_persons_v1.jamstate"}) {
      std::ifstream in(std::string(argv[2]) + "/" + name, std::ios::binary);
      const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      if (!bytes.empty()) write_seed(dir, name, bytes);
    }
  // Decimal and floating measures with ranges, and a rounding one.
  const auto kinds = std::make_shared<const schema>(
      std::vector<dimension>{dimension("region", {{1, "Norr", "North"}, {2, "Söder", "South"}})}, std::vector<outcome>{},
      std::vector<numeric_measure>{numeric_measure::decimal("h", "h", "h", "h", 2, 0, 1000, off_grid_policy::round),
                                   numeric_measure::floating("c", "SEK", "c", "c", -10, 1e6)});
  aggregator decimal(kinds);
  const std::int32_t region_codes[2][2] = {{2, 1}, {1, 2}};
  const double kind_values[3][2] = {{1.25, 7.5}, {0.295, 1e5}, {999.99, -3}};
  for (int i = 0; i < 3; ++i) decimal.add({region_codes[i % 2], {}, kind_values[i], {}});
  write_seed(dir, "kinds", write_state(decimal));
  const auto s = std::make_shared<const schema>(
      std::vector<dimension>{dimension("region", {{1, "Norr", "North"}, {2, "Söder", "South"}})},
      std::vector<outcome>{{"work", "I arbete", "In work"}}, std::vector<numeric_measure>{{"hours", "h", "Timmar", "Hours"}});
  const std::uint8_t key_bytes[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  aggregator empty(s);
  write_seed(dir, "empty", write_state(empty));
  aggregator small(s, {bad_record_policy::tally, person_key::from_bytes(key_bytes)});
  const std::int32_t codes[3][2] = {{2, 1}, {1, 2}, {7, 1}}, outcomes[3][1] = {{1}, {0}, {1}};
  const double hours[3][1] = {{12.5}, {3.25}, {1.0}};
  for (int i = 0; i < 3; ++i) small.add({codes[i], outcomes[i], hours[i], std::uint64_t(100 + i % 2)});
  small.add_anonymous(iso5218::female, 3);
  write_seed(dir, "persons", write_state(small));
  write_seed(dir, "person_free", write_state(person_free(small)));  // every grouping frozen
  const std::uint64_t by_sex[] = {1};
  write_seed(dir, "person_free_sex", write_state(person_free(small, by_sex)));
  aggregator plain(s);
  for (int i = 0; i < 2; ++i) plain.add({codes[i], outcomes[i], hours[i], {}});
  write_seed(dir, "plain", write_state(plain));
  std::vector<level> many;
  for (int i = 0; i < 400; ++i) many.push_back({i, "n" + std::to_string(i), "n" + std::to_string(i)});
  const auto wide = std::make_shared<const schema>(std::vector<dimension>{dimension("a", many), dimension("b", many)},
                                                   std::vector<outcome>{}, std::vector<numeric_measure>{});
  aggregator sparse(wide);
  const std::int32_t sparse_codes[3] = {2, 1, 399};
  sparse.add({sparse_codes, {}, {}, {}});
  write_seed(dir, "sparse", write_state(sparse));
  // The hostile shapes of the hardening issue (tiny states that used to allocate hundreds of MiB):
  // 60 two-level dimensions coded {0, 1048575}; a dense 4 x 32^3 grid with 40 measures and no cells.
  {
    std::vector<dimension> dims;
    for (int d = 0; d < 60; ++d) dims.emplace_back("d" + std::to_string(d), std::vector<level>{{0, "a", "a"}, {1048575, "b", "b"}});
    write_seed(dir, "sparse_codes", write_state(aggregator(std::make_shared<const schema>(dims, std::vector<outcome>{},
                                                                                          std::vector<numeric_measure>{}))));
  }
  {
    std::vector<level> l32;
    for (int i = 0; i < 32; ++i) l32.push_back({i, "x", "x"});
    std::vector<numeric_measure> measures;
    for (int m = 0; m < 40; ++m) measures.push_back({"m" + std::to_string(m), "", "", ""});
    write_seed(dir, "many_measures", write_state(aggregator(std::make_shared<const schema>(
                                         std::vector<dimension>{dimension("a", l32), dimension("b", l32), dimension("c", l32)},
                                         std::vector<outcome>{}, measures))));
  }
  // A cross-product set (an outcome and two decimal measures), dense and with one cell.
  {
    const auto cross = std::make_shared<const schema>(
        std::vector<dimension>{dimension("region", {{1, "Norr", "North"}, {2, "Söder", "South"}})},
        std::vector<outcome>{{"work", "I arbete", "In work"}},
        std::vector<numeric_measure>{numeric_measure::decimal("h", "h", "h", "h", 2, 0, 1000),
                                     numeric_measure::decimal("c", "SEK", "c", "c", 0, -5000, 5000)},
        std::vector<std::string>{"work", "h", "c"});
    aggregator with_products(cross);
    const std::int32_t cross_codes[3][2] = {{2, 1}, {1, 2}, {2, 1}}, cross_outcomes[3][1] = {{1}, {0}, {1}};
    const double cross_values[3][2] = {{12.5, -40}, {3.25, 4999}, {0.01, 0}};
    for (int i = 0; i < 3; ++i) with_products.add({cross_codes[i], cross_outcomes[i], cross_values[i], {}});
    write_seed(dir, "cross_products", write_state(with_products));
  }
  return 0;
}
