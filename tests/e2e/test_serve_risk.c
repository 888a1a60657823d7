/*
 * End-to-end tests of the model score routes /api/v1/risk/attrition,
 * /api/v1/risk/churn and /api/v1/forecast on the demo company (small,
 * seed 1) as of 2026-11-30: the response before and after "cairn model
 * train" (the cache must not keep the old one), the rows per role and
 * scope (403 outside the caller's scope, attrition for gm, hr and team
 * leads only), factors in the caller's language, compared with "cairn
 * model score", and the model warnings of /api/v1/alerts?models=1.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "http.h"
#include "server.h"
#include "support.h"

#include "util/strbuf.h"

#define PASSWORD "secret-pass-1"
#define AS_OF "2026-11-30"

struct fixture {
    char *dir, *data, *db_path;
    struct test_server server;
};

static struct fixture fx;

static void cairn_ok(const char *const *args)
{
    struct run_result r = run_cairn(fx.dir, NULL, args);

    if (r.status != 0)
        fail_msg("cairn %s failed: %s", args[2], r.err);
    run_result_free(&r);
}

static int setup(void **state)
{
    (void)state;
    fx.dir = make_temp_dir();
    fx.data = path_join(fx.dir, "demo");
    fx.db_path = path_join(fx.dir, "demo.db");
    cairn_ok(ARGS("demo", "--out", fx.data));
    cairn_ok(ARGS("--db", fx.db_path, "init"));
    cairn_ok(ARGS("--db", fx.db_path, "import", fx.data));
    test_user_add(fx.db_path, "boss", "gm", NULL, PASSWORD);
    test_user_add(fx.db_path, "helen", "hr", NULL, PASSWORD);
    test_user_add(fx.db_path, "tina", "team_lead", "unit:SH01", PASSWORD);
    test_user_add(fx.db_path, "fay", "finance", NULL, PASSWORD);
    test_user_add(fx.db_path, "zhang", "rep", "employee:E00002", PASSWORD);
    test_server_start(&fx.server, fx.db_path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(test_server_stop(&fx.server), 0);
    remove_tree(fx.dir);
    free(fx.dir);
    free(fx.data);
    free(fx.db_path);
    return 0;
}

/* A Cookie header value with a session of login and the page language. */
static char *log_in(const char *login, const char *lang)
{
    char *session = test_log_in(&fx.server, login, PASSWORD, NULL);
    struct strbuf cookie = STRBUF_INIT;

    sb_addf(&cookie, "%s; cairn_lang=%s", session, lang);
    free(session);
    return sb_detach(&cookie);
}

static json_t *get_json(const char *cookie, const char *path)
{
    struct http h = http_request(fx.server.base_url, "GET", path, NULL, cookie, NULL);
    json_t *v;

    if (h.status != 200)
        fail_msg("GET %s: %ld %s", path, h.status, h.body);
    v = json_loads(h.body, 0, NULL);
    assert_non_null(v);
    http_free(&h);
    return v;
}

static void get_error(const char *cookie, const char *path, long status, const char *code)
{
    struct http h = http_request(fx.server.base_url, "GET", path, NULL, cookie, NULL);

    http_assert_error(&h, status, code);
    http_free(&h);
}

static json_t *rows_of(json_t *answer)
{
    return json_object_get(answer, "rows");
}

static const char *str_at(json_t *v, const char *key)
{
    return json_string_value(json_object_get(v, key));
}

/* Before any model is trained, each route returns stored false and no
 * rows; after training, the new scores, not the cached response. */
static void training_replaces_cached_answer(void **state)
{
    char *boss = log_in("boss", "en");
    json_t *v;

    (void)state;
    v = get_json(boss, "/api/v1/risk/attrition?as_of=" AS_OF);
    assert_false(json_boolean_value(json_object_get(v, "stored")));
    assert_int_equal(json_array_size(rows_of(v)), 0);
    assert_string_equal(str_at(v, "model"), "attrition");
    json_decref(v);
    v = get_json(boss, "/api/v1/risk/churn?as_of=" AS_OF);
    assert_false(json_boolean_value(json_object_get(v, "stored")));
    json_decref(v);

    cairn_ok(ARGS("--db", fx.db_path, "model", "train", "attrition"));
    cairn_ok(ARGS("--db", fx.db_path, "model", "train", "churn"));

    v = get_json(boss, "/api/v1/risk/attrition?as_of=" AS_OF);
    assert_true(json_boolean_value(json_object_get(v, "stored")));
    assert_true(json_array_size(rows_of(v)) > 0);
    json_decref(v);
    v = get_json(boss, "/api/v1/risk/churn?as_of=" AS_OF);
    assert_true(json_boolean_value(json_object_get(v, "stored")));
    assert_true(json_array_size(rows_of(v)) > 0);
    json_decref(v);
    free(boss);
}

