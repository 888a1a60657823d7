/*
 * End-to-end tests of "cairn reconcile": files that match the database,
 * and files with a changed, a missing and an invalid row.
 */
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char orders[] =
    "order_id,order_date,customer_id,employee_id,amount\n"
    "O1,2024-03-01T00:30:00+08:00,,,1234.50\n"
    "O2,2024-02-29T16:30:00Z,,,100\n"
    "O3,2024-02-10,,,-20.25\n";

struct fixture {
    char *dir, *db;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct run_result r;

    fx->dir = make_temp_dir();
    fx->db = path_join(fx->dir, "cairn.db");
    free(write_file(fx->dir, "a/orders.csv", orders));
    free(write_file(fx->dir, "a/courses.csv", "course_id,name\nK1,销售基础\n"));
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "import", "a"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    remove_tree(fx->dir);
    free(fx->dir);
    free(fx->db);
    free(fx);
    return 0;
}

static json_t *entity_of(json_t *report, const char *kind)
{
    json_t *e;
    size_t i;

    json_array_foreach(json_object_get(report, "entities"), i, e)
        if (!strcmp(json_string_value(json_object_get(e, "kind")), kind))
            return e;
    fail_msg("no entry for %s", kind);
    return NULL;
}

static long long int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static void matching_files_exit_0(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *e, *m;

    report = run_cairn_json(fx->dir, ARGS("--db", fx->db, "reconcile", "a", "--format", "json"), 0);
    assert_true(json_is_true(json_object_get(report, "ok")));
    e = entity_of(report, "orders");
    assert_int_equal(int_of(e, "source_rows"), 3);
    assert_int_equal(int_of(e, "db_rows"), 3);
    assert_int_equal(int_of(e, "rejected"), 0);
    assert_int_equal(json_array_size(json_object_get(e, "missing")), 0);
    assert_int_equal(json_array_size(json_object_get(e, "different")), 0);
    assert_int_equal(json_array_size(json_object_get(e, "months")), 2);
    m = json_array_get(json_object_get(e, "months"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "month")), "2024-02");
    assert_int_equal(int_of(m, "source_rows"), 1);
    assert_true(json_real_value(json_object_get(m, "source_amount")) == -20.25);
    m = json_array_get(json_object_get(e, "months"), 1);
    assert_string_equal(json_string_value(json_object_get(m, "month")), "2024-03");
    assert_int_equal(int_of(m, "source_rows"), 2);
    assert_int_equal(int_of(m, "db_rows"), 2);
    assert_true(json_real_value(json_object_get(m, "source_amount")) == 1334.5);
    assert_true(json_real_value(json_object_get(m, "db_amount")) == 1334.5);
    e = entity_of(report, "courses");
    assert_int_equal(int_of(e, "source_rows"), 1);
    assert_int_equal(json_array_size(json_object_get(e, "months")), 0);
    json_decref(report);
}

static void mismatches_exit_1(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *e, *m;

    free(write_file(fx->dir, "b/orders.csv",
                    "order_id,order_date,amount\n"
                    "O1,2024-03-01T00:30:00+08:00,1300\n"
                    "O9,2024-03-09,5\n"
                    "O8,2024-03-09,1.001\n"));
    report = run_cairn_json(fx->dir, ARGS("--db", fx->db, "reconcile", "b/orders.csv", "--format", "json"), 1);
    assert_true(json_is_false(json_object_get(report, "ok")));
    e = entity_of(report, "orders");
    assert_int_equal(int_of(e, "source_rows"), 2);
    assert_int_equal(int_of(e, "db_rows"), 1);
    assert_int_equal(int_of(e, "rejected"), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(e, "missing"), 0)), "O9");
    assert_string_equal(json_string_value(json_array_get(json_object_get(e, "different"), 0)), "O1");
    m = json_array_get(json_object_get(e, "months"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "month")), "2024-03");
    assert_int_equal(int_of(m, "source_rows"), 2);
    assert_int_equal(int_of(m, "db_rows"), 1);
    assert_true(json_real_value(json_object_get(m, "source_amount")) == 1305.0);
    assert_true(json_real_value(json_object_get(m, "db_amount")) == 1234.5);
    json_decref(report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(matching_files_exit_0, setup, teardown),
        cmocka_unit_test_setup_teardown(mismatches_exit_1, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
