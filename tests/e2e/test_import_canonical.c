/*
 * End-to-end tests of "cairn import" and "cairn imports" on a small
 * hand-written canonical data set: counts, unit paths, references across
 * files, rejected rows, dry runs, re-imports, undo and the company time
 * zone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "support.h"

/* Every file of the data set. Units: HQ (root) > R1 > T1, plus the path
 * 华东大区/杭州分公司/二组 of E4, which creates three units. HQ's manager is
 * E1 while E1 belongs to HQ (org_units and employees refer to each other).
 * O1 is 00:30 in Shanghai on 1 March, O2 is 16:30 UTC on 29 February (also
 * 1 March in Shanghai), O3 is a refund. */
static const char *const dataset[][2] = {
    {"org_units.csv", "unit_id,name,parent_id,kind,manager_id\n"
                      "HQ,总公司,,company,E1\n"
                      "R1,华东大区,HQ,region,E2\n"
                      "T1,杭州一组,R1,team,\n"},
    {"employees.csv",
     "employee_id,name,unit_id,position,employment_type,hire_date,leave_date,leave_reason,"
     "manager_id,base_salary,email,phone\n"
     "E1,张伟,HQ,manager,,2020-01-06,,,,30000,zw@example.com,13800000001\n"
     "E2,李娜,R1,manager,full_time,2021-03-01,,,E1,20000.5,,\n"
     "E3,王芳,T1,sales,,2022-05-10,2024-02-29,voluntary,E2,8000,,\n"
     "E4,刘洋,华东大区/杭州分公司/二组,sales,intern,2023-07-01,,,E2,4000.00,,\n"},
    {"assignments.csv", "employee_id,unit_id,start_date,end_date\nE3,T1,2022-05-10,\n"},
    {"customers.csv", "customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n"
                      "C1,\"Acme, Inc.\",R1,key_account,省会,E3,2022-06-01\n"
                      "C2,小店,,smb,,E4,\n"},
    {"customer_owners.csv", "customer_id,employee_id,start_date,end_date\nC1,E3,2022-06-01,\n"},
    {"orders.csv", "order_id,order_date,customer_id,employee_id,amount,product,status\r\n"
                   "O1,2024-03-01T00:30:00+08:00,C1,E3,1234.50,A,completed\r\n"
                   "O2,2024-02-29T16:30:00Z,C1,E3,100,B,\r\n"
                   "O3,2024-03-05,C2,E4,-20.00,A,completed\r\n"
                   "O4,2024-03-06,,,99.9,\"two\nlines\",refunded\r\n"},
    {"visits.csv", "visit_id,visit_date,employee_id,customer_id,kind\nV1,2024-03-02,E3,C1,onsite\n"},
    {"customer_surveys.csv", "customer_id,survey_date,score,employee_id\nC1,2024-03-10,9.5,E3\n"},
    {"employee_surveys.csv", "employee_id,survey_date,score\nE3,2024-01-15,7\n"},
    {"courses.csv", "course_id,name,skill,hours\nK1,销售基础,negotiation,1.5\n"},
    {"trainings.csv", "employee_id,course_id,assigned_date,due_date,completed_date,exam_score\n"
                      "E3,K1,2024-01-01,2024-01-31,2024-01-20,88.5\n"},
    {"skills.csv", "employee_id,skill,score,assessed_date\nE3,negotiation,75,2024-02-01\n"},
    {"payroll.csv", "employee_id,month,base_pay,variable_pay,employer_cost\n"
                    "E3,2024-01,8000,1500.25,\n"},
    {"expenses.csv", "expense_id,employee_id,expense_date,category,amount,status\n"
                     "X1,E3,2024-03-03,travel,350.00,approved\n"},
    {"targets.csv", "scope_kind,scope_id,period,metric,value\n"
                    "company,,2024-03,sales,120000\n"
                    "unit,R1,2024-Q1,attrition_rate,0.05\n"
                    "employee,E3,2024,sales,50000.125\n"},
    {"market.csv", "unit_id,period,market_size\nR1,2024,10000000\n"},
};
#define NFILES (sizeof(dataset) / sizeof(dataset[0]))

