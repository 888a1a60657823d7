/*
 * End-to-end tests of "cairn deliver test" against local stand-ins for
 * the WeCom, DingTalk and Feishu group robots. They check the documented
 * JSON shape of each message and DingTalk's signature, recomputed here
 * with OpenSSL. A 5xx or a non-zero errcode is retried, a 4xx is not, and
 * the delivery log records the outcome.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "delivery_receiver.h"
#include "support.h"

struct fixture {
    char *dir;
    struct receiver rx;
};

static void config(struct fixture *f, const char *name, const char *value)
{
    struct run_result r = run_cairn(f->dir, NULL, ARGS("config", name, value));

    if (r.status != 0)
        fail_msg("cairn config %s failed: %s", name, r.err);
    run_result_free(&r);
}

static void robot_url(struct fixture *f, const char *setting, const char *path)
{
    char url[128];

    snprintf(url, sizeof(url), "%s%s", f->rx.base_url, path);
    config(f, setting, url);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct run_result r;

    f->dir = make_temp_dir();
    r = run_cairn(f->dir, NULL, ARGS("init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    receiver_start(&f->rx);
    config(f, "delivery.lang", "en");
    config(f, "delivery.retry_delay_ms", "10");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    receiver_stop(&f->rx);
    remove_tree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* The outcome object of channel in "cairn deliver test --format json". */
static json_t *outcome_of(json_t *out, const char *channel)
{
    size_t i;
    json_t *item;

    json_array_foreach(json_object_get(out, "channels"), i,
                       item) if (!strcmp(json_string_value(json_object_get(item, "channel")),
                                         channel)) return item;
    fail_msg("no outcome for %s", channel);
    return NULL;
}

static json_t *deliver_test(struct fixture *f, const char *channel, int expect_status)
{
    return run_cairn_json(f->dir, ARGS("deliver", "test", "--channel", channel, "--format", "json"),
                          expect_status);
}

static void robots_get_documented_json(void **state)
{
    struct fixture *f = *state;
    json_t *out, *body, *md, *content;
    const struct received_request *req;

    robot_url(f, "delivery.wecom.url", "/wecom");
    robot_url(f, "delivery.dingtalk.url", "/dingtalk");
    robot_url(f, "delivery.feishu.url", "/feishu");
    out = deliver_test(f, "all", 0);
    assert_int_equal(json_array_size(json_object_get(out, "channels")), 4);
    assert_string_equal(json_string_value(json_object_get(outcome_of(out, "wecom"), "status")),
                        "sent");
    assert_string_equal(json_string_value(json_object_get(outcome_of(out, "dingtalk"), "status")),
                        "sent");
    assert_string_equal(json_string_value(json_object_get(outcome_of(out, "feishu"), "status")),
                        "sent");
    assert_string_equal(json_string_value(json_object_get(outcome_of(out, "email"), "status")),
                        "not_configured");
    assert_int_equal(json_integer_value(json_object_get(outcome_of(out, "wecom"), "response_code")),
                     200);
    json_decref(out);

    /* WeCom: {"msgtype":"markdown","markdown":{"content":...}}. */
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 1);
    req = receiver_request(&f->rx, "/wecom", 0);
    assert_string_equal(req->content_type, "application/json; charset=utf-8");
    body = json_loads(req->body, 0, NULL);
    assert_non_null(body);
    assert_int_equal(json_object_size(body), 2);
    assert_string_equal(json_string_value(json_object_get(body, "msgtype")), "markdown");
    md = json_object_get(body, "markdown");
    assert_int_equal(json_object_size(md), 1);
    content = json_object_get(md, "content");
    assert_true(json_is_string(content));
    assert_int_equal(strncmp(json_string_value(content), "**Cairn test message**\n", 23), 0);
    assert_non_null(
        strstr(json_string_value(content), "This is a test message from Cairn for 公司.\n"));
    json_decref(body);

    /* DingTalk: {"msgtype":"markdown","markdown":{"title":...,"text":...}},
     * unsigned without a secret. */
    assert_int_equal(receiver_count(&f->rx, "/dingtalk"), 1);
    req = receiver_request(&f->rx, "/dingtalk", 0);
    assert_null(req->query_sign);
    assert_null(req->query_timestamp);
    body = json_loads(req->body, 0, NULL);
    assert_non_null(body);
    assert_int_equal(json_object_size(body), 2);
    assert_string_equal(json_string_value(json_object_get(body, "msgtype")), "markdown");
    md = json_object_get(body, "markdown");
    assert_int_equal(json_object_size(md), 2);
    assert_string_equal(json_string_value(json_object_get(md, "title")), "Cairn test message");
    assert_int_equal(
        strncmp(json_string_value(json_object_get(md, "text")),
                "#### Cairn test message\n\nThis is a test message from Cairn for 公司.\n",
                strlen("#### Cairn test message\n\nThis is a test message from Cairn for 公司.\n")),
        0);
    json_decref(body);

    /* Feishu: {"msg_type":"text","content":{"text":...}}. */
    assert_int_equal(receiver_count(&f->rx, "/feishu"), 1);
    req = receiver_request(&f->rx, "/feishu", 0);
    body = json_loads(req->body, 0, NULL);
    assert_non_null(body);
    assert_int_equal(json_object_size(body), 2);
    assert_string_equal(json_string_value(json_object_get(body, "msg_type")), "text");
    content = json_object_get(body, "content");
    assert_int_equal(json_object_size(content), 1);
    assert_int_equal(
        strncmp(json_string_value(json_object_get(content, "text")),
                "Cairn test message\nThis is a test message from Cairn for 公司.\n",
                strlen("Cairn test message\nThis is a test message from Cairn for 公司.\n")),
        0);
    json_decref(body);
}

