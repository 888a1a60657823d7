/*
 * Reconciling source files with the database: the files are read and
 * checked exactly as an import would (with rejected rows cascading as
 * under --skip-bad-rows), then every accepted row is looked up by key.
 * Database rows whose keys are not in the files are no mismatch.
 */
#include <stdlib.h>
#include <string.h>

#include "import/run.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* The maximum number of missing or different keys listed per entity;
 * every one is counted. */
#define RECONCILE_MAX_KEYS 1000

struct month_sums {
    char month[8];
    long source_rows, db_rows;
    int64_t source_amount, db_amount;
};

struct entity_sums {
    const struct entity_def *entity;
    long source_rows, db_rows, rejected, missing_count, different_count;
    struct month_sums *months;
    size_t nmonths, months_alloc;
    struct strmap month_index;
    json_t *missing, *different, *errors;
    json_t *rejected_errors; /* the errors of the rejected rows */
    bool reported;
};

/* The column of the main date (the derived date of an event date), or -1;
 * and the column of the main amount, or -1. */
static void main_columns(const struct table_layout *t, int *date_col, int *amount_col)
{
    const struct entity_def *e = t->entity;

    *date_col = *amount_col = -1;
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->cols[c].given)
            continue;
        if (e->main_date && !strcmp(t->cols[c].field->name, e->main_date))
            *date_col = (int)c;
        if (e->main_amount && !strcmp(t->cols[c].field->name, e->main_amount))
            *amount_col = (int)c;
    }
}

static struct month_sums *month_of(struct entity_sums *es, const char *date)
{
    int added;
    int64_t *index;
    struct month_sums *m;

    if (!date || strlen(date) < 7)
        return NULL;
    index = strmap_put(&es->month_index, date, 7, (int64_t)es->nmonths, &added);
    if (!added)
        return &es->months[*index];
    XGROW(es->months, es->months_alloc, es->nmonths + 1);
    m = &es->months[es->nmonths++];
    memset(m, 0, sizeof(*m));
    memcpy(m->month, date, 7);
    return m;
}

static json_t *key_json(const struct import_file *f, size_t row)
{
    json_t *a;

    if (f->layout.nkeys == 1)
        return json_string(cell_text(f, row, f->layout.keys[0]));
    a = json_array();
    for (size_t k = 0; k < f->layout.nkeys; k++)
        json_array_append_new(a, json_string(cell_text(f, row, f->layout.keys[k])));
    return a;
}

static void add_key(json_t *list, long *count, const struct import_file *f, size_t row)
{
    if (++*count <= RECONCILE_MAX_KEYS)
        json_array_append_new(list, key_json(f, row));
}

static struct db_stmt *prepare_lookup(struct db *db, const struct table_layout *t,
                                      struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    struct db_stmt *st;

    sb_add(&sql, "SELECT ");
    table_add_columns(&sql, t);
    sb_addf(&sql, " FROM %s WHERE ", t->entity->name);
    table_add_key_match(&sql, t);
    st = db_prepare(db, sql.buf, err);
    sb_release(&sql);
    return st;
}

/* Compares the accepted rows of f with the database. */
static int reconcile_file(struct db *db, const struct import_file *f, struct entity_sums *es,
                          struct strbuf *err)
{
    struct db_stmt *st;
    int date_col, amount_col, step = DB_DONE;
    const int64_t *cells;

