/*
 * The current churn risk (risk_churn, models/risk.h): the stored churn
 * model applied to every customer with a purchase in the 365 days up to
 * the as-of day, highest risk first. A factor is a feature whose term
 * raises the customer's log-odds above the average customer's by more
 * than 0.05, named largest first, up to three. The unit of a risk is the
 * unit on the as-of day of the customer's owner on that day.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/org.h"
#include "models/churn.h"
#include "models/forecast.h"
#include "models/risk.h"
#include "models/stored.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define FACTOR_MIN_TERM 0.05

/* A feature is named as a factor only when its value reads as a reason to
 * stop buying. These are the limits (docs/models.md, "Factors"). */
#define LONG_RECENCY_DAYS CHURN_HORIZON /* silence alone, without a usual gap */
#define VALUE_FALL_MIN    0.10          /* value_365 at least 10 % down */
#define REFUND_SHARE_MIN  0.10
#define LOW_CSAT          7.0           /* below it, as at_risk_customers */
#define CSAT_FALL         0.5           /* points, at the latest survey */
#define LOW_P_ALIVE       0.5
#define LOW_EXPECTED_90   0.5           /* purchase days in the next 90 days */

/* The medians of frequency_365 and value_365 over the customers scored. */
struct churn_medians {
    double frequency, value;
};

/* The plain words for feature f of row r, or NULL when its value does not
 * read as a reason for churn (such as a frequency above the median). */
static char *factor_text(enum churn_feature f, const struct churn_rows *rows, size_t r,
                         const struct churn_medians *medians)
{
    const double *x = &rows->d.x[r * CHURN_COUNT];
    struct strbuf sb = STRBUF_INIT;

    switch (f) {
    case CHURN_RECENCY:
    case CHURN_MEAN_GAP:
        if (!isnan(x[CHURN_MEAN_GAP]) && x[CHURN_RECENCY] > x[CHURN_MEAN_GAP])
            sb_addf(&sb, _("no purchase in %d days, before that one every %d days on average"),
                    (int)x[CHURN_RECENCY], (int)lround(x[CHURN_MEAN_GAP]));
        else if (f == CHURN_RECENCY && x[CHURN_RECENCY] >= LONG_RECENCY_DAYS)
            sb_addf(&sb, _("no purchase in %d days"), (int)x[CHURN_RECENCY]);
        break;
    case CHURN_FREQUENCY:
        if (x[f] < medians->frequency)
            sb_addf(&sb, _("purchases on %d days of the last 365, below the median of %.0f"),
                    (int)x[f], medians->frequency);
        break;
    case CHURN_VALUE:
        if (x[f] < medians->value)
            sb_addf(&sb, _("sales of the last 365 days: %.0f yuan, below the median of %.0f yuan"),
                    x[f], medians->value);
        break;
    case CHURN_VALUE_CHANGE:
        if (x[f] <= -VALUE_FALL_MIN)
            sb_addf(&sb, _("sales of the last 365 days down %d%% on the 365 days before"),
                    (int)lround(-x[f] * 100));
        break;
    case CHURN_REFUND_SHARE:
        if (x[f] >= REFUND_SHARE_MIN)
            sb_addf(&sb, _("%d%% of the last 365 days' purchases refunded"),
                    (int)lround(x[f] * 100));
        break;
    case CHURN_CSAT_CHANGE:
        if (x[f] <= -CSAT_FALL + 1e-9)
            sb_addf(&sb, _("satisfaction fell from %.1f to %.1f"), x[CHURN_CSAT] - x[f],
                    x[CHURN_CSAT]);
        break;
    case CHURN_CSAT:
        if (risk_shown_below(x[f], LOW_CSAT))
            sb_addf(&sb, _("satisfaction is %.1f"), x[f]);
        break;
    case CHURN_HANDOVER:
        if (x[f] > 0)
            sb_addf(&sb, _("owner changed %d days ago"), (int)rows->handover_days[r]);
        break;
    case CHURN_P_ALIVE:
        if (!isnan(x[f]) && x[f] < LOW_P_ALIVE)
            sb_addf(&sb, _("%d%% likely to buy again by its purchase pattern"),
                    (int)lround(x[f] * 100));
        break;
    case CHURN_EXPECTED_90:
        if (!isnan(x[f]) && x[f] < LOW_EXPECTED_90)
            sb_addf(&sb, _("%.1f purchases expected in the next 90 days"), x[f]);
        break;
    case CHURN_COUNT:
        break;
    }
    return sb.len ? sb_detach(&sb) : (sb_release(&sb), NULL);
}

