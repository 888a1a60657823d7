/*
 * Encoding detection and the iconv transcoding stream. The stream is a
 * glibc fopencookie FILE, so the CSV reader, which reads a FILE, reads
 * GB18030 and UTF-16 files unchanged. Its buffers are of fixed size, so
 * memory stays flat whatever the file's length.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "readers/decode.h"
#include "util/i18n.h"
#include "util/xalloc.h"

int utf8_check_byte(struct utf8_check *u, unsigned char c)
{
    if (u->need) {
        if (c < u->lo || c > u->hi) {
            u->need = 0;
            return -1;
        }
        u->lo = 0x80;
        u->hi = 0xBF;
        return --u->need == 0 ? 1 : 0;
    }
    if (c < 0x80)
        return 0;
    u->lo = 0x80;
    u->hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        u->need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        u->need = 2;
        if (c == 0xE0)
            u->lo = 0xA0;
        else if (c == 0xED)
            u->hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        u->need = 3;
        if (c == 0xF0)
            u->lo = 0x90;
        else if (c == 0xF4)
            u->hi = 0x8F;
    } else {
        return -1;
    }
    return 0;
}

/* Bytes of the start of a file that UTF-16 detection looks at. */
#define UTF16_SNIFF_BYTES 1024

/*
 * Detects UTF-16 without a byte order mark. At least 1 in 32 of the first
 * bytes must be zero, because UTF-8 and GB18030 text has none. At least
 * 90% of the zeros must sit at even offsets (big-endian) or at odd ones
 * (little-endian). Counts the zeros in out->zero_bytes either way.
 */
static bool sniff_utf16(const unsigned char *buf, size_t len, struct sniff_result *out)
{
    size_t n = len < UTF16_SNIFF_BYTES ? len : UTF16_SNIFF_BYTES;
    size_t zeros[2] = {0, 0}, total;

    for (size_t i = 0; i < n; i++)
        zeros[i % 2] += buf[i] == 0;
    total = zeros[0] + zeros[1];
    out->zero_bytes = (long)total;
    if (n < 4 || total < 2 || total * 32 < n)
        return false;
    if (zeros[0] * 10 >= total * 9) {
        out->big_endian = true;
    } else if (zeros[1] * 10 >= total * 9) {
        out->big_endian = false;
    } else {
        return false;
    }
    out->encoding = ENCODING_UTF16;
    out->bom_len = 0;
    return true;
}

void decode_sniff(const unsigned char *buf, size_t len, bool complete, struct sniff_result *out)
{
    struct utf8_check u = {0, 0, 0};

    memset(out, 0, sizeof(*out));

    /* A byte order mark decides. */
    if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) {
        out->encoding = ENCODING_UTF8;
        out->bom_len = 3;
        return;
    }
    if (len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF))) {
        out->encoding = ENCODING_UTF16;
        out->big_endian = buf[0] == 0xFE;
        out->bom_len = 2;
        return;
    }
    if (len >= 4 && buf[0] == 0x84 && buf[1] == 0x31 && buf[2] == 0x95 && buf[3] == 0x33) {
        out->encoding = ENCODING_GB18030;
        out->bom_len = 4; /* iconv would decode it to U+FEFF: skip it */
        return;
    }

    /* UTF-16 without a byte order mark: each ASCII character of UTF-16
     * text has a zero byte at the same parity, and UTF-8 or GB18030 text
     * has no zero bytes at all. */
    if (sniff_utf16(buf, len, out))
        return;

    /* Count valid multi-byte sequences and invalid bytes. A byte that
     * breaks a sequence is looked at again as the start of the next. */
    for (size_t i = 0; i < len; i++) {
        int had = u.need;
        int rc = utf8_check_byte(&u, buf[i]);

        if (rc == 1) {
            out->valid_sequences++;
        } else if (rc < 0) {
            out->invalid_bytes++;
            if (had && utf8_check_byte(&u, buf[i]) < 0)
                out->invalid_bytes++;
        }
    }
    /* A file that is valid UTF-8 up to a sequence cut off at its end is a
     * truncated UTF-8 file, reported when read, even though its last
     * bytes may happen to be a valid GB18030 character. */
    if (u.need && complete && out->invalid_bytes == 0) {
        out->invalid_bytes++;
        out->encoding = ENCODING_UTF8;
        return;
    }
    if (u.need && complete)
        out->invalid_bytes++; /* the file ends inside a sequence */

    if (out->invalid_bytes == 0 || out->valid_sequences >= 3 * out->invalid_bytes)
        out->encoding = ENCODING_UTF8;
    else
        out->encoding = ENCODING_GB18030;
}

bool decode_guess_utf16_be(const unsigned char *buf, size_t len)
{
    return len >= 2 && buf[0] == 0 && buf[1] != 0;
}

enum decoder_state { DEC_READING, DEC_FAILED, DEC_MARKED, DEC_DONE };

struct decoder {
    FILE *raw;
    iconv_t cd;
    enum decoder_state state;

    char in[16384];
    size_t in_start, in_end;
    long long in_base; /* file offset of in[0] */
    bool raw_eof;
    bool need_more; /* in ends inside a sequence */

    char out[65536];
    size_t out_start, out_end;
    long long delivered; /* decoded bytes handed out so far */