    main_columns(&f->layout, &date_col, &amount_col);
    st = prepare_lookup(db, &f->layout, err);
    if (!st)
        return -1;
    for (size_t row = 0; row < f->nrows; row++) {
        struct month_sums *m;

        if (f->states[row] & ROW_REJECTED) {
            es->rejected++;
            continue;
        }
        es->source_rows++;
        cells = row_cells(f, row);
        m = date_col >= 0 ? month_of(es, cell_text(f, row, (size_t)date_col)) : NULL;
        if (m) {
            m->source_rows++;
            if (amount_col >= 0 && cells[amount_col] != CELL_INT_NULL)
                m->source_amount += cells[amount_col];
        }

        for (size_t k = 0; k < f->layout.nkeys; k++)
            db_bind_text(st, (int)k + 1, cell_text(f, row, f->layout.keys[k]));
        step = db_step(st, err);
        if (step == DB_ERROR)
            break;
        if (step == DB_DONE) {
            add_key(es->missing, &es->missing_count, f, row);
            db_reset(st);
            continue;
        }
        es->db_rows++;
        if (!row_matches(st, f, row))
            add_key(es->different, &es->different_count, f, row);
        m = date_col >= 0 ? month_of(es, db_column_text(st, date_col)) : NULL;
        if (m) {
            m->db_rows++;
            if (amount_col >= 0)
                m->db_amount += db_column_int64(st, amount_col);
        }
        db_reset(st);
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

static int compare_months(const void *a, const void *b)
{
    return strcmp(((const struct month_sums *)a)->month, ((const struct month_sums *)b)->month);
}

/* Builds an entity's report entry; *ok turns false on any mismatch. */
static json_t *entity_report(struct entity_sums *es, bool *ok)
{
    json_t *o = json_object(), *months = json_array();
    bool amounts = es->entity->main_amount != NULL;

    if (es->nmonths > 0)
        qsort(es->months, es->nmonths, sizeof(*es->months), compare_months);
    for (size_t i = 0; i < es->nmonths; i++) {
        const struct month_sums *m = &es->months[i];
        json_t *mo = json_object();

        json_object_set_new(mo, "month", json_string(m->month));
        json_object_set_new(mo, "source_rows", json_integer(m->source_rows));
        json_object_set_new(mo, "db_rows", json_integer(m->db_rows));
        json_object_set_new(mo, "source_amount",
                            amounts ? json_real((double)m->source_amount / 100.0) : json_null());
        json_object_set_new(mo, "db_amount",
                            amounts ? json_real((double)m->db_amount / 100.0) : json_null());
        json_array_append_new(months, mo);
        if (m->source_rows != m->db_rows || m->source_amount != m->db_amount)
            *ok = false;
    }
    if (es->missing_count || es->different_count || json_array_size(es->errors) ||
        es->source_rows != es->db_rows)
        *ok = false;

    json_object_set_new(o, "kind", json_string(es->entity->name));
    json_object_set_new(o, "source_rows", json_integer(es->source_rows));
    json_object_set_new(o, "db_rows", json_integer(es->db_rows));
    json_object_set_new(o, "months", months);
    json_object_set_new(o, "missing", json_incref(es->missing));
    json_object_set_new(o, "different", json_incref(es->different));
    json_object_set_new(o, "rejected", json_integer(es->rejected));
    json_object_set_new(o, "missing_count", json_integer(es->missing_count));
    json_object_set_new(o, "different_count", json_integer(es->different_count));
    json_object_set_new(o, "errors", json_incref(es->errors));
    json_object_set_new(o, "rejected_errors", json_incref(es->rejected_errors));
    return o;
}

static struct entity_sums *sums_for(struct entity_sums *all, const struct entity_def *e)
{
    for (size_t i = 0; i < nentities; i++)
        if (entities[i] == e)
            return &all[i];
    BUG("entity %s is not in the catalogue", e->name);
}

int reconcile_run(struct db *db, const char *const *paths, size_t npaths,
                  const struct import_options *opts, json_t **report, struct strbuf *err)
{
    struct import_options checked = *opts;
    struct import_run run = {0};
    struct entity_sums *all = xcalloc(nentities, sizeof(*all));
    json_t *list = json_array(), *file_errors = json_array();
    bool ok = true;
    int rc = -1;

    *report = NULL;
    checked.skip_bad_rows = true; /* reject rows as the import would, without failing */
    checked.dry_run = true;
    checked.rejects_path = NULL;
    for (size_t i = 0; i < nentities; i++) {
        all[i].entity = entities[i];
        all[i].missing = json_array();
        all[i].different = json_array();
        all[i].errors = json_array();
        all[i].rejected_errors = json_array();
    }
    if (run_read(&run, db, &checked, paths, npaths, err))
        goto out;

    for (size_t i = 0; i < run.nfiles; i++) {
        struct import_file *f = run.files[i];

        if (!f->entity) {
            json_array_extend(file_errors, f->errors);
            ok = false;
            continue;
        }
        if (f->failed) {
            json_array_extend(sums_for(all, f->entity)->errors, f->errors);
            continue;
        }
        if (reconcile_file(db, f, sums_for(all, f->entity), err))
            goto out;
        /* A file that could be read has only errors of rejected rows. */
        json_array_extend(sums_for(all, f->entity)->rejected_errors, f->errors);
    }
    for (size_t i = 0; i < run.nfiles; i++) {
        struct entity_sums *es = run.files[i]->entity ? sums_for(all, run.files[i]->entity) : NULL;

        if (es && !es->reported) {
            json_array_append_new(list, entity_report(es, &ok));
            es->reported = true;
        }
    }

    *report = json_object();
    json_object_set_new(*report, "ok", json_boolean(ok));
    json_object_set_new(*report, "entities", json_incref(list));
    json_object_set_new(*report, "errors", json_incref(file_errors));
    json_object_set_new(*report, "warnings", json_incref(run.warnings));
    rc = ok ? 0 : 1;
out:
    for (size_t i = 0; i < nentities; i++) {
        strmap_release(&all[i].month_index);
        free(all[i].months);
        json_decref(all[i].missing);
        json_decref(all[i].different);
        json_decref(all[i].errors);
        json_decref(all[i].rejected_errors);
    }
    free(all);
    json_decref(list);
    json_decref(file_errors);
    run_release(&run);
    return rc;
}
