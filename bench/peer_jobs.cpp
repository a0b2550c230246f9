// jamstat as a "peer" of shared/peers: the same Job A (full cube) and Job B (distinct persons per
// sex x intervention) on the same raw column files, printing "PHASE name seconds vmhwm_mb" lines
// like the other peers and, with DUMPDIR, the canonical result files verify.py checks.
//
// Usage: jamstat_peer_jobs DATADIR [DUMPDIR]
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "jamstat/io/state_format.hpp"
#include "jamstat/jamstat.hpp"
#include "process_memory.hpp"
#include "jamstat/synth/participations.hpp"

using namespace jamstat;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}


void phase(const char* name, double seconds) {
  std::printf("PHASE %s %.6f %.1f\n", name, seconds, jamstat::bench::peak_rss_mib());
  std::fflush(stdout);
}

struct mapped {
  const void* data = nullptr;
  std::size_t size = 0;
};

mapped map_file(const std::string& dir, const char* name) {
  const std::string path = dir + "/" + name;
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error("cannot open " + path);
  struct stat st {};
  ::fstat(fd, &st);
  void* m = ::mmap(nullptr, st.st_size ? static_cast<std::size_t>(st.st_size) : 1, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) throw std::runtime_error("cannot map " + path);
  return {m, static_cast<std::size_t>(st.st_size)};
}

struct columns {
  std::size_t n = 0;
  const std::uint32_t* person_id;
  const std::uint8_t *sex, *age, *region, *education, *intervention, *outcome;
  const double* hours;
};

column_batch batch_of(const columns& c, std::size_t first, std::size_t count, bool persons) {
  column_batch b;
  b.rows = count;
  for (const std::uint8_t* col : {c.sex, c.age, c.region, c.education, c.intervention})
    b.codes.emplace_back(std::span<const std::uint8_t>(col + first, count));
  b.outcomes.emplace_back(std::span<const std::uint8_t>(c.outcome + first, count));
  b.numerics.emplace_back(std::span<const double>(c.hours + first, count));
  if (persons) b.persons = std::span<const std::uint32_t>(c.person_id + first, count);
  return b;
}

// The kind of the hours measure: decimal (the default: exact sums), or floating with
// JAMSTAT_HOURS=floating, to compare the two.
measure_kind hours_kind() {
  const char* kind = std::getenv("JAMSTAT_HOURS");
  return kind && std::string(kind) == "floating" ? measure_kind::floating : measure_kind::decimal;
}

// Ingests rows [0, n) with `threads` aggregators (one per thread) and merges them.
aggregator ingest(const columns& c, unsigned threads, const aggregator_options& options, bool persons) {
  const auto s = synth::participation_schema(hours_kind());
  std::vector<aggregator> parts;
  for (unsigned t = 0; t < threads; ++t) parts.emplace_back(s, options);
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t)
    workers.emplace_back([&, t] {
      const std::size_t lo = c.n * t / threads, hi = c.n * (t + 1) / threads;
      parts[t].add_batch(batch_of(c, lo, hi - lo, persons));
    });
  parts[0].add_batch(batch_of(c, 0, c.n / threads, persons));
  for (auto& w : workers) w.join();
  for (unsigned t = 1; t < threads; ++t) parts[0].merge(parts[t]);
  return std::move(parts[0]);
}

void dump_cube(const std::string& path, const std::vector<rollup_table>& tables) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) throw std::runtime_error("cannot write " + path);
  std::fprintf(f, "gid,sex,age_band,birth_region,education,intervention,n,sum_outcome,mean_hours,var_hours\n");
  const auto& dims = synth::participation_schema()->dimensions();
  for (std::size_t gid = 0; gid < tables.size(); ++gid) {
    for (const rollup_cell c : tables[gid].cells()) {
      std::fprintf(f, "%zu", gid);
      std::size_t k = 0;
      for (std::size_t d = 0; d < dims.size(); ++d) {
        if (gid >> d & 1) std::fprintf(f, ",%d", dims[d].levels()[c.levels[k++]].code);
        else std::fprintf(f, ",");
      }
      std::fprintf(f, ",%llu,%llu,%.17g,", static_cast<unsigned long long>(c.participations),
                   static_cast<unsigned long long>(c.successes[0]), c.numerics[0].mean());
      if (c.participations > 1) std::fprintf(f, "%.17g", c.numerics[0].sample_variance());
      std::fprintf(f, "\n");
    }
  }
  std::fclose(f);
}

