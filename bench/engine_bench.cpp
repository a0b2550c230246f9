// Engine benchmarks on the canonical participation workload (shared/peers/README.md), generated
// by the project's own generator at 1M and 10M records. Run (a -march=native Release build, like
// the C baseline):
//   cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DJAMSTAT_NATIVE=ON -DJAMSTAT_BUILD_TESTS=OFF
//   cmake --build build/bench -j && build/bench/bench/jamstat_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <map>
#include <thread>

#include "jamstat/io/state_format.hpp"
#include "jamstat/jamstat.h"
#include "jamstat/jamstat.hpp"
#include "jamstat/synth/participations.hpp"

namespace {

using namespace jamstat;

const synth::participations& workload(std::int64_t n) {
  static std::map<std::int64_t, synth::participations> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, synth::generate(static_cast<std::uint64_t>(n))).first;
  return it->second;
}

column_batch job_a_batch(const synth::participations& data, std::size_t first = 0, std::size_t count = SIZE_MAX) {
  column_batch b = synth::as_batch(data, first, count);
  b.persons = std::monostate{};
  return b;
}

void per_record_counters(benchmark::State& state, std::size_t records) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(records));
  // Seconds per record (shown with an SI prefix: "4.1n" = 4.1 ns).
  state.counters["per_record"] = benchmark::Counter(static_cast<double>(records),
                                                    benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

const person_key bench_key({'j', 'a', 'm', 's', 't', 'a', 't', '-', 'b', 'e', 'n', 'c', 'h', '-', 'k', '1'});

// Job A's ingest: the columnar batch into the finest cells, under either bad-record policy (reject
// validates the whole batch first; tally checks block by block as it goes).
// Hours decimal (exact; the canonical form) or floating, to compare the two kinds.
void columnar_add(benchmark::State& state, bad_record_policy policy, measure_kind hours) {
  const auto& data = workload(state.range(0));
  const column_batch batch = job_a_batch(data);
  for (auto _ : state) {
    aggregator agg(synth::participation_schema(hours), {policy, std::nullopt});
    agg.add_batch(batch);
    benchmark::DoNotOptimize(agg.participations());
  }
  per_record_counters(state, data.size());
}
BENCHMARK_CAPTURE(columnar_add, reject_decimal, bad_record_policy::reject, measure_kind::decimal)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(columnar_add, tally_decimal, bad_record_policy::tally, measure_kind::decimal)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(columnar_add, reject_floating, bad_record_policy::reject, measure_kind::floating)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);

// Job A in full: columnar ingest + all 32 groupings.
void job_a_cube(benchmark::State& state) {
  const auto& data = workload(state.range(0));
  const column_batch batch = job_a_batch(data);
  for (auto _ : state) {
    aggregator agg(synth::participation_schema());
    agg.add_batch(batch);
    benchmark::DoNotOptimize(cube(agg));
  }
  per_record_counters(state, data.size());
}
BENCHMARK(job_a_cube)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);

// Multi-threaded ingestion: one aggregator per thread, merged; range(1) threads.
void parallel_columnar_add(benchmark::State& state) {
  const auto& data = workload(state.range(0));
  const auto threads = static_cast<std::size_t>(state.range(1));
  for (auto _ : state) {
    std::vector<aggregator> parts;
    for (std::size_t t = 0; t < threads; ++t) parts.emplace_back(synth::participation_schema());
    std::vector<std::thread> workers;
    for (std::size_t t = 1; t < threads; ++t)
      workers.emplace_back([&, t] {
        const std::size_t lo = data.size() * t / threads, hi = data.size() * (t + 1) / threads;
        parts[t].add_batch(job_a_batch(data, lo, hi - lo));
      });
    parts[0].add_batch(job_a_batch(data, 0, data.size() / threads));
    for (auto& w : workers) w.join();
    for (std::size_t t = 1; t < threads; ++t) parts[0].merge(parts[t]);
    benchmark::DoNotOptimize(parts[0].participations());
  }
  per_record_counters(state, data.size());
}
BENCHMARK(parallel_columnar_add)->Args({10000000, 1})->Args({10000000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

// Record i of the workload as the arrays a caller passes one record at a time.
struct one_record {
  std::int32_t codes[5];
  std::int32_t outcome[1];
  double hours[1];
  void fill(const synth::participations& data, std::size_t i) {
    codes[0] = data.sex[i];
    codes[1] = data.age_band[i];
    codes[2] = data.birth_region[i];
    codes[3] = data.education[i];
    codes[4] = data.intervention[i];
    outcome[0] = data.outcome[i];
    hours[0] = data.hours[i];
  }
};

// One record at a time through the C++ API.
void record_add_cpp(benchmark::State& state, measure_kind hours) {
  const auto& data = workload(state.range(0));
  for (auto _ : state) {
    aggregator agg(synth::participation_schema(hours));
    one_record r;
    for (std::size_t i = 0; i < data.size(); ++i) {
      r.fill(data, i);
      agg.add({r.codes, r.outcome, r.hours, {}});
    }
    benchmark::DoNotOptimize(agg.participations());
  }
  per_record_counters(state, data.size());
}
BENCHMARK_CAPTURE(record_add_cpp, decimal, measure_kind::decimal)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(record_add_cpp, floating, measure_kind::floating)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);

// One record at a time through the C ABI (jamstat_aggregator_add), as an integrator calls it.
void record_add_c_abi(benchmark::State& state, measure_kind kind) {
  const auto& data = workload(state.range(0));
  jamstat_schema* s = nullptr;
  {
    jamstat_schema_builder* b = nullptr;
    jamstat_schema_builder_new(&b);
    const schema& ref = *synth::participation_schema();
    for (std::size_t d = 1; d < ref.dimensions().size(); ++d) {
      std::vector<std::int32_t> codes;
      std::vector<const char*> sv, en;
      for (const level& l : ref.dimensions()[d].levels()) {
        codes.push_back(l.code);
        sv.push_back(l.label_sv.c_str());
        en.push_back(l.label_en.c_str());
      }
      jamstat_schema_builder_add_dimension(b, ref.dimensions()[d].name().c_str(), codes.size(), codes.data(), sv.data(), en.data());
    }
    jamstat_schema_builder_add_outcome(b, "in_work_or_studies", "I arbete eller studier", "In work or studies");
    jamstat_measure_definition hours = JAMSTAT_MEASURE_DEFINITION_INIT;
    hours.name = "hours";
    hours.unit = "h";
    hours.label_sv = "Timmar";
    hours.label_en = "Hours";
    hours.kind = kind == measure_kind::decimal ? JAMSTAT_MEASURE_DECIMAL : JAMSTAT_MEASURE_FLOATING;
    hours.decimals = kind == measure_kind::decimal ? 2 : 0;
    hours.has_range = 1;
    hours.lowest = 0;
    hours.highest = 99999.99;
    jamstat_schema_builder_add_measure(b, &hours);
    if (jamstat_schema_build(b, &s) != JAMSTAT_OK) state.SkipWithError(jamstat_last_error_message());
    jamstat_schema_builder_free(&b);
  }
  for (auto _ : state) {
    jamstat_aggregator* agg = nullptr;
    jamstat_aggregator_new(s, nullptr, &agg);
    one_record r;
    for (std::size_t i = 0; i < data.size(); ++i) {
      r.fill(data, i);
      if (jamstat_aggregator_add(agg, r.codes, 5, r.outcome, 1, r.hours, 1, nullptr, nullptr) != JAMSTAT_OK) {
        state.SkipWithError(jamstat_last_error_message());
        break;
      }
    }
    jamstat_aggregator_free(&agg);
  }
  jamstat_schema_free(&s);
  per_record_counters(state, data.size());
}
BENCHMARK_CAPTURE(record_add_c_abi, decimal, measure_kind::decimal)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(record_add_c_abi, floating, measure_kind::floating)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);