static void dingtalk_signature_verifies(void **state)
{
    struct fixture *f = *state;
    const char *secret = "SEC7c1f0e4b9a2d8e6f5a3c1b0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f";
    const struct received_request *req;
    unsigned char mac[EVP_MAX_MD_SIZE], expected[64];
    unsigned int mac_len = 0;
    char to_sign[256];
    struct timeval now;
    long long ts, now_ms;
    json_t *out;

    robot_url(f, "delivery.dingtalk.url", "/dingtalk?access_token=abc");
    config(f, "delivery.dingtalk.secret", secret);
    out = deliver_test(f, "dingtalk", 0);
    json_decref(out);
    gettimeofday(&now, NULL);
    now_ms = (long long)now.tv_sec * 1000 + now.tv_usec / 1000;

    req = receiver_request(&f->rx, "/dingtalk", 0);
    assert_non_null(req->query_timestamp);
    assert_non_null(req->query_sign);
    ts = strtoll(req->query_timestamp, NULL, 10);
    assert_true(ts > now_ms - 60000 && ts <= now_ms);

    /* sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)); the
     * receiver has already URL-decoded it. */
    snprintf(to_sign, sizeof(to_sign), "%s\n%s", req->query_timestamp, secret);
    assert_non_null(HMAC(EVP_sha256(), secret, (int)strlen(secret), (unsigned char *)to_sign,
                         strlen(to_sign), mac, &mac_len));
    assert_int_equal(mac_len, 32);
    EVP_EncodeBlock(expected, mac, (int)mac_len);
    assert_string_equal(req->query_sign, (char *)expected);
}

