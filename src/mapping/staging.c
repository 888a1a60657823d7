/*
 * The staging database: one in-memory SQLite connection per mapping,
 * private to it, holding one table per source. A table has a TEXT column
 * per header (c1, c2, ... without a header, or for an empty header cell)
 * and _line, the line (or sheet row) where the record starts. Values are
 * stored as read, always bound, never pasted into SQL.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mapping/internal.h"
#include "util/i18n.h"
#include "util/xalloc.h"

double mapping_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int staging_open(struct mapping *m, struct strbuf *err)
{
    if (sqlite3_open_v2(":memory:", &m->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        sb_addf(err, _("cannot open the staging database: %s"), sqlite3_errmsg(m->db));
        return -1;
    }
    /* Nothing a mapping says may reach beyond this connection. */
    sqlite3_limit(m->db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_db_config(m->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    sqlite3_db_config(m->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(m->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    return functions_register(m->db, err);
}

/* Appends name as a quoted SQL identifier (names hold no '"'). */
static void add_ident(struct strbuf *sql, const char *name)
{
    sb_addf(sql, "\"%s\"", name);
}

static int exec(struct mapping *m, const char *sql, struct strbuf *err)
{
    char *msg = NULL;

    if (sqlite3_exec(m->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    sb_addf(err, _("staging failed: %s"), msg ? msg : sqlite3_errmsg(m->db));
    sqlite3_free(msg);
    return -1;
}

int staging_create_empty(struct mapping *m, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    int rc = 0;

    for (size_t i = 0; i < m->nsources && !rc; i++) {
        sb_reset(&sql);
        sb_add(&sql, "CREATE TABLE ");
        add_ident(&sql, m->sources[i].name);
        sb_add(&sql, " (_line INTEGER)");
        rc = exec(m, sql.buf, err);
    }
    sb_release(&sql);
    return rc;
}

/* Prepares the INSERT of a row of ncols columns and _line. Columns added
 * to a headerless table come after _line, so they are named. */
static sqlite3_stmt *prepare_insert(struct mapping *m, const struct mapping_source *s, size_t ncols,
                                    struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    sqlite3_stmt *st = NULL;

    sb_add(&sql, "INSERT INTO ");
    add_ident(&sql, s->name);
    if (!s->header) {
        sb_add(&sql, " (");
        for (size_t c = 0; c < ncols; c++)
            sb_addf(&sql, "c%zu, ", c + 1);
        sb_add(&sql, "_line)");
    }
    sb_add(&sql, " VALUES (");
    for (size_t c = 0; c <= ncols; c++)
        sb_add(&sql, c ? ", ?" : "?");
    sb_add(&sql, ")");
    if (sqlite3_prepare_v2(m->db, sql.buf, -1, &st, NULL) != SQLITE_OK)
        sb_addf(err, _("staging failed: %s"), sqlite3_errmsg(m->db));
    sb_release(&sql);
    return st;
}

/* Whether name is among the n names already chosen (SQLite compares
 * identifiers without regard to ASCII case). */
static bool name_taken(char **names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcasecmp(names[i], name))
            return true;
    return !strcasecmp(name, "_line");
}

/* Creates the table from the header record (or c1..cN for n columns). A
 * header cell that is empty, contains '"' or repeats an earlier one
 * names its column cN (N its position), with '_' added while taken. */
static int create_table(struct mapping *m, const struct mapping_source *s,
                        const struct source_record *header, size_t n, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT, name = STRBUF_INIT;
    char **names = xcalloc(n + 1, sizeof(*names));
    int rc;

    sb_add(&sql, "CREATE TABLE ");
    add_ident(&sql, s->name);
    sb_add(&sql, " (");
    for (size_t c = 0; c < n; c++) {
        const char *h = header ? header->fields[c] : "";
        size_t len;

        /* The header as written, without blanks at its ends. */
        sb_reset(&name);
        while (*h == ' ' || *h == '\t')
            h++;
        len = strlen(h);
        while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
            len--;
        sb_addn(&name, h, len);
        if (!name.len || strchr(name.buf, '"') || name_taken(names, c, name.buf))
            sb_setf(&name, "c%zu", c + 1);
        while (name_taken(names, c, name.buf))
            sb_addch(&name, '_');
        names[c] = xstrdup(name.buf);
        add_ident(&sql, name.buf);
        sb_add(&sql, " TEXT, ");
    }
    sb_add(&sql, "_line INTEGER)");
    rc = exec(m, sql.buf, err);
    for (size_t c = 0; c < n; c++)
        free(names[c]);
    free(names);
    sb_release(&sql);
    sb_release(&name);
    return rc;
}

static int add_column(struct mapping *m, const struct mapping_source *s, size_t n,
                      struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    int rc;

    sb_add(&sql, "ALTER TABLE ");
    add_ident(&sql, s->name);
    sb_addf(&sql, " ADD COLUMN c%zu TEXT DEFAULT ''", n);
    rc = exec(m, sql.buf, err);
    sb_release(&sql);
    return rc;
}

static int insert_row(struct mapping *m, sqlite3_stmt *st, const struct source_record *rec,
                      size_t ncols, struct strbuf *err)
{
    for (size_t c = 0; c < ncols; c++)
        sqlite3_bind_text(st, (int)c + 1, c < rec->nfields ? rec->fields[c] : "", -1,
                          SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, (int)ncols + 1, rec->line);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sb_addf(err, _("staging failed: %s"), sqlite3_errmsg(m->db));
        return -1;
    }
    sqlite3_reset(st);
    return 0;
}

/* Whether the fields of rec from n on are all empty. */
static bool rest_empty(const struct source_record *rec, size_t n)
{
    for (size_t c = n; c < rec->nfields; c++)
        if (rec->fields[c][0])
            return false;
    return true;
}

int staging_load(struct mapping *m, struct mapping_source *s, const struct source_options *dflt,
                 long *line, long long *offset, struct strbuf *err)
{
    struct source_options opts = s->opts;
    struct source_record *rec;
    struct source *src;
    sqlite3_stmt *st = NULL;
    size_t ncols = 0;
    int rc = -1, got;

    *line = 0;
    *offset = -1;
    if (!s->encoding_set)
        opts.encoding = dflt->encoding;
    src = source_open(s->path, &opts, err);
    if (!src)
        return -1;
    if (exec(m, "BEGIN", err))
        goto out;

    /* The header, or the first record's width without one. */
    got = source_next(src, &rec, err);
    if (got < 0)
        goto read_failed;
    if (got == 0 && s->header) {
        sb_addf(err, _("%s is empty: it needs a header row"), s->display);
        goto out;
    }
    ncols = got ? rec->nfields : 0;
    if (create_table(m, s, s->header ? rec : NULL, ncols, err))
        goto out;
    st = prepare_insert(m, s, ncols, err);
    if (!st)
        goto out;
    if (got && !s->header && insert_row(m, st, rec, ncols, err))
        goto out;

    /* The rows. A headerless source grows a column for a longer record. */
    while ((got = source_next(src, &rec, err)) == 1) {
        if (rec->nfields > ncols && s->header && !rest_empty(rec, ncols)) {
            *line = rec->line;
            sb_addf(err, _("line %ld of %s has %zu fields but the header has %zu"), rec->line,
                    s->display, rec->nfields, ncols);
            goto out;
        }
        while (rec->nfields > ncols && !s->header) {
            sqlite3_finalize(st);
            st = NULL;
            if (add_column(m, s, ++ncols, err) || !(st = prepare_insert(m, s, ncols, err)))
                goto out;
        }
        if (insert_row(m, st, rec, ncols, err))
            goto out;
    }
    if (got == 0) {
        rc = exec(m, "COMMIT", err);
        goto out;
    }
read_failed:
    *line = source_error_line(src);
    *offset = source_error_offset(src);
out:
    sqlite3_finalize(st);
    if (rc)
        sqlite3_exec(m->db, "ROLLBACK", NULL, NULL, NULL);
    source_close(src);
    return rc;
}
