/*
 * End-to-end tests of "cairn linkage turnover" on a small company built
 * by hand, one customer per rule of "the owner left": an owner who left
 * within the 12 months before the period, with and without owner rows,
 * a hand-over within those months after the owner left earlier, a
 * hand-over before them, and an owner who left only during the period.
 * Period 2024-06, so those months run from 2023-06-01 to 2024-05-31.
 */
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

/*
 * E2 leaves in the window, E3 before it, E4 during the period; E1 and E5
 * stay. The customers and their groups:
 *   C1 owner_id E2, no owner rows            left (E2 left in the window)
 *   C2 E2 then E1 from 2024-02-16            left (E2 owned it in the window)
 *   C3 E3 then E5 from 2023-07-01            left (hand-over in the window)
 *   C4 E3 then E5 from 2023-04-01            stayed (hand-over before it)
 *   C5 owner_id E4                           stayed (E4 left in the period)
 *   C6 owner_id E1                           stayed
 *   C7 bought only before the window         not counted
 * Repurchased in 2024-06: C1, C3, C4 (sold by E1, another team) and C6;
 * C5's only order in June is refunded, so not a purchase.
 */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char *data;

    f->dir = make_temp_dir();
    data = path_join(f->dir, "data");
    f->db = path_join(f->dir, "turnover.db");
    free(write_file(data, "org_units.csv",
                    "unit_id,name,parent_id,kind,manager_id\n"
                    "HQ,总部,,company,\n"
                    "T1,一组,HQ,team,\n"
                    "T2,二组,HQ,team,\n"));
    free(write_file(data, "employees.csv",
                    "employee_id,name,unit_id,position,employment_type,hire_date,leave_date\n"
                    "E1,甲,T1,sales,full_time,2022-01-01,\n"
                    "E2,乙,T1,sales,full_time,2022-01-01,2024-02-15\n"
                    "E3,丙,T2,sales,full_time,2022-01-01,2023-03-31\n"
                    "E4,丁,T2,sales,full_time,2022-01-01,2024-06-20\n"
                    "E5,戊,T2,sales,full_time,2022-01-01,\n"));
    free(write_file(data, "customers.csv",
                    "customer_id,name,owner_id\n"
                    "C1,一,E2\nC2,二,E1\nC3,三,E5\nC4,四,E5\nC5,五,E4\nC6,六,E1\nC7,七,E1\n"));
    free(write_file(data, "customer_owners.csv",
                    "customer_id,employee_id,start_date,end_date\n"
                    "C2,E2,2022-01-01,2024-02-15\n"
                    "C2,E1,2024-02-16,\n"
                    "C3,E3,2022-01-01,2023-03-31\n"
                    "C3,E5,2023-07-01,\n"
                    "C4,E3,2022-01-01,2023-03-31\n"
                    "C4,E5,2023-04-01,\n"));
    free(write_file(data, "orders.csv",
                    "order_id,order_date,customer_id,employee_id,amount,status\n"
                    "O1,2023-08-10,C1,E1,100.00,completed\n"
                    "O2,2023-09-10,C2,E1,100.00,completed\n"
                    "O3,2023-10-10,C3,E5,100.00,completed\n"
                    "O4,2023-11-10,C4,E5,100.00,completed\n"
                    "O5,2023-12-10,C5,E5,100.00,completed\n"
                    "O6,2024-01-10,C6,E5,100.00,completed\n"
                    "O7,2023-05-20,C7,E1,100.00,completed\n"
                    "O8,2024-06-05,C1,E1,50.00,completed\n"
                    "O9,2024-06-06,C3,E5,50.00,completed\n"
                    "O10,2024-06-07,C4,E1,50.00,completed\n"
                    "O11,2024-06-08,C6,E5,50.00,completed\n"
                    "O12,2024-06-09,C7,E1,50.00,completed\n"
                    "O13,2024-06-10,C5,E5,20.00,refunded\n"));
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

static json_t *turnover(const struct fixture *f, const char *scope)
{
    return run_cairn_json(NULL,
                          ARGS("--db", f->db, "--lang", "en", "linkage", "turnover", "--period",
                               "2024-06", "--scope", scope, "--as-of", "2024-07-31", "--format",
                               "json"),
                          0);
}

static json_int_t group_int(const json_t *view, const char *group, const char *key)
{
    return json_integer_value(
        json_object_get(json_object_get(json_object_get(view, "groups"), group), key));
}

