/*
 * Audit rows and the UTC timestamps they carry.
 */
#include <stdio.h>

#include "auth/audit.h"
#include "util/xalloc.h"

void audit_time(time_t t, char out[AUDIT_TIME_SIZE])
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, AUDIT_TIME_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int audit_record(struct db *db, const char *login, const char *action, const char *subject,
                 const char *detail, struct strbuf *err)
{
    char now[AUDIT_TIME_SIZE];
    struct db_stmt *st;
    int rc;

    audit_time(time(NULL), now);
    st = db_prepare(db,
                    "INSERT INTO audit (time, login, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                    err);
    if (!st)
        return -1;
    db_bind_text(st, 1, now);
    db_bind_text(st, 2, login);
    db_bind_text(st, 3, action);
    db_bind_text(st, 4, subject);
    db_bind_text(st, 5, detail);
    rc = db_step(st, err);
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}
