/*
 * "cairn model train|score forecast" on a hand-made company, on the
 * demo company and on the Chinese superstore sample.
 *
 * The hand-made company, HQ with the teams T1 to T4 and one rep each,
 * sells in 2023 (all orders on or before 2023-12-20):
 *   T1 (S1): 1,000.00 a month. February is 600.00 on the 10th plus 400.00
 *   at 2023-01-31T20:00Z, which is 1 February in Shanghai. March is
 *   1,200.00 less a refunded order of 200.00, with a cancelled order
 *   of 5,000.00 that counts nothing.
 *   T2 (S2): 1,000.00 in January, 2,000.00 in February, ... 12,000.00
 *   in December.
 *   T3 (S3): 20,000 - 100 (k - 10)^2 in month k = 0..11, rising to
 *   20,000.00 in November and down to 19,900.00 in December.
 *   T4 (S4): 500.00 in November and December only.
 * As of 2023-12-31, T1 forecasts 1,000.00 for January 2024 with a
 * zero-width interval, T2 13,000.00, T3 turns from growth to decline,
 * and T4 has too few months for a forecast.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

struct fixture {
    char *dir, *db;
};

static void write_company(const char *dir)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);

    free(write_file(dir, "org_units.csv",
                    "unit_id,name,parent_id,kind,manager_id\n"
                    "HQ,总部,,company,\n"
                    "T1,一组,HQ,team,\n"
                    "T2,二组,HQ,team,\n"
                    "T3,三组,HQ,team,\n"
                    "T4,四组,HQ,team,\n"));
    free(write_file(dir, "employees.csv",
                    "employee_id,name,unit_id,position,employment_type,hire_date,leave_date,"
                    "leave_reason,manager_id\n"
                    "S1,销售一,T1,sales,full_time,2022-01-01,,,\n"
                    "S2,销售二,T2,sales,full_time,2022-01-01,,,\n"
                    "S3,销售三,T3,sales,full_time,2022-01-01,,,\n"
                    "S4,销售四,T4,sales,full_time,2022-01-01,,,\n"));

    fputs("order_id,order_date,customer_id,employee_id,amount,product,status\n", o);
    for (int k = 0; k < 12; k++) {
        if (k == 1) {
            fputs("A02a,2023-02-10,,S1,600.00,,completed\n"
                  "A02b,2023-01-31T20:00:00Z,,S1,400.00,,completed\n",
                  o);
        } else if (k == 2) {
            fputs("A03a,2023-03-15,,S1,1200.00,,completed\n"
                  "A03b,2023-03-16,,S1,200.00,,refunded\n"
                  "A03c,2023-03-17,,S1,5000.00,,cancelled\n",
                  o);
        } else {
            fprintf(o, "A%02d,2023-%02d-15,,S1,1000.00,,completed\n", k + 1, k + 1);
        }
        fprintf(o, "B%02d,2023-%02d-15,,S2,%d.00,,completed\n", k + 1, k + 1, 1000 * (k + 1));
        fprintf(o, "C%02d,2023-%02d-20,,S3,%d.00,,completed\n", k + 1, k + 1,
                20000 - 100 * (k - 10) * (k - 10));
    }
    fputs("D11,2023-11-05,,S4,500.00,,completed\n"
          "D12,2023-12-05,,S4,500.00,,completed\n",
          o);
    fclose(o);
    free(write_file(dir, "orders.csv", buf));
    free(buf);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct run_result r;
    char *data;

    fx->dir = make_temp_dir();
    fx->db = path_join(fx->dir, "cairn.db");
    data = path_join(fx->dir, "data");
    write_company(data);
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "import", data));
    if (r.status != 0)
        fail_msg("import failed: %s", r.err);
    run_result_free(&r);
    free(data);
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

/* The object of list whose key is value, or NULL. */
static json_t *find_by_key(json_t *list, const char *key, const char *value)
{
    size_t i;
    json_t *row;

    json_array_foreach(list, i, row)
    {
        if (!strcmp(json_string_value(json_object_get(row, key)), value))
            return row;
    }
    return NULL;
}

static json_t *find_subject(json_t *list, const char *subject)
{
    return find_by_key(list, "subject", subject);
}

