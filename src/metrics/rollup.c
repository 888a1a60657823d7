/*
 * Rollup maintenance: rebuilds every rollup table from the orders, the
 * organisation and the customers in one pass over the orders, then the
 * visit and survey rollups (rollup_events.c).
 *
 * Each order becomes a record (day, customer, seller, seller's unit that
 * day, sales contribution, purchase or not); the records are sorted and
 * merged into per-seller and per-customer sums by day and by month, and
 * each customer's first purchase is kept. The unit is resolved here with
 * the same rule the scorecards use (org_unit_at), so a scorecard reads
 * units straight from the rollups. The whole rebuild runs inside the
 * caller's transaction.
 *
 * NOTE: the rebuild is full, not incremental; on a million orders it
 * takes a few seconds (see docs/benchmarks.md).
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/org.h"
#include "metrics/rollup.h"
#include "metrics/rollup_events.h"
#include "util/xalloc.h"

struct order_rec {
    cdate day;
    int customer; /* ckey, -1 for none */
    int seller;   /* ekey, -1 for none */
    int unit;     /* ukey, -1 for none */
    int64_t sales;
    int64_t purchases;
};

struct first_purchase {
    cdate day; /* DATE_NONE: no purchase yet */
    char *order_id;
    int seller;
    int unit;
};

struct customer_ids {
    char **ids;
    size_t n;
};

static int compare_id(const void *key, const void *elem)
{
    return strcmp(key, *(char *const *)elem);
}

static int customer_rank(const struct customer_ids *c, const char *id)
{
    char **hit;

    if (!id || !c->n)
        return -1;
    hit = bsearch(id, c->ids, c->n, sizeof(*c->ids), compare_id);
    return hit ? (int)(hit - c->ids) : -1;
}

/* The signed contribution of an order to sales, in fen. */
static int64_t sales_contribution(const char *status, int64_t amount)
{
    if (!strcmp(status, "completed"))
        return amount;
    if (!strcmp(status, "refunded"))
        return amount < 0 ? amount : -amount;
    return 0;
}

static int load_customer_ids(struct db *db, struct customer_ids *c, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "SELECT customer_id FROM customers ORDER BY customer_id", err);
    struct db_stmt *ins = st ? db_prepare(db, "INSERT INTO rollup_customers VALUES (?, ?)", err) : NULL;
    size_t alloc = 0;
    int step = DB_ERROR;

    if (!ins)
        goto out;
    while ((step = db_step(st, err)) == DB_ROW) {
        XGROW(c->ids, alloc, c->n + 1);
        c->ids[c->n] = xstrdup(db_column_text(st, 0));
        db_bind_int64(ins, 1, (int64_t)c->n);
        db_bind_text(ins, 2, c->ids[c->n]);
        c->n++;
        if (db_step(ins, err) == DB_ERROR) {
            step = DB_ERROR;
            break;
        }
        db_reset(ins);
    }
out:
    db_finalize(st);
    db_finalize(ins);
    return step == DB_ERROR ? -1 : 0;
}

/* Reads every order into records and finds each customer's first
 * purchase (earliest day, then lowest order_id). */
static int read_orders(struct db *db, const struct org *org, const struct customer_ids *cust,
                       struct order_rec **recs, size_t *nrecs, struct first_purchase *first,
                       struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT order_date, customer_id, employee_id, amount, status,"
                                    " order_id FROM orders",
                                    err);
    size_t alloc = 0;
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        struct order_rec r;
        const char *date = db_column_text(st, 0), *order_id = db_column_text(st, 5);

        if (date_parse(date, &r.day))
            continue; /* stored dates are validated on import */
        r.customer = customer_rank(cust, db_column_text(st, 1));
        r.seller = org_employee_rank(org, db_column_text(st, 2));
        r.unit = r.seller >= 0 ? org_unit_at(org, r.seller, r.day) : -1;
        r.sales = sales_contribution(db_column_text(st, 4), db_column_int64(st, 3));
        r.purchases = !strcmp(db_column_text(st, 4), "completed") && db_column_int64(st, 3) > 0;
        if (!r.sales && !r.purchases)
            continue;
        if (r.purchases && r.customer >= 0) {
            struct first_purchase *f = &first[r.customer];

            if (f->day == DATE_NONE || r.day < f->day ||
                (r.day == f->day && strcmp(order_id, f->order_id) < 0)) {
                free(f->order_id);
                f->order_id = xstrdup(order_id);
                f->day = r.day;
                f->seller = r.seller;
                f->unit = r.unit;
            }
        }
        XGROW(*recs, alloc, *nrecs + 1);
        (*recs)[(*nrecs)++] = r;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

