/*
 * End-to-end tests of the org tree checks of "cairn import": a unit may
 * not be its own parent or below itself (in the run or together with the
 * database), rows that refer to a rejected unit cascade under
 * --skip-bad-rows, an employee may not be their own manager, and a
 * database that already holds a loop of units does not inflate results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "support.h"

#define EMPLOYEES "employee_id,name,unit_id,hire_date\nE1,张三,A,2020-01-01\n"
#define ORDERS "order_id,order_date,employee_id,amount\nO1,2024-01-05,E1,100\n"

struct fixture {
    char *dir; /* the test's folder, also the working directory of cairn */
    char *db;  /* dir/cairn.db */
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct run_result r;

    fx->dir = make_temp_dir();
    fx->db = path_join(fx->dir, "cairn.db");
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "init"));
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

/* Writes the files of a data set into the folder dir/name and returns
 * its path; files is a NULL-terminated list of name, text pairs. */
static char *write_set(const struct fixture *fx, const char *name, const char *const *files)
{
    char *folder = path_join(fx->dir, name);

    for (size_t i = 0; files[i]; i += 2)
        free(write_file(folder, files[i], files[i + 1]));
    return folder;
}

/* Imports folder with --format json (and --skip-bad-rows when skip) and
 * returns the report, checking the exit status. */
static json_t *import_json(const struct fixture *fx, const char *folder, bool skip, int status)
{
    if (skip)
        return run_cairn_json(fx->dir,
                              ARGS("--lang", "en", "--db", fx->db, "import", folder,
                                   "--skip-bad-rows", "--rejects", "rejects.csv", "--format",
                                   "json"),
                              status);
    return run_cairn_json(fx->dir,
                          ARGS("--lang", "en", "--db", fx->db, "import", folder, "--format", "json"),
                          status);
}

/* The report entry of the file of entity kind. */
static json_t *file_report(json_t *report, const char *kind)
{
    json_t *files = json_object_get(report, "files");

    for (size_t i = 0; i < json_array_size(files); i++) {
        json_t *f = json_array_get(files, i);

        if (!strcmp(json_string_value(json_object_get(f, "kind")), kind))
            return f;
    }
    fail_msg("no report for %s", kind);
    return NULL;
}

static long long file_count(json_t *report, const char *kind, const char *key)
{
    return json_integer_value(json_object_get(file_report(report, kind), key));
}

static json_t *file_error(json_t *report, const char *kind, size_t i)
{
    json_t *e = json_array_get(json_object_get(file_report(report, kind), "errors"), i);

    assert_non_null(e);
    return e;
}

static const char *error_text(json_t *e, const char *key)
{
    return json_string_value(json_object_get(e, key));
}

static long long query_int(const struct fixture *fx, const char *sql)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;
    struct db_stmt *st;
    long long v;

    assert_int_equal(db_open(&db, fx->db, DB_OPEN_EXISTING, &err), 0);
    st = db_prepare(db, sql, &err);
    assert_non_null(st);
    assert_int_equal(db_step(st, &err), DB_ROW);
    v = db_column_int64(st, 0);
    db_finalize(st);
    db_close(db);
    sb_release(&err);
    return v;
}

static void exec_sql(const struct fixture *fx, const char *sql)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;

    assert_int_equal(db_open(&db, fx->db, DB_OPEN_EXISTING, &err), 0);
    assert_int_equal(db_exec(db, sql, &err), 0);
    db_close(db);
    sb_release(&err);
}

/* Runs the kpi of unit A (or the company when scope is NULL) for
 * January 2024 and checks its CSV output. */
static void check_kpi(const struct fixture *fx, const char *scope, const char *expected)
{
    struct run_result r =
        scope ? run_cairn(fx->dir, NULL,
                          ARGS("--lang", "en", "--db", fx->db, "kpi", "--period", "2024-01",
                               "--scope", scope, "--metrics", "sales,headcount", "--format",
                               "csv"))
              : run_cairn(fx->dir, NULL,
                          ARGS("--lang", "en", "--db", fx->db, "kpi", "--period", "2024-01",
                               "--metrics", "sales,headcount", "--format", "csv"));

    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, expected);
    run_result_free(&r);
}

