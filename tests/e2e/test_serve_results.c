/*
 * End-to-end tests of GET /api/v1/kpi and GET /api/v1/alerts: the scope
 * check before the computation, the caller's own scope as the default,
 * the query checks, and the same JSON as "cairn kpi" and "cairn alerts"
 * print with --format json.
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
                " ('TA', 'Team A', 'X', 'team'), ('TB', 'Team B', 'X', 'team');"
                "INSERT INTO employees (employee_id, name, unit_id, hire_date) VALUES"
                " ('E1', 'Li', 'TA', '2023-01-01'), ('E2', 'Wang', 'TA', '2024-03-10'),"
                " ('E3', 'Zhao', 'TB', '2023-05-01');"
                /* Two overdue trainings, one in each team, for the alerts. */
                "INSERT INTO courses (course_id, name) VALUES ('K1', 'Negotiation');"
                "INSERT INTO trainings (employee_id, course_id, assigned_date, due_date) VALUES"
                " ('E1', 'K1', '2024-01-05', '2024-02-29'), ('E3', 'K1', '2024-01-05', '2024-03-15');",
                &err))
        fail_msg("insert: %s", err.buf);
    db_close(db);
    sb_release(&err);
    test_user_add(f->db_path, "boss", "gm", NULL, PASSWORD);
    test_user_add(f->db_path, "tina", "team_lead", "unit:TA", PASSWORD);
    test_user_add(f->db_path, "li", "rep", "employee:E1", PASSWORD);
    test_server_start(&f->server, f->db_path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(test_server_stop(&f->server), 0);
    remove_tree(f->dir);
    free(f->dir);
    free(f->db_path);
    free(f);
    return 0;
}

static char *log_in(const struct fixture *f, const char *login)
{
    return test_log_in(&f->server, login, PASSWORD, NULL);
}

static struct http get(const struct fixture *f, const char *cookie, const char *path)
{
    return http_request(f->server.base_url, "GET", path, NULL, cookie, NULL);
}

static void team_lead_outside_forbidden(void **state)
{
    struct fixture *f = *state;
    char *cookie = log_in(f, "tina");
    struct http h;

    h = get(f, cookie, "/api/v1/kpi?period=2024-03&scope=unit:TB&as_of=2024-04-01");
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&scope=company&as_of=2024-04-01");
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&scope=unit:X&as_of=2024-04-01");
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&scope=employee:E3&as_of=2024-04-01");
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    /* A missing unit looks the same as a forbidden one to a team lead. */
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&scope=unit:NOPE&as_of=2024-04-01");
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    free(cookie);

    cookie = log_in(f, "li");
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&scope=employee:E2&as_of=2024-04-01");
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&scope=employee:E1&as_of=2024-04-01");
    assert_int_equal(h.status, 200);
    http_free(&h);
    free(cookie);
}

static void same_json_as_cli(void **state)
{
    static const char *const pay_metrics[] = {"labor_cost", "labor_cost_ratio",
                                              "sales_per_labor_yuan"};
    struct fixture *f = *state;
    char *cookie = log_in(f, "tina");
    struct http h;
    json_t *api, *cli;

    /* Without scope, the caller's own. */
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&as_of=2024-04-01");
    assert_int_equal(h.status, 200);
    api = json_loads(h.body, 0, NULL);
    assert_non_null(api);
    cli = run_cairn_json(NULL,
                         ARGS("--db", f->db_path, "kpi", "--period", "2024-03", "--scope",
                              "unit:TA", "--as-of", "2024-04-01", "--format", "json"),
                         0);
    /* A team lead gets no metric computed from payroll. */
    for (size_t i = 0; i < sizeof(pay_metrics) / sizeof(pay_metrics[0]); i++) {
        assert_non_null(json_object_get(json_object_get(cli, "metrics"), pay_metrics[i]));
        json_object_del(json_object_get(cli, "metrics"), pay_metrics[i]);
        json_object_del(json_object_get(cli, "targets"), pay_metrics[i]);
        json_object_del(json_object_get(cli, "status"), pay_metrics[i]);
    }
    assert_true(json_equal(api, cli));
    assert_string_equal(json_string_value(json_object_get(api, "scope")), "unit:TA");
    /* Two employees in TA on 2024-03-31, one hired during March. */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(api, "metrics"),
                                                        "headcount")),
                     2);
    json_decref(api);
    json_decref(cli);
    http_free(&h);

    /* A metric list narrows the JSON as --metrics does. */
    h = get(f, cookie,
            "/api/v1/kpi?period=2024-03&scope=unit:TA&as_of=2024-04-01&metrics=headcount,sales");
    assert_int_equal(h.status, 200);
    api = json_loads(h.body, 0, NULL);
    cli = run_cairn_json(NULL,
                         ARGS("--db", f->db_path, "kpi", "--period", "2024-03", "--scope",
                              "unit:TA", "--as-of", "2024-04-01", "--metrics", "headcount,sales",
                              "--format", "json"),
                         0);
    assert_true(json_equal(api, cli));
    assert_int_equal(json_object_size(json_object_get(api, "metrics")), 2);
    json_decref(api);
    json_decref(cli);
    http_free(&h);
    free(cookie);
}

