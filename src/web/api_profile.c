/*
 * GET /api/v1/teams/profile?period=P&scope=S&as_of=D — the profile of the
 * top 20 % of sales reps against the rest (团队效能, docs/api.md).
 *
 * The reps are the employees with position "sales" whose current unit
 * (employees.unit_id, as for every scope check) lies in S and who were
 * employed on at least one day of P up to the as-of date. They are ranked
 * by their sales in P (the sales metric of their employee scope), highest
 * first, with ties by employee id in byte order. The top group is the
 * first ceil(20 % × n) of them, and the rest are the others.
 * Each group's figures are means over its members, the rates over the
 * members that have a value; orders per head and the average order value
 * come from the completed orders dated in P up to the as-of date.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/api_table.h"

struct rep {
    char *id, *name;
    cdate hire, leave;
    int64_t sales;                     /* fen, from the employee's scorecard */
    long long orders;                  /* completed orders in P */
    int64_t order_amount;              /* fen, their amounts */
    const struct metric_value *values; /* the employee's metrics, or NULL */
};

/* The engine's metrics that are averaged over the members of a group. */
static const enum metric_id mean_metrics[] = {M_PER_CAPITA_SALES, M_VISITS_PER_HEAD,
                                              M_TRAINING_COMPLETION_RATE, M_CSAT};
#define NMEAN_METRICS (sizeof(mean_metrics) / sizeof(mean_metrics[0]))

