/*
 * The whitespace-separated reader: a byte-at-a-time scanner over a FILE
 * (buffered by stdio) with the shared UTF-8 check running on every byte.
 */
#include <stdlib.h>

#include "readers/decode.h"
#include "readers/rowbuf.h"
#include "readers/words.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct words_reader {
    FILE *fp;
    int pushed[3]; /* bytes read ahead, last pushed first out */
    int npushed;
    bool started;
    long line;
    long long offset; /* stream offset of the next byte */
    struct utf8_check utf8;
    long long seq_start; /* offset of the current UTF-8 sequence */

    struct row_buffer row;
    long record_line; /* line where the current record starts */

    long error_line;
    long long error_offset;
    bool error_zero_byte; /* the error is a zero byte, not invalid UTF-8 */
};

struct words_reader *words_open(FILE *fp)
{
    struct words_reader *w = xcalloc(1, sizeof(*w));

    w->fp = fp;
    w->line = 1;
    w->error_offset = -1;
    return w;
}

void words_close(struct words_reader *w)
{
    if (!w)
        return;
    row_release(&w->row);
    free(w);
}

long words_error_line(const struct words_reader *w)
{
    return w->error_line;
}

long long words_error_offset(const struct words_reader *w)
{
    return w->error_offset;
}

bool words_error_zero_byte(const struct words_reader *w)
{
    return w->error_zero_byte;
}

/* Bytes of the stream with a pushback of three, so that a stream that
 * cannot seek (a decoding stream) can still be peeked at. */
static int get_raw(struct words_reader *w)
{
    if (w->npushed)
        return w->pushed[--w->npushed];
    return getc(w->fp);
}

static void unget_raw(struct words_reader *w, int c)
{
    if (c != EOF && w->npushed < 3)
        w->pushed[w->npushed++] = c;
}

/* Returns the next byte, -1 at the end, -2 at invalid UTF-8, -3 at a zero
 * byte, which would cut a NUL-terminated field short. */
static int next_byte(struct words_reader *w)
{
    int c = get_raw(w);

    if (c == EOF) {
        if (w->utf8.need) {
            w->utf8.need = 0;
            w->error_offset = w->seq_start;
            return -2;
        }
        return -1;
    }
    if (!w->utf8.need)
        w->seq_start = w->offset;
    w->offset++;
    if (utf8_check_byte(&w->utf8, (unsigned char)c) < 0) {
        w->error_offset = w->seq_start;
        return -2;
    }
    if (c == 0) {
        w->error_offset = w->offset - 1;
        w->error_zero_byte = true;
        return -3;
    }
    return c;
}

static int peek_byte(struct words_reader *w)
{
    int c = get_raw(w);

    unget_raw(w, c);
    return c;
}

static void skip_bom(struct words_reader *w)
{
    static const int bom[3] = {0xEF, 0xBB, 0xBF};
    int got[3];
    int n = 0;

    w->started = true;
    while (n < 3 && (got[n] = get_raw(w)) == bom[n])
        n++;
    if (n == 3) {
        w->offset = 3;
        return;
    }
    /* Not a BOM: push back what was read, the last byte first. */
    for (int i = n < 3 ? n : 2; i >= 0; i--)
        unget_raw(w, got[i]);
}

static int fail(struct words_reader *w, struct strbuf *err, long line, const char *msg)
{
    w->error_line = line;
    sb_add(err, msg);
    return -1;
}

int words_next(struct words_reader *w, struct source_record **rec, struct strbuf *err)
{
    bool in_field, quoted;
    int c;

    if (!w->started)
        skip_bom(w);

again:
    row_reset(&w->row);
    w->record_line = w->line;
    in_field = quoted = false;

    for (;;) {
        c = next_byte(w);
        if (c == -2)
            return fail(w, err, w->line, _("invalid UTF-8 byte"));
        if (c == -3)
            return fail(w, err, w->line, _("zero byte (NUL) in the text"));

        /* Inside quotes everything but a quote is text. */
        if (quoted) {
            if (c == -1)
                return fail(w, err, w->record_line,
                            _("a quoted field is not closed before the end of the file"));
            if (c == '"' && peek_byte(w) == '"') {
                next_byte(w);
                row_add_byte(&w->row, '"');
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n')
                    w->line++;
                row_add_byte(&w->row, (char)c);
            }
            continue;
        }

        /* Separators and line ends close the field. */
        if (c == -1 || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (in_field)
                row_end_field(&w->row);
            in_field = false;
            if (c == ' ' || c == '\t')
                continue;
            if (c == -1 && w->row.nfields == 0)
                return 0;
            if (c == '\r' && peek_byte(w) == '\n')
                next_byte(w);
            if (c != -1)
                w->line++;
            if (w->row.nfields == 0)
                goto again; /* a blank line */
            break;
        }

        if (!in_field) {
            row_start_field(&w->row);
            in_field = true;
            if (c == '"') {
                quoted = true;
                continue;
            }
        }
        row_add_byte(&w->row, (char)c);
    }

    *rec = row_finish(&w->row, w->record_line);
    return 1;
}
