/*
 * End-to-end tests of "cairn alerts" on the demo company: generated with
 * "cairn demo --out", imported with "cairn import" and evaluated as of
 * its end date 2026-11-30. The expected warnings are the planted stories
 * of the demo (its documentation lists them with their figures), and
 * none of the near misses planted next to them may fire. Also the scope
 * filter, the table for people, "alerts run" on the demo and the sales
 * explanation summing to the fen.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

struct fixture {
    char *dir;
    char *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char *data;
    struct run_result r;

    f->dir = make_temp_dir();
    data = path_join(f->dir, "data");
    f->db = path_join(f->dir, "demo.db");
    r = run_cairn(NULL, NULL, ARGS("demo", "--out", data));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(NULL, NULL, ARGS("--db", f->db, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(NULL, NULL, ARGS("--db", f->db, "import", data));
    if (r.status)
        fprintf(stderr, "import failed: %s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    free(data);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    remove_tree(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

/* One expected warning: figures as compact JSON with numbers compared by
 * value (to 1e-12 relative), so 0.0 and 0 are the same. */
struct expected {
    const char *rule, *scope, *period, *subject, *owner, *figures;
};

static const struct expected planted[] = {
    {"new_customers_falling", "unit:HZ01", "2026-11", "HZ01", "E00001",
     "{\"new_customers\": [6, 5, 4, 3]}"},
    {"team_risk", "unit:GZ01", "2026-11", "GZ01", "E00035",
     /* 2 leavers / ((10 + 8) / 2) = 2/9; satisfaction 7.6 -> 7.23125 */
     "{\"attrition_rate\": [0.0, 0.2222222222222222], \"employee_satisfaction\": [7.6, 7.23125]}"},
    {"labor_cost_high", "unit:HZ03", "2026-11", "HZ03", "E00013",
     /* (19,800 + 4 x 12,360) / 240,000 */
     "{\"labor_cost_ratio\": 0.2885, \"labor_cost\": 69240, \"sales\": 240000}"},
    {"below_minimum", "employee:E00002", "2026-11", "E00002", "E00001",
     "{\"sales\": [42300, 38750.5, 31200], \"minimum\": 50000}"},
    {"top_performer_at_risk", "employee:E00008", "2026-11", "E00008", "E00007",
     "{\"sales_12m\": 5250355.32, \"satisfaction\": 6.4}"},
    {"customer_at_risk", "employee:E00009", "2026-11-30", "C000001", "E00009",
     "{\"last_purchase\": \"2026-06-02\", \"days_since\": 181, \"csat\": 5.5}"},
    {"customer_at_risk", "employee:E00025", "2026-11-30", "C000002", "E00025",
     "{\"last_purchase\": \"2026-02-14\", \"days_since\": 289, \"csat\": 6.5}"},
    {"training_overdue", "employee:E00007", "2026-11-30", "E00007/C06/2026-10-10", "E00072",
     "{\"due_date\": \"2026-11-10\", \"days_overdue\": 20}"},
    {"training_overdue", "employee:E00020", "2026-11-30", "E00020/C05/2026-09-15", "E00018",
     "{\"due_date\": \"2026-10-31\", \"days_overdue\": 30}"},
};
#define NPLANTED (sizeof(planted) / sizeof(planted[0]))

static void check_json_equal(const char *what, json_t *got, json_t *want)
{
    if (json_is_number(want)) {
        double g = json_number_value(got), w = json_number_value(want);

        if (!json_is_number(got) || fabs(g - w) > 1e-12 * fmax(1.0, fabs(w)))
            fail_msg("%s: expected %.15g, got %.15g", what, w, g);
        return;
    }
    if (json_is_array(want)) {
        assert_true(json_is_array(got));
        assert_int_equal(json_array_size(got), json_array_size(want));
        for (size_t i = 0; i < json_array_size(want); i++)
            check_json_equal(what, json_array_get(got, i), json_array_get(want, i));
        return;
    }
    if (json_is_object(want)) {
        const char *key;
        json_t *value;

        assert_true(json_is_object(got));
        assert_int_equal(json_object_size(got), json_object_size(want));
        json_object_foreach(want, key, value) {
            json_t *g = json_object_get(got, key);

            if (!g)
                fail_msg("%s: figure %s is missing", what, key);
            check_json_equal(key, g, value);
        }
        return;
    }
    assert_true(json_equal(got, want));
}

