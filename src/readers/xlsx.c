/*
 * One worksheet of an XLSX workbook as a record source. The sheet XML is
 * parsed by expat from chunks of zip_fread; the parser is suspended at
 * the end of each <row>, so that one row at a time is turned into a
 * record and memory stays flat however long the sheet is. Cells become
 * text as Excel shows them: shared and inline strings, TRUE/FALSE,
 * numbers to 15 significant digits, and dates from the cell's number
 * format. Empty rows are skipped; gaps between cells are empty fields.
 */
#define _GNU_SOURCE
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "readers/rowbuf.h"
#include "readers/source_impl.h"
#include "readers/xlsx.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* The largest sheet Excel allows: columns up to XFD, 1,048,576 rows. */
#define XLSX_MAX_COLUMNS 16384
#define XLSX_MAX_ROWS    1048576L

struct xlsx_source {
    struct xlsx_book book;
    const char *sheet_part;
    zip_file_t *file;
    XML_Parser parser;
    char chunk[65536];
    bool suspended; /* the parser stopped inside chunk at a row end */
    bool final_fed; /* the last chunk has been given to the parser */
    bool failed;
    struct strbuf *err; /* where handlers report, during a parse call */

    /* The row being read. */
    long row; /* its number (1-based) */
    bool row_ready;
    struct row_buffer fields;

    /* The cell being read. */
    bool in_cell, in_value, in_inline;
    int rph_depth;
    long col, last_col;
    char type[16];
    long style;
    struct strbuf value;
};

static locale_t c_locale(void)
{
    static locale_t loc;

    if (!loc)
        loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    return loc;
}

/* Column index (0-based) of a cell reference such as "AB12", or -1. */
static long column_of(const char *ref)
{
    long col = 0;
    int letters = 0;

    for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++) {
        col = col * 26 + (*ref - 'A' + 1);
        if (col > XLSX_MAX_COLUMNS)
            return -1;
    }
    if (!letters)
        return -1;
    return col - 1;
}

static void fail_parse(struct xlsx_source *x, const char *msg)
{
    if (!x->failed)
        sb_add(x->err, msg);
    x->failed = true;
    XML_StopParser(x->parser, XML_FALSE);
}

/* Converts the finished cell to text and puts it at its column. */
static void finish_cell(struct xlsx_source *x)
{
    const char *v = sb_str(&x->value);
    char buf[CELL_TEXT_BUFSIZE];
    const char *out = v;

    if (!strcmp(x->type, "s")) {
        char *end;
        unsigned long idx = strtoul(v, &end, 10);

        if (end == v || *end || idx >= x->book.nstrings) {
            fail_parse(x, _("a cell refers to a shared string that the workbook does not have"));
            return;
        }
        out = x->book.strings[idx];
    } else if (!strcmp(x->type, "b")) {
        out = !strcmp(v, "1") ? "TRUE" : !strcmp(v, "0") ? "FALSE" : v;
    } else if (!strcmp(x->type, "inlineStr") || !strcmp(x->type, "str")) {
        xlsx_unescape(&x->value);
        out = sb_str(&x->value);
    } else if (!strcmp(x->type, "n") && *v) {
        char *end;
        double number = strtod_l(v, &end, c_locale());
        enum cell_kind kind = CELL_NUMBER;

        if (end == v || *end) {
            fail_parse(x, _("a number cell holds text that is not a number"));
            return;
        }
        if (x->style >= 0 && (size_t)x->style < x->book.nxf)
            kind = (enum cell_kind)x->book.xf_kinds[x->style];
        if (kind == CELL_NUMBER || cell_format_serial(number, x->book.date1904, kind, buf))
            cell_format_number(number, buf);
        out = buf;
    }
    /* "e" (an error such as #N/A) and "d" (ISO 8601 text) stay as written. */

    if (!*out)
        return;
    while ((long)x->fields.nfields < x->col)
        row_add_field(&x->fields, "");
    if ((long)x->fields.nfields == x->col)
        row_add_field(&x->fields, out);
}

static void sheet_start(void *data, const char *name, const char **attrs)
{
    struct xlsx_source *x = data;
    const char *local = xml_local(name);

    if (x->failed)
        return;
    if (!strcmp(local, "row")) {
        const char *r = xml_attr(attrs, "r");
        long row = r ? strtol(r, NULL, 10) : x->row + 1;

        if (row <= x->row || row > XLSX_MAX_ROWS) {
            if (row >= 1 && row <= XLSX_MAX_ROWS)
                x->row = row; /* the error names the out-of-order row */
            fail_parse(x, _("a row has an invalid or out-of-order number"));
            return;
        }
        x->row = row;
        x->last_col = -1;
        row_reset(&x->fields);
    } else if (!strcmp(local, "c")) {
        const char *r = xml_attr(attrs, "r"), *t = xml_attr(attrs, "t"), *s = xml_attr(attrs, "s");

        x->col = r ? column_of(r) : x->last_col + 1;
        if (x->col < 0 || x->col <= x->last_col) {
            fail_parse(x, _("a cell has an invalid or out-of-order reference"));
            return;
        }
        x->last_col = x->col;
        snprintf(x->type, sizeof(x->type), "%s", t ? t : "n");
        x->style = s ? strtol(s, NULL, 10) : -1;
        x->in_cell = true;
        x->rph_depth = 0;
        sb_reset(&x->value);
    } else if (x->in_cell && !strcmp(local, "v")) {
        x->in_value = true;
    } else if (x->in_cell && !strcmp(local, "rPh")) {
        x->rph_depth++;
    } else if (x->in_cell && !strcmp(local, "t") && !x->rph_depth) {
        x->in_inline = true;
    }
}

