/*
 * The SQLite engine behind db.h. The database runs in WAL mode with
 * synchronous=NORMAL, which keeps it consistent across a crash or power
 * loss at any moment (the last commits may be lost, never half of one).
 * A large bulk load runs in rollback-journal mode with synchronous=FULL,
 * which gives the same guarantee: after a crash, the next open rolls the
 * hot journal back and returns the file to WAL mode.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/db.h"
#include "db/schema.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct db {
    sqlite3 *handle;
    bool bulk;               /* between db_bulk_start and db_bulk_end */
    bool bulk_journal;       /* the bulk run left WAL mode */
    int64_t cache_pages;     /* cache_size before the bulk run */
};

struct db_stmt {
    struct db *db;
    sqlite3_stmt *stmt;
};

static void set_error(struct db *db, struct strbuf *err, const char *what, const char *sql)
{
    if (!err)
        return;
    sb_addf(err, _("database error: %s (%s)"), sqlite3_errmsg(db->handle), what);
    if (sql)
        sb_addf(err, " [%s]", sql);
}

/* Turns off SQLite's memory statistics, which take a global mutex on
 * every allocation, and Cairn never reads them. They cost about 5 % of the
 * CPU time of a large import (perf, bench/import.sh). sqlite3_config
 * must run before SQLite initialises, so every entry point here that
 * opens a database calls this first. */
static void configure_sqlite_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void configure_sqlite(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;

    pthread_once(&once, configure_sqlite_once);
}

/* How long a connection waits for another one's lock. */
#define BUSY_TIMEOUT_MS 10000

/* Checks whether the file at path contains a Cairn database. Returns 1
 * when it does and 0 when it is no SQLite file or another application's.
 * Returns -1 with SQLite's message in reason when the file cannot be read,
 * for example without permission, in a folder where SQLite cannot create
 * its -wal and -shm files, or behind a lock held for BUSY_TIMEOUT_MS. */
