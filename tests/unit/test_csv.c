/*
 * Unit tests of the streaming CSV reader and writer (src/util/csv.c):
 * BOM, line ends, quoting, line numbers and encoding errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "util/csv.h"

struct reader {
    FILE *fp;
    struct csv_reader *csv;
    struct strbuf err;
};

static void open_text(struct reader *r, const char *text, size_t len)
{
    r->fp = fmemopen((void *)text, len, "rb");
    assert_non_null(r->fp);
    r->csv = csv_open(r->fp, NULL);
    sb_init(&r->err);
}

static void close_text(struct reader *r)
{
    csv_close(r->csv);
    fclose(r->fp);
    sb_release(&r->err);
}

static struct csv_record *next_record(struct reader *r)
{
    struct csv_record *rec = NULL;

    assert_int_equal(csv_next(r->csv, &rec, &r->err), 1);
    return rec;
}

static void bom_is_skipped(void **state)
{
    static const char text[] = "\xEF\xBB\xBF" "a,b\n1,2\n";
    struct reader r;
    struct csv_record *rec;

    (void)state;
    open_text(&r, text, sizeof(text) - 1);
    rec = next_record(&r);
    assert_int_equal(rec->nfields, 2);
    assert_string_equal(rec->fields[0], "a");
    assert_string_equal(rec->fields[1], "b");
    assert_int_equal(rec->line, 1);
    rec = next_record(&r);
    assert_string_equal(rec->fields[0], "1");
    assert_int_equal(rec->line, 2);
    close_text(&r);
}

static void crlf_line_ends(void **state)
{
    static const char text[] = "a,b\r\n1,2\r\n3,\r\n";
    struct reader r;
    struct csv_record *rec;

    (void)state;
    open_text(&r, text, sizeof(text) - 1);
    next_record(&r);
    rec = next_record(&r);
    assert_string_equal(rec->fields[1], "2");
    assert_int_equal(rec->line, 2);
    rec = next_record(&r);
    assert_int_equal(rec->nfields, 2);
    assert_string_equal(rec->fields[0], "3");
    assert_string_equal(rec->fields[1], "");
    assert_int_equal(rec->line, 3);
    assert_int_equal(csv_next(r.csv, &rec, &r.err), 0);
    close_text(&r);
}

static void quoted_newline_counts_lines(void **state)
{
    static const char text[] = "x,\"l1\nl2\"\nnext,1\n";
    struct reader r;
    struct csv_record *rec;

    (void)state;
    open_text(&r, text, sizeof(text) - 1);
    rec = next_record(&r);
    assert_string_equal(rec->fields[1], "l1\nl2");
    assert_int_equal(rec->line, 1);
    rec = next_record(&r);
    assert_string_equal(rec->fields[0], "next");
    assert_int_equal(rec->line, 3);
    close_text(&r);
}

static void doubled_quotes_and_commas(void **state)
{
    static const char text[] = "\"he said \"\"hi\"\"\",\"a,b\",,\n";
    struct reader r;
    struct csv_record *rec;

    (void)state;
    open_text(&r, text, sizeof(text) - 1);
    rec = next_record(&r);
    assert_int_equal(rec->nfields, 4);
    assert_string_equal(rec->fields[0], "he said \"hi\"");
    assert_string_equal(rec->fields[1], "a,b");
    assert_string_equal(rec->fields[2], "");
    assert_string_equal(rec->fields[3], "");
    close_text(&r);
}

static void blank_lines_skipped_last_line_unterminated(void **state)
{
    static const char text[] = "a\n\n\nb,c";
    struct reader r;
    struct csv_record *rec;

    (void)state;
    open_text(&r, text, sizeof(text) - 1);
    next_record(&r);
    rec = next_record(&r);
    assert_int_equal(rec->line, 4);
    assert_string_equal(rec->fields[1], "c");
    assert_int_equal(csv_next(r.csv, &rec, &r.err), 0);
    close_text(&r);
}

static void invalid_utf8_names_offset(void **state)
{
    static const char text[] = "ab,c\nd,\xff\n";
    struct reader r;
    struct csv_record *rec;

    (void)state;
    open_text(&r, text, sizeof(text) - 1);
    next_record(&r);
    assert_int_equal(csv_next(r.csv, &rec, &r.err), -1);
    assert_int_equal(csv_error_offset(r.csv), 7);
    assert_int_equal(csv_error_line(r.csv), 2);
    close_text(&r);
}

static void truncated_utf8_sequence_at_end(void **state)
{
    static const char text[] = "a,\xe4\xb8";
    struct reader r;
    struct csv_record *rec;

    (void)state;
    open_text(&r, text, sizeof(text) - 1);
    assert_int_equal(csv_next(r.csv, &rec, &r.err), -1);
    assert_int_equal(csv_error_offset(r.csv), 2);
    close_text(&r);
}

static void valid_chinese_text_passes(void **state)
{
    static const char text[] = "华东大区,杭州\n";
    struct reader r;
    struct csv_record *rec;

    (void)state;
    open_text(&r, text, sizeof(text) - 1);
    rec = next_record(&r);
    assert_string_equal(rec->fields[0], "华东大区");
    assert_string_equal(rec->fields[1], "杭州");
    close_text(&r);
}

static void unterminated_quote_names_start_line(void **state)
{
    static const char text[] = "a\n\"open,b\nc\n";
    struct reader r;
    struct csv_record *rec;

    (void)state;
    open_text(&r, text, sizeof(text) - 1);
    next_record(&r);
    assert_int_equal(csv_next(r.csv, &rec, &r.err), -1);
    assert_int_equal(csv_error_line(r.csv), 2);
    assert_true(r.err.len > 0);
    close_text(&r);
}

static void quote_inside_unquoted_field_fails(void **state)
{
    static const char text[] = "ab\"c\n";
    struct reader r;
    struct csv_record *rec;

    (void)state;
    open_text(&r, text, sizeof(text) - 1);
    assert_int_equal(csv_next(r.csv, &rec, &r.err), -1);
    assert_int_equal(csv_error_line(r.csv), 1);
    close_text(&r);
}

static void write_field_quotes_when_needed(void **state)
{
    static const char *const cases[][2] = {
        {"plain", "plain"},       {"a,b", "\"a,b\""},     {"q\"x", "\"q\"\"x\""},
        {"two\nlines", "\"two\nlines\""}, {" lead", "\" lead\""}, {"trail ", "\"trail \""},
        {"", ""},                 {"中文", "中文"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct strbuf out = STRBUF_INIT;

        csv_write_field(&out, cases[i][0], ',');
        assert_string_equal(sb_str(&out), cases[i][1]);
        sb_release(&out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bom_is_skipped),
        cmocka_unit_test(crlf_line_ends),
        cmocka_unit_test(quoted_newline_counts_lines),
        cmocka_unit_test(doubled_quotes_and_commas),
        cmocka_unit_test(blank_lines_skipped_last_line_unterminated),
        cmocka_unit_test(invalid_utf8_names_offset),
        cmocka_unit_test(truncated_utf8_sequence_at_end),
        cmocka_unit_test(valid_chinese_text_passes),
        cmocka_unit_test(unterminated_quote_names_start_line),
        cmocka_unit_test(quote_inside_unquoted_field_fails),
        cmocka_unit_test(write_field_quotes_when_needed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
