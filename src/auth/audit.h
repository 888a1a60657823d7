/*
 * The audit log: one row per login, logout, account change, export and
 * view of personal data, with who did it and on what. Rows never hold a
 * password, a token or the personal fields themselves.
 */
#ifndef CAIRN_AUTH_AUDIT_H
#define CAIRN_AUTH_AUDIT_H

#include <time.h>

#include "db/db.h"

/* Size of a "YYYY-MM-DDTHH:MM:SSZ" timestamp with its NUL. */
#define AUDIT_TIME_SIZE 21

/* Writes t as a UTC ISO 8601 timestamp ("2024-03-01T08:00:00Z"). */
void audit_time(time_t t, char out[AUDIT_TIME_SIZE]);

/*
 * Appends an audit row. login is the acting account (or the login that
 * was tried), action a fixed word ("login", "login_failed", "logout",
 * "user_add", ...), subject what it acted on and detail a short note;
 * subject and detail may be NULL. Returns 0, or -1 with a message in err.
 */
int audit_record(struct db *db, const char *login, const char *action, const char *subject,
                 const char *detail, struct strbuf *err);

#endif
