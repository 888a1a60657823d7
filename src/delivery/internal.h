/*
 * Shared by the files of src/delivery: one attempt on one channel, the
 * channel bodies, and the settings a delivery reads. Not for other
 * folders: they use delivery.h.
 */
#ifndef CAIRN_DELIVERY_INTERNAL_H
#define CAIRN_DELIVERY_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "delivery/delivery.h"

/* The outcome of one request. */
struct attempt_result {
    long code;           /* HTTP status or last SMTP reply code; 0 without one */
    bool retryable;      /* whether another attempt may succeed */
    struct strbuf error; /* why it failed, translated */
};

/* The delivery settings, read once per delivery run. */
struct delivery_config {
    char *url[DELIVERY_CHANNEL_COUNT]; /* "" when the channel is off */
    char *dingtalk_secret;
    char *feishu_secret;
    char *smtp_from;
    char *base_url;
    char *lang;  /* catalog name of delivery.lang */
    bool digest; /* delivery.digest = daily */
    int attempts;
    long retry_delay_ms;
    long timeout_seconds;
};

int delivery_config_load(struct db *db, struct delivery_config *cfg, struct strbuf *err);
void delivery_config_release(struct delivery_config *cfg);

/* delivery_send with settings already loaded. */
int delivery_send_config(struct db *db, const struct delivery_config *cfg,
                         const struct delivery_message *msg, unsigned channels,
                         struct delivery_report *report, struct strbuf *err);

/* Appends link as recipients can open it: an application path
 * ("/#/alerts/7") is joined to delivery.base_url when that is set. */
void delivery_resolve_link(const struct delivery_config *cfg, const char *link, struct strbuf *out);

/* The JSON body of a robot message (WeCom, DingTalk or Feishu); the
 * caller frees the text. */
char *robot_body(enum delivery_channel channel, const struct delivery_message *msg,
                 const char *link);

/* The DingTalk signature of timestamp_ms with secret: base64 of
 * HMAC-SHA256(secret, "<timestamp_ms>\n<secret>"), not yet URL-encoded. */
int dingtalk_signature(const char *secret, int64_t timestamp_ms, struct strbuf *out);

/* The Feishu signature of timestamp (Unix seconds) with secret: base64 of
 * HMAC-SHA256 keyed with "<timestamp>\n<secret>" over empty data. */
int feishu_signature(const char *secret, int64_t timestamp, struct strbuf *out);

/* POSTs a robot message once. Returns 0 when the robot accepted it. */
int robot_attempt(enum delivery_channel channel, const struct delivery_config *cfg,
                  const struct delivery_message *msg, const char *link, struct attempt_result *res);

/* The RFC 5322 text of an e-mail (CRLF line ends) sent at unix time now. */
void email_format(const struct delivery_message *msg, const char *from, const char *link,
                  time_t now, struct strbuf *out);

/* Sends an e-mail once through cfg's SMTP server. Returns 0 when the
 * server accepted it for every recipient. */
int email_attempt(const struct delivery_config *cfg, const struct delivery_message *msg,
                  const char *link, struct attempt_result *res);

/* Formats a warning as a message in the current gettext language, with
 * its key (the identity) and day (first seen, else today) and the e-mail
 * recipients: the owner, else the company's manager. */
int warning_format(struct db *db, const struct delivery_warning *w, const char *today,
                   struct delivery_message *msg, struct strbuf *err);

/* Adds a formatted warning to the digest queue of its day (once). */
int digest_queue(struct db *db, const struct delivery_message *msg, struct strbuf *err);

/* delivery_flush_digest with settings already loaded. */
int digest_flush(struct db *db, const struct delivery_config *cfg, const char *today,
                 int include_today, struct strbuf *err);

/* Keeps a keyed message that failed on channel in the outbox, or takes
 * it out once sent. */
int outbox_update(struct db *db, enum delivery_channel channel, const struct delivery_message *msg,
                  bool sent, struct strbuf *err);

/* delivery_retry_failed with settings already loaded: channel failures go
 * to failures (a line each), database errors to err with -1. */
int outbox_retry(struct db *db, const struct delivery_config *cfg, struct strbuf *failures,
                 struct strbuf *err);

/* Switches gettext to the catalog lang and returns what to pass to
 * delivery_lang_pop to switch back. */
char *delivery_lang_push(const char *lang);
void delivery_lang_pop(char *saved);

#endif
