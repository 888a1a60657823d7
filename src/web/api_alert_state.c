/*
 * POST /api/v1/alerts/ID/ack and POST /api/v1/alerts/ID/resolve — set the
 * state of a recorded warning, as "cairn alerts ack|resolve ID" does.
 * The caller must see the warning's scope (403 otherwise), and each
 * change is written to the audit log.
 */
#include <stdlib.h>
#include <string.h>

#include "alerts/record.h"
#include "auth/audit.h"
#include "auth/scope.h"
#include "util/i18n.h"
#include "web/web.h"

/* Splits "ID/ack" or "ID/resolve" after the route's prefix. Returns 0
 * with *id and the new state, or -1 for any other path. */
static int parse_path(const char *rest, int64_t *id, const char **state)
{
    char *end;
    long long v;

    if (*rest < '1' || *rest > '9')
        return -1;
    v = strtoll(rest, &end, 10);
    if (!strcmp(end, "/ack"))
        *state = "acknowledged";
    else if (!strcmp(end, "/resolve"))
        *state = "resolved";
    else
        return -1;
    *id = v;
    return 0;
}

/* Reads the scope of recorded warning id into scope. Returns 1 when it
 * exists, 0 when not, -1 on a database error. */
static int alert_scope(struct db *db, int64_t id, struct scope *scope, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "SELECT scope FROM alerts WHERE id = ?", err);
    int step, found = 0;

    if (!st)
        return -1;
    db_bind_int64(st, 1, id);
    step = db_step(st, err);
    if (step == DB_ROW && scope_parse(db_column_text(st, 0), scope) == 0)
        found = 1;
    db_finalize(st);
    return step == DB_ERROR ? -1 : found;
}

void api_alert_state(struct request *req)
{
    struct strbuf err = STRBUF_INIT, subject = STRBUF_INIT;
    const char *state;
    struct scope scope;
    enum scope_decision decision;
    int64_t id;
    int found, rc;

    if (parse_path(req->path + strlen("/api/v1/alerts/"), &id, &state)) {
        web_error(req, 404, "not_found", N_("Nothing exists at this address."));
        goto out;
    }
    found = alert_scope(req->db, id, &scope, &err);
    if (found < 0) {
        web_internal_error(req, "reading a warning", &err);
        goto out;
    }
    if (!found) {
        web_error(req, 404, "not_found", N_("No warning has this id."));
        goto out;
    }
    if (scope_check(req->db, &req->session.who, &scope, &decision, &err)) {
        web_internal_error(req, "scope check", &err);
        goto out;
    }
    if (decision != SCOPE_ALLOWED) {
        web_error(req, 403, "forbidden", N_("This warning is outside your access."));
        goto out;
    }

    sb_addf(&subject, "alert:%lld", (long long)id);
    if (db_begin(req->db, &err))
        goto fail;
    rc = alerts_set_state(req->db, id, state, &err);
    if (rc || audit_record(req->db, req->session.login,
                           !strcmp(state, "resolved") ? "alert_resolve" : "alert_ack",
                           subject.buf, NULL, &err) ||
        db_commit(req->db, &err)) {
        db_rollback(req->db);
        goto fail;
    }
    web_json(req, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", state));
    goto out;
fail:
    web_internal_error(req, "changing a warning's state", &err);
out:
    sb_release(&subject);
    sb_release(&err);
}
