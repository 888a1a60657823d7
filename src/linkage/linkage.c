/*
 * The two correlation views, training and cost. They choose the units
 * inside the scope (teams, or the units with market rows) and take their
 * two figures from the metrics library for the period and for each of
 * the 12 months ending with it. The points where both figures are
 * available are correlated.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linkage/linkage.h"
#include "metrics/metrics.h"
#include "metrics/org.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define SERIES_MONTHS 12

const char linkage_msg_bad_view[] =
    N_("The view is missing or invalid: use training, turnover or cost.");
const char linkage_msg_employee_scope[] =
    N_("The linkage views take the company or a unit, not an employee.");

static const char *const view_names[] = {"training", "turnover", "cost"};

int linkage_view_parse(const char *name)
{
    for (int v = 0; v < (int)(sizeof(view_names) / sizeof(view_names[0])); v++)
        if (!strcmp(name, view_names[v]))
            return v;
    return -1;
}

const char *linkage_view_name(enum linkage_view view)
{
    return view_names[view];
}

static void analysis_free(struct linkage_analysis *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->points[i].subject);
    free(a->points);
    memset(a, 0, sizeof(*a));
}

void linkage_result_free(struct linkage_result *r)
{
    free(r->scope);
    analysis_free(&r->across);
    analysis_free(&r->over_months);
    memset(r, 0, sizeof(*r));
}

/* Appends a point with a copy of subject. */
static void add_point(struct linkage_analysis *a, const char *subject, int month, double x,
                      double y)
{
    if (a->n == a->alloc) {
        a->alloc = a->alloc ? 2 * a->alloc : 16;
        a->points = xrealloc(a->points, a->alloc * sizeof(*a->points));
    }
    a->points[a->n++] = (struct linkage_point){xstrdup(subject), month, x, y};
}

/* Correlates the points of a. */
static void analyse(struct linkage_analysis *a)
{
    double *x = xmalloc((a->n + 1) * sizeof(double)), *y = xmalloc((a->n + 1) * sizeof(double));

    for (size_t i = 0; i < a->n; i++) {
        x[i] = a->points[i].x;
        y[i] = a->points[i].y;
    }
    linkage_correlate(x, y, a->n, &a->stats);
    free(x);
    free(y);
}

int linkage_scope_unit(const struct org *org, const char *scope, int *unit, struct strbuf *err)
{
    if (metrics_scope_check(scope) || !strncmp(scope, "employee:", 9)) {
        sb_addf(err, _("invalid scope '%s': the linkage views take company or unit:ID"), scope);
        return LINKAGE_BAD_SCOPE;
    }
    *unit = -1;
    if (!strcmp(scope, "company"))
        return 0;
    *unit = org_unit_rank(org, scope + 5);
    if (*unit < 0) {
        sb_addf(err, _("unit '%s' not found"), scope + 5);
        return METRICS_UNKNOWN_SCOPE;
    }
    return 0;
}

bool linkage_unit_within(const struct org *org, int u, int top)
{
    if (top < 0)
        return true;
    for (int depth = 0; u >= 0 && depth <= ORG_MAX_CHAIN; depth++, u = org->units[u].parent)
        if (u == top)
            return true;
    return false;
}

/* Marks the units that have rows in the market table. */
static int mark_market_units(struct db *db, const struct org *org, bool *marked, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "SELECT DISTINCT unit_id FROM market", err);
    int rc;

    if (!st)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int u = org_unit_rank(org, db_column_text(st, 0));

        if (u >= 0)
            marked[u] = true;
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : -1;
}

/* Adds the point of one unit scorecard when both figures are available. */
static void add_card(struct linkage_analysis *a, const struct scorecard *sc, const char *unit,
                     int month, enum metric_id mx, enum metric_id my)
{
    const struct metric_value *x = &sc->values[mx], *y = &sc->values[my];

    if (x->available && y->available && isfinite(x->value) && isfinite(y->value))
        add_point(a, unit, month, x->value, y->value);
}

