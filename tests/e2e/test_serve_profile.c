/*
 * End-to-end tests of GET /api/v1/teams/profile (the top 20 % of sales
 * reps against the rest) on a small company whose figures are computed
 * by hand below: the ranking with a tie, ceil(20 % × n), the means of each
 * group, a unit scope, an empty scope, and the refusals.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "server.h"
#include "support.h"

#define PASSWORD "secret-pass-1"

/*
 * HQ > R1 > T1, T2, T3 (T3 has nobody). Sales reps: E1, E2, E6 in T1
 * (E6 left in February, before the period), E3, E4, E5 in T2; M1 is a
 * manager. Period 2024-03, as of 2024-03-31:
 *
 *   rep  sales  completed orders  visits  tenure (days to 2024-03-31)
 *   E1   4000   2 (3000 + 1000)   2       455 (hired 2023-01-01)
 *   E4   4000   1 (4000)          1       820 (hired 2022-01-01)
 *   E3   3500   1 (4000; 500 refunded)    0    90 (hired 2024-01-01)
 *   E2   2000   1 (2000)          0       274 (hired 2023-07-01)
 *   E5      0   0                 0        45 (hired 2024-02-15)
 *
 * n = 5, top = ceil(1.0) = 1: E1 (ties with E4 at 4000, the smaller id
 * wins). The rest: sales (4000 + 3500 + 2000 + 0) / 4 = 2375, orders
 * per head 3 / 4 = 0.75, average order value (4000 + 4000 + 2000) / 3 =
 * 3333.33, visits per head (1 + 0 + 0 + 0) / 4 = 0.25, tenure
 * (820 + 90 + 274 + 45) / 4 = 307.25 days.
 */
static const char *const files[][2] = {
    {"org_units.csv", "unit_id,name,parent_id,kind,manager_id\n"
                      "HQ,总公司,,company,M1\n"
                      "R1,华东大区,HQ,region,\n"
                      "T1,杭州一组,R1,team,\n"
                      "T2,杭州二组,R1,team,\n"
                      "T3,杭州三组,R1,team,\n"},
    {"employees.csv", "employee_id,name,unit_id,position,hire_date,leave_date\n"
                      "M1,张伟,HQ,manager,2020-01-06,\n"
                      "E1,李娜,T1,sales,2023-01-01,\n"
                      "E2,王芳,T1,sales,2023-07-01,\n"
                      "E6,赵六,T1,sales,2022-05-01,2024-02-20\n"
                      "E3,刘洋,T2,sales,2024-01-01,\n"
                      "E4,陈静,T2,sales,2022-01-01,\n"
                      "E5,杨帆,T2,sales,2024-02-15,\n"},
    {"customers.csv", "customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n"
                      "C1,甲公司,T1,smb,,E1,2023-01-05\n"
                      "C2,乙公司,T2,smb,,E4,2023-01-05\n"},
    {"orders.csv", "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                   "O1,2024-03-02,C1,E1,3000.00,A,completed\n"
                   "O2,2024-03-20,C1,E1,1000.00,A,completed\n"
                   "O3,2024-03-05,C1,E2,2000.00,A,completed\n"
                   "O4,2024-03-06,C2,E3,4000.00,A,completed\n"
                   "O5,2024-03-07,C2,E3,500.00,A,refunded\n"
                   "O6,2024-03-08,C2,E4,4000.00,A,completed\n"
                   "O7,2024-02-10,C1,E6,9000.00,A,completed\n"
                   "O8,2024-04-01,C1,E5,9000.00,A,completed\n"},
    {"visits.csv", "visit_id,visit_date,employee_id,customer_id,kind\n"
                   "V1,2024-03-03,E1,C1,visit\n"
                   "V2,2024-03-04,E1,C1,visit\n"
                   "V3,2024-03-04,E4,C2,visit\n"},
};

