/*
 * End-to-end tests of input that the import must reject instead of
 * storing wrong data: a zero byte inside a text file, the same file
 * named twice, employee rows whose fields contradict each other, and
 * periods that end before they start. They also check the message of an
 * out-of-range integer setting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define ORDERS_HEADER "order_id,order_date,customer_id,employee_id,amount,product,status\n"
#define EMPLOYEES_HEADER                                                                     \
    "employee_id,name,unit_id,position,employment_type,hire_date,leave_date,leave_reason," \
    "manager_id,base_salary,email,phone\n"

struct fixture {
    char *dir; /* the test's folder, also cairn's working directory */
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

/* Runs "cairn --lang en --db DB ARGS..." and returns its JSON output. */
static json_t *cairn_json(const struct fixture *fx, int status, const char *const *extra)
{
    const char *args[24] = {"--lang", "en", "--db", fx->db};
    size_t n = 4;

    while (*extra)
        args[n++] = *extra++;
    args[n] = NULL;
    return run_cairn_json(fx->dir, args, status);
}

static size_t batch_count(const struct fixture *fx)
{
    json_t *list = cairn_json(fx, 0, ARGS("imports", "--format", "json"));
    size_t n = json_array_size(list);

    json_decref(list);
    return n;
}

static json_t *file_at(json_t *report, size_t i)
{
    return json_array_get(json_object_get(report, "files"), i);
}

static json_t *error_at(json_t *file, size_t i)
{
    return json_array_get(json_object_get(file, "errors"), i);
}

static const char *text_of(json_t *error, const char *key)
{
    return json_string_value(json_object_get(error, key));
}

static long long number_of(json_t *object, const char *key)
{
    return json_integer_value(json_object_get(object, key));
}

/* Writes len bytes, which may contain zero bytes, to dir/name. */
static void write_bytes(const char *dir, const char *name, const char *bytes, size_t len)
{
    char *path = path_join(dir, name);
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(bytes, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    free(path);
}

static void zero_byte_fails_whole_file(void **state)
{
    struct fixture *fx = *state;
    /* O2's amount "1\0.99" was stored as 1.00 when the zero byte ended
     * the field. The rows after it keep the zero bytes below the 1/32 of
     * the first KiB that would make the file look like UTF-16. */
    static const char text[] = ORDERS_HEADER "O1,2024-03-01,,,10,,\n"
                                             "O2,2024-03-02,,,1\0.99,,\n"
                                             "O3,2024-03-03,,,30,,\nO4,2024-03-04,,,40,,\n"
                                             "O5,2024-03-05,,,50,,\nO6,2024-03-06,,,60,,\n";
    size_t zero_at = strlen(ORDERS_HEADER "O1,2024-03-01,,,10,,\nO2,2024-03-02,,,1");
    json_t *report, *error;
    const char *msg;

    write_bytes(fx->dir, "orders.csv", text, sizeof(text) - 1);
    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "orders.csv"));
    assert_int_equal(number_of(file_at(report, 0), "inserted"), 0);
    error = error_at(file_at(report, 0), 0);
    assert_string_equal(text_of(error, "source"), "orders.csv");
    assert_int_equal(number_of(error, "line"), 3);
    assert_int_equal(number_of(error, "offset"), (long long)zero_at);
    msg = text_of(error, "message");
    assert_non_null(strstr(msg, "none of it is stored"));
    assert_non_null(strstr(msg, "a zero byte (NUL) at offset"));
    assert_non_null(strstr(msg, "export it again as a UTF-8 CSV file"));
    json_decref(report);
    assert_int_equal(batch_count(fx), 0);

    /* --skip-bad-rows does not store the rows before the zero byte. */
    report = cairn_json(fx, 1,
                        ARGS("import", "--format", "json", "orders.csv", "--skip-bad-rows"));
    assert_int_equal(number_of(file_at(report, 0), "inserted"), 0);
    json_decref(report);
    assert_int_equal(batch_count(fx), 0);
}

