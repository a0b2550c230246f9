// Writes table sets, their protected patterns and the audit's intervals as JSON for the
// independent LP check (tests/reference/disclosure/audit_linprog.py, SciPy's linprog), which
// ctest runs as disclosure.independent_lp_check. Skipped unless JAMSTAT_DISCLOSURE_EXPORT_DIR
// names a directory.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "jamstat/disclosure/audit.hpp"
#include "jamstat/disclosure/suppression.hpp"
#include "test_tables.hpp"

namespace jamstat::disclosure {
namespace {

std::string number(double x) {
  if (std::isnan(x)) return "null";
  if (std::isinf(x)) return x > 0 ? "1e308" : "-1e308";
  std::ostringstream o;
  o.precision(17);
  o << x;
  return o.str();
}

template <class T, class F>
std::string list(const std::vector<T>& v, F&& f) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + f(v[i]);
  return s + "]";
}

std::string to_json(const table_set& t, const suppression_pattern& p, const audit_report& a) {
  auto u = [](auto x) { return std::to_string(x); };
  auto status = [](cell_status s) { return std::to_string(static_cast<int>(s)); };
  std::string s = "{\n\"levels\":" + list(t.dimensions, [](const dimension_info& d) { return std::to_string(d.levels); });
  s += ",\n\"groupings\":" + list(t.groupings, u);
  s += ",\n\"persons_counted\":" + std::string(t.persons_counted ? "true" : "false");
  s += ",\n\"outcomes\":" + std::to_string(t.outcomes.size()) + ",\"measures\":" + std::to_string(t.measures.size());
  s += ",\n\"finest\":" + list(t.cells, [&](const finest_cell& c) {
    return "{\"levels\":" + list(c.levels, u) + ",\"persons\":" + u(c.persons) + ",\"participations\":" + u(c.participations) +
           ",\"successes\":" + list(c.successes, u) +
           ",\"sums\":" + list(c.measures, [](const measure_cell& m) { return number(m.sum); }) + "}";
  });
  s += ",\n\"pattern\":{\"counts\":" + list(p.counts, status) + ",\"outcomes\":" +
       list(p.outcomes, [&](const std::vector<cell_status>& o) { return list(o, status); }) + ",\"measures\":" +
       list(p.measures, [&](const std::vector<cell_status>& m) { return list(m, status); }) + "}";
  s += ",\n\"audit\":[";
  for (std::size_t i = 0; i < a.size(); ++i) {
    s += std::string(i ? ",\n" : "\n") + "{\"quantity\":\"" + to_string(a.quantity[i]) + "\",\"index\":" + u(a.index[i]) +
         ",\"grouping\":" + u(a.grouping[i]) + ",\"cell\":" + u(a.cell[i]) + ",\"value\":" + number(a.value[i]) +
         ",\"lower\":" + number(a.lower[i]) + ",\"upper\":" + number(a.upper[i]) + ",\"required_lower\":" +
         number(a.required_lower[i]) + ",\"required_upper\":" + number(a.required_upper[i]) +
         ",\"protected\":" + u(static_cast<int>(a.protected_enough[i])) + "}";
  }
  return s + "]\n}\n";
}

void write(const std::string& dir, const std::string& name, const table_set& t, const suppression_pattern& p) {
  const audit_report a = audit(t, p);
  std::ofstream out(dir + "/" + name + ".json");
  out << to_json(t, p, a);
  ASSERT_TRUE(out.good()) << "cannot write " << dir << "/" << name << ".json";
}

TEST(IndependentCheck, ExportTablesPatternsAndIntervals) {
  const char* dir = std::getenv("JAMSTAT_DISCLOSURE_EXPORT_DIR");
  if (!dir) GTEST_SKIP() << "JAMSTAT_DISCLOSURE_EXPORT_DIR not set (the ctest disclosure.independent_lp_check sets it)";
  // Hand-made leaks, before (primary only) and after protection.
  const table_set row = testing::count_tables({2, 3}, {2, 10, 12, 8, 9, 11}, {3, 1, 2, 0});
  write(dir, "row_primary", row, primary_suppression(row));
  write(dir, "row_protected", row, protect_by_suppression(row).pattern);
  // Randomized multi-dimensional tables, fixed seeds, the full cube and a partial set.
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    testing::random_spec spec;
    spec.levels = {3, 3, 4};
    spec.participations = 200 * seed;
    spec.seed = seed;
    const table_set t = testing::random_tables(spec);
    write(dir, "random3d_" + std::to_string(seed), t, protect_by_suppression(t).pattern);
  }
  {
    testing::random_spec spec;
    spec.levels = {2, 3, 2, 4};
    spec.participations = 400;
    spec.seed = 11;
    table_set t = testing::random_tables(spec);
    t.groupings = {0b1111, 0b0011, 0b0101, 0b1001, 0b0001, 0b1000, 0};  // linked tables sharing marginals
    write(dir, "random4d_linked", t, protect_by_suppression(t).pattern);
  }
}

}  // namespace
}  // namespace jamstat::disclosure
