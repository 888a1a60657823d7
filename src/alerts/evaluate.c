/*
 * One evaluation of the early-warning rules or of the model warnings:
 * loading what the rules share (organisation, managers, positions,
 * thresholds), running the rules, keeping the warnings whose scope lies
 * in the requested scope and putting them in the published order.
 */
#include <stdlib.h>
#include <string.h>

#include "alerts/rules.h"
#include "metrics/metrics.h"
#include "settings/settings.h"
#include "util/decimal.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* Reads the thresholds from the settings. */
static int load_thresholds(struct alert_ctx *ctx, struct strbuf *err)
{
    char *minimum = setting_get(ctx->db, "alerts.minimum_monthly_sales", err);
    int rc = -1;

    if (!minimum)
        return -1;
    if (decimal_parse(minimum, &ctx->minimum_fen)) {
        sb_addf(err, _("invalid value '%s' for %s"), minimum, "alerts.minimum_monthly_sales");
        goto out;
    }
    if (setting_get_double(ctx->db, "alerts.attrition_rise", &ctx->attrition_rise, err) ||
        setting_get_double(ctx->db, "alerts.labor_cost_ratio_max", &ctx->labor_max, err))
        goto out;
    rc = 0;
out:
    free(minimum);
    return rc;
}

/* Loads the managers of units and employees and who has a sales position. */
static int load_people(struct alert_ctx *ctx, struct strbuf *err)
{
    struct org *org = &ctx->org;
    struct db_stmt *st;
    int step;

    ctx->unit_manager = xcalloc(org->nunits + 1, sizeof(char *));
    ctx->emp_manager = xcalloc(org->nemployees + 1, sizeof(char *));
    ctx->emp_sales = xcalloc(org->nemployees + 1, sizeof(bool));
    ctx->root = -1;
    for (size_t u = 0; u < org->nunits; u++) {
        if (org->units[u].parent >= 0)
            continue;
        ctx->single_root = ctx->root < 0;
        if (ctx->root < 0)
            ctx->root = (int)u;
    }

    st = db_prepare(ctx->db, "SELECT unit_id, manager_id FROM org_units", err);
    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        int u = org_unit_rank(org, db_column_text(st, 0));
        const char *manager = db_column_text(st, 1);

        if (u >= 0 && manager)
            ctx->unit_manager[u] = xstrdup(manager);
    }
    db_finalize(st);
    if (step == DB_ERROR)
        return -1;

    st = db_prepare(ctx->db, "SELECT employee_id, manager_id, position FROM employees", err);
    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        int e = org_employee_rank(org, db_column_text(st, 0));
        const char *manager = db_column_text(st, 1), *position = db_column_text(st, 2);

        if (e < 0)
            continue;
        if (manager)
            ctx->emp_manager[e] = xstrdup(manager);
        ctx->emp_sales[e] = position && !strcmp(position, "sales");
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

static void ctx_free(struct alert_ctx *ctx)
{
    for (size_t u = 0; ctx->unit_manager && u < ctx->org.nunits; u++)
        free(ctx->unit_manager[u]);
    for (size_t e = 0; ctx->emp_manager && e < ctx->org.nemployees; e++)
        free(ctx->emp_manager[e]);
    free(ctx->unit_manager);
    free(ctx->emp_manager);
    free(ctx->emp_sales);
    org_free(&ctx->org);
}

/* Whether unit u is unit top or lies below it. */
static bool unit_within(const struct org *org, int u, int top)
{
    for (int depth = 0; u >= 0 && depth < ORG_MAX_CHAIN; depth++) {
        if (u == top)
            return true;
        u = org->units[u].parent;
    }
    return false;
}

/* Sets where each warning's scope lies: its unit, or its employee and
 * that employee's unit on the as-of date. */
static void locate(struct alert_ctx *ctx)
{
    for (size_t i = 0; i < ctx->out->n; i++) {
        struct alert *a = &ctx->out->items[i];

        if (!strncmp(a->scope, "unit:", 5)) {
            a->home_unit = org_unit_rank(&ctx->org, a->scope + 5);
        } else if (!strncmp(a->scope, "employee:", 9)) {
            a->employee = org_employee_rank(&ctx->org, a->scope + 9);
            if (a->employee >= 0)
                a->home_unit = org_unit_at(&ctx->org, a->employee, ctx->as_of);
        }
    }
}

