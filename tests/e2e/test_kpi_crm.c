/*
 * "cairn kpi" on a real CRM export: the Maven Analytics "CRM Sales
 * Opportunities" data set (sales_teams.csv, accounts.csv,
 * sales_pipeline.csv). The test turns it into canonical files, imports
 * them with the real "cairn import", and checks sales per regional
 * office and quarter of 2017, new customers per quarter and the top-20 %
 * customer share against sums computed here straight from the raw file.
 *
 * The conversion: the company is one root unit; each regional office is
 * a region and each manager a team under it; each agent an employee of
 * the manager's team, hired on 2016-01-01 (the export has no hire dates,
 * and every deal closes later); each account a customer; each Won deal
 * an order on its close_date for its close_value. Lost and open deals
 * are not sales. The files hold no quoted fields, so lines are split on
 * commas.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define CRM_DIR CAIRN_SHARED_DATA "/maven-crm-sales-opportunities/CRM+Sales+Opportunities"
#define MAX_ROWS 10000
#define MAX_FIELDS 8

struct table {
    char *fields[MAX_ROWS][MAX_FIELDS];
    size_t nrows; /* without the header */
};

/* Reads a comma-separated file without quoting into t. */
static void read_table(const char *name, struct table *t)
{
    char path[512], line[1024];
    FILE *f;
    bool header = true;

    snprintf(path, sizeof(path), "%s/%s", CRM_DIR, name);
    f = fopen(path, "r");
    assert_non_null(f);
    t->nrows = 0;
    while (fgets(line, sizeof(line), f)) {
        char *p = line, *comma;
        size_t n = 0;

        line[strcspn(line, "\r\n")] = '\0';
        if (header) {
            header = false;
            continue;
        }
        assert_true(t->nrows < MAX_ROWS);
        for (;;) {
            comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            assert_true(n < MAX_FIELDS);
            t->fields[t->nrows][n++] = strdup(p);
            if (!comma)
                break;
            p = comma + 1;
        }
        while (n < MAX_FIELDS)
            t->fields[t->nrows][n++] = NULL;
        t->nrows++;
    }
    fclose(f);
}

static void free_table(struct table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        for (size_t k = 0; k < MAX_FIELDS; k++)
            free(t->fields[i][k]);
}

struct crm {
    char *dir;
    char *db;
    struct table teams, accounts, pipeline;
};

