/*
 * End-to-end tests of "cairn user": the role and scope rules, password
 * input, listing, removal and password change, and the audit rows they
 * leave.
 */
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "db/db.h"

struct fixture {
    char *dir;
    char *db_path;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct strbuf err = STRBUF_INIT;
    struct db *db;

    f->dir = make_temp_dir();
    f->db_path = path_join(f->dir, "cairn.db");
    if (db_open(&db, f->db_path, DB_OPEN_CREATE, &err))
        fail_msg("db_open: %s", err.buf);
    if (db_exec(db,
                "INSERT INTO org_units (unit_id, name, parent_id, kind) VALUES"
                " ('C', 'Company', NULL, 'company'), ('TA', 'Team A', 'C', 'team');"
                "INSERT INTO employees (employee_id, name, unit_id, hire_date) VALUES"
                " ('E1', 'Li', 'TA', '2023-01-01');",
                &err))
        fail_msg("insert: %s", err.buf);
    db_close(db);
    sb_release(&err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    remove_tree(f->dir);
    free(f->dir);
    free(f->db_path);
    free(f);
    return 0;
}

/* Runs "cairn --db DB user ARGS..." with input on stdin; returns the exit
 * status and keeps stderr in *err_out when given. */
static int user_cmd(const struct fixture *f, const char *input, const char *const *args,
                    char **err_out)
{
    const char *argv[16] = {"--db", f->db_path, "user"};
    size_t n = 3;
    struct run_result r;
    int status;

    for (size_t i = 0; args[i]; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    r = run_cairn(NULL, input, argv);
    status = r.status;
    if (err_out)
        *err_out = strdup(r.err);
    run_result_free(&r);
    return status;
}

static void add_checks_roles(void **state)
{
    struct fixture *f = *state;
    const char *pw = "long-enough\n";

    /* Usage errors: exit 2. */
    assert_int_equal(user_cmd(f, pw, ARGS("add", "tl", "--role", "team_lead"), NULL), 2);
    assert_int_equal(
        user_cmd(f, pw, ARGS("add", "tl", "--role", "team_lead", "--scope", "employee:E1"), NULL),
        2);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "r", "--role", "rep"), NULL), 2);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "r", "--role", "rep", "--scope", "unit:TA"), NULL),
                     2);
    assert_int_equal(
        user_cmd(f, pw, ARGS("add", "h", "--role", "hr", "--scope", "employee:E1"), NULL), 2);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "x", "--role", "admin"), NULL), 2);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "x"), NULL), 2);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "--role", "gm"), NULL), 2);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "bad login", "--role", "gm"), NULL), 2);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "x", "--role", "gm", "--scope", "city:X"), NULL),
                     2);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "x", "--role", "gm", "--bogus"), NULL), 2);
    assert_int_equal(user_cmd(f, pw, ARGS("frobnicate"), NULL), 2);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "x", "y", "--role", "gm"), NULL), 2);

    /* Unknown unit or employee: exit 1. */
    assert_int_equal(
        user_cmd(f, pw, ARGS("add", "tl", "--role", "team_lead", "--scope", "unit:NOPE"), NULL), 1);
    assert_int_equal(
        user_cmd(f, pw, ARGS("add", "r", "--role", "rep", "--scope", "employee:NOPE"), NULL), 1);

    /* Every role with a valid scope. */
    assert_int_equal(user_cmd(f, pw, ARGS("add", "gm1", "--role", "gm"), NULL), 0);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "gm2", "--role", "gm", "--scope", "unit:TA"), NULL),
                     0);
    assert_int_equal(
        user_cmd(f, pw, ARGS("add", "tl", "--role", "team_lead", "--scope", "unit:TA"), NULL), 0);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "hr1", "--role", "hr"), NULL), 0);
    assert_int_equal(user_cmd(f, pw, ARGS("add", "fin", "--role", "finance"), NULL), 0);
    assert_int_equal(
        user_cmd(f, pw, ARGS("add", "rep", "--role", "rep", "--scope", "employee:E1"), NULL), 0);

    /* A login exists once. */
    assert_int_equal(user_cmd(f, pw, ARGS("add", "gm1", "--role", "hr"), NULL), 1);
}

