/*
 * Import batches: recording a run, listing the runs and undoing one.
 * Undo relies on two facts the writer keeps: every row carries the batch
 * that last wrote it, and batch_changes contains the image of every row a
 * batch overwrote, with the batch that had written it. So restoring the
 * images and then deleting the rows that still carry the batch removes
 * exactly what the batch did.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "import/batches.h"
#include "import/columns.h"
#include "import/import.h"
#include "metrics/rollup.h"
#include "util/i18n.h"
#include "util/xalloc.h"

int batch_create(struct db *db, long long *batch_id, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "INSERT INTO batches (started_at, user) VALUES (?, ?)", err);
    const char *user = getenv("USER");
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    int64_t id = 0;
    int step;

    if (!st)
        return -1;
    gmtime_r(&t, &tm);
    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    db_bind_text(st, 1, now);
    db_bind_text(st, 2, user && *user ? user : "unknown");
    step = db_step(st, err);
    db_finalize(st);
    if (step == DB_ERROR || db_query_int64(db, "SELECT last_insert_rowid()", 0, &id, err))
        return -1;
    *batch_id = id;
    return 0;
}

int batch_add_file(struct db *db, long long batch_id, const char *path, const char *kind,
                   const char *sha256, long rows, long inserted, long updated, long unchanged,
                   long rejected, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "INSERT INTO batch_files (batch_id, path, kind, sha256, rows, "
                                    "inserted, updated, unchanged, rejected) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    err);
    int step;

    if (!st)
        return -1;
    db_bind_int64(st, 1, batch_id);
    db_bind_text(st, 2, path);
    db_bind_text(st, 3, kind);
    db_bind_text(st, 4, sha256);
    db_bind_int64(st, 5, rows);
    db_bind_int64(st, 6, inserted);
    db_bind_int64(st, 7, updated);
    db_bind_int64(st, 8, unchanged);
    db_bind_int64(st, 9, rejected);
    step = db_step(st, err);
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

int batch_finish(struct db *db, long long batch_id, long inserted, long updated,
                 struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "UPDATE batches SET inserted = ?, updated = ? WHERE batch_id = ?", err);
    int step;

    if (!st)
        return -1;
    db_bind_int64(st, 1, inserted);
    db_bind_int64(st, 2, updated);
    db_bind_int64(st, 3, batch_id);
    step = db_step(st, err);
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

static json_t *batch_files_json(struct db *db, int64_t batch_id, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "SELECT path, sha256 FROM batch_files WHERE batch_id = ? ORDER BY rowid", err);
    json_t *files = json_array();
    int step;

    if (!st) {
        json_decref(files);
        return NULL;
    }
    db_bind_int64(st, 1, batch_id);
    while ((step = db_step(st, err)) == DB_ROW) {
        json_t *f = json_object();

        json_object_set_new(f, "path", json_string(db_column_text(st, 0)));
        json_object_set_new(f, "sha256", json_string(db_column_text(st, 1)));
        json_array_append_new(files, f);
    }
    db_finalize(st);
    if (step == DB_ERROR) {
        json_decref(files);
        return NULL;
    }
    return files;
}

json_t *imports_list(struct db *db, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT batch_id, started_at, user, inserted, updated, undone "
                                    "FROM batches ORDER BY batch_id DESC",
                                    err);
    json_t *list = json_array(), *files;
    int step;

    if (!st)
        goto fail;
    while ((step = db_step(st, err)) == DB_ROW) {
        json_t *b = json_object();

        json_array_append_new(list, b);
        json_object_set_new(b, "batch", json_integer(db_column_int64(st, 0)));
        json_object_set_new(b, "time", json_string(db_column_text(st, 1)));
        json_object_set_new(b, "user", json_string(db_column_text(st, 2)));
        files = batch_files_json(db, db_column_int64(st, 0), err);
        if (!files)
            goto fail;
        json_object_set_new(b, "files", files);
        json_object_set_new(b, "inserted", json_integer(db_column_int64(st, 3)));
        json_object_set_new(b, "updated", json_integer(db_column_int64(st, 4)));
        json_object_set_new(b, "undone", json_boolean(db_column_int64(st, 5)));
    }
    if (step == DB_ERROR)
        goto fail;
    db_finalize(st);
    return list;
fail:
    db_finalize(st);
    json_decref(list);
    return NULL;
}

/* Restores one before-image: every column from the JSON object, and the
 * batch that had written the row. */
static int restore_row(struct db *db, const struct table_layout *t, const char *key_json,
                       const char *before_json, struct db_stmt *st, struct strbuf *err)
{
    json_t *key = json_loads(key_json, 0, NULL), *before = json_loads(before_json, 0, NULL);
    int rc = -1;

    (void)db;
    if (!json_is_array(key) || !json_is_object(before) || json_array_size(key) != t->nkeys) {
        sb_addf(err, _("a saved row of %s cannot be read back"), t->entity->name);
        goto out;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        json_t *v = json_object_get(before, t->cols[c].name);

        if (json_is_integer(v))
            db_bind_int64(st, (int)c + 1, json_integer_value(v));
        else if (json_is_string(v))
            db_bind_text(st, (int)c + 1, json_string_value(v));
        else
            db_bind_null(st, (int)c + 1);
    }
    for (size_t k = 0; k < t->nkeys; k++)
        db_bind_text(st, (int)(t->ncols + 2 + k), json_string_value(json_array_get(key, k)));
    rc = db_step(st, err) == DB_ERROR ? -1 : 0;
    db_reset(st);
out:
    json_decref(key);
    json_decref(before);
    return rc;
}

