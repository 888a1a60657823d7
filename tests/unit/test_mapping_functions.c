/*
 * Unit tests of the mapping's SQL functions (src/mapping/functions.c) on
 * a plain SQLite connection, and of staging and the sandbox. A staging
 * table of a headerless file grows a column for a longer record, and a
 * statement over the time limit is stopped.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "mapping/internal.h"
#include "support.h"

#define HEADERLESS "\"header\":false,\"whitespace\":true"

static sqlite3 *db;

static int open_db(void **state)
{
    struct strbuf err = STRBUF_INIT;

    (void)state;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || functions_register(db, &err))
        return -1;
    sb_release(&err);
    return 0;
}

static int close_db(void **state)
{
    (void)state;
    sqlite3_close(db);
    return 0;
}

/* The text of "SELECT expr", "NULL" for NULL, "ERROR: msg" on an error. */
static char *eval(const char *expr)
{
    struct strbuf sql = STRBUF_INIT;
    sqlite3_stmt *st;
    char *v;

    sb_addf(&sql, "SELECT %s", expr);
    assert_int_equal(sqlite3_prepare_v2(db, sql.buf, -1, &st, NULL), SQLITE_OK);
    sb_release(&sql);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sb_addf(&sql, "ERROR: %s", sqlite3_errmsg(db));
        v = sb_detach(&sql);
    } else if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
        v = strdup("NULL");
    } else {
        v = strdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return v;
}

static void expect(const char *expr, const char *expected)
{
    char *v = eval(expr);

    if (strcmp(v, expected))
        fail_msg("%s gave '%s', expected '%s'", expr, v, expected);
    free(v);
}

static void date_function(void **state)
{
    (void)state;
    expect("cairn_date('2024/3/5')", "2024-03-05");
    expect("cairn_date('2024年3月5日')", "2024-03-05");
    expect("cairn_date('20240305')", "2024-03-05");
    expect("cairn_date('45356')", "2024-03-05");
    expect("cairn_date('05/03/2024', 'dmy')", "2024-03-05");
    expect("cairn_date('05/03/2024', 'mdy')", "2024-05-03");
    expect("cairn_date('05/03/2024')", "05/03/2024"); /* ambiguous: unchanged */
    expect("cairn_date('3/5/24')", "3/5/24");         /* two-digit year */
    expect("cairn_date('  ')", "NULL");
    expect("cairn_date(NULL)", "NULL");
    expect("cairn_date('2024-03-05', 'xyz')",
           "ERROR: cairn_date: the order must be 'ymd', 'dmy' or 'mdy'");
}

static void money_functions(void **state)
{
    (void)state;
    expect("cairn_money('¥1,234.5')", "1234.50");
    expect("cairn_money('1.2万')", "12000.00");
    expect("cairn_money('(1,234.00)')", "-1234.00");
    expect("cairn_money('1.234')", "1.234");
    expect("cairn_money('')", "NULL");
    expect("cairn_wan('1.2')", "12000.00");
    expect("cairn_wan('0.00001')", "0.10");
    expect("cairn_fen('¥1,234.56')", "123456");
    expect("cairn_fen('129.696', 'round')", "12970");
    expect("cairn_fen('-129.695', 'round')", "-12970");
    expect("cairn_fen('129.6949', 'round')", "12969");
    expect("cairn_fen('0.004', 'round')", "0");
    expect("cairn_fen(NULL)", "NULL");
    expect("cairn_fen('1.234')", "ERROR: cairn_fen: '1.234' is not an amount "
                                 "(more than 2 decimals)");
    expect("cairn_fen('1', 'floor')", "ERROR: cairn_fen: the second argument can only be 'round'");
    expect("cairn_yuan(123450)", "1234.50");
    expect("cairn_yuan(-5)", "-0.05");
    expect("cairn_yuan(SUM(x)) FROM (SELECT cairn_fen('0.1') AS x UNION ALL "
           "SELECT cairn_fen('0.2'))",
           "0.30");
    expect("cairn_yuan(1.5)",
           "ERROR: cairn_yuan: give an integer number of fen, such as SUM(cairn_fen(x))");
    expect("cairn_number('1,234.500')", "1234.5");
    expect("cairn_number('12.5%')", "0.125");
}

static void text_functions(void **state)
{
    (void)state;
    expect("cairn_width('ＡＢ１２３')", "AB123");
    expect("cairn_null_if('NA', 'NA')", "NULL");
    expect("cairn_null_if(' NA ', 'NA', '-')", "NULL");
    expect("cairn_null_if('-', 'NA', '-')", "NULL");
    expect("cairn_null_if('', 'NA')", "NULL");
    expect("cairn_null_if('12621', 'NA')", "12621");
    expect("cairn_map('是', '是', 'voluntary', '否', '')", "voluntary");
    expect("cairn_map('否', '是', 'voluntary', '否', '')", "");
    expect("cairn_map('?', '是', 'voluntary')", "?");
    expect("cairn_map('?', '是', 'voluntary', 'other')", "other");
    expect("cairn_map('x', 'y')", "ERROR: cairn_map: give a value and pairs of from and to values");
}

