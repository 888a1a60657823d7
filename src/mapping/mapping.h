/*
 * Mapping files: how an export that the alias table cannot map (order
 * lines to be summed, returns on another sheet, a headerless file) is
 * turned into canonical rows. Each source of the mapping (a file, or a
 * sheet of a workbook) is read into a staging table of text columns in a
 * private in-memory SQLite database; each target entity is an SQL SELECT
 * over those tables that yields the entity's canonical columns, run
 * read-only under an authorizer and a time limit. The import run reads
 * a target's rows like the records of a file (docs/import.md, "Mapping
 * files").
 */
#ifndef CAIRN_MAPPING_H
#define CAIRN_MAPPING_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "readers/source.h"
#include "util/strbuf.h"

struct import_run;
struct mapping;
struct mapping_target;
struct mapping_rows;

/*
 * Loads the mapping file run->opts->map_path for the one folder or
 * workbook in paths, reads its sources into staging tables and adds one
 * file of the run per target (its rows read later by mapping_rows_*).
 * Problems with the mapping or its sources become file errors of the
 * run. Returns -1 only on an internal failure, with a message in err.
 */
int mapping_add_targets(struct import_run *run, const char *const *paths, size_t npaths,
                        struct strbuf *err);

/* The place where a mapping text stops being valid JSON: 1-based line
 * and column, 0-based byte position; -1 when the problem is not a syntax
 * error. */
struct mapping_problem {
    int line, column, position;
};

/*
 * Checks the mapping text (len bytes) as "cairn import --map" reads it,
 * without reading any source. It checks the JSON, the keys and their
 * types, the source names and files, that every target is a known
 * entity, and each target's SQL. The SQL is prepared in the import's
 * sandbox against staging tables without columns, so a missing column
 * is left to the import.
 * workbook says whether the import will name a workbook (sources may then
 * be its sheets) or a folder. Returns 0 with the targets' entity names in
 * *entities (a new JSON array), or -1 with a message in err and, for a
 * syntax error, its place in *problem.
 */
int mapping_check(const char *text, size_t len, bool workbook, json_t **targets_out,
                  struct mapping_problem *problem, struct strbuf *err);

/* Frees a mapping and its staging database; NULL is fine. */
void mapping_free(struct mapping *m);

/*
 * Runs target t's SELECT. The first record mapping_rows_next returns is
 * the header (the SELECT's column names but _source and _line), then one
 * record per row, its line taken from _line (0 without it). Returns NULL
 * with a message in err when the SELECT is refused or invalid.
 */
struct mapping_rows *mapping_rows_open(struct mapping_target *t, struct strbuf *err);
/* Reads the next record as source_next does. *source receives how
 * reports name the row's source (valid while the mapping lives), or NULL
 * when the SELECT yields no _source and the mapping has several. */
int mapping_rows_next(struct mapping_rows *r, struct source_record **rec, const char **source,
                      struct strbuf *err);
void mapping_rows_close(struct mapping_rows *r);

#endif
