// Job A's memory: reads the raw column files in chunks of 65,536 rows into fixed buffers, adds each
// chunk as a batch, rolls up the cube, and prints the process's peak RSS. Run at 1M and 10M: the
// difference is what the aggregation itself grows by with the data (it should be none).
// Usage: jamstat_chunked_ingest DATADIR   ->   "rows N peak_rss_mib X state_bytes Y cells Z"
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "jamstat/io/state_format.hpp"
#include "jamstat/jamstat.hpp"
#include "process_memory.hpp"
#include "jamstat/synth/participations.hpp"

namespace {


}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DATADIR\n", argv[0]);
    return 2;
  }
  using namespace jamstat;
  const std::string dir = argv[1];
  constexpr std::size_t chunk = 65536;
  const char* u8_names[] = {"sex.u8", "age_band.u8", "birth_region.u8", "education.u8", "intervention.u8", "outcome.u8"};
  std::vector<std::ifstream> u8_files;
  for (const char* name : u8_names) u8_files.emplace_back(dir + "/" + name, std::ios::binary);
  std::ifstream hours_file(dir + "/hours.f64", std::ios::binary);
  std::vector<std::vector<std::uint8_t>> u8(6, std::vector<std::uint8_t>(chunk));
  std::vector<double> hours(chunk);
  aggregator agg(synth::participation_schema());
  std::uint64_t rows = 0;
  for (;;) {
    hours_file.read(reinterpret_cast<char*>(hours.data()), static_cast<std::streamsize>(chunk * sizeof(double)));
    const auto n = static_cast<std::size_t>(hours_file.gcount()) / sizeof(double);
    if (n == 0) break;
    for (std::size_t c = 0; c < 6; ++c) u8_files[c].read(reinterpret_cast<char*>(u8[c].data()), static_cast<std::streamsize>(n));
    column_batch b;
    b.rows = n;
    for (std::size_t c = 0; c < 5; ++c) b.codes.emplace_back(std::span<const std::uint8_t>(u8[c].data(), n));
    b.outcomes.emplace_back(std::span<const std::uint8_t>(u8[5].data(), n));
    b.numerics.emplace_back(std::span<const double>(hours.data(), n));
    agg.add_batch(b);
    rows += n;
  }
  const auto tables = cube(agg);
  std::printf("rows %llu peak_rss_mib %.1f state_bytes %zu cells %zu\n", static_cast<unsigned long long>(rows), jamstat::bench::peak_rss_mib(),
              write_state(agg).size(), tables.back().cells().size());
  return rows > 0 ? 0 : 1;
}
