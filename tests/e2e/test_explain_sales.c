/*
 * End-to-end tests of "cairn explain sales" on a small hand-made
 * company, February 2024 against January 2024 (as of 2024-03-31). Every
 * part is worked out by hand beside its assertion.
 *
 *   HQ (company) -> T1, T2 (teams). E1 in T1 and E2 in T2 since 2023;
 *   E3 joins T2 on 2024-02-01; E4 sits in HQ itself.
 *   January: E1 sells C1 100.00 (C1's first purchase was in December),
 *   E2 sells C2 50.00 (C2's first purchase), E4 a walk-in 10.00.
 *   February: E1 sells C1 200.00, E2 sells C2 40.00, E3 sells C3 30.01
 *   (C3's first purchase), E4 a walk-in 5.00.
 *   Company sales: 160.00 -> 275.01, a change of 115.01.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

struct fixture {
    char *dir;
    char *db;
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
    f->db = path_join(f->dir, "explain.db");
    free(write_file(data, "org_units.csv",
                    "unit_id,name,parent_id,kind,manager_id\n"
                    "HQ,总部,,company,\n"
                    "T1,一组,HQ,team,\n"
                    "T2,二组,HQ,team,\n"));
    free(write_file(data, "employees.csv",
                    "employee_id,name,unit_id,position,employment_type,hire_date\n"
                    "E1,甲,T1,sales,full_time,2023-01-01\n"
                    "E2,乙,T2,sales,full_time,2023-01-01\n"
                    "E3,丙,T2,sales,full_time,2024-02-01\n"
                    "E4,丁,HQ,sales,full_time,2023-01-01\n"));
    free(write_file(data, "customers.csv",
                    "customer_id,name,owner_id\n"
                    "C1,一,E1\n"
                    "C2,二,E2\n"
                    "C3,三,E3\n"));
    free(write_file(data, "orders.csv",
                    "order_id,order_date,customer_id,employee_id,amount,status\n"
                    "O0,2023-12-10,C1,E1,70.00,completed\n"
                    "O1,2024-01-10,C1,E1,100.00,completed\n"
                    "O2,2024-01-11,C2,E2,50.00,completed\n"
                    "O3,2024-01-12,,E4,10.00,completed\n"
                    "O4,2024-02-10,C1,E1,200.00,completed\n"
                    "O5,2024-02-11,C2,E2,40.00,completed\n"
                    "O6,2024-02-12,C3,E3,30.01,completed\n"
                    "O7,2024-02-13,,E4,5.00,completed\n"
                    "O8,2024-02-14,C1,E1,99.00,cancelled\n"));
    run_ok(ARGS("--db", f->db, "init"));
    run_ok(ARGS("--db", f->db, "import", data));
    free(data);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    remove_tree(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

static json_t *explain(const char *db, const char *scope)
{
    return run_cairn_json(NULL,
                          ARGS("--db", db, "explain", "sales", "--period", "2024-02", "--vs",
                               "2024-01", "--scope", scope, "--as-of", "2024-03-31",
                               "--format", "json"),
                          0);
}

/* Amounts compared in fen, so 61.04 must be exactly 6104. */
static long long fen(json_t *v)
{
    assert_true(json_is_number(v));
    return llround(json_number_value(v) * 100.0);
}

static void check_part(json_t *e, const char *split, size_t i, const char *name, long long want)
{
    json_t *part = json_array_get(json_object_get(json_object_get(e, "splits"), split), i);

    assert_non_null(part);
    assert_string_equal(json_string_value(json_object_get(part, "name")), name);
    assert_int_equal(fen(json_object_get(part, "value")), want);
}

static size_t nparts(json_t *e, const char *split)
{
    return json_array_size(json_object_get(json_object_get(e, "splits"), split));
}

static void company_splits(void **state)
{
    struct fixture *f = *state;
    json_t *e = explain(f->db, "company");

    assert_string_equal(json_string_value(json_object_get(e, "metric")), "sales");
    assert_string_equal(json_string_value(json_object_get(e, "period")), "2024-02");
    assert_string_equal(json_string_value(json_object_get(e, "vs")), "2024-01");
    assert_string_equal(json_string_value(json_object_get(e, "scope")), "company");
    assert_int_equal(fen(json_object_get(e, "from")), 16000);
    assert_int_equal(fen(json_object_get(e, "to")), 27501);
    assert_int_equal(fen(json_object_get(e, "change")), 11501);

    /* h0 = 3 (E1, E2, E4), h1 = 4; p0 = 16000 / 3, p1 = 27501 / 4 fen:
     * 1 x (5333.33 + 6875.25) / 2 = 6104.29 -> 6104; the rest 5397. */
    assert_int_equal(nparts(e, "headcount"), 2);
    check_part(e, "headcount", 0, "headcount", 6104);
    check_part(e, "headcount", 1, "per_capita", 5397);

    /* New: C3's 30.01 in February against C2's 50.00 in January. */
    assert_int_equal(nparts(e, "customers"), 2);
    check_part(e, "customers", 0, "existing_customers", (27501 - 3001) - (16000 - 5000));
    check_part(e, "customers", 1, "new_customers", 3001 - 5000);

    /* T1 100.00 -> 200.00; T2 50.00 -> 70.01; E4 in HQ itself: -5.00. */
    assert_int_equal(nparts(e, "units"), 3);
    check_part(e, "units", 0, "T1", 10000);
    check_part(e, "units", 1, "T2", 2001);
    check_part(e, "units", 2, "other", -500);
    json_decref(e);
}