static void feishu_signature_verifies(void **state)
{
    struct fixture *f = *state;
    const char *secret = "b4Xq9Jd2LmP0sT7v";
    unsigned char mac[EVP_MAX_MD_SIZE], expected[64];
    unsigned int mac_len = 0;
    char key[128];
    long long ts, now;
    json_t *out, *body;

    robot_url(f, "delivery.feishu.url", "/feishu");
    config(f, "delivery.feishu.secret", secret);
    out = deliver_test(f, "feishu", 0);
    json_decref(out);
    now = (long long)time(NULL);

    /* The body keeps msg_type and content and gains timestamp (seconds,
     * a string) and sign = base64(HMAC-SHA256 keyed with timestamp + "\n"
     * + secret over empty data). */
    body = json_loads(receiver_request(&f->rx, "/feishu", 0)->body, 0, NULL);
    assert_non_null(body);
    assert_int_equal(json_object_size(body), 4);
    assert_string_equal(json_string_value(json_object_get(body, "msg_type")), "text");
    assert_true(json_is_string(json_object_get(body, "timestamp")));
    ts = strtoll(json_string_value(json_object_get(body, "timestamp")), NULL, 10);
    assert_true(ts > now - 60 && ts <= now);
    snprintf(key, sizeof(key), "%lld\n%s", ts, secret);
    assert_non_null(
        HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)"", 0, mac, &mac_len));
    EVP_EncodeBlock(expected, mac, (int)mac_len);
    assert_string_equal(json_string_value(json_object_get(body, "sign")), (char *)expected);
    json_decref(body);
}

static void retry_after_server_error(void **state)
{
    struct fixture *f = *state;
    json_t *out, *o;

    robot_url(f, "delivery.wecom.url", "/wecom");
    receiver_script(&f->rx, "/wecom", 500, "internal error");
    out = deliver_test(f, "wecom", 0);
    o = outcome_of(out, "wecom");
    assert_string_equal(json_string_value(json_object_get(o, "status")), "sent");
    assert_int_equal(json_integer_value(json_object_get(o, "attempts")), 2);
    assert_int_equal(json_integer_value(json_object_get(o, "response_code")), 200);
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 2);
    json_decref(out);
}

static void no_retry_after_client_error(void **state)
{
    struct fixture *f = *state;
    json_t *out, *o, *log, *row;

    robot_url(f, "delivery.wecom.url", "/wecom");
    receiver_script(&f->rx, "/wecom", 400,
                    "{\"errcode\":40008,\"errmsg\":\"invalid message type\"}");
    out = deliver_test(f, "wecom", 1);
    o = outcome_of(out, "wecom");
    assert_string_equal(json_string_value(json_object_get(o, "status")), "failed");
    assert_int_equal(json_integer_value(json_object_get(o, "attempts")), 1);
    assert_int_equal(json_integer_value(json_object_get(o, "response_code")), 400);
    assert_non_null(strstr(json_string_value(json_object_get(o, "error")), "HTTP 400"));
    assert_int_equal(receiver_count(&f->rx, "/wecom"), 1);
    json_decref(out);

    /* The log has the failure, without the webhook URL. */
    log = run_cairn_json(f->dir, ARGS("deliver", "log", "--format", "json"), 0);
    assert_int_equal(json_array_size(json_object_get(log, "deliveries")), 1);
    row = json_array_get(json_object_get(log, "deliveries"), 0);
    assert_string_equal(json_string_value(json_object_get(row, "channel")), "wecom");
    assert_string_equal(json_string_value(json_object_get(row, "status")), "failed");
    assert_int_equal(json_integer_value(json_object_get(row, "attempts")), 1);
    assert_int_equal(json_integer_value(json_object_get(row, "response_code")), 400);
    assert_true(json_is_null(json_object_get(row, "alert_key")));
    assert_null(strstr(json_string_value(json_object_get(row, "error")), "127.0.0.1"));
    json_decref(log);
}

static void nonzero_errcode_is_retried(void **state)
{
    struct fixture *f = *state;
    json_t *out, *o;

    robot_url(f, "delivery.dingtalk.url", "/dingtalk");
    receiver_script(&f->rx, "/dingtalk", 200, "{\"errcode\":130101,\"errmsg\":\"send too fast\"}");
    out = deliver_test(f, "dingtalk", 0);
    o = outcome_of(out, "dingtalk");
    assert_string_equal(json_string_value(json_object_get(o, "status")), "sent");
    assert_int_equal(json_integer_value(json_object_get(o, "attempts")), 2);
    assert_int_equal(receiver_count(&f->rx, "/dingtalk"), 2);
    json_decref(out);
}

