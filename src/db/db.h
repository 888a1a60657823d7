/*
 * The database layer: a thin wrapper over the store that every other
 * module goes through. Values are always bound as parameters (never
 * pasted into SQL text), placeholders are written "?", and errors carry
 * the SQL that failed. SQLite is the only engine today; the interface
 * names nothing of it (but db_sqlite, for SQLite-only extensions such
 * as SQL functions and authorizers), so a PostgreSQL engine can be added
 * behind it without touching callers.
 */
#ifndef CAIRN_DB_H
#define CAIRN_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "util/strbuf.h"

struct db;
struct db_stmt;

enum db_open_flags {
    DB_OPEN_EXISTING = 0,  /* the database must exist and be Cairn's */
    DB_OPEN_CREATE = 1,    /* create it when missing */
    DB_OPEN_READONLY = 2,
};

enum db_step_result { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1 };

/*
 * Opens the database at target (a file path; a postgresql:// URL is
 * refused until that engine exists) and brings its schema up to date.
 * Returns 0, or -1 with a message in err.
 */
int db_open(struct db **out, const char *target, int flags, struct strbuf *err);
void db_close(struct db *db);

/* Whether the file at path exists and holds a Cairn database. */
bool db_is_cairn_file(const char *path);

/* Runs SQL without parameters (several statements allowed). */
int db_exec(struct db *db, const char *sql, struct strbuf *err);

/* Prepares one statement; returns NULL with a message in err. */
struct db_stmt *db_prepare(struct db *db, const char *sql, struct strbuf *err);
void db_finalize(struct db_stmt *st);
void db_reset(struct db_stmt *st);

/* Parameters are numbered from 1. A NULL string binds SQL NULL. */
void db_bind_text(struct db_stmt *st, int idx, const char *s);
/* Binds s without copying it: s must stay unchanged until the statement
 * is reset or finalized. For bulk inserts of text held in memory. */
void db_bind_text_static(struct db_stmt *st, int idx, const char *s);
void db_bind_int64(struct db_stmt *st, int idx, int64_t v);
void db_bind_double(struct db_stmt *st, int idx, double v);
void db_bind_null(struct db_stmt *st, int idx);

/* Returns DB_ROW, DB_DONE or DB_ERROR (then err holds the message). */
int db_step(struct db_stmt *st, struct strbuf *err);

/* Columns are numbered from 0; text is NULL for SQL NULL and stays valid
 * until the next step, reset or finalize. */
const char *db_column_text(struct db_stmt *st, int col);
int64_t db_column_int64(struct db_stmt *st, int col);
double db_column_double(struct db_stmt *st, int col);
bool db_column_is_null(struct db_stmt *st, int col);
int db_column_count(struct db_stmt *st);
const char *db_column_name(struct db_stmt *st, int col);

/* Rows changed by the last INSERT, UPDATE or DELETE. */
int64_t db_changes(struct db *db);

int db_begin(struct db *db, struct strbuf *err);
int db_commit(struct db *db, struct strbuf *err);
void db_rollback(struct db *db);

/*
 * Bulk-load mode for one large write transaction: call db_bulk_start
 * before db_begin and db_bulk_end after the commit or rollback. It turns
 * off the engine's per-row foreign key checks (the caller checks every
 * reference itself) and enlarges the page cache for the run. When large
 * is true and no other connection has the database open, SQLite also
 * leaves WAL mode for a rollback journal until db_bulk_end. Pages are
 * then written once, to the database file. In WAL mode they would be
 * written to the WAL and again by the checkpoint. Both return 0, or -1
 * with a message in err.
 */
int db_bulk_start(struct db *db, bool large, struct strbuf *err);
int db_bulk_end(struct db *db, struct strbuf *err);

/* Runs a query returning one integer (NULL or no row gives dflt). */
int db_query_int64(struct db *db, const char *sql, int64_t dflt, int64_t *out, struct strbuf *err);

/* The schema version the database is at, and the one this build writes. */
int db_schema_version(struct db *db);
int db_latest_schema_version(void);

/* The SQLite handle, for SQLite-only features; NULL on other engines. */
struct sqlite3 *db_sqlite(struct db *db);

#endif
