/*
 * The demo's customer surveys, targets and market sizes. A background
 * customer's latest CSAT is at least 7.20, so that only the planted
 * customers are at risk. Targets sit a little above the sales the
 * simulation produced; market sizes make each city's share 6 to 14 %.
 */
#include <stdio.h>
#include <stdlib.h>

#include "demo/internal.h"
#include "util/xalloc.h"

/* The owner of customer c on day, from the sorted hand-overs h[0..n). */
static int owner_on(const struct customer *c, const struct handover *h, size_t n, cdate day)
{
    int owner = c->first_rep;

    for (size_t k = 0; k < n && h[k].start <= day; k++)
        owner = h[k].owner;
    return owner;
}

void write_customer_surveys(struct demo_world *w)
{
    FILE *f = w->files[F_CUSTOMER_SURVEYS];
    cdate days[64];
    size_t h = 0;
    struct rng r;

    rng_seed(&r, w->opts.seed, 9);
    fputs("customer_id,survey_date,score,employee_id\n", f);
    for (size_t i = 0; i < w->ncusts; i++) {
        const struct customer *c = &w->custs[i];
        size_t h0 = h, n = 0;
        cdate end = w->last_day, day;
        char id[32];

        while (h < w->nhandovers && w->handovers[h].customer == (int)i)
            h++;
        if (c->story >= 0) {
            story_write_customer_surveys(w, (int)i);
            continue;
        }
        if (c->churn != DATE_NONE && c->churn + 90 < end)
            end = c->churn + 90;
        for (day = c->first_date + (cdate)rng_range(&r, 30, 200); day <= end && n < 64;
             day += (cdate)rng_range(&r, 150, 300))
            days[n++] = day;

        snprintf(id, sizeof(id), "C%06zu", i + 1);
        for (size_t k = 0; k < n; k++) {
            int score = c->csat + (int)rng_range(&r, -80, 80);
            int owner = owner_on(c, w->handovers + h0, h - h0, days[k]);

            if (k == n - 1 && score < 720)
                score = 720 + (int)rng_range(&r, 0, 80);
            score = score > 1000 ? 1000 : score;
            put_field(f, id, false);
            put_date(f, days[k], false);
            put_money(f, score, false);
            put_field(f, w->emps[owner].id, true);
        }
    }
}

static void target_row(FILE *f, const char *kind, const char *scope, const char *period,
                       const char *metric, const char *value)
{
    put_field(f, kind, false);
    put_field(f, scope, false);
    put_field(f, period, false);
    put_field(f, metric, false);
    put_field(f, value, true);
}

static void money_target(FILE *f, const char *kind, const char *scope, const char *period,
                         int64_t fen)
{
    char value[32];

    snprintf(value, sizeof(value), "%lld", (long long)(fen / 100));
    target_row(f, kind, scope, period, "sales", value);
}

/* A sales target: actual sales of the period plus 3 to 12 %, in whole
 * ten thousands of yuan. */
static int64_t round_target(struct rng *r, int64_t fen)
{
    int64_t t = fen * rng_range(r, 103, 112) / 100;

    return (t + 500000) / 1000000 * 1000000;
}

void write_targets(struct demo_world *w)
{
    static const char *const ratios[][2] = {
        {"labor_cost_ratio", "0.22"}, {"sales_expense_ratio", "0.08"},
        {"new_customer_ratio", "0.3"}, {"repurchase_rate", "0.6"},
        {"csat", "8.5"},              {"top_performer_retention", "0.85"},
    };
    FILE *f = w->files[F_TARGETS];
    int nunits = (int)w->nunits;
    int64_t *unit_sales = xcalloc((size_t)nunits * (size_t)w->nmonths, sizeof(*unit_sales));
    char period[16];
    struct rng r;

    rng_seed(&r, w->opts.seed, 10);
    fputs("scope_kind,scope_id,period,metric,value\n", f);

    /* Actual sales per unit (city, region, company) and month. */
    for (int u = 0; u < nunits; u++) {
        const struct unit *unit = &w->units[u];

        if (unit->kind != KIND_CITY)
            continue;
        for (int mo = 0; mo < w->nmonths; mo++) {
            int64_t s = w->city_sales[(size_t)unit->city * w->nmonths + mo];

            for (int p = u; p >= 0; p = w->units[p].parent)
                unit_sales[(size_t)p * w->nmonths + mo] += s;
        }
    }

    /* Company targets: months, quarters and years, and yearly ratios. */
    for (int u = 0; u < nunits; u++) {
        const struct unit *unit = &w->units[u];
        const char *kind = unit->kind == KIND_COMPANY ? "company" : "unit";
        const char *scope = unit->kind == KIND_COMPANY ? "" : unit->id;

        if (unit->kind == KIND_TEAM)
            continue;
        for (int mo = 0; mo + 2 < w->nmonths + 1; mo += 3) {
            int64_t q = 0;

            for (int k = mo; k < mo + 3; k++) {
                /* The last, partial quarter repeats the year before, plus 12 %. */
                int src = k < w->nmonths ? k : k - 12;
                int64_t s = unit_sales[(size_t)u * w->nmonths + src];
                int64_t t = round_target(&r, k < w->nmonths ? s : s * 112 / 100);

                q += t;
                if (unit->kind == KIND_COMPANY) {
                    date_month_format(w->first_month + k, period);
                    money_target(f, kind, scope, period, t);
                }
            }
            snprintf(period, sizeof(period), "%d-Q%d", (w->first_month + mo) / 12,
                     (w->first_month + mo) % 12 / 3 + 1);
            money_target(f, kind, scope, period, q);
        }
        for (int y = 2024; y <= 2026; y++) {
            int64_t t = 0;

            for (int mo = 0; mo < w->nmonths; mo++)
                if ((w->first_month + mo) / 12 == y)
                    t += unit_sales[(size_t)u * w->nmonths + mo];
            if (y == 2026)
                t = t * 12 / 11;
            snprintf(period, sizeof(period), "%d", y);
            money_target(f, kind, scope, period, round_target(&r, t));
            if (unit->kind == KIND_COMPANY)
                for (size_t k = 0; k < sizeof(ratios) / sizeof(ratios[0]); k++)
                    target_row(f, kind, scope, period, ratios[k][0], ratios[k][1]);
        }
    }
    free(unit_sales);
}

void write_market(struct demo_world *w)
{
    FILE *f = w->files[F_MARKET];
    char month[8];
    struct rng r;

    rng_seed(&r, w->opts.seed, 11);
    fputs("unit_id,period,market_size\n", f);
    for (size_t u = 0; u < w->nunits; u++) {
        const struct unit *unit = &w->units[u];
        int share;

        if (unit->kind != KIND_CITY)
            continue;
        share = (int)rng_range(&r, 60, 140); /* permille */
        for (int mo = 0; mo < w->nmonths; mo++) {
            int64_t s = w->city_sales[(size_t)unit->city * w->nmonths + mo];
            int64_t size = (s > 0 ? s : 100000000) * 1000 / share * rng_range(&r, 95, 105) / 100;

            date_month_format(w->first_month + mo, month);
            put_field(f, unit->id, false);
            put_field(f, month, false);
            put_money(f, size / 100000 * 100000, true);
        }
    }
}
