/*
 * Storing the accepted rows of an import run. Each row is first inserted
 * with ON CONFLICT DO NOTHING, so a row with a new key costs one
 * statement. Only when its key exists is the stored row read and
 * compared. When it differs, it is saved as a before-image in
 * batch_changes and overwritten. Rows carry the batch that last wrote
 * them.
 */
#include <stdlib.h>
#include <string.h>

#include "import/bulk.h"
#include "import/run.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct writer {
    struct db *db;
    const struct table_layout *t;
    long long batch;
    struct db_stmt *insert, *select, *update, *change;
};

static void writer_release(struct writer *w)
{
    db_finalize(w->insert);
    db_finalize(w->select);
    db_finalize(w->update);
    db_finalize(w->change);
}

static int writer_prepare(struct writer *w, struct db *db, const struct table_layout *t,
                          long long batch, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    const char *table = t->entity->name;

    memset(w, 0, sizeof(*w));
    w->db = db;
    w->t = t;
    w->batch = batch;

    sb_addf(&sql, "INSERT INTO %s (", table);
    table_add_columns(&sql, t);
    sb_add(&sql, ", batch_id) VALUES (");
    for (size_t i = 0; i <= t->ncols; i++)
        sb_add(&sql, i ? ", ?" : "?");
    sb_add(&sql, ") ON CONFLICT DO NOTHING");
    w->insert = db_prepare(db, sql.buf, err);

    sb_setf(&sql, "SELECT ");
    table_add_columns(&sql, t);
    sb_addf(&sql, ", batch_id FROM %s WHERE ", table);
    table_add_key_match(&sql, t);
    w->select = w->insert ? db_prepare(db, sql.buf, err) : NULL;

    sb_setf(&sql, "UPDATE %s SET ", table);
    for (size_t i = 0; i < t->ncols; i++)
        sb_addf(&sql, "%s = ?, ", t->cols[i].name);
    sb_add(&sql, "batch_id = ? WHERE ");
    table_add_key_match(&sql, t);
    w->update = w->select ? db_prepare(db, sql.buf, err) : NULL;

    w->change = w->update ? db_prepare(db,
                                       "INSERT OR IGNORE INTO batch_changes (batch_id, entity, "
                                       "key, before, before_batch) VALUES (?, ?, ?, ?, ?)",
                                       err)
                          : NULL;
    sb_release(&sql);
    if (w->change)
        return 0;
    writer_release(w);
    return -1;
}

/* Binds the row's cells to parameters first .. first + ncols - 1. The
 * texts are bound without a copy, since the file's text outlives every
 * statement of the run. */
static void bind_cells(struct db_stmt *st, const struct import_file *f, size_t row, int first)
{
    const int64_t *cells = row_cells(f, row);

    for (size_t c = 0; c < f->layout.ncols; c++) {
        int idx = first + (int)c;

        if (f->layout.cols[c].integer) {
            if (cells[c] == CELL_INT_NULL)
                db_bind_null(st, idx);
            else
                db_bind_int64(st, idx, cells[c]);
        } else {
            db_bind_text_static(st, idx, cell_text(f, row, c));
        }
    }
}

static void bind_key(struct db_stmt *st, const struct import_file *f, size_t row, int first)
{
    for (size_t k = 0; k < f->layout.nkeys; k++)
        db_bind_text(st, first + (int)k, cell_text(f, row, f->layout.keys[k]));
}

bool row_matches(struct db_stmt *sel, const struct import_file *f, size_t row)
{
    const int64_t *cells = row_cells(f, row);

    for (size_t c = 0; c < f->layout.ncols; c++) {
        bool null = db_column_is_null(sel, (int)c);

        if (f->layout.cols[c].integer) {
            if (null != (cells[c] == CELL_INT_NULL))
                return false;
            if (!null && db_column_int64(sel, (int)c) != cells[c])
                return false;
        } else {
            const char *mine = cell_text(f, row, c);

            if (null != (mine == NULL))
                return false;
            if (!null && strcmp(mine, db_column_text(sel, (int)c)))
                return false;
        }
    }
    return true;
}

