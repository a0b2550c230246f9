#!/usr/bin/env bash
# Bulk and per-record add from Java (bindings/java over JNA) vs the C ABI's own calls on the same
# canonical rows (`jamstat generate N DIR`), same schema (five u8 codes, a u8 outcome, f64 hours
# into a decimal(2) measure, u32 person ids): bench/bindings_java_bench.java against
# bench/bindings_java_c_baseline.c, alternating the two programs; medians over the runs. The
# ratio is Java's speed as a share of C's (C seconds / Java seconds). Run by hand, not in CI.
#
# Usage: bench/bindings_java.sh [BUILD_TREE] [ROWS] [ROUNDS] [REPS]
#   BUILD_TREE  a tree with the Java binding built (target jamstat_java); the library loaded is the
#               plain one beside a sanitized tree (BUILD_TREE/plain/libjamstat.so) or the tree's own;
#               default build/dev
#   ROWS        10000000 (the issue's 10M); data in $JAMSTAT_BENCH_DATA if set, else generated with
#               BUILD_TREE/jamstat (or build/dev/jamstat) into BUILD_TREE/bench-data/ROWS
#   JAMSTAT_JAVA_JAR overrides the jar (default BUILD_TREE/bindings/java/jamstat.jar).
#   ROUNDS      3 alternations of the two programs; REPS 5 timed runs per phase in each (after a warm-up)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "${1:-$here/build/dev}" && pwd)
rows=${2:-10000000}
rounds=${3:-3}
reps=${4:-5}
lib=$tree/libjamstat.so
[ -f "$tree/plain/libjamstat.so" ] && lib=$tree/plain/libjamstat.so
libdir=$(dirname "$lib")
data=${JAMSTAT_BENCH_DATA:-$tree/bench-data/$rows}
if [ ! -f "$data/sex.u8" ]; then
  cli=$tree/jamstat
  [ -x "$cli" ] || cli=$here/build/dev/jamstat
  "$cli" generate "$rows" "$data" >/dev/null
fi
out=$tree/bench-java
mkdir -p "$out"
cc -O2 -std=c11 -I"$here/include" "$here/bench/bindings_java_c_baseline.c" -L"$libdir" -ljamstat -Wl,-rpath,"$libdir" \
   -o "$out/bindings_java_c_baseline"
cp=${JAMSTAT_JAVA_JAR:-$tree/bindings/java/jamstat.jar}:/usr/share/java/jna.jar
javac -d "$out/classes" -cp "$cp" "$here/bench/bindings_java_bench.java"

for r in $(seq "$rounds"); do
  "$out/bindings_java_c_baseline" "$data" "$reps"
  java -Xmx3g -cp "$cp:$out/classes" -Djamstat.library="$lib" bindings_java_bench "$data" "$reps"
done | tee "$out/runs.txt"

/usr/bin/python3 - "$out/runs.txt" <<'PY'
import collections, statistics, sys
t = collections.defaultdict(list)
for line in open(sys.argv[1]):
    who, phase, value = line.split()
    t[(who, phase)].append(float(value))
med = {k: statistics.median(v) for k, v in t.items()}
print("%d rows, medians over %d rounds" % (med[("C", "rows")], len(t[("C", "add_arrays")])))
def bulk(label, c, j):
    c, j = med[("C", c)], med[("JAVA", j)]
    print("%-40s C %.3f s  Java %.3f s  Java speed %5.1f%% of C" % (label, c, j, 100 * c / j))
bulk("bulk add, no persons, Java arrays", "add_arrays", "add_arrays_heap")
bulk("bulk add, no persons, direct buffers", "add_arrays", "add_arrays_direct")
bulk("bulk add, persons, Java arrays", "add_arrays_persons", "add_arrays_persons_heap")
bulk("bulk add, persons, direct buffers", "add_arrays_persons", "add_arrays_persons_direct")
print("%-40s C %.3f us  Java %.3f us" % ("per record, no persons", med[("C", "add_record_us")], med[("JAVA", "add_record_us")]))
print("%-40s Java %.3f us" % ("per record, persons (u64 id)", med[("JAVA", "add_record_person_us")]))
PY
