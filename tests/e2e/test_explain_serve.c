/*
 * End-to-end tests of GET /api/v1/explain: the same JSON as "cairn
 * explain sales --format json", the caller's own scope as the default, a
 * scope outside it refused with 403 rather than narrowed, and the query
 * checks.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "server.h"
#include "support.h"

#define PASSWORD "secret-pass-1"

struct fixture {
    char *dir;
    char *db;
    struct test_server server;
};

static void run_ok(const char *const *args)
{
    struct run_result r = run_cairn(NULL, NULL, args);

    if (r.status)
        fprintf(stderr, "cairn failed: %s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char *data;

    f->dir = make_temp_dir();
    data = path_join(f->dir, "data");
    f->db = path_join(f->dir, "serve.db");
    free(write_file(data, "org_units.csv",
                    "unit_id,name,parent_id,kind,manager_id\n"
                    "HQ,总部,,company,\n"
                    "T1,一组,HQ,team,\n"
                    "T2,二组,HQ,team,\n"));
    free(write_file(data, "employees.csv",
                    "employee_id,name,unit_id,position,employment_type,hire_date\n"
                    "E1,甲,T1,sales,full_time,2023-01-01\n"
                    "E2,乙,T2,sales,full_time,2023-01-01\n"));
    free(write_file(data, "customers.csv", "customer_id,name,owner_id\nC1,一,E1\nC2,二,E2\n"));
    free(write_file(data, "orders.csv",
                    "order_id,order_date,customer_id,employee_id,amount,status\n"
                    "O1,2024-01-10,C1,E1,100.00,completed\n"
                    "O2,2024-01-11,C2,E2,50.00,completed\n"
                    "O3,2024-02-10,C1,E1,200.00,completed\n"
                    "O4,2024-02-11,C2,E2,40.50,completed\n"));
    run_ok(ARGS("--db", f->db, "init"));
    run_ok(ARGS("--db", f->db, "import", data));
    free(data);
    test_user_add(f->db, "boss", "gm", NULL, PASSWORD);
    test_user_add(f->db, "tina", "team_lead", "unit:T1", PASSWORD);
    test_server_start(&f->server, f->db);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(test_server_stop(&f->server), 0);
    remove_tree(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

static struct http get(const struct fixture *f, const char *login, const char *path)
{
    char *cookie = login ? test_log_in(&f->server, login, PASSWORD, NULL) : NULL;
    struct http h = http_request(f->server.base_url, "GET", path, NULL, cookie, NULL);

    free(cookie);
    return h;
}

static void same_json_as_cli(void **state)
{
    struct fixture *f = *state;
    struct http h = get(f, "boss",
                        "/api/v1/explain?metric=sales&period=2024-02&vs=2024-01&as_of=2024-03-31");
    json_t *cli = run_cairn_json(NULL,
                                 ARGS("--db", f->db, "explain", "sales", "--period", "2024-02",
                                      "--vs", "2024-01", "--as-of", "2024-03-31", "--format",
                                      "json"),
                                 0);
    json_t *api;

    assert_int_equal(h.status, 200);
    api = json_loads(h.body, 0, NULL);
    assert_non_null(api);
    assert_true(json_equal(api, cli));
    assert_string_equal(json_string_value(json_object_get(api, "scope")), "company");
    json_decref(api);
    json_decref(cli);
    http_free(&h);
}

static void own_scope_by_default(void **state)
{
    struct fixture *f = *state;
    struct http h = get(f, "tina", "/api/v1/explain?period=2024-02&vs=2024-01&as_of=2024-03-31");
    json_t *api;

    assert_int_equal(h.status, 200);
    api = json_loads(h.body, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(api, "scope")), "unit:T1");
    assert_true(json_real_value(json_object_get(api, "change")) == 100.0 ||
                json_integer_value(json_object_get(api, "change")) == 100);
    json_decref(api);
    http_free(&h);
}

static void outside_scope_forbidden(void **state)
{
    struct fixture *f = *state;
    struct http team = get(f, "tina",
                           "/api/v1/explain?period=2024-02&vs=2024-01&scope=unit:T2");
    struct http company = get(f, "tina",
                              "/api/v1/explain?period=2024-02&vs=2024-01&scope=company");

    http_assert_error(&team, 403, "forbidden");
    http_assert_error(&company, 403, "forbidden");
    http_free(&team);
    http_free(&company);
}

static void query_checked(void **state)
{
    struct fixture *f = *state;
    struct http no_vs = get(f, "boss", "/api/v1/explain?period=2024-02");
    struct http metric = get(f, "boss", "/api/v1/explain?metric=csat&period=2024-02&vs=2024-01");
    struct http unknown = get(f, "boss",
                              "/api/v1/explain?period=2024-02&vs=2024-01&scope=unit:T9");
    struct http anonymous = get(f, NULL, "/api/v1/explain?period=2024-02&vs=2024-01");

    http_assert_error(&no_vs, 400, "bad_request");
    http_assert_error(&metric, 400, "bad_request");
    http_assert_error(&unknown, 404, "not_found");
    http_assert_error(&anonymous, 401, "unauthorized");
    http_free(&no_vs);
    http_free(&metric);
    http_free(&unknown);
    http_free(&anonymous);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_json_as_cli),
        cmocka_unit_test(own_scope_by_default),
        cmocka_unit_test(outside_scope_forbidden),
        cmocka_unit_test(query_checked),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
