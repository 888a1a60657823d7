/*
 * Metrics read from the smaller entity tables: employee satisfaction,
 * visits, CSAT and customers at risk (through the customer's owner on a
 * day), labor cost from payroll, expenses, and the market size behind
 * market share.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/engine.h"
#include "util/xalloc.h"

/*
 * SQL for the owner of customer CUST on day DAY (both SQL expressions):
 * the covering customer_owners row with the latest start; none when the
 * customer has owner rows but none covers the day; customers.owner_id
 * when it has no owner rows.
 */
#define OWNER_AT(cust, day)                                                                      \
    "CASE WHEN EXISTS (SELECT 1 FROM customer_owners o WHERE o.customer_id = " cust ")"          \
    " THEN (SELECT o.employee_id FROM customer_owners o WHERE o.customer_id = " cust             \
    " AND o.start_date <= " day " AND (o.end_date IS NULL OR o.end_date >= " day ")"             \
    " ORDER BY o.start_date DESC LIMIT 1)"                                                       \
    " ELSE (SELECT c.owner_id FROM customers c WHERE c.customer_id = " cust ") END"

/* Binds the span of P as 'YYYY-MM-DD' texts to parameters 1 and 2. */
static void bind_span(struct engine_run *run, struct db_stmt *st)
{
    char from[DATE_BUFSIZE], to[DATE_BUFSIZE];

    date_format(run->p.start, from);
    date_format(run->last, to);
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
}

/*
 * Runs sql with the span of P bound and adds column value_col of each row
 * to field (and 1 to count_field unless it is (size_t)-1) in the slots of
 * the employee in column 0 (NULL: the company only) and that employee's
 * unit on the date in column 1.
 */
