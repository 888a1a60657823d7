/*
 * alerts_deliver_new against local robot receivers and a real SMTP
 * server (python3-aiosmtpd): the text of a warning in English and in
 * Chinese, who gets the e-mail, no second delivery of a warning after a
 * restart, a failing channel that does not stop the others and is
 * retried later, and the daily digest.
 *
 * The company: C (manager E1, gm@example.com) with team T1 "Team One"
 * (manager E2 Wang, wang@example.com); E3 Li in T1 has no e-mail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delivery_receiver.h"
#include "support.h"

#include "db/db.h"
#include "delivery/delivery.h"
#include "settings/settings.h"
#include "util/i18n.h"

struct fixture {
    char *dir;
    char *db_path;
    struct db *db;
    struct receiver rx;
    struct smtp_sink smtp;
    json_t *figures1, *figures2;
    struct delivery_warning w[2];
};

static void set(struct fixture *f, const char *name, const char *value)
{
    struct strbuf err = STRBUF_INIT;

    if (setting_set(f->db, name, value, &err))
        fail_msg("setting %s: %s", name, err.buf);
}

static void set_url(struct fixture *f, const char *name, const char *path)
{
    char url[128];

    snprintf(url, sizeof(url), "%s%s", f->rx.base_url, path);
    set(f, name, url);
}

static void reopen(struct fixture *f)
{
    struct strbuf err = STRBUF_INIT;

    db_close(f->db);
    if (db_open(&f->db, f->db_path, DB_OPEN_EXISTING, &err))
        fail_msg("db_open: %s", err.buf);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct strbuf err = STRBUF_INIT;
    char url[64];

    f->dir = make_temp_dir();
    f->db_path = path_join(f->dir, "delivery.db");
    if (db_open(&f->db, f->db_path, DB_OPEN_CREATE, &err))
        fail_msg("db_open: %s", err.buf);
    /* The references are deferred, so both tables go in one transaction. */
    if (db_exec(f->db,
                "BEGIN;"
                "INSERT INTO org_units (unit_id, name, parent_id, kind, manager_id) VALUES"
                " ('C', 'Company', NULL, 'company', 'E1'), ('T1', 'Team One', 'C', 'team', 'E2');"
                "INSERT INTO employees (employee_id, name, unit_id, hire_date, email) VALUES"
                " ('E1', 'Zhang', 'C', '2020-01-01', 'gm@example.com'),"
                " ('E2', 'Wang', 'T1', '2020-01-01', 'wang@example.com'),"
                " ('E3', 'Li', 'T1', '2020-01-01', NULL);"
                "COMMIT;",
                &err))
        fail_msg("insert: %s", err.buf);

    receiver_start(&f->rx);
    smtp_sink_start(&f->smtp);
    set_url(f, "delivery.wecom.url", "/wecom");
    set_url(f, "delivery.dingtalk.url", "/dingtalk");
    set_url(f, "delivery.feishu.url", "/feishu");
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", f->smtp.port);
    set(f, "delivery.smtp.url", url);
    set(f, "delivery.smtp.from", "cairn@example.com");
    set(f, "delivery.lang", "en");
    set(f, "delivery.retry_delay_ms", "10");
    set(f, "delivery.base_url", "http://cairn.example:8080/");

    f->figures1 = json_pack("{s:f, s:f, s:i}", "labor_cost_ratio", 0.3125, "labor_cost", 31250.5,
                            "sales", 100000);
    f->figures2 = json_pack("{s:[i, f, i], s:i}", "sales", 40000, 30000.25, 0, "minimum", 50000);
    f->w[0] = (struct delivery_warning){"labor_cost_high", "unit:T1",     "T1", "2024-03", "E2",
                                        f->figures1,       "/#/alerts/7", NULL, NULL};
    f->w[1] = (struct delivery_warning){"below_minimum", "employee:E3", "E3", "2024-03", NULL,
                                        f->figures2,     "/#/alerts/8", NULL, NULL};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    db_close(f->db);
    receiver_stop(&f->rx);
    smtp_sink_stop(&f->smtp);
    json_decref(f->figures1);
    json_decref(f->figures2);
    remove_tree(f->dir);
    free(f->dir);
    free(f->db_path);
    free(f);
    return 0;
}

static const char *json_field(const char *body, const char *object, const char *field,
                              json_t **root)
{
    *root = json_loads(body, 0, NULL);
    assert_non_null(*root);
    return json_string_value(json_object_get(json_object_get(*root, object), field));
}

static int64_t count_rows(struct fixture *f, const char *sql)
{
    int64_t n = -1;

    assert_int_equal(db_query_int64(f->db, sql, -1, &n, NULL), 0);
    return n;
}

