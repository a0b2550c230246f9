// Scale check (not a unit test): the full cube of the canonical dimensions (sex 3, age band 6,
// birth region 3, education 4, intervention 12; 32 linked tables) protected by suppression and
// audited, at the sizes given on the command line (default 2,000 and 1,000,000 participations).
//
//   jamstat_disclosure_scale [N ...] [--seed S]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "jamstat/disclosure/audit.hpp"
#include "jamstat/disclosure/suppression.hpp"
#include "test_tables.hpp"

int main(int argc, char** argv) {
  using namespace jamstat::disclosure;
  std::vector<std::uint64_t> sizes;
  std::uint64_t seed = 5218;
  bool audit_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--audit-only") audit_only = true;
    else sizes.push_back(std::strtoull(a.c_str(), nullptr, 10));
  }
  if (sizes.empty()) sizes = {2000, 1000000};
  for (const std::uint64_t n : sizes) {
    const testing::random_spec spec = testing::canonical_spec(n, seed);
    const auto t0 = std::chrono::steady_clock::now();
    const table_set t = testing::random_tables(spec);
    const auto t1 = std::chrono::steady_clock::now();
    if (audit_only) {
      // A plausible protected-looking pattern: every count below 15 hidden.
      suppression_pattern p = primary_suppression(t);
      const auto offsets = published_cell_offsets(t);
      (void)offsets;
      const audit_report a = audit(t, p);
      std::printf("audit of primary: %.3f s, %llu LPs, %zu rows, %llu under\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count(),
                  static_cast<unsigned long long>(a.linear_programs), a.size(), static_cast<unsigned long long>(a.under_protected));
      continue;
    }
    const suppression_result r = protect_by_suppression(t);
    const auto t2 = std::chrono::steady_clock::now();
    const audit_report& a = r.audit;
    const auto t3 = std::chrono::steady_clock::now();
    auto sec = [](auto a_, auto b_) { return std::chrono::duration<double>(b_ - a_).count(); };
    std::uint64_t persons = 0;
    for (const auto& c : t.cells) persons += c.persons;
    std::printf("N=%llu finest non-empty=%zu published=%llu | primary cells %llu (%llu persons) secondary cells %llu (%llu persons) "
                "outcome stats %llu measure stats %llu | protect + audit %.3f s (%llu LPs; audit %.3f s, %llu LPs, %zu rows, %llu under-protected, "
                "%llu exact) | generate %.3f s\n",
                static_cast<unsigned long long>(n), t.cells.size(), static_cast<unsigned long long>(r.loss.published_cells),
                static_cast<unsigned long long>(r.loss.primary_cells), static_cast<unsigned long long>(r.loss.primary_persons),
                static_cast<unsigned long long>(r.loss.secondary_cells), static_cast<unsigned long long>(r.loss.secondary_persons),
                static_cast<unsigned long long>(r.loss.outcome_statistics_suppressed),
                static_cast<unsigned long long>(r.loss.measure_statistics_suppressed), sec(t1, t2),
                static_cast<unsigned long long>(r.loss.linear_programs), a.seconds,
                static_cast<unsigned long long>(a.linear_programs), a.size(), static_cast<unsigned long long>(a.under_protected),
                static_cast<unsigned long long>(a.exactly_disclosed), sec(t0, t1));
    (void)persons;
    (void)t3;
  }
  return 0;
}
