/*
 * The group robots: WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书)
 * custom robots, each a webhook URL that takes one JSON message per
 * POST and responds with HTTP 200 and a JSON status object even when
 * it rejects the message:
 * - WeCom: {"msgtype":"markdown","markdown":{"content":...}}, response
 *   {"errcode":0,"errmsg":"ok"} on success;
 * - DingTalk: {"msgtype":"markdown","markdown":{"title":...,"text":...}},
 *   response errcode 0; a robot with a signing secret needs timestamp (Unix
 *   milliseconds) and sign parameters appended to the URL;
 * - Feishu: {"msg_type":"text","content":{"text":...}}, response {"code":0}
 *   (older robots respond with {"StatusCode":0}); a robot with signature
 *   check on needs "timestamp" (Unix seconds, a string) and "sign" in the
 *   body.
 * The webhook URLs contain the robot's token, so neither they nor the
 * secret ever appear in a message or in the log.
 */
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "delivery/internal.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* Size limits of the message text in bytes. WeCom documents 4096 bytes
 * for markdown content. NOTE: the DingTalk and Feishu limits are
 * estimates below their 20 KB request-body limit. */
#define WECOM_MAX_CONTENT 4096
#define OTHER_MAX_CONTENT 18000
/* Bytes of a robot's response that are kept for parsing and messages. */
#define MAX_RESPONSE 65536

/* Cuts text to at most max bytes at a UTF-8 character boundary, ending it
 * with an ellipsis when anything was cut. */
static void truncate_utf8(struct strbuf *text, size_t max)
{
    static const char ellipsis[] = "\xe2\x80\xa6";
    size_t cut;

    if (text->len <= max)
        return;
    cut = max - (sizeof(ellipsis) - 1);
    while (cut > 0 && ((unsigned char)text->buf[cut] & 0xC0) == 0x80)
        cut--;
    sb_truncate(text, cut);
    sb_add(text, ellipsis);
}

static void add_markdown_body(struct strbuf *out, const struct delivery_message *msg,
                              const char *link)
{
    for (size_t i = 0; i < msg->nlines; i++) {
        sb_add(out, msg->lines[i]);
        sb_addch(out, '\n');
    }
    if (link)
        sb_addf(out, "\n[%s](%s)\n", link, link);
}

char *robot_body(enum delivery_channel channel, const struct delivery_message *msg,
                 const char *link)
{
    struct strbuf text = STRBUF_INIT;
    const char *title = msg->title ? msg->title : "";
    json_t *body = NULL;
    char *out;

    switch (channel) {
    case DELIVERY_WECOM:
        sb_addf(&text, "**%s**\n", title);
        add_markdown_body(&text, msg, link);
        truncate_utf8(&text, WECOM_MAX_CONTENT);
        body = json_pack("{s:s, s:{s:s}}", "msgtype", "markdown", "markdown", "content",
                         sb_str(&text));
        break;
    case DELIVERY_DINGTALK:
        sb_addf(&text, "#### %s\n\n", title);
        add_markdown_body(&text, msg, link);
        truncate_utf8(&text, OTHER_MAX_CONTENT);
        body = json_pack("{s:s, s:{s:s, s:s}}", "msgtype", "markdown", "markdown", "title", title,
                         "text", sb_str(&text));
        break;
    case DELIVERY_FEISHU:
        sb_addf(&text, "%s\n", title);
        for (size_t i = 0; i < msg->nlines; i++)
            sb_addf(&text, "%s\n", msg->lines[i]);
        if (link)
            sb_addf(&text, "%s\n", link);
        truncate_utf8(&text, OTHER_MAX_CONTENT);
        body = json_pack("{s:s, s:{s:s}}", "msg_type", "text", "content", "text", sb_str(&text));
        break;
    default:
        BUG("robot_body for channel %d", (int)channel);
    }
    if (!body)
        BUG("json_pack failed for a robot message");
    out = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    sb_release(&text);
    return out;
}

int dingtalk_signature(const char *secret, int64_t timestamp_ms, struct strbuf *out)
{
    struct strbuf to_sign = STRBUF_INIT;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    int n;

    sb_addf(&to_sign, "%lld\n%s", (long long)timestamp_ms, secret);
    if (!HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)to_sign.buf,
              to_sign.len, mac, &mac_len)) {
        sb_release(&to_sign);
        return -1;
    }
    n = EVP_EncodeBlock(b64, mac, (int)mac_len);
    sb_addn(out, (const char *)b64, (size_t)n);
    sb_release(&to_sign);
    return 0;
}

int feishu_signature(const char *secret, int64_t timestamp, struct strbuf *out)
{
    struct strbuf key = STRBUF_INIT;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    int n;

    sb_addf(&key, "%lld\n%s", (long long)timestamp, secret);
    if (!HMAC(EVP_sha256(), key.buf, (int)key.len, (const unsigned char *)"", 0, mac, &mac_len)) {
        sb_release(&key);
        return -1;
    }
    n = EVP_EncodeBlock(b64, mac, (int)mac_len);
    sb_addn(out, (const char *)b64, (size_t)n);
    sb_release(&key);
    return 0;
}

/* Adds Feishu's timestamp and sign to a message body; returns the new
 * body (the caller frees it) or NULL when signing failed. */
