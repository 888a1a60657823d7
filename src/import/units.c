/*
 * Units of an import run: the one root of the organisation tree, and the
 * units named by path. A unit value that is no unit_id (in the database or
 * in a file of the run) is read as a path split on '/': each level gets
 * unit_id = the path up to it, name = its segment, parent = the level
 * above (the root for the first), kind team for the last level, city for
 * the one above and region for every level above that.
 */
#include <stdlib.h>
#include <string.h>

#include "import/run.h"
#include "settings/settings.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define IMPLICIT_ROOT_ID "root"

struct units {
    struct strmap known; /* every unit_id of the database, the files and the paths */
    char *root;          /* the root's unit_id, or NULL while there is none */
};

static int load_database_units(struct import_run *run, struct units *u, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(run->db, "SELECT unit_id, parent_id IS NULL FROM org_units ORDER BY unit_id", err);
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        const char *id = db_column_text(st, 0);

        strmap_put(&u->known, id, strlen(id), 1, NULL);
        if (db_column_int64(st, 1) && !u->root)
            u->root = xstrdup(id);
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* Adds the units of org_units files and checks their root against the
 * database's: one root at most, and the same one. */
static void load_file_units(struct import_run *run, struct units *u)
{
    struct strbuf msg = STRBUF_INIT;
    const struct import_file *root_file = NULL;
    size_t root_row = 0;

    for (size_t i = 0; i < run->nfiles; i++) {
        struct import_file *f = run->files[i];

        if (!f->entity || strcmp(f->entity->name, "org_units"))
            continue;
        for (size_t row = 0; row < f->nrows; row++) {
            const char *id = cell_text(f, row, 0);
            const char *parent = cell_text(f, row, 2);

            if (f->states[row] & ROW_NO_KEY)
                continue;
            strmap_put(&u->known, id, strlen(id), 2, NULL);
            if (parent || (f->states[row] & ROW_REJECTED))
                continue;
            if (u->root && strcmp(u->root, id)) {
                if (root_file)
                    sb_setf(&msg, _("unit '%s' on line %ld has no parent_id, like unit '%s' on line %ld of %s: a data set has one root unit, so give it a parent_id"),
                            id, f->lines[row], u->root, root_file->lines[root_row], root_file->path);
                else
                    sb_setf(&msg, _("unit '%s' has no parent_id, but the database's root unit is '%s': give it a parent_id (a database has one root unit)"),
                            id, u->root);
                run_error(run, f, (size_t)-1, f->lines[row], 2, "", -1, msg.buf);
            } else if (!u->root) {
                u->root = xstrdup(id);
                root_file = f;
                root_row = row;
            }
        }
    }
    sb_release(&msg);
}

static struct new_unit *add_unit(struct import_run *run, struct units *u, const char *id,
                                 size_t idlen, const char *name, size_t namelen,
                                 const char *parent, const char *kind)
{
    struct new_unit *n;

    XGROW(run->new_units, run->new_units_alloc, run->nnew_units + 1);
    n = &run->new_units[run->nnew_units++];
    n->id = xstrndup(id, idlen);
    n->name = xstrndup(name, namelen);
    n->parent = parent ? xstrdup(parent) : NULL;
    n->kind = kind;
    strmap_put(&u->known, id, idlen, 3, NULL);
    return n;
}

static int ensure_root(struct import_run *run, struct units *u, struct strbuf *err)
{
    char *name;

    if (u->root)
        return 0;
    name = setting_get(run->db, "company.name", err);
    if (!name)
        return -1;
    add_unit(run, u, IMPLICIT_ROOT_ID, strlen(IMPLICIT_ROOT_ID), name, strlen(name), NULL,
             "company");
    u->root = xstrdup(IMPLICIT_ROOT_ID);
    free(name);
    return 0;
}

/* Creates the levels of path that do not exist yet. Returns 1 when the
 * path is malformed (an empty segment), -1 on a database failure. */
static int create_path(struct import_run *run, struct units *u, const char *path,
                       struct strbuf *err)
{
    static const char *const kinds[] = {"team", "city", "region"};
    struct strbuf parent = STRBUF_INIT;
    size_t len = strlen(path), nlevels = 1, level = 0;

    for (size_t i = 0; i < len; i++)
        nlevels += path[i] == '/';
    for (size_t i = 0; i <= len; i++)
        if ((i == len || path[i] == '/') && (i == 0 || path[i - 1] == '/'))
            return 1;
    if (ensure_root(run, u, err))
        return -1;

    sb_add(&parent, u->root);
    for (size_t start = 0, i = 0; i <= len; i++) {
        size_t from_end;

        if (i < len && path[i] != '/')
            continue;
        from_end = nlevels - 1 - level;
        if (!strmap_find(&u->known, path, i))
            add_unit(run, u, path, i, path + start, i - start, parent.buf,
                     kinds[from_end < 2 ? from_end : 2]);
        sb_reset(&parent);
        sb_addn(&parent, path, i);
        start = i + 1;
        level++;
    }
    sb_release(&parent);
    return 0;
}

/* Creates the units named by path in the unit fields of accepted rows. */
static int resolve_paths(struct import_run *run, struct units *u, struct strbuf *err)
{
    struct strbuf msg = STRBUF_INIT;
    int rc = 0;

    for (size_t i = 0; i < run->nfiles && rc >= 0; i++) {
        struct import_file *f = run->files[i];

        for (size_t c = 0; c < f->layout.ncols && rc >= 0; c++) {
            const struct field_def *fd = f->layout.cols[c].field;

            if (!fd->refers_to || strcmp(fd->refers_to, "org_units"))
                continue;
            for (size_t row = 0; row < f->nrows && rc >= 0; row++) {
                const char *v = cell_text(f, row, c);

                if (!v || !*v || (f->states[row] & ROW_REJECTED) ||
                    strmap_find(&u->known, v, strlen(v)))
                    continue;
                rc = create_path(run, u, v, err);
                if (rc == 1) {
                    sb_setf(&msg, _("'%s' is neither a unit_id nor a unit path: a path names each level once, separated by '/', as in 华东大区/杭州分公司/一组"), v);
                    run_error(run, f, row, f->lines[row], (int)f->layout.cols[c].field_index, v,
                              -1, msg.buf);
                    rc = 0;
                }
            }
        }
    }
    sb_release(&msg);
    return rc < 0 ? -1 : 0;
}

int units_resolve(struct import_run *run, struct strbuf *err)
{
    struct units u = {STRMAP_INIT, NULL};
    int rc = -1;

    if (load_database_units(run, &u, err))
        goto out;
    load_file_units(run, &u);
    if (resolve_paths(run, &u, err))
        goto out;
    rc = 0;
out:
    strmap_release(&u.known);
    free(u.root);
    return rc;
}
