/*
 * Unit tests of the churn model's features (src/models/churn.c) on a
 * small database filled through the db layer, cut-off 2024-12-31. The
 * window "the last 365 days" is 2024-01-02..2024-12-31 (2024 is a leap
 * year), the 365 days before it 2023-01-02..2024-01-01, the label window
 * 2025-01-01..2025-03-31 and the hand-over window 2024-07-05..2024-12-31.
 *
 *   K1: purchases 2023-07-01 (100 yuan), 2024-10-01 (200 and 300, one
 *       purchase day), 2024-12-01 (400); a refunded order of 50 on
 *       2024-12-10, a completed -100 on 2024-11-01, a cancelled 999 on
 *       2024-12-20; surveys 8.0 on 2024-06-01, 6.0 and 7.0 on
 *       2024-11-15, 1.0 on 2025-01-10 (after the cut-off); owner E1, then
 *       E2 from 2024-11-16; a purchase on 2025-02-01.
 *   K2: one purchase 2024-06-30 (200), the next on 2025-04-01 (day 91).
 *   K3: one purchase on 2024-01-01, exactly 365 days before: no row.
 *   K4: one purchase on 2024-01-02 (364 days before), a cancelled order
 *       on 2024-12-30, a purchase on 2025-03-31 (day 90).
 *   K5: a purchase on the cut-off; owner changed on 2024-07-04, exactly
 *       180 days before, which is outside the window.
 *   K6: no orders; owner E3 from customers.owner_id only.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "models/churn.h"
#include "support.h"

static const char fixture_sql[] =
    "INSERT INTO org_units (unit_id, name, parent_id, kind) VALUES ('U', 'U', NULL, 'company');"
    "INSERT INTO employees (employee_id, name, unit_id, hire_date) VALUES"
    " ('E1', 'E1', 'U', '2020-01-01'), ('E2', 'E2', 'U', '2020-01-01'),"
    " ('E3', 'E3', 'U', '2020-01-01');"
    "INSERT INTO customers (customer_id, owner_id) VALUES ('K1', 'E1'), ('K2', 'E1'),"
    " ('K3', 'E1'), ('K4', 'E1'), ('K5', 'E1'), ('K6', 'E3');"
    "INSERT INTO customer_owners (customer_id, employee_id, start_date, end_date) VALUES"
    " ('K1', 'E1', '2023-01-01', '2024-11-15'), ('K1', 'E2', '2024-11-16', NULL),"
    " ('K2', 'E1', '2024-01-01', NULL),"
    " ('K5', 'E1', '2023-01-01', '2024-07-03'), ('K5', 'E2', '2024-07-04', NULL);"
    "INSERT INTO orders (order_id, order_date, order_date_given, customer_id, amount, status)"
    " VALUES"
    " ('A1', '2023-07-01', '2023-07-01', 'K1', 10000, 'completed'),"
    " ('A2', '2024-10-01', '2024-10-01', 'K1', 20000, 'completed'),"
    " ('A3', '2024-10-01', '2024-10-01', 'K1', 30000, 'completed'),"
    " ('A4', '2024-12-01', '2024-12-01', 'K1', 40000, 'completed'),"
    " ('A5', '2024-12-10', '2024-12-10', 'K1', 5000, 'refunded'),"
    " ('A6', '2024-11-01', '2024-11-01', 'K1', -10000, 'completed'),"
    " ('A7', '2024-12-20', '2024-12-20', 'K1', 99900, 'cancelled'),"
    " ('A8', '2025-02-01', '2025-02-01', 'K1', 10000, 'completed'),"
    " ('B1', '2024-06-30', '2024-06-30', 'K2', 20000, 'completed'),"
    " ('B2', '2025-04-01', '2025-04-01', 'K2', 20000, 'completed'),"
    " ('C1', '2024-01-01', '2024-01-01', 'K3', 20000, 'completed'),"
    " ('D1', '2024-01-02', '2024-01-02', 'K4', 20000, 'completed'),"
    " ('D2', '2024-12-30', '2024-12-30', 'K4', 20000, 'cancelled'),"
    " ('D3', '2025-03-31', '2025-03-31', 'K4', 20000, 'completed'),"
    " ('E1', '2024-12-31', '2024-12-31', 'K5', 20000, 'completed');"
    "INSERT INTO customer_surveys (customer_id, survey_date_given, survey_date, score) VALUES"
    " ('K1', '2024-06-01', '2024-06-01', 800), ('K1', '2024-11-15', '2024-11-15', 600),"
    " ('K1', '2024-11-15T10:00', '2024-11-15', 700), ('K1', '2025-01-10', '2025-01-10', 100);";

struct fixture {
    char *dir;
    struct db *db;
    struct churn_data cd;
    struct churn_rows rows;
};

static cdate day(const char *s)
{
    cdate d;

    assert_int_equal(date_parse(s, &d), 0);
    return d;
}

static struct db *open_db(const char *dir, const char *name, const char *sql)
{
    struct strbuf err = STRBUF_INIT;
    char *path = path_join(dir, name);
    struct db *db;

    if (db_open(&db, path, DB_OPEN_CREATE, &err) || (sql && db_exec(db, sql, &err)))
        fail_msg("%s", err.buf);
    free(path);
    sb_release(&err);
    return db;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct strbuf err = STRBUF_INIT;

    f->dir = make_temp_dir();
    f->db = open_db(f->dir, "churn.db", fixture_sql);
    if (churn_data_load(f->db, &f->cd, &err) < 0)
        fail_msg("%s", err.buf);
    churn_rows_init(&f->rows);
    churn_add_cutoff(&f->cd, day("2024-12-31"), &f->rows);
    sb_release(&err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    churn_rows_free(&f->rows);
    churn_data_free(&f->cd);
    db_close(f->db);
    remove_tree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* The features of customer id's row, or fails when it has none. */
