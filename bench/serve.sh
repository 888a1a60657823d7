#!/bin/sh
# Load test of "cairn serve" with wrk on loopback: the overview API
# (GET /api/v1/kpi) of the medium demo company, 64 connections for 30 s,
# once as a general manager (scope company) and once as a team lead
# (scope its team). Prints requests/s, latency percentiles (wrk
# --latency), errors (socket errors and non-2xx responses, which
# serve_errors.lua counts) and the server's resident memory (VmRSS)
# before and after each run.
# Usage: bench/serve.sh [BUILD_DIR]   (default: ./build; use a release build)
# The demo database stays in $CAIRN_BENCH_DIR (default
# /tmp/cairn-bench-serve) for later runs; remove it to start over.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
cairn=$build/cairn
work=${CAIRN_BENCH_DIR:-/tmp/cairn-bench-serve}
db=$work/medium.db
port=${CAIRN_BENCH_PORT:-18080}
base=http://127.0.0.1:$port
duration=${CAIRN_BENCH_SECONDS:-30}
password=bench-password-1
# The demo's data ends on a fixed day (DEMO_LAST_DAY in src/demo/demo.h).
period=2026-11
as_of=2026-11-30

for tool in wrk curl; do
    command -v $tool >/dev/null || { echo "$tool is missing: apt-get install $tool" >&2; exit 1; }
done
mkdir -p "$work"

echo "== machine"
lscpu | grep -E '^(Model name|CPU\(s\))'
free -h | head -2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ ! -f "$db" ]; then
    echo "== generate and import the medium demo"
    rm -rf "$work/medium"
    "$cairn" demo --out "$work/medium" --size medium >/dev/null
    "$cairn" --db "$db" init >/dev/null
    "$cairn" --db "$db" import "$work/medium" >/dev/null
fi
team=$(awk -F, '$4 == "team" { print $1; exit }' "$work/medium/org_units.csv")
for login in bench_gm bench_lead; do
    "$cairn" --db "$db" user remove "$login" >/dev/null 2>&1 || true
done
echo "$password" | "$cairn" --db "$db" user add bench_gm --role gm >/dev/null
echo "$password" | "$cairn" --db "$db" user add bench_lead --role team_lead --scope "unit:$team" >/dev/null

"$cairn" --db "$db" serve --listen "127.0.0.1:$port" >"$work/serve.out" 2>"$work/serve.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    curl -s -o /dev/null "$base/" && break
    sleep 0.2
done

rss() {
    awk '/^VmRSS/ { print $2 " kB" }' "/proc/$pid/status"
}

# Logs in and prints the session cookie "cairn_session=TOKEN".
log_in() {
    curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"login\":\"$1\",\"password\":\"$password\"}" "$base/api/v1/session" |
        sed -n 's/^Set-Cookie: \(cairn_session=[0-9a-f]*\).*/\1/ip'
}

run() { # name login scope
    cookie=$(log_in "$2")
    [ -n "$cookie" ] || { echo "login of $2 failed: no session cookie in the response" >&2; exit 1; }
    url="$base/api/v1/kpi?period=$period&scope=$3&as_of=$as_of"
    # The first request computes the response, and wrk's are served from the cache.
    set -- "$@" $(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Cookie: $cookie" "$url")
    [ "$4" = 200 ] || { echo "GET $url failed with HTTP status $4" >&2; exit 1; }
    echo "first (uncached) response: $5 s"
    echo "== $1: GET /api/v1/kpi?period=$period&scope=$3, 64 connections, ${duration} s"
    echo "RSS before: $(rss)"
    wrk -t2 -c64 -d"${duration}s" --latency -s "$top/bench/serve_errors.lua" \
        -H "Cookie: $cookie" "$url"
    echo "RSS after: $(rss)"
}

run "general manager" bench_gm company
run "team lead" bench_lead "unit:$team"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
