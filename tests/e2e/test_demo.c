/*
 * End-to-end tests of "cairn demo": the same seed gives byte-identical
 * files, another seed other files, the small company has its stated
 * size, every file imports cleanly, and the planted stories' figures
 * hold when recomputed here from the CSV files alone. Also the demo
 * database mode: it is built, rebuilt, and never replaces a file that
 * is not a demo database.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server.h"
#include "support.h"
#include "util/csv.h"
#include "util/date.h"
#include "util/decimal.h"

static const char *const files[] = {
    "org_units.csv", "employees.csv", "assignments.csv", "customers.csv",
    "customer_owners.csv", "orders.csv", "visits.csv", "customer_surveys.csv",
    "employee_surveys.csv", "courses.csv", "trainings.csv", "skills.csv",
    "payroll.csv", "expenses.csv", "targets.csv", "market.csv",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

/* One CSV file held in memory: header and rows of fields. */
struct table {
    size_t ncols, nrows;
    char **header;
    char ***rows;
};

static struct table load(const char *dir, const char *name)
{
    char *path = path_join(dir, name);
    FILE *fp = fopen(path, "r");
    struct csv_options opts = CSV_OPTIONS_INIT;
    struct csv_reader *r;
    struct csv_record *rec;
    struct strbuf err = STRBUF_INIT;
    struct table t = {0};
    size_t alloc = 0;
    int rc;

    assert_non_null(fp);
    r = csv_open(fp, &opts);
    while ((rc = csv_next(r, &rec, &err)) == 1) {
        char **fields = calloc(rec->nfields, sizeof(*fields));

        for (size_t i = 0; i < rec->nfields; i++)
            fields[i] = strdup(rec->fields[i]);
        if (!t.header) {
            t.header = fields;
            t.ncols = rec->nfields;
            continue;
        }
        assert_int_equal(rec->nfields, t.ncols);
        if (t.nrows == alloc) {
            alloc = alloc ? 2 * alloc : 1024;
            t.rows = realloc(t.rows, alloc * sizeof(*t.rows));
        }
        t.rows[t.nrows++] = fields;
    }
    assert_int_equal(rc, 0);
    csv_close(r);
    fclose(fp);
    free(path);
    sb_release(&err);
    return t;
}

static void unload(struct table *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->ncols; j++)
            free(t->rows[i][j]);
        free(t->rows[i]);
    }
    for (size_t j = 0; j < t->ncols; j++)
        free(t->header[j]);
    free(t->header);
    free(t->rows);
}

static size_t col(const struct table *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (!strcmp(t->header[j], name))
            return j;
    fail_msg("column %s missing", name);
    return 0;
}

static int64_t money(const char *s)
{
    int64_t v;

    assert_int_equal(decimal_parse(s, &v), DECIMAL_OK);
    return v;
}

static cdate day_of(const char *s)
{
    char buf[DATE_BUFSIZE];
    cdate d;

    /* Timestamps in the demo carry +08:00, so their date part is the day. */
    snprintf(buf, sizeof(buf), "%.10s", s);
    assert_int_equal(date_parse(buf, &d), 0);
    return d;
}

static cdate ymd(int y, int m, int d)
{
    cdate out;

    assert_int_equal(date_from_ymd(y, m, d, &out), 0);
    return out;
}

static void generate(const char *dir, const char *seed)
{
    struct run_result r = run_cairn(NULL, NULL, ARGS("demo", "--out", dir, "--seed", seed));

    assert_int_equal(r.status, 0);
    run_result_free(&r);
}

/* The small company of seed 1, generated once for the figure tests, its
 * demo database and story manifest. */
static char *small_dir, *small_db, *small_stories;

static int setup(void **state)
{
    char *base = make_temp_dir();
    struct run_result r;

    (void)state;
    small_dir = path_join(base, "seed1");
    small_db = path_join(base, "demo.db");
    small_stories = path_join(base, "stories.json");
    generate(small_dir, "1");
    r = run_cairn(NULL, NULL,
                  ARGS("--db", small_db, "demo", "--no-serve", "--stories", small_stories));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    free(base);
    return 0;
}

