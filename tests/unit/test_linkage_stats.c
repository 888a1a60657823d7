/*
 * Unit tests of the linkage statistics against values computed by hand:
 * Pearson on ten points, Spearman with tied values (average ranks), the
 * t-test p-value at the critical values of a t table, Fisher's interval,
 * the two-proportion z-test, the strength words and their limits, and
 * the refusal to state anything on fewer than 8 points.
 */
#include <math.h>
#include <string.h>

#include "linkage/linkage.h"
#include "linkage/stats.h"
#include "support.h"

static const char *identity(const char *msgid, void *ctx)
{
    (void)ctx;
    return msgid;
}

/* x = 1..10, y = 3 5 4 8 7 9 12 10 14 13: means 5.5 and 8.5, Sxx = 82.5,
 * Syy = 130.5, Sxy = 98.5, so r = 197 / sqrt(165 * 261) = 0.949301135573.
 * t = r sqrt(8 / (1 - r^2)) = 8.541, far beyond t(0.9995, 8) = 5.041,
 * so p < 0.001. */
static void pearson_ten_points(void **state)
{
    const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const double y[] = {3, 5, 4, 8, 7, 9, 12, 10, 14, 13};
    struct correlation c;

    (void)state;
    linkage_correlate(x, y, 10, &c);
    assert_int_equal(c.n, 10);
    assert_int_equal(c.strength, STRENGTH_STRONG);
    assert_float_equal(c.pearson, 197.0 / sqrt(165.0 * 261.0), 1e-12);
    assert_float_equal(c.pearson, 0.949301135573, 1e-12);
    assert_true(c.p_value < 0.001);
    assert_true(c.p_value > 0.0);
    /* Fisher: atanh(r) = 1.824661, 1.96 / sqrt(7) = 0.740797, tanh(1.083864)
     * = 0.794628 and tanh(2.565458) = 0.988247. */
    assert_float_equal(c.ci_lo, tanh(atanh(c.pearson) - 1.959963984540054 / sqrt(7.0)), 1e-12);
    assert_float_equal(c.ci_lo, 0.794628, 1e-6);
    assert_float_equal(c.ci_hi, 0.988247, 1e-6);
}

/* x = 1 2 2 3 4 5 5 5 6 7 ranks to 1 2.5 2.5 4 5 7 7 7 9 10 (ties get
 * the mean rank); y = 2 1 4 3 6 5 8 7 10 9 ranks to itself. Around the
 * mean rank 5.5: Sxy = 74, Sxx = 80, Syy = 82.5, so rho = 74 /
 * sqrt(6600) = 0.910877033247. The formula without ties, 1 - 6 sum d^2 /
 * (n(n^2-1)), would give 0.9121 instead. */
static void spearman_with_ties(void **state)
{
    const double x[] = {1, 2, 2, 3, 4, 5, 5, 5, 6, 7};
    const double y[] = {2, 1, 4, 3, 6, 5, 8, 7, 10, 9};
    struct correlation c;

    (void)state;
    linkage_correlate(x, y, 10, &c);
    assert_float_equal(c.spearman, 74.0 / sqrt(6600.0), 1e-12);
    assert_float_equal(c.spearman, 0.910877033247, 1e-12);
}

/* A t table gives the two-sided 5 % and 1 % critical values 2.228 and
 * 3.169 for 10 degrees of freedom (n = 12), and 2.306 for 8 (n = 10).
 * r = t / sqrt(df + t^2) turns them into correlations. */
static void p_value_matches_t_table(void **state)
{
    struct {
        double t;
        size_t n;
        double p;
    } cases[] = {{2.228, 12, 0.05}, {3.169, 12, 0.01}, {2.306, 10, 0.05}, {1.812, 12, 0.10}};

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double df = (double)cases[i].n - 2.0;
        double r = cases[i].t / sqrt(df + cases[i].t * cases[i].t);

        assert_float_equal(linkage_p_value(r, cases[i].n), cases[i].p, 2e-4);
        assert_float_equal(linkage_p_value(-r, cases[i].n), cases[i].p, 2e-4);
    }
    assert_float_equal(linkage_p_value(0.0, 12), 1.0, 1e-12);
    assert_float_equal(linkage_p_value(1.0, 12), 0.0, 0.0);
}

