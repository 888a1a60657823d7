#!/bin/sh
# Import speed and memory by file format: the large demo's orders
# (1,000,000 rows) as UTF-8 CSV, as GB18030 CSV and as an XLSX workbook
# (amounts as numeric cells, like an Excel export), each imported with
# "cairn import --kind orders" into a database holding the rest of the
# company; and the first half of each file, to show how memory grows with
# the file. Prints a Markdown table for docs/benchmarks.md.
. "$(dirname "$0")/common.sh"
need hyperfine
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (package time)" >&2; exit 1; }
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null ||
    { echo "bench: python3-openpyxl is missing (apt-get install python3-openpyxl)" >&2; exit 1; }
runs=${RUNS:-3}
data=$(large_dataset)
fmt=$work/formats
mkdir -p "$fmt"

if [ ! -f "$work/base.db" ]; then
    echo "bench: run bench/import.sh first; it builds $work/base.db" >&2
    exit 1
fi

# The four inputs besides the UTF-8 original: GB18030, XLSX, and halves.
if [ ! -f "$fmt/orders.xlsx" ]; then
    head -n 500001 "$data/orders.csv" > "$fmt/half.csv"
    iconv -f UTF-8 -t GB18030 "$data/orders.csv" > "$fmt/orders-gbk.csv"
    iconv -f UTF-8 -t GB18030 "$fmt/half.csv" > "$fmt/half-gbk.csv"
    /usr/bin/python3 - "$data/orders.csv" "$fmt/orders.xlsx" "$fmt/half.csv" "$fmt/half.xlsx" <<'PY'
import csv, sys
from openpyxl import Workbook
for src, dst in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("orders")
    with open(src, encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        ws.append(next(rows))
        for r in rows:
            r[4] = float(r[4])
            ws.append(r)
    wb.save(dst)
PY
fi

measure() { # name file
    cp "$work/base.db" "$work/fmt.db"
    rm -f "$work/fmt.db-wal" "$work/fmt.db-shm"
    /usr/bin/time -f %M "$cairn" --db "$work/fmt.db" import --kind orders "$2" 2>&1 >/dev/null | tail -1
}

hyperfine --runs "$runs" --export-json "$fmt/formats.json" \
    --prepare "cp $work/base.db $work/fmt.db; rm -f $work/fmt.db-wal $work/fmt.db-shm" \
    -n utf8 "$cairn --db $work/fmt.db import --kind orders $data/orders.csv" \
    -n gb18030 "$cairn --db $work/fmt.db import --kind orders $fmt/orders-gbk.csv" \
    -n xlsx "$cairn --db $work/fmt.db import --kind orders $fmt/orders.xlsx" >&2

rss_utf8=$(measure utf8 "$data/orders.csv")
rss_gbk=$(measure gb18030 "$fmt/orders-gbk.csv")
rss_xlsx=$(measure xlsx "$fmt/orders.xlsx")
rss_utf8_half=$(measure utf8 "$fmt/half.csv")
rss_gbk_half=$(measure gb18030 "$fmt/half-gbk.csv")
rss_xlsx_half=$(measure xlsx "$fmt/half.xlsx")

/usr/bin/python3 - "$fmt/formats.json" "$rss_utf8" "$rss_gbk" "$rss_xlsx" \
    "$rss_utf8_half" "$rss_gbk_half" "$rss_xlsx_half" <<'PY'
import json, sys
res = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
rss = [int(v) / 1024 for v in sys.argv[2:]]
print("| format | median (s), 1M rows | ratio to UTF-8 | peak RSS (MiB), 500k rows | peak RSS (MiB), 1M rows |")
print("|---|---|---|---|---|")
for i, name in enumerate(("utf8", "gb18030", "xlsx")):
    print(f"| {name} | {res[name]:.2f} | {res[name] / res['utf8']:.2f} | {rss[i + 3]:.0f} | {rss[i]:.0f} |")
PY
echo
machine
