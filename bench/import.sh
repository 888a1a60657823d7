#!/bin/sh
# Import speed: the large demo's orders.csv (1,000,000 rows) imported by
# "cairn import" into a database that already holds the rest of the demo
# company, against "sqlite3 .import" of the same file into a table with the
# CSV's own columns, the same primary key and the same secondary indexes as
# Cairn's orders table. Prints the medians of hyperfine runs, their ratio
# and each command's peak resident memory, as Markdown for
# docs/benchmarks.md.
. "$(dirname "$0")/common.sh"
need hyperfine
need sqlite3
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (package time)" >&2; exit 1; }
runs=${RUNS:-3}
data=$(large_dataset)

# A database with every file but orders, copied afresh before each run,
# made again by each new build (whose schema may be newer).
if [ -f "$work/base.db" ] && [ "$cairn" -nt "$work/base.db" ]; then
    rm -f "$work/base.db"
fi
if [ ! -f "$work/base.db" ]; then
    mkdir -p "$work/no-orders"
    for f in "$data"/*.csv; do
        [ "$(basename "$f")" = orders.csv ] || ln -sf "$f" "$work/no-orders/"
    done
    rm -f "$work/base.db"
    "$cairn" --db "$work/base.db" init >/dev/null
    "$cairn" --db "$work/base.db" import "$work/no-orders" >/dev/null
fi

cat > "$work/sqlite-schema.sql" <<'SQL'
CREATE TABLE orders (order_id TEXT PRIMARY KEY, order_date TEXT NOT NULL,
  customer_id TEXT, employee_id TEXT, amount TEXT NOT NULL, product TEXT, status TEXT);
CREATE INDEX orders_employee_date ON orders(employee_id, order_date);
CREATE INDEX orders_customer_date ON orders(customer_id, order_date);
CREATE INDEX orders_date ON orders(order_date);
SQL

# Each run starts after sync, so that the copy made by --prepare (and the
# previous run's writes) are on disk and do not compete with the run.
hyperfine --runs "$runs" --export-json "$work/import.json" \
    --prepare "cp $work/base.db $work/run.db; rm -f $work/run.db-wal $work/run.db-shm; sync" \
    -n cairn "$cairn --db $work/run.db import $data/orders.csv" \
    --prepare "rm -f $work/sqlite.db; sqlite3 $work/sqlite.db < $work/sqlite-schema.sql; sync" \
    -n sqlite3 "sqlite3 $work/sqlite.db '.import --csv --skip 1 $data/orders.csv orders'" >&2

cp "$work/base.db" "$work/run.db"
rm -f "$work/run.db-wal" "$work/run.db-shm"
cairn_kb=$(/usr/bin/time -f %M "$cairn" --db "$work/run.db" import "$data/orders.csv" 2>&1 >/dev/null | tail -1)
rm -f "$work/sqlite.db"
sqlite3 "$work/sqlite.db" < "$work/sqlite-schema.sql"
sqlite_kb=$(/usr/bin/time -f %M sqlite3 "$work/sqlite.db" ".import --csv --skip 1 $data/orders.csv orders" 2>&1 >/dev/null | tail -1)

python3 - "$work/import.json" "$cairn_kb" "$sqlite_kb" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
c, s = res["cairn"]["median"], res["sqlite3"]["median"]
print("| command | median (s) | peak RSS (MiB) |")
print("|---|---|---|")
print(f"| cairn import orders.csv | {c:.2f} | {int(sys.argv[2]) / 1024:.0f} |")
print(f"| sqlite3 .import orders.csv | {s:.2f} | {int(sys.argv[3]) / 1024:.0f} |")
print(f"\nsqlite3 / cairn = {s / c:.2f} (above 1: cairn is faster)")
PY
echo
machine
