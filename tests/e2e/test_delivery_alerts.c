/*
 * End-to-end tests of warnings delivered by "cairn alerts run" on the
 * demo company (as of its end date 2026-11-30): one robot message and
 * one e-mail per new warning, nothing again on the next run, and with
 * delivery.digest = daily one digest sent by "cairn deliver digest".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delivery_receiver.h"
#include "support.h"

struct fixture {
    char *dir;
    char *db;
    struct receiver rx;
    struct smtp_sink smtp;
};

static void config(struct fixture *f, const char *name, const char *value)
{
    struct run_result r = run_cairn(NULL, NULL, ARGS("--db", f->db, "config", name, value));

    if (r.status != 0)
        fail_msg("cairn config %s failed: %s", name, r.err);
    run_result_free(&r);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct run_result r;
    char *data, url[128];

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

    receiver_start(&f->rx);
    smtp_sink_start(&f->smtp);
    snprintf(url, sizeof(url), "%s/wecom", f->rx.base_url);
    config(f, "delivery.wecom.url", url);
    snprintf(url, sizeof(url), "%s/feishu", f->rx.base_url);
    config(f, "delivery.feishu.url", url);
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", f->smtp.port);
    config(f, "delivery.smtp.url", url);
    config(f, "delivery.smtp.from", "cairn@example.com");
    config(f, "delivery.base_url", "http://cairn.example:8080");
    config(f, "delivery.retry_delay_ms", "10");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    receiver_stop(&f->rx);
    smtp_sink_stop(&f->smtp);
    remove_tree(f->dir);
    free(f->dir);
    free(f->db);
    free(f);
    return 0;
}

static size_t count_log(struct fixture *f, const char *channel, const char *status)
{
    json_t *log = run_cairn_json(
        NULL, ARGS("--db", f->db, "deliver", "log", "--limit", "100000", "--format", "json"), 0);
    size_t i, n = 0;
    json_t *row;

    json_array_foreach(json_object_get(log, "deliveries"), i, row) n +=
        !strcmp(json_string_value(json_object_get(row, "channel")), channel) &&
        !strcmp(json_string_value(json_object_get(row, "status")), status);
    json_decref(log);
    return n;
}

static void free_messages(char **messages, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(messages[i]);
    free(messages);
}

static void run_delivers_each_new_warning(void **state)
{
    struct fixture *f = *state;
    json_t *out, *warnings, *root;
    size_t added, nmail;
    char **mails;
    const char *content;

    warnings = run_cairn_json(
        NULL, ARGS("--db", f->db, "alerts", "--as-of", "2026-11-30", "--format", "json"), 0);
    out = run_cairn_json(
        NULL, ARGS("--db", f->db, "alerts", "run", "--as-of", "2026-11-30", "--format", "json"), 0);
    added = (size_t)json_integer_value(json_object_get(out, "new"));
    json_decref(out);
    assert_true(added > 0);
    assert_int_equal(added, json_array_size(warnings));
    json_decref(warnings);

    /* One robot message per warning, each with its drill-down link. */
    assert_int_equal(receiver_count(&f->rx, "/wecom"), added);
    assert_int_equal(receiver_count(&f->rx, "/feishu"), added);
    for (size_t i = 0; i < added; i++) {
        root = json_loads(receiver_request(&f->rx, "/wecom", i)->body, 0, NULL);
        assert_non_null(root);
        content = json_string_value(json_object_get(json_object_get(root, "markdown"), "content"));
        assert_int_equal(strncmp(content, "**", 2), 0);
        assert_non_null(strstr(content, "](http://cairn.example:8080/#/alerts/"));
        json_decref(root);
    }

    /* One e-mail per warning that has a recipient, as logged. */
    nmail = smtp_sink_messages(&f->smtp, &mails);
    assert_int_equal(nmail, count_log(f, "email", "sent"));
    assert_true(nmail > 0);
    assert_int_equal(count_log(f, "email", "failed"), 0);
    assert_int_equal(count_log(f, "wecom", "sent"), added);
    free_messages(mails, nmail);

    /* The next run finds the same warnings and delivers nothing. */
    out = run_cairn_json(
        NULL, ARGS("--db", f->db, "alerts", "run", "--as-of", "2026-11-30", "--format", "json"), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "new")), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "held")), added);
    json_decref(out);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), added);
    nmail = smtp_sink_messages(&f->smtp, &mails);
    assert_int_equal(nmail, count_log(f, "email", "sent"));
    free_messages(mails, nmail);
}

static void digest_sent_by_deliver_digest(void **state)
{
    struct fixture *f = *state;
    json_t *out, *root;
    size_t added;
    struct run_result r;
    char title[128];
    const char *content;

    config(f, "delivery.digest", "daily");
    out = run_cairn_json(
        NULL, ARGS("--db", f->db, "alerts", "run", "--as-of", "2026-11-30", "--format", "json"), 0);
    added = (size_t)json_integer_value(json_object_get(out, "new"));
    json_decref(out);
    assert_true(added > 0);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 0);

    /* 2026-11-30 is over by the time this test runs, so the digest goes. */
    r = run_cairn(NULL, NULL, ARGS("--db", f->db, "deliver", "digest"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 1);
    assert_int_equal(receiver_count(&f->rx, "/feishu"), 1);
    root = json_loads(receiver_request(&f->rx, "/wecom", 0)->body, 0, NULL);
    content = json_string_value(json_object_get(json_object_get(root, "markdown"), "content"));
    snprintf(title, sizeof(title), "**Cairn：2026-11-30 的新预警（%zu 条）**\n1. ", added);
    assert_int_equal(strncmp(content, title, strlen(title)), 0);
    json_decref(root);

    /* Sent once: a second call has nothing queued. */
    r = run_cairn(NULL, NULL, ARGS("--db", f->db, "deliver", "digest"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(run_delivers_each_new_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(digest_sent_by_deliver_digest, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
