/*
 * End-to-end tests of the access rules of "cairn serve" on the demo
 * company (seed 1), with accounts limited to a unit: imports, saved
 * mappings and the audit log need a company-wide account; a team lead
 * gets no metric or attrition factor that shows pay; mapping names and
 * ids reject invisible and control characters; uploads keep their
 * Chinese names, hide the server's folders and give each error its own
 * reason; format=csv is rejected where a route has no downloads.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "server.h"
#include "support.h"
#include "upload.h"

#include "db/db.h"
#include "util/strbuf.h"

#define PASSWORD "secret-pass-1"

struct fixture {
    char *dir, *data, *db_path;
    struct test_server server;
};

static struct fixture fx;

static void cairn_ok(const char *const *args)
{
    struct run_result r = run_cairn(fx.dir, NULL, args);

    if (r.status != 0)
        fail_msg("cairn %s failed: %s", args[2], r.err);
    run_result_free(&r);
}

static int setup(void **state)
{
    (void)state;
    fx.dir = make_temp_dir();
    fx.data = path_join(fx.dir, "demo");
    fx.db_path = path_join(fx.dir, "demo.db");
    cairn_ok(ARGS("demo", "--out", fx.data));
    cairn_ok(ARGS("--db", fx.db_path, "init"));
    cairn_ok(ARGS("--db", fx.db_path, "import", fx.data));
    cairn_ok(ARGS("--db", fx.db_path, "model", "train", "attrition", "--as-of", "2026-11-30"));
    test_user_add(fx.db_path, "boss", "gm", NULL, PASSWORD);
    test_user_add(fx.db_path, "citygm", "gm", "unit:HZ", PASSWORD);
    test_user_add(fx.db_path, "helen", "hr", NULL, PASSWORD);
    test_user_add(fx.db_path, "hrhz", "hr", "unit:HZ", PASSWORD);
    test_user_add(fx.db_path, "fay", "finance", NULL, PASSWORD);
    test_user_add(fx.db_path, "lead", "team_lead", "unit:HZ01", PASSWORD);
    test_user_add(fx.db_path, "szlead", "team_lead", "unit:SZ01", PASSWORD);
    test_user_add(fx.db_path, "rep3", "rep", "employee:E00003", PASSWORD);
    test_server_start(&fx.server, fx.db_path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(test_server_stop(&fx.server), 0);
    remove_tree(fx.dir);
    free(fx.dir);
    free(fx.data);
    free(fx.db_path);
    return 0;
}

/* A Cookie header with a session of login and the page language lang;
 * the CSRF token goes to csrf when it is not NULL. */
static char *log_in(const char *login, const char *lang, char *csrf)
{
    char *session = test_log_in(&fx.server, login, PASSWORD, csrf);
    struct strbuf cookie = STRBUF_INIT;

    sb_addf(&cookie, "%s; cairn_lang=%s", session, lang);
    free(session);
    return sb_detach(&cookie);
}

static struct http get(const char *cookie, const char *path)
{
    return http_request(fx.server.base_url, "GET", path, NULL, cookie, NULL);
}

static json_t *get_json(const char *cookie, const char *path)
{
    struct http h = get(cookie, path);
    json_t *v;

    if (h.status != 200)
        fail_msg("GET %s: %ld %s", path, h.status, h.body);
    v = json_loads(h.body, 0, NULL);
    assert_non_null(v);
    http_free(&h);
    return v;
}

/* Checks that h is an error with status and code whose message contains
 * part. */
static void assert_error_with(const struct http *h, long status, const char *code,
                              const char *part)
{
    json_t *v;
    const char *message;

    http_assert_error(h, status, code);
    v = json_loads(h->body, 0, NULL);
    message = json_string_value(json_object_get(json_object_get(v, "error"), "message"));
    if (!strstr(message, part))
        fail_msg("message \"%s\" lacks \"%s\"", message, part);
    json_decref(v);
}

