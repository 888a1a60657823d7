/*
 * The turnover view: the repurchase of customers whose account owner left
 * against that of customers whose owner stayed.
 *
 * The customers are those of repurchase_rate: a purchase in W, the 12
 * months before the period, attributed to the scope (the seller's unit on
 * the order date, from the order rollups). A customer repurchased when it
 * has a purchase in the period up to the as-of date, any seller or none.
 * Its owner left when, on or before the as-of date,
 *   - an employee who owned it on some day of W (a customer_owners row
 *     overlapping W, or customers.owner_id for a customer without such
 *     rows) has a leave_date in W, or
 *   - a customer_owners row starting in W follows a row whose employee
 *     had left by that start date: a hand-over because the owner left.
 */
#include <stdlib.h>
#include <string.h>

#include "linkage/linkage.h"
#include "metrics/metrics.h"
#include "metrics/org.h"
#include "metrics/rollup.h"
#include "util/xalloc.h"

/* A sorted set of ids. */
struct id_set {
    char **ids;
    size_t n, alloc;
};

static void set_add(struct id_set *s, const char *id)
{
    if (s->n == s->alloc) {
        s->alloc = s->alloc ? 2 * s->alloc : 64;
        s->ids = xrealloc(s->ids, s->alloc * sizeof(*s->ids));
    }
    s->ids[s->n++] = xstrdup(id);
}

static int compare_ids(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the set and drops repeated ids. */
static void set_finish(struct id_set *s)
{
    size_t kept = 0;

    if (s->n)
        qsort(s->ids, s->n, sizeof(*s->ids), compare_ids);
    for (size_t i = 0; i < s->n; i++) {
        if (kept && !strcmp(s->ids[kept - 1], s->ids[i])) {
            free(s->ids[i]);
            continue;
        }
        s->ids[kept++] = s->ids[i];
    }
    s->n = kept;
}

static bool set_has(const struct id_set *s, const char *id)
{
    return s->n && bsearch(&id, s->ids, s->n, sizeof(*s->ids), compare_ids);
}

static void set_free(struct id_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->ids[i]);
    free(s->ids);
    memset(s, 0, sizeof(*s));
}

/*
 * Adds the customers with a purchase on a day in [from, to) to s; with
 * scope_only, only purchases whose seller's unit lies within top (every
 * purchase when top is -1, including those without a unit).
 */
static int purchasers(struct db *db, const struct org *org, cdate from, cdate to, bool scope_only,
                      int top, struct id_set *s, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT c.customer_id, d.ukey FROM rollup_customer_day d"
                                    " JOIN rollup_customers c ON c.ckey = d.ckey"
                                    " WHERE d.day >= ? AND d.day < ? AND d.purchases > 0",
                                    err);
    int rc;

    if (!st)
        return -1;
    db_bind_int64(st, 1, from);
    db_bind_int64(st, 2, to);
    while ((rc = db_step(st, err)) == DB_ROW) {
        int u = (int)db_column_int64(st, 1);

        if (scope_only && top >= 0 && (u < 0 || !linkage_unit_within(org, u, top)))
            continue;
        set_add(s, db_column_text(st, 0));
    }
    db_finalize(st);
    set_finish(s);
    return rc == DB_DONE ? 0 : -1;
}

/* Whether employee id left on a day in [from, to] (both included). */
static bool left_between(const struct org *org, const char *id, cdate from, cdate to)
{
    int e = id ? org_employee_rank(org, id) : -1;
    cdate leave;

    if (e < 0)
        return false;
    leave = org->employees[e].leave;
    return leave != DATE_NONE && leave >= from && leave <= to;
}

/* A date column, or fallback when it is empty or invalid. */
static cdate column_date(struct db_stmt *st, int col, cdate fallback)
{
    const char *text = db_column_text(st, col);
    cdate d;

    if (!text || date_parse(text, &d))
        return fallback;
    return d;
}

/* Adds the customers whose owner left (see the file comment) to s; W is
 * [w_start, w_end) and as_of limits every date. */
static int owner_left(struct db *db, const struct org *org, cdate w_start, cdate w_end, cdate as_of,
                      struct id_set *s, struct strbuf *err)
{
    struct db_stmt *st;
    struct strbuf previous_customer = STRBUF_INIT, previous_owner = STRBUF_INIT;
    cdate last_in_w = w_end - 1 < as_of ? w_end - 1 : as_of;
    int rc = -1, step;