static void zero_byte_in_key_not_duplicate(void **state)
{
    struct fixture *fx = *state;
    /* "X50\0junk" read as "X50" clashed with the next row's key. */
    static const char text[] = ORDERS_HEADER "X50\0junk,2024-03-01,,,10,,\n"
                                             "X50,2024-03-02,,,20,,\nX51,2024-03-03,,,30,,\n"
                                             "X52,2024-03-04,,,40,,\nX53,2024-03-05,,,50,,\n";
    json_t *report, *error;

    write_bytes(fx->dir, "orders.csv", text, sizeof(text) - 1);
    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "orders.csv"));
    assert_int_equal(json_array_size(json_object_get(file_at(report, 0), "errors")), 1);
    error = error_at(file_at(report, 0), 0);
    assert_int_equal(number_of(error, "line"), 2);
    assert_int_equal(number_of(error, "offset"), (long long)strlen(ORDERS_HEADER "X50"));
    assert_null(strstr(text_of(error, "message"), "same key"));
    json_decref(report);
}

/* Checks that file i of report failed as a second naming of first. */
static void assert_named_twice(json_t *report, size_t i, const char *message)
{
    json_t *error = error_at(file_at(report, i), 0);

    assert_string_equal(text_of(error, "message"), message);
    assert_int_equal(json_array_size(json_object_get(file_at(report, 0), "errors")), 0);
}

static void same_file_twice_rejected(void **state)
{
    struct fixture *fx = *state;
    json_t *report;
    char *target, *link;

    free(write_file(fx->dir, "d/orders.csv", ORDERS_HEADER "O1,2024-03-01,,,10,,\n"));
    target = path_join(fx->dir, "d/orders.csv");
    link = path_join(fx->dir, "link.csv");
    assert_int_equal(symlink(target, link), 0);

    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "d/orders.csv", "d/orders.csv"));
    assert_named_twice(report, 1, "this file is named twice: name it once");
    json_decref(report);

    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "d", "./d/orders.csv"));
    assert_named_twice(report, 1,
                       "this file is the same file as d/orders.csv, so it is named twice: name "
                       "it once");
    json_decref(report);

    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "--kind", "orders",
                                    "d/orders.csv", "link.csv"));
    assert_named_twice(report, 1,
                       "this file is the same file as d/orders.csv, so it is named twice: name "
                       "it once");
    json_decref(report);
    assert_int_equal(batch_count(fx), 0);
    free(target);
    free(link);
}

/* Checks error i of file: its line, field, value and message. */
static void assert_row_error(json_t *file, size_t i, long line, const char *field,
                             const char *value, const char *message)
{
    json_t *error = error_at(file, i);

    assert_non_null(error);
    assert_int_equal(number_of(error, "line"), line);
    assert_string_equal(text_of(error, "field"), field);
    assert_string_equal(text_of(error, "value"), value);
    assert_string_equal(text_of(error, "message"), message);
}

static void employee_contradictions_rejected(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *file;

    /* E1 left on the day it was hired and E5 has a zero salary: both are
     * valid. */
    free(write_file(fx->dir, "employees.csv",
                    EMPLOYEES_HEADER "E1,甲,,sales,,2025-01-01,2025-01-01,voluntary,,8000.00,,\n"
                                     "E2,乙,,sales,,2025-01-01,2024-12-31,voluntary,,8000.00,,\n"
                                     "E3,丙,,sales,,2025-01-01,,,,-8000.00,,\n"
                                     "E4,丁,,sales,,2025-01-01, ,involuntary,,8000.00,,\n"
                                     "E5,戊,,sales,,2025-01-01,,,,0,,\n"));
    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "employees.csv"));
    file = file_at(report, 0);
    assert_int_equal(number_of(file, "rejected"), 3);
    assert_row_error(file, 0, 3, "leave_date", "2024-12-31",
                     "leave_date 2024-12-31 is before hire_date 2025-01-01: correct one of the "
                     "two dates");
    assert_row_error(file, 1, 4, "base_salary", "-8000.00",
                     "base_salary -8000.00 is negative: give the monthly base pay as zero or "
                     "more");
    assert_row_error(file, 2, 5, "leave_reason", "involuntary",
                     "leave_reason needs a leave_date: give the last working day, or leave "
                     "leave_reason empty");
    json_decref(report);
    assert_int_equal(batch_count(fx), 0);

    report = cairn_json(fx, 0, ARGS("import", "--format", "json", "employees.csv",
                                    "--skip-bad-rows", "--rejects", "rej.csv"));
    assert_int_equal(number_of(file_at(report, 0), "inserted"), 2);
    assert_int_equal(number_of(file_at(report, 0), "rejected"), 3);
    json_decref(report);
}

