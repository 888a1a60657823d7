/*
 * End-to-end tests of "cairn linkage" and GET /api/v1/linkage on the
 * medium demo company as of 2026-11-30. Every view has at least 8 points
 * with finite statistics and a statement in English and Chinese. Pearson
 * agrees with a recomputation from the printed points, and the points
 * agree with "cairn kpi". The turnover groups split repurchase_rate
 * exactly, a scope with too few teams gets no statistics, and the API
 * applies the caller's scope (403 outside it).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "server.h"
#include "support.h"

#define PASSWORD "secret-pass-1"
#define AS_OF    "2026-11-30"
#define PERIOD   "2026-10"

struct fixture {
    char *dir;
    char *db;
    struct test_server server;
};

static void run_ok(const char *const *args)
{
    struct run_result r = run_cairn(NULL, NULL, args);

    if (r.status)
        fprintf(stderr, "cairn failed: %s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char *data;

    f->dir = make_temp_dir();
    data = path_join(f->dir, "data");
    f->db = path_join(f->dir, "demo.db");
    run_ok(ARGS("demo", "--out", data, "--size", "medium"));
    run_ok(ARGS("--db", f->db, "init"));
    run_ok(ARGS("--db", f->db, "import", data));
    free(data);
    test_user_add(f->db, "boss", "gm", NULL, PASSWORD);
    test_user_add(f->db, "hz", "gm", "unit:HZ", PASSWORD);
    test_server_start(&f->server, f->db);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(test_server_stop(&f->server), 0);
    remove_tree(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

static json_t *linkage_json(const struct fixture *f, const char *lang, const char *view,
                            const char *scope)
{
    return run_cairn_json(NULL,
                          ARGS("--db", f->db, "--lang", lang, "linkage", view, "--period", PERIOD,
                               "--scope", scope, "--as-of", AS_OF, "--format", "json"),
                          0);
}

static double number(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);

    assert_true(json_is_number(v));
    return json_number_value(v);
}

static const char *text(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);

    assert_true(json_is_string(v));
    return json_string_value(v);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && !strcmp(s + n - m, suffix);
}

/* Pearson's r of the points, computed here from their x and y. */
static double pearson_of_points(const json_t *points)
{
    size_t n = json_array_size(points), i;
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    json_t *pt;

    json_array_foreach(points, i, pt)
    {
        mx += number(pt, "x") / (double)n;
        my += number(pt, "y") / (double)n;
    }
    json_array_foreach(points, i, pt)
    {
        double dx = number(pt, "x") - mx, dy = number(pt, "y") - my;

        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    return sxy / sqrt(sxx * syy);
}

/* Checks one correlation analysis: n >= 8 points, finite statistics, the
 * interval around r, and an English statement ending with the caution. */
static void check_analysis(const json_t *a)
{
    const json_t *points = json_object_get(a, "points"), *ci = json_object_get(a, "ci");
    double r = number(a, "pearson"), rho = number(a, "spearman"), p = number(a, "p_value");
    const char *strength = text(a, "strength");

    assert_true(json_integer_value(json_object_get(a, "n")) >= 8);
    assert_int_equal(json_integer_value(json_object_get(a, "n")), json_array_size(points));
    assert_true(isfinite(r) && fabs(r) <= 1.0);
    assert_true(isfinite(rho) && fabs(rho) <= 1.0);
    assert_true(isfinite(p) && p >= 0.0 && p <= 1.0);
    assert_int_equal(json_array_size(ci), 2);
    assert_true(json_number_value(json_array_get(ci, 0)) <= r);
    assert_true(json_number_value(json_array_get(ci, 1)) >= r);
    assert_float_equal(r, pearson_of_points(points), 1e-9);
    assert_true(!strcmp(strength, "none") || !strcmp(strength, "weak") ||
                !strcmp(strength, "moderate") || !strcmp(strength, "strong"));
    assert_true(ends_with(text(a, "statement"), "Correlation, not cause."));
    assert_non_null(strstr(text(a, "statement"), "n = "));
}

/* The Chinese statement of a view: translated and with the caution. */
static void check_chinese(const json_t *a, const char *figure)
{
    const char *statement = text(a, "statement");

    assert_non_null(strstr(statement, figure));
    assert_true(ends_with(statement, "相关不等于因果。"));
    assert_null(strstr(statement, "Correlation"));
}

static void training_view_on_demo(void **state)
{
    struct fixture *f = *state;
    json_t *en = linkage_json(f, "en", "training", "company");
    json_t *zh = linkage_json(f, "zh-CN", "training", "company");

    assert_string_equal(text(en, "view"), "training");
    assert_string_equal(text(en, "period"), PERIOD);
    assert_string_equal(text(en, "scope"), "company");
    check_analysis(en);
    check_analysis(json_object_get(en, "over_months"));
    assert_non_null(strstr(text(en, "statement"), "across teams"));
    check_chinese(zh, "培训完成率");
    check_chinese(json_object_get(zh, "over_months"), "人均月销售额");
    json_decref(en);
    json_decref(zh);
}

static void cost_view_on_demo(void **state)
{
    struct fixture *f = *state;
    json_t *en = linkage_json(f, "en", "cost", "company");
    json_t *zh = linkage_json(f, "zh-CN", "cost", "company");

    check_analysis(en);
    check_analysis(json_object_get(en, "over_months"));
    check_chinese(zh, "人力成本率");
    check_chinese(json_object_get(zh, "over_months"), "市场份额");
    json_decref(en);
    json_decref(zh);
}

/* A point is the scorecard of its unit: x and y as "cairn kpi" gives them. */
static void points_match_kpi(void **state)
{
    struct fixture *f = *state;
    json_t *training = linkage_json(f, "en", "training", "company");
    json_t *cost = linkage_json(f, "en", "cost", "company");
    const json_t *pt = json_array_get(json_object_get(training, "points"), 0);
    const json_t *cpt = json_array_get(json_object_get(cost, "points"), 0);
    char scope[64];
    json_t *kpi, *metrics;

    snprintf(scope, sizeof(scope), "unit:%s", text(pt, "subject"));
    kpi = run_cairn_json(NULL,
                         ARGS("--db", f->db, "kpi", "--period", PERIOD, "--scope", scope, "--as-of",
                              AS_OF, "--format", "json"),
                         0);
    metrics = json_object_get(kpi, "metrics");
    assert_float_equal(number(pt, "x"), number(metrics, "training_completion_rate"), 1e-12);
    assert_float_equal(number(pt, "y"), number(metrics, "per_capita_sales"), 1e-6);
    json_decref(kpi);

    snprintf(scope, sizeof(scope), "unit:%s", text(cpt, "subject"));
    kpi = run_cairn_json(NULL,
                         ARGS("--db", f->db, "kpi", "--period", PERIOD, "--scope", scope, "--as-of",
                              AS_OF, "--format", "json"),
                         0);
    metrics = json_object_get(kpi, "metrics");
    assert_float_equal(number(cpt, "x"), number(metrics, "labor_cost_ratio"), 1e-12);
    assert_float_equal(number(cpt, "y"), number(metrics, "market_share"), 1e-12);
    json_decref(kpi);
    json_decref(training);
    json_decref(cost);
}

/* The groups split the customers of repurchase_rate, as kpi computes it. */
static void check_turnover(const struct fixture *f, const char *scope)
{
    json_t *en = linkage_json(f, "en", "turnover", scope);
    json_t *zh = linkage_json(f, "zh-CN", "turnover", scope);
    json_t *kpi =
        run_cairn_json(NULL,
                       ARGS("--db", f->db, "kpi", "--period", PERIOD, "--scope", scope, "--metrics",
                            "repurchase_rate", "--as-of", AS_OF, "--format", "json"),
                       0);
    const json_t *groups = json_object_get(en, "groups");
    const json_t *left = json_object_get(groups, "owner_left");
    const json_t *stayed = json_object_get(groups, "owner_stayed");
    const json_t *points = json_object_get(en, "points"), *pt;
    double n1 = number(left, "n"), k1 = number(left, "repurchased");
    double n2 = number(stayed, "n"), k2 = number(stayed, "repurchased");
    double sum_x = 0, sum_y = 0;
    size_t i;

    assert_true(n1 >= 8);
    assert_true(n2 >= 8);
    assert_float_equal(number(left, "rate"), k1 / n1, 1e-12);
    assert_float_equal(number(stayed, "rate"), k2 / n2, 1e-12);
    assert_float_equal(number(en, "difference"), k1 / n1 - k2 / n2, 1e-12);
    assert_float_equal(number(en, "n"), n1 + n2, 0);
    assert_float_equal((k1 + k2) / (n1 + n2),
                       number(json_object_get(kpi, "metrics"), "repurchase_rate"), 1e-12);
    assert_float_equal(number(en, "repurchase_rate"),
                       number(json_object_get(kpi, "metrics"), "repurchase_rate"), 1e-12);
    assert_true(isfinite(number(en, "p_value")));
    assert_true(isfinite(number(en, "phi")));
    assert_int_equal(json_array_size(points), (size_t)(n1 + n2));
    json_array_foreach(points, i, pt)
    {
        sum_x += number(pt, "x");
        sum_y += number(pt, "y");
    }
    assert_float_equal(sum_x, n1, 0);
    assert_float_equal(sum_y, k1 + k2, 0);
    assert_true(ends_with(text(en, "statement"), "Correlation, not cause."));
    check_chinese(zh, "负责人离职");
    json_decref(en);
    json_decref(zh);
    json_decref(kpi);
}

static void turnover_splits_repurchase(void **state)
{
    check_turnover(*state, "company");
    check_turnover(*state, "unit:HZ");
}

/* Hangzhou has fewer than 8 teams with enrolments due: no claim. */
static void too_few_teams_no_claim(void **state)
{
    struct fixture *f = *state;
    json_t *en = linkage_json(f, "en", "training", "unit:HZ");
    json_t *zh = linkage_json(f, "zh-CN", "training", "unit:HZ");
    json_int_t n = json_integer_value(json_object_get(en, "n"));
    char expected[160];

    assert_true(n < 8);
    assert_int_equal(json_array_size(json_object_get(en, "points")), (size_t)n);
    assert_true(json_is_null(json_object_get(en, "pearson")));
    assert_true(json_is_null(json_object_get(en, "spearman")));
    assert_true(json_is_null(json_object_get(en, "p_value")));
    assert_true(json_is_null(json_object_get(en, "ci")));
    assert_string_equal(text(en, "strength"), "not_enough_data");
    snprintf(expected, sizeof(expected),
             "Training completion and per-capita sales across teams: not enough data: n = "
             "%lld, need 8.",
             (long long)n);
    assert_string_equal(text(en, "statement"), expected);
    assert_non_null(strstr(text(zh, "statement"), "数据不足"));
    json_decref(en);
    json_decref(zh);
}

static void table_states_result(void **state)
{
    struct fixture *f = *state;
    struct run_result r = run_cairn(NULL, NULL,
                                    ARGS("--db", f->db, "--lang", "en", "linkage", "turnover",
                                         "--period", PERIOD, "--as-of", AS_OF));

    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "owner left"));
    assert_non_null(strstr(r.out, "owner stayed"));
    assert_non_null(strstr(r.out, "Correlation, not cause."));
    run_result_free(&r);
}

