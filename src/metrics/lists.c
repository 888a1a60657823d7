/*
 * The lists behind three metrics, for the early warnings: the members of
 * a top set (top_performer_retention), the customers at risk
 * (at_risk_customers) and one metric of every employee month by month.
 * Each runs the same engine as the scorecards, through the engine's list
 * hooks, so a warning and the metric it comes from never disagree.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/engine.h"
#include "metrics/rollup.h"
#include "metrics/scorecard.h"
#include "util/xalloc.h"

void metrics_top_set_free(struct metrics_top_member *members, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(members[i].id);
    free(members);
}

int metrics_top_set(struct db *db, const char *scope, const struct period *p, cdate as_of,
                    struct metrics_top_member **out, size_t *n, struct strbuf *err)
{
    struct engine en;
    struct ranked_list top = {0};
    struct metric_value values[1][METRIC_COUNT];
    size_t slot;
    int rc = METRICS_FAILED;

    *out = NULL;
    *n = 0;
    if (engine_open(&en, db, p->start > as_of ? p->start : as_of, err))
        goto out;

    /* A period that starts the day after the as-of date (the month after
     * the last ended month, evaluated on a month's last day) is evaluated
     * on its first day, with hires and leaves after the as-of date
     * treated as not having happened. */
    for (size_t e = 0; p->start > as_of && e < en.org.nemployees; e++) {
        struct org_employee *emp = &en.org.employees[e];

        if (emp->hire != DATE_NONE && emp->hire > as_of)
            emp->hire = DATE_NONE;
        if (emp->leave != DATE_NONE && emp->leave > as_of)
            emp->leave = DATE_NONE;
    }
    rc = metrics_scope_slot(&en.org, scope, &slot, err);
    if (rc)
        goto out;
    rc = METRICS_FAILED;
    en.top_out = &top;
    en.top_slot = slot;
    if (engine_compute(&en, p, &slot, 1, values, err))
        goto out;

    /* The engine hands the set over sorted: highest sales, then id. */
    *out = xcalloc(top.n + 1, sizeof(**out));
    for (size_t i = 0; i < top.n; i++) {
        (*out)[i].id = xstrdup(en.org.employees[top.items[i].subject].id);
        (*out)[i].sales_12m = top.items[i].value;
    }
    *n = top.n;
    rc = 0;
out:
    free(top.items);
    engine_close(&en);
    return rc;
}

void metrics_at_risk_free(struct metrics_at_risk *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].customer);
        free(list[i].owner);
    }
    free(list);
}

struct at_risk_ctx {
    struct metrics_at_risk *items;
    size_t n, alloc;
    struct db_stmt *last; /* the last purchase of a customer by a day */
    cdate as_of;
};

/* The engine's hook: records one customer with its last purchase. */
static int collect_at_risk(void *pctx, const char *customer, const char *owner, int64_t csat_sum,
                           int64_t csat_n, struct strbuf *err)
{
    struct at_risk_ctx *ctx = pctx;
    struct metrics_at_risk *r;
    char as_of[DATE_BUFSIZE];
    int step;

    XGROW(ctx->items, ctx->alloc, ctx->n + 1);
    r = &ctx->items[ctx->n++];
    memset(r, 0, sizeof(*r));
    r->customer = xstrdup(customer);
    r->owner = owner ? xstrdup(owner) : NULL;
    r->csat_sum = csat_sum;
    r->csat_n = csat_n;
    r->last_purchase = DATE_NONE;

    date_format(ctx->as_of, as_of);
    db_bind_text(ctx->last, 1, customer);
    db_bind_text(ctx->last, 2, as_of);
    step = db_step(ctx->last, err);
    if (step == DB_ROW && db_column_text(ctx->last, 0) &&
        date_parse(db_column_text(ctx->last, 0), &r->last_purchase))
        r->last_purchase = DATE_NONE;
    db_reset(ctx->last);
    return step == DB_ERROR ? -1 : 0;
}

