/*
 * Tests of delimited text sources: encoding detection (BOM, UTF-8,
 * GB18030, UTF-16), encoding errors with their line and original byte
 * offset, delimiter detection, whitespace-separated files, and memory
 * that stays flat over a long file.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "readers/decode.h"
#include "readers/source.h"
#include "support.h"
#include "util/xalloc.h"

static char *tmpdir;

static int setup(void **state)
{
    (void)state;
    tmpdir = make_temp_dir();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(tmpdir);
    free(tmpdir);
    return 0;
}

/* Converts UTF-8 text to another encoding with iconv; *len gets the size. */
static char *encode(const char *to, const char *text, size_t *len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    size_t inleft = strlen(text), outsize = inleft * 4 + 16, outleft = outsize;
    char *out = xmalloc(outsize), *op = out, *ip = (char *)text;

    assert_true(cd != (iconv_t)-1);
    assert_true(iconv(cd, &ip, &inleft, &op, &outleft) != (size_t)-1);
    iconv_close(cd);
    *len = outsize - outleft;
    return out;
}

static char *write_bytes(const char *name, const void *bytes, size_t len)
{
    char *path = path_join(tmpdir, name);
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(bytes, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    return path;
}

/* Writes a prefix (a byte order mark, or nothing) and then the bytes. */
static char *write_with_prefix(const char *name, const char *prefix, size_t plen, const char *bytes,
                               size_t len)
{
    char *all = xmalloc(plen + len);
    char *path;

    memcpy(all, prefix, plen);
    memcpy(all + plen, bytes, len);
    path = write_bytes(name, all, plen + len);
    free(all);
    return path;
}

static struct source *open_ok(const char *path, const struct source_options *opts)
{
    struct strbuf err = STRBUF_INIT;
    struct source *src = source_open(path, opts, &err);

    if (!src)
        fail_msg("source_open: %s", sb_str(&err));
    sb_release(&err);
    return src;
}

/* Reads the next record and checks its fields against the NULL-ended list. */
static void expect_record(struct source *src, long line, const char *const *fields)
{
    struct strbuf err = STRBUF_INIT;
    struct source_record *rec;
    size_t n = 0;
    int rc = source_next(src, &rec, &err);

    if (rc != 1)
        fail_msg("source_next returned %d: %s", rc, sb_str(&err));
    while (fields[n])
        n++;
    assert_int_equal(rec->nfields, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(rec->fields[i], fields[i]);
    assert_int_equal(rec->line, line);
    sb_release(&err);
}

static void expect_end(struct source *src)
{
    struct strbuf err = STRBUF_INIT;
    struct source_record *rec;

    assert_int_equal(source_next(src, &rec, &err), 0);
    sb_release(&err);
}

/* Reads until an error and checks where it is; returns the message. */
static char *expect_error(struct source *src, long line, long long offset)
{
    struct strbuf err = STRBUF_INIT;
    struct source_record *rec;
    int rc;

    while ((rc = source_next(src, &rec, &err)) == 1)
        ;
    assert_int_equal(rc, -1);
    assert_int_equal(source_error_line(src), line);
    assert_int_equal(source_error_offset(src), offset);
    return sb_detach(&err);
}

static const char hr_text[] = "工号,姓名\r\nE001,张三\r\n";

static void gbk_without_bom(void **state)
{
    size_t len;
    char *bytes = encode("GB18030", hr_text, &len);
    char *path = write_bytes("gbk.csv", bytes, len);
    struct source *src = open_ok(path, NULL);

    assert_int_equal(source_encoding_used(src), ENCODING_GB18030);
    expect_record(src, 1, ARGS("工号", "姓名"));
    expect_record(src, 2, ARGS("E001", "张三"));
    expect_end(src);
    source_close(src);
    free(path);
    free(bytes);
    (void)state;
}

static void gbk_forced(void **state)
{
    struct source_options opts = {.encoding = ENCODING_GB18030};
    size_t len;
    char *bytes = encode("GB18030", "部门;薪资水平\n销售部;高\n", &len);
    char *path = write_bytes("gbk-forced.csv", bytes, len);
    struct source *src = open_ok(path, &opts);

    assert_int_equal(source_encoding_used(src), ENCODING_GB18030);
    expect_record(src, 1, ARGS("部门", "薪资水平"));
    expect_record(src, 2, ARGS("销售部", "高"));
    expect_end(src);
    source_close(src);
    free(path);
    free(bytes);
    (void)state;
}

static void utf8_with_bom(void **state)
{
    char *path = write_bytes("bom.csv", "\xEF\xBB\xBFid,name\nE1,李四\n", 21);
    struct source *src = open_ok(path, NULL);

    assert_int_equal(source_encoding_used(src), ENCODING_UTF8);
    expect_record(src, 1, ARGS("id", "name"));
    expect_record(src, 2, ARGS("E1", "李四"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void utf16le_with_bom(void **state)
{
    size_t len;
    char *bytes = encode("UTF-16LE", "工号\t姓名\r\nE001\t张三\r\n", &len);
    char *path = write_with_prefix("utf16le.txt", "\xFF\xFE", 2, bytes, len);
    struct source *src = open_ok(path, NULL);

    assert_int_equal(source_encoding_used(src), ENCODING_UTF16);
    expect_record(src, 1, ARGS("工号", "姓名"));
    expect_record(src, 2, ARGS("E001", "张三"));
    expect_end(src);
    source_close(src);
    free(path);
    free(bytes);
    (void)state;
}

static void utf16be_with_bom(void **state)
{
    size_t len;
    char *bytes = encode("UTF-16BE", "a;b\n1;2\n", &len);
    char *path = write_with_prefix("utf16be.txt", "\xFE\xFF", 2, bytes, len);
    struct source *src = open_ok(path, NULL);

    assert_int_equal(source_encoding_used(src), ENCODING_UTF16);
    expect_record(src, 1, ARGS("a", "b"));
    expect_record(src, 2, ARGS("1", "2"));
    expect_end(src);
    source_close(src);
    free(path);
    free(bytes);
    (void)state;
}

static void utf16_forced_without_bom(void **state)
{
    struct source_options opts = {.encoding = ENCODING_UTF16};
    size_t len;
    char *bytes = encode("UTF-16LE", "x,y\n甲,乙\n", &len);
    char *path = write_bytes("utf16-nobom.txt", bytes, len);
    struct source *src = open_ok(path, &opts);

    expect_record(src, 1, ARGS("x", "y"));
    expect_record(src, 2, ARGS("甲", "乙"));
    expect_end(src);
    source_close(src);
    free(path);
    free(bytes);
    (void)state;
}

static void utf16_odd_length(void **state)
{
    size_t len;
    char *bytes = encode("UTF-16LE", "a,b\n1,2\n", &len);
    char *path = write_with_prefix("odd.txt", "\xFF\xFE", 2, bytes, len - 1);
    struct source *src = open_ok(path, NULL);
    char *msg;

    /* The file ends inside the last code unit: the half unit is at
     * offset 2 (BOM) + 14 (seven whole units), on line 2. */
    msg = expect_error(src, 2, 16);
    assert_non_null(strstr(msg, "UTF-16"));
    free(msg);
    source_close(src);
    free(path);
    free(bytes);
    (void)state;
}

static void utf16_lone_surrogate(void **state)
{
    /* "a\n" then a high surrogate followed by "b": invalid at offset 6. */
    static const char bytes[] = "\xFF\xFE"
                                "a\0\n\0"
                                "\x00\xD8"
                                "b\0\n\0";
    char *path = write_bytes("surrogate.txt", bytes, sizeof(bytes) - 1);
    struct source *src = open_ok(path, NULL);
    char *msg;

    msg = expect_error(src, 2, 6);
    free(msg);
    source_close(src);
    free(path);
    (void)state;
}

static void stray_byte_in_utf8(void **state)
{
    static const char prefix[] = "工号,姓名\nE001,张三\nE002,王";
    char text[128];
    char *path, *msg;
    struct source *src;
    size_t n = strlen(prefix);

    memcpy(text, prefix, n);
    memcpy(text + n, "\xA0五\n", 5);
    path = write_bytes("stray.csv", text, n + 5);
    src = open_ok(path, NULL);

    /* Five valid Chinese characters against one invalid byte: UTF-8. */
    assert_int_equal(source_encoding_used(src), ENCODING_UTF8);
    expect_record(src, 1, ARGS("工号", "姓名"));
    expect_record(src, 2, ARGS("E001", "张三"));
    msg = expect_error(src, 3, (long long)n);
    assert_non_null(strstr(msg, "UTF-8"));
    free(msg);
    source_close(src);
    free(path);
    (void)state;
}

static void stray_byte_in_ascii(void **state)
{
    /* No multi-byte text at all: the file is taken as GB18030, where 0xA0
     * followed by a comma is invalid too, at the same offset. */
    static const char text[] = "id,name\nE1,abc\xA0,x\n";
    char *path = write_bytes("stray-ascii.csv", text, sizeof(text) - 1);
    struct source *src = open_ok(path, NULL);
    char *msg;

    assert_int_equal(source_encoding_used(src), ENCODING_GB18030);
    expect_record(src, 1, ARGS("id", "name"));
    msg = expect_error(src, 2, 14);
    assert_non_null(strstr(msg, "GB18030"));
    free(msg);
    source_close(src);
    free(path);
    (void)state;
}

static void invalid_gb18030_offset(void **state)
{
    size_t len1, len2;
    char *head = encode("GB18030", "工号,姓名\nE001,张三\nE002,", &len1);
    char *tail = encode("GB18030", "李四\n", &len2);
    char *bytes = xmalloc(len1 + 1 + len2);
    char *path, *msg;
    struct source *src;

    /* 0x80 is never a valid GB18030 byte. */
    memcpy(bytes, head, len1);
    bytes[len1] = (char)0x80;
    memcpy(bytes + len1 + 1, tail, len2);
    path = write_bytes("bad-gb.csv", bytes, len1 + 1 + len2);
    src = open_ok(path, &(struct source_options){.encoding = ENCODING_GB18030});
    expect_record(src, 1, ARGS("工号", "姓名"));
    expect_record(src, 2, ARGS("E001", "张三"));
    msg = expect_error(src, 3, (long long)len1);
    free(msg);
    source_close(src);
    free(path);
    free(bytes);
    free(head);
    free(tail);
    (void)state;
}

/* Builds n lines "E<i>,张三丰\n" (UTF-8) into a new buffer. */
static char *many_lines(long n, size_t *len)
{
    struct strbuf sb = STRBUF_INIT;

    for (long i = 1; i <= n; i++)
        sb_addf(&sb, "E%06ld,张三丰\n", i);
    *len = sb.len;
    return sb_detach(&sb);
}

static void gb18030_error_after_refills(void **state)
{
    size_t len, glen;
    char *text = many_lines(20000, &len);
    char *bytes, *path, *msg;
    struct source *src;

    /* The first name byte of line 15000 becomes 0xFF: its offset is 14999
     * GB18030 lines of 7 + 1 + 6 + 1 bytes, plus "E015000,". */
    bytes = encode("GB18030", text, &glen);
    assert_int_equal(glen, 20000 * 15);
    bytes[14999 * 15 + 8] = (char)0xFF;
    path = write_bytes("long-gb.csv", bytes, glen);
    src = open_ok(path, NULL);
    assert_int_equal(source_encoding_used(src), ENCODING_GB18030);
    msg = expect_error(src, 15000, 14999LL * 15 + 8);
    free(msg);
    source_close(src);
    free(path);
    free(bytes);
    free(text);
    (void)state;
}

static void utf8_error_after_sniff(void **state)
{
    size_t len;
    char *text = many_lines(30000, &len);
    char *path, *msg;
    struct source *src;

    /* Each line is 7 + 1 + 9 + 1 = 18 bytes: line 29000 starts far past
     * the detection window, and its first name byte is replaced. */
    assert_int_equal(len, 30000 * 18);
    assert_true(28999 * 18 > DECODE_SNIFF_BYTES);
    text[28999 * 18 + 8] = (char)0xC0;
    path = write_bytes("late-error.csv", text, len);
    src = open_ok(path, NULL);
    assert_int_equal(source_encoding_used(src), ENCODING_UTF8);
    msg = expect_error(src, 29000, 28999LL * 18 + 8);
    free(msg);
    source_close(src);
    free(path);
    free(text);
    (void)state;
}

static void semicolon_detected(void **state)
{
    static const char text[] = "\"a,b\";c;d\n1;2,5;3\n";
    char *path = write_bytes("semi.csv", text, sizeof(text) - 1);
    struct source *src = open_ok(path, NULL);

    expect_record(src, 1, ARGS("a,b", "c", "d"));
    expect_record(src, 2, ARGS("1", "2,5", "3"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void tab_detected(void **state)
{
    static const char text[] = "name\tcity, country\tzip\nAnn\tParis, France\t75001\n";
    char *path = write_bytes("tab.tsv", text, sizeof(text) - 1);
    struct source *src = open_ok(path, NULL);

    expect_record(src, 1, ARGS("name", "city, country", "zip"));
    expect_record(src, 2, ARGS("Ann", "Paris, France", "75001"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void tab_wins_consistent_tie(void **state)
{
    /* One comma and one tab on every line: commas are likelier in values. */
    static const char text[] = "name\tcity, country\nAnn\tParis, France\nBo\tOslo, Norway\n";
    char *path = write_bytes("tie.tsv", text, sizeof(text) - 1);
    struct source *src = open_ok(path, NULL);

    expect_record(src, 1, ARGS("name", "city, country"));
    expect_record(src, 2, ARGS("Ann", "Paris, France"));
    expect_record(src, 3, ARGS("Bo", "Oslo, Norway"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void consistent_delimiter_wins(void **state)
{
    /* The header has two commas in a name, but only ';' is the same on
     * every line. */
    static const char text[] = "id;amount, yuan, net;note\n1;2;x\n3;4;y\n";
    char *path = write_bytes("consistent.csv", text, sizeof(text) - 1);
    struct source *src = open_ok(path, NULL);

    expect_record(src, 1, ARGS("id", "amount, yuan, net", "note"));
    expect_record(src, 2, ARGS("1", "2", "x"));
    expect_record(src, 3, ARGS("3", "4", "y"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void delimiter_forced(void **state)
{
    static const char text[] = "a|b;c\n1|2;3\n";
    char *path = write_bytes("pipe.txt", text, sizeof(text) - 1);
    struct source *src = open_ok(path, &(struct source_options){.delimiter = '|'});

    expect_record(src, 1, ARGS("a", "b;c"));
    expect_record(src, 2, ARGS("1", "2;3"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void whitespace_headerless(void **state)
{
    static const char text[] = "\xEF\xBB\xBF  00001  19970101 1\t29.33\n\n"
                               "00002 19970112   5 \"a \"\"b\"\" c\"\r\n"
                               "\"\" x\n";
    struct source_options opts = {.whitespace_separated = true, .no_header = true};
    char *path = write_bytes("ws.txt", text, sizeof(text) - 1);
    struct source *src = open_ok(path, &opts);

    expect_record(src, 1, ARGS("00001", "19970101", "1", "29.33"));
    expect_record(src, 3, ARGS("00002", "19970112", "5", "a \"b\" c"));
    expect_record(src, 4, ARGS("", "x"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void whitespace_gb18030(void **state)
{
    size_t len;
    char *bytes = encode("GB18030", "工号 姓名\nE1 ＡＢ\n", &len);
    char *path = write_bytes("ws-gb.txt", bytes, len);
    struct source_options opts = {.whitespace_separated = true};
    struct source *src = open_ok(path, &opts);

    assert_int_equal(source_encoding_used(src), ENCODING_GB18030);
    expect_record(src, 1, ARGS("工号", "姓名"));
    expect_record(src, 2, ARGS("E1", "ＡＢ"));
    expect_end(src);
    source_close(src);
    free(path);
    free(bytes);
    (void)state;
}

static void whitespace_invalid_byte(void **state)
{
    static const char text[] = "a b\nc \xFF\n";
    char *path = write_bytes("ws-bad.txt", text, sizeof(text) - 1);
    struct source_options opts = {.whitespace_separated = true};
    struct source *src = open_ok(path, &opts);
    char *msg = expect_error(src, 2, 6);

    free(msg);
    source_close(src);
    free(path);
    (void)state;
}

/* Rows after a zero byte, so that one zero byte stays below the 1/32 of
 * the first KiB that makes a file look like UTF-16. */
static const char zero_filler[] = "X9,9\nX9,9\nX9,9\nX9,9\nX9,9\nX9,9\nX9,9\nX9,9\n"
                                  "X9,9\nX9,9\nX9,9\nX9,9\nX9,9\nX9,9\nX9,9\nX9,9\n";

/* Writes len bytes of text and then zero_filler. */
static char *write_with_filler(const char *name, const char *text, size_t len)
{
    char *all = xmalloc(len + sizeof(zero_filler));
    char *path;

    memcpy(all, text, len);
    memcpy(all + len, zero_filler, sizeof(zero_filler) - 1);
    path = write_bytes(name, all, len + sizeof(zero_filler) - 1);
    free(all);
    return path;
}

/* Checks that msg reports a zero byte, not an encoding error. */
static void assert_zero_byte_message(const char *msg)
{
    assert_non_null(strstr(msg, "zero byte"));
    assert_non_null(strstr(msg, "UTF-8 CSV"));
}

static void zero_byte_in_utf8_field(void **state)
{
    /* The amount "1\0.99" would read as "1" if the zero byte ended it. */
    static const char text[] = "id,amount\nX1,1\0.99\nX2,5\n";
    char *path = write_with_filler("zero.csv", text, sizeof(text) - 1);
    struct source *src = open_ok(path, NULL);
    char *msg;

    expect_record(src, 1, ARGS("id", "amount"));
    msg = expect_error(src, 2, 14);
    assert_zero_byte_message(msg);
    free(msg);
    source_close(src);
    free(path);
    (void)state;
}

static void zero_byte_in_quoted_field(void **state)
{
    static const char text[] = "id,name\n\"a\0b\",x\n";
    char *path = write_with_filler("zero-quoted.csv", text, sizeof(text) - 1);
    struct source *src = open_ok(path, NULL);
    char *msg = expect_error(src, 2, 10);

    assert_zero_byte_message(msg);
    free(msg);
    source_close(src);
    free(path);
    (void)state;
}

static void zero_byte_whitespace_separated(void **state)
{
    static const char text[] = "a b\nc d\0e\n";
    char *path = write_with_filler("zero-ws.txt", text, sizeof(text) - 1);
    struct source *src = open_ok(path, &(struct source_options){.whitespace_separated = true});
    char *msg = expect_error(src, 2, 7);

    assert_zero_byte_message(msg);
    free(msg);
    source_close(src);
    free(path);
    (void)state;
}

static void zero_byte_in_gb18030(void **state)
{
    size_t len1, len2;
    char *head = encode("GB18030", "工号,姓名\nE001,张", &len1);
    char *tail = encode("GB18030", "三\n", &len2);
    char *bytes = xmalloc(len1 + 1 + len2);
    char *path, *msg;
    struct source *src;

    memcpy(bytes, head, len1);
    bytes[len1] = 0;
    memcpy(bytes + len1 + 1, tail, len2);
    path = write_with_filler("zero-gb.csv", bytes, len1 + 1 + len2);
    src = open_ok(path, NULL);
    assert_int_equal(source_encoding_used(src), ENCODING_GB18030);
    expect_record(src, 1, ARGS("工号", "姓名"));
    msg = expect_error(src, 2, (long long)len1);
    assert_zero_byte_message(msg);
    free(msg);
    source_close(src);
    free(path);
    free(bytes);
    free(head);
    free(tail);
    (void)state;
}

static void zero_char_in_utf16(void **state)
{
    /* "a,b\nc,d?e\n" in UTF-16LE with U+0000 in place of the '?'. */
    size_t len;
    char *bytes = encode("UTF-16LE", "a,b\nc,d?e\n", &len);
    char *path, *msg;
    struct source *src;

    bytes[14] = 0; /* code unit 7, the '?' */
    path = write_with_prefix("zero-16.csv", "\xFF\xFE", 2, bytes, len);
    src = open_ok(path, NULL);
    expect_record(src, 1, ARGS("a", "b"));
    msg = expect_error(src, 2, 16);
    assert_zero_byte_message(msg);
    free(msg);
    source_close(src);
    free(path);
    free(bytes);
    (void)state;
}

static void fullwidth_first_char_gb18030(void **state)
{
    /* The decoded text starts with EF BC 91 (U+FF11): not a BOM, kept. */
    size_t len;
    char *bytes = encode("GB18030", "１,２\n", &len);
    char *path = write_bytes("fw.csv", bytes, len);
    struct source *src = open_ok(
        path, &(struct source_options){.encoding = ENCODING_GB18030, .whitespace_separated = true});

    expect_record(src, 1, ARGS("１,２"));
    expect_end(src);
    source_close(src);
    free(path);
    free(bytes);
    (void)state;
}

static void sniff_rules(void **state)
{
    struct sniff_result r;
    size_t len;
    char *gbk = encode("GB18030", "工作满意度,绩效评估得分,部门,薪资水平\n", &len);

    decode_sniff((const unsigned char *)gbk, len, true, &r);
    assert_int_equal(r.encoding, ENCODING_GB18030);
    decode_sniff((const unsigned char *)"abc", 3, true, &r);
    assert_int_equal(r.encoding, ENCODING_UTF8);
    /* A sequence cut by the end of the window is not an error... */
    decode_sniff((const unsigned char *)"ab\xE5\xB7", 4, false, &r);
    assert_int_equal(r.invalid_bytes, 0);
    /* ...but the end of the file is. */
    decode_sniff((const unsigned char *)"ab\xE5\xB7", 4, true, &r);
    assert_int_equal(r.invalid_bytes, 1);
    /* Three valid sequences per invalid byte is still UTF-8; fewer is not. */
    decode_sniff((const unsigned char *)"\xE5\xB7\xA5\xE5\xB7\xA5\xE5\xB7\xA5\xA0", 10, true, &r);
    assert_int_equal(r.encoding, ENCODING_UTF8);
    decode_sniff((const unsigned char *)"\xE5\xB7\xA5\xE5\xB7\xA5\xA0", 7, true, &r);
    assert_int_equal(r.encoding, ENCODING_GB18030);
    free(gbk);
    (void)state;
}

static void encoding_names(void **state)
{
    enum source_encoding enc;

    assert_int_equal(source_encoding_parse("auto", &enc), 0);
    assert_int_equal(enc, ENCODING_AUTO);
    assert_int_equal(source_encoding_parse("UTF-8", &enc), 0);
    assert_int_equal(enc, ENCODING_UTF8);
    assert_int_equal(source_encoding_parse("gb18030", &enc), 0);
    assert_int_equal(enc, ENCODING_GB18030);
    assert_int_equal(source_encoding_parse("GBK", &enc), 0);
    assert_int_equal(enc, ENCODING_GB18030);
    assert_int_equal(source_encoding_parse("utf-16", &enc), 0);
    assert_int_equal(enc, ENCODING_UTF16);
    assert_int_equal(source_encoding_parse("latin1", &enc), -1);
    assert_string_equal(source_encoding_name(ENCODING_GB18030), "GB18030");
    (void)state;
}

static void empty_file(void **state)
{
    char *path = write_bytes("empty.csv", "", 0);
    struct source *src = open_ok(path, NULL);

    assert_int_equal(source_encoding_used(src), ENCODING_UTF8);
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void markup_saved_as_xls(void **state)
{
    static const char *const pages[] = {
        "\xEF\xBB\xBF  <html><head><meta charset=\"utf-8\"></head><body><table><tr><td>工号</td>",
        "<table border=1><tr><th>订单号</th></tr></table>",
        "<?xml version=\"1.0\"?>\n<Workbook "
        "xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">",
    };

    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        struct strbuf err = STRBUF_INIT;
        char *path = write_bytes("export.xls", pages[i], strlen(pages[i]));

        assert_null(source_open(path, NULL, &err));
        assert_non_null(strstr(sb_str(&err), "export.xls"));
        assert_non_null(strstr(sb_str(&err), "XLSX"));
        sb_release(&err);
        free(path);
    }
    (void)state;
}

static void xml_text_is_text(void **state)
{
    /* A CSV whose first field starts with '<' is still a CSV. */
    static const char text[] = "<tag>,b\n1,2\n";
    char *path = write_bytes("angle.csv", text, sizeof(text) - 1);
    struct source *src = open_ok(path, NULL);

    expect_record(src, 1, ARGS("<tag>", "b"));
    expect_record(src, 2, ARGS("1", "2"));
    expect_end(src);
    source_close(src);
    free(path);
    (void)state;
}

static void missing_file(void **state)
{
    struct strbuf err = STRBUF_INIT;
    char *path = path_join(tmpdir, "none.csv");

    assert_null(source_open(path, NULL, &err));
    assert_non_null(strstr(sb_str(&err), "none.csv"));
    sb_release(&err);
    free(path);
    (void)state;
}

static long max_rss_kib(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void million_rows_flat_memory(void **state)
{
    static const char line[] = "E0000001,张三丰,销售部,1234.50\n";
    size_t len;
    char *gb = encode("GB18030", line, &len);
    char *path = path_join(tmpdir, "million.csv");
    FILE *fp = fopen(path, "wb");
    struct strbuf err = STRBUF_INIT;
    struct source_record *rec;
    struct source *src;
    long rows = 0, before;

    assert_non_null(fp);
    for (long i = 0; i < 1000000; i++)
        assert_int_equal(fwrite(gb, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);

    /* 1,000,000 lines of 27 bytes: 27 MB read with less than 8 MiB more
     * peak memory than before. */
    before = max_rss_kib();
    src = open_ok(path, NULL);
    while (source_next(src, &rec, &err) == 1) {
        rows++;
        assert_int_equal(rec->nfields, 4);
    }
    assert_string_equal(sb_str(&err), "");
    assert_int_equal(rows, 1000000);
    assert_true(max_rss_kib() - before < 8 * 1024);
    source_close(src);
    unlink(path);
    free(path);
    free(gb);
    sb_release(&err);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gbk_without_bom),
        cmocka_unit_test(gbk_forced),
        cmocka_unit_test(utf8_with_bom),
        cmocka_unit_test(utf16le_with_bom),
        cmocka_unit_test(utf16be_with_bom),
        cmocka_unit_test(utf16_forced_without_bom),
        cmocka_unit_test(utf16_odd_length),
        cmocka_unit_test(utf16_lone_surrogate),
        cmocka_unit_test(stray_byte_in_utf8),
        cmocka_unit_test(stray_byte_in_ascii),
        cmocka_unit_test(invalid_gb18030_offset),
        cmocka_unit_test(gb18030_error_after_refills),
        cmocka_unit_test(utf8_error_after_sniff),
        cmocka_unit_test(semicolon_detected),
        cmocka_unit_test(tab_detected),
        cmocka_unit_test(tab_wins_consistent_tie),
        cmocka_unit_test(consistent_delimiter_wins),
        cmocka_unit_test(delimiter_forced),
        cmocka_unit_test(whitespace_headerless),
        cmocka_unit_test(whitespace_gb18030),
        cmocka_unit_test(whitespace_invalid_byte),
        cmocka_unit_test(zero_byte_in_utf8_field),
        cmocka_unit_test(zero_byte_in_quoted_field),
        cmocka_unit_test(zero_byte_whitespace_separated),
        cmocka_unit_test(zero_byte_in_gb18030),
        cmocka_unit_test(zero_char_in_utf16),
        cmocka_unit_test(fullwidth_first_char_gb18030),
        cmocka_unit_test(sniff_rules),
        cmocka_unit_test(encoding_names),
        cmocka_unit_test(empty_file),
        cmocka_unit_test(markup_saved_as_xls),
        cmocka_unit_test(xml_text_is_text),
        cmocka_unit_test(missing_file),
        cmocka_unit_test(million_rows_flat_memory),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
