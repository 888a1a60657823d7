/*
 * Reference checks of an import run, done once every file is read: an id
 * that names a row of another entity must name a row in the database or
 * in a file of the run. With skip_bad_rows, rows naming a rejected row are
 * rejected in turn, pass after pass, until nothing changes. Without it,
 * one pass reports the references that name nothing at all.
 */
#include <stdlib.h>
#include <string.h>

#include "import/run.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* A key set of a referenced entity: the value of a key is 1 when the
 * database has it, plus 2 for each usable file row with that key. */
struct target {
    const struct entity_def *entity;
    struct strmap keys;
    bool loaded;
};

struct targets {
    struct target *items;
    size_t n;
};

static struct target *find_target(struct targets *ts, const char *name)
{
    for (size_t i = 0; i < ts->n; i++)
        if (!strcmp(ts->items[i].entity->name, name))
            return &ts->items[i];
    return NULL;
}

static bool row_usable(const struct import_run *run, const struct import_file *f, size_t row)
{
    if (f->states[row] & ROW_NO_KEY)
        return false;
    return !run->opts->skip_bad_rows || !(f->states[row] & ROW_REJECTED);
}

/* Loads the keys of entity name from the database, the run's files and
 * (for units) the units created from paths. */
static int load_target(struct import_run *run, struct target *t, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    const struct field_def *key = &t->entity->fields[0];
    struct db_stmt *st;
    int step;

    sb_addf(&sql, "SELECT %s FROM %s", key->name, t->entity->name);
    st = db_prepare(run->db, sql.buf, err);
    sb_release(&sql);
    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        const char *id = db_column_text(st, 0);

        strmap_put(&t->keys, id, strlen(id), 1, NULL);
    }
    db_finalize(st);
    if (step == DB_ERROR)
        return -1;

    for (size_t i = 0; i < run->nfiles; i++) {
        const struct import_file *f = run->files[i];

        if (f->entity != t->entity)
            continue;
        for (size_t row = 0; row < f->nrows; row++) {
            const char *id = cell_text(f, row, 0);

            if (row_usable(run, f, row))
                *strmap_put(&t->keys, id, strlen(id), 0, NULL) += 2;
        }
    }
    if (!strcmp(t->entity->name, "org_units"))
        for (size_t i = 0; i < run->nnew_units; i++)
            *strmap_put(&t->keys, run->new_units[i].id, strlen(run->new_units[i].id), 0,
                        NULL) += 2;
    t->loaded = true;
    return 0;
}

/* The entity a cell refers to, or NULL: the catalogue's reference, or for
 * a target's scope_id the entity its scope_kind names. */
static const char *referred_entity(const struct import_file *f, size_t row, size_t col)
{
    const struct field_def *fd = f->layout.cols[col].field;
    const char *kind;

    if (fd->refers_to)
        return fd->refers_to;
    if (strcmp(f->entity->name, "targets") || strcmp(fd->name, "scope_id"))
        return NULL;
    kind = cell_text(f, row, 0);
    if (kind && !strcmp(kind, "unit"))
        return "org_units";
    if (kind && !strcmp(kind, "employee"))
        return "employees";
    return NULL;
}

/* Rejects row. With skip_bad_rows its key is no longer available to the
 * rows referring to it, and *changed is set because another pass is
 * needed. */
static void reject(struct import_run *run, struct targets *ts, struct import_file *f,
                   size_t row, size_t col, const char *value, const char *message,
                   bool *changed)
{
    struct target *self = find_target(ts, f->entity->name);

    run_error(run, f, row, f->lines[row], (int)f->layout.cols[col].field_index, value, -1,
              message);
    if (run->opts->skip_bad_rows && self && self->loaded) {
        const char *id = cell_text(f, row, 0);
        int64_t *v = strmap_find(&self->keys, id, strlen(id));

        if (v && *v >= 2) {
            *v -= 2;
            *changed = true;
        }
    }
}

/* Checks a target row's scope: empty for the company, given otherwise. */
static bool check_scope(struct import_run *run, struct targets *ts, struct import_file *f,
                        size_t row, bool *changed)
{
    const char *kind = cell_text(f, row, 0), *id = cell_text(f, row, 1);
    bool company = kind && !strcmp(kind, "company");

    if (!kind || company == !(id && *id))
        return true;
    reject(run, ts, f, row, 1, id ? id : "",
           company ? _("a company target has no scope_id: leave it empty")
                   : _("a unit or employee target needs a scope_id: give the unit_id or employee_id"),
           changed);
    return false;
}

static int check_pass(struct import_run *run, struct targets *ts, bool first, bool *changed,
                      struct strbuf *err)
{
    struct strbuf msg = STRBUF_INIT;
    int rc = 0;

    for (size_t i = 0; i < run->nfiles && !rc; i++) {
        struct import_file *f = run->files[i];
        bool targets_file = !strcmp(f->entity->name, "targets");

        for (size_t row = 0; row < f->nrows && !rc; row++) {
            if (f->states[row] & ROW_REJECTED)
                continue;
            if (first && targets_file && !check_scope(run, ts, f, row, changed))
                continue;
            for (size_t c = 0; c < f->layout.ncols; c++) {
                const char *name = referred_entity(f, row, c), *v;
                struct target *t;
                int64_t *have;

                /* Only reference columns are text; others may hold integers. */
                if (!name)
                    continue;
                v = cell_text(f, row, c);
                if (!v || !*v)
                    continue;
                t = find_target(ts, name);
                if (!t->loaded && load_target(run, t, err)) {
                    rc = -1;
                    break;
                }
                have = strmap_find(&t->keys, v, strlen(v));
                if (have && *have > 0)
                    continue;
                if (have)
                    sb_setf(&msg, _("'%s' names a row of %s that was rejected: correct that row or this one"),
                            v, t->entity->file);
                else
                    sb_setf(&msg, _("%s '%s' is not in the database or in this import: add it to %s or correct the value"),
                            t->entity->fields[0].name, v, t->entity->file);
                reject(run, ts, f, row, c, v, msg.buf, changed);
                break;
            }
        }
    }
    sb_release(&msg);
    return rc;
}

int references_check(struct import_run *run, struct strbuf *err)
{
    static const char *const names[] = {"org_units", "employees", "customers", "courses"};
    struct target items[4];
    struct targets ts = {items, 4};
    bool changed = true, first = true;
    int rc = 0;

    for (size_t i = 0; i < 4; i++) {
        items[i].entity = entity_by_name(names[i]);
        items[i].keys = (struct strmap)STRMAP_INIT;
        items[i].loaded = false;
    }
    /* Load every target that files of the run belong to, so that rejecting
     * one of their rows takes its key away. */
    for (size_t i = 0; i < run->nfiles && !rc; i++) {
        struct target *t = find_target(&ts, run->files[i]->entity->name);

        if (t && !t->loaded)
            rc = load_target(run, t, err);
    }
    while (!rc && changed) {
        changed = false;
        rc = check_pass(run, &ts, first, &changed, err);
        first = false;
        if (!run->opts->skip_bad_rows)
            break;
    }
    for (size_t i = 0; i < 4; i++)
        strmap_release(&items[i].keys);
    return rc;
}
