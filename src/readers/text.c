/*
 * Delimited text files as record sources. decode.h detects (or takes from
 * the options) the encoding, and GB18030 and UTF-16 files are read through
 * the transcoding stream. The records come from the CSV reader (comma,
 * semicolon or tab, detected) or from the whitespace-separated reader.
 * Errors found in transcoded text are reported at their offset in the
 * original file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "readers/decode.h"
#include "readers/source_impl.h"
#include "readers/words.h"
#include "util/csv.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct text_source {
    FILE *raw;
    FILE *stream;           /* raw itself for UTF-8, else a decoding stream */
    struct decoder *dec;    /* NULL for UTF-8 */
    struct csv_reader *csv; /* exactly one of csv and words is set */
    struct words_reader *words;
    struct source_record rec;
};

/* Lines of the sniffed text that delimiter detection looks at. */
#define DETECT_LINES 20

/*
 * Picks the delimiter of ASCII-compatible text among comma, semicolon and
 * tab. A delimiter that occurs equally often (outside quotes) on each of
 * the first lines, at least two of them, wins. The highest count comes
 * first. On a tie tab comes before semicolon before comma, because commas
 * are the likeliest of the three inside values. When none is that
 * consistent, the one most frequent in the first line wins (comma on a
 * tie or when none occurs).
 */
static char detect_delimiter(const unsigned char *text, size_t len)
{
    static const char candidates[] = {',', ';', '\t'};
    long first[3] = {0, 0, 0}, count[3] = {0, 0, 0};
    bool consistent[3] = {true, true, true}, quoted = false;
    int lines = 0, best = -1;

    for (size_t i = 0; i < len && lines < DETECT_LINES; i++) {
        unsigned char c = text[i];

        if (c == '"')
            quoted = !quoted;
        if (quoted)
            continue;
        for (int k = 0; k < 3; k++)
            if (c == (unsigned char)candidates[k])
                count[k]++;
        if (c != '\n')
            continue;

        /* A line ends: compare its counts with the first line's. */
        for (int k = 0; k < 3; k++) {
            if (lines == 0)
                first[k] = count[k];
            else if (count[k] != first[k])
                consistent[k] = false;
            count[k] = 0;
        }
        lines++;
    }
    if (lines == 0)
        for (int k = 0; k < 3; k++)
            first[k] = count[k]; /* a single line without a line end */

    for (int k = 0; k < 3 && lines >= 2; k++)
        if (consistent[k] && first[k] > 0 && (best < 0 || first[k] >= first[best]))
            best = k;
    if (best >= 0)
        return candidates[best];
    best = 0;
    for (int k = 1; k < 3; k++)
        if (first[k] > first[best])
            best = k;
    return candidates[best];
}

/* Writes the ASCII characters of UTF-16 text, other code units as 'x', so
 * that the delimiter can be detected. out has room for len / 2 bytes. */
static size_t utf16_ascii(const unsigned char *buf, size_t len, bool big_endian, unsigned char *out)
{
    size_t n = 0;

    for (size_t i = 0; i + 1 < len; i += 2) {
        unsigned unit =
            big_endian ? (unsigned)buf[i] << 8 | buf[i + 1] : (unsigned)buf[i + 1] << 8 | buf[i];
        out[n++] = unit < 0x80 ? (unsigned char)unit : 'x';
    }
    return n;
}

/* Decides the encoding from the options and the sniffed bytes. */
static void choose_encoding(const struct source_options *opts, const unsigned char *buf, size_t len,
                            bool complete, struct sniff_result *enc)
{
    decode_sniff(buf, len, complete, enc);
    if (opts->encoding == ENCODING_AUTO)
        return;

    /* A forced encoding: only its own byte order mark is skipped. */
    if (opts->encoding == ENCODING_UTF16) {
        if (enc->encoding != ENCODING_UTF16) {
            enc->bom_len = 0;
            enc->big_endian = decode_guess_utf16_be(buf, len);
        }
    } else if (opts->encoding != enc->encoding) {
        enc->bom_len = 0;
    }
    enc->encoding = opts->encoding;
}

static int text_next(struct source *src, struct source_record **rec, struct strbuf *err);
static void text_close(struct source *src);
static const struct source_ops text_ops = {text_next, text_close};

int text_source_open(struct source *src, const char *path, const struct source_options *opts,
                     struct strbuf *err)
{
    struct text_source *t;
    struct sniff_result enc;
    unsigned char *sniff = NULL, *ascii = NULL;
    const unsigned char *first;
    size_t len, first_len;
    char delimiter = opts->delimiter;
    int ret = -1;
    FILE *raw = fopen(path, "rb");

    if (!raw) {
        sb_addf(err, _("cannot open %s: %s"), path, strerror(errno));
        return -1;
    }
    t = xcalloc(1, sizeof(*t));
    t->raw = raw;