static void query_checked(void **state)
{
    struct fixture *f = *state;
    char *cookie = log_in(f, "boss");
    struct http h;

    h = get(f, NULL, "/api/v1/kpi?period=2024-03");
    http_assert_error(&h, 401, "unauthorized");
    http_free(&h);
    h = get(f, cookie, "/api/v1/kpi");
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    h = get(f, cookie, "/api/v1/kpi?period=2024-13");
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&scope=team:TA");
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&as_of=2024-02-30");
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&metrics=sales,nonsense");
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    /* The company GM learns that a unit does not exist. */
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&scope=unit:NOPE&as_of=2024-04-01");
    http_assert_error(&h, 404, "not_found");
    http_free(&h);
    h = get(f, cookie, "/api/v1/kpi?period=2024-03&scope=unit:TB&as_of=2024-04-01");
    assert_int_equal(h.status, 200);
    http_free(&h);
    /* Without as_of, today in the company time zone. */
    h = get(f, cookie, "/api/v1/kpi?period=2024-03");
    assert_int_equal(h.status, 200);
    assert_non_null(strstr(h.body, "\"scope\":\"company\""));
    http_free(&h);
    free(cookie);
}

/* 64 connections at once, each asking for the scorecard: every one gets
 * 200, which needs the worker threads and their own database handles. */
static void concurrent_requests_succeed(void **state)
{
    enum { CONNECTIONS = 64 };
    struct fixture *f = *state;
    char *cookie = log_in(f, "tina"), url[256];
    CURLM *multi = curl_multi_init();
    CURL *handles[CONNECTIONS];
    FILE *sink = fopen("/dev/null", "w");
    int running = 0, ok = 0;
    long status;

    snprintf(url, sizeof(url), "%s/api/v1/kpi?period=2024-03&as_of=2024-04-01",
             f->server.base_url);
    for (int i = 0; i < CONNECTIONS; i++) {
        handles[i] = curl_easy_init();
        curl_easy_setopt(handles[i], CURLOPT_URL, url);
        curl_easy_setopt(handles[i], CURLOPT_COOKIE, cookie);
        curl_easy_setopt(handles[i], CURLOPT_WRITEDATA, sink);
        curl_easy_setopt(handles[i], CURLOPT_TIMEOUT, 60L);
        curl_easy_setopt(handles[i], CURLOPT_NOPROXY, "*");
        curl_multi_add_handle(multi, handles[i]);
    }
    do {
        assert_int_equal(curl_multi_perform(multi, &running), CURLM_OK);
        if (running)
            curl_multi_poll(multi, NULL, 0, 1000, NULL);
    } while (running);

    for (int i = 0; i < CONNECTIONS; i++) {
        curl_easy_getinfo(handles[i], CURLINFO_RESPONSE_CODE, &status);
        if (status == 200)
            ok++;
        curl_multi_remove_handle(multi, handles[i]);
        curl_easy_cleanup(handles[i]);
    }
    assert_int_equal(ok, CONNECTIONS);
    curl_multi_cleanup(multi);
    fclose(sink);
    free(cookie);
}

/* The subjects of an alerts response, joined by spaces. */
static void alert_subjects(const char *body, struct strbuf *out)
{
    json_t *list = json_loads(body, 0, NULL), *a;
    size_t i;

    assert_true(json_is_array(list));
    json_array_foreach(list, i, a) {
        sb_addf(out, "%s%s", i ? " " : "", json_string_value(json_object_get(a, "subject")));
    }
    json_decref(list);
}

