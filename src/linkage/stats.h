/*
 * The statistics behind the linkage views: Pearson and Spearman
 * correlation with a t-test p-value and a Fisher z confidence interval,
 * the two-proportion z-test, and the strength words every view states.
 * No statistic is reported on fewer than LINKAGE_MIN_POINTS points: the
 * result then says "not enough data" and carries n only.
 */
#ifndef CAIRN_LINKAGE_STATS_H
#define CAIRN_LINKAGE_STATS_H

#include <stdbool.h>
#include <stddef.h>

#define LINKAGE_MIN_POINTS 8

enum linkage_strength {
    STRENGTH_NOT_ENOUGH, /* fewer than LINKAGE_MIN_POINTS points (or per group) */
    STRENGTH_UNDEFINED,  /* enough points, but one variable does not vary */
    STRENGTH_NONE,       /* |r| < 0.1 */
    STRENGTH_WEAK,       /* |r| < 0.3 */
    STRENGTH_MODERATE,   /* |r| < 0.5 */
    STRENGTH_STRONG      /* |r| >= 0.5 */
};

/* A correlation of n paired values. The doubles are meaningful only when
 * strength is STRENGTH_NONE or above. */
struct correlation {
    size_t n;
    enum linkage_strength strength;
    double pearson, spearman;
    double p_value;      /* two-sided, of Pearson's r: t = r sqrt((n-2)/(1-r^2)), n-2 df */
    double ci_lo, ci_hi; /* 95 % interval of Pearson's r by Fisher's z */
};

/*
 * Correlates x with y (n pairs, all finite). Fewer than
 * LINKAGE_MIN_POINTS pairs give STRENGTH_NOT_ENOUGH; a constant x or y
 * gives STRENGTH_UNDEFINED.
 */
void linkage_correlate(const double *x, const double *y, size_t n, struct correlation *out);

/* The two-sided p-value of r = 0 for a sample correlation r of n points:
 * t = r sqrt((n-2)/(1-r^2)) with n-2 degrees of freedom; 0 when |r| = 1.
 * n must be at least 3. */
double linkage_p_value(double r, size_t n);

/* The 95 % interval of a correlation r of n points (n >= 4) by Fisher's
 * z: tanh(atanh(r) -/+ 1.96 / sqrt(n-3)); [r, r] when |r| = 1. */
void linkage_fisher_ci(double r, size_t n, double *lo, double *hi);

/* Two groups with a yes/no outcome: k1 of n1 against k2 of n2. */
struct proportion_test {
    size_t n1, k1, n2, k2;
    enum linkage_strength strength; /* from |phi|, as for a correlation */
    double rate1, rate2;            /* k/n; meaningful when that n > 0 */
    double difference;              /* rate1 - rate2 */
    double ci_lo, ci_hi;            /* 95 % Wald interval of the difference */
    double z, p_value;              /* pooled two-proportion z-test, two-sided */
    double phi;                     /* the 2x2 table's correlation, > 0 when rate1 > rate2 */
};

/*
 * Compares the rates of two groups. Either group below
 * LINKAGE_MIN_POINTS gives STRENGTH_NOT_ENOUGH; the same outcome for
 * everyone (pooled rate 0 or 1) gives STRENGTH_UNDEFINED.
 */
void linkage_compare_proportions(size_t n1, size_t k1, size_t n2, size_t k2,
                                 struct proportion_test *out);

/* The strength word of a correlation coefficient r (|r| < 0.1 none, < 0.3
 * weak, < 0.5 moderate, else strong). */
enum linkage_strength linkage_strength_of(double r);

/* The strength as written in JSON: "not_enough_data", "undefined",
 * "none", "weak", "moderate", "strong". */
const char *linkage_strength_name(enum linkage_strength s);

#endif
