/*
 * Unit tests of the incremental rollup refresh: after imports that add,
 * update and move orders and after undoing them, every rollup table must
 * equal a full rebuild row by row (rollups_verify). The tests also check
 * which kind of refresh a batch gets: nothing for a run that wrote
 * nothing, the changed days for a few orders, a full rebuild for new
 * customers or a changed organisation.
 *
 * Company: HQ with teams T1 and T2. E2 moves from T1 to T2 on 2024-03-16,
 * so orders around that day land in different units. C3's owner changes
 * on 2024-02-01 (customer_owners). The base has 48 orders, two on every
 * third day from 2024-01-01 to 2024-03-10, so a batch of a few orders
 * stays under a quarter of all orders and is refreshed by day.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "import/import.h"
#include "metrics/rollup.h"
#include "support.h"
#include "util/strbuf.h"

static const char org_units_csv[] = "unit_id,name,parent_id,kind,manager_id\n"
                                    "HQ,HQ,,company,\n"
                                    "T1,T1,HQ,team,\n"
                                    "T2,T2,HQ,team,\n";

static const char employees_csv[] =
    "employee_id,name,unit_id,position,employment_type,hire_date,leave_date,leave_reason\n"
    "E1,E1,T1,sales,full_time,2023-01-01,,\n"
    "E2,E2,T1,sales,full_time,2023-01-01,,\n"
    "E3,E3,T2,sales,full_time,2023-01-01,2024-03-10,voluntary\n";

static const char assignments_csv[] = "employee_id,unit_id,start_date,end_date\n"
                                      "E2,T1,2023-01-01,2024-03-15\n"
                                      "E2,T2,2024-03-16,\n";

static const char customers_csv[] =
    "customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n"
    "C1,C1,,,,E1,\n"
    "C2,C2,,,,E2,\n"
    "C3,C3,,,,E3,\n"
    "C4,C4,,,,,\n";

static const char customer_owners_csv[] = "customer_id,employee_id,start_date,end_date\n"
                                          "C3,E3,2023-01-01,2024-01-31\n"
                                          "C3,E1,2024-02-01,\n";

static const char visits_csv[] = "visit_id,visit_date,employee_id,customer_id,kind\n"
                                 "V1,2024-01-10,E1,C1,\n"
                                 "V2,2024-03-18,E2,C2,\n";

static const char customer_surveys_csv[] = "customer_id,survey_date,score,employee_id\n"
                                           "C3,2024-01-20,6,\n"
                                           "C3,2024-02-20,8,\n";

struct fixture {
    char *dir;
    struct db *db;
    int files; /* folders written so far, for unique names */
};

/* Imports the files given as name, text pairs (NULL-terminated) as one
 * batch and returns its id. */
static long long import_files(struct fixture *f, ...)
{
    struct import_options opts = {0};
    struct strbuf err = STRBUF_INIT;
    json_t *report = NULL;
    char name[32];
    const char *paths[1];
    char *folder;
    long long batch;
    va_list ap;

    snprintf(name, sizeof(name), "run%d", f->files++);
    folder = path_join(f->dir, name);
    va_start(ap, f);
    for (const char *file; (file = va_arg(ap, const char *));)
        free(write_file(folder, file, va_arg(ap, const char *)));
    va_end(ap);
    paths[0] = folder;
    if (import_run(f->db, paths, 1, &opts, &report, &err) != IMPORT_OK)
        fail_msg("import failed: %s %s", err.buf, report ? json_dumps(report, 0) : "");
    batch = (long long)json_integer_value(json_object_get(report, "batch"));
    json_decref(report);
    free(folder);
    sb_release(&err);
    return batch;
}

static void assert_rollups_match_full_rebuild(struct fixture *f)
{
    struct strbuf err = STRBUF_INIT;
    int rc = rollups_verify(f->db, &err);

    if (rc)
        fail_msg("rollups_verify returned %d: %s", rc, err.buf);
    sb_release(&err);
}

static struct rollup_delta batch_delta(struct fixture *f, long long batch)
{
    struct rollup_delta d;
    struct strbuf err = STRBUF_INIT;

    rollup_delta_init(&d);
    if (rollup_delta_add_batch(f->db, &d, batch, &err))
        fail_msg("%s", err.buf);
    sb_release(&err);
    return d;
}