/* Fills r's factors from row i. */
static void add_factors(const struct logistic_model *m, const struct churn_rows *rows, size_t i,
                        const struct churn_medians *medians, struct risk *r)
{
    size_t order[CHURN_COUNT], n = logistic_rising_terms(m, &rows->d.x[i * CHURN_COUNT],
                                                         FACTOR_MIN_TERM, order);

    /* Recency and the mean gap share a text, given once. */
    for (size_t k = 0; k < n && r->nfactors < RISK_MAX_FACTORS; k++)
        risk_add_factor(r, factor_text((enum churn_feature)order[k], rows, i, medians), false);
}

/* The median of feature f over the rows (NAN without rows). */
static double feature_median(const struct churn_rows *rows, enum churn_feature f)
{
    double *v = xcalloc(rows->d.n + 1, sizeof(double)), median = NAN;
    size_t n = 0;

    for (size_t i = 0; i < rows->d.n; i++)
        if (!isnan(rows->d.x[i * CHURN_COUNT + f]))
            v[n++] = rows->d.x[i * CHURN_COUNT + f];
    if (n)
        median = fc_quantile(v, n, 0.5);
    free(v);
    return median;
}

/* The unit on day of employee id, or NULL. */
static char *unit_of(const struct org *org, const char *id, cdate day)
{
    int e = id ? org_employee_rank(org, id) : -1, u = e >= 0 ? org_unit_at(org, e, day) : -1;

    return u >= 0 ? xstrdup(org->units[u].id) : NULL;
}

int risk_churn(struct db *db, cdate as_of, struct risk_list *out, struct strbuf *err)
{
    struct logistic_model model;
    struct churn_rows rows;
    struct churn_data cd;
    struct churn_medians medians;
    struct org org;
    int found, rc = -1;

    memset(out, 0, sizeof(*out));
    out->as_of = DATE_NONE;
    churn_rows_init(&rows);
    found = stored_logistic_load(db, "churn", rows.d.feature_names, CHURN_COUNT, &model, err);
    if (found != 0) {
        churn_rows_free(&rows);
        return found;
    }
    memset(&org, 0, sizeof(org));
    if (churn_data_load(db, &cd, err) < 0 || org_load(db, &org, err) < 0)
        goto out;
    as_of = risk_data_day(as_of, cd.last_day);
    if (as_of == DATE_NONE) {
        sb_add(err, _("the database has no customer purchases to model"));
        goto out;
    }

    churn_add_cutoff(&cd, as_of, &rows);
    medians.frequency = feature_median(&rows, CHURN_FREQUENCY);
    medians.value = feature_median(&rows, CHURN_VALUE);
    out->as_of = as_of;
    out->v = xcalloc(rows.d.n + 1, sizeof(*out->v));
    for (size_t i = 0; i < rows.d.n; i++) {
        struct risk *r = &out->v[out->n++];

        r->subject = xstrdup(cd.c[rows.customer[i]].id);
        r->unit = unit_of(&org, churn_owner_on(&cd, rows.customer[i], as_of), as_of);
        r->probability = platt_apply(1.0, 0.0,
                                     logistic_score(&model, &rows.d.x[i * CHURN_COUNT], NULL));
        add_factors(&model, &rows, i, &medians, r);
    }
    risk_list_sort(out);
    rc = 0;

out:
    churn_data_free(&cd);
    org_free(&org);
    logistic_model_free(&model);
    churn_rows_free(&rows);
    return rc;
}