static void deliver(struct fixture *f, const char *today, size_t n)
{
    struct strbuf err = STRBUF_INIT;

    if (alerts_deliver_new(f->db, today, f->w, n, &err))
        fail_msg("alerts_deliver_new: %s", err.buf);
    sb_release(&err);
}

static void warning_text_in_english(void **state)
{
    struct fixture *f = *state;
    char **mails, *value;
    size_t n;
    json_t *root;

    deliver(f, "2024-04-02", 2);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 2);
    assert_int_equal(receiver_count(&f->rx, "/dingtalk"), 2);
    assert_int_equal(receiver_count(&f->rx, "/feishu"), 2);

    assert_string_equal(
        json_field(receiver_request(&f->rx, "/wecom", 0)->body, "markdown", "content", &root),
        "**Labor cost ratio too high: Team One (2024-03)**\n"
        "Rule: Labor cost ratio too high (labor_cost_high)\n"
        "Scope: unit:T1\n"
        "Subject: T1\n"
        "Period: 2024-03\n"
        "Owner: Wang (E2)\n"
        "Labor cost ratio: 31.25%\n"
        "Labor cost (yuan): 31,250.50\n"
        "Sales (yuan): 100,000.00\n"
        "\n"
        "[http://cairn.example:8080/#/alerts/7](http://cairn.example:8080/#/alerts/7)\n");
    json_decref(root);
    assert_string_equal(
        json_field(receiver_request(&f->rx, "/feishu", 1)->body, "content", "text", &root),
        "Sales below the minimum three months running: Li (2024-03)\n"
        "Rule: Sales below the minimum three months running (below_minimum)\n"
        "Scope: employee:E3\n"
        "Subject: E3\n"
        "Period: 2024-03\n"
        "Owner: none, the general manager acts\n"
        "Sales (yuan): 40,000.00, 30,000.25, 0.00\n"
        "Monthly minimum (yuan): 50,000.00\n"
        "http://cairn.example:8080/#/alerts/8\n");
    json_decref(root);

    /* The owner gets the first e-mail; without an owner, the company's
     * manager gets it. */
    n = smtp_sink_messages(&f->smtp, &mails);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        char *subject = mail_header(mails[i], "Subject");

        value = mail_header(mails[i], "X-RcptTo");
        if (strstr(subject, "Labor cost"))
            assert_string_equal(value, "wang@example.com");
        else
            assert_string_equal(value, "gm@example.com");
        free(value);
        free(subject);
        free(mails[i]);
    }
    free(mails);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM delivery_log WHERE status = 'sent'"), 8);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM delivery_log WHERE alert_key = "
                                   "'labor_cost_high/unit:T1/T1' AND day = '2024-04-02'"),
                     4);
}

static void no_duplicate_after_restart(void **state)
{
    struct fixture *f = *state;
    char **mails;
    size_t n;

    deliver(f, "2024-04-02", 2);
    reopen(f);
    deliver(f, "2024-04-02", 2);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 2);
    assert_int_equal(receiver_count(&f->rx, "/dingtalk"), 2);
    assert_int_equal(receiver_count(&f->rx, "/feishu"), 2);
    n = smtp_sink_messages(&f->smtp, &mails);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        free(mails[i]);
    free(mails);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM delivery_log"), 8);

    /* A warning first seen on another day is another delivery. */
    f->w[0].first_seen = "2024-05-02";
    deliver(f, "2024-05-02", 1);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 3);
}

static void warning_text_in_chinese(void **state)
{
    struct fixture *f = *state;
    const char *content;
    json_t *root;

    set(f, "delivery.lang", "zh-CN");
    deliver(f, "2024-04-02", 1);
    content = json_field(receiver_request(&f->rx, "/wecom", 0)->body, "markdown", "content", &root);
    assert_int_equal(strncmp(content,
                             "**人力成本率过高：Team One（2024-03）**\n"
                             "规则：人力成本率过高（labor_cost_high）\n"
                             "范围：unit:T1\n",
                             strlen("**人力成本率过高：Team One（2024-03）**\n"
                                    "规则：人力成本率过高（labor_cost_high）\n"
                                    "范围：unit:T1\n")),
                     0);
    assert_non_null(strstr(content, "负责人：Wang（E2）\n人力成本率：31.25%\n"));
    json_decref(root);

    /* The process's own language is back to English. */
    assert_string_equal(_("Scope: %s"), "Scope: %s");
}

