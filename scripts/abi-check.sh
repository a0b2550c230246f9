#!/usr/bin/env bash
# Compares the C ABI of a built libjamstat.so with the released baseline abi/jamstat.abi
# (libabigail). Adding functions passes; removing or changing a released function, or changing
# the layout of a released struct, fails.
# Usage: scripts/abi-check.sh LIBJAMSTAT_SO            check
#        scripts/abi-check.sh LIBJAMSTAT_SO --update   rewrite the baseline (only at a release)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lib="$1"
baseline="$here/abi/jamstat.abi"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Only the C header is public ABI: types defined elsewhere (the C++ engine) are private.
mkdir -p "$work/public/jamstat"
cp "$here/include/jamstat/jamstat.h" "$work/public/jamstat/"
abidw --no-corpus-path --headers-dir "$work/public" --drop-private-types --exported-interfaces-only \
  --drop-undefined-syms --no-show-locs --out-file "$work/current.abi" "$lib"
if [ "${2:-}" = "--update" ]; then
  cp "$work/current.abi" "$baseline"
  echo "abi: baseline updated from $lib"
  exit 0
fi
set +e
abidiff --no-show-locs --suppressions "$here/abi/jamstat.abignore" "$baseline" "$work/current.abi" >"$work/report.txt" 2>&1
rc=$?
set -e
cat "$work/report.txt"
# abidiff's exit status is a bit set: 1 error, 2 usage error, 4 ABI change, 8 incompatible change.
if (( rc & 3 )); then echo "abi: abidiff failed (status $rc)"; exit 1; fi
if (( rc & 8 )); then echo "abi: INCOMPATIBLE change to the released C ABI"; exit 1; fi
if grep -Eq '^(Functions|Variables) changes summary: [1-9][0-9]* Removed|summary: [0-9]+ Removed, [1-9][0-9]* Changed' "$work/report.txt"; then
  echo "abi: a released function, variable or struct layout was removed or changed"
  exit 1
fi
echo "abi: compatible with the released baseline (status $rc: additions only, if any)"
