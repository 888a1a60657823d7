/*
 * Loading the organisation into memory and the attribution rules of the
 * key-result definitions: employment on a day and an employee's unit on
 * a day. Ranks follow SQLite's BINARY collation, which compares bytes
 * like strcmp, so a rank order is the byte order the definitions use for
 * breaking ties.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/org.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static cdate column_date(struct db_stmt *st, int col)
{
    const char *s = db_column_text(st, col);
    cdate d;

    if (!s || date_parse(s, &d))
        return DATE_NONE;
    return d;
}

static int find_rank(char *const *ids, size_t stride, size_t n, const char *id)
{
    size_t lo = 0, hi = n;

    if (!id)
        return -1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = *(char *const *)((const char *)ids + mid * stride);
        int c = strcmp(m, id);

        if (!c)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int org_unit_rank(const struct org *org, const char *id)
{
    if (!org->nunits)
        return -1;
    return find_rank(&org->units[0].id, sizeof(org->units[0]), org->nunits, id);
}

int org_employee_rank(const struct org *org, const char *id)
{
    if (!org->nemployees)
        return -1;
    return find_rank(&org->employees[0].id, sizeof(org->employees[0]), org->nemployees, id);
}

/*
 * Cuts every loop of parents, which a database imported before the
 * importer checked the tree can hold: walking up from each unit in rank
 * order, the unit whose parent is already on the current walk loses its
 * parent and becomes a root. Without the cut, attribution would count a
 * sale once per trip around the loop, up to ORG_MAX_CHAIN times.
 */
static void cut_parent_loops(struct org *org)
{
    /* 0: not seen, 1: on the current walk, 2: its chain reaches a root. */
    unsigned char *state = xcalloc(org->nunits ? org->nunits : 1, 1);

    for (size_t start = 0; start < org->nunits; start++) {
        int u = (int)start;

        while (u >= 0 && state[u] == 0) {
            int parent = org->units[u].parent;

            state[u] = 1;
            if (parent >= 0 && state[parent] == 1)
                org->units[u].parent = -1;
            u = org->units[u].parent;
        }
        for (u = (int)start; u >= 0 && state[u] == 1; u = org->units[u].parent)
            state[u] = 2;
    }
    free(state);
}

static int load_units(struct db *db, struct org *org, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "SELECT unit_id, kind, parent_id FROM org_units ORDER BY unit_id", err);
    char **parents = NULL;
    size_t alloc = 0, palloc = 0;
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        const char *parent = db_column_text(st, 2);

        XGROW(org->units, alloc, org->nunits + 1);
        XGROW(parents, palloc, org->nunits + 1);
        org->units[org->nunits].id = xstrdup(db_column_text(st, 0));
        org->units[org->nunits].kind = xstrdup(db_column_text(st, 1));
        parents[org->nunits] = parent ? xstrdup(parent) : NULL;
        org->nunits++;
    }
    db_finalize(st);
    for (size_t i = 0; i < org->nunits; i++) {
        org->units[i].parent = org_unit_rank(org, parents[i]);
        free(parents[i]);
    }
    free(parents);
    cut_parent_loops(org);
    return step == DB_ERROR ? -1 : 0;
}

static int load_employees(struct db *db, struct org *org, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT employee_id, hire_date, leave_date, leave_reason,"
                                    " employment_type, unit_id FROM employees ORDER BY employee_id",
                                    err);
    size_t alloc = 0;
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        struct org_employee *e;
        const char *reason = db_column_text(st, 3), *type = db_column_text(st, 4);

        XGROW(org->employees, alloc, org->nemployees + 1);
        e = &org->employees[org->nemployees++];
        memset(e, 0, sizeof(*e));
        e->id = xstrdup(db_column_text(st, 0));
        e->hire = column_date(st, 1);
        e->leave = column_date(st, 2);
        e->voluntary = reason && !strcmp(reason, "voluntary");
        e->temporary = type && !strcmp(type, "temporary");
        e->home_unit = org_unit_rank(org, db_column_text(st, 5));
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* Assignments come sorted by employee and start date, so each employee's
 * rows are one contiguous run of org->assignments. */
static int load_assignments(struct db *db, struct org *org, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
                                    "SELECT employee_id, start_date, end_date, unit_id"
                                    " FROM assignments ORDER BY employee_id, start_date",
                                    err);
    size_t alloc = 0;
    int step, last = -1;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        int e = org_employee_rank(org, db_column_text(st, 0));
        struct org_assignment *a;

        if (e < 0)
            continue;
        XGROW(org->assignments, alloc, org->nassignments + 1);
        a = &org->assignments[org->nassignments];
        a->start = column_date(st, 1);
        a->end = db_column_is_null(st, 2) ? INT32_MAX : column_date(st, 2);
        a->unit = org_unit_rank(org, db_column_text(st, 3));
        if (e != last)
            org->employees[e].first_assignment = org->nassignments;
        org->employees[e].nassignments++;
        org->nassignments++;
        last = e;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

int org_load(struct db *db, struct org *org, struct strbuf *err)
{
    memset(org, 0, sizeof(*org));
    if (load_units(db, org, err) || load_employees(db, org, err) || load_assignments(db, org, err))
        return -1;
    return 0;
}

void org_free(struct org *org)
{
    for (size_t i = 0; i < org->nunits; i++) {
        free(org->units[i].id);
        free(org->units[i].kind);
    }
    for (size_t i = 0; i < org->nemployees; i++)
        free(org->employees[i].id);
    free(org->units);
    free(org->employees);
    free(org->assignments);
    memset(org, 0, sizeof(*org));
}

bool org_employed(const struct org *org, int e, cdate d)
{
    const struct org_employee *emp = &org->employees[e];

    if (emp->hire == DATE_NONE || d < emp->hire)
        return false;
    return emp->leave == DATE_NONE || d <= emp->leave;
}

int org_unit_at(const struct org *org, int e, cdate d)
{
    const struct org_employee *emp = &org->employees[e];
    const struct org_assignment *a;

    if (!emp->nassignments)
        return emp->home_unit;
    if (emp->leave != DATE_NONE && d > emp->leave)
        d = emp->leave;

    /* Of the rows covering d, the one with the latest start wins: walk
     * back from the last row that starts on or before d. */
    a = org->assignments + emp->first_assignment;
    for (size_t i = emp->nassignments; i-- > 0;)
        if (a[i].start <= d && d <= a[i].end)
            return a[i].unit;
    return -1;
}

int org_unit_slots(const struct org *org, int u, size_t out[ORG_MAX_CHAIN + 2])
{
    int n = 0;

    out[n++] = 0;
    for (int depth = 0; u >= 0 && depth < ORG_MAX_CHAIN; depth++) {
        out[n++] = org_unit_slot(u);
        u = org->units[u].parent;
    }
    return n;
}

int org_slots(const struct org *org, int e, int u, size_t out[ORG_MAX_CHAIN + 2])
{
    int n = org_unit_slots(org, u, out);

    if (e >= 0)
        out[n++] = org_employee_slot(org, e);
    return n;
}