static double number(json_t *row, const char *key)
{
    json_t *v = json_object_get(row, key);

    assert_true(json_is_number(v));
    return json_number_value(v);
}

static void score_before_training(void **state)
{
    struct fixture *fx = *state;
    struct run_result r =
        run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "model", "score", "forecast"));

    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "cairn model train forecast"));
    run_result_free(&r);
}

static void usage_errors(void **state)
{
    struct fixture *fx = *state;
    const char *const *cases[] = {
        ARGS("model", "score", "forecast", "--format", "xml"),
        ARGS("model", "train", "forecast", "--format", "csv"),
        ARGS("model", "score", "forecast", "extra"),
        ARGS("model", "train", "forecast", "--as-of", "2023-13-01"),
        ARGS("model", "score", "forecast", "--bogus"),
        ARGS("model", "train", "bogus"),
        ARGS("model", "train"),
        ARGS("model", "score"),
        ARGS("model", "score", "bogus", "--format", "json"),
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *args[12] = {"--db", fx->db};
        struct run_result r;
        size_t n = 2;

        for (const char *const *a = cases[i]; *a; a++)
            args[n++] = *a;
        r = run_cairn(fx->dir, NULL, args);
        if (r.status != 2)
            fail_msg("case %zu: status %d, stderr %s", i, r.status, r.err);
        run_result_free(&r);
    }
}

static void train_and_score(void **state)
{
    struct fixture *fx = *state;
    json_t *train, *list, *row, *per_unit;

    train = run_cairn_json(fx->dir,
                           ARGS("--db", fx->db, "model", "train", "forecast", "--as-of",
                                "2023-12-31", "--format", "json"),
                           0);
    assert_string_equal(json_string_value(json_object_get(train, "model")), "forecast");
    assert_string_equal(json_string_value(json_object_get(train, "last_month")), "2023-12");
    /* The company, HQ and four teams; T4 has two months, too few. */
    assert_int_equal(json_integer_value(json_object_get(train, "units")), 6);
    assert_int_equal(json_integer_value(json_object_get(train, "fitted")), 5);
    per_unit = json_object_get(train, "per_unit");
    assert_int_equal(json_array_size(per_unit), 5);
    json_decref(train);

    list = run_cairn_json(fx->dir,
                          ARGS("--db", fx->db, "model", "score", "forecast", "--as-of",
                               "2023-12-31", "--format", "json"),
                          0);
    assert_int_equal(json_array_size(list), 5);
    /* Sorted by unit id in byte order. */
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "subject")),
                        "HQ");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 4), "subject")),
                        "company");
    assert_null(find_subject(list, "T4"));

    /* T1: 1,000.00 every month once refunds, cancellations and the
     * time zone are counted as the sales metric counts them. */
    row = find_subject(list, "T1");
    assert_non_null(row);
    assert_string_equal(json_string_value(json_object_get(row, "month")), "2024-01");
    assert_true(json_is_integer(json_object_get(row, "forecast")));
    assert_int_equal(json_integer_value(json_object_get(row, "forecast")), 1000);
    assert_int_equal(json_integer_value(json_object_get(row, "lower")), 1000);
    assert_int_equal(json_integer_value(json_object_get(row, "upper")), 1000);
    assert_int_equal(json_integer_value(json_object_get(row, "trend")), 0);
    assert_true(json_is_false(json_object_get(row, "turning")));

    /* T2: a straight line continues to 13,000.00, 1,000.00 a month. */
    row = find_subject(list, "T2");
    assert_non_null(row);
    assert_float_equal(number(row, "forecast"), 13000, 1e-9);
    assert_float_equal(number(row, "lower"), 13000, 1e-9);
    assert_float_equal(number(row, "upper"), 13000, 1e-9);
    assert_float_equal(number(row, "trend"), 1000, 1e-9);
    assert_true(json_is_false(json_object_get(row, "turning")));

    /* T3: growth turns to decline in December. */
    row = find_subject(list, "T3");
    assert_non_null(row);
    assert_true(json_is_true(json_object_get(row, "turning")));
    assert_true(number(row, "trend") < 0);
    assert_true(number(row, "forecast") < 19900);
    assert_true(number(row, "lower") <= number(row, "forecast"));
    assert_true(number(row, "upper") >= number(row, "forecast"));

    /* The company is its one root unit. */
    assert_float_equal(number(find_subject(list, "company"), "forecast"),
                       number(find_subject(list, "HQ"), "forecast"), 1e-9);
    json_decref(list);
}

