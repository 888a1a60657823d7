/*
 * Correlation and proportion statistics for the linkage views, on GSL:
 * gsl_stats_correlation (Pearson), gsl_stats_spearman (Spearman, tied
 * values get their average rank), the Student t and normal distribution
 * tails for the p-values.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "linkage/stats.h"
#include "util/xalloc.h"

/* The 97.5 % point of the standard normal distribution. */
#define Z_975 1.959963984540054

enum linkage_strength linkage_strength_of(double r)
{
    double a = fabs(r);

    if (a < 0.1)
        return STRENGTH_NONE;
    if (a < 0.3)
        return STRENGTH_WEAK;
    if (a < 0.5)
        return STRENGTH_MODERATE;
    return STRENGTH_STRONG;
}

const char *linkage_strength_name(enum linkage_strength s)
{
    static const char *const names[] = {"not_enough_data", "undefined", "none", "weak",
                                        "moderate",        "strong"};

    return names[s];
}

static bool is_constant(const double *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[0])
            return false;
    return true;
}

double linkage_p_value(double r, size_t n)
{
    double df = (double)n - 2.0;

    if (fabs(r) >= 1.0)
        return 0.0;
    return fmin(1.0, 2.0 * gsl_cdf_tdist_Q(fabs(r) * sqrt(df / (1.0 - r * r)), df));
}

void linkage_fisher_ci(double r, size_t n, double *lo, double *hi)
{
    double z, se;

    if (fabs(r) >= 1.0) {
        *lo = *hi = r;
        return;
    }
    z = atanh(r);
    se = 1.0 / sqrt((double)n - 3.0);
    *lo = tanh(z - Z_975 * se);
    *hi = tanh(z + Z_975 * se);
}

void linkage_correlate(const double *x, const double *y, size_t n, struct correlation *out)
{
    double *work, r;

    *out = (struct correlation){.n = n, .strength = STRENGTH_NOT_ENOUGH};
    if (n < LINKAGE_MIN_POINTS)
        return;
    if (is_constant(x, n) || is_constant(y, n)) {
        out->strength = STRENGTH_UNDEFINED;
        return;
    }

    /* Both coefficients; rounding may carry |r| a hair past 1. */
    r = gsl_stats_correlation(x, 1, y, 1, n);
    r = fmax(-1.0, fmin(1.0, r));
    work = xmalloc(2 * n * sizeof(double));
    out->spearman = gsl_stats_spearman(x, 1, y, 1, n, work);
    free(work);
    out->pearson = r;
    out->strength = linkage_strength_of(r);

    out->p_value = linkage_p_value(r, n);
    linkage_fisher_ci(r, n, &out->ci_lo, &out->ci_hi);
}

void linkage_compare_proportions(size_t n1, size_t k1, size_t n2, size_t k2,
                                 struct proportion_test *out)
{
    double total, hits, pooled, se, wald;

    *out = (struct proportion_test){
        .n1 = n1, .k1 = k1, .n2 = n2, .k2 = k2, .strength = STRENGTH_NOT_ENOUGH};
    if (n1)
        out->rate1 = (double)k1 / (double)n1;
    if (n2)
        out->rate2 = (double)k2 / (double)n2;
    if (n1 < LINKAGE_MIN_POINTS || n2 < LINKAGE_MIN_POINTS)
        return;
    out->difference = out->rate1 - out->rate2;
    wald = Z_975 * sqrt(out->rate1 * (1.0 - out->rate1) / (double)n1 +
                        out->rate2 * (1.0 - out->rate2) / (double)n2);
    out->ci_lo = out->difference - wald;
    out->ci_hi = out->difference + wald;
    total = (double)(n1 + n2);
    hits = (double)(k1 + k2);
    pooled = hits / total;
    if (k1 + k2 == 0 || k1 + k2 == n1 + n2) {
        out->strength = STRENGTH_UNDEFINED;
        return;
    }

    /* The pooled z-test; phi is the Pearson r of (group 1?, outcome) and
     * satisfies z^2 = (n1 + n2) phi^2. */
    se = sqrt(pooled * (1.0 - pooled) * (1.0 / (double)n1 + 1.0 / (double)n2));
    out->z = out->difference / se;
    out->p_value = fmin(1.0, 2.0 * gsl_cdf_ugaussian_Q(fabs(out->z)));
    out->phi = ((double)k1 * (double)(n2 - k2) - (double)(n1 - k1) * (double)k2) /
               sqrt((double)n1 * (double)n2 * hits * (total - hits));
    out->strength = linkage_strength_of(out->phi);
}