static int compare_int(int a, int b)
{
    return a < b ? -1 : a > b;
}

/* Orders records by (day, seller): the seller's unit follows from both. */
static int compare_seller_day(const void *pa, const void *pb)
{
    const struct order_rec *a = pa, *b = pb;

    return a->day != b->day ? compare_int(a->day, b->day) : compare_int(a->seller, b->seller);
}

static int compare_customer_day(const void *pa, const void *pb)
{
    const struct order_rec *a = pa, *b = pb;

    if (a->day != b->day)
        return compare_int(a->day, b->day);
    if (a->customer != b->customer)
        return compare_int(a->customer, b->customer);
    return compare_int(a->seller, b->seller);
}

/* For month records, day holds the month index. */
static int compare_seller_month(const void *pa, const void *pb)
{
    const struct order_rec *a = pa, *b = pb;

    if (a->day != b->day)
        return compare_int(a->day, b->day);
    if (a->seller != b->seller)
        return compare_int(a->seller, b->seller);
    return compare_int(a->unit, b->unit);
}

static int compare_customer_month(const void *pa, const void *pb)
{
    const struct order_rec *a = pa, *b = pb;

    if (a->day != b->day)
        return compare_int(a->day, b->day);
    if (a->customer != b->customer)
        return compare_int(a->customer, b->customer);
    if (a->seller != b->seller)
        return compare_int(a->seller, b->seller);
    return compare_int(a->unit, b->unit);
}

/* Sorts records, merges neighbours that compare equal by summing them,
 * and returns the new count. */
static size_t sort_merge(struct order_rec *recs, size_t n, int (*cmp)(const void *, const void *))
{
    size_t out = 0;

    if (!n)
        return 0;
    qsort(recs, n, sizeof(*recs), cmp);
    for (size_t i = 1; i < n; i++) {
        if (!cmp(&recs[out], &recs[i])) {
            recs[out].sales += recs[i].sales;
            recs[out].purchases += recs[i].purchases;
        } else {
            recs[++out] = recs[i];
        }
    }
    return out + 1;
}

/* Inserts records with the columns the SQL names, in this order: day (or
 * month), then customer when with_customer, seller, unit, sales,
 * purchases. */
static int insert_recs(struct db *db, const char *sql, const struct order_rec *recs, size_t n,
                       bool with_customer, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, sql, err);
    int rc = 0;

    if (!st)
        return -1;
    for (size_t i = 0; i < n && !rc; i++) {
        int col = 1;

        db_bind_int64(st, col++, recs[i].day);
        if (with_customer)
            db_bind_int64(st, col++, recs[i].customer);
        db_bind_int64(st, col++, recs[i].seller);
        db_bind_int64(st, col++, recs[i].unit);
        db_bind_int64(st, col++, recs[i].sales);
        db_bind_int64(st, col++, recs[i].purchases);
        if (db_step(st, err) == DB_ERROR)
            rc = -1;
        db_reset(st);
    }
    db_finalize(st);
    return rc;
}

static int write_seller_rollups(struct db *db, struct order_rec *recs, size_t n, struct strbuf *err)
{
    size_t days = sort_merge(recs, n, compare_seller_day);

    if (insert_recs(db, "INSERT INTO rollup_seller_day VALUES (?, ?, ?, ?, ?)", recs, days, false,
                    err))
        return -1;
    for (size_t i = 0; i < days; i++)
        recs[i].day = date_month_index(recs[i].day);
    days = sort_merge(recs, days, compare_seller_month);
    return insert_recs(db, "INSERT INTO rollup_seller_month VALUES (?, ?, ?, ?, ?)", recs, days,
                       false, err);
}

