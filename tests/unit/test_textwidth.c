/*
 * Unit tests of the display width of UTF-8 text and of padded cells.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "util/textwidth.h"

static void width_of_scripts(void **state)
{
    (void)state;
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width("abc"), 3);
    assert_int_equal(text_width("杭州一组"), 8);
    assert_int_equal(text_width("HZ01 杭州"), 9);
    assert_int_equal(text_width("カタカナ"), 8);      /* Japanese kana are wide */
    assert_int_equal(text_width("ｶﾀｶﾅ"), 4);          /* half-width kana are not */
    assert_int_equal(text_width("ＡＢ"), 4);           /* full-width Latin */
    assert_int_equal(text_width("é"), 1);              /* precomposed */
    assert_int_equal(text_width("e\xcc\x81"), 1);      /* e + combining acute */
    assert_int_equal(text_width("año"), 3);
    assert_int_equal(text_width("a\xff" "b"), 3);      /* an invalid byte counts one */
}

/* Pads s into a cell of width columns and returns what was written. */
static char *cell(const char *s, int width, bool right)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);

    assert_non_null(out);
    print_cell(out, s, width, right);
    fclose(out);
    return buf;
}

static void cells_pad_by_columns(void **state)
{
    char *text;

    (void)state;
    text = cell("杭州", 6, false);
    assert_string_equal(text, "杭州  ");
    free(text);
    text = cell("杭州", 6, true);
    assert_string_equal(text, "  杭州");
    free(text);
    text = cell("ab", 4, false);
    assert_string_equal(text, "ab  ");
    free(text);
    text = cell("杭州一组", 4, false); /* wider than the cell: whole */
    assert_string_equal(text, "杭州一组");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(width_of_scripts),
        cmocka_unit_test(cells_pad_by_columns),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