/* Restores the rows of one entity that the batch overwrote, then deletes
 * the rows it inserted. */
static int undo_entity(struct db *db, long long batch_id, const struct entity_def *e,
                       struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    struct db_stmt *sel = NULL, *upd = NULL;
    struct table_layout t;
    int step = DB_DONE, rc = -1;

    table_layout_init(&t, e);
    sb_addf(&sql, "UPDATE %s SET ", e->name);
    for (size_t c = 0; c < t.ncols; c++)
        sb_addf(&sql, "%s = ?, ", t.cols[c].name);
    sb_add(&sql, "batch_id = ? WHERE ");
    table_add_key_match(&sql, &t);
    upd = db_prepare(db, sql.buf, err);
    sel = upd ? db_prepare(db, "SELECT key, before, before_batch FROM batch_changes WHERE batch_id = ? AND entity = ?", err) : NULL;
    if (!sel)
        goto out;
    db_bind_int64(sel, 1, batch_id);
    db_bind_text(sel, 2, e->name);
    while ((step = db_step(sel, err)) == DB_ROW) {
        if (db_column_is_null(sel, 2))
            db_bind_null(upd, (int)t.ncols + 1);
        else
            db_bind_int64(upd, (int)t.ncols + 1, db_column_int64(sel, 2));
        if (restore_row(db, &t, db_column_text(sel, 0), db_column_text(sel, 1), upd, err))
            goto out;
    }
    if (step == DB_ERROR)
        goto out;

    db_finalize(upd);
    sb_setf(&sql, "DELETE FROM %s WHERE batch_id = ?", e->name);
    upd = db_prepare(db, sql.buf, err);
    if (!upd)
        goto out;
    db_bind_int64(upd, 1, batch_id);
    if (db_step(upd, err) == DB_ERROR)
        goto out;
    rc = 0;
out:
    db_finalize(sel);
    db_finalize(upd);
    sb_release(&sql);
    return rc;
}

/* Returns 1 (with the reason) when batch_id cannot be undone. */
static int check_undoable(struct db *db, long long batch_id, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT (SELECT undone FROM batches WHERE batch_id = ?), "
                                    "(SELECT min(c.batch_id) FROM batch_changes c JOIN batches b "
                                    "ON b.batch_id = c.batch_id WHERE c.before_batch = ? "
                                    "AND b.undone = 0)",
                                    err);
    int rc = -1;

    if (!st)
        return -1;
    db_bind_int64(st, 1, batch_id);
    db_bind_int64(st, 2, batch_id);
    if (db_step(st, err) != DB_ROW)
        goto out;
    rc = 1;
    if (db_column_is_null(st, 0))
        sb_addf(err, _("there is no import batch %lld: 'cairn imports' lists them"), batch_id);
    else if (db_column_int64(st, 0))
        sb_addf(err, _("import batch %lld is already undone"), batch_id);
    else if (!db_column_is_null(st, 1))
        sb_addf(err, _("import batch %lld changed rows that batch %lld changed again later: undo batch %lld first"),
                batch_id, (long long)db_column_int64(st, 1), (long long)db_column_int64(st, 1));
    else
        rc = 0;
out:
    db_finalize(st);
    return rc;
}

int imports_undo(struct db *db, long long batch_id, struct strbuf *err)
{
    struct db_stmt *st = NULL;
    struct rollup_delta delta;
    int rc;

    rollup_delta_init(&delta);
    if (db_begin(db, err))
        return -1;
    rc = check_undoable(db, batch_id, err);
    if (rc)
        goto fail;
    rc = -1;
    /* What the rollups must follow, read before the rows change. */
    if (rollup_delta_add_batch(db, &delta, batch_id, err))
        goto fail;
    for (size_t i = nentities; i-- > 0;)
        if (undo_entity(db, batch_id, entities[i], err))
            goto fail;
    st = db_prepare(db, "UPDATE batches SET undone = 1 WHERE batch_id = ?", err);
    if (!st)
        goto fail;
    db_bind_int64(st, 1, batch_id);
    if (db_step(st, err) == DB_ERROR || rollups_refresh_delta(db, &delta, err))
        goto fail;
    db_finalize(st);
    st = NULL;
    rollup_delta_free(&delta);
    if (db_commit(db, err)) {
        /* Deferred foreign keys fail here: rows of a later batch still
         * name rows this batch inserted. */
        sb_reset(err);
        sb_addf(err, _("import batch %lld cannot be undone: rows imported later still refer to rows it added; undo those imports first"),
                batch_id);
        rc = 1;
        goto fail;
    }
    return 0;
fail:
    db_finalize(st);
    rollup_delta_free(&delta);
    db_rollback(db);
    return rc;
}