/*
 * Keeps the warnings whose scope lies in scope: every warning for the
 * company; for unit:ID the warnings of that unit, the units below it and
 * the employees whose unit on the as-of date is one of them; for
 * employee:ID that employee's warnings.
 */
static int filter(struct alert_ctx *ctx, const char *scope, struct strbuf *err)
{
    struct alert_list *l = ctx->out;
    size_t kept = 0;
    int unit = -1, employee = -1;

    if (!scope || !strcmp(scope, "company"))
        return 0;
    if (metrics_scope_check(scope)) {
        sb_addf(err, _("invalid scope '%s': use company, unit:ID or employee:ID"), scope);
        return METRICS_BAD_SCOPE;
    }
    if (!strncmp(scope, "unit:", 5) && (unit = org_unit_rank(&ctx->org, scope + 5)) < 0) {
        sb_addf(err, _("unit '%s' not found"), scope + 5);
        return METRICS_UNKNOWN_SCOPE;
    }
    if (!strncmp(scope, "employee:", 9) &&
        (employee = org_employee_rank(&ctx->org, scope + 9)) < 0) {
        sb_addf(err, _("employee '%s' not found"), scope + 9);
        return METRICS_UNKNOWN_SCOPE;
    }
    for (size_t i = 0; i < l->n; i++) {
        struct alert *a = &l->items[i];
        bool in = employee >= 0 ? a->employee == employee
                                : a->home_unit >= 0 && unit_within(&ctx->org, a->home_unit, unit);

        if (in)
            l->items[kept++] = *a;
        else
            alert_release(a);
    }
    l->n = kept;
    return 0;
}

static int compare_alerts(const void *pa, const void *pb)
{
    const struct alert *a = pa, *b = pb;
    int c;

    if (a->rule != b->rule)
        return a->rule < b->rule ? -1 : 1;
    c = strcmp(a->scope, b->scope);
    return c ? c : strcmp(a->subject, b->subject);
}

/* Evaluates the rules (skipped NULL) or the model warnings into out,
 * which it first empties. */
static int evaluate(struct db *db, cdate as_of, const char *scope, struct alert_list *out,
                    unsigned *skipped, bool with_pay, struct strbuf *err)
{
    struct alert_ctx ctx;
    int rc = METRICS_FAILED;

    memset(out, 0, sizeof(*out));
    memset(&ctx, 0, sizeof(ctx));
    ctx.db = db;
    ctx.without_pay = !with_pay;
    ctx.as_of = as_of;
    ctx.m = alerts_month(as_of);
    ctx.out = out;
    if (scope && metrics_scope_check(scope)) {
        sb_addf(err, _("invalid scope '%s': use company, unit:ID or employee:ID"), scope);
        return METRICS_BAD_SCOPE;
    }
    if (load_thresholds(&ctx, err) || org_load(db, &ctx.org, err) || load_people(&ctx, err))
        goto out;

    if (skipped ? alerts_model_rules(&ctx, skipped, err)
                : alerts_unit_rules(&ctx, err) || alerts_people_rules(&ctx, err))
        goto out;
    locate(&ctx);
    rc = filter(&ctx, scope, err);
    if (rc)
        goto out;
    if (out->n > 1)
        qsort(out->items, out->n, sizeof(*out->items), compare_alerts);
    rc = 0;
out:
    ctx_free(&ctx);
    return rc;
}

int alerts_evaluate(struct db *db, cdate as_of, const char *scope, struct alert_list *out,
                    struct strbuf *err)
{
    return evaluate(db, as_of, scope, out, NULL, true, err);
}

int alerts_evaluate_models(struct db *db, cdate as_of, const char *scope, bool with_pay,
                           struct alert_list *out, unsigned *skipped, struct strbuf *err)
{
    struct alert_list models;
    int rc;

    *skipped = 0;
    rc = evaluate(db, as_of, scope, &models, skipped, with_pay, err);
    if (!rc && models.n) {
        /* The model rules sort after every rule, so appending keeps the order. */
        XGROW(out->items, out->alloc, out->n + models.n);
        memcpy(out->items + out->n, models.items, models.n * sizeof(*models.items));
        out->n += models.n;
        models.n = 0;
    }
    alert_list_free(&models);
    return rc;
}