static struct http post_json(const char *cookie, const char *csrf, const char *path,
                             json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT), header[128];
    const char *headers[] = {header, NULL};
    struct http h;

    snprintf(header, sizeof(header), "X-CSRF-Token: %s", csrf);
    h = http_request(fx.server.base_url, "POST", path, text, cookie, headers);
    free(text);
    json_decref(body);
    return h;
}

static char *query_text(const char *sql)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;
    struct db_stmt *st;
    char *v = NULL;

    assert_int_equal(db_open(&db, fx.db_path, DB_OPEN_EXISTING, &err), 0);
    st = db_prepare(db, sql, &err);
    assert_non_null(st);
    if (db_step(st, &err) == DB_ROW && db_column_text(st, 0))
        v = strdup(db_column_text(st, 0));
    db_finalize(st);
    db_close(db);
    sb_release(&err);
    return v;
}

static const char employees_row[] = "employee_id,name,unit_id,position,employment_type,hire_date\n"
                                    "E00030,改名,SH01,sales,full_time,2020-01-01\n";

static const char orders_row[] = "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                                 "X1,2026-11-02,C000001,E00030,100.00,A,completed\n";

static void import_scoped_account_forbidden(void **state)
{
    char csrf[65], *cookie = log_in("hrhz", "en", csrf);
    struct upload_part file = {"file", "employees.csv", employees_row};
    struct upload_part dry[] = {{"file", "orders.csv", orders_row}, {"dry_run", NULL, "1"}};
    struct http h = http_upload(fx.server.base_url, cookie, csrf, &file, 1);
    char *unit;

    (void)state;
    assert_error_with(&h, 403, "forbidden", "unit:HZ");
    http_free(&h);
    free(cookie);

    cookie = log_in("citygm", "en", csrf);
    h = http_upload(fx.server.base_url, cookie, csrf, dry, 2);
    assert_error_with(&h, 403, "forbidden", "unit:HZ");
    http_free(&h);
    free(cookie);

    /* Nothing was queued or changed. */
    unit = query_text("SELECT unit_id FROM employees WHERE employee_id = 'E00030'");
    assert_string_equal(unit, "SH03");
    free(unit);
    unit = query_text("SELECT count(*) FROM import_jobs");
    assert_string_equal(unit, "0");
    free(unit);
}

/* A mapping of one employees target, which hr may import. */
static const char hr_mapping[] =
    "{\"sources\":[{\"name\":\"e\",\"file\":\"e.csv\"}],"
    "\"targets\":[{\"entity\":\"employees\",\"sql\":\"SELECT * FROM e\"}]}";

static json_t *save_body(const char *name, const char *text)
{
    return json_pack("{s:s, s:s}", "name", name, "text", text);
}

static void mapping_save_rules(void **state)
{
    char csrf[65], *cookie = log_in("fay", "en", csrf), *owner;
    json_t *example = get_json(cookie, "/api/v1/mappings/example:cdnow-sample");
    const char *cdnow = json_string_value(json_object_get(example, "text"));
    struct http h;

    (void)state;
    /* Finance may not save a mapping that writes customers and orders. */
    h = post_json(cookie, csrf, "/api/v1/mappings", save_body("外部订单", cdnow));
    assert_error_with(&h, 403, "forbidden", "customers");
    http_free(&h);
    free(cookie);

    /* A unit-scoped gm may not save at all. */
    cookie = log_in("citygm", "en", csrf);
    h = post_json(cookie, csrf, "/api/v1/mappings", save_body("外部订单", cdnow));
    assert_error_with(&h, 403, "forbidden", "unit:HZ");
    http_free(&h);
    free(cookie);

    /* The gm saves it; hr may not replace it under the same name. */
    cookie = log_in("boss", "en", csrf);
    h = post_json(cookie, csrf, "/api/v1/mappings", save_body("外部订单", cdnow));
    assert_int_equal(h.status, 200);
    http_free(&h);
    free(cookie);
    cookie = log_in("helen", "en", csrf);
    h = post_json(cookie, csrf, "/api/v1/mappings", save_body("外部订单", hr_mapping));
    assert_error_with(&h, 409, "conflict", "boss");
    http_free(&h);
    owner = query_text("SELECT login FROM mappings WHERE name = '外部订单'");
    assert_string_equal(owner, "boss");
    free(owner);

    /* hr saves and replaces its own mapping; the gm may replace it. */
    h = post_json(cookie, csrf, "/api/v1/mappings", save_body("员工表", hr_mapping));
    assert_int_equal(h.status, 200);
    http_free(&h);
    h = post_json(cookie, csrf, "/api/v1/mappings", save_body("员工表", hr_mapping));
    assert_int_equal(h.status, 200);
    http_free(&h);
    free(cookie);
    cookie = log_in("boss", "en", csrf);
    h = post_json(cookie, csrf, "/api/v1/mappings", save_body("员工表", hr_mapping));
    assert_int_equal(h.status, 200);
    http_free(&h);
    owner = query_text("SELECT login FROM mappings WHERE name = '员工表'");
    assert_string_equal(owner, "boss");
    free(owner);

    /* Names with invisible characters are rejected. */
    h = post_json(cookie, csrf, "/api/v1/mappings", save_body("\xe2\x80\x8b", hr_mapping));
    assert_error_with(&h, 400, "bad_request", "letters of any script");
    http_free(&h);
    h = post_json(cookie, csrf, "/api/v1/mappings", save_body("\xe2\x80\xaeRTL", hr_mapping));
    assert_error_with(&h, 400, "bad_request", "invisible");
    http_free(&h);
    h = post_json(cookie, csrf, "/api/v1/mappings", save_body("a b", hr_mapping));
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    free(cookie);
    json_decref(example);
}