static const double *row_of(const struct fixture *f, const char *id, int *label, size_t *r)
{
    for (size_t i = 0; i < f->rows.d.n; i++)
        if (!strcmp(f->cd.c[f->rows.customer[i]].id, id)) {
            *label = f->rows.d.y[i];
            *r = i;
            return &f->rows.d.x[i * CHURN_COUNT];
        }
    fail_msg("no row for %s", id);
    return NULL;
}

static void rows_are_the_active_customers(void **state)
{
    struct fixture *f = *state;

    /* K1, K2, K4 and K5; K3's only purchase is 365 days old, K6 has none. */
    assert_int_equal(f->rows.d.n, 4);
    for (size_t i = 0; i < f->rows.d.n; i++) {
        assert_string_not_equal(f->cd.c[f->rows.customer[i]].id, "K3");
        assert_string_not_equal(f->cd.c[f->rows.customer[i]].id, "K6");
        assert_int_equal(f->rows.cutoff[i], day("2024-12-31"));
    }
    assert_int_equal(f->cd.last_day, day("2025-04-01"));
}

static void recency_frequency_value(void **state)
{
    struct fixture *f = *state;
    size_t r;
    int y;
    const double *x = row_of(f, "K1", &y, &r);

    assert_int_equal(y, 0);
    assert_float_equal(x[CHURN_RECENCY], 30, 0);
    assert_float_equal(x[CHURN_FREQUENCY], 2, 0);   /* 2024-10-01 and 2024-12-01 */
    /* 200 + 300 + 400 - 50 (refunded) - 100 (negative); not the cancelled 999 */
    assert_float_equal(x[CHURN_VALUE], 750, 1e-9);
    assert_float_equal(x[CHURN_VALUE_CHANGE], (750.0 - 100.0) / 100.0, 1e-12);
    assert_float_equal(x[CHURN_REFUND_SHARE], 150.0 / 900.0, 1e-12);
    /* 2023-07-01 to 2024-12-01 is 519 days over two gaps */
    assert_float_equal(x[CHURN_MEAN_GAP], 259.5, 1e-12);
}

static void surveys_and_hand_over(void **state)
{
    struct fixture *f = *state;
    size_t r;
    int y;
    const double *x = row_of(f, "K1", &y, &r);

    /* The mean of the two surveys of 2024-11-15; the one of 2025 is later. */
    assert_float_equal(x[CHURN_CSAT], 6.5, 1e-12);
    assert_float_equal(x[CHURN_CSAT_CHANGE], -1.5, 1e-12);
    assert_float_equal(x[CHURN_HANDOVER], 1, 0);
    assert_float_equal(f->rows.handover_days[r], 45, 0);

    /* K5's owner changed exactly 180 days before: outside the window. */
    x = row_of(f, "K5", &y, &r);
    assert_float_equal(x[CHURN_HANDOVER], 0, 0);
    assert_true(isnan(f->rows.handover_days[r]));
    assert_float_equal(x[CHURN_RECENCY], 0, 0);
    assert_int_equal(y, 1);
}

