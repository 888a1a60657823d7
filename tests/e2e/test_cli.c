/*
 * End-to-end tests of the command line itself: usage and exit codes,
 * language selection, "cairn init" and "cairn config".
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static void no_command_is_usage_error(void **state)
{
    struct run_result r = run_cairn(NULL, NULL, ARGS("--lang", "en"));

    (void)state;
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "Usage: cairn"));
    run_result_free(&r);
}

static void unknown_command_exits_2(void **state)
{
    struct run_result r = run_cairn(NULL, NULL, ARGS("--lang", "en", "frobnicate"));

    (void)state;
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
    run_result_free(&r);
}

static void every_command_has_help(void **state)
{
    struct run_result list = run_cairn(NULL, NULL, ARGS("--lang", "en", "help"));
    char *line, *save = NULL;

    (void)state;
    assert_int_equal(list.status, 0);
    /* Each command line of the list is "  NAME  summary". */
    for (line = strtok_r(list.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[32];
        struct run_result h;

        if (strncmp(line, "  ", 2) || line[2] == '-' || sscanf(line, " %31s", name) != 1)
            continue;
        h = run_cairn(NULL, NULL, ARGS("--lang", "en", name, "--help"));
        assert_int_equal(h.status, 0);
        assert_non_null(strstr(h.out, "Usage: cairn"));
        run_result_free(&h);
    }
    run_result_free(&list);
}

static void chinese_is_default_under_c_locale(void **state)
{
    struct run_result r;

    (void)state;
    setenv("LANG", "C", 1);
    r = run_cairn(NULL, NULL, ARGS("frobnicate"));
    unsetenv("LANG");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "未知命令“frobnicate”"));
    run_result_free(&r);
}

static void english_locale_gives_english(void **state)
{
    struct run_result r;

    (void)state;
    setenv("LANG", "en_US.UTF-8", 1);
    r = run_cairn(NULL, NULL, ARGS("frobnicate"));
    unsetenv("LANG");
    assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
    run_result_free(&r);
}

static void japanese_option_gives_japanese(void **state)
{
    struct run_result r = run_cairn(NULL, NULL, ARGS("--lang", "ja", "frobnicate"));

    (void)state;
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "不明なコマンド 'frobnicate'"));
    assert_non_null(strstr(r.err, "コマンドの一覧は 'cairn help' で確認できます。"));
    run_result_free(&r);
}

static void japanese_locale_gives_japanese(void **state)
{
    struct run_result r;

    (void)state;
    setenv("LANG", "ja_JP.UTF-8", 1);
    r = run_cairn(NULL, NULL, ARGS("kpi"));
    unsetenv("LANG");
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "--period は必須です（YYYY-MM、YYYY-Qn または YYYY）"));
    run_result_free(&r);
}

static void unknown_language_exits_2(void **state)
{
    struct run_result r = run_cairn(NULL, NULL, ARGS("--lang", "xx", "help"));

    (void)state;
    assert_int_equal(r.status, 2);
    run_result_free(&r);
}

static void init_creates_then_keeps(void **state)
{
    char *dir = make_temp_dir();
    struct run_result r;

    (void)state;
    r = run_cairn(dir, NULL, ARGS("--lang", "en", "init"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "Created an empty Cairn database at cairn.db"));
    run_result_free(&r);

    r = run_cairn(dir, NULL, ARGS("--lang", "en", "init"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "already a Cairn database"));
    run_result_free(&r);
    remove_tree(dir);
    free(dir);
}

static void init_refuses_foreign_file(void **state)
{
    char *dir = make_temp_dir();
    char *path = write_file(dir, "notes.db", "this is not a database");
    struct run_result r;

    (void)state;
    r = run_cairn(dir, NULL, ARGS("--lang", "en", "--db", "notes.db", "init"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "is not a Cairn database"));
    run_result_free(&r);
    free(path);
    remove_tree(dir);
    free(dir);
}

static void postgresql_url_is_refused(void **state)
{
    struct run_result r =
        run_cairn(NULL, NULL, ARGS("--lang", "en", "--db", "postgresql://localhost/cairn", "init"));

    (void)state;
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "PostgreSQL backend is not available yet"));
    run_result_free(&r);
}