static void unit_splits(void **state)
{
    struct fixture *f = *state;
    json_t *e = explain(f->db, "unit:T2");

    assert_int_equal(fen(json_object_get(e, "change")), 2001);

    /* h0 = 1, h1 = 2; p0 = 5000, p1 = 3500.5: 1 x 8500.5 / 2 = 4250.25. */
    check_part(e, "headcount", 0, "headcount", 4250);
    check_part(e, "headcount", 1, "per_capita", 2001 - 4250);
    check_part(e, "customers", 0, "existing_customers", 4000 - 0);
    check_part(e, "customers", 1, "new_customers", 3001 - 5000);

    /* T2 has no child units: everything is "other". */
    assert_int_equal(nparts(e, "units"), 1);
    check_part(e, "units", 0, "other", 2001);
    json_decref(e);
}

static void employee_splits(void **state)
{
    struct fixture *f = *state;
    json_t *e = explain(f->db, "employee:E1");

    assert_int_equal(fen(json_object_get(e, "change")), 10000);
    check_part(e, "headcount", 0, "headcount", 0);
    check_part(e, "headcount", 1, "per_capita", 10000);
    check_part(e, "customers", 0, "existing_customers", 10000);
    check_part(e, "customers", 1, "new_customers", 0);
    check_part(e, "units", 0, "other", 10000);
    json_decref(e);
}

static void usage_errors(void **state)
{
    const char *const *const cases[] = {
        ARGS("explain", "sales", "--period", "2024-02"),
        ARGS("explain", "margin", "--period", "2024-02", "--vs", "2024-01"),
        ARGS("explain", "sales", "--period", "2024-13", "--vs", "2024-01"),
        ARGS("explain", "sales", "--period", "2024-02", "--vs", "2024-01", "--scope", "team:T1"),
        ARGS("explain", "sales", "--period", "2024-02", "--vs", "2024-01", "--format", "csv"),
        ARGS("explain"),
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *args[16] = {"--db", f->db};
        struct run_result r;
        size_t n = 2;

        for (size_t j = 0; cases[i][j]; j++)
            args[n++] = cases[i][j];
        args[n] = NULL;
        r = run_cairn(NULL, NULL, args);
        assert_int_equal(r.status, 2);
        run_result_free(&r);
    }
}

static void unknown_scope_fails(void **state)
{
    struct fixture *f = *state;
    struct run_result r = run_cairn(NULL, NULL,
                                    ARGS("--db", f->db, "explain", "sales", "--period", "2024-02",
                                         "--vs", "2024-01", "--scope", "unit:T9", "--as-of",
                                         "2024-03-31"));

    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "T9"));
    run_result_free(&r);
}

static void table_shows_parts(void **state)
{
    struct fixture *f = *state;
    struct run_result r = run_cairn(NULL, NULL,
                                    ARGS("--db", f->db, "--lang", "en", "explain", "sales",
                                         "--period", "2024-02", "--vs", "2024-01", "--as-of",
                                         "2024-03-31"));

    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "160.00 in 2024-01, 275.01 in 2024-02, change +115.01"));
    assert_non_null(strstr(r.out, "+61.04"));
    assert_non_null(strstr(r.out, "+53.97"));
    assert_non_null(strstr(r.out, "-19.99"));
    assert_non_null(strstr(r.out, "-5.00"));
    /* The company by its root unit's name, units by name and id, and
     * the other part padded by display columns. */
    assert_non_null(strstr(r.out, "Sales of 总部: "));
    assert_non_null(strstr(r.out, "  一组 (T1)                       "));
    assert_non_null(strstr(r.out, "  二组 (T2)                       "));
    run_result_free(&r);

    r = run_cairn(NULL, NULL,
                  ARGS("--db", f->db, "--lang", "en", "explain", "sales", "--period", "2024-02",
                       "--vs", "2024-01", "--scope", "employee:E2", "--as-of", "2024-03-31"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Sales of 乙 (E2): "));
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(company_splits),  cmocka_unit_test(unit_splits),
        cmocka_unit_test(employee_splits), cmocka_unit_test(usage_errors),
        cmocka_unit_test(unknown_scope_fails), cmocka_unit_test(table_shows_parts),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
