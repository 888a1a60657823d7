/*
 * Rollups of visits, surveys and expenses: visits, employee survey scores
 * and approved expenses per employee and day, and customer survey scores
 * per customer and day with
 * the customer's owner on that day resolved here (customer_owners rows,
 * else customers.owner_id), so that scorecards read neither raw table.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/rollup_events.h"
#include "util/xalloc.h"

struct event_rec {
    cdate day;
    int key;   /* ekey, or ckey for customer surveys */
    int owner; /* customer surveys: the owner's ekey, -1 for none */
    int64_t sum; /* scores, or expenses of the travel and entertainment categories */
    int64_t n;   /* surveys or visits, or all expenses */
};

struct event_recs {
    struct event_rec *recs;
    size_t n, alloc;
};

static int compare_event(const void *pa, const void *pb)
{
    const struct event_rec *a = pa, *b = pb;

    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

static void push(struct event_recs *r, cdate day, int key, int owner, int64_t sum)
{
    XGROW(r->recs, r->alloc, r->n + 1);
    r->recs[r->n].day = day;
    r->recs[r->n].key = key;
    r->recs[r->n].owner = owner;
    r->recs[r->n].sum = sum;
    r->recs[r->n].n = 1;
    r->n++;
}

/* Sorts by (day, key), merges equal keys (r->n becomes the merged count)
 * and inserts them with sql, whose parameters are day, key, [owner,] sum,
 * n (or day, key, n). */
static int write_recs(struct db *db, struct event_recs *r, const char *sql, int columns,
                      struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, sql, err);
    size_t out = 0;
    int rc = 0;

    if (!st)
        return -1;
    if (r->n)
        qsort(r->recs, r->n, sizeof(*r->recs), compare_event);
    for (size_t i = 1; i < r->n; i++) {
        if (!compare_event(&r->recs[out], &r->recs[i])) {
            r->recs[out].sum += r->recs[i].sum;
            r->recs[out].n += r->recs[i].n;
        } else {
            r->recs[++out] = r->recs[i];
        }
    }
    if (r->n)
        r->n = out + 1;
    for (size_t i = 0; i < r->n && !rc; i++) {
        int col = 1;

        db_bind_int64(st, col++, r->recs[i].day);
        db_bind_int64(st, col++, r->recs[i].key);
        if (columns == 5)
            db_bind_int64(st, col++, r->recs[i].owner);
        if (columns >= 4)
            db_bind_int64(st, col++, r->recs[i].sum);
        db_bind_int64(st, col++, r->recs[i].n);
        if (db_step(st, err) == DB_ERROR)
            rc = -1;
        db_reset(st);
    }
    db_finalize(st);
    return rc;
}

static int compare_id(const void *key, const void *elem)
{
    return strcmp(key, *(char *const *)elem);
}

static int customer_rank(char *const *ids, size_t n, const char *id)
{
    char *const *hit;

    if (!id || !n)
        return -1;
    hit = bsearch(id, ids, n, sizeof(*ids), compare_id);
    return hit ? (int)(hit - ids) : -1;
}

/* Owner history of the customers: per ckey, its customer_owners rows
 * sorted by start, or its customers.owner_id when it has none. */
struct owner_row {
    cdate start, end;
    int owner;
};

struct owners {
    int *fallback;        /* per ckey */
    size_t *first, *count; /* per ckey, into rows */
    struct owner_row *rows;
    size_t nrows, alloc;
};

static cdate text_date(struct db_stmt *st, int col)
{
    const char *s = db_column_text(st, col);
    cdate d;

    if (!s || date_parse(s, &d))
        return DATE_NONE;
    return d;
}

static int load_owners(struct db *db, const struct org *org, char *const *ids, size_t nids,
                       struct owners *o, struct strbuf *err)
{
    struct db_stmt *st;
    int step, last = -1;

    o->fallback = xcalloc(nids + 1, sizeof(*o->fallback));
    o->first = xcalloc(nids + 1, sizeof(*o->first));
    o->count = xcalloc(nids + 1, sizeof(*o->count));
    st = db_prepare(db, "SELECT customer_id, owner_id FROM customers", err);
    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        int c = customer_rank(ids, nids, db_column_text(st, 0));

        if (c >= 0)
            o->fallback[c] = org_employee_rank(org, db_column_text(st, 1));
    }
    db_finalize(st);
    if (step == DB_ERROR)
        return -1;

    st = db_prepare(db,
                    "SELECT customer_id, employee_id, start_date, end_date FROM customer_owners"
                    " ORDER BY customer_id, start_date",
                    err);
    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        int c = customer_rank(ids, nids, db_column_text(st, 0));
        struct owner_row *r;

        if (c < 0)
            continue;
        XGROW(o->rows, o->alloc, o->nrows + 1);
        r = &o->rows[o->nrows];
        r->owner = org_employee_rank(org, db_column_text(st, 1));
        r->start = text_date(st, 2);
        r->end = db_column_is_null(st, 3) ? INT32_MAX : text_date(st, 3);
        if (c != last)
            o->first[c] = o->nrows;
        o->count[c]++;
        o->nrows++;
        last = c;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* The owner of customer c on day d, by the same rule as units: the
 * covering row with the latest start, none when rows exist but none
 * covers d, customers.owner_id without rows. */
static int owner_at(const struct owners *o, int c, cdate d)
{
    const struct owner_row *r = o->rows + o->first[c];

    if (!o->count[c])
        return o->fallback[c];
    for (size_t i = o->count[c]; i-- > 0;)
        if (r[i].start <= d && d <= r[i].end)
            return r[i].owner;
    return -1;
}

