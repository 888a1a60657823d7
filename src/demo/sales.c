/*
 * The demo's sales, simulated month by month. Each rep writes order
 * rows (first purchases as planned, repeat orders from the rep's
 * customer book, walk-in orders, an occasional cancellation or refund),
 * visits and expense claims. At each month's end the customers of reps
 * who left are handed over to a teammate. The sales credited to every
 * rep and city are kept for payroll, targets and market sizes.
 * customers.csv and customer_owners.csv are written at the end, when
 * the owners are known.
 */
#include <stdlib.h>
#include <string.h>

#include "demo/internal.h"
#include "util/xalloc.h"

/* The standard monthly sales of a rep of productivity 100: 100,000 yuan. */
#define STANDARD_SALES_FEN 10000000LL

static const char *const status_names[] = {"completed", "cancelled", "refunded"};

void write_order(struct demo_world *w, cdate day, int minute, int customer, int emp,
                 int64_t amount, int product, int status)
{
    FILE *f = w->files[F_ORDERS];
    char id[32], cust[16], date[DATE_BUFSIZE];
    int64_t contribution = status == ORDER_COMPLETED  ? amount
                           : status == ORDER_REFUNDED ? -(amount < 0 ? -amount : amount)
                                                      : 0;

    snprintf(id, sizeof(id), "SO%07ld", ++w->norders);
    put_field(f, id, false);
    if (minute >= 0) {
        date_format(day, date);
        fprintf(f, "%sT%02d:%02d:00+08:00,", date, minute / 60, minute % 60);
    } else {
        put_date(f, day, false);
    }
    cust[0] = '\0';
    if (customer >= 0)
        snprintf(cust, sizeof(cust), "C%06d", customer + 1);
    put_field(f, cust, false);
    put_field(f, emp >= 0 ? w->emps[emp].id : "", false);
    put_money(f, amount, false);
    put_field(f, demo_products[product], false);
    put_field(f, status_names[status], true);

    if (emp >= 0) {
        const struct employee *e = &w->emps[emp];
        int mo = month_offset(w, day);

        w->sales[(size_t)emp * w->nmonths + mo] += contribution;
        if (status == ORDER_COMPLETED && amount > 0 &&
            (w->first_sale[emp] == DATE_NONE || day < w->first_sale[emp]))
            w->first_sale[emp] = day;
        w->city_sales[(size_t)w->units[unit_on(w, e, day)].city * w->nmonths + mo] += contribution;
    }
    if (customer >= 0 && status == ORDER_COMPLETED && amount > 0 &&
        (w->custs[customer].last_purchase == DATE_NONE || day > w->custs[customer].last_purchase))
        w->custs[customer].last_purchase = day;
}

/* A customer of rep's book who can buy on day: a background customer
 * with a first purchase in an earlier month, not yet churned. -1 when
 * a few tries find none (the order is then a walk-in). */
static int pick_customer(struct demo_world *w, struct rng *r, int rep, cdate day)
{
    const struct book *b = &w->books[rep];
    int mo = month_offset(w, day);

    for (int tries = 0; tries < 6 && b->len > 0; tries++) {
        int c = b->items[rng_range(r, 0, (int64_t)b->len - 1)];
        const struct customer *cu = &w->custs[c];

        if (cu->story < 0 && month_offset(w, cu->first_date) < mo &&
            (cu->churn == DATE_NONE || cu->churn > day))
            return c;
    }
    return -1;
}

/* The percent of a voluntary leaver's usual sales in month m: falling
 * over the six months before leaving. */
static int leaver_percent(const struct employee *e, int m)
{
    int ahead;

    if (e->reason != LEAVE_VOLUNTARY)
        return 100;
    ahead = date_month_index(e->leave) - m;
    return ahead < 6 ? 60 + 8 * ahead : 100;
}

/* The local time of an order: a tenth of the orders carry a timestamp. */
static int order_minute(struct rng *r)
{
    return rng_chance(r, 100) ? (int)rng_range(r, 8 * 60, 21 * 60 + 59) : -1;
}

