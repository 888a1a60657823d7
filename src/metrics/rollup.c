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
 * An import usually refreshes only what it changed (rollup_delta.c); the
 * full rebuild here is its fallback and takes a few seconds on a million
 * orders (see docs/benchmarks.md). When the importer loads an empty
 * orders table, a worker thread computes the records and sums while the
 * rows are written (rollup_ahead.c), and the rebuild only inserts them.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/org.h"
#include "metrics/rollup.h"
#include "metrics/rollup_events.h"
#include "metrics/rollup_orders.h"
#include "util/xalloc.h"

static int compare_id(const void *key, const void *elem)
{
    return strcmp(key, *(char *const *)elem);
}

int customer_rank(const struct customer_ids *c, const char *id)
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

int load_customer_ids(struct db *db, struct customer_ids *c, bool write_table, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "SELECT customer_id FROM customers ORDER BY customer_id", err);
    struct db_stmt *ins = NULL;
    size_t alloc = 0;
    int step = DB_ERROR;

    if (!st)
        return -1;
    if (write_table) {
        ins = db_prepare(db, "INSERT INTO rollup_customers VALUES (?, ?)", err);
        if (!ins)
            goto out;
    }
    while ((step = db_step(st, err)) == DB_ROW) {
        XGROW(c->ids, alloc, c->n + 1);
        c->ids[c->n] = xstrdup(db_column_text(st, 0));
        c->n++;
        if (!ins)
            continue;
        db_bind_int64(ins, 1, (int64_t)c->n - 1);
        db_bind_text(ins, 2, c->ids[c->n - 1]);
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

void free_customer_ids(struct customer_ids *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->ids[i]);
    free(c->ids);
    c->ids = NULL;
    c->n = 0;
}

bool order_fields_record(const struct order_fields *o, const struct org *org,
                         const struct customer_ids *cust, struct order_rec *r)
{
    if (!o->date || date_parse(o->date, &r->day))
        return false; /* stored dates are validated on import */
    r->customer = customer_rank(cust, o->customer_id);
    r->seller = org_employee_rank(org, o->employee_id);
    r->unit = r->seller >= 0 ? org_unit_at(org, r->seller, r->day) : -1;
    r->sales = sales_contribution(o->status, o->amount);
    r->purchases = !strcmp(o->status, "completed") && o->amount > 0;
    return r->sales || r->purchases;
}

bool order_record(struct db_stmt *st, const struct org *org, const struct customer_ids *cust,
                  struct order_rec *r)
{
    struct order_fields o = {
        .date = db_column_text(st, 0),
        .customer_id = db_column_text(st, 1),
        .employee_id = db_column_text(st, 2),
        .amount = db_column_int64(st, 3),
        .status = db_column_text(st, 4),
        .order_id = db_column_text(st, 5),
    };

    return order_fields_record(&o, org, cust, r);
}

void first_purchase_note(struct first_purchase *first, const struct order_rec *r,
                         const char *order_id)
{
    struct first_purchase *f;

    if (!r->purchases || r->customer < 0)
        return;
    f = &first[r->customer];
    if (f->day == DATE_NONE || r->day < f->day ||
        (r->day == f->day && strcmp(order_id, f->order_id) < 0)) {
        free(f->order_id);
        f->order_id = xstrdup(order_id);
        f->day = r->day;
        f->seller = r->seller;
        f->unit = r->unit;
    }
}

/* Reads every order into records and finds each customer's first
 * purchase (earliest day, then lowest order_id). */
static int read_orders(struct db *db, const struct org *org, const struct customer_ids *cust,
                       struct order_recs *recs, struct first_purchase *first, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT order_date, customer_id, employee_id, amount, status,"
                                    " order_id FROM orders",
                                    err);
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        struct order_rec r;
        const char *order_id = db_column_text(st, 5);

        if (!order_record(st, org, cust, &r))
            continue;
        first_purchase_note(first, &r, order_id);
        XGROW(recs->recs, recs->alloc, recs->n + 1);
        recs->recs[recs->n++] = r;
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

