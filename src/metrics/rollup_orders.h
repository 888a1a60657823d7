/*
 * The order rollups' building blocks (internal to src/metrics), shared by
 * the full rebuild (rollup.c) and the incremental refresh
 * (rollup_delta.c): order records, their sorting and merging, and the
 * inserts into the rollup tables.
 */
#ifndef CAIRN_METRICS_ROLLUP_ORDERS_H
#define CAIRN_METRICS_ROLLUP_ORDERS_H

#include "metrics/org.h"

/* One order as the rollups see it; after merging, the sums of a group. */
struct order_rec {
    cdate day;    /* day number, or month index in month records */
    int customer; /* ckey, -1 for none */
    int seller;   /* ekey, -1 for none */
    int unit;     /* ukey, -1 for none */
    int64_t sales;
    int64_t purchases;
};

/* The customer ids in byte order; a ckey is an index into ids. */
struct customer_ids {
    char **ids;
    size_t n;
};

struct order_recs {
    struct order_rec *recs;
    size_t n, alloc;
};

/* Returns the ckey of id, or -1 when it is not a customer. */
int customer_rank(const struct customer_ids *c, const char *id);

/* Loads the customer ids in byte order; also writes them to
 * rollup_customers when write_table. Returns 0, or -1 with a message in
 * err. */
int load_customer_ids(struct db *db, struct customer_ids *c, bool write_table, struct strbuf *err);
void free_customer_ids(struct customer_ids *c);

/* Converts the current row of st (order_date, customer_id, employee_id,
 * amount, status, order_id) into rec. Returns false when the order
 * counts neither for sales nor as a purchase, or has no valid date. */
bool order_record(struct db_stmt *st, const struct org *org, const struct customer_ids *cust,
                  struct order_rec *rec);

/* Writes the day rollups of recs (sorted and merged in place) and leaves
 * them as month records, merged, ready for the month rollups. seller: the
 * rollup_seller_* tables, else rollup_customer_* (records without a
 * customer are dropped first). Returns 0, or -1 with a message in err. */
int write_day_rollups(struct db *db, struct order_recs *r, bool seller, struct strbuf *err);

/* Merges month records (day holds the month index) and inserts them into
 * rollup_seller_month or rollup_customer_month. Returns 0, or -1 with a
 * message in err. */
int write_month_rollups(struct db *db, struct order_recs *r, bool seller, struct strbuf *err);

/* Empties the order rollups (not rollup_customers) and rebuilds them
 * from every order. Returns 0, or -1 with a message in err. */
int rebuild_order_rollups(struct db *db, const struct org *org, const struct customer_ids *cust,
                          struct strbuf *err);

#endif