static void failing_channel_does_not_stop_others(void **state)
{
    struct fixture *f = *state;
    struct strbuf err = STRBUF_INIT;

    receiver_script(&f->rx, "/wecom", 400,
                    "{\"errcode\":40008,\"errmsg\":\"invalid message type\"}");
    assert_int_equal(alerts_deliver_new(f->db, "2024-04-02", f->w, 1, &err), -1);
    assert_non_null(strstr(err.buf, "wecom: delivery failed after 1 attempts"));
    assert_null(strstr(err.buf, "dingtalk"));
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 1);
    assert_int_equal(receiver_count(&f->rx, "/dingtalk"), 1);
    assert_int_equal(receiver_count(&f->rx, "/feishu"), 1);
    assert_int_equal(count_rows(f,
                                "SELECT count(*) FROM delivery_log WHERE channel = 'wecom' "
                                "AND status = 'failed' AND response_code = 400 AND attempts = 1"),
                     1);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM delivery_outbox WHERE channel = 'wecom'"),
                     1);
    sb_release(&err);

    /* The next delivery, even without new warnings, retries the failed
     * channel only, after a restart too. */
    reopen(f);
    deliver(f, "2024-04-03", 0);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 2);
    assert_int_equal(receiver_count(&f->rx, "/dingtalk"), 1);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM delivery_outbox"), 0);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM delivery_log WHERE channel = 'wecom' "
                                   "AND status = 'sent' AND day = '2024-04-02'"),
                     1);

    /* The same warning, first seen on 2024-04-02, handed over again goes
     * nowhere. */
    f->w[0].first_seen = "2024-04-02";
    deliver(f, "2024-04-03", 1);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 2);
    assert_int_equal(receiver_count(&f->rx, "/feishu"), 1);
}

static void old_failures_dropped(void **state)
{
    struct fixture *f = *state;
    struct strbuf err = STRBUF_INIT;

    receiver_script(&f->rx, "/feishu", 400, "{\"code\":9499,\"msg\":\"Bad Request\"}");
    assert_int_equal(alerts_deliver_new(f->db, "2024-04-02", f->w, 1, &err), -1);
    sb_release(&err);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM delivery_outbox"), 1);

    /* A failure older than a week is dropped, not sent. */
    assert_int_equal(
        db_exec(f->db, "UPDATE delivery_outbox SET created = '2024-04-02T00:00:00Z'", NULL), 0);
    assert_int_equal(delivery_retry_failed(f->db, &err), 0);
    assert_int_equal(receiver_count(&f->rx, "/feishu"), 1);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM delivery_outbox"), 0);
    sb_release(&err);
}

static void daily_digest_groups_the_day(void **state)
{
    struct fixture *f = *state;
    char **mails, *subject, *body;
    size_t n;
    json_t *root;

    set(f, "delivery.digest", "daily");
    deliver(f, "2024-04-02", 2);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 0);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM delivery_queue"), 2);

    /* Still the same day: nothing goes out. */
    deliver(f, "2024-04-02", 0);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 0);

    /* The next day's run sends the digest of 2024-04-02. */
    deliver(f, "2024-04-03", 0);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 1);
    assert_int_equal(receiver_count(&f->rx, "/dingtalk"), 1);
    assert_int_equal(receiver_count(&f->rx, "/feishu"), 1);
    assert_string_equal(
        json_field(receiver_request(&f->rx, "/wecom", 0)->body, "markdown", "content", &root),
        "**Cairn: new warnings of 2024-04-02 (2)**\n"
        "1. Labor cost ratio too high: Team One (2024-03)  http://cairn.example:8080/#/alerts/7\n"
        "2. Sales below the minimum three months running: Li (2024-03)  "
        "http://cairn.example:8080/#/alerts/8\n");
    json_decref(root);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM delivery_queue"), 0);

    /* One e-mail per recipient, with only their warnings. */
    n = smtp_sink_messages(&f->smtp, &mails);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        subject = mail_header(mails[i], "Subject");
        assert_string_equal(subject, "Cairn: new warnings of 2024-04-02 (1)");
        body = mail_body_base64(mails[i]);
        assert_int_equal(strncmp(body, "1. ", 3), 0);
        assert_null(strstr(body, "2. "));
        free(subject);
        free(body);
        free(mails[i]);
    }
    free(mails);

    /* A later run has nothing left to send. */
    reopen(f);
    deliver(f, "2024-04-04", 0);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(warning_text_in_english, setup, teardown),
        cmocka_unit_test_setup_teardown(no_duplicate_after_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(warning_text_in_chinese, setup, teardown),
        cmocka_unit_test_setup_teardown(failing_channel_does_not_stop_others, setup, teardown),
        cmocka_unit_test_setup_teardown(old_failures_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(daily_digest_groups_the_day, setup, teardown),
    };
    struct strbuf dir = STRBUF_INIT;

    /* The catalogs built beside the cairn binary. */
    sb_addf(&dir, "%s", CAIRN_BIN);
    sb_truncate(&dir, (size_t)(strrchr(dir.buf, '/') - dir.buf));
    sb_add(&dir, "/locale");
    setenv("CAIRN_LOCALEDIR", dir.buf, 1);
    sb_release(&dir);
    i18n_setup("en");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