struct fixture {
    char *dir;  /* the test's folder, also the working directory of cairn */
    char *db;   /* dir/cairn.db */
    char *data; /* dir/data: the data set */
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct run_result r;

    fx->dir = make_temp_dir();
    fx->db = path_join(fx->dir, "cairn.db");
    fx->data = path_join(fx->dir, "data");
    for (size_t i = 0; i < NFILES; i++)
        free(write_file(fx->data, dataset[i][0], dataset[i][1]));
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
    free(fx->data);
    free(fx);
    return 0;
}

/* Runs one SQL query returning one integer on the test database. */
static long long query_int(const struct fixture *fx, const char *sql)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;
    int64_t v = -1;

    assert_int_equal(db_open(&db, fx->db, DB_OPEN_EXISTING, &err), 0);
    assert_int_equal(db_query_int64(db, sql, -1, &v, &err), 0);
    db_close(db);
    sb_release(&err);
    return (long long)v;
}

/* Runs one SQL query returning one text value; the caller frees it. */
static char *query_text(const struct fixture *fx, const char *sql)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;
    struct db_stmt *st;
    char *out = NULL;

    assert_int_equal(db_open(&db, fx->db, DB_OPEN_EXISTING, &err), 0);
    st = db_prepare(db, sql, &err);
    assert_non_null(st);
    if (db_step(st, &err) == DB_ROW && db_column_text(st, 0))
        out = strdup(db_column_text(st, 0));
    db_finalize(st);
    db_close(db);
    sb_release(&err);
    return out;
}

static json_t *import_json(const struct fixture *fx, int status, const char *const *extra)
{
    const char *args[16] = {"--lang", "en", "--db", fx->db, "import", "--format", "json"};
    size_t n = 7;

    while (*extra)
        args[n++] = *extra++;
    args[n] = NULL;
    return run_cairn_json(fx->dir, args, status);
}

static json_t *file_entry(json_t *report, const char *kind)
{
    size_t i;
    json_t *f;

    json_array_foreach(json_object_get(report, "files"), i, f)
        if (!strcmp(json_string_value(json_object_get(f, "kind")), kind))
            return f;
    fail_msg("no report entry for %s", kind);
    return NULL;
}

static long long count_of(json_t *file, const char *key)
{
    return json_integer_value(json_object_get(file, key));
}