static void free_owners(struct owners *o)
{
    free(o->fallback);
    free(o->first);
    free(o->count);
    free(o->rows);
}

/* Reads sql's rows (employee or customer id, date[, score]) into recs. */
static int read_events(struct db *db, const char *sql, const struct org *org, char *const *ids,
                       size_t nids, const struct owners *owners, struct event_recs *recs,
                       struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, sql, err);
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        cdate day = text_date(st, 1);
        int key = owners ? customer_rank(ids, nids, db_column_text(st, 0))
                         : org_employee_rank(org, db_column_text(st, 0));
        int64_t score = db_column_count(st) > 2 ? db_column_int64(st, 2) : 0;

        if (key < 0 || day == DATE_NONE)
            continue;
        push(recs, day, key, owners ? owner_at(owners, key, day) : -1, score);
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* Approved expenses per employee and day: sum holds travel and
 * entertainment, n every category. */
static int read_expenses(struct db *db, const struct org *org, struct event_recs *recs,
                         struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT employee_id, expense_date, amount,"
                                    " category IN ('travel', 'entertainment')"
                                    " FROM expenses WHERE status = 'approved'",
                                    err);
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        int e = org_employee_rank(org, db_column_text(st, 0));
        cdate day = text_date(st, 1);
        int64_t amount = db_column_int64(st, 2);

        if (e < 0 || day == DATE_NONE)
            continue;
        push(recs, day, e, -1, db_column_int64(st, 3) ? amount : 0);
        recs->recs[recs->n - 1].n = amount;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* Writes each customer's latest survey day from the merged customer
 * survey records, which are sorted by day. */
static int write_latest_surveys(struct db *db, const struct event_recs *r, size_t ncustomers,
                                struct strbuf *err)
{
    struct db_stmt *st;
    size_t *latest = xmalloc((ncustomers + 1) * sizeof(*latest));
    int rc = 0;

    for (size_t c = 0; c < ncustomers; c++)
        latest[c] = SIZE_MAX;
    for (size_t i = 0; i < r->n; i++)
        latest[r->recs[i].key] = i;
    st = db_prepare(db, "INSERT INTO rollup_customer_latest_survey VALUES (?, ?, ?, ?)", err);
    if (!st) {
        free(latest);
        return -1;
    }
    for (size_t c = 0; c < ncustomers && !rc; c++) {
        const struct event_rec *rec = latest[c] == SIZE_MAX ? NULL : &r->recs[latest[c]];

        if (!rec)
            continue;
        db_bind_int64(st, 1, (int64_t)c);
        db_bind_int64(st, 2, rec->day);
        db_bind_int64(st, 3, rec->sum);
        db_bind_int64(st, 4, rec->n);
        if (db_step(st, err) == DB_ERROR)
            rc = -1;
        db_reset(st);
    }
    db_finalize(st);
    free(latest);
    return rc;
}

int rollups_refresh_events(struct db *db, const struct org *org, char *const *customer_ids,
                           size_t ncustomers, unsigned which, struct strbuf *err)
{
    struct event_recs visits = {0}, esurveys = {0}, csurveys = {0}, expenses = {0};
    struct owners owners = {0};
    int rc = -1;

    if ((which & ROLLUP_VISITS) &&
        (db_exec(db, "DELETE FROM rollup_visit_day", err) ||
         read_events(db, "SELECT employee_id, visit_date FROM visits", org, NULL, 0, NULL, &visits,
                     err) ||
         write_recs(db, &visits, "INSERT INTO rollup_visit_day VALUES (?, ?, ?)", 3, err)))
        goto out;
    if ((which & ROLLUP_EMPLOYEE_SURVEYS) &&
        (db_exec(db, "DELETE FROM rollup_employee_survey_day", err) ||
         read_events(db, "SELECT employee_id, survey_date, score FROM employee_surveys", org,
                     NULL, 0, NULL, &esurveys, err) ||
         write_recs(db, &esurveys, "INSERT INTO rollup_employee_survey_day VALUES (?, ?, ?, ?)",
                    4, err)))
        goto out;
    if ((which & ROLLUP_CUSTOMER_SURVEYS) &&
        (db_exec(db,
                 "DELETE FROM rollup_customer_survey_day;"
                 "DELETE FROM rollup_customer_latest_survey;",
                 err) ||
         load_owners(db, org, customer_ids, ncustomers, &owners, err) ||
         read_events(db, "SELECT customer_id, survey_date, score FROM customer_surveys", org,
                     customer_ids, ncustomers, &owners, &csurveys, err) ||
         write_recs(db, &csurveys,
                    "INSERT INTO rollup_customer_survey_day VALUES (?, ?, ?, ?, ?)", 5, err) ||
         write_latest_surveys(db, &csurveys, ncustomers, err)))
        goto out;
    if ((which & ROLLUP_EXPENSES) &&
        (db_exec(db, "DELETE FROM rollup_expense_day", err) ||
         read_expenses(db, org, &expenses, err) ||
         write_recs(db, &expenses, "INSERT INTO rollup_expense_day VALUES (?, ?, ?, ?)", 4,
                    err)))
        goto out;
    rc = 0;
out:
    free(expenses.recs);
    free(visits.recs);
    free(esurveys.recs);
    free(csurveys.recs);
    free_owners(&owners);
    return rc;
}
