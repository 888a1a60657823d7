/*
 * The unit rules, evaluated for the company and every unit from the
 * scorecards of the four months m-3 to m: new customers falling three
 * months in a row, a team's attrition rising while its satisfaction
 * falls, and a labor cost ratio above the limit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/rules.h"
#include "metrics/metrics.h"
#include "util/xalloc.h"

#define NMONTHS 4 /* m-3, m-2, m-1, m */

/* The scorecard of slot s (0: company, 1 + u: unit u) in month m - back. */
static const struct scorecard *card(const struct scorecard *cards, size_t nslots, size_t s,
                                    int back)
{
    return &cards[(size_t)(NMONTHS - 1 - back) * nslots + s];
}

static bool all_available(const struct scorecard *cards, size_t nslots, size_t s,
                          enum metric_id m, int months)
{
    for (int back = 0; back < months; back++)
        if (!card(cards, nslots, s, back)->values[m].available)
            return false;
    return true;
}

/* Rule 1: new_customers(m-3) > (m-2) > (m-1) > (m). */
static json_t *new_customers_falling(const struct scorecard *cards, size_t nslots, size_t s)
{
    json_t *list;

    if (!all_available(cards, nslots, s, M_NEW_CUSTOMERS, NMONTHS))
        return NULL;
    for (int back = NMONTHS - 1; back > 0; back--)
        if (!(card(cards, nslots, s, back)->values[M_NEW_CUSTOMERS].value >
              card(cards, nslots, s, back - 1)->values[M_NEW_CUSTOMERS].value))
            return NULL;
    list = json_array();
    for (int back = NMONTHS - 1; back >= 0; back--)
        json_array_append_new(
            list, alert_number(card(cards, nslots, s, back)->values[M_NEW_CUSTOMERS].value));
    return json_pack("{s:o}", "new_customers", list);
}

/* Rule 2: attrition rose by at least the threshold and satisfaction fell. */
static json_t *team_risk(const struct alert_ctx *ctx, const struct scorecard *cards,
                         size_t nslots, size_t s)
{
    const struct metric_value *a0, *a1, *s0, *s1;

    if (!all_available(cards, nslots, s, M_ATTRITION_RATE, 2) ||
        !all_available(cards, nslots, s, M_EMPLOYEE_SATISFACTION, 2))
        return NULL;
    a0 = &card(cards, nslots, s, 1)->values[M_ATTRITION_RATE];
    a1 = &card(cards, nslots, s, 0)->values[M_ATTRITION_RATE];
    s0 = &card(cards, nslots, s, 1)->values[M_EMPLOYEE_SATISFACTION];
    s1 = &card(cards, nslots, s, 0)->values[M_EMPLOYEE_SATISFACTION];
    if (a1->value - a0->value < ctx->attrition_rise - ALERT_EPSILON ||
        !(s1->value < s0->value - ALERT_EPSILON))
        return NULL;
    return json_pack("{s:[f,f],s:[f,f]}", "attrition_rate", a0->value, a1->value,
                     "employee_satisfaction", s0->value, s1->value);
}

/* Rule 3: labor_cost_ratio(m) above the limit. */
static json_t *labor_cost_high(const struct alert_ctx *ctx, const struct scorecard *cards,
                               size_t nslots, size_t s)
{
    const struct scorecard *sc = card(cards, nslots, s, 0);
    const struct metric_value *ratio = &sc->values[M_LABOR_COST_RATIO];

    if (!ratio->available || !sc->values[M_LABOR_COST].available ||
        !sc->values[M_SALES].available || !(ratio->value - ctx->labor_max > ALERT_EPSILON))
        return NULL;
    return json_pack("{s:f,s:o,s:o}", "labor_cost_ratio", ratio->value, "labor_cost",
                     alert_money(llround(sc->values[M_LABOR_COST].value * 100.0)), "sales",
                     alert_money(llround(sc->values[M_SALES].value * 100.0)));
}

int alerts_unit_rules(struct alert_ctx *ctx, struct strbuf *err)
{
    const struct org *org = &ctx->org;
    struct period periods[NMONTHS];
    struct scorecard *cards = NULL;
    struct strbuf scope = STRBUF_INIT;
    size_t n = 0, nslots = org->nunits + 1;
    char period[16];
    int rc = -1;

    for (int k = 0; k < NMONTHS; k++)
        periods[k] = period_of_month(ctx->m - (NMONTHS - 1) + k);
    period_format(&periods[NMONTHS - 1], period);
    if (metrics_unit_scorecards(ctx->db, periods, NMONTHS, ctx->as_of, &cards, &n, err))
        goto out;
    if (n != nslots * NMONTHS) {
        sb_addf(err, "unexpected number of scorecards: %zu", n);
        goto out;
    }

    /* Slot 0 is the company, slot 1 + u unit u. */
    for (int rule = AR_NEW_CUSTOMERS_FALLING; rule <= AR_LABOR_COST_HIGH; rule++) {
        for (size_t s = 0; s < nslots; s++) {
            int u = (int)s - 1;
            const char *subject = u < 0 ? "company" : org->units[u].id;
            const char *owner = u < 0 ? (ctx->root >= 0 ? ctx->unit_manager[ctx->root] : NULL)
                                      : ctx->unit_manager[u];
            json_t *figures = NULL;

            /* The company is always "company", never its root unit. */
            if (u >= 0 && u == ctx->root && ctx->single_root)
                continue;
            if (rule == AR_NEW_CUSTOMERS_FALLING)
                figures = new_customers_falling(cards, nslots, s);
            else if (rule == AR_TEAM_RISK && u >= 0 && !strcmp(org->units[u].kind, "team"))
                figures = team_risk(ctx, cards, nslots, s);
            else if (rule == AR_LABOR_COST_HIGH)
                figures = labor_cost_high(ctx, cards, nslots, s);
            if (!figures)
                continue;
            if (u < 0)
                sb_setf(&scope, "company");
            else
                sb_setf(&scope, "unit:%s", subject);
            alert_push(ctx, (enum alert_rule)rule, scope.buf, period, subject, owner, figures);
        }
    }
    rc = 0;
out:
    for (size_t i = 0; i < n; i++)
        scorecard_free(&cards[i]);
    free(cards);
    sb_release(&scope);
    return rc;
}
