/*
 * The model warnings, built on the current scores of the stored models
 * (models/risk.h): attrition_risk_high and churn_risk_high for the top
 * 10 % of the scored employees and customers, sales_turning for every
 * unit whose forecast turns from growth to decline. They are evaluated
 * apart from the rules, so a stored model never changes what the rules
 * return, and a model that is not stored adds nothing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/rules.h"
#include "metrics/owner_at.h"
#include "models/risk.h"
#include "util/xalloc.h"

/* How many of n scored subjects make the top 10 %: ceil(n / 10). */
static size_t top_tenth(size_t n)
{
    return (n + 9) / 10;
}

static json_t *risk_figures(const struct alert_ctx *ctx, const struct risk *r)
{
    json_t *factors = json_array();

    for (size_t k = 0; k < r->nfactors; k++)
        if (!ctx->without_pay || !(r->pay_factors & 1u << k))
            json_array_append_new(factors, json_string(r->factors[k]));
    return json_pack("{s:f,s:o}", "probability", r->probability, "factors", factors);
}

/* Employees employed on the as-of date, in the top 10 % of attrition
 * risk; scope, period, subject and owner as top_performer_at_risk. */
static int attrition_risk_high(struct alert_ctx *ctx, unsigned *skipped, struct strbuf *err)
{
    struct risk_list list = {0};
    struct strbuf scope = STRBUF_INIT;
    char period[8];
    int rc = risk_attrition(ctx->db, ctx->as_of, &list, err);

    if (rc != 0) {
        if (rc > 0)
            *skipped |= ALERT_MODEL_ATTRITION;
        risk_list_free(&list);
        return rc < 0 ? -1 : 0;
    }
    date_month_format(ctx->m, period);
    for (size_t i = 0; i < top_tenth(list.n) && i < list.n; i++) {
        const struct risk *r = &list.v[i];
        int e = org_employee_rank(&ctx->org, r->subject);

        sb_setf(&scope, "employee:%s", r->subject);
        alert_push(ctx, AR_ATTRITION_RISK_HIGH, scope.buf, period, r->subject,
                   e >= 0 ? ctx->emp_manager[e] : NULL, risk_figures(ctx, r));
    }
    sb_release(&scope);
    risk_list_free(&list);
    return 0;
}

/* The owner of customer on day (the customers at risk rule's owner), or
 * NULL when it has none. Returns 0, or -1 with a message in err. */
static int owner_on(struct db_stmt *st, const char *customer, const char *day, char **owner,
                    struct strbuf *err)
{
    int step;

    *owner = NULL;
    db_bind_text(st, 1, customer);
    db_bind_text(st, 2, day);
    step = db_step(st, err);
    if (step == DB_ROW && db_column_text(st, 0))
        *owner = xstrdup(db_column_text(st, 0));
    db_reset(st);
    return step == DB_ERROR ? -1 : 0;
}

/* Customers with a purchase in the 365 days before the as-of date, in
 * the top 10 % of churn risk. Scope, period, subject and owner are those
 * of customer_at_risk. */
static int churn_risk_high(struct alert_ctx *ctx, unsigned *skipped, struct strbuf *err)
{
    struct risk_list list = {0};
    struct strbuf scope = STRBUF_INIT;
    struct db_stmt *st = NULL;
    char day[DATE_BUFSIZE];
    int rc = risk_churn(ctx->db, ctx->as_of, &list, err);

    if (rc != 0) {
        if (rc > 0)
            *skipped |= ALERT_MODEL_CHURN;
        risk_list_free(&list);
        return rc < 0 ? -1 : 0;
    }
    date_format(ctx->as_of, day);
    st = db_prepare(ctx->db, "SELECT " OWNER_AT("?1", "?2"), err);
    rc = st ? 0 : -1;
    for (size_t i = 0; !rc && i < top_tenth(list.n) && i < list.n; i++) {
        const struct risk *r = &list.v[i];
        char *owner;
        int e;

        rc = owner_on(st, r->subject, day, &owner, err);
        if (rc)
            break;
        e = owner ? org_employee_rank(&ctx->org, owner) : -1;
        if (owner)
            sb_setf(&scope, "employee:%s", owner);
        else
            sb_setf(&scope, "company");
        alert_push(ctx, AR_CHURN_RISK_HIGH, scope.buf, day, r->subject,
                   e >= 0 && org_employed(&ctx->org, e, ctx->as_of) ? owner : NULL,
                   risk_figures(ctx, r));
        free(owner);
    }
    db_finalize(st);
    sb_release(&scope);
    risk_list_free(&list);
    return rc;
}

/* Units whose forecast turns from growth to decline; scope, subject and
 * owner as labor_cost_high. The period is the forecast's last month with
 * data, which is m unless the orders end before m. A month without
 * orders yet is not evaluated as a month without sales. So the warning of
 * the latest month with orders stays until the next month's orders
 * arrive. */
static int sales_turning(struct alert_ctx *ctx, unsigned *skipped, struct strbuf *err)
{
    struct forecast_list list = {0};
    struct strbuf scope = STRBUF_INIT;
    char period[8];
    int rc = risk_forecast(ctx->db, ctx->as_of, &list, err);

    if (rc != 0) {
        if (rc > 0)
            *skipped |= ALERT_MODEL_FORECAST;
        forecast_list_free(&list);
        return rc < 0 ? -1 : 0;
    }
    date_month_format(list.last_month, period);
    for (size_t i = 0; i < list.n; i++) {
        const struct unit_forecast *f = &list.v[i];
        int u = org_unit_rank(&ctx->org, f->unit);
        bool company = !strcmp(f->unit, "company");
        const char *owner;

        /* The single root unit repeats the company, which has its own row. */
        if (!f->turning || (u >= 0 && u == ctx->root && ctx->single_root))
            continue;
        /* The company is always "company", never its root unit. */
        if (company) {
            sb_setf(&scope, "company");
            owner = ctx->root >= 0 ? ctx->unit_manager[ctx->root] : NULL;
        } else {
            sb_setf(&scope, "unit:%s", f->unit);
            owner = u >= 0 ? ctx->unit_manager[u] : NULL;
        }
        alert_push(ctx, AR_SALES_TURNING, scope.buf, period, company ? "company" : f->unit, owner,
                   json_pack("{s:o,s:o,s:o,s:o}", "forecast", alert_money(f->forecast), "lower",
                             alert_money(f->lower), "upper", alert_money(f->upper), "trend",
                             alert_money(llround(f->trend))));
    }
    sb_release(&scope);
    forecast_list_free(&list);
    return 0;
}

int alerts_model_rules(struct alert_ctx *ctx, unsigned *skipped, struct strbuf *err)
{
    if (attrition_risk_high(ctx, skipped, err) || churn_risk_high(ctx, skipped, err) ||
        sales_turning(ctx, skipped, err))
        return -1;
    return 0;
}
