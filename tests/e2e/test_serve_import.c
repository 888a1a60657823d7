/*
 * End-to-end tests of the import upload of "cairn serve": POST
 * /api/v1/import as multipart/form-data, the background job and GET
 * /api/v1/import/ID. They also cover who may import what, CSRF, the
 * upload size limit, the audit row, and the warning run that the
 * scheduler starts after an import that stored rows.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "server.h"
#include "support.h"
#include "upload.h"

#include "db/db.h"

#define PASSWORD "secret-pass-1"

/* Units HQ > R1 > T1; E2 sells in R1, E3 in T1. */
static const char *const base_files[][2] = {
    {"org_units.csv", "unit_id,name,parent_id,kind,manager_id\n"
                      "HQ,总公司,,company,E1\n"
                      "R1,华东大区,HQ,region,E2\n"
                      "T1,杭州一组,R1,team,\n"},
    {"employees.csv", "employee_id,name,unit_id,position,hire_date\n"
                      "E1,张伟,HQ,manager,2020-01-06\n"
                      "E2,李娜,R1,sales,2021-03-01\n"
                      "E3,王芳,T1,sales,2022-05-10\n"},
    {"assignments.csv", "employee_id,unit_id,start_date,end_date\n"
                        "E2,R1,2021-03-01,\n"
                        "E3,T1,2022-05-10,\n"},
    {"customers.csv", "customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n"
                      "C1,甲公司,T1,smb,,E3,2022-06-01\n"
                      "C2,乙公司,R1,smb,,E2,2022-06-01\n"},
};

static const char orders_csv[] = "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                                 "O1,2024-03-02,C1,E3,1000.00,A,completed\n"
                                 "O2,2024-03-03,C2,E2,500.00,B,completed\n";

struct fixture {
    char *dir;
    char *db_path;
    struct test_server server;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct run_result r;
    char *data;

    f->dir = make_temp_dir();
    f->db_path = path_join(f->dir, "cairn.db");
    data = path_join(f->dir, "base");
    for (size_t i = 0; i < sizeof(base_files) / sizeof(base_files[0]); i++)
        free(write_file(data, base_files[i][0], base_files[i][1]));
    r = run_cairn(f->dir, NULL, ARGS("--db", f->db_path, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(f->dir, NULL, ARGS("--db", f->db_path, "import", data));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    free(data);

    test_user_add(f->db_path, "boss", "gm", NULL, PASSWORD);
    test_user_add(f->db_path, "fin", "finance", NULL, PASSWORD);
    test_user_add(f->db_path, "hanna", "hr", NULL, PASSWORD);
    test_user_add(f->db_path, "tina", "team_lead", "unit:T1", PASSWORD);
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

/* Uploads one file and returns the job id of the 202 response. */
static long long upload_file(const struct fixture *f, const char *cookie, const char *csrf,
                             const char *name, const char *content)
{
    struct upload_part part = {"file", name, content};
    struct http h = http_upload(f->server.base_url, cookie, csrf, &part, 1);
    json_t *v = json_loads(h.body, 0, NULL);
    long long id;

    if (h.status != 202)
        fprintf(stderr, "upload of %s: %ld %s\n", name, h.status, h.body);
    assert_int_equal(h.status, 202);
    assert_int_equal(json_object_size(v), 1);
    assert_true(json_is_integer(json_object_get(v, "id")));
    id = (long long)json_integer_value(json_object_get(v, "id"));
    json_decref(v);
    http_free(&h);
    return id;
}

static long long report_count(json_t *job, const char *key)
{
    json_t *file = json_array_get(json_object_get(json_object_get(job, "report"), "files"), 0);

    return (long long)json_integer_value(json_object_get(file, key));
}

static void orders_upload_as_gm(void **state)
{
    struct fixture *f = *state;
    char csrf[65], *cookie = test_log_in(&f->server, "boss", PASSWORD, csrf);
    long long id = upload_file(f, cookie, csrf, "orders.csv", orders_csv);
    json_t *job = wait_for_job(f->server.base_url, cookie, id);
    json_t *file;

    assert_int_equal(id, 1);
    assert_int_equal(json_object_size(job), 6);
    assert_true(json_is_false(json_object_get(job, "dry_run")));
    assert_int_equal(json_integer_value(json_object_get(job, "id")), 1);
    assert_string_equal(json_string_value(json_object_get(job, "state")), "done");
    assert_int_equal(json_integer_value(json_object_get(job, "rows")), 2);
    assert_true(json_is_null(json_object_get(job, "total")));
    assert_true(json_is_integer(json_object_get(json_object_get(job, "report"), "batch")));
    file = json_array_get(json_object_get(json_object_get(job, "report"), "files"), 0);
    assert_string_equal(json_string_value(json_object_get(file, "kind")), "orders");
    assert_string_equal(json_string_value(json_object_get(file, "path")), "orders.csv");
    assert_int_equal(report_count(job, "rows"), 2);
    assert_int_equal(report_count(job, "inserted"), 2);
    assert_int_equal(report_count(job, "rejected"), 0);
    json_decref(job);

    /* The rows are stored, the job and the audit row name the caller. */
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM orders"), 2);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM import_jobs WHERE login = 'boss'"
                                  " AND file = 'orders.csv' AND state = 'done'"),
                     1);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM audit WHERE login = 'boss'"
                                  " AND action = 'import' AND subject = 'import_job:1'"
                                  " AND detail = 'orders.csv'"),
                     1);
    free(cookie);
}

