/*
 * The plan of the demo's sales before any order is written: every
 * customer's first purchase (seller and day), and each rep's number of
 * order rows per month so that the data set has exactly the size's
 * number of orders. New customers per team follow the team's story in
 * August to November 2026. Every other team gets b, b+1, b, b+1 new
 * customers in those months, so no unit's count falls three times in a
 * row unless a story plants it.
 */
#include <stdlib.h>
#include <string.h>

#include "demo/internal.h"
#include "util/xalloc.h"

bool selling_window(const struct demo_world *w, const struct employee *e, int m, cdate *lo,
                           cdate *hi)
{
    if (e->position != POS_SALES || e->ramp == DATE_NONE)
        return false;
    *lo = date_month_first(m);
    *hi = date_month_last(m);
    if (e->ramp > *lo)
        *lo = e->ramp;
    if (w->first_day > *lo)
        *lo = w->first_day;
    if (e->leave != DATE_NONE && e->leave < *hi)
        *hi = e->leave;
    return *lo <= *hi;
}

/* Narrows [*lo, *hi] to the days e belongs to unit u. */
static bool in_unit_window(const struct employee *e, int u, cdate *lo, cdate *hi)
{
    if (e->prev_unit == u) {
        if (e->move_date - 1 < *hi)
            *hi = e->move_date - 1;
    } else if (e->unit == u) {
        if (e->prev_unit >= 0 && e->move_date > *lo)
            *lo = e->move_date;
    } else {
        return false;
    }
    return *lo <= *hi;
}

static void build_members(struct demo_world *w)
{
    int *count = xcalloc(w->nunits + 1, sizeof(*count));

    for (size_t i = 0; i < w->nemps; i++) {
        count[w->emps[i].unit]++;
        if (w->emps[i].prev_unit >= 0)
            count[w->emps[i].prev_unit]++;
    }
    w->member_start = xcalloc(w->nunits + 1, sizeof(*w->member_start));
    for (size_t u = 0; u < w->nunits; u++)
        w->member_start[u + 1] = w->member_start[u] + count[u];
    w->members = xmalloc(((size_t)w->member_start[w->nunits] + 1) * sizeof(*w->members));
    memset(count, 0, (w->nunits + 1) * sizeof(*count));
    for (size_t i = 0; i < w->nemps; i++) {
        int u = w->emps[i].unit, p = w->emps[i].prev_unit;

        w->members[w->member_start[u] + count[u]++] = (int)i;
        if (p >= 0)
            w->members[w->member_start[p] + count[p]++] = (int)i;
    }
    free(count);
}

void book_add(struct book *b, int customer)
{
    XGROW(b->items, b->alloc, b->len + 1);
    b->items[b->len++] = customer;
}

/* Appends a customer whose first purchase is on day by rep. */
static int add_customer(struct demo_world *w, struct rng *r, int rep, cdate day, cdate created)
{
    const struct employee *e = &w->emps[rep];
    const struct unit *team = &w->units[unit_on(w, e, day)];
    struct customer *c;
    int roll, mo = month_offset(w, day);

    XGROW(w->custs, w->custs_alloc, w->ncusts + 1);
    c = &w->custs[w->ncusts];
    memset(c, 0, sizeof(*c));
    c->city = team->city;
    c->home_unit = team->kind == KIND_TEAM ? team->parent : (int)(team - w->units);
    customer_name_pick(r, c);
    roll = (int)rng_range(r, 0, 99);
    c->segment = roll < 10 ? 0 : roll < 65 ? 1 : 2;
    c->created = created;
    c->first_date = day;
    c->first_rep = c->owner = rep;
    c->churn = rng_chance(r, 220) ? day + (cdate)rng_range(r, 60, 900) : DATE_NONE;
    c->last_purchase = DATE_NONE;
    c->csat = c->churn != DATE_NONE ? (int)rng_range(r, 600, 820) : (int)rng_range(r, 700, 950);
    c->story = -1;
    c->next_first = w->first_head[(size_t)rep * w->nmonths + mo];
    w->first_head[(size_t)rep * w->nmonths + mo] = (int)w->ncusts;
    w->firsts[(size_t)rep * w->nmonths + mo]++;
    book_add(&w->books[rep], (int)w->ncusts);
    return (int)w->ncusts++;
}

/* New customers of team u in month m: b + (0, 1, 0, 1) from August 2026,
 * b growing with the team, unless a story sets them. */
static int new_customers(struct rng *r, const struct unit *u, int m)
{
    int planted = story_new_customers(u, m);
    int b = u->nreps / 3 > 1 ? u->nreps / 3 : 1;
    int august = date_month_index(demo_date(2026, 8, 1));

    if (planted >= 0)
        return planted;
    if (m >= august)
        return b + (m - august) % 2;
    return (int)rng_range(r, 0, u->nreps / 2 + 1);
}

