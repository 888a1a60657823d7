/*
 * End-to-end tests of the import's edge cases around its inputs and
 * outputs. They cover a rejects path that is an input or cannot be
 * written, folders without data files, a key in two files of one run, a
 * row the CSV reader cannot read, input from a pipe and a missing file.
 * They also check the rejected rows of reconcile and the wording of
 * option and file errors.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

#define ORDERS_HEADER "order_id,order_date,customer_id,employee_id,amount,product,status\n"
/* O1 is valid; O2's amount is not a number, so it is rejected. */
#define ORDERS_ONE_BAD ORDERS_HEADER "O1,2024-03-01,,,10,,\nO2,2024-03-02,,,xx,,\n"

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

/* Runs "cairn --lang en --db DB ARGS..." in the test's folder. */
static struct run_result cairn(const struct fixture *fx, const char *input,
                               const char *const *extra)
{
    const char *args[24] = {"--lang", "en", "--db", fx->db};
    size_t n = 4;

    while (*extra)
        args[n++] = *extra++;
    args[n] = NULL;
    return run_cairn(fx->dir, input, args);
}

static json_t *cairn_json(const struct fixture *fx, int status, const char *const *extra)
{
    const char *args[24] = {"--lang", "en", "--db", fx->db};
    size_t n = 4;

    while (*extra)
        args[n++] = *extra++;
    args[n] = NULL;
    return run_cairn_json(fx->dir, args, status);
}

/* The number of stored import batches. */
static size_t batch_count(const struct fixture *fx)
{
    json_t *list = cairn_json(fx, 0, ARGS("imports", "--format", "json"));
    size_t n = json_array_size(list);

    json_decref(list);
    return n;
}

static long long count_of(json_t *file, const char *key)
{
    return json_integer_value(json_object_get(file, key));
}

static json_t *file_at(json_t *report, size_t i)
{
    return json_array_get(json_object_get(report, "files"), i);
}

static const char *first_error(json_t *file, const char *key)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(file, "errors"), 0), key));
}

/* The names of the entries of folder dir, joined by spaces. */
static char *folder_entries(const char *dir)
{
    char buf[4096] = "";
    struct dirent *d;
    DIR *dp = opendir(dir);

    assert_non_null(dp);
    while ((d = readdir(dp))) {
        if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
            continue;
        strncat(buf, d->d_name, sizeof(buf) - strlen(buf) - 2);
        strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
    }
    closedir(dp);
    return strdup(buf);
}

static void rejects_path_same_as_input_refused(void **state)
{
    struct fixture *fx = *state;
    char *input = write_file(fx->dir, "sk2/orders.csv", ORDERS_ONE_BAD);
    struct run_result r;
    char *text;

    /* The same path as given. */
    r = cairn(fx, NULL, ARGS("import", "sk2/orders.csv", "--skip-bad-rows", "--rejects",
                             "sk2/orders.csv"));
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "the rejected-rows file sk2/orders.csv is the input file sk2/orders.csv"));
    assert_null(strstr(r.err, "(null)"));
    run_result_free(&r);

    /* Another spelling of it, the input given as its folder. */
    r = cairn(fx, NULL, ARGS("import", "sk2", "--skip-bad-rows", "--rejects",
                             "./sk2/../sk2/orders.csv"));
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "is the input file sk2/orders.csv"));
    run_result_free(&r);

    /* The input is intact and nothing was stored. */
    text = read_file(input, NULL);
    assert_string_equal(text, ORDERS_ONE_BAD);
    assert_int_equal(batch_count(fx), 0);
    free(text);
    free(input);
}

/* A symbolic link or a pipe given as the rejects path is refused and
 * left as it was, since renaming the file over it would replace it. */
static void rejects_path_special_file_refused(void **state)
{
    struct fixture *fx = *state;
    char *input = write_file(fx->dir, "sk4/orders.csv", ORDERS_ONE_BAD);
    char *target = write_file(fx->dir, "sk4/target.txt", "keep");
    char *link = path_join(fx->dir, "sk4/link.csv"), *fifo = path_join(fx->dir, "sk4/fifo");
    struct run_result r;
    struct stat st;

    assert_int_equal(symlink("target.txt", link), 0);
    assert_int_equal(mkfifo(fifo, 0600), 0);

    r = cairn(fx, NULL, ARGS("import", "sk4/orders.csv", "--skip-bad-rows", "--rejects",
                             "sk4/link.csv"));
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "the rejected-rows path sk4/link.csv is a device, pipe or symbolic link"));
    run_result_free(&r);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));

    r = cairn(fx, NULL, ARGS("import", "sk4/orders.csv", "--skip-bad-rows", "--rejects",
                             "sk4/fifo"));
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "sk4/fifo is a device, pipe or symbolic link"));
    run_result_free(&r);
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(batch_count(fx), 0);

    free(input);
    free(target);
    free(link);
    free(fifo);
}

