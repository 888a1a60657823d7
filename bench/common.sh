# Shared set-up of the benchmark scripts: the build to measure, the work
# folder, and the large demo data set generated once and reused.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cairn=${CAIRN:-$top/build/cairn}
work=${BENCH_DIR:-/tmp/cairn-bench}
mkdir -p "$work"

need() {
    command -v "$1" >/dev/null 2>&1 || {
        echo "bench: $1 is missing; run scripts/install-deps.sh --bench" >&2
        exit 1
    }
}

# The large demo (10,000 employees, 1,000,000 orders) as a canonical data
# set in $work/large; generated once per seed.
large_dataset() {
    if [ ! -f "$work/large/orders.csv" ]; then
        rm -rf "$work/large"
        "$cairn" demo --out "$work/large" --size large --seed 1 >/dev/null
    fi
    echo "$work/large"
}

machine() {
    echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
    echo "- Memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -r)"
    echo "- SQLite $(sqlite3 --version | cut -d' ' -f1), $("$cairn" version)"
}
