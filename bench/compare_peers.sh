#!/usr/bin/env bash
# Runs Job A (full cube) and Job B (distinct persons) with jamstat beside the peers of
# shared/peers (the hand-written C lower bound, DuckDB, pandas, polars) on the same data in the
# same run, verifies every result against the C baseline, and prints one table of ratios.
#
# Usage: bench/compare_peers.sh [N ...]          default: 1000000 10000000
# env:   REPS=3  PEERS="c_baseline duckdb pandas polars"  JAMSTAT_SHARED=path/to/shared
# Needs: gcc, node + npm (the harness installs its pinned npm packages), python3-pandas, and
# /usr/bin/time; the harness installs what it can. Results: build/peers/out/ (raw), stdout (table).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${JAMSTAT_SHARED:-$here/../shared}
work=$here/build/peers
NS=("$@")
[ ${#NS[@]} -eq 0 ] && NS=(1000000 10000000)
REPS=${REPS:-3}
PEERS=${PEERS:-"c_baseline duckdb pandas polars"}
PY=/usr/bin/python3
say() { echo "# $*" >&2; }

# 1. jamstat, optimised like the C baseline (-O3 -march=native).
say "building jamstat (Release, -march=native)"
cmake -S "$here" -B "$here/build/perf" -DCMAKE_BUILD_TYPE=Release -DJAMSTAT_NATIVE=ON -DJAMSTAT_BUILD_TESTS=OFF >/dev/null
cmake --build "$here/build/perf" -j"$(nproc)" --target jamstat_cli jamstat_peer_jobs jamstat_chunked_ingest >/dev/null
bin=$here/build/perf

# 2. A writable copy of the harness (shared/ is read-only); node_modules and data are kept.
mkdir -p "$work"
(cd "$shared/peers" && tar --exclude=./node_modules --exclude=./data --exclude=./out --exclude=./logs --exclude=./bin -cf - .) |
  (cd "$work" && tar -xf -)

# 3. The data, from jamstat's own generator, checked against the reference hashes of the spec.
for N in "${NS[@]}"; do
  if [ ! -f "$work/data/$N/meta.txt" ]; then
    say "generating N=$N with jamstat's generator"
    "$bin/jamstat" generate "$N" "$work/data/$N" >/dev/null
  fi
  case "$N" in
    1000000) want_hours=aa334328dd2433db want_ids=bf065c6cc2e934c3 ;;
    10000000) want_hours=538dc20144fd91be want_ids=927c3f67839c79b7 ;;
    *) want_hours="" ;;
  esac
  if [ -n "$want_hours" ]; then
    grep -q "fnv1a64 hours.f64 $want_hours" "$work/data/$N/meta.txt" &&
      grep -q "fnv1a64 person_id.u32 $want_ids" "$work/data/$N/meta.txt" ||
      { echo "data for N=$N does not match the reference hashes" >&2; exit 1; }
    say "N=$N: data match the reference hashes"
  fi
done

# 4. The peers, through the harness (it verifies them against the C baseline).
say "running the peers: $PEERS"
(cd "$work" && REPS="$REPS" PEERS="$PEERS" ./run.sh "${NS[@]}") >/dev/null

# 5. jamstat, the same way: REPS separate processes under /usr/bin/time -v, then summarize/verify.
for N in "${NS[@]}"; do
  say "running jamstat N=$N"
  for rep in $(seq 1 "$REPS"); do
    dump=""; [ "$rep" = 1 ] && dump="$work/out/$N"
    /usr/bin/time -v -o "$work/logs/$N/jamstat.rep$rep.time" "$bin/bench/jamstat_peer_jobs" "$work/data/$N" $dump \
      >"$work/logs/$N/jamstat.rep$rep.out" 2>"$work/logs/$N/jamstat.rep$rep.err"
  done
  $PY "$work/summarize.py" "$work/logs/$N" "$N" jamstat >>"$work/out/summary_$N.txt"
  $PY "$work/verify.py" "$work/out/$N" | sed "s/^VERIFY /VERIFY N=$N /" | tee "$work/out/verify_$N.txt" >&2
  "$bin/bench/jamstat_chunked_ingest" "$work/data/$N" | sed "s/^/CHUNKED N=$N /" | tee "$work/out/chunked_$N.txt" >&2
done

# 6. The table.
$PY "$here/bench/ratio_table.py" "$work/out" "${NS[@]}"
