/*
 * Helpers of the dashboard's list routes (see api_table.h): CSV
 * downloads of JSON rows, the pinyin order of names and the SQL of order
 * attribution.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/ucol.h>

#include "auth/scope.h"
#include "util/csv.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/api_table.h"

const char web_order_unit_sql[] =
    "(CASE WHEN EXISTS (SELECT 1 FROM assignments a WHERE a.employee_id = o.employee_id)"
    " THEN (SELECT a.unit_id FROM assignments a WHERE a.employee_id = o.employee_id"
    "   AND a.start_date <= min(o.order_date, coalesce(e.leave_date, o.order_date))"
    "   AND (a.end_date IS NULL OR a.end_date >= min(o.order_date, coalesce(e.leave_date, "
    "o.order_date)))"
    "   ORDER BY a.start_date DESC LIMIT 1)"
    " ELSE e.unit_id END)";

const char web_subtree_cte[] =
    "WITH RECURSIVE sub(u) AS (SELECT ? UNION"
    " SELECT ou.unit_id FROM org_units ou JOIN sub ON ou.parent_id = sub.u) ";

const struct table_column web_order_columns[WEB_ORDER_NCOLUMNS] = {
    {"order_id", N_("Order number"), COL_TEXT},
    {"order_date", N_("Order date"), COL_TEXT},
    {"customer_id", N_("Customer ID"), COL_TEXT},
    {"customer", N_("Customer"), COL_TEXT},
    {"employee_id", N_("Employee ID"), COL_TEXT},
    {"employee", N_("Seller"), COL_TEXT},
    {"amount", N_("Amount (yuan)"), COL_MONEY},
    {"product", N_("Product"), COL_TEXT},
    {"status", N_("Status"), COL_TEXT},
};

json_t *web_yuan(long long fen)
{
    return json_real((double)fen / 100.0);
}

bool web_wants_download(const struct request *req)
{
    const char *f = web_query(req, "format");

    return f && (!strcmp(f, "csv") || !strcmp(f, "xlsx"));
}

/* Appends text percent-encoded as RFC 5987 wants: attr-chars as they
 * are, every other byte as %XX. */
static void add_rfc5987(struct strbuf *out, const char *text)
{
    static const char keep[] = "!#$&+-.^_`|~";

    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            (*p && strchr(keep, *p)))
            sb_addch(out, (char)*p);
        else
            sb_addf(out, "%%%02X", *p);
    }
}

/* Appends one cell of a row as CSV text. */
static void add_cell(struct strbuf *line, json_t *v, enum column_kind kind)
{
    struct strbuf cell = STRBUF_INIT;
    const char *text = json_string_value(v);

    /* Spreadsheets may run text that starts with = + - @, a tab or a
     * carriage return as a formula, so such text gets a leading apostrophe
     * (the OWASP advice on CSV injection). Numbers never get one. */
    if (text && text[0] && strchr("=+-@\t\r", text[0]))
        sb_addch(&cell, '\'');
    if (text)
        sb_add(&cell, text);
    else if (json_is_integer(v))
        sb_addf(&cell, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v) && kind == COL_MONEY)
        sb_addf(&cell, "%.2f", json_real_value(v));
    else if (json_is_real(v))
        sb_addf(&cell, "%.15g", json_real_value(v));
    else if (json_is_boolean(v))
        sb_add(&cell, json_is_true(v) ? "true" : "false");
    csv_write_field(line, sb_str(&cell), ',');
    sb_release(&cell);
}

/* Writes rows as CSV into body. */
static void csv_body(const struct request *req, json_t *rows, const struct table_column *cols,
                     size_t ncols, struct strbuf *body)
{
    size_t i;
    json_t *row;

    /* The header line, then the rows. */
    sb_add(body, "\xEF\xBB\xBF");
    for (size_t c = 0; c < ncols; c++) {
        if (c)
            sb_addch(body, ',');
        csv_write_field(body, web_text(req, cols[c].label), ',');
    }
    sb_add(body, "\r\n");
    json_array_foreach(rows, i, row) {
        for (size_t c = 0; c < ncols; c++) {
            if (c)
                sb_addch(body, ',');
            add_cell(body, json_object_get(row, cols[c].key), cols[c].kind);
        }
        sb_add(body, "\r\n");
    }
}