static void sheet_end(void *data, const char *name)
{
    struct xlsx_source *x = data;
    const char *local = xml_local(name);

    if (x->failed)
        return;
    if (!strcmp(local, "v")) {
        x->in_value = false;
    } else if (!strcmp(local, "t")) {
        x->in_inline = false;
    } else if (!strcmp(local, "rPh")) {
        x->rph_depth--;
    } else if (!strcmp(local, "c") && x->in_cell) {
        x->in_cell = false;
        finish_cell(x);
    } else if (!strcmp(local, "row")) {
        /* Hand the row over: stop here, resume at the next call. */
        if (x->fields.nfields == 0)
            return;
        x->row_ready = true;
        XML_StopParser(x->parser, XML_TRUE);
    }
}

static void sheet_text(void *data, const char *s, int len)
{
    struct xlsx_source *x = data;

    if (x->in_cell && (x->in_value || x->in_inline))
        sb_addn(&x->value, s, (size_t)len);
}

/* Feeds the parser until a row is ready or the sheet ends: 1 for a row,
 * 0 at the end, -1 on an error (message in err). */
static int parse_until_row(struct xlsx_source *x, struct strbuf *err)
{
    enum XML_Status status;
    zip_int64_t n;

    x->err = err;
    while (!x->row_ready) {
        if (x->suspended) {
            status = XML_ResumeParser(x->parser);
        } else if (x->final_fed) {
            return 0;
        } else {
            n = zip_fread(x->file, x->chunk, sizeof(x->chunk));
            if (n < 0) {
                sb_addf(err, _("cannot read the sheet (%s)"), zip_file_strerror(x->file));
                return -1;
            }
            x->final_fed = n == 0;
            status = XML_Parse(x->parser, x->chunk, (int)n, x->final_fed);
        }
        x->suspended = status == XML_STATUS_SUSPENDED;
        if (x->failed)
            return -1;
        if (status == XML_STATUS_ERROR) {
            sb_addf(err, _("the sheet is not well-formed XML (line %lu of its XML: %s)"),
                    (unsigned long)XML_GetCurrentLineNumber(x->parser),
                    XML_ErrorString(XML_GetErrorCode(x->parser)));
            return -1;
        }
    }
    x->row_ready = false;
    return 1;
}

static int xlsx_next(struct source *src, struct source_record **rec, struct strbuf *err)
{
    struct xlsx_source *x = src->impl;
    int rc = parse_until_row(x, err);

    if (rc < 0) {
        src->error_line = x->row;
        return -1;
    }
    if (rc == 0)
        return 0;

    *rec = row_finish(&x->fields, x->row);
    return 1;
}

static void xlsx_close(struct source *src)
{
    struct xlsx_source *x = src->impl;

    if (x->parser)
        XML_ParserFree(x->parser);
    if (x->file)
        zip_fclose(x->file);
    xlsx_book_close(&x->book);
    row_release(&x->fields);
    sb_release(&x->value);
    free(x);
    src->impl = NULL;
}

static const struct source_ops xlsx_ops = {xlsx_next, xlsx_close};

/* Appends the quoted sheet names, comma-separated, for a message. */
static void list_sheets(struct strbuf *sb, const struct xlsx_book *book)
{
    for (size_t i = 0; i < book->nsheets; i++)
        sb_addf(sb, "%s\"%s\"", i ? ", " : "", book->sheets[i].name);
}

int xlsx_source_open(struct source *src, const char *path, const struct source_options *opts,
                     struct strbuf *err)
{
    struct xlsx_source *x = xcalloc(1, sizeof(*x));
    const struct xlsx_sheet *sheet = NULL;

    if (xlsx_book_open(&x->book, path, true, err)) {
        free(x);
        return -1;
    }

    /* The named sheet, or the first worksheet. */
    for (size_t i = 0; i < x->book.nsheets && !sheet; i++)
        if (!opts->sheet || !strcmp(x->book.sheets[i].name, opts->sheet))
            sheet = &x->book.sheets[i];
    if (!sheet) {
        if (opts->sheet) {
            sb_addf(err, _("the workbook %s has no sheet named \"%s\"; its sheets are: "), path,
                    opts->sheet);
            list_sheets(err, &x->book);
        } else {
            sb_addf(err, _("the workbook %s has no worksheet"), path);
        }
        goto fail;
    }

    x->file = zip_fopen(x->book.zip, sheet->part, 0);
    if (!x->file) {
        sb_addf(err, _("the workbook has no part %s (%s)"), sheet->part, zip_strerror(x->book.zip));
        goto fail;
    }
    x->parser = xlsx_parser_create(x, sheet_start, sheet_end, sheet_text);
    x->style = -1;

    src->ops = &xlsx_ops;
    src->impl = x;
    src->name = source_sheet_label(path, sheet->name);
    return 0;

fail:
    xlsx_book_close(&x->book);
    free(x);
    return -1;
}

long xlsx_sheet_names(const char *path, char ***names, struct strbuf *err)
{
    struct xlsx_book book;
    size_t n;

    if (xlsx_book_open(&book, path, false, err))
        return -1;
    n = book.nsheets;
    *names = xcalloc(n + 1, sizeof(**names));
    for (size_t i = 0; i < n; i++)
        (*names)[i] = xstrdup(book.sheets[i].name);
    xlsx_book_close(&book);
    return (long)n;
}
