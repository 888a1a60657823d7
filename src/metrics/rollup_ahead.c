/*
 * The order rollups' sums computed on a worker thread while the
 * importer writes the orders into an empty table. Without it, a full
 * rebuild reads every order back and sorts the records after the
 * writes. With it, a second core does that work beside SQLite's.
 *
 * The worker touches no database: the organisation and the customer
 * ranks are loaded on the calling thread before it starts, and it reads
 * the orders through the caller's iterator.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/rollup_orders.h"
#include "util/xalloc.h"

struct order_sums_ahead {
    struct org org;
    struct customer_ids cust;
    order_fields_next next;
    void *ctx;

    pthread_t thread;
    bool running;        /* started and not yet joined */
    struct order_sums sums;
};

static void *compute_sums(void *arg)
{
    struct order_sums_ahead *a = arg;
    struct order_recs recs = {0};
    struct order_fields o;

    a->sums.first = first_purchases_new(a->cust.n);
    a->sums.nfirst = a->cust.n;
    while (a->next(a->ctx, &o)) {
        struct order_rec r;

        if (!order_fields_record(&o, &a->org, &a->cust, &r))
            continue;
        first_purchase_note(a->sums.first, &r, o.order_id);
        XGROW(recs.recs, recs.alloc, recs.n + 1);
        recs.recs[recs.n++] = r;
    }
    order_sums_build(&recs, &a->sums);
    return NULL;
}

struct order_sums_ahead *order_sums_ahead_start(struct db *db, order_fields_next next, void *ctx,
                                                struct strbuf *err)
{
    struct order_sums_ahead *a = xcalloc(1, sizeof(*a));
    int rc;

    a->next = next;
    a->ctx = ctx;
    if (org_load(db, &a->org, err) || load_customer_ids(db, &a->cust, false, err)) {
        org_free(&a->org);
        free_customer_ids(&a->cust);
        free(a);
        return NULL;
    }
    rc = pthread_create(&a->thread, NULL, compute_sums, a);
    if (rc) {
        /* Without a thread the sums are computed here, which costs the
         * same as the rebuild's own pass. */
        compute_sums(a);
    } else {
        a->running = true;
    }
    return a;
}

static void wait_worker(struct order_sums_ahead *a)
{
    if (!a->running)
        return;
    pthread_join(a->thread, NULL);
    a->running = false;
}

void order_sums_ahead_take(struct order_sums_ahead *a, struct order_sums *out)
{
    wait_worker(a);
    order_sums_free(out);
    *out = a->sums;
    memset(&a->sums, 0, sizeof(a->sums));
}

void order_sums_ahead_free(struct order_sums_ahead *a)
{
    if (!a)
        return;
    wait_worker(a);
    order_sums_free(&a->sums);
    org_free(&a->org);
    free_customer_ids(&a->cust);
    free(a);
}
