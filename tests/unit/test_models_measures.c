/*
 * The classification measures, stratified folds and Platt scaling, on
 * inputs small enough to compute by hand (the reckoning is beside each
 * case).
 */
#include <math.h>
#include <stdlib.h>

#include "support.h"
#include "models/models.h"

static void roc_auc_counts_ties_half(void **state)
{
    /* Positive-negative pairs: 0.9>0.8, 0.9>0.3, 0.8=0.8 (a half),
     * 0.8>0.3, so 3.5 of 4. */
    const double p[] = {0.9, 0.8, 0.8, 0.3};
    const int y[] = {1, 0, 1, 0};
    const int one_class[] = {1, 1, 1, 1};

    (void)state;
    assert_float_equal(measure_roc_auc(p, y, 4), 0.875, 1e-12);
    assert_true(isnan(measure_roc_auc(p, one_class, 4)));
}

static void roc_auc_perfect_and_reversed(void **state)
{
    const double p[] = {0.1, 0.2, 0.3, 0.4, 0.5};
    const int up[] = {0, 0, 0, 1, 1}, down[] = {1, 1, 0, 0, 0};

    (void)state;
    assert_float_equal(measure_roc_auc(p, up, 5), 1.0, 1e-12);
    assert_float_equal(measure_roc_auc(p, down, 5), 0.0, 1e-12);
}

static void average_precision_groups_ties(void **state)
{
    /* Threshold 0.9: precision 1, recall +1/2. Threshold 0.8 (two rows):
     * precision 2/3, recall +1/2. AP = 1/2 + 1/3. */
    const double p[] = {0.9, 0.8, 0.8, 0.3};
    const int y[] = {1, 0, 1, 0};

    (void)state;
    assert_float_equal(measure_average_precision(p, y, 4), 0.5 + 1.0 / 3.0, 1e-12);
}

static void brier_and_lift(void **state)
{
    const double p[] = {0.9, 0.8, 0.8, 0.3};
    const int y[] = {1, 0, 1, 0};
    double p20[20];
    int y20[20] = {0};

    (void)state;
    /* (0.01 + 0.64 + 0.04 + 0.09) / 4 */
    assert_float_equal(measure_brier(p, y, 4), 0.195, 1e-12);
    /* The top 10 % of 4 rows is one row (rounded up): 1 / (2/4). */
    assert_float_equal(measure_lift_top(p, y, 4, 0.10), 2.0, 1e-12);

    /* 20 rows, 4 positive, the top two rows are one positive and one
     * negative: (1/2) / (4/20) = 2.5. */
    for (int i = 0; i < 20; i++)
        p20[i] = 1.0 - i / 20.0;
    y20[0] = y20[5] = y20[9] = y20[15] = 1;
    assert_float_equal(measure_lift_top(p20, y20, 20, 0.10), 2.5, 1e-12);
}

static void calibration_bins(void **state)
{
    const double p[] = {0.05, 0.1, 0.15, 1.0, 0.95};
    const int y[] = {0, 1, 0, 1, 0};
    struct calibration_bin bins[10];

    (void)state;
    measure_calibration(p, y, 5, bins);
    assert_int_equal(bins[0].n, 1);
    assert_int_equal(bins[1].n, 2);   /* 0.1 and 0.15 */
    assert_float_equal(bins[1].predicted, 0.125, 1e-12);
    assert_float_equal(bins[1].observed, 0.5, 1e-12);
    assert_int_equal(bins[9].n, 2);   /* 1.0 falls in the last bin */
    assert_float_equal(bins[9].predicted, 0.975, 1e-12);
    assert_int_equal(bins[5].n, 0);
    assert_int_equal(bins[9].bin, 10);
}

static void folds_stratified_balance(void **state)
{
    /* 3 positives dealt to folds 0,1,2, then 7 negatives continue the
     * deal: 0,1,2,0,1,2,0. Sizes 4,3,3, one positive each. */
    const int y[] = {0, 1, 0, 0, 1, 0, 0, 1, 0, 0};
    int fold[10], again[10], size[3] = {0}, pos[3] = {0};

    (void)state;
    folds_stratified(y, 10, 3, 42, fold);
    for (int i = 0; i < 10; i++) {
        assert_true(fold[i] >= 0 && fold[i] < 3);
        size[fold[i]]++;
        pos[fold[i]] += y[i];
    }
    assert_int_equal(size[0], 4);
    assert_int_equal(size[1], 3);
    assert_int_equal(size[2], 3);
    for (int f = 0; f < 3; f++)
        assert_int_equal(pos[f], 1);
    folds_stratified(y, 10, 3, 42, again);
    assert_memory_equal(fold, again, sizeof(fold));
}

static void platt_uninformative_scores(void **state)
{
    /* Each score has one positive and one negative, and the smoothed
     * targets 3/4 and 1/4 average 1/2: a = b = 0. */
    const double s[] = {-1, -1, 1, 1};
    const int y[] = {0, 1, 0, 1};
    double a, b;

    (void)state;
    platt_fit(s, y, 4, &a, &b);
    assert_float_equal(a, 0.0, 1e-6);
    assert_float_equal(b, 0.0, 1e-6);
    assert_float_equal(platt_apply(a, b, 5.0), 0.5, 1e-6);
}

static void platt_constant_scores(void **state)
{
    /* All scores 0: the fit is the mean target, (3 * 4/5 + 1/3) / 4 =
     * 41/60, so b = log(41/19). */
    const double s[] = {0, 0, 0, 0};
    const int y[] = {1, 1, 1, 0};
    double a, b;

    (void)state;
    platt_fit(s, y, 4, &a, &b);
    assert_float_equal(b, log(41.0 / 19.0), 1e-6);
    assert_float_equal(platt_apply(a, b, 0.0), 41.0 / 60.0, 1e-6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roc_auc_counts_ties_half),
        cmocka_unit_test(roc_auc_perfect_and_reversed),
        cmocka_unit_test(average_precision_groups_ties),
        cmocka_unit_test(brier_and_lift),
        cmocka_unit_test(calibration_bins),
        cmocka_unit_test(folds_stratified_balance),
        cmocka_unit_test(platt_uninformative_scores),
        cmocka_unit_test(platt_constant_scores),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