    /* Detection reads the first bytes once; reading then starts over. */
    sniff = xmalloc(DECODE_SNIFF_BYTES);
    len = fread(sniff, 1, DECODE_SNIFF_BYTES, raw);
    if (ferror(raw)) {
        sb_addf(err, _("cannot read %s: %s"), path, strerror(errno));
        goto out;
    }
    choose_encoding(opts, sniff, len, len < DECODE_SNIFF_BYTES, &enc);
    rewind(raw);
    if (opts->encoding == ENCODING_AUTO && enc.encoding != ENCODING_UTF16 &&
        enc.zero_bytes * 32 >= (long)(len < 1024 ? len : 1024) && enc.zero_bytes > 0) {
        sb_addf(err, _("%s has many zero bytes at its start, like UTF-16 text without a byte order mark or a file that is not text: if it is UTF-16 text, give --encoding utf-16"),
                path);
        goto out;
    }

    /* The delimiter, from the first line of the sniffed text. */
    first = sniff + enc.bom_len;
    first_len = len - enc.bom_len;
    if (enc.encoding == ENCODING_UTF16) {
        ascii = xmalloc(first_len / 2 + 1);
        first_len = utf16_ascii(first, first_len, enc.big_endian, ascii);
        first = ascii;
    }
    if (!delimiter)
        delimiter = detect_delimiter(first, first_len);

    /* The stream of UTF-8 text. */
    t->stream = raw;
    if (enc.encoding == ENCODING_GB18030 || enc.encoding == ENCODING_UTF16) {
        const char *from = enc.encoding == ENCODING_GB18030 ? "GB18030"
                           : enc.big_endian                 ? "UTF-16BE"
                                                            : "UTF-16LE";

        t->stream = decoder_open(raw, from, enc.bom_len, &t->dec, err);
        if (!t->stream)
            goto out;
    }

    if (opts->whitespace_separated) {
        t->words = words_open(t->stream);
    } else {
        struct csv_options copts = CSV_OPTIONS_INIT;

        copts.delimiter = delimiter;
        t->csv = csv_open(t->stream, &copts);
    }
    src->ops = &text_ops;
    src->impl = t;
    src->name = xstrdup(path);
    src->encoding = enc.encoding;
    ret = 0;

out:
    free(sniff);
    free(ascii);
    if (ret) {
        if (t->stream && t->stream != raw)
            fclose(t->stream);
        fclose(raw);
        free(t);
    }
    return ret;
}

static void text_close(struct source *src)
{
    struct text_source *t = src->impl;

    csv_close(t->csv);
    words_close(t->words);
    if (t->stream != t->raw)
        fclose(t->stream);
    fclose(t->raw);
    free(t);
    src->impl = NULL;
}

/* Reports a zero byte, or a U+0000 character of UTF-16 text, at offset
 * in the original file. */
static void report_zero_byte(struct source *src, long long offset, struct strbuf *err)
{
    src->error_offset = offset;
    sb_addf(err,
            _("a zero byte (NUL) at offset %lld: text files do not contain zero bytes, so the "
              "file is damaged or was saved in another format; export it again as a UTF-8 CSV "
              "file"),
            offset);
}

/* Rewrites a reader's encoding or zero byte error: the offset is moved
 * from the decoded stream to the original file, and the message names the
 * encoding. */
static void report_encoding_error(struct source *src, struct text_source *t, long long offset,
                                  bool zero_byte, struct strbuf *err)
{
    long long at, original;

    if (t->dec) {
        if (decoder_failed(t->dec, &at, &original) && at == offset) {
            offset = original;
            zero_byte = decoder_zero_char(t->dec);
        } else {
            offset = -1; /* iconv wrote invalid UTF-8 or U+0000: cannot happen */
        }
    }
    if (zero_byte) {
        report_zero_byte(src, offset, err);
        return;
    }
    src->error_offset = offset;
    sb_addf(err,
            _("the bytes at offset %lld are not valid %s; if the file is in another encoding, "
              "choose it with --encoding"),
            offset, source_encoding_name(src->encoding));
}

static int text_next(struct source *src, struct source_record **rec, struct strbuf *err)
{
    struct text_source *t = src->impl;
    struct strbuf reader_err = STRBUF_INIT;
    struct csv_record *r;
    long long offset;
    bool zero_byte;
    int rc;

    if (t->words) {
        rc = words_next(t->words, rec, &reader_err);
        src->error_line = words_error_line(t->words);
        offset = words_error_offset(t->words);
        zero_byte = words_error_zero_byte(t->words);
    } else {
        rc = csv_next(t->csv, &r, &reader_err);
        src->error_line = csv_error_line(t->csv);
        offset = csv_error_offset(t->csv);
        zero_byte = csv_error_zero_byte(t->csv);
        if (rc == 1) {
            t->rec.nfields = r->nfields;
            t->rec.fields = r->fields;
            t->rec.line = r->line;
            *rec = &t->rec;
        }
    }

    if (rc < 0) {
        if (offset >= 0)
            report_encoding_error(src, t, offset, zero_byte, err);
        else
            sb_add(err, sb_str(&reader_err));
    }
    sb_release(&reader_err);
    return rc;
}
