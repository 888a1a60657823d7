/*
 * The exponential smoothing of the sales forecast on series whose
 * forecasts can be worked out by hand: runs with fixed parameters, the
 * choice by back-test on constant, straight, seasonal, short and
 * turning series, and the interval quantiles.
 */
#include <math.h>
#include <string.h>

#include "support.h"
#include "models/forecast.h"

static void holt_run_by_hand(void **state)
{
    /* Start at month 1: level 10, trend 10. Month 2 is forecast 20 and is
     * 20. Month 3 is forecast 30 but is 15, so the level becomes
     * 0.5 * 15 + 0.5 * 30 = 22.5 and the trend 0.5 * 2.5 + 0.5 * 10 =
     * 6.25. The next forecast is 28.75. */
    const double y[] = {0, 10, 20, 15};
    const struct fc_params p = {.method = FC_HOLT_DAMPED, .alpha = 0.5, .beta = 0.5, .phi = 1};
    struct fc_state st;

    (void)state;
    fc_run(&p, y, 4, &st);
    assert_float_equal(st.forecast, 28.75, 1e-12);
    assert_float_equal(st.trend, 6.25, 1e-12);
    assert_float_equal(st.prev_trend, 10.0, 1e-12);
    assert_float_equal(st.sse, 225.0, 1e-12);
    assert_int_equal(st.nerrors, 2);
}

static void damped_holt_by_hand(void **state)
{
    /* phi 0.8, alpha = beta = 1: each month's level is its value and the
     * trend its step from the month before. Forecast 30 + 0.8 * 10. */
    const double y[] = {10, 20, 30};
    const struct fc_params p = {.method = FC_HOLT_DAMPED, .alpha = 1, .beta = 1, .phi = 0.8};
    struct fc_state st;

    (void)state;
    fc_run(&p, y, 3, &st);
    assert_float_equal(st.forecast, 38.0, 1e-12);
    assert_float_equal(st.trend, 10.0, 1e-12);
    assert_float_equal(st.sse, 4.0, 1e-12); /* month 2 forecast 28 */
}

static void holt_winters_starts_exact(void **state)
{
    /* A season on a straight line: the start from the first two seasons
     * is exact, so every one-step error is 0 whatever the parameters. */
    static const double season[12] = {-3, -2, 0, 1, 2, 1, 0, -1, 0, 1, 3, -2};
    double y[30];
    struct fc_params add = {.method = FC_HW_ADDITIVE, .alpha = 0.3, .beta = 0.2, .gamma = 0.4};
    struct fc_state st;

    (void)state;
    for (int t = 0; t < 30; t++)
        y[t] = 10000 + 50 * t + 1000 * season[t % 12];
    fc_run(&add, y, 30, &st);
    assert_float_equal(st.sse, 0.0, 1e-6);
    assert_float_equal(st.forecast, 10000 + 50 * 30 + 1000 * season[30 % 12], 1e-6);
    assert_float_equal(st.trend, 50.0, 1e-9);
}

static void quantile_interpolates(void **state)
{
    /* Sorted 1, 2, 3, 4: position 0.3 and 2.7 of 0..3. */
    double v[] = {4, 1, 3, 2}, one[] = {-7};

    (void)state;
    assert_float_equal(fc_quantile(v, 4, 0.10), 1.3, 1e-12);
    assert_float_equal(fc_quantile(v, 4, 0.90), 3.7, 1e-12);
    assert_float_equal(fc_quantile(v, 4, 0.0), 1.0, 1e-12);
    assert_float_equal(fc_quantile(v, 4, 1.0), 4.0, 1e-12);
    assert_float_equal(fc_quantile(one, 1, 0.9), -7.0, 1e-12);
}

static void constant_series(void **state)
{
    /* 5000 yuan a month: every candidate forecasts it without error, so
     * naive, the simplest, is chosen and the interval has zero width. */
    double y[12];
    struct fc_choice c;
    struct fc_outcome o;

    (void)state;
    for (int t = 0; t < 12; t++)
        y[t] = 500000;
    assert_int_equal(fc_choose(y, 12, &c), 0);
    assert_int_equal(c.model.method, FC_NAIVE);
    assert_int_equal(c.backtest, 10);
    assert_int_equal(fc_apply(&c, y, 12, &o), 0);
    assert_float_equal(o.forecast, 500000, 1e-9);
    assert_float_equal(o.lower, 500000, 1e-9);
    assert_float_equal(o.upper, 500000, 1e-9);
    assert_float_equal(o.trend, 0, 1e-9);
    assert_false(o.turning);
}

