/*
 * End-to-end tests of mapping files beyond the shipped examples. The
 * sandbox rejects anything but reading the staging tables, and errors
 * and rejected rows of a mapped row name its source and line. Foreign
 * files without a mapping are read through the alias table.
 */
#include <stdlib.h>
#include <string.h>

#include "support.h"

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

/* Writes a one-target mapping of data/orders.csv with the given SQL. */
static void write_mapping(struct fixture *fx, const char *sql)
{
    json_t *m = json_pack("{s:[{s:s,s:s}],s:[{s:s,s:s}]}", "sources", "name", "lines", "file",
                          "orders.csv", "targets", "entity", "orders", "sql", sql);
    char *text = json_dumps(m, 0);

    free(write_file(fx->dir, "map.json", text));
    free(text);
    json_decref(m);
}

/* The first error message of the report's first file. */
static const char *first_message(json_t *report)
{
    json_t *f = json_array_get(json_object_get(report, "files"), 0);

    return json_string_value(
        json_object_get(json_array_get(json_object_get(f, "errors"), 0), "message"));
}

static void sandbox_rejects_other_statements(void **state)
{
    static const char *const refused[] = {
        "DELETE FROM lines",
        "SELECT * FROM sqlite_master",
        "ATTACH DATABASE 'x.db' AS x",
        "PRAGMA writable_schema = 1",
        "SELECT id AS order_id FROM lines; DROP TABLE lines",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n",
        "SELECT zeroblob(100000000) AS order_id, day AS order_date, total AS amount FROM lines",
    };
    struct fixture *fx = *state;

    free(write_file(fx->dir, "data/orders.csv", "id,day,total\nA1,2024/3/5,\"¥1,234.50\"\n"));
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        json_t *report;

        write_mapping(fx, refused[i]);
        report = run_cairn_json(fx->dir,
                                ARGS("--lang", "en", "--db", fx->db, "import", "data", "--map",
                                     "map.json", "--format", "json"),
                                1);
        assert_non_null(first_message(report));
        assert_non_null(strstr(first_message(report), "the SQL of target orders"));
        assert_true(json_is_null(json_object_get(report, "batch")));
        json_decref(report);
    }
}

static void invalid_mappings_fail_the_run(void **state)
{
    static const struct {
        const char *json, *message;
    } cases[] = {
        {"{\"sources\": [}", "is not valid JSON"},
        {"{\"sources\":[],\"targets\":[],\"x\":1}", "unknown key 'x' in the mapping"},
        {"{\"sources\":[{\"name\":\"a\",\"file\":\"/etc/passwd\"}],"
         "\"targets\":[{\"entity\":\"orders\",\"sql\":\"SELECT 1\"}]}",
         "must be named relative to the imported folder"},
        {"{\"sources\":[{\"name\":\"a\",\"file\":\"../x.csv\"}],"
         "\"targets\":[{\"entity\":\"orders\",\"sql\":\"SELECT 1\"}]}",
         "must be named relative to the imported folder"},
        {"{\"sources\":[{\"name\":\"a\",\"file\":\"orders.csv\"},"
         "{\"name\":\"A\",\"file\":\"orders.csv\"}],"
         "\"targets\":[{\"entity\":\"orders\",\"sql\":\"SELECT 1\"}]}",
         "two sources are named 'A'"},
        {"{\"sources\":[{\"name\":\"a\",\"file\":\"orders.csv\"}],"
         "\"targets\":[{\"entity\":\"sales\",\"sql\":\"SELECT 1\"}]}",
         "unknown entity 'sales'"},
        {"{\"sources\":[{\"name\":\"a\",\"file\":\"missing.csv\"}],"
         "\"targets\":[{\"entity\":\"orders\",\"sql\":\"SELECT 1\"}]}",
         "missing.csv"},
    };
    struct fixture *fx = *state;

    free(write_file(fx->dir, "data/orders.csv", "id,day,total\nA1,2024-03-05,10\n"));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *report;

        free(write_file(fx->dir, "map.json", cases[i].json));
        report = run_cairn_json(fx->dir,
                                ARGS("--lang", "en", "--db", fx->db, "import", "data", "--map",
                                     "map.json", "--format", "json"),
                                1);
        assert_non_null(first_message(report));
        if (!strstr(first_message(report), cases[i].message))
            fail_msg("case %zu: '%s' lacks '%s'", i, first_message(report), cases[i].message);
        json_decref(report);
    }
}

