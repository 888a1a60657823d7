/*
 * End-to-end tests of "cairn serve": login, session cookie, CSRF, logout,
 * throttling, the page and its headers, error answers and the audit log,
 * against the real binary on 127.0.0.1 driven by libcurl. Each test has
 * its own database and server, because the login throttle counts
 * failures per client address and every request here comes from
 * 127.0.0.1.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "http.h"
#include "server.h"
#include "support.h"

#include "db/db.h"

#define PASSWORD "secret-pass-1"

struct fixture {
    char *dir;
    char *db_path;
    struct test_server server;
};

/* Sends one request to the fixture's server. */
static struct http request(const struct fixture *f, const char *method, const char *path,
                           const char *body, const char *cookie,
                           const char *const *extra_headers)
{
    return http_request(f->server.base_url, method, path, body, cookie, extra_headers);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct strbuf err = STRBUF_INIT;
    struct db *db;

    f->dir = make_temp_dir();
    f->db_path = path_join(f->dir, "cairn.db");
    if (db_open(&db, f->db_path, DB_OPEN_CREATE, &err))
        fail_msg("db_open: %s", err.buf);
    if (db_exec(db,
                "INSERT INTO org_units (unit_id, name, parent_id, kind) VALUES"
                " ('C', 'Company', NULL, 'company'), ('X', 'Shanghai', 'C', 'city'),"
                " ('TA', 'Team A', 'X', 'team');",
                &err))
        fail_msg("insert: %s", err.buf);
    db_close(db);
    sb_release(&err);
    test_user_add(f->db_path, "alice", "gm", NULL, PASSWORD);
    test_user_add(f->db_path, "tina", "team_lead", "unit:TA", PASSWORD);
    test_server_start(&f->server, f->db_path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    /* A clean stop on SIGTERM exits 0. */
    assert_int_equal(test_server_stop(&f->server), 0);
    remove_tree(f->dir);
    free(f->dir);
    free(f->db_path);
    free(f);
    return 0;
}

static struct http log_in(const struct fixture *f, const char *login, const char *password,
                          const char *const *headers)
{
    char body[256];

    snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}", login, password);
    return request(f, "POST", "/api/v1/session", body, NULL, headers);
}

/* "cairn_session=TOKEN" from the Set-Cookie header, for CURLOPT_COOKIE. */
static char *session_cookie(const struct http *h)
{
    char *set = http_header(h, "Set-Cookie"), *semi;

    assert_non_null(set);
    semi = strchr(set, ';');
    if (semi)
        *semi = '\0';
    return set;
}

