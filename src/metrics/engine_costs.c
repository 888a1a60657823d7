/*
 * Metrics of visits, surveys, payroll and expenses: employee
 * satisfaction, visits per head, CSAT and customers at risk (through the
 * customer's owner on a day), labor cost and the expense ratios. All but
 * payroll are read from their day rollups.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/engine.h"
#include "metrics/rollup.h"
#include "metrics/owner_at.h"
#include "util/xalloc.h"

/*
 * Runs sql (ekey, day, value[, count] from a day rollup) over the span
 * of P and adds the value to field and the count to count_field (unless
 * count_field is (size_t)-1) in the slots of the employee (-1: the
 * company only) and that employee's unit on the day.
 */
static int add_rollup_rows(struct engine_run *run, const char *sql, size_t field,
                           size_t count_field, struct strbuf *err)
{
    const struct org *org = &run->en->org;
    struct db_stmt *st = db_prepare(run->en->db, sql, err);
    int step;

    if (!st)
        return -1;
    db_bind_int64(st, 1, run->p.start);
    db_bind_int64(st, 2, run->last);
    while ((step = db_step(st, err)) == DB_ROW) {
        int64_t e = db_column_int64(st, 0);
        cdate d = (cdate)db_column_int64(st, 1);
        size_t slots[ORG_MAX_CHAIN + 2];
        int n;

        if (e >= (int64_t)org->nemployees)
            e = -1;
        n = org_slots(org, (int)e, e >= 0 ? org_unit_at(org, (int)e, d) : -1, slots);
        acc_add(run, slots, n, field, db_column_int64(st, 2));
        if (count_field != (size_t)-1)
            acc_add(run, slots, n, count_field, db_column_int64(st, 3));
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

int engine_surveys_visits(struct engine_run *run, struct strbuf *err)
{
    const bool *has = run->en->has;

    if (has[SRC_EMPLOYEE_SURVEYS] &&
        add_rollup_rows(run,
                        "SELECT ekey, day, score_sum, surveys FROM rollup_employee_survey_day"
                        " WHERE day BETWEEN ? AND ?",
                        ACC(esat_sum), ACC(esat_n), err))
        return -1;
    if (has[SRC_VISITS] &&
        add_rollup_rows(run, "SELECT ekey, day, visits FROM rollup_visit_day WHERE day BETWEEN ? AND ?",
                        ACC(visits), (size_t)-1, err))
        return -1;

    /* A customer survey belongs to the customer's owner on the survey date. */
    if (has[SRC_CUSTOMER_SURVEYS] &&
        add_rollup_rows(run,
                        "SELECT owner, day, score_sum, surveys FROM rollup_customer_survey_day"
                        " WHERE day BETWEEN ? AND ?",
                        ACC(csat_sum), ACC(csat_n), err))
        return -1;
    return 0;
}

/* Statements of the at-risk check, prepared once per evaluation. */
struct risk_statements {
    struct db_stmt *first, *recent, *owner;
};

/* Whether customer ckey's last purchase on or before the as-of date is
 * more than 180 days before it: a first purchase by then and none in the
 * 180 days up to it. */
static int lapsed(struct engine_run *run, struct risk_statements *rs, int64_t ckey, bool *out,
                  struct strbuf *err)
{
    cdate as_of = run->en->as_of;
    char from[DATE_BUFSIZE], to[DATE_BUFSIZE];
    int step;

    *out = false;
    db_bind_int64(rs->first, 1, ckey);
    step = db_step(rs->first, err);
    if (step == DB_ROW && db_column_int64(rs->first, 0) <= as_of - 181)
        *out = true;
    db_reset(rs->first);
    if (step == DB_ERROR || !*out)
        return step == DB_ERROR ? -1 : 0;

    date_format(as_of - 180, from);
    date_format(as_of, to);
    db_bind_int64(rs->recent, 1, ckey);
    db_bind_text(rs->recent, 2, from);
    db_bind_text(rs->recent, 3, to);
    step = db_step(rs->recent, err);
    *out = step == DB_ROW && !db_column_int64(rs->recent, 0);
    db_reset(rs->recent);
    return step == DB_ERROR ? -1 : 0;
}

/* Adds an at-risk customer to the slots of its owner on the as-of date. */
static int count_at_risk(struct engine_run *run, struct risk_statements *rs, int64_t ckey,
                         int64_t csat_sum, int64_t csat_n, struct strbuf *err)
{
    const struct org *org = &run->en->org;
    char as_of[DATE_BUFSIZE];
    size_t slots[ORG_MAX_CHAIN + 2];
    int step, e = -1, n;

    date_format(run->en->as_of, as_of);
    db_bind_text(rs->owner, 1, as_of);
    db_bind_text(rs->owner, 2, as_of);
    db_bind_int64(rs->owner, 3, ckey);
    step = db_step(rs->owner, err);
    if (step == DB_ROW)
        e = org_employee_rank(org, db_column_text(rs->owner, 0));
    /* The list hook of lists.c sees each customer with its owner. */
    if (step == DB_ROW && run->en->at_risk_fn &&
        run->en->at_risk_fn(run->en->at_risk_ctx, db_column_text(rs->owner, 1),
                            db_column_text(rs->owner, 0), csat_sum, csat_n, err))
        step = DB_ERROR;
    db_reset(rs->owner);
    if (step == DB_ERROR)
        return -1;
    n = org_slots(org, e, e >= 0 ? org_unit_at(org, e, run->en->as_of) : -1, slots);
    for (int i = 0; i < n; i++)
        run->en->at_risk[slots[i]]++;
    return 0;
}

/* Per customer with a low latest score: the latest survey day on or
 * before the as-of date and the sum and count of the scores of that day
 * (n is 0 for every other customer). */
struct latest_csat {
    cdate *day;
    int64_t *sum, *n;
};

/* Records one customer's latest survey day and scores. */
static void set_latest(struct engine_run *run, struct latest_csat *l, struct db_stmt *st)
{
    int64_t c = db_column_int64(st, 0);

    if (c < 0 || (size_t)c >= run->en->ncustomers)
        return;
    l->day[c] = (cdate)db_column_int64(st, 1);
    l->sum[c] = db_column_int64(st, 2);
    l->n[c] = db_column_int64(st, 3);
}

/*
 * Finds the customers whose latest survey on or before the as-of date
 * scores below 7 on average. A customer's latest survey overall answers
 * when it is on or before the as-of date; only customers surveyed after
 * it are looked up day by day.
 */
static int read_latest_csat(struct engine_run *run, struct latest_csat *l, struct strbuf *err)
{
    /* "+day" keeps SQLite off the day index: nearly every row passes the
     * day test, and one scan of the table is about five times faster
     * than an index lookup per row. */
    struct db_stmt *st = db_prepare(run->en->db,
                                    "SELECT ckey, day, score_sum, surveys"
                                    " FROM rollup_customer_latest_survey"
                                    " WHERE +day <= ? AND score_sum < 700 * surveys",
                                    err);
    int step;

    if (!st)
        return -1;
    db_bind_int64(st, 1, run->en->as_of);
    while ((step = db_step(st, err)) == DB_ROW)
        set_latest(run, l, st);
    db_finalize(st);
    if (step == DB_ERROR)
        return -1;

    st = db_prepare(run->en->db,
                    "SELECT s.ckey, s.day, s.score_sum, s.surveys"
                    " FROM rollup_customer_latest_survey l JOIN rollup_customer_survey_day s"
                    " ON s.ckey = l.ckey AND s.day = (SELECT max(d.day)"
                    "   FROM rollup_customer_survey_day d WHERE d.ckey = l.ckey AND d.day <= ?)"
                    " WHERE l.day > ? AND s.score_sum < 700 * s.surveys",
                    err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, run->en->as_of);
    db_bind_int64(st, 2, run->en->as_of);
    while ((step = db_step(st, err)) == DB_ROW)
        set_latest(run, l, st);
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/*
 * Customers at risk on the as-of date: latest CSAT (the mean of the
 * surveys on the latest survey date) below 7 and last purchase more than
 * 180 days before, counted into en->at_risk in the slots of the owner on
 * the as-of date.
 */
static int at_risk(struct engine_run *run, struct strbuf *err)
{
    struct risk_statements rs = {0};
    struct db *db = run->en->db;
    size_t nc = run->en->ncustomers;
    struct latest_csat l;
    int rc = -1;

    l.day = xmalloc((nc + 1) * sizeof(*l.day));
    l.sum = xcalloc(nc + 1, sizeof(*l.sum));
    l.n = xcalloc(nc + 1, sizeof(*l.n));
    for (size_t c = 0; c < nc; c++)
        l.day[c] = INT32_MIN;
    rs.first = db_prepare(db, "SELECT day FROM rollup_first_purchase WHERE ckey = ?", err);
    rs.recent = rs.first ? db_prepare(db,
                                      "SELECT EXISTS (SELECT 1 FROM rollup_customers k"
                                      " JOIN orders o ON o.customer_id = k.customer_id"
                                      " WHERE k.ckey = ? AND o.order_date BETWEEN ? AND ?"
                                      " AND o." SQL_ORDER_IS_PURCHASE ")",
                                      err)
                         : NULL;
    rs.owner = rs.recent ? db_prepare(db,
                                      "SELECT " OWNER_AT("k.customer_id", "?")
                                      ", k.customer_id FROM rollup_customers k WHERE k.ckey = ?",
                                      err)
                         : NULL;
    if (!rs.owner || read_latest_csat(run, &l, err))
        goto out;

    for (size_t c = 0; c < nc; c++) {
        bool is_lapsed;

        if (!l.n[c] || l.sum[c] >= 700 * l.n[c])
            continue;
        if (lapsed(run, &rs, (int64_t)c, &is_lapsed, err) ||
            (is_lapsed && count_at_risk(run, &rs, (int64_t)c, l.sum[c], l.n[c], err)))
            goto out;
    }
    rc = 0;
out:
    free(l.day);
    free(l.sum);
    free(l.n);
    db_finalize(rs.first);
    db_finalize(rs.recent);
    db_finalize(rs.owner);
    return rc;
}

/*
 * Labor cost: payroll rows of the started months of P, each in the slots
 * of the employee's unit on the last day of its month (the as-of date
 * for the current month). Complete only when every such month has a row.
 */
static int labor(struct engine_run *run, struct strbuf *err)
{
    const struct org *org = &run->en->org;
    struct db_stmt *st;
    char from[8], to[8];
    bool *seen = xcalloc((size_t)run->nmonths, sizeof(*seen));
    int step;

    st = db_prepare(run->en->db,
                    "SELECT employee_id, month, base_pay + variable_pay + employer_cost"
                    " FROM payroll WHERE month BETWEEN ? AND ?",
                    err);
    if (!st) {
        free(seen);
        return -1;
    }
    date_month_format(run->p.first_month, from);
    date_month_format(run->p.first_month + run->nmonths - 1, to);
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    while ((step = db_step(st, err)) == DB_ROW) {
        int e = org_employee_rank(org, db_column_text(st, 0)), m;
        size_t slots[ORG_MAX_CHAIN + 2];
        cdate last;
        int n;

        if (date_month_parse(db_column_text(st, 1), &m))
            continue;
        seen[m - run->p.first_month] = true;
        last = date_month_last(m) < run->last ? date_month_last(m) : run->last;
        n = org_slots(org, e, e >= 0 ? org_unit_at(org, e, last) : -1, slots);
        acc_add(run, slots, n, ACC(labor_cost), db_column_int64(st, 2));
    }
    db_finalize(st);
    run->labor_complete = true;
    for (int i = 0; i < run->nmonths; i++)
        run->labor_complete = run->labor_complete && seen[i];
    free(seen);
    return step == DB_ERROR ? -1 : 0;
}

int engine_costs(struct engine_run *run, struct strbuf *err)
{
    const bool *has = run->en->has;

    if (has[SRC_CUSTOMER_SURVEYS] && has[SRC_ORDERS] && has[SRC_CUSTOMERS]) {
        if (!run->en->at_risk) {
            run->en->at_risk = xcalloc(run->nslots, sizeof(*run->en->at_risk));
            if (at_risk(run, err)) {
                free(run->en->at_risk);
                run->en->at_risk = NULL;
                return -1;
            }
        }
        for (size_t s = 0; s < run->nslots; s++)
            run->acc[s].at_risk = run->en->at_risk[s];
    }
    if (has[SRC_PAYROLL] && labor(run, err))
        return -1;
    if (has[SRC_EXPENSES] &&
        add_rollup_rows(run,
                        "SELECT ekey, day, sales_expenses, expenses FROM rollup_expense_day"
                        " WHERE day BETWEEN ? AND ?",
                        ACC(sales_expenses), ACC(all_expenses), err))
        return -1;
    return 0;
}