/* The general manager gets every employee scored by "cairn model score",
 * in its order, with its factors in the page language. */
static void gm_sees_company_in_language(void **state)
{
    char *en = log_in("boss", "en"), *zh = log_in("boss", "zh-CN");
    json_t *scores, *v, *row, *zv;
    size_t i, n;

    (void)state;
    scores = run_cairn_json(fx.dir, ARGS("--db", fx.db_path, "--lang", "en", "model", "score",
                                         "attrition", "--as-of", AS_OF, "--format", "json"),
                            0);
    n = json_array_size(scores);
    v = get_json(en, "/api/v1/risk/attrition?as_of=" AS_OF);
    assert_int_equal(json_integer_value(json_object_get(v, "n")), n);
    assert_int_equal(json_integer_value(json_object_get(v, "top")), (n + 9) / 10);
    assert_string_equal(str_at(v, "as_of"), AS_OF);
    assert_int_equal(json_array_size(rows_of(v)), n);
    json_array_foreach(rows_of(v), i, row) {
        json_t *score = json_array_get(scores, i);

        assert_string_equal(str_at(row, "subject"), str_at(score, "subject"));
        assert_int_equal(json_integer_value(json_object_get(row, "rank")), i + 1);
        assert_int_equal(json_boolean_value(json_object_get(row, "top")), i < (n + 9) / 10);
        assert_true(json_equal(json_object_get(row, "factors"), json_object_get(score, "factors")));
        assert_true(json_is_string(json_object_get(row, "name")));
    }

    /* The same rows in Chinese: other factor words, the same numbers. */
    zv = get_json(zh, "/api/v1/risk/attrition?as_of=" AS_OF);
    assert_int_equal(json_array_size(rows_of(zv)), n);
    row = json_array_get(rows_of(zv), 0);
    assert_string_equal(str_at(row, "subject"), str_at(json_array_get(rows_of(v), 0), "subject"));
    assert_true(json_array_size(json_object_get(row, "factors")) > 0);
    assert_true(strcmp(json_string_value(json_array_get(json_object_get(row, "factors"), 0)),
                       json_string_value(json_array_get(
                           json_object_get(json_array_get(rows_of(v), 0), "factors"), 0))) != 0);
    json_decref(zv);
    json_decref(v);
    json_decref(scores);
    free(en);
    free(zh);
}

/* A team lead of SH01 gets its own unit's employees only, and 403 for
 * another team; HR gets the whole company. */
static void team_lead_sees_own_subtree(void **state)
{
    char *tina = log_in("tina", "en"), *helen = log_in("helen", "en");
    json_t *scores, *v, *row;
    size_t i, expected = 0;

    (void)state;
    scores = run_cairn_json(fx.dir, ARGS("--db", fx.db_path, "--lang", "en", "model", "score",
                                         "attrition", "--as-of", AS_OF, "--format", "json"),
                            0);
    json_array_foreach(scores, i, row)
        expected += !strcmp(str_at(row, "scope"), "unit:SH01");
    assert_true(expected > 0);

    v = get_json(tina, "/api/v1/risk/attrition?as_of=" AS_OF);
    assert_int_equal(json_array_size(rows_of(v)), expected);
    json_array_foreach(rows_of(v), i, row)
        assert_string_equal(str_at(row, "unit"), "SH01");
    json_decref(v);
    v = get_json(tina, "/api/v1/risk/churn?as_of=" AS_OF);
    json_array_foreach(rows_of(v), i, row)
        assert_string_equal(str_at(row, "unit"), "SH01");
    json_decref(v);

    get_error(tina, "/api/v1/risk/attrition?scope=unit:HZ01", 403, "forbidden");
    get_error(tina, "/api/v1/risk/churn?scope=unit:HZ01", 403, "forbidden");
    get_error(tina, "/api/v1/forecast?scope=unit:HZ01", 403, "forbidden");
    get_error(tina, "/api/v1/risk/attrition?scope=company", 403, "forbidden");

    v = get_json(helen, "/api/v1/risk/attrition?as_of=" AS_OF);
    assert_int_equal(json_array_size(rows_of(v)), json_array_size(scores));
    json_decref(v);
    v = get_json(helen, "/api/v1/risk/attrition?as_of=" AS_OF "&scope=employee:E00019");
    assert_int_equal(json_array_size(rows_of(v)), 1);
    assert_string_equal(str_at(json_array_get(rows_of(v), 0), "subject"), "E00019");
    json_decref(v);
    json_decref(scores);
    free(tina);
    free(helen);
}

/* Finance and reps get no attrition risk; finance gets every customer's
 * churn risk, a rep only its own customers'. */
