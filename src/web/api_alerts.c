/*
 * GET /api/v1/alerts?as_of=D&scope=S — the warnings whose scope lies in
 * S as of D, the same JSON as "cairn alerts --format json". Without
 * scope, the caller's own scope, so every caller gets the list filtered
 * to what it may see; a scope outside it is refused with 403. The
 * response is cached (cache.h) like the key results; recorded warnings
 * raise the data generation, so a state change is seen at once.
 */
#include "alerts/alerts.h"
#include "metrics/metrics.h"
#include "util/i18n.h"
#include "web/web.h"

void api_alerts_get(struct request *req)
{
    struct strbuf err = STRBUF_INIT, scope = STRBUF_INIT, key = STRBUF_INIT;
    struct alert_list list = {0};
    int64_t generation;
    cdate as_of;
    int rc;

    if (web_cache_lookup(req, "alerts", "", &key, &generation))
        goto out;
    if (web_requested_scope(req, &scope) || web_as_of(req, &as_of))
        goto out;

    rc = alerts_evaluate(req->db, as_of, scope.buf, &list, &err);
    if (!rc && alerts_attach_records(req->db, &list, &err))
        rc = METRICS_FAILED;
    if (rc == METRICS_UNKNOWN_SCOPE) {
        web_error(req, 404, "not_found", N_("No such unit or employee."));
        goto out;
    }
    if (rc) {
        web_internal_error(req, "alerts", &err);
        goto out;
    }
    web_json(req, 200, alert_list_to_json(&list));
    web_cache_store(req, key.buf, generation);
out:
    sb_release(&key);
    alert_list_free(&list);
    sb_release(&scope);
    sb_release(&err);
}
