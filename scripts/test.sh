#!/bin/sh
# Builds Cairn and runs every test with CTest. With --sanitize, builds in
# build-asan with AddressSanitizer and UndefinedBehaviorSanitizer instead.
# The last line printed is CTest's summary.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/scripts/install-deps.sh"

build=build
flags="-DCMAKE_BUILD_TYPE=RelWithDebInfo"
if [ "${1:-}" = "--sanitize" ]; then
    build=build-asan
    flags="-DCMAKE_BUILD_TYPE=Debug -DCAIRN_SANITIZE=ON"
fi
# shellcheck disable=SC2086
cmake -S . -B "$build" $flags >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)"
