/*
 * Sessions and login throttling of src/auth/sessions.c, with the clock
 * given explicitly so that expiry and window edges are exact.
 */
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "auth/password.h"
#include "auth/sessions.h"
#include "db/db.h"

#define T0 1700000000 /* an arbitrary Unix time */
#define HOUR 3600

static char *dir;
static struct db *db;

static int setup(void **state)
{
    struct strbuf err = STRBUF_INIT;
    char *path;

    (void)state;
    dir = make_temp_dir();
    path = path_join(dir, "sessions.db");
    if (db_open(&db, path, DB_OPEN_CREATE, &err))
        fail_msg("db_open: %s", err.buf);
    if (db_exec(db,
                "INSERT INTO users (login, role, scope, password_hash, created_at) VALUES"
                " ('ann', 'team_lead', 'unit:T1', 'x', '2024-01-01T00:00:00Z'),"
                " ('bob', 'gm', 'company', 'x', '2024-01-01T00:00:00Z');",
                &err))
        fail_msg("insert: %s", err.buf);
    free(path);
    sb_release(&err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    remove_tree(dir);
    free(dir);
    return 0;
}

static bool lookup(const char *token, int64_t now, struct session *s)
{
    struct strbuf err = STRBUF_INIT;
    bool found = false;

    if (session_lookup(db, token, now, 12 * HOUR, s, &found, &err))
        fail_msg("session_lookup: %s", err.buf);
    sb_release(&err);
    return found;
}

static int64_t count(const char *sql)
{
    int64_t n = -1;

    assert_int_equal(db_query_int64(db, sql, -1, &n, NULL), 0);
    return n;
}

static void session_lifecycle(void **state)
{
    struct strbuf err = STRBUF_INIT;
    char token[TOKEN_HEX_SIZE], csrf[TOKEN_HEX_SIZE], hash[65];
    struct session s;
    struct db_stmt *st;

    (void)state;
    assert_int_equal(session_create(db, "ann", T0, 12 * HOUR, token, csrf, &err), 0);
    assert_int_equal(strlen(token), 64);
    assert_int_equal(strlen(csrf), 64);
    assert_string_not_equal(token, csrf);

    /* Only the token's SHA-256 is stored. */
    sha256_hex(token, hash);
    st = db_prepare(db, "SELECT token_hash, expires_at FROM sessions", &err);
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_string_equal(db_column_text(st, 0), hash);
    assert_int_equal(db_column_int64(st, 1), T0 + 12 * HOUR);
    db_finalize(st);

    assert_true(lookup(token, T0 + 10, &s));
    assert_string_equal(s.login, "ann");
    assert_string_equal(s.csrf, csrf);
    assert_int_equal(s.who.role, ROLE_TEAM_LEAD);
    assert_int_equal(s.who.scope.kind, SCOPE_UNIT);
    assert_string_equal(s.who.scope.id, "T1");
    assert_false(lookup(hash, T0 + 10, &s)); /* the stored hash is no token */
    assert_false(lookup("abc", T0 + 10, &s));

    /* Each use after a minute moves the expiry: 11 h later it is live,
     * and 12 h after that last use it has expired. */
    assert_true(lookup(token, T0 + 11 * HOUR, &s));
    assert_int_equal(s.expires_at, T0 + 23 * HOUR);
    assert_true(lookup(token, T0 + 23 * HOUR - 1, &s));
    assert_false(lookup(token, T0 + 35 * HOUR, &s));

    /* A new session removes expired ones. */
    assert_int_equal(count("SELECT count(*) FROM sessions"), 1);
    assert_int_equal(session_create(db, "bob", T0 + 36 * HOUR, HOUR, token, csrf, &err), 0);
    assert_int_equal(count("SELECT count(*) FROM sessions"), 1);
    assert_true(lookup(token, T0 + 36 * HOUR, &s));
    assert_int_equal(s.who.scope.kind, SCOPE_COMPANY);

    /* Deleting ends it; a disabled account's sessions do not count. */
    assert_int_equal(session_delete(db, token, &err), 0);
    assert_false(lookup(token, T0 + 36 * HOUR, &s));
    assert_int_equal(session_create(db, "bob", T0 + 36 * HOUR, HOUR, token, csrf, &err), 0);
    assert_int_equal(db_exec(db, "UPDATE users SET disabled = 1 WHERE login = 'bob'", &err), 0);
    assert_false(lookup(token, T0 + 36 * HOUR, &s));
    assert_int_equal(db_exec(db, "UPDATE users SET disabled = 0 WHERE login = 'bob'", &err), 0);
    sb_release(&err);
}

static bool throttled(const char *login, const char *ip, int64_t now)
{
    struct strbuf err = STRBUF_INIT;
    bool t = true;

    if (login_throttled(db, login, ip, now, &t, &err))
        fail_msg("login_throttled: %s", err.buf);
    sb_release(&err);
    return t;
}

static void fail_at(const char *login, const char *ip, int64_t now)
{
    assert_int_equal(login_attempt_record(db, login, ip, false, now, NULL), 0);
}

static void throttle_window(void **state)
{
    const int64_t w = LOGIN_WINDOW_SECONDS;

    (void)state;
    assert_int_equal(db_exec(db, "DELETE FROM login_attempts", NULL), 0);

    /* Four failures leave the login open; the fifth closes it. */
    for (int i = 0; i < 4; i++)
        fail_at("ann", "10.0.0.1", T0 + i);
    assert_false(throttled("ann", "10.0.0.9", T0 + 10));
    fail_at("ann", "10.0.0.1", T0 + 4);
    assert_true(throttled("ann", "10.0.0.9", T0 + 10));
    assert_true(throttled("bob", "10.0.0.1", T0 + 10)); /* the address too */
    assert_false(throttled("bob", "10.0.0.2", T0 + 10));

    /* The first failure leaves the window at T0 + w: then four remain. */
    assert_true(throttled("ann", "10.0.0.9", T0 + w - 1));
    assert_false(throttled("ann", "10.0.0.9", T0 + w));

    /* A success clears that login's failures from that address only. */
    assert_int_equal(db_exec(db, "DELETE FROM login_attempts", NULL), 0);
    for (int i = 0; i < 5; i++)
        fail_at(i < 3 ? "ann" : "bob", "10.0.0.1", T0 + i);
    assert_true(throttled("carl", "10.0.0.1", T0 + 10));
    assert_int_equal(login_attempt_record(db, "ann", "10.0.0.1", true, T0 + 10, NULL), 0);
    assert_false(throttled("carl", "10.0.0.1", T0 + 11));
    assert_int_equal(count("SELECT count(*) FROM login_attempts WHERE login = 'bob'"), 2);

    /* Recording prunes rows that left the window. */
    fail_at("dan", "10.0.0.3", T0 + 2 * w);
    assert_int_equal(count("SELECT count(*) FROM login_attempts"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(session_lifecycle),
        cmocka_unit_test(throttle_window),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
