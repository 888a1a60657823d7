/*
 * One sheet of an XLS (Excel 97-2003, BIFF) workbook as a record source,
 * read through FreeXL. FreeXL loads the workbook into memory when it
 * opens it (an XLS sheet has at most 65536 rows); rows are then turned
 * into records one at a time. Cells become text as in the XLSX reader:
 * numbers to 15 significant digits, dates as YYYY-MM-DD, date-times as
 * YYYY-MM-DDTHH:MM:SS. Empty rows are skipped.
 */
#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readers/cells.h"
#include "readers/rowbuf.h"
#include "readers/source_impl.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct xls_source {
    const void *handle;
    unsigned int rows;
    unsigned short cols;
    unsigned int next_row; /* 0-based */
    struct row_buffer row;
};

/* FreeXL's error codes as text for messages. */
static const char *freexl_message(int rc)
{
    switch (rc) {
    case FREEXL_FILE_NOT_FOUND:
        return _("file not found");
    case FREEXL_INSUFFICIENT_MEMORY:
        return _("out of memory");
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
    case FREEXL_CFBF_INVALID_SIGNATURE:
    case FREEXL_CFBF_INVALID_SECTOR_SIZE:
    case FREEXL_CFBF_EMPTY_FAT_CHAIN:
    case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
    case FREEXL_BIFF_INVALID_BOF:
    case FREEXL_BIFF_INVALID_SST:
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
    case FREEXL_CRAFTED_FILE:
        return _("the file is damaged or not an XLS workbook");
    case FREEXL_UNSUPPORTED_CHARSET:
        return _("the workbook uses a character set that cannot be converted");
    default:
        return _("FreeXL cannot read it");
    }
}

static int open_handle(const char *path, const void **handle, struct strbuf *err)
{
    int rc = freexl_open(path, handle);

    if (rc != FREEXL_OK) {
        sb_addf(err, _("cannot open the workbook %s: %s"), path, freexl_message(rc));
        if (*handle)
            freexl_close(*handle);
        *handle = NULL;
        return -1;
    }
    return 0;
}

/* Writes a cell's text into buf (or points *out at FreeXL's own text). */
static void cell_text(const FreeXL_CellValue *cell, char *buf, const char **out)
{
    *out = buf;
    buf[0] = '\0';
    switch (cell->type) {
    case FREEXL_CELL_INT:
        snprintf(buf, CELL_TEXT_BUFSIZE, "%d", cell->value.int_value);
        break;
    case FREEXL_CELL_DOUBLE:
        cell_format_number(cell->value.double_value, buf);
        break;
    case FREEXL_CELL_DATETIME:
        /* "YYYY-MM-DD HH:MM:SS" becomes ISO 8601 with a T, and a
         * midnight time is dropped, as the XLSX reader does. */
        snprintf(buf, CELL_TEXT_BUFSIZE, "%s", cell->value.text_value);
        if (strlen(buf) == 19 && buf[10] == ' ') {
            buf[10] = 'T';
            if (!strcmp(buf + 11, "00:00:00"))
                buf[10] = '\0';
        }
        break;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_TIME:
        /* NOTE: FreeXL hands out text without its length, so a U+0000
         * inside a cell's string (Excel does not write one) would end the
         * value there, and this reader cannot tell. */
        *out = cell->value.text_value ? cell->value.text_value : "";
        break;
    default:
        break;
    }
}

static int xls_next(struct source *src, struct source_record **rec, struct strbuf *err)
{
    struct xls_source *x = src->impl;
    FreeXL_CellValue cell;
    char buf[CELL_TEXT_BUFSIZE];
    const char *text;
    size_t gap;

    for (; x->next_row < x->rows; x->next_row++) {
        gap = 0;
        row_reset(&x->row);
        for (unsigned short c = 0; c < x->cols; c++) {
            int rc = freexl_get_cell_value(x->handle, x->next_row, c, &cell);

            if (rc != FREEXL_OK) {
                src->error_line = (long)x->next_row + 1;
                sb_addf(err, _("cannot read a cell of the sheet: %s"), freexl_message(rc));
                return -1;
            }
            cell_text(&cell, buf, &text);
            if (!*text) {
                gap++;
                continue;
            }
            for (; gap; gap--)
                row_add_field(&x->row, "");
            row_add_field(&x->row, text);
        }
        if (x->row.nfields)
            break;
    }
    if (x->next_row >= x->rows)
        return 0;

    *rec = row_finish(&x->row, (long)x->next_row + 1);
    x->next_row++;
    return 1;
}

static void xls_close(struct source *src)
{
    struct xls_source *x = src->impl;

    freexl_close(x->handle);
    row_release(&x->row);
    free(x);
    src->impl = NULL;
}

static const struct source_ops xls_ops = {xls_next, xls_close};

/* The number of sheets and, through name, the name of sheet i. */
static unsigned sheet_count(const void *handle)
{
    unsigned count = 0;

    if (freexl_get_info(handle, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
        return 0;
    return count;
}

int xls_source_open(struct source *src, const char *path, const struct source_options *opts,
                    struct strbuf *err)
{
    struct xls_source *x;
    const void *handle = NULL;
    const char *name = NULL;
    unsigned count, chosen = 0;
    bool found = false;

    if (open_handle(path, &handle, err))
        return -1;

    /* The named sheet, or the first. */
    count = sheet_count(handle);
    for (unsigned i = 0; i < count && !found; i++) {
        if (freexl_get_worksheet_name(handle, (unsigned short)i, &name) != FREEXL_OK || !name)
            continue;
        if (!opts->sheet || !strcmp(name, opts->sheet)) {
            found = true;
            chosen = i;
        }
    }
    if (!found) {
        if (opts->sheet) {
            sb_addf(err, _("the workbook %s has no sheet named \"%s\"; its sheets are: "), path,
                    opts->sheet);
            for (unsigned i = 0; i < count; i++)
                if (freexl_get_worksheet_name(handle, (unsigned short)i, &name) == FREEXL_OK)
                    sb_addf(err, "%s\"%s\"", i ? ", " : "", name ? name : "");
        } else {
            sb_addf(err, _("the workbook %s has no worksheet"), path);
        }
        freexl_close(handle);
        return -1;
    }

    x = xcalloc(1, sizeof(*x));
    x->handle = handle;
    if (freexl_select_active_worksheet(handle, (unsigned short)chosen) != FREEXL_OK ||
        freexl_worksheet_dimensions(handle, &x->rows, &x->cols) != FREEXL_OK) {
        sb_addf(err, _("cannot read the sheet \"%s\" of %s"), name, path);
        freexl_close(handle);
        free(x);
        return -1;
    }
    freexl_get_worksheet_name(handle, (unsigned short)chosen, &name);
    src->ops = &xls_ops;
    src->impl = x;
    src->name = source_sheet_label(path, name);
    return 0;
}

long xls_sheet_names(const char *path, char ***names, struct strbuf *err)
{
    const void *handle = NULL;
    const char *name;
    unsigned count;

    if (open_handle(path, &handle, err))
        return -1;
    count = sheet_count(handle);
    *names = xcalloc(count + 1, sizeof(**names));
    for (unsigned i = 0; i < count; i++) {
        name = NULL;
        freexl_get_worksheet_name(handle, (unsigned short)i, &name);
        (*names)[i] = xstrdup(name ? name : "");
    }
    freexl_close(handle);
    return (long)count;
}
