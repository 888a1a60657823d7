/*
 * Checking the rollups against a full rebuild: the tables are copied,
 * rebuilt by rollups_refresh and compared row by row, and the transaction
 * is rolled back, so the database is left as it was. Tests use it to show
 * that the incremental refresh gives the same rollups.
 */
#include "metrics/rollup.h"
#include "util/i18n.h"

static const char *const rollup_tables[] = {
    "rollup_customers",           "rollup_seller_day",
    "rollup_seller_month",        "rollup_customer_day",
    "rollup_customer_month",      "rollup_first_purchase",
    "rollup_visit_day",           "rollup_employee_survey_day",
    "rollup_customer_survey_day", "rollup_expense_day",
    "rollup_customer_latest_survey",
};

#define NTABLES (sizeof(rollup_tables) / sizeof(rollup_tables[0]))

/* Counts the rows that are in one of table and its copy but not in the
 * other. */
static int count_differences(struct db *db, const char *table, int64_t *n, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    int rc;

    sb_addf(&sql,
            "SELECT (SELECT count(*) FROM (SELECT * FROM %s EXCEPT SELECT * FROM temp.verify_%s))"
            " + (SELECT count(*) FROM (SELECT * FROM temp.verify_%s EXCEPT SELECT * FROM %s))"
            " + abs((SELECT count(*) FROM %s) - (SELECT count(*) FROM temp.verify_%s))",
            table, table, table, table, table, table);
    rc = db_query_int64(db, sql.buf, 0, n, err);
    sb_release(&sql);
    return rc;
}

int rollups_verify(struct db *db, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    int rc = -1;

    if (db_begin(db, err))
        return -1;

    /* Keep the current rollups, then rebuild them in full. */
    for (size_t i = 0; i < NTABLES; i++) {
        sb_setf(&sql, "CREATE TEMP TABLE verify_%s AS SELECT * FROM %s", rollup_tables[i],
                rollup_tables[i]);
        if (db_exec(db, sql.buf, err))
            goto out;
    }
    if (rollups_refresh(db, err))
        goto out;

    /* Compare table by table. */
    rc = 0;
    for (size_t i = 0; i < NTABLES && !rc; i++) {
        int64_t n = 0;

        if (count_differences(db, rollup_tables[i], &n, err))
            rc = -1;
        else if (n) {
            sb_addf(err, _("%s differs from a full rebuild in %lld rows"), rollup_tables[i],
                    (long long)n);
            rc = 1;
        }
    }
out:
    db_rollback(db);
    sb_release(&sql);
    return rc;
}
