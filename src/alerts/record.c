/*
 * The record of warnings kept by `cairn alerts run`, model warnings
 * included once a model is stored: each evaluation adds
 * the warnings that are new, refreshes those that still hold (they keep
 * their id, first date and state) and resolves those that no longer
 * hold; `ack` and `resolve` change a recorded warning's state. New
 * warnings are handed to delivery (src/delivery) after the record is
 * committed, so a failed delivery never loses a warning.
 */
#include <stdlib.h>
#include <string.h>

#include "alerts/alerts.h"
#include "alerts/record.h"
#include "delivery/delivery.h"
#include "metrics/metrics.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct seen {
    int64_t *ids;
    size_t n, alloc;
};

static bool seen_has(const struct seen *s, int64_t id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->ids[i] == id)
            return true;
    return false;
}

/* Stores one warning: refreshes its open record, or inserts a new one.
 * Sets *id and *added. */
static int store(struct db *db, const struct alert *a, const char *day, int64_t *id, bool *added,
                 struct strbuf *err)
{
    struct strbuf identity = STRBUF_INIT;
    struct db_stmt *st = NULL;
    char *figures = json_dumps(a->figures, JSON_COMPACT | JSON_REAL_PRECISION(15));
    int step, rc = -1;

    alert_identity(a, &identity);
    *added = false;
    *id = -1;
    st = db_prepare(db, "SELECT id FROM alerts WHERE identity = ? AND open = 1", err);
    if (!st)
        goto out;
    db_bind_text(st, 1, identity.buf);
    step = db_step(st, err);
    if (step == DB_ERROR)
        goto out;
    if (step == DB_ROW)
        *id = db_column_int64(st, 0);
    db_finalize(st);

    if (*id >= 0) {
        st = db_prepare(db,
                        "UPDATE alerts SET scope = ?, period = ?, figures = ?, owner = ?,"
                        " last_seen = ? WHERE id = ?",
                        err);
        if (!st)
            goto out;
        db_bind_text(st, 1, a->scope);
        db_bind_text(st, 2, a->period);
        db_bind_text(st, 3, figures);
        db_bind_text(st, 4, a->owner);
        db_bind_text(st, 5, day);
        db_bind_int64(st, 6, *id);
    } else {
        st = db_prepare(db,
                        "INSERT INTO alerts (rule, scope, subject, identity, state, first_seen,"
                        " last_seen, period, figures, owner, open)"
                        " VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, 1)",
                        err);
        if (!st)
            goto out;
        db_bind_text(st, 1, alert_rule_name(a->rule));
        db_bind_text(st, 2, a->scope);
        db_bind_text(st, 3, a->subject);
        db_bind_text(st, 4, identity.buf);
        db_bind_text(st, 5, day);
        db_bind_text(st, 6, day);
        db_bind_text(st, 7, a->period);
        db_bind_text(st, 8, figures);
        db_bind_text(st, 9, a->owner);
        *added = true;
    }
    if (db_step(st, err) == DB_ERROR)
        goto out;
    if (*added && db_query_int64(db, "SELECT last_insert_rowid()", -1, id, err))
        goto out;
    rc = 0;
out:
    db_finalize(st);
    free(figures);
    sb_release(&identity);
    return rc;
}

/* Resolves the open records whose warning no longer holds. */
static int resolve_gone(struct db *db, const struct seen *seen, const char *day, size_t *resolved,
                        struct strbuf *err)
{
    struct db_stmt *list = db_prepare(db, "SELECT id FROM alerts WHERE open = 1", err);
    struct db_stmt *close = list ? db_prepare(db,
                                              "UPDATE alerts SET open = 0, state = 'resolved',"
                                              " resolved_on = ? WHERE id = ?",
                                              err)
                                 : NULL;
    struct seen gone = {0};
    int step = DB_ERROR;

    if (!close)
        goto out;
    while ((step = db_step(list, err)) == DB_ROW) {
        int64_t id = db_column_int64(list, 0);

        if (!seen_has(seen, id)) {
            XGROW(gone.ids, gone.alloc, gone.n + 1);
            gone.ids[gone.n++] = id;
        }
    }
    for (size_t i = 0; step == DB_DONE && i < gone.n; i++) {
        db_bind_text(close, 1, day);
        db_bind_int64(close, 2, gone.ids[i]);
        if (db_step(close, err) == DB_ERROR)
            step = DB_ERROR;
        db_reset(close);
    }
    *resolved = gone.n;
out:
    free(gone.ids);
    db_finalize(list);
    db_finalize(close);
    return step == DB_ERROR ? -1 : 0;
}

/* Marks the open records of model warnings as seen, so that a run
 * whose models failed leaves them as they are. */
