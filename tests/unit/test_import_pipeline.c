/*
 * Unit tests of the bulk paths of a large import, with the size
 * thresholds lowered so that small files take them: the rollback journal
 * during the run, and the pipeline that inserts rows while the file is
 * read. Rows rejected after they were inserted (the first of two rows
 * with the same key, an order naming a missing customer) must be gone
 * after a run with --skip-bad-rows. A run without it stores nothing.
 *
 * Company: HQ with team T1, employees E1 and E2, customers C1 and C2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "import/bulk.h"
#include "import/import.h"
#include "metrics/rollup.h"
#include "dbtest.h"
#include "support.h"
#include "util/strbuf.h"

static const char *const base_files[][2] = {
    {"org_units.csv", "unit_id,name,parent_id,kind,manager_id\nHQ,HQ,,company,\nT1,T1,HQ,team,\n"},
    {"employees.csv", "employee_id,name,unit_id,position,employment_type,hire_date,leave_date,"
                      "leave_reason\nE1,E1,T1,sales,full_time,2023-01-01,,\n"
                      "E2,E2,T1,sales,full_time,2023-01-01,,\n"},
    {"customers.csv", "customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n"
                      "C1,C1,,,,E1,\nC2,C2,,,,E2,\n"},
};

/* Rows 2 and 5 share key D1, row 4 has an invalid amount, row 6 names
 * the missing customer C9: four of the seven rows are good. */
static const char orders_csv[] = "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                                 "D1,2024-01-02,C1,E1,10.00,,completed\n"
                                 "G1,2024-01-03,C1,E1,20.00,,completed\n"
                                 "G2,2024-01-03,C2,E2,30.00,,refunded\n"
                                 "B1,2024-01-04,C2,E2,abc,,completed\n"
                                 "D1,2024-01-05,C2,E1,40.00,,completed\n"
                                 "M1,2024-01-06,C9,E1,50.00,,completed\n"
                                 "G3,2024-02-01,,E2,60.00,,completed\n"
                                 "G4,2024-02-01,C1,E2,70.00,,cancelled\n";

static int run_import(struct temp_db *f, const char *folder, bool skip_bad_rows)
{
    struct import_options opts = {.skip_bad_rows = skip_bad_rows};
    struct strbuf err = STRBUF_INIT;
    char *rejects = path_join(f->dir, "rejected.csv");
    json_t *report = NULL;
    const char *paths[1] = {folder};
    int rc;

    opts.rejects_path = rejects;
    rc = import_run(f->db, paths, 1, &opts, &report, &err);
    if (rc < 0)
        fail_msg("import failed: %s", err.buf);
    json_decref(report);
    free(rejects);
    sb_release(&err);
    return rc;
}

static int setup(void **state)
{
    struct temp_db *f = calloc(1, sizeof(*f));
    char *base;

    bulk_large_load_bytes = 1;
    bulk_pipeline_min_bytes = 1;
    temp_db_open(f, "pipeline.db");
    base = path_join(f->dir, "base");
    for (size_t i = 0; i < sizeof(base_files) / sizeof(base_files[0]); i++)
        free(write_file(base, base_files[i][0], base_files[i][1]));
    *state = f;
    assert_int_equal(run_import(f, base, false), IMPORT_OK);
    free(base);
    return 0;
}

static int teardown(void **state)
{
    temp_db_close(*state);
    free(*state);
    return 0;
}

static char *write_orders(struct temp_db *f)
{
    char *folder = path_join(f->dir, "orders");

    free(write_file(folder, "orders.csv", orders_csv));
    return folder;
}

/* With --skip-bad-rows the good rows stay, rows rejected after their
 * insert are deleted, and the rollups equal a rebuild from the table. */
static void skipped_rows_are_removed(void **state)
{
    struct temp_db *f = *state;
    char *folder = write_orders(f);
    struct strbuf err = STRBUF_INIT;

    assert_int_equal(run_import(f, folder, true), IMPORT_OK);
    assert_int_equal(db_int(f->db, "SELECT count(*) FROM orders"), 4);
    assert_int_equal(db_int(f->db, "SELECT count(*) FROM orders WHERE order_id IN ('G1','G2','G3','G4')"), 4);
    assert_int_equal(db_int(f->db, "SELECT sum(amount) FROM orders"), 18000);
    assert_int_equal(db_int(f->db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'"), 4);
    assert_int_equal(db_int(f->db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
    assert_int_equal(db_int(f->db, "SELECT inserted FROM batch_files WHERE kind = 'orders'"), 4);
    assert_int_equal(rollups_verify(f->db, &err), 0);
    free(folder);
    sb_release(&err);
}

/* Without --skip-bad-rows the run stores nothing and keeps the indexes. */
static void rejected_run_stores_nothing(void **state)
{
    struct temp_db *f = *state;
    char *folder = write_orders(f);

    assert_int_equal(run_import(f, folder, false), IMPORT_REJECTED);
    assert_int_equal(db_int(f->db, "SELECT count(*) FROM orders"), 0);
    assert_int_equal(db_int(f->db, "SELECT count(*) FROM batches"), 1);
    assert_int_equal(db_int(f->db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders'"), 4);
    free(folder);
}

/* The batch written through the pipeline can be undone. */
static void pipeline_batch_undo(void **state)
{
    struct temp_db *f = *state;
    char *folder = write_orders(f);
    struct strbuf err = STRBUF_INIT;
    int64_t batch;

    assert_int_equal(run_import(f, folder, true), IMPORT_OK);
    batch = db_int(f->db, "SELECT max(batch_id) FROM batches");
    if (imports_undo(f->db, batch, &err))
        fail_msg("%s", err.buf);
    assert_int_equal(db_int(f->db, "SELECT count(*) FROM orders"), 0);
    assert_int_equal(rollups_verify(f->db, &err), 0);
    free(folder);
    sb_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(skipped_rows_are_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(rejected_run_stores_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(pipeline_batch_undo, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
