/*
 * The rules about people, customers and enrolments: sales reps below the
 * minimum for three months, top performers whose satisfaction fell below
 * 7, customers at risk, and enrolments past their due date.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/rules.h"
#include "metrics/metrics.h"
#include "util/xalloc.h"

/* Rule 4: a sales rep employed throughout m-2..m and on the as-of date
 * who sold below the minimum in each of those months. */
static int below_minimum(struct alert_ctx *ctx, const char *period, struct strbuf *err)
{
    const struct org *org = &ctx->org;
    struct metric_value *sales = NULL;
    struct strbuf scope = STRBUF_INIT;
    char **ids = NULL;
    size_t ne = 0;
    cdate first = date_month_first(ctx->m - 2);

    if (metrics_employee_series(ctx->db, M_SALES, ctx->m - 2, 3, ctx->as_of, &ids, &ne, &sales,
                                err))
        return -1;
    for (size_t e = 0; e < ne && e < org->nemployees; e++) {
        int64_t fen[3];
        bool below = true;

        if (!ctx->emp_sales[e] || !org_employed(org, (int)e, first) ||
            !org_employed(org, (int)e, ctx->as_of))
            continue;
        for (int k = 0; k < 3 && below; k++) {
            const struct metric_value *v = &sales[(size_t)k * ne + e];

            fen[k] = v->available ? llround(v->value * 100.0) : 0;
            below = v->available && fen[k] < ctx->minimum_fen;
        }
        if (!below)
            continue;
        sb_setf(&scope, "employee:%s", ids[e]);
        alert_push(ctx, AR_BELOW_MINIMUM, scope.buf, period, ids[e], ctx->emp_manager[e],
                   json_pack("{s:[o,o,o],s:o}", "sales", alert_money(fen[0]),
                             alert_money(fen[1]), alert_money(fen[2]), "minimum",
                             alert_money(ctx->minimum_fen)));
    }
    metrics_ids_free(ids, ne);
    free(sales);
    sb_release(&scope);
    return 0;
}

/*
 * The latest employee survey of employee id on or before the as-of date:
 * the sum and count of the scores (hundredths) on its latest date; n = 0
 * when there is none.
 */
static int latest_satisfaction(struct db_stmt *st, const char *id, cdate as_of, int64_t *sum,
                               int64_t *n, struct strbuf *err)
{
    char day[DATE_BUFSIZE], *latest = NULL;
    int step;

    *sum = *n = 0;
    date_format(as_of, day);
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, day);
    while ((step = db_step(st, err)) == DB_ROW) {
        const char *date = db_column_text(st, 0);

        if (latest && strcmp(latest, date))
            break;
        if (!latest)
            latest = xstrdup(date);
        *sum += db_column_int64(st, 1);
        (*n)++;
    }
    db_reset(st);
    free(latest);
    return step == DB_ERROR ? -1 : 0;
}

/* Rule 5: a member of the company's top set for the month after m,
 * employed on the as-of date, whose latest satisfaction is below 7. */
static int top_performer_at_risk(struct alert_ctx *ctx, const char *period, struct strbuf *err)
{
    struct period next = period_of_month(ctx->m + 1);
    struct metrics_top_member *top = NULL;
    struct strbuf scope = STRBUF_INIT;
    struct db_stmt *st = NULL;
    size_t n = 0;
    int rc = -1;

    if (metrics_top_set(ctx->db, "company", &next, ctx->as_of, &top, &n, err))
        goto out;
    st = db_prepare(ctx->db,
                    "SELECT survey_date, score FROM employee_surveys"
                    " WHERE employee_id = ? AND survey_date <= ? ORDER BY survey_date DESC",
                    err);
    if (!st)
        goto out;
    for (size_t i = 0; i < n; i++) {
        int e = org_employee_rank(&ctx->org, top[i].id);
        int64_t sum, count;

        if (e < 0 || !org_employed(&ctx->org, e, ctx->as_of))
            continue;
        if (latest_satisfaction(st, top[i].id, ctx->as_of, &sum, &count, err))
            goto out;
        if (!count || sum >= 700 * count)
            continue;
        sb_setf(&scope, "employee:%s", top[i].id);
        alert_push(ctx, AR_TOP_PERFORMER_AT_RISK, scope.buf, period, top[i].id,
                   ctx->emp_manager[e],
                   json_pack("{s:o,s:o}", "sales_12m", alert_money(top[i].sales_12m),
                             "satisfaction", alert_number((double)sum / 100.0 / (double)count)));
    }
    rc = 0;
out:
    db_finalize(st);
    metrics_top_set_free(top, n);
    sb_release(&scope);
    return rc;
}