/* One metric of "cairn kpi" as of the demo's end date. */
static double kpi(const char *scope, const char *period, const char *metric)
{
    json_t *v = run_cairn_json(NULL,
                               ARGS("--db", small_db, "kpi", "--period", period, "--scope", scope,
                                    "--as-of", "2026-11-30", "--metrics", metric, "--format",
                                    "json"),
                               0);
    json_t *value = json_object_get(json_object_get(v, "metrics"), metric);
    double out;

    assert_true(json_is_number(value));
    out = json_number_value(value);
    json_decref(v);
    return out;
}

/* The metrics engine computes the story figures the way the manifest
 * states them. */
static void kpi_matches_stories(void **state)
{
    (void)state;
    assert_float_equal(kpi("unit:HZ03", "2026-11", "labor_cost_ratio"), 0.2885, 1e-12);
    assert_float_equal(kpi("unit:HZ03", "2026-11", "labor_cost"), 69240, 1e-9);
    assert_float_equal(kpi("unit:SH03", "2026-11", "labor_cost_ratio"), 0.25, 1e-12);
    assert_float_equal(kpi("unit:GZ01", "2026-10", "attrition_rate"), 0, 1e-12);
    assert_float_equal(kpi("unit:GZ01", "2026-11", "attrition_rate"), 2.0 / 9.0, 1e-12);
    assert_float_equal(kpi("unit:GZ01", "2026-10", "employee_satisfaction"), 7.6, 1e-12);
    assert_float_equal(kpi("unit:GZ01", "2026-11", "employee_satisfaction"), 7.23125, 1e-12);
    assert_float_equal(kpi("unit:SZ01", "2026-11", "attrition_rate"), 1 / 20.5, 1e-12);
    assert_float_equal(kpi("unit:SZ01", "2026-10", "employee_satisfaction"), 8.0, 1e-12);
    assert_float_equal(kpi("unit:SZ01", "2026-11", "employee_satisfaction"), 7.5, 1e-12);
    assert_float_equal(kpi("unit:HZ01", "2026-08", "new_customers"), 6, 0);
    assert_float_equal(kpi("unit:HZ01", "2026-11", "new_customers"), 3, 0);
    assert_float_equal(kpi("unit:SH01", "2026-11", "new_customers"), 4, 0);
    assert_float_equal(kpi("employee:E00002", "2026-10", "sales"), 38750.5, 1e-9);
    assert_float_equal(kpi("company", "2026-11", "at_risk_customers"), 2, 0);
}

/* Whether two JSON values are equal, numbers within 1e-9 (an integer
 * and a real of the same value are equal). */
static bool json_close(json_t *a, json_t *b)
{
    size_t i;
    json_t *x;
    const char *key;

    if (json_is_number(a) && json_is_number(b))
        return fabs(json_number_value(a) - json_number_value(b)) < 1e-9;
    if (json_is_array(a) && json_is_array(b)) {
        if (json_array_size(a) != json_array_size(b))
            return false;
        json_array_foreach(a, i, x)
            if (!json_close(x, json_array_get(b, i)))
                return false;
        return true;
    }
    if (json_is_object(a) && json_is_object(b)) {
        json_object_foreach(a, key, x)
            if (!json_close(x, json_object_get(b, key)))
                return false;
        return true;
    }
    return json_equal(a, b);
}

/* "cairn alerts" returns exactly the manifest's warnings, once that
 * command exists. */
static void alerts_match_manifest(void **state)
{
    struct run_result probe = run_cairn(NULL, NULL, ARGS("alerts", "--help"));
    json_t *manifest, *expected, *actual, *a;
    json_error_t error;
    size_t i;

    (void)state;
    if (probe.status != 0) {
        run_result_free(&probe);
        skip();
    }
    run_result_free(&probe);
    manifest = json_load_file(small_stories, 0, &error);
    assert_non_null(manifest);
    expected = json_object_get(manifest, "alerts");
    actual = run_cairn_json(NULL,
                            ARGS("--db", small_db, "alerts", "--as-of", "2026-11-30", "--format",
                                 "json"),
                            0);
    assert_int_equal(json_array_size(actual), json_array_size(expected));
    json_array_foreach(expected, i, a) {
        json_t *b = json_array_get(actual, i);
        const char *keys[] = {"rule", "scope", "period", "subject"};

        for (size_t k = 0; k < 4; k++)
            assert_string_equal(json_string_value(json_object_get(b, keys[k])),
                                json_string_value(json_object_get(a, keys[k])));
        assert_true(json_equal(json_object_get(b, "owner"), json_object_get(a, "owner")));
        assert_true(json_close(json_object_get(a, "figures"), json_object_get(b, "figures")));
    }
    json_decref(actual);
    json_decref(manifest);
}

