#!/usr/bin/env bash
# Builds the CSV reader fuzz target (tests/fuzz/csv_reader_fuzz.cpp: the reader, the ingest's fast
# and general paths, threads, masking) with clang (libFuzzer + ASan + UBSan) and runs a bounded
# session from a fresh seed corpus. Usage: scripts/fuzz-csv.sh [SECONDS] (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
# The same clang tree as scripts/fuzz.sh: the library's objects are compiled once for both targets.
tree=build/fuzz
CC=clang CXX=clang++ cmake -S . -B "$tree" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJAMSTAT_FUZZ=ON -DJAMSTAT_SANITIZE=ON \
  -DJAMSTAT_WERROR=ON -DJAMSTAT_BUILD_TESTS=OFF -DJAMSTAT_BUILD_BENCH=OFF -DJAMSTAT_BUILD_CLI=OFF >/dev/null
cmake --build "$tree" -j"$(nproc)" --target jamstat_csv_reader_fuzz
corpus="$tree/csv-corpus"
rm -rf "$corpus" && mkdir -p "$corpus" "$tree/csv-findings"
# Seeds: the first byte picks the dialect (see the target); the rest is the CSV after a header.
seed() { printf '%b' "$2" >"$corpus/$1"; }
seed plain '\x00811218-9876;K;1;5;ja;12,50;1000\n198112189876;man;0;12;nej;3;2,5e3\n'
seed crlf '\x01701063-2391;M;300;0;1;0,5;-1\r\n200306062381;;1;99;0;NA;7\r\n'
seed quoted '\x00"811218-9876";"K";"1";"5";"ja";"1 234,50";"1"\n"x;\n""y""";K;0;1;ja;1;1\n'
seed latin1 '\x08811218-9876;kvinna;1;5;ja;12,5;1\n200306062381;M\xe4n;0;1;nej;1;1\n'
seed thousands '\x10811218-9876;K;1;5;ja;1.234,5;1 000\n811218-9876;K;1;5;ja;1\xc2\xa0234;1\n'
seed blocks '\xa0;;;\n\n811218-9876;K;1;5;ja;12,50;"unterminated\n811218-9876;K;1;5;ja;1;1\n'
seed threads '\x80811218-9876;K;1;5;ja;1;1\n811218-9876;K;1;5;ja;1;1\n811218-9876;K;1;5;ja;"a\nb";1\n'
seed noheader '\x40pnr;kon;region;grade;arbete;timmar;kostnad\r\n811218-9876;K;1;5;ja;1;1\r\n'
seed tabs '\x03811218-9876\tK\t1\t5\tja\t1.5\t2\n'
"$tree/tests/fuzz/jamstat_csv_reader_fuzz" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
  -artifact_prefix="$tree/csv-findings/" "$corpus" 2>&1 | tail -n 12
echo "fuzz: CSV reader ran ${seconds}s without a finding"