static void usage_errors_exit_2(void **state)
{
    struct fixture *f = *state;
    const char *const *cases[] = {
        ARGS("--db", f->db, "linkage", "training", "--period", PERIOD, "--scope",
             "employee:E00066"),
        ARGS("--db", f->db, "linkage", "sales", "--period", PERIOD),
        ARGS("--db", f->db, "linkage", "--period", PERIOD),
        ARGS("--db", f->db, "linkage", "cost"),
        ARGS("--db", f->db, "linkage", "cost", "--period", "2026-13"),
        ARGS("--db", f->db, "linkage", "cost", "--period", PERIOD, "--format", "csv"),
        ARGS("--db", f->db, "linkage", "cost", "--period", PERIOD, "--as-of", "yesterday"),
        ARGS("--db", f->db, "linkage", "cost", "turnover", "--period", PERIOD),
    };
    struct run_result r;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        r = run_cairn(NULL, NULL, cases[i]);
        assert_int_equal(r.status, 2);
        run_result_free(&r);
    }
    r = run_cairn(NULL, NULL,
                  ARGS("--db", f->db, "linkage", "cost", "--period", PERIOD, "--scope",
                       "unit:NOWHERE", "--as-of", AS_OF));
    assert_int_equal(r.status, 1);
    run_result_free(&r);
}

