/*
 * End-to-end tests of input files and database paths that Cairn used to
 * take silently or report confusingly: foreign dates that export wrote
 * back in a form the importer rejects, a UTF-8 file cut off inside a
 * character, random bytes under a workbook name, UTF-16 without a byte
 * order mark, an empty or directory --db, and library errors inside
 * Chinese messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "support.h"

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

/* Writes len bytes to dir/name and returns the path. */
static char *write_bytes(const char *dir, const char *name, const void *bytes, size_t len)
{
    char *path = path_join(dir, name);
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(bytes, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    return path;
}

/* Imports path as customers with --format json in English and returns
 * the first file's first error, which the caller frees with report. */
static json_t *import_customers(const struct fixture *fx, const char *path, int status)
{
    return run_cairn_json(fx->dir,
                          ARGS("--lang", "en", "--db", fx->db, "import", path, "--kind",
                               "customers", "--format", "json"),
                          status);
}

static json_t *first_error(json_t *report)
{
    json_t *file = json_array_get(json_object_get(report, "files"), 0);
    json_t *e = json_array_get(json_object_get(file, "errors"), 0);

    assert_non_null(e);
    return e;
}

static const char *error_message(json_t *report)
{
    return json_string_value(json_object_get(first_error(report), "message"));
}

/* Foreign dates are exported as the dates they were read as, so export,
 * import into a fresh database and export again give the same files. */
static void lenient_dates_export_roundtrip(void **state)
{
    struct fixture *fx = *state;
    char *people = write_file(fx->dir, "employees.csv",
                              "employee_id,name,unit_id,hire_date\nE1,张三,T,2020-01-01\n");
    char *orders = write_file(fx->dir, "订单.csv",
                              "订单号,下单日期,金额,工号\n"
                              "O1,2024/3/5,100,E1\n"
                              "O2,2024年3月6日,\"1,200.50\",E1\n"
                              "O3,20240307,10,E1\n"
                              "O4,45356,5,E1\n"
                              "O5,2024-03-01T00:30:00+08:00,1,E1\n");
    char *out1 = path_join(fx->dir, "out1"), *out2 = path_join(fx->dir, "out2");
    char *db2 = path_join(fx->dir, "second.db"), *csv1, *csv2, *file;
    struct run_result r;

    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "import", people));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "import", orders, "--kind", "orders"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "export", out1));
    assert_int_equal(r.status, 0);
    run_result_free(&r);

    file = path_join(out1, "orders.csv");
    csv1 = read_file(file, NULL);
    free(file);
    assert_non_null(csv1);
    assert_string_equal(csv1, "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                              "O1,2024-03-05,,E1,100.00,,completed\n"
                              "O2,2024-03-06,,E1,1200.50,,completed\n"
                              "O3,2024-03-07,,E1,10.00,,completed\n"
                              "O4,2024-03-05,,E1,5.00,,completed\n"
                              "O5,2024-03-01T00:30:00+08:00,,E1,1.00,,completed\n");

    r = run_cairn(fx->dir, NULL, ARGS("--db", db2, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--db", db2, "import", out1));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--db", db2, "export", out2));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    file = path_join(out2, "orders.csv");
    csv2 = read_file(file, NULL);
    free(file);
    assert_non_null(csv2);
    assert_string_equal(csv2, csv1);

    free(csv1);
    free(csv2);
    free(db2);
    free(out1);
    free(out2);
    free(people);
    free(orders);
}

/* "ab" and then the first two bytes of 杉 (E6 9D 89): valid UTF-8 cut
 * off at the end, which GB18030 would read as 鏉. */
static void truncated_utf8_is_encoding_error(void **state)
{
    struct fixture *fx = *state;
    static const char bytes[] = "customer_id,name\nC2,ab\xe6\x9d";
    char *path = write_bytes(fx->dir, "customers.csv", bytes, sizeof(bytes) - 1);
    json_t *report = import_customers(fx, path, 1);
    json_t *e = first_error(report);

    assert_int_equal(json_integer_value(json_object_get(e, "line")), 2);
    assert_int_equal(json_integer_value(json_object_get(e, "offset")), 22);
    assert_non_null(strstr(error_message(report), "the bytes at offset 22 are not valid UTF-8"));
    json_decref(report);
    free(path);
}

static void random_bytes_named_xlsx(void **state)
{
    struct fixture *fx = *state;
    unsigned char bytes[512];
    char *path, *expected;
    json_t *report;

    for (size_t i = 0; i < sizeof(bytes); i++)
        bytes[i] = (unsigned char)((i * 73 + 11) % 256);
    path = write_bytes(fx->dir, "客户.xlsx", bytes, sizeof(bytes));
    report = import_customers(fx, path, 1);
    expected = malloc(strlen(path) + 200);
    snprintf(expected, strlen(path) + 200,
             "%s is not an XLSX workbook (no zip signature): the file is damaged or is "
             "another kind of file under an .xlsx name",
             path);
    assert_string_equal(error_message(report), expected);
    json_decref(report);
    free(path);

    path = write_bytes(fx->dir, "客户.xls", bytes, sizeof(bytes));
    report = import_customers(fx, path, 1);
    assert_non_null(strstr(error_message(report), "is not an XLS workbook (no OLE2 signature)"));
    json_decref(report);
    free(path);
    free(expected);
}

