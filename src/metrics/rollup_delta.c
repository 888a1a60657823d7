/*
 * Incremental rollup refresh: finds what an import batch changed and
 * rebuilds only the rollups that depend on it. The order rollups are
 * rebuilt for the changed order days alone: their day rows from the
 * orders of those days, their month rows from the day rows of the
 * changed months, and the first purchases of the changed customers.
 *
 * The rollup keys are ranks of ids in byte order, so a new or removed
 * employee, unit or customer renumbers them. Changes to the organisation
 * (org_units, employees, assignments) or new customers therefore rebuild
 * everything, and so does a batch that wrote more than a quarter of all
 * orders, where one pass over the orders is faster than day by day.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/rollup.h"
#include "metrics/rollup_events.h"
#include "metrics/rollup_orders.h"
#include "util/xalloc.h"

/* A batch that wrote more than 1 / ORDERS_FULL_SHARE of the orders
 * rebuilds the order rollups in one pass. */
#define ORDERS_FULL_SHARE 4

void rollup_delta_init(struct rollup_delta *d)
{
    memset(d, 0, sizeof(*d));
}

static void free_texts(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void rollup_delta_free(struct rollup_delta *d)
{
    free_texts(d->days, d->ndays);
    free_texts(d->customers, d->ncustomers);
    rollup_delta_init(d);
}

static void add_text(char ***v, size_t *n, size_t *alloc, const char *s)
{
    if (!s)
        return;
    XGROW(*v, *alloc, *n + 1);
    (*v)[(*n)++] = xstrdup(s);
}

/* Adds the order_date and customer_id of every row sql returns. */
static int add_order_rows(struct db *db, struct rollup_delta *d, const char *sql, long long batch,
                          struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, sql, err);
    int step;

    if (!st)
        return -1;
    db_bind_int64(st, 1, batch);
    while ((step = db_step(st, err)) == DB_ROW) {
        add_text(&d->days, &d->ndays, &d->days_alloc, db_column_text(st, 0));
        add_text(&d->customers, &d->ncustomers, &d->customers_alloc, db_column_text(st, 1));
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* Marks what a change to `kind` (an entity name) needs rebuilt. */
static void note_entity(struct rollup_delta *d, const char *kind, int64_t inserted,
                        int64_t written)
{
    if (!strcmp(kind, "org_units") || !strcmp(kind, "employees") || !strcmp(kind, "assignments"))
        d->full = true;
    else if (!strcmp(kind, "customers") && inserted)
        d->full = true; /* new or removed customers renumber the ckeys */
    else if (!strcmp(kind, "customers") || !strcmp(kind, "customer_owners") ||
             !strcmp(kind, "customer_surveys"))
        d->events |= ROLLUP_CUSTOMER_SURVEYS; /* owners on the survey days */
    else if (!strcmp(kind, "visits"))
        d->events |= ROLLUP_VISITS;
    else if (!strcmp(kind, "employee_surveys"))
        d->events |= ROLLUP_EMPLOYEE_SURVEYS;
    else if (!strcmp(kind, "expenses"))
        d->events |= ROLLUP_EXPENSES;
    else if (!strcmp(kind, "orders")) {
        d->orders = true;
        d->order_rows += written;
    }
}

int rollup_delta_add_batch(struct db *db, struct rollup_delta *d, long long batch,
                           struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT kind, sum(inserted), sum(updated) FROM batch_files"
                                    " WHERE batch_id = ? GROUP BY kind",
                                    err);
    int64_t norders = 0;
    int step;

    /* Which tables the batch wrote to. */
    if (!st)
        return -1;
    db_bind_int64(st, 1, batch);
    while ((step = db_step(st, err)) == DB_ROW) {
        int64_t inserted = db_column_int64(st, 1), updated = db_column_int64(st, 2);

        if (inserted + updated)
            note_entity(d, db_column_text(st, 0), inserted, inserted + updated);
    }
    db_finalize(st);
    if (step == DB_ERROR)
        return -1;

    /* The importer also creates units named by path, which no file
     * counts. */
    st = db_prepare(db, "SELECT 1 FROM org_units WHERE batch_id = ? LIMIT 1", err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, batch);
    step = db_step(st, err);
    db_finalize(st);
    if (step == DB_ERROR)
        return -1;
    if (step == DB_ROW)
        d->full = true;
    if (d->full || !d->orders || d->orders_full)
        return 0;

    /* Which order days and customers, unless the batch wrote so many
     * orders that one pass over all of them is faster. */
    if (db_query_int64(db, "SELECT count(*) FROM orders", 0, &norders, err))
        return -1;
    if (d->order_rows * ORDERS_FULL_SHARE > norders) {
        d->orders_full = true;
        return 0;
    }
    if (add_order_rows(db, d, "SELECT order_date, customer_id FROM orders WHERE batch_id = ?",
                       batch, err) ||
        add_order_rows(db, d,
                       "SELECT json_extract(before, '$.order_date'),"
                       " json_extract(before, '$.customer_id') FROM batch_changes"
                       " WHERE batch_id = ? AND entity = 'orders'",
                       batch, err))
        return -1;
    return 0;
}

static int compare_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts v and drops repeats; returns the new count. */
static size_t sort_unique(char **v, size_t n)
{
    size_t out = 0;

    if (!n)
        return 0;
    qsort(v, n, sizeof(*v), compare_text);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[out], v[i]))
            v[++out] = v[i];
        else
            free(v[i]);
    }
    return out + 1;
}

