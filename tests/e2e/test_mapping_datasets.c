/*
 * End-to-end tests of the example mapping files on the real data sets:
 * each import must store exactly the rows and money the test computes on
 * its own from the raw file (CSV and whitespace text split here, the XLS
 * workbooks read with FreeXL), and "cairn reconcile --map" must then
 * report no mismatch.
 */
#include <freexl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define CRM           CAIRN_SHARED_DATA "/maven-crm-sales-opportunities/CRM+Sales+Opportunities"
#define RETAIL        CAIRN_SHARED_DATA "/online-retail-sample"
#define CDNOW         CAIRN_SHARED_DATA "/cdnow"
#define SUPERSTORE    CAIRN_SHARED_DATA "/cn-superstore/示例 - 超市.xls"
#define SUPERSTORE_US CAIRN_SHARED_DATA "/superstore/Sample - Superstore.xls"
#define EXAMPLE(name) CAIRN_SOURCE_DIR "/examples/" name

struct fixture {
    char *dir, *db;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct run_result r;

    fx->dir = make_temp_dir();
    fx->db = path_join(fx->dir, "cairn.db");
    r = run_cairn(fx->dir, NULL, ARGS("--db", fx->db, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    remove_tree(fx->dir);
    free(fx->dir);
    free(fx->db);
    free(fx);
    return 0;
}

static long long query_int(struct fixture *fx, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;

    assert_int_equal(sqlite3_open_v2(fx->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static long long entity_rows(json_t *report, const char *kind)
{
    size_t i;
    json_t *f;

    json_array_foreach(json_object_get(report, "files"), i,
                       f) if (!strcmp(json_string_value(json_object_get(f, "kind")), kind))
    {
        assert_int_equal(json_integer_value(json_object_get(f, "rejected")), 0);
        return json_integer_value(json_object_get(f, "inserted"));
    }
    fail_msg("no report entry for %s", kind);
    return -1;
}

/* Imports path with the mapping, and checks reconcile agrees after. */
static json_t *import_mapped(struct fixture *fx, const char *path, const char *map)
{
    json_t *report = run_cairn_json(
        fx->dir, ARGS("--db", fx->db, "import", path, "--map", map, "--format", "json"), 0);
    json_t *rec = run_cairn_json(
        fx->dir, ARGS("--db", fx->db, "reconcile", path, "--map", map, "--format", "json"), 0);

    assert_true(json_is_true(json_object_get(rec, "ok")));
    json_decref(rec);
    return report;
}

/* Splits a CSV line in place (quotes handled, no line breaks in fields). */
static size_t split_csv(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *out = line, *p = line;

    line[strcspn(line, "\r\n")] = '\0';
    while (n < max) {
        bool quoted = *p == '"';

        fields[n++] = out;
        if (quoted)
            p++;
        while (*p) {
            if (quoted && p[0] == '"' && p[1] == '"') {
                *out++ = '"';
                p += 2;
            } else if (quoted && *p == '"') {
                quoted = false;
                p++;
            } else if (!quoted && *p == ',') {
                break;
            } else {
                *out++ = *p++;
            }
        }
        if (!*p) {
            *out = '\0';
            break;
        }
        *out++ = '\0';
        p++;
    }
    return n;
}

/* A decimal text with at most 2 decimals as fen. */
static long long fen_of(const char *s)
{
    long long whole = 0, frac = 0;
    int digits = 0, sign = 1;

    if (*s == '-') {
        sign = -1;
        s++;
    }
    for (; *s >= '0' && *s <= '9'; s++)
        whole = whole * 10 + (*s - '0');
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9' && digits < 2; s++, digits++)
            frac = frac * 10 + (*s - '0');
    while (digits++ < 2)
        frac *= 10;
    return sign * (whole * 100 + frac);
}

/* Appends a copy of s to the array v of *n strings unless it is in it. */
static char **add_distinct(char **v, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(v[i], s))
            return v;
    v = realloc(v, (*n + 1) * sizeof(*v));
    v[(*n)++] = strdup(s);
    return v;
}

static void crm_won_deals(void **state)
{
    struct fixture *fx = *state;
    FILE *fp = fopen(CRM "/sales_pipeline.csv", "r");
    char line[1024], *f[16], **managers = NULL, **offices = NULL;
    long long won = 0, fen = 0, accounts = -1, agents = 0;
    size_t nmanagers = 0, noffices = 0;
    json_t *report;

    /* The won deals and their value, straight from the file. */
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof(line), fp));
    while (fgets(line, sizeof(line), fp)) {
        assert_int_equal(split_csv(line, f, 16), 8);
        if (!strcmp(f[4], "Won")) {
            won++;
            fen += fen_of(f[7]);
        }
    }
    fclose(fp);
    fp = fopen(CRM "/accounts.csv", "r");
    assert_non_null(fp);
    while (fgets(line, sizeof(line), fp))
        accounts++;
    fclose(fp);

    /* Agents, and the distinct managers and offices of sales_teams.csv. */
    fp = fopen(CRM "/sales_teams.csv", "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof(line), fp));
    while (fgets(line, sizeof(line), fp)) {
        assert_int_equal(split_csv(line, f, 16), 3);
        agents++;
        managers = add_distinct(managers, &nmanagers, f[1]);
        offices = add_distinct(offices, &noffices, f[2]);
    }
    fclose(fp);

    report = import_mapped(fx, CRM, EXAMPLE("crm-sales-opportunities.map.json"));
    assert_int_equal(entity_rows(report, "orders"), won);
    assert_int_equal(entity_rows(report, "customers"), accounts);
    assert_int_equal(entity_rows(report, "employees"), agents + (long long)nmanagers);
    /* The company, one region per office and one team per manager. */
    assert_int_equal(entity_rows(report, "org_units"), 1 + (long long)(noffices + nmanagers));
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM org_units WHERE kind = 'team' AND "
                                   "manager_id = unit_id"),
                     (long long)nmanagers);
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM employees WHERE position = 'sales' "
                                   "AND hire_date = '2016-10-01' AND manager_id = unit_id"),
                     agents);
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM orders"), won);
    assert_int_equal(query_int(fx, "SELECT SUM(amount) FROM orders"), fen);
    assert_int_equal(fen, 1000553400);
    json_decref(report);
    for (size_t i = 0; i < nmanagers; i++)
        free(managers[i]);
    for (size_t i = 0; i < noffices; i++)
        free(offices[i]);
    free(managers);
    free(offices);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Counts the distinct strings of a sorted array. */