static void login_sets_cookie(void **state)
{
    struct fixture *f = *state;
    struct http h = log_in(f, "tina", PASSWORD, NULL);
    char *set = http_header(&h, "Set-Cookie"), *cache = http_header(&h, "Cache-Control");
    json_t *v = json_loads(h.body, 0, NULL);
    const char *csrf;
    struct run_result r;

    assert_int_equal(h.status, 200);
    assert_non_null(v);
    assert_string_equal(json_string_value(json_object_get(v, "login")), "tina");
    assert_string_equal(json_string_value(json_object_get(v, "role")), "team_lead");
    assert_string_equal(json_string_value(json_object_get(v, "scope")), "unit:TA");
    csrf = json_string_value(json_object_get(v, "csrf"));
    assert_non_null(csrf);
    assert_int_equal(strlen(csrf), 64);
    assert_int_equal(json_object_size(v), 4);

    /* cairn_session=<64 hex>; HttpOnly; SameSite=Strict; Path=/; Max-Age=12 h */
    assert_non_null(set);
    assert_int_equal(strncmp(set, "cairn_session=", 14), 0);
    assert_int_equal(strspn(set + 14, "0123456789abcdef"), 64);
    assert_string_equal(set + 14 + 64, "; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200");
    assert_string_equal(cache, "no-store");
    free(set);
    free(cache);
    json_decref(v);
    http_free(&h);

    /* The running server reads server.session_hours at each login. */
    r = run_cairn(NULL, NULL, ARGS("--db", f->db_path, "config", "server.session_hours", "2"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    h = log_in(f, "tina", PASSWORD, NULL);
    assert_int_equal(h.status, 200);
    set = http_header(&h, "Set-Cookie");
    assert_non_null(strstr(set, "; Max-Age=7200"));
    free(set);
    http_free(&h);
}

static void session_then_logout(void **state)
{
    struct fixture *f = *state;
    struct http login = log_in(f, "alice", PASSWORD, NULL), h;
    char *cookie = session_cookie(&login), csrf_header[128], *set;
    json_t *v = json_loads(login.body, 0, NULL);

    assert_int_equal(login.status, 200);
    assert_string_equal(json_string_value(json_object_get(v, "scope")), "company");
    snprintf(csrf_header, sizeof(csrf_header), "X-CSRF-Token: %s",
             json_string_value(json_object_get(v, "csrf")));

    /* The session is live, and not without the cookie. */
    h = request(f, "GET", "/api/v1/session", NULL, cookie, NULL);
    assert_int_equal(h.status, 200);
    assert_non_null(strstr(h.body, "\"login\":\"alice\""));
    http_free(&h);
    h = request(f, "GET", "/api/v1/session", NULL, NULL, NULL);
    http_assert_error(&h, 401, "unauthorized");
    http_free(&h);
    h = request(f, "GET", "/api/v1/session", NULL, "cairn_session=0123", NULL);
    http_assert_error(&h, 401, "unauthorized");
    http_free(&h);

    /* Logging out needs the CSRF token. */
    h = request(f, "DELETE", "/api/v1/session", NULL, cookie, NULL);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = request(f, "DELETE", "/api/v1/session", NULL, cookie,
                ARGS("X-CSRF-Token: 0000000000000000000000000000000000000000000000000000000000000000"));
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = request(f, "DELETE", "/api/v1/session", NULL, NULL, ARGS(csrf_header));
    http_assert_error(&h, 401, "unauthorized");
    http_free(&h);

    h = request(f, "DELETE", "/api/v1/session", NULL, cookie, ARGS(csrf_header));
    assert_int_equal(h.status, 204);
    set = http_header(&h, "Set-Cookie");
    assert_string_equal(set, "cairn_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    free(set);
    http_free(&h);

    h = request(f, "GET", "/api/v1/session", NULL, cookie, NULL);
    http_assert_error(&h, 401, "unauthorized");
    http_free(&h);

    json_decref(v);
    free(cookie);
    http_free(&login);
}

static void bad_password_rejected(void **state)
{
    struct fixture *f = *state;
    struct http h = log_in(f, "alice", "wrong-password", ARGS("Accept-Language: en-US,en;q=0.9"));
    json_t *v;

    http_assert_error(&h, 401, "unauthorized");
    assert_null(strstr(h.headers, "Set-Cookie"));
    v = json_loads(h.body, 0, NULL);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(v, "error"), "message")),
        "The login or the password is wrong.");
    json_decref(v);
    http_free(&h);

    /* Without a language the server's own (Chinese under LANG=C.UTF-8). */
    h = log_in(f, "nobody", "wrong-password", NULL);
    http_assert_error(&h, 401, "unauthorized");
    v = json_loads(h.body, 0, NULL);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(v, "error"), "message")),
        "账号或密码错误。");
    json_decref(v);
    http_free(&h);

    /* The page's language switch sets cairn_lang, which wins. */
    h = request(f, "POST", "/api/v1/session", "{\"login\":\"alice\"}", "cairn_lang=en",
                ARGS("Accept-Language: zh-CN"));
    http_assert_error(&h, 400, "bad_request");
    v = json_loads(h.body, 0, NULL);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(v, "error"), "message")),
        "Send a JSON object with the strings \"login\" and \"password\".");
    json_decref(v);
    http_free(&h);

    h = request(f, "POST", "/api/v1/session", "not json", NULL, NULL);
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
}

static void login_throttled_after_five(void **state)
{
    struct fixture *f = *state;
    struct http h;

    for (int i = 0; i < 5; i++) {
        h = log_in(f, "alice", "wrong-password", NULL);
        http_assert_error(&h, 401, "unauthorized");
        http_free(&h);
    }
    /* The sixth attempt is refused even with the right password. */
    h = log_in(f, "alice", PASSWORD, NULL);
    http_assert_error(&h, 429, "too_many_requests");
    http_free(&h);
    /* The address is throttled too, for every login. */
    h = log_in(f, "tina", PASSWORD, NULL);
    http_assert_error(&h, 429, "too_many_requests");
    http_free(&h);
}

static void throttle_counts_per_address(void **state)
{
    struct fixture *f = *state;
    char login[32];
    struct http h;

    for (int i = 0; i < 5; i++) {
        snprintf(login, sizeof(login), "guess%d", i);
        h = log_in(f, login, "wrong-password", NULL);
        http_assert_error(&h, 401, "unauthorized");
        http_free(&h);
    }
    h = log_in(f, "alice", PASSWORD, NULL);
    http_assert_error(&h, 429, "too_many_requests");
    http_free(&h);
}

