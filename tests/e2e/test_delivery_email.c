/*
 * End-to-end tests of e-mail delivery through a real SMTP server on
 * loopback (Debian's python3-aiosmtpd, writing a Maildir): the envelope,
 * the From, To and RFC 2047 Subject headers, Date and Message-ID, the
 * UTF-8 body, and retries when the server cannot be reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delivery_receiver.h"
#include "support.h"

struct fixture {
    char *dir;
    struct smtp_sink smtp;
};

static void config(struct fixture *f, const char *name, const char *value)
{
    struct run_result r = run_cairn(f->dir, NULL, ARGS("config", name, value));

    if (r.status != 0)
        fail_msg("cairn config %s failed: %s", name, r.err);
    run_result_free(&r);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct run_result r;
    char url[64];

    f->dir = make_temp_dir();
    r = run_cairn(f->dir, NULL, ARGS("init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    smtp_sink_start(&f->smtp);
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", f->smtp.port);
    config(f, "delivery.smtp.url", url);
    config(f, "delivery.smtp.from", "cairn@example.com");
    config(f, "delivery.retry_delay_ms", "10");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    smtp_sink_stop(&f->smtp);
    remove_tree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void free_messages(char **messages, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(messages[i]);
    free(messages);
}

static void test_message_arrives(void **state)
{
    struct fixture *f = *state;
    char **messages, *value, *decoded, *body;
    size_t n;
    json_t *out, *o;

    /* delivery.lang defaults to Chinese, so the Subject needs RFC 2047. */
    out = run_cairn_json(f->dir,
                         ARGS("deliver", "test", "--channel", "email", "--to", "gm@example.com",
                              "--to", "hr@example.com", "--format", "json"),
                         0);
    o = json_array_get(json_object_get(out, "channels"), 0);
    assert_string_equal(json_string_value(json_object_get(o, "channel")), "email");
    assert_string_equal(json_string_value(json_object_get(o, "status")), "sent");
    assert_int_equal(json_integer_value(json_object_get(o, "attempts")), 1);
    assert_int_equal(json_integer_value(json_object_get(o, "response_code")), 250);
    json_decref(out);

    n = smtp_sink_messages(&f->smtp, &messages);
    assert_int_equal(n, 1);

    /* The envelope, as aiosmtpd recorded it. */
    value = mail_header(messages[0], "X-MailFrom");
    assert_string_equal(value, "cairn@example.com");
    free(value);
    value = mail_header(messages[0], "X-RcptTo");
    assert_string_equal(value, "gm@example.com, hr@example.com");
    free(value);

    /* Headers. */
    value = mail_header(messages[0], "From");
    assert_string_equal(value, "<cairn@example.com>");
    free(value);
    value = mail_header(messages[0], "To");
    assert_string_equal(value, "<gm@example.com>, <hr@example.com>");
    free(value);
    value = mail_header(messages[0], "Subject");
    assert_non_null(strstr(value, "=?UTF-8?B?"));
    decoded = mail_decode_words(value);
    assert_string_equal(decoded, "Cairn 测试消息");
    free(decoded);
    free(value);
    value = mail_header(messages[0], "Content-Type");
    assert_string_equal(value, "text/plain; charset=UTF-8");
    free(value);
    value = mail_header(messages[0], "Date");
    assert_non_null(value);
    assert_int_equal(strlen(value), strlen("Fri, 04 Dec 2026 21:30:00 +0000"));
    assert_string_equal(value + strlen(value) - 6, " +0000");
    free(value);
    value = mail_header(messages[0], "Message-ID");
    assert_non_null(value);
    assert_true(value[0] == '<');
    assert_string_equal(value + strlen(value) - strlen("@example.com>"), "@example.com>");
    free(value);

    /* The body: UTF-8 lines with CRLF ends. */
    body = mail_body_base64(messages[0]);
    assert_int_equal(strncmp(body, "这是 Cairn 发给公司的测试消息。\r\n发送时间 ",
                             strlen("这是 Cairn 发给公司的测试消息。\r\n发送时间 ")),
                     0);
    free(body);
    free_messages(messages, n);
}

static void default_recipient_is_sender(void **state)
{
    struct fixture *f = *state;
    struct run_result r;
    char **messages, *value;
    size_t n;

    config(f, "delivery.lang", "en");
    r = run_cairn(f->dir, NULL, ARGS("--lang", "en", "deliver", "test", "--channel", "email"));
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "email: sent (attempts: 1, response code 250)\n");
    run_result_free(&r);

    n = smtp_sink_messages(&f->smtp, &messages);
    assert_int_equal(n, 1);
    value = mail_header(messages[0], "X-RcptTo");
    assert_string_equal(value, "cairn@example.com");
    free(value);
    /* A short ASCII subject is written as it is. */
    value = mail_header(messages[0], "Subject");
    assert_string_equal(value, "Cairn test message");
    free(value);
    free_messages(messages, n);
}

static void unreachable_server_is_retried(void **state)
{
    struct fixture *f = *state;
    json_t *out, *o;
    char url[64];

    /* The sink's port after the sink stopped: nothing listens there. */
    snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", f->smtp.port);
    smtp_sink_stop(&f->smtp);
    config(f, "delivery.smtp.url", url);
    config(f, "delivery.attempts", "2");
    out = run_cairn_json(
        f->dir, ARGS("--lang", "en", "deliver", "test", "--channel", "email", "--format", "json"),
        1);
    o = json_array_get(json_object_get(out, "channels"), 0);
    assert_string_equal(json_string_value(json_object_get(o, "status")), "failed");
    assert_int_equal(json_integer_value(json_object_get(o, "attempts")), 2);
    assert_non_null(
        strstr(json_string_value(json_object_get(o, "error")), "sending the e-mail failed"));
    json_decref(out);
    smtp_sink_start(&f->smtp); /* for the teardown */
}

static void missing_sender_fails(void **state)
{
    struct fixture *f = *state;
    json_t *out, *o;

    config(f, "delivery.smtp.from", "");
    out = run_cairn_json(f->dir,
                         ARGS("--lang", "en", "deliver", "test", "--channel", "email", "--to",
                              "gm@example.com", "--format", "json"),
                         1);
    o = json_array_get(json_object_get(out, "channels"), 0);
    assert_string_equal(json_string_value(json_object_get(o, "status")), "failed");
    assert_int_equal(json_integer_value(json_object_get(o, "attempts")), 1);
    assert_non_null(
        strstr(json_string_value(json_object_get(o, "error")), "delivery.smtp.from is empty"));
    json_decref(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_message_arrives, setup, teardown),
        cmocka_unit_test_setup_teardown(default_recipient_is_sender, setup, teardown),
        cmocka_unit_test_setup_teardown(unreachable_server_is_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_sender_fails, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
