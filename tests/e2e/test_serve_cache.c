/*
 * End-to-end tests of the response cache of "cairn serve": a cached key
 * result response is replaced after an import (through the server's upload
 * and through "cairn import" in another process), and a team lead never
 * receives the general manager's cached response. The warning list is
 * cached too and replaced when warnings are recorded or change state.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "server.h"
#include "support.h"
#include "upload.h"

#define PASSWORD "secret-pass-1"
#define KPI "/api/v1/kpi?period=2024-03&as_of=2024-04-01&metrics=sales"

/* Units HQ > R1 > T1; E2 sells in R1 (500 yuan in March 2024), E3 in T1
 * (1000 yuan), so the company's sales are 1500 and T1's 1000. */
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
    {"orders.csv", "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                   "O1,2024-03-02,C1,E3,1000.00,A,completed\n"
                   "O2,2024-03-03,C2,E2,500.00,B,completed\n"},
};

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

/* GETs path as cookie, checks 200 and the scope, returns metrics.sales. */
static double kpi_sales(const struct fixture *f, const char *cookie, const char *path,
                        const char *scope)
{
    struct http h = http_request(f->server.base_url, "GET", path, NULL, cookie, NULL);
    json_t *v = json_loads(h.body, 0, NULL);
    double sales;

    assert_int_equal(h.status, 200);
    assert_non_null(v);
    assert_string_equal(json_string_value(json_object_get(v, "scope")), scope);
    assert_string_equal(json_string_value(json_object_get(v, "as_of")), "2024-04-01");
    assert_true(json_is_number(json_object_get(json_object_get(v, "metrics"), "sales")));
    sales = json_number_value(json_object_get(json_object_get(v, "metrics"), "sales"));
    json_decref(v);
    http_free(&h);
    return sales;
}

/* GETs the March 2024 sales of the company from the series route. */
static double series_sales(const struct fixture *f, const char *cookie)
{
    struct http h = http_request(f->server.base_url, "GET",
                                 "/api/v1/series?metric=sales&months=1&as_of=2024-03-31", NULL,
                                 cookie, NULL);
    json_t *v = json_loads(h.body, 0, NULL), *sales;
    double value;

    assert_int_equal(h.status, 200);
    sales = json_object_get(json_object_get(v, "series"), "sales");
    assert_int_equal(json_array_size(sales), 1);
    value = json_number_value(json_array_get(sales, 0));
    json_decref(v);
    http_free(&h);
    return value;
}