    long long error_offset, error_at;
    int unit;       /* bytes per code unit: 2 for UTF-16, else 1 */
    bool zero_char; /* the stop was at a U+0000 character */
};

/* The index in d->in of the first U+0000 character at or after in_start,
 * or in_end. UTF-16 code units start at even file offsets, because the
 * only byte order mark skipped is two bytes long. In GB18030 no byte of a
 * multi-byte character is zero. */
static size_t find_zero_char(const struct decoder *d)
{
    size_t i = d->in_start;

    if (d->unit == 1) {
        const char *z = memchr(d->in + i, 0, d->in_end - i);

        return z ? (size_t)(z - d->in) : d->in_end;
    }
    if ((d->in_base + (long long)i) & 1)
        i++;
    for (; i + 1 < d->in_end; i += 2)
        if (d->in[i] == 0 && d->in[i + 1] == 0)
            return i;
    return d->in_end;
}

/* Refills the input when needed and converts as much as fits into out. */
static void decoder_step(struct decoder *d)
{
    char *ip, *op;
    size_t il, ol, n, zero;

    d->out_start = d->out_end = 0;
    if (!d->raw_eof && (d->need_more || d->in_start == d->in_end)) {
        memmove(d->in, d->in + d->in_start, d->in_end - d->in_start);
        d->in_base += (long long)d->in_start;
        d->in_end -= d->in_start;
        d->in_start = 0;
        n = fread(d->in + d->in_end, 1, sizeof(d->in) - d->in_end, d->raw);
        if (n == 0)
            d->raw_eof = true;
        d->in_end += n;
        d->need_more = false;
    }
    if (d->in_start == d->in_end) {
        if (d->raw_eof)
            d->state = DEC_DONE;
        return;
    }

    /* A U+0000 character stops the stream like an invalid sequence: the
     * text before it is converted, then the stream fails at it. */
    zero = find_zero_char(d);
    if (zero == d->in_start) {
        d->state = DEC_FAILED;
        d->zero_char = true;
        d->error_offset = d->in_base + (long long)zero;
        return;
    }

    ip = d->in + d->in_start;
    il = zero - d->in_start;
    op = d->out;
    ol = sizeof(d->out);
    n = iconv(d->cd, &ip, &il, &op, &ol);
    d->in_start = (size_t)(ip - d->in);
    d->out_end = (size_t)(op - d->out);
    if (n != (size_t)-1 || errno == E2BIG)
        return;
    if (errno == EINVAL && zero < d->in_end) {
        /* A character cut short by the zero character. */
        d->state = DEC_FAILED;
        d->zero_char = true;
        d->error_offset = d->in_base + (long long)zero;
        return;
    }
    if (errno == EINVAL && !d->raw_eof) {
        d->need_more = true;
        return;
    }
    /* EILSEQ, or the file ends inside a sequence. */
    d->state = DEC_FAILED;
    d->error_offset = d->in_base + (long long)d->in_start;
}

static ssize_t decoder_read(void *cookie, char *buf, size_t size)
{
    struct decoder *d = cookie;
    size_t n;

    if (size == 0)
        return 0;
    while (d->out_start == d->out_end) {
        if (d->state == DEC_FAILED) {
            d->state = DEC_MARKED;
            d->error_at = d->delivered;
            d->delivered++;
            buf[0] = (char)0xFF;
            return 1;
        }
        if (d->state != DEC_READING)
            return 0;
        decoder_step(d);
    }
    n = d->out_end - d->out_start;
    if (n > size)
        n = size;
    memcpy(buf, d->out + d->out_start, n);
    d->out_start += n;
    d->delivered += (long long)n;
    return (ssize_t)n;
}

static int decoder_close(void *cookie)
{
    struct decoder *d = cookie;

    iconv_close(d->cd);
    free(d);
    return 0;
}

FILE *decoder_open(FILE *raw, const char *from, size_t skip, struct decoder **dec,
                   struct strbuf *err)
{
    static const cookie_io_functions_t io = {decoder_read, NULL, NULL, decoder_close};
    struct decoder *d;
    iconv_t cd = iconv_open("UTF-8", from);
    FILE *stream;

    if (cd == (iconv_t)-1) {
        sb_addf(err, _("this system cannot convert from %s: %s"), from, strerror(errno));
        return NULL;
    }
    d = xcalloc(1, sizeof(*d));
    d->raw = raw;
    d->cd = cd;
    d->error_offset = -1;
    d->error_at = -1;
    d->unit = strncmp(from, "UTF-16", 6) == 0 ? 2 : 1;

    /* The byte order mark: skipped, but counted in original offsets. */
    d->in_end = fread(d->in, 1, skip, raw);
    d->in_start = d->in_end;

    stream = fopencookie(d, "r", io);
    if (!stream) {
        sb_addf(err, _("cannot open a decoding stream: %s"), strerror(errno));
        decoder_close(d);
        return NULL;
    }
    *dec = d;
    return stream;
}

bool decoder_failed(const struct decoder *d, long long *decoded_at, long long *original_offset)
{
    if (d->state != DEC_MARKED)
        return false;
    *decoded_at = d->error_at;
    *original_offset = d->error_offset;
    return true;
}

bool decoder_zero_char(const struct decoder *d)
{
    return d->state == DEC_MARKED && d->zero_char;
}
