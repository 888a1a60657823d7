/*
 * Sales and customer metrics, read from the order rollups: sales and
 * its like-for-like growth, top-performer retention, new and active
 * customers, the top-20 % customer share and the repurchase rate. A span
 * of days is read from the month rollups for its whole months and from
 * the day rollups for a month it covers only in part (a partial period).
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/engine.h"
#include "util/xalloc.h"

/*
 * Calls fn for every row of the rollup pair (month_table, day_table)
 * within [a, b]: columns are the select list after the day or month.
 * Whole months of the span come from the month table, other days from
 * the day table.
 */
static int read_span(struct db *db, const char *select, const char *month_table,
                     const char *day_table, cdate a, cdate b,
                     void (*fn)(void *ctx, struct db_stmt *st), void *ctx, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    struct db_stmt *months = NULL, *days = NULL;
    int rc = -1;

    sb_setf(&sql, "SELECT %s FROM %s WHERE month BETWEEN ? AND ?", select, month_table);
    months = db_prepare(db, sql.buf, err);
    sb_setf(&sql, "SELECT %s FROM %s WHERE day BETWEEN ? AND ?", select, day_table);
    days = months ? db_prepare(db, sql.buf, err) : NULL;
    if (!days)
        goto out;

    for (int m = date_month_index(a); a <= b && m <= date_month_index(b); m++) {
        cdate first = date_month_first(m), last = date_month_last(m);
        cdate from = a > first ? a : first, to = b < last ? b : last;
        struct db_stmt *st = from == first && to == last ? months : days;
        int step;

        db_bind_int64(st, 1, st == months ? m : from);
        db_bind_int64(st, 2, st == months ? m : to);
        while ((step = db_step(st, err)) == DB_ROW)
            fn(ctx, st);
        db_reset(st);
        if (step == DB_ERROR)
            goto out;
    }
    rc = 0;
out:
    db_finalize(months);
    db_finalize(days);
    sb_release(&sql);
    return rc;
}

struct sales_ctx {
    struct engine_run *run;
    size_t field;
};

static void add_sales_row(void *ctx, struct db_stmt *st)
{
    struct sales_ctx *c = ctx;
    size_t slots[ORG_MAX_CHAIN + 2];
    int n = org_slots(&c->run->en->org, (int)db_column_int64(st, 0), (int)db_column_int64(st, 1),
                      slots);

    acc_add(c->run, slots, n, c->field, db_column_int64(st, 2));
}

static void add_seller_row(void *ctx, struct db_stmt *st)
{
    struct seller_month *month = ctx;

    XGROW(month->rows, month->alloc, month->n + 1);
    month->rows[month->n].seller = (int)db_column_int64(st, 0);
    month->rows[month->n].unit = (int)db_column_int64(st, 1);
    month->rows[month->n].sales = db_column_int64(st, 2);
    month->n++;
}

/* The seller rows of whole month m, read once per engine. */
static const struct seller_month *month_seller_rows(struct engine_run *run, int m,
                                                    struct strbuf *err)
{
    struct engine *en = run->en;
    struct seller_month *entry;

    for (size_t i = 0; i < en->nseller_cache; i++)
        if (en->seller_cache[i].month == m)
            return &en->seller_cache[i];
    XGROW(en->seller_cache, en->seller_cache_alloc, en->nseller_cache + 1);
    entry = &en->seller_cache[en->nseller_cache];
    memset(entry, 0, sizeof(*entry));
    entry->month = m;
    if (read_span(en->db, "ekey, ukey, sales", "rollup_seller_month", "rollup_seller_day",
                  date_month_first(m), date_month_last(m), add_seller_row, entry, err)) {
        free(entry->rows);
        return NULL;
    }
    en->nseller_cache++;
    return entry;
}

int engine_sum_sales(struct engine_run *run, cdate a, cdate b, size_t field, struct strbuf *err)
{
    struct sales_ctx ctx = {run, field};

    for (int m = date_month_index(a); a <= b && m <= date_month_index(b); m++) {
        cdate first = date_month_first(m), last = date_month_last(m);
        cdate from = a > first ? a : first, to = b < last ? b : last;
        const struct seller_month *cached;

        if (from != first || to != last) {
            if (read_span(run->en->db, "ekey, ukey, sales", "rollup_seller_month",
                          "rollup_seller_day", from, to, add_sales_row, &ctx, err))
                return -1;
            continue;
        }
        cached = month_seller_rows(run, m, err);
        if (!cached)
            return -1;
        for (size_t i = 0; i < cached->n; i++) {
            size_t slots[ORG_MAX_CHAIN + 2];
            int n = org_slots(&run->en->org, cached->rows[i].seller, cached->rows[i].unit, slots);

            acc_add(run, slots, n, field, cached->rows[i].sales);
        }
    }
    return 0;
}

