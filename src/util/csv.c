/*
 * The CSV reader: a byte-at-a-time state machine over a read buffer, with
 * a UTF-8 validator running on the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define CSV_BUFSIZE 65536

struct csv_reader {
    FILE *fp;
    struct csv_options opts;
    unsigned char buf[CSV_BUFSIZE];
    size_t pos, end;
    bool eof;
    bool started;         /* the BOM check has run */
    long line;            /* current physical line */
    long long offset;     /* offset of buf[pos] in the file */

    /* UTF-8 validation state: bytes still expected in the current
     * sequence, and the bounds for the next continuation byte. */
    int utf8_need;
    unsigned char utf8_lo, utf8_hi;
    long long utf8_seq_start;

    struct strbuf text;   /* the fields' bytes, each NUL-terminated */
    size_t *starts;       /* field start positions in text */
    size_t nstarts, starts_alloc;
    char **fields;
    size_t fields_alloc;
    struct csv_record rec;

    long long error_offset;
    long error_line;
    bool error_zero_byte; /* the error is a zero byte, not invalid UTF-8 */
};

struct csv_reader *csv_open(FILE *fp, const struct csv_options *opts)
{
    struct csv_reader *r = xcalloc(1, sizeof(*r));
    struct csv_options defaults = CSV_OPTIONS_INIT;

    r->fp = fp;
    r->opts = opts ? *opts : defaults;
    r->line = 1;
    r->error_offset = -1;
    return r;
}

void csv_close(struct csv_reader *r)
{
    if (!r)
        return;
    sb_release(&r->text);
    free(r->starts);
    free(r->fields);
    free(r);
}

long long csv_error_offset(const struct csv_reader *r)
{
    return r->error_offset;
}

long csv_error_line(const struct csv_reader *r)
{
    return r->error_line;
}

bool csv_error_zero_byte(const struct csv_reader *r)
{
    return r->error_zero_byte;
}

static bool fill(struct csv_reader *r)
{
    size_t n;

    if (r->pos < r->end)
        return true;
    if (r->eof)
        return false;
    r->offset += (long long)r->end;
    r->pos = r->end = 0;
    n = fread(r->buf, 1, sizeof(r->buf), r->fp);
    r->end = n;
    if (n == 0) {
        r->eof = true;
        return false;
    }
    return true;
}

/* Feeds one byte to the UTF-8 validator; returns -1 at an invalid byte.
 * Overlong forms, surrogates and code points above U+10FFFF are invalid. */
static int utf8_feed(struct csv_reader *r, unsigned char c, long long at)
{
    if (r->utf8_need) {
        if (c < r->utf8_lo || c > r->utf8_hi)
            return -1;
        r->utf8_lo = 0x80;
        r->utf8_hi = 0xBF;
        r->utf8_need--;
        return 0;
    }
    r->utf8_seq_start = at;
    if (c < 0x80)
        return 0;
    r->utf8_lo = 0x80;
    r->utf8_hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        r->utf8_need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        r->utf8_need = 2;
        if (c == 0xE0)
            r->utf8_lo = 0xA0;
        else if (c == 0xED)
            r->utf8_hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        r->utf8_need = 3;
        if (c == 0xF0)
            r->utf8_lo = 0x90;
        else if (c == 0xF4)
            r->utf8_hi = 0x8F;
    } else {
        return -1;
    }
    return 0;
}

/* Returns the next byte, or -1 at end of input, -2 at invalid UTF-8, -3
 * at a zero byte. Fields are NUL-terminated, so a zero byte would cut its
 * field short without a trace: it is an error in any text. */
static int next_byte(struct csv_reader *r)
{
    unsigned char c;
    long long at;

    if (!fill(r)) {
        if (r->opts.check_utf8 && r->utf8_need) {
            r->error_offset = r->utf8_seq_start;
            r->utf8_need = 0;
            return -2;
        }
        return -1;
    }
    at = r->offset + (long long)r->pos;
    c = r->buf[r->pos++];
    if (r->opts.check_utf8 && utf8_feed(r, c, at)) {
        r->error_offset = r->utf8_need ? r->utf8_seq_start : at;
        return -2;
    }
    if (c == 0) {
        r->error_offset = at;
        r->error_zero_byte = true;
        return -3;
    }
    return c;
}