/* The stored row as a JSON object of its columns, and its key. */
static char *before_image(struct db_stmt *sel, const struct table_layout *t)
{
    json_t *o = json_object();
    char *s;

    for (size_t c = 0; c < t->ncols; c++) {
        json_t *v;

        if (db_column_is_null(sel, (int)c))
            v = json_null();
        else if (t->cols[c].integer)
            v = json_integer(db_column_int64(sel, (int)c));
        else
            v = json_string(db_column_text(sel, (int)c));
        json_object_set_new(o, t->cols[c].name, v);
    }
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

/* The key of a file row as the JSON array stored in batch_changes. */
static char *row_key_json(const struct import_file *f, size_t row)
{
    json_t *a = json_array();
    char *s;

    for (size_t k = 0; k < f->layout.nkeys; k++)
        json_array_append_new(a, json_string(cell_text(f, row, f->layout.keys[k])));
    s = json_dumps(a, JSON_COMPACT);
    json_decref(a);
    return s;
}

/* Overwrites an existing row after saving its before-image (unless this
 * batch wrote it already, so the first image stays the one to restore). */
static int update_row(struct writer *w, struct import_file *f, size_t row, struct strbuf *err)
{
    struct db_stmt *sel = w->select;
    int64_t before_batch = db_column_int64(sel, (int)w->t->ncols);
    bool before_null = db_column_is_null(sel, (int)w->t->ncols);
    int rc = 0;

    if (before_null || before_batch != w->batch) {
        char *before = before_image(sel, w->t), *key = row_key_json(f, row);

        db_bind_int64(w->change, 1, w->batch);
        db_bind_text(w->change, 2, w->t->entity->name);
        db_bind_text(w->change, 3, key);
        db_bind_text(w->change, 4, before);
        if (before_null)
            db_bind_null(w->change, 5);
        else
            db_bind_int64(w->change, 5, before_batch);
        rc = db_step(w->change, err) == DB_ERROR ? -1 : 0;
        db_reset(w->change);
        free(before);
        free(key);
    }
    db_reset(sel);
    if (rc)
        return -1;

    bind_cells(w->update, f, row, 1);
    db_bind_int64(w->update, (int)w->t->ncols + 1, w->batch);
    bind_key(w->update, f, row, (int)w->t->ncols + 2);
    rc = db_step(w->update, err) == DB_ERROR ? -1 : 0;
    db_reset(w->update);
    return rc;
}

static int write_row(struct writer *w, struct import_file *f, size_t row, struct strbuf *err)
{
    int step;

    bind_cells(w->insert, f, row, 1);
    db_bind_int64(w->insert, (int)w->t->ncols + 1, w->batch);
    step = db_step(w->insert, err);
    db_reset(w->insert);
    if (step == DB_ERROR)
        return -1;
    if (db_changes(w->db) == 1) {
        f->inserted++;
        return 0;
    }

    bind_key(w->select, f, row, 1);
    step = db_step(w->select, err);
    if (step != DB_ROW) {
        db_reset(w->select);
        if (step == DB_DONE)
            sb_addf(err, _("a row of %s could neither be inserted nor found"), f->entity->name);
        return -1;
    }
    if (row_matches(w->select, f, row)) {
        db_reset(w->select);
        f->unchanged++;
        return 0;
    }
    f->updated++;
    return update_row(w, f, row, err);
}

static int write_file_rows(struct import_run *run, struct import_file *f, struct strbuf *err)
{
    struct strbuf indexes = STRBUF_INIT;
    struct writer w;
    bool empty;
    int rc = -1;

    if (pipeline_wrote(run, f)) {
        rc = pipeline_finish_table(run, f, err);
        goto out;
    }
    if (table_is_empty(run->db, f, &empty, err))
        goto out;
    if (empty) {
        if ((f->nrows >= REINDEX_MIN_ROWS && drop_indexes(run->db, f, &indexes, err)) ||
            insert_all(run, f, err))
            goto out;
        rc = indexes.len ? db_exec(run->db, indexes.buf, err) : 0;
        goto out;
    }

    if (writer_prepare(&w, run->db, &f->layout, run->batch, err))
        goto out;
    for (size_t row = 0; row < f->nrows; row++) {
        if (f->states[row] & ROW_REJECTED)
            continue;
        if (write_row(&w, f, row, err)) {
            writer_release(&w);
            goto out;
        }
    }
    writer_release(&w);
    rc = 0;
out:
    sb_release(&indexes);
    return rc;
}

static int write_new_units(struct import_run *run, struct strbuf *err)
{
    struct db_stmt *st;
    int rc = 0;

    if (!run->nnew_units)
        return 0;
    st = db_prepare(run->db,
                    "INSERT INTO org_units (unit_id, name, parent_id, kind, batch_id) "
                    "VALUES (?, ?, ?, ?, ?)",
                    err);
    if (!st)
        return -1;
    for (size_t i = 0; i < run->nnew_units && !rc; i++) {
        const struct new_unit *u = &run->new_units[i];

        db_bind_text(st, 1, u->id);
        db_bind_text(st, 2, u->name);
        db_bind_text(st, 3, u->parent);
        db_bind_text(st, 4, u->kind);
        db_bind_int64(st, 5, run->batch);
        rc = db_step(st, err) == DB_ERROR ? -1 : 0;
        db_reset(st);
        run->units_inserted++;
    }
    db_finalize(st);
    return rc;
}

/* The run's orders as the rollups read them: every accepted row of
 * every orders file, in file order. */
struct order_rows {
    struct import_file *const *files;
    size_t nfiles, file, row;
    size_t col[6]; /* order_id, order_date, customer_id, employee_id, amount, status */
};

static size_t column_named(const struct table_layout *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (!strcmp(t->cols[i].name, name))
            return i;
    BUG("%s has no column %s", t->entity->name, name);
}

/* Runs on the rollups' worker thread, and only reads the files. */
static bool next_order(void *ctx, struct order_fields *o)
{
    struct order_rows *it = ctx;

    for (; it->file < it->nfiles; it->file++, it->row = 0) {
        const struct import_file *f = it->files[it->file];

        if (strcmp(f->entity->name, "orders"))
            continue;
        while (it->row < f->nrows) {
            size_t row = it->row++;

            if (f->states[row] & ROW_REJECTED)
                continue;
            o->order_id = cell_text(f, row, it->col[0]);
            o->date = cell_text(f, row, it->col[1]);
            o->customer_id = cell_text(f, row, it->col[2]);
            o->employee_id = cell_text(f, row, it->col[3]);
            o->amount = row_cells(f, row)[it->col[4]];
            o->status = cell_text(f, row, it->col[5]);
            return true;
        }
    }
    return false;
}

/* Starts computing the order rollups' sums beside the writes, when the
 * orders table is empty so that the run's rows will be all its rows.
 * Called before the first orders file is written, after the
 * organisation and the customers, which come earlier in the catalogue. */
static int start_order_sums(struct import_run *run, const struct import_file *f,
                            struct strbuf *err)
{
    static const char *const names[] = {"order_id", "order_date", "customer_id",
                                        "employee_id", "amount", "status"};
    struct order_rows *it;
    bool empty;

    if (run->order_sums)
        return 0; /* started at the run's first orders file */
    if (pipeline_wrote(run, f))
        empty = true; /* before the run */
    else if (table_is_empty(run->db, f, &empty, err))
        return -1;
    if (!empty)
        return 0;
    it = xcalloc(1, sizeof(*it));
    it->files = run->files;
    it->nfiles = run->nfiles;
    for (size_t c = 0; c < 6; c++)
        it->col[c] = column_named(&f->layout, names[c]);
    run->order_rows = it;
    run->order_sums = order_sums_ahead_start(run->db, next_order, it, err);
    return run->order_sums ? 0 : -1;
}

int write_rows(struct import_run *run, struct strbuf *err)
{
    if (write_new_units(run, err))
        return -1;
    /* Catalogue order, so parents usually come before the rows naming them. */
    for (size_t e = 0; e < nentities; e++) {
        for (size_t i = 0; i < run->nfiles; i++) {
            struct import_file *f = run->files[i];

            if (f->entity != entities[e])
                continue;
            if (!strcmp(f->entity->name, "orders") && start_order_sums(run, f, err))
                return -1;
            if (write_file_rows(run, f, err))
                return -1;
        }
    }
    return 0;
}