static void import_roles(void **state)
{
    struct fixture *f = *state;
    char csrf[65], *cookie = test_log_in(&f->server, "fin", PASSWORD, csrf);
    struct upload_part employees = {"file", "employees.csv", "employee_id,name\nE9,赵六\n"};
    struct upload_part orders = {"file", "orders.csv", orders_csv};
    struct upload_part as_kind[] = {{"file", "data.csv", "employee_id,name\nE9,赵六\n"},
                                    {"kind", NULL, "employees"}};
    struct upload_part with_map[] = {
        {"file", "staff.csv", "id,name\nE9,赵六\n"},
        {"map", "map.json",
         "{\"sources\":[{\"name\":\"s\",\"file\":\"staff.csv\"}],"
         "\"targets\":[{\"entity\":\"orders\",\"sql\":\"SELECT 1\"}]}"}};
    struct upload_part hr_map[] = {
        {"file", "staff.csv", "id,name\nE9,赵六\n"},
        {"map", "map.json",
         "{\"sources\":[{\"name\":\"s\",\"file\":\"staff.csv\"}],"
         "\"targets\":[{\"entity\":\"employees\",\"sql\":"
         "\"SELECT id AS employee_id, name, 'T1' AS unit_id, 'sales' AS position,"
         " '2024-01-02' AS hire_date FROM s\"}]}"}};
    struct http h;
    json_t *job;
    long long id;

    /* finance: payroll and expenses only, also when the kind is given. */
    h = http_upload(f->server.base_url, cookie, csrf, &employees, 1);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = http_upload(f->server.base_url, cookie, csrf, as_kind, 2);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = http_upload(f->server.base_url, cookie, csrf, &orders, 1);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    id = upload_file(f, cookie, csrf, "payroll.csv",
                     "employee_id,month,base_pay,variable_pay,employer_cost\n"
                     "E3,2024-01,8000,1500.25,\n");
    job = wait_for_job(f->server.base_url, cookie, id);
    assert_string_equal(json_string_value(json_object_get(job, "state")), "done");
    assert_int_equal(report_count(job, "inserted"), 1);
    json_decref(job);
    free(cookie);

    /* hr: HR files, not orders, and a mapping only when all its targets
     * are HR entities. */
    cookie = test_log_in(&f->server, "hanna", PASSWORD, csrf);
    h = http_upload(f->server.base_url, cookie, csrf, &orders, 1);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = http_upload(f->server.base_url, cookie, csrf, with_map, 2);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = http_upload(f->server.base_url, cookie, csrf, hr_map, 2);
    assert_int_equal(h.status, 202);
    job = json_loads(h.body, 0, NULL);
    id = (long long)json_integer_value(json_object_get(job, "id"));
    json_decref(job);
    http_free(&h);
    job = wait_for_job(f->server.base_url, cookie, id);
    assert_string_equal(json_string_value(json_object_get(job, "state")), "done");
    assert_int_equal(report_count(job, "inserted"), 1);
    json_decref(job);
    id = upload_file(f, cookie, csrf, "employees.csv",
                     "employee_id,name,unit_id,position,hire_date\nE9,赵六,T1,sales,2024-01-02\n");
    job = wait_for_job(f->server.base_url, cookie, id);
    assert_string_equal(json_string_value(json_object_get(job, "state")), "done");
    json_decref(job);
    free(cookie);

    /* team_lead: nothing, and another account's job is not shown. */
    cookie = test_log_in(&f->server, "tina", PASSWORD, csrf);
    h = http_upload(f->server.base_url, cookie, csrf, &employees, 1);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = http_request(f->server.base_url, "GET", "/api/v1/import/1", NULL, cookie, NULL);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    h = http_request(f->server.base_url, "GET", "/api/v1/import/99", NULL, cookie, NULL);
    http_assert_error(&h, 404, "not_found");
    http_free(&h);
    free(cookie);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM import_jobs"), 3);
}