static int run_with_int(struct db *db, const char *sql, int64_t v, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, sql, err);
    int step;

    if (!st)
        return -1;
    db_bind_int64(st, 1, v);
    step = db_step(st, err);
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* Deletes the day rollups of the days and reads their orders into recs. */
static int read_order_days(struct db *db, const struct org *org, const struct customer_ids *cust,
                           char *const *days, size_t ndays, struct order_recs *recs,
                           struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT order_date, customer_id, employee_id, amount, status,"
                                    " order_id FROM orders WHERE order_date = ?",
                                    err);
    int step = DB_DONE;

    if (!st)
        return -1;
    for (size_t i = 0; i < ndays && step != DB_ERROR; i++) {
        cdate day;

        if (date_parse(days[i], &day))
            continue; /* such rows never reach the rollups */
        if (run_with_int(db, "DELETE FROM rollup_seller_day WHERE day = ?", day, err) ||
            run_with_int(db, "DELETE FROM rollup_customer_day WHERE day = ?", day, err)) {
            step = DB_ERROR;
            break;
        }
        db_bind_text(st, 1, days[i]);
        while ((step = db_step(st, err)) == DB_ROW) {
            struct order_rec r;

            if (!order_record(st, org, cust, &r))
                continue;
            XGROW(recs->recs, recs->alloc, recs->n + 1);
            recs->recs[recs->n++] = r;
        }
        db_reset(st);
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* Rebuilds the month rollup of one month from its day rollup. */
static int rebuild_month(struct db *db, int month, bool seller, struct strbuf *err)
{
    struct db_stmt *st;
    struct order_recs recs = {0};
    int step, rc = -1;

    if (run_with_int(db,
                     seller ? "DELETE FROM rollup_seller_month WHERE month = ?"
                            : "DELETE FROM rollup_customer_month WHERE month = ?",
                     month, err))
        return -1;
    st = db_prepare(db,
                    seller ? "SELECT -1, ekey, ukey, sales, purchases FROM rollup_seller_day"
                             " WHERE day BETWEEN ? AND ?"
                           : "SELECT ckey, ekey, ukey, sales, purchases FROM rollup_customer_day"
                             " WHERE day BETWEEN ? AND ?",
                    err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, date_month_first(month));
    db_bind_int64(st, 2, date_month_last(month));
    while ((step = db_step(st, err)) == DB_ROW) {
        struct order_rec *r;

        XGROW(recs.recs, recs.alloc, recs.n + 1);
        r = &recs.recs[recs.n++];
        r->day = month;
        r->customer = (int)db_column_int64(st, 0);
        r->seller = (int)db_column_int64(st, 1);
        r->unit = (int)db_column_int64(st, 2);
        r->sales = db_column_int64(st, 3);
        r->purchases = db_column_int64(st, 4);
    }
    if (step != DB_ERROR && !write_month_rollups(db, &recs, seller, err))
        rc = 0;
    db_finalize(st);
    free(recs.recs);
    return rc;
}

/* Recomputes a customer's first purchase (earliest day, then lowest
 * order_id) by the rule of the full rebuild. */
static int refresh_first_purchase(struct db *db, struct db_stmt *sel, struct db_stmt *ins,
                                  const struct org *org, const struct customer_ids *cust,
                                  const char *customer_id, struct strbuf *err)
{
    int ckey = customer_rank(cust, customer_id);
    struct order_rec best = {.day = DATE_NONE};
    char *best_id = NULL;
    int step;

    if (ckey < 0)
        return 0;
    if (run_with_int(db, "DELETE FROM rollup_first_purchase WHERE ckey = ?", ckey, err))
        return -1;
    db_bind_text(sel, 1, customer_id);
    while ((step = db_step(sel, err)) == DB_ROW) {
        struct order_rec r;
        const char *order_id = db_column_text(sel, 5);

        if (!order_record(sel, org, cust, &r) || !r.purchases)
            continue;
        if (best.day == DATE_NONE || r.day < best.day ||
            (r.day == best.day && strcmp(order_id, best_id) < 0)) {
            free(best_id);
            best_id = xstrdup(order_id);
            best = r;
        }
    }
    db_reset(sel);
    free(best_id);
    if (step == DB_ERROR)
        return -1;
    if (best.day == DATE_NONE)
        return 0;
    db_bind_int64(ins, 1, ckey);
    db_bind_int64(ins, 2, best.day);
    db_bind_int64(ins, 3, best.seller);
    db_bind_int64(ins, 4, best.unit);
    step = db_step(ins, err);
    db_reset(ins);
    return step == DB_ERROR ? -1 : 0;
}

static int refresh_first_purchases(struct db *db, const struct org *org,
                                   const struct customer_ids *cust, char *const *ids, size_t n,
                                   struct strbuf *err)
{
    struct db_stmt *sel = db_prepare(db,
                                     "SELECT order_date, customer_id, employee_id, amount, status,"
                                     " order_id FROM orders WHERE customer_id = ?",
                                     err);
    struct db_stmt *ins =
        sel ? db_prepare(db, "INSERT INTO rollup_first_purchase VALUES (?, ?, ?, ?)", err) : NULL;
    int rc = ins ? 0 : -1;

    for (size_t i = 0; i < n && !rc; i++)
        rc = refresh_first_purchase(db, sel, ins, org, cust, ids[i], err);
    db_finalize(sel);
    db_finalize(ins);
    return rc;
}

static int compare_month(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return x < y ? -1 : x > y;
}

/* Rebuilds the order rollups of the changed days, their months and the
 * changed customers' first purchases. Sorts and deduplicates d's lists. */
static int refresh_order_days(struct db *db, const struct org *org,
                              const struct customer_ids *cust, struct rollup_delta *d,
                              struct strbuf *err)
{
    struct order_recs recs = {0}, copy = {0};
    int *months = xmalloc((d->ndays + 1) * sizeof(*months));
    size_t nmonths = 0;
    int rc = -1;

    /* The changed days and their months, each once. */
    d->ndays = sort_unique(d->days, d->ndays);
    d->ncustomers = sort_unique(d->customers, d->ncustomers);
    for (size_t i = 0; i < d->ndays; i++) {
        cdate day;

        if (!date_parse(d->days[i], &day))
            months[nmonths++] = date_month_index(day);
    }
    if (nmonths)
        qsort(months, nmonths, sizeof(*months), compare_month);

    /* The day rollups of those days, from their orders. */
    if (read_order_days(db, org, cust, d->days, d->ndays, &recs, err))
        goto out;
    copy.recs = xmalloc((recs.n + 1) * sizeof(*copy.recs));
    copy.n = copy.alloc = recs.n;
    if (recs.n)
        memcpy(copy.recs, recs.recs, recs.n * sizeof(*copy.recs));
    if (write_day_rollups(db, &recs, true, err) || write_day_rollups(db, &copy, false, err))
        goto out;

    /* The month rollups of their months, from the day rollups. */
    for (size_t i = 0; i < nmonths; i++) {
        if (i && months[i] == months[i - 1])
            continue;
        if (rebuild_month(db, months[i], true, err) || rebuild_month(db, months[i], false, err))
            goto out;
    }

    if (refresh_first_purchases(db, org, cust, d->customers, d->ncustomers, err))
        goto out;
    rc = 0;
out:
    free(months);
    free(recs.recs);
    free(copy.recs);
    return rc;
}

int rollups_refresh_delta(struct db *db, struct rollup_delta *d, struct strbuf *err)
{
    struct org org = {0};
    struct customer_ids cust = {0};
    int64_t stale = 0;
    int rc = -1;

    if (db_query_int64(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'rollups_stale'", 0,
                       &stale, err))
        return -1;
    if (stale || d->full)
        return rollups_refresh_all(db, d->ahead, err);
    if (!d->orders && !d->events)
        return 0;

    /* The keys are unchanged, so the current organisation and customers
     * rank ids as the stored rollups do. */
    if (org_load(db, &org, err) || load_customer_ids(db, &cust, false, err))
        goto out;
    if (d->orders_full ? rebuild_order_rollups(db, &org, &cust, d->ahead, err)
                      : d->orders && refresh_order_days(db, &org, &cust, d, err))
        goto out;
    if (d->events && rollups_refresh_events(db, &org, cust.ids, cust.n, d->events, err))
        goto out;
    rc = 0;
out:
    free_customer_ids(&cust);
    org_free(&org);
    return rc;
}
