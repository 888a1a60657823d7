/*
 * GET /api/v1/explain?metric=sales&period=P&vs=P2&scope=S&as_of=D — the
 * change in sales split three ways, the same JSON as "cairn explain
 * sales --format json". Without scope, the caller's own scope; a scope
 * outside it is refused with 403 (never narrowed).
 */
#include <string.h>

#include "explain/explain.h"
#include "metrics/metrics.h"
#include "util/i18n.h"
#include "web/web.h"

void api_explain_get(struct request *req)
{
    const char *metric = web_query(req, "metric"), *period_text = web_query(req, "period");
    const char *vs_text = web_query(req, "vs");
    struct strbuf err = STRBUF_INIT, scope = STRBUF_INIT;
    struct explanation e;
    struct period period, vs;
    cdate as_of;
    int rc;

    /* Checks of the query, the scope check among them. */
    if (metric && strcmp(metric, "sales")) {
        web_error(req, 400, "bad_request", N_("Only sales can be explained."));
        goto out;
    }
    if (!period_text || period_parse(period_text, &period) || !vs_text ||
        period_parse(vs_text, &vs)) {
        web_error(req, 400, "bad_request",
                  N_("The period or vs is missing or invalid: use YYYY-MM, YYYY-Qn or YYYY."));
        goto out;
    }
    if (web_requested_scope(req, &scope) || web_as_of(req, &as_of))
        goto out;

    /* The computation. */
    rc = explain_sales(req->db, scope.buf, &period, &vs, as_of, &e, &err);
    if (rc == METRICS_UNKNOWN_SCOPE)
        web_error(req, 404, "not_found", N_("No such unit or employee."));
    else if (rc)
        web_internal_error(req, "explain", &err);
    else
        web_json(req, 200, explanation_to_json(&e));
    explanation_free(&e);
out:
    sb_release(&scope);
    sb_release(&err);
}
