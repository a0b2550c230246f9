#!/usr/bin/env bash
# Quick start, command 2: builds everything with warnings as errors and AddressSanitizer +
# UndefinedBehaviorSanitizer, then runs every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/ci -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJAMSTAT_WERROR=ON -DJAMSTAT_SANITIZE=ON >/dev/null
cmake --build build/ci -j"$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/ci --output-on-failure -j"$(nproc)"