static void check_alert(json_t *got, const struct expected *e)
{
    json_t *want = json_loads(e->figures, 0, NULL);
    json_t *owner = json_object_get(got, "owner");

    assert_non_null(want);
    assert_string_equal(json_string_value(json_object_get(got, "rule")), e->rule);
    assert_string_equal(json_string_value(json_object_get(got, "scope")), e->scope);
    assert_string_equal(json_string_value(json_object_get(got, "period")), e->period);
    assert_string_equal(json_string_value(json_object_get(got, "subject")), e->subject);
    if (e->owner)
        assert_string_equal(json_string_value(owner), e->owner);
    else
        assert_true(json_is_null(owner));
    check_json_equal(e->subject, json_object_get(got, "figures"), want);
    json_decref(want);
}

static json_t *alerts(const char *db, const char *scope)
{
    return run_cairn_json(NULL,
                          ARGS("--db", db, "alerts", "--as-of", "2026-11-30", "--scope", scope,
                               "--format", "json"),
                          0);
}

static void demo_raises_planted_warnings(void **state)
{
    struct fixture *f = *state;
    json_t *list = alerts(f->db, "company");

    assert_true(json_is_array(list));
    assert_int_equal(json_array_size(list), NPLANTED);
    for (size_t i = 0; i < NPLANTED && i < json_array_size(list); i++)
        check_alert(json_array_get(list, i), &planted[i]);
    json_decref(list);
}

/* The near misses: each subject must be absent from its rule. */
static void demo_near_misses_stay_quiet(void **state)
{
    static const char *const misses[][2] = {
        {"new_customers_falling", "SH01"},            /* fell only twice: 6, 5, 4, 4 */
        {"team_risk", "SZ01"},                        /* rise of 4.88 points */
        {"labor_cost_high", "SH03"},                  /* exactly 25 % */
        {"below_minimum", "E00019"},                  /* exactly 50,000.00 in October */
        {"top_performer_at_risk", "E00025"},          /* satisfaction exactly 7.00 */
        {"customer_at_risk", "C000003"},              /* silent exactly 180 days */
        {"customer_at_risk", "C000004"},              /* CSAT exactly 7.00 */
        {"training_overdue", "E00027/C05/2026-10-20"}, /* completed on its due date */
        {"training_overdue", "E00003/C05/2026-11-01"}, /* due on the as-of date */
        {"training_overdue", "E00036/C05/2026-10-08"}, /* the employee has left */
    };
    struct fixture *f = *state;
    json_t *list = alerts(f->db, "company");

    for (size_t m = 0; m < sizeof(misses) / sizeof(misses[0]); m++) {
        for (size_t i = 0; i < json_array_size(list); i++) {
            json_t *a = json_array_get(list, i);

            if (!strcmp(json_string_value(json_object_get(a, "rule")), misses[m][0]) &&
                !strcmp(json_string_value(json_object_get(a, "subject")), misses[m][1]))
                fail_msg("near miss %s %s fired", misses[m][0], misses[m][1]);
        }
    }
    json_decref(list);
}

/* HZ01 holds its own warning and E00002's; a rep sees only its own. */
static void demo_scope_filters_warnings(void **state)
{
    struct fixture *f = *state;
    json_t *team = alerts(f->db, "unit:HZ01");
    json_t *city = alerts(f->db, "unit:HZ");
    json_t *rep = alerts(f->db, "employee:E00025");
    json_t *none = alerts(f->db, "employee:E00019");

    assert_int_equal(json_array_size(team), 2);
    check_alert(json_array_get(team, 0), &planted[0]);
    check_alert(json_array_get(team, 1), &planted[3]);

    /* HZ: HZ01, HZ03, E00002 (HZ01), E00008, E00009 and E00007 (HZ02). */
    assert_int_equal(json_array_size(city), 6);
    check_alert(json_array_get(city, 0), &planted[0]);
    check_alert(json_array_get(city, 1), &planted[2]);
    check_alert(json_array_get(city, 2), &planted[3]);
    check_alert(json_array_get(city, 3), &planted[4]);
    check_alert(json_array_get(city, 4), &planted[5]);
    check_alert(json_array_get(city, 5), &planted[7]);

    assert_int_equal(json_array_size(rep), 1);
    check_alert(json_array_get(rep, 0), &planted[6]);
    assert_int_equal(json_array_size(none), 0);
    json_decref(team);
    json_decref(city);
    json_decref(rep);
    json_decref(none);
}

