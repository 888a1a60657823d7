/*
 * The state of one import run, shared by its phases: reading the files
 * (read.c), resolving unit paths (units.c), checking references
 * (references.c), storing the rows (write.c) and reporting (run.c).
 * Rows are held in memory between reading and storing because references
 * can only be checked once every file of the run has been read.
 */
#ifndef CAIRN_IMPORT_RUN_H
#define CAIRN_IMPORT_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "import/columns.h"
#include "import/convert.h"
#include "import/import.h"
#include "import/strmap.h"
#include "metrics/rollup.h"

/* A NULL integer cell; no converted value comes near it. */
#define CELL_INT_NULL INT64_MIN
/* The maximum number of errors listed per file; every error is counted. */
#define IMPORT_MAX_LISTED_ERRORS 1000

enum row_state {
    ROW_REJECTED = 1, /* an error concerns this row */
    ROW_NO_KEY = 2,   /* its key could not be read */
};

struct row_reason {
    size_t row;
    char *message;
};

struct mapping;
struct mapping_target;

struct import_file {
    char *path;
    char *source;    /* how errors name it: the path, or "path#sheet" */
    char *hash_path; /* the file whose SHA-256 is recorded; NULL: path */
    /* A temporary copy of a pipe or other non-seekable input, which is
     * read more than once (hash, rows, rejected rows); NULL: path itself.
     * Removed when the run is released. */
    char *spool_path;
    /* Strict for canonical files; lenient (with the run's date order)
     * when a header needed the alias table, for workbooks, for files
     * given with --kind and for the rows of a mapping. */
    enum value_mode mode;
    /* With a mapping: the target whose SELECT yields the rows, and for
     * each row the name of the source it came from (or NULL). */
    struct mapping_target *target;
    const char **row_sources;
    const char *cur_source; /* the source of the row being read */
    const struct entity_def *entity; /* NULL when the file name names no entity */
    struct table_layout layout;
    char sha256[65];

    char **headers;           /* the source headers as written */
    size_t nheaders;
    int field_source[TABLE_MAX_COLUMNS]; /* source column of each field, or -1 */

    /* The rows: line, state and layout.ncols cells each. A text cell is an
     * offset into text (0: NULL), an integer cell the value. */
    size_t nrows, rows_alloc, cells_alloc;
    long *lines;
    unsigned char *states;
    int64_t *cells;
    struct strbuf text;
    struct strmap keys; /* key → row index, for duplicates (while reading) */

    bool failed;          /* an error concerns the whole file */
    long inserted, updated, unchanged, rejected;
    json_t *errors;
    long error_count;
    struct row_reason *reasons; /* with skip_bad_rows: why rows were rejected */
    size_t nreasons, reasons_alloc;
};

struct new_unit {
    char *id, *name, *parent;
    const char *kind;
};

struct import_run {
    struct db *db;
    const struct import_options *opts;
    struct tz *tz;
    struct import_file **files;
    size_t nfiles;
    json_t *warnings;
    long rows_read;
    struct mapping *mapping; /* with --map: the loaded mapping */

    struct new_unit *new_units; /* units created from unit paths */
    size_t nnew_units, new_units_alloc;
    long long batch; /* 0 until the batch exists */
    long units_inserted;
    /* The order rollups' sums, computed beside the writes when the
     * orders table was empty (see write.c); NULL otherwise. */
    struct order_sums_ahead *order_sums;
    struct order_rows *order_rows; /* the worker's iterator over the rows */
    /* Whether a large file may be written while it is read (bulk.h), and
     * the pipeline doing so. */
    bool pipeline_allowed;
    struct pipeline *pipeline;
};

/* The text of a cell of a text column, or NULL; integer columns hold
 * values, not offsets, so they must not be read through this. */
static inline const char *cell_text(const struct import_file *f, size_t row, size_t col)
{
    int64_t off = f->cells[row * f->layout.ncols + col];

    return off ? f->text.buf + off : NULL;
}

/* The file to read f's data from: its spooled copy, or its path. */
static inline const char *file_data_path(const struct import_file *f)
{
    return f->spool_path ? f->spool_path : f->path;
}

static inline int64_t *row_cells(const struct import_file *f, size_t row)
{
    return f->cells + row * f->layout.ncols;
}

/* Adds a file of entity e (NULL: none could be told) to the run. */
struct import_file *run_add_file(struct import_run *run, const char *path,
                                 const struct entity_def *e);

/* Records an error of file f; row is the row index or (size_t)-1 for the
 * whole file. field_index -1: no particular field. The row is rejected,
 * or the file marked failed. */
void run_error(struct import_run *run, struct import_file *f, size_t row, long line,
               int field_index, const char *value, long long offset, const char *message);
void run_warning(struct import_run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Collects the files of paths and reads them, then resolves unit paths
 * and checks references: everything of a run but storing. Data errors go
 * to the files' reports; -1 (with a message in err) is an internal
 * failure. Free the run with run_release in either case. */
int run_read(struct import_run *run, struct db *db, const struct import_options *opts,
             const char *const *paths, size_t npaths, struct strbuf *err);
void run_release(struct import_run *run);

/* Reads file f's rows; file-level problems mark it failed. Returns -1
 * only on an internal failure. */
int read_import_file(struct import_run *run, struct import_file *f, struct strbuf *err);

/* Reports the keys that two files of the run both hold (for example the
 * same order_id in d1/orders.csv and d2/orders.csv): both rows are
 * rejected, as two rows of one file with the same key are. */
void check_run_duplicates(struct import_run *run);

/* Rejects row of file f, read from rec, when its fields break a rule
 * between them: an end date before its start date, a negative base
 * salary, a leave reason without a leave date (rules.c). */
void rules_check_row(struct import_run *run, struct import_file *f, size_t row,
                     const struct source_record *rec);

/* Checks the root and creates the units named by paths. */
int units_resolve(struct import_run *run, struct strbuf *err);

/* Rejects rows whose references name nothing (and, with skip_bad_rows,
 * rows referring to rejected rows, until nothing changes). */
int references_check(struct import_run *run, struct strbuf *err);

/* Stores the accepted rows of every file and the new units under
 * run->batch, counting inserted, updated and unchanged rows. */
int write_rows(struct import_run *run, struct strbuf *err);

/* Whether the stored row (the current row of a statement selecting the
 * layout's columns in order) equals row of file f. */
bool row_matches(struct db_stmt *st, const struct import_file *f, size_t row);

/* Writes the rejected rows of every file to a new temporary file in
 * path's folder, whose name goes to *temp_path (the caller frees it and
 * either renames it with rejects_publish or removes it). Fails, with a
 * message naming path, when path is a folder or its folder cannot be
 * written. */
int rejects_prepare(struct import_run *run, const char *path, char **temp_path,
                    struct strbuf *err);
/* Renames the temporary rejects file to path. */
int rejects_publish(const char *temp_path, const char *path, struct strbuf *err);

#endif
