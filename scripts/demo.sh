#!/bin/sh
# Builds Cairn and starts the demo company: "cairn demo" with any options
# given to this script (for example --size medium or --listen 0.0.0.0:8080).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/scripts/install-deps.sh"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
exec "$top/build/cairn" demo "$@"
