/*
 * The order rollups' building blocks (internal to src/metrics), shared by
 * the full rebuild (rollup.c) and the incremental refresh
 * (rollup_delta.c): order records, their sorting and merging, and the
 * inserts into the rollup tables.
 */
#ifndef CAIRN_METRICS_ROLLUP_ORDERS_H
#define CAIRN_METRICS_ROLLUP_ORDERS_H

#include "metrics/org.h"
#include "metrics/rollup.h"

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

/* A customer's first purchase: the earliest day, then the lowest
 * order_id. */
struct first_purchase {
    cdate day; /* DATE_NONE: no purchase yet */
    char *order_id;
    int seller;
    int unit;
};

/* The order rollups' contents: the four record sets, sorted and merged
 * as their tables are keyed, and each customer's first purchase. */
struct order_sums {
    struct order_recs seller_day, seller_month, customer_day, customer_month;
    struct first_purchase *first; /* per ckey */
    size_t nfirst;
};

/* Returns the ckey of id, or -1 when it is not a customer. */
int customer_rank(const struct customer_ids *c, const char *id);

/* Loads the customer ids in byte order; also writes them to
 * rollup_customers when write_table. Returns 0, or -1 with a message in
 * err. */
int load_customer_ids(struct db *db, struct customer_ids *c, bool write_table, struct strbuf *err);
void free_customer_ids(struct customer_ids *c);

/* Converts an order into rec. Returns false when the order counts
 * neither for sales nor as a purchase, or has no valid date. */
bool order_fields_record(const struct order_fields *o, const struct org *org,
                         const struct customer_ids *cust, struct order_rec *rec);

/* order_fields_record for the current row of st (order_date,
 * customer_id, employee_id, amount, status, order_id). */
bool order_record(struct db_stmt *st, const struct org *org, const struct customer_ids *cust,
                  struct order_rec *rec);

/* Records of ncustomers customers without a purchase yet. */
struct first_purchase *first_purchases_new(size_t ncustomers);

/* Keeps rec as its customer's first purchase when it is earlier. */
void first_purchase_note(struct first_purchase *first, const struct order_rec *rec,
                         const char *order_id);

/* Sorts and merges day records in place; seller: by (day, seller), else
 * by (day, customer, seller) after dropping records without a customer. */
void merge_day_recs(struct order_recs *r, bool seller);

/* Turns merged day records into month records and merges them. */
void merge_month_recs(struct order_recs *r, bool seller);

/* Inserts merged records into rollup_seller_* (seller) or
 * rollup_customer_*. Return 0, or -1 with a message in err. */
int insert_day_recs(struct db *db, const struct order_recs *r, bool seller, struct strbuf *err);
int insert_month_recs(struct db *db, const struct order_recs *r, bool seller, struct strbuf *err);

/* merge_day_recs, then insert_day_recs. */
int write_day_rollups(struct db *db, struct order_recs *r, bool seller, struct strbuf *err);

/* Merges month records (day holds the month index) and inserts them into
 * rollup_seller_month or rollup_customer_month. Returns 0, or -1 with a
 * message in err. */
int write_month_rollups(struct db *db, struct order_recs *r, bool seller, struct strbuf *err);

/* Builds the four record sets of out from the records of every order,
 * taking recs over (it is left empty). out->first is not touched. */
void order_sums_build(struct order_recs *recs, struct order_sums *out);
void order_sums_free(struct order_sums *s);

/* Waits for the worker and moves its sums into out. */
void order_sums_ahead_take(struct order_sums_ahead *a, struct order_sums *out);

/* Empties the order rollups (not rollup_customers) and rebuilds them
 * from every order, or from ahead's sums when ahead is not NULL.
 * Returns 0, or -1 with a message in err. */
int rebuild_order_rollups(struct db *db, const struct org *org, const struct customer_ids *cust,
                          struct order_sums_ahead *ahead, struct strbuf *err);

/* rollups_refresh, with the order sums from ahead when not NULL. */
int rollups_refresh_all(struct db *db, struct order_sums_ahead *ahead, struct strbuf *err);

#endif