static void demo_scope_errors(void **state)
{
    struct fixture *f = *state;
    struct run_result bad = run_cairn(NULL, NULL,
                                      ARGS("--db", f->db, "alerts", "--as-of", "2026-11-30",
                                           "--scope", "team:HZ01"));
    struct run_result unknown = run_cairn(NULL, NULL,
                                          ARGS("--db", f->db, "alerts", "--as-of", "2026-11-30",
                                               "--scope", "unit:NOPE"));
    struct run_result date = run_cairn(NULL, NULL,
                                       ARGS("--db", f->db, "alerts", "--as-of", "2026-11-31"));

    assert_int_equal(bad.status, 2);
    assert_int_equal(unknown.status, 1);
    assert_non_null(strstr(unknown.err, "NOPE"));
    assert_int_equal(date.status, 2);
    run_result_free(&bad);
    run_result_free(&unknown);
    run_result_free(&date);
}

static void demo_table_in_english_and_chinese(void **state)
{
    struct fixture *f = *state;
    struct run_result en = run_cairn(NULL, NULL,
                                     ARGS("--db", f->db, "--lang", "en", "alerts", "--as-of",
                                          "2026-11-30"));
    struct run_result zh = run_cairn(NULL, NULL,
                                     ARGS("--db", f->db, "--lang", "zh-CN", "alerts", "--as-of",
                                          "2026-11-30"));

    assert_int_equal(en.status, 0);
    assert_non_null(strstr(en.out, "Warnings as of 2026-11-30: 9"));
    assert_non_null(strstr(en.out, "labor cost ratio: 28.85%"));
    assert_non_null(strstr(en.out, "sales: 42,300.00 \xe2\x86\x92 38,750.50 \xe2\x86\x92 31,200.00"));
    assert_non_null(strstr(en.out, "sales in 12 months: 5,250,355.32"));
    assert_int_equal(zh.status, 0);
    assert_non_null(strstr(zh.out, "人力成本率过高"));
    assert_non_null(strstr(zh.out, "人力成本率: 28.85%"));
    assert_non_null(strstr(zh.out, "客户流失风险"));
    run_result_free(&en);
    run_result_free(&zh);
}

/* Recording on the demo: nine new warnings, then the same nine held. */
static void demo_run_records_once(void **state)
{
    struct fixture *f = *state;
    json_t *first = run_cairn_json(NULL,
                                   ARGS("--db", f->db, "alerts", "run", "--as-of", "2026-11-30",
                                        "--format", "json"),
                                   0);
    json_t *again = run_cairn_json(NULL,
                                   ARGS("--db", f->db, "alerts", "run", "--as-of", "2026-11-30",
                                        "--format", "json"),
                                   0);

    assert_int_equal(json_integer_value(json_object_get(first, "new")), 9);
    assert_int_equal(json_integer_value(json_object_get(first, "held")), 0);
    assert_int_equal(json_integer_value(json_object_get(first, "resolved")), 0);
    assert_int_equal(json_integer_value(json_object_get(again, "new")), 0);
    assert_int_equal(json_integer_value(json_object_get(again, "held")), 9);
    assert_int_equal(json_integer_value(json_object_get(again, "resolved")), 0);
    json_decref(first);
    json_decref(again);
}

static long long fen(json_t *v)
{
    assert_true(json_is_number(v));
    return llround(json_number_value(v) * 100.0);
}

/* Every split of every explanation sums to the change to the fen, and
 * from and to are the sales `cairn kpi` reports. */