/* The training and cost views. */
static int correlate_units(struct db *db, struct linkage_result *out, struct strbuf *err)
{
    enum metric_id mx =
        out->view == LINKAGE_TRAINING ? M_TRAINING_COMPLETION_RATE : M_LABOR_COST_RATIO;
    enum metric_id my = out->view == LINKAGE_TRAINING ? M_PER_CAPITA_SALES : M_MARKET_SHARE;
    struct period periods[1 + SERIES_MONTHS];
    struct scorecard *cards = NULL;
    struct org org = {0};
    bool *chosen = NULL;
    size_t ncards = 0, run;
    int rc = METRICS_FAILED, top, last_month;

    /* The units: of kind team, or with market rows, inside the scope. */
    if (org_load(db, &org, err))
        goto out;
    rc = linkage_scope_unit(&org, out->scope, &top, err);
    if (rc)
        goto out;
    rc = METRICS_FAILED;
    chosen = xcalloc(org.nunits + 1, sizeof(bool));
    if (out->view == LINKAGE_COST && mark_market_units(db, &org, chosen, err))
        goto out;
    for (size_t u = 0; u < org.nunits; u++) {
        if (out->view == LINKAGE_TRAINING)
            chosen[u] = org.units[u].kind && !strcmp(org.units[u].kind, "team");
        chosen[u] = chosen[u] && linkage_unit_within(&org, (int)u, top);
    }

    /* The period and the 12 months ending with its last month, in one
     * evaluation. */
    periods[0] = out->period;
    last_month = date_month_index(out->period.end - 1);
    for (int k = 0; k < SERIES_MONTHS; k++)
        periods[1 + k] = period_of_month(last_month - SERIES_MONTHS + 1 + k);
    if (metrics_unit_scorecards(db, periods, 1 + SERIES_MONTHS, out->as_of, &cards, &ncards, err))
        goto out;
    run = ncards / (1 + SERIES_MONTHS);
    if (run != 1 + org.nunits) {
        sb_addf(err, "linkage: %zu scorecards per period for %zu units", run, org.nunits);
        goto out;
    }

    /* The points. The scorecards of a run follow the units' byte order,
     * which is also the order of their ranks. */
    for (size_t k = 0; k <= SERIES_MONTHS; k++) {
        for (size_t u = 0; u < org.nunits; u++) {
            const struct scorecard *sc = &cards[k * run + 1 + u];

            if (!chosen[u])
                continue;
            if (strncmp(sc->scope, "unit:", 5) || strcmp(sc->scope + 5, org.units[u].id)) {
                sb_addf(err, "linkage: scorecard %s where unit %s was expected", sc->scope,
                        org.units[u].id);
                goto out;
            }
            if (k == 0)
                add_card(&out->across, sc, org.units[u].id, -1, mx, my);
            else
                add_card(&out->over_months, sc, org.units[u].id, periods[k].first_month, mx, my);
        }
    }
    analyse(&out->across);
    /* NOTE: a unit appears in up to 12 unit-months, so these points are
     * not independent and the p-value of this analysis is optimistic. */
    analyse(&out->over_months);
    rc = 0;
out:
    for (size_t i = 0; i < ncards; i++)
        scorecard_free(&cards[i]);
    free(cards);
    free(chosen);
    org_free(&org);
    return rc;
}

int linkage_compute(struct db *db, enum linkage_view view, const char *scope,
                    const struct period *p, cdate as_of, struct linkage_result *out,
                    struct strbuf *err)
{
    memset(out, 0, sizeof(*out));
    out->view = view;
    out->scope = xstrdup(scope);
    out->period = *p;
    out->as_of = as_of;
    if (view == LINKAGE_TURNOVER)
        return linkage_turnover(db, scope, p, as_of, out, err);
    return correlate_units(db, out, err);
}