/* Appends a line to a growing text buffer. */
static void append(char **buf, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char **buf, size_t *len, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    *buf = realloc(*buf, *len + (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(*buf + *len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *len += (size_t)n;
}

/* Writes the canonical files: org_units, employees, customers, orders. */
static void write_canonical(struct crm *c, const char *folder)
{
    char *units = NULL, *people = NULL, *customers = NULL, *orders = NULL;
    size_t ul = 0, pl = 0, cl = 0, ol = 0;

    append(&units, &ul, "unit_id,name,parent_id,kind,manager_id\nCRM,CRM,,company,\n");
    append(&people, &pl, "employee_id,name,unit_id,position,hire_date\n");
    for (size_t i = 0; i < c->teams.nrows; i++) {
        char **row = c->teams.fields[i]; /* sales_agent, manager, regional_office */
        bool new_office = true, new_manager = true;

        for (size_t k = 0; k < i; k++) {
            new_office = new_office && strcmp(c->teams.fields[k][2], row[2]);
            new_manager = new_manager && strcmp(c->teams.fields[k][1], row[1]);
        }
        if (new_office)
            append(&units, &ul, "%s,%s,CRM,region,\n", row[2], row[2]);
        if (new_manager)
            append(&units, &ul, "%s-%s,%s,%s,team,\n", row[2], row[1], row[1], row[2]);
        append(&people, &pl, "%s,%s,%s-%s,sales,2016-01-01\n", row[0], row[0], row[2], row[1]);
    }
    append(&customers, &cl, "customer_id,name\n");
    for (size_t i = 0; i < c->accounts.nrows; i++)
        append(&customers, &cl, "%s,%s\n", c->accounts.fields[i][0], c->accounts.fields[i][0]);
    append(&orders, &ol, "order_id,order_date,customer_id,employee_id,amount\n");
    for (size_t i = 0; i < c->pipeline.nrows; i++) {
        char **row = c->pipeline.fields[i];

        if (!strcmp(row[4], "Won"))
            append(&orders, &ol, "%s,%s,%s,%s,%s\n", row[0], row[6], row[3], row[1], row[7]);
    }
    free(write_file(folder, "org_units.csv", units));
    free(write_file(folder, "employees.csv", people));
    free(write_file(folder, "customers.csv", customers));
    free(write_file(folder, "orders.csv", orders));
    free(units);
    free(people);
    free(customers);
    free(orders);
}

static int setup(void **state)
{
    struct crm *c = calloc(1, sizeof(*c));
    char *folder;
    struct run_result r;

    read_table("sales_teams.csv", &c->teams);
    read_table("accounts.csv", &c->accounts);
    read_table("sales_pipeline.csv", &c->pipeline);
    c->dir = make_temp_dir();
    folder = path_join(c->dir, "canonical");
    write_canonical(c, folder);
    c->db = path_join(c->dir, "crm.db");
    r = run_cairn(NULL, NULL, ARGS("--db", c->db, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(NULL, NULL, ARGS("--db", c->db, "import", folder));
    if (r.status)
        fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    free(folder);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    struct crm *c = *state;

    remove_tree(c->dir);
    free(c->dir);
    free(c->db);
    free_table(&c->teams);
    free_table(&c->accounts);
    free_table(&c->pipeline);
    free(c);
    return 0;
}

static const char *office_of(const struct crm *c, const char *agent)
{
    for (size_t i = 0; i < c->teams.nrows; i++)
        if (!strcmp(c->teams.fields[i][0], agent))
            return c->teams.fields[i][2];
    return NULL;
}

/* Whether a YYYY-MM-DD date lies in quarter q of 2017. */
static bool in_quarter(const char *date, int q)
{
    int month;

    if (strncmp(date, "2017-", 5))
        return false;
    month = atoi(date + 5);
    return (month - 1) / 3 + 1 == q;
}

static json_t *kpi(const struct crm *c, const char *period, const char *scope)
{
    return run_cairn_json(NULL,
                          ARGS("--db", c->db, "kpi", "--period", period, "--scope", scope,
                               "--as-of", "2017-12-31", "--format", "json"),
                          0);
}

static double metric(json_t *card, const char *name)
{
    json_t *v = json_object_get(json_object_get(card, "metrics"), name);

    assert_true(json_is_number(v));
    return json_number_value(v);
}

static void sales_per_office_and_quarter(void **state)
{
    struct crm *c = *state;
    static const char *const offices[] = {"Central", "East", "West"};

    for (int q = 1; q <= 4; q++) {
        char period[8];
        double company = 0;

        snprintf(period, sizeof(period), "2017-Q%d", q);
        for (size_t o = 0; o < 3; o++) {
            char scope[64];
            double expected = 0;
            json_t *card;

            for (size_t i = 0; i < c->pipeline.nrows; i++) {
                char **row = c->pipeline.fields[i];

                if (!strcmp(row[4], "Won") && in_quarter(row[6], q) &&
                    !strcmp(office_of(c, row[1]), offices[o]))
                    expected += atof(row[7]);
            }
            company += expected;
            snprintf(scope, sizeof(scope), "unit:%s", offices[o]);
            card = kpi(c, period, scope);
            if (metric(card, "sales") != expected)
                fail_msg("%s %s: sales %.2f, expected %.2f", period, offices[o],
                         metric(card, "sales"), expected);
            json_decref(card);
        }
        {
            json_t *card = kpi(c, period, "company");

            assert_true(metric(card, "sales") == company);
            json_decref(card);
        }
    }
}

/* New customers: accounts whose first Won deal closes in the quarter. */
static void new_customers_per_quarter(void **state)
{
    struct crm *c = *state;

    for (int q = 1; q <= 4; q++) {
        char period[8];
        int expected = 0;
        json_t *card;

        for (size_t a = 0; a < c->accounts.nrows; a++) {
            const char *first = NULL;

            for (size_t i = 0; i < c->pipeline.nrows; i++) {
                char **row = c->pipeline.fields[i];

                if (!strcmp(row[4], "Won") && !strcmp(row[3], c->accounts.fields[a][0]) &&
                    (!first || strcmp(row[6], first) < 0))
                    first = row[6];
            }
            expected += first && in_quarter(first, q);
        }
        snprintf(period, sizeof(period), "2017-Q%d", q);
        card = kpi(c, period, "company");
        assert_int_equal((int)metric(card, "new_customers"), expected);
        json_decref(card);
    }
}

static int compare_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? 1 : x > y ? -1 : 0;
}

/* Top-20 % share: the ceil(20 %) accounts with the highest sales in the
 * quarter, over all sales of the quarter. */
static void top_customer_share_per_quarter(void **state)
{
    struct crm *c = *state;

    for (int q = 1; q <= 4; q++) {
        double *per_account = calloc(c->accounts.nrows, sizeof(double));
        double total = 0, top = 0;
        size_t positive = 0;
        char period[8];
        json_t *card;

        for (size_t i = 0; i < c->pipeline.nrows; i++) {
            char **row = c->pipeline.fields[i];

            if (strcmp(row[4], "Won") || !in_quarter(row[6], q))
                continue;
            total += atof(row[7]);
            for (size_t a = 0; a < c->accounts.nrows; a++)
                if (!strcmp(row[3], c->accounts.fields[a][0]))
                    per_account[a] += atof(row[7]);
        }
        qsort(per_account, c->accounts.nrows, sizeof(double), compare_desc);
        while (positive < c->accounts.nrows && per_account[positive] > 0)
            positive++;
        for (size_t a = 0; a < (positive + 4) / 5; a++)
            top += per_account[a];

        snprintf(period, sizeof(period), "2017-Q%d", q);
        card = kpi(c, period, "company");
        if (fabs(metric(card, "top20_customer_share") - top / total) > 1e-13)
            fail_msg("%s: share %.15g, expected %.15g", period,
                     metric(card, "top20_customer_share"), top / total);
        json_decref(card);
        free(per_account);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sales_per_office_and_quarter),
        cmocka_unit_test(new_customers_per_quarter),
        cmocka_unit_test(top_customer_share_per_quarter),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
