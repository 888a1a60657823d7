/*
 * Unit tests of the importer's string hash map (src/import/strmap.c):
 * insertion, lookup of present and absent keys across table growth, and
 * keys that are prefixes of one another or contain a unit separator.
 */
#include <stdio.h>
#include <string.h>

#include "import/strmap.h"
#include "support.h"

static void put_and_find_many(void **state)
{
    struct strmap map = STRMAP_INIT;
    char key[32];
    int added;

    (void)state;
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(key, sizeof(key), "O%07d", i);

        strmap_put(&map, key, (size_t)n, i, &added);
        assert_true(added);
    }
    assert_int_equal(map.count, 100000);
    for (int i = 0; i < 100000; i += 997) {
        int n = snprintf(key, sizeof(key), "O%07d", i);
        int64_t *v = strmap_find(&map, key, (size_t)n);

        assert_non_null(v);
        assert_int_equal(*v, i);
    }
    assert_null(strmap_find(&map, "O9999999", 8));
    assert_null(strmap_find(&map, "O000000", 7));

    /* A second put finds the entry and keeps its value. */
    assert_int_equal(*strmap_put(&map, "O0000042", 8, -1, &added), 42);
    assert_false(added);
    assert_int_equal(map.count, 100000);
    strmap_release(&map);
}

static void prefixes_and_separators_are_distinct(void **state)
{
    struct strmap map = STRMAP_INIT;

    (void)state;
    assert_null(strmap_find(&map, "a", 1));
    *strmap_put(&map, "E1\x1f" "2024-01-01", 13, 1, NULL) = 1;
    *strmap_put(&map, "E1", 2, 2, NULL) = 2;
    *strmap_put(&map, "E", 1, 3, NULL) = 3;
    *strmap_put(&map, "", 0, 4, NULL) = 4;
    *strmap_put(&map, "华东大区/杭州", strlen("华东大区/杭州"), 5, NULL) = 5;
    assert_int_equal(*strmap_find(&map, "E1\x1f" "2024-01-01", 13), 1);
    assert_int_equal(*strmap_find(&map, "E1", 2), 2);
    assert_int_equal(*strmap_find(&map, "E", 1), 3);
    assert_int_equal(*strmap_find(&map, "", 0), 4);
    /* Looking up a prefix of a longer key by length. */
    assert_int_equal(*strmap_find(&map, "华东大区/杭州/一组", strlen("华东大区/杭州")), 5);
    assert_null(strmap_find(&map, "华东大区", strlen("华东大区")));
    assert_int_equal(map.count, 5);
    strmap_release(&map);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(put_and_find_many),
        cmocka_unit_test(prefixes_and_separators_are_distinct),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