/* r = 0.5, n = 28: atanh(0.5) = 0.549306, 1.96 / sqrt(25) = 0.391993,
 * tanh(0.157314) = 0.156028 and tanh(0.941299) = 0.735818. */
static void fisher_interval_by_hand(void **state)
{
    double lo, hi;

    (void)state;
    linkage_fisher_ci(0.5, 28, &lo, &hi);
    assert_float_equal(lo, 0.156028, 1e-6);
    assert_float_equal(hi, 0.735818, 1e-6);
    linkage_fisher_ci(-0.5, 28, &lo, &hi);
    assert_float_equal(lo, -0.735818, 1e-6);
    assert_float_equal(hi, -0.156028, 1e-6);
    linkage_fisher_ci(1.0, 28, &lo, &hi);
    assert_float_equal(lo, 1.0, 0.0);
    assert_float_equal(hi, 1.0, 0.0);
}

static void strength_limits(void **state)
{
    (void)state;
    assert_int_equal(linkage_strength_of(0.0), STRENGTH_NONE);
    assert_int_equal(linkage_strength_of(0.0999), STRENGTH_NONE);
    assert_int_equal(linkage_strength_of(-0.0999), STRENGTH_NONE);
    assert_int_equal(linkage_strength_of(0.1), STRENGTH_WEAK);
    assert_int_equal(linkage_strength_of(-0.2999), STRENGTH_WEAK);
    assert_int_equal(linkage_strength_of(0.3), STRENGTH_MODERATE);
    assert_int_equal(linkage_strength_of(-0.4999), STRENGTH_MODERATE);
    assert_int_equal(linkage_strength_of(0.5), STRENGTH_STRONG);
    assert_int_equal(linkage_strength_of(-1.0), STRENGTH_STRONG);
    assert_string_equal(linkage_strength_name(STRENGTH_NOT_ENOUGH), "not_enough_data");
    assert_string_equal(linkage_strength_name(STRENGTH_MODERATE), "moderate");
}

/* Seven points are refused, eight are not; constant values have no r. */
static void fewer_than_eight_refused(void **state)
{
    const double x[] = {1, 2, 3, 4, 5, 6, 7, 8};
    const double y[] = {2, 4, 6, 8, 10, 12, 14, 15};
    const double flat[] = {5, 5, 5, 5, 5, 5, 5, 5};
    struct correlation c;

    (void)state;
    linkage_correlate(x, y, 7, &c);
    assert_int_equal(c.strength, STRENGTH_NOT_ENOUGH);
    assert_int_equal(c.n, 7);
    linkage_correlate(x, y, 0, &c);
    assert_int_equal(c.strength, STRENGTH_NOT_ENOUGH);
    linkage_correlate(x, y, 8, &c);
    assert_int_equal(c.strength, STRENGTH_STRONG);
    linkage_correlate(x, flat, 8, &c);
    assert_int_equal(c.strength, STRENGTH_UNDEFINED);
}

/* 45 of 100 against 30 of 100: pooled 75 / 200 = 0.375, standard error
 * sqrt(0.375 * 0.625 * (1/100 + 1/100)) = 0.0684653, z = 0.15 / that =
 * sqrt(4.8) = 2.190890, two-sided p = erfc(z / sqrt 2) = 0.0284597;
 * phi = (45*70 - 55*30) / sqrt(100*100*75*125) = 0.1549193 (z^2 = 200
 * phi^2). Wald interval: 0.15 -/+ 1.96 sqrt(0.45*0.55/100 + 0.3*0.7/100)
 * = 0.15 -/+ 1.96 * 0.0676387 = 0.15 -/+ 0.132570. */