static void full_dataset_inserts_every_row(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *kind;
        int rows;
    } expected[] = {
        {"org_units", 3},   {"employees", 4},        {"assignments", 1},
        {"customers", 2},   {"customer_owners", 1},  {"orders", 4},
        {"visits", 1},      {"customer_surveys", 1}, {"employee_surveys", 1},
        {"courses", 1},     {"trainings", 1},        {"skills", 1},
        {"payroll", 1},     {"expenses", 1},         {"targets", 3},
        {"market", 1},
    };
    json_t *report = import_json(fx, 0, ARGS(fx->data));
    char *s;

    assert_int_equal(json_array_size(json_object_get(report, "files")), 16);
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        json_t *f = file_entry(report, expected[i].kind);

        assert_int_equal(count_of(f, "rows"), expected[i].rows);
        assert_int_equal(count_of(f, "inserted"), expected[i].rows);
        assert_int_equal(count_of(f, "updated"), 0);
        assert_int_equal(count_of(f, "unchanged"), 0);
        assert_int_equal(count_of(f, "rejected"), 0);
        assert_int_equal(json_array_size(json_object_get(f, "errors")), 0);
    }
    assert_int_equal(json_integer_value(json_object_get(report, "batch")), 1);
    assert_int_equal(json_integer_value(json_object_get(report, "units_created")), 3);
    json_decref(report);

    /* The path created three levels below the root. */
    assert_int_equal(query_int(fx, "SELECT count(*) FROM org_units"), 6);
    s = query_text(fx, "SELECT parent_id || '|' || kind || '|' || name FROM org_units WHERE unit_id = '华东大区/杭州分公司/二组'");
    assert_string_equal(s, "华东大区/杭州分公司|team|二组");
    free(s);
    s = query_text(fx, "SELECT parent_id || '|' || kind FROM org_units WHERE unit_id = '华东大区'");
    assert_string_equal(s, "HQ|region");
    free(s);
    s = query_text(fx, "SELECT kind FROM org_units WHERE unit_id = '华东大区/杭州分公司'");
    assert_string_equal(s, "city");
    free(s);

    /* Money in fen, scores in hundredths, dates in Shanghai time. */
    assert_int_equal(query_int(fx, "SELECT amount FROM orders WHERE order_id = 'O1'"), 123450);
    assert_int_equal(query_int(fx, "SELECT amount FROM orders WHERE order_id = 'O3'"), -2000);
    assert_int_equal(query_int(fx, "SELECT base_salary FROM employees WHERE employee_id = 'E2'"), 2000050);
    assert_int_equal(query_int(fx, "SELECT score FROM customer_surveys"), 950);
    assert_int_equal(query_int(fx, "SELECT hours FROM courses"), 150);
    assert_int_equal(query_int(fx, "SELECT employer_cost FROM payroll"), 0);
    s = query_text(fx, "SELECT group_concat(order_date, ',') FROM (SELECT order_date FROM orders ORDER BY order_id)");
    assert_string_equal(s, "2024-03-01,2024-03-01,2024-03-05,2024-03-06");
    free(s);
    s = query_text(fx, "SELECT order_date_given FROM orders WHERE order_id = 'O2'");
    assert_string_equal(s, "2024-02-29T16:30:00Z");
    free(s);
    s = query_text(fx, "SELECT status FROM orders WHERE order_id = 'O2'");
    assert_string_equal(s, "completed");
    free(s);
    s = query_text(fx, "SELECT product FROM orders WHERE order_id = 'O4'");
    assert_string_equal(s, "two\nlines");
    free(s);
    s = query_text(fx, "SELECT scope_id || '|' || value FROM targets WHERE scope_kind = 'company'");
    assert_string_equal(s, "|120000");
    free(s);
}

static void timezone_change_moves_order_dates(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;
    char *s;

    json_decref(import_json(fx, 0, ARGS(fx->data)));
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "config", "company.timezone", "UTC"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    s = query_text(fx, "SELECT group_concat(order_date, ',') FROM (SELECT order_date FROM orders ORDER BY order_id)");
    assert_string_equal(s, "2024-02-29,2024-02-29,2024-03-05,2024-03-06");
    free(s);

    /* Imports after the change use the new zone. */
    free(write_file(fx->dir, "late/orders.csv",
                    "order_id,order_date,amount\nO9,2024-03-31T23:30:00-01:00,5\n"));
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "import", "late/orders.csv"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    s = query_text(fx, "SELECT order_date FROM orders WHERE order_id = 'O9'");
    assert_string_equal(s, "2024-04-01");
    free(s);
}

static void reimport_leaves_everything_unchanged(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *f;
    size_t i;

    json_decref(import_json(fx, 0, ARGS(fx->data)));
    report = import_json(fx, 0, ARGS(fx->data));
    json_array_foreach(json_object_get(report, "files"), i, f) {
        assert_int_equal(count_of(f, "inserted"), 0);
        assert_int_equal(count_of(f, "updated"), 0);
        assert_int_equal(count_of(f, "unchanged"), count_of(f, "rows"));
    }
    assert_int_equal(json_integer_value(json_object_get(report, "units_created")), 0);
    json_decref(report);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM batch_changes"), 0);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM orders WHERE batch_id = 1"), 4);
}

