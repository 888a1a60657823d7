/*
 * Importing data sets: reading canonical files (and, through the record
 * sources, foreign ones), validating every field, resolving unit paths
 * and references across all files of a run, and storing the run as one
 * import batch in one transaction. The batches can be listed and undone.
 * The "import" and "imports" commands, "cairn demo" and the web API's
 * upload job all call this API.
 */
#ifndef CAIRN_IMPORT_H
#define CAIRN_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "db/db.h"
#include "readers/source.h"
#include "readers/values.h"

/* Results of import_run besides -1 (an internal failure, message in err). */
enum import_status {
    IMPORT_OK = 0,      /* stored (or, with dry_run, would be stored) */
    IMPORT_REJECTED = 1 /* errors in the data: nothing stored */
};

struct import_options {
    /* Entity of every file given directly as a path ("orders"); NULL:
     * taken from the canonical file name. Files found in a folder are
     * always named after their entity. */
    const char *kind;
    /* Store the valid rows and reject the others (with the rows that
     * refer to them), instead of storing nothing. */
    bool skip_bad_rows;
    /* With skip_bad_rows: where rejected rows are written; NULL gives
     * rejected-<batch>.csv (rejected-dry-run.csv) in the current folder. */
    const char *rejects_path;
    /* Validate and count everything, then roll back: batch is null. */
    bool dry_run;
    /* How sources are read (encoding, delimiter, sheet). */
    struct source_options source;
    /* Day/month order of foreign dates such as 05/03/2024 (--date-order);
     * DATE_ORDER_NONE accepts only unambiguous ones. */
    enum date_order date_order;
    /* A mapping file (--map, src/mapping/): the one path is the folder or
     * workbook holding its sources, and its targets are the run's files. */
    const char *map_path;
    /* Called every few thousand rows read, and once at the end; may be
     * NULL. rows counts the data rows read so far in the whole run. */
    void (*progress)(void *ctx, long rows);
    void *progress_ctx;
};

/*
 * Imports the files and folders in paths as one run. On return 0 or 1,
 * *report holds the report (the JSON of "cairn import", owned by the
 * caller): IMPORT_OK when the run was stored (or would be, with dry_run),
 * IMPORT_REJECTED when errors in the data stopped it and nothing was
 * stored. Returns -1 when the import could not run at all (database
 * failure), with a message in err and *report NULL. The run owns db's
 * transaction and, on SQLite, turns foreign key enforcement off on that
 * connection until it returns (it checks every reference itself), so db
 * must not be shared with other work meanwhile.
 */
int import_run(struct db *db, const char *const *paths, size_t npaths,
               const struct import_options *opts, json_t **report, struct strbuf *err);

/*
 * Fails, with a message in err, when the rejected-rows file rejects is
 * one of the inputs: a path of paths, or a file in a folder of paths
 * (the same device and inode, or the same real path). import_run checks
 * this itself; the command line checks it first to report a usage error.
 */
int rejects_check_path(const char *rejects, const char *const *paths, size_t npaths,
                       struct strbuf *err);

/*
 * Compares the files of paths, read and checked as import_run would, with
 * the rows of db that have the same keys: counts, money sums per month of
 * each entity's main date, missing and different keys. Rows the import
 * would reject are counted apart. *report receives the JSON of "cairn
 * reconcile". Returns 0 when everything matches, 1 when something does
 * not (or a file cannot be read), -1 on an internal failure with a
 * message in err.
 */
int reconcile_run(struct db *db, const char *const *paths, size_t npaths,
                  const struct import_options *opts, json_t **report, struct strbuf *err);

/*
 * The import batches, newest first, as the JSON array of "cairn imports":
 * [{"batch","time","user","files":[{"path","sha256"}],"inserted",
 * "updated","undone"}]. Returns NULL with a message in err on failure.
 */
json_t *imports_list(struct db *db, struct strbuf *err);

/*
 * Undoes batch batch_id in one transaction: deletes the rows it inserted,
 * restores the rows it updated and marks it undone. Returns 0; 1 when it
 * is refused (unknown or already undone batch, or a later batch that is
 * not undone changed the same rows), with the reason in err; -1 on a
 * database failure, with a message in err.
 */
int imports_undo(struct db *db, long long batch_id, struct strbuf *err);

#endif