/* Writes the order rows of rep i in month m. */
static void rep_month_orders(struct demo_world *w, struct rng *r, int i, int m, cdate lo,
                             cdate hi, int64_t **amounts, size_t *amounts_alloc)
{
    const struct employee *e = &w->emps[i];
    size_t cell = (size_t)i * w->nmonths + (size_t)(m - w->first_month);
    int n = w->quota[cell], nfirst = w->firsts[cell], npos;
    int64_t exact = story_exact_sales(w, e, m), total, sum = 0, weights = 0;
    bool returns;
    int c = w->first_head[cell];

    /* The month's sales: planted, or productivity x season x days. */
    if (exact >= 0) {
        total = exact;
    } else {
        /* The company grows: from 90 % of the standard in January 2024
         * to 110 % in November 2026. */
        int trend = 90 + 20 * (m - w->first_month) / (w->nmonths - 1);

        total = STANDARD_SALES_FEN * e->productivity / 100 * season_percent(m) / 100 * trend / 100;
        total = total * (hi - lo + 1) / (date_month_last(m) - date_month_first(m) + 1);
        total = total * rng_range(r, 90, 110) / 100 * leaver_percent(e, m) / 100;
        if (total < (int64_t)n * 50000)
            total = (int64_t)n * 50000;
    }
    returns = exact < 0 && n - nfirst >= 3 && rng_chance(r, 120);
    npos = n - (returns ? 1 : 0);

    /* Split the month's sales over the purchase rows. */
    XGROW(*amounts, *amounts_alloc, (size_t)n + 1);
    for (int j = 0; j < npos; j++) {
        (*amounts)[j] = rng_range(r, 50, 150);
        weights += (*amounts)[j];
    }
    for (int j = 0; j < npos; j++) {
        (*amounts)[j] = total * (*amounts)[j] / weights;
        sum += (*amounts)[j];
    }
    (*amounts)[0] += total - sum;

    /* First purchases, then repeat orders; a new rep's first order is on
     * the first selling day. */
    for (int j = 0; j < npos; j++) {
        int product = (int)rng_range(r, 0, demo_nproducts - 1);
        cdate day;
        int cust;

        if (c >= 0) {
            day = w->custs[c].first_date;
            cust = c;
            c = w->custs[c].next_first;
        } else {
            day = j == nfirst && lo == e->ramp ? lo : (cdate)rng_range(r, lo, hi);
            cust = rng_chance(r, 30) ? -1 : pick_customer(w, r, i, day);
        }
        write_order(w, day, order_minute(r), cust, i, (*amounts)[j], product, ORDER_COMPLETED);
    }

    /* A cancellation or a refund of up to 8 % of the month. */
    if (returns) {
        cdate day = (cdate)rng_range(r, lo, hi);
        int roll = (int)rng_range(r, 0, 9), cust = pick_customer(w, r, i, day);
        int product = (int)rng_range(r, 0, demo_nproducts - 1);
        int64_t refund = total * rng_range(r, 2, 8) / 100 / 100 * 100;

        if (roll < 4)
            write_order(w, day, -1, cust, i, rng_range(r, 2000, 20000) * 100, product,
                        ORDER_CANCELLED);
        else if (roll < 7)
            write_order(w, day, -1, cust, i, -refund, product, ORDER_COMPLETED);
        else
            write_order(w, day, -1, cust, i, refund, product, ORDER_REFUNDED);
    }
}

static void rep_month_visits(struct demo_world *w, struct rng *r, int i, int n, cdate lo, cdate hi)
{
    static const char *const kinds[] = {"上门拜访", "上门拜访", "上门拜访", "电话沟通", "电话沟通",
                                        "视频会议"};
    FILE *f = w->files[F_VISITS];
    const struct book *b = &w->books[i];
    char id[32], cust[16];

    for (int k = 0; k < n; k++) {
        cdate day = (cdate)rng_range(r, lo, hi);
        int c = b->len ? b->items[rng_range(r, 0, (int64_t)b->len - 1)] : -1;

        snprintf(id, sizeof(id), "V%07ld", ++w->nvisits);
        cust[0] = '\0';
        if (c >= 0 && w->custs[c].created <= day)
            snprintf(cust, sizeof(cust), "C%06d", c + 1);
        put_field(f, id, false);
        put_date(f, day, false);
        put_field(f, w->emps[i].id, false);
        put_field(f, cust, false);
        put_field(f, kinds[rng_range(r, 0, 5)], true);
    }
}

static void rep_month_expenses(struct demo_world *w, struct rng *r, int i, cdate lo, cdate hi)
{
    static const char *const categories[] = {"travel", "travel", "travel", "entertainment",
                                             "entertainment", "marketing", "other"};
    FILE *f = w->files[F_EXPENSES];
    int n = (int)rng_range(r, 1, 2);
    char id[32], date[DATE_BUFSIZE];

    for (int k = 0; k < n; k++) {
        cdate day = (cdate)rng_range(r, lo, hi);
        const char *status = "approved";

        if (day > w->last_day - 20 && rng_chance(r, 500))
            status = "submitted";
        else if (rng_chance(r, 70))
            status = "rejected";
        snprintf(id, sizeof(id), "X%07ld", ++w->nexpenses);
        put_field(f, id, false);
        put_field(f, w->emps[i].id, false);
        if (rng_chance(r, 50)) {
            date_format(day, date);
            fprintf(f, "%sT18:30:00+08:00,", date);
        } else {
            put_date(f, day, false);
        }
        put_field(f, categories[rng_range(r, 0, 6)], false);
        put_money(f, rng_range(r, 8000, 350000), false);
        put_field(f, status, true);
    }
}

