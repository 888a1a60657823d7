/*
 * Sessions and login attempts in the sessions and login_attempts tables.
 * Times are Unix seconds.
 */
#include <string.h>

#include "auth/password.h"
#include "auth/sessions.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* A session's expiry is moved at most this often, to save writes. */
#define SESSION_TOUCH_SECONDS 60

int session_create(struct db *db, const char *login, int64_t now, int64_t lifetime,
                   char token[TOKEN_HEX_SIZE], char csrf[TOKEN_HEX_SIZE], struct strbuf *err)
{
    char token_hash[65];
    struct db_stmt *st;
    int rc;

    if (random_hex(token, 32) || random_hex(csrf, 32)) {
        sb_addf(err, _("the random number generator failed"));
        return -1;
    }
    sha256_hex(token, token_hash);

    /* Expired sessions are removed here, the one place that adds rows. */
    st = db_prepare(db, "DELETE FROM sessions WHERE expires_at <= ?", err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, now);
    rc = db_step(st, err);
    db_finalize(st);
    if (rc == DB_ERROR)
        return -1;

    st = db_prepare(db,
                    "INSERT INTO sessions (token_hash, login, csrf, created_at, expires_at, last_seen)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    err);
    if (!st)
        return -1;
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, login);
    db_bind_text(st, 3, csrf);
    db_bind_int64(st, 4, now);
    db_bind_int64(st, 5, now + lifetime);
    db_bind_int64(st, 6, now);
    rc = db_step(st, err);
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* Moves a session's expiry forward; failure only costs the extension. */
static void session_touch(struct db *db, const char *token_hash, int64_t now, int64_t lifetime)
{
    struct strbuf err = STRBUF_INIT;
    struct db_stmt *st = db_prepare(
        db, "UPDATE sessions SET last_seen = ?2, expires_at = ?3 WHERE token_hash = ?1", &err);

    if (st) {
        db_bind_text(st, 1, token_hash);
        db_bind_int64(st, 2, now);
        db_bind_int64(st, 3, now + lifetime);
        db_step(st, &err);
        db_finalize(st);
    }
    sb_release(&err);
}

int session_lookup(struct db *db, const char *token, int64_t now, int64_t lifetime,
                   struct session *out, bool *found, struct strbuf *err)
{
    char token_hash[65];
    struct db_stmt *st;
    int rc, ret = -1;
    int64_t last_seen = 0;
    const char *login;

    *found = false;
    memset(out, 0, sizeof(*out));
    if (strlen(token) != TOKEN_HEX_SIZE - 1)
        return 0;
    sha256_hex(token, token_hash);

    st = db_prepare(db,
                    "SELECT s.login, u.role, u.scope, s.csrf, s.expires_at, s.last_seen"
                    " FROM sessions s JOIN users u ON u.login = s.login"
                    " WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
                    err);
    if (!st)
        return -1;
    db_bind_text(st, 1, token_hash);
    db_bind_int64(st, 2, now);
    rc = db_step(st, err);
    if (rc == DB_ERROR)
        goto out;
    if (rc == DB_ROW) {
        login = db_column_text(st, 0);
        if (principal_from_text(db_column_text(st, 1), db_column_text(st, 2), &out->who) ||
            strlen(login) > LOGIN_MAX || strlen(db_column_text(st, 3)) != TOKEN_HEX_SIZE - 1) {
            ret = 0; /* a row Cairn did not write: treat as no session */
            goto out;
        }
        memcpy(out->login, login, strlen(login) + 1);
        memcpy(out->csrf, db_column_text(st, 3), TOKEN_HEX_SIZE);
        out->expires_at = db_column_int64(st, 4);
        last_seen = db_column_int64(st, 5);
        *found = true;
    }
    ret = 0;
out:
    db_finalize(st);
    if (*found && now - last_seen >= SESSION_TOUCH_SECONDS) {
        session_touch(db, token_hash, now, lifetime);
        out->expires_at = now + lifetime;
    }
    return ret;
}

int session_delete(struct db *db, const char *token, struct strbuf *err)
{
    char token_hash[65];
    struct db_stmt *st;
    int rc;

    sha256_hex(token, token_hash);
    st = db_prepare(db, "DELETE FROM sessions WHERE token_hash = ?", err);
    if (!st)
        return -1;
    db_bind_text(st, 1, token_hash);
    rc = db_step(st, err);
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int login_throttled(struct db *db, const char *login, const char *ip, int64_t now,
                    bool *throttled, struct strbuf *err)
{
    struct db_stmt *st;
    int rc;

    *throttled = false;
    st = db_prepare(db,
                    "SELECT (SELECT count(*) FROM login_attempts"
                    "        WHERE ok = 0 AND login = ?1 AND time > ?3),"
                    "       (SELECT count(*) FROM login_attempts"
                    "        WHERE ok = 0 AND ip = ?2 AND time > ?3)",
                    err);
    if (!st)
        return -1;
    db_bind_text(st, 1, login);
    db_bind_text(st, 2, ip);
    db_bind_int64(st, 3, now - LOGIN_WINDOW_SECONDS);
    rc = db_step(st, err);
    if (rc == DB_ROW)
        *throttled = db_column_int64(st, 0) >= LOGIN_MAX_FAILURES ||
                     db_column_int64(st, 1) >= LOGIN_MAX_FAILURES;
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int login_attempt_record(struct db *db, const char *login, const char *ip, bool ok, int64_t now,
                         struct strbuf *err)
{
    struct db_stmt *st;
    int rc;

    st = db_prepare(db, "DELETE FROM login_attempts WHERE time <= ?", err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, now - LOGIN_WINDOW_SECONDS);
    rc = db_step(st, err);
    db_finalize(st);
    if (rc == DB_ERROR)
        return -1;

    if (ok) {
        st = db_prepare(db, "DELETE FROM login_attempts WHERE login = ? AND ip = ?", err);
        if (!st)
            return -1;
        db_bind_text(st, 1, login);
        db_bind_text(st, 2, ip);
        rc = db_step(st, err);
        db_finalize(st);
        return rc == DB_ERROR ? -1 : 0;
    }

    st = db_prepare(db, "INSERT INTO login_attempts (time, login, ip, ok) VALUES (?, ?, ?, 0)",
                    err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, now);
    db_bind_text(st, 2, login);
    db_bind_text(st, 3, ip);
    rc = db_step(st, err);
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}
