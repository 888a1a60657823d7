/*
 * Tests of encoding and format detection for files that used to be read
 * wrongly: UTF-8 cut off inside a character (once taken for GB18030),
 * UTF-16 without a byte order mark, and non-workbook bytes under a
 * workbook name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readers/decode.h"
#include "readers/source.h"
#include "readers/source_impl.h"
#include "support.h"

static void sniff(const char *bytes, size_t len, struct sniff_result *out)
{
    decode_sniff((const unsigned char *)bytes, len, true, out);
}

/* "ab" and the first two bytes of 杉 (E6 9D 89); E6 9D alone is the
 * GB18030 character 鏉, which the old rule picked. */
static void truncated_utf8_tail_is_utf8(void **state)
{
    static const char bytes[] = "customer_id,name\nC2,ab\xe6\x9d";
    struct sniff_result r;

    (void)state;
    sniff(bytes, sizeof(bytes) - 1, &r);
    assert_int_equal(r.encoding, ENCODING_UTF8);
    assert_int_equal(r.invalid_bytes, 1);

    /* Read as a prefix of a longer file, the cut is no error yet. */
    decode_sniff((const unsigned char *)bytes, sizeof(bytes) - 1, false, &r);
    assert_int_equal(r.encoding, ENCODING_UTF8);
    assert_int_equal(r.invalid_bytes, 0);
}

/* 客户 in GBK is BF CD BB A7: BF is no UTF-8 lead byte, so it stays
 * GB18030 even when the file ends right after it. */
static void gbk_text_stays_gb18030(void **state)
{
    static const char bytes[] = "name\n\xbf\xcd\xbb\xa7";
    struct sniff_result r;

    (void)state;
    sniff(bytes, sizeof(bytes) - 1, &r);
    assert_int_equal(r.encoding, ENCODING_GB18030);
}

static void utf16_without_bom_detected(void **state)
{
    static const char le[] = "i\0d\0,\0n\0a\0m\0e\0\n\0" "1\0,\0\x20\x5f\n\0";
    static const char be[] = "\0i\0d\0,\0n\0a\0m\0e\0\n" "\0" "1\0,\x5f\x20\0\n";
    struct sniff_result r;

    (void)state;
    sniff(le, sizeof(le) - 1, &r);
    assert_int_equal(r.encoding, ENCODING_UTF16);
    assert_false(r.big_endian);
    assert_int_equal(r.bom_len, 0);

    sniff(be, sizeof(be) - 1, &r);
    assert_int_equal(r.encoding, ENCODING_UTF16);
    assert_true(r.big_endian);
    assert_int_equal(r.bom_len, 0);
}

/* 张三,李四 and a line feed: Chinese text has zero bytes only in its
 * ASCII characters, here 2 of 12 bytes. */
static void mostly_chinese_utf16_detected(void **state)
{
    static const char le[] = "\x20\x5f\x09\x4e,\0\x4e\x67\xdb\x56\n\0";
    struct sniff_result r;

    (void)state;
    sniff(le, sizeof(le) - 1, &r);
    assert_int_equal(r.encoding, ENCODING_UTF16);
    assert_false(r.big_endian);
    assert_int_equal(r.zero_bytes, 2);
}

/* Zero bytes spread over both offsets are no UTF-16 text. */
static void scattered_zeros_not_utf16(void **state)
{
    static const char bytes[] = "\0\0ab\0\0cd\0\0ef\0\0gh";
    struct sniff_result r;

    (void)state;
    sniff(bytes, sizeof(bytes) - 1, &r);
    assert_int_equal(r.encoding, ENCODING_UTF8);
    assert_int_equal(r.zero_bytes, 8);
}

static char *write_bytes(const char *dir, const char *name, const void *bytes, size_t len)
{
    char *path = path_join(dir, name);
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(bytes, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    return path;
}

static void workbook_names_checked(void **state)
{
    static const char binary[] = "\x01\x02\x03\xff\xfe garbage \x7f";
    static const char text[] = "customer_id\tname\nC1\tx\n";
    char *dir = make_temp_dir(), *path;
    struct strbuf err = STRBUF_INIT;
    enum source_format format;

    (void)state;
    path = write_bytes(dir, "a.xlsx", binary, sizeof(binary) - 1);
    assert_int_equal(source_format_of(path, &format, &err), -1);
    assert_non_null(strstr(err.buf, "is not an XLSX workbook (no zip signature)"));
    free(path);

    sb_reset(&err);
    path = write_bytes(dir, "a.XLS", binary, sizeof(binary) - 1);
    assert_int_equal(source_format_of(path, &format, &err), -1);
    assert_non_null(strstr(err.buf, "is not an XLS workbook (no OLE2 signature)"));
    free(path);

    /* The same bytes under a text name are left to the text reader. */
    sb_reset(&err);
    path = write_bytes(dir, "a.csv", binary, sizeof(binary) - 1);
    assert_int_equal(source_format_of(path, &format, &err), 0);
    assert_int_equal(format, FORMAT_TEXT);
    free(path);

    path = write_bytes(dir, "a.xls", text, sizeof(text) - 1);
    assert_int_equal(source_format_of(path, &format, &err), 0);
    assert_int_equal(format, FORMAT_TEXT);
    free(path);

    sb_release(&err);
    remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truncated_utf8_tail_is_utf8),
        cmocka_unit_test(gbk_text_stays_gb18030),
        cmocka_unit_test(utf16_without_bom_detected),
        cmocka_unit_test(mostly_chinese_utf16_detected),
        cmocka_unit_test(scattered_zeros_not_utf16),
        cmocka_unit_test(workbook_names_checked),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
