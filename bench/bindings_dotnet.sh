#!/usr/bin/env bash
# Bulk add from .NET arrays (bindings/dotnet, Aggregator.AddArrays under Mono) vs the C ABI's
# own jamstat_aggregator_add_arrays on the same canonical rows (jamstat generate N DIR), same
# schema, same chunking; alternating processes; medians and minima (the ratio is the .NET speed
# as a share of C's: C seconds / .NET seconds). Run by hand, not in CI.
#
# Usage: bench/bindings_dotnet.sh [BUILD_TREE] [ROWS] [REPS]
#   BUILD_TREE  a plain (unsanitized) build with the jamstat CLI, libjamstat.so and the .NET
#               binding built (target jamstat_dotnet); default build/dev
#   ROWS        10000000 (the issue's 10M); data cached in BUILD_TREE/bench-data/ROWS
#   REPS        5 runs per program and chunk size
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "${1:-$here/build/dev}" && pwd)
rows=${2:-10000000}
reps=${3:-5}
data=$tree/bench-data/$rows
out=$tree/bench-dotnet
mkdir -p "$out"

[ -f "$data/sex.u8" ] || "$tree/jamstat" generate "$rows" "$data" >/dev/null
cc -O2 -std=c11 -I"$here/include" "$here/bench/bindings_dotnet_c.c" -L"$tree" -ljamstat -Wl,-rpath,"$tree" -o "$out/bindings_dotnet_c"
cp "$tree/bindings/dotnet/Jamstat.dll" "$out/"
mcs -nologo -optimize+ -r:"$out/Jamstat.dll" -out:"$out/bindings_dotnet.exe" "$here/bench/bindings_dotnet.cs"

for chunk in 0 65536; do
  for r in $(seq "$reps"); do
    "$out/bindings_dotnet_c" "$data" 1 "$chunk"
    JAMSTAT_LIBRARY="$tree/libjamstat.so" mono --optimize=all "$out/bindings_dotnet.exe" "$data" 1 "$chunk"
  done
done | tee "$out/runs.txt" | /usr/bin/python3 -c '
import collections, statistics, sys
t = collections.defaultdict(list)
for line in sys.stdin:
    who, kind, chunk, _, seconds, _, participations = line.split()
    t[(kind, chunk, who)].append(float(seconds))
for kind in ("persons", "plain", "record"):
    for chunk in sorted({c for (k, c, w) in t if k == kind}):
        cs, ds = t[(kind, chunk, "c")], t[(kind, chunk, "dotnet")]
        c, d = statistics.median(cs), statistics.median(ds)
        label = ("whole arrays" if chunk == "chunk=" + sys.argv[1] else
                 "per record (1M), s/row" if chunk == "per_record" else chunk.replace("chunk=", "chunks of ") + " rows")
        if chunk == "per_record":
            print(f"{kind:8s} {label:22s} median C {c * 1e6:.3f} us  .NET {d * 1e6:.3f} us  ratio {100 * c / d:5.1f}%   ({len(cs)} runs each)")
            continue
        print(f"{kind:8s} {label:22s} median C {c:.3f} s  .NET {d:.3f} s  ratio {100 * c / d:5.1f}%   "
              f"min C {min(cs):.3f} s  .NET {min(ds):.3f} s  ratio {100 * min(cs) / min(ds):5.1f}%   ({len(cs)} runs each)")
' "$rows"