void dump_distinct(const std::string& path, const rollup_table& t) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) throw std::runtime_error("cannot write " + path);
  std::fprintf(f, "sex,intervention,n_distinct\n");
  const auto& dims = synth::participation_schema()->dimensions();
  for (const rollup_cell c : t.cells())
    std::fprintf(f, "%d,%d,%llu\n", dims[0].levels()[c.levels[0]].code, dims[4].levels()[c.levels[1]].code,
                 static_cast<unsigned long long>(*c.persons));
  std::fclose(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATADIR [DUMPDIR]\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const char* dumpdir = argc > 2 ? argv[2] : nullptr;
  // JAMSTAT_PEER_JOBS=A skips Job B (for quick comparisons of Job A); both by default.
  const std::string only = std::getenv("JAMSTAT_PEER_JOBS") ? std::getenv("JAMSTAT_PEER_JOBS") : "";
  const bool job_b = only != "A";
  try {
    // The schema is built once per process, before any clock starts: the C baseline's is compiled
    // in (#define NSEX 3 ...). Building it costs about 0.5 ms (both kinds' schemas, the first time).
    (void)synth::participation_schema(hours_kind());
    double t0 = now();
    columns c;
    const mapped pid = map_file(dir, "person_id.u32");
    c.n = pid.size / 4;
    c.person_id = static_cast<const std::uint32_t*>(pid.data);
    c.sex = static_cast<const std::uint8_t*>(map_file(dir, "sex.u8").data);
    c.age = static_cast<const std::uint8_t*>(map_file(dir, "age_band.u8").data);
    c.region = static_cast<const std::uint8_t*>(map_file(dir, "birth_region.u8").data);
    c.education = static_cast<const std::uint8_t*>(map_file(dir, "education.u8").data);
    c.intervention = static_cast<const std::uint8_t*>(map_file(dir, "intervention.u8").data);
    c.outcome = static_cast<const std::uint8_t*>(map_file(dir, "outcome.u8").data);
    c.hours = static_cast<const double*>(map_file(dir, "hours.f64").data);
    phase("load_bin", now() - t0);

    // The bandwidth floor, as the C baseline measures it: a sum over the bytes Job A reads. It also
    // leaves the columns as warm as the baseline's are when its cube pass starts.
    t0 = now();
    std::uint64_t sum = 0;
    for (const std::uint8_t* col : {c.sex, c.age, c.region, c.education, c.intervention, c.outcome})
      for (std::size_t i = 0; i < c.n; ++i) sum += col[i];
    const auto* hours_words = reinterpret_cast<const std::uint64_t*>(c.hours);
    for (std::size_t i = 0; i < c.n; ++i) sum += hours_words[i];
    phase("membw", now() - t0);
    std::printf("INFO membw checksum=%llu\n", static_cast<unsigned long long>(sum));

    // Job A: columnar ingest into the finest cells + all 32 groupings.
    const long f0 = jamstat::bench::minor_faults();
    t0 = now();
    aggregator a = ingest(c, 1, {}, false);
    const double t1 = now();
    const long f1 = jamstat::bench::minor_faults();
    std::vector<rollup_table> tables = cube(a);
    const double t2 = now();
    const long f2 = jamstat::bench::minor_faults();
    phase("cube_pass", t1 - t0);
    phase("cube_rollup", t2 - t1);
    phase("cube", t2 - t0);
    std::printf("INFO cube minor_faults pass=%ld rollup=%ld\n", f1 - f0, f2 - f1);
    std::printf("INFO cube ns_per_record=%.3f\n", (t1 - t0) / static_cast<double>(c.n) * 1e9);

    t0 = now();
    {
      aggregator a2 = ingest(c, 2, {}, false);
      const auto tables2 = cube(a2);
      if (tables2[31].cells().size() != tables[31].cells().size()) throw std::runtime_error("cube_2t differs");
    }
    phase("cube_2t", now() - t0);

    std::optional<rollup_table> distinct;
    if (job_b) {
      // Job B: distinct persons per sex x intervention, from the full schema's finest cells.
      const person_key key({'j', 'a', 'm', 's', 't', 'a', 't', '-', 'b', 'e', 'n', 'c', 'h', '-', 'k', '1'});
      const grouping_set sex_by_intervention = grouping_set::of(*synth::participation_schema(), {"intervention"});
      t0 = now();
      aggregator persons = ingest(c, 1, {bad_record_policy::reject, key}, true);
      distinct = rollup(persons, sex_by_intervention);
      phase("distinct", now() - t0);
      t0 = now();
      {
        aggregator p2 = ingest(c, 2, {bad_record_policy::reject, key}, true);
        const rollup_table d2 = rollup(p2, sex_by_intervention);
        for (std::size_t i = 0; i < d2.cells().size(); ++i)
          if (d2.cells()[i].persons != distinct->cells()[i].persons) throw std::runtime_error("distinct_2t differs");
      }
      phase("distinct_2t", now() - t0);

    }

    // The state: merge, serialize, deserialize (Job A's state, no persons).
    t0 = now();
    const std::vector<std::uint8_t> bytes = write_state(a);
    const double ts = now() - t0;
    t0 = now();
    aggregator back = read_state(bytes);
    const double td = now() - t0;
    t0 = now();
    back.merge(a);
    const double tm = now() - t0;
    phase("serialize", ts);
    phase("deserialize", td);
    phase("merge", tm);
    std::printf("INFO state_bytes=%zu cells=%zu\n", bytes.size(), tables[31].cells().size());

    if (dumpdir) {
      dump_cube(std::string(dumpdir) + "/jamstat_cube.csv", tables);
      if (distinct) dump_distinct(std::string(dumpdir) + "/jamstat_distinct.csv", *distinct);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jamstat_peer_jobs: %s\n", e.what());
    return 1;
  }
  return 0;
}
