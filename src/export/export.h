/*
 * Exporting the database as a canonical data set: one CSV file per entity
 * that has rows, columns in the catalogue's order, event dates as they
 * were given, so that export, import and export again give the same files.
 */
#ifndef CAIRN_EXPORT_H
#define CAIRN_EXPORT_H

#include "db/db.h"

/*
 * Writes every non-empty entity of db to dir (created when absent; it must
 * be empty when present). Settings, users and import batches are not
 * exported. Returns the number of files written, or -1 with a message in
 * err (files already written stay).
 */
int export_dataset(struct db *db, const char *dir, struct strbuf *err);

#endif
