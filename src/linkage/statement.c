/*
 * The plain-words statements of the linkage views and their JSON. A
 * statement names the two figures, the strength word (|r| < 0.1 none,
 * < 0.3 weak, < 0.5 moderate, else strong) with the direction, whether
 * the p-value reaches 0.05, the coefficients, n and the 95 % interval,
 * and ends "Correlation, not cause."; below LINKAGE_MIN_POINTS points it
 * says only that there is not enough data.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "linkage/linkage.h"
#include "util/i18n.h"

/* The titles of the analyses, by view and analysis (0 across, 1 over
 * unit-months). */
static const char *const titles[3][2] = {
    {N_("Training completion and per-capita sales across teams"),
     N_("Training completion and per-capita sales over team-months")},
    {N_("Repurchase after account-owner turnover"), N_("Repurchase after account-owner turnover")},
    {N_("Labor cost ratio and market share across units"),
     N_("Labor cost ratio and market share over unit-months")},
};

static const char *strength_phrase(enum linkage_strength s, double r)
{
    switch (s) {
    case STRENGTH_NONE:
        return N_("no correlation");
    case STRENGTH_WEAK:
        return r > 0 ? N_("weak positive correlation") : N_("weak negative correlation");
    case STRENGTH_MODERATE:
        return r > 0 ? N_("moderate positive correlation") : N_("moderate negative correlation");
    case STRENGTH_STRONG:
        return r > 0 ? N_("strong positive correlation") : N_("strong negative correlation");
    default:
        return "";
    }
}

/* Formats a p-value: two decimals, three below 0.01, "< 0.001" below that. */
static void format_p(double p, char out[16])
{
    if (p < 0.001)
        snprintf(out, 16, "< 0.001");
    else if (p < 0.01)
        snprintf(out, 16, "= %.3f", p);
    else
        snprintf(out, 16, "= %.2f", p);
}

/* Appends "significant (p = 0.004)" or "not significant (p = 0.23)". */
static void add_significance(struct strbuf *out, double p, linkage_translate tr, void *ctx)
{
    char text[16];

    format_p(p, text);
    if (p < 0.05)
        sb_addf(out, tr(N_("significant (p %s)"), ctx), text);
    else
        sb_addf(out, tr(N_("not significant (p %s)"), ctx), text);
}

static void add_not_enough(struct strbuf *out, const char *title, size_t n, linkage_translate tr,
                           void *ctx)
{
    sb_addf(out, tr(N_("%s: not enough data: n = %zu, need %d."), ctx), tr(title, ctx), n,
            LINKAGE_MIN_POINTS);
}

static void correlation_statement(const char *title, const struct correlation *c,
                                  linkage_translate tr, void *ctx, struct strbuf *out)
{
    struct strbuf significance = STRBUF_INIT;

    if (c->strength == STRENGTH_NOT_ENOUGH) {
        add_not_enough(out, title, c->n, tr, ctx);
        return;
    }
    if (c->strength == STRENGTH_UNDEFINED) {
        sb_addf(out,
                tr(N_("%s: no correlation can be computed because one of the two figures "
                      "is the same at every point (n = %zu)."),
                   ctx),
                tr(title, ctx), c->n);
        return;
    }
    add_significance(&significance, c->p_value, tr, ctx);
    sb_addf(out,
            tr(N_("%s: %s, %s (Pearson r = %.3f, Spearman rho = %.3f, n = %zu, 95%% CI %.2f to "
                  "%.2f). Correlation, not cause."),
               ctx),
            tr(title, ctx), tr(strength_phrase(c->strength, c->pearson), ctx), significance.buf,
            c->pearson, c->spearman, c->n, c->ci_lo, c->ci_hi);
    sb_release(&significance);
}

static void turnover_statement(const struct proportion_test *t, linkage_translate tr, void *ctx,
                               struct strbuf *out)
{
    const char *title = titles[LINKAGE_TURNOVER][0];
    struct strbuf significance = STRBUF_INIT;

    if (t->strength == STRENGTH_NOT_ENOUGH) {
        add_not_enough(out, title, t->n1 < t->n2 ? t->n1 : t->n2, tr, ctx);
        return;
    }
    if (t->strength == STRENGTH_UNDEFINED) {
        sb_addf(out,
                tr(N_("%s: every customer had the same outcome, so the groups cannot be "
                      "compared (owner left n = %zu, owner stayed n = %zu)."),
                   ctx),
                tr(title, ctx), t->n1, t->n2);
        return;
    }
    add_significance(&significance, t->p_value, tr, ctx);
    sb_addf(out,
            tr(N_("%s: owner left %.1f%% of %zu, owner stayed %.1f%% of %zu, difference %+.1f "
                  "points (95%% CI %+.1f to %+.1f); %s, %s (phi = %.2f). Correlation, not "
                  "cause."),
               ctx),
            tr(title, ctx), 100.0 * t->rate1, t->n1, 100.0 * t->rate2, t->n2, 100.0 * t->difference,
            100.0 * t->ci_lo, 100.0 * t->ci_hi, significance.buf,
            tr(strength_phrase(t->strength, t->phi), ctx), t->phi);
    sb_release(&significance);
}