static void attempts_run_out(void **state)
{
    struct fixture *f = *state;
    struct run_result r;
    json_t *out, *o;

    robot_url(f, "delivery.feishu.url", "/feishu");
    config(f, "delivery.attempts", "3");
    for (int i = 0; i < 3; i++)
        receiver_script(&f->rx, "/feishu", 503, "busy");
    out = deliver_test(f, "feishu", 1);
    o = outcome_of(out, "feishu");
    assert_string_equal(json_string_value(json_object_get(o, "status")), "failed");
    assert_int_equal(json_integer_value(json_object_get(o, "attempts")), 3);
    assert_int_equal(json_integer_value(json_object_get(o, "response_code")), 503);
    assert_int_equal(receiver_count(&f->rx, "/feishu"), 3);
    json_decref(out);

    /* The text output names the channel and the failure. */
    for (int i = 0; i < 3; i++)
        receiver_script(&f->rx, "/feishu", 503, "busy");
    r = run_cairn(f->dir, NULL, ARGS("--lang", "en", "deliver", "test", "--channel", "feishu"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(
        r.out, "feishu: failed after 3 attempts: the robot responded with HTTP 503: busy\n"));
    run_result_free(&r);
}

static void feishu_status_forms(void **state)
{
    struct fixture *f = *state;
    json_t *out, *o;

    robot_url(f, "delivery.feishu.url", "/feishu");
    /* Older robots respond with StatusCode. A non-zero code is retried. */
    receiver_script(&f->rx, "/feishu", 200, "{\"code\":19001,\"msg\":\"param invalid\"}");
    receiver_script(&f->rx, "/feishu", 200, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}");
    out = deliver_test(f, "feishu", 0);
    o = outcome_of(out, "feishu");
    assert_string_equal(json_string_value(json_object_get(o, "status")), "sent");
    assert_int_equal(json_integer_value(json_object_get(o, "attempts")), 2);
    json_decref(out);
}

static void unconfigured_channel_fails(void **state)
{
    struct fixture *f = *state;
    struct run_result r;

    r = run_cairn(f->dir, NULL, ARGS("--lang", "en", "deliver", "test"));
    assert_int_equal(r.status, 1);
    assert_string_equal(r.out, "wecom: not configured\ndingtalk: not configured\n"
                               "feishu: not configured\nemail: not configured\n");
    assert_non_null(strstr(r.err, "no delivery channel is configured"));
    run_result_free(&r);

    r = run_cairn(f->dir, NULL, ARGS("--lang", "en", "deliver", "test", "--channel", "sms"));
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unknown channel 'sms'"));
    run_result_free(&r);

    r = run_cairn(f->dir, NULL, ARGS("--lang", "en", "deliver"));
    assert_int_equal(r.status, 2);
    run_result_free(&r);
}

static void settings_reject_bad_values(void **state)
{
    struct fixture *f = *state;
    struct run_result r;

    r = run_cairn(f->dir, NULL, ARGS("--lang", "en", "config", "delivery.digest", "weekly"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "expected off or daily"));
    run_result_free(&r);
    r = run_cairn(f->dir, NULL, ARGS("--lang", "en", "config", "delivery.lang", "fr"));
    assert_int_equal(r.status, 1);
    run_result_free(&r);
    r = run_cairn(f->dir, NULL, ARGS("--lang", "en", "config", "delivery.attempts", "0"));
    assert_int_equal(r.status, 1);
    run_result_free(&r);
    r = run_cairn(f->dir, NULL, ARGS("config", "delivery.digest"));
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "off\n");
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(robots_get_documented_json, setup, teardown),
        cmocka_unit_test_setup_teardown(dingtalk_signature_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(feishu_signature_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(retry_after_server_error, setup, teardown),
        cmocka_unit_test_setup_teardown(no_retry_after_client_error, setup, teardown),
        cmocka_unit_test_setup_teardown(nonzero_errcode_is_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(attempts_run_out, setup, teardown),
        cmocka_unit_test_setup_teardown(feishu_status_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(unconfigured_channel_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(settings_reject_bad_values, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