static void bad_rows_store_nothing(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;
    json_t *report, *f, *e;

    json_decref(import_json(fx, 0, ARGS(fx->data)));
    free(write_file(fx->dir, "bad/orders.csv",
                    "order_id,order_date,customer_id,employee_id,amount\n"
                    "O20,2024-03-01,C1,E3,10\n"
                    "O21,2024-03-01,C1,E3,12.345\n"
                    "O22,2024-02-30,C1,E3,1\n"
                    "O23,2024-03-01,C9,E3,1\n"));

    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "import", "bad/orders.csv"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "bad/orders.csv, line 3, column amount: '12.345' has more than 2 decimals"));
    assert_non_null(strstr(r.err, "line 4, column order_date: '2024-02-30' is not a valid date"));
    assert_non_null(strstr(r.err, "line 5, column customer_id: customer_id 'C9' is not in the database"));
    run_result_free(&r);

    report = import_json(fx, 1, ARGS("bad/orders.csv"));
    assert_true(json_is_null(json_object_get(report, "batch")));
    f = file_entry(report, "orders");
    assert_int_equal(count_of(f, "rows"), 4);
    assert_int_equal(count_of(f, "inserted"), 0);
    assert_int_equal(count_of(f, "rejected"), 3);
    assert_int_equal(json_array_size(json_object_get(f, "errors")), 3);
    e = json_array_get(json_object_get(f, "errors"), 0);
    assert_string_equal(json_string_value(json_object_get(e, "source")), "bad/orders.csv");
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_string_equal(json_string_value(json_object_get(e, "column")), "amount");
    assert_string_equal(json_string_value(json_object_get(e, "field")), "amount");
    assert_string_equal(json_string_value(json_object_get(e, "value")), "12.345");
    assert_true(json_is_null(json_object_get(e, "offset")));
    json_decref(report);

    assert_int_equal(query_int(fx, "SELECT count(*) FROM orders"), 4);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM batches"), 1);
}

static void duplicate_key_names_both_lines(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;

    free(write_file(fx->dir, "dup/courses.csv",
                    "Course_ID , NAME\nK1,甲\nK2,乙\nK1,丙\n"));
    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "import", "dup/courses.csv"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "line 2, column Course_ID : lines 2 and 4 have the same key (K1)"));
    assert_non_null(strstr(r.err, "line 4, column Course_ID : lines 2 and 4 have the same key (K1)"));
    run_result_free(&r);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM courses"), 0);
}

static void missing_column_fails_even_when_skipping(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *e;

    free(write_file(fx->dir, "nohire/employees.csv", "employee_id,name,shoe_size\nE1,张伟,42\n"));
    report = import_json(fx, 1, ARGS("--skip-bad-rows", "nohire/employees.csv"));
    e = json_array_get(json_object_get(file_entry(report, "employees"), "errors"), 0);
    assert_string_equal(json_string_value(json_object_get(e, "field")), "hire_date");
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(report, "warnings"), 0)),
                        "nohire/employees.csv: column 'shoe_size' is not a column of employees.csv and is ignored");
    json_decref(report);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM employees"), 0);
}

