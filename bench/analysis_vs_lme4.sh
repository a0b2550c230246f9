#!/usr/bin/env bash
# jamstat's analyses beside lme4 on the same data, in one run: MAIHDA (linear and logistic, null
# and additive models) on N records' microdata in R, and on their aggregated state in jamstat; the
# estimates side by side and the times as ratios. Also times jamstat's whole analysis chain (gap
# report of both years, MAIHDA, Oaxaca-Blinder) at a second, larger N.
#
# Usage: bench/analysis_vs_lme4.sh [BUILD_DIR (default build/perf)] [N (default 1000000)] [N_LARGE (default 10000000)]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/perf}
n=${2:-1000000}
n_large=${3:-10000000}
jobs=$build/bench/jamstat_analysis_jobs
[ -x "$jobs" ] || { echo "build $jobs first: cmake --build $build --target jamstat_analysis_jobs" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$jobs" "$n" 5218 "$work/micro.csv" > "$work/jamstat.txt"
Rscript bench/analysis_vs_lme4.R "$work/micro.csv" > "$work/lme4.txt"
"$jobs" "$n_large" > "$work/jamstat_large.txt"
python3 - "$work/jamstat.txt" "$work/lme4.txt" "$work/jamstat_large.txt" "$n" "$n_large" <<'PY'
import sys
def read(path):
    phases, estimates = {}, {}
    for line in open(path):
        kind, name, value = line.split()
        (phases if kind == "PHASE" else estimates)[name] = float(value)
    return phases, estimates
jp, je = read(sys.argv[1]); rp, re = read(sys.argv[2]); lp, _ = read(sys.argv[3])
n, n_large = int(sys.argv[4]), int(sys.argv[5])
print(f"MAIHDA on N = {n:,} (jamstat: from the aggregated state; lme4: the microdata)\n")
print("| model | jamstat | lme4 | lme4 / jamstat |\n| --- | --- | --- | --- |")
for kind, r_null, r_add in (("linear", "maihda_linear_null", "maihda_linear_additive"),
                            ("logistic", "maihda_logistic_null", "maihda_logistic_additive")):
    ours = jp["maihda_" + kind] + jp["maihda_strata"]
    theirs = rp[r_null] + rp[r_add]
    print(f"| {kind} (null + additive) | {ours:.4f} s | {theirs:.2f} s | {theirs / ours:,.0f}x |")
print("\n| estimate | jamstat | lme4 | relative difference |\n| --- | --- | --- | --- |")
for name in sorted(re):
    a, b = je.get(name), re[name]
    rel = abs(a - b) / max(abs(b), 1e-300) if a is not None else float("nan")
    print(f"| {name} | {a:.10g} | {b:.10g} | {rel:.1e} |")
print(f"\nThe whole analysis chain in jamstat on N = {n_large:,} (one thread)\n")
print("| phase | seconds |\n| --- | --- |")
for name, seconds in lp.items():
    print(f"| {name} | {seconds:.4f} |")
PY
