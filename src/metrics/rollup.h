/*
 * Rollups: summary tables derived from the raw entity tables so that
 * scorecards never scan raw orders. The importer (and undo) calls
 * rollups_refresh_delta inside its transaction, after the rows are
 * written, so the rollups always match the data they summarise.
 */
#ifndef CAIRN_ROLLUP_H
#define CAIRN_ROLLUP_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"

/* The changes of one or more import batches that the rollups depend on:
 * the groups of rollups that need work and, for the order rollups, the
 * order days and customers of the changed rows. */
struct order_sums_ahead;

/* The orders the rollups count as purchases, as an SQL condition on the
 * orders table: completed, with a positive amount. */
#define SQL_ORDER_IS_PURCHASE "status = 'completed' AND amount > 0"

struct rollup_delta {
    bool full;          /* organisation or customer set changed: rebuild all */
    unsigned events;    /* event rollups to rebuild (ROLLUP_* of rollup_events.h) */
    bool orders;        /* orders changed */
    bool orders_full;   /* too many to track by day: rebuild the order rollups */
    long long order_rows; /* order rows written, restored or deleted */
    char **days;        /* order_date values of the changed order rows */
    size_t ndays, days_alloc;
    char **customers;   /* customer_id values of the changed order rows */
    size_t ncustomers, customers_alloc;
    struct order_sums_ahead *ahead; /* sums of every order, computed ahead; not owned */
};

/* One order as a caller keeps it in memory. Every text but status may
 * be NULL. */
struct order_fields {
    const char *order_id, *date, *customer_id, *employee_id, *status;
    int64_t amount; /* fen */
};

/* Stores the next order in *o; returns false after the last one. */
typedef bool (*order_fields_next)(void *ctx, struct order_fields *o);

/*
 * Starts a worker thread that computes the order rollups' sums from the
 * orders next yields while the caller goes on writing them. The order
 * rollups' full rebuild then takes these sums instead of reading the
 * orders back, when the caller passes the result in rollup_delta.ahead.
 *
 * The caller guarantees three things. next yields exactly the rows the
 * orders table will contain at that rebuild. The data behind them stays
 * unchanged until order_sums_ahead_free. The organisation and the
 * customers in db do not change after this call, because their ranks are
 * read here, on the calling thread. Returns NULL, with a message in err,
 * when they cannot be read.
 */
struct order_sums_ahead *order_sums_ahead_start(struct db *db, order_fields_next next, void *ctx,
                                                struct strbuf *err);
/* Waits for the worker, if still running, and frees its results. */
void order_sums_ahead_free(struct order_sums_ahead *a);

void rollup_delta_init(struct rollup_delta *d);
void rollup_delta_free(struct rollup_delta *d);

/* Adds what batch `batch` wrote to d, from its batch_files counts, the
 * rows that carry it and its before-images in batch_changes. Call it
 * after the import wrote its rows, or before an undo removes them.
 * Returns 0, or -1 with a message in err. */
int rollup_delta_add_batch(struct db *db, struct rollup_delta *d, long long batch,
                           struct strbuf *err);

/* Brings every rollup up to date with the entity tables by a full
 * rebuild. Returns 0, or -1 with a message in err. */
int rollups_refresh(struct db *db, struct strbuf *err);

/* Brings the rollups up to date after the changes in d. It does nothing
 * when d is empty and rebuilds only the rollups of changed tables, the
 * order rollups for the changed days alone. It rebuilds everything when
 * the organisation or the set of customers changed or the rollups were
 * stale. Gives the same
 * rollups as rollups_refresh. Sorts d's lists and drops their repeats.
 * Returns 0, or -1 with a message in err. */
int rollups_refresh_delta(struct db *db, struct rollup_delta *d, struct strbuf *err);

/* Compares every rollup table with a full rebuild, which it rolls back;
 * the caller must not be inside a transaction. Returns 0 when they are
 * equal, 1 with the first differing table in err, -1 on an error. */
int rollups_verify(struct db *db, struct strbuf *err);

/* Refreshes the rollups in a transaction of its own when they were never
 * built (a database migrated from before they existed). Returns 0, or -1
 * with a message in err. */
int rollups_ensure_fresh(struct db *db, struct strbuf *err);

#endif