static void bad_file_fails(void **state)
{
    struct fixture *f = *state;
    char csrf[65], *cookie = test_log_in(&f->server, "boss", PASSWORD, csrf);
    long long id = upload_file(f, cookie, csrf, "orders.csv",
                               "order_id,order_date,customer_id,employee_id,amount\n"
                               "O7,2024-03-01,C1,E3,10\n"
                               "O8,2024-03-01,C1,E3,12.345\n");
    json_t *job = wait_for_job(f->server.base_url, cookie, id), *report, *error;

    assert_string_equal(json_string_value(json_object_get(job, "state")), "failed");
    report = json_object_get(job, "report");
    assert_true(json_is_null(json_object_get(report, "batch")));
    assert_int_equal(report_count(job, "rows"), 2);
    assert_int_equal(report_count(job, "inserted"), 0);
    assert_int_equal(report_count(job, "rejected"), 1);
    error = json_array_get(json_object_get(json_array_get(json_object_get(report, "files"), 0),
                                           "errors"),
                           0);
    assert_int_equal(json_integer_value(json_object_get(error, "line")), 3);
    assert_string_equal(json_string_value(json_object_get(error, "source")), "orders.csv");
    assert_string_equal(json_string_value(json_object_get(error, "column")), "amount");
    json_decref(job);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM orders"), 0);
    free(cookie);
}

/* A mapping without sources or targets, or one that is not JSON, is
 * refused at upload with the parser's message; a syntax error also has
 * its line and column. No job is queued. */
static void bad_mapping_fails(void **state)
{
    struct fixture *f = *state;
    char csrf[65], *cookie = test_log_in(&f->server, "boss", PASSWORD, csrf);
    struct upload_part with_map[] = {{"file", "orders.csv", orders_csv}, {"map", NULL, "{}"}};
    struct upload_part broken[] = {{"file", "orders.csv", orders_csv},
                                   {"map", NULL, "{\"sources\": [],\n \"targets\": [,]}"}};
    struct http h = http_upload(f->server.base_url, cookie, csrf, with_map, 2);
    json_t *v = json_loads(h.body, 0, NULL), *error = json_object_get(v, "error");

    assert_int_equal(h.status, 400);
    assert_string_equal(json_string_value(json_object_get(error, "code")), "bad_request");
    assert_true(json_is_string(json_object_get(error, "message")));
    assert_null(json_object_get(error, "line"));
    json_decref(v);
    http_free(&h);

    h = http_upload(f->server.base_url, cookie, csrf, broken, 2);
    v = json_loads(h.body, 0, NULL);
    error = json_object_get(v, "error");
    assert_int_equal(h.status, 400);
    assert_int_equal(json_integer_value(json_object_get(error, "line")), 2);
    assert_int_equal(json_integer_value(json_object_get(error, "column")), 14);
    json_decref(v);
    http_free(&h);
    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM import_jobs"), 0);
    free(cookie);
}

static void upload_refusals(void **state)
{
    struct fixture *f = *state;
    char csrf[65], *cookie = test_log_in(&f->server, "boss", PASSWORD, csrf);
    struct upload_part orders = {"file", "orders.csv", orders_csv};
    struct upload_part bad_kind[] = {{"file", "x.csv", orders_csv}, {"kind", NULL, "bogus"}};
    struct upload_part no_file = {"kind", NULL, "orders"};
    struct http h;

    h = http_upload(f->server.base_url, cookie, NULL, &orders, 1);
    http_assert_error(&h, 403, "forbidden"); /* no X-CSRF-Token */
    http_free(&h);
    h = http_upload(f->server.base_url, NULL, NULL, &orders, 1);
    http_assert_error(&h, 401, "unauthorized");
    http_free(&h);
    h = http_upload(f->server.base_url, cookie, csrf, bad_kind, 2);
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    h = http_upload(f->server.base_url, cookie, csrf, &no_file, 1);
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);

    /* Over 200 MiB: refused from the declared length. 2 MiB passes the
     * 1 MiB limit of other routes and is only an invalid multipart body. */
    h = http_upload_size(f->server.base_url, cookie, csrf, 200ull * 1024 * 1024 + 1);
    http_assert_error(&h, 413, "too_large");
    http_free(&h);
    h = http_upload_size(f->server.base_url, cookie, csrf, 2ull * 1024 * 1024);
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    h = http_request(f->server.base_url, "GET", "/api/v1/import", NULL, cookie, NULL);
    http_assert_error(&h, 405, "method_not_allowed");
    http_free(&h);

    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM import_jobs"), 0);
    free(cookie);
}

static void alerts_run_after_import(void **state)
{
    struct fixture *f = *state;
    char csrf[65], *cookie = test_log_in(&f->server, "boss", PASSWORD, csrf);
    long long id, alerts = 0;
    json_t *job;

    assert_int_equal(query_int(f, "SELECT COUNT(*) FROM alerts"), 0);
    id = upload_file(f, cookie, csrf, "orders.csv", orders_csv);
    job = wait_for_job(f->server.base_url, cookie, id);
    assert_string_equal(json_string_value(json_object_get(job, "state")), "done");
    json_decref(job);
    for (int i = 0; i < 40 && alerts == 0; i++) {
        usleep(250 * 1000);
        alerts = query_int(f, "SELECT COUNT(*) FROM alerts");
    }
    assert_true(alerts > 0);
    free(cookie);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(orders_upload_as_gm, setup, teardown),
        cmocka_unit_test_setup_teardown(import_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_file_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_mapping_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(upload_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(alerts_run_after_import, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
