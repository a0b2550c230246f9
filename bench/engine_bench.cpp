// Engine micro-benchmarks on the canonical participation workload (shared/peers/README.md).
// Run: build/bench/jamstat_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <map>

#include "jamstat/jamstat.hpp"
#include "jamstat/synth/participations.hpp"

namespace {

const jamstat::synth::participations& workload(std::uint64_t n) {
  static std::map<std::uint64_t, jamstat::synth::participations> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, jamstat::synth::generate(n)).first;
  return it->second;
}

// Job A's ingest: the columnar batch into the finest cells (no persons).
void columnar_add(benchmark::State& state) {
  const auto& data = workload(static_cast<std::uint64_t>(state.range(0)));
  jamstat::column_batch batch = jamstat::synth::as_batch(data);
  batch.persons = std::monostate{};
  for (auto _ : state) {
    jamstat::aggregator agg(jamstat::synth::participation_schema());
    agg.add_batch(batch);
    benchmark::DoNotOptimize(agg.participations());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data.size()));
  state.counters["ns_per_record"] = benchmark::Counter(static_cast<double>(state.iterations() * data.size()),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert,
                                                       benchmark::Counter::kIs1000);
}
BENCHMARK(columnar_add)->Arg(1000000)->Unit(benchmark::kMillisecond);

// One record at a time through the C++ API.
void record_add(benchmark::State& state) {
  const auto& data = workload(static_cast<std::uint64_t>(state.range(0)));
  for (auto _ : state) {
    jamstat::aggregator agg(jamstat::synth::participation_schema());
    std::int32_t codes[5];
    std::int32_t outcome[1];
    double hours[1];
    for (std::size_t i = 0; i < data.size(); ++i) {
      codes[0] = data.sex[i];
      codes[1] = data.age_band[i];
      codes[2] = data.birth_region[i];
      codes[3] = data.education[i];
      codes[4] = data.intervention[i];
      outcome[0] = data.outcome[i];
      hours[0] = data.hours[i];
      agg.add({codes, outcome, hours, {}});
    }
    benchmark::DoNotOptimize(agg.participations());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data.size()));
}
BENCHMARK(record_add)->Arg(1000000)->Unit(benchmark::kMillisecond);

// Job A's roll-up: all 32 groupings from the finest cells.
void full_cube(benchmark::State& state) {
  const auto& data = workload(static_cast<std::uint64_t>(state.range(0)));
  jamstat::column_batch batch = jamstat::synth::as_batch(data);
  batch.persons = std::monostate{};
  jamstat::aggregator agg(jamstat::synth::participation_schema());
  agg.add_batch(batch);
  for (auto _ : state) benchmark::DoNotOptimize(jamstat::cube(agg));
}
BENCHMARK(full_cube)->Arg(1000000)->Unit(benchmark::kMillisecond);

// Job B's ingest: distinct persons (keyed SipHash per record).
void distinct_persons_add(benchmark::State& state) {
  const auto& data = workload(static_cast<std::uint64_t>(state.range(0)));
  const jamstat::column_batch batch = jamstat::synth::as_batch(data);
  const jamstat::person_key key({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  for (auto _ : state) {
    jamstat::aggregator agg(jamstat::synth::participation_schema(), {jamstat::bad_record_policy::reject, key});
    agg.add_batch(batch);
    benchmark::DoNotOptimize(agg.participations());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data.size()));
}
BENCHMARK(distinct_persons_add)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