/* Rule 6: one warning per customer at risk, in the scope of its owner on
 * the as-of date; the owner acts only while still employed. */
static int customer_at_risk(struct alert_ctx *ctx, const char *day, struct strbuf *err)
{
    struct metrics_at_risk *list = NULL;
    struct strbuf scope = STRBUF_INIT;
    size_t n = 0;

    if (metrics_at_risk_list(ctx->db, ctx->as_of, &list, &n, err))
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct metrics_at_risk *r = &list[i];
        int e = r->owner ? org_employee_rank(&ctx->org, r->owner) : -1;
        bool acts = e >= 0 && org_employed(&ctx->org, e, ctx->as_of);
        char last[DATE_BUFSIZE];

        if (r->owner)
            sb_setf(&scope, "employee:%s", r->owner);
        else
            sb_setf(&scope, "company");
        date_format(r->last_purchase, last);
        alert_push(ctx, AR_CUSTOMER_AT_RISK, scope.buf, day, r->customer,
                   acts ? r->owner : NULL,
                   json_pack("{s:s,s:I,s:o}", "last_purchase", last, "days_since",
                             (json_int_t)(ctx->as_of - r->last_purchase), "csat",
                             alert_number((double)r->csat_sum / 100.0 / (double)r->csat_n)));
    }
    metrics_at_risk_free(list, n);
    sb_release(&scope);
    return 0;
}

/* Rule 7: enrolments of employees employed on the as-of date, due before
 * it and not completed by it. */
static int training_overdue(struct alert_ctx *ctx, const char *day, struct strbuf *err)
{
    struct strbuf scope = STRBUF_INIT, subject = STRBUF_INIT;
    struct db_stmt *st;
    int step;

    st = db_prepare(ctx->db,
                    "SELECT employee_id, course_id, assigned_date, due_date FROM trainings"
                    " WHERE due_date < ?1 AND assigned_date <= ?1"
                    " AND (completed_date IS NULL OR completed_date > ?1)",
                    err);
    if (!st)
        return -1;
    db_bind_text(st, 1, day);
    while ((step = db_step(st, err)) == DB_ROW) {
        const char *id = db_column_text(st, 0), *due_text = db_column_text(st, 3);
        int e = org_employee_rank(&ctx->org, id);
        cdate due;

        if (e < 0 || !org_employed(&ctx->org, e, ctx->as_of) || date_parse(due_text, &due))
            continue;
        sb_setf(&scope, "employee:%s", id);
        sb_setf(&subject, "%s/%s/%s", id, db_column_text(st, 1), db_column_text(st, 2));
        alert_push(ctx, AR_TRAINING_OVERDUE, scope.buf, day, subject.buf, ctx->emp_manager[e],
                   json_pack("{s:s,s:I}", "due_date", due_text, "days_overdue",
                             (json_int_t)(ctx->as_of - due)));
    }
    db_finalize(st);
    sb_release(&scope);
    sb_release(&subject);
    return step == DB_ERROR ? -1 : 0;
}

int alerts_people_rules(struct alert_ctx *ctx, struct strbuf *err)
{
    char period[8], day[DATE_BUFSIZE];

    date_month_format(ctx->m, period);
    date_format(ctx->as_of, day);
    if (below_minimum(ctx, period, err) || top_performer_at_risk(ctx, period, err) ||
        customer_at_risk(ctx, day, err) || training_overdue(ctx, day, err))
        return -1;
    return 0;
}