struct fixture {
    char *dir;
    char *db_path;
    struct test_server server;
    char *cookie;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    f->dir = make_temp_dir();
    f->db_path = path_join(f->dir, "cairn.db");
    import_canonical_files(f->dir, f->db_path, files, sizeof(files) / sizeof(files[0]));
    test_user_add(f->db_path, "boss", "gm", NULL, PASSWORD);
    test_user_add(f->db_path, "tina", "team_lead", "unit:T1", PASSWORD);
    test_user_add(f->db_path, "rita", "rep", "employee:E1", PASSWORD);
    test_server_start(&f->server, f->db_path);
    f->cookie = test_log_in(&f->server, "boss", PASSWORD, NULL);
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

static json_t *profile(const struct fixture *f, const char *cookie, const char *args, long status)
{
    char path[256];
    struct http h;
    json_t *v;

    snprintf(path, sizeof(path), "/api/v1/teams/profile?period=2024-03&as_of=2024-03-31%s", args);
    h = http_request(f->server.base_url, "GET", path, NULL, cookie, NULL);
    if (h.status != status)
        fprintf(stderr, "%s: %ld %s\n", path, h.status, h.body);
    assert_int_equal(h.status, status);
    v = json_loads(h.body, 0, NULL);
    assert_non_null(v);
    http_free(&h);
    return v;
}

static json_t *figures(json_t *v, size_t group)
{
    return json_object_get(json_array_get(json_object_get(v, "groups"), group), "figures");
}

static double figure(json_t *v, size_t group, const char *name)
{
    json_t *x = json_object_get(figures(v, group), name);

    assert_true(json_is_number(x));
    return json_number_value(x);
}

static void company_profile(void **state)
{
    struct fixture *f = *state;
    json_t *v = profile(f, f->cookie, "", 200), *top = json_object_get(v, "top");

    assert_string_equal(json_string_value(json_object_get(v, "scope")), "company");
    assert_string_equal(json_string_value(json_object_get(v, "ranked_by")), "sales");
    assert_int_equal(json_integer_value(json_object_get(v, "reps")), 5);
    assert_int_equal(json_integer_value(json_object_get(v, "top_count")), 1);
    assert_int_equal(json_array_size(top), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(top, 0), "employee_id")),
                        "E1");

    /* The top group: E1 alone. */
    assert_float_equal(figure(v, 0, "sales"), 4000, 1e-9);
    assert_float_equal(figure(v, 0, "per_capita_sales"), 4000, 1e-9);
    assert_float_equal(figure(v, 0, "orders_per_head"), 2, 1e-12);
    assert_float_equal(figure(v, 0, "avg_order_value"), 2000, 1e-9);
    assert_float_equal(figure(v, 0, "visits_per_head"), 2, 1e-12);
    assert_float_equal(figure(v, 0, "tenure_days"), 455, 1e-9);
    assert_true(json_is_null(json_object_get(figures(v, 0), "csat")));
    assert_true(json_is_null(json_object_get(figures(v, 0), "training_completion_rate")));

    /* The rest: E4, E3, E2, E5. */
    assert_int_equal(json_integer_value(
                         json_object_get(json_array_get(json_object_get(v, "groups"), 1), "count")),
                     4);
    assert_float_equal(figure(v, 1, "sales"), 2375, 1e-9);
    assert_float_equal(figure(v, 1, "per_capita_sales"), 2375, 1e-9);
    assert_float_equal(figure(v, 1, "orders_per_head"), 0.75, 1e-12);
    assert_float_equal(figure(v, 1, "avg_order_value"), 3333.33, 1e-9);
    assert_float_equal(figure(v, 1, "visits_per_head"), 0.25, 1e-12);
    assert_float_equal(figure(v, 1, "tenure_days"), 307.25, 1e-9);
    json_decref(v);
}

/* T2 has E3, E4, E5: n = 3, top = ceil(0.6) = 1 (E4). */
static void unit_and_empty_scopes(void **state)
{
    struct fixture *f = *state;
    json_t *v = profile(f, f->cookie, "&scope=unit:T2", 200);

    assert_int_equal(json_integer_value(json_object_get(v, "reps")), 3);
    assert_int_equal(json_integer_value(json_object_get(v, "top_count")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(v, "top"), 0), "employee_id")),
                        "E4");
    assert_float_equal(figure(v, 1, "sales"), 1750, 1e-9);
    assert_float_equal(figure(v, 1, "tenure_days"), 67.5, 1e-9);
    assert_float_equal(figure(v, 1, "orders_per_head"), 0.5, 1e-12);
    assert_float_equal(figure(v, 1, "avg_order_value"), 4000, 1e-9);
    json_decref(v);

    /* Nobody in T3: both groups are empty and every figure is null. */
    v = profile(f, f->cookie, "&scope=unit:T3", 200);
    assert_int_equal(json_integer_value(json_object_get(v, "reps")), 0);
    assert_int_equal(json_integer_value(json_object_get(v, "top_count")), 0);
    assert_int_equal(json_array_size(json_object_get(v, "top")), 0);
    assert_true(json_is_null(json_object_get(figures(v, 0), "sales")));
    assert_true(json_is_null(json_object_get(figures(v, 1), "avg_order_value")));
    assert_true(json_is_null(json_object_get(figures(v, 1), "tenure_days")));
    json_decref(v);
}

static void refusals(void **state)
{
    struct fixture *f = *state;
    char *lead = test_log_in(&f->server, "tina", PASSWORD, NULL);
    char *rep = test_log_in(&f->server, "rita", PASSWORD, NULL);
    struct http h;
    json_t *v;

    /* The team lead: its own unit (E1, E2; top = ceil(0.4) = 1), not T2. */
    v = profile(f, lead, "", 200);
    assert_string_equal(json_string_value(json_object_get(v, "scope")), "unit:T1");
    assert_int_equal(json_integer_value(json_object_get(v, "reps")), 2);
    assert_float_equal(figure(v, 1, "sales"), 2000, 1e-9);
    json_decref(v);
    h = http_request(f->server.base_url, "GET",
                     "/api/v1/teams/profile?period=2024-03&scope=unit:T2", NULL, lead, NULL);
    http_assert_error(&h, 403, "forbidden");
    http_free(&h);

    /* A rep's scope has nobody to compare; a bad period is rejected. */
    h = http_request(f->server.base_url, "GET", "/api/v1/teams/profile?period=2024-03", NULL, rep,
                     NULL);
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    h = http_request(f->server.base_url, "GET", "/api/v1/teams/profile?period=2024-13", NULL,
                     f->cookie, NULL);
    http_assert_error(&h, 400, "bad_request");
    http_free(&h);
    h = http_request(f->server.base_url, "GET", "/api/v1/teams/profile?period=2024-03", NULL, NULL,
                     NULL);
    http_assert_error(&h, 401, "unauthorized");
    http_free(&h);
    free(lead);
    free(rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(company_profile),
        cmocka_unit_test(unit_and_empty_scopes),
        cmocka_unit_test(refusals),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