static long long count_distinct(char **v, size_t n)
{
    long long d = 0;

    for (size_t i = 0; i < n; i++)
        if (!i || strcmp(v[i], v[i - 1]))
            d++;
    return d;
}

static void retail_invoices(void **state)
{
    struct fixture *fx = *state;
    FILE *fp = fopen(RETAIL "/online_retail_sample.csv", "r");
    char line[2048], *f[16];
    char **invoices = NULL, **customers = NULL, **unknown = NULL;
    size_t ninv = 0, ncust = 0, nunknown = 0;
    long long sales = 0, refunds = 0, cancelled;
    json_t *report;

    /* Invoices, customers and line totals from the file. */
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof(line), fp));
    while (fgets(line, sizeof(line), fp)) {
        long long total;

        assert_int_equal(split_csv(line, f, 16), 8);
        total = atoll(f[3]) * fen_of(f[5]);
        if (f[0][0] == 'C')
            refunds -= total;
        else
            sales += total;
        invoices = realloc(invoices, (ninv + 1) * sizeof(*invoices));
        invoices[ninv++] = strdup(f[0]);
        if (!strcmp(f[6], "NA") || !f[6][0])
            unknown = add_distinct(unknown, &nunknown, f[0]);
        if (strcmp(f[6], "NA") && f[6][0]) {
            customers = realloc(customers, (ncust + 1) * sizeof(*customers));
            customers[ncust++] = strdup(f[6]);
        }
    }
    fclose(fp);
    qsort(invoices, ninv, sizeof(*invoices), compare_strings);
    qsort(customers, ncust, sizeof(*customers), compare_strings);
    cancelled = 0;
    for (size_t i = 0; i < ninv; i++)
        if (invoices[i][0] == 'C' && (!i || strcmp(invoices[i], invoices[i - 1])))
            cancelled++;

    report = import_mapped(fx, RETAIL, EXAMPLE("online-retail.map.json"));
    assert_int_equal(entity_rows(report, "orders"), count_distinct(invoices, ninv));
    assert_int_equal(entity_rows(report, "customers"), count_distinct(customers, ncust));
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM orders WHERE status = 'refunded'"),
                     cancelled);
    assert_int_equal(query_int(fx, "SELECT SUM(amount) FROM orders WHERE status = 'completed'"),
                     sales);
    assert_int_equal(query_int(fx, "SELECT SUM(amount) FROM orders WHERE status = 'refunded'"),
                     refunds);
    /* An invoice has one customer: NA makes the order's customer empty. */
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM orders WHERE customer_id IS NULL"),
                     (long long)nunknown);
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM orders WHERE customer_id = 'NA'"), 0);
    for (size_t i = 0; i < ninv; i++)
        free(invoices[i]);
    for (size_t i = 0; i < ncust; i++)
        free(customers[i]);
    for (size_t i = 0; i < nunknown; i++)
        free(unknown[i]);
    free(invoices);
    free(customers);
    free(unknown);
    json_decref(report);
}