static void alerts_filtered_to_scope(void **state)
{
    struct fixture *f = *state;
    char *cookie = log_in(f, "tina");
    struct strbuf subjects = STRBUF_INIT;
    struct http h;
    json_t *api, *cli;

    /* The team lead sees its team's warning only, as the CLI lists it. */
    h = get(f, cookie, "/api/v1/alerts?as_of=2024-04-01");
    assert_int_equal(h.status, 200);
    alert_subjects(h.body, &subjects);
    assert_string_equal(subjects.buf, "E1/K1/2024-01-05");
    api = json_loads(h.body, 0, NULL);
    cli = run_cairn_json(NULL,
                         ARGS("--db", f->db_path, "alerts", "--as-of", "2024-04-01", "--scope",
                              "unit:TA", "--format", "json"),
                         0);
    assert_true(json_equal(api, cli));
    json_decref(api);
    json_decref(cli);
    http_free(&h);

    h = get(f, cookie, "/api/v1/alerts?as_of=2024-04-01&scope=unit:TB");
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = get(f, cookie, "/api/v1/alerts?as_of=2024-04-01&scope=company");
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = get(f, cookie, "/api/v1/alerts?as_of=April");
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    free(cookie);

    /* The company GM sees both; the rep only its own. */
    cookie = log_in(f, "boss");
    h = get(f, cookie, "/api/v1/alerts?as_of=2024-04-01");
    assert_int_equal(h.status, 200);
    sb_reset(&subjects);
    alert_subjects(h.body, &subjects);
    assert_string_equal(subjects.buf, "E1/K1/2024-01-05 E3/K1/2024-01-05");
    http_free(&h);
    free(cookie);

    cookie = log_in(f, "li");
    h = get(f, cookie, "/api/v1/alerts?as_of=2024-04-01");
    assert_int_equal(h.status, 200);
    sb_reset(&subjects);
    alert_subjects(h.body, &subjects);
    assert_string_equal(subjects.buf, "E1/K1/2024-01-05");
    http_free(&h);
    h = get(f, NULL, "/api/v1/alerts?as_of=2024-04-01");
    http_assert_error(&h, 401, "unauthorized");
    http_free(&h);
    free(cookie);
    sb_release(&subjects);
}

/* POST with the session cookie and its CSRF token. */
static struct http post(const struct fixture *f, const char *cookie, const char *csrf,
                        const char *path)
{
    char header[128];

    snprintf(header, sizeof(header), "X-CSRF-Token: %s", csrf);
    return http_request(f->server.base_url, "POST", path, "", cookie, ARGS(header));
}

static void alert_state_changes(void **state)
{
    struct fixture *f = *state;
    struct run_result r;
    char csrf[65], *cookie;
    struct http h;
    struct strbuf err = STRBUF_INIT, rows = STRBUF_INIT;
    struct db *db;
    struct db_stmt *st;

    /* Record the two warnings: id 1 is E1's (team TA), id 2 E3's (TB). */
    r = run_cairn(NULL, NULL, ARGS("--db", f->db_path, "alerts", "run"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);

    cookie = test_log_in(&f->server, "tina", PASSWORD, csrf);
    h = post(f, cookie, csrf, "/api/v1/alerts/1/ack");
    assert_int_equal(h.status, 200);
    assert_string_equal(h.body, "{\"id\":1,\"state\":\"acknowledged\"}");
    http_free(&h);
    h = post(f, cookie, csrf, "/api/v1/alerts/2/ack");
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = http_request(f->server.base_url, "POST", "/api/v1/alerts/1/resolve", "", cookie, NULL);
    http_assert_error(&h, 403, "forbidden"); /* no CSRF token */
    http_free(&h);
    h = post(f, cookie, csrf, "/api/v1/alerts/99/resolve");
    http_assert_error(&h, 404, "not_found");
    http_free(&h);
    h = post(f, cookie, csrf, "/api/v1/alerts/1/close");
    http_assert_error(&h, 404, "not_found");
    http_free(&h);
    h = post(f, cookie, csrf, "/api/v1/alerts/01/ack");
    http_assert_error(&h, 404, "not_found");
    http_free(&h);
    h = get(f, cookie, "/api/v1/alerts/1/ack");
    http_assert_error(&h, 405, "method_not_allowed");
    http_free(&h);
    free(cookie);

    cookie = test_log_in(&f->server, "boss", PASSWORD, csrf);
    h = post(f, cookie, csrf, "/api/v1/alerts/2/resolve");
    assert_int_equal(h.status, 200);
    http_free(&h);
    free(cookie);

    assert_int_equal(db_open(&db, f->db_path, DB_OPEN_EXISTING, &err), 0);
    st = db_prepare(db, "SELECT id, state FROM alerts ORDER BY id", &err);
    while (db_step(st, &err) == DB_ROW)
        sb_addf(&rows, "%s %s\n", db_column_text(st, 0), db_column_text(st, 1));
    db_finalize(st);
    assert_string_equal(rows.buf, "1 acknowledged\n2 resolved\n");
    sb_reset(&rows);
    st = db_prepare(db, "SELECT login, action, subject FROM audit WHERE action LIKE 'alert%' ORDER BY id",
                    &err);
    while (db_step(st, &err) == DB_ROW)
        sb_addf(&rows, "%s %s %s\n", db_column_text(st, 0), db_column_text(st, 1),
                db_column_text(st, 2));
    db_finalize(st);
    db_close(db);
    assert_string_equal(rows.buf, "tina alert_ack alert:1\nboss alert_resolve alert:2\n");
    sb_release(&rows);
    sb_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(team_lead_outside_forbidden, setup, teardown),
        cmocka_unit_test_setup_teardown(same_json_as_cli, setup, teardown),
        cmocka_unit_test_setup_teardown(query_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(concurrent_requests_succeed, setup, teardown),
        cmocka_unit_test_setup_teardown(alerts_filtered_to_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(alert_state_changes, setup, teardown),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
