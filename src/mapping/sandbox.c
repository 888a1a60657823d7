/*
 * Running a target's SELECT: read-only, on the staging tables only, and
 * under a time limit. The authorizer allows reading columns of the
 * staging tables, SELECT itself and function calls; it refuses
 * everything else (writes, ATTACH, PRAGMA, sqlite_master, recursive
 * queries), so a mapping is data that can describe rows but not act. A
 * progress handler interrupts a SELECT once the target's steps have taken
 * MAPPING_TIME_LIMIT seconds.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapping/internal.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct mapping_rows {
    struct mapping_target *t;
    sqlite3_stmt *st;
    int ncols;
    int line_col, source_col; /* -1 when the SELECT has none */
    bool header_done;
    struct source_record rec;
    char **values;
};

static int authorize(void *arg, int action, const char *a, const char *b, const char *db,
                     const char *trigger)
{
    struct mapping *m = arg;

    (void)b;
    (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_FUNCTION:
        return SQLITE_OK;
    case SQLITE_READ:
        /* db is NULL when no column is read, as in COUNT(*). */
        if (db && strcmp(db, "main"))
            return SQLITE_DENY;
        for (size_t i = 0; i < m->nsources; i++)
            if (!strcasecmp(a, m->sources[i].name))
                return SQLITE_OK;
        return SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

static int over_time(void *arg)
{
    struct mapping *m = arg;

    return m->time_used + (mapping_now() - m->step_start) > MAPPING_TIME_LIMIT;
}

void sandbox_enable(struct mapping *m)
{
    /* No value a SELECT builds (zeroblob, replace, group_concat) may
     * exceed 64 MiB; staging is done, so this bounds only the SELECTs. */
    sqlite3_limit(m->db, SQLITE_LIMIT_LENGTH, 64 << 20);
    sqlite3_set_authorizer(m->db, authorize, m);
    sqlite3_progress_handler(m->db, 10000, over_time, m);
    m->sandboxed = true;
}

/* Whether the rest of an SQL text is only blanks, semicolons and comments. */
static bool only_comments(const char *p)
{
    while (*p) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ';') {
            p++;
        } else if (p[0] == '-' && p[1] == '-') {
            p += strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");

            if (!end)
                return false;
            p = end + 2;
        } else {
            return false;
        }
    }
    return true;
}

/* The length of the first statement of sql through its ';', or of the
 * whole text when no ';' ends a statement (sqlite3_complete skips those
 * inside strings, identifiers and comments). */
static size_t first_statement_length(const char *sql)
{
    struct strbuf head = STRBUF_INIT;
    size_t n = strlen(sql);

    for (const char *p = strchr(sql, ';'); p; p = strchr(p + 1, ';')) {
        sb_reset(&head);
        sb_addn(&head, sql, (size_t)(p - sql) + 1);
        if (sqlite3_complete(head.buf)) {
            n = (size_t)(p - sql) + 1;
            break;
        }
    }
    sb_release(&head);
    return n;
}

int sandbox_check_targets(struct mapping *m, struct strbuf *err)
{
    for (size_t i = 0; i < m->ntargets; i++) {
        const struct mapping_target *t = &m->targets[i];
        size_t n = first_statement_length(t->sql);
        sqlite3_stmt *st = NULL;
        bool one_select;

        if (sqlite3_prepare_v2(m->db, t->sql, (int)n, &st, NULL) != SQLITE_OK) {
            const char *message = sqlite3_errmsg(m->db);
            int offset = sqlite3_error_offset(m->db);

            if (!strncmp(message, "no such column", 14))
                continue;
            if (offset >= 0)
                sb_addf(err, _("the SQL of target %s is refused at byte %d: %s"), t->entity,
                        offset, message);
            else
                sb_addf(err, _("the SQL of target %s is refused: %s"), t->entity, message);
            return -1;
        }
        one_select = st && sqlite3_stmt_readonly(st) && only_comments(t->sql + n);
        sqlite3_finalize(st);
        if (!one_select) {
            sb_addf(err, _("the SQL of target %s must be exactly one SELECT"), t->entity);
            return -1;
        }
    }
    return 0;
}