static void mapping_id_with_control_rejected(void **state)
{
    char *cookie = log_in("boss", "en", NULL);
    struct http h = get(cookie, "/api/v1/mappings/example:cdnow-sample%00x");

    (void)state;
    assert_error_with(&h, 400, "bad_request", "mapping name is invalid");
    http_free(&h);
    h = get(cookie, "/api/v1/mappings/saved:%E2%80%8B");
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    h = get(cookie, "/api/v1/mappings/example:cdnow-sample");
    assert_int_equal(h.status, 200);
    http_free(&h);
    free(cookie);
}

/* POSTs a mapping of one orders target with sql from source "s" to
 * /api/v1/mappings/check and returns the response. */
static json_t *check_sql(const char *cookie, const char *csrf, const char *sql)
{
    json_t *mapping = json_pack("{s:[{s:s, s:s}], s:[{s:s, s:s}]}", "sources", "name", "s",
                                "file", "s.csv", "targets", "entity", "orders", "sql", sql);
    char *text = json_dumps(mapping, JSON_COMPACT);
    struct http h = post_json(cookie, csrf, "/api/v1/mappings/check",
                              json_pack("{s:s, s:s}", "text", text, "file", "s.csv"));
    json_t *v;

    assert_int_equal(h.status, 200);
    v = json_loads(h.body, 0, NULL);
    assert_non_null(v);
    http_free(&h);
    free(text);
    json_decref(mapping);
    return v;
}

/* Checks that the check of sql is invalid with a message containing part. */
static void assert_sql_invalid(const char *cookie, const char *csrf, const char *sql,
                               const char *part)
{
    json_t *v = check_sql(cookie, csrf, sql);
    const char *message;

    assert_true(json_is_false(json_object_get(v, "valid")));
    message = json_string_value(json_object_get(json_object_get(v, "error"), "message"));
    if (!message || !strstr(message, part))
        fail_msg("check of \"%s\": message \"%s\" lacks \"%s\"", sql, message, part);
    json_decref(v);
}

