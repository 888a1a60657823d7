/*
 * Helpers shared by the dashboard's list routes. A route returns its rows
 * as JSON, or with format=csv as a CSV download with translated headers
 * and a Chinese file name (RFC 5987 filename*). Names sort in pinyin
 * order, and one SQL expression gives the unit an order belongs to.
 */
#ifndef CAIRN_WEB_API_TABLE_H
#define CAIRN_WEB_API_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "web/web.h"

enum column_kind {
    COL_TEXT,  /* a string (or null) */
    COL_MONEY, /* yuan as a JSON number, written with 2 decimals */
    COL_NUMBER /* any other number, written as JSON prints it */
};

struct table_column {
    const char *key;   /* the JSON key of each row object */
    const char *label; /* English msgid of the CSV header; N_() */
    enum column_kind kind;
};

/* Whether the request has format=csv or format=xlsx (a download). */
bool web_wants_download(const struct request *req);

/*
 * Sets the response to rows (a JSON array of objects, stolen) as the
 * download in the requested format. CSV has a UTF-8 BOM, the translated
 * headers, then one line per row; XLSX has one sheet with the same
 * headers in bold. file_msgid is the English file name without its
 * extension. The download gets its translation as filename* and
 * ascii_name as the plain filename.
 */
void web_download_reply(struct request *req, json_t *rows, const struct table_column *cols,
                   size_t ncols, const char *file_msgid, const char *ascii_name);

/*
 * Sorts a JSON array of objects by the string under key, in the order of
 * the caller's language with ICU collation: pinyin for Chinese (locale
 * "zh"), and the "en", "ja" or "es" collation for English, Japanese or
 * Spanish. Ties keep their order. Returns 0, or -1 when ICU cannot open
 * the collator (the array is then left unsorted).
 */
int web_sort_by_name(const struct request *req, json_t *array, const char *key);

/*
 * SQL expression for the unit of the seller of order row "o" (joined with
 * employee row "e") on the order date. It is the assignment covering the
 * day (the latest start wins), or the unit on the leave date for an order
 * after leaving, or employees.unit_id for an employee without assignments.
 */
extern const char web_order_unit_sql[];

/* SQL text of a recursive CTE "sub(u)" of the unit bound at its one
 * parameter and every unit below it; starts with "WITH RECURSIVE". */
extern const char web_subtree_cte[];

/* The columns of an order row, in the order the order queries select them. */
#define WEB_ORDER_NCOLUMNS 9
extern const struct table_column web_order_columns[WEB_ORDER_NCOLUMNS];

/* Writes rows as an XLSX workbook into out (api_xlsx.c). Returns 0, or
 * -1 with err. */
int web_xlsx_body(const struct request *req, json_t *rows, const struct table_column *cols,
                  size_t ncols, struct strbuf *out, struct strbuf *err);

/* Appends the file at path to out. Returns 0, or -1 with err. */
int web_read_file(const char *path, struct strbuf *out, struct strbuf *err);

/* Money stored as integer fen, as the JSON number of yuan. */
json_t *web_yuan(long long fen);

#endif