static void same_seed_same_bytes(void **state)
{
    char *base = make_temp_dir(), *other = path_join(base, "again");

    (void)state;
    generate(other, "1");
    for (size_t i = 0; i < NFILES; i++) {
        char *pa = path_join(small_dir, files[i]), *pb = path_join(other, files[i]);
        size_t la, lb;
        char *a = read_file(pa, &la), *b = read_file(pb, &lb);

        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
        free(a);
        free(b);
        free(pa);
        free(pb);
    }
    remove_tree(base);
    free(other);
    free(base);
}

static void other_seed_other_files(void **state)
{
    char *base = make_temp_dir(), *other = path_join(base, "seed2");
    const char *changed[] = {"employees.csv", "orders.csv", "customers.csv"};

    (void)state;
    generate(other, "2");
    for (size_t i = 0; i < 3; i++) {
        char *pa = path_join(small_dir, changed[i]), *pb = path_join(other, changed[i]);
        size_t la, lb;
        char *a = read_file(pa, &la), *b = read_file(pb, &lb);

        assert_false(la == lb && !memcmp(a, b, la));
        free(a);
        free(b);
        free(pa);
        free(pb);
    }
    remove_tree(base);
    free(other);
    free(base);
}

static void small_size_counts(void **state)
{
    struct table t;

    (void)state;
    t = load(small_dir, "org_units.csv");
    assert_int_equal(t.nrows, 15); /* HQ, 2 regions, 4 cities, 8 teams */
    unload(&t);
    t = load(small_dir, "employees.csv");
    assert_in_range(t.nrows, 80, 110);
    unload(&t);
    t = load(small_dir, "orders.csv");
    assert_int_equal(t.nrows, 5000);
    unload(&t);
    t = load(small_dir, "customers.csv");
    assert_in_range(t.nrows, 400, 1500);
    unload(&t);
    for (size_t i = 0; i < NFILES; i++) {
        t = load(small_dir, files[i]);
        assert_true(t.nrows > 0);
        unload(&t);
    }
}