static void skip_bad_rows_cascades(void **state)
{
    struct fixture *fx = *state;
    json_t *report;
    char *rejects, *rejects_path;
    size_t len;

    /* E9's hire date is invalid, so its customer C9 (owner E9) and the
     * orders of C9 and of E9 go too; O31 and C1 stay. */
    free(write_file(fx->dir, "skip/employees.csv",
                    "employee_id,name,hire_date\nE1,张伟,2020-01-01\nE9,赵六,2020-13-01\n"));
    free(write_file(fx->dir, "skip/customers.csv",
                    "customer_id,name,owner_id\nC1,甲,E1\nC9,乙,E9\n"));
    free(write_file(fx->dir, "skip/orders.csv",
                    "order_id,order_date,customer_id,employee_id,amount\n"
                    "O30,2024-03-01,C9,E1,1\n"
                    "O31,2024-03-01,C1,E1,2\n"
                    "O32,2024-03-01,C1,E9,3\n"));
    report = import_json(fx, 0, ARGS("--skip-bad-rows", "skip"));
    assert_int_equal(count_of(file_entry(report, "employees"), "inserted"), 1);
    assert_int_equal(count_of(file_entry(report, "employees"), "rejected"), 1);
    assert_int_equal(count_of(file_entry(report, "customers"), "inserted"), 1);
    assert_int_equal(count_of(file_entry(report, "customers"), "rejected"), 1);
    assert_int_equal(count_of(file_entry(report, "orders"), "inserted"), 1);
    assert_int_equal(count_of(file_entry(report, "orders"), "rejected"), 2);
    assert_int_equal(json_integer_value(json_object_get(report, "batch")), 1);
    assert_string_equal(json_string_value(json_object_get(report, "rejects")), "rejected-1.csv");
    json_decref(report);

    rejects_path = path_join(fx->dir, "rejected-1.csv");
    rejects = read_file(rejects_path, &len);
    free(rejects_path);
    assert_non_null(rejects);
    assert_string_equal(
        rejects,
        "customer_id,name,owner_id,employee_id,hire_date,order_id,order_date,amount,source,line,reason\n"
        "C9,乙,E9,,,,,,skip/customers.csv,3,employee_id 'E9' is not in the database or in this import: add it to employees.csv or correct the value\n"
        ",赵六,,E9,2020-13-01,,,,skip/employees.csv,3,\"'2020-13-01' is not a valid date: write YYYY-MM-DD with a year from 1900 to 2999, for example 2024-03-05\"\n"
        "C9,,,E1,,O30,2024-03-01,1,skip/orders.csv,2,'C9' names a row of customers.csv that was rejected: correct that row or this one\n"
        "C1,,,E9,,O32,2024-03-01,3,skip/orders.csv,4,employee_id 'E9' is not in the database or in this import: add it to employees.csv or correct the value\n");
    free(rejects);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM orders"), 1);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM customers"), 1);
}

static void skip_bad_rows_rejects_both_duplicates(void **state)
{
    struct fixture *fx = *state;
    json_t *report;

    free(write_file(fx->dir, "d2/courses.csv", "course_id,name\nK1,甲\nK2,乙\nK1,丙\n"));
    free(write_file(fx->dir, "d2/trainings.csv",
                    "employee_id,course_id,assigned_date,due_date\n"));
    report = import_json(fx, 0, ARGS("--skip-bad-rows", "--rejects", "out.csv", "d2"));
    assert_int_equal(count_of(file_entry(report, "courses"), "inserted"), 1);
    assert_int_equal(count_of(file_entry(report, "courses"), "rejected"), 2);
    assert_string_equal(json_string_value(json_object_get(report, "rejects")), "out.csv");
    json_decref(report);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM courses WHERE course_id = 'K2'"), 1);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM courses"), 1);
}

static void dry_run_counts_and_stores_nothing(void **state)
{
    struct fixture *fx = *state;
    json_t *report;

    report = import_json(fx, 0, ARGS("--dry-run", fx->data));
    assert_true(json_is_null(json_object_get(report, "batch")));
    assert_int_equal(count_of(file_entry(report, "orders"), "inserted"), 4);
    assert_int_equal(count_of(file_entry(report, "employees"), "inserted"), 4);
    json_decref(report);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM orders"), 0);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM org_units"), 0);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM batches"), 0);
}