void linkage_statement(const struct linkage_result *r, const struct linkage_analysis *a,
                       linkage_translate tr, void *ctx, struct strbuf *out)
{
    if (r->view == LINKAGE_TURNOVER)
        turnover_statement(&r->turnover, tr, ctx, out);
    else
        correlation_statement(titles[r->view][a == &r->over_months], &a->stats, tr, ctx, out);
}

/* A number, or null when the statistic is not shown. */
static json_t *stat_json(bool shown, double v)
{
    return shown && isfinite(v) ? json_real(v) : json_null();
}

static json_t *points_json(const struct linkage_analysis *a)
{
    json_t *points = json_array();

    for (size_t i = 0; i < a->n; i++) {
        const struct linkage_point *pt = &a->points[i];
        json_t *o = json_object();

        json_object_set_new(o, "subject", json_string(pt->subject));
        if (pt->month >= 0) {
            char month[8];

            date_month_format(pt->month, month);
            json_object_set_new(o, "month", json_string(month));
        }
        json_object_set_new(o, "x", json_real(pt->x));
        json_object_set_new(o, "y", json_real(pt->y));
        json_array_append_new(points, o);
    }
    return points;
}

/* Sets points, n, the statistics, strength and statement of a on o. */
static void set_analysis(json_t *o, const struct linkage_result *r,
                         const struct linkage_analysis *a, linkage_translate tr, void *ctx)
{
    const struct correlation *c = &a->stats;
    bool shown = c->strength >= STRENGTH_NONE;
    struct strbuf statement = STRBUF_INIT;

    json_object_set_new(o, "points", points_json(a));
    json_object_set_new(o, "n", json_integer((json_int_t)c->n));
    json_object_set_new(o, "pearson", stat_json(shown, c->pearson));
    json_object_set_new(o, "spearman", stat_json(shown, c->spearman));
    json_object_set_new(o, "p_value", stat_json(shown, c->p_value));
    json_object_set_new(o, "ci", shown ? json_pack("[ff]", c->ci_lo, c->ci_hi) : json_null());
    json_object_set_new(o, "strength", json_string(linkage_strength_name(c->strength)));
    linkage_statement(r, a, tr, ctx, &statement);
    json_object_set_new(o, "statement", json_string(statement.buf));
    sb_release(&statement);
}

static json_t *group_json(size_t n, size_t k, double rate)
{
    return json_pack("{sIsIso}", "n", (json_int_t)n, "repurchased", (json_int_t)k, "rate",
                     n ? json_real(rate) : json_null());
}

static void set_turnover(json_t *o, const struct linkage_result *r, linkage_translate tr, void *ctx)
{
    const struct proportion_test *t = &r->turnover;
    bool shown = t->strength >= STRENGTH_NONE, compared = t->strength >= STRENGTH_UNDEFINED;
    struct strbuf statement = STRBUF_INIT;

    json_object_set_new(o, "points", points_json(&r->across));
    json_object_set_new(o, "n", json_integer((json_int_t)(t->n1 + t->n2)));
    json_object_set_new(o, "groups",
                        json_pack("{soso}", "owner_left", group_json(t->n1, t->k1, t->rate1),
                                  "owner_stayed", group_json(t->n2, t->k2, t->rate2)));
    json_object_set_new(o, "difference", stat_json(compared, t->difference));
    json_object_set_new(o, "ci", compared ? json_pack("[ff]", t->ci_lo, t->ci_hi) : json_null());
    json_object_set_new(o, "z", stat_json(shown, t->z));
    json_object_set_new(o, "p_value", stat_json(shown, t->p_value));
    json_object_set_new(o, "phi", stat_json(shown, t->phi));
    json_object_set_new(o, "strength", json_string(linkage_strength_name(t->strength)));
    json_object_set_new(o, "repurchase_rate",
                        stat_json(r->has_repurchase_rate, r->repurchase_rate));
    linkage_statement(r, &r->across, tr, ctx, &statement);
    json_object_set_new(o, "statement", json_string(statement.buf));
    sb_release(&statement);
}

json_t *linkage_to_json(const struct linkage_result *r, linkage_translate tr, void *ctx)
{
    json_t *root = json_object(), *over;
    char period[16], as_of[DATE_BUFSIZE];

    period_format(&r->period, period);
    date_format(r->as_of, as_of);
    json_object_set_new(root, "view", json_string(linkage_view_name(r->view)));
    json_object_set_new(root, "period", json_string(period));
    json_object_set_new(root, "scope", json_string(r->scope));
    json_object_set_new(root, "as_of", json_string(as_of));
    if (r->view == LINKAGE_TURNOVER) {
        set_turnover(root, r, tr, ctx);
        return root;
    }
    set_analysis(root, r, &r->across, tr, ctx);
    over = json_object();
    set_analysis(over, r, &r->over_months, tr, ctx);
    json_object_set_new(root, "over_months", over);
    return root;
}
