/*
 * The mapping files of the import page, for the roles that may import
 * (gm, hr, finance):
 *
 *   GET  /api/v1/mappings           the list: the examples embedded from
 *                                   examples/ (NAME.map.json), then the saved ones
 *   GET  /api/v1/mappings/ID        one mapping's JSON text; ID is
 *                                   example:NAME or saved:NAME
 *   POST /api/v1/mappings/check     {"text":..,"file":..} checked as
 *                                   "cairn import --map" would read it:
 *                                   {"valid":true,"entities":[..]} or
 *                                   {"valid":false,"error":{..}}
 *   POST /api/v1/mappings           {"name":..,"text":..} saved, with an
 *                                   audit row; a name saved by another
 *                                   login is replaced only by a gm (409)
 *
 * The check is mapping_check (src/mapping): the same parser the import
 * runs, without reading any source file.
 */
#include <string.h>
#include <time.h>

#include "auth/audit.h"
#include "auth/scope.h"
#include "mapping/mapping.h"
#include "util/charclass.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/ui_assets.h"
#include "web/web.h"

#define EXAMPLE_PREFIX "examples/"
#define EXAMPLE_SUFFIX ".map.json"
/* Maximum length of a saved mapping's name, in bytes. */
#define MAPPING_NAME_MAX 64

static const char *const invalid_name_message =
    N_("The mapping name is invalid: use 1 to 64 bytes (21 Chinese characters) of letters of "
       "any script, digits, '-', '_' or '.', without spaces or invisible characters, and do not "
       "start with '.'.");

static bool mapping_name_valid(const char *name);

static bool may_use_mappings(const struct request *req)
{
    enum role r = req->session.who.role;

    return r == ROLE_GM || r == ROLE_HR || r == ROLE_FINANCE;
}

/* Sets 403 and returns false unless the caller may use mappings. */
static bool check_role(struct request *req)
{
    if (may_use_mappings(req))
        return true;
    web_error(req, 403, "forbidden", N_("Your role may not import data."));
    return false;
}

/* The error object of a mapping that mapping_check refused: code,
 * message, and line, column and position for a JSON syntax error. */
static json_t *mapping_error(const struct mapping_problem *where, const struct strbuf *err)
{
    json_t *error = json_pack("{s:s, s:s}", "code", "bad_request", "message", sb_str(err));

    if (where->line > 0) {
        json_object_set_new(error, "line", json_integer(where->line));
        json_object_set_new(error, "column", json_integer(where->column));
        json_object_set_new(error, "position", json_integer(where->position));
    }
    return error;
}

/* mapping_check with its messages in the caller's language. */
static int check_in_language(const struct request *req, const char *text, size_t len, bool workbook,
                             json_t **targets, struct mapping_problem *where, struct strbuf *err)
{
    struct web_gettext saved;
    int rc;

    web_gettext_enter(req, &saved);
    rc = mapping_check(text, len, workbook, targets, where, err);
    web_gettext_leave(&saved);
    return rc;
}

int web_mapping_check(struct request *req, const char *text, size_t len, bool workbook,
                      json_t **targets)
{
    struct mapping_problem where;
    struct strbuf err = STRBUF_INIT;

    if (!check_in_language(req, text, len, workbook, targets, &where, &err)) {
        sb_release(&err);
        return 0;
    }
    web_json(req, 400, json_pack("{s:o}", "error", mapping_error(&where, &err)));
    req->resp.api = true;
    sb_release(&err);
    return -1;
}

/* An embedded example's name ("superstore") from its asset name, or NULL. */
static const char *example_name(const struct ui_asset *a, size_t *len)
{
    size_t n = strlen(a->name), pre = strlen(EXAMPLE_PREFIX), suf = strlen(EXAMPLE_SUFFIX);

    if (n <= pre + suf || strncmp(a->name, EXAMPLE_PREFIX, pre) ||
        strcmp(a->name + n - suf, EXAMPLE_SUFFIX))
        return NULL;
    *len = n - pre - suf;
    return a->name + pre;
}

