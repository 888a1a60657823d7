/*
 * The key-results engine (internal to src/metrics). An engine holds the
 * organisation and the as-of date; engine_compute evaluates every metric
 * of one period for a set of slots (see org.h) in one pass over the
 * rollups and the smaller entity tables: each row is added to every slot
 * it belongs to, so the company, all units and all employees cost about
 * the same as one of them. Lists that need sorting (top performers, top
 * customers) are built only for the slots the caller asks for.
 */
#ifndef CAIRN_METRICS_ENGINE_H
#define CAIRN_METRICS_ENGINE_H

#include "metrics/catalog.h"
#include "metrics/metrics.h"
#include "metrics/org.h"

/* The sources whose emptiness makes metrics unavailable. */
enum metric_source {
    SRC_EMPLOYEES,
    SRC_CUSTOMERS,
    SRC_ORDERS,
    SRC_VISITS,
    SRC_CUSTOMER_SURVEYS,
    SRC_EMPLOYEE_SURVEYS,
    SRC_TRAININGS,
    SRC_PAYROLL,
    SRC_EXPENSES,
    SRC_MARKET,
    SRC_COUNT
};

struct ranked_list;

/* One row of a customer rollup. */
struct customer_row {
    int customer, seller, unit;
    int64_t sales, purchases;
};

struct customer_rows {
    struct customer_row *rows;
    size_t n, alloc;
};

/* One row of rollup_seller_month. */
struct seller_row {
    int seller, unit;
    int64_t sales;
};

/* The rows of rollup_seller_month for one month. */
struct seller_month {
    int month;
    struct seller_row *rows;
    size_t n, alloc;
};

/* The rows of rollup_customer_month for one month. */
struct month_rows {
    int month;
    struct customer_rows rows;
};

struct engine {
    struct db *db;
    struct org org;
    cdate as_of;
    bool has[SRC_COUNT];
    size_t ncustomers; /* rows of rollup_customers: ckeys are below this */
    /* Customers at risk per slot: they depend on the as-of date only, so
     * they are counted once per engine. NULL until then. */
    int64_t *at_risk;
    /* Whole months of customer rows read so far, so that evaluations of
     * overlapping periods (a series, the 12 months before each month)
     * read each month once. */
    struct month_rows *month_cache;
    size_t nmonth_cache, month_cache_alloc;
    struct seller_month *seller_cache; /* the same for seller rows */
    size_t nseller_cache, seller_cache_alloc;
    /* Optional hooks for the lists of metrics.h (lists.c): when top_out
     * is set, the top set of top_slot is copied there; when at_risk_fn is
     * set, it is called for each customer at risk with its owner on the
     * as-of date (NULL: none) and its latest CSAT as a sum and count of
     * hundredths. */
    struct ranked_list *top_out;
    size_t top_slot;
    int (*at_risk_fn)(void *ctx, const char *customer, const char *owner, int64_t csat_sum,
                      int64_t csat_n, struct strbuf *err);
    void *at_risk_ctx;
};

/* One list entry of a ranking: a subject (ekey or ckey) and its value. */
struct ranked {
    int64_t value;
    int subject;
};

struct ranked_list {
    struct ranked *items;
    size_t n, alloc;
};

/* Counters of one slot for one period. Money in fen, scores in
 * hundredths, headcount sums in half-heads (first day + last day). */
struct slot_acc {
    int64_t sales, sales_year_before, sales_period_before;
    int64_t new_customers, active_customers;
    int64_t headcount, headcount_sum, temporary_sum;
    int64_t leavers, voluntary_leavers;
    int64_t top_set, top_kept;
    int64_t enrolments, enrolments_done;
    int64_t hires, hires_opened;
    int64_t trained_hires, trained_opened, untrained_hires, untrained_opened;
    int64_t esat_sum, esat_n;
    int64_t visits;
    int64_t repurchase_base, repurchase_kept;
    int64_t csat_sum, csat_n;
    int64_t top_customer_sales;
    int64_t at_risk;
    int64_t labor_cost;
    int64_t sales_expenses, all_expenses;
};

/* One evaluation: the period, its spans and the per-slot counters. */
struct engine_run {
    struct engine *en;
    struct period p;
    cdate last;         /* the last day of P that counts: min(end - 1, as-of) */
    int nmonths;        /* months of P that have started */
    bool partial;
    size_t nslots;
    const bool *want;   /* per slot: compute rankings and market for it */
    struct slot_acc *acc;
    bool labor_complete; /* every started month has a payroll row */
    struct metric_value *market; /* per slot: market size in fen */
};

int engine_open(struct engine *en, struct db *db, cdate as_of, struct strbuf *err);
void engine_close(struct engine *en);

/* Evaluates period p for the slots listed (slots[i] as in org.h) and
 * writes their values to out[i]. Returns 0, or -1 with a message. */
int engine_compute(struct engine *en, const struct period *p, const size_t *slots, size_t nslots,
                   struct metric_value (*out)[METRIC_COUNT], struct strbuf *err);

/* The parts of an evaluation, each adding to run->acc. */
int engine_sales(struct engine_run *run, struct strbuf *err);
int engine_customers(struct engine_run *run, struct strbuf *err);
int engine_people(struct engine_run *run, struct strbuf *err);
int engine_trainings(struct engine_run *run, struct strbuf *err);
int engine_surveys_visits(struct engine_run *run, struct strbuf *err);
int engine_costs(struct engine_run *run, struct strbuf *err);
int engine_market(struct engine_run *run, struct strbuf *err);

/* Sums sales of the span [a, b] per slot into the counter at offset
 * field of struct slot_acc (from the seller rollups, months where whole). */
int engine_sum_sales(struct engine_run *run, cdate a, cdate b, size_t field, struct strbuf *err);

/* Adds v to the counter at offset field of every slot in slots. */
static inline void acc_add(struct engine_run *run, const size_t *slots, int n, size_t field,
                           int64_t v)
{
    for (int i = 0; i < n; i++)
        *(int64_t *)((char *)&run->acc[slots[i]] + field) += v;
}

#define ACC(name) offsetof(struct slot_acc, name)

void ranked_push(struct ranked_list *l, int subject, int64_t value);
/* Sorts by value, highest first, then by subject (rank = byte order). */
void ranked_sort(struct ranked_list *l);

/* A 'YYYY-MM-DD' column as a day number, DATE_NONE for NULL or junk. */
cdate engine_column_date(struct db_stmt *st, int col);

#endif
