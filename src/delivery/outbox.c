/*
 * The outbox: a keyed message that failed on a channel is kept in
 * delivery_outbox (the message as JSON) and sent again on that channel
 * by delivery_retry_failed, which every delivery of new warnings and
 * "cairn deliver retry" run first. A row leaves the outbox when the
 * channel takes the message, or unsent after OUTBOX_DAYS days, when
 * delivery_log keeps its failure.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "delivery/internal.h"
#include "util/xalloc.h"

/* Days a failed message is retried before it is dropped: a warning
 * older than a week is better read in the application. */
#define OUTBOX_DAYS 7

static json_t *message_to_json(const struct delivery_message *msg)
{
    json_t *lines = json_array(), *recipients = json_array();

    for (size_t i = 0; i < msg->nlines; i++)
        json_array_append_new(lines, json_string(msg->lines[i]));
    for (size_t i = 0; i < msg->nrecipients; i++)
        json_array_append_new(recipients, json_string(msg->recipients[i]));
    return json_pack("{s:s?, s:o, s:s?, s:s?, s:o}", "title", msg->title, "lines", lines, "link",
                     msg->link, "lang", msg->lang, "recipients", recipients);
}

static void message_from_json(const json_t *obj, struct delivery_message *msg)
{
    size_t i;
    json_t *item;

    delivery_message_set_title(msg, json_string_value(json_object_get(obj, "title")));
    delivery_message_set_link(msg, json_string_value(json_object_get(obj, "link")));
    delivery_message_set_lang(msg, json_string_value(json_object_get(obj, "lang")));
    json_array_foreach(json_object_get(obj, "lines"), i, item)
        delivery_message_add_line(msg, "%s", json_is_string(item) ? json_string_value(item) : "");
    json_array_foreach(json_object_get(obj, "recipients"), i, item)
        delivery_message_add_recipient(msg, json_string_value(item));
}

int outbox_update(struct db *db, enum delivery_channel channel, const struct delivery_message *msg,
                  bool sent, struct strbuf *err)
{
    struct db_stmt *st;
    json_t *obj;
    char *text = NULL, now[32];
    time_t t = time(NULL);
    struct tm tm;
    int rc;

    if (!msg->key)
        return 0;
    if (sent) {
        st = db_prepare(db,
                        "DELETE FROM delivery_outbox WHERE channel = ? AND alert_key = ? "
                        "AND day = ?",
                        err);
    } else {
        st = db_prepare(db,
                        "INSERT OR IGNORE INTO delivery_outbox(channel, alert_key, day, "
                        "message, created) VALUES (?, ?, ?, ?, ?)",
                        err);
    }
    if (!st)
        return -1;
    db_bind_text(st, 1, delivery_channel_name(channel));
    db_bind_text(st, 2, msg->key);
    db_bind_text(st, 3, msg->day ? msg->day : "");
    if (!sent) {
        obj = message_to_json(msg);
        text = json_dumps(obj, JSON_COMPACT);
        json_decref(obj);
        gmtime_r(&t, &tm);
        strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
        db_bind_text(st, 4, text);
        db_bind_text(st, 5, now);
    }
    rc = db_step(st, err) == DB_ERROR ? -1 : 0;
    db_finalize(st);
    free(text);
    return rc;
}

/* One row of the outbox, read before any sending. */
struct outbox_row {
    int channel;
    char *key, *day;
    json_t *message;
};

static int load_outbox(struct db *db, struct outbox_row **out, size_t *n, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT channel, alert_key, day, message "
                                    "FROM delivery_outbox ORDER BY id",
                                    err);
    struct outbox_row *rows = NULL;
    size_t alloc = 0;
    int step;

    *n = 0;
    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        XGROW(rows, alloc, *n + 1);
        rows[*n].channel = delivery_channel_parse(db_column_text(st, 0));
        rows[*n].key = xstrdup(db_column_text(st, 1));
        rows[*n].day = xstrdup(db_column_text(st, 2));
        rows[*n].message = json_loads(db_column_text(st, 3), 0, NULL);
        (*n)++;
    }
    db_finalize(st);
    *out = rows;
    return step == DB_ERROR ? -1 : 0;
}

int outbox_retry(struct db *db, const struct delivery_config *cfg, struct strbuf *failures,
                 struct strbuf *err)
{
    struct outbox_row *rows = NULL;
    struct delivery_message msg;
    struct strbuf send_err = STRBUF_INIT;
    struct db_stmt *st;
    time_t t = time(NULL) - (time_t)OUTBOX_DAYS * 86400;
    struct tm tm;
    char when[32];
    size_t n = 0;
    int rc = -1;

    /* Drop what is too old to be worth sending. */
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    st = db_prepare(db, "DELETE FROM delivery_outbox WHERE created < ?", err);
    if (!st)
        goto out;
    db_bind_text(st, 1, when);
    rc = db_step(st, err) == DB_ERROR ? -1 : 0;
    db_finalize(st);
    if (rc || load_outbox(db, &rows, &n, err)) {
        rc = -1;
        goto out;
    }

    /* Each row on its own channel; a success removes it (send.c). */
    for (size_t i = 0; i < n; i++) {
        if (rows[i].channel < 0 || !json_is_object(rows[i].message))
            continue;
        delivery_message_init(&msg);
        message_from_json(rows[i].message, &msg);
        delivery_message_set_key(&msg, rows[i].key, rows[i].day);
        sb_reset(&send_err);
        if (delivery_send_config(db, cfg, &msg, 1u << rows[i].channel, NULL, &send_err))
            sb_addf(failures, "%s\n", sb_str(&send_err));
        delivery_message_release(&msg);
    }
    rc = 0;
out:
    for (size_t i = 0; i < n; i++) {
        free(rows[i].key);
        free(rows[i].day);
        json_decref(rows[i].message);
    }
    free(rows);
    sb_release(&send_err);
    return rc;
}

int delivery_retry_failed(struct db *db, struct strbuf *err)
{
    struct delivery_config cfg;
    struct strbuf failures = STRBUF_INIT;
    int rc;

    if (delivery_config_load(db, &cfg, err))
        return -1;
    rc = outbox_retry(db, &cfg, &failures, err);
    if (rc == 0 && failures.len) {
        sb_truncate(&failures, failures.len - 1);
        sb_add(err, failures.buf);
        rc = -1;
    }
    delivery_config_release(&cfg);
    sb_release(&failures);
    return rc;
}