static void default_rejects_path_keeps_input(void **state)
{
    struct fixture *fx = *state;
    char *input = write_file(fx->dir, "rejected-dry-run.csv", ORDERS_ONE_BAD);
    struct run_result r;
    char *text;

    /* A dry run's default rejects file is this very input. */
    r = cairn(fx, NULL, ARGS("import", "rejected-dry-run.csv", "--kind", "orders",
                             "--skip-bad-rows", "--dry-run"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "the rejected-rows file rejected-dry-run.csv is the input file rejected-dry-run.csv"));
    run_result_free(&r);

    text = read_file(input, NULL);
    assert_string_equal(text, ORDERS_ONE_BAD);
    free(text);
    free(input);
}

static void rejects_path_unwritable_stores_nothing(void **state)
{
    struct fixture *fx = *state;
    char *input = write_file(fx->dir, "in/orders.csv", ORDERS_ONE_BAD);
    char *in_dir = path_join(fx->dir, "in");
    struct run_result r;
    char *entries;

    /* A folder that does not exist. */
    r = cairn(fx, NULL, ARGS("import", "in/orders.csv", "--skip-bad-rows", "--rejects",
                             "/nonexistent-cairn-folder/x.csv"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "cannot write the rejected rows to /nonexistent-cairn-folder/x.csv"));
    assert_non_null(strstr(r.err, "choose a writable path with --rejects"));
    assert_null(strstr(r.err, "(null)"));
    assert_null(strstr(r.out, "Stored as import batch"));
    run_result_free(&r);

    /* A folder given as the rejects file. */
    r = cairn(fx, NULL, ARGS("import", "in/orders.csv", "--skip-bad-rows", "--rejects", "in"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "cannot write the rejected rows to in: it is a folder"));
    run_result_free(&r);

    assert_int_equal(batch_count(fx), 0);
    /* No temporary file is left beside the target. */
    entries = folder_entries(in_dir);
    assert_string_equal(entries, "orders.csv ");
    free(entries);
    free(in_dir);
    free(input);
}

static void rejects_file_written_after_commit(void **state)
{
    struct fixture *fx = *state;
    char *input = write_file(fx->dir, "in/orders.csv", ORDERS_ONE_BAD);
    char *out_dir = path_join(fx->dir, "out");
    char *rejects = path_join(out_dir, "bad.csv");
    json_t *report;
    char *text, *entries;

    free(write_file(out_dir, "keep.txt", "x\n"));
    report = cairn_json(fx, 0, ARGS("import", "--format", "json", "in/orders.csv",
                                    "--skip-bad-rows", "--rejects", "out/bad.csv"));
    assert_int_equal(count_of(file_at(report, 0), "inserted"), 1);
    assert_int_equal(count_of(file_at(report, 0), "rejected"), 1);
    assert_string_equal(json_string_value(json_object_get(report, "rejects")), "out/bad.csv");
    json_decref(report);

    text = read_file(rejects, NULL);
    assert_non_null(text);
    assert_string_equal(text, "order_id,order_date,customer_id,employee_id,amount,product,status,"
                              "source,line,reason\n"
                              "O2,2024-03-02,,,xx,,,in/orders.csv,3,\"'xx' is not a valid amount: "
                              "write yuan as a plain number such as 1234.50 or -20, without "
                              "thousands separators or currency sign\"\n");
    entries = folder_entries(out_dir);
    assert_true(!strcmp(entries, "bad.csv keep.txt ") || !strcmp(entries, "keep.txt bad.csv "));
    free(entries);
    free(text);
    free(rejects);
    free(out_dir);
    free(input);
}