static void straight_line(void **state)
{
    /* 1000, 2000, ..., 12000: Holt's trend with phi = 1 forecasts 13000. */
    double y[12];
    struct fc_choice c;
    struct fc_outcome o;

    (void)state;
    for (int t = 0; t < 12; t++)
        y[t] = 1000.0 * (t + 1);
    assert_int_equal(fc_choose(y, 12, &c), 0);
    assert_int_equal(c.model.method, FC_HOLT_DAMPED);
    assert_int_equal(fc_apply(&c, y, 12, &o), 0);
    assert_int_equal(llround(o.forecast), 13000);
    assert_int_equal(llround(o.lower), 13000);
    assert_int_equal(llround(o.upper), 13000);
    assert_float_equal(o.trend, 1000, 1e-3);
    assert_false(o.turning);
    /* Naive is a step behind every month. */
    assert_float_equal(c.mae[FC_NAIVE], 1000, 1e-9);
    assert_true(isnan(c.mae[FC_SEASONAL_NAIVE]));
}

static void seasonal_series(void **state)
{
    /* Three years of one season: the seasonal naive forecast repeats
     * month 24 exactly and ties with Holt-Winters, so the simpler wins. */
    static const double season[12] = {7, 8, 10, 11, 12, 11, 10, 9, 10, 11, 13, 8};
    double y[36];
    struct fc_choice c;
    struct fc_outcome o;

    (void)state;
    for (int t = 0; t < 36; t++)
        y[t] = 100000 * season[t % 12];
    assert_int_equal(fc_choose(y, 36, &c), 0);
    assert_int_equal(c.model.method, FC_SEASONAL_NAIVE);
    assert_int_equal(c.baseline, FC_SEASONAL_NAIVE);
    assert_int_equal(c.backtest, 12);
    assert_float_equal(c.mae[FC_SEASONAL_NAIVE], 0, 1e-9);
    assert_float_equal(c.mae[FC_HW_ADDITIVE], 0, 1e-6);
    assert_true(c.mae[FC_NAIVE] > 0);
    assert_int_equal(fc_apply(&c, y, 36, &o), 0);
    assert_float_equal(o.forecast, 700000, 1e-9);
    assert_float_equal(o.lower, 700000, 1e-9);
    assert_float_equal(o.upper, 700000, 1e-9);
    /* After 35 months the next is the last month of the season. */
    assert_int_equal(fc_apply(&c, y, 35, &o), 0);
    assert_float_equal(o.forecast, 800000, 1e-9);
}

static void seasonal_models_need_30_months(void **state)
{
    double y[30];
    struct fc_choice c;

    (void)state;
    for (int t = 0; t < 30; t++)
        y[t] = 1000 + (t % 12) * 100;
    assert_int_equal(fc_choose(y, 29, &c), 0);
    assert_true(isnan(c.mae[FC_SEASONAL_NAIVE]));
    assert_true(isnan(c.mae[FC_HW_ADDITIVE]));
    assert_int_equal(c.backtest, 12);
    assert_int_equal(c.baseline, FC_NAIVE);
    assert_int_equal(fc_choose(y, 30, &c), 0);
    assert_false(isnan(c.mae[FC_SEASONAL_NAIVE]));
    assert_false(isnan(c.mae[FC_HW_MULTIPLICATIVE]));
    assert_int_equal(c.backtest, 6);
}

static void multiplicative_needs_positive_sales(void **state)
{
    double y[30];

    (void)state;
    for (int t = 0; t < 30; t++)
        y[t] = 1000 + t;
    assert_true(fc_method_applies(FC_HW_MULTIPLICATIVE, y, 30));
    y[17] = 0;
    assert_false(fc_method_applies(FC_HW_MULTIPLICATIVE, y, 30));
    assert_true(fc_method_applies(FC_HW_ADDITIVE, y, 30));
    assert_false(fc_method_applies(FC_HW_ADDITIVE, y, 23));
}

