/*
 * The daily digest (delivery.digest = daily): new warnings wait in the
 * delivery_queue table under the day they were first seen, and once that
 * day is over the robots get one message listing all of them and each
 * e-mail recipient one message listing theirs. A day's rows leave the
 * queue only when every channel took its digest. When the flush runs
 * again, a channel that took it is skipped, because digests are keyed
 * messages ("digest", and "digest/ADDRESS" for e-mail) like warnings.
 */
#include <stdlib.h>
#include <string.h>

#include "delivery/internal.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define ROBOT_CHANNELS                                                                             \
    ((1u << DELIVERY_WECOM) | (1u << DELIVERY_DINGTALK) | (1u << DELIVERY_FEISHU))

int digest_queue(struct db *db, const struct delivery_message *msg, struct strbuf *err)
{
    json_t *lines = json_array(), *recipients = json_array();
    char *lines_text, *recipients_text;
    struct db_stmt *st;
    int rc;

    for (size_t i = 0; i < msg->nlines; i++)
        json_array_append_new(lines, json_string(msg->lines[i]));
    for (size_t i = 0; i < msg->nrecipients; i++)
        json_array_append_new(recipients, json_string(msg->recipients[i]));
    lines_text = json_dumps(lines, JSON_COMPACT);
    recipients_text = json_dumps(recipients, JSON_COMPACT);
    json_decref(lines);
    json_decref(recipients);

    st = db_prepare(db,
                    "INSERT OR IGNORE INTO delivery_queue(day, alert_key, title, lines, link, "
                    "recipients) VALUES (?, ?, ?, ?, ?, ?)",
                    err);
    rc = st ? 0 : -1;
    if (st) {
        db_bind_text(st, 1, msg->day);
        db_bind_text(st, 2, msg->key);
        db_bind_text(st, 3, msg->title);
        db_bind_text(st, 4, lines_text);
        db_bind_text(st, 5, msg->link);
        db_bind_text(st, 6, recipients_text);
        rc = db_step(st, err) == DB_ERROR ? -1 : 0;
        db_finalize(st);
    }
    free(lines_text);
    free(recipients_text);
    return rc;
}

/* One queued warning. */
struct queued {
    char *title;
    char *link;
    json_t *recipients;
};

static void queued_release(struct queued *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].title);
        free(rows[i].link);
        json_decref(rows[i].recipients);
    }
    free(rows);
}

static int load_day(struct db *db, const char *day, struct queued **out, size_t *n,
                    struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT title, link, recipients FROM delivery_queue "
                                    "WHERE day = ? ORDER BY id",
                                    err);
    struct queued *rows = NULL;
    size_t alloc = 0;
    const char *link;
    int rc;

    *n = 0;
    if (!st)
        return -1;
    db_bind_text(st, 1, day);
    while ((rc = db_step(st, err)) == DB_ROW) {
        XGROW(rows, alloc, *n + 1);
        link = db_column_text(st, 1);
        rows[*n].title = xstrdup(db_column_text(st, 0));
        rows[*n].link = link ? xstrdup(link) : NULL;
        rows[*n].recipients = json_loads(db_column_text(st, 2), 0, NULL);
        (*n)++;
    }
    db_finalize(st);
    *out = rows;
    return rc == DB_ERROR ? -1 : 0;
}

static bool has_recipient(const struct queued *row, const char *address)
{
    size_t i;
    json_t *item;

    json_array_foreach(row->recipients, i,
                       item) if (json_is_string(item) &&
                                 !strcmp(json_string_value(item), address)) return true;
    return false;
}

/* Lists the warnings of rows that address receives (all with NULL). */
static void add_digest_lines(const struct delivery_config *cfg, struct delivery_message *msg,
                             const struct queued *rows, size_t n, const char *address)
{
    struct strbuf link = STRBUF_INIT;
    size_t count = 0;

    for (size_t i = 0; i < n; i++) {
        if (address && !has_recipient(&rows[i], address))
            continue;
        count++;
        sb_reset(&link);
        delivery_resolve_link(cfg, rows[i].link, &link);
        if (link.len)
            delivery_message_add_line(msg, "%zu. %s  %s", count, rows[i].title, link.buf);
        else
            delivery_message_add_line(msg, "%zu. %s", count, rows[i].title);
    }
    sb_release(&link);
}

static size_t count_for(const struct queued *rows, size_t n, const char *address)
{
    size_t count = 0;

    for (size_t i = 0; i < n; i++)
        count += has_recipient(&rows[i], address);
    return count;
}