static void every_file_imports(void **state)
{
    char *base = make_temp_dir(), *db = path_join(base, "import.db");
    struct run_result r;
    json_t *report, *f;
    size_t i;

    (void)state;
    r = run_cairn(NULL, NULL, ARGS("--db", db, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    report = run_cairn_json(NULL, ARGS("--db", db, "import", small_dir, "--format", "json"), 0);
    assert_int_equal(json_array_size(json_object_get(report, "files")), NFILES);
    json_array_foreach(json_object_get(report, "files"), i, f) {
        assert_int_equal(json_integer_value(json_object_get(f, "rejected")), 0);
        assert_int_equal(json_array_size(json_object_get(f, "errors")), 0);
        assert_int_equal(json_integer_value(json_object_get(f, "inserted")),
                         json_integer_value(json_object_get(f, "rows")));
    }
    assert_int_equal(json_array_size(json_object_get(report, "warnings")), 0);
    assert_true(json_is_integer(json_object_get(report, "batch")));
    json_decref(report);
    remove_tree(base);
    free(db);
    free(base);
}

/* Sales contribution of one order row, in fen. */
static int64_t contribution(const char *amount, const char *status)
{
    int64_t a = money(amount);

    if (!strcmp(status, "cancelled"))
        return 0;
    if (!strcmp(status, "refunded"))
        return a < 0 ? a : -a;
    return a;
}

/* Sales credited to employee in the month starting on first. */
static int64_t month_sales(const struct table *o, const char *employee, cdate first)
{
    size_t cd = col(o, "order_date"), ce = col(o, "employee_id"), ca = col(o, "amount"),
           cs = col(o, "status");
    cdate last = date_add_months_clamped(first, 1) - 1;
    int64_t sum = 0;

    for (size_t i = 0; i < o->nrows; i++) {
        cdate d = day_of(o->rows[i][cd]);

        if (!strcmp(o->rows[i][ce], employee) && d >= first && d <= last)
            sum += contribution(o->rows[i][ca], o->rows[i][cs]);
    }
    return sum;
}

static void below_minimum_figures(void **state)
{
    struct table o = load(small_dir, "orders.csv");

    (void)state;
    /* E00002 fires: under 50,000 in each of the three months. */
    assert_int_equal(month_sales(&o, "E00002", ymd(2026, 9, 1)), 4230000);
    assert_int_equal(month_sales(&o, "E00002", ymd(2026, 10, 1)), 3875050);
    assert_int_equal(month_sales(&o, "E00002", ymd(2026, 11, 1)), 3120000);
    /* E00019 just misses: exactly 50,000.00 in October. */
    assert_int_equal(month_sales(&o, "E00019", ymd(2026, 9, 1)), 4800000);
    assert_int_equal(month_sales(&o, "E00019", ymd(2026, 10, 1)), 5000000);
    assert_int_equal(month_sales(&o, "E00019", ymd(2026, 11, 1)), 4500000);
    unload(&o);
}

/* The last purchase (completed, amount > 0) of a customer. */
static cdate last_purchase(const struct table *o, const char *customer)
{
    size_t cd = col(o, "order_date"), cc = col(o, "customer_id"), ca = col(o, "amount"),
           cs = col(o, "status");
    cdate last = DATE_NONE;

    for (size_t i = 0; i < o->nrows; i++) {
        cdate d = day_of(o->rows[i][cd]);

        if (!strcmp(o->rows[i][cc], customer) && !strcmp(o->rows[i][cs], "completed") &&
            money(o->rows[i][ca]) > 0 && (last == DATE_NONE || d > last))
            last = d;
    }
    return last;
}

static void silent_customer_figures(void **state)
{
    struct table o = load(small_dir, "orders.csv"), s = load(small_dir, "customer_surveys.csv");
    cdate end = ymd(2026, 11, 30);
    size_t cc = col(&s, "customer_id"), cd = col(&s, "survey_date"), cs = col(&s, "score");
    int64_t sum = 0;
    int n = 0;

    (void)state;
    assert_int_equal(last_purchase(&o, "C000001"), end - 181);
    assert_int_equal(last_purchase(&o, "C000002"), end - 289);
    assert_int_equal(last_purchase(&o, "C000003"), end - 180);
    assert_int_equal(last_purchase(&o, "C000004"), end - 300);

    /* C000002's two surveys of 2026-09-05 (a date and a timestamp) average
     * 6.50; C000004's latest is exactly 7.00. */
    for (size_t i = 0; i < s.nrows; i++)
        if (!strcmp(s.rows[i][cc], "C000002") && day_of(s.rows[i][cd]) == ymd(2026, 9, 5)) {
            sum += money(s.rows[i][cs]);
            n++;
        }
    assert_int_equal(n, 2);
    assert_int_equal(sum, 2 * 650);
    for (size_t i = 0; i < s.nrows; i++)
        if (!strcmp(s.rows[i][cc], "C000004") && day_of(s.rows[i][cd]) == ymd(2026, 6, 20))
            assert_int_equal(money(s.rows[i][cs]), 700);
    unload(&o);
    unload(&s);
}

/* Labor cost and sales of November 2026 for a team whose people never
 * moved in 2026 (their unit is employees.unit_id). */
static void team_labor(const char *team, int64_t *labor, int64_t *sales)
{
    struct table e = load(small_dir, "employees.csv"), p = load(small_dir, "payroll.csv"),
                 o = load(small_dir, "orders.csv");
    size_t eid = col(&e, "employee_id"), eunit = col(&e, "unit_id");

    *labor = *sales = 0;
    for (size_t i = 0; i < e.nrows; i++) {
        const char *id = e.rows[i][eid];

        if (strcmp(e.rows[i][eunit], team))
            continue;
        *sales += month_sales(&o, id, ymd(2026, 11, 1));
        for (size_t k = 0; k < p.nrows; k++)
            if (!strcmp(p.rows[k][col(&p, "employee_id")], id) &&
                !strcmp(p.rows[k][col(&p, "month")], "2026-11"))
                *labor += money(p.rows[k][col(&p, "base_pay")]) +
                          money(p.rows[k][col(&p, "variable_pay")]) +
                          money(p.rows[k][col(&p, "employer_cost")]);
    }
    unload(&e);
    unload(&p);
    unload(&o);
}

static void labor_cost_figures(void **state)
{
    int64_t labor, sales;

    (void)state;
    team_labor("HZ03", &labor, &sales);
    assert_int_equal(labor, 6924000);
    assert_int_equal(sales, 24000000);
    team_labor("SH03", &labor, &sales);
    assert_int_equal(labor, 7050000);
    assert_int_equal(sales, 28200000);
    assert_int_equal(4 * labor, sales); /* exactly 25 % */
}

/* New customers of HZ01 and SH01 in August to November 2026: customers
 * whose first purchase was sold by a member of the team. */
static void new_customer_figures(void **state)
{
    struct table o = load(small_dir, "orders.csv"), e = load(small_dir, "employees.csv");
    size_t cd = col(&o, "order_date"), cc = col(&o, "customer_id"), ce = col(&o, "employee_id"),
           ca = col(&o, "amount"), cs = col(&o, "status"), cid = col(&o, "order_id");
    const char *teams[] = {"HZ01", "SH01"};
    const int expected[2][4] = {{6, 5, 4, 3}, {6, 5, 4, 4}};
    int counts[2][4] = {{0}};

    (void)state;
    for (size_t i = 0; i < o.nrows; i++) {
        cdate d = day_of(o.rows[i][cd]);
        bool first = true;
        int m;

        if (!*o.rows[i][cc] || strcmp(o.rows[i][cs], "completed") || money(o.rows[i][ca]) <= 0)
            continue;
        for (size_t k = 0; k < o.nrows && first; k++) {
            cdate dk = day_of(o.rows[k][cd]);

            if (k != i && !strcmp(o.rows[k][cc], o.rows[i][cc]) &&
                !strcmp(o.rows[k][cs], "completed") && money(o.rows[k][ca]) > 0 &&
                (dk < d || (dk == d && strcmp(o.rows[k][cid], o.rows[i][cid]) < 0)))
                first = false;
        }
        m = date_month_index(d) - date_month_index(ymd(2026, 8, 1));
        if (!first || m < 0 || m > 3)
            continue;
        for (size_t k = 0; k < e.nrows; k++)
            if (!strcmp(e.rows[k][col(&e, "employee_id")], o.rows[i][ce]))
                for (int t = 0; t < 2; t++)
                    if (!strcmp(e.rows[k][col(&e, "unit_id")], teams[t]))
                        counts[t][m]++;
    }
    for (int t = 0; t < 2; t++)
        for (int m = 0; m < 4; m++)
            assert_int_equal(counts[t][m], expected[t][m]);
    unload(&o);
    unload(&e);
}

static void training_figures(void **state)
{
    struct table t = load(small_dir, "trainings.csv");
    size_t ce = col(&t, "employee_id"), cc = col(&t, "course_id"), ca = col(&t, "assigned_date"),
           cd = col(&t, "due_date"), cx = col(&t, "completed_date");
    int seen = 0;

    (void)state;
    for (size_t i = 0; i < t.nrows; i++) {
        char **r = t.rows[i];

        if (!strcmp(r[ce], "E00020") && !strcmp(r[cc], "C05") && !strcmp(r[ca], "2026-09-15")) {
            assert_string_equal(r[cd], "2026-10-31");
            assert_string_equal(r[cx], "");
            seen++;
        }
        if (!strcmp(r[ce], "E00027") && !strcmp(r[cc], "C05") && !strcmp(r[ca], "2026-10-20")) {
            assert_string_equal(r[cd], "2026-11-20");
            assert_string_equal(r[cx], "2026-11-20"); /* completed on its due date */
            seen++;
        }
    }
    assert_int_equal(seen, 2);
    unload(&t);
}

static void stories_manifest(void **state)
{
    char *base = make_temp_dir(), *out = path_join(base, "out"), *json = path_join(base, "s.json");
    struct run_result r = run_cairn(NULL, NULL, ARGS("demo", "--out", out, "--stories", json));
    json_error_t error;
    json_t *m, *alerts;

    (void)state;
    assert_int_equal(r.status, 0);
    m = json_load_file(json, 0, &error);
    assert_non_null(m);
    alerts = json_object_get(m, "alerts");
    assert_int_equal(json_array_size(alerts), 9);
    assert_int_equal(json_array_size(json_object_get(m, "stories")), 19);
    assert_string_equal(json_string_value(json_object_get(json_array_get(alerts, 0), "rule")),
                        "new_customers_falling");
    assert_string_equal(json_string_value(json_object_get(json_array_get(alerts, 8), "subject")),
                        "E00020/C05/2026-09-15");
    assert_string_equal(json_string_value(json_object_get(m, "as_of")), "2026-11-30");
    json_decref(m);
    run_result_free(&r);
    remove_tree(base);
    free(out);
    free(json);
    free(base);
}

static void demo_database_mode(void **state)
{
    char *base = make_temp_dir(), *db = path_join(base, "my.db"), *other = path_join(base, "real.db");
    struct run_result r;
    char *before, *after, *demo_db;
    size_t lb, la;

    (void)state;
    /* Built, then rebuilt in place. */
    r = run_cairn(base, NULL, ARGS("--db", db, "demo", "--no-serve"));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "5000"));
    assert_non_null(strstr(r.out, "demo-gm-2026"));
    run_result_free(&r);
    r = run_cairn(base, NULL, ARGS("--db", db, "demo", "--seed", "2", "--no-serve"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);

    /* Without --db: ./demo.db in the current folder. */
    r = run_cairn(base, NULL, ARGS("demo", "--no-serve"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    demo_db = path_join(base, "demo.db");
    assert_int_equal(access(demo_db, F_OK), 0);
    free(demo_db);

    /* A database that is not a demo is refused and left as it was. */
    r = run_cairn(base, NULL, ARGS("--db", other, "init"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    before = read_file(other, &lb);
    r = run_cairn(base, NULL, ARGS("--db", other, "demo", "--no-serve"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "real.db"));
    run_result_free(&r);
    after = read_file(other, &la);
    assert_int_equal(la, lb);
    assert_memory_equal(before, after, la);
    free(before);
    free(after);

    /* Nor is any other file. */
    free(write_file(base, "notes.txt", "not a database\n"));
    r = run_cairn(base, NULL, ARGS("--db", "notes.txt", "demo", "--no-serve"));
    assert_int_equal(r.status, 1);
    run_result_free(&r);
    remove_tree(base);
    free(db);
    free(other);
    free(base);
}

/* Each demo account logs in to the server with its printed password. */
static void demo_logins_work(void **state)
{
    static const char *const accounts[][2] = {
        {"demo-gm", "demo-gm-2026"},         {"demo-lead", "demo-lead-2026"},
        {"demo-hr", "demo-hr-2026"},         {"demo-finance", "demo-finance-2026"},
        {"demo-rep", "demo-rep-2026"},
    };
    char *base = make_temp_dir(), *db = path_join(base, "demo.db");
    struct test_server server;
    struct run_result r;

    (void)state;
    r = run_cairn(base, NULL, ARGS("--db", db, "demo", "--no-serve"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    test_server_start(&server, db);
    for (size_t i = 0; i < sizeof(accounts) / sizeof(accounts[0]); i++)
        free(test_log_in(&server, accounts[i][0], accounts[i][1], NULL));
    assert_int_equal(test_server_stop(&server), 0);
    remove_tree(base);
    free(db);
    free(base);
}

static void usage_errors(void **state)
{
    char *base = make_temp_dir();
    const char *const *bad[] = {
        ARGS("demo", "--size", "huge"),       ARGS("demo", "--seed", "-1"),
        ARGS("demo", "--seed", "x"),          ARGS("demo", "--listen", "8080"),
        ARGS("demo", "--listen", "a:70000"),  ARGS("demo", "--bogus"),
        ARGS("demo", "extra"),
    };
    struct run_result r;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = run_cairn(base, NULL, bad[i]);
        assert_int_equal(r.status, 2);
        run_result_free(&r);
    }
    /* --out into a folder that is not empty. */
    free(write_file(base, "full/x.txt", "x"));
    r = run_cairn(base, NULL, ARGS("demo", "--out", "full"));
    assert_int_equal(r.status, 1);
    run_result_free(&r);
    remove_tree(base);
    free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_bytes),  cmocka_unit_test(other_seed_other_files),
        cmocka_unit_test(small_size_counts),     cmocka_unit_test(every_file_imports),
        cmocka_unit_test(below_minimum_figures), cmocka_unit_test(silent_customer_figures),
        cmocka_unit_test(labor_cost_figures),    cmocka_unit_test(new_customer_figures),
        cmocka_unit_test(training_figures),      cmocka_unit_test(stories_manifest),
        cmocka_unit_test(kpi_matches_stories),   cmocka_unit_test(alerts_match_manifest),
        cmocka_unit_test(demo_database_mode),    cmocka_unit_test(demo_logins_work),
        cmocka_unit_test(usage_errors),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