/* Imports one CDNOW file: ncols fields, the amount in the last. */
static void check_cdnow(struct fixture *fx, const char *file, const char *map, int ncols)
{
    FILE *fp = fopen(file, "r");
    char line[256], **ids = NULL;
    size_t n = 0;
    long long fen = 0;
    json_t *report;

    assert_non_null(fp);
    while (fgets(line, sizeof(line), fp)) {
        char *f[8];
        int k = 0;

        for (char *tok = line, *save = NULL; k < 8; tok = NULL) {
            tok = strtok_r(tok, " \t\r\n", &save);
            if (!tok)
                break;
            f[k++] = tok;
        }
        assert_int_equal(k, ncols);
        fen += fen_of(f[ncols - 1]);
        ids = realloc(ids, (n + 1) * sizeof(*ids));
        ids[n++] = strdup(f[0]);
    }
    fclose(fp);
    qsort(ids, n, sizeof(*ids), compare_strings);

    report = import_mapped(fx, CDNOW, map);
    assert_int_equal(entity_rows(report, "orders"), (long long)n);
    assert_int_equal(entity_rows(report, "customers"), count_distinct(ids, n));
    assert_int_equal(query_int(fx, "SELECT SUM(amount) FROM orders"), fen);
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    json_decref(report);
}

static void cdnow_sample(void **state)
{
    check_cdnow(*state, CDNOW "/CDNOW_sample.txt", EXAMPLE("cdnow-sample.map.json"), 5);
}

static void cdnow_master(void **state)
{
    check_cdnow(*state, CDNOW "/CDNOW_master.txt", EXAMPLE("cdnow-master.map.json"), 4);
}

/* A cell as Excel shows it: text, or a number to 15 significant digits. */
static void cell_text(const void *book, unsigned row, unsigned short col, char *out, size_t size)
{
    FreeXL_CellValue v;

    assert_int_equal(freexl_get_cell_value(book, row, col, &v), FREEXL_OK);
    if (v.type == FREEXL_CELL_TEXT || v.type == FREEXL_CELL_SST_TEXT ||
        v.type == FREEXL_CELL_DATE || v.type == FREEXL_CELL_DATETIME)
        snprintf(out, size, "%s", v.value.text_value);
    else if (v.type == FREEXL_CELL_INT)
        snprintf(out, size, "%d", v.value.int_value);
    else if (v.type == FREEXL_CELL_DOUBLE)
        snprintf(out, size, "%.15g", v.value.double_value);
    else
        snprintf(out, size, "%s", "");
}

/* A decimal text rounded to fen, half away from zero. */
static long long fen_rounded(const char *s)
{
    const char *dot = strchr(s, '.');
    long long fen = fen_of(s);

    if (dot && strlen(dot) > 3 && dot[3] >= '5')
        fen += s[0] == '-' ? -1 : 1;
    return fen;
}

struct order_line {
    char key[160], id[64];
    long long fen;
};

static int compare_lines(const void *a, const void *b)
{
    return strcmp(((const struct order_line *)a)->key, ((const struct order_line *)b)->key);
}

/* Where a Superstore edition keeps its data, and what it holds. */
struct superstore {
    const char *path, *map;
    unsigned short id_col, day_col, customer_col, sales_col, return_id_col;
    long long units, employees;
};