/* Writes the audit row of a download: action "export", the route as the
 * subject, and the scope (the requested one, else the caller's), the
 * format and the row count as the detail. Returns 0 or -1 (500 set). */
static int download_audit(struct request *req, size_t nrows, const char *format)
{
    struct strbuf detail = STRBUF_INIT, own = STRBUF_INIT;
    const char *scope = web_query(req, "scope"), *table = web_query(req, "table");
    int ret;

    if (!scope) {
        scope_format(&req->session.who.scope, &own);
        scope = own.buf;
    }
    sb_addf(&detail, "scope=%s format=%s rows=%zu", scope, format, nrows);
    if (table)
        sb_addf(&detail, " table=%s", table);
    ret = web_audit(req, "export", req->path, detail.buf);
    sb_release(&own);
    sb_release(&detail);
    return ret;
}

void web_download_reply(struct request *req, json_t *rows, const struct table_column *cols,
                        size_t ncols, const char *file_msgid, const char *ascii_name)
{
    struct strbuf err = STRBUF_INIT;
    const char *format = web_query(req, "format");
    bool xlsx = format && !strcmp(format, "xlsx");
    const char *ext = xlsx ? ".xlsx" : ".csv";

    /* Every download is audited first: route, scope, format and rows. */
    if (download_audit(req, json_array_size(rows), xlsx ? "xlsx" : "csv"))
        goto out;

    /* The file, then the download's names: ASCII for old clients, UTF-8
     * for the rest. */
    sb_reset(&req->resp.body);
    if (!xlsx) {
        csv_body(req, rows, cols, ncols, &req->resp.body);
    } else if (web_xlsx_body(req, rows, cols, ncols, &req->resp.body, &err)) {
        web_internal_error(req, "xlsx download", &err);
        goto out;
    }
    sb_reset(&req->resp.disposition);
    sb_addf(&req->resp.disposition, "attachment; filename=\"%s%s\"; filename*=UTF-8''",
            ascii_name, ext);
    add_rfc5987(&req->resp.disposition, web_text(req, file_msgid));
    sb_add(&req->resp.disposition, ext);
    req->resp.status = 200;
    req->resp.content_type =
        xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
             : "text/csv; charset=utf-8";
    req->resp.static_body = NULL;
    req->resp.api = true;
out:
    json_decref(rows);
    sb_release(&err);
}

struct name_item {
    json_t *value;
    const char *name;
    size_t index;
};

static _Thread_local UCollator *sort_collator;

static int compare_names(const void *a, const void *b)
{
    const struct name_item *x = a, *y = b;
    UErrorCode status = U_ZERO_ERROR;
    UCollationResult r =
        ucol_strcollUTF8(sort_collator, x->name, -1, y->name, -1, &status);

    if (U_SUCCESS(status) && r != UCOL_EQUAL)
        return r == UCOL_LESS ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

int web_sort_by_name(const struct request *req, json_t *array, const char *key)
{
    UErrorCode status = U_ZERO_ERROR;
    size_t n = json_array_size(array), i;
    struct name_item *items;
    json_t *v;

    if (n < 2)
        return 0;
    /* The catalog names "en", "ja" and "es" are ICU locale ids as they are. */
    sort_collator = ucol_open(strcmp(req->lang, "zh_CN") ? req->lang : "zh", &status);
    if (U_FAILURE(status))
        return -1;

    /* Sort references to the elements, then put them back in order. */
    items = xcalloc(n, sizeof(*items));
    json_array_foreach(array, i, v) {
        const char *name = json_string_value(json_object_get(v, key));

        items[i].value = json_incref(v);
        items[i].name = name ? name : "";
        items[i].index = i;
    }
    qsort(items, n, sizeof(*items), compare_names);
    json_array_clear(array);
    for (i = 0; i < n; i++)
        json_array_append_new(array, items[i].value);
    free(items);
    ucol_close(sort_collator);
    sort_collator = NULL;
    return 0;
}
