#!/usr/bin/python3
"""Compute some company key results with pandas and compare with cairn.

Reads the canonical orders.csv and employees.csv of a data set (the large
demo written by bench/kpi.sh), computes for one month the company's sales,
year-on-year and period-on-period growth, new and active customers, the
top-20 % customer share, the repurchase rate and the headcount as the
metric definitions give them, and prints the time to load the CSV files
apart from the time to compute. With --cairn and --db it also runs
`cairn kpi` for the same month and prints both values side by side.

Order dates in the demo are plain dates, so no time-zone conversion is
done here. Uses Debian's python3-pandas.

Usage: bench/kpi_pandas.py DATA_DIR --month 2026-11 --as-of 2026-11-30
       [--cairn build/cairn --db /tmp/cairn-bench-kpi/large.db]
"""
import argparse
import json
import math
import subprocess
import time

import pandas as pd


def month_span(month):
    start = pd.Timestamp(month + "-01")
    return start, start + pd.offsets.MonthBegin(1)


def shift_months(month, n):
    start = pd.Timestamp(month + "-01") + pd.DateOffset(months=n)
    return start.strftime("%Y-%m")


def compute(orders, employees, month, as_of):
    start, end = month_span(month)
    as_of = pd.Timestamp(as_of)
    orders = orders[orders.order_date <= as_of]
    last = min(end - pd.Timedelta(days=1), as_of)

    # Sales contribution: completed as signed, refunded as minus |amount|.
    contrib = orders.amount_fen.where(orders.status == "completed", 0)
    contrib = contrib.where(orders.status != "refunded", -orders.amount_fen.abs())
    orders = orders.assign(contrib=contrib)
    purchases = orders[(orders.status == "completed") & (orders.amount_fen > 0)]

    def sales(a, b):
        rows = orders[(orders.order_date >= a) & (orders.order_date <= b)]
        return int(rows.contrib.sum())

    in_p = orders[(orders.order_date >= start) & (orders.order_date <= last)]
    total = sales(start, last)
    year_start, year_end = month_span(shift_months(month, -12))
    prev_start, prev_end = month_span(shift_months(month, -1))
    result = {"sales": total / 100}
    base = sales(year_start, year_end - pd.Timedelta(days=1))
    result["sales_yoy"] = total / base - 1 if base else None
    base = sales(prev_start, prev_end - pd.Timedelta(days=1))
    result["sales_pop"] = total / base - 1 if base else None

    # First purchase per customer: earliest day, then lowest order_id.
    firsts = purchases.dropna(subset=["customer_id"]).sort_values(["order_date", "order_id"])
    firsts = firsts.drop_duplicates("customer_id")
    result["new_customers"] = int(((firsts.order_date >= start) & (firsts.order_date <= last)).sum())
    p_buyers = purchases[(purchases.order_date >= start) & (purchases.order_date <= last)]
    p_buyers = set(p_buyers.customer_id.dropna())
    result["active_customers"] = len(p_buyers)

    per_customer = in_p.dropna(subset=["customer_id"]).groupby("customer_id").contrib.sum()
    positive = per_customer[per_customer > 0].sort_values(ascending=False)
    top = positive.iloc[: math.ceil(len(positive) * 0.2)].sum() if len(positive) else 0
    result["top20_customer_share"] = top / total if total else None

    before_start = pd.Timestamp(shift_months(month, -12) + "-01")
    before = purchases[(purchases.order_date >= before_start) & (purchases.order_date < start)]
    base_customers = set(before.customer_id.dropna())
    kept = len(base_customers & p_buyers)
    result["repurchase_rate"] = kept / len(base_customers) if base_customers else None

    hired = employees.hire_date <= last
    staying = employees.leave_date.isna() | (employees.leave_date >= last)
    result["headcount"] = int((hired & staying).sum())
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("--month", required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--cairn")
    parser.add_argument("--db")
    args = parser.parse_args()

    t0 = time.perf_counter()
    orders = pd.read_csv(f"{args.data_dir}/orders.csv", dtype={"order_id": str, "customer_id": str,
                         "employee_id": str, "amount": str, "status": str, "order_date": str})
    employees = pd.read_csv(f"{args.data_dir}/employees.csv", dtype=str)
    t1 = time.perf_counter()
    # Money as integer fen, parsed from the decimal text so no float rounding enters.
    whole = orders.amount.str.split(".", n=1, expand=True)
    frac = whole[1].fillna("0").str.ljust(2, "0").astype("int64") if whole.shape[1] > 1 else 0
    sign = orders.amount.str.startswith("-").map({True: -1, False: 1})
    orders["amount_fen"] = whole[0].astype("int64").abs() * 100 + frac
    orders["amount_fen"] *= sign
    orders["order_date"] = pd.to_datetime(orders.order_date.str[:10])
    orders["status"] = orders.status.fillna("completed")
    employees["hire_date"] = pd.to_datetime(employees.hire_date)
    employees["leave_date"] = pd.to_datetime(employees.leave_date)
    t2 = time.perf_counter()
    result = compute(orders, employees, args.month, args.as_of)
    t3 = time.perf_counter()

    print(f"load CSV: {t1 - t0:.2f} s, convert: {t2 - t1:.2f} s, compute: {t3 - t2:.2f} s")
    cairn = {}
    if args.cairn and args.db:
        t4 = time.perf_counter()
        out = subprocess.run([args.cairn, "--db", args.db, "kpi", "--period", args.month,
                              "--as-of", args.as_of, "--format", "json"],
                             check=True, capture_output=True, text=True).stdout
        print(f"cairn kpi (every metric, from the database): {time.perf_counter() - t4:.2f} s")
        cairn = json.loads(out)["metrics"]
    for name, value in result.items():
        other = cairn.get(name, "")
        same = "" if not cairn else ("same" if other == value or (
            isinstance(value, float) and isinstance(other, float)
            and abs(value - other) <= 1e-12 * max(1.0, abs(value))) else "DIFFERENT")
        print(f"{name:24} pandas {value!s:>22} cairn {other!s:>22} {same}")


if __name__ == "__main__":
    main()