static void end_before_start_rejected(void **state)
{
    struct fixture *fx = *state;
    json_t *report;

    free(write_file(fx->dir, "d/employees.csv",
                    EMPLOYEES_HEADER "E1,甲,,sales,,2024-01-01,,,,8000.00,,\n"));
    free(write_file(fx->dir, "d/org_units.csv",
                    "unit_id,name,parent_id,kind,manager_id\nC,公司,,company,\n"));
    free(write_file(fx->dir, "d/customers.csv",
                    "customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n"
                    "K1,客户,,,,,\n"));
    /* A one-day period (end equal to start) is valid. */
    free(write_file(fx->dir, "d/assignments.csv",
                    "employee_id,unit_id,start_date,end_date\n"
                    "E1,C,2024-01-01,2024-01-01\nE1,C,2024-03-01,2024-02-29\n"));
    free(write_file(fx->dir, "d/customer_owners.csv",
                    "customer_id,employee_id,start_date,end_date\n"
                    "K1,E1,2024-05-02,2024-05-01\nK1,E1,2024-06-01,\n"));

    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "d"));
    for (size_t i = 0; i < json_array_size(json_object_get(report, "files")); i++) {
        json_t *file = file_at(report, i);
        const char *entity = text_of(file, "kind");

        if (!strcmp(entity, "assignments")) {
            assert_int_equal(number_of(file, "rejected"), 1);
            assert_row_error(file, 0, 3, "end_date", "2024-02-29",
                             "end_date 2024-02-29 is before start_date 2024-03-01: correct one "
                             "of the two dates");
        } else if (!strcmp(entity, "customer_owners")) {
            assert_int_equal(number_of(file, "rejected"), 1);
            assert_row_error(file, 0, 2, "end_date", "2024-05-01",
                             "end_date 2024-05-01 is before start_date 2024-05-02: correct one "
                             "of the two dates");
        } else {
            assert_int_equal(number_of(file, "rejected"), 0);
        }
    }
    json_decref(report);
}

/* Runs "cairn config NAME VALUE" and checks that it fails with message. */
static void expect_config_error(const struct fixture *fx, const char *name, const char *value,
                                const char *message)
{
    struct run_result r =
        run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", fx->db, "config", name, value));

    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, message));
    run_result_free(&r);
}

static void config_out_of_range_names_range(void **state)
{
    struct fixture *fx = *state;

    expect_config_error(fx, "server.session_hours", "-5",
                        "value -5 for server.session_hours is out of range: it must be between 1 "
                        "and 720");
    expect_config_error(fx, "server.session_hours", "0", "must be between 1 and 720");
    expect_config_error(fx, "server.session_hours", "721", "must be between 1 and 720");
    expect_config_error(fx, "server.session_hours", "1.5", "expected a whole number");
    expect_config_error(fx, "server.session_hours", "-", "expected a whole number");
    expect_config_error(fx, "delivery.retry_delay_ms", "-1", "must be between 0 and 60000");
    expect_config_error(fx, "alerts.attrition_rise", "-0.5", "must be between 0 and 1");
    expect_config_error(fx, "alerts.minimum_monthly_sales", "-5",
                        "must be between 0 and 1000000000000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(zero_byte_fails_whole_file, setup, teardown),
        cmocka_unit_test_setup_teardown(zero_byte_in_key_not_duplicate, setup, teardown),
        cmocka_unit_test_setup_teardown(same_file_twice_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(employee_contradictions_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(end_before_start_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(config_out_of_range_names_range, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
