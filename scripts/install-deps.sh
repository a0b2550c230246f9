#!/usr/bin/env bash
# Installs the Debian packages jamstat builds and tests with. Idempotent and non-interactive:
# does nothing when every package is already installed. Needs root (or sudo) otherwise.
set -euo pipefail
packages=(build-essential cmake pkg-config libboost-dev libeigen3-dev libgtest-dev libbenchmark-dev libsodium-dev libxxhash-dev
          abigail-tools clang libclang-rt-14-dev
          # io and the command line: the schema file, arguments
          nlohmann-json3-dev libcli11-dev
          # disclosure control: linear programming for secondary suppression and the audit
          coinor-libclp-dev coinor-libcbc-dev
          # the report's browser test
          chromium
          # bindings' tests: Python (ctypes), Java (JNA), .NET (Mono)
          python3 python3-pytest python3-numpy python3-pandas python3-scipy
          default-jdk-headless libjna-java junit5 mono-devel)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
