/*
 * Web sessions and login throttling. A session is identified by a random
 * 32-byte token that only the browser holds (in the cairn_session
 * cookie); the database stores its SHA-256, so a copy of the database
 * does not let anyone log in. Each session has its own CSRF token, which
 * every state-changing request must send back in X-CSRF-Token.
 */
#ifndef CAIRN_AUTH_SESSIONS_H
#define CAIRN_AUTH_SESSIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/users.h"
#include "db/db.h"

/* Hex digits of a session or CSRF token (32 random bytes). */
#define TOKEN_HEX_SIZE 65

/* Failed logins within LOGIN_WINDOW_SECONDS, counted per login and per
 * client address, after which further attempts are refused. */
#define LOGIN_MAX_FAILURES 5
#define LOGIN_WINDOW_SECONDS (15 * 60)

struct session {
    char login[LOGIN_MAX + 1];
    struct principal who;
    char csrf[TOKEN_HEX_SIZE];
    int64_t expires_at; /* Unix seconds */
};

/*
 * Starts a session for login lasting lifetime seconds from now. Writes
 * the token for the cookie and the CSRF token. Returns 0, or -1 with a
 * message in err.
 */
int session_create(struct db *db, const char *login, int64_t now, int64_t lifetime,
                   char token[TOKEN_HEX_SIZE], char csrf[TOKEN_HEX_SIZE], struct strbuf *err);

/*
 * Finds the live session of a cookie token, whose account still exists
 * and is enabled, and moves its expiry to now + lifetime (the lifetime
 * counts from the last request). Returns 0 with *found set (and *out
 * filled when found), or -1 with a message in err.
 */
int session_lookup(struct db *db, const char *token, int64_t now, int64_t lifetime,
                   struct session *out, bool *found, struct strbuf *err);

/* Ends the session of a cookie token (nothing when there is none). */
int session_delete(struct db *db, const char *token, struct strbuf *err);

/*
 * Sets *throttled when login or the client address ip had
 * LOGIN_MAX_FAILURES or more failed attempts in the window before now.
 * Returns 0 or -1 with a message in err.
 */
int login_throttled(struct db *db, const char *login, const char *ip, int64_t now,
                    bool *throttled, struct strbuf *err);

/*
 * Records a login attempt. A success removes the earlier failures of the
 * same login from the same address (but not those of the address for
 * other logins), and rows older than the window are pruned.
 */
int login_attempt_record(struct db *db, const char *login, const char *ip, bool ok, int64_t now,
                         struct strbuf *err);

#endif