static struct http api_get(const struct fixture *f, const char *login, const char *path,
                           const char *lang)
{
    char *cookie = test_log_in(&f->server, login, PASSWORD, NULL);
    char header[64];
    const char *headers[] = {header, NULL};
    struct http h;

    snprintf(header, sizeof(header), "Accept-Language: %s", lang);
    h = http_request(f->server.base_url, "GET", path, NULL, cookie, headers);
    free(cookie);
    return h;
}

static void api_same_as_cli(void **state)
{
    struct fixture *f = *state;
    struct http h =
        api_get(f, "boss", "/api/v1/linkage?view=cost&period=" PERIOD "&as_of=" AS_OF, "en");
    json_t *cli = linkage_json(f, "en", "cost", "company"), *api;

    assert_int_equal(h.status, 200);
    api = json_loads(h.body, 0, NULL);
    assert_non_null(api);
    assert_true(json_equal(api, cli));
    json_decref(api);
    json_decref(cli);
    http_free(&h);

    h = api_get(f, "boss", "/api/v1/linkage?view=turnover&period=" PERIOD "&as_of=" AS_OF, "zh-CN");
    assert_int_equal(h.status, 200);
    api = json_loads(h.body, 0, NULL);
    check_chinese(api, "负责人离职");
    json_decref(api);
    http_free(&h);
}

