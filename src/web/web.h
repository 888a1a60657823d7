/*
 * The web server's request model, shared by every route handler. The
 * server (server.c) reads a request, finds its route in the sorted route
 * table (routes.c), applies the session, CSRF and body-size checks the
 * route's flags ask for, runs the handler, and sends what the handler put
 * into req->resp with the security headers every response carries.
 *
 * Memory discipline: everything a request builds lives in the request
 * (strbufs and the JSON reply) and is freed by the server when the
 * connection is done with it; a handler frees only its own temporaries.
 */
#ifndef CAIRN_WEB_H
#define CAIRN_WEB_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "auth/sessions.h"
#include "db/db.h"
#include "util/date.h"
#include "util/strbuf.h"

struct MHD_Connection;
struct upload;

/* Largest request body accepted; larger ones get 413 too_large. The
 * import upload (upload_route) has its own limit, WEB_UPLOAD_MAX. */
#define WEB_BODY_MAX (1024 * 1024)
#define WEB_UPLOAD_MAX (200ull * 1024 * 1024)

/* The session cookie and its attributes (Max-Age is added at login). */
#define SESSION_COOKIE "cairn_session"

struct response {
    unsigned status;
    const char *content_type;
    struct strbuf body;
    const unsigned char *static_body; /* embedded asset; used instead of body */
    size_t static_size;
    struct strbuf set_cookie; /* one Set-Cookie value, or empty */
    struct strbuf disposition; /* Content-Disposition value (downloads), or empty */
    bool api;                 /* JSON API response: Cache-Control no-store */
};

struct request {
    uint64_t id;
    struct MHD_Connection *conn;
    const char *method; /* as received; HEAD is routed as GET */
    const char *path;
    char client_ip[48];
    const char *lang; /* catalog of the caller's language: "zh_CN", "en", ... */
    struct db *db;    /* this worker thread's connection */
    bool has_session;
    struct session session;
    struct strbuf body;
    struct upload *upload; /* the streamed multipart body of upload routes */
    bool body_too_large;
    bool logged; /* the access line is written */
    struct response resp;
};

typedef void (*route_handler)(struct request *req);

enum route_flags {
    ROUTE_SESSION = 1, /* needs a logged-in caller: 401 otherwise */
    ROUTE_NO_CSRF = 2, /* a state-changing route exempt from the CSRF check */
    ROUTE_PREFIX = 4,  /* path is a prefix ("/assets/") */
    ROUTE_API = 8,     /* a JSON API route: no caching */
    ROUTE_DOWNLOAD = 16, /* an API route that offers format=csv and xlsx */
};

struct route {
    const char *method;
    const char *path;
    route_handler handler;
    unsigned flags;
};

/* The route table, sorted by method then path (checked by a unit test). */
extern const struct route routes[];
extern const size_t nroutes;

/* Finds the route of method and path. Sets *path_known when some route
 * has this path with another method (for 405). Returns NULL when none. */
const struct route *route_find(const char *method, const char *path, bool *path_known);

/* Whether the table is sorted and free of duplicates. */
bool routes_sorted(void);

/* The translation of msgid in the caller's language. */
const char *web_text(const struct request *req, const char *msgid);

/* Sets the response to a JSON value (stolen) with the given status. */
void web_json(struct request *req, unsigned status, json_t *value);

/*
 * Sets the response to {"error":{"code":code,"message":msgid translated}} with status.
 * The codes in use: bad_request 400, unauthorized 401, forbidden 403,
 * not_found 404, method_not_allowed 405, too_large 413,
 * too_many_requests 429, internal 500.
 */
void web_error(struct request *req, unsigned status, const char *code, const char *msgid);

/* Sets the response as web_error does, with the message built from the
 * translation of msgid_format and the arguments. */
void web_errorf(struct request *req, unsigned status, const char *code,
                const char *msgid_format, ...) __attribute__((format(printf, 4, 5)));

/* Sets a 500 internal response and logs err (which is not shown to the caller). */
void web_internal_error(struct request *req, const char *what, const struct strbuf *err);

/*
 * Reads the "scope" query argument (default: the caller's own scope),
 * checks it against the caller's scope and writes it to scope_text.
 * Returns 0 when the caller may see it, or -1 after setting the error
 * response (400 invalid, 403 outside the caller's scope, 404 unknown, 500).
 */
int web_requested_scope(struct request *req, struct strbuf *scope_text);

/*
 * Checks that the caller's account has the whole company as its scope.
 * It guards the routes whose rows are not checked one by one against a
 * unit scope (imports, saved mappings, the audit log). Returns 0, or -1 after setting a 403
 * response with msgid_format, whose one %s gets the account's scope.
 */