static void turning_by_hand(void **state)
{
    /* Holt with alpha = beta = 0.5, phi = 1 on 0, 10, 20, 30, 40, 0: the
     * trend is 10 until month 4. Month 5 is forecast 50 but is 0, so the
     * level becomes 25 and the trend 0.5 * (25 - 40) + 0.5 * 10 = -2.5.
     * The forecast is 22.5 and the interval 22.5 - 10 to 22.5 + 20. */
    const double fall[] = {0, 10, 20, 30, 40, 0}, rise[] = {0, 10, 20, 30, 40, 50};
    struct fc_choice c = {.error_low = -10, .error_high = 20};
    struct fc_outcome o;

    (void)state;
    c.model = (struct fc_params){.method = FC_HOLT_DAMPED, .alpha = 0.5, .beta = 0.5, .phi = 1};
    c.trend_model = c.model;
    assert_int_equal(fc_apply(&c, fall, 6, &o), 0);
    assert_float_equal(o.forecast, 22.5, 1e-12);
    assert_float_equal(o.lower, 12.5, 1e-12);
    assert_float_equal(o.upper, 42.5, 1e-12);
    assert_float_equal(o.trend, -2.5, 1e-12);
    assert_true(o.turning);

    /* Still falling a month later: the turn is not new. */
    {
        const double later[] = {0, 10, 20, 30, 40, 0, 0};

        assert_int_equal(fc_apply(&c, later, 7, &o), 0);
        assert_true(o.trend < 0);
        assert_false(o.turning);
    }

    assert_int_equal(fc_apply(&c, rise, 6, &o), 0);
    assert_float_equal(o.forecast, 60, 1e-12);
    assert_float_equal(o.trend, 10, 1e-12);
    assert_false(o.turning);
}

static void interval_stops_at_zero(void **state)
{
    const double y[] = {100, 100, 100};
    struct fc_choice c = {.error_low = -150, .error_high = -20};
    struct fc_outcome o;

    (void)state;
    c.model = (struct fc_params){.method = FC_NAIVE};
    c.trend_model =
        (struct fc_params){.method = FC_HOLT_DAMPED, .alpha = 0.5, .beta = 0.5, .phi = 1};
    assert_int_equal(fc_apply(&c, y, 3, &o), 0);
    assert_float_equal(o.lower, 0, 1e-12);
    assert_float_equal(o.upper, 100, 1e-12); /* widened to the forecast */
}

static void falling_series_never_below_zero(void **state)
{
    /* Holt with alpha = beta = 1, phi = 1 on 300, 200, 50: level 50 and
     * trend -150, so the model forecasts -100 and the interval -100 - 40
     * to -100 + 30. No month was below zero, so all three are cut at 0,
     * while the trend stays -150. */
    const double y[] = {300, 200, 50};
    struct fc_choice c = {.error_low = -40, .error_high = 30};
    struct fc_outcome o;

    (void)state;
    c.model = (struct fc_params){.method = FC_HOLT_DAMPED, .alpha = 1, .beta = 1, .phi = 1};
    c.trend_model = c.model;
    assert_int_equal(fc_apply(&c, y, 3, &o), 0);
    assert_float_equal(o.forecast, 0, 1e-12);
    assert_float_equal(o.lower, 0, 1e-12);
    assert_float_equal(o.upper, 0, 1e-12);
    assert_float_equal(o.trend, -150, 1e-12);
}

static void negative_series_keeps_negative_forecast(void **state)
{
    /* A series with a month below zero (refunds above sales) may be
     * forecast below zero: 100, -50, -200 goes on to -350, with the
     * interval -390 to -320. */
    const double y[] = {100, -50, -200};
    struct fc_choice c = {.error_low = -40, .error_high = 30};
    struct fc_outcome o;

    (void)state;
    c.model = (struct fc_params){.method = FC_HOLT_DAMPED, .alpha = 1, .beta = 1, .phi = 1};
    c.trend_model = c.model;
    assert_int_equal(fc_apply(&c, y, 3, &o), 0);
    assert_float_equal(o.forecast, -350, 1e-12);
    assert_float_equal(o.lower, -390, 1e-12);
    assert_float_equal(o.upper, -320, 1e-12);
}