static void self_parent_rejected(void **state)
{
    struct fixture *fx = *state;
    char *set = write_set(fx, "set",
                          ARGS("org_units.csv",
                               "unit_id,name,parent_id,kind\nHQ,总部,,company\nA,甲,A,team\n",
                               "employees.csv", EMPLOYEES, "orders.csv", ORDERS));
    json_t *report = import_json(fx, set, false, 1);
    json_t *e = file_error(report, "org_units", 0);

    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_string_equal(error_text(e, "field"), "parent_id");
    assert_string_equal(error_text(e, "value"), "A");
    assert_string_equal(error_text(e, "message"),
                        "unit A's parent chain A → A loops: a unit cannot be below itself, so "
                        "give it a parent_id that leads to the root unit");
    assert_int_equal(file_count(report, "org_units", "error_count"), 1);
    assert_true(json_is_null(json_object_get(report, "batch")));
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM org_units"), 0);
    json_decref(report);
    free(set);
}

static void two_unit_loop_rejected(void **state)
{
    struct fixture *fx = *state;
    char *set = write_set(fx, "set",
                          ARGS("org_units.csv",
                               "unit_id,name,parent_id,kind\nHQ,总部,,company\n"
                               "A,甲,B,team\nB,乙,A,city\n"));
    json_t *report = import_json(fx, set, false, 1);

    assert_int_equal(file_count(report, "org_units", "rejected"), 2);
    assert_int_equal(json_integer_value(json_object_get(file_error(report, "org_units", 0), "line")), 3);
    assert_string_equal(error_text(file_error(report, "org_units", 0), "message"),
                        "unit A's parent chain A → B → A loops: a unit cannot be below itself, "
                        "so give it a parent_id that leads to the root unit");
    assert_int_equal(json_integer_value(json_object_get(file_error(report, "org_units", 1), "line")), 4);
    assert_string_equal(error_text(file_error(report, "org_units", 1), "message"),
                        "unit B's parent chain B → A → B loops: a unit cannot be below itself, "
                        "so give it a parent_id that leads to the root unit");
    json_decref(report);
    free(set);
}

/* With --skip-bad-rows the looping units are rejected, then the employee
 * in one of them and that employee's order; the root is stored. */
static void loop_cascades_with_skip(void **state)
{
    struct fixture *fx = *state;
    char *set = write_set(fx, "set",
                          ARGS("org_units.csv",
                               "unit_id,name,parent_id,kind\nHQ,总部,,company\n"
                               "A,甲,B,team\nB,乙,A,city\nC,丙,HQ,team\n",
                               "employees.csv", EMPLOYEES "E2,李四,C,2020-01-01\n", "orders.csv",
                               ORDERS "O2,2024-01-06,E2,50\n"));
    json_t *report = import_json(fx, set, true, 0);

    assert_int_equal(file_count(report, "org_units", "inserted"), 2);
    assert_int_equal(file_count(report, "org_units", "rejected"), 2);
    assert_int_equal(file_count(report, "employees", "inserted"), 1);
    assert_int_equal(file_count(report, "employees", "rejected"), 1);
    assert_int_equal(file_count(report, "orders", "inserted"), 1);
    assert_int_equal(file_count(report, "orders", "rejected"), 1);
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM org_units WHERE unit_id IN ('A', 'B')"), 0);
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM orders WHERE order_id = 'O2'"), 1);
    check_kpi(fx, NULL, "metric,value,target,attainment,status\nsales,50,,,\nheadcount,1,,,\n");
    json_decref(report);
    free(set);
}

/* A later import that moves A below its own child B is rejected, and the
 * stored tree stays as it was. */
static void later_import_loop_rejected(void **state)
{
    struct fixture *fx = *state;
    char *first = write_set(fx, "first",
                            ARGS("org_units.csv",
                                 "unit_id,name,parent_id,kind\nHQ,总部,,company\n"
                                 "A,甲,HQ,city\nB,乙,A,team\n"));
    char *second = write_set(fx, "second",
                             ARGS("org_units.csv", "unit_id,name,parent_id,kind\nA,甲,B,city\n"));
    json_t *report = import_json(fx, first, false, 0);

    json_decref(report);
    report = import_json(fx, second, false, 1);
    assert_string_equal(error_text(file_error(report, "org_units", 0), "message"),
                        "unit A's parent chain A → B → A loops: a unit cannot be below itself, "
                        "so give it a parent_id that leads to the root unit");
    assert_int_equal(json_integer_value(json_object_get(file_error(report, "org_units", 0), "line")), 2);
    assert_int_equal(query_int(fx, "SELECT parent_id = 'HQ' FROM org_units WHERE unit_id = 'A'"), 1);
    json_decref(report);

    /* With --skip-bad-rows the row is rejected and nothing changes. */
    report = import_json(fx, second, true, 0);
    assert_int_equal(file_count(report, "org_units", "rejected"), 1);
    assert_int_equal(file_count(report, "org_units", "updated"), 0);
    assert_int_equal(query_int(fx, "SELECT parent_id = 'HQ' FROM org_units WHERE unit_id = 'A'"), 1);
    json_decref(report);
    free(first);
    free(second);
}

