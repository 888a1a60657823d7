/*
 * "cairn alerts --models" on the demo company (small, seed 1) as of
 * 2026-11-30. The model warnings follow the rules' warnings, which stay
 * byte for byte what "cairn alerts" prints with or without a stored
 * model. attrition_risk_high names the ceil(n / 10) riskiest of the n
 * employees employed on that day, n counted here from employees.csv.
 * churn_risk_high names the ceil(n / 10) riskiest of the n customers
 * with a completed purchase in the 365 days up to it, counted from
 * orders.csv.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define AS_OF "2026-11-30"

struct demo {
    char *dir, *data, *db;
    long employed;          /* on AS_OF */
    long buyers;            /* customers with a purchase in (AS_OF - 365, AS_OF] */
    char *manager[400][2];  /* employee id, manager id (NULL when none) */
    size_t nemployees;
    char *rules_json, *rules_table; /* "cairn alerts" before any model is stored */
};

static struct demo demo;

/* Reads employees.csv (no quoted fields): hire_date is field 5,
 * leave_date field 6 and manager_id field 8. ISO dates compare as
 * strings; an employee is employed on a day after its hire and before
 * its leave date. */
static void read_employees(const char *path)
{
    char line[1024];
    FILE *f = fopen(path, "r");
    bool header = true;

    assert_non_null(f);
    while (fgets(line, sizeof(line), f)) {
        char *field[9] = {0}, *p = line;

        line[strcspn(line, "\r\n")] = '\0';
        if (header) {
            header = false;
            continue;
        }
        for (int i = 0; i < 9 && p; i++) {
            field[i] = p;
            p = strchr(p, ',');
            if (p)
                *p++ = '\0';
        }
        assert_non_null(field[8]);
        assert_true(demo.nemployees < 400);
        demo.manager[demo.nemployees][0] = strdup(field[0]);
        demo.manager[demo.nemployees][1] = *field[8] ? strdup(field[8]) : NULL;
        demo.nemployees++;
        if (strcmp(field[5], AS_OF) <= 0 && (!*field[6] || strcmp(field[6], AS_OF) > 0))
            demo.employed++;
    }
    fclose(f);
}

/* Counts the distinct customers of orders.csv (no quoted fields) with a
 * completed order of a positive amount from 2025-12-01 to AS_OF. The
 * file lists each customer's orders by date, not by customer, so the
 * ids seen are kept. */
static void count_buyers(const char *path)
{
    static char seen[20000][16];
    size_t nseen = 0;
    char line[1024];
    FILE *f = fopen(path, "r");
    bool header = true;

    assert_non_null(f);
    while (fgets(line, sizeof(line), f)) {
        char *field[7] = {0}, *p = line;
        bool known = false;

        line[strcspn(line, "\r\n")] = '\0';
        if (header) {
            header = false;
            continue;
        }
        for (int i = 0; i < 7 && p; i++) {
            field[i] = p;
            p = strchr(p, ',');
            if (p)
                *p++ = '\0';
        }
        assert_non_null(field[6]);
        if (strcmp(field[6], "completed") || atof(field[4]) <= 0 ||
            strcmp(field[1], "2025-11-30") <= 0 || strcmp(field[1], AS_OF) > 0)
            continue;
        for (size_t i = 0; i < nseen && !known; i++)
            known = !strcmp(seen[i], field[2]);
        if (known)
            continue;
        assert_true(nseen < 20000 && strlen(field[2]) < 16);
        strcpy(seen[nseen++], field[2]);
    }
    fclose(f);
    demo.buyers = (long)nseen;
}

static const char *manager_of(const char *id)
{
    for (size_t i = 0; i < demo.nemployees; i++)
        if (!strcmp(demo.manager[i][0], id))
            return demo.manager[i][1];
    fail_msg("employee %s is not in employees.csv", id);
    return NULL;
}

static struct run_result alerts(const char *const *extra)
{
    const char *args[16] = {"--db", demo.db, "--lang", "en", "alerts", "--as-of", AS_OF};
    size_t n = 7;