    /* Owner rows in start order per customer. */
    st = db_prepare(db,
                    "SELECT customer_id, employee_id, start_date, end_date FROM customer_owners"
                    " ORDER BY customer_id, start_date",
                    err);
    if (!st)
        goto out;
    while ((step = db_step(st, err)) == DB_ROW) {
        const char *customer = db_column_text(st, 0), *owner = db_column_text(st, 1);
        cdate start = column_date(st, 2, DATE_NONE), end = column_date(st, 3, INT32_MAX);
        bool same_customer = !strcmp(sb_str(&previous_customer), customer);

        if (start == DATE_NONE || start > as_of)
            continue;
        if (start < w_end && end >= w_start && left_between(org, owner, w_start, last_in_w))
            set_add(s, customer);
        if (same_customer && start >= w_start && start <= last_in_w &&
            left_between(org, sb_str(&previous_owner), INT32_MIN + 1, start))
            set_add(s, customer);
        sb_reset(&previous_customer);
        sb_add(&previous_customer, customer);
        sb_reset(&previous_owner);
        sb_add(&previous_owner, owner);
    }
    db_finalize(st);
    if (step != DB_DONE)
        goto out;

    /* Customers without owner rows: their customers.owner_id. */
    st = db_prepare(db,
                    "SELECT customer_id, owner_id FROM customers WHERE owner_id IS NOT NULL"
                    " AND customer_id NOT IN (SELECT customer_id FROM customer_owners)",
                    err);
    if (!st)
        goto out;
    while ((step = db_step(st, err)) == DB_ROW)
        if (left_between(org, db_column_text(st, 1), w_start, last_in_w))
            set_add(s, db_column_text(st, 0));
    db_finalize(st);
    if (step != DB_DONE)
        goto out;
    set_finish(s);
    rc = 0;
out:
    sb_release(&previous_customer);
    sb_release(&previous_owner);
    return rc;
}

int linkage_turnover(struct db *db, const char *scope, const struct period *p, cdate as_of,
                     struct linkage_result *out, struct strbuf *err)
{
    struct id_set base = {0}, repurchased = {0}, left = {0};
    struct scorecard sc;
    struct org org = {0};
    cdate w_start = date_month_first(p->first_month - 12), w_end = p->start;
    cdate p_end = p->end <= as_of ? p->end : as_of + 1;
    size_t n_left = 0, k_left = 0, n_stayed = 0, k_stayed = 0;
    int rc = METRICS_FAILED, top;

    /* The scope, and the repurchase_rate the two groups split. */
    if (org_load(db, &org, err))
        goto out;
    rc = linkage_scope_unit(&org, scope, &top, err);
    if (rc)
        goto out;
    rc = metrics_scorecard(db, scope, p, as_of, &sc, err);
    if (rc)
        goto out;
    out->has_repurchase_rate = sc.values[M_REPURCHASE_RATE].available;
    out->repurchase_rate = sc.values[M_REPURCHASE_RATE].value;
    scorecard_free(&sc);
    rc = METRICS_FAILED;
    if (rollups_ensure_fresh(db, err))
        goto out;

    /* The three sets of customers. */
    if (purchasers(db, &org, w_start, w_end <= as_of ? w_end : as_of + 1, true, top, &base, err) ||
        purchasers(db, &org, p->start, p_end, false, -1, &repurchased, err) ||
        owner_left(db, &org, w_start, w_end, as_of, &left, err))
        goto out;

    /* One point per customer of the base, and the test. */
    for (size_t i = 0; i < base.n; i++) {
        bool gone = set_has(&left, base.ids[i]), again = set_has(&repurchased, base.ids[i]);

        if (gone) {
            n_left++;
            k_left += again;
        } else {
            n_stayed++;
            k_stayed += again;
        }
        out->across.n++;
        if (out->across.n > out->across.alloc) {
            out->across.alloc = out->across.alloc ? 2 * out->across.alloc : 64;
            out->across.points =
                xrealloc(out->across.points, out->across.alloc * sizeof(*out->across.points));
        }
        out->across.points[out->across.n - 1] =
            (struct linkage_point){xstrdup(base.ids[i]), -1, gone, again};
    }
    linkage_compare_proportions(n_left, k_left, n_stayed, k_stayed, &out->turnover);
    rc = 0;
out:
    set_free(&base);
    set_free(&repurchased);
    set_free(&left);
    org_free(&org);
    return rc;
}