void api_mappings_list(struct request *req)
{
    struct strbuf err = STRBUF_INIT, id = STRBUF_INIT;
    struct db_stmt *st;
    json_t *list;
    int rc;

    if (!check_role(req))
        return;
    list = json_array();
    for (size_t i = 0; i < ui_asset_count; i++) {
        size_t len;
        const char *name = example_name(&ui_assets[i], &len);

        if (!name)
            continue;
        sb_reset(&id);
        sb_addf(&id, "example:%.*s", (int)len, name);
        json_array_append_new(list,
                              json_pack("{s:s, s:s#, s:s, s:n, s:n}", "id", id.buf, "name", name,
                                        (int)len, "origin", "example", "login", "saved"));
    }
    st = db_prepare(req->db, "SELECT name, login, saved FROM mappings ORDER BY name", &err);
    if (!st)
        goto fail;
    while ((rc = db_step(st, &err)) == DB_ROW) {
        sb_reset(&id);
        sb_addf(&id, "saved:%s", db_column_text(st, 0));
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id.buf, "name",
                                        db_column_text(st, 0), "origin", "saved", "login",
                                        db_column_text(st, 1), "saved", db_column_text(st, 2)));
    }
    db_finalize(st);
    if (rc == DB_ERROR)
        goto fail;
    web_json(req, 200, json_pack("{s:o}", "mappings", list));
    goto out;
fail:
    json_decref(list);
    web_internal_error(req, "listing mappings", &err);
out:
    sb_release(&id);
    sb_release(&err);
}

void api_mapping_get(struct request *req)
{
    const char *id = req->path + strlen("/api/v1/mappings/");
    struct strbuf err = STRBUF_INIT, asset = STRBUF_INIT;
    struct db_stmt *st;
    const char *name;
    int rc;

    if (!check_role(req))
        return;
    /* The server leaves encoded control characters such as %00 encoded
     * (server.c), so they reach this check instead of cutting the id. */
    name = !strncmp(id, "example:", 8) ? id + 8 : !strncmp(id, "saved:", 6) ? id + 6 : NULL;
    if (name && !mapping_name_valid(name)) {
        web_error(req, 400, "bad_request", invalid_name_message);
        goto out;
    }
    if (!strncmp(id, "example:", 8)) {
        const struct ui_asset *a;

        sb_addf(&asset, EXAMPLE_PREFIX "%s" EXAMPLE_SUFFIX, id + 8);
        a = strchr(id + 8, '/') ? NULL : asset_find(asset.buf);
        if (a)
            web_json(req, 200,
                     json_pack("{s:s, s:s, s:s, s:s#}", "id", id, "name", id + 8, "origin",
                               "example", "text", (const char *)a->data, (int)a->size));
        else
            web_error(req, 404, "not_found", N_("No mapping has this name."));
        goto out;
    }
    if (strncmp(id, "saved:", 6)) {
        web_error(req, 404, "not_found", N_("No mapping has this name."));
        goto out;
    }
    st = db_prepare(req->db, "SELECT text, login, saved FROM mappings WHERE name = ?", &err);
    if (!st) {
        web_internal_error(req, "reading a mapping", &err);
        goto out;
    }
    db_bind_text(st, 1, id + 6);
    rc = db_step(st, &err);
    if (rc == DB_ROW)
        web_json(req, 200,
                 json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "name", id + 6, "origin",
                           "saved", "text", db_column_text(st, 0), "login", db_column_text(st, 1),
                           "saved", db_column_text(st, 2)));
    else if (rc == DB_DONE)
        web_error(req, 404, "not_found", N_("No mapping has this name."));
    else
        web_internal_error(req, "reading a mapping", &err);
    db_finalize(st);
out:
    sb_release(&asset);
    sb_release(&err);
}

/* The JSON object body of a POST, or NULL after setting 400. */
static json_t *object_body(struct request *req)
{
    json_t *body = json_loadb(sb_str(&req->body), req->body.len, 0, NULL);

    if (json_is_object(body) && json_is_string(json_object_get(body, "text")))
        return body;
    json_decref(body);
    web_error(req, 400, "bad_request",
              N_("The body must be a JSON object with the mapping as the string \"text\"."));
    return NULL;
}

void api_mapping_check(struct request *req)
{
    struct mapping_problem where;
    struct strbuf err = STRBUF_INIT;
    json_t *body, *targets = NULL, *text;
    const char *file;

    if (!check_role(req) || !(body = object_body(req)))
        return;
    /* Without a file name, the sources may be a workbook's sheets. A
     * rejected mapping is a normal result: 200 with valid false. */
    text = json_object_get(body, "text");
    file = json_string_value(json_object_get(body, "file"));
    if (check_in_language(req, json_string_value(text), json_string_length(text),
                          !file || strstr(file, ".xls"), &targets, &where, &err))
        web_json(req, 200,
                 json_pack("{s:b, s:o}", "valid", 0, "error", mapping_error(&where, &err)));
    else
        web_json(req, 200, json_pack("{s:b, s:o}", "valid", 1, "entities", targets));
    json_decref(body);
    sb_release(&err);
}

