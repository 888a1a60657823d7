/*
 * E-mail through an SMTP server with libcurl. The RFC 5322 message has
 * Date, From, To, Subject (RFC 2047 encoded words when it is not plain
 * ASCII) and Message-ID headers. Its text/plain UTF-8 body is sent as
 * base64, so the message is 7-bit clean whatever the server supports. delivery.smtp.url may carry
 * credentials (smtp://user:password@host:587); STARTTLS is used when the server offers it, and
 * smtps:// connects over TLS from the start.
 */
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "delivery/internal.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* Bytes of UTF-8 per encoded word: 39 bytes are 52 base64 characters, a
 * 64-character word, so that even the first line, "Subject: " and a word,
 * stays within RFC 2047's 76 characters. */
#define WORD_BYTES 39
/* Base64 characters per body line (RFC 2045 allows at most 76). */
#define BODY_LINE 76

static void add_base64(struct strbuf *out, const unsigned char *data, size_t len)
{
    unsigned char *b64 = xmalloc(4 * ((len + 2) / 3) + 1);
    int n = EVP_EncodeBlock(b64, data, (int)len);

    sb_addn(out, (const char *)b64, (size_t)n);
    free(b64);
}

static bool needs_encoding(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p >= 0x80 || *p < 0x20)
            return true;
    return strlen(text) > 70;
}

/* Adds "Subject: " and the subject, as encoded words folded onto
 * continuation lines when needed, split only at character boundaries. */
static void add_subject(struct strbuf *out, const char *subject)
{
    size_t len = strlen(subject), start = 0, end;

    sb_add(out, "Subject: ");
    if (!needs_encoding(subject)) {
        sb_addf(out, "%s\r\n", subject);
        return;
    }
    while (start < len) {
        end = start + WORD_BYTES < len ? start + WORD_BYTES : len;
        while (end < len && end > start && ((unsigned char)subject[end] & 0xC0) == 0x80)
            end--;
        if (start > 0)
            sb_add(out, "\r\n ");
        sb_add(out, "=?UTF-8?B?");
        add_base64(out, (const unsigned char *)subject + start, end - start);
        sb_add(out, "?=");
        start = end;
    }
    sb_add(out, "\r\n");
}

/* The RFC 5322 date of a Unix time, in UTC, independent of the locale. */
static void add_date(struct strbuf *out, time_t now)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;

    gmtime_r(&now, &tm);
    sb_addf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday,
            months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* A Message-ID unique to this message, in the domain of the sender. */
static void add_message_id(struct strbuf *out, const char *from, time_t now)
{
    unsigned char random[8] = {0};
    const char *domain = strrchr(from, '@');

    if (RAND_bytes(random, sizeof(random)) != 1)
        memset(random, 0, sizeof(random));
    sb_addf(out, "Message-ID: <%lld.%ld.", (long long)now, (long)getpid());
    for (size_t i = 0; i < sizeof(random); i++)
        sb_addf(out, "%02x", random[i]);
    sb_addf(out, "@%s>\r\n", domain && domain[1] ? domain + 1 : "cairn.invalid");
}

void email_format(const struct delivery_message *msg, const char *from, const char *link,
                  time_t now, struct strbuf *out)
{
    struct strbuf body = STRBUF_INIT, encoded = STRBUF_INIT;

    /* Headers. */
    add_date(out, now);
    sb_addf(out, "From: <%s>\r\n", from);
    sb_add(out, "To: ");
    for (size_t i = 0; i < msg->nrecipients; i++)
        sb_addf(out, "%s<%s>", i ? ",\r\n " : "", msg->recipients[i]);
    sb_add(out, "\r\n");
    add_subject(out, msg->title ? msg->title : "");
    add_message_id(out, from, now);
    sb_add(out, "MIME-Version: 1.0\r\n"
                "Content-Type: text/plain; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: base64\r\n"
                "\r\n");

    /* The body: the lines and the link, CRLF line ends, base64 in lines
     * of 76 characters. */
    for (size_t i = 0; i < msg->nlines; i++)
        sb_addf(&body, "%s\r\n", msg->lines[i]);
    if (link)
        sb_addf(&body, "\r\n%s\r\n", link);
    add_base64(&encoded, (const unsigned char *)sb_str(&body), body.len);
    for (size_t i = 0; i < encoded.len; i += BODY_LINE) {
        sb_addn(out, encoded.buf + i, encoded.len - i < BODY_LINE ? encoded.len - i : BODY_LINE);
        sb_add(out, "\r\n");
    }
    sb_release(&body);
    sb_release(&encoded);
}

struct upload {
    const char *data;
    size_t len, pos;
};

static size_t read_upload(char *buffer, size_t size, size_t nitems, void *userdata)
{
    struct upload *up = userdata;
    size_t n = size * nitems;

    if (n > up->len - up->pos)
        n = up->len - up->pos;
    memcpy(buffer, up->data + up->pos, n);
    up->pos += n;
    return n;
}

int email_attempt(const struct delivery_config *cfg, const struct delivery_message *msg,
                  const char *link, struct attempt_result *res)
{
    struct strbuf text = STRBUF_INIT, from = STRBUF_INIT, rcpt = STRBUF_INIT;
    struct curl_slist *recipients = NULL;
    struct upload up;
    CURL *curl = NULL;
    CURLcode cc;
    int rc = -1;

    res->code = 0;
    res->retryable = false;
    if (!*cfg->smtp_from) {
        sb_add(&res->error, _("delivery.smtp.from is empty: set the sender address with "
                              "'cairn config delivery.smtp.from ADDRESS'"));
        goto out;
    }
    curl = curl_easy_init();
    if (!curl) {
        sb_add(&res->error, _("starting an SMTP session failed"));
        goto out;
    }

    /* The envelope and the message. */
    sb_addf(&from, "<%s>", cfg->smtp_from);
    for (size_t i = 0; i < msg->nrecipients; i++) {
        sb_setf(&rcpt, "<%s>", msg->recipients[i]);
        recipients = curl_slist_append(recipients, rcpt.buf);
    }
    email_format(msg, cfg->smtp_from, link, time(NULL), &text);
    up.data = text.buf;
    up.len = text.len;
    up.pos = 0;

    curl_easy_setopt(curl, CURLOPT_URL, cfg->url[DELIVERY_EMAIL]);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.buf);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, cfg->timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, cfg->timeout_seconds);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);

    cc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &res->code);
    if (cc != CURLE_OK) {
        /* SMTP's 4xx replies are transient and 5xx permanent (RFC 5321). */
        if (res->code >= 400 && res->code < 500)
            res->retryable = true;
        else if (res->code >= 500)
            res->retryable = false;
        else
            res->retryable = cc != CURLE_URL_MALFORMAT && cc != CURLE_UNSUPPORTED_PROTOCOL &&
                             cc != CURLE_LOGIN_DENIED;
        sb_addf(&res->error, _("sending the e-mail failed: %s (SMTP reply %ld)"),
                curl_easy_strerror(cc), res->code);
        goto out;
    }
    rc = 0;
out:
    curl_slist_free_all(recipients);
    if (curl)
        curl_easy_cleanup(curl);
    sb_release(&text);
    sb_release(&from);
    sb_release(&rcpt);
    return rc;
}
