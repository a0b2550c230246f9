// Times CSV -> state through a schema file (not a test; built on demand):
//   jamstat_csv_ingest_speed CSV SCHEMA_FILE [THREADS] [REPETITIONS] [persons|no-persons]
// Prints one line per repetition: seconds, rows, MB/s, and the state's size. With no-persons
// (the default) the schema file's person id is ignored: Job A of shared/peers (the full cube
// without distinct persons); `persons` counts distinct persons too (Job B's extra work).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "jamstat/io/csv_ingest.hpp"
#include "jamstat/io/schema_file.hpp"
#include "jamstat/io/state_format.hpp"

int main(int argc, char** argv) {
  using namespace jamstat;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CSV SCHEMA_FILE [THREADS] [REPETITIONS] [persons|no-persons]\n", argv[0]);
    return 2;
  }
  const unsigned threads = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 1;
  const int reps = argc > 4 ? std::atoi(argv[4]) : 3;
  const bool persons = argc > 5 && std::string(argv[5]) == "persons";
  io::schema_file sf = io::read_schema_file(argv[2]);
  if (!persons) sf.person_id.reset();
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    aggregator agg(sf.schema, io::aggregator_options_for(sf));
    io::ingest_options options;
    options.threads = threads;
    const io::csv_input inputs[] = {io::csv_input::file(argv[1])};
    const io::ingest_result result = io::ingest_csv(agg, sf, inputs, options);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double mb = static_cast<double>(result.inputs[0].bytes) / 1e6;
    std::printf("INGEST threads=%u persons=%d seconds=%.4f rows=%llu rejected=%llu MB/s=%.0f state_bytes=%zu\n", threads,
                persons ? 1 : 0, s, static_cast<unsigned long long>(result.rows_accepted),
                static_cast<unsigned long long>(result.rows_rejected), mb / s, state_size(agg));
  }
  return 0;
}
