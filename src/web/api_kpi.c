/*
 * GET /api/v1/kpi?period=P&scope=S&as_of=D&metrics=a,b — the scorecard
 * of one scope and period, the same JSON as "cairn kpi --format json".
 * Without scope, the caller's own scope; a scope outside it is refused
 * with 403 (never narrowed), as decided by src/auth/scope.c.
 */
#include <stdlib.h>
#include <string.h>

#include "auth/scope.h"
#include "metrics/metrics.h"
#include "store/events.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/web.h"

/* Marks the metrics of a comma-separated list. Returns 0, or -1 when a
 * name is not a metric. */
static int select_metrics(const char *list, bool selected[METRIC_COUNT])
{
    char *copy = xstrdup(list), *p = copy, *comma;
    int ret = 0, m;

    memset(selected, 0, sizeof(bool) * METRIC_COUNT);
    for (;;) {
        comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        m = metric_by_name(p);
        if (m < 0) {
            ret = -1;
            break;
        }
        selected[m] = true;
        if (!comma)
            break;
        p = comma + 1;
    }
    free(copy);
    return ret;
}

/* Today in the company time zone; DATE_NONE with a message in err. */
static cdate company_today(struct db *db, struct strbuf *err)
{
    struct tz *tz = company_tz_open(db, err);
    cdate today;

    if (!tz)
        return DATE_NONE;
    today = tz_today(tz);
    tz_close(tz);
    return today;
}

void api_kpi_get(struct request *req)
{
    const char *period_text = web_query(req, "period"), *scope_text = web_query(req, "scope");
    const char *as_of_text = web_query(req, "as_of"), *metrics = web_query(req, "metrics");
    struct strbuf err = STRBUF_INIT, own = STRBUF_INIT;
    struct scorecard sc;
    struct period period;
    struct scope want;
    enum scope_decision decision;
    bool selected[METRIC_COUNT];
    cdate as_of = DATE_NONE;
    int rc;

    /* Checks of the query. */
    if (!period_text || period_parse(period_text, &period)) {
        web_error(req, 400, "bad_request",
                  N_("The period is missing or invalid: use YYYY-MM, YYYY-Qn or YYYY."));
        goto out;
    }
    if (!scope_text) {
        scope_format(&req->session.who.scope, &own);
        scope_text = own.buf;
    }
    if (scope_parse(scope_text, &want)) {
        web_error(req, 400, "bad_request",
                  N_("The scope is invalid: use company, unit:ID or employee:ID."));
        goto out;
    }
    if (as_of_text && date_parse(as_of_text, &as_of)) {
        web_error(req, 400, "bad_request", N_("The as_of date is invalid: use YYYY-MM-DD."));
        goto out;
    }
    if (metrics && select_metrics(metrics, selected)) {
        web_error(req, 400, "bad_request", N_("The metrics list names an unknown metric."));
        goto out;
    }

    /* The caller's scope, then the computation. */
    if (scope_check(req->db, &req->session.who, &want, &decision, &err)) {
        web_internal_error(req, "scope check", &err);
        goto out;
    }
    if (decision == SCOPE_FORBIDDEN) {
        web_error(req, 403, "forbidden", N_("This scope is outside your access."));
        goto out;
    }
    if (decision == SCOPE_UNKNOWN) {
        web_error(req, 404, "not_found", N_("No such unit or employee."));
        goto out;
    }
    if (!as_of_text && (as_of = company_today(req->db, &err)) == DATE_NONE) {
        web_internal_error(req, "company time zone", &err);
        goto out;
    }
    rc = metrics_scorecard(req->db, scope_text, &period, as_of, &sc, &err);
    if (rc == METRICS_UNKNOWN_SCOPE) {
        web_error(req, 404, "not_found", N_("No such unit or employee."));
        goto out;
    }
    if (rc) {
        web_internal_error(req, "scorecard", &err);
        goto out;
    }
    web_json(req, 200, scorecard_to_json(&sc, metrics ? selected : NULL));
    scorecard_free(&sc);
out:
    sb_release(&own);
    sb_release(&err);
}