static void success_clears_failures(void **state)
{
    struct fixture *f = *state;
    struct http h;

    for (int i = 0; i < 4; i++) {
        h = log_in(f, "alice", "wrong-password", NULL);
        http_free(&h);
    }
    h = log_in(f, "alice", PASSWORD, NULL);
    assert_int_equal(h.status, 200);
    http_free(&h);
    /* The four failures are forgotten: four more are still allowed. */
    for (int i = 0; i < 4; i++) {
        h = log_in(f, "alice", "wrong-password", NULL);
        http_assert_error(&h, 401, "unauthorized");
        http_free(&h);
    }
    h = log_in(f, "alice", PASSWORD, NULL);
    assert_int_equal(h.status, 200);
    http_free(&h);
}

static void page_has_security_headers(void **state)
{
    struct fixture *f = *state;
    struct http h = request(f, "GET", "/", NULL, NULL, NULL);
    char *csp = http_header(&h, "Content-Security-Policy"), *type = http_header(&h, "Content-Type");
    char *nosniff = http_header(&h, "X-Content-Type-Options"), *referrer = http_header(&h, "Referrer-Policy");
    const char *p;

    assert_int_equal(h.status, 200);
    assert_string_equal(type, "text/html; charset=utf-8");
    assert_string_equal(csp, "default-src 'self'; script-src 'self'; style-src 'self'; "
                             "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
                             "form-action 'self'");
    assert_string_equal(nosniff, "nosniff");
    assert_string_equal(referrer, "no-referrer");
    assert_non_null(strstr(h.body, "<form id=\"login-form\""));
    assert_non_null(strstr(h.body, "type=\"password\""));
    assert_non_null(strstr(h.body, "lang=\"zh-CN\""));

    /* No inline script: every <script> loads a file, and no element has
     * an event-handler attribute or an inline style. */
    for (p = strstr(h.body, "<script"); p; p = strstr(p + 1, "<script"))
        assert_int_equal(strncmp(p, "<script src=\"/assets/", 21), 0);
    assert_null(strstr(h.body, " onclick="));
    assert_null(strstr(h.body, " onload="));
    assert_null(strstr(h.body, " onsubmit="));
    assert_null(strstr(h.body, " style="));
    assert_null(strstr(h.body, "<style"));
    free(csp);
    free(type);
    free(nosniff);
    free(referrer);
    http_free(&h);

    h = request(f, "GET", "/assets/app.js", NULL, NULL, NULL);
    type = http_header(&h, "Content-Type");
    assert_int_equal(h.status, 200);
    assert_string_equal(type, "text/javascript; charset=utf-8");
    assert_non_null(strstr(h.body, "X-CSRF-Token"));
    free(type);
    http_free(&h);

    h = request(f, "GET", "/assets/app.css", NULL, NULL, NULL);
    type = http_header(&h, "Content-Type");
    assert_int_equal(h.status, 200);
    assert_string_equal(type, "text/css; charset=utf-8");
    free(type);
    http_free(&h);

    h = request(f, "HEAD", "/", NULL, NULL, NULL);
    assert_int_equal(h.status, 200);
    assert_string_equal(h.body, "");
    http_free(&h);
}

static void unknown_paths_not_found(void **state)
{
    struct fixture *f = *state;
    struct http h = request(f, "GET", "/nowhere", NULL, NULL, NULL);
    char *cache = http_header(&h, "Cache-Control"), *csp = http_header(&h, "Content-Security-Policy");

    http_assert_error(&h, 404, "not_found");
    assert_string_equal(cache, "no-store");
    assert_non_null(csp);
    free(cache);
    free(csp);
    http_free(&h);

    h = request(f, "GET", "/assets/missing.js", NULL, NULL, NULL);
    http_assert_error(&h, 404, "not_found");
    http_free(&h);
    h = request(f, "GET", "/assets/index.html", NULL, NULL, NULL);
    http_assert_error(&h, 404, "not_found");
    http_free(&h);
    h = request(f, "PUT", "/api/v1/session", "{}", NULL, NULL);
    http_assert_error(&h, 405, "method_not_allowed");
    http_free(&h);
}

static void oversized_body_rejected(void **state)
{
    struct fixture *f = *state;
    size_t size = 2 * 1024 * 1024;
    char *body = malloc(size + 1);
    struct http h;

    memset(body, ' ', size);
    body[size] = '\0';
    body[0] = '{';
    body[size - 1] = '}';
    h = request(f, "POST", "/api/v1/session", body, NULL, NULL);
    http_assert_error(&h, 413, "too_large");
    http_free(&h);
    free(body);

    /* The server goes on serving. */
    h = request(f, "GET", "/", NULL, NULL, NULL);
    assert_int_equal(h.status, 200);
    http_free(&h);
}