static void folder_without_data_files_fails(void **state)
{
    struct fixture *fx = *state;
    char *empty = path_join(fx->dir, "empty");
    char *named_like_file = path_join(fx->dir, "orders.csv");
    json_t *report;
    const char *msg;

    /* An empty folder. */
    assert_int_equal(mkdir(empty, 0700), 0);
    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "empty"));
    assert_true(json_is_null(json_object_get(report, "batch")));
    assert_int_equal(json_array_size(json_object_get(report, "files")), 1);
    msg = first_error(file_at(report, 0), "message");
    assert_non_null(strstr(msg, "no data file found in empty: canonical files are named org_units.csv, employees.csv, "));
    assert_non_null(strstr(msg, "orders.csv"));
    json_decref(report);

    /* A folder holding only other files. */
    free(write_file(fx->dir, "notes/readme.txt", "hello\n"));
    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "notes"));
    assert_non_null(strstr(first_error(file_at(report, 0), "message"), "no data file found in notes"));
    assert_int_equal(json_array_size(json_object_get(report, "warnings")), 1);
    json_decref(report);

    /* A folder named like a data file. */
    assert_int_equal(mkdir(named_like_file, 0700), 0);
    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "orders.csv"));
    assert_non_null(strstr(first_error(file_at(report, 0), "message"),
                           "orders.csv is a folder, not a data file"));
    json_decref(report);

    assert_int_equal(batch_count(fx), 0);
    free(named_like_file);
    free(empty);
}

static void duplicate_key_across_files_reported(void **state)
{
    struct fixture *fx = *state;
    json_t *report;
    const char *msg;

    free(write_file(fx->dir, "d1/orders.csv", ORDERS_HEADER "O1,2024-03-01,,,10,,\nO2,2024-03-02,,,20,,\n"));
    free(write_file(fx->dir, "d2/orders.csv", ORDERS_HEADER "O3,2024-03-03,,,30,,\nO1,2024-03-04,,,40,,\n"));

    /* Without --skip-bad-rows the run stores nothing. */
    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "d1/orders.csv", "d2/orders.csv"));
    assert_int_equal(count_of(file_at(report, 0), "rejected"), 1);
    assert_int_equal(count_of(file_at(report, 1), "rejected"), 1);
    msg = first_error(file_at(report, 0), "message");
    assert_string_equal(msg, "d1/orders.csv line 2 and d2/orders.csv line 3 have the same key (O1), "
                             "and one run cannot store both: keep one of the two rows");
    assert_string_equal(first_error(file_at(report, 1), "message"), msg);
    assert_string_equal(first_error(file_at(report, 1), "source"), "d2/orders.csv");
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(file_at(report, 1), "errors"), 0), "line")),
                     3);
    json_decref(report);
    assert_int_equal(batch_count(fx), 0);

    /* With it, both O1 rows are rejected and the other rows inserted. */
    report = cairn_json(fx, 0, ARGS("import", "--format", "json", "d1/orders.csv", "d2/orders.csv",
                                    "--skip-bad-rows", "--rejects", "rej.csv"));
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(count_of(file_at(report, i), "inserted"), 1);
        assert_int_equal(count_of(file_at(report, i), "updated"), 0);
        assert_int_equal(count_of(file_at(report, i), "rejected"), 1);
    }
    json_decref(report);
}

static void malformed_row_counted_with_line(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *f, *e;
    struct run_result r;

    free(write_file(fx->dir, "staff.csv",
                    "employee_id,name,unit_id,hire_date,leave_date\n"
                    "E1,张三,T1,2020-01-01,\n"
                    "\"E,3\",赵\"\"六\"\" ,T1,2020-01-01,\n"));
    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "staff.csv", "--kind", "employees"));
    f = file_at(report, 0);
    assert_int_equal(count_of(f, "rows"), 2);
    assert_int_equal(count_of(f, "rejected"), 1);
    assert_int_equal(count_of(f, "error_count"), 1);
    assert_true(json_is_true(json_object_get(f, "failed")));
    e = json_array_get(json_object_get(f, "errors"), 0);
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_string_equal(json_string_value(json_object_get(e, "value")),
                        "\"E,3\",赵\"\"六\"\" ,T1,2020-01-01,");
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")),
                           "the file cannot be read from this line on"));
    json_decref(report);

    /* The error concerns the whole file, so the text report does not
     * suggest --skip-bad-rows, and that option does not store the file. */
    r = cairn(fx, NULL, ARGS("import", "staff.csv", "--kind", "employees"));
    assert_int_equal(r.status, 1);
    assert_null(strstr(r.err, "--skip-bad-rows"));
    assert_non_null(strstr(r.err, "correct the files listed above"));
    run_result_free(&r);
    r = cairn(fx, NULL, ARGS("import", "staff.csv", "--kind", "employees", "--skip-bad-rows"));
    assert_int_equal(r.status, 1);
    run_result_free(&r);
    assert_int_equal(batch_count(fx), 0);
}