static int keep_model_records(struct db *db, struct seen *seen, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT id FROM alerts WHERE open = 1 AND rule IN"
                                    " ('attrition_risk_high', 'churn_risk_high', 'sales_turning')",
                                    err);
    int step = DB_ERROR;

    while (st && (step = db_step(st, err)) == DB_ROW) {
        XGROW(seen->ids, seen->alloc, seen->n + 1);
        seen->ids[seen->n++] = db_column_int64(st, 0);
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* Hands the new warnings to delivery (src/delivery). Each links to its
 * page in the application, /#/alerts/ID, with the recorded id. */
static int deliver(struct db *db, const struct alert_list *list, const bool *added,
                   const int64_t *ids, const char *day, struct strbuf *err)
{
    struct delivery_warning *w;
    struct strbuf *links, *identities;
    size_t n = 0;
    int rc;

    w = xcalloc(list->n + 1, sizeof(*w));
    links = xcalloc(list->n + 1, sizeof(*links));
    identities = xcalloc(list->n + 1, sizeof(*identities));
    for (size_t i = 0; i < list->n; i++) {
        const struct alert *a = &list->items[i];

        if (!added[i])
            continue;
        sb_init(&links[n]);
        sb_init(&identities[n]);
        sb_addf(&links[n], "/#/alerts/%lld", (long long)ids[i]);
        alert_identity(a, &identities[n]);
        w[n].rule = alert_rule_name(a->rule);
        w[n].scope = a->scope;
        w[n].subject = a->subject;
        w[n].period = a->period;
        w[n].owner = a->owner;
        w[n].figures = a->figures;
        w[n].link = links[n].buf;
        w[n].identity = identities[n].buf;
        w[n].first_seen = day;
        n++;
    }
    rc = n ? alerts_deliver_new(db, day, w, n, err) : 0;
    for (size_t i = 0; i < n; i++) {
        sb_release(&links[i]);
        sb_release(&identities[i]);
    }
    free(links);
    free(identities);
    free(w);
    return rc;
}

int alerts_record(struct db *db, cdate as_of, struct alert_run_summary *sum, struct strbuf *err)
{
    struct alert_list list;
    struct seen seen = {0};
    struct strbuf model_err = STRBUF_INIT;
    bool *added = NULL, models_failed;
    int64_t *ids = NULL;
    unsigned skipped;
    char day[DATE_BUFSIZE];
    int rc;

    memset(sum, 0, sizeof(*sum));
    date_format(as_of, day);
    rc = alerts_evaluate(db, as_of, NULL, &list, err);
    if (rc)
        goto out;
    /* A model that fails never holds up the rules' warnings. */
    models_failed = alerts_evaluate_models(db, as_of, NULL, true, &list, &skipped, &model_err) != 0;
    rc = -1;
    added = xcalloc(list.n + 1, sizeof(*added));
    ids = xcalloc(list.n + 1, sizeof(*ids));

    /* One transaction, so the record never contains half an evaluation. */
    if (db_begin(db, err))
        goto out;
    for (size_t i = 0; i < list.n; i++) {
        if (store(db, &list.items[i], day, &ids[i], &added[i], err)) {
            db_rollback(db);
            goto out;
        }
        XGROW(seen.ids, seen.alloc, seen.n + 1);
        seen.ids[seen.n++] = ids[i];
        if (added[i])
            sum->added++;
        else
            sum->held++;
    }
    if ((models_failed && keep_model_records(db, &seen, err)) ||
        resolve_gone(db, &seen, day, &sum->resolved, err) || db_commit(db, err)) {
        db_rollback(db);
        goto out;
    }

    /* Delivery comes after the commit, so the record is kept either way. */
    rc = deliver(db, &list, added, ids, day, err) ? ALERTS_DELIVERY_FAILED : 0;
    if (models_failed) {
        if (err->len)
            sb_add(err, "; ");
        sb_addf(err, _("model warnings were not evaluated: %s"), model_err.buf);
        rc = rc ? rc : ALERTS_MODELS_FAILED;
    }
out:
    sb_release(&model_err);
    alert_list_free(&list);
    free(seen.ids);
    free(added);
    free(ids);
    return rc;
}

int alerts_attach_records(struct db *db, struct alert_list *list, struct strbuf *err)
{
    struct strbuf identity = STRBUF_INIT;
    struct db_stmt *st = db_prepare(db,
                                    "SELECT id, state, first_seen, last_seen FROM alerts"
                                    " WHERE identity = ? AND open = 1",
                                    err);
    int step = DB_DONE;

    for (size_t i = 0; st && step != DB_ERROR && i < list->n; i++) {
        struct alert *a = &list->items[i];

        sb_reset(&identity);
        alert_identity(a, &identity);
        db_bind_text(st, 1, identity.buf);
        step = db_step(st, err);
        if (step == DB_ROW) {
            a->id = db_column_int64(st, 0);
            a->state = xstrdup(db_column_text(st, 1));
            a->first_seen = xstrdup(db_column_text(st, 2));
            a->last_seen = xstrdup(db_column_text(st, 3));
        }
        db_reset(st);
    }
    db_finalize(st);
    sb_release(&identity);
    return !st || step == DB_ERROR ? -1 : 0;
}

int alerts_set_state(struct db *db, int64_t id, const char *state, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "UPDATE alerts SET state = ? WHERE id = ?", err);
    int step;

    if (!st)
        return -1;
    db_bind_text(st, 1, state);
    db_bind_int64(st, 2, id);
    step = db_step(st, err);
    db_finalize(st);
    if (step == DB_ERROR)
        return -1;
    if (!db_changes(db)) {
        sb_addf(err, _("no warning with id %lld"), (long long)id);
        return ALERTS_UNKNOWN_ID;
    }
    return 0;
}