/*
 * Top-performer retention. Candidates are the employees of a slot on the
 * first day of P with sales credited to them in the 12 months before P;
 * the top ceil(20 %) by those sales (ties by id) form the top set.
 */
static int top_performers(struct engine_run *run, struct strbuf *err)
{
    const struct org *org = &run->en->org;
    struct ranked_list *lists;
    int64_t *sales12 = xcalloc(org->nemployees + 1, sizeof(*sales12));
    int rc = -1;

    /* Sales credited to each employee in the 12 months before P. */
    lists = xcalloc(run->nslots, sizeof(*lists));
    for (int m = run->p.first_month - 12; m < run->p.first_month; m++) {
        const struct seller_month *cached = month_seller_rows(run, m, err);

        if (!cached)
            goto out;
        for (size_t i = 0; i < cached->n; i++)
            if (cached->rows[i].seller >= 0 && (size_t)cached->rows[i].seller < org->nemployees)
                sales12[cached->rows[i].seller] += cached->rows[i].sales;
    }

    /* Each candidate joins the ranking of every wanted slot it belongs to. */
    for (size_t e = 0; e < org->nemployees; e++) {
        size_t slots[ORG_MAX_CHAIN + 2];
        int n;

        if (sales12[e] <= 0 || !org_employed(org, (int)e, run->p.start))
            continue;
        n = org_slots(org, (int)e, org_unit_at(org, (int)e, run->p.start), slots);
        for (int i = 0; i < n; i++)
            if (run->want[slots[i]])
                ranked_push(&lists[slots[i]], (int)e, sales12[e]);
    }
    for (size_t s = 0; s < run->nslots; s++) {
        size_t top = (lists[s].n + 4) / 5;

        if (!lists[s].n)
            continue;
        ranked_sort(&lists[s]);
        run->acc[s].top_set = (int64_t)top;
        for (size_t i = 0; i < top; i++)
            run->acc[s].top_kept += org_employed(org, lists[s].items[i].subject, run->last);
        for (size_t i = 0; run->en->top_out && s == run->en->top_slot && i < top; i++)
            ranked_push(run->en->top_out, lists[s].items[i].subject, lists[s].items[i].value);
    }
    rc = 0;
out:
    for (size_t s = 0; s < run->nslots; s++)
        free(lists[s].items);
    free(lists);
    free(sales12);
    return rc;
}

int engine_sales(struct engine_run *run, struct strbuf *err)
{
    struct period year = period_year_before(&run->p), prev = period_shift(&run->p, -1);
    cdate as_of = run->en->as_of;
    cdate year_last = year.end - 1, prev_last = prev.end - 1;

    if (!run->en->has[SRC_ORDERS])
        return 0;

    /* Like for like: in a partial period the comparison spans end on the
     * as-of date moved back, clamped to the end of its month. */
    if (run->partial) {
        year_last = date_add_months_clamped(as_of, -12);
        prev_last = date_add_months_clamped(as_of, -run->p.months);
    }
    if (engine_sum_sales(run, run->p.start, run->last, ACC(sales), err) ||
        engine_sum_sales(run, year.start, year_last, ACC(sales_year_before), err) ||
        engine_sum_sales(run, prev.start, prev_last, ACC(sales_period_before), err))
        return -1;
    if (run->en->has[SRC_EMPLOYEES])
        return top_performers(run, err);
    return 0;
}

static void add_customer_row(void *ctx, struct db_stmt *st)
{
    struct customer_rows *rows = ctx;
    struct customer_row *r;

    XGROW(rows->rows, rows->alloc, rows->n + 1);
    r = &rows->rows[rows->n++];
    r->customer = (int)db_column_int64(st, 0);
    r->seller = (int)db_column_int64(st, 1);
    r->unit = (int)db_column_int64(st, 2);
    r->sales = db_column_int64(st, 3);
    r->purchases = db_column_int64(st, 4);
}

/* Groups rows by customer with a counting sort: ckeys are dense ranks
 * below ncustomers. Rows keep their order within a customer. */