static int write_customer_rollups(struct db *db, struct order_rec *recs, size_t n,
                                  struct strbuf *err)
{
    size_t kept = 0, days;

    for (size_t i = 0; i < n; i++)
        if (recs[i].customer >= 0)
            recs[kept++] = recs[i];
    days = sort_merge(recs, kept, compare_customer_day);
    if (insert_recs(db, "INSERT INTO rollup_customer_day VALUES (?, ?, ?, ?, ?, ?)", recs, days,
                    true, err))
        return -1;
    for (size_t i = 0; i < days; i++)
        recs[i].day = date_month_index(recs[i].day);
    days = sort_merge(recs, days, compare_customer_month);
    return insert_recs(db, "INSERT INTO rollup_customer_month VALUES (?, ?, ?, ?, ?, ?)", recs,
                       days, true, err);
}

static int write_first_purchases(struct db *db, const struct first_purchase *first, size_t n,
                                 struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "INSERT INTO rollup_first_purchase VALUES (?, ?, ?, ?)", err);
    int rc = 0;

    if (!st)
        return -1;
    for (size_t i = 0; i < n && !rc; i++) {
        if (first[i].day == DATE_NONE)
            continue;
        db_bind_int64(st, 1, (int64_t)i);
        db_bind_int64(st, 2, first[i].day);
        db_bind_int64(st, 3, first[i].seller);
        db_bind_int64(st, 4, first[i].unit);
        if (db_step(st, err) == DB_ERROR)
            rc = -1;
        db_reset(st);
    }
    db_finalize(st);
    return rc;
}

int rollups_refresh(struct db *db, struct strbuf *err)
{
    struct org org;
    struct customer_ids cust = {0};
    struct first_purchase *first = NULL;
    struct order_rec *recs = NULL, *copy = NULL;
    size_t nrecs = 0;
    int rc = -1;

    /* Start from empty rollups and the current organisation. */
    if (org_load(db, &org, err) ||
        db_exec(db,
                "DELETE FROM rollup_customers; DELETE FROM rollup_seller_day;"
                "DELETE FROM rollup_seller_month; DELETE FROM rollup_customer_day;"
                "DELETE FROM rollup_customer_month; DELETE FROM rollup_first_purchase;",
                err) ||
        load_customer_ids(db, &cust, err))
        goto out;

    /* One pass over the orders. */
    first = xcalloc(cust.n + 1, sizeof(*first));
    for (size_t i = 0; i < cust.n; i++)
        first[i].day = DATE_NONE;
    if (read_orders(db, &org, &cust, &recs, &nrecs, first, err))
        goto out;

    /* The seller sums reorder the records, so the customer sums work on
     * a copy. */
    copy = xmalloc((nrecs + 1) * sizeof(*copy));
    if (nrecs)
        memcpy(copy, recs, nrecs * sizeof(*copy));
    if (write_seller_rollups(db, recs, nrecs, err) ||
        write_customer_rollups(db, copy, nrecs, err) ||
        write_first_purchases(db, first, cust.n, err) ||
        rollups_refresh_events(db, &org, cust.ids, cust.n, err) ||
        db_exec(db, "INSERT OR REPLACE INTO meta VALUES ('rollups_stale', '0')", err))
        goto out;
    rc = 0;
out:
    for (size_t i = 0; i < cust.n; i++) {
        free(cust.ids[i]);
        if (first)
            free(first[i].order_id);
    }
    free(cust.ids);
    free(first);
    free(recs);
    free(copy);
    org_free(&org);
    return rc;
}

int rollups_ensure_fresh(struct db *db, struct strbuf *err)
{
    int64_t stale = 0;

    if (db_query_int64(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'rollups_stale'", 0,
                       &stale, err))
        return -1;
    if (!stale)
        return 0;
    if (db_begin(db, err))
        return -1;
    if (rollups_refresh(db, err) || db_commit(db, err)) {
        db_rollback(db);
        return -1;
    }
    return 0;
}