/* The point of customer id: x 1 when its owner left, y 1 when it
 * repurchased; -1 -1 when it is not among the points. */
static void point_of(const json_t *view, const char *id, double *x, double *y)
{
    const json_t *points = json_object_get(view, "points"), *pt;
    size_t i;

    *x = *y = -1;
    json_array_foreach(points, i, pt)
    {
        if (!strcmp(json_string_value(json_object_get(pt, "subject")), id)) {
            *x = json_number_value(json_object_get(pt, "x"));
            *y = json_number_value(json_object_get(pt, "y"));
        }
    }
}

static void owner_left_rules(void **state)
{
    struct fixture *f = *state;
    json_t *view = turnover(f, "company");
    static const struct {
        const char *id;
        double left, repurchased;
    } expected[] = {{"C1", 1, 1}, {"C2", 1, 0}, {"C3", 1, 1},  {"C4", 0, 1},
                    {"C5", 0, 0}, {"C6", 0, 1}, {"C7", -1, -1}};
    double x, y;

    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        point_of(view, expected[i].id, &x, &y);
        assert_float_equal(x, expected[i].left, 0);
        assert_float_equal(y, expected[i].repurchased, 0);
    }
    assert_int_equal(json_array_size(json_object_get(view, "points")), 6);
    assert_int_equal(group_int(view, "owner_left", "n"), 3);
    assert_int_equal(group_int(view, "owner_left", "repurchased"), 2);
    assert_int_equal(group_int(view, "owner_stayed", "n"), 3);
    assert_int_equal(group_int(view, "owner_stayed", "repurchased"), 2);
    assert_float_equal(json_number_value(json_object_get(view, "repurchase_rate")), 4.0 / 6.0,
                       1e-12);
    json_decref(view);
}

/* Three customers per group is below 8: counts, but no statistics. */
static void small_groups_no_claim(void **state)
{
    struct fixture *f = *state;
    json_t *view = turnover(f, "company");

    assert_string_equal(json_string_value(json_object_get(view, "strength")), "not_enough_data");
    assert_true(json_is_null(json_object_get(view, "p_value")));
    assert_true(json_is_null(json_object_get(view, "difference")));
    assert_true(json_is_null(json_object_get(view, "ci")));
    assert_string_equal(json_string_value(json_object_get(view, "statement")),
                        "Repurchase after account-owner turnover: not enough data: n = 3, "
                        "need 8.");
    json_decref(view);
}

/* Customers enter a unit's view through the seller of their purchase in
 * the window: C1 and C2 through E1 in T1, C3 to C6 through E5 in T2. */
static void unit_scope_by_seller(void **state)
{
    struct fixture *f = *state;
    json_t *t1 = turnover(f, "unit:T1"), *t2 = turnover(f, "unit:T2");

    assert_int_equal(group_int(t1, "owner_left", "n"), 2);
    assert_int_equal(group_int(t1, "owner_left", "repurchased"), 1);
    assert_int_equal(group_int(t1, "owner_stayed", "n"), 0);
    assert_true(json_is_null(
        json_object_get(json_object_get(json_object_get(t1, "groups"), "owner_stayed"), "rate")));
    assert_int_equal(group_int(t2, "owner_left", "n"), 1);
    assert_int_equal(group_int(t2, "owner_left", "repurchased"), 1);
    assert_int_equal(group_int(t2, "owner_stayed", "n"), 3);
    assert_int_equal(group_int(t2, "owner_stayed", "repurchased"), 2);
    json_decref(t1);
    json_decref(t2);
}

/* Without enrolments or market rows the other views have no points. */
static void other_views_without_data(void **state)
{
    struct fixture *f = *state;
    json_t *training =
        run_cairn_json(NULL,
                       ARGS("--db", f->db, "--lang", "en", "linkage", "training", "--period",
                            "2024-06", "--as-of", "2024-07-31", "--format", "json"),
                       0);

    assert_int_equal(json_integer_value(json_object_get(training, "n")), 0);
    assert_string_equal(json_string_value(json_object_get(training, "statement")),
                        "Training completion and per-capita sales across teams: not enough "
                        "data: n = 0, need 8.");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(training, "over_months"), "n")), 0);
    json_decref(training);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(owner_left_rules),
        cmocka_unit_test(small_groups_no_claim),
        cmocka_unit_test(unit_scope_by_seller),
        cmocka_unit_test(other_views_without_data),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
