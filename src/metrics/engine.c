/*
 * The engine's frame: opening (organisation, source emptiness), one
 * evaluation of a period for a set of slots, and turning the per-slot
 * counters into metric values with the unavailability rules of the
 * definitions.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/engine.h"
#include "metrics/rollup.h"
#include "util/xalloc.h"

static const char *const source_tables[SRC_COUNT] = {
    "employees", "customers", "orders",   "visits",   "customer_surveys",
    "employee_surveys", "trainings", "payroll", "expenses", "market",
};

cdate engine_column_date(struct db_stmt *st, int col)
{
    const char *s = db_column_text(st, col);
    cdate d;

    if (!s || date_parse(s, &d))
        return DATE_NONE;
    return d;
}

int engine_open(struct engine *en, struct db *db, cdate as_of, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    int64_t v;
    int rc = -1;

    memset(en, 0, sizeof(*en));
    en->db = db;
    en->as_of = as_of;
    if (rollups_ensure_fresh(db, err) || org_load(db, &en->org, err))
        goto out;

    /* A source that holds no rows at all makes its metrics unavailable. */
    for (int i = 0; i < SRC_COUNT; i++) {
        sb_setf(&sql, "SELECT EXISTS (SELECT 1 FROM %s)", source_tables[i]);
        if (db_query_int64(db, sql.buf, 0, &v, err))
            goto out;
        en->has[i] = v != 0;
    }
    if (db_query_int64(db, "SELECT count(*) FROM rollup_customers", 0, &v, err))
        goto out;
    en->ncustomers = (size_t)v;
    rc = 0;
out:
    sb_release(&sql);
    return rc;
}

void engine_close(struct engine *en)
{
    org_free(&en->org);
    free(en->at_risk);
    en->at_risk = NULL;
    for (size_t i = 0; i < en->nmonth_cache; i++)
        free(en->month_cache[i].rows.rows);
    free(en->month_cache);
    en->month_cache = NULL;
    en->nmonth_cache = en->month_cache_alloc = 0;
    for (size_t i = 0; i < en->nseller_cache; i++)
        free(en->seller_cache[i].rows);
    free(en->seller_cache);
    en->seller_cache = NULL;
    en->nseller_cache = en->seller_cache_alloc = 0;
}

void ranked_push(struct ranked_list *l, int subject, int64_t value)
{
    XGROW(l->items, l->alloc, l->n + 1);
    l->items[l->n].subject = subject;
    l->items[l->n].value = value;
    l->n++;
}

static int compare_ranked(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;

    if (a->value != b->value)
        return a->value > b->value ? -1 : 1;
    return a->subject < b->subject ? -1 : a->subject > b->subject;
}

void ranked_sort(struct ranked_list *l)
{
    if (l->n > 1)
        qsort(l->items, l->n, sizeof(*l->items), compare_ranked);
}

static struct metric_value value(double v)
{
    struct metric_value mv = {true, v};

    return mv;
}

/* A ratio, unavailable when the denominator is zero. */
static struct metric_value ratio(bool available, double num, double den)
{
    struct metric_value none = {false, 0};

    if (!available || den == 0)
        return none;
    return value(num / den);
}

/* Turns one slot's counters into the metric values. */
static void finalize(const struct engine_run *run, size_t slot, bool employee_slot,
                     struct metric_value out[METRIC_COUNT])
{
    const struct slot_acc *a = &run->acc[slot];
    const bool *has = run->en->has;
    bool orders = has[SRC_ORDERS], people = has[SRC_EMPLOYEES];
    bool customers = orders && has[SRC_CUSTOMERS];
    double nm = run->nmonths, sales = (double)a->sales / 100.0;
    double avg = (double)a->headcount_sum / (2.0 * nm);
    bool labor = has[SRC_PAYROLL] && run->labor_complete;

    memset(out, 0, sizeof(*out) * METRIC_COUNT);

    /* Growth. */
    if (orders)
        out[M_SALES] = value(sales);
    out[M_SALES_YOY] = ratio(orders, (double)(a->sales - a->sales_year_before),
                             (double)a->sales_year_before);
    out[M_SALES_POP] = ratio(orders, (double)(a->sales - a->sales_period_before),
                             (double)a->sales_period_before);
    if (!employee_slot && run->market[slot].available)
        out[M_MARKET_SHARE] = ratio(orders, sales, run->market[slot].value);
    if (customers) {
        out[M_NEW_CUSTOMERS] = value((double)a->new_customers);
        out[M_NEW_CUSTOMERS_PER_MONTH] = value((double)a->new_customers / nm);
        out[M_ACTIVE_CUSTOMERS] = value((double)a->active_customers);
    }
    out[M_NEW_CUSTOMER_RATIO] =
        ratio(customers, (double)a->new_customers, (double)a->active_customers);

