/*
 * Timing of the metrics library and the rollup rebuild on a large
 * database, for bench/kpi.sh.
 * Skipped unless CAIRN_BENCH_DB names a database; CAIRN_BENCH_AS_OF
 * (YYYY-MM-DD) sets the as-of date, whose month and the 11 before it are
 * evaluated. Prints milliseconds; it checks only that every call works.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "db/db.h"
#include "metrics/metrics.h"
#include "metrics/rollup.h"
#include "support.h"

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void free_cards(struct scorecard *cards, size_t n)
{
    for (size_t i = 0; i < n; i++)
        scorecard_free(&cards[i]);
    free(cards);
}

static void bench_scorecards(void **state)
{
    const char *path = getenv("CAIRN_BENCH_DB"), *as_of_text = getenv("CAIRN_BENCH_AS_OF");
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;
    struct scorecard sc, *cards;
    struct period month, months[12];
    size_t n;
    cdate as_of;
    double t0, best = 1e9;
    int last_month;

    (void)state;
    if (!path || !as_of_text)
        skip();
    assert_int_equal(date_parse(as_of_text, &as_of), 0);
    assert_int_equal(db_open(&db, path, DB_OPEN_EXISTING, &err), 0);
    last_month = date_month_index(as_of);

    /* The company scorecard of the as-of month, best of 5. */
    month = period_of_month(last_month);
    for (int i = 0; i < 5; i++) {
        t0 = now_ms();
        assert_int_equal(metrics_scorecard(db, "company", &month, as_of, &sc, &err), 0);
        best = now_ms() - t0 < best ? now_ms() - t0 : best;
        scorecard_free(&sc);
    }
    printf("company scorecard, one month: %.1f ms (best of 5)\n", best);

    /* With CAIRN_BENCH_VERIFY set: the rollups, as imports and undos
     * left them, equal a full rebuild. */
    if (getenv("CAIRN_BENCH_VERIFY")) {
        int verified = rollups_verify(db, &err);

        if (verified)
            fail_msg("rollups_verify returned %d: %s", verified, err.buf);
        printf("rollups equal a full rebuild\n");
    }

    /* A full rebuild of the rollups, as a first load or a change of the
     * organisation does. */
    assert_int_equal(db_begin(db, &err), 0);
    t0 = now_ms();
    assert_int_equal(rollups_refresh(db, &err), 0);
    printf("rollups_refresh: %.1f ms\n", now_ms() - t0);
    assert_int_equal(db_commit(db, &err), 0);

    /* The company and every unit, for each of 12 months, in one call. */
    for (int m = 0; m < 12; m++)
        months[m] = period_of_month(last_month - 11 + m);
    t0 = now_ms();
    assert_int_equal(metrics_unit_scorecards(db, months, 12, as_of, &cards, &n, &err), 0);
    printf("company and all %zu units x 12 months: %.1f ms\n", n / 12 - 1, now_ms() - t0);
    free_cards(cards, n);
    db_close(db);
    sb_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bench_scorecards),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
