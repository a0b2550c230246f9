#!/usr/bin/env bash
# Builds the state-reader fuzz target with clang (libFuzzer + ASan + UBSan) and runs a bounded
# session from a fresh seed corpus. Usage: scripts/fuzz.sh [SECONDS] (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJAMSTAT_FUZZ=ON -DJAMSTAT_SANITIZE=ON \
  -DJAMSTAT_WERROR=ON -DJAMSTAT_BUILD_TESTS=OFF -DJAMSTAT_BUILD_BENCH=OFF -DJAMSTAT_BUILD_CLI=OFF >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target jamstat_state_reader_fuzz jamstat_make_seed_corpus
rm -rf build/fuzz/corpus && mkdir -p build/fuzz/corpus build/fuzz/findings
build/fuzz/tests/fuzz/jamstat_make_seed_corpus build/fuzz/corpus tests/io/fixtures
# Memory is bounded by what a state's bytes can hold (docs/state-format.md): an input that makes the
# reader allocate more than the RSS limit is a finding.
build/fuzz/tests/fuzz/jamstat_state_reader_fuzz -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
  -rss_limit_mb=384 -malloc_limit_mb=128 \
  -artifact_prefix=build/fuzz/findings/ build/fuzz/corpus 2>&1 | tail -n 12
echo "fuzz: state reader ran ${seconds}s without a finding"