static void two_proportions_by_hand(void **state)
{
    struct proportion_test t;

    (void)state;
    linkage_compare_proportions(100, 45, 100, 30, &t);
    assert_int_equal(t.strength, STRENGTH_WEAK);
    assert_float_equal(t.rate1, 0.45, 1e-15);
    assert_float_equal(t.rate2, 0.30, 1e-15);
    assert_float_equal(t.difference, 0.15, 1e-15);
    assert_float_equal(t.z, sqrt(4.8), 1e-12);
    assert_float_equal(t.p_value, 0.0284597369, 1e-9);
    assert_float_equal(t.phi, 1500.0 / sqrt(93750000.0), 1e-12);
    assert_float_equal(t.ci_lo, 0.15 - 0.132570, 1e-6);
    assert_float_equal(t.ci_hi, 0.15 + 0.132570, 1e-6);

    /* Swapping the groups flips the signs only. */
    linkage_compare_proportions(100, 30, 100, 45, &t);
    assert_float_equal(t.z, -sqrt(4.8), 1e-12);
    assert_float_equal(t.p_value, 0.0284597369, 1e-9);
    assert_true(t.phi < 0);
}

static void two_proportions_edges(void **state)
{
    struct proportion_test t;

    (void)state;
    linkage_compare_proportions(7, 3, 100, 30, &t);
    assert_int_equal(t.strength, STRENGTH_NOT_ENOUGH);
    linkage_compare_proportions(100, 30, 0, 0, &t);
    assert_int_equal(t.strength, STRENGTH_NOT_ENOUGH);
    assert_float_equal(t.rate1, 0.3, 1e-15);
    linkage_compare_proportions(10, 0, 20, 0, &t);
    assert_int_equal(t.strength, STRENGTH_UNDEFINED);
    linkage_compare_proportions(10, 10, 20, 20, &t);
    assert_int_equal(t.strength, STRENGTH_UNDEFINED);
}

/* The statement of a view below 8 points says only that. */
static void statement_not_enough(void **state)
{
    struct linkage_result r = {.view = LINKAGE_TRAINING};
    struct strbuf sb = STRBUF_INIT;

    (void)state;
    r.across.stats.n = 5;
    r.across.stats.strength = STRENGTH_NOT_ENOUGH;
    linkage_statement(&r, &r.across, identity, NULL, &sb);
    assert_string_equal(sb.buf, "Training completion and per-capita sales across teams: "
                                "not enough data: n = 5, need 8.");
    sb_release(&sb);
}

/* A full statement: strength, direction, significance and the caution. */
static void statement_words(void **state)
{
    struct linkage_result r = {.view = LINKAGE_COST};
    struct strbuf sb = STRBUF_INIT;

    (void)state;
    r.over_months.stats = (struct correlation){.n = 10,
                                               .strength = STRENGTH_WEAK,
                                               .pearson = -0.21,
                                               .spearman = -0.2,
                                               .p_value = 0.23,
                                               .ci_lo = -0.74,
                                               .ci_hi = 0.47};
    linkage_statement(&r, &r.over_months, identity, NULL, &sb);
    assert_string_equal(sb.buf, "Labor cost ratio and market share over unit-months: weak "
                                "negative correlation, not significant (p = 0.23) (Pearson "
                                "r = -0.210, Spearman rho = -0.200, n = 10, 95% CI -0.74 to "
                                "0.47). Correlation, not cause.");
    sb_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pearson_ten_points),      cmocka_unit_test(spearman_with_ties),
        cmocka_unit_test(p_value_matches_t_table), cmocka_unit_test(fisher_interval_by_hand),
        cmocka_unit_test(strength_limits),         cmocka_unit_test(fewer_than_eight_refused),
        cmocka_unit_test(two_proportions_by_hand), cmocka_unit_test(two_proportions_edges),
        cmocka_unit_test(statement_not_enough),    cmocka_unit_test(statement_words),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