static void mapping_check_prepares_sql(void **state)
{
    static const char *const valid[] = {
        "SELECT c1 AS order_id, _line FROM s",
        "SELECT * FROM s; -- one statement",
        "WITH p AS (SELECT c1 FROM s) SELECT c1 AS order_id FROM p",
        "SELECT 'a;b' AS order_id FROM s",
    };
    char csrf[65], *cookie = log_in("boss", "en", csrf);
    json_t *list, *item, *v;
    size_t i;

    (void)state;
    assert_sql_invalid(cookie, csrf, "SELECT login AS order_id FROM users; DROP TABLE orders",
                       "no such table: users");
    assert_sql_invalid(cookie, csrf, "SELECT 1 FROM s; DROP TABLE orders", "exactly one SELECT");
    assert_sql_invalid(cookie, csrf, "SELEC garbage (((", "at byte 0");
    assert_sql_invalid(cookie, csrf, "SELECT c1 FROM s WHERE (((", "incomplete input");
    assert_sql_invalid(cookie, csrf, "SELECT name FROM sqlite_master", "prohibited");
    assert_sql_invalid(cookie, csrf, "DELETE FROM s", "not authorized");
    for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
        v = check_sql(cookie, csrf, valid[i]);
        if (!json_is_true(json_object_get(v, "valid")))
            fail_msg("check of \"%s\" is not valid", valid[i]);
        json_decref(v);
    }

    /* Every embedded example still passes. */
    list = get_json(cookie, "/api/v1/mappings");
    json_array_foreach(json_object_get(list, "mappings"), i, item) {
        struct strbuf path = STRBUF_INIT;
        json_t *mapping;
        struct http h;

        if (strcmp(json_string_value(json_object_get(item, "origin")), "example"))
            continue;
        sb_addf(&path, "/api/v1/mappings/%s", json_string_value(json_object_get(item, "id")));
        mapping = get_json(cookie, path.buf);
        h = post_json(cookie, csrf, "/api/v1/mappings/check",
                      json_pack("{s:O}", "text", json_object_get(mapping, "text")));
        assert_int_equal(h.status, 200);
        if (!strstr(h.body, "\"valid\":true"))
            fail_msg("example %s: %s", path.buf, h.body);
        http_free(&h);
        json_decref(mapping);
        sb_release(&path);
    }
    json_decref(list);
    free(cookie);
}

static void lead_gets_no_pay_metrics(void **state)
{
    char *cookie = log_in("lead", "en", NULL);
    struct http h;
    json_t *v, *metrics;

    (void)state;
    h = get(cookie, "/api/v1/kpi?period=2026-10&scope=employee:E00003&metrics=labor_cost");
    assert_error_with(&h, 403, "forbidden", "labor_cost");
    http_free(&h);
    h = get(cookie, "/api/v1/series?metric=labor_cost&scope=employee:E00003");
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = get(cookie, "/api/v1/series?metric=sales,sales_per_labor_yuan&scope=employee:E00003");
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);

    /* At unit scope the pay metrics are left out and the rest is there. */
    v = get_json(cookie, "/api/v1/kpi?period=2026-10&scope=unit:HZ01");
    metrics = json_object_get(v, "metrics");
    assert_non_null(json_object_get(metrics, "sales"));
    assert_non_null(json_object_get(metrics, "sales_expense_ratio"));
    assert_null(json_object_get(metrics, "labor_cost"));
    assert_null(json_object_get(metrics, "labor_cost_ratio"));
    assert_null(json_object_get(metrics, "sales_per_labor_yuan"));
    assert_null(json_object_get(json_object_get(v, "status"), "labor_cost_ratio"));
    json_decref(v);
    v = get_json(cookie, "/api/v1/kpi?period=2026-10&scope=employee:E00003");
    assert_null(json_object_get(json_object_get(v, "metrics"), "labor_cost"));
    assert_non_null(json_object_get(json_object_get(v, "metrics"), "sales"));
    json_decref(v);
    v = get_json(cookie, "/api/v1/series?metric=sales,labor_cost_ratio&scope=unit:HZ01&months=2"
                         "&as_of=2026-10-31");
    assert_int_equal(json_object_size(json_object_get(v, "series")), 1);
    assert_non_null(json_object_get(json_object_get(v, "series"), "sales"));
    json_decref(v);
    free(cookie);

    /* The rep gets its own pay; the gm gets E00003's payroll of October:
     * 7800 + 5211.96 + 2496. */
    cookie = log_in("rep3", "en", NULL);
    v = get_json(cookie, "/api/v1/kpi?period=2026-10&metrics=labor_cost");
    assert_float_equal(json_real_value(json_object_get(json_object_get(v, "metrics"), "labor_cost")),
                       15507.96, 1e-9);
    json_decref(v);
    free(cookie);
    cookie = log_in("boss", "en", NULL);
    v = get_json(cookie, "/api/v1/kpi?period=2026-10&scope=employee:E00003&metrics=labor_cost");
    assert_float_equal(json_real_value(json_object_get(json_object_get(v, "metrics"), "labor_cost")),
                       15507.96, 1e-9);
    json_decref(v);
    free(cookie);
}

