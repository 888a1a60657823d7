/*
 * GET /api/v1/orders?scope=S&period=P&page=N&page_size=M[&format=csv|xlsx] —
 * the orders behind a sales figure: the orders dated in P whose seller
 * belonged to S on the order date (the attribution of metrics.md),
 * newest first, a page at a time (format=csv or xlsx: every order, at most
 * ORDERS_CSV_MAX). JSON: {"scope":..,"period":..,"total":N,"page":N,
 * "page_size":N,"sales":..,"orders":[{"order_id":..,"order_date":..,
 * "customer_id":..,"customer":..,"employee_id":..,"employee":..,
 * "amount":..,"product":..,"status":..}]}; money in yuan.
 */
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "web/api_table.h"

#define ORDERS_PAGE_DEFAULT 50
#define ORDERS_PAGE_MAX 500
#define ORDERS_CSV_MAX 100000


/* Appends the FROM and WHERE part shared by the count and the rows:
 * parameter 1 is the unit or employee id (none for the company), then
 * the period's first day and the next period's first day. */
static void add_filter(struct strbuf *sql, const char *scope)
{
    sb_add(sql, " FROM orders o LEFT JOIN employees e ON e.employee_id = o.employee_id"
                " LEFT JOIN customers c ON c.customer_id = o.customer_id WHERE ");
    if (!strncmp(scope, "unit:", 5))
        sb_addf(sql, "%s IN (SELECT u FROM sub) AND ", web_order_unit_sql);
    else if (!strncmp(scope, "employee:", 9))
        sb_add(sql, "o.employee_id = ? AND ");
    sb_add(sql, "o.order_date >= ? AND o.order_date < ?");
}

/* Binds the parameters of add_filter; returns the next index. */
static int bind_filter(struct db_stmt *st, const char *scope, const struct period *p)
{
    char day[DATE_BUFSIZE];
    int i = 1;

    if (!strncmp(scope, "unit:", 5))
        db_bind_text(st, i++, scope + 5);
    else if (!strncmp(scope, "employee:", 9))
        db_bind_text(st, i++, scope + 9);
    date_format(p->start, day);
    db_bind_text(st, i++, day);
    date_format(p->end, day);
    db_bind_text(st, i++, day);
    return i;
}

/* Reads a positive page number or size; dflt when absent, -1 when bad. */
static long positive_arg(const struct request *req, const char *name, long dflt, long max)
{
    const char *text = web_query(req, name);
    char *end;
    long v;

    if (!text)
        return dflt;
    v = strtol(text, &end, 10);
    return *end || v < 1 || v > max ? -1 : v;
}

void api_orders_get(struct request *req)
{
    const char *period_text = web_query(req, "period");
    struct strbuf err = STRBUF_INIT, scope = STRBUF_INIT, sql = STRBUF_INIT;
    struct db_stmt *st = NULL;
    json_t *orders = json_array();
    long page = positive_arg(req, "page", 1, 1000000),
         size = positive_arg(req, "page_size", ORDERS_PAGE_DEFAULT, ORDERS_PAGE_MAX);
    int64_t total = 0, sales = 0;
    char period_name[16];
    struct period period;
    int rc, i;
    bool download = web_wants_download(req), unit;

    /* Checks of the query, the scope check first among them. */
    if (!period_text || period_parse(period_text, &period) || page < 0 || size < 0) {
        web_error(req, 400, "bad_request",
                  N_("The period, page or page size is missing or invalid."));
        goto out;
    }
    if (web_requested_scope(req, &scope))
        goto out;
    unit = !strncmp(scope.buf, "unit:", 5);
    if (download) {
        page = 1;
        size = ORDERS_CSV_MAX;
    }

    /* The count and sales of every matching order, then one page. */
    if (unit)
        sb_add(&sql, web_subtree_cte);
    sb_add(&sql, "SELECT count(*), coalesce(sum(CASE o.status WHEN 'completed' THEN o.amount"
                 " WHEN 'refunded' THEN -abs(o.amount) ELSE 0 END), 0)");
    add_filter(&sql, scope.buf);
    st = db_prepare(req->db, sb_str(&sql), &err);
    if (!st)
        goto failed;
    bind_filter(st, scope.buf, &period);
    if (db_step(st, &err) != DB_ROW)
        goto failed;
    total = db_column_int64(st, 0);
    sales = db_column_int64(st, 1);
    db_finalize(st);
    st = NULL;

    sb_reset(&sql);
    if (unit)
        sb_add(&sql, web_subtree_cte);
    sb_add(&sql, "SELECT o.order_id, o.order_date, o.customer_id, c.name, o.employee_id, e.name,"
                 " o.amount, o.product, o.status");
    add_filter(&sql, scope.buf);
    sb_add(&sql, " ORDER BY o.order_date DESC, o.order_id LIMIT ? OFFSET ?");
    st = db_prepare(req->db, sb_str(&sql), &err);
    if (!st)
        goto failed;
    i = bind_filter(st, scope.buf, &period);
    db_bind_int64(st, i, size);
    db_bind_int64(st, i + 1, (page - 1) * size);
    while ((rc = db_step(st, &err)) == DB_ROW) {
        json_t *row = json_object();

        for (int c = 0; c < WEB_ORDER_NCOLUMNS; c++) {
            const char *v = db_column_text(st, c);

            json_object_set_new(row, web_order_columns[c].key,
                                c == 6  ? web_yuan(db_column_int64(st, c))
                                : v     ? json_string(v)
                                        : json_null());
        }
        json_array_append_new(orders, row);
    }
    if (rc != DB_DONE)
        goto failed;

    if (download) {
        web_download_reply(req, orders, web_order_columns, WEB_ORDER_NCOLUMNS,
                      N_("orders"), "orders");
        orders = NULL;
        goto out;
    }
    period_format(&period, period_name);
    web_json(req, 200,
             json_pack("{s:s, s:s, s:I, s:i, s:i, s:o, s:o}", "scope", scope.buf, "period",
                       period_name, "total", (json_int_t)total, "page", (int)page, "page_size",
                       (int)size, "sales", web_yuan(sales), "orders", orders));
    orders = NULL;
    goto out;
failed:
    web_internal_error(req, "orders", &err);
out:
    db_finalize(st);
    json_decref(orders);
    sb_release(&sql);
    sb_release(&scope);
    sb_release(&err);
}
