/*
 * Unit tests of targets and status: attainment, the 90 % and 100 %
 * limits, lower-is-better metrics, direct comparison when the divisor is
 * zero or negative, the default thresholds, and the 1e-9 tolerance that
 * makes 0.15 - 0.10 >= 0.05 hold.
 */
#include <string.h>

#include "metrics/catalog.h"
#include "metrics/scorecard.h"
#include "support.h"

static enum metric_status status_of(int metric, double value, bool has_target, double target,
                                    struct metric_target *t)
{
    struct metric_value v = {true, value};
    enum metric_status s;

    memset(t, 0, sizeof(*t));
    t->has_target = has_target;
    t->target = target;
    metric_apply_target(&metric_defs[metric], &v, t, &s);
    return s;
}

static void attainment_limits(void **state)
{
    struct metric_target t;

    (void)state;
    /* 100 / 100 = 100 %: green; 90 / 100: amber; 89.99 / 100: red. */
    assert_int_equal(status_of(M_SALES, 100, true, 100, &t), STATUS_GREEN);
    assert_true(t.has_attainment);
    assert_true(t.attainment == 1.0);
    assert_int_equal(status_of(M_SALES, 90, true, 100, &t), STATUS_AMBER);
    assert_int_equal(status_of(M_SALES, 89.99, true, 100, &t), STATUS_RED);
}

static void lower_is_better_inverts(void **state)
{
    struct metric_target t;

    (void)state;
    /* Target 0.20, actual 0.25: attainment 0.20 / 0.25 = 80 %: red. */
    assert_int_equal(status_of(M_LABOR_COST_RATIO, 0.25, true, 0.20, &t), STATUS_RED);
    assert_true(t.attainment > 0.8 - 1e-15 && t.attainment < 0.8 + 1e-15);
    /* Actual 0.21: 0.20 / 0.21 = 95.2 %: amber. */
    assert_int_equal(status_of(M_LABOR_COST_RATIO, 0.21, true, 0.20, &t), STATUS_AMBER);
    /* Actual below target: above 100 %: green. */
    assert_int_equal(status_of(M_ATTRITION_RATE, 0.05, true, 0.10, &t), STATUS_GREEN);
}

static void nonpositive_divisor_compares(void **state)
{
    struct metric_target t;

    (void)state;
    /* Target 0 for sales: no attainment; 5 >= 0 green, -5 red. */
    assert_int_equal(status_of(M_SALES, 5, true, 0, &t), STATUS_GREEN);
    assert_false(t.has_attainment);
    assert_int_equal(status_of(M_SALES, -5, true, 0, &t), STATUS_RED);
    /* Negative target for growth: -0.1 >= -0.2 green. */
    assert_int_equal(status_of(M_SALES_YOY, -0.1, true, -0.2, &t), STATUS_GREEN);
    /* Lower is better with actual 0: divisor 0; 0 <= 0.1 green. */
    assert_int_equal(status_of(M_ATTRITION_RATE, 0, true, 0.1, &t), STATUS_GREEN);
    assert_false(t.has_attainment);
    /* Lower is better, target 0 and actual 3: attainment 0 / 3 = 0 %: red. */
    assert_int_equal(status_of(M_AT_RISK_CUSTOMERS, 3, true, 0, &t), STATUS_RED);
}

static void default_thresholds(void **state)
{
    struct metric_target t;

    (void)state;
    /* sales_yoy: green >= 15 %, red < 0 %. */
    assert_int_equal(status_of(M_SALES_YOY, 0.15, false, 0, &t), STATUS_GREEN);
    assert_int_equal(status_of(M_SALES_YOY, 0.0, false, 0, &t), STATUS_AMBER);
    assert_int_equal(status_of(M_SALES_YOY, -0.01, false, 0, &t), STATUS_RED);
    /* csat: green >= 8.5, red < 7. */
    assert_int_equal(status_of(M_CSAT, 7.0, false, 0, &t), STATUS_AMBER);
    assert_int_equal(status_of(M_CSAT, 6.99, false, 0, &t), STATUS_RED);
    /* labor_cost_ratio: green <= 22 %, red > 25 %. */
    assert_int_equal(status_of(M_LABOR_COST_RATIO, 0.22, false, 0, &t), STATUS_GREEN);
    assert_int_equal(status_of(M_LABOR_COST_RATIO, 0.25, false, 0, &t), STATUS_AMBER);
    assert_int_equal(status_of(M_LABOR_COST_RATIO, 0.2501, false, 0, &t), STATUS_RED);
    /* No default and no target: no status. */
    assert_int_equal(status_of(M_HEADCOUNT, 10, false, 0, &t), STATUS_NONE);
}

static void tolerance_favours_limit(void **state)
{
    struct metric_target t;
    volatile double a = 0.15, b = 0.10;
    double diff = a - b; /* 0.04999999999999999 in binary floating point */

    (void)state;
    assert_true(diff < 0.05);
    /* 1.15 / 1.0 - 1 is 0.1499999999999999: still green for sales_yoy. */
    assert_int_equal(status_of(M_SALES_YOY, 1.15 / 1.0 - 1, false, 0, &t), STATUS_GREEN);
    /* A ratio a hair above 22 % is still green for labor_cost_ratio. */
    assert_int_equal(status_of(M_LABOR_COST_RATIO, 0.22 + 1e-12, false, 0, &t), STATUS_GREEN);
    /* Attainment 0.9 reached through arithmetic: amber, not red. */
    assert_int_equal(status_of(M_SALES, 0.3 * 3, true, 1.0, &t), STATUS_AMBER);
}

static void unavailable_has_no_status(void **state)
{
    struct metric_value v = {false, 0};
    struct metric_target t = {true, 100, false, 0};
    enum metric_status s;

    (void)state;
    metric_apply_target(&metric_defs[M_SALES], &v, &t, &s);
    assert_int_equal(s, STATUS_NONE);
    assert_false(t.has_attainment);
}

static void catalogue_names_and_order(void **state)
{
    (void)state;
    assert_int_equal(METRIC_COUNT, 29);
    assert_int_equal(metric_by_name("sales"), M_SALES);
    assert_int_equal(metric_by_name("temporary_share"), M_TEMPORARY_SHARE);
    assert_int_equal(metric_by_name("Sales"), -1);
    assert_int_equal(metric_by_name("sales_growth"), -1);
    /* The lower-is-better metrics of the definitions, and only those. */
    for (int m = 0; m < METRIC_COUNT; m++) {
        bool lower = m == M_LABOR_COST || m == M_LABOR_COST_RATIO || m == M_SALES_EXPENSE_RATIO ||
                     m == M_EXPENSE_RATIO || m == M_ATTRITION_RATE ||
                     m == M_VOLUNTARY_ATTRITION_RATE || m == M_AT_RISK_CUSTOMERS;

        if (metric_defs[m].lower_is_better != lower)
            fail_msg("%s: lower_is_better is wrong", metric_defs[m].name);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(attainment_limits),
        cmocka_unit_test(lower_is_better_inverts),
        cmocka_unit_test(nonpositive_divisor_compares),
        cmocka_unit_test(default_thresholds),
        cmocka_unit_test(tolerance_favours_limit),
        cmocka_unit_test(unavailable_has_no_status),
        cmocka_unit_test(catalogue_names_and_order),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
