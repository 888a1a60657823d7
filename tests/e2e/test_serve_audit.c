/*
 * End-to-end tests of the import page's mappings (list, read, check with
 * the line and column of a syntax error, save, a dry run then the real
 * import with a saved mapping) and of the audit log: rows for exports,
 * views of personal fields, mapping saves, imports and alert changes, read
 * through GET /api/v1/audit by the gm role only. Also: an upload without a
 * session is rejected before its body is read.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "server.h"
#include "support.h"
#include "upload.h"

#include "db/db.h"

#define PASSWORD "secret-pass-1"

static const char *const files[][2] = {
    {"org_units.csv", "unit_id,name,parent_id,kind,manager_id\n"
                      "HQ,总公司,,company,\n"
                      "T1,杭州一组,HQ,team,\n"},
    {"employees.csv", "employee_id,name,unit_id,position,hire_date,base_salary,email,phone\n"
                      "E1,李娜,T1,sales,2023-01-01,8000,li@example.com,13800000000\n"
                      "E2,王芳,T1,sales,2023-07-01,7000,,\n"},
    {"customers.csv", "customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n"
                      "C1,甲公司,T1,smb,,E1,2023-01-05\n"},
};

/* A mapping of a foreign orders file (no, day, client, seller, yuan). */
static const char foreign_map[] =
    "{\"sources\": [{\"name\": \"src\", \"file\": \"sales.csv\"}],\n"
    " \"targets\": [{\"entity\": \"orders\", \"sql\": \"SELECT no AS order_id, day AS order_date,"
    " client AS customer_id, seller AS employee_id, yuan AS amount FROM src\"}]}";
static const char foreign_csv[] = "no,day,client,seller,yuan\n"
                                  "X1,2024-03-02,C1,E1,100.00\n"
                                  "X2,2024-03-03,C1,E2,50.00\n";

struct fixture {
    char *dir;
    char *db_path;
    struct test_server server;
    char *cookie;
    char csrf[65];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    f->dir = make_temp_dir();
    f->db_path = path_join(f->dir, "cairn.db");
    import_canonical_files(f->dir, f->db_path, files, sizeof(files) / sizeof(files[0]));
    test_user_add(f->db_path, "boss", "gm", NULL, PASSWORD);
    test_user_add(f->db_path, "fin", "finance", NULL, PASSWORD);
    test_user_add(f->db_path, "tina", "team_lead", "unit:T1", PASSWORD);
    test_server_start(&f->server, f->db_path);
    f->cookie = test_log_in(&f->server, "boss", PASSWORD, f->csrf);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(test_server_stop(&f->server), 0);
    remove_tree(f->dir);
    free(f->cookie);
    free(f->dir);
    free(f->db_path);
    free(f);
    return 0;
}

static long long query_int(const struct fixture *f, const char *sql)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;
    int64_t v = -1;

    assert_int_equal(db_open(&db, f->db_path, DB_OPEN_EXISTING, &err), 0);
    assert_int_equal(db_query_int64(db, sql, -1, &v, &err), 0);
    db_close(db);
    sb_release(&err);
    return (long long)v;
}

/* A request of the gm with its CSRF header; the response's JSON. */
static json_t *call(const struct fixture *f, const char *method, const char *path, const char *body,
                    long status)
{
    char header[128];
    const char *headers[] = {header, "Content-Type: application/json", NULL};
    struct http h;
    json_t *v;

    snprintf(header, sizeof(header), "X-CSRF-Token: %s", f->csrf);
    h = http_request(f->server.base_url, method, path, body, f->cookie, headers);
    if (h.status != status)
        fprintf(stderr, "%s %s: %ld %s\n", method, path, h.status, h.body);
    assert_int_equal(h.status, status);
    v = json_loads(h.body, 0, NULL);
    http_free(&h);
    return v;
}