int metrics_at_risk_list(struct db *db, cdate as_of, struct metrics_at_risk **out, size_t *n,
                         struct strbuf *err)
{
    struct engine en;
    struct at_risk_ctx ctx = {0};
    struct metric_value values[1][METRIC_COUNT];
    struct period p = period_of_month(date_month_index(as_of));
    size_t slot = 0;
    int rc = METRICS_FAILED;

    *out = NULL;
    *n = 0;
    if (engine_open(&en, db, as_of, err))
        goto out;
    ctx.as_of = as_of;
    ctx.last = db_prepare(db,
                          "SELECT max(order_date) FROM orders"
                          " WHERE customer_id = ? AND order_date <= ? AND " SQL_ORDER_IS_PURCHASE,
                          err);
    if (!ctx.last)
        goto out;
    en.at_risk_fn = collect_at_risk;
    en.at_risk_ctx = &ctx;
    if (engine_compute(&en, &p, &slot, 1, values, err))
        goto out;
    *out = ctx.items;
    *n = ctx.n;
    ctx.items = NULL;
    ctx.n = 0;
    rc = 0;
out:
    metrics_at_risk_free(ctx.items, ctx.n);
    db_finalize(ctx.last);
    engine_close(&en);
    return rc;
}

void metrics_ids_free(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* Computes every metric of every employee for each of nperiods periods
 * in one engine: *ids gets the employee ids in byte order and *out
 * nperiods runs of *n rows of METRIC_COUNT values. */
static int employee_runs(struct db *db, const struct period *periods, int nperiods, cdate as_of,
                         char ***ids, size_t *n, struct metric_value (**out)[METRIC_COUNT],
                         struct strbuf *err)
{
    struct engine en;
    size_t *slots = NULL, ne;
    int rc = METRICS_FAILED;

    *ids = NULL;
    *out = NULL;
    *n = 0;
    if (engine_open(&en, db, as_of, err))
        goto out;
    ne = en.org.nemployees;
    slots = xcalloc(ne + 1, sizeof(*slots));
    *out = xcalloc(ne * (size_t)nperiods + 1, sizeof(**out));
    for (size_t e = 0; e < ne; e++)
        slots[e] = org_employee_slot(&en.org, (int)e);

    /* One evaluation per period covers every employee. */
    for (int k = 0; k < nperiods; k++) {
        if (engine_compute(&en, &periods[k], slots, ne, *out + (size_t)k * ne, err)) {
            free(*out);
            *out = NULL;
            goto out;
        }
    }
    *ids = xcalloc(ne + 1, sizeof(**ids));
    for (size_t e = 0; e < ne; e++)
        (*ids)[e] = xstrdup(en.org.employees[e].id);
    *n = ne;
    rc = 0;
out:
    free(slots);
    engine_close(&en);
    return rc;
}

int metrics_employee_series(struct db *db, enum metric_id m, int first_month, int nmonths,
                            cdate as_of, char ***ids, size_t *nemployees,
                            struct metric_value **out, struct strbuf *err)
{
    struct period *periods = xcalloc((size_t)nmonths + 1, sizeof(*periods));
    struct metric_value(*values)[METRIC_COUNT] = NULL;
    int rc;

    *out = NULL;
    for (int k = 0; k < nmonths; k++)
        periods[k] = period_of_month(first_month + k);
    rc = employee_runs(db, periods, nmonths, as_of, ids, nemployees, &values, err);
    if (rc == 0) {
        *out = xcalloc(*nemployees * (size_t)nmonths + 1, sizeof(**out));
        for (size_t i = 0; i < *nemployees * (size_t)nmonths; i++)
            (*out)[i] = values[i][m];
    }
    free(values);
    free(periods);
    return rc;
}

int metrics_employee_values(struct db *db, const struct period *p, cdate as_of, char ***ids,
                            size_t *nemployees, struct metric_value (**out)[METRIC_COUNT],
                            struct strbuf *err)
{
    return employee_runs(db, p, 1, as_of, ids, nemployees, out, err);
}
