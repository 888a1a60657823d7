/*
 * Unit tests of the metrics library on a database filled through the
 * db layer: an employee's unit on a day (overlapping assignments, gaps,
 * after leaving), the rollups being built on first use, children
 * scorecards, monthly series and the scorecard JSON.
 *
 * Units: U (root) with teams A and B.
 *   P1: no assignments, employees.unit_id A.
 *   P2: A 01-01..01-31, B from 01-15 (open), A 02-10..02-20; left 03-10.
 *   P3: A 01-01..01-31 and A from 03-01, nothing in February; its
 *       employees.unit_id (B) does not count because it has assignments.
 * Orders (yuan): P1 100 on 01-10 and 200 on 02-10; P2 50 on 02-15 (in A,
 * the latest start among the rows covering it); P3 70 on 02-15 (no
 * unit: company only); P2 30 on 03-12 (after leaving: B, his unit on
 * 03-10).
 */
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "metrics/metrics.h"
#include "metrics/org.h"
#include "support.h"

static const char fixture_sql[] =
    "INSERT INTO org_units (unit_id, name, parent_id, kind) VALUES"
    " ('U', 'U', NULL, 'company'), ('A', 'A', 'U', 'team'), ('B', 'B', 'U', 'team');"
    "INSERT INTO employees (employee_id, name, unit_id, hire_date, leave_date) VALUES"
    " ('P1', 'P1', 'A', '2024-01-01', NULL), ('P2', 'P2', 'A', '2024-01-01', '2024-03-10'),"
    " ('P3', 'P3', 'B', '2024-01-01', NULL);"
    "INSERT INTO assignments (employee_id, unit_id, start_date, end_date) VALUES"
    " ('P2', 'A', '2024-01-01', '2024-01-31'), ('P2', 'B', '2024-01-15', NULL),"
    " ('P2', 'A', '2024-02-10', '2024-02-20'),"
    " ('P3', 'A', '2024-01-01', '2024-01-31'), ('P3', 'A', '2024-03-01', NULL);"
    "INSERT INTO orders (order_id, order_date, order_date_given, employee_id, amount) VALUES"
    " ('O1', '2024-01-10', '2024-01-10', 'P1', 10000),"
    " ('O2', '2024-02-10', '2024-02-10', 'P1', 20000),"
    " ('O3', '2024-02-15', '2024-02-15', 'P2', 5000),"
    " ('O4', '2024-02-15', '2024-02-15', 'P3', 7000),"
    " ('O5', '2024-03-12', '2024-03-12', 'P2', 3000);";

struct fixture {
    char *dir;
    struct db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct strbuf err = STRBUF_INIT;
    char *path;

