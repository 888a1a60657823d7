/*
 * Sending one message to the configured channels: retries with
 * exponential back-off (delivery.retry_delay_ms, doubled after every
 * failed attempt, delivery.attempts in all), the idempotency check and
 * the delivery_log table. A keyed message is skipped on a channel whose
 * log already has it sent for the same day, so that evaluating again
 * after a restart does not deliver a warning twice. A keyed message that
 * failed goes to the outbox (outbox.c). The check and the send are not
 * one transaction, so a crash between a robot's acceptance and the log
 * row would send that message again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "delivery/internal.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/log.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) && errno == EINTR)
        ;
}

static void utc_now(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Whether delivery_log has msg's key sent on channel for its day. */
static int already_sent(struct db *db, enum delivery_channel channel,
                        const struct delivery_message *msg, bool *sent, struct strbuf *err)
{
    struct db_stmt *st;
    int rc;

    *sent = false;
    if (!msg->key)
        return 0;
    st = db_prepare(db,
                    "SELECT 1 FROM delivery_log WHERE channel = ? AND alert_key = ? "
                    "AND day = ? AND status = 'sent'",
                    err);
    if (!st)
        return -1;
    db_bind_text(st, 1, delivery_channel_name(channel));
    db_bind_text(st, 2, msg->key);
    db_bind_text(st, 3, msg->day ? msg->day : "");
    rc = db_step(st, err);
    db_finalize(st);
    if (rc == DB_ERROR)
        return -1;
    *sent = rc == DB_ROW;
    return 0;
}

static int log_outcome(struct db *db, enum delivery_channel channel,
                       const struct delivery_message *msg, const struct delivery_outcome *outcome,
                       struct strbuf *err)
{
    struct db_stmt *st;
    char now[32];
    int rc;

    utc_now(now);
    st = db_prepare(db,
                    "INSERT INTO delivery_log(time, channel, alert_key, day, attempts, status, "
                    "response_code, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    err);
    if (!st)
        return -1;
    db_bind_text(st, 1, now);
    db_bind_text(st, 2, delivery_channel_name(channel));
    db_bind_text(st, 3, msg->key);
    if (msg->key)
        db_bind_text(st, 4, msg->day ? msg->day : "");
    else
        db_bind_null(st, 4);
    db_bind_int64(st, 5, outcome->attempts);
    db_bind_text(st, 6, outcome->status == DELIVERY_SENT ? "sent" : "failed");
    if (outcome->response_code)
        db_bind_int64(st, 7, outcome->response_code);
    else
        db_bind_null(st, 7);
    db_bind_text(st, 8, outcome->status == DELIVERY_SENT ? NULL : sb_str(&outcome->error));
    rc = db_step(st, err);
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* Sends on one channel with retries; fills outcome. */
static void send_with_retries(const struct delivery_config *cfg, enum delivery_channel channel,
                              const struct delivery_message *msg, const char *link,
                              struct delivery_outcome *outcome)
{
    struct attempt_result res = {0, false, STRBUF_INIT};
    long delay = cfg->retry_delay_ms;
    int rc;

    for (int attempt = 1; attempt <= cfg->attempts; attempt++) {
        sb_reset(&res.error);
        if (channel == DELIVERY_EMAIL)
            rc = email_attempt(cfg, msg, link, &res);
        else
            rc = robot_attempt(channel, cfg, msg, link, &res);
        outcome->attempts = attempt;
        outcome->response_code = res.code;
        if (rc == 0) {
            outcome->status = DELIVERY_SENT;
            goto out;
        }
        if (!res.retryable || attempt == cfg->attempts)
            break;
        log_line(LOG_WARN, 0, NULL,
                 "delivery to %s, attempt %d of %d failed: %s; retrying in %ld ms",
                 delivery_channel_name(channel), attempt, cfg->attempts, sb_str(&res.error), delay);
        sleep_ms(delay);
        delay *= 2;
    }
    outcome->status = DELIVERY_FAILED;
    sb_add(&outcome->error, sb_str(&res.error));
out:
    sb_release(&res.error);
}

void delivery_resolve_link(const struct delivery_config *cfg, const char *link, struct strbuf *out)
{
    size_t base_len = strlen(cfg->base_url);

    if (!link)
        return;
    if (link[0] == '/' && base_len) {
        sb_add(out, cfg->base_url);
        if (cfg->base_url[base_len - 1] == '/')
            sb_truncate(out, out->len - 1);
    }
    sb_add(out, link);
}

int delivery_send_config(struct db *db, const struct delivery_config *cfg,
                         const struct delivery_message *msg, unsigned channels,
                         struct delivery_report *report, struct strbuf *err)
{
    struct delivery_report local;
    struct strbuf link = STRBUF_INIT;
    struct delivery_outcome *outcome;
    bool sent;
    int failed = 0;

    delivery_report_init(&local);
    if (!report)
        report = &local;
    delivery_resolve_link(cfg, msg->link, &link);

    for (int ch = 0; ch < DELIVERY_CHANNEL_COUNT; ch++) {
        outcome = &report->channel[ch];
        outcome->status = DELIVERY_NOT_CONFIGURED;
        if (!(channels & (1u << ch)) || !*cfg->url[ch] ||
            (ch == DELIVERY_EMAIL && msg->nrecipients == 0))
            continue;

        if (already_sent(db, ch, msg, &sent, err))
            goto fail;
        if (sent) {
            outcome->status = DELIVERY_ALREADY_SENT;
            continue;
        }
        send_with_retries(cfg, ch, msg, link.buf, outcome);
        if (log_outcome(db, ch, msg, outcome, err) ||
            outbox_update(db, ch, msg, outcome->status == DELIVERY_SENT, err))
            goto fail;
        if (outcome->status == DELIVERY_FAILED) {
            log_line(LOG_ERROR, 0, NULL, "delivery to %s failed after %d attempts: %s",
                     delivery_channel_name(ch), outcome->attempts, sb_str(&outcome->error));
            sb_addf(err, _("%s%s: delivery failed after %d attempts: %s"), failed ? "\n" : "",
                    delivery_channel_name(ch), outcome->attempts, sb_str(&outcome->error));
            failed = 1;
        }
    }
    sb_release(&link);
    delivery_report_release(&local);
    return failed ? -1 : 0;
fail:
    sb_release(&link);
    delivery_report_release(&local);
    return -1;
}

int delivery_send(struct db *db, const struct delivery_message *msg, unsigned channels,
                  struct delivery_report *report, struct strbuf *err)
{
    struct delivery_config cfg;
    int rc;

    if (delivery_config_load(db, &cfg, err))
        return -1;
    rc = delivery_send_config(db, &cfg, msg, channels, report, err);
    delivery_config_release(&cfg);
    return rc;
}

int delivery_send_all(struct db *db, const struct delivery_message *msg, struct strbuf *err)
{
    return delivery_send(db, msg, DELIVERY_ALL_CHANNELS, NULL, err);
}