static int peek_byte(struct csv_reader *r)
{
    if (!fill(r))
        return -1;
    return r->buf[r->pos];
}

static void start_field(struct csv_reader *r)
{
    XGROW(r->starts, r->starts_alloc, r->nstarts + 1);
    r->starts[r->nstarts++] = r->text.len;
}

static void end_field(struct csv_reader *r)
{
    sb_addch(&r->text, '\0');
}

static void skip_bom(struct csv_reader *r)
{
    r->started = true;
    if (!fill(r))
        return;
    if (r->end - r->pos >= 3 && r->buf[0] == 0xEF && r->buf[1] == 0xBB && r->buf[2] == 0xBF)
        r->pos += 3;
}

static int fail(struct csv_reader *r, struct strbuf *err, long line, const char *msg)
{
    r->error_line = line;
    sb_addf(err, "%s", msg);
    return -1;
}

int csv_next(struct csv_reader *r, struct csv_record **rec, struct strbuf *err)
{
    enum { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED } state;
    int c;
    char delim = r->opts.delimiter;

    if (!r->started)
        skip_bom(r);

again:
    sb_reset(&r->text);
    r->nstarts = 0;
    r->rec.line = r->line;
    r->rec.offset = r->offset + (long long)r->pos;
    state = FIELD_START;
    start_field(r);

    for (;;) {
        c = next_byte(r);
        if (c == -2) {
            r->error_line = r->line;
            return fail(r, err, r->line, _("invalid UTF-8 byte"));
        }
        if (c == -3)
            return fail(r, err, r->line, _("zero byte (NUL) in the text"));
        if (c == -1) {
            if (state == QUOTED)
                return fail(r, err, r->rec.line, _("a quoted field is not closed before the end of the file"));
            end_field(r);
            if (r->nstarts == 1 && r->text.len == 1 && state == FIELD_START)
                return 0; /* nothing after the last line end */
            break;
        }
        if (state == QUOTED) {
            if (c == '"') {
                state = QUOTE_IN_QUOTED;
            } else {
                if (c == '\n')
                    r->line++;
                sb_addch(&r->text, (char)c);
            }
            continue;
        }
        if (state == QUOTE_IN_QUOTED) {
            if (c == '"') {
                sb_addch(&r->text, '"');
                state = QUOTED;
                continue;
            }
            if (c != delim && c != '\n' && c != '\r')
                return fail(r, err, r->line, _("a closing quote is followed by text instead of a delimiter"));
        }
        if (c == delim) {
            end_field(r);
            start_field(r);
            state = FIELD_START;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && peek_byte(r) == '\n')
                next_byte(r);
            r->line++;
            end_field(r);
            if (r->nstarts == 1 && r->text.len == 1 && state == FIELD_START)
                goto again; /* a blank line */
            break;
        }
        if (c == '"' && state == FIELD_START) {
            state = QUOTED;
            continue;
        }
        if (c == '"')
            return fail(r, err, r->line, _("a quote appears inside an unquoted field; quote the whole field and double the quote"));
        state = UNQUOTED;
        sb_addch(&r->text, (char)c);
    }

    XGROW(r->fields, r->fields_alloc, r->nstarts);
    for (size_t i = 0; i < r->nstarts; i++)
        r->fields[i] = r->text.buf + r->starts[i];
    r->rec.nfields = r->nstarts;
    r->rec.fields = r->fields;
    *rec = &r->rec;
    return 1;
}

void csv_write_field(struct strbuf *out, const char *field, char delimiter)
{
    bool quote = false;

    for (const char *p = field; *p; p++) {
        if (*p == delimiter || *p == '"' || *p == '\n' || *p == '\r') {
            quote = true;
            break;
        }
    }
    if (!quote && (field[0] == ' ' || (field[0] && field[strlen(field) - 1] == ' ')))
        quote = true;
    if (!quote) {
        sb_add(out, field);
        return;
    }
    sb_addch(out, '"');
    for (const char *p = field; *p; p++) {
        if (*p == '"')
            sb_addch(out, '"');
        sb_addch(out, *p);
    }
    sb_addch(out, '"');
}