static void config_lists_defaults(void **state)
{
    char *dir = make_temp_dir();
    struct run_result r;
    json_t *cfg;

    (void)state;
    r = run_cairn(dir, NULL, ARGS("init"));
    run_result_free(&r);
    cfg = run_cairn_json(dir, ARGS("config", "--format", "json"), 0);
    assert_string_equal(json_string_value(json_object_get(cfg, "company.timezone")), "Asia/Shanghai");
    assert_string_equal(json_string_value(json_object_get(cfg, "alerts.minimum_monthly_sales")), "50000");
    assert_string_equal(json_string_value(json_object_get(cfg, "alerts.attrition_rise")), "0.05");
    assert_string_equal(json_string_value(json_object_get(cfg, "alerts.labor_cost_ratio_max")), "0.25");
    assert_string_equal(json_string_value(json_object_get(cfg, "alerts.evaluate_at")), "07:00");
    assert_string_equal(json_string_value(json_object_get(cfg, "server.session_hours")), "12");
    assert_string_equal(json_string_value(json_object_get(cfg, "company.name")), "公司");
    json_decref(cfg);
    remove_tree(dir);
    free(dir);
}

static void config_sets_and_validates(void **state)
{
    char *dir = make_temp_dir();
    struct run_result r;

    (void)state;
    r = run_cairn(dir, NULL, ARGS("init"));
    run_result_free(&r);

    r = run_cairn(dir, NULL, ARGS("config", "alerts.labor_cost_ratio_max", "0.3"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(dir, NULL, ARGS("config", "alerts.labor_cost_ratio_max"));
    assert_string_equal(r.out, "0.3\n");
    run_result_free(&r);

    /* Out of range, wrong type, bad zone: refused and nothing changes. */
    r = run_cairn(dir, NULL, ARGS("--lang", "en", "config", "alerts.labor_cost_ratio_max", "11"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "out of range"));
    run_result_free(&r);
    r = run_cairn(dir, NULL, ARGS("--lang", "en", "config", "server.session_hours", "1.5"));
    assert_int_equal(r.status, 1);
    run_result_free(&r);
    r = run_cairn(dir, NULL, ARGS("--lang", "en", "config", "company.timezone", "Mars/Base"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "Mars/Base"));
    run_result_free(&r);
    r = run_cairn(dir, NULL, ARGS("config", "alerts.labor_cost_ratio_max"));
    assert_string_equal(r.out, "0.3\n");
    run_result_free(&r);

    r = run_cairn(dir, NULL, ARGS("config", "alerts.evaluate_at", "24:00"));
    assert_int_equal(r.status, 1);
    run_result_free(&r);
    r = run_cairn(dir, NULL, ARGS("config", "alerts.evaluate_at", "23:59"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);

    /* An unknown setting is a usage error. */
    r = run_cairn(dir, NULL, ARGS("config", "no.such.setting", "1"));
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    remove_tree(dir);
    free(dir);
}

static void config_never_prints_secrets(void **state)
{
    char *dir = make_temp_dir();
    struct run_result r;

    (void)state;
    r = run_cairn(dir, NULL, ARGS("init"));
    run_result_free(&r);
    r = run_cairn(dir, NULL, ARGS("config", "delivery.dingtalk.secret", "SECabc123"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(dir, NULL, ARGS("config", "delivery.dingtalk.secret"));
    assert_null(strstr(r.out, "SECabc123"));
    assert_string_equal(r.out, "********\n");
    run_result_free(&r);
    r = run_cairn(dir, NULL, ARGS("config"));
    assert_null(strstr(r.out, "SECabc123"));
    assert_non_null(strstr(r.out, "delivery.dingtalk.secret = ********\n"));
    run_result_free(&r);
    remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_command_is_usage_error),
        cmocka_unit_test(unknown_command_exits_2),
        cmocka_unit_test(every_command_has_help),
        cmocka_unit_test(chinese_is_default_under_c_locale),
        cmocka_unit_test(english_locale_gives_english),
        cmocka_unit_test(japanese_option_gives_japanese),
        cmocka_unit_test(japanese_locale_gives_japanese),
        cmocka_unit_test(unknown_language_exits_2),
        cmocka_unit_test(init_creates_then_keeps),
        cmocka_unit_test(init_refuses_foreign_file),
        cmocka_unit_test(postgresql_url_is_refused),
        cmocka_unit_test(config_lists_defaults),
        cmocka_unit_test(config_sets_and_validates),
        cmocka_unit_test(config_never_prints_secrets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
