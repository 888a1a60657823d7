/*
 * The current attrition risk (risk_attrition, models/risk.h) and the
 * command "cairn model score attrition" that prints it. The stored
 * attrition model is applied to every employee employed on the as-of day
 * (the latest day of the data unless --as-of is given). The list comes
 * highest risk first, each with up to three factors in plain words. A factor is a
 * feature whose term raises this employee's log-odds above the average
 * employee's by more than 0.05, named largest first. The words are in
 * the language of _() at the call (--lang for the command) in every
 * format, because they are written for people, not for programs.
 *
 * The unit of a risk is employees.unit_id, the employee's current unit,
 * which is also the unit the access scope (src/auth/scope.c) uses.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "models/attrition.h"
#include "models/cmd_model.h"
#include "models/forecast.h"
#include "models/risk.h"
#include "models/stored.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define FACTOR_MIN_TERM 0.05

/* A feature is named as a factor only when its value reads as a reason to
 * leave. These are the limits (docs/models.md, "Factors"). */
#define LOW_SATISFACTION   7.0   /* below it, as top_performer_at_risk */
#define SATISFACTION_FALL  0.5   /* points, at the latest survey */
#define SALARY_GAP_MIN     0.05  /* at least 5 % below the position's median */
#define SALES_FALL_MIN     0.10  /* sales_90 at least 10 % down */
#define SHORT_TENURE_YEARS 1.0

/* Appends "satisfaction fell from a to b" when the fall is at least
 * SATISFACTION_FALL points. */
static void add_satisfaction_fall(struct strbuf *sb, double from, double to)
{
    if (from - to >= SATISFACTION_FALL - 1e-9)
        sb_addf(sb, _("satisfaction fell from %.1f to %.1f"), from, to);
}

/* The plain words for feature f of row x, or NULL when its value does not
 * read as a reason (such as a rise in sales or a satisfaction of 8).
 * sales_median is the median sales_90 of the sales staff scored on the
 * same day. */
static char *factor_text(enum attrition_feature f, const double *x, double sales_median)
{
    struct strbuf sb = STRBUF_INIT;

    switch (f) {
    case ATTR_SATISFACTION_DECLINES:
        if (x[f] >= 2)
            sb_addf(&sb, _("satisfaction fell %d times in a row"), (int)x[f]);
        else if (x[f] >= 1 && !isnan(x[ATTR_SATISFACTION_CHANGE]))
            add_satisfaction_fall(&sb, x[ATTR_SATISFACTION] - x[ATTR_SATISFACTION_CHANGE],
                                  x[ATTR_SATISFACTION]);
        break;
    case ATTR_SATISFACTION_CHANGE:
        if (x[f] < 0)
            add_satisfaction_fall(&sb, x[ATTR_SATISFACTION] - x[f], x[ATTR_SATISFACTION]);
        break;
    case ATTR_SATISFACTION:
        if (risk_shown_below(x[f], LOW_SATISFACTION))
            sb_addf(&sb, _("satisfaction is %.1f"), x[f]);
        break;
    case ATTR_SALARY_GAP:
        if (x[f] <= -SALARY_GAP_MIN)
            sb_addf(&sb, _("base salary %d%% below the median of the same position"),
                    (int)lround(-x[f] * 100));
        break;
    case ATTR_SALES_CHANGE:
        if (x[f] <= -SALES_FALL_MIN)
            sb_addf(&sb, _("sales of the last 90 days down %d%% on the 90 days before"),
                    (int)lround(-x[f] * 100));
        break;
    case ATTR_SALES_90:
        if (x[ATTR_SALES_ROLE] > 0 && !isnan(x[f]) && x[f] < sales_median)
            sb_addf(&sb, _("sales of the last 90 days: %.0f yuan, below the median of %.0f yuan "
                           "of the sales staff"),
                    x[f], sales_median);
        break;
    case ATTR_MANAGER_LEFT:
        if (x[f] > 0)
            sb_add(&sb, _("the direct manager left in the last 180 days"));
        break;
    case ATTR_UNIT_LEAVERS:
        if (x[f] > 0)
            sb_addf(&sb, _("%d others of the same unit left in the last 90 days"), (int)x[f]);
        break;
    case ATTR_TENURE_YEARS:
        if (risk_shown_below(x[f], SHORT_TENURE_YEARS))
            sb_addf(&sb, _("tenure of %.1f years"), x[f]);
        break;
    case ATTR_SALES_ROLE:
    case ATTR_COUNT:
        break;
    }
    return sb.len ? sb_detach(&sb) : (sb_release(&sb), NULL);
}