/* Rows per INSERT statement: one statement of many rows costs SQLite
 * less per row than one statement per row. */
#define INSERT_BATCH 64

/* Prepares "INSERT INTO table VALUES (?, ...), ..." for rows rows. */
static struct db_stmt *prepare_insert(struct db *db, const char *table, size_t rows,
                                      bool with_customer, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    struct db_stmt *st;

    sb_addf(&sql, "INSERT INTO %s VALUES ", table);
    for (size_t i = 0; i < rows; i++) {
        if (i)
            sb_add(&sql, ", ");
        sb_add(&sql, with_customer ? "(?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)");
    }
    st = db_prepare(db, sql.buf, err);
    sb_release(&sql);
    return st;
}

/* Inserts records into table, whose columns are day (or month), then
 * customer when with_customer, seller, unit, sales, purchases. */
static int insert_recs(struct db *db, const char *table, const struct order_rec *recs, size_t n,
                       bool with_customer, struct strbuf *err)
{
    struct db_stmt *full = NULL, *st = NULL;
    int rc = -1;

    for (size_t i = 0; i < n;) {
        size_t rows = n - i < INSERT_BATCH ? n - i : INSERT_BATCH;
        int col = 1;

        if (rows == INSERT_BATCH && !full)
            full = prepare_insert(db, table, rows, with_customer, err);
        if (rows < INSERT_BATCH)
            st = prepare_insert(db, table, rows, with_customer, err);
        if (rows == INSERT_BATCH ? !full : !st)
            goto out;
        for (size_t k = 0; k < rows; k++, i++) {
            struct db_stmt *target = rows == INSERT_BATCH ? full : st;

            db_bind_int64(target, col++, recs[i].day);
            if (with_customer)
                db_bind_int64(target, col++, recs[i].customer);
            db_bind_int64(target, col++, recs[i].seller);
            db_bind_int64(target, col++, recs[i].unit);
            db_bind_int64(target, col++, recs[i].sales);
            db_bind_int64(target, col++, recs[i].purchases);
        }
        if (db_step(rows == INSERT_BATCH ? full : st, err) == DB_ERROR)
            goto out;
        db_reset(rows == INSERT_BATCH ? full : st);
    }
    rc = 0;
out:
    db_finalize(full);
    db_finalize(st);
    return rc;
}

void merge_day_recs(struct order_recs *r, bool seller)
{
    size_t kept = 0;

    if (!seller) {
        for (size_t i = 0; i < r->n; i++)
            if (r->recs[i].customer >= 0)
                r->recs[kept++] = r->recs[i];
        r->n = kept;
    }
    r->n = sort_merge(r->recs, r->n, seller ? compare_seller_day : compare_customer_day);
}

void merge_month_recs(struct order_recs *r, bool seller)
{
    for (size_t i = 0; i < r->n; i++)
        r->recs[i].day = date_month_index(r->recs[i].day);
    r->n = sort_merge(r->recs, r->n, seller ? compare_seller_month : compare_customer_month);
}

int insert_day_recs(struct db *db, const struct order_recs *r, bool seller, struct strbuf *err)
{
    return insert_recs(db, seller ? "rollup_seller_day" : "rollup_customer_day", r->recs, r->n,
                       !seller, err);
}

int insert_month_recs(struct db *db, const struct order_recs *r, bool seller, struct strbuf *err)
{
    return insert_recs(db, seller ? "rollup_seller_month" : "rollup_customer_month", r->recs,
                       r->n, !seller, err);
}

int write_day_rollups(struct db *db, struct order_recs *r, bool seller, struct strbuf *err)
{
    merge_day_recs(r, seller);
    return insert_day_recs(db, r, seller, err);
}

int write_month_rollups(struct db *db, struct order_recs *r, bool seller, struct strbuf *err)
{
    r->n = sort_merge(r->recs, r->n, seller ? compare_seller_month : compare_customer_month);
    return insert_month_recs(db, r, seller, err);
}