static void single_purchase_and_label_edges(void **state)
{
    struct fixture *f = *state;
    size_t r;
    int y;
    const double *x = row_of(f, "K2", &y, &r);

    /* The next purchase is 91 days after the cut-off: churned. */
    assert_int_equal(y, 1);
    assert_float_equal(x[CHURN_RECENCY], 184, 0);
    assert_float_equal(x[CHURN_FREQUENCY], 1, 0);
    assert_float_equal(x[CHURN_VALUE], 200, 1e-9);
    assert_true(isnan(x[CHURN_VALUE_CHANGE]));
    assert_float_equal(x[CHURN_REFUND_SHARE], 0, 0);
    assert_true(isnan(x[CHURN_MEAN_GAP]));
    assert_true(isnan(x[CHURN_CSAT]));
    assert_true(isnan(x[CHURN_CSAT_CHANGE]));
    assert_float_equal(x[CHURN_HANDOVER], 0, 0);   /* its only owner row is the first */
    /* Five customers are too few for a BG/NBD fit. */
    assert_true(isnan(x[CHURN_P_ALIVE]));
    assert_true(isnan(x[CHURN_EXPECTED_90]));

    /* K4: 364 days old, the cancelled order does not count, and a
     * purchase on day 90 is inside the label window. */
    x = row_of(f, "K4", &y, &r);
    assert_int_equal(y, 0);
    assert_float_equal(x[CHURN_RECENCY], 364, 0);
    assert_float_equal(x[CHURN_FREQUENCY], 1, 0);
}

static void owner_on_a_day(void **state)
{
    struct fixture *f = *state;

    /* Customers are sorted by id: K1 is 0, K2 1, ..., K6 5. */
    assert_string_equal(churn_owner_on(&f->cd, 0, day("2024-12-31")), "E2");
    assert_string_equal(churn_owner_on(&f->cd, 0, day("2024-11-15")), "E1");
    assert_null(churn_owner_on(&f->cd, 0, day("2022-12-31")));   /* rows, none covering */
    assert_string_equal(churn_owner_on(&f->cd, 5, day("2024-12-31")), "E3");
}

static void p_alive_formula(void **state)
{
    /* The CDNOW fit; 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha +
     * t_x))^(r + x)) computed separately. */
    struct bgnbd_fit m = {.r = 0.243, .alpha = 4.414, .a = 0.793, .b = 2.426};
    struct bgnbd_customer c = {.x = 2, .t_x = 30.43, .T = 38.86}, none = {.x = 0, .T = 20};

    (void)state;
    assert_float_equal(bgnbd_p_alive(&m, &c), 0.726578570080673, 1e-12);
    assert_float_equal(bgnbd_p_alive(&m, &none), 1.0, 0);
}

static void empty_database(void **state)
{
    struct fixture *f = *state;
    struct churn_data cd;
    struct churn_rows rows;
    struct strbuf err = STRBUF_INIT;
    struct db *db = open_db(f->dir, "empty.db", NULL);

    assert_int_equal(churn_data_load(db, &cd, &err), 0);
    assert_int_equal(cd.n, 0);
    assert_int_equal(cd.last_day, DATE_NONE);
    churn_rows_init(&rows);
    churn_add_cutoff(&cd, day("2024-12-31"), &rows);
    assert_int_equal(rows.d.n, 0);
    churn_rows_free(&rows);
    churn_data_free(&cd);
    db_close(db);
    sb_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_are_the_active_customers),
        cmocka_unit_test(recency_frequency_value),
        cmocka_unit_test(surveys_and_hand_over),
        cmocka_unit_test(single_purchase_and_label_edges),
        cmocka_unit_test(owner_on_a_day),
        cmocka_unit_test(p_alive_formula),
        cmocka_unit_test(empty_database),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
