#!/usr/bin/env bash
# Quick start, command 1: installs the dependencies, builds jamstat (Release) and runs the demo:
# the synthetic data set of two years as CSV, aggregated through its schema file into states, a
# sex-disaggregated table by intervention, and the full protected report of 2025 compared with
# 2024 in ./jamstat-demo/report/; it prints where report.html is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DJAMSTAT_BUILD_TESTS=OFF -DJAMSTAT_BUILD_BENCH=OFF >/dev/null
cmake --build build/release -j"$(nproc)" --target jamstat_cli
build/release/jamstat demo "$@"