static void mappings(void **state)
{
    struct fixture *f = *state;
    json_t *v, *list, *body;
    char *text;
    bool found = false;
    size_t i;

    /* The examples of examples/ are listed and readable. */
    v = call(f, "GET", "/api/v1/mappings", NULL, 200);
    json_array_foreach(json_object_get(v, "mappings"), i, list) found |=
        !strcmp(json_string_value(json_object_get(list, "id")), "example:superstore");
    assert_true(found);
    json_decref(v);
    v = call(f, "GET", "/api/v1/mappings/example:superstore", NULL, 200);
    assert_non_null(strstr(json_string_value(json_object_get(v, "text")), "\"targets\""));
    json_decref(v);
    json_decref(call(f, "GET", "/api/v1/mappings/example:nothing", NULL, 404));
    json_decref(call(f, "GET", "/api/v1/mappings/saved:nothing", NULL, 404));

    /* A check: valid with its entities; a syntax error with its place;
     * an unknown entity. */
    body = json_pack("{s:s, s:s}", "text", foreign_map, "file", "sales.csv");
    text = json_dumps(body, 0);
    v = call(f, "POST", "/api/v1/mappings/check", text, 200);
    assert_true(json_is_true(json_object_get(v, "valid")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(v, "entities"), 0)),
                        "orders");
    json_decref(v);
    free(text);
    json_object_set_new(body, "text", json_string("{\"sources\": [],\n  \"targets\": [}"));
    text = json_dumps(body, 0);
    v = call(f, "POST", "/api/v1/mappings/check", text, 200);
    assert_true(json_is_false(json_object_get(v, "valid")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "error"), "line")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "error"), "column")),
                     15);
    json_decref(v);
    free(text);
    json_object_set_new(body, "text",
                        json_string("{\"sources\": [], \"targets\": [{\"entity\": \"bogus\","
                                    " \"sql\": \"SELECT 1\"}]}"));
    text = json_dumps(body, 0);
    v = call(f, "POST", "/api/v1/mappings/check", text, 200);
    assert_true(json_is_false(json_object_get(v, "valid")));
    assert_null(json_object_get(json_object_get(v, "error"), "line"));
    /* In the caller's language: Chinese without a cookie or header. */
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "error"), "message")),
                        "目标“bogus”不是实体名称（例如 orders 或 employees）");
    json_decref(v);
    free(text);
    json_decref(body);

    /* Saving: a bad name and a bad mapping are rejected; a good one is
     * stored with its audit row, then listed and read back. */
    body = json_pack("{s:s, s:s}", "name", "a/b", "text", foreign_map);
    text = json_dumps(body, 0);
    json_decref(call(f, "POST", "/api/v1/mappings", text, 400));
    free(text);
    json_object_set_new(body, "name", json_string("外部订单"));
    json_object_set_new(body, "text", json_string("{"));
    text = json_dumps(body, 0);
    json_decref(call(f, "POST", "/api/v1/mappings", text, 400));
    free(text);
    json_object_set_new(body, "text", json_string(foreign_map));
    text = json_dumps(body, 0);
    v = call(f, "POST", "/api/v1/mappings", text, 200);
    assert_string_equal(json_string_value(json_object_get(v, "id")), "saved:外部订单");
    json_decref(v);
    free(text);
    json_decref(body);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM mappings WHERE name = '外部订单'"
                                  " AND login = 'boss'"),
                     1);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit WHERE login = 'boss'"
                                  " AND action = 'mapping_save' AND subject = 'mapping:外部订单'"),
                     1);
    v = call(f, "GET", "/api/v1/mappings/saved:%E5%A4%96%E9%83%A8%E8%AE%A2%E5%8D%95", NULL, 200);
    assert_string_equal(json_string_value(json_object_get(v, "text")), foreign_map);
    assert_string_equal(json_string_value(json_object_get(v, "login")), "boss");
    json_decref(v);
}

/* A dry run stores nothing; the same upload without dry_run stores. */
static void dry_run_then_import(void **state)
{
    struct fixture *f = *state;
    struct upload_part parts[] = {
        {"file", "sales.csv", foreign_csv}, {"map", NULL, foreign_map}, {"dry_run", NULL, "1"}};
    struct http h = http_upload(f->server.base_url, f->cookie, f->csrf, parts, 3);
    json_t *v = json_loads(h.body, 0, NULL), *job, *file;
    long long id;

    assert_int_equal(h.status, 202);
    id = (long long)json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    http_free(&h);
    job = wait_for_job(f->server.base_url, f->cookie, id);
    assert_string_equal(json_string_value(json_object_get(job, "state")), "done");
    assert_true(json_is_true(json_object_get(job, "dry_run")));
    assert_true(json_is_null(json_object_get(json_object_get(job, "report"), "batch")));
    file = json_array_get(json_object_get(json_object_get(job, "report"), "files"), 0);
    assert_string_equal(json_string_value(json_object_get(file, "path")), "sales.csv");
    assert_int_equal(json_integer_value(json_object_get(file, "inserted")), 2);
    json_decref(job);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM orders"), 0);

    parts[2].data = "0";
    h = http_upload(f->server.base_url, f->cookie, f->csrf, parts, 3);
    assert_int_equal(h.status, 202);
    v = json_loads(h.body, 0, NULL);
    id = (long long)json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    http_free(&h);
    job = wait_for_job(f->server.base_url, f->cookie, id);
    assert_string_equal(json_string_value(json_object_get(job, "state")), "done");
    assert_true(json_is_false(json_object_get(job, "dry_run")));
    json_decref(job);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM orders"), 2);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit WHERE login = 'boss'"
                                  " AND action = 'import_check' AND detail = 'sales.csv'"),
                     1);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit WHERE login = 'boss'"
                                  " AND action = 'import' AND detail = 'sales.csv'"),
                     1);

    /* dry_run takes 0 or 1 only; finance may not run an orders mapping. */
    parts[2].data = "yes";
    h = http_upload(f->server.base_url, f->cookie, f->csrf, parts, 3);
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    {
        char csrf[65], *fin = test_log_in(&f->server, "fin", PASSWORD, csrf);

        parts[2].data = "1";
        h = http_upload(f->server.base_url, fin, csrf, parts, 3);
        http_assert_error(&h, 403, "forbidden");
        http_free(&h);
        free(fin);
    }
}