static void update_then_undo_restores_row(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;
    json_t *report, *list, *first;

    json_decref(import_json(fx, 0, ARGS(fx->data)));
    free(write_file(fx->dir, "u/orders.csv",
                    "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                    "O1,2024-03-01T00:30:00+08:00,C1,E3,1300.00,A,completed\n"
                    "O5,2024-03-07,C1,E3,1,A,completed\n"));
    report = import_json(fx, 0, ARGS("u/orders.csv"));
    assert_int_equal(count_of(file_entry(report, "orders"), "updated"), 1);
    assert_int_equal(count_of(file_entry(report, "orders"), "inserted"), 1);
    assert_int_equal(json_integer_value(json_object_get(report, "batch")), 2);
    json_decref(report);
    assert_int_equal(query_int(fx, "SELECT amount FROM orders WHERE order_id = 'O1'"), 130000);

    list = run_cairn_json(fx->dir, ARGS("--db", fx->db, "imports", "--format", "json"), 0);
    assert_int_equal(json_array_size(list), 2);
    first = json_array_get(list, 0);
    assert_int_equal(json_integer_value(json_object_get(first, "batch")), 2);
    assert_int_equal(json_integer_value(json_object_get(first, "inserted")), 1);
    assert_int_equal(json_integer_value(json_object_get(first, "updated")), 1);
    assert_true(json_is_false(json_object_get(first, "undone")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(first, "files"), 0), "path")),
                        "u/orders.csv");
    assert_int_equal(strlen(json_string_value(json_object_get(json_array_get(json_object_get(first, "files"), 0), "sha256"))), 64);
    json_decref(list);

    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "imports", "undo", "2"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    assert_int_equal(query_int(fx, "SELECT amount FROM orders WHERE order_id = 'O1'"), 123450);
    assert_int_equal(query_int(fx, "SELECT batch_id FROM orders WHERE order_id = 'O1'"), 1);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM orders WHERE order_id = 'O5'"), 0);
    assert_int_equal(query_int(fx, "SELECT undone FROM batches WHERE batch_id = 2"), 1);

    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "imports", "undo", "2"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "import batch 2 is already undone"));
    run_result_free(&r);
}

static void undo_rejected_after_later_change(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;

    json_decref(import_json(fx, 0, ARGS(fx->data)));
    free(write_file(fx->dir, "a/courses.csv", "course_id,name\nK1,第二版\n"));
    free(write_file(fx->dir, "b/courses.csv", "course_id,name\nK1,第三版\n"));
    json_decref(import_json(fx, 0, ARGS("a/courses.csv")));
    json_decref(import_json(fx, 0, ARGS("b/courses.csv")));

    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "imports", "undo", "2"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "undo batch 3 first"));
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "imports", "undo", "1"));
    assert_int_equal(r.status, 1);
    run_result_free(&r);

    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "imports", "undo", "3"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "imports", "undo", "2"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    {
        char *s = query_text(fx, "SELECT name FROM courses WHERE course_id = 'K1'");

        assert_string_equal(s, "销售基础");
        free(s);
    }
}

static void undo_of_first_import_empties_database(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;

    json_decref(import_json(fx, 0, ARGS(fx->data)));
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "imports", "undo", "1"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM org_units"), 0);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM employees"), 0);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM orders"), 0);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM targets"), 0);
}

static void undo_rejected_while_later_rows_refer(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;

    free(write_file(fx->dir, "p1/employees.csv",
                    "employee_id,name,unit_id,hire_date\nE1,张伟,华北/北京/一组,2020-01-01\n"));
    free(write_file(fx->dir, "p2/orders.csv",
                    "order_id,order_date,employee_id,amount\nO1,2024-03-01,E1,10\n"));
    json_decref(import_json(fx, 0, ARGS("p1/employees.csv")));
    json_decref(import_json(fx, 0, ARGS("p2/orders.csv")));
    assert_int_equal(query_int(fx, "SELECT count(*) FROM org_units WHERE batch_id = 1"), 4);

    /* Batch 2's order names E1, which batch 1 inserted. */
    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "imports", "undo", "1"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "rows imported later still refer to rows it added"));
    run_result_free(&r);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM employees"), 1);
    assert_int_equal(query_int(fx, "SELECT undone FROM batches WHERE batch_id = 1"), 0);

    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "imports", "undo", "2"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "imports", "undo", "1"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM org_units"), 0);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM employees"), 0);
}

