#!/usr/bin/env bash
# Installs the build tree into a scratch prefix and builds two tiny consumers against it, the way
# integrators do: with CMake's find_package(jamstat) and with pkg-config. Also checks the
# installed shared library's SONAME and that it exports the jamstat_ C ABI and nothing else.
# Usage: check_install.sh BUILD_DIR SOURCE_DIR WORK_DIR LIBDIR "EXTRA_FLAGS"
set -euo pipefail
build="$1"; source="$2"; work="$3"; libdir="$4"; flags="${5:-}"
rm -rf "$work" && mkdir -p "$work"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
lib="$prefix/$libdir/libjamstat.so.1"
[ -e "$prefix/$libdir/libjamstat.a" ] || { echo "no static library installed"; exit 1; }
[ -e "$prefix/include/jamstat/jamstat.h" ] || { echo "no header installed"; exit 1; }
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
[ "$soname" = "libjamstat.so.1" ] || { echo "SONAME is '$soname', expected libjamstat.so.1"; exit 1; }
others=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v -e '^jamstat_' -e '^JAMSTAT_1$' || true)
[ -z "$others" ] || { echo "symbols exported beside the C ABI:"; echo "$others" | head; exit 1; }
exported=$(nm -D --defined-only "$lib" | grep -c ' jamstat_')

# 1. CMake package.
CFLAGS="$flags" CXXFLAGS="$flags" LDFLAGS="$flags" cmake -S "$source/tests/packaging/consumer" -B "$work/cmake-build" \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
LD_LIBRARY_PATH="$prefix/$libdir" "$work/cmake-build/consumer"
"$work/cmake-build/consumer_cpp"

# 2. A C-only project, with jamstat's build dependencies made unfindable: find_package(jamstat)
#    must not need them, and the static library must link from C.
for t in "$prefix/$libdir/cmake/jamstat/"*.cmake; do
  if grep -Eq 'PkgConfig::|Boost::|find_dependency' "$t"; then
    echo "$t refers to a build dependency:"; grep -En 'PkgConfig::|Boost::|find_dependency' "$t" | head; exit 1
  fi
done
CFLAGS="$flags" LDFLAGS="$flags" cmake -S "$source/tests/packaging/consumer_c" -B "$work/c-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON -DCMAKE_DISABLE_FIND_PACKAGE_Eigen3=ON -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON >/dev/null
cmake --build "$work/c-build" >/dev/null
LD_LIBRARY_PATH="$prefix/$libdir" "$work/c-build/consumer_shared"
"$work/c-build/consumer_static"
[ -e "$prefix/share/doc/jamstat/c-abi.md" ] || { echo "docs/ is not installed"; exit 1; }

# 3. pkg-config.
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
[ "$(pkg-config --modversion jamstat)" = "$(grep -m1 -oE 'VERSION [0-9]+\.[0-9]+\.[0-9]+' "$source/CMakeLists.txt" | cut -d' ' -f2)" ] || { echo "pkg-config version mismatch"; exit 1; }
# shellcheck disable=SC2046,SC2086
cc -std=c11 -Wall -Wextra -Werror -pedantic $flags "$source/tests/packaging/consumer/consumer.c" -o "$work/consumer_pc" \
  $(pkg-config --cflags --libs jamstat)
LD_LIBRARY_PATH="$prefix/$libdir" "$work/consumer_pc"
echo "packaging ok: SONAME $soname, $exported jamstat_ symbols exported and nothing else"
