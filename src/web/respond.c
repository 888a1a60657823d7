/*
 * Helpers that route handlers use to read a request and build the response.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "auth/audit.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/log.h"
#include "web/msgcat.h"
#include "web/web.h"

const char *web_text(const struct request *req, const char *msgid)
{
    return msgcat_get(req->lang, msgid);
}

void web_json(struct request *req, unsigned status, json_t *value)
{
    char *text = json_dumps(value, JSON_REAL_PRECISION(15) | JSON_COMPACT);

    json_decref(value);
    req->resp.status = status;
    req->resp.content_type = "application/json; charset=utf-8";
    sb_reset(&req->resp.body);
    if (text) {
        sb_add(&req->resp.body, text);
        free(text);
    }
    req->resp.static_body = NULL;
}

void web_error(struct request *req, unsigned status, const char *code, const char *msgid)
{
    web_json(req, status,
             json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", web_text(req, msgid)));
    req->resp.api = true;
}

void web_errorf(struct request *req, unsigned status, const char *code,
                const char *msgid_format, ...)
{
    struct strbuf message = STRBUF_INIT;
    va_list ap;

    va_start(ap, msgid_format);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    sb_vaddf(&message, web_text(req, msgid_format), ap);
#pragma GCC diagnostic pop
    va_end(ap);
    web_json(req, status,
             json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", sb_str(&message)));
    req->resp.api = true;
    sb_release(&message);
}

void web_internal_error(struct request *req, const char *what, const struct strbuf *err)
{
    log_line(LOG_ERROR, req->id, req->has_session ? req->session.login : NULL, "%s: %s", what,
             sb_str(err));
    web_error(req, 500, "internal", N_("An internal error occurred; the server log has the details."));
}

int web_audit(struct request *req, const char *action, const char *subject, const char *detail)
{
    struct strbuf err = STRBUF_INIT;

    if (audit_record(req->db, req->session.login, action, subject, detail, &err)) {
        web_internal_error(req, "writing an audit row", &err);
        sb_release(&err);
        return -1;
    }
    return 0;
}

const char *web_header(const struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *web_query(const struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *web_cookie(const struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}