int web_require_company_scope(struct request *req, const char *msgid_format);
/* The message of web_require_company_scope for imports and mappings. */
extern const char *const web_write_scope_message;

/*
 * Clears the metrics computed from payroll in selected (indexed by
 * metric_id) when the caller's role may not see pay. A caller that named
 * such a metric (named) for an employee scope gets 403 instead, because
 * the value would be that one person's pay. Returns 0, or -1 after
 * setting the 403 response.
 */
int web_withhold_pay_metrics(struct request *req, const char *scope, bool named, bool *selected);


/* Reads the "as_of" query argument, or today in the company time zone
 * without it. Returns 0, or -1 after setting the error response. */
int web_as_of(struct request *req, cdate *as_of);

/*
 * Looks up the cached response of route for this caller, the scope and
 * as_of arguments, and query (the route's other arguments as one string).
 * Call it after checking the arguments' syntax; the scope check may come
 * after it (cached.c says why). Returns 1 after setting the response from
 * the cache, 0 on a miss with key and *generation set for
 * web_cache_store, or -1 after setting an error response.
 */
int web_cache_lookup(struct request *req, const char *route, const char *query,
                     struct strbuf *key, int64_t *generation);
/* Stores the request's response under key when its status is 200. */
void web_cache_store(const struct request *req, const char *key, int64_t generation);

/* Library texts in the caller's language (gettext_lock.c): between enter
 * and leave, gettext translates into req->lang, and other callers of
 * enter wait. */
struct web_gettext {
    char *language; /* LANGUAGE before enter; NULL when it was unset */
};
void web_gettext_enter(const struct request *req, struct web_gettext *saved);
/* The same for a catalog name, for threads without a request. */
void web_gettext_enter_lang(const char *lang, struct web_gettext *saved);
void web_gettext_leave(struct web_gettext *saved);

/* Writes an audit row for the caller (action, subject, detail as for
 * audit_record). Returns 0, or -1 after setting a 500 response. */
int web_audit(struct request *req, const char *action, const char *subject, const char *detail);

/*
 * Checks a mapping text as mapping_check does. Returns 0 with the target
 * entities in *targets (a new array), or -1 after setting a 400 response
 * whose error object also has line, column and position for a JSON syntax
 * error.
 */
int web_mapping_check(struct request *req, const char *text, size_t len, bool workbook,
                      json_t **targets);

/* Checks that the caller's role may import every entity of targets (an
 * array of entity names, as web_mapping_check returns). Returns 0, or -1
 * after setting a 403 response that names the first entity it may not. */
int web_check_import_targets(struct request *req, const json_t *targets);

/* A request header, query argument or cookie; NULL when absent. */
const char *web_header(const struct request *req, const char *name);
const char *web_query(const struct request *req, const char *name);
const char *web_cookie(const struct request *req, const char *name);

/* Whether method and path are a route whose body is streamed to
 * temporary files (upload.c) instead of kept in req->body. */
bool upload_route(const char *method, const char *path);
/* Passes one chunk of the body of an upload route to its multipart
 * parser; errors are kept in req->upload for the handler. */
void upload_feed(struct request *req, const char *data, size_t size);
/* Deletes the upload's temporary files (unless a job took them). */
void upload_free(struct upload *upload);

/* Route handlers, by file. */
void api_alert_state(struct request *req);
void api_alerts_get(struct request *req);
void api_audit_get(struct request *req);
void api_explain_get(struct request *req);
void api_forecast_get(struct request *req);
void api_import_get(struct request *req);
void api_import_post(struct request *req);
void api_kpi_get(struct request *req);
void api_linkage_get(struct request *req);
/* The current model scores (api_risk.c). */
void api_risk_attrition_get(struct request *req);
void api_risk_churn_get(struct request *req);
/* The import page's mappings (api_mappings.c). */
void api_mapping_check(struct request *req);
void api_mapping_get(struct request *req);
void api_mapping_save(struct request *req);
void api_mappings_list(struct request *req);
void api_session_create(struct request *req);
void api_session_get(struct request *req);
void api_session_delete(struct request *req);
/* The dashboard's routes (api_units.c, api_series.c, api_teams.c,
 * api_orders.c, api_people.c). */
void api_customer_get(struct request *req);
void api_employee_get(struct request *req);
void api_orders_get(struct request *req);
void api_series_get(struct request *req);
void api_teams_get(struct request *req);
void api_team_profile_get(struct request *req);
void api_unit_get(struct request *req);
void api_units_list(struct request *req);
void page_index(struct request *req);
void page_asset(struct request *req);

#endif