/* Exports and views of personal fields are audited with the caller, the
 * route or employee, the scope and the row count. */
static void audit_rows(void **state)
{
    struct fixture *f = *state;
    char *lead = test_log_in(&f->server, "tina", PASSWORD, NULL);
    struct http h;
    json_t *v, *row;

    h = http_request(f->server.base_url, "GET", "/api/v1/employees/E1", NULL, f->cookie, NULL);
    assert_int_equal(h.status, 200);
    http_free(&h);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit WHERE login = 'boss'"
                                  " AND action = 'view_personal' AND subject = 'employee:E1'"
                                  " AND detail = 'pay,personal'"),
                     1);
    /* The team lead gets personal fields of its unit, not pay. */
    h = http_request(f->server.base_url, "GET", "/api/v1/employees/E2", NULL, lead, NULL);
    assert_int_equal(h.status, 200);
    http_free(&h);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit WHERE login = 'tina'"
                                  " AND action = 'view_personal' AND subject = 'employee:E2'"
                                  " AND detail = 'personal'"),
                     1);
    h = http_request(f->server.base_url, "GET", "/api/v1/units/T1", NULL, lead, NULL);
    assert_int_equal(h.status, 200);
    http_free(&h);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit WHERE login = 'tina'"
                                  " AND action = 'view_personal' AND subject = 'unit:T1'"
                                  " AND detail = 'personal of 2 employees'"),
                     1);

    /* Downloads: the route, the scope (given or the caller's), format and
     * row count. */
    h = http_request(f->server.base_url, "GET", "/api/v1/units/T1?format=csv", NULL, lead, NULL);
    assert_int_equal(h.status, 200);
    http_free(&h);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit WHERE login = 'tina'"
                                  " AND action = 'export' AND subject = '/api/v1/units/T1'"
                                  " AND detail = 'scope=unit:T1 format=csv rows=2'"),
                     1);
    h = http_request(f->server.base_url, "GET",
                     "/api/v1/orders?scope=unit:T1&period=2024-03&format=xlsx", NULL, f->cookie,
                     NULL);
    assert_int_equal(h.status, 200);
    http_free(&h);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit WHERE login = 'boss'"
                                  " AND action = 'export' AND subject = '/api/v1/orders'"
                                  " AND detail = 'scope=unit:T1 format=xlsx rows=2'"),
                     1);
    h = http_request(f->server.base_url, "GET", "/api/v1/employees/E1?format=csv&table=customers",
                     NULL, f->cookie, NULL);
    assert_int_equal(h.status, 200);
    http_free(&h);
    assert_int_equal(query_int(f,
                               "SELECT COUNT(*) FROM audit WHERE login = 'boss'"
                               " AND action = 'export' AND subject = '/api/v1/employees/E1'"
                               " AND detail = 'scope=company format=csv rows=1 table=customers'"),
                     1);

    /* GET /api/v1/audit: gm only, newest first, filtered, paged. */
    h = http_request(f->server.base_url, "GET", "/api/v1/audit", NULL, lead, NULL);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    v = call(f, "GET", "/api/v1/audit?action=export&limit=2", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(v, "rows")), 2);
    row = json_array_get(json_object_get(v, "rows"), 0);
    assert_string_equal(json_string_value(json_object_get(row, "subject")), "/api/v1/employees/E1");
    assert_string_equal(json_string_value(json_object_get(row, "login")), "boss");
    assert_true(json_is_integer(json_object_get(v, "next_before")));
    {
        char path[96];
        json_t *older;

        snprintf(path, sizeof(path), "/api/v1/audit?action=export&limit=2&before=%lld",
                 (long long)json_integer_value(json_object_get(v, "next_before")));
        older = call(f, "GET", path, NULL, 200);
        assert_int_equal(json_array_size(json_object_get(older, "rows")), 1);
        assert_string_equal(json_string_value(json_object_get(
                                json_array_get(json_object_get(older, "rows"), 0), "login")),
                            "tina");
        assert_true(json_is_null(json_object_get(older, "next_before")));
        json_decref(older);
    }
    json_decref(v);
    json_decref(call(f, "GET", "/api/v1/audit?limit=0", NULL, 400));
    v = call(f, "GET", "/api/v1/audit?login=tina&action=login", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(v, "rows")), 1);
    json_decref(v);
    free(lead);
}

/* Without a session, an upload gets 401 from its headers. */
static void upload_without_session(void **state)
{
    struct fixture *f = *state;
    struct http h = http_upload_size(f->server.base_url, NULL, NULL, 150ull * 1024 * 1024);

    http_assert_error(&h, 401, "unauthorized");
    http_free(&h);
    h = http_upload_size(f->server.base_url, f->cookie, NULL, 150ull * 1024 * 1024);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mappings),
        cmocka_unit_test(dry_run_then_import),
        cmocka_unit_test(audit_rows),
        cmocka_unit_test(upload_without_session),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
