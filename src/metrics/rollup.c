/*
 * Rollup maintenance.
 * TODO: no rollup tables exist yet, so there is nothing to refresh; the
 * key-results engine adds them and fills this in.
 */
#include "metrics/rollup.h"

int rollups_refresh(struct db *db, struct strbuf *err)
{
    (void)db;
    (void)err;
    return 0;
}
