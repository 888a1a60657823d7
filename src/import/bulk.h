/*
 * Bulk loads into empty tables: rows copied into chunks and inserted
 * BULK_ROWS rows per statement, and the pipeline that inserts a large
 * file's rows on a second thread while the file is still being read.
 */
#ifndef CAIRN_IMPORT_BULK_H
#define CAIRN_IMPORT_BULK_H

#include "import/run.h"

/* Loading at least this many rows into an empty table drops its secondary
 * indexes first and builds them again after, which is faster than
 * updating them row by row. */
#define REINDEX_MIN_ROWS 50000

/* Input sizes in bytes from which a run is a large load, which
 * db_bulk_start runs outside WAL mode, and from which a file goes
 * through the pipeline below. Variables, so that tests can lower them. */
extern long bulk_large_load_bytes;
extern long bulk_pipeline_min_bytes;

/* Drops the secondary indexes of f's table (empty, and about to receive
 * a large load). *saved receives their CREATE statements. */
int drop_indexes(struct db *db, const struct import_file *f, struct strbuf *saved,
                 struct strbuf *err);

/* Whether f's table has no rows yet. */
int table_is_empty(struct db *db, const struct import_file *f, bool *empty, struct strbuf *err);

/* Inserts the accepted rows of f into its empty table. */
int insert_all(struct import_run *run, struct import_file *f, struct strbuf *err);

/*
 * The pipeline, for one large file per run whose table is empty: rows are
 * inserted by a writer thread as the reader accepts them. The reader owns
 * the file and the writer owns the database connection until
 * pipeline_end, so nothing else may use run->db in between.
 *
 * pipeline_begin starts it for f when the run allows it (see
 * import_run) and f qualifies, and does nothing otherwise. Returns 0, or
 * -1 with a message in err.
 */
int pipeline_begin(struct import_run *run, struct import_file *f, struct strbuf *err);

/* Hands row `row` of f, just read, to the writer unless it was rejected. */
void pipeline_row(struct import_run *run, struct import_file *f, size_t row);

/* Hands over the last rows and waits for the writer. Returns 0, or -1
 * with the writer's error in err. */
int pipeline_end(struct import_run *run, struct strbuf *err);

/* Whether the pipeline inserted f's rows. */
bool pipeline_wrote(const struct import_run *run, const struct import_file *f);

/* Completes f's table after the run's checks: deletes the rows rejected
 * after they were inserted (a later duplicate, a missing reference) and
 * builds the secondary indexes again. Returns 0, or -1 with a message in
 * err. */
int pipeline_finish_table(struct import_run *run, struct import_file *f, struct strbuf *err);

/* Stops the writer if still running and frees the pipeline. */
void pipeline_free(struct import_run *run);

#endif