static void demo_explain_sums_exactly(void **state)
{
    static const char *const scopes[] = {"company", "unit:R1", "unit:HZ", "unit:HZ01",
                                         "unit:GZ01", "employee:E00008"};
    static const char *const periods[][2] = {
        {"2026-11", "2026-10"}, {"2026-Q3", "2025-Q3"}, {"2026", "2025"}, {"2025-02", "2026-02"}};
    static const char *const splits[] = {"headcount", "customers", "units"};
    struct fixture *f = *state;

    for (size_t s = 0; s < sizeof(scopes) / sizeof(scopes[0]); s++) {
        for (size_t p = 0; p < sizeof(periods) / sizeof(periods[0]); p++) {
            json_t *e = run_cairn_json(NULL,
                                       ARGS("--db", f->db, "explain", "sales", "--period",
                                            periods[p][0], "--vs", periods[p][1], "--scope",
                                            scopes[s], "--as-of", "2026-11-30", "--format",
                                            "json"),
                                       0);
            json_t *to = run_cairn_json(NULL,
                                        ARGS("--db", f->db, "kpi", "--period", periods[p][0],
                                             "--scope", scopes[s], "--metrics", "sales",
                                             "--as-of", "2026-11-30", "--format", "json"),
                                        0);
            json_t *from = run_cairn_json(NULL,
                                          ARGS("--db", f->db, "kpi", "--period", periods[p][1],
                                               "--scope", scopes[s], "--metrics", "sales",
                                               "--as-of", "2026-11-30", "--format", "json"),
                                          0);
            long long change = fen(json_object_get(e, "change"));

            assert_int_equal(fen(json_object_get(e, "to")),
                             fen(json_object_get(json_object_get(to, "metrics"), "sales")));
            assert_int_equal(fen(json_object_get(e, "from")),
                             fen(json_object_get(json_object_get(from, "metrics"), "sales")));
            assert_int_equal(change,
                             fen(json_object_get(e, "to")) - fen(json_object_get(e, "from")));
            for (size_t k = 0; k < 3; k++) {
                json_t *parts = json_object_get(json_object_get(e, "splits"), splits[k]);
                long long sum = 0;

                assert_true(json_array_size(parts) >= 1);
                for (size_t i = 0; i < json_array_size(parts); i++)
                    sum += fen(json_object_get(json_array_get(parts, i), "value"));
                if (sum != change)
                    fail_msg("%s %s vs %s, split %s: parts sum to %lld fen, change %lld",
                             scopes[s], periods[p][0], periods[p][1], splits[k], sum, change);
            }
            json_decref(e);
            json_decref(to);
            json_decref(from);
        }
    }
}

/* The medium company: the warnings equal the manifest the generator
 * writes with --stories (its owners differ from the small company's where
 * a hand-over goes to a background teammate). */
static void demo_medium_matches_manifest(void **state)
{
    struct fixture *f = *state;
    char *data = path_join(f->dir, "medium");
    char *db = path_join(f->dir, "medium.db");
    char *stories = path_join(f->dir, "medium-stories.json");
    json_t *manifest, *expected, *list;
    struct run_result r;

    r = run_cairn(NULL, NULL, ARGS("demo", "--out", data, "--size", "medium", "--stories", stories));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(NULL, NULL, ARGS("--db", db, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(NULL, NULL, ARGS("--db", db, "import", data));
    assert_int_equal(r.status, 0);
    run_result_free(&r);

    manifest = json_load_file(stories, 0, NULL);
    assert_non_null(manifest);
    expected = json_object_get(manifest, "alerts");
    list = run_cairn_json(NULL,
                          ARGS("--db", db, "alerts", "--as-of", "2026-11-30", "--format", "json"),
                          0);
    assert_int_equal(json_array_size(list), json_array_size(expected));
    for (size_t i = 0; i < json_array_size(expected) && i < json_array_size(list); i++) {
        json_t *want = json_array_get(expected, i), *got = json_array_get(list, i);
        const char *subject = json_string_value(json_object_get(want, "subject"));

        assert_string_equal(json_string_value(json_object_get(got, "rule")),
                            json_string_value(json_object_get(want, "rule")));
        assert_string_equal(json_string_value(json_object_get(got, "scope")),
                            json_string_value(json_object_get(want, "scope")));
        assert_string_equal(json_string_value(json_object_get(got, "subject")), subject);
        assert_true(json_equal(json_object_get(got, "owner"), json_object_get(want, "owner")));
        check_json_equal(subject, json_object_get(got, "figures"),
                         json_object_get(want, "figures"));
    }
    json_decref(manifest);
    json_decref(list);
    free(data);
    free(db);
    free(stories);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(demo_raises_planted_warnings),
        cmocka_unit_test(demo_near_misses_stay_quiet),
        cmocka_unit_test(demo_scope_filters_warnings),
        cmocka_unit_test(demo_scope_errors),
        cmocka_unit_test(demo_table_in_english_and_chinese),
        cmocka_unit_test(demo_run_records_once),
        cmocka_unit_test(demo_explain_sums_exactly),
        cmocka_unit_test(demo_medium_matches_manifest),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