/* The number of attrition factors of the rows of v that contain part. */
static size_t factors_with(json_t *v, const char *part)
{
    json_t *row, *factor;
    size_t i, k, n = 0;

    json_array_foreach(json_object_get(v, "rows"), i, row) {
        json_array_foreach(json_object_get(row, "factors"), k, factor) {
            if (strstr(json_string_value(factor), part))
                n++;
        }
    }
    return n;
}

static void lead_gets_no_pay_factor(void **state)
{
    static const char path[] = "/api/v1/risk/attrition?scope=unit:SZ01&as_of=2026-11-30";
    char *gm = log_in("boss", "zh_CN", NULL), *lead = log_in("szlead", "zh_CN", NULL);
    char *lead_en = log_in("szlead", "en", NULL);
    json_t *by_gm = get_json(gm, path), *by_lead = get_json(lead, path);
    json_t *by_lead_en = get_json(lead_en, path);

    (void)state;
    /* The same rows, without the pay factor for the lead. */
    assert_int_equal(json_array_size(json_object_get(by_gm, "rows")),
                     json_array_size(json_object_get(by_lead, "rows")));
    assert_true(factors_with(by_gm, "薪酬低于同岗位中位数") > 0);
    assert_int_equal(factors_with(by_lead, "薪酬低于同岗位中位数"), 0);
    assert_int_equal(factors_with(by_lead_en, "median"), 0);
    assert_true(factors_with(by_lead, "满意度") > 0);
    json_decref(by_gm);
    json_decref(by_lead);
    json_decref(by_lead_en);
    free(gm);
    free(lead);
    free(lead_en);
}

static void audit_needs_company_scope(void **state)
{
    char *cookie = log_in("citygm", "en", NULL);
    struct http h = get(cookie, "/api/v1/audit?limit=1000");

    (void)state;
    assert_error_with(&h, 403, "forbidden", "unit:HZ");
    http_free(&h);
    free(cookie);
    cookie = log_in("boss", "en", NULL);
    h = get(cookie, "/api/v1/audit?limit=5");
    assert_int_equal(h.status, 200);
    http_free(&h);
    free(cookie);
}

static void upload_keeps_name_hides_folder(void **state)
{
    char csrf[65], *cookie = log_in("boss", "en", csrf), *file, *text;
    struct upload_part named[] = {{"file", "订单 数据.csv", orders_row},
                                  {"kind", NULL, "orders"},
                                  {"dry_run", NULL, "1"}};
    struct upload_part wrong[] = {{"file", "orders.csv", orders_row}, {"kind", NULL, "employees"}};
    struct http h;
    json_t *v, *job;
    long long id;

    (void)state;
    h = http_upload(fx.server.base_url, cookie, csrf, named, 3);
    assert_int_equal(h.status, 202);
    v = json_loads(h.body, 0, NULL);
    id = (long long)json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    http_free(&h);
    job = wait_for_job(fx.server.base_url, cookie, id);
    text = json_dumps(job, 0);
    assert_non_null(strstr(text, "订单 数据.csv"));
    free(text);
    json_decref(job);
    file = query_text("SELECT file FROM import_jobs ORDER BY id DESC LIMIT 1");
    assert_string_equal(file, "订单 数据.csv");
    free(file);
    file = query_text("SELECT detail FROM audit WHERE action = 'import_check'"
                      " ORDER BY id DESC LIMIT 1");
    assert_string_equal(file, "订单 数据.csv");
    free(file);

    /* An orders file imported as employees: the messages name the file,
     * never the server's upload folder. */
    h = http_upload(fx.server.base_url, cookie, csrf, wrong, 2);
    assert_int_equal(h.status, 202);
    v = json_loads(h.body, 0, NULL);
    id = (long long)json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    http_free(&h);
    job = wait_for_job(fx.server.base_url, cookie, id);
    assert_string_equal(json_string_value(json_object_get(job, "state")), "failed");
    text = json_dumps(json_object_get(job, "report"), 0);
    assert_non_null(strstr(text, "orders.csv"));
    assert_null(strstr(text, "cairn-upload-"));
    assert_null(strstr(text, "/data/"));
    free(text);
    json_decref(job);
    free(cookie);
}