    f->dir = make_temp_dir();
    path = path_join(f->dir, "engine.db");
    if (db_open(&f->db, path, DB_OPEN_CREATE, &err) || db_exec(f->db, fixture_sql, &err))
        fail_msg("%s", err.buf);
    free(path);
    sb_release(&err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    db_close(f->db);
    remove_tree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static cdate day(const char *s)
{
    cdate d;

    assert_int_equal(date_parse(s, &d), 0);
    return d;
}

static void unit_on_a_day(void **state)
{
    struct fixture *f = *state;
    struct strbuf err = STRBUF_INIT;
    struct org org;
    int a, b, p1, p2, p3;

    assert_int_equal(org_load(f->db, &org, &err), 0);
    a = org_unit_rank(&org, "A");
    b = org_unit_rank(&org, "B");
    p1 = org_employee_rank(&org, "P1");
    p2 = org_employee_rank(&org, "P2");
    p3 = org_employee_rank(&org, "P3");
    assert_true(a >= 0 && b >= 0 && p1 >= 0 && p2 >= 0 && p3 >= 0);

    assert_int_equal(org_unit_at(&org, p1, day("2024-06-01")), a);
    assert_int_equal(org_unit_at(&org, p2, day("2024-01-10")), a);
    /* A and B both cover 01-20 and 02-15: the latest start wins. */
    assert_int_equal(org_unit_at(&org, p2, day("2024-01-20")), b);
    assert_int_equal(org_unit_at(&org, p2, day("2024-02-15")), a);
    /* The end date is inclusive. */
    assert_int_equal(org_unit_at(&org, p2, day("2024-02-20")), a);
    assert_int_equal(org_unit_at(&org, p2, day("2024-02-21")), b);
    /* After leaving: the unit of the leave date. */
    assert_int_equal(org_unit_at(&org, p2, day("2024-05-01")), b);
    /* Assignments with a gap: no unit, not employees.unit_id. */
    assert_int_equal(org_unit_at(&org, p3, day("2024-02-15")), -1);
    assert_int_equal(org_unit_at(&org, p3, day("2024-03-01")), a);

    assert_true(org_employed(&org, p2, day("2024-03-10")));
    assert_false(org_employed(&org, p2, day("2024-03-11")));
    assert_false(org_employed(&org, p1, day("2023-12-31")));
    org_free(&org);
    sb_release(&err);
}

/* The fixture was never refreshed: the first scorecard builds the
 * rollups itself. */
static void series_builds_rollups(void **state)
{
    struct fixture *f = *state;
    struct strbuf err = STRBUF_INIT;
    struct metric_value company[4], unit_a[4], unit_b[4];
    int jan = 2024 * 12;

    assert_int_equal(metrics_series(f->db, "company", M_SALES, jan, 4, day("2024-03-15"), company,
                                    &err),
                     0);
    assert_int_equal(metrics_series(f->db, "unit:A", M_SALES, jan, 4, day("2024-03-15"), unit_a,
                                    &err),
                     0);
    assert_int_equal(metrics_series(f->db, "unit:B", M_SALES, jan, 4, day("2024-03-15"), unit_b,
                                    &err),
                     0);
    /* January: O1 100. February: O2 200 + O3 50 + O4 70 (company only). */
    assert_true(company[0].available && company[0].value == 100);
    assert_true(company[1].available && company[1].value == 320);
    assert_true(unit_a[1].value == 250);
    assert_true(unit_b[1].available && unit_b[1].value == 0);
    /* March is partial: O5 on 03-12 by P2 after leaving, in B. */
    assert_true(company[2].value == 30);
    assert_true(unit_b[2].value == 30);
    /* April starts after the as-of date. */
    assert_false(company[3].available);
    sb_release(&err);
}

static void children_of_root(void **state)
{
    struct fixture *f = *state;
    struct strbuf err = STRBUF_INIT;
    struct scorecard *cards = NULL;
    struct period feb;
    size_t n = 0;

    assert_int_equal(period_parse("2024-02", &feb), 0);
    assert_int_equal(metrics_child_scorecards(f->db, NULL, &feb, day("2024-04-30"), &cards, &n,
                                              &err),
                     0);
    assert_int_equal(n, 2);
    assert_string_equal(cards[0].scope, "unit:A");
    assert_string_equal(cards[1].scope, "unit:B");
    assert_true(cards[0].values[M_SALES].value == 250);
    assert_true(cards[1].values[M_SALES].value == 0);
    /* Headcount on 02-29: A has P1 (P2 is in B after 02-20); P3 none. */
    assert_true(cards[0].values[M_HEADCOUNT].value == 1);
    assert_true(cards[1].values[M_HEADCOUNT].value == 1);
    assert_false(cards[0].partial);
    for (size_t i = 0; i < n; i++)
        scorecard_free(&cards[i]);
    free(cards);

    assert_int_equal(metrics_child_scorecards(f->db, "NOPE", &feb, day("2024-04-30"), &cards, &n,
                                              &err),
                     METRICS_UNKNOWN_SCOPE);
    sb_release(&err);
}

static void scorecard_json_shape(void **state)
{
    struct fixture *f = *state;
    struct strbuf err = STRBUF_INIT;
    struct scorecard sc;
    struct period feb;
    bool selected[METRIC_COUNT] = {false};
    json_t *all, *some;

    assert_int_equal(period_parse("2024-02", &feb), 0);
    assert_int_equal(metrics_scorecard(f->db, "company", &feb, day("2024-02-20"), &sc, &err), 0);
    all = scorecard_to_json(&sc, NULL);
    selected[M_SALES] = true;
    some = scorecard_to_json(&sc, selected);
    scorecard_free(&sc);

    assert_string_equal(json_string_value(json_object_get(all, "period")), "2024-02");
    assert_string_equal(json_string_value(json_object_get(all, "as_of")), "2024-02-20");
    assert_true(json_is_true(json_object_get(all, "partial")));
    assert_int_equal(json_object_size(json_object_get(all, "metrics")), METRIC_COUNT);
    /* No customers at all: customer metrics are null. */
    assert_true(json_is_null(json_object_get(json_object_get(all, "metrics"), "new_customers")));
    /* Up to 02-20: O2 200 + O3 50 + O4 70. */
    assert_int_equal(json_integer_value(json_object_get(json_object_get(some, "metrics"), "sales")),
                     320);
    assert_int_equal(json_object_size(json_object_get(some, "metrics")), 1);

    assert_int_equal(metrics_scorecard(f->db, "team:A", &feb, day("2024-02-20"), &sc, &err),
                     METRICS_BAD_SCOPE);
    json_decref(all);
    json_decref(some);
    sb_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unit_on_a_day),
        cmocka_unit_test(series_builds_rollups),
        cmocka_unit_test(children_of_root),
        cmocka_unit_test(scorecard_json_shape),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