static int compare_reps(const void *a, const void *b)
{
    const struct rep *x = a, *y = b;

    if (x->sales != y->sales)
        return x->sales > y->sales ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int compare_id(const void *key, const void *elem)
{
    return strcmp(key, *(char *const *)elem);
}

/* The reps of scope employed in [first, last], in *reps. Returns 0 or -1. */
static int load_reps(struct request *req, const char *scope, cdate first, cdate last,
                     struct rep **reps, size_t *n, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    char a[DATE_BUFSIZE], b[DATE_BUFSIZE];
    bool unit = !strncmp(scope, "unit:", 5);
    size_t alloc = 0;
    struct db_stmt *st;
    int rc = DB_ERROR;

    if (unit)
        sb_add(&sql, web_subtree_cte);
    sb_add(&sql, "SELECT e.employee_id, e.name, e.hire_date, e.leave_date FROM employees e"
                 " WHERE e.position = 'sales' AND e.hire_date <= ?"
                 " AND (e.leave_date IS NULL OR e.leave_date >= ?)");
    if (unit)
        sb_add(&sql, " AND e.unit_id IN (SELECT u FROM sub)");
    st = db_prepare(req->db, sb_str(&sql), err);
    if (!st)
        goto out;
    date_format(last, b);
    date_format(first, a);
    db_bind_text(st, unit + 1, b);
    db_bind_text(st, unit + 2, a);
    if (unit)
        db_bind_text(st, 1, scope + 5);
    while ((rc = db_step(st, err)) == DB_ROW) {
        struct rep *r;

        xgrow((void **)reps, &alloc, *n + 1, sizeof(**reps));
        r = &(*reps)[(*n)++];
        memset(r, 0, sizeof(*r));
        r->id = xstrdup(db_column_text(st, 0));
        r->name = xstrdup(db_column_text(st, 1));
        if (date_parse(db_column_text(st, 2), &r->hire))
            r->hire = last;
        if (db_column_is_null(st, 3) || date_parse(db_column_text(st, 3), &r->leave))
            r->leave = DATE_NONE;
    }
    db_finalize(st);
out:
    sb_release(&sql);
    return rc == DB_DONE ? 0 : -1;
}

/* Adds the completed orders of [first, last] to the reps. */
static int load_orders(struct request *req, struct rep *reps, size_t n, cdate first, cdate last,
                       struct strbuf *err)
{
    char a[DATE_BUFSIZE], b[DATE_BUFSIZE];
    struct db_stmt *st = db_prepare(req->db,
                                    "SELECT employee_id, COUNT(*), SUM(amount) FROM orders"
                                    " WHERE status = 'completed' AND order_date BETWEEN ? AND ?"
                                    " AND employee_id IS NOT NULL GROUP BY employee_id",
                                    err);
    int rc;

    if (!st)
        return -1;
    date_format(first, a);
    date_format(last, b);
    db_bind_text(st, 1, a);
    db_bind_text(st, 2, b);
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *id = db_column_text(st, 0);

        for (size_t i = 0; i < n; i++)
            if (!strcmp(reps[i].id, id)) {
                reps[i].orders = db_column_int64(st, 1);
                reps[i].order_amount = db_column_int64(st, 2);
            }
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : -1;
}

static json_t *mean_or_null(double sum, size_t n)
{
    return n ? json_real(sum / (double)n) : json_null();
}

/* The figures of the group reps[0..n), with last the day tenure runs to. */
static json_t *group_figures(const struct rep *reps, size_t n, cdate last)
{
    json_t *figures = json_object();
    int64_t sales = 0, amount = 0;
    long long orders = 0, tenure = 0;

    for (size_t i = 0; i < n; i++) {
        cdate end = reps[i].leave != DATE_NONE && reps[i].leave < last ? reps[i].leave : last;

        sales += reps[i].sales;
        orders += reps[i].orders;
        amount += reps[i].order_amount;
        tenure += end > reps[i].hire ? end - reps[i].hire : 0;
    }
    json_object_set_new(figures, "sales",
                        n ? web_yuan(llround((double)sales / (double)n)) : json_null());
    json_object_set_new(figures, "tenure_days", mean_or_null((double)tenure, n));
    for (size_t k = 0; k < NMEAN_METRICS; k++) {
        enum metric_id m = mean_metrics[k];
        double sum = 0;
        size_t have = 0;

        for (size_t i = 0; i < n; i++)
            if (reps[i].values && reps[i].values[m].available) {
                sum += reps[i].values[m].value;
                have++;
            }
        json_object_set_new(figures, metric_defs[m].name, mean_or_null(sum, have));
    }
    json_object_set_new(figures, "orders_per_head", mean_or_null((double)orders, n));
    json_object_set_new(figures, "avg_order_value",
                        orders ? web_yuan(llround((double)amount / (double)orders)) : json_null());
    return figures;
}

void api_team_profile_get(struct request *req)
{
    const char *period_text = web_query(req, "period");
    struct strbuf err = STRBUF_INIT, scope = STRBUF_INIT;
    struct metric_value(*values)[METRIC_COUNT] = NULL;
    struct rep *reps = NULL;
    size_t nreps = 0, nids = 0, top;
    char **ids = NULL, period_name[16], as_of_text[DATE_BUFSIZE];
    struct period period;
    json_t *members;
    cdate as_of, last;

    /* Checks of the query, the scope check first among them. */
    if (!period_text || period_parse(period_text, &period)) {
        web_error(req, 400, "bad_request",
                  N_("The period is missing or invalid: use YYYY-MM, YYYY-Qn or YYYY."));
        goto out;
    }
    if (web_requested_scope(req, &scope) || web_as_of(req, &as_of))
        goto out;
    if (!strncmp(scope.buf, "employee:", 9)) {
        web_error(req, 400, "bad_request",
                  N_("The profile compares sales reps: give the company or a unit as the scope."));
        goto out;
    }
    last = period.end - 1 < as_of ? period.end - 1 : as_of;

    /* The reps, their scorecard values and orders, then the ranking. */
    if (load_reps(req, scope.buf, period.start, last, &reps, &nreps, &err) ||
        (period.start <= last && load_orders(req, reps, nreps, period.start, last, &err)) ||
        metrics_employee_values(req->db, &period, as_of, &ids, &nids, &values, &err)) {
        web_internal_error(req, "team profile", &err);
        goto out;
    }
    for (size_t i = 0; i < nreps; i++) {
        char **at = nids ? bsearch(reps[i].id, ids, nids, sizeof(*ids), compare_id) : NULL;

        if (at) {
            reps[i].values = values[at - ids];
            if (reps[i].values[M_SALES].available)
                reps[i].sales = llround(reps[i].values[M_SALES].value * 100.0);
        }
    }
    if (nreps) /* reps is NULL for an empty scope, which qsort must not get */
        qsort(reps, nreps, sizeof(*reps), compare_reps);
    top = (nreps + 4) / 5; /* ceil(20 % of n) */

    members = json_array();
    for (size_t i = 0; i < top; i++)
        json_array_append_new(members,
                              json_pack("{s:s, s:s, s:o}", "employee_id", reps[i].id, "name",
                                        reps[i].name, "sales", web_yuan(reps[i].sales)));
    period_format(&period, period_name);
    date_format(as_of, as_of_text);
    web_json(req, 200,
             json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:[{s:s, s:I, s:o}, {s:s, s:I, s:o}],"
                       " s:o}",
                       "period", period_name, "scope", scope.buf, "as_of", as_of_text, "ranked_by",
                       "sales", "reps", (json_int_t)nreps, "top_count", (json_int_t)top, "groups",
                       "group", "top", "count", (json_int_t)top, "figures",
                       group_figures(reps, top, last), "group", "rest", "count",
                       (json_int_t)(nreps - top), "figures",
                       group_figures(reps + top, nreps - top, last), "top", members));
out:
    for (size_t i = 0; i < nreps; i++) {
        free(reps[i].id);
        free(reps[i].name);
    }
    free(reps);
    metrics_ids_free(ids, nids);
    free(values);
    sb_release(&scope);
    sb_release(&err);
}