static void audit_and_log_kept(void **state)
{
    struct fixture *f = *state;
    struct http login, h;
    char *cookie, csrf_header[128], *log;
    json_t *v;
    struct strbuf err = STRBUF_INIT, actions = STRBUF_INIT;
    struct db *db;
    struct db_stmt *st;

    h = log_in(f, "no such\\tlogin", "wrong-password", NULL);
    http_assert_error(&h, 401, "unauthorized");
    http_free(&h);
    h = log_in(f, "alice", "wrong-password", NULL);
    http_free(&h);
    login = log_in(f, "alice", PASSWORD, NULL);
    assert_int_equal(login.status, 200);
    cookie = session_cookie(&login);
    v = json_loads(login.body, 0, NULL);
    snprintf(csrf_header, sizeof(csrf_header), "X-CSRF-Token: %s",
             json_string_value(json_object_get(v, "csrf")));
    h = request(f, "DELETE", "/api/v1/session", NULL, cookie, ARGS(csrf_header));
    assert_int_equal(h.status, 204);
    http_free(&h);

    /* Audit rows after the two from "cairn user add". */
    assert_int_equal(db_open(&db, f->db_path, DB_OPEN_EXISTING, &err), 0);
    st = db_prepare(db, "SELECT login, action, subject FROM audit ORDER BY id", &err);
    assert_non_null(st);
    while (db_step(st, &err) == DB_ROW)
        sb_addf(&actions, "%s %s %s\n", db_column_text(st, 0), db_column_text(st, 1),
                db_column_text(st, 2));
    db_finalize(st);
    db_close(db);
    assert_non_null(strstr(actions.buf, "user_add alice\n"));
    assert_non_null(strstr(actions.buf, "user_add tina\n"));
    assert_non_null(strstr(actions.buf, "(invalid) login_failed 127.0.0.1\n"
                                        "alice login_failed 127.0.0.1\n"
                                        "alice login 127.0.0.1\n"
                                        "alice logout 127.0.0.1\n"));

    /* The log names requests and users, never passwords or tokens. */
    log = read_file(f->server.log_path, NULL);
    assert_non_null(log);
    assert_non_null(strstr(log, " info req="));
    assert_non_null(strstr(log, "user=alice DELETE /api/v1/session 204"));
    assert_null(strstr(log, PASSWORD));
    assert_null(strstr(log, "wrong-password"));
    assert_null(strstr(log, cookie + strlen("cairn_session=")));
    assert_null(strstr(log, json_string_value(json_object_get(v, "csrf"))));

    free(log);
    sb_release(&actions);
    sb_release(&err);
    json_decref(v);
    free(cookie);
    http_free(&login);
}

static void serve_start_errors(void **state)
{
    struct fixture *f = *state;
    struct run_result r;
    char listen[32], *missing = path_join(f->dir, "missing.db");

    r = run_cairn(NULL, NULL, ARGS("--db", f->db_path, "serve", "--listen", "nonsense"));
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    r = run_cairn(NULL, NULL, ARGS("--db", f->db_path, "serve", "--listen", "127.0.0.1:99999"));
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    r = run_cairn(NULL, NULL, ARGS("--db", f->db_path, "serve", "--listen", ":8080"));
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    r = run_cairn(NULL, NULL, ARGS("--db", f->db_path, "serve", "extra"));
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    r = run_cairn(NULL, NULL, ARGS("--db", missing, "serve", "--listen", "127.0.0.1:0"));
    assert_int_equal(r.status, 1);
    run_result_free(&r);

    /* The fixture's server holds its port: a second server fails at once. */
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", f->server.port);
    r = run_cairn(NULL, NULL, ARGS("--db", f->db_path, "serve", "--listen", listen));
    assert_int_equal(r.status, 1);
    run_result_free(&r);
    free(missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(login_sets_cookie, setup, teardown),
        cmocka_unit_test_setup_teardown(session_then_logout, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_password_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(login_throttled_after_five, setup, teardown),
        cmocka_unit_test_setup_teardown(throttle_counts_per_address, setup, teardown),
        cmocka_unit_test_setup_teardown(success_clears_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(page_has_security_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_paths_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(oversized_body_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_and_log_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(serve_start_errors, setup, teardown),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
