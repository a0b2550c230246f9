#!/usr/bin/env bash
# Quick same-run comparison with the hand-written C lower bound only: REPS alternating processes
# of the C baseline and jamstat_peer_jobs on the 10M data of compare_peers.sh, medians per phase.
# Usage: bench/vs_c_baseline.sh [REPS] [A|AB]   (run bench/compare_peers.sh once first: it builds
#        jamstat_peer_jobs, the C baseline and the data)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
data=$here/build/peers/data/10000000
baseline=$here/build/peers/bin/baseline
[ -x "$baseline" ] || baseline=/tmp/peerbin/baseline
reps=${1:-5}
jobs=${2:-AB}
for r in $(seq "$reps"); do
  "$baseline" "$data" | awk '/^PHASE (cube_pass|cube_rollup|cube|distinct) /{print "c_baseline", $2, $3}'
  JAMSTAT_PEER_JOBS=$jobs "$here/build/perf/bench/jamstat_peer_jobs" "$data" |
    awk '/^PHASE (cube_pass|cube_rollup|cube|distinct) /{print "jamstat", $2, $3}'
done | /usr/bin/python3 -c '
import sys, statistics, collections
d = collections.defaultdict(list)
for line in sys.stdin:
    who, phase, secs = line.split()
    d[(phase, who)].append(float(secs))
for (phase, who) in sorted(d):
    print(f"{phase:12s} {who:11s} median {statistics.median(d[(phase, who)]):.4f} s  min {min(d[(phase, who)]):.4f} s")
'
