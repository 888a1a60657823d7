/*
 * The message formats of src/delivery, checked without a network: each
 * robot's JSON body, WeCom's size limit, the DingTalk signature against
 * a value computed with Python's hmac module (Feishu's too), and the RFC
 * 5322 text of
 * an e-mail (Date, encoded Subject, base64 body).
 */
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "delivery_receiver.h"

#include "delivery/internal.h"

static void fill(struct delivery_message *msg)
{
    delivery_message_init(msg);
    delivery_message_set_title(msg, "T");
    delivery_message_add_line(msg, "a");
    delivery_message_add_line(msg, "b %d", 2);
}

static void robot_bodies_are_documented_shapes(void **state)
{
    struct delivery_message msg;
    char *body;

    (void)state;
    fill(&msg);
    body = robot_body(DELIVERY_WECOM, &msg, "http://x/1");
    assert_string_equal(body, "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":"
                              "\"**T**\\na\\nb 2\\n\\n[http://x/1](http://x/1)\\n\"}}");
    free(body);
    body = robot_body(DELIVERY_DINGTALK, &msg, NULL);
    assert_string_equal(body, "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"T\","
                              "\"text\":\"#### T\\n\\na\\nb 2\\n\"}}");
    free(body);
    body = robot_body(DELIVERY_FEISHU, &msg, "http://x/1");
    assert_string_equal(body, "{\"msg_type\":\"text\",\"content\":{\"text\":"
                              "\"T\\na\\nb 2\\nhttp://x/1\\n\"}}");
    free(body);
    delivery_message_release(&msg);
}

static void wecom_content_cut_to_limit(void **state)
{
    struct delivery_message msg;
    json_t *root;
    const char *content;
    size_t len;
    char *body;

    (void)state;
    delivery_message_init(&msg);
    delivery_message_set_title(&msg, "T");
    /* 3,000 three-byte characters: 9,000 bytes. */
    for (int i = 0; i < 100; i++)
        delivery_message_add_line(&msg, "%s",
                                  "人人人人人人人人人人人人人人人人人人人人人人人人人人人人人人");
    body = robot_body(DELIVERY_WECOM, &msg, NULL);
    /* jansson rejects invalid UTF-8, so the cut fell between characters. */
    root = json_loads(body, 0, NULL);
    assert_non_null(root);
    content = json_string_value(json_object_get(json_object_get(root, "markdown"), "content"));
    len = strlen(content);
    assert_true(len <= 4096);
    assert_true(len > 4096 - 6);
    assert_string_equal(content + len - 3, "…");
    json_decref(root);
    free(body);
    delivery_message_release(&msg);
}

static void dingtalk_signature_matches_reference(void **state)
{
    struct strbuf sig = STRBUF_INIT;

    (void)state;
    /* Python: base64.b64encode(hmac.new(secret, f"{ts}\n{secret}",
     * hashlib.sha256).digest()). */
    assert_int_equal(dingtalk_signature("SEC0123456789abcdef", 1700000000000LL, &sig), 0);
    assert_string_equal(sig.buf, "TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=");
    sb_release(&sig);
}

static void feishu_signature_matches_reference(void **state)
{
    struct strbuf sig = STRBUF_INIT;

    (void)state;
    /* Python: base64.b64encode(hmac.new(f"{ts}\n{secret}", b"",
     * hashlib.sha256).digest()). */
    assert_int_equal(feishu_signature("abcDEF123", 1700000000, &sig), 0);
    assert_string_equal(sig.buf, "qimCYnXKTZRVfEDjgpOq1ke9awsBuC3tn/n151vIck8=");
    sb_release(&sig);
}