/* A file row that loops is rejected, but the database's own row for the
 * same unit keeps the units below it valid under --skip-bad-rows. */
static void rejected_row_keeps_database_parent(void **state)
{
    struct fixture *fx = *state;
    char *first = write_set(fx, "first",
                            ARGS("org_units.csv",
                                 "unit_id,name,parent_id,kind\nHQ,总部,,company\n"
                                 "A,甲,HQ,city\nB,乙,A,team\n"));
    char *second = write_set(fx, "second",
                             ARGS("org_units.csv",
                                  "unit_id,name,parent_id,kind\nA,甲,B,city\nD,丁,A,team\n"));
    json_t *report = import_json(fx, first, false, 0);

    json_decref(report);
    report = import_json(fx, second, true, 0);
    assert_int_equal(file_count(report, "org_units", "rejected"), 1);
    assert_int_equal(file_count(report, "org_units", "inserted"), 1);
    assert_int_equal(query_int(fx, "SELECT parent_id = 'A' FROM org_units WHERE unit_id = 'D'"), 1);
    json_decref(report);
    free(first);
    free(second);
}

/* A database written before the check may hold a loop: each sale and
 * each employee still counts once. */
static void database_loop_not_multiplied(void **state)
{
    struct fixture *fx = *state;
    char *people = write_set(fx, "people",
                             ARGS("org_units.csv",
                                  "unit_id,name,parent_id,kind\nHQ,总部,,company\n"
                                  "A,甲,HQ,team\nB,乙,A,team\n",
                                  "employees.csv", EMPLOYEES));
    char *orders = write_set(fx, "orders", ARGS("orders.csv", ORDERS));
    json_t *report = import_json(fx, people, false, 0);

    json_decref(report);
    exec_sql(fx, "UPDATE org_units SET parent_id = 'B' WHERE unit_id = 'A'");
    report = import_json(fx, orders, false, 0);
    check_kpi(fx, "unit:A", "metric,value,target,attainment,status\nsales,100,,,\nheadcount,1,,,\n");
    check_kpi(fx, "unit:B", "metric,value,target,attainment,status\nsales,100,,,\nheadcount,1,,,\n");
    check_kpi(fx, NULL, "metric,value,target,attainment,status\nsales,100,,,\nheadcount,1,,,\n");

    /* A unit that is its own parent. */
    exec_sql(fx, "UPDATE org_units SET parent_id = 'A' WHERE unit_id = 'A'");
    json_decref(report);
    report = import_json(fx, orders, false, 0);
    check_kpi(fx, "unit:A", "metric,value,target,attainment,status\nsales,100,,,\nheadcount,1,,,\n");
    json_decref(report);
    free(people);
    free(orders);
}

static void own_manager_rejected(void **state)
{
    struct fixture *fx = *state;
    char *set = write_set(fx, "set",
                          ARGS("employees.csv",
                               "employee_id,name,unit_id,hire_date,manager_id\n"
                               "E1,张三,T,2020-01-01,\nE2,李四,T,2020-01-01,E2\n"
                               "E3,王五,T,2020-01-01,E1\n"));
    json_t *report = import_json(fx, set, false, 1);
    json_t *e = file_error(report, "employees", 0);

    assert_int_equal(file_count(report, "employees", "error_count"), 1);
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_string_equal(error_text(e, "field"), "manager_id");
    assert_string_equal(error_text(e, "value"), "E2");
    assert_string_equal(error_text(e, "message"),
                        "an employee cannot be their own manager: leave manager_id empty or give "
                        "the employee_id of the direct manager");
    json_decref(report);

    report = import_json(fx, set, true, 0);
    assert_int_equal(file_count(report, "employees", "inserted"), 2);
    assert_int_equal(file_count(report, "employees", "rejected"), 1);
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM employees WHERE employee_id = 'E2'"), 0);
    json_decref(report);
    free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(self_parent_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(two_unit_loop_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(loop_cascades_with_skip, setup, teardown),
        cmocka_unit_test_setup_teardown(later_import_loop_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(rejected_row_keeps_database_parent, setup, teardown),
        cmocka_unit_test_setup_teardown(database_loop_not_multiplied, setup, teardown),
        cmocka_unit_test_setup_teardown(own_manager_rejected, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
