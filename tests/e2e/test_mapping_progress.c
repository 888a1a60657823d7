/*
 * End-to-end tests of the import progress bar: drawn on stderr when it
 * is a terminal (here a pseudo-terminal), with rows per second and the
 * share done, and absent when stderr is not a terminal.
 */
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"
#include "util/strbuf.h"

/* Writes 20,000 alias-header orders into dir/orders.csv. */
static void write_orders(const char *dir)
{
    struct strbuf sb = STRBUF_INIT;

    sb_add(&sb, "订单号,下单日期,金额\n");
    for (int i = 1; i <= 20000; i++)
        sb_addf(&sb, "P%d,2024-03-%02d,%d.50\n", i, i % 28 + 1, i);
    free(write_file(dir, "orders.csv", sb.buf));
    sb_release(&sb);
}

static void terminal_shows_progress(void **state)
{
    char *dir = make_temp_dir(), *db = path_join(dir, "c.db"), *csv = path_join(dir, "orders.csv");
    struct strbuf out = STRBUF_INIT;
    struct run_result r;
    char buf[4096];
    ssize_t n;
    int master, status;
    pid_t pid;

    (void)state;
    write_orders(dir);
    r = run_cairn(dir, NULL, ARGS("--db", db, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);

    /* On a pseudo-terminal the bar is drawn. */
    pid = forkpty(&master, NULL, NULL, NULL);
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("LANG", "C.UTF-8", 1);
        execl(CAIRN_BIN, "cairn", "--lang", "en", "--db", db, "import", csv, "--dry-run",
              (char *)NULL);
        _exit(127);
    }
    while ((n = read(master, buf, sizeof(buf))) > 0)
        sb_addn(&out, buf, (size_t)n);
    close(master);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_non_null(strstr(out.buf, "rows/s"));
    assert_non_null(strstr(out.buf, "s left"));
    assert_non_null(strstr(out.buf, "100%  20000 rows"));

    /* Through a pipe it is not. */
    r = run_cairn(dir, NULL, ARGS("--lang", "en", "--db", db, "import", csv, "--dry-run"));
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.err, "rows/s"));
    assert_null(strstr(r.out, "rows/s"));
    run_result_free(&r);

    sb_release(&out);
    remove_tree(dir);
    free(dir);
    free(db);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(terminal_shows_progress),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