static int add_rows(struct engine_run *run, const char *sql, int value_col, size_t field,
                    size_t count_field, struct strbuf *err)
{
    const struct org *org = &run->en->org;
    struct db_stmt *st = db_prepare(run->en->db, sql, err);
    int step;

    if (!st)
        return -1;
    bind_span(run, st);
    while ((step = db_step(st, err)) == DB_ROW) {
        int e = org_employee_rank(org, db_column_text(st, 0));
        cdate d = engine_column_date(st, 1);
        size_t slots[ORG_MAX_CHAIN + 2];
        int n = org_slots(org, e, e >= 0 ? org_unit_at(org, e, d) : -1, slots);

        acc_add(run, slots, n, field, db_column_int64(st, value_col));
        if (count_field != (size_t)-1)
            acc_add(run, slots, n, count_field, 1);
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

int engine_surveys_visits(struct engine_run *run, struct strbuf *err)
{
    const bool *has = run->en->has;

    if (has[SRC_EMPLOYEE_SURVEYS] &&
        add_rows(run,
                 "SELECT employee_id, survey_date, score FROM employee_surveys"
                 " WHERE survey_date BETWEEN ? AND ?",
                 2, ACC(esat_sum), ACC(esat_n), err))
        return -1;
    if (has[SRC_VISITS] &&
        add_rows(run,
                 "SELECT employee_id, visit_date, count(*) FROM visits"
                 " WHERE visit_date BETWEEN ? AND ? GROUP BY employee_id, visit_date",
                 2, ACC(visits), (size_t)-1, err))
        return -1;

    /* A customer survey belongs to the customer's owner on the survey date. */
    if (has[SRC_CUSTOMER_SURVEYS] &&
        add_rows(run,
                 "SELECT " OWNER_AT("s.customer_id", "s.survey_date") ", s.survey_date, s.score"
                 " FROM customer_surveys s WHERE s.survey_date BETWEEN ? AND ?",
                 2, ACC(csat_sum), ACC(csat_n), err))
        return -1;
    return 0;
}

/* Statements of the at-risk check, prepared once per evaluation. */
struct risk_statements {
    struct db_stmt *surveys, *ckey, *first, *recent, *owner;
};

/* Whether customer ckey's last purchase on or before the as-of date is
 * more than 180 days before it: a first purchase by then and none in the
 * 180 days up to it. */
static int lapsed(struct engine_run *run, struct risk_statements *rs, int64_t ckey, bool *out,
                  struct strbuf *err)
{
    cdate as_of = run->en->as_of;
    int step;

    *out = false;
    db_bind_int64(rs->first, 1, ckey);
    step = db_step(rs->first, err);
    if (step == DB_ROW && db_column_int64(rs->first, 0) <= as_of - 181)
        *out = true;
    db_reset(rs->first);
    if (step == DB_ERROR || !*out)
        return step == DB_ERROR ? -1 : 0;

    db_bind_int64(rs->recent, 1, ckey);
    db_bind_int64(rs->recent, 2, as_of - 180);
    db_bind_int64(rs->recent, 3, as_of);
    step = db_step(rs->recent, err);
    *out = step == DB_ROW && !db_column_int64(rs->recent, 0);
    db_reset(rs->recent);
    return step == DB_ERROR ? -1 : 0;
}

/* Adds an at-risk customer to the slots of its owner on the as-of date. */
static int count_at_risk(struct engine_run *run, struct risk_statements *rs, const char *customer,
                         struct strbuf *err)
{
    const struct org *org = &run->en->org;
    char as_of[DATE_BUFSIZE];
    size_t slots[ORG_MAX_CHAIN + 2];
    int step, e = -1, n;

    date_format(run->en->as_of, as_of);
    db_bind_text(rs->owner, 1, customer);
    db_bind_text(rs->owner, 2, customer);
    db_bind_text(rs->owner, 3, as_of);
    db_bind_text(rs->owner, 4, as_of);
    db_bind_text(rs->owner, 5, customer);
    step = db_step(rs->owner, err);
    if (step == DB_ROW)
        e = org_employee_rank(org, db_column_text(rs->owner, 0));
    db_reset(rs->owner);
    if (step == DB_ERROR)
        return -1;
    n = org_slots(org, e, e >= 0 ? org_unit_at(org, e, run->en->as_of) : -1, slots);
    for (int i = 0; i < n; i++)
        run->en->at_risk[slots[i]]++;
    return 0;
}

/* Checks one customer's latest CSAT (sum and count of the scores on its
 * latest survey date) and, when below 7 and lapsed, counts it. */
static int check_customer(struct engine_run *run, struct risk_statements *rs, const char *customer,
                          int64_t sum, int64_t n, struct strbuf *err)
{
    int64_t ckey = -1;
    bool is_lapsed = false;
    int step;

    if (!n || sum >= 700 * n)
        return 0;
    db_bind_text(rs->ckey, 1, customer);
    step = db_step(rs->ckey, err);
    if (step == DB_ROW)
        ckey = db_column_int64(rs->ckey, 0);
    db_reset(rs->ckey);
    if (step == DB_ERROR)
        return -1;
    if (ckey < 0 || lapsed(run, rs, ckey, &is_lapsed, err))
        return ckey < 0 ? 0 : -1;
    return is_lapsed ? count_at_risk(run, rs, customer, err) : 0;
}

/*
 * Customers at risk on the as-of date: latest CSAT (the mean of the
 * surveys on the latest survey date) below 7 and last purchase more than
 * 180 days before, counted into en->at_risk in the slots of the owner on
 * the as-of date. Surveys come in customer order, so each customer is one run of rows.
 */
static int at_risk(struct engine_run *run, struct strbuf *err)
{
    struct risk_statements rs = {0};
    struct db *db = run->en->db;
    char as_of[DATE_BUFSIZE], *customer = NULL, *latest = NULL;
    int64_t sum = 0, n = 0;
    int step = DB_ERROR;

    rs.surveys = db_prepare(db,
                            "SELECT customer_id, survey_date, score FROM customer_surveys"
                            " WHERE survey_date <= ? ORDER BY customer_id",
                            err);
    rs.ckey = rs.surveys ? db_prepare(db, "SELECT ckey FROM rollup_customers WHERE customer_id = ?", err) : NULL;
    rs.first = rs.ckey ? db_prepare(db, "SELECT day FROM rollup_first_purchase WHERE ckey = ?", err) : NULL;
    rs.recent = rs.first ? db_prepare(db,
                                      "SELECT EXISTS (SELECT 1 FROM rollup_customer_day"
                                      " WHERE ckey = ? AND day BETWEEN ? AND ? AND purchases > 0)",
                                      err)
                         : NULL;
    rs.owner = rs.recent ? db_prepare(db, "SELECT " OWNER_AT("?", "?"), err) : NULL;
    if (!rs.owner)
        goto out;

    date_format(run->en->as_of, as_of);
    db_bind_text(rs.surveys, 1, as_of);
    while ((step = db_step(rs.surveys, err)) == DB_ROW) {
        const char *id = db_column_text(rs.surveys, 0), *date = db_column_text(rs.surveys, 1);
        int order;

        if (!customer || strcmp(customer, id)) {
            if (customer && check_customer(run, &rs, customer, sum, n, err))
                break;
            free(customer);
            free(latest);
            customer = xstrdup(id);
            latest = xstrdup(date);
            sum = n = 0;
        }
        order = strcmp(date, latest);
        if (order > 0) {
            free(latest);
            latest = xstrdup(date);
            sum = n = 0;
        }
        if (order >= 0) {
            sum += db_column_int64(rs.surveys, 2);
            n++;
        }
    }
    if (step == DB_DONE && customer && check_customer(run, &rs, customer, sum, n, err))
        step = DB_ERROR;
out:
    free(customer);
    free(latest);
    db_finalize(rs.surveys);
    db_finalize(rs.ckey);
    db_finalize(rs.first);
    db_finalize(rs.recent);
    db_finalize(rs.owner);
    return step == DB_ERROR ? -1 : 0;
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
        (add_rows(run,
                  "SELECT employee_id, expense_date, amount FROM expenses WHERE status = 'approved'"
                  " AND category IN ('travel', 'entertainment') AND expense_date BETWEEN ? AND ?",
                  2, ACC(sales_expenses), (size_t)-1, err) ||
         add_rows(run,
                  "SELECT employee_id, expense_date, amount FROM expenses WHERE status = 'approved'"
                  " AND expense_date BETWEEN ? AND ?",
                  2, ACC(all_expenses), (size_t)-1, err)))
        return -1;
    return 0;
}