static void kpi_cache_invalidated_by_import(void **state)
{
    struct fixture *f = *state;
    char csrf[65], *cookie = test_log_in(&f->server, "boss", PASSWORD, csrf);
    struct upload_part part = {"file", "orders.csv",
                               "order_id,order_date,customer_id,employee_id,amount,status\n"
                               "O3,2024-03-04,C1,E3,250.00,completed\n"};
    struct run_result r;
    struct http h;
    json_t *v, *job;
    char *more;

    /* Computed, then served again (from the cache) unchanged. */
    assert_true(kpi_sales(f, cookie, KPI, "company") == 1500.0);
    assert_true(kpi_sales(f, cookie, KPI, "company") == 1500.0);
    assert_true(series_sales(f, cookie) == 1500.0);
    assert_true(series_sales(f, cookie) == 1500.0);

    /* An upload through the server. */
    h = http_upload(f->server.base_url, cookie, csrf, &part, 1);
    assert_int_equal(h.status, 202);
    v = json_loads(h.body, 0, NULL);
    job = wait_for_job(f->server.base_url, cookie, json_integer_value(json_object_get(v, "id")));
    assert_string_equal(json_string_value(json_object_get(job, "state")), "done");
    json_decref(job);
    json_decref(v);
    http_free(&h);
    assert_true(kpi_sales(f, cookie, KPI, "company") == 1750.0);
    assert_true(series_sales(f, cookie) == 1750.0);

    /* An import by another process, then its undo. */
    more = write_file(f->dir, "more/orders.csv",
                      "order_id,order_date,customer_id,employee_id,amount,status\n"
                      "O4,2024-03-05,C2,E2,250.00,completed\n");
    r = run_cairn(f->dir, NULL, ARGS("--db", f->db_path, "import", more));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    assert_true(kpi_sales(f, cookie, KPI, "company") == 2000.0);
    r = run_cairn(f->dir, NULL, ARGS("--db", f->db_path, "imports", "undo", "3"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    assert_true(kpi_sales(f, cookie, KPI, "company") == 1750.0);
    free(more);
    free(cookie);
}

static void team_lead_not_served_gm_answer(void **state)
{
    struct fixture *f = *state;
    char *boss = test_log_in(&f->server, "boss", PASSWORD, NULL);
    char *tina = test_log_in(&f->server, "tina", PASSWORD, NULL);
    struct http h;

    /* The GM's default scope is the company, the team lead's its unit,
     * so the same URL gives each its own response in either order. */
    assert_true(kpi_sales(f, boss, KPI, "company") == 1500.0);
    assert_true(kpi_sales(f, tina, KPI, "unit:T1") == 1000.0);
    assert_true(kpi_sales(f, boss, KPI, "company") == 1500.0);
    assert_true(kpi_sales(f, tina, KPI, "unit:T1") == 1000.0);

    /* Naming the company is refused for the team lead, also when the
     * GM's response for it is cached. */
    h = http_request(f->server.base_url, "GET", KPI "&scope=company", NULL, tina, NULL);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    assert_true(kpi_sales(f, boss, KPI "&scope=unit:T1", "unit:T1") == 1000.0);
    assert_true(kpi_sales(f, boss, KPI "&scope=unit:R1", "unit:R1") == 1500.0);
    h = http_request(f->server.base_url, "GET", KPI "&scope=unit:R1", NULL, tina, NULL);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);
    free(boss);
    free(tina);
}

/* GETs the warning list as cookie and returns its first warning. */
static json_t *first_alert(const struct fixture *f, const char *cookie)
{
    struct http h = http_request(f->server.base_url, "GET", "/api/v1/alerts", NULL, cookie, NULL);
    json_t *list = json_loads(h.body, 0, NULL), *first;

    assert_int_equal(h.status, 200);
    assert_true(json_is_array(list));
    assert_true(json_array_size(list) > 0);
    first = json_incref(json_array_get(list, 0));
    json_decref(list);
    http_free(&h);
    return first;
}

static void alerts_cache_follows_records(void **state)
{
    struct fixture *f = *state;
    char csrf[65], *cookie = test_log_in(&f->server, "boss", PASSWORD, csrf);
    const char *headers[2] = {NULL, NULL};
    char header[128], path[64];
    struct run_result r;
    struct http h;
    json_t *a;

    /* Not recorded yet, asked twice (the second from the cache). */
    for (int i = 0; i < 2; i++) {
        a = first_alert(f, cookie);
        assert_null(json_object_get(a, "id"));
        json_decref(a);
    }

    /* Recorded by another process: the list shows the record. */
    r = run_cairn(f->dir, NULL, ARGS("--db", f->db_path, "alerts", "run"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    a = first_alert(f, cookie);
    assert_true(json_is_integer(json_object_get(a, "id")));
    assert_string_equal(json_string_value(json_object_get(a, "state")), "new");

    /* Acknowledged through the server. */
    snprintf(path, sizeof(path), "/api/v1/alerts/%lld/ack",
             (long long)json_integer_value(json_object_get(a, "id")));
    snprintf(header, sizeof(header), "X-CSRF-Token: %s", csrf);
    headers[0] = header;
    h = http_request(f->server.base_url, "POST", path, "", cookie, headers);
    assert_int_equal(h.status, 200);
    http_free(&h);
    json_decref(a);
    a = first_alert(f, cookie);
    assert_string_equal(json_string_value(json_object_get(a, "state")), "acknowledged");
    json_decref(a);
    free(cookie);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(kpi_cache_invalidated_by_import, setup, teardown),
        cmocka_unit_test_setup_teardown(team_lead_not_served_gm_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(alerts_cache_follows_records, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
