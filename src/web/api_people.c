/*
 * The drill-down pages of one person or customer:
 * GET /api/v1/employees/ID — the employee, its current customers and its
 * latest orders; pay (base_salary) and personal fields (email, phone)
 * only where src/auth/scope.c allows them;
 * GET /api/v1/customers/ID — the customer, its orders, its owner history
 * and its satisfaction surveys. A customer is inside a caller's scope
 * when its current owner is. Both take format=csv (or xlsx) and table=NAME to download
 * one of their tables. Money in yuan, survey scores 0-10.
 */
#include <string.h>

#include "auth/scope.h"
#include "util/i18n.h"
#include "web/api_table.h"


static const struct table_column customer_columns[] = {
    {"customer_id", N_("Customer ID"), COL_TEXT},
    {"name", N_("Customer"), COL_TEXT},
    {"segment", N_("Segment"), COL_TEXT},
    {"created_date", N_("Created"), COL_TEXT},
};
static const struct table_column owner_columns[] = {
    {"employee_id", N_("Employee ID"), COL_TEXT},
    {"employee", N_("Owner"), COL_TEXT},
    {"start_date", N_("From"), COL_TEXT},
    {"end_date", N_("Until"), COL_TEXT},
};
static const struct table_column survey_columns[] = {
    {"survey_date", N_("Survey date"), COL_TEXT},
    {"score", N_("Score"), COL_NUMBER},
    {"employee_id", N_("Employee ID"), COL_TEXT},
};
#define NCOLS(c) (sizeof(c) / sizeof(c[0]))

/*
 * Runs sql with one text parameter and returns its rows as objects with
 * the keys of cols, one column each, in order. A COL_MONEY column contains
 * fen and a column named "score" contains hundredths. NULL with err.
 */
static json_t *query_rows(struct db *db, const char *sql, const char *param,
                          const struct table_column *cols, size_t ncols, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, sql, err);
    json_t *rows = json_array();
    int rc = DB_ERROR;

    if (!st)
        goto out;
    db_bind_text(st, 1, param);
    while ((rc = db_step(st, err)) == DB_ROW) {
        json_t *row = json_object();

        for (size_t c = 0; c < ncols; c++) {
            const char *v = db_column_text(st, (int)c);
            json_t *value = json_null();

            if (v && cols[c].kind == COL_MONEY)
                value = web_yuan(db_column_int64(st, (int)c));
            else if (v && !strcmp(cols[c].key, "score"))
                value = json_real((double)db_column_int64(st, (int)c) / 100.0);
            else if (v)
                value = json_string(v);
            json_object_set_new(row, cols[c].key, value);
        }
        json_array_append_new(rows, row);
    }
    db_finalize(st);
out:
    if (rc != DB_DONE) {
        json_decref(rows);
        return NULL;
    }
    return rows;
}

#define ORDER_SELECT                                                                           \
    "SELECT o.order_id, o.order_date, o.customer_id, c.name, o.employee_id, e.name, o.amount,"   \
    " o.product, o.status FROM orders o LEFT JOIN employees e ON e.employee_id = o.employee_id" \
    " LEFT JOIN customers c ON c.customer_id = o.customer_id "

/* Returns 0 when the scope decision allows the id of the path, or -1
 * after setting the 403 or 404 response. */
static int refuse_unless_allowed(struct request *req, enum scope_decision decision)
{
    if (decision == SCOPE_ALLOWED)
        return 0;
    if (decision == SCOPE_FORBIDDEN)
        web_error(req, 403, "forbidden", N_("This scope is outside your access."));
    else
        web_error(req, 404, "not_found", N_("Nothing exists at this address."));
    return -1;
}

/* One downloadable table of a page: its name in table=NAME, rows and columns. */
struct page_table {
    const char *name;
    json_t *rows;
    const struct table_column *cols;
    size_t ncols;
    const char *file_msgid;
};
/* Sets the response to the table named by table=NAME as a download when the
 * request has format=csv or xlsx. Returns true when the response is set (the
 * file, or 400 for an unknown table). */
static bool download_table(struct request *req, const struct page_table *tables, size_t n)
{
    const char *want = web_query(req, "table");

    if (!web_wants_download(req))
        return false;
    for (size_t i = 0; i < n; i++)
        if (want && !strcmp(want, tables[i].name)) {
            web_download_reply(req, json_incref(tables[i].rows), tables[i].cols, tables[i].ncols,
                          tables[i].file_msgid, tables[i].name);
            return true;
        }
    web_error(req, 400, "bad_request", N_("The table to download is missing or unknown."));
    return true;
}

/* The audit row of a page that shows pay or personal fields (detail) of
 * employee id. Returns 0, or -1 after setting a 500 response. */
