/*
 * GET /api/v1/alerts?as_of=D&scope=S — the warnings whose scope lies in
 * S as of D, the same JSON as "cairn alerts --format json". Without
 * scope, the caller's own scope, so every caller gets the list filtered
 * to what it may see; a scope outside it is refused with 403. The
 * response is cached (cache.h) like the key results; recorded warnings
 * raise the data generation, so a state change is seen at once.
 *
 * models=1 appends the model warnings, as "cairn alerts --models" does,
 * with their factors in the caller's language. attrition_risk_high is
 * left out for finance and rep callers, who may not see attrition risk
 * (api_risk.c). A team lead, who may not see pay, gets no labor_cost_high
 * warning and no attrition factor that states pay.
 */
#include <stdlib.h>
#include <string.h>

#include "alerts/alerts.h"
#include "auth/scope.h"
#include "metrics/metrics.h"
#include "util/i18n.h"
#include "web/web.h"

/* Appends the model warnings to list in the caller's language, without
 * those the caller's role may not see. Returns as alerts_evaluate. */
static int add_model_warnings(struct request *req, cdate as_of, const char *scope,
                              struct alert_list *list, struct strbuf *err)
{
    enum role role = req->session.who.role;
    struct web_gettext saved;
    unsigned skipped;
    int rc;

    web_gettext_enter(req, &saved);
    rc = alerts_evaluate_models(req->db, as_of, scope, role_sees_pay(role), list, &skipped, err);
    web_gettext_leave(&saved);
    if (!rc && (role == ROLE_FINANCE || role == ROLE_REP))
        alert_list_drop_rule(list, AR_ATTRITION_RISK_HIGH);
    return rc;
}

void api_alerts_get(struct request *req)
{
    struct strbuf err = STRBUF_INIT, scope = STRBUF_INIT, key = STRBUF_INIT;
    struct strbuf cache_query = STRBUF_INIT;
    struct alert_list list = {0};
    const char *models = web_query(req, "models");
    int64_t generation;
    cdate as_of;
    int rc;

    if (models && strcmp(models, "0") && strcmp(models, "1")) {
        web_error(req, 400, "bad_request", N_("The models argument is invalid: use 0 or 1."));
        goto out;
    }
    /* The factors of the model warnings are in the caller's language. */
    if (models && !strcmp(models, "1"))
        sb_addf(&cache_query, "models|%s", req->lang);
    if (web_cache_lookup(req, "alerts", sb_str(&cache_query), &key, &generation))
        goto out;
    if (web_requested_scope(req, &scope) || web_as_of(req, &as_of))
        goto out;

    rc = alerts_evaluate(req->db, as_of, scope.buf, &list, &err);
    if (!rc && cache_query.len)
        rc = add_model_warnings(req, as_of, scope.buf, &list, &err);
    if (!rc && !role_sees_pay(req->session.who.role))
        alert_list_drop_rule(&list, AR_LABOR_COST_HIGH);
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
    sb_release(&cache_query);
    sb_release(&key);
    alert_list_free(&list);
    sb_release(&scope);
    sb_release(&err);
}