static void group_by_customer(struct customer_rows *rows, size_t ncustomers)
{
    size_t *start = xcalloc(ncustomers + 2, sizeof(*start));
    struct customer_row *sorted = xmalloc((rows->n + 1) * sizeof(*sorted));

    for (size_t i = 0; i < rows->n; i++)
        start[(size_t)rows->rows[i].customer + 1]++;
    for (size_t c = 1; c <= ncustomers; c++)
        start[c] += start[c - 1];
    for (size_t i = 0; i < rows->n; i++)
        sorted[start[rows->rows[i].customer]++] = rows->rows[i];
    free(rows->rows);
    rows->rows = sorted;
    rows->alloc = rows->n + 1;
    free(start);
}

#define CUSTOMER_COLUMNS "ckey, ekey, ukey, sales, purchases"

/* The customer rows of whole month m, read once per engine. */
static const struct customer_rows *month_customer_rows(struct engine_run *run, int m,
                                                       struct strbuf *err)
{
    struct engine *en = run->en;
    struct month_rows *entry;

    for (size_t i = 0; i < en->nmonth_cache; i++)
        if (en->month_cache[i].month == m)
            return &en->month_cache[i].rows;
    XGROW(en->month_cache, en->month_cache_alloc, en->nmonth_cache + 1);
    entry = &en->month_cache[en->nmonth_cache];
    memset(entry, 0, sizeof(*entry));
    entry->month = m;
    if (read_span(en->db, CUSTOMER_COLUMNS, "rollup_customer_month", "rollup_customer_day",
                  date_month_first(m), date_month_last(m), add_customer_row, &entry->rows, err)) {
        free(entry->rows.rows);
        return NULL;
    }
    en->nmonth_cache++;
    return &entry->rows;
}

/* Reads the customer rows of [a, b], grouped by customer: whole months
 * from the engine's month cache, other days from the day rollup. */
static int read_customer_rows(struct engine_run *run, cdate a, cdate b, struct customer_rows *rows,
                              struct strbuf *err)
{
    size_t kept = 0;

    for (int m = date_month_index(a); a <= b && m <= date_month_index(b); m++) {
        cdate first = date_month_first(m), last = date_month_last(m);
        cdate from = a > first ? a : first, to = b < last ? b : last;
        const struct customer_rows *cached;

        if (from != first || to != last) {
            if (read_span(run->en->db, CUSTOMER_COLUMNS, "rollup_customer_month",
                          "rollup_customer_day", from, to, add_customer_row, rows, err))
                return -1;
            continue;
        }
        cached = month_customer_rows(run, m, err);
        if (!cached)
            return -1;
        XGROW(rows->rows, rows->alloc, rows->n + cached->n + 1);
        if (cached->n)
            memcpy(rows->rows + rows->n, cached->rows, cached->n * sizeof(*rows->rows));
        rows->n += cached->n;
    }

    /* Drop rows whose ckey is out of range (none after a refresh). */
    for (size_t i = 0; i < rows->n; i++)
        if (rows->rows[i].customer >= 0 && (size_t)rows->rows[i].customer < run->en->ncustomers)
            rows->rows[kept++] = rows->rows[i];
    rows->n = kept;
    group_by_customer(rows, run->en->ncustomers);
    return 0;
}

/* Per-slot scratch for one customer at a time: sum_stamp[slot] is the
 * customer whose sales sum[slot] holds, seen_stamp[slot] the customer
 * last counted in the slot. Stamps start at -1. */
struct customer_scratch {
    int *sum_stamp, *seen_stamp;
    int64_t *sum;
    size_t *touched;
    size_t ntouched;
};

static void scratch_init(struct customer_scratch *sc, size_t nslots)
{
    sc->sum_stamp = xmalloc(nslots * sizeof(int));
    sc->seen_stamp = xmalloc(nslots * sizeof(int));
    for (size_t s = 0; s < nslots; s++)
        sc->sum_stamp[s] = sc->seen_stamp[s] = -1;
    sc->sum = xcalloc(nslots, sizeof(*sc->sum));
    sc->touched = xcalloc(nslots, sizeof(*sc->touched));
    sc->ntouched = 0;
}

static void scratch_free(struct customer_scratch *sc)
{
    free(sc->sum_stamp);
    free(sc->seen_stamp);
    free(sc->sum);
    free(sc->touched);
}

/*
 * Active customers and the sales per customer for the top-20 % share,
 * over the rows of P grouped by customer; marks bought[c] for customers
 * with a purchase in P (by any seller or none).
 */
static void active_and_top(struct engine_run *run, const struct customer_rows *rows, bool *bought,
                           struct customer_scratch *sc, struct ranked_list *lists)
{
    const struct org *org = &run->en->org;