static char *sign_feishu_body(const char *secret, const char *body)
{
    struct strbuf sign = STRBUF_INIT, stamp = STRBUF_INIT;
    json_t *root = json_loads(body, 0, NULL);
    time_t now = time(NULL);
    char *out = NULL;

    if (!root)
        BUG("robot_body produced invalid JSON");
    if (feishu_signature(secret, (int64_t)now, &sign) == 0) {
        sb_addf(&stamp, "%lld", (long long)now);
        json_object_set_new(root, "timestamp", json_string(stamp.buf));
        json_object_set_new(root, "sign", json_string(sign.buf));
        out = json_dumps(root, JSON_COMPACT);
    }
    json_decref(root);
    sb_release(&sign);
    sb_release(&stamp);
    return out;
}

static size_t collect_response(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct strbuf *sb = userdata;
    size_t n = size * nmemb;

    if (sb->len < MAX_RESPONSE)
        sb_addn(sb, data, n < MAX_RESPONSE - sb->len ? n : MAX_RESPONSE - sb->len);
    return n;
}

/* Builds the URL to POST to: the webhook, signed for a DingTalk robot
 * with a secret. */
static int robot_url(enum delivery_channel channel, const struct delivery_config *cfg, CURL *curl,
                     struct strbuf *url, struct strbuf *err)
{
    struct strbuf sign = STRBUF_INIT;
    struct timeval now;
    int64_t ms;
    char *escaped;

    sb_add(url, cfg->url[channel]);
    if (channel != DELIVERY_DINGTALK || !*cfg->dingtalk_secret)
        return 0;

    gettimeofday(&now, NULL);
    ms = (int64_t)now.tv_sec * 1000 + now.tv_usec / 1000;
    if (dingtalk_signature(cfg->dingtalk_secret, ms, &sign)) {
        sb_add(err, _("computing the DingTalk signature failed"));
        sb_release(&sign);
        return -1;
    }
    escaped = curl_easy_escape(curl, sign.buf, (int)sign.len);
    sb_addf(url, "%ctimestamp=%lld&sign=%s", strchr(url->buf, '?') ? '&' : '?', (long long)ms,
            escaped);
    curl_free(escaped);
    sb_release(&sign);
    return 0;
}

/* Checks the robot's JSON status: returns 0 when it accepted the message. */
static int check_robot_answer(enum delivery_channel channel, const struct strbuf *answer,
                              struct attempt_result *res)
{
    json_t *root = json_loadb(sb_str(answer), answer->len, 0, NULL);
    json_t *code = NULL, *text = NULL;
    int rc = -1;

    if (root && json_is_object(root)) {
        if (channel == DELIVERY_FEISHU) {
            code = json_object_get(root, "code");
            if (!code)
                code = json_object_get(root, "StatusCode");
            text = json_object_get(root, "msg");
            if (!text)
                text = json_object_get(root, "StatusMessage");
        } else {
            code = json_object_get(root, "errcode");
            text = json_object_get(root, "errmsg");
        }
    }
    if (!json_is_integer(code)) {
        sb_addf(&res->error, _("the robot's response has no status code: %.200s"), sb_str(answer));
    } else if (json_integer_value(code) != 0) {
        sb_addf(&res->error, _("the robot rejected the message: code %lld, %s"),
                (long long)json_integer_value(code),
                json_is_string(text) ? json_string_value(text) : "");
    } else {
        rc = 0;
    }
    json_decref(root);
    return rc;
}

int robot_attempt(enum delivery_channel channel, const struct delivery_config *cfg,
                  const struct delivery_message *msg, const char *link, struct attempt_result *res)
{
    struct strbuf url = STRBUF_INIT, answer = STRBUF_INIT;
    struct curl_slist *headers = NULL;
    char *body = robot_body(channel, msg, link);
    CURL *curl = curl_easy_init();
    CURLcode cc;
    int rc = -1;

    res->code = 0;
    res->retryable = false;
    if (!curl) {
        sb_add(&res->error, _("starting an HTTP request failed"));
        goto out;
    }
    if (robot_url(channel, cfg, curl, &url, &res->error))
        goto out;
    if (channel == DELIVERY_FEISHU && *cfg->feishu_secret) {
        char *signed_body = sign_feishu_body(cfg->feishu_secret, body);

        if (!signed_body) {
            sb_add(&res->error, _("computing the Feishu signature failed"));
            goto out;
        }
        free(body);
        body = signed_body;
    }

    headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8");
    curl_easy_setopt(curl, CURLOPT_URL, url.buf);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, cfg->timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, cfg->timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_response);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "cairn/" CAIRN_VERSION);

    cc = curl_easy_perform(curl);
    if (cc != CURLE_OK) {
        /* A malformed URL or a refused protocol will not heal by waiting. */
        res->retryable = cc != CURLE_URL_MALFORMAT && cc != CURLE_UNSUPPORTED_PROTOCOL;
        sb_addf(&res->error, _("the request failed: %s"), curl_easy_strerror(cc));
        goto out;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &res->code);
    if (res->code < 200 || res->code > 299) {
        res->retryable = res->code >= 500 || res->code == 429;
        sb_addf(&res->error, _("the robot responded with HTTP %ld: %.200s"), res->code,
                sb_str(&answer));
        goto out;
    }
    res->retryable = true;
    rc = check_robot_answer(channel, &answer, res);
out:
    curl_slist_free_all(headers);
    if (curl)
        curl_easy_cleanup(curl);
    free(body);
    sb_release(&url);
    sb_release(&answer);
    return rc;
}
