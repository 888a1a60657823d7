/*
 * XLSX downloads of the dashboard's tables (format=xlsx), written with
 * libxlsxwriter. It writes only to a file, so the workbook goes to a
 * temporary file that is read back into the response and removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "util/xalloc.h"
#include "web/api_table.h"

/* Column width in characters: wide enough for dates, ids and most names. */
#define XLSX_COLUMN_WIDTH 16

/* Writes one row of a sheet; money gets two decimals and separators. */
static void write_row(lxw_worksheet *sheet, lxw_row_t r, json_t *row,
                      const struct table_column *cols, size_t ncols, lxw_format *money)
{
    for (size_t c = 0; c < ncols; c++) {
        json_t *v = json_object_get(row, cols[c].key);
        lxw_col_t col = (lxw_col_t)c;

        if (json_is_string(v))
            worksheet_write_string(sheet, r, col, json_string_value(v), NULL);
        else if (json_is_number(v))
            worksheet_write_number(sheet, r, col, json_number_value(v),
                                   cols[c].kind == COL_MONEY ? money : NULL);
        else if (json_is_boolean(v))
            worksheet_write_boolean(sheet, r, col, json_is_true(v), NULL);
    }
}

int web_read_file(const char *path, struct strbuf *out, struct strbuf *err)
{
    FILE *fp = fopen(path, "rb");
    char buf[65536];
    size_t n;

    if (!fp) {
        sb_addf(err, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        sb_addn(out, buf, n);
    fclose(fp);
    return 0;
}

int web_xlsx_body(const struct request *req, json_t *rows, const struct table_column *cols,
                  size_t ncols, struct strbuf *out, struct strbuf *err)
{
    char path[] = "/tmp/cairn-xlsx-XXXXXX";
    lxw_workbook *book;
    lxw_worksheet *sheet;
    lxw_format *bold, *money;
    lxw_error rc;
    json_t *row;
    size_t i;
    int fd, ret;

    fd = mkstemp(path);
    if (fd < 0) {
        sb_addf(err, "cannot create a temporary file: %s", strerror(errno));
        return -1;
    }
    close(fd);

    /* The header line in the caller's language, then the rows. */
    book = workbook_new(path);
    if (!book) {
        sb_addf(err, "cannot start the workbook %s", path);
        unlink(path);
        return -1;
    }
    sheet = workbook_add_worksheet(book, NULL);
    bold = workbook_add_format(book);
    format_set_bold(bold);
    money = workbook_add_format(book);
    format_set_num_format(money, "#,##0.00");
    worksheet_set_column(sheet, 0, (lxw_col_t)(ncols - 1), XLSX_COLUMN_WIDTH, NULL);
    for (size_t c = 0; c < ncols; c++)
        worksheet_write_string(sheet, 0, (lxw_col_t)c, web_text(req, cols[c].label), bold);
    json_array_foreach(rows, i, row) write_row(sheet, (lxw_row_t)(i + 1), row, cols, ncols, money);
    worksheet_freeze_panes(sheet, 1, 0);

    rc = workbook_close(book);
    if (rc != LXW_NO_ERROR) {
        sb_addf(err, "cannot write the workbook: %s", lxw_strerror(rc));
        unlink(path);
        return -1;
    }
    ret = web_read_file(path, out, err);
    unlink(path);
    return ret;
}
