/*
 * End-to-end tests of foreign files on the import path. They cover GBK
 * without a byte order mark, UTF-8 with one, a stray 0xA0 byte, Chinese
 * headers read through the alias table (one with a trailing space) and
 * a unit path column. They also cover large files with a rejected row,
 * one day/month order for every date column, four- against two-digit
 * years, and the real flat HR tables read through a mapping.
 */
#include <iconv.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "util/strbuf.h"

#define HR_GBK     CAIRN_SHARED_DATA "/cn-hr-turnover-gbk"
#define HR_IBM     CAIRN_SHARED_DATA "/cn-ibm-hr-attrition"
#define SUPERSTORE CAIRN_SHARED_DATA "/cn-superstore/示例 - 超市.xls"

struct fixture {
    char *dir, *db;
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

/* The first column of the first row of sql, or NULL (caller frees). */
static char *query_text(struct fixture *fx, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char *v = NULL;

    assert_int_equal(sqlite3_open_v2(fx->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void expect_text(struct fixture *fx, const char *sql, const char *expected)
{
    char *v = query_text(fx, sql);

    assert_non_null(v);
    assert_string_equal(v, expected);
    free(v);
}

/* Converts UTF-8 text to GBK with iconv; the caller frees. */
static char *to_gbk(const char *utf8, size_t *len)
{
    iconv_t cd = iconv_open("GBK", "UTF-8");
    size_t in_left = strlen(utf8), out_size = in_left * 2 + 1, out_left = out_size;
    char *out = calloc(1, out_size), *in = (char *)utf8, *p = out;

    assert_true(cd != (iconv_t)-1);
    assert_true(iconv(cd, &in, &in_left, &p, &out_left) != (size_t)-1);
    iconv_close(cd);
    *len = out_size - out_left;
    return out;
}

static void write_bytes(const char *dir, const char *name, const char *bytes, size_t len)
{
    char *path = path_join(dir, name);
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(bytes, 1, len, fp), len);
    fclose(fp);
    free(path);
}

static json_t *first_file(json_t *report)
{
    return json_array_get(json_object_get(report, "files"), 0);
}

static long long file_count(json_t *report, const char *key)
{
    return json_integer_value(json_object_get(first_file(report), key));
}

static json_t *first_error(json_t *report)
{
    return json_array_get(json_object_get(first_file(report), "errors"), 0);
}

static void gbk_without_bom_and_unit_path(void **state)
{
    struct fixture *fx = *state;
    size_t len;
    char *gbk = to_gbk("工号,姓名,部门,入职日期\n"
                       "E1,张伟,华东大区/杭州分公司/一组,2024/3/5\n"
                       "E2,李娜,华东大区/宁波分公司/一组,2024年3月6日\n",
                       &len);
    json_t *report;

    write_bytes(fx->dir, "员工.csv", gbk, len);
    free(gbk);
    report = run_cairn_json(
        fx->dir,
        ARGS("--db", fx->db, "import", "员工.csv", "--kind", "employees", "--format", "json"), 0);
    assert_int_equal(file_count(report, "inserted"), 2);
    /* root, 华东大区, two 分公司 and their two 一组 teams */
    assert_int_equal(json_integer_value(json_object_get(report, "units_created")), 6);
    json_decref(report);
    expect_text(fx,
                "SELECT name || '|' || unit_id || '|' || hire_date FROM employees "
                "WHERE employee_id = 'E1'",
                "张伟|华东大区/杭州分公司/一组|2024-03-05");
    expect_text(fx, "SELECT name || '|' || hire_date FROM employees WHERE employee_id = 'E2'",
                "李娜|2024-03-06");
    expect_text(fx,
                "SELECT parent_id || '|' || kind || '|' || name FROM org_units "
                "WHERE unit_id = '华东大区/宁波分公司/一组'",
                "华东大区/宁波分公司|team|一组");
}

static void utf8_bom_header_trailing_space(void **state)
{
    struct fixture *fx = *state;
    json_t *report;

    free(write_file(fx->dir, "orders.csv",
                    "\xEF\xBB\xBF订单号 ,下单日期,金额（元）,销售员\n"
                    "A1,2024/3/5,\"¥1,234.50\",\n"
                    "A2,２０２４－０３－０６,１２３４．５,\n"));
    report = run_cairn_json(fx->dir,
                            ARGS("--db", fx->db, "import", "orders.csv", "--format", "json"), 0);
    assert_int_equal(file_count(report, "inserted"), 2);
    json_decref(report);
    expect_text(fx, "SELECT order_date || '|' || amount FROM orders WHERE order_id = 'A1'",
                "2024-03-05|123450");
    expect_text(fx, "SELECT order_date || '|' || amount FROM orders WHERE order_id = 'A2'",
                "2024-03-06|123450");
}

static void stray_a0_byte_names_line_and_offset(void **state)
{
    struct fixture *fx = *state;
    /* Line 3 contains the byte 0xA0 (a Latin-1 no-break space) after "A2,". */
    const char text[] = "订单号,下单日期,金额\nA1,2024-03-05,10\nA2,\xA0"
                        "2024-03-06,20\n";
    json_t *report, *e;

    write_bytes(fx->dir, "orders.csv", text, sizeof(text) - 1);
    report = run_cairn_json(fx->dir,
                            ARGS("--db", fx->db, "import", "orders.csv", "--format", "json"), 1);
    e = first_error(report);
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_int_equal(json_integer_value(json_object_get(e, "offset")),
                     (long long)(strchr(text, '\xA0') - text));
    assert_true(json_is_null(json_object_get(report, "batch")));
    json_decref(report);
}

/* Imports n alias-header orders, one of them invalid, skipping it. */
static void check_rows_minus_rejected(struct fixture *fx, long n)
{
    struct strbuf sb = STRBUF_INIT;
    char count[32];
    json_t *report;
    char *v;

    sb_add(&sb, "订单号,下单日期,金额\n");
    for (long i = 1; i <= n; i++)
        sb_addf(&sb, "O%ld,2024/3/%ld,%s\n", i, i % 28 + 1, i == n / 2 ? "十元" : "\"¥1,000\"");
    free(write_file(fx->dir, "orders.csv", sb.buf));
    sb_release(&sb);

    report = run_cairn_json(
        fx->dir,
        ARGS("--db", fx->db, "import", "orders.csv", "--skip-bad-rows", "--format", "json"), 0);
    assert_int_equal(file_count(report, "rows"), n);
    assert_int_equal(file_count(report, "rejected"), 1);
    assert_int_equal(file_count(report, "inserted"), n - 1);
    assert_int_equal(json_integer_value(json_object_get(first_error(report), "line")), n / 2 + 1);
    json_decref(report);
    snprintf(count, sizeof(count), "%ld", n - 1);
    v = query_text(fx, "SELECT COUNT(*) FROM orders");
    assert_string_equal(v, count);
    free(v);
    snprintf(count, sizeof(count), "%ld", (n - 1) * 100000);
    v = query_text(fx, "SELECT SUM(amount) FROM orders");
    assert_string_equal(v, count);
    free(v);
}

static void rows_2001_one_rejected(void **state)
{
    check_rows_minus_rejected(*state, 2001);
}

static void rows_100000_one_rejected(void **state)
{
    check_rows_minus_rejected(*state, 100000);
}

static void date_order_same_for_all_columns(void **state)
{
    static const struct {
        const char *order, *hire, *leave;
    } cases[] = {
        {"dmy", "2020-03-05", "2021-04-06"},
        {"mdy", "2020-05-03", "2021-06-04"},
    };
    struct fixture *fx = *state;
    json_t *report;

    free(write_file(
        fx->dir, "employees.csv",
        "工号,姓名,入职日期,离职日期,离职原因\nE1,王芳,05/03/2020,06/04/2021,voluntary\n"));

    /* Without an order both dates are ambiguous. */
    report = run_cairn_json(fx->dir,
                            ARGS("--db", fx->db, "import", "employees.csv", "--format", "json"), 1);
    assert_int_equal(json_integer_value(json_object_get(first_file(report), "error_count")), 2);
    json_decref(report);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char expected[32];
        char *v;

        report = run_cairn_json(fx->dir,
                                ARGS("--db", fx->db, "import", "employees.csv", "--date-order",
                                     cases[i].order, "--format", "json"),
                                0);
        json_decref(report);
        snprintf(expected, sizeof(expected), "%s|%s", cases[i].hire, cases[i].leave);
        v = query_text(fx, "SELECT hire_date || '|' || leave_date FROM employees");
        assert_string_equal(v, expected);
        free(v);
    }
}

static void four_digit_year_only(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *e;

    free(write_file(fx->dir, "employees.csv",
                    "工号,姓名,入职日期\nE1,老李,1958-03-05\nE2,小李,58-03-05\n"));
    report = run_cairn_json(
        fx->dir,
        ARGS("--db", fx->db, "import", "employees.csv", "--skip-bad-rows", "--format", "json"), 0);
    assert_int_equal(file_count(report, "inserted"), 1);
    assert_int_equal(file_count(report, "rejected"), 1);
    e = first_error(report);
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_string_equal(json_string_value(json_object_get(e, "column")), "入职日期");
    assert_string_equal(json_string_value(json_object_get(e, "field")), "hire_date");
    assert_string_equal(json_string_value(json_object_get(e, "value")), "58-03-05");
    json_decref(report);
    expect_text(fx, "SELECT hire_date FROM employees WHERE employee_id = 'E1'", "1958-03-05");
}

static void kind_file_lenient_canonical_strict(void **state)
{
    struct fixture *fx = *state;
    const char *text = "order_id,order_date,amount\nK1,2024/3/5,\"¥1,234.50\"\n";
    json_t *report, *e;

    /* orders.csv is a canonical file: only canonical forms. */
    free(write_file(fx->dir, "orders.csv", text));
    report = run_cairn_json(fx->dir,
                            ARGS("--db", fx->db, "import", "orders.csv", "--format", "json"), 1);
    assert_int_equal(json_integer_value(json_object_get(first_file(report), "error_count")), 2);
    e = first_error(report);
    assert_string_equal(json_string_value(json_object_get(e, "value")), "2024/3/5");
    json_decref(report);

    /* The same text given with --kind is a foreign file. */
    free(write_file(fx->dir, "export.csv", text));
    report = run_cairn_json(
        fx->dir,
        ARGS("--db", fx->db, "import", "export.csv", "--kind", "orders", "--format", "json"), 0);
    assert_int_equal(file_count(report, "inserted"), 1);
    json_decref(report);
    expect_text(fx, "SELECT order_date || '|' || amount FROM orders", "2024-03-05|123450");
}

static void workbook_errors_name_sheet(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *e;

    /* The order lines sheet read as orders: line amounts have a third
     * decimal and an order's lines share its id. */
    report = run_cairn_json(fx->dir,
                            ARGS("--db", fx->db, "import", SUPERSTORE, "--kind", "orders",
                                 "--sheet", "订单", "--dry-run", "--format", "json"),
                            1);
    assert_int_equal(file_count(report, "rows"), 10000);
    e = first_error(report);
    assert_string_equal(json_string_value(json_object_get(e, "source")), SUPERSTORE "#订单");
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 2);
    assert_string_equal(json_string_value(json_object_get(e, "column")), "销售额");
    assert_string_equal(json_string_value(json_object_get(e, "field")), "amount");
    assert_string_equal(json_string_value(json_object_get(e, "value")), "129.696");
    e = json_array_get(json_object_get(first_file(report), "errors"), 1);
    assert_string_equal(json_string_value(json_object_get(e, "column")), "订单 ID");
    assert_string_equal(json_string_value(json_object_get(e, "field")), "order_id");
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    json_decref(report);
}

/* Decodes the GBK file independently and returns its lines (caller frees
 * the array and its text through lines[0]). */
static char **gbk_lines(const char *path, size_t *n)
{
    size_t len = 0, out_size, out_left, in_left;
    char *raw = read_file(path, &len), *text, *in = raw, *p, **lines = NULL;
    iconv_t cd = iconv_open("UTF-8", "GBK");

    assert_non_null(raw);
    out_size = out_left = len * 3 + 1;
    text = calloc(1, out_size);
    p = text;
    in_left = len;
    assert_true(iconv(cd, &in, &in_left, &p, &out_left) != (size_t)-1);
    iconv_close(cd);
    free(raw);
    *n = 0;
    for (char *line = strtok_r(text, "\r\n", &p); line; line = strtok_r(NULL, "\r\n", &p)) {
        lines = realloc(lines, (*n + 1) * sizeof(*lines));
        lines[(*n)++] = line;
    }
    return lines;
}

static void gbk_hr_table_without_mojibake(void **state)
{
    struct fixture *fx = *state;
    const char *map =
        "{\"sources\":[{\"name\":\"hr\",\"file\":\"员工数据.csv\"}],"
        "\"targets\":[{\"entity\":\"employees\",\"sql\":\"SELECT 'HR' || _line AS employee_id, "
        "工作满意度 || ',' || 绩效评估得分 || ',' || 参与项目数量 || ',' || 平均每月工作的小时数 "
        "|| ',' || 在职工龄 || ',' || 是否有工作事故 || ',' || 是否离职 || ',' || 是否晋升过 "
        "|| ',' || 部门 || ',' || 薪资水平 AS name, '2020-01-01' AS hire_date, _line FROM hr\"}]}";
    size_t n;
    char **lines = gbk_lines(HR_GBK "/员工数据.csv", &n);
    char *v, sql[128];
    json_t *report;

    /* The SELECT names every header, so a mojibake header fails it. */
    free(write_file(fx->dir, "hr.map.json", map));
    report = run_cairn_json(
        fx->dir, ARGS("--db", fx->db, "import", HR_GBK, "--map", "hr.map.json", "--format", "json"),
        0);
    assert_int_equal(file_count(report, "inserted"), (long long)(n - 1));
    assert_int_equal(n - 1, 14999);
    json_decref(report);

    /* Every value as the independent decoding reads it. */
    assert_string_equal(lines[0], "工作满意度,绩效评估得分,参与项目数量,平均每月工作的小时数,"
                                  "在职工龄,是否有工作事故,是否离职,是否晋升过,部门,薪资水平");
    for (size_t i = 1; i < n; i += 997) {
        snprintf(sql, sizeof(sql), "SELECT name FROM employees WHERE employee_id = 'HR%zu'", i + 1);
        v = query_text(fx, sql);
        assert_non_null(v);
        assert_string_equal(v, lines[i]);
        free(v);
    }
    free(lines[0]);
    free(lines);
}

static void ibm_csv_and_xlsx_through_mappings(void **state)
{
    struct fixture *fx = *state;
    const char *csv_map =
        "{\"sources\":[{\"name\":\"hr\",\"file\":\"IBM_HR_员工流失数据_本土化版.csv\"}],"
        "\"targets\":[{\"entity\":\"employees\",\"sql\":\"SELECT 员工编号 AS employee_id, "
        "部门 || '/' || 岗位 || '/' || 是否离职 AS name, '2020-01-01' AS hire_date, _line "
        "FROM hr\"}]}";
    const char *xlsx_map =
        "{\"sources\":[{\"name\":\"hr\",\"file\":\"IBM_HR_员工流失数据_本土化版.xlsx\","
        "\"sheet\":\"数据\"}],"
        "\"targets\":[{\"entity\":\"employees\",\"sql\":\"SELECT 员工编号 AS employee_id, "
        "部门 || '/' || 岗位 || '/' || 是否离职 AS name, '2020-01-01' AS hire_date, _line "
        "FROM hr\"}]}";
    json_t *report;

    free(write_file(fx->dir, "csv.map.json", csv_map));
    free(write_file(fx->dir, "xlsx.map.json", xlsx_map));
    report = run_cairn_json(
        fx->dir,
        ARGS("--db", fx->db, "import", HR_IBM, "--map", "csv.map.json", "--format", "json"), 0);
    assert_int_equal(file_count(report, "inserted"), 1470);
    json_decref(report);
    expect_text(fx, "SELECT COUNT(*) FROM employees WHERE name LIKE '销售部/%'", "446");
    expect_text(fx, "SELECT COUNT(*) FROM employees WHERE name LIKE '%/是'", "237");

    /* The workbook contains the same people and values: nothing changes. */
    report = run_cairn_json(
        fx->dir,
        ARGS("--db", fx->db, "import", HR_IBM, "--map", "xlsx.map.json", "--format", "json"), 0);
    assert_int_equal(file_count(report, "unchanged"), 1470);
    json_decref(report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(gbk_without_bom_and_unit_path, setup, teardown),
        cmocka_unit_test_setup_teardown(utf8_bom_header_trailing_space, setup, teardown),
        cmocka_unit_test_setup_teardown(stray_a0_byte_names_line_and_offset, setup, teardown),
        cmocka_unit_test_setup_teardown(rows_2001_one_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(rows_100000_one_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(date_order_same_for_all_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(four_digit_year_only, setup, teardown),
        cmocka_unit_test_setup_teardown(kind_file_lenient_canonical_strict, setup, teardown),
        cmocka_unit_test_setup_teardown(workbook_errors_name_sheet, setup, teardown),
        cmocka_unit_test_setup_teardown(gbk_hr_table_without_mojibake, setup, teardown),
        cmocka_unit_test_setup_teardown(ibm_csv_and_xlsx_through_mappings, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