static void undo(struct fixture *f, long long batch)
{
    struct strbuf err = STRBUF_INIT;

    if (imports_undo(f->db, batch, &err))
        fail_msg("undo of batch %lld failed: %s", batch, err.buf);
    sb_release(&err);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct strbuf err = STRBUF_INIT, orders = STRBUF_INIT;
    char *path;

    f->dir = make_temp_dir();
    path = path_join(f->dir, "delta.db");
    if (db_open(&f->db, path, DB_OPEN_CREATE, &err))
        fail_msg("%s", err.buf);
    free(path);

    /* Two orders on every third day from 2024-01-01 to 2024-03-10,
     * every fourth one refunded and every fifth without a customer. */
    sb_add(&orders, "order_id,order_date,customer_id,employee_id,amount,product,status\n");
    for (int i = 0; i < 48; i++) {
        int day = 1 + (i / 2) * 3; /* day of the year 2024 (a leap year) */
        int month = 1, mday = day;

        if (day > 60) {
            month = 3;
            mday = day - 60;
        } else if (day > 31) {
            month = 2;
            mday = day - 31;
        }

        sb_addf(&orders, "B%02d,2024-%02d-%02d,%s,E%d,%d.00,,%s\n", i, month, mday,
                i % 5 == 4 ? "" : (const char *[]){"C1", "C2", "C3", "C4"}[i % 4], 1 + i % 3,
                100 + i * 10, i % 4 == 3 ? "refunded" : "completed");
    }
    import_files(f, "org_units.csv", org_units_csv, "employees.csv", employees_csv,
                 "assignments.csv", assignments_csv, "customers.csv", customers_csv,
                 "customer_owners.csv", customer_owners_csv, "orders.csv", orders.buf,
                 "visits.csv", visits_csv, "customer_surveys.csv", customer_surveys_csv,
                 (const char *)NULL);
    sb_release(&orders);
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

/* The first load matches a full rebuild. */
static void first_load_matches(void **state)
{
    assert_rollups_match_full_rebuild(*state);
}

/* New orders, an order moved to another day, customer and seller, and
 * an order turned into a refund: refreshed by day, equal to a full
 * rebuild, and again after the undo. */
static void orders_update_and_undo(void **state)
{
    struct fixture *f = *state;
    long long batch;
    struct rollup_delta d;

    batch = import_files(f, "orders.csv",
                         "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                         "B00,2024-03-16,C2,E2,555.00,,completed\n"
                         "B01,2024-01-01,C2,E2,120.00,,refunded\n"
                         "N1,2024-03-15,C4,E2,10.00,,completed\n"
                         "N2,2024-03-16,C4,E2,20.00,,completed\n"
                         "N3,2024-04-02,,E1,30.00,,completed\n",
                         (const char *)NULL);
    d = batch_delta(f, batch);
    assert_false(d.full);
    assert_true(d.orders);
    assert_false(d.orders_full);
    assert_int_equal(d.order_rows, 5);
    assert_int_equal(d.events, 0);
    rollup_delta_free(&d);
    assert_rollups_match_full_rebuild(f);

    undo(f, batch);
    assert_rollups_match_full_rebuild(f);
}

/* A new order before a customer's first purchase, on the same day with a
 * lower order_id, moves the first purchase; the undo moves it back. */
static void first_purchase_moves(void **state)
{
    struct fixture *f = *state;
    long long batch;

    batch = import_files(f, "orders.csv",
                         "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                         "A0,2024-01-01,C1,E3,70.00,,completed\n"
                         "A1,2024-01-04,C2,E1,1.00,,cancelled\n",
                         (const char *)NULL);
    assert_rollups_match_full_rebuild(f);
    undo(f, batch);
    assert_rollups_match_full_rebuild(f);
}

/* A batch with more than a quarter of all orders rebuilds the order
 * rollups in one pass. */
static void many_orders_rebuild_in_one_pass(void **state)
{
    struct fixture *f = *state;
    struct strbuf orders = STRBUF_INIT;
    long long batch;
    struct rollup_delta d;

    sb_add(&orders, "order_id,order_date,customer_id,employee_id,amount,product,status\n");
    for (int i = 0; i < 20; i++)
        sb_addf(&orders, "M%02d,2024-04-%02d,C%d,E%d,%d.00,,completed\n", i, 1 + i, 1 + i % 4,
                1 + i % 3, 10 + i);
    batch = import_files(f, "orders.csv", orders.buf, (const char *)NULL);
    d = batch_delta(f, batch);
    assert_false(d.full);
    assert_true(d.orders_full);
    assert_int_equal(d.order_rows, 20);
    rollup_delta_free(&d);
    assert_rollups_match_full_rebuild(f);
    undo(f, batch);
    assert_rollups_match_full_rebuild(f);
    sb_release(&orders);
}

/* A run that writes nothing needs no refresh. */
static void unchanged_run_needs_nothing(void **state)
{
    struct fixture *f = *state;
    long long batch = import_files(f, "visits.csv", visits_csv, (const char *)NULL);
    struct rollup_delta d = batch_delta(f, batch);

    assert_false(d.full);
    assert_false(d.orders);
    assert_int_equal(d.events, 0);
    rollup_delta_free(&d);
    assert_rollups_match_full_rebuild(f);
}

/* New visits and a changed customer owner rebuild those event rollups. */
static void events_and_owners(void **state)
{
    struct fixture *f = *state;
    long long batch;
    struct rollup_delta d;

    batch = import_files(f, "visits.csv",
                         "visit_id,visit_date,employee_id,customer_id,kind\n"
                         "V3,2024-02-11,E3,C3,\n",
                         "customer_owners.csv",
                         "customer_id,employee_id,start_date,end_date\n"
                         "C3,E3,2023-01-01,2024-02-25\n"
                         "C3,E1,2024-02-01,\n",
                         (const char *)NULL);
    d = batch_delta(f, batch);
    assert_false(d.full);
    assert_false(d.orders);
    assert_int_equal(d.events, 1 | 4); /* visits and customer surveys */
    rollup_delta_free(&d);
    assert_rollups_match_full_rebuild(f);
    undo(f, batch);
    assert_rollups_match_full_rebuild(f);
}

/* A new customer renumbers the customer keys: a full rebuild. */
static void new_customer_rebuilds_all(void **state)
{
    struct fixture *f = *state;
    long long batch;
    struct rollup_delta d;

    batch = import_files(f, "customers.csv",
                         "customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n"
                         "C0,C0,,,,E1,\n",
                         "orders.csv",
                         "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                         "N9,2024-02-02,C0,E1,99.00,,completed\n",
                         (const char *)NULL);
    d = batch_delta(f, batch);
    assert_true(d.full);
    rollup_delta_free(&d);
    assert_rollups_match_full_rebuild(f);
    undo(f, batch);
    assert_rollups_match_full_rebuild(f);
}

/* Orders loaded into an empty table get their rollup sums from a worker
 * thread during the writes. Two orders files in one run (two folders),
 * one with a rejected row skipped, must give the rollups of a rebuild
 * that reads the stored orders back. */
static void empty_table_load_from_two_files(void **state)
{
    struct fixture *f = *state;
    struct import_options opts = {.skip_bad_rows = true};
    struct strbuf err = STRBUF_INIT;
    json_t *report = NULL;
    char *dirs[2], *rejects = path_join(f->dir, "rejected.csv");
    const char *paths[2];
    int64_t stored = -1;

    if (db_exec(f->db, "DELETE FROM orders", &err) || rollups_refresh(f->db, &err))
        fail_msg("%s", err.buf);
    dirs[0] = path_join(f->dir, "part1");
    dirs[1] = path_join(f->dir, "part2");
    free(write_file(dirs[0], "orders.csv",
                    "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                    "P1,2024-03-15,C2,E2,10.00,,completed\n"
                    "P2,2024-03-16,C2,E2,20.00,,completed\n"
                    "P3,2024-03-16,C2,E2,not-money,,completed\n"
                    "P4,2024-01-05,C3,E3,5.00,,refunded\n"));
    free(write_file(dirs[1], "orders.csv",
                    "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                    "Q1,2024-01-05,C3,E1,7.00,,completed\n"
                    "Q2,2024-01-05,C3,E1,0.00,,completed\n"
                    "Q3,2024-02-29,,E1,3.00,,completed\n"
                    "Q4,2024-02-29,C1,E2,8.00,,cancelled\n"));
    paths[0] = dirs[0];
    paths[1] = dirs[1];
    opts.rejects_path = rejects;
    if (import_run(f->db, paths, 2, &opts, &report, &err) != IMPORT_OK)
        fail_msg("import failed: %s", err.buf);
    if (db_query_int64(f->db, "SELECT count(*) FROM orders", 0, &stored, &err))
        fail_msg("%s", err.buf);
    assert_int_equal(stored, 7);
    assert_rollups_match_full_rebuild(f);

    json_decref(report);
    free(dirs[0]);
    free(dirs[1]);
    free(rejects);
    sb_release(&err);
}

/* The comparison finds a changed rollup row and names its table. */
static void verify_finds_difference(void **state)
{
    struct fixture *f = *state;
    struct strbuf err = STRBUF_INIT;

    if (db_exec(f->db, "UPDATE rollup_seller_month SET sales = sales + 1", &err))
        fail_msg("%s", err.buf);
    assert_int_equal(rollups_verify(f->db, &err), 1);
    assert_non_null(strstr(err.buf, "rollup_seller_month"));
    sb_reset(&err);
    if (rollups_refresh(f->db, &err))
        fail_msg("%s", err.buf);
    assert_int_equal(rollups_verify(f->db, &err), 0);
    sb_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(first_load_matches, setup, teardown),
        cmocka_unit_test_setup_teardown(orders_update_and_undo, setup, teardown),
        cmocka_unit_test_setup_teardown(first_purchase_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(many_orders_rebuild_in_one_pass, setup, teardown),
        cmocka_unit_test_setup_teardown(unchanged_run_needs_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(events_and_owners, setup, teardown),
        cmocka_unit_test_setup_teardown(new_customer_rebuilds_all, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_table_load_from_two_files, setup, teardown),
        cmocka_unit_test_setup_teardown(verify_finds_difference, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
