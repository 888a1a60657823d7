/*
 * The parts of a loaded mapping shared by its loader (load.c), the
 * staging of its sources (staging.c), the SQL functions (functions.c),
 * the sandbox its statements run in (sandbox.c) and the run glue
 * (targets.c).
 */
#ifndef CAIRN_MAPPING_INTERNAL_H
#define CAIRN_MAPPING_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>

#include "mapping/mapping.h"
#include "readers/source.h"

/* How long the statements of one target may run, in seconds. */
#define MAPPING_TIME_LIMIT 120

struct mapping_source {
    char *name;    /* the staging table */
    char *path;    /* the file, resolved against the import PATH */
    char *sheet;   /* NULL: the first sheet */
    char *display; /* how reports name it: path, or path#sheet */
    struct source_options opts;
    bool header;
    bool encoding_set;
};

struct mapping_target {
    struct mapping *m;
    char *entity;
    char *sql;
};

struct mapping {
    char *path; /* the mapping file */
    struct mapping_source *sources;
    size_t nsources;
    struct mapping_target *targets;
    size_t ntargets;
    sqlite3 *db; /* the staging database */
    bool sandboxed;
    double time_used, step_start; /* seconds spent in the current target */
};

/*
 * Parses the JSON mapping file at path; sources are resolved against
 * base (a folder, or a workbook whose sheets are the sources). Returns
 * NULL with a message in err.
 */
struct mapping *mapping_load(const char *path, const char *base, struct strbuf *err);

/* Opens the staging database with the SQL functions registered. */
int staging_open(struct mapping *m, struct strbuf *err);

/*
 * Reads source s into its staging table, with dflt giving the options the
 * source does not set. On a data problem returns -1 with a message in err
 * and the line and byte offset (0 and -1 when none) of the failure.
 */
int staging_load(struct mapping *m, struct mapping_source *s, const struct source_options *dflt,
                 long *line, long long *offset, struct strbuf *err);

/* Registers the cairn_* SQL functions on db. */
int functions_register(sqlite3 *db, struct strbuf *err);

/* Creates each source's staging table with the column _line only, for
 * checking the targets' SQL before the sources' columns are known. */
int staging_create_empty(struct mapping *m, struct strbuf *err);

/*
 * Prepares each target's SQL in the sandbox (sandbox_enable first) as
 * mapping_rows_open does, without running it: a syntax error, a second
 * statement, a write, or a table that is not a source is an error. A
 * missing column is not, because the staging tables of a check have no
 * columns but _line. Returns 0, or -1 with a message in err.
 */
int sandbox_check_targets(struct mapping *m, struct strbuf *err);

/* From now on, only reading the staging tables is allowed on m->db. */
void sandbox_enable(struct mapping *m);

/* Seconds on a monotonic clock. */
double mapping_now(void);

#endif