static void second_root_is_rejected(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *e;

    json_decref(import_json(fx, 0, ARGS(fx->data)));
    free(write_file(fx->dir, "root2/org_units.csv",
                    "unit_id,name,parent_id,kind\nNEW,新公司,,company\n"));
    report = import_json(fx, 1, ARGS("--skip-bad-rows", "root2/org_units.csv"));
    e = json_array_get(json_object_get(file_entry(report, "org_units"), "errors"), 0);
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")),
                           "the database's root unit is 'HQ'"));
    json_decref(report);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM org_units WHERE unit_id = 'NEW'"), 0);
}

static void implicit_root_named_after_company(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;
    char *s;

    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "config", "company.name", "星辰贸易"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    free(write_file(fx->dir, "p/employees.csv",
                    "employee_id,name,unit_id,hire_date\nE1,张伟,华南/深圳,2020-01-01\n"));
    json_decref(import_json(fx, 0, ARGS("p/employees.csv")));
    s = query_text(fx, "SELECT name || '|' || kind FROM org_units WHERE unit_id = 'root' AND parent_id IS NULL");
    assert_string_equal(s, "星辰贸易|company");
    free(s);
    s = query_text(fx, "SELECT parent_id || '|' || kind FROM org_units WHERE unit_id = '华南'");
    assert_string_equal(s, "root|city");
    free(s);
}

static void unit_path_levels_and_bad_paths(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *e;
    char *s;

    json_decref(import_json(fx, 0, ARGS(fx->data)));
    free(write_file(fx->dir, "deep/customers.csv",
                    "customer_id,unit_id\nC7,总部/华东/浙江/杭州/一组\nC8,华东大区//一组\n"));
    report = import_json(fx, 0, ARGS("--skip-bad-rows", "deep/customers.csv"));
    assert_int_equal(count_of(file_entry(report, "customers"), "inserted"), 1);
    assert_int_equal(count_of(file_entry(report, "customers"), "rejected"), 1);
    assert_int_equal(json_integer_value(json_object_get(report, "units_created")), 5);
    e = json_array_get(json_object_get(file_entry(report, "customers"), "errors"), 0);
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_string_equal(json_string_value(json_object_get(e, "value")), "华东大区//一组");
    json_decref(report);

    s = query_text(fx, "SELECT group_concat(kind, ',') FROM (SELECT kind FROM org_units WHERE unit_id LIKE '总部%' ORDER BY length(unit_id))");
    assert_string_equal(s, "region,region,region,city,team");
    free(s);
    s = query_text(fx, "SELECT parent_id FROM org_units WHERE unit_id = '总部'");
    assert_string_equal(s, "HQ");
    free(s);
}

static void unknown_file_in_folder_is_warning(void **state)
{
    struct fixture *fx = *state;
    json_t *report;

    free(write_file(fx->data, "notes.txt", "hello\n"));
    report = import_json(fx, 0, ARGS(fx->data));
    assert_int_equal(json_array_size(json_object_get(report, "warnings")), 1);
    assert_non_null(strstr(json_string_value(json_array_get(json_object_get(report, "warnings"), 0)),
                           "notes.txt is not a file of the canonical data set"));
    json_decref(report);
}

static void invalid_utf8_names_offset(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *e;

    free(write_file(fx->dir, "enc/courses.csv", "course_id,name\nK1,ok\nK2,b\xff\n"));
    report = import_json(fx, 1, ARGS("--skip-bad-rows", "enc/courses.csv"));
    e = json_array_get(json_object_get(file_entry(report, "courses"), "errors"), 0);
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_int_equal(json_integer_value(json_object_get(e, "offset")), 25);
    json_decref(report);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM courses"), 0);
}