static void stored_row(void **state)
{
    struct fixture *fx = *state;
    struct run_result r = run_cairn(
        fx->dir, NULL, ARGS("--db", fx->db, "model", "train", "forecast", "--as-of", "2023-12-31"));
    sqlite3 *db;
    sqlite3_stmt *st;

    assert_int_equal(r.status, 0);
    run_result_free(&r);
    assert_int_equal(sqlite3_open_v2(fx->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT learner, as_of, evaluation IS NOT NULL FROM models"
                                        " WHERE name = 'forecast'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "exponential_smoothing");
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "2023-12-31");
    assert_int_equal(sqlite3_column_int(st, 2), 1);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void default_as_of_drops_partial_month(void **state)
{
    /* The latest order is on 2023-12-20, so December is not whole: the
     * models are fitted up to November and forecast December. */
    struct fixture *fx = *state;
    json_t *train, *list, *row;

    train = run_cairn_json(
        fx->dir, ARGS("--db", fx->db, "model", "train", "forecast", "--format", "json"), 0);
    assert_string_equal(json_string_value(json_object_get(train, "as_of")), "2023-12-20");
    assert_string_equal(json_string_value(json_object_get(train, "last_month")), "2023-11");
    /* T4 has one whole month. */
    assert_int_equal(json_integer_value(json_object_get(train, "fitted")), 5);
    json_decref(train);

    list = run_cairn_json(
        fx->dir, ARGS("--db", fx->db, "model", "score", "forecast", "--format", "json"), 0);
    row = find_subject(list, "T2");
    assert_non_null(row);
    assert_string_equal(json_string_value(json_object_get(row, "month")), "2023-12");
    assert_float_equal(number(row, "forecast"), 12000, 1e-9);
    json_decref(list);
}

/* The orders end on 2023-12-20. As of a later day, January and February
 * 2024 have no orders yet, so the series still ends in December (the
 * latest order's month, counted because the as-of day is after its end)
 * and every unit keeps the forecast it has as of 2023-12-31. */
static void months_after_last_order(void **state)
{
    static const char *const later[] = {"2024-02-29", "2030-01-01"};
    struct fixture *fx = *state;
    json_t *expected, *list;
    struct run_result r;

    r = run_cairn(fx->dir, NULL,
                  ARGS("--db", fx->db, "model", "train", "forecast", "--as-of", "2023-12-31"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    expected = run_cairn_json(fx->dir,
                              ARGS("--db", fx->db, "model", "score", "forecast", "--as-of",
                                   "2023-12-31", "--format", "json"),
                              0);
    assert_int_equal(json_array_size(expected), 5);

    for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
        list = run_cairn_json(fx->dir,
                              ARGS("--db", fx->db, "model", "score", "forecast", "--as-of",
                                   later[i], "--format", "json"),
                              0);
        if (!json_equal(list, expected))
            fail_msg("as of %s the forecast differs from that as of 2023-12-31", later[i]);
        assert_string_equal(
            json_string_value(json_object_get(find_subject(list, "T2"), "month")), "2024-01");
        assert_true(json_is_true(json_object_get(find_subject(list, "T3"), "turning")));
        json_decref(list);

        r = run_cairn(fx->dir, NULL,
                      ARGS("--db", fx->db, "--lang", "en", "model", "score", "forecast",
                           "--as-of", later[i]));
        assert_int_equal(r.status, 0);
        assert_non_null(strstr(r.err, "the latest order is dated 2023-12-20"));
        assert_non_null(strstr(r.err, "the forecast is of 2024-01"));
        run_result_free(&r);
    }

    /* As of the series' own end there is nothing to note. */
    r = run_cairn(fx->dir, NULL,
                  ARGS("--db", fx->db, "model", "score", "forecast", "--as-of", "2023-12-31"));
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    run_result_free(&r);
    json_decref(expected);
}

/* A team T5 joins whose sales fall in a straight line, 11,500.00 in
 * January 2023 down to 500.00 in December. Damped Holt fits the line
 * exactly (phi 1) and would forecast -500.00 for January 2024, but no
 * month was below zero, so the forecast and both ends are 0 and only the
 * trend, -1,000.00 a month, shows the fall. */
static void forecast_never_below_zero(void **state)
{
    struct fixture *fx = *state;
    char *data = path_join(fx->dir, "falling");
    char orders[2048];
    size_t len = 0;
    json_t *list, *row;
    size_t i;
    struct run_result r;

    free(write_file(data, "org_units.csv",
                    "unit_id,name,parent_id,kind,manager_id\nT5,五组,HQ,team,\n"));
    free(write_file(data, "employees.csv",
                    "employee_id,name,unit_id,position,employment_type,hire_date\n"
                    "S5,销售五,T5,sales,full_time,2022-01-01\n"));
    len += (size_t)snprintf(orders, sizeof(orders),
                            "order_id,order_date,customer_id,employee_id,amount,product,status\n");
    for (int k = 0; k < 12; k++)
        len += (size_t)snprintf(orders + len, sizeof(orders) - len,
                                "E%02d,2023-%02d-10,,S5,%d.00,,completed\n", k + 1, k + 1,
                                11500 - 1000 * k);
    free(write_file(data, "orders.csv", orders));
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "import", data));
    if (r.status != 0)
        fail_msg("import failed: %s", r.err);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL,
                  ARGS("--db", fx->db, "model", "train", "forecast", "--as-of", "2023-12-31"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);

    list = run_cairn_json(fx->dir,
                          ARGS("--db", fx->db, "model", "score", "forecast", "--as-of",
                               "2023-12-31", "--format", "json"),
                          0);
    row = find_subject(list, "T5");
    assert_non_null(row);
    assert_float_equal(number(row, "forecast"), 0, 1e-9);
    assert_float_equal(number(row, "lower"), 0, 1e-9);
    assert_float_equal(number(row, "upper"), 0, 1e-9);
    assert_float_equal(number(row, "trend"), -1000, 1e-9);
    json_array_foreach(list, i, row)
    {
        assert_true(number(row, "forecast") >= 0);
        assert_true(number(row, "lower") >= 0);
    }
    json_decref(list);
    free(data);
}

static void csv_and_table(void **state)
{
    struct fixture *fx = *state;
    struct run_result r;

    r = run_cairn(fx->dir, NULL,
                  ARGS("--db", fx->db, "model", "train", "forecast", "--as-of", "2023-12-31"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);

    r = run_cairn(fx->dir, NULL,
                  ARGS("--db", fx->db, "model", "score", "forecast", "--as-of", "2023-12-31",
                       "--format", "csv"));
    assert_int_equal(r.status, 0);
    assert_true(!strncmp(r.out, "subject,month,forecast,lower,upper,trend,turning\n", 49));
    assert_non_null(strstr(r.out, "\nT1,2024-01,1000.00,1000.00,1000.00,0.00,0\n"));
    assert_non_null(strstr(r.out, "\nT2,2024-01,13000.00,13000.00,13000.00,1000.00,0\n"));
    assert_null(strstr(r.out, "\nT4,"));
    run_result_free(&r);

    r = run_cairn(fx->dir, NULL,
                  ARGS("--db", fx->db, "--lang", "en", "model", "score", "forecast", "--as-of",
                       "2023-12-31"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "forecast"));
    assert_non_null(strstr(r.out, "13000.00"));
    run_result_free(&r);
}

static void empty_database(void **state)
{
    struct fixture *fx = *state;
    char *db = path_join(fx->dir, "empty.db");
    struct run_result r = run_cairn(fx->dir, NULL, ARGS("--db", db, "init"));

    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL, ARGS("--db", db, "model", "train", "forecast"));
    assert_int_equal(r.status, 1);
    assert_true(strlen(r.err) > 0);
    run_result_free(&r);
    free(db);
}

/* The demo company (small, seed 1) ends on 2026-11-30 with 35 months of
 * sales, so the seasonal models are candidates and December 2026 is
 * forecast for each of its 15 units and the company. */
static void demo_company(void **state)
{
    struct fixture *fx = *state;
    char *db = path_join(fx->dir, "demo.db");
    struct run_result r = run_cairn(fx->dir, NULL, ARGS("--db", db, "demo", "--no-serve"));
    json_t *train, *list, *row;
    size_t i;

    assert_int_equal(r.status, 0);
    run_result_free(&r);
    train = run_cairn_json(fx->dir,
                           ARGS("--db", db, "model", "train", "forecast", "--format", "json"), 0);
    assert_string_equal(json_string_value(json_object_get(train, "last_month")), "2026-11");
    assert_int_equal(json_integer_value(json_object_get(train, "fitted")), 16);
    /* Eleven back-test months per unit: 35 months less 24 of history. */
    assert_int_equal(json_integer_value(json_object_get(train, "forecasts")), 16 * 11);
    json_decref(train);

    list = run_cairn_json(fx->dir,
                          ARGS("--db", db, "model", "score", "forecast", "--format", "json"), 0);
    assert_int_equal(json_array_size(list), 16);
    json_array_foreach(list, i, row)
    {
        double f = number(row, "forecast");

        assert_string_equal(json_string_value(json_object_get(row, "month")), "2026-12");
        assert_true(number(row, "lower") <= f);
        assert_true(number(row, "upper") >= f);
        assert_true(f > 0);
        /* Money in yuan, to the fen. */
        assert_float_equal(f * 100, round(f * 100), 1e-6);
    }

    /* HZ03's planted November slump (60,000.00 per rep against about
     * twice that before) pulls its trend below zero. */
    row = find_subject(list, "HZ03");
    assert_non_null(row);
    assert_true(number(row, "trend") < 0);
    json_decref(list);
    free(db);
}

/* The Chinese superstore sample: 48 months of orders (2014 to 2017) of a
 * company with six regions. The seasonal models are candidates, and at
 * company level the chosen model must beat the seasonal naive forecast
 * in the back-test of 2017 (69,489.90 against 94,602.23 yuan when this
 * test was written). */
static void superstore_backtest(void **state)
{
    struct fixture *fx = *state;
    char *db = path_join(fx->dir, "superstore.db");
    struct run_result r = run_cairn(fx->dir, NULL, ARGS("--db", db, "init"));
    json_t *train, *company, *online;

    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(fx->dir, NULL,
                  ARGS("--db", db, "import", CAIRN_SHARED_DATA "/cn-superstore/示例 - 超市.xls",
                       "--map", CAIRN_SOURCE_DIR "/examples/cn-superstore.map.json"));
    if (r.status != 0)
        fail_msg("import failed: %s", r.err);
    run_result_free(&r);

    train = run_cairn_json(
        fx->dir,
        ARGS("--db", db, "model", "train", "forecast", "--as-of", "2017-12-31", "--format", "json"),
        0);
    assert_int_equal(json_integer_value(json_object_get(train, "fitted")), 8);
    assert_int_equal(json_integer_value(json_object_get(train, "forecasts")), 8 * 12);
    company = find_by_key(json_object_get(train, "per_unit"), "unit", "company");
    assert_non_null(company);
    assert_int_equal(json_integer_value(json_object_get(company, "months")), 48);
    assert_string_equal(json_string_value(json_object_get(company, "baseline")), "seasonal_naive");
    assert_true(number(company, "mae") < 0.8 * number(company, "baseline_mae"));
    assert_true(number(company, "mape") < number(company, "baseline_mape"));
    online = json_object_get(train, "online");
    assert_true(number(online, "mae") < number(online, "baseline_mae"));
    json_decref(train);
    free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(score_before_training, setup, teardown),
        cmocka_unit_test_setup_teardown(usage_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(train_and_score, setup, teardown),
        cmocka_unit_test_setup_teardown(stored_row, setup, teardown),
        cmocka_unit_test_setup_teardown(default_as_of_drops_partial_month, setup, teardown),
        cmocka_unit_test_setup_teardown(months_after_last_order, setup, teardown),
        cmocka_unit_test_setup_teardown(forecast_never_below_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(csv_and_table, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_database, setup, teardown),
        cmocka_unit_test_setup_teardown(demo_company, setup, teardown),
        cmocka_unit_test_setup_teardown(superstore_backtest, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
