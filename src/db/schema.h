/*
 * The database schema as an ordered list of forward migrations.
 */
#ifndef CAIRN_SCHEMA_H
#define CAIRN_SCHEMA_H

#include "db/db.h"

/* Applies every migration newer than the database's version, each in its
 * own transaction. Returns 0, or -1 with a message in err. */
int schema_migrate(struct db *db, struct strbuf *err);

#endif
