/*
 * Import batches: the record of each stored import run (time, user, files
 * with their SHA-256, counts), kept so that runs can be listed and undone.
 */
#ifndef CAIRN_IMPORT_BATCHES_H
#define CAIRN_IMPORT_BATCHES_H

#include "db/db.h"

/* Starts a batch (now, by $USER) inside the caller's transaction. */
int batch_create(struct db *db, long long *batch_id, struct strbuf *err);
int batch_add_file(struct db *db, long long batch_id, const char *path, const char *kind,
                   const char *sha256, long rows, long inserted, long updated, long unchanged,
                   long rejected, struct strbuf *err);
int batch_finish(struct db *db, long long batch_id, long inserted, long updated,
                 struct strbuf *err);

#endif
