/*
 * Database helpers for unit tests (dbtest.h).
 */
#include <stdlib.h>

#include "dbtest.h"
#include "support.h"
#include "util/strbuf.h"

void temp_db_open(struct temp_db *t, const char *name)
{
    struct strbuf err = STRBUF_INIT;

    t->dir = make_temp_dir();
    t->path = path_join(t->dir, name);
    if (db_open(&t->db, t->path, DB_OPEN_CREATE, &err))
        fail_msg("%s", err.buf);
    sb_release(&err);
}

void temp_db_close(struct temp_db *t)
{
    db_close(t->db);
    remove_tree(t->dir);
    free(t->path);
    free(t->dir);
    t->db = NULL;
    t->dir = t->path = NULL;
}

int64_t db_int(struct db *db, const char *sql)
{
    struct strbuf err = STRBUF_INIT;
    int64_t v = -1;

    if (db_query_int64(db, sql, -1, &v, &err))
        fail_msg("%s: %s", sql, err.buf);
    sb_release(&err);
    return v;
}
