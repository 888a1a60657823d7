#!/bin/sh
# Times the key-results engine on the large demo company (10,000
# employees, 1,000,000 orders):
#   - the import of the generated data set, which includes the rollup
#     rebuild (rollups_refresh);
#   - `cairn kpi` for the company over a month, a quarter and a year, and
#     for one region, with hyperfine: warm (page cache filled by warm-up
#     runs) and cold (page cache dropped before each run, root only);
#   - the library over the company and every unit for 12 months, through
#     the bench test tests/unit/test_metrics_bench.c.
# Usage: bench/kpi.sh [BUILD_DIR]   (default: ./build)
# The generated data and database stay in $CAIRN_BENCH_DIR
# (default /tmp/cairn-bench-kpi) for later runs; remove it to start over.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
cairn=$build/cairn
work=${CAIRN_BENCH_DIR:-/tmp/cairn-bench-kpi}
db=$work/large.db
# The demo's data ends on a fixed day (DEMO_LAST_DAY in src/demo/demo.h).
as_of=2026-11-30

command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }
mkdir -p "$work"

echo "== machine"
lscpu | grep -E '^(Model name|CPU\(s\))'
free -h | head -2

if [ ! -f "$db" ]; then
    echo "== generate and import the large demo"
    rm -rf "$work/large"
    /usr/bin/time -f "generate: %e s" "$cairn" demo --out "$work/large" --size large >/dev/null
    "$cairn" --db "$db" init >/dev/null
    /usr/bin/time -f "import with rollups: %e s, max RSS %M KB" \
        "$cairn" --db "$db" import "$work/large" >/dev/null
fi

region=$(awk -F, '$4 == "region" { print $1; exit }' "$work/large/org_units.csv")
kpi="$cairn --db $db kpi --as-of $as_of --format json"

echo "== cairn kpi, warm"
hyperfine --warmup 3 --runs 10 --export-markdown "$work/kpi-warm.md" \
    -n "company month" "$kpi --period 2026-11" \
    -n "company quarter" "$kpi --period 2026-Q3" \
    -n "company year" "$kpi --period 2025" \
    -n "region month" "$kpi --period 2026-11 --scope unit:$region" \
    -n "company partial quarter" "$kpi --period 2026-Q4"

if [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/drop_caches ]; then
    echo "== cairn kpi, cold (page cache dropped before each run)"
    hyperfine --runs 5 --prepare 'sync; echo 3 > /proc/sys/vm/drop_caches' \
        --export-markdown "$work/kpi-cold.md" \
        -n "company month" "$kpi --period 2026-11" \
        -n "company year" "$kpi --period 2025"
else
    echo "== cold runs skipped: dropping the page cache needs root"
fi

echo "== library: company and every unit, 12 months"
CAIRN_BENCH_DB=$db CAIRN_BENCH_AS_OF=$as_of "$build/tests/test_metrics_bench" | grep ' ms'
