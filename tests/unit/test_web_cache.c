/*
 * The response cache of src/web/cache.c: hits, generations, replacement,
 * the entry bound with least-recently-used eviction, and the data
 * generation that imports and settings changes raise in the database.
 */
#include <stdio.h>
#include <string.h>

#include "support.h"

#include "web/cache.h"

static int reset(void **state)
{
    (void)state;
    cache_clear();
    return 0;
}

static void hit_and_generation(void **state)
{
    struct strbuf body = STRBUF_INIT;

    (void)state;
    assert_int_equal(cache_get("k", 1, &body), 0);
    cache_put("k", 1, "{\"a\":1}", 7);
    assert_int_equal(cache_get("k", 1, &body), 1);
    assert_string_equal(body.buf, "{\"a\":1}");

    /* Another generation is a miss, and the old entry is dropped. */
    sb_reset(&body);
    assert_int_equal(cache_get("k", 2, &body), 0);
    assert_int_equal(body.len, 0);
    assert_int_equal(cache_get("k", 1, &body), 0);

    /* A key is its own: no prefix or other key matches. */
    cache_put("kpi|gm|company", 5, "gm", 2);
    assert_int_equal(cache_get("kpi|gm|compan", 5, &body), 0);
    assert_int_equal(cache_get("kpi|team_lead|company", 5, &body), 0);
    cache_put("kpi|gm|company", 5, "new", 3);
    assert_int_equal(cache_get("kpi|gm|company", 5, &body), 1);
    assert_string_equal(body.buf, "new");
    sb_release(&body);
}

static void entry_bound_evicts_oldest(void **state)
{
    struct strbuf body = STRBUF_INIT;
    char key[32];
    size_t entries, bytes;

    (void)state;
    for (int i = 0; i < CACHE_MAX_ENTRIES; i++) {
        snprintf(key, sizeof(key), "key%d", i);
        cache_put(key, 1, "x", 1);
    }
    /* key0 used last, so key1 is the least recently used. */
    assert_int_equal(cache_get("key0", 1, &body), 1);
    cache_put("extra", 1, "y", 1);
    cache_stats(&entries, &bytes);
    assert_int_equal(entries, CACHE_MAX_ENTRIES);
    assert_int_equal(cache_get("key1", 1, &body), 0);
    assert_int_equal(cache_get("key0", 1, &body), 1);
    assert_int_equal(cache_get("key2", 1, &body), 1);
    assert_int_equal(cache_get("extra", 1, &body), 1);

    cache_clear();
    cache_stats(&entries, &bytes);
    assert_int_equal(entries, 0);
    assert_int_equal(bytes, 0);
    sb_release(&body);
}

static void large_body_not_kept(void **state)
{
    static char big[CACHE_MAX_BYTES / 16 + 1];
    struct strbuf body = STRBUF_INIT;

    (void)state;
    memset(big, 'a', sizeof(big));
    cache_put("big", 1, big, sizeof(big));
    assert_int_equal(cache_get("big", 1, &body), 0);
    sb_release(&body);
}

static void generation_raised_by_changes(void **state)
{
    struct strbuf err = STRBUF_INIT;
    char *dir = make_temp_dir(), *path = path_join(dir, "cairn.db");
    struct db *db;
    int64_t g0, g1, g2, g3;

    (void)state;
    assert_int_equal(db_open(&db, path, DB_OPEN_CREATE, &err), 0);
    assert_int_equal(cache_generation(db, &g0, &err), 0);
    assert_int_equal(g0, 0);
    assert_int_equal(db_exec(db, "INSERT INTO batches (started_at, user) VALUES ('t', 'u')", &err), 0);
    assert_int_equal(cache_generation(db, &g1, &err), 0);
    assert_int_equal(g1, 1);
    assert_int_equal(db_exec(db, "UPDATE batches SET undone = 1", &err), 0);
    assert_int_equal(db_exec(db, "INSERT INTO settings VALUES ('company.name', 'x')", &err), 0);
    assert_int_equal(cache_generation(db, &g2, &err), 0);
    assert_int_equal(g2, 3);
    /* A write elsewhere (a login, a session) leaves it alone. */
    assert_int_equal(db_exec(db, "INSERT INTO meta VALUES ('other', '1')", &err), 0);
    assert_int_equal(cache_generation(db, &g3, &err), 0);
    assert_int_equal(g3, 3);
    db_close(db);
    remove_tree(dir);
    free(path);
    free(dir);
    sb_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(hit_and_generation, reset),
        cmocka_unit_test_setup(entry_bound_evicts_oldest, reset),
        cmocka_unit_test_setup(large_body_not_kept, reset),
        cmocka_unit_test(generation_raised_by_changes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