static void check_superstore(struct fixture *fx, const struct superstore *ss)
{
    const void *book;
    unsigned sheets, rows, ret_rows;
    unsigned short cols;
    struct order_line *lines;
    char **returned, cell[256];
    long long orders = 0, fen = 0, refunds = 0, refund_fen = 0, group_fen = 0;
    json_t *report;

    /* Sheet 0 holds the order lines, sheet 1 the returned order ids. */
    assert_int_equal(freexl_open(ss->path, &book), FREEXL_OK);
    assert_int_equal(freexl_get_info(book, FREEXL_BIFF_SHEET_COUNT, &sheets), FREEXL_OK);
    assert_int_equal(sheets, 3);
    assert_int_equal(freexl_select_active_worksheet(book, 1), FREEXL_OK);
    assert_int_equal(freexl_worksheet_dimensions(book, &ret_rows, &cols), FREEXL_OK);
    returned = calloc(ret_rows, sizeof(*returned));
    for (unsigned r = 1; r < ret_rows; r++) {
        cell_text(book, r, ss->return_id_col, cell, sizeof(cell));
        returned[r - 1] = strdup(cell);
    }
    qsort(returned, ret_rows - 1, sizeof(*returned), compare_strings);

    assert_int_equal(freexl_select_active_worksheet(book, 0), FREEXL_OK);
    assert_int_equal(freexl_worksheet_dimensions(book, &rows, &cols), FREEXL_OK);
    lines = calloc(rows, sizeof(*lines));
    for (unsigned r = 1; r < rows; r++) {
        char id[64], customer[64], day[32], sales[64];

        cell_text(book, r, ss->id_col, id, sizeof(id));
        cell_text(book, r, ss->day_col, day, sizeof(day));
        cell_text(book, r, ss->customer_col, customer, sizeof(customer));
        cell_text(book, r, ss->sales_col, sales, sizeof(sales));
        snprintf(lines[r - 1].key, sizeof(lines[r - 1].key), "%s|%s|%s", id, customer, day);
        snprintf(lines[r - 1].id, sizeof(lines[r - 1].id), "%s", id);
        lines[r - 1].fen = fen_rounded(sales);
    }
    freexl_close(book);

    /* Orders: the lines with the same order id, customer and date. */
    qsort(lines, rows - 1, sizeof(*lines), compare_lines);
    for (unsigned i = 0; i < rows - 1; i++) {
        const char *id = lines[i].id;

        group_fen += lines[i].fen;
        if (i + 1 < rows - 1 && !strcmp(lines[i].key, lines[i + 1].key))
            continue;
        orders++;
        fen += group_fen;
        if (bsearch(&id, returned, ret_rows - 1, sizeof(*returned), compare_strings)) {
            refunds++;
            refund_fen += group_fen;
        }
        group_fen = 0;
    }

    report = import_mapped(fx, ss->path, ss->map);
    assert_int_equal(entity_rows(report, "orders"), orders + refunds);
    assert_int_equal(entity_rows(report, "org_units"), ss->units);
    assert_int_equal(entity_rows(report, "employees"), ss->employees);
    assert_int_equal(query_int(fx, "SELECT SUM(amount) FROM orders WHERE status = 'completed'"),
                     fen);
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM orders WHERE status = 'refunded'"),
                     refunds);
    assert_int_equal(query_int(fx, "SELECT SUM(amount) FROM orders WHERE status = 'refunded'"),
                     refund_fen);
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM orders WHERE employee_id IS NULL"), 0);
    for (unsigned r = 0; r + 1 < ret_rows; r++)
        free(returned[r]);
    free(returned);
    free(lines);
    json_decref(report);
}

static void superstore_cn_orders_and_returns(void **state)
{
    /* 订单 ID, 订单日期, 客户 ID, 销售额; 退货's 订单 ID. The company and 6
     * regions; one manager per region. */
    static const struct superstore cn = {
        SUPERSTORE, EXAMPLE("cn-superstore.map.json"), 1, 2, 5, 16, 0, 7, 6};

    check_superstore(*state, &cn);
}

static void superstore_us_orders_and_returns(void **state)
{
    /* Order ID, Order Date, Customer ID, Sales; Returns' Order ID. The
     * company and 4 regions; one manager per region. */
    static const struct superstore us = {
        SUPERSTORE_US, EXAMPLE("superstore.map.json"), 1, 2, 5, 17, 1, 5, 4};

    check_superstore(*state, &us);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(crm_won_deals, setup, teardown),
        cmocka_unit_test_setup_teardown(retail_invoices, setup, teardown),
        cmocka_unit_test_setup_teardown(cdnow_sample, setup, teardown),
        cmocka_unit_test_setup_teardown(cdnow_master, setup, teardown),
        cmocka_unit_test_setup_teardown(superstore_cn_orders_and_returns, setup, teardown),
        cmocka_unit_test_setup_teardown(superstore_us_orders_and_returns, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