static void api_scope_checked(void **state)
{
    struct fixture *f = *state;
    struct http own =
        api_get(f, "hz", "/api/v1/linkage?view=turnover&period=" PERIOD "&as_of=" AS_OF, "en");
    struct http other =
        api_get(f, "hz", "/api/v1/linkage?view=turnover&period=" PERIOD "&scope=unit:SH", "en");
    struct http company =
        api_get(f, "hz", "/api/v1/linkage?view=cost&period=" PERIOD "&scope=company", "en");
    json_t *api;

    assert_int_equal(own.status, 200);
    api = json_loads(own.body, 0, NULL);
    assert_string_equal(text(api, "scope"), "unit:HZ");
    json_decref(api);
    http_assert_error(&other, 403, "forbidden");
    http_assert_error(&company, 403, "forbidden");
    http_free(&own);
    http_free(&other);
    http_free(&company);
}

static void api_query_checked(void **state)
{
    struct fixture *f = *state;
    struct http no_view = api_get(f, "boss", "/api/v1/linkage?period=" PERIOD, "en");
    struct http bad_view = api_get(f, "boss", "/api/v1/linkage?view=sales&period=" PERIOD, "en");
    struct http no_period = api_get(f, "boss", "/api/v1/linkage?view=cost", "en");
    struct http employee = api_get(
        f, "boss", "/api/v1/linkage?view=cost&period=" PERIOD "&scope=employee:E00066", "en");
    struct http anonymous = http_request(
        f->server.base_url, "GET", "/api/v1/linkage?view=cost&period=" PERIOD, NULL, NULL, NULL);

    http_assert_error(&no_view, 400, "bad_request");
    http_assert_error(&bad_view, 400, "bad_request");
    http_assert_error(&no_period, 400, "bad_request");
    http_assert_error(&employee, 400, "bad_request");
    http_assert_error(&anonymous, 401, "unauthorized");
    http_free(&no_view);
    http_free(&bad_view);
    http_free(&no_period);
    http_free(&employee);
    http_free(&anonymous);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(training_view_on_demo),  cmocka_unit_test(cost_view_on_demo),
        cmocka_unit_test(points_match_kpi),       cmocka_unit_test(turnover_splits_repurchase),
        cmocka_unit_test(too_few_teams_no_claim), cmocka_unit_test(table_states_result),
        cmocka_unit_test(usage_errors_exit_2),    cmocka_unit_test(api_same_as_cli),
        cmocka_unit_test(api_scope_checked),      cmocka_unit_test(api_query_checked),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