static void map_needs_one_path(void **state)
{
    struct fixture *fx = *state;
    json_t *report;

    free(write_file(fx->dir, "data/orders.csv", "id,day,total\nA1,2024-03-05,10\n"));
    write_mapping(fx, "SELECT id AS order_id FROM lines");
    report = run_cairn_json(fx->dir,
                            ARGS("--lang", "en", "--db", fx->db, "import", "data", "data", "--map",
                                 "map.json", "--format", "json"),
                            1);
    assert_non_null(strstr(first_message(report), "give exactly one folder or workbook"));
    json_decref(report);
}

static void map_with_kind_or_sheet_exits_2(void **state)
{
    static const char *const commands[] = {"import", "reconcile"};
    struct fixture *fx = *state;

    for (size_t i = 0; i < 2; i++) {
        struct run_result r = run_cairn(fx->dir, NULL,
                                        ARGS("--lang", "en", "--db", fx->db, commands[i], "data",
                                             "--map", "map.json", "--kind", "orders"));

        assert_int_equal(r.status, 2);
        assert_non_null(strstr(r.err, "--kind and --sheet do not apply with --map"));
        run_result_free(&r);
        r = run_cairn(fx->dir, NULL,
                      ARGS("--lang", "en", "--db", fx->db, commands[i], "data", "--map", "map.json",
                           "--sheet", "订单"));
        assert_int_equal(r.status, 2);
        run_result_free(&r);
    }
}

static void mapped_values_read_leniently(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *f;

    free(write_file(fx->dir, "data/orders.csv",
                    "id,day,total,who\nA1,2024/3/5,\"¥1,234.50\",NA\nA2,2024年3月6日,1.2万,\n"));
    write_mapping(fx, "SELECT id AS order_id, day AS order_date, total AS amount, "
                      "cairn_null_if(who, 'NA') AS customer_id, _line FROM lines");
    report = run_cairn_json(
        fx->dir, ARGS("--db", fx->db, "import", "data", "--map", "map.json", "--format", "json"),
        0);
    f = json_array_get(json_object_get(report, "files"), 0);
    assert_int_equal(json_integer_value(json_object_get(f, "inserted")), 2);
    json_decref(report);
    report = run_cairn_json(
        fx->dir, ARGS("--db", fx->db, "reconcile", "data", "--map", "map.json", "--format", "json"),
        0);
    assert_true(json_is_true(json_object_get(report, "ok")));
    json_decref(report);
}

static void mapped_error_names_source_line(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *f, *e;

    free(write_file(fx->dir, "data/orders.csv", "id,day,total\nA1,2024-03-05,10\nA2,3/5/24,20\n"));
    write_mapping(fx, "SELECT id AS order_id, day AS order_date, total AS amount, "
                      "'lines' AS _source, _line FROM lines");
    report = run_cairn_json(
        fx->dir, ARGS("--db", fx->db, "import", "data", "--map", "map.json", "--format", "json"),
        1);
    f = json_array_get(json_object_get(report, "files"), 0);
    e = json_array_get(json_object_get(f, "errors"), 0);
    assert_string_equal(json_string_value(json_object_get(e, "source")), "data/orders.csv");
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
    assert_string_equal(json_string_value(json_object_get(e, "column")), "order_date");
    assert_string_equal(json_string_value(json_object_get(e, "value")), "3/5/24");
    json_decref(report);
}