    /* Team effectiveness. */
    if (people) {
        out[M_HEADCOUNT] = value((double)a->headcount);
        out[M_AVG_HEADCOUNT] = value(avg);
    }
    out[M_PER_CAPITA_SALES] = ratio(people && orders, sales / nm, avg);
    out[M_ATTRITION_RATE] = ratio(people, (double)a->leavers, avg);
    out[M_VOLUNTARY_ATTRITION_RATE] = ratio(people, (double)a->voluntary_leavers, avg);
    out[M_TOP_PERFORMER_RETENTION] =
        ratio(people && orders, (double)a->top_kept, (double)a->top_set);
    out[M_TRAINING_COMPLETION_RATE] =
        ratio(has[SRC_TRAININGS], (double)a->enrolments_done, (double)a->enrolments);
    out[M_OPENING_RATE] = ratio(people && orders, (double)a->hires_opened, (double)a->hires);
    if (people && orders && has[SRC_TRAININGS] && a->trained_hires && a->untrained_hires)
        out[M_TRAINING_LIFT] =
            ratio(true, (double)a->trained_opened / (double)a->trained_hires,
                  (double)a->untrained_opened / (double)a->untrained_hires);
    out[M_EMPLOYEE_SATISFACTION] =
        ratio(has[SRC_EMPLOYEE_SURVEYS], (double)a->esat_sum / 100.0, (double)a->esat_n);
    out[M_VISITS_PER_HEAD] = ratio(has[SRC_VISITS] && people, (double)a->visits / nm, avg);

    /* Customer retention. */
    out[M_REPURCHASE_RATE] =
        ratio(customers, (double)a->repurchase_kept, (double)a->repurchase_base);
    out[M_CSAT] = ratio(has[SRC_CUSTOMER_SURVEYS], (double)a->csat_sum / 100.0, (double)a->csat_n);
    out[M_TOP20_CUSTOMER_SHARE] = ratio(customers, (double)a->top_customer_sales, (double)a->sales);
    if (customers && has[SRC_CUSTOMER_SURVEYS])
        out[M_AT_RISK_CUSTOMERS] = value((double)a->at_risk);

    /* Cost control. */
    if (labor)
        out[M_LABOR_COST] = value((double)a->labor_cost / 100.0);
    out[M_LABOR_COST_RATIO] = ratio(labor && orders, (double)a->labor_cost, (double)a->sales);
    out[M_SALES_PER_LABOR_YUAN] = ratio(labor && orders, (double)a->sales, (double)a->labor_cost);
    out[M_SALES_EXPENSE_RATIO] =
        ratio(has[SRC_EXPENSES] && orders, (double)a->sales_expenses, (double)a->sales);
    out[M_EXPENSE_RATIO] =
        ratio(has[SRC_EXPENSES] && orders, (double)a->all_expenses, (double)a->sales);
    out[M_TEMPORARY_SHARE] =
        ratio(people, (double)a->temporary_sum, (double)a->headcount_sum);
}

static int run_parts(struct engine_run *run, struct strbuf *err)
{
    if (engine_sales(run, err) || engine_customers(run, err) || engine_people(run, err) ||
        engine_trainings(run, err) || engine_surveys_visits(run, err) || engine_costs(run, err) ||
        engine_market(run, err))
        return -1;
    return 0;
}

int engine_compute(struct engine *en, const struct period *p, const size_t *slots, size_t nslots,
                   struct metric_value (*out)[METRIC_COUNT], struct strbuf *err)
{
    struct engine_run run;
    bool *want;
    int rc = -1;

    /* A period that starts after the as-of date has no values. */
    memset(out, 0, sizeof(*out) * nslots);
    if (p->start > en->as_of)
        return 0;

    memset(&run, 0, sizeof(run));
    run.en = en;
    run.p = *p;
    run.last = p->end - 1 < en->as_of ? p->end - 1 : en->as_of;
    run.partial = p->end - 1 > en->as_of;
    run.nmonths = date_month_index(run.last) - p->first_month + 1;
    run.nslots = org_nslots(&en->org);
    run.acc = xcalloc(run.nslots, sizeof(*run.acc));
    run.market = xcalloc(run.nslots, sizeof(*run.market));
    want = xcalloc(run.nslots, sizeof(*want));
    for (size_t i = 0; i < nslots; i++)
        want[slots[i]] = true;
    run.want = want;

    if (run_parts(&run, err))
        goto out;
    for (size_t i = 0; i < nslots; i++)
        finalize(&run, slots[i], slots[i] > en->org.nunits, out[i]);
    rc = 0;
out:
    free(run.acc);
    free(run.market);
    free(want);
    return rc;
}
