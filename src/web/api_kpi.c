/*
 * GET /api/v1/kpi?period=P&scope=S&as_of=D&metrics=a,b — the scorecard
 * of one scope and period, the same JSON as "cairn kpi --format json".
 * Without scope, the caller's own scope; a scope outside it is refused
 * with 403 (never narrowed). Responses are kept in the response cache
 * (cache.h) under the caller's role and account scope and every query
 * argument, so a cached response never reaches a caller who could not
 * have asked for it. A caller whose role may not see pay does not get
 * the metrics computed from payroll (web_withhold_pay_metrics).
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"
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

void api_kpi_get(struct request *req)
{
    const char *period_text = web_query(req, "period"), *metrics = web_query(req, "metrics");
    struct strbuf err = STRBUF_INIT, scope = STRBUF_INIT, key = STRBUF_INIT,
                  query = STRBUF_INIT;
    struct scorecard sc;
    int64_t generation;
    struct period period;
    bool selected[METRIC_COUNT];
    cdate as_of;
    int rc;

    /* Checks of the query; the scope check comes after the cache lookup
     * (src/web/cached.c says why that is safe). */
    if (!period_text || period_parse(period_text, &period)) {
        web_error(req, 400, "bad_request",
                  N_("The period is missing or invalid: use YYYY-MM, YYYY-Qn or YYYY."));
        goto out;
    }
    if (metrics && select_metrics(metrics, selected)) {
        web_error(req, 400, "bad_request", N_("The metrics list names an unknown metric."));
        goto out;
    }

    /* A cached response of the same data generation, if any. */
    sb_addf(&query, "%s|%s", period_text, metrics ? metrics : "*");
    if (web_cache_lookup(req, "kpi", query.buf, &key, &generation))
        goto out;
    if (web_requested_scope(req, &scope) || web_as_of(req, &as_of))
        goto out;

    if (!metrics)
        for (int m = 0; m < METRIC_COUNT; m++)
            selected[m] = true;
    if (web_withhold_pay_metrics(req, scope.buf, metrics != NULL, selected))
        goto out;

    /* The computation. */
    rc = metrics_scorecard(req->db, scope.buf, &period, as_of, &sc, &err);
    if (rc == METRICS_UNKNOWN_SCOPE) {
        web_error(req, 404, "not_found", N_("No such unit or employee."));
        goto out;
    }
    if (rc) {
        web_internal_error(req, "scorecard", &err);
        goto out;
    }
    web_json(req, 200, scorecard_to_json(&sc, selected));
    scorecard_free(&sc);
    web_cache_store(req, key.buf, generation);
out:
    sb_release(&query);
    sb_release(&key);
    sb_release(&scope);
    sb_release(&err);
}