struct mapping_rows *mapping_rows_open(struct mapping_target *t, struct strbuf *err)
{
    struct mapping *m = t->m;
    struct mapping_rows *r;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;

    if (!m->sandboxed)
        BUG("mapping statements run only in the sandbox");
    m->time_used = 0;
    m->step_start = mapping_now();
    if (sqlite3_prepare_v2(m->db, t->sql, -1, &st, &tail) != SQLITE_OK) {
        sb_addf(err, _("the SQL of target %s is refused: %s"), t->entity, sqlite3_errmsg(m->db));
        return NULL;
    }
    if (!st || !sqlite3_stmt_readonly(st) || (tail && !only_comments(tail))) {
        sqlite3_finalize(st);
        sb_addf(err, _("the SQL of target %s must be exactly one SELECT"), t->entity);
        return NULL;
    }

    r = xcalloc(1, sizeof(*r));
    r->t = t;
    r->st = st;
    r->ncols = sqlite3_column_count(st);
    r->line_col = r->source_col = -1;
    for (int c = 0; c < r->ncols; c++) {
        const char *name = sqlite3_column_name(st, c);

        if (!strcasecmp(name, "_line"))
            r->line_col = c;
        else if (!strcasecmp(name, "_source"))
            r->source_col = c;
    }
    r->values = xcalloc((size_t)r->ncols + 1, sizeof(*r->values));
    r->rec.fields = r->values;
    return r;
}

/* How reports name the source called name: its file (and #sheet). */
static const char *source_display(struct mapping *m, const char *name)
{
    if (!name)
        return m->nsources == 1 ? m->sources[0].display : NULL;
    for (size_t i = 0; i < m->nsources; i++)
        if (!strcasecmp(name, m->sources[i].name))
            return m->sources[i].display;
    return NULL;
}

int mapping_rows_next(struct mapping_rows *r, struct source_record **rec, const char **source,
                      struct strbuf *err)
{
    struct mapping *m = r->t->m;
    size_t n = 0;
    int rc;

    for (size_t i = 0; i < r->rec.nfields; i++) {
        free(r->values[i]);
        r->values[i] = NULL;
    }
    *source = NULL;

    /* The header: the SELECT's own column names. */
    if (!r->header_done) {
        r->header_done = true;
        for (int c = 0; c < r->ncols; c++)
            if (c != r->line_col && c != r->source_col)
                r->values[n++] = xstrdup(sqlite3_column_name(r->st, c));
        r->rec.nfields = n;
        r->rec.line = 0;
        *rec = &r->rec;
        return 1;
    }

    /* A row; only the time inside SQLite counts against the limit. */
    m->step_start = mapping_now();
    rc = sqlite3_step(r->st);
    m->time_used += mapping_now() - m->step_start;
    r->rec.nfields = 0;
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_INTERRUPT)
            sb_addf(err, _("the SQL of target %s ran longer than %d seconds and was stopped"),
                    r->t->entity, MAPPING_TIME_LIMIT);
        else
            sb_addf(err, _("the SQL of target %s failed: %s"), r->t->entity, sqlite3_errmsg(m->db));
        return -1;
    }
    for (int c = 0; c < r->ncols; c++) {
        const unsigned char *s = sqlite3_column_text(r->st, c);

        if (c == r->line_col || c == r->source_col)
            continue;
        r->values[n++] = xstrdup(s ? (const char *)s : "");
    }
    r->rec.nfields = n;
    r->rec.line = r->line_col >= 0 ? (long)sqlite3_column_int64(r->st, r->line_col) : 0;
    *source = source_display(
        m, r->source_col >= 0 ? (const char *)sqlite3_column_text(r->st, r->source_col) : NULL);
    *rec = &r->rec;
    return 1;
}

void mapping_rows_close(struct mapping_rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->rec.nfields; i++)
        free(r->values[i]);
    free(r->values);
    sqlite3_finalize(r->st);
    free(r);
}