static void email_headers_and_body(void **state)
{
    const char *subject = "人力成本率过高：华东一区（2024-03）";
    struct delivery_message msg;
    struct strbuf text = STRBUF_INIT;
    char *value, *decoded, *body;
    const char *p;

    (void)state;
    delivery_message_init(&msg);
    delivery_message_set_title(&msg, subject);
    delivery_message_add_line(&msg, "第一行");
    delivery_message_add_line(&msg, "b");
    delivery_message_add_recipient(&msg, "a@x.cn");
    delivery_message_add_recipient(&msg, "b@x.cn");
    delivery_message_add_recipient(&msg, "a@x.cn");
    assert_int_equal(msg.nrecipients, 2);
    email_format(&msg, "cairn@example.com", "http://x/1", 1700000000, &text);

    assert_int_equal(strncmp(text.buf, "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n",
                             strlen("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n")),
                     0);
    assert_non_null(strstr(text.buf, "\r\nFrom: <cairn@example.com>\r\n"));
    assert_non_null(strstr(text.buf, "\r\nTo: <a@x.cn>,\r\n <b@x.cn>\r\n"));
    assert_non_null(strstr(text.buf, "\r\nMIME-Version: 1.0\r\n"
                                     "Content-Type: text/plain; charset=UTF-8\r\n"
                                     "Content-Transfer-Encoding: base64\r\n\r\n"));
    value = mail_header(text.buf, "Message-ID");
    assert_int_equal(strncmp(value, "<1700000000.", 12), 0);
    assert_string_equal(value + strlen(value) - 13, "@example.com>");
    free(value);

    /* The subject: two encoded words (49 bytes of UTF-8, at most 39 per
     * word, cut between characters), each line within 76 characters. */
    p = strstr(text.buf, "\r\nSubject: ");
    assert_non_null(p);
    p += 2;
    assert_true(strstr(p, "\r\n") - p <= 76);
    assert_int_equal(strncmp(strstr(p, "\r\n"), "\r\n =?UTF-8?B?", 13), 0);
    value = mail_header(text.buf, "Subject");
    decoded = mail_decode_words(value);
    assert_string_equal(decoded, subject);
    free(decoded);
    free(value);

    body = mail_body_base64(text.buf);
    assert_string_equal(body, "第一行\r\nb\r\n\r\nhttp://x/1\r\n");
    free(body);
    sb_release(&text);
    delivery_message_release(&msg);
}

static void unsafe_addresses_skipped(void **state)
{
    static const char *const rejected[] = {
        "",
        "no-at-sign",
        "@example.com",
        "a@",
        "a@b@c",
        "a b@example.com",
        "a@example.com\r\nBcc: x@evil.example",
        "<a@example.com>",
        "a,b@example.com",
        "\"a\"@example.com",
        "a\t@example.com",
    };
    struct delivery_message msg;

    (void)state;
    delivery_message_init(&msg);
    for (size_t i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++)
        delivery_message_add_recipient(&msg, rejected[i]);
    delivery_message_add_recipient(&msg, NULL);
    assert_int_equal(msg.nrecipients, 0);
    delivery_message_add_recipient(&msg, "wang.li+sales@example.com.cn");
    assert_int_equal(msg.nrecipients, 1);
    assert_string_equal(msg.recipients[0], "wang.li+sales@example.com.cn");
    delivery_message_release(&msg);
}

static void channel_names_round_trip(void **state)
{
    (void)state;
    for (int ch = 0; ch < DELIVERY_CHANNEL_COUNT; ch++)
        assert_int_equal(delivery_channel_parse(delivery_channel_name(ch)), ch);
    assert_int_equal(delivery_channel_parse("sms"), -1);
    assert_int_equal(delivery_check_digest(NULL, "daily", NULL), 0);
    assert_int_equal(delivery_check_lang(NULL, "en", NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(robot_bodies_are_documented_shapes),
        cmocka_unit_test(wecom_content_cut_to_limit),
        cmocka_unit_test(dingtalk_signature_matches_reference),
        cmocka_unit_test(feishu_signature_matches_reference),
        cmocka_unit_test(email_headers_and_body),
        cmocka_unit_test(unsafe_addresses_skipped),
        cmocka_unit_test(channel_names_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