static void pipe_input_is_spooled(void **state)
{
    struct fixture *fx = *state;
    char *rejects = path_join(fx->dir, "rej.csv");
    struct run_result r;
    char *text;

    r = cairn(fx, ORDERS_ONE_BAD, ARGS("import", "/dev/stdin", "--kind", "orders",
                                       "--skip-bad-rows", "--rejects", "rej.csv"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "/dev/stdin (orders): 2 rows, 1 inserted, 0 updated, 0 unchanged, 1 rejected"));
    run_result_free(&r);

    /* The rejected row was read again from the copy. */
    text = read_file(rejects, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "\nO2,2024-03-02,,,xx,,,/dev/stdin,3,"));
    free(text);
    free(rejects);
    assert_int_equal(batch_count(fx), 1);
}

static void missing_file_says_not_found(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;
    json_t *report;

    r = cairn(fx, NULL, ARGS("import", "nothere.csv"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "nothere.csv: file not found: nothere.csv"));
    assert_null(strstr(r.err, "cannot tell which data"));
    assert_null(strstr(r.out, "(?)"));
    run_result_free(&r);

    report = cairn_json(fx, 1, ARGS("reconcile", "nothere.csv", "--format", "json"));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(report, "errors"), 0), "message")),
                        "file not found: nothere.csv");
    assert_int_equal(json_array_size(json_object_get(report, "errors")), 1);
    json_decref(report);
}

static void reconcile_lists_rejected_rows(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *entity, *e;
    struct run_result r;

    free(write_file(fx->dir, "in/orders.csv", ORDERS_ONE_BAD));
    r = cairn(fx, NULL, ARGS("import", "in/orders.csv", "--skip-bad-rows", "--rejects", "rej.csv"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);

    report = cairn_json(fx, 0, ARGS("reconcile", "in/orders.csv", "--format", "json"));
    entity = json_array_get(json_object_get(report, "entities"), 0);
    assert_int_equal(count_of(entity, "rejected"), 1);
    assert_int_equal(json_array_size(json_object_get(entity, "errors")), 0);
    assert_int_equal(json_array_size(json_object_get(entity, "rejected_errors")), 1);
    e = json_array_get(json_object_get(entity, "rejected_errors"), 0);
    assert_string_equal(json_string_value(json_object_get(e, "source")), "in/orders.csv");
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_string_equal(json_string_value(json_object_get(e, "field")), "amount");
    assert_string_equal(json_string_value(json_object_get(e, "value")), "xx");
    json_decref(report);

    r = cairn(fx, NULL, ARGS("reconcile", "in/orders.csv"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "rows an import would reject:\n    in/orders.csv, line 3: 'xx' is not a valid amount"));
    run_result_free(&r);
}

static void option_errors_name_long_option(void **state)
{
    struct fixture *fx = *state;
    static const char *const commands[] = {"import", "reconcile"};
    struct run_result r;

    for (size_t i = 0; i < 2; i++) {
        r = cairn(fx, NULL, ARGS(commands[i], "x.csv", "--format"));
        assert_int_equal(r.status, 2);
        assert_non_null(strstr(r.err, "option --format is unknown or needs a value"));
        assert_null(strstr(r.err, "-f "));
        run_result_free(&r);

        r = cairn(fx, NULL, ARGS(commands[i], "x.csv", "--kind"));
        assert_int_equal(r.status, 2);
        assert_non_null(strstr(r.err, "option --kind is unknown or needs a value"));
        run_result_free(&r);
    }
}

static void missing_column_names_file_and_header(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *e;
    struct run_result r;

    free(write_file(fx->dir, "staff.csv", "employee_id,name\nE1,张三\n"));
    report = cairn_json(fx, 1, ARGS("import", "--format", "json", "staff.csv", "--kind", "employees"));
    e = json_array_get(json_object_get(file_at(report, 0), "errors"), 0);
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "the required column 'hire_date' is missing: add it to the header row of staff.csv");
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 1);
    json_decref(report);

    r = cairn(fx, NULL, ARGS("import", "staff.csv", "--kind", "employees"));
    assert_int_equal(r.status, 1);
    assert_null(strstr(r.err, "--skip-bad-rows"));
    run_result_free(&r);

    /* An empty file is a file-level error too. */
    free(write_file(fx->dir, "e/orders.csv", ""));
    r = cairn(fx, NULL, ARGS("import", "e/orders.csv"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "the file is empty"));
    assert_null(strstr(r.err, "--skip-bad-rows"));
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rejects_path_same_as_input_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(rejects_path_special_file_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(default_rejects_path_keeps_input, setup, teardown),
        cmocka_unit_test_setup_teardown(rejects_path_unwritable_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(rejects_file_written_after_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(folder_without_data_files_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_key_across_files_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_row_counted_with_line, setup, teardown),
        cmocka_unit_test_setup_teardown(pipe_input_is_spooled, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_file_says_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(reconcile_lists_rejected_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(option_errors_name_long_option, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_column_names_file_and_header, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
