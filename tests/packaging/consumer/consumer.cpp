// A C++ consumer of the installed static library (jamstat::jamstat_static): prints "consumer++ ok N".
#include <cstdio>

#include <jamstat/jamstat.hpp>

int main() {
  using namespace jamstat;
  const schema s({dimension("intervention", {{1, "Coachning", "Coaching"}})}, {}, {{"hours", "h", "Timmar", "Hours"}});
  aggregator a(s);
  const std::int32_t codes[2] = {iso5218::female, 1};
  const double hours[1] = {2.5};
  a.add({codes, {}, hours, {}});
  std::printf("consumer++ ok %llu\n", static_cast<unsigned long long>(total(a).cells()[0].participations));
  return total(a).cells()[0].participations == 1 ? 0 : 1;
}
