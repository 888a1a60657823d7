/*
 * The query arguments that every scoped API route shares: scope (checked
 * against the caller's scope by src/auth/scope.c before anything is
 * computed) and as_of (default: today in the company time zone).
 */
#include <string.h>

#include "auth/scope.h"
#include "metrics/catalog.h"
#include "store/events.h"
#include "util/i18n.h"
#include "web/web.h"

int web_requested_scope(struct request *req, struct strbuf *scope_text)
{
    struct strbuf err = STRBUF_INIT;
    const char *given = web_query(req, "scope");
    struct scope want;
    enum scope_decision decision;
    int ret = -1;

    if (given)
        sb_add(scope_text, given);
    else
        scope_format(&req->session.who.scope, scope_text);
    if (scope_parse(scope_text->buf, &want)) {
        web_error(req, 400, "bad_request",
                  N_("The scope is invalid: use company, unit:ID or employee:ID."));
        goto out;
    }
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
    ret = 0;
out:
    sb_release(&err);
    return ret;
}

const char *const web_write_scope_message =
    N_("Your account is limited to %s, but an import or a saved mapping can change data of "
       "every unit: ask an account without a unit scope to do this.");

int web_require_company_scope(struct request *req, const char *msgid_format)
{
    struct strbuf scope = STRBUF_INIT;

    if (req->session.who.scope.kind == SCOPE_COMPANY)
        return 0;
    scope_format(&req->session.who.scope, &scope);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    web_errorf(req, 403, "forbidden", msgid_format, scope.buf);
#pragma GCC diagnostic pop
    sb_release(&scope);
    return -1;
}

int web_withhold_pay_metrics(struct request *req, const char *scope, bool named, bool *selected)
{
    if (role_sees_pay(req->session.who.role))
        return 0;
    for (int m = 0; m < METRIC_COUNT; m++) {
        if (!selected[m] || !metric_uses_pay((enum metric_id)m))
            continue;
        if (named && !strncmp(scope, "employee:", 9)) {
            web_errorf(req, 403, "forbidden",
                       N_("Your role may not see pay, and %s is computed from payroll."),
                       metric_defs[m].name);
            return -1;
        }
        selected[m] = false;
    }
    return 0;
}

int web_as_of(struct request *req, cdate *as_of)
{
    struct strbuf err = STRBUF_INIT;
    const char *given = web_query(req, "as_of");
    struct tz *tz;

    if (given) {
        if (date_parse(given, as_of) == 0)
            return 0;
        web_error(req, 400, "bad_request", N_("The as_of date is invalid: use YYYY-MM-DD."));
        return -1;
    }
    tz = company_tz_open(req->db, &err);
    if (!tz) {
        web_internal_error(req, "company time zone", &err);
        sb_release(&err);
        return -1;
    }
    *as_of = tz_today(tz);
    tz_close(tz);
    return 0;
}