void plan_customers(struct demo_world *w)
{
    size_t cells = w->nemps * (size_t)w->nmonths;
    int *cand = xmalloc((w->nemps + 1) * sizeof(*cand));
    cdate *cand_lo = xmalloc((w->nemps + 1) * sizeof(*cand_lo));
    cdate *cand_hi = xmalloc((w->nemps + 1) * sizeof(*cand_hi));
    struct rng r;

    rng_seed(&r, w->opts.seed, 4);
    w->first_head = xmalloc(cells * sizeof(*w->first_head));
    for (size_t i = 0; i < cells; i++)
        w->first_head[i] = -1;
    w->firsts = xcalloc(cells, sizeof(*w->firsts));
    w->books = xcalloc(w->nemps, sizeof(*w->books));
    build_members(w);

    /* The story customers come first, so their ids never change. */
    story_add_customers(w);

    /* Each rep employed when the data starts brings a book of customers
     * that buy for the first time (in the data) in its first quarter. */
    for (size_t i = 0; i < w->nemps; i++) {
        const struct employee *e = &w->emps[i];
        cdate lo, hi = demo_date(2024, 3, 31);
        int n = (int)rng_range(&r, 3, 6);

        if (e->position != POS_SALES || e->hire >= w->first_day)
            continue;
        if (e->leave != DATE_NONE && e->leave < hi)
            hi = e->leave;
        lo = w->first_day + 1;
        if (lo > hi)
            continue;
        for (int k = 0; k < n; k++)
            add_customer(w, &r, (int)i, (cdate)rng_range(&r, lo, hi),
                         (cdate)rng_range(&r, demo_date(2018, 1, 1), demo_date(2023, 12, 31)));
    }

    /* New customers, month by month and team by team. */
    for (int mo = 0; mo < w->nmonths; mo++) {
        int m = w->first_month + mo;

        for (size_t u = 0; u < w->nunits; u++) {
            const struct unit *unit = &w->units[u];
            int k, n = 0;

            if (unit->kind != KIND_TEAM)
                continue;
            k = new_customers(&r, unit, m);
            for (int j = w->member_start[u]; j < w->member_start[u + 1]; j++) {
                const struct employee *e = &w->emps[w->members[j]];
                cdate lo, hi;

                if (selling_window(w, e, m, &lo, &hi) && in_unit_window(e, (int)u, &lo, &hi)) {
                    cand[n] = w->members[j];
                    cand_lo[n] = lo;
                    cand_hi[n++] = hi;
                }
            }
            for (int c = 0; c < k && n > 0; c++) {
                int pick = (int)rng_range(&r, 0, n - 1);
                cdate day = (cdate)rng_range(&r, cand_lo[pick], cand_hi[pick]);

                add_customer(w, &r, cand[pick], day, day - (cdate)rng_range(&r, 0, 30));
            }
        }
    }
    free(cand);
    free(cand_lo);
    free(cand_hi);
}

void plan_quotas(struct demo_world *w, long target_orders)
{
    size_t cells = w->nemps * (size_t)w->nmonths;
    int64_t *weight = xcalloc(cells, sizeof(*weight));
    int64_t total_weight = 0, rest, acc = 0, given = 0;
    long minimum = 0;

    w->quota = xcalloc(cells, sizeof(*w->quota));

    /* Each selling rep-month gets its first purchases and at least one or
     * two rows; the rest follow days worked, productivity and season. */
    for (size_t i = 0; i < w->nemps; i++) {
        const struct employee *e = &w->emps[i];

        for (int mo = 0; mo < w->nmonths; mo++) {
            int m = w->first_month + mo;
            size_t cell = i * (size_t)w->nmonths + (size_t)mo;
            cdate lo, hi;
            int days, q;

            if (!selling_window(w, e, m, &lo, &hi))
                continue;
            days = hi - lo + 1;
            q = days >= 10 ? 2 : 1;
            if (w->firsts[cell] > q)
                q = w->firsts[cell];
            w->quota[cell] = (int16_t)q;
            minimum += q;
            weight[cell] = (int64_t)days * e->productivity * season_percent(m) / 100 + 1;
            total_weight += weight[cell];
        }
    }

    /* Share the remaining rows by weight, exactly, with cumulative floors. */
    rest = target_orders - story_order_count() - minimum;
    for (size_t cell = 0; rest > 0 && cell < cells; cell++) {
        int64_t share;

        if (!weight[cell])
            continue;
        acc += weight[cell];
        share = acc * rest / total_weight - given;
        given += share;
        w->quota[cell] = (int16_t)(w->quota[cell] + share);
    }
    free(weight);
}