    for (size_t i = 0; i < rows->n;) {
        int c = rows->rows[i].customer;

        sc->ntouched = 0;
        for (; i < rows->n && rows->rows[i].customer == c; i++) {
            const struct customer_row *r = &rows->rows[i];
            size_t slots[ORG_MAX_CHAIN + 2];
            int n = org_slots(org, r->seller, r->unit, slots);

            if (r->purchases > 0)
                bought[c] = true;
            for (int k = 0; k < n; k++) {
                size_t s = slots[k];

                if (r->purchases > 0 && sc->seen_stamp[s] != c) {
                    sc->seen_stamp[s] = c;
                    run->acc[s].active_customers++;
                }
                if (!run->want[s])
                    continue;
                if (sc->sum_stamp[s] != c) {
                    sc->sum_stamp[s] = c;
                    sc->sum[s] = 0;
                    sc->touched[sc->ntouched++] = s;
                }
                sc->sum[s] += r->sales;
            }
        }
        for (size_t k = 0; k < sc->ntouched; k++) {
            size_t s = sc->touched[k];

            if (sc->sum[s] > 0)
                ranked_push(&lists[s], c, sc->sum[s]);
        }
    }
}

/* The share of the top ceil(20 %) customers in each wanted slot's sales. */
static void top_customers(struct engine_run *run, struct ranked_list *lists)
{
    for (size_t s = 0; s < run->nslots; s++) {
        size_t top = (lists[s].n + 4) / 5;

        ranked_sort(&lists[s]);
        for (size_t i = 0; i < top; i++)
            run->acc[s].top_customer_sales += lists[s].items[i].value;
    }
}

/* Customers with a purchase attributed to the slot in the 12 months
 * before P, and how many of them bought in P. */
static void repurchase(struct engine_run *run, const struct customer_rows *rows, const bool *bought,
                       struct customer_scratch *sc)
{
    const struct org *org = &run->en->org;

    for (size_t s = 0; s < run->nslots; s++)
        sc->seen_stamp[s] = -1;
    for (size_t i = 0; i < rows->n; i++) {
        const struct customer_row *r = &rows->rows[i];
        size_t slots[ORG_MAX_CHAIN + 2];
        bool kept = bought[r->customer];
        int n;

        if (r->purchases <= 0)
            continue;
        n = org_slots(org, r->seller, r->unit, slots);
        for (int k = 0; k < n; k++) {
            if (sc->seen_stamp[slots[k]] == r->customer)
                continue;
            sc->seen_stamp[slots[k]] = r->customer;
            run->acc[slots[k]].repurchase_base++;
            run->acc[slots[k]].repurchase_kept += kept;
        }
    }
}

/* Customers whose first purchase falls in P, in the scope of that
 * purchase. */
static int new_customers(struct engine_run *run, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(run->en->db,
                                    "SELECT ekey, ukey FROM rollup_first_purchase"
                                    " WHERE day BETWEEN ? AND ?",
                                    err);
    int step;

    if (!st)
        return -1;
    db_bind_int64(st, 1, run->p.start);
    db_bind_int64(st, 2, run->last);
    while ((step = db_step(st, err)) == DB_ROW) {
        size_t slots[ORG_MAX_CHAIN + 2];
        int n = org_slots(&run->en->org, (int)db_column_int64(st, 0), (int)db_column_int64(st, 1),
                          slots);

        acc_add(run, slots, n, ACC(new_customers), 1);
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

int engine_customers(struct engine_run *run, struct strbuf *err)
{
    struct customer_rows in_p = {0}, before = {0};
    struct customer_scratch sc;
    struct ranked_list *lists = xcalloc(run->nslots, sizeof(*lists));
    bool *bought = xcalloc(run->en->ncustomers + 1, sizeof(*bought));
    int rc = -1;

    scratch_init(&sc, run->nslots);
    if (!run->en->has[SRC_ORDERS] || !run->en->has[SRC_CUSTOMERS]) {
        rc = 0;
        goto out;
    }

    /* P itself: active customers, top customers, who bought. */
    if (read_customer_rows(run, run->p.start, run->last, &in_p, err))
        goto out;
    active_and_top(run, &in_p, bought, &sc, lists);
    top_customers(run, lists);

    /* The 12 whole months before P, for the repurchase rate. */
    if (read_customer_rows(run, date_month_first(run->p.first_month - 12), run->p.start - 1,
                           &before, err))
        goto out;
    repurchase(run, &before, bought, &sc);
    rc = new_customers(run, err);
out:
    for (size_t s = 0; s < run->nslots; s++)
        free(lists[s].items);
    free(lists);
    free(bought);
    free(in_p.rows);
    free(before.rows);
    scratch_free(&sc);
    return rc;
}