static int audit_personal_view(struct request *req, const char *id, const char *detail)
{
    struct strbuf subject = STRBUF_INIT;
    int ret;

    sb_addf(&subject, "employee:%s", id);
    ret = web_audit(req, "view_personal", subject.buf, detail);
    sb_release(&subject);
    return ret;
}

void api_employee_get(struct request *req)
{
    const char *id = req->path + strlen("/api/v1/employees/");
    struct strbuf err = STRBUF_INIT;
    struct scope want = {.kind = SCOPE_EMPLOYEE};
    enum scope_decision decision = SCOPE_UNKNOWN;
    json_t *answer = NULL, *orders = NULL, *customers = NULL;
    struct db_stmt *st = NULL;
    bool pay = false, personal = false;

    /* The scope check comes first. */
    if (strlen(id) < SCOPE_ID_MAX && !strchr(id, '/')) {
        memcpy(want.id, id, strlen(id) + 1);
        if (scope_check(req->db, &req->session.who, &want, &decision, &err))
            goto failed;
    }
    if (refuse_unless_allowed(req, decision))
        goto out;
    if (scope_field_visible(req->db, &req->session.who, FIELDS_PAY, id, &pay, &err) ||
        scope_field_visible(req->db, &req->session.who, FIELDS_PERSONAL, id, &personal, &err))
        goto failed;

    /* The employee, then its customers and latest orders. */
    st = db_prepare(req->db,
                    "SELECT e.employee_id, e.name, e.unit_id, u.name, e.position, e.employment_type,"
                    " e.hire_date, e.leave_date, e.leave_reason, m.name, e.base_salary, e.email,"
                    " e.phone FROM employees e LEFT JOIN org_units u ON u.unit_id = e.unit_id"
                    " LEFT JOIN employees m ON m.employee_id = e.manager_id WHERE e.employee_id = ?",
                    &err);
    if (!st)
        goto failed;
    db_bind_text(st, 1, id);
    if (db_step(st, &err) != DB_ROW)
        goto failed;
    answer = json_object();
    static const char *const keys[] = {"employee_id", "name",       "unit_id",     "unit",
                                       "position",    "employment_type", "hire_date", "leave_date",
                                       "leave_reason", "manager",   "base_salary", "email",
                                       "phone"};
    for (int c = 0; c < 13; c++) {
        const char *v = db_column_text(st, c);
        bool hidden = (c == 10 && !pay) || (c >= 11 && !personal);

        json_object_set_new(answer, keys[c],
                            !v || hidden ? json_null()
                            : c == 10    ? web_yuan(db_column_int64(st, c))
                                         : json_string(v));
    }
    json_object_set_new(answer, "pay_visible", json_boolean(pay));
    json_object_set_new(answer, "personal_visible", json_boolean(personal));

    customers = query_rows(req->db,
                           "SELECT customer_id, name, segment, created_date FROM customers"
                           " WHERE owner_id = ? ORDER BY customer_id",
                           id, customer_columns, NCOLS(customer_columns), &err);
    orders = customers ? query_rows(req->db,
                                    ORDER_SELECT "WHERE o.employee_id = ?"
                                                 " ORDER BY o.order_date DESC, o.order_id LIMIT 500",
                                    id, web_order_columns, WEB_ORDER_NCOLUMNS, &err)
                       : NULL;
    if (!orders)
        goto failed;
    {
        const struct page_table tables[] = {
            {"orders", orders, web_order_columns, WEB_ORDER_NCOLUMNS, N_("orders")},
            {"customers", customers, customer_columns, NCOLS(customer_columns), N_("customers")},
        };
        if (download_table(req, tables, 2))
            goto out;
    }
    /* Showing pay or personal fields is audited. */
    if ((pay || personal) &&
        audit_personal_view(req, id, pay && personal ? "pay,personal" : pay ? "pay" : "personal"))
        goto out;
    json_object_set(answer, "customers", customers);
    json_object_set(answer, "orders", orders);
    web_json(req, 200, json_incref(answer));
    goto out;
failed:
    web_internal_error(req, "employee", &err);
out:
    db_finalize(st);
    json_decref(answer);
    json_decref(orders);
    json_decref(customers);
    sb_release(&err);
}

/*
 * Decides whether the caller may see customer id: the company-wide
 * callers always (404 when it does not exist), others when its current
 * owner (customer_owners, else customers.owner_id) is inside their
 * scope. Returns 0 with *decision set, or -1 with err.
 */