// The full cube roll-up alone (from the finest cells; independent of N).
void full_cube(benchmark::State& state) {
  aggregator agg(synth::participation_schema());
  agg.add_batch(job_a_batch(workload(state.range(0))));
  for (auto _ : state) benchmark::DoNotOptimize(cube(agg));
}
BENCHMARK(full_cube)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);

// Merge, serialize, deserialize of Job A's state; bytes_per_second is the state's size over time,
// to compare with the memory bandwidth floor.
void state_bytes_counter(benchmark::State& state, std::size_t bytes) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.counters["state_bytes"] = static_cast<double>(bytes);
}

void merge_states(benchmark::State& state) {
  aggregator a(synth::participation_schema());
  a.add_batch(job_a_batch(workload(state.range(0))));
  const std::size_t bytes = write_state(a).size();
  aggregator into(synth::participation_schema());
  for (auto _ : state) into.merge(a);
  state_bytes_counter(state, bytes);
}
BENCHMARK(merge_states)->Arg(10000000)->Unit(benchmark::kMicrosecond);

void serialize_state(benchmark::State& state) {
  aggregator a(synth::participation_schema());
  a.add_batch(job_a_batch(workload(state.range(0))));
  std::vector<std::uint8_t> buffer(state_size(a));  // reused, as a nightly job would
  for (auto _ : state) benchmark::DoNotOptimize(write_state(a, buffer));
  state_bytes_counter(state, buffer.size());
}
BENCHMARK(serialize_state)->Arg(10000000)->Unit(benchmark::kMicrosecond);

void deserialize_state(benchmark::State& state) {
  aggregator a(synth::participation_schema());
  a.add_batch(job_a_batch(workload(state.range(0))));
  const auto bytes = write_state(a);
  for (auto _ : state) benchmark::DoNotOptimize(read_state(bytes).participations());
  state_bytes_counter(state, bytes.size());
}
BENCHMARK(deserialize_state)->Arg(10000000)->Unit(benchmark::kMicrosecond);

// Job B: distinct persons (keyed SipHash per record) and the sex x intervention roll-up.
void job_b_distinct(benchmark::State& state) {
  const auto& data = workload(state.range(0));
  const column_batch batch = synth::as_batch(data);
  const grouping_set g = grouping_set::of(*synth::participation_schema(), {"intervention"});
  for (auto _ : state) {
    aggregator agg(synth::participation_schema(), {bad_record_policy::reject, bench_key});
    agg.add_batch(batch);
    benchmark::DoNotOptimize(rollup(agg, g));
  }
  per_record_counters(state, data.size());
}
BENCHMARK(job_b_distinct)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond);

// The keyed hash alone, the part of Job B the privacy rule adds.
void siphash_person_ids(benchmark::State& state) {
  const auto& data = workload(state.range(0));
  for (auto _ : state) {
    std::uint64_t x = 0;
    for (std::uint32_t id : data.person_id) x ^= bench_key.hash(std::uint64_t{id});
    benchmark::DoNotOptimize(x);
  }
  per_record_counters(state, data.size());
}
BENCHMARK(siphash_person_ids)->Arg(10000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