static void upload_errors_name_reason(void **state)
{
    char csrf[65], *cookie = log_in("boss", "en", csrf), *big, header[128];
    const char *headers[] = {header, NULL};
    struct upload_part long_kind[] = {{"file", "orders.csv", orders_row}, {"kind", NULL, NULL}};
    struct upload_part big_map[] = {{"file", "orders.csv", orders_row}, {"map", NULL, NULL}};
    struct http h;

    (void)state;
    big = malloc(1100 * 1024 + 1);
    memset(big, 'k', 1100 * 1024);
    big[300] = '\0';
    long_kind[1].data = big;
    h = http_upload(fx.server.base_url, cookie, csrf, long_kind, 2);
    assert_error_with(&h, 400, "bad_request", "'kind'");
    assert_error_with(&h, 400, "bad_request", "256 bytes");
    http_free(&h);

    big[300] = 'k';
    big[1100 * 1024] = '\0';
    big_map[1].data = big;
    h = http_upload(fx.server.base_url, cookie, csrf, big_map, 2);
    assert_error_with(&h, 400, "bad_request", "'map'");
    assert_error_with(&h, 400, "bad_request", "1048576 bytes");
    http_free(&h);
    free(big);

    snprintf(header, sizeof(header), "X-CSRF-Token: %s", csrf);
    h = http_request(fx.server.base_url, "POST", "/api/v1/import", "a,b\n1,2\n", cookie, headers);
    assert_error_with(&h, 400, "bad_request", "Content-Type multipart/form-data");
    http_free(&h);
    free(cookie);
}

static void format_only_where_offered(void **state)
{
    static const char *const json_only[] = {
        "/api/v1/teams/profile?period=2026-10&format=csv",
        "/api/v1/risk/attrition?format=csv",
        "/api/v1/forecast?format=xlsx",
        "/api/v1/kpi?period=2026-10&format=csv",
    };
    char *cookie = log_in("boss", "en", NULL), *type;
    struct http h;

    (void)state;
    for (size_t i = 0; i < sizeof(json_only) / sizeof(json_only[0]); i++) {
        h = get(cookie, json_only[i]);
        assert_error_with(&h, 400, "bad_request", "JSON only");
        http_free(&h);
    }
    h = get(cookie, "/api/v1/orders?period=2026-10&format=pdf");
    assert_error_with(&h, 400, "bad_request", "json, csv or xlsx");
    http_free(&h);
    h = get(cookie, "/api/v1/teams?period=2026-10&format=csv");
    assert_int_equal(h.status, 200);
    type = http_header(&h, "Content-Type");
    assert_non_null(strstr(type, "text/csv"));
    free(type);
    http_free(&h);
    h = get(cookie, "/api/v1/kpi?period=2026-10&format=json");
    assert_int_equal(h.status, 200);
    http_free(&h);
    free(cookie);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import_scoped_account_forbidden),
        cmocka_unit_test(mapping_save_rules),
        cmocka_unit_test(mapping_id_with_control_rejected),
        cmocka_unit_test(mapping_check_prepares_sql),
        cmocka_unit_test(lead_gets_no_pay_metrics),
        cmocka_unit_test(lead_gets_no_pay_factor),
        cmocka_unit_test(audit_needs_company_scope),
        cmocka_unit_test(upload_keeps_name_hides_folder),
        cmocka_unit_test(upload_errors_name_reason),
        cmocka_unit_test(format_only_where_offered),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