static void rise_then_fall_turns(void **state)
{
    /* 20000 - 100 (t - 10)^2: up to month 10, down in month 11. The
     * fitted trend turns negative at the last month. */
    double y[12], up[12];
    struct fc_choice c;
    struct fc_outcome o;

    (void)state;
    for (int t = 0; t < 12; t++) {
        y[t] = 20000 - 100.0 * (t - 10) * (t - 10);
        up[t] = 10000 + 1000.0 * t;
    }
    assert_int_equal(fc_choose(y, 12, &c), 0);
    assert_int_equal(fc_apply(&c, y, 12, &o), 0);
    assert_true(o.turning);
    assert_true(o.trend < 0);
    assert_true(o.forecast < y[11]);

    assert_int_equal(fc_choose(up, 12, &c), 0);
    assert_int_equal(fc_apply(&c, up, 12, &o), 0);
    assert_false(o.turning);
    assert_int_equal(llround(o.forecast), 22000);
    assert_float_equal(o.trend, 1000, 1e-3);
}

static void short_series(void **state)
{
    /* Two months give no forecast. Three give one back-test month, from
     * a fit on two months with the starting parameters (phi = 1). */
    const double y[] = {100, 200, 300};
    struct fc_choice c;
    struct fc_outcome o;

    (void)state;
    assert_int_equal(fc_choose(y, 2, &c), -1);
    assert_int_equal(fc_choose(y, 0, &c), -1);
    assert_int_equal(fc_choose(y, 3, &c), 0);
    assert_int_equal(c.backtest, 1);
    assert_int_equal(c.model.method, FC_HOLT_DAMPED);
    assert_float_equal(c.mae[FC_NAIVE], 100, 1e-9);
    assert_float_equal(c.mae[FC_HOLT_DAMPED], 0, 1e-9);
    assert_int_equal(fc_apply(&c, y, 3, &o), 0);
    assert_float_equal(o.forecast, 400, 1e-6);
    assert_float_equal(o.lower, 400, 1e-6);
    assert_float_equal(o.upper, 400, 1e-6);
    assert_int_equal(fc_apply(&c, y, 2, &o), -1);
    /* One back-test month leaves no month to measure the selection on. */
    assert_int_equal(c.chosen.n, 1);
    assert_int_equal(c.online.n, 0);
}

static void selection_measured_out_of_sample(void **state)
{
    /* A straight line: from the second back-test month on, Holt has the
     * lowest MAE so far and forecasts without error, while naive is 1000
     * short each month. */
    double y[12];
    struct fc_choice c;

    (void)state;
    for (int t = 0; t < 12; t++)
        y[t] = 1000.0 * (t + 1);
    assert_int_equal(fc_choose(y, 12, &c), 0);
    assert_int_equal(c.online.n, 9);
    assert_float_equal(c.online.abs_sum, 0, 1e-3);
    assert_float_equal(c.online_baseline.abs_sum, 9000, 1e-9);
    assert_int_equal(c.online_baseline.ape_n, 9);
    assert_int_equal(c.chosen.n, 10);
    assert_float_equal(c.baseline_all.abs_sum, 10000, 1e-9);
    /* Months 4..12 (values 4000..12000) each missed by 1000. */
    {
        double ape = 0;

        for (int t = 3; t < 12; t++)
            ape += 1000 / y[t];
        assert_float_equal(c.online_baseline.ape_sum, ape, 1e-12);
    }
}

static void method_names_round_trip(void **state)
{
    (void)state;
    for (int m = 0; m < FC_METHOD_COUNT; m++)
        assert_int_equal(fc_method_parse(fc_method_name((enum fc_method)m)), m);
    assert_int_equal(fc_method_parse("arima"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(holt_run_by_hand),
        cmocka_unit_test(damped_holt_by_hand),
        cmocka_unit_test(holt_winters_starts_exact),
        cmocka_unit_test(quantile_interpolates),
        cmocka_unit_test(constant_series),
        cmocka_unit_test(straight_line),
        cmocka_unit_test(seasonal_series),
        cmocka_unit_test(seasonal_models_need_30_months),
        cmocka_unit_test(multiplicative_needs_positive_sales),
        cmocka_unit_test(turning_by_hand),
        cmocka_unit_test(interval_stops_at_zero),
        cmocka_unit_test(falling_series_never_below_zero),
        cmocka_unit_test(negative_series_keeps_negative_forecast),
        cmocka_unit_test(rise_then_fall_turns),
        cmocka_unit_test(short_series),
        cmocka_unit_test(selection_measured_out_of_sample),
        cmocka_unit_test(method_names_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