/* Loads a mapping of one file read with the given source options. */
static struct mapping *load_mapping(const char *dir, const char *data, const char *options,
                                    const char *sql)
{
    struct source_options dflt = {0};
    struct strbuf err = STRBUF_INIT, map = STRBUF_INIT;
    struct mapping *m;
    long line;
    long long offset;
    char *map_path, *base;

    free(write_file(dir, "data/rows.txt", data));
    sb_addf(&map,
            "{\"sources\":[{\"name\":\"t\",\"file\":\"rows.txt\",%s}],"
            "\"targets\":[{\"entity\":\"orders\",\"sql\":\"%s\"}]}",
            options, sql);
    map_path = write_file(dir, "map.json", map.buf);
    sb_release(&map);
    base = path_join(dir, "data");
    m = mapping_load(map_path, base, &err);
    free(base);
    free(map_path);
    if (!m)
        fail_msg("%s", err.buf);
    sb_reset(&err);
    assert_int_equal(staging_open(m, &err), 0);
    assert_int_equal(staging_load(m, &m->sources[0], &dflt, &line, &offset, &err), 0);
    sandbox_enable(m);
    sb_release(&err);
    return m;
}

static void headerless_table_grows(void **state)
{
    char *dir = make_temp_dir();
    struct mapping *m = load_mapping(dir, "a 1\nb 2 x\nc\n", HEADERLESS,
                                     "SELECT c1 AS order_id, c2, c3, _line FROM t");
    struct strbuf err = STRBUF_INIT;
    struct mapping_rows *r = mapping_rows_open(&m->targets[0], &err);
    struct source_record *rec;
    const char *source;

    (void)state;
    assert_non_null(r);
    assert_int_equal(mapping_rows_next(r, &rec, &source, &err), 1);
    assert_int_equal(rec->nfields, 3); /* _line is not a field */
    assert_string_equal(rec->fields[2], "c3");
    assert_int_equal(mapping_rows_next(r, &rec, &source, &err), 1);
    assert_string_equal(rec->fields[0], "a");
    assert_string_equal(rec->fields[2], "");
    assert_int_equal(rec->line, 1);
    assert_non_null(strstr(source, "rows.txt"));
    assert_int_equal(mapping_rows_next(r, &rec, &source, &err), 1);
    assert_string_equal(rec->fields[2], "x");
    assert_int_equal(mapping_rows_next(r, &rec, &source, &err), 1);
    assert_string_equal(rec->fields[0], "c");
    assert_string_equal(rec->fields[1], "");
    assert_int_equal(rec->line, 3);
    assert_int_equal(mapping_rows_next(r, &rec, &source, &err), 0);
    mapping_rows_close(r);
    mapping_free(m);
    sb_release(&err);
    remove_tree(dir);
    free(dir);
}

static void repeated_headers_renamed(void **state)
{
    char *dir = make_temp_dir();
    /* Columns 3 (a repeat), 4 (empty) and 5 ("c4", now taken) are renamed. */
    struct mapping *m = load_mapping(dir, "id,name,NAME, ,c4\nA,b,c,d,e\n", "\"header\":true",
                                     "SELECT id || name || c3 || c4 || c5 AS order_id FROM t");
    struct strbuf err = STRBUF_INIT;
    struct mapping_rows *r = mapping_rows_open(&m->targets[0], &err);
    struct source_record *rec;
    const char *source;

    (void)state;
    if (!r)
        fail_msg("%s", err.buf);
    assert_int_equal(mapping_rows_next(r, &rec, &source, &err), 1);
    assert_int_equal(mapping_rows_next(r, &rec, &source, &err), 1);
    assert_string_equal(rec->fields[0], "Abcde");
    mapping_rows_close(r);
    mapping_free(m);
    sb_release(&err);
    remove_tree(dir);
    free(dir);
}

static void time_limit_stops_select(void **state)
{
    char *dir = make_temp_dir();
    struct mapping *m = load_mapping(dir, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", HEADERLESS,
                                     "SELECT COUNT(*) AS order_id FROM t a, t b, t c, t d, t e, "
                                     "t f, t g, t h");
    struct strbuf err = STRBUF_INIT;
    struct mapping_rows *r = mapping_rows_open(&m->targets[0], &err);
    struct source_record *rec;
    const char *source;

    (void)state;
    if (!r)
        fail_msg("%s", err.buf);
    assert_int_equal(mapping_rows_next(r, &rec, &source, &err), 1);
    /* As if the target had already run for the whole limit. */
    m->time_used = MAPPING_TIME_LIMIT;
    assert_int_equal(mapping_rows_next(r, &rec, &source, &err), -1);
    assert_non_null(strstr(err.buf, "ran longer than"));
    mapping_rows_close(r);
    mapping_free(m);
    sb_release(&err);
    remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(date_function),
        cmocka_unit_test(money_functions),
        cmocka_unit_test(text_functions),
        cmocka_unit_test(headerless_table_grows),
        cmocka_unit_test(repeated_headers_renamed),
        cmocka_unit_test(time_limit_stops_select),
    };

    return cmocka_run_group_tests(tests, open_db, close_db);
}