static int check_cairn_file(const char *path, struct strbuf *reason)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int rc, found = 0;

    configure_sqlite();
    /* Read-write where allowed: a read-only connection cannot roll back
     * the hot journal that a crash during a bulk load leaves, and would
     * fail to read the file. */
    rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(h);
        h = NULL;
        rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
    }
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
        rc = sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key = 'application'", -1, &st,
                                NULL);
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const unsigned char *v = sqlite3_column_text(st, 0);

            found = v && !strcmp((const char *)v, "cairn");
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    /* "no such table" and "file is not a database" mean another file. */
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_ERROR && (rc & 0xff) != SQLITE_NOTADB) {
        sb_add(reason, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        found = -1;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return found;
}

bool db_is_cairn_file(const char *path)
{
    struct strbuf reason = STRBUF_INIT;
    struct stat sbuf;
    int found = stat(path, &sbuf) == 0 ? check_cairn_file(path, &reason) : 0;

    sb_release(&reason);
    return found == 1;
}

/* Reads pages through a memory map of up to 2 GiB (SQLite's default
 * compile-time maximum, SQLITE_MAX_MMAP_SIZE) instead of read() calls into
 * the page cache: the key results of the large demo take about 10 % less
 * CPU time (docs/benchmarks.md). Writes still go through the WAL. */
#define DB_MMAP_PRAGMA " PRAGMA mmap_size=2147418112;"

int db_open(struct db **out, const char *target, int flags, struct strbuf *err)
{
    struct db *db;
    int oflags, rc;
    struct stat sbuf;
    bool exists = stat(target, &sbuf) == 0;

    *out = NULL;
    if (!strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11)) {
        sb_addf(err, _("the PostgreSQL backend is not available yet; use a SQLite file path for --db"));
        return -1;
    }
    if (exists && S_ISDIR(sbuf.st_mode)) {
        sb_addf(err, _("%s is a directory, not a database file: give the path of a file, for example %s/cairn.db"),
                target, target);
        return -1;
    }
    if (!exists && !(flags & DB_OPEN_CREATE)) {
        sb_addf(err, _("database %s not found; create it with 'cairn init' or pass --db"), target);
        return -1;
    }
    if (exists && sbuf.st_size > 0) {
        struct strbuf reason = STRBUF_INIT;
        int found = check_cairn_file(target, &reason);

        if (found == 0)
            sb_addf(err, _("%s is not a Cairn database"), target);
        else if (found < 0)
            sb_addf(err, _("cannot read database %s (%s): you need read and write permission on the file and on its folder, where SQLite keeps the %s-wal and %s-shm files"),
                    target, reason.buf, target, target);
        sb_release(&reason);
        if (found != 1)
            return -1;
    }

    configure_sqlite();
    db = xcalloc(1, sizeof(*db));
    oflags = (flags & DB_OPEN_READONLY) ? SQLITE_OPEN_READONLY
                                        : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    rc = sqlite3_open_v2(target, &db->handle, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        const char *detail = db->handle ? sqlite3_errmsg(db->handle) : sqlite3_errstr(rc);

        if ((rc & 0xff) == SQLITE_CANTOPEN && !exists)
            sb_addf(err, _("cannot open database file %s: its folder does not exist or is not writable (%s)"),
                    target, detail);
        else
            sb_addf(err, _("cannot open database %s (%s)"), target, detail);
        db_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db->handle, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db->handle, 1);

    if (!(flags & DB_OPEN_READONLY)) {
        /* Leaving a rollback journal for WAL needs the only connection to
         * the file. While a large import runs in rollback mode (see
         * db_bulk_start) SQLite reports SQLITE_BUSY at once, without
         * waiting, and this connection keeps the rollback journal: it
         * can still read, and waits while the import holds its exclusive
         * lock. The import returns the file to WAL when it ends. */
        rc = sqlite3_exec(db->handle, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
            set_error(db, err, "journal_mode", NULL);
            db_close(db);
            return -1;
        }
        if (db_exec(db,
                    "PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
                    DB_MMAP_PRAGMA,
                    err) ||
            schema_migrate(db, err)) {
            db_close(db);
            return -1;
        }
    } else if (db_exec(db, "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;" DB_MMAP_PRAGMA,
                       err)) {
        db_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    sqlite3_close_v2(db->handle);
    free(db);
}

int db_exec(struct db *db, const char *sql, struct strbuf *err)
{
    char *msg = NULL;

    if (sqlite3_exec(db->handle, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if (err)
            sb_addf(err, _("database error: %s [%s]"), msg ? msg : "?", sql);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

struct db_stmt *db_prepare(struct db *db, const char *sql, struct strbuf *err)
{
    struct db_stmt *st = xcalloc(1, sizeof(*st));

    st->db = db;
    if (sqlite3_prepare_v2(db->handle, sql, -1, &st->stmt, NULL) != SQLITE_OK) {
        set_error(db, err, "prepare", sql);
        free(st);
        return NULL;
    }
    return st;
}

void db_finalize(struct db_stmt *st)
{
    if (!st)
        return;
    sqlite3_finalize(st->stmt);
    free(st);
}

void db_reset(struct db_stmt *st)
{
    sqlite3_reset(st->stmt);
    sqlite3_clear_bindings(st->stmt);
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
    if (s)
        sqlite3_bind_text(st->stmt, idx, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st->stmt, idx);
}

void db_bind_text_static(struct db_stmt *st, int idx, const char *s)
{
    if (s)
        sqlite3_bind_text(st->stmt, idx, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st->stmt, idx);
}

void db_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
    sqlite3_bind_int64(st->stmt, idx, v);
}

void db_bind_double(struct db_stmt *st, int idx, double v)
{
    sqlite3_bind_double(st->stmt, idx, v);
}

void db_bind_null(struct db_stmt *st, int idx)
{
    sqlite3_bind_null(st->stmt, idx);
}

int db_step(struct db_stmt *st, struct strbuf *err)
{
    int rc = sqlite3_step(st->stmt);

    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    set_error(st->db, err, "step", sqlite3_sql(st->stmt));
    return DB_ERROR;
}

const char *db_column_text(struct db_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->stmt, col);
}

int64_t db_column_int64(struct db_stmt *st, int col)
{
    return sqlite3_column_int64(st->stmt, col);
}

double db_column_double(struct db_stmt *st, int col)
{
    return sqlite3_column_double(st->stmt, col);
}

bool db_column_is_null(struct db_stmt *st, int col)
{
    return sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

int db_column_count(struct db_stmt *st)
{
    return sqlite3_column_count(st->stmt);
}

const char *db_column_name(struct db_stmt *st, int col)
{
    return sqlite3_column_name(st->stmt, col);
}

int64_t db_changes(struct db *db)
{
    return sqlite3_changes64(db->handle);
}

/* A cache of 256 MiB (negative cache_size counts KiB). A large load
 * dirties more pages than db_open's 64 MiB cache holds and would spill
 * them before the commit; the larger cache cut the CPU time of
 * bench/import.sh by about 7 % (docs/benchmarks.md). SQLite allocates
 * cache pages only as it uses them, so small runs need no more memory. */
#define BULK_CACHE_SIZE "-262144"

int db_bulk_start(struct db *db, bool large, struct strbuf *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (db->bulk)
        return 0;
    if (db_query_int64(db, "PRAGMA cache_size", 0, &db->cache_pages, err) ||
        db_exec(db, "PRAGMA foreign_keys = OFF; PRAGMA cache_size = " BULK_CACHE_SIZE, err))
        return -1;
    db->bulk = true;
    if (!large)
        return 0;

    /* While another connection has the file open, SQLite refuses to
     * leave WAL mode with SQLITE_BUSY; the run then stays in WAL mode. */
    rc = sqlite3_prepare_v2(db->handle, "PRAGMA journal_mode = DELETE", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        db->bulk_journal = !strcmp((const char *)sqlite3_column_text(st, 0), "delete");
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && (rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
        set_error(db, err, "journal_mode", NULL);
        return -1;
    }
    return db->bulk_journal ? db_exec(db, "PRAGMA synchronous = FULL", err) : 0;
}

int db_bulk_end(struct db *db, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    int rc;

    if (!db->bulk)
        return 0;
    db->bulk = false;
    /* The value SQLite reported before the run, not user input. */
    sb_addf(&sql, "PRAGMA foreign_keys = ON; PRAGMA cache_size = %lld",
            (long long)db->cache_pages);
    rc = db_exec(db, sql.buf, err);
    sb_release(&sql);
    if (db->bulk_journal) {
        db->bulk_journal = false;
        /* A reader that opened the file during the run can make this
         * fail with SQLITE_BUSY after the busy timeout. That is no error
         * of the run, whose data is committed: the file stays in rollback
         * mode until the next db_open sets WAL again. */
        db_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", NULL);
    }
    return rc;
}

int db_begin(struct db *db, struct strbuf *err)
{
    return db_exec(db, "BEGIN IMMEDIATE", err);
}

int db_commit(struct db *db, struct strbuf *err)
{
    return db_exec(db, "COMMIT", err);
}

void db_rollback(struct db *db)
{
    if (!sqlite3_get_autocommit(db->handle))
        sqlite3_exec(db->handle, "ROLLBACK", NULL, NULL, NULL);
}

int db_query_int64(struct db *db, const char *sql, int64_t dflt, int64_t *out, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, sql, err);
    int rc;

    if (!st)
        return -1;
    *out = dflt;
    rc = db_step(st, err);
    if (rc == DB_ROW && !db_column_is_null(st, 0))
        *out = db_column_int64(st, 0);
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

struct sqlite3 *db_sqlite(struct db *db)
{
    return db->handle;
}
