/*
 * Rollups: summary tables derived from the raw entity tables so that
 * scorecards never scan raw orders. The importer (and undo) calls
 * rollups_refresh inside its transaction, after the rows are written, so
 * the rollups always match the data they summarise.
 */
#ifndef CAIRN_ROLLUP_H
#define CAIRN_ROLLUP_H

#include "db/db.h"

/* Brings every rollup up to date with the entity tables. Returns 0, or -1
 * with a message in err. */
int rollups_refresh(struct db *db, struct strbuf *err);

/* Refreshes the rollups in a transaction of its own when they were never
 * built (a database migrated from before they existed). Returns 0, or -1
 * with a message in err. */
int rollups_ensure_fresh(struct db *db, struct strbuf *err);

#endif