/* Adds a digest's title in the delivery language lang. */
static void add_title(struct strbuf *out, const char *lang, size_t count, const char *day)
{
    char *saved = delivery_lang_push(lang);

    sb_addf(out, _("Cairn: new warnings of %s (%zu)"), day, count);
    delivery_lang_pop(saved);
}

/* Sends the digests of one day; returns -1 when any channel failed. */
static int flush_day(struct db *db, const struct delivery_config *cfg, const char *day,
                     struct strbuf *err)
{
    struct queued *rows = NULL;
    struct delivery_message msg;
    struct strbuf text = STRBUF_INIT;
    json_t *addresses = json_object();
    const char *address;
    json_t *unused, *item;
    size_t n = 0, j;
    int failed = 0;

    if (load_day(db, day, &rows, &n, err)) {
        failed = 1;
        goto out;
    }

    /* One message to the robots with every warning of the day. */
    delivery_message_init(&msg);
    delivery_message_set_lang(&msg, cfg->lang);
    delivery_message_set_key(&msg, "digest", day);
    add_title(&text, cfg->lang, n, day);
    delivery_message_set_title(&msg, text.buf);
    add_digest_lines(cfg, &msg, rows, n, NULL);
    failed |= delivery_send_config(db, cfg, &msg, ROBOT_CHANNELS, NULL, err) != 0;
    delivery_message_release(&msg);

    /* One e-mail per recipient with their warnings. */
    for (size_t i = 0; i < n; i++)
        json_array_foreach(rows[i].recipients, j, item) if (json_is_string(item))
            json_object_set(addresses, json_string_value(item), json_true());
    json_object_foreach(addresses, address, unused)
    {
        delivery_message_init(&msg);
        delivery_message_set_lang(&msg, cfg->lang);
        sb_setf(&text, "digest/%s", address);
        delivery_message_set_key(&msg, text.buf, day);
        sb_reset(&text);
        add_title(&text, cfg->lang, count_for(rows, n, address), day);
        delivery_message_set_title(&msg, text.buf);
        delivery_message_add_recipient(&msg, address);
        add_digest_lines(cfg, &msg, rows, n, address);
        if (delivery_send_config(db, cfg, &msg, 1u << DELIVERY_EMAIL, NULL, err)) {
            sb_addch(err, '\n');
            failed = 1;
        }
        delivery_message_release(&msg);
    }
    (void)unused;
out:
    queued_release(rows, n);
    json_decref(addresses);
    sb_release(&text);
    return failed ? -1 : 0;
}

int digest_flush(struct db *db, const struct delivery_config *cfg, const char *today,
                 int include_today, struct strbuf *err)
{
    struct db_stmt *st;
    char **days = NULL;
    size_t ndays = 0, alloc = 0;
    int rc, failed = 0;

    /* The days to send, read before any sending. */
    st = db_prepare(db,
                    include_today ? "SELECT DISTINCT day FROM delivery_queue WHERE day <= ? "
                                    "ORDER BY day"
                                  : "SELECT DISTINCT day FROM delivery_queue WHERE day < ? "
                                    "ORDER BY day",
                    err);
    if (!st)
        return -1;
    db_bind_text(st, 1, today);
    while ((rc = db_step(st, err)) == DB_ROW) {
        XGROW(days, alloc, ndays + 1);
        days[ndays++] = xstrdup(db_column_text(st, 0));
    }
    db_finalize(st);
    if (rc == DB_ERROR)
        failed = 1;

    /* Each day leaves the queue once all its digests went out. */
    for (size_t i = 0; i < ndays && !failed; i++) {
        if (flush_day(db, cfg, days[i], err)) {
            failed = 1;
            break;
        }
        st = db_prepare(db, "DELETE FROM delivery_queue WHERE day = ?", err);
        if (!st) {
            failed = 1;
            break;
        }
        db_bind_text(st, 1, days[i]);
        failed = db_step(st, err) == DB_ERROR;
        db_finalize(st);
    }
    for (size_t i = 0; i < ndays; i++)
        free(days[i]);
    free(days);
    return failed ? -1 : 0;
}

int delivery_flush_digest(struct db *db, const char *today, int include_today, struct strbuf *err)
{
    struct delivery_config cfg;
    int rc;

    if (delivery_config_load(db, &cfg, err))
        return -1;
    rc = digest_flush(db, &cfg, today, include_today, err);
    delivery_config_release(&cfg);
    return rc;
}
