/*
 * Reference checks of an import run, done once every file is read: an id
 * that names a row of another entity must name a row in the database or
 * in a file of the run. With skip_bad_rows, rows naming a rejected row are
 * rejected in turn, pass after pass, until nothing changes. Without it,
 * one pass reports the references that name nothing at all. Two more
 * checks need the whole run too: an employee may not be their own
 * manager, and the org tree of database and run together must stay a
 * tree, so no unit's parent chain may loop.
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

/* Checks that an employees row does not name its own employee_id as
 * manager_id, which would make the employee their own owner in alerts. */
static bool check_self_manager(struct import_run *run, struct targets *ts,
                               struct import_file *f, size_t row, bool *changed)
{
    const size_t manager_col = 8;
    const char *id = cell_text(f, row, 0), *manager = cell_text(f, row, manager_col);

    if (!id || !manager || strcmp(id, manager))
        return true;
    reject(run, ts, f, row, manager_col, manager,
           _("an employee cannot be their own manager: leave manager_id empty or give the employee_id of the direct manager"),
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
        bool employees_file = !strcmp(f->entity->name, "employees");

        for (size_t row = 0; row < f->nrows && !rc; row++) {
            if (f->states[row] & ROW_REJECTED)
                continue;
            if (first && targets_file && !check_scope(run, ts, f, row, changed))
                continue;
            if (first && employees_file && !check_self_manager(run, ts, f, row, changed))
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

/* The org tree of the database and the run together: each unit with its
 * parent and, when a usable org_units row sets that parent, the row. */
struct tree_unit {
    char *id, *parent;
    struct import_file *f; /* NULL: the parent comes from the database or a path */
    size_t row;
    long parent_index; /* index into units, -1 for none or an unknown unit */
    long stamp;        /* the walk that last visited the unit, 0 for none */
};

struct unit_tree {
    struct strmap index; /* unit_id → position in units */
    struct tree_unit *units;
    size_t n, alloc;
    long walks; /* walks so far, so each walk has its own stamp */
};

static struct tree_unit *tree_put(struct unit_tree *t, const char *id, const char *parent)
{
    int added;
    int64_t *at = strmap_put(&t->index, id, strlen(id), (int64_t)t->n, &added);
    struct tree_unit *u;

    if (added) {
        XGROW(t->units, t->alloc, t->n + 1);
        u = &t->units[t->n++];
        u->id = xstrdup(id);
        u->parent = NULL;
    } else {
        u = &t->units[*at];
        free(u->parent);
    }
    u->parent = parent ? xstrdup(parent) : NULL;
    u->f = NULL;
    u->row = 0;
    u->stamp = 0;
    return u;
}

static void tree_release(struct unit_tree *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->units[i].id);
        free(t->units[i].parent);
    }
    free(t->units);
    strmap_release(&t->index);
}

/* Loads the units of the database, then lets the units created from paths
 * and the accepted org_units rows of the run, in run order, replace them. */
static int tree_load(struct import_run *run, struct unit_tree *t, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(run->db, "SELECT unit_id, parent_id FROM org_units", err);
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW)
        tree_put(t, db_column_text(st, 0), db_column_text(st, 1));
    db_finalize(st);
    if (step == DB_ERROR)
        return -1;

    for (size_t i = 0; i < run->nnew_units; i++)
        tree_put(t, run->new_units[i].id, run->new_units[i].parent);
    for (size_t i = 0; i < run->nfiles; i++) {
        struct import_file *f = run->files[i];

        if (strcmp(f->entity->name, "org_units"))
            continue;
        for (size_t row = 0; row < f->nrows; row++) {
            struct tree_unit *u;

            if (f->states[row] & (ROW_REJECTED | ROW_NO_KEY))
                continue;
            u = tree_put(t, cell_text(f, row, 0), cell_text(f, row, 2));
            u->f = f;
            u->row = row;
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        const char *parent = t->units[i].parent;
        int64_t *at = parent ? strmap_find(&t->index, parent, strlen(parent)) : NULL;

        t->units[i].parent_index = at ? (long)*at : -1;
    }
    return 0;
}

/* The maximum number of units a loop message names before it shortens
 * the chain. */
#define CHAIN_MAX_NAMED 12

/*
 * Walks up from unit start, writing "A → B → A" into chain. Returns -1
 * when the chain ends (at the root or at an unknown parent), otherwise
 * the index of the first unit the walk reached twice.
 */
static long walk_up(struct unit_tree *t, size_t start, struct strbuf *chain)
{
    long u = (long)start, named = 0;
    long stamp = ++t->walks;

    sb_reset(chain);
    for (;;) {
        if (named < CHAIN_MAX_NAMED)
            sb_addf(chain, "%s%s", named ? " → " : "", t->units[u].id);
        else if (named == CHAIN_MAX_NAMED)
            sb_add(chain, " → …");
        named++;
        if (t->units[u].stamp == stamp)
            return u;
        t->units[u].stamp = stamp;
        u = t->units[u].parent_index;
        if (u < 0)
            return -1;
    }
}

/*
 * Rejects the org_units rows after which a unit's parent chain loops
 * instead of reaching the root. A row whose own unit is on the loop is
 * rejected first. A row whose chain only runs into a loop of other units
 * is rejected when no row of this pass was on a loop, because rejecting
 * those rows (with skip_bad_rows) may restore the database's parents and
 * so end the loop.
 */
static int check_unit_tree(struct import_run *run, struct targets *ts, bool *changed,
                           struct strbuf *err)
{
    struct unit_tree t = {STRMAP_INIT, NULL, 0, 0, 0};
    struct strbuf chain = STRBUF_INIT, msg = STRBUF_INIT;
    bool on_loop_found = false, has_unit_rows = false;
    int rc = -1;

    /* Units created from paths hang below existing units, so only
     * org_units rows can make a loop. */
    for (size_t i = 0; i < run->nfiles; i++)
        has_unit_rows |= !strcmp(run->files[i]->entity->name, "org_units");
    if (!has_unit_rows)
        return 0;
    if (tree_load(run, &t, err))
        goto out;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < t.n; i++) {
            struct tree_unit *u = &t.units[i];
            long again;

            if (!u->f || (u->f->states[u->row] & ROW_REJECTED))
                continue;
            again = walk_up(&t, i, &chain);
            if (again < 0 || (round == 0) != (again == (long)i))
                continue;
            if (again == (long)i) {
                sb_setf(&msg, _("unit %s's parent chain %s loops: a unit cannot be below itself, so give it a parent_id that leads to the root unit"),
                        u->id, chain.buf);
                on_loop_found = true;
            } else {
                sb_setf(&msg, _("unit %s's parent chain %s loops and never reaches the root unit: give the units of the loop other parents"),
                        u->id, chain.buf);
            }
            reject(run, ts, u->f, u->row, 2, u->parent, msg.buf, changed);
        }
        if (on_loop_found)
            break;
    }
    rc = 0;
out:
    tree_release(&t);
    sb_release(&chain);
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
        if (!rc)
            rc = check_unit_tree(run, &ts, &changed, err);
        first = false;
        if (!run->opts->skip_bad_rows)
            break;
    }
    for (size_t i = 0; i < 4; i++)
        strmap_release(&items[i].keys);
    return rc;
}