/* A copy of r's records. */
static struct order_recs copy_recs(const struct order_recs *r)
{
    struct order_recs c = {xmalloc((r->n + 1) * sizeof(*c.recs)), r->n, r->n};

    if (r->n)
        memcpy(c.recs, r->recs, r->n * sizeof(*c.recs));
    return c;
}

void order_sums_build(struct order_recs *recs, struct order_sums *out)
{
    out->customer_day = copy_recs(recs);
    out->seller_day = *recs;
    memset(recs, 0, sizeof(*recs));

    merge_day_recs(&out->seller_day, true);
    out->seller_month = copy_recs(&out->seller_day);
    merge_month_recs(&out->seller_month, true);
    merge_day_recs(&out->customer_day, false);
    out->customer_month = copy_recs(&out->customer_day);
    merge_month_recs(&out->customer_month, false);
}

struct first_purchase *first_purchases_new(size_t ncustomers)
{
    struct first_purchase *first = xcalloc(ncustomers + 1, sizeof(*first));

    for (size_t i = 0; i < ncustomers; i++)
        first[i].day = DATE_NONE;
    return first;
}

void order_sums_free(struct order_sums *s)
{
    free(s->seller_day.recs);
    free(s->seller_month.recs);
    free(s->customer_day.recs);
    free(s->customer_month.recs);
    for (size_t i = 0; s->first && i < s->nfirst; i++)
        free(s->first[i].order_id);
    free(s->first);
    memset(s, 0, sizeof(*s));
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

int rebuild_order_rollups(struct db *db, const struct org *org, const struct customer_ids *cust,
                          struct order_sums_ahead *ahead, struct strbuf *err)
{
    struct order_sums sums = {0};
    int rc = -1;

    /* Start from empty order rollups. */
    if (db_exec(db,
                "DELETE FROM rollup_seller_day; DELETE FROM rollup_seller_month;"
                "DELETE FROM rollup_customer_day; DELETE FROM rollup_customer_month;"
                "DELETE FROM rollup_first_purchase;",
                err))
        goto out;

    /* The sums: from a worker that computed them while the orders were
     * written, or from one pass over the orders. */
    if (ahead) {
        order_sums_ahead_take(ahead, &sums);
    } else {
        struct order_recs recs = {0};

        sums.first = first_purchases_new(cust->n);
        sums.nfirst = cust->n;
        if (read_orders(db, org, cust, &recs, sums.first, err)) {
            free(recs.recs);
            goto out;
        }
        order_sums_build(&recs, &sums);
    }

    if (insert_day_recs(db, &sums.seller_day, true, err) ||
        insert_month_recs(db, &sums.seller_month, true, err) ||
        insert_day_recs(db, &sums.customer_day, false, err) ||
        insert_month_recs(db, &sums.customer_month, false, err) ||
        write_first_purchases(db, sums.first, sums.nfirst, err))
        goto out;
    rc = 0;
out:
    order_sums_free(&sums);
    return rc;
}

int rollups_refresh_all(struct db *db, struct order_sums_ahead *ahead, struct strbuf *err)
{
    struct org org;
    struct customer_ids cust = {0};
    int rc = -1;

    /* Start from the current organisation and customers. */
    if (org_load(db, &org, err) || db_exec(db, "DELETE FROM rollup_customers", err) ||
        load_customer_ids(db, &cust, true, err))
        goto out;

    if (rebuild_order_rollups(db, &org, &cust, ahead, err) ||
        rollups_refresh_events(db, &org, cust.ids, cust.n, ROLLUP_EVENTS_ALL, err) ||
        db_exec(db, "INSERT OR REPLACE INTO meta VALUES ('rollups_stale', '0')", err))
        goto out;
    rc = 0;
out:
    free_customer_ids(&cust);
    org_free(&org);
    return rc;
}

int rollups_refresh(struct db *db, struct strbuf *err)
{
    return rollups_refresh_all(db, NULL, err);
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
