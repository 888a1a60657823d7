/*
 * GET /api/v1/linkage?view=V&period=P&scope=S&as_of=D — a linkage view
 * (training, turnover or cost), the same JSON as "cairn linkage V
 * --format json" with the statements in the caller's language. Without
 * scope, the caller's own scope; a scope outside it is refused with 403
 * (never narrowed), and an employee scope with 400.
 */
#include <string.h>

#include "linkage/linkage.h"
#include "metrics/metrics.h"
#include "util/i18n.h"
#include "web/web.h"

static const char *translate(const char *msgid, void *ctx)
{
    return web_text(ctx, msgid);
}

void api_linkage_get(struct request *req)
{
    const char *view_text = web_query(req, "view"), *period_text = web_query(req, "period");
    struct strbuf err = STRBUF_INIT, scope = STRBUF_INIT;
    struct linkage_result result = {0};
    struct period period;
    cdate as_of;
    int rc, view = view_text ? linkage_view_parse(view_text) : -1;

    /* Checks of the query, the scope check among them. */
    if (view < 0) {
        web_error(req, 400, "bad_request", linkage_msg_bad_view);
        goto out;
    }
    if (!period_text || period_parse(period_text, &period)) {
        web_error(req, 400, "bad_request",
                  N_("The period is missing or invalid: use YYYY-MM, YYYY-Qn or YYYY."));
        goto out;
    }
    if (web_requested_scope(req, &scope) || web_as_of(req, &as_of))
        goto out;
    if (!strncmp(scope.buf, "employee:", 9)) {
        web_error(req, 400, "bad_request", linkage_msg_employee_scope);
        goto out;
    }

    /* The computation. */
    rc =
        linkage_compute(req->db, (enum linkage_view)view, scope.buf, &period, as_of, &result, &err);
    if (rc == METRICS_UNKNOWN_SCOPE)
        web_error(req, 404, "not_found", N_("No such unit or employee."));
    else if (rc)
        web_internal_error(req, "linkage", &err);
    else
        web_json(req, 200, linkage_to_json(&result, translate, req));
out:
    linkage_result_free(&result);
    sb_release(&scope);
    sb_release(&err);
}
