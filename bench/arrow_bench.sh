#!/usr/bin/env bash
# jamstat_aggregator_add_arrow vs jamstat_aggregator_add_arrays on the canonical rows (jamstat
# generate N DIR): the same columns as record batches built by hand (bench/arrow_bench.c: the same
# Arrow types, pandas' default dtypes, pandas categoricals), in one process, each round starting
# with another way; medians and minima. The ratio is add_arrow's speed as a share of add_arrays'
# (arrays seconds / arrow seconds). Run by hand, not in CI; results in bench/arrow_results.md.
#
# Usage: bench/arrow_bench.sh [BUILD_TREE] [ROWS] [REPS]
#   BUILD_TREE  a plain Release build with the jamstat CLI and libjamstat.so (default build/perf:
#               cmake -S . -B build/perf -DCMAKE_BUILD_TYPE=Release -DJAMSTAT_BUILD_TESTS=OFF
#               -DJAMSTAT_BUILD_BENCH=OFF; cmake --build build/perf --target jamstat_shared jamstat_cli)
#   ROWS        10000000 (the issue's 10M); data cached in BUILD_TREE/bench-data/ROWS
#   REPS        rounds per batch size (default 7)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "${1:-$here/build/perf}" && pwd)
rows=${2:-10000000}
reps=${3:-7}
data=$tree/bench-data/$rows
out=$tree/bench-arrow
mkdir -p "$out"

[ -f "$data/sex.u8" ] || "$tree/jamstat" generate "$rows" "$data" >/dev/null
cc -O2 -std=c11 -Wall -Wextra -Werror -I"$here/include" "$here/bench/arrow_bench.c" -L"$tree" -ljamstat \
  -Wl,-rpath,"$tree" -o "$out/arrow_bench"

for batch in 0 65536; do
  "$out/arrow_bench" "$data" "$reps" "$batch"
done | tee "$out/runs.txt" | /usr/bin/python3 -c '
import collections, statistics, sys
t = collections.defaultdict(list)
same = collections.defaultdict(set)
for line in sys.stdin:
    way, kind, batch, _, seconds, _, participations, _, same_state = line.split()
    t[(kind, batch, way)].append(float(seconds))
    same[(kind, batch, way)].add(same_state)
rows = int(sys.argv[1])
print("| rows added | way | median | ratio (median) | min | ratio (min) | state = add_arrays |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for kind in ("plain", "persons"):
    for batch in sorted({b for (k, b, w) in t if k == kind}, key=lambda b: -int(b.split("=")[1])):
        size = int(batch.split("=")[1])
        label = kind + (", one batch" if size >= rows else f", batches of {size:,} rows")
        a = t[(kind, batch, "arrays")]
        for way in ("arrays", "same", "pandas", "dict"):
            s = t[(kind, batch, way)]
            state = "yes" if same[(kind, batch, way)] == {"1"} else ("no" if same[(kind, batch, way)] == {"0"} else "mixed")
            print(f"| {label} | {way} | {statistics.median(s):.3f} s | {100 * statistics.median(a) / statistics.median(s):.0f}% "
                  f"| {min(s):.3f} s | {100 * min(a) / min(s):.0f}% | {state} |")
print(f"\n({len(a)} rounds each)")
' "$rows"
