/*
 * Crash safety of an import: "cairn import" of 100,000 generated orders
 * is killed with SIGKILL halfway through. The database must then open
 * with exactly the rows it had before, pass SQLite's integrity check and
 * list no new batch; importing the same file again must store each of
 * its rows once.
 */
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long query_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static char *query_text(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char *v = NULL;

    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void run_ok(const char *cwd, const char *const *args)
{
    struct run_result r = run_cairn(cwd, NULL, args);

    if (r.status != 0)
        fail_msg("cairn failed (%d): %s", r.status, r.err);
    run_result_free(&r);
}

/* Copies the header and the first n data lines of src to dst. */
static long copy_head(const char *src, const char *dst, long n)
{
    FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
    char line[4096];
    long lines = -1;

    assert_non_null(in);
    assert_non_null(out);
    while (fgets(line, sizeof(line), in) && (n < 0 || lines < n)) {
        fputs(line, out);
        lines++;
    }
    fclose(in);
    fclose(out);
    return lines;
}

static void killed_import_leaves_old_state(void **state)
{
    char *dir = make_temp_dir(), *demo = path_join(dir, "demo"), *db = path_join(dir, "c.db");
    char *orders = path_join(demo, "orders.csv"), *part_dir = path_join(dir, "part");
    char *part = path_join(part_dir, "orders.csv"), *check;
    char *units = path_join(demo, "org_units.csv"), *employees = path_join(demo, "employees.csv");
    char *customers = path_join(demo, "customers.csv"), *copy = path_join(dir, "all.csv");
    long total, first = 1000;
    double start, dry_run;
    int status;
    pid_t pid;

    (void)state;
    run_ok(dir, ARGS("demo", "--out", demo, "--size", "medium"));
    run_ok(dir, ARGS("--db", db, "init"));
    run_ok(dir, ARGS("--db", db, "import", units, employees, customers));
    total = copy_head(orders, copy, -1);
    assert_int_equal(total, 100000);

    /* The old state: the first 1,000 orders. */
    free(write_file(part_dir, "orders.csv", ""));
    assert_int_equal(copy_head(orders, part, first), first);
    run_ok(dir, ARGS("--db", db, "import", part));
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM orders"), first);

    /* How long the whole import takes, stored nothing (a dry run). */
    start = now();
    run_ok(dir, ARGS("--db", db, "import", orders, "--dry-run"));
    dry_run = now() - start;

    /* The real import, killed halfway. */
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(CAIRN_BIN, "cairn", "--db", db, "import", orders, (char *)NULL);
        _exit(127);
    }
    usleep((useconds_t)(dry_run / 2 * 1e6));
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0); /* still running */
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));

    /* The database opens with the state before the killed run. */
    check = query_text(db, "PRAGMA integrity_check");
    assert_string_equal(check, "ok");
    free(check);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM orders"), first);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM batches"), 2);
    run_ok(dir, ARGS("--db", db, "imports"));

    /* Importing again stores each row of the file exactly once. */
    run_ok(dir, ARGS("--db", db, "import", orders));
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM orders"), total);
    assert_int_equal(query_int(db, "SELECT COUNT(DISTINCT order_id) FROM orders"), total);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM batches"), 3);

    remove_tree(dir);
    free(dir);
    free(demo);
    free(db);
    free(orders);
    free(part_dir);
    free(part);
    free(units);
    free(employees);
    free(customers);
    free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(killed_import_leaves_old_state),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