/* Tab-separated text saved under an .xls name is still read as text. */
static void text_named_xls_still_read(void **state)
{
    struct fixture *fx = *state;
    char *path = write_file(fx->dir, "客户.xls", "customer_id\tname\nC1\t小店\n");
    json_t *report = import_customers(fx, path, 0);
    json_t *file = json_array_get(json_object_get(report, "files"), 0);

    assert_int_equal(json_integer_value(json_object_get(file, "inserted")), 1);
    json_decref(report);
    free(path);
}

/* "customer_id,name\nC3,张三\n" in UTF-16 without a byte order mark. */
static void utf16_without_bom_detected(void **state)
{
    struct fixture *fx = *state;
    static const char text[] = "customer_id,name\nC3,";
    unsigned char le[64], be[64];
    size_t n = 0;
    char *path;
    json_t *report, *file;

    for (size_t i = 0; i < sizeof(text) - 1; i++, n += 2) {
        le[n] = (unsigned char)text[i];
        le[n + 1] = 0;
        be[n] = 0;
        be[n + 1] = (unsigned char)text[i];
    }
    /* 张 U+5F20, 三 U+4E09, line feed. */
    memcpy(le + n, "\x20\x5f\x09\x4e\x0a\x00", 6);
    memcpy(be + n, "\x5f\x20\x4e\x09\x00\x0a", 6);
    n += 6;

    path = write_bytes(fx->dir, "le.csv", le, n);
    report = import_customers(fx, path, 0);
    file = json_array_get(json_object_get(report, "files"), 0);
    assert_int_equal(json_integer_value(json_object_get(file, "inserted")), 1);
    json_decref(report);
    free(path);

    path = write_bytes(fx->dir, "be.csv", be, n);
    report = import_customers(fx, path, 0);
    file = json_array_get(json_object_get(report, "files"), 0);
    assert_int_equal(json_integer_value(json_object_get(file, "unchanged")), 1);
    json_decref(report);
    free(path);
}

/* Zero bytes at both offsets: neither UTF-16 nor any other text. */
static void zero_bytes_suggest_utf16(void **state)
{
    struct fixture *fx = *state;
    static const char bytes[] = "customer_id,name\n\0\0C1,\0\0x\n";
    char *path = write_bytes(fx->dir, "zeros.csv", bytes, sizeof(bytes) - 1);
    json_t *report = import_customers(fx, path, 1);

    assert_non_null(strstr(error_message(report),
                           "has many zero bytes at its start, like UTF-16 text without a byte "
                           "order mark or a file that is not text: if it is UTF-16 text, give "
                           "--encoding utf-16"));
    json_decref(report);
    free(path);
}

/* A zip signature followed by nothing a zip archive needs. */
static void truncated_xlsx_message_chinese(void **state)
{
    struct fixture *fx = *state;
    static const char bytes[] = "PK\x03\x04truncated here";
    char *path = write_bytes(fx->dir, "cut.xlsx", bytes, sizeof(bytes) - 1);
    struct run_result r = run_cairn(fx->dir, NULL,
                                    ARGS("--lang", "zh-CN", "--db", fx->db, "import", path,
                                         "--kind", "customers"));

    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "不是有效的 XLSX 工作簿（Not a zip archive），可能已截断或损坏"));
    run_result_free(&r);
    free(path);
}

static void empty_db_is_usage_error(void **state)
{
    struct fixture *fx = *state;
    struct run_result r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", "", "init"));
    char command[4096];
    int status;

    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "cairn: --db is empty: give the path of the database file, for "
                               "example --db cairn.db\n");
    run_result_free(&r);

    r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db=", "init"));
    assert_int_equal(r.status, 2);
    run_result_free(&r);

    snprintf(command, sizeof(command), "cd '%s' && CAIRN_DB= '%s' --lang en init 2>/dev/null",
             fx->dir, CAIRN_BIN);
    status = system(command);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 2);

    /* Help needs no database, so an empty CAIRN_DB does not stop it. */
    snprintf(command, sizeof(command), "cd '%s' && CAIRN_DB= '%s' --help >/dev/null",
             fx->dir, CAIRN_BIN);
    status = system(command);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void directory_db_named(void **state)
{
    struct fixture *fx = *state;
    struct run_result r = run_cairn(fx->dir, NULL, ARGS("--lang", "en", "--db", ".", "init"));

    assert_int_equal(r.status, 1);
    assert_string_equal(r.err, "cairn: . is a directory, not a database file: give the path of a "
                               "file, for example ./cairn.db\n");
    run_result_free(&r);
}

static void missing_folder_db_chinese(void **state)
{
    struct fixture *fx = *state;
    struct run_result r = run_cairn(fx->dir, NULL,
                                    ARGS("--lang", "zh-CN", "--db", "/nonexistent/dir/x.db", "init"));

    assert_int_equal(r.status, 1);
    assert_string_equal(r.err, "cairn: 无法打开数据库文件 /nonexistent/dir/x.db：目录不存在或不可写"
                               "（unable to open database file）\n");
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(lenient_dates_export_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(truncated_utf8_is_encoding_error, setup, teardown),
        cmocka_unit_test_setup_teardown(random_bytes_named_xlsx, setup, teardown),
        cmocka_unit_test_setup_teardown(text_named_xls_still_read, setup, teardown),
        cmocka_unit_test_setup_teardown(utf16_without_bom_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(zero_bytes_suggest_utf16, setup, teardown),
        cmocka_unit_test_setup_teardown(truncated_xlsx_message_chinese, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_db_is_usage_error, setup, teardown),
        cmocka_unit_test_setup_teardown(directory_db_named, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_folder_db_chinese, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