/* Fills r's factors: the features whose terms raise the log-odds most,
 * skipping those that do not read as a reason. */
static void add_factors(const struct logistic_model *m, const double *x, double sales_median,
                        struct risk *r)
{
    size_t order[ATTR_COUNT], n = logistic_rising_terms(m, x, FACTOR_MIN_TERM, order);

    for (size_t k = 0; k < n && r->nfactors < RISK_MAX_FACTORS; k++)
        risk_add_factor(r, factor_text((enum attrition_feature)order[k], x, sales_median),
                        order[k] == ATTR_SALARY_GAP);
}

/* The median sales_90 of the rows of the sales staff, NAN without any. */
static double sales_staff_median(const struct attrition_rows *rows)
{
    double *v = xcalloc(rows->d.n + 1, sizeof(double)), median = NAN;
    size_t n = 0;

    for (size_t i = 0; i < rows->d.n; i++) {
        const double *x = &rows->d.x[i * ATTR_COUNT];

        if (x[ATTR_SALES_ROLE] > 0 && !isnan(x[ATTR_SALES_90]))
            v[n++] = x[ATTR_SALES_90];
    }
    if (n)
        median = fc_quantile(v, n, 0.5);
    free(v);
    return median;
}

int risk_attrition(struct db *db, cdate as_of, struct risk_list *out, struct strbuf *err)
{
    struct logistic_model model;
    struct attrition_rows rows;
    struct hr_data hr;
    double sales_median;
    int found, rc = -1;

    memset(out, 0, sizeof(*out));
    out->as_of = DATE_NONE;
    attrition_rows_init(&rows);
    found = stored_logistic_load(db, "attrition", rows.d.feature_names, ATTR_COUNT, &model, err);
    if (found != 0) {
        attrition_rows_free(&rows);
        return found;
    }
    memset(&hr, 0, sizeof(hr));
    if (hr_data_load(db, &hr, err) < 0)
        goto out;
    as_of = risk_data_day(as_of, hr.last_day);
    if (as_of == DATE_NONE || attrition_add_cutoff(db, &hr, as_of, &rows, err) < 0) {
        if (!err->len)
            sb_add(err, _("the database has no employees to model"));
        goto out;
    }

    out->as_of = as_of;
    sales_median = sales_staff_median(&rows);
    out->v = xcalloc(rows.d.n + 1, sizeof(*out->v));
    for (size_t i = 0; i < rows.d.n; i++) {
        const struct hr_employee *e = &hr.e[rows.employee[i]];
        const double *x = &rows.d.x[i * ATTR_COUNT];
        struct risk *r = &out->v[out->n++];

        r->subject = xstrdup(e->id);
        r->unit = e->unit ? xstrdup(e->unit) : NULL;
        r->probability = platt_apply(1.0, 0.0, logistic_score(&model, x, NULL));
        add_factors(&model, x, sales_median, r);
    }
    risk_list_sort(out);
    rc = 0;

out:
    logistic_model_free(&model);
    attrition_rows_free(&rows);
    hr_data_free(&hr);
    return rc;
}

int model_score_attrition(struct cli *cli, int argc, char **argv)
{
    return model_score_risk(cli, argc, argv, "attrition", risk_attrition, _("employee"));
}
