/*
 * The users table: create, read, delete accounts and change passwords.
 * Ending an account or changing its password also deletes its sessions,
 * so that a stolen session does not outlive the password it came from.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/audit.h"
#include "auth/users.h"
#include "util/i18n.h"
#include "util/xalloc.h"

bool login_is_valid(const char *login)
{
    size_t len = strlen(login);

    if (len == 0 || len > LOGIN_MAX)
        return false;
    for (const char *p = login; *p; p++) {
        char c = *p;

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == '@'))
            return false;
    }
    return true;
}

int principal_from_text(const char *role, const char *scope, struct principal *out)
{
    if (!role || !scope || role_parse(role, &out->role) || scope_parse(scope, &out->scope))
        return -1;
    return 0;
}

int user_find(struct db *db, const char *login, struct user *out, bool *found,
              struct strbuf *err)
{
    struct db_stmt *st;
    int rc, ret = -1;

    *found = false;
    memset(out, 0, sizeof(*out));
    if (!login_is_valid(login))
        return 0;
    st = db_prepare(db,
                    "SELECT role, scope, password_hash, disabled FROM users WHERE login = ?", err);
    if (!st)
        return -1;
    db_bind_text(st, 1, login);
    rc = db_step(st, err);
    if (rc == DB_ERROR)
        goto out;
    if (rc == DB_ROW) {
        if (principal_from_text(db_column_text(st, 0), db_column_text(st, 1), &out->who)) {
            sb_addf(err, _("account %s has an unknown role or scope"), login);
            goto out;
        }
        memcpy(out->login, login, strlen(login) + 1);
        out->password_hash = xstrdup(db_column_text(st, 2) ? db_column_text(st, 2) : "");
        out->disabled = db_column_int64(st, 3) != 0;
        *found = true;
    }
    ret = 0;
out:
    db_finalize(st);
    return ret;
}

void user_release(struct user *u)
{
    free(u->password_hash);
    u->password_hash = NULL;
}

int user_insert(struct db *db, const char *login, const struct principal *who,
                const char *password_hash, struct strbuf *err)
{
    struct strbuf scope = STRBUF_INIT;
    char now[AUDIT_TIME_SIZE];
    struct db_stmt *st = NULL;
    int64_t existing = 0;
    int ret = -1;

    st = db_prepare(db, "SELECT count(*) FROM users WHERE login = ?", err);
    if (!st)
        goto out;
    db_bind_text(st, 1, login);
    if (db_step(st, err) == DB_ERROR)
        goto out;
    existing = db_column_int64(st, 0);
    db_finalize(st);
    st = NULL;
    if (existing) {
        sb_addf(err, _("account %s exists already"), login);
        goto out;
    }

    scope_format(&who->scope, &scope);
    audit_time(time(NULL), now);
    st = db_prepare(db,
                    "INSERT INTO users (login, role, scope, password_hash, created_at, disabled)"
                    " VALUES (?, ?, ?, ?, ?, 0)",
                    err);
    if (!st)
        goto out;
    db_bind_text(st, 1, login);
    db_bind_text(st, 2, role_name(who->role));
    db_bind_text(st, 3, scope.buf);
    db_bind_text(st, 4, password_hash);
    db_bind_text(st, 5, now);
    if (db_step(st, err) == DB_ERROR)
        goto out;
    ret = 0;
out:
    db_finalize(st);
    sb_release(&scope);
    return ret;
}

/* Runs one statement with up to two text parameters; returns the number
 * of rows it changed, or -1. */
static int64_t run_change(struct db *db, const char *sql, const char *a, const char *b,
                          struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, sql, err);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, 1, a);
    if (b)
        db_bind_text(st, 2, b);
    rc = db_step(st, err);
    db_finalize(st);
    return rc == DB_ERROR ? -1 : db_changes(db);
}

int user_delete(struct db *db, const char *login, bool *found, struct strbuf *err)
{
    int64_t n;

    *found = false;
    if (db_begin(db, err))
        return -1;
    if (run_change(db, "DELETE FROM sessions WHERE login = ?", login, NULL, err) < 0)
        goto fail;
    n = run_change(db, "DELETE FROM users WHERE login = ?", login, NULL, err);
    if (n < 0)
        goto fail;
    if (db_commit(db, err))
        goto fail;
    *found = n > 0;
    return 0;
fail:
    db_rollback(db);
    return -1;
}

int user_set_password(struct db *db, const char *login, const char *password_hash, bool *found,
                      struct strbuf *err)
{
    int64_t n;

    *found = false;
    if (db_begin(db, err))
        return -1;
    n = run_change(db, "UPDATE users SET password_hash = ?2 WHERE login = ?1", login,
                   password_hash, err);
    if (n < 0)
        goto fail;
    if (run_change(db, "DELETE FROM sessions WHERE login = ?", login, NULL, err) < 0)
        goto fail;
    if (db_commit(db, err))
        goto fail;
    *found = n > 0;
    return 0;
fail:
    db_rollback(db);
    return -1;
}