static void mapped_rejects_written_from_select(void **state)
{
    struct fixture *fx = *state;
    json_t *report;
    char *rejects, *path;

    free(write_file(fx->dir, "data/orders.csv",
                    "id,day,total\nA1,2024-03-05,10\nA2,3/5/24,20\nA3,2024-03-07,30\n"));
    write_mapping(fx, "SELECT id AS order_id, day AS order_date, total AS amount, "
                      "'lines' AS _source, _line FROM lines");
    report =
        run_cairn_json(fx->dir,
                       ARGS("--lang", "en", "--db", fx->db, "import", "data", "--map", "map.json",
                            "--skip-bad-rows", "--rejects", "bad.csv", "--format", "json"),
                       0);
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(report, "files"), 0), "inserted")),
                     2);
    json_decref(report);
    path = path_join(fx->dir, "bad.csv");
    rejects = read_file(path, NULL);
    assert_non_null(rejects);
    assert_string_equal(rejects, "order_id,order_date,amount,source,line,reason\n"
                                 "A2,3/5/24,20,data/orders.csv,3,"
                                 "\"'3/5/24' is not a valid date (a two-digit year is not "
                                 "accepted; write the year with four digits): write it as "
                                 "2024-03-05, or give --date-order dmy or mdy for "
                                 "day/month/year dates\"\n");
    free(rejects);
    free(path);
}

static void aggregate_without_columns_allowed(void **state)
{
    struct fixture *fx = *state;
    json_t *report;

    free(write_file(fx->dir, "data/orders.csv", "id,day,total\nA1,2024-03-05,10\n"));
    write_mapping(fx, "SELECT 'N' || COUNT(*) AS order_id, '2024-03-05' AS order_date, "
                      "COUNT(*) AS amount FROM lines");
    report = run_cairn_json(
        fx->dir, ARGS("--db", fx->db, "import", "data", "--map", "map.json", "--format", "json"),
        0);
    assert_true(json_is_integer(json_object_get(report, "batch")));
    json_decref(report);
}

static void alias_headers_read_leniently(void **state)
{
    struct fixture *fx = *state;
    json_t *report, *f, *e;

    /* A Chinese header with a trailing space, 万 and ¥ amounts. */
    free(write_file(fx->dir, "export.csv",
                    "订单号 ,下单日期,金额（元）\nB1,2024/3/5,\"¥1,234.50\"\nB2,2024.3.6,1.2万\n"
                    "B3,05/03/2024,1\n"));
    report = run_cairn_json(
        fx->dir,
        ARGS("--db", fx->db, "import", "export.csv", "--kind", "orders", "--format", "json"), 1);
    f = json_array_get(json_object_get(report, "files"), 0);
    assert_int_equal(json_integer_value(json_object_get(f, "rejected")), 1);
    e = json_array_get(json_object_get(f, "errors"), 0);
    assert_int_equal(json_integer_value(json_object_get(e, "line")), 4);
    assert_string_equal(json_string_value(json_object_get(e, "column")), "下单日期");
    assert_string_equal(json_string_value(json_object_get(e, "field")), "order_date");
    json_decref(report);

    /* With a date order the same file is stored. */
    report = run_cairn_json(fx->dir,
                            ARGS("--db", fx->db, "import", "export.csv", "--kind", "orders",
                                 "--date-order", "dmy", "--format", "json"),
                            0);
    f = json_array_get(json_object_get(report, "files"), 0);
    assert_int_equal(json_integer_value(json_object_get(f, "inserted")), 3);
    json_decref(report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sandbox_rejects_other_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_mappings_fail_the_run, setup, teardown),
        cmocka_unit_test_setup_teardown(map_needs_one_path, setup, teardown),
        cmocka_unit_test_setup_teardown(map_with_kind_or_sheet_exits_2, setup, teardown),
        cmocka_unit_test_setup_teardown(mapped_values_read_leniently, setup, teardown),
        cmocka_unit_test_setup_teardown(mapped_error_names_source_line, setup, teardown),
        cmocka_unit_test_setup_teardown(mapped_rejects_written_from_select, setup, teardown),
        cmocka_unit_test_setup_teardown(aggregate_without_columns_allowed, setup, teardown),
        cmocka_unit_test_setup_teardown(alias_headers_read_leniently, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