static void errors_listed_up_to_1000(void **state)
{
    struct fixture *fx = *state;
    size_t cap = 64 + 1005 * 16, len = 0;
    char *text = malloc(cap);
    json_t *report, *f;

    len += (size_t)snprintf(text + len, cap - len, "course_id,name,hours\n");
    for (int i = 0; i < 1005; i++)
        len += (size_t)snprintf(text + len, cap - len, "K%d,课,-%d\n", i, i + 1);
    free(write_file(fx->dir, "many/courses.csv", text));
    free(text);
    report = import_json(fx, 1, ARGS("many/courses.csv"));
    f = file_entry(report, "courses");
    assert_int_equal(count_of(f, "rows"), 1005);
    assert_int_equal(count_of(f, "rejected"), 1005);
    assert_int_equal(count_of(f, "error_count"), 1005);
    assert_int_equal(json_array_size(json_object_get(f, "errors")), 1000);
    json_decref(report);
}

static void kind_names_entity_of_file(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;
    json_t *report;

    free(write_file(fx->dir, "misc/课程导出.csv", "course_id,name\nK7,沟通技巧\n"));
    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "import", "misc/课程导出.csv"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "cannot tell which data this file holds"));
    run_result_free(&r);

    report = import_json(fx, 0, ARGS("--kind", "courses", "misc/课程导出.csv"));
    assert_int_equal(count_of(file_entry(report, "courses"), "inserted"), 1);
    json_decref(report);
    assert_int_equal(query_int(fx, "SELECT count(*) FROM courses WHERE course_id = 'K7'"), 1);
}

static void usage_errors_exit_2(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;

    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "import", "--kind", "sales", "x.csv"));
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unknown kind 'sales'"));
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "import"));
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "import", "--format", "xml", "x.csv"));
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "imports", "undo", "abc"));
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "imports", "undo", "99"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "there is no import batch 99"));
    run_result_free(&r);
}

static void chinese_report_by_default(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;

    free(write_file(fx->dir, "zh/orders.csv", "order_id,order_date,amount\nO1,2024-03-01,1.005\n"));
    r = run_cairn(fx->dir, NULL, ARGS("--lang", "zh-CN", "--db", fx->db, "import", "zh/orders.csv"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "第 2 行"));
    assert_non_null(strstr(r.err, "“1.005”的小数超过 2 位"));
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(full_dataset_inserts_every_row, setup, teardown),
        cmocka_unit_test_setup_teardown(timezone_change_moves_order_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(reimport_leaves_everything_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_rows_store_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_key_names_both_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_column_fails_even_when_skipping, setup, teardown),
        cmocka_unit_test_setup_teardown(skip_bad_rows_cascades, setup, teardown),
        cmocka_unit_test_setup_teardown(skip_bad_rows_rejects_both_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(dry_run_counts_and_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(update_then_undo_restores_row, setup, teardown),
        cmocka_unit_test_setup_teardown(undo_rejected_after_later_change, setup, teardown),
        cmocka_unit_test_setup_teardown(undo_of_first_import_empties_database, setup, teardown),
        cmocka_unit_test_setup_teardown(undo_rejected_while_later_rows_refer, setup, teardown),
        cmocka_unit_test_setup_teardown(second_root_is_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(implicit_root_named_after_company, setup, teardown),
        cmocka_unit_test_setup_teardown(unit_path_levels_and_bad_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_file_in_folder_is_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_utf8_names_offset, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_listed_up_to_1000, setup, teardown),
        cmocka_unit_test_setup_teardown(kind_names_entity_of_file, setup, teardown),
        cmocka_unit_test_setup_teardown(usage_errors_exit_2, setup, teardown),
        cmocka_unit_test_setup_teardown(chinese_report_by_default, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