/* Hands the book of a rep who left in month m to teammates, one
 * customer at a time, from the day after the last working day. */
static void hand_over(struct demo_world *w, struct rng *r, int i)
{
    const struct employee *e = &w->emps[i];
    struct book *b = &w->books[i];
    cdate day = e->leave + 1;
    int team = unit_on(w, e, e->leave), n = 0;
    int *cand = xmalloc(((size_t)(w->member_start[team + 1] - w->member_start[team]) + 1) *
                        sizeof(*cand));

    for (int j = w->member_start[team]; j < w->member_start[team + 1]; j++) {
        const struct employee *o = &w->emps[w->members[j]];

        if (w->members[j] != i && o->position == POS_SALES && employed_on(o, day) &&
            o->hire <= day && unit_on(w, o, day) == team && o->role != ROLE_LEAVER)
            cand[n++] = w->members[j];
    }
    for (size_t k = 0; n > 0 && k < b->len; k++) {
        int c = b->items[k], to = cand[rng_range(r, 0, n - 1)];

        XGROW(w->handovers, w->handovers_alloc, w->nhandovers + 1);
        w->handovers[w->nhandovers++] = (struct handover){c, to, day};
        w->custs[c].owner = to;
        book_add(&w->books[to], c);
    }
    if (n > 0)
        b->len = 0;
    free(cand);
}

void sales_run(struct demo_world *w)
{
    int64_t *amounts = NULL;
    size_t amounts_alloc = 0;
    struct rng r;

    rng_seed(&r, w->opts.seed, 5);
    fputs("order_id,order_date,customer_id,employee_id,amount,product,status\n",
          w->files[F_ORDERS]);
    fputs("visit_id,visit_date,employee_id,customer_id,kind\n", w->files[F_VISITS]);
    fputs("expense_id,employee_id,expense_date,category,amount,status\n", w->files[F_EXPENSES]);

    for (int mo = 0; mo < w->nmonths; mo++) {
        int m = w->first_month + mo;

        for (size_t i = 0; i < w->nemps; i++) {
            cdate lo, hi;

            if (!selling_window(w, &w->emps[i], m, &lo, &hi))
                continue;
            story_write_orders(w, (int)i, m);
            rep_month_orders(w, &r, (int)i, m, lo, hi, &amounts, &amounts_alloc);
            rep_month_visits(w, &r, (int)i, w->quota[i * (size_t)w->nmonths + (size_t)mo] +
                                                (int)rng_range(&r, 0, 2), lo, hi);
            rep_month_expenses(w, &r, (int)i, lo, hi);
        }
        for (size_t i = 0; i < w->nemps; i++) {
            const struct employee *e = &w->emps[i];

            if (e->leave != DATE_NONE && date_month_index(e->leave) == m && w->books[i].len)
                hand_over(w, &r, (int)i);
        }
    }
    free(amounts);
}

static int compare_handover(const void *a, const void *b)
{
    const struct handover *x = a, *y = b;

    if (x->customer != y->customer)
        return x->customer - y->customer;
    return x->start < y->start ? -1 : x->start > y->start;
}

int write_customers(struct demo_world *w)
{
    static const char *const segments[] = {"key_account", "smb", "经销商"};
    FILE *f = w->files[F_CUSTOMERS], *o = w->files[F_CUSTOMER_OWNERS];
    char id[32], name[96];
    size_t h = 0;

    fputs("customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n", f);
    fputs("customer_id,employee_id,start_date,end_date\n", o);
    qsort(w->handovers, w->nhandovers, sizeof(*w->handovers), compare_handover);
    for (size_t i = 0; i < w->ncusts; i++) {
        const struct customer *c = &w->custs[i];

        snprintf(id, sizeof(id), "C%06zu", i + 1);
        customer_name(c, name, sizeof(name));
        put_field(f, id, false);
        put_field(f, name, false);
        put_field(f, w->units[c->home_unit].id, false);
        put_field(f, segments[c->segment], false);
        put_field(f, demo_cities[c->city].tier, false);
        put_field(f, w->emps[c->owner].id, false);
        put_date(f, c->created, true);

        /* The owner history of a customer that changed hands. */
        if (h < w->nhandovers && w->handovers[h].customer == (int)i) {
            int owner = c->first_rep;
            cdate start = c->created;

            for (; h < w->nhandovers && w->handovers[h].customer == (int)i; h++) {
                put_field(o, id, false);
                put_field(o, w->emps[owner].id, false);
                put_date(o, start, false);
                put_date(o, w->handovers[h].start - 1, true);
                owner = w->handovers[h].owner;
                start = w->handovers[h].start;
            }
            put_field(o, id, false);
            put_field(o, w->emps[owner].id, false);
            put_date(o, start, false);
            put_field(o, "", true);
        }
    }
    return 0;
}
