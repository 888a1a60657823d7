/*
 * Unit tests of the database layer's bulk-load mode: a large load leaves
 * WAL mode for a rollback journal only while no other connection has the
 * file open, and every setting returns to its value after the run.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/db.h"
#include "dbtest.h"
#include "support.h"
#include "util/strbuf.h"

static int setup(void **state)
{
    struct temp_db *t = calloc(1, sizeof(*t));

    temp_db_open(t, "bulk.db");
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    temp_db_close(*state);
    free(*state);
    return 0;
}

/* The current journal mode as 1 for WAL, 0 for any other. */
static int64_t in_wal(struct db *db)
{
    return db_int(db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode");
}

static void large_load_leaves_wal(void **state)
{
    struct temp_db *f = *state;
    struct strbuf err = STRBUF_INIT;

    assert_int_equal(in_wal(f->db), 1);
    assert_int_equal(db_bulk_start(f->db, true, &err), 0);
    assert_int_equal(in_wal(f->db), 0);
    assert_int_equal(db_int(f->db, "PRAGMA foreign_keys"), 0);
    assert_int_equal(db_int(f->db, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(db_int(f->db, "PRAGMA cache_size"), -262144);

    assert_int_equal(db_bulk_end(f->db, &err), 0);
    assert_int_equal(in_wal(f->db), 1);
    assert_int_equal(db_int(f->db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(db_int(f->db, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(db_int(f->db, "PRAGMA cache_size"), -65536);
    sb_release(&err);
}

static void small_load_keeps_wal(void **state)
{
    struct temp_db *f = *state;
    struct strbuf err = STRBUF_INIT;

    assert_int_equal(db_bulk_start(f->db, false, &err), 0);
    assert_int_equal(in_wal(f->db), 1);
    assert_int_equal(db_int(f->db, "PRAGMA foreign_keys"), 0);
    assert_int_equal(db_bulk_end(f->db, &err), 0);
    assert_int_equal(db_int(f->db, "PRAGMA foreign_keys"), 1);
    sb_release(&err);
}

/* A reader such as a running server keeps the file in WAL mode. */
static void other_connection_keeps_wal(void **state)
{
    struct temp_db *f = *state;
    struct strbuf err = STRBUF_INIT;
    struct db *reader = NULL;

    if (db_open(&reader, f->path, DB_OPEN_EXISTING, &err))
        fail_msg("%s", err.buf);
    assert_int_equal(db_bulk_start(f->db, true, &err), 0);
    assert_int_equal(in_wal(f->db), 1);
    assert_int_equal(db_int(f->db, "PRAGMA synchronous"), 1);
    assert_int_equal(db_bulk_end(f->db, &err), 0);
    assert_int_equal(in_wal(reader), 1);
    db_close(reader);
    sb_release(&err);
}

/* A process killed in the middle of a large load, after SQLite spilled
 * pages into the database file, loses the whole run: the next open rolls
 * the hot journal back and returns the file to WAL mode. */
static void crash_during_large_load(void **state)
{
    struct temp_db *f = *state;
    struct strbuf err = STRBUF_INIT;
    int status;
    pid_t child;

    if (db_exec(f->db, "INSERT INTO meta VALUES ('kept', 'yes')", &err))
        fail_msg("%s", err.buf);
    db_close(f->db);
    f->db = NULL;

    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        struct db *db = NULL;

        /* A small cache makes SQLite write pages before the commit. */
        if (db_open(&db, f->path, DB_OPEN_EXISTING, &err) || db_bulk_start(db, true, &err) ||
            db_exec(db, "PRAGMA cache_size = 10", &err) || db_begin(db, &err) ||
            db_exec(db,
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
                    " INSERT INTO meta SELECT 'row' || i, hex(randomblob(100)) FROM n",
                    &err))
            _exit(3);
        raise(SIGKILL);
        _exit(4);
    }
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));

    if (db_open(&f->db, f->path, DB_OPEN_EXISTING, &err))
        fail_msg("%s", err.buf);
    assert_int_equal(in_wal(f->db), 1);
    assert_int_equal(db_int(f->db, "SELECT count(*) FROM meta WHERE key LIKE 'row%'"), 0);
    assert_int_equal(db_int(f->db, "SELECT count(*) FROM meta WHERE key = 'kept'"), 1);
    assert_int_equal(db_int(f->db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
    sb_release(&err);
}

/* Another process opening the file during a large load, such as "cairn
 * kpi" or a server starting, keeps the rollback journal instead of
 * failing on the switch to WAL, and reads the last committed data. */
static void open_during_large_load(void **state)
{
    struct temp_db *f = *state;
    struct strbuf err = STRBUF_INIT;
    struct db *reader = NULL;

    if (db_bulk_start(f->db, true, &err) || db_begin(f->db, &err) ||
        db_exec(f->db, "INSERT INTO meta VALUES ('loading', '1')", &err))
        fail_msg("%s", err.buf);
    if (db_open(&reader, f->path, DB_OPEN_EXISTING, &err))
        fail_msg("open during the load failed: %s", err.buf);
    assert_int_equal(in_wal(reader), 0);
    assert_int_equal(db_int(reader, "SELECT count(*) FROM meta WHERE key = 'loading'"), 0);
    db_close(reader);

    if (db_commit(f->db, &err) || db_bulk_end(f->db, &err))
        fail_msg("%s", err.buf);
    assert_int_equal(in_wal(f->db), 1);
    sb_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(large_load_leaves_wal, setup, teardown),
        cmocka_unit_test_setup_teardown(small_load_keeps_wal, setup, teardown),
        cmocka_unit_test_setup_teardown(other_connection_keeps_wal, setup, teardown),
        cmocka_unit_test_setup_teardown(crash_during_large_load, setup, teardown),
        cmocka_unit_test_setup_teardown(open_during_large_load, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