    for (size_t i = 0; extra[i]; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    return run_cairn(demo.dir, NULL, args);
}

static char *alerts_out(const char *const *extra)
{
    struct run_result r = alerts(extra);
    char *out;

    if (r.status != 0)
        fail_msg("cairn alerts failed: %s", r.err);
    out = strdup(r.out);
    run_result_free(&r);
    return out;
}

static void train(const char *model)
{
    struct run_result r = run_cairn(demo.dir, NULL, ARGS("--db", demo.db, "model", "train", model));

    if (r.status != 0)
        fail_msg("training %s failed: %s", model, r.err);
    run_result_free(&r);
}

static int setup_demo(void **state)
{
    struct run_result r;
    char *employees;

    (void)state;
    demo.dir = make_temp_dir();
    demo.data = path_join(demo.dir, "demo");
    demo.db = path_join(demo.dir, "demo.db");
    r = run_cairn(demo.dir, NULL, ARGS("demo", "--out", demo.data));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(demo.dir, NULL, ARGS("--db", demo.db, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(demo.dir, NULL, ARGS("--db", demo.db, "import", demo.data));
    if (r.status != 0)
        fail_msg("import failed: %s", r.err);
    run_result_free(&r);
    employees = path_join(demo.data, "employees.csv");
    read_employees(employees);
    free(employees);
    employees = path_join(demo.data, "orders.csv");
    count_buyers(employees);
    free(employees);
    demo.rules_json = alerts_out(ARGS("--format", "json"));
    demo.rules_table = alerts_out(ARGS("--format", "table"));
    return 0;
}

static int teardown_demo(void **state)
{
    (void)state;
    remove_tree(demo.dir);
    free(demo.dir);
    free(demo.data);
    free(demo.db);
    free(demo.rules_json);
    free(demo.rules_table);
    for (size_t i = 0; i < demo.nemployees; i++) {
        free(demo.manager[i][0]);
        free(demo.manager[i][1]);
    }
    return 0;
}

static size_t count_rule(json_t *list, const char *rule)
{
    size_t i, n = 0;
    json_t *a;

    json_array_foreach(list, i, a)
        n += !strcmp(json_string_value(json_object_get(a, "rule")), rule);
    return n;
}

/* Fails on a factor "satisfaction fell from A to B" with A equal to B,
 * a fall too small to show with one decimal. */
static void assert_no_empty_fall(json_t *factors)
{
    size_t i;
    json_t *f;

    json_array_foreach(factors, i, f) {
        char from[16], to[16];

        if (sscanf(json_string_value(f), "satisfaction fell from %15s to %15s", from, to) == 2)
            assert_string_not_equal(from, to);
    }
}

/* Whether the first n objects of list print as rules (a JSON list). */
static void assert_prefix(json_t *list, json_t *rules)
{
    assert_true(json_array_size(list) >= json_array_size(rules));
    for (size_t i = 0; i < json_array_size(rules); i++)
        assert_true(json_equal(json_array_get(list, i), json_array_get(rules, i)));
}

static void without_models_nothing_added(void **state)
{
    char *out;

    (void)state;
    assert_int_equal(demo.employed > 0, 1);
    out = alerts_out(ARGS("--format", "json", "--models"));
    assert_string_equal(out, demo.rules_json);
    free(out);

    out = alerts_out(ARGS("--models"));
    assert_int_equal(strncmp(out, demo.rules_table, strlen(demo.rules_table)), 0);
    assert_non_null(strstr(out + strlen(demo.rules_table),
                           "Model warnings as of " AS_OF ": 0\n"));
    assert_non_null(strstr(out, "Skipped, no stored model: attrition, churn, forecast"));
    free(out);
}

static void attrition_top_tenth(void **state)
{
    json_t *rules, *list, *scores, *a;
    size_t k, i, first;
    char *out;

    (void)state;
    train("attrition");

    /* The rules' warnings are unchanged by the stored model. */
    out = alerts_out(ARGS("--format", "json"));
    assert_string_equal(out, demo.rules_json);
    free(out);
    out = alerts_out(ARGS("--format", "table"));
    assert_string_equal(out, demo.rules_table);
    free(out);

    /* --models: the same rows, then ceil(n / 10) attrition warnings. */
    rules = json_loads(demo.rules_json, 0, NULL);
    assert_non_null(rules);
    out = alerts_out(ARGS("--format", "json", "--models"));
    list = json_loads(out, 0, NULL);
    free(out);
    assert_non_null(list);
    assert_prefix(list, rules);
    k = (size_t)(demo.employed + 9) / 10;
    first = json_array_size(rules);
    assert_int_equal(count_rule(list, "attrition_risk_high"), k);
    assert_int_equal(json_array_size(list) - first,
                     k + count_rule(list, "churn_risk_high") + count_rule(list, "sales_turning"));

    /* They are the k highest of the model's scores, sorted by scope. */
    scores = run_cairn_json(demo.dir, ARGS("--db", demo.db, "--lang", "en", "model", "score",
                                           "attrition", "--as-of", AS_OF, "--format", "json"),
                            0);
    assert_int_equal(json_array_size(scores), demo.employed);
    for (i = 0; i < json_array_size(scores); i++)
        assert_no_empty_fall(json_object_get(json_array_get(scores, i), "factors"));
    for (i = first; i < first + k; i++) {
        const char *subject, *prev;
        json_t *figures;
        bool found = false;

        a = json_array_get(list, i);
        subject = json_string_value(json_object_get(a, "subject"));
        assert_string_equal(json_string_value(json_object_get(a, "rule")), "attrition_risk_high");
        assert_string_equal(json_string_value(json_object_get(a, "period")), "2026-11");
        assert_true(!strncmp(json_string_value(json_object_get(a, "scope")), "employee:", 9));
        assert_string_equal(json_string_value(json_object_get(a, "scope")) + 9, subject);
        if (manager_of(subject))
            assert_string_equal(json_string_value(json_object_get(a, "owner")),
                                manager_of(subject));
        else
            assert_true(json_is_null(json_object_get(a, "owner")));
        figures = json_object_get(a, "figures");
        assert_true(json_is_array(json_object_get(figures, "factors")));
        assert_true(json_array_size(json_object_get(figures, "factors")) <= 3);
        for (size_t s = 0; s < k; s++) {
            json_t *row = json_array_get(scores, s);

            if (strcmp(json_string_value(json_object_get(row, "subject")), subject))
                continue;
            found = true;
            assert_true(json_equal(json_object_get(row, "factors"),
                                   json_object_get(figures, "factors")));
        }
        assert_true(found);
        if (i > first) {
            prev = json_string_value(json_object_get(json_array_get(list, i - 1), "scope"));
            assert_true(strcmp(prev, json_string_value(json_object_get(a, "scope"))) < 0);
        }
    }

    /* The text output prints the rules' table unchanged, then the models. */
    out = alerts_out(ARGS("--models"));
    assert_int_equal(strncmp(out, demo.rules_table, strlen(demo.rules_table)), 0);
    assert_non_null(strstr(out, "High attrition risk (attrition_risk_high)"));
    assert_null(strstr(out, "Skipped, no stored model: attrition"));
    free(out);

    json_decref(scores);
    json_decref(list);
    json_decref(rules);
}

static void churn_top_tenth(void **state)
{
    json_t *rules, *list, *a;
    size_t i, k, first;
    char *out;

    (void)state;
    train("churn");

    out = alerts_out(ARGS("--format", "json"));
    assert_string_equal(out, demo.rules_json);
    free(out);

    rules = json_loads(demo.rules_json, 0, NULL);
    out = alerts_out(ARGS("--format", "json", "--models"));
    list = json_loads(out, 0, NULL);
    free(out);
    assert_non_null(list);
    assert_prefix(list, rules);
    assert_true(demo.buyers > 0);
    k = (size_t)(demo.buyers + 9) / 10;
    assert_int_equal(count_rule(list, "churn_risk_high"), k);
    assert_int_equal(count_rule(list, "attrition_risk_high"), (size_t)(demo.employed + 9) / 10);

    /* Scope, period and owner as customer_at_risk; after the attrition rows. */
    first = json_array_size(rules) + (size_t)(demo.employed + 9) / 10;
    for (i = first; i < first + k; i++) {
        const char *scope, *owner;
        json_t *figures;

        a = json_array_get(list, i);
        assert_string_equal(json_string_value(json_object_get(a, "rule")), "churn_risk_high");
        assert_string_equal(json_string_value(json_object_get(a, "period")), AS_OF);
        scope = json_string_value(json_object_get(a, "scope"));
        owner = json_string_value(json_object_get(a, "owner"));
        assert_true(!strcmp(scope, "company") || !strncmp(scope, "employee:", 9));
        if (owner)
            assert_string_equal(scope + 9, owner);
        figures = json_object_get(a, "figures");
        assert_true(json_number_value(json_object_get(figures, "probability")) > 0);
        assert_true(json_number_value(json_object_get(figures, "probability")) < 1);
        assert_true(json_is_array(json_object_get(figures, "factors")));
    }
    json_decref(list);
    json_decref(rules);
}

/* sales_turning names each unit whose forecast turns down, as "cairn
 * model score forecast" marks them; the root unit is the company. As of
 * 2026-03-31 the demo has such units (GZ, GZ01 and SH02 in seed 1). */
static void sales_turning_units(void **state)
{
    json_t *scores, *list, *a, *row;
    size_t i, turning = 0, found = 0;

    (void)state;
    train("forecast");
    scores = run_cairn_json(demo.dir, ARGS("--db", demo.db, "model", "score", "forecast",
                                           "--as-of", "2026-03-31", "--format", "json"),
                            0);
    list = run_cairn_json(demo.dir, ARGS("--db", demo.db, "alerts", "--as-of", "2026-03-31",
                                         "--models", "--format", "json"),
                          0);
    json_array_foreach(scores, i, row) {
        const char *subject = json_string_value(json_object_get(row, "subject"));
        size_t k;

        /* HQ, the single root, is reported only through its "company" row. */
        if (!json_is_true(json_object_get(row, "turning")) || !strcmp(subject, "HQ"))
            continue;
        turning++;
        json_array_foreach(list, k, a) {
            json_t *figures = json_object_get(a, "figures");

            if (strcmp(json_string_value(json_object_get(a, "rule")), "sales_turning") ||
                strcmp(json_string_value(json_object_get(a, "subject")), subject))
                continue;
            found++;
            assert_string_equal(json_string_value(json_object_get(a, "period")), "2026-03");
            assert_true(json_equal(json_object_get(figures, "forecast"),
                                   json_object_get(row, "forecast")));
            assert_true(json_equal(json_object_get(figures, "lower"), json_object_get(row, "lower")));
            assert_true(json_equal(json_object_get(figures, "upper"), json_object_get(row, "upper")));
            assert_true(json_number_value(json_object_get(figures, "trend")) < 0);
        }
    }
    assert_true(turning > 0);
    assert_int_equal(found, turning);
    assert_int_equal(count_rule(list, "sales_turning"), turning);
    json_decref(scores);
    json_decref(list);
}

/* The sales_turning warnings of list. */
static json_t *turning_rows(json_t *list)
{
    json_t *rows = json_array(), *a;
    size_t i;

    json_array_foreach(list, i, a)
        if (!strcmp(json_string_value(json_object_get(a, "rule")), "sales_turning"))
            json_array_append(rows, a);
    return rows;
}

/* The demo's orders end on 2026-11-30. As of a day in a later month,
 * the months without orders yet are not months without sales: the
 * forecast warnings are those of 2026-11, with that period, and the
 * forecast's turning units are the same. */
static void sales_turning_after_orders_end(void **state)
{
    static const char *const later[] = {"2026-12-31", "2027-02-15"};
    json_t *expected, *expected_rows, *list, *rows, *a;
    size_t i;

    (void)state;
    train("forecast");
    expected = run_cairn_json(demo.dir, ARGS("--db", demo.db, "alerts", "--as-of", AS_OF,
                                             "--models", "--format", "json"),
                              0);
    expected_rows = turning_rows(expected);
    json_array_foreach(expected_rows, i, a)
        assert_string_equal(json_string_value(json_object_get(a, "period")), "2026-11");

    for (size_t k = 0; k < sizeof(later) / sizeof(later[0]); k++) {
        list = run_cairn_json(demo.dir, ARGS("--db", demo.db, "alerts", "--as-of", later[k],
                                             "--models", "--format", "json"),
                              0);
        rows = turning_rows(list);
        if (!json_equal(rows, expected_rows))
            fail_msg("sales_turning as of %s differs from that as of " AS_OF, later[k]);
        json_decref(rows);
        json_decref(list);
    }
    json_decref(expected_rows);
    json_decref(expected);
}

/* A unit scope keeps the model warnings of the employees in it only. */
static void scope_filters_model_rows(void **state)
{
    json_t *all, *unit, *a;
    size_t i;
    char *out;
    const char *subject;

    (void)state;
    out = alerts_out(ARGS("--format", "json", "--models"));
    all = json_loads(out, 0, NULL);
    free(out);
    out = alerts_out(ARGS("--format", "json", "--models", "--scope", "employee:E00019"));
    unit = json_loads(out, 0, NULL);
    free(out);
    assert_non_null(all);
    assert_non_null(unit);
    json_array_foreach(unit, i, a)
        assert_string_equal(json_string_value(json_object_get(a, "scope")), "employee:E00019");
    subject = NULL;
    json_array_foreach(all, i, a)
        if (!strcmp(json_string_value(json_object_get(a, "rule")), "attrition_risk_high") &&
            !strcmp(json_string_value(json_object_get(a, "subject")), "E00019"))
            subject = "E00019";
    assert_int_equal(count_rule(unit, "attrition_risk_high"), subject ? 1 : 0);
    json_decref(all);
    json_decref(unit);
}

/* "alerts run" records the model warnings, and the next run keeps them open. */
static void run_records_model_warnings(void **state)
{
    json_t *first, *second, *list;
    size_t total;
    char *out;

    (void)state;
    out = alerts_out(ARGS("--format", "json", "--models"));
    list = json_loads(out, 0, NULL);
    free(out);
    total = json_array_size(list);
    first = run_cairn_json(demo.dir, ARGS("--db", demo.db, "alerts", "run", "--as-of", AS_OF,
                                          "--format", "json"),
                           0);
    assert_int_equal(json_integer_value(json_object_get(first, "new")), total);
    second = run_cairn_json(demo.dir, ARGS("--db", demo.db, "alerts", "run", "--as-of", AS_OF,
                                           "--format", "json"),
                            0);
    assert_int_equal(json_integer_value(json_object_get(second, "new")), 0);
    assert_int_equal(json_integer_value(json_object_get(second, "held")), total);
    assert_int_equal(json_integer_value(json_object_get(second, "resolved")), 0);

    /* The records show on the model rows; the rules' rows keep their order. */
    json_decref(list);
    out = alerts_out(ARGS("--format", "json", "--models"));
    list = json_loads(out, 0, NULL);
    free(out);
    assert_int_equal(json_array_size(list), total);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, total - 1),
                                                          "state")),
                        "new");
    json_decref(list);
    json_decref(first);
    json_decref(second);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_models_nothing_added),
        cmocka_unit_test(attrition_top_tenth),
        cmocka_unit_test(churn_top_tenth),
        cmocka_unit_test(sales_turning_units),
        cmocka_unit_test(sales_turning_after_orders_end),
        cmocka_unit_test(scope_filters_model_rows),
        cmocka_unit_test(run_records_model_warnings),
    };

    return cmocka_run_group_tests(tests, setup_demo, teardown_demo);
}
