/*
 * Delivery of warnings to people outside the application: WeCom,
 * DingTalk and Feishu group robots (HTTPS webhooks) and e-mail through
 * an SMTP server, each configured by its delivery.* setting and skipped
 * while that setting is empty. Every send is retried with back-off,
 * bounded by a timeout, and recorded in the delivery_log table. A
 * message that carries a key is sent once per channel, key and day, even
 * across restarts. The message model knows nothing of the
 * alert rules: alerts_deliver_new turns plain warning data into messages
 * in the delivery language.
 */
#ifndef CAIRN_DELIVERY_H
#define CAIRN_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "db/db.h"
#include "util/strbuf.h"

enum delivery_channel {
    DELIVERY_WECOM,
    DELIVERY_DINGTALK,
    DELIVERY_FEISHU,
    DELIVERY_EMAIL,
    DELIVERY_CHANNEL_COUNT
};

/* A bit set of channels: 1u << DELIVERY_WECOM, ... */
#define DELIVERY_ALL_CHANNELS ((1u << DELIVERY_CHANNEL_COUNT) - 1)

/* Validators of delivery.digest (off or daily) and delivery.lang (a
 * language Cairn has a catalog for), run by setting_set. */
int delivery_check_digest(struct db *db, const char *value, struct strbuf *err);
int delivery_check_lang(struct db *db, const char *value, struct strbuf *err);

/* The channel's name as used on the command line and in the log
 * ("wecom", "dingtalk", "feishu", "email"). */
const char *delivery_channel_name(enum delivery_channel channel);
/* Parses a channel name; returns -1 for an unknown one. */
int delivery_channel_parse(const char *name);

/*
 * One message, already in its language. Every string is owned by the
 * message: fill it with the delivery_message_* functions and free it
 * with delivery_message_release.
 */
struct delivery_message {
    char *title;  /* one line: the robots' title, the e-mail Subject */
    char **lines; /* the body, one line of plain text each */
    size_t nlines;
    size_t lines_alloc;
    char *link;        /* an absolute URL or an application path, or NULL */
    char *lang;        /* catalog name of the text: "zh_CN", "en", ... */
    char **recipients; /* e-mail addresses; no e-mail is sent when empty */
    size_t nrecipients;
    size_t recipients_alloc;
    /* Idempotency: with a key, a channel that already delivered the same
     * key for the same day is skipped. NULL key: always sent. */
    char *key;
    char *day; /* YYYY-MM-DD, with key */
};

void delivery_message_init(struct delivery_message *msg);
void delivery_message_release(struct delivery_message *msg);
void delivery_message_set_title(struct delivery_message *msg, const char *title);
void delivery_message_add_line(struct delivery_message *msg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void delivery_message_set_link(struct delivery_message *msg, const char *link);
void delivery_message_set_lang(struct delivery_message *msg, const char *lang);
/* Whether address can go into an SMTP envelope and a To header as it
 * is: one '@' with text on both sides, and no blanks, control characters,
 * quotes, commas or angle brackets, so that it can never add a header. */
bool delivery_address_is_plain(const char *address);
/* Adds an address unless the message already has it or it is not plain
 * (delivery_address_is_plain), which is skipped. */
void delivery_message_add_recipient(struct delivery_message *msg, const char *address);
void delivery_message_set_key(struct delivery_message *msg, const char *key, const char *day);

/* The outcome of one message on one channel. */
enum delivery_status {
    DELIVERY_NOT_CONFIGURED, /* setting empty, or no recipients for e-mail */
    DELIVERY_SENT,
    DELIVERY_ALREADY_SENT, /* the key was delivered on this channel that day */
    DELIVERY_FAILED,
};

struct delivery_outcome {
    enum delivery_status status;
    int attempts;
    long response_code;  /* HTTP status or SMTP reply code; 0 without one */
    struct strbuf error; /* why it failed, translated */
};

struct delivery_report {
    struct delivery_outcome channel[DELIVERY_CHANNEL_COUNT];
};

void delivery_report_init(struct delivery_report *report);
void delivery_report_release(struct delivery_report *report);

/*
 * Sends msg to every configured channel in the set channels (a
 * DELIVERY_ALL_CHANNELS-style mask) and logs each channel's outcome in
 * delivery_log. report (may be NULL) receives the outcomes. Returns 0
 * when no channel failed, -1 otherwise with one line per failed channel
 * in err. A missing setting is not a failure.
 */
int delivery_send(struct db *db, const struct delivery_message *msg, unsigned channels,
                  struct delivery_report *report, struct strbuf *err);

/* delivery_send to all channels, without a report. */
int delivery_send_all(struct db *db, const struct delivery_message *msg, struct strbuf *err);

/*
 * One warning as the alert rules produce it (metrics.md "Early
 * warnings"). All pointers are borrowed for the duration of the call.
 */
struct delivery_warning {
    const char *rule;      /* "labor_cost_high", ... */
    const char *scope;     /* "company", "unit:T01", "employee:E001" */
    const char *subject;   /* unit id, employee id, customer id, ... */
    const char *period;    /* "YYYY-MM" or "YYYY-MM-DD" */
    const char *owner;     /* employee id of who should act, or NULL (the GM) */
    const json_t *figures; /* JSON object of the figures that fired it */
    const char *link;      /* drill-down: absolute URL or application path */
    /* The warning's identity; NULL: rule/scope/subject, or rule/subject
     * for customer_at_risk, whose scope moves with a hand-over. */
    const char *identity;
    const char *first_seen; /* YYYY-MM-DD; NULL: today */
};

/*
 * Delivers warnings that are new at this evaluation, after retrying the
 * messages that failed before (delivery_retry_failed). today is the date
 * of the evaluation in company time (YYYY-MM-DD). With delivery.digest =
 * off, sends one message per warning to every channel, the e-mail to
 * the owner (or, without one, to the company's manager). With daily,
 * queues the warnings and sends, as one message per channel, the digest
 * of every earlier day still queued. Text is in the language of
 * delivery.lang. Returns 0, or -1 with a message in err when a delivery
 * failed (each failure is also in delivery_log; the rest were sent).
 */
int alerts_deliver_new(struct db *db, const char *today, const struct delivery_warning *warnings,
                       size_t nwarnings, struct strbuf *err);

/*
 * Sends again, each on its own channel, the keyed messages that failed
 * there (the outbox), dropping those older than a week. Returns 0, or -1
 * with a message in err when one failed again.
 */
int delivery_retry_failed(struct db *db, struct strbuf *err);

/*
 * Sends the digest of every queued day before today (or up to and
 * including today when include_today is set), one message per day.
 * Returns 0, or -1 with a message in err.
 */
int delivery_flush_digest(struct db *db, const char *today, int include_today, struct strbuf *err);

#endif
