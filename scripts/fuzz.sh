#!/bin/sh
# Builds the libFuzzer targets of tests/fuzz with clang and runs each one
# for FUZZ_SECONDS seconds (default 20), starting from the corpus kept in
# the tree. New inputs go to a temporary folder, never into the tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
seconds=${FUZZ_SECONDS:-20}
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAIRN_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target fuzz_readers_source fuzz_readers_values
for corpus in tests/fuzz/corpus/*/; do
    name=$(basename "$corpus")
    scratch=$(mktemp -d)
    echo "fuzz: $name for $seconds s"
    if ! "build-fuzz/tests/fuzz/$name" -max_total_time="$seconds" -print_final_stats=1 \
        "$scratch" "$corpus" > "$scratch.log" 2>&1; then
        cat "$scratch.log"
        echo "fuzz: $name failed; the crashing input is named above" >&2
        exit 1
    fi
    tail -n 4 "$scratch.log"
    rm -rf "$scratch" "$scratch.log"
done