static void finance_and_rep_by_role_table(void **state)
{
    char *fay = log_in("fay", "en"), *zhang = log_in("zhang", "en"), *boss = log_in("boss", "en");
    json_t *all, *v, *row;
    size_t i, own = 0;

    (void)state;
    get_error(fay, "/api/v1/risk/attrition", 403, "forbidden");
    get_error(zhang, "/api/v1/risk/attrition", 403, "forbidden");
    get_error(zhang, "/api/v1/risk/churn?scope=unit:HZ01", 403, "forbidden");

    all = get_json(boss, "/api/v1/risk/churn?as_of=" AS_OF);
    v = get_json(fay, "/api/v1/risk/churn?as_of=" AS_OF);
    assert_true(json_equal(v, all));
    json_decref(v);
    json_array_foreach(rows_of(all), i, row)
        own += json_is_string(json_object_get(row, "owner")) && !strcmp(str_at(row, "owner"), "E00002");
    assert_true(own > 0);

    v = get_json(zhang, "/api/v1/risk/churn?as_of=" AS_OF);
    assert_int_equal(json_array_size(rows_of(v)), own);
    json_array_foreach(rows_of(v), i, row)
        assert_string_equal(str_at(row, "owner"), "E00002");
    json_decref(v);

    /* One customer: its row only, with the company-wide rank. */
    row = json_array_get(rows_of(all), 0);
    {
        struct strbuf path = STRBUF_INIT;

        sb_addf(&path, "/api/v1/risk/churn?as_of=" AS_OF "&customer=%s", str_at(row, "subject"));
        v = get_json(boss, path.buf);
        assert_int_equal(json_array_size(rows_of(v)), 1);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(rows_of(v), 0), "rank")), 1);
        json_decref(v);
        sb_release(&path);
    }
    json_decref(all);
    free(fay);
    free(zhang);
    free(boss);
}

/* The forecast rows of a team lead are its unit's; a rep has none. */
static void forecast_scoped(void **state)
{
    char *tina = log_in("tina", "en"), *zhang = log_in("zhang", "en");
    json_t *v, *row;
    size_t i;

    (void)state;
    v = get_json(tina, "/api/v1/forecast?as_of=" AS_OF);
    assert_string_equal(str_at(v, "model"), "forecast");
    json_array_foreach(rows_of(v), i, row) {
        assert_string_equal(str_at(row, "unit"), "SH01");
        assert_string_equal(str_at(row, "month"), "2026-12");
        assert_true(json_number_value(json_object_get(row, "lower")) <=
                    json_number_value(json_object_get(row, "upper")));
    }
    json_decref(v);
    v = get_json(zhang, "/api/v1/forecast?as_of=" AS_OF);
    assert_int_equal(json_array_size(rows_of(v)), 0);
    json_decref(v);
    free(tina);
    free(zhang);
}

static size_t count_rule(json_t *list, const char *rule)
{
    size_t i, n = 0;
    json_t *a;

    json_array_foreach(list, i, a)
        n += !strcmp(str_at(a, "rule"), rule);
    return n;
}

/* models=1 appends the model warnings after the rules' list, without
 * attrition_risk_high for finance. */
static void alerts_with_models_by_role(void **state)
{
    char *boss = log_in("boss", "en"), *fay = log_in("fay", "en");
    json_t *rules, *all, *finance, *risk;
    size_t i, k;

    (void)state;
    rules = get_json(boss, "/api/v1/alerts?as_of=" AS_OF);
    all = get_json(boss, "/api/v1/alerts?as_of=" AS_OF "&models=1");
    risk = get_json(boss, "/api/v1/risk/attrition?as_of=" AS_OF);
    k = (size_t)json_integer_value(json_object_get(risk, "top"));
    assert_true(k > 0);
    assert_int_equal(count_rule(all, "attrition_risk_high"), k);
    assert_true(count_rule(all, "churn_risk_high") > 0);
    for (i = 0; i < json_array_size(rules); i++)
        assert_true(json_equal(json_array_get(all, i), json_array_get(rules, i)));

    finance = get_json(fay, "/api/v1/alerts?as_of=" AS_OF "&models=1");
    assert_int_equal(count_rule(finance, "attrition_risk_high"), 0);
    assert_int_equal(count_rule(finance, "churn_risk_high"), count_rule(all, "churn_risk_high"));
    assert_int_equal(json_array_size(finance), json_array_size(all) - k);
    get_error(boss, "/api/v1/alerts?models=yes", 400, "bad_request");

    json_decref(rules);
    json_decref(all);
    json_decref(finance);
    json_decref(risk);
    free(boss);
    free(fay);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(training_replaces_cached_answer),
        cmocka_unit_test(gm_sees_company_in_language),
        cmocka_unit_test(team_lead_sees_own_subtree),
        cmocka_unit_test(finance_and_rep_by_role_table),
        cmocka_unit_test(forecast_scoped),
        cmocka_unit_test(alerts_with_models_by_role),
    };

    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return failed;
}
