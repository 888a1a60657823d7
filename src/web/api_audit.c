/*
 * GET /api/v1/audit?limit=N&before=ID&action=A&login=L — the audit log for
 * the gm role without a unit scope, newest first: {"rows":[{"id":..,"time":..,"login":..,
 * "action":..,"subject":..,"detail":..}],"next_before":ID|null}. limit is
 * 100 by default and at most 1000; before=ID pages back (rows with a
 * smaller id); action and login keep the rows with that value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/scope.h"
#include "util/i18n.h"
#include "web/web.h"

#define AUDIT_PAGE_DEFAULT 100
#define AUDIT_PAGE_MAX     1000

/* A positive integer query argument, dflt when absent; -1 when invalid. */
static long long positive_arg(const struct request *req, const char *name, long long dflt)
{
    const char *text = web_query(req, name);
    char *end;
    long long v;

    if (!text)
        return dflt;
    if (*text < '1' || *text > '9')
        return -1;
    v = strtoll(text, &end, 10);
    return *end ? -1 : v;
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
    const char *v = db_column_text(st, col);

    return v ? json_string(v) : json_null();
}

void api_audit_get(struct request *req)
{
    struct strbuf err = STRBUF_INIT;
    const char *action = web_query(req, "action"), *login = web_query(req, "login");
    long long limit = positive_arg(req, "limit", AUDIT_PAGE_DEFAULT);
    long long before = positive_arg(req, "before", INT64_MAX);
    struct db_stmt *st;
    json_t *rows;
    long long last = 0;
    int rc;

    if (req->session.who.role != ROLE_GM) {
        web_error(req, 403, "forbidden", N_("Only the gm role may read the audit log."));
        return;
    }
    /* The rows' subjects are not all scopes (logins, mappings, import
     * jobs), so the log is not filtered: a gm limited to a unit gets 403. */
    if (web_require_company_scope(req, N_("Your account is limited to %s, but the audit log "
                                          "covers the whole company: only a gm without a unit "
                                          "scope may read it.")))
        return;
    if (limit < 1 || limit > AUDIT_PAGE_MAX || before < 1) {
        web_error(req, 400, "bad_request",
                  N_("limit must be 1 to 1000 and before a positive audit row id."));
        return;
    }
    /* One more row than requested shows whether an older page exists. */
    st = db_prepare(req->db,
                    "SELECT id, time, login, action, subject, detail FROM audit WHERE id < ?"
                    " AND (? IS NULL OR action = ?) AND (? IS NULL OR login = ?)"
                    " ORDER BY id DESC LIMIT ?",
                    &err);
    if (!st) {
        web_internal_error(req, "reading the audit log", &err);
        goto out;
    }
    db_bind_int64(st, 1, before);
    db_bind_text(st, 2, action);
    db_bind_text(st, 3, action);
    db_bind_text(st, 4, login);
    db_bind_text(st, 5, login);
    db_bind_int64(st, 6, limit + 1);
    rows = json_array();
    while ((rc = db_step(st, &err)) == DB_ROW && (long long)json_array_size(rows) < limit) {
        last = db_column_int64(st, 0);
        json_array_append_new(rows,
                              json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)last,
                                        "time", text_or_null(st, 1), "login", text_or_null(st, 2),
                                        "action", text_or_null(st, 3), "subject",
                                        text_or_null(st, 4), "detail", text_or_null(st, 5)));
    }
    db_finalize(st);
    if (rc == DB_ERROR) {
        json_decref(rows);
        web_internal_error(req, "reading the audit log", &err);
        goto out;
    }
    web_json(req, 200,
             json_pack("{s:o, s:o}", "rows", rows, "next_before",
                       rc == DB_ROW ? json_integer(last) : json_null()));
out:
    sb_release(&err);
}