/* Whether name may name a saved mapping: 1 to MAPPING_NAME_MAX bytes of
 * letters and digits of any script, '-', '_' and '.', not starting with
 * '.'. Spaces, symbols and invisible characters (zero-width spaces, bidi
 * controls) are rejected, so that no two names in the picker look alike. */
static bool mapping_name_valid(const char *name)
{
    size_t n = strlen(name), at = 0;

    if (!n || n > MAPPING_NAME_MAX || name[0] == '.')
        return false;
    while (at < n) {
        char c = name[at];
        enum char_class class = char_class_next(name, n, &at);

        if (class != CHAR_LETTER && class != CHAR_DIGIT && c != '-' && c != '_' && c != '.')
            return false;
    }
    return true;
}

/* Sets 409 and returns 1 when a mapping named name was saved by another
 * login and the caller is not a gm; returns 0 when the caller may save
 * under name, or -1 with err. */
static int check_owner(struct request *req, const char *name, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(req->db, "SELECT login FROM mappings WHERE name = ?", err);
    int rc, ret = -1;

    if (!st)
        return -1;
    db_bind_text(st, 1, name);
    rc = db_step(st, err);
    if (rc == DB_DONE || (rc == DB_ROW && (req->session.who.role == ROLE_GM ||
                                           !strcmp(db_column_text(st, 0), req->session.login))))
        ret = 0;
    else if (rc == DB_ROW) {
        web_errorf(req, 409, "conflict",
                   N_("The mapping %s was saved by %s: choose another name, or ask a gm to "
                      "replace it."),
                   name, db_column_text(st, 0));
        ret = 1;
    }
    db_finalize(st);
    return ret;
}

void api_mapping_save(struct request *req)
{
    struct strbuf err = STRBUF_INIT, subject = STRBUF_INIT, id = STRBUF_INIT;
    json_t *body, *targets = NULL, *text;
    const char *name;
    char now[AUDIT_TIME_SIZE];
    struct db_stmt *st = NULL;

    if (!check_role(req) || !(body = object_body(req)))
        return;
    name = json_string_value(json_object_get(body, "name"));
    text = json_object_get(body, "text");
    if (!name || !mapping_name_valid(name)) {
        web_error(req, 400, "bad_request", invalid_name_message);
        goto out;
    }
    if (web_require_company_scope(req, web_write_scope_message))
        goto out;
    /* A mapping is saved only when an import could read it (a workbook
     * import accepts every mapping a folder import does), and only by a
     * role that may import every entity it writes. */
    if (web_mapping_check(req, json_string_value(text), json_string_length(text), true, &targets) ||
        web_check_import_targets(req, targets))
        goto out;

    /* The row and its audit row, in one transaction. */
    audit_time(time(NULL), now);
    sb_addf(&subject, "mapping:%s", name);
    if (db_begin(req->db, &err))
        goto fail;
    switch (check_owner(req, name, &err)) {
    case 0:
        break;
    case 1:
        db_rollback(req->db);
        goto out;
    default:
        goto rollback;
    }
    st = db_prepare(req->db,
                    "INSERT INTO mappings (name, text, login, saved) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET text = excluded.text,"
                    " login = excluded.login, saved = excluded.saved",
                    &err);
    if (!st)
        goto rollback;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, json_string_value(text));
    db_bind_text(st, 3, req->session.login);
    db_bind_text(st, 4, now);
    if (db_step(st, &err) != DB_DONE ||
        audit_record(req->db, req->session.login, "mapping_save", subject.buf, NULL, &err) ||
        db_commit(req->db, &err))
        goto rollback;
    sb_addf(&id, "saved:%s", name);
    web_json(req, 200,
             json_pack("{s:s, s:s, s:O}", "id", id.buf, "name", name, "entities", targets));
    goto out;
rollback:
    db_rollback(req->db);
fail:
    web_internal_error(req, "saving a mapping", &err);
out:
    db_finalize(st);
    json_decref(targets);
    json_decref(body);
    sb_release(&subject);
    sb_release(&id);
    sb_release(&err);
}