static int customer_decision(struct request *req, const char *id, enum scope_decision *decision,
                             struct strbuf *err)
{
    struct db_stmt *st = db_prepare(
        req->db,
        "SELECT coalesce((SELECT employee_id FROM customer_owners WHERE customer_id = c.customer_id"
        " ORDER BY start_date DESC LIMIT 1), c.owner_id) FROM customers c WHERE c.customer_id = ?",
        err);
    struct scope owner = {.kind = SCOPE_EMPLOYEE};
    const char *owner_id;
    bool company = req->session.who.scope.kind == SCOPE_COMPANY;
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, 1, id);
    rc = db_step(st, err);
    if (rc == DB_ERROR) {
        db_finalize(st);
        return -1;
    }
    owner_id = rc == DB_ROW ? db_column_text(st, 0) : NULL;
    if (!company)
        *decision = SCOPE_FORBIDDEN;
    else if (rc == DB_ROW)
        *decision = SCOPE_ALLOWED;
    else
        *decision = SCOPE_UNKNOWN;
    if (!company && owner_id && strlen(owner_id) < SCOPE_ID_MAX) {
        memcpy(owner.id, owner_id, strlen(owner_id) + 1);
        rc = scope_check(req->db, &req->session.who, &owner, decision, err);
        if (*decision == SCOPE_UNKNOWN)
            *decision = SCOPE_FORBIDDEN;
    } else {
        rc = 0;
    }
    db_finalize(st);
    return rc ? -1 : 0;
}

void api_customer_get(struct request *req)
{
    const char *id = req->path + strlen("/api/v1/customers/");
    struct strbuf err = STRBUF_INIT;
    enum scope_decision decision;
    json_t *answer = NULL, *orders = NULL, *owners = NULL, *surveys = NULL;
    static const struct table_column head[] = {
        {"customer_id", "", COL_TEXT}, {"name", "", COL_TEXT},     {"unit_id", "", COL_TEXT},
        {"unit", "", COL_TEXT},        {"segment", "", COL_TEXT},  {"market_tier", "", COL_TEXT},
        {"owner_id", "", COL_TEXT},    {"owner", "", COL_TEXT},    {"created_date", "", COL_TEXT},
    };

    /* The scope check comes first. */
    if (customer_decision(req, id, &decision, &err))
        goto failed;
    if (refuse_unless_allowed(req, decision))
        goto out;

    /* The customer, then its orders, owners and surveys. */
    answer = query_rows(req->db,
                        "SELECT c.customer_id, c.name, c.unit_id, u.name, c.segment, c.market_tier,"
                        " c.owner_id, e.name, c.created_date FROM customers c"
                        " LEFT JOIN org_units u ON u.unit_id = c.unit_id"
                        " LEFT JOIN employees e ON e.employee_id = c.owner_id"
                        " WHERE c.customer_id = ?",
                        id, head, NCOLS(head), &err);
    orders = answer ? query_rows(req->db,
                                 ORDER_SELECT "WHERE o.customer_id = ?"
                                              " ORDER BY o.order_date DESC, o.order_id LIMIT 500",
                                 id, web_order_columns, WEB_ORDER_NCOLUMNS, &err)
                    : NULL;
    owners = orders ? query_rows(req->db,
                                 "SELECT o.employee_id, e.name, o.start_date, o.end_date"
                                 " FROM customer_owners o LEFT JOIN employees e"
                                 " ON e.employee_id = o.employee_id WHERE o.customer_id = ?"
                                 " ORDER BY o.start_date DESC",
                                 id, owner_columns, NCOLS(owner_columns), &err)
                    : NULL;
    surveys = owners ? query_rows(req->db,
                                  "SELECT survey_date, score, employee_id FROM customer_surveys"
                                  " WHERE customer_id = ? ORDER BY survey_date DESC",
                                  id, survey_columns, NCOLS(survey_columns), &err)
                     : NULL;
    if (!surveys)
        goto failed;
    {
        const struct page_table tables[] = {
            {"orders", orders, web_order_columns, WEB_ORDER_NCOLUMNS, N_("orders")},
            {"owners", owners, owner_columns, NCOLS(owner_columns), N_("owner history")},
            {"surveys", surveys, survey_columns, NCOLS(survey_columns), N_("satisfaction surveys")},
        };
        if (download_table(req, tables, 3))
            goto out;
    }
    {
        json_t *customer = json_incref(json_array_get(answer, 0));

        json_object_set(customer, "orders", orders);
        json_object_set(customer, "owners", owners);
        json_object_set(customer, "surveys", surveys);
        web_json(req, 200, customer);
    }
    goto out;
failed:
    web_internal_error(req, "customer", &err);
out:
    json_decref(answer);
    json_decref(orders);
    json_decref(owners);
    json_decref(surveys);
    sb_release(&err);
}