static void add_checks_password(void **state)
{
    struct fixture *f = *state;
    char *err = NULL;

    assert_int_equal(user_cmd(f, "", ARGS("add", "a", "--role", "gm"), &err), 1);
    assert_non_null(strstr(err, "8")); /* the minimum, in either language */
    free(err);
    assert_int_equal(user_cmd(f, "\n", ARGS("add", "a", "--role", "gm"), NULL), 1);
    assert_int_equal(user_cmd(f, "1234567\n", ARGS("add", "a", "--role", "gm"), NULL), 1);
    /* Seven Chinese characters are 21 bytes but still too short. */
    assert_int_equal(user_cmd(f, "一二三四五六七\n", ARGS("add", "a", "--role", "gm"), NULL), 1);
    /* Eight characters, with CRLF, are enough. */
    assert_int_equal(user_cmd(f, "一二三四五六七八\r\n", ARGS("add", "a", "--role", "gm"), NULL), 0);
    assert_int_equal(user_cmd(f, "12345678", ARGS("add", "b", "--role", "gm"), NULL), 0);
}

static void list_remove_passwd(void **state)
{
    struct fixture *f = *state;
    struct run_result r;
    json_t *list, *u;
    struct strbuf err = STRBUF_INIT, audit = STRBUF_INIT;
    struct db *db;
    struct db_stmt *st;
    char *hash_before = NULL;

    assert_int_equal(user_cmd(f, "password-1\n",
                              ARGS("add", "zed", "--role", "rep", "--scope", "employee:E1"), NULL),
                     0);
    assert_int_equal(user_cmd(f, "password-1\n", ARGS("add", "amy", "--role", "finance"), NULL), 0);

    list = run_cairn_json(NULL, ARGS("--db", f->db_path, "user", "list", "--format", "json"), 0);
    assert_int_equal(json_array_size(list), 2);
    u = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(u, "login")), "amy");
    assert_string_equal(json_string_value(json_object_get(u, "role")), "finance");
    assert_string_equal(json_string_value(json_object_get(u, "scope")), "company");
    assert_true(json_is_false(json_object_get(u, "disabled")));
    assert_int_equal(strlen(json_string_value(json_object_get(u, "created_at"))), 20);
    assert_null(json_object_get(u, "password_hash"));
    u = json_array_get(list, 1);
    assert_string_equal(json_string_value(json_object_get(u, "login")), "zed");
    assert_string_equal(json_string_value(json_object_get(u, "scope")), "employee:E1");
    json_decref(list);

    r = run_cairn(NULL, NULL, ARGS("--db", f->db_path, "user", "list"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "amy"));
    assert_null(strstr(r.out, "scrypt"));
    run_result_free(&r);

    /* passwd replaces the hash; remove deletes the account. */
    assert_int_equal(db_open(&db, f->db_path, DB_OPEN_EXISTING, &err), 0);
    st = db_prepare(db, "SELECT password_hash FROM users WHERE login = 'zed'", &err);
    assert_int_equal(db_step(st, &err), DB_ROW);
    hash_before = strdup(db_column_text(st, 0));
    db_finalize(st);
    db_close(db);

    assert_int_equal(user_cmd(f, "short\n", ARGS("passwd", "zed"), NULL), 1);
    assert_int_equal(user_cmd(f, "password-2\n", ARGS("passwd", "zed"), NULL), 0);
    assert_int_equal(user_cmd(f, "password-2\n", ARGS("passwd", "nobody"), NULL), 1);
    assert_int_equal(user_cmd(f, NULL, ARGS("passwd"), NULL), 2);
    assert_int_equal(user_cmd(f, NULL, ARGS("remove", "amy"), NULL), 0);
    assert_int_equal(user_cmd(f, NULL, ARGS("remove", "amy"), NULL), 1);
    assert_int_equal(user_cmd(f, NULL, ARGS("remove"), NULL), 2);

    assert_int_equal(db_open(&db, f->db_path, DB_OPEN_EXISTING, &err), 0);
    st = db_prepare(db, "SELECT password_hash FROM users WHERE login = 'zed'", &err);
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_string_not_equal(db_column_text(st, 0), hash_before);
    db_finalize(st);
    st = db_prepare(db, "SELECT count(*) FROM users WHERE login = 'amy'", &err);
    assert_int_equal(db_step(st, &err), DB_ROW);
    assert_int_equal(db_column_int64(st, 0), 0);
    db_finalize(st);
    st = db_prepare(db, "SELECT action, subject FROM audit ORDER BY id", &err);
    while (db_step(st, &err) == DB_ROW)
        sb_addf(&audit, "%s %s\n", db_column_text(st, 0), db_column_text(st, 1));
    db_finalize(st);
    db_close(db);
    assert_string_equal(audit.buf, "user_add zed\nuser_add amy\nuser_passwd zed\nuser_remove amy\n");

    free(hash_before);
    sb_release(&audit);
    sb_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(add_checks_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(add_checks_password, setup, teardown),
        cmocka_unit_test_setup_teardown(list_remove_passwd, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
