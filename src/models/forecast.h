/*
 * The monthly sales forecast (internal to src/models): exponential
 * smoothing models of one series, fitted by least squares of the
 * one-step errors, compared by a rolling-origin back-test, and the
 * turning-point rule. Values are in fen as doubles; callers round the
 * results to fen with llround. risk.h has the library interface built
 * on these, and docs/models.md the method.
 */
#ifndef CAIRN_FORECAST_H
#define CAIRN_FORECAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "db/db.h"
#include "util/date.h"
#include "util/strbuf.h"

#define FC_PERIOD                12 /* months of a season */
#define FC_MIN_MONTHS            3  /* shorter series get no forecast */
#define FC_MAX_BACKTEST          12 /* one-step forecasts in the back-test */
#define FC_MIN_SEASONAL_BACKTEST 6
/* A seasonal model is a candidate only when every back-test origin has
 * two whole seasons of history before it. */
#define FC_SEASONAL_MONTHS (2 * FC_PERIOD + FC_MIN_SEASONAL_BACKTEST)
#define FC_INTERVAL_LOW    0.10 /* quantiles of the 80 % interval */
#define FC_INTERVAL_HIGH   0.90

/* The candidates, simplest first: a tie in the back-test goes to the
 * earlier one. */
enum fc_method {
    FC_NAIVE,             /* the last month again */
    FC_SEASONAL_NAIVE,    /* the same month a year before */
    FC_SES,               /* simple exponential smoothing */
    FC_HOLT_DAMPED,       /* Holt's linear trend, damped */
    FC_HW_ADDITIVE,       /* Holt-Winters, additive season of 12 */
    FC_HW_MULTIPLICATIVE, /* Holt-Winters, multiplicative season of 12 */
    FC_METHOD_COUNT
};

struct fc_params {
    enum fc_method method;
    double alpha, beta, gamma, phi; /* level, trend, season, damping */
};

/* The state after running a model over a series. */
struct fc_state {
    double forecast;   /* one step after the last month */
    double trend;      /* trend component at the last month (0 without one) */
    double prev_trend; /* and at the month before it */
    double sse;        /* sum of squared one-step errors */
    size_t nerrors;    /* how many one-step errors sse sums */
};

const char *fc_method_name(enum fc_method m);
/* Returns the method named s, or -1. */
int fc_method_parse(const char *s);
bool fc_method_has_trend(enum fc_method m);
bool fc_method_is_seasonal(enum fc_method m);
/* Whether m can be fitted on the n values of y (enough months; positive
 * values for the multiplicative season). */
bool fc_method_applies(enum fc_method m, const double *y, size_t n);

/* Runs the model with fixed parameters over y[0..n) (fc_method_applies
 * must hold) and fills st. */
void fc_run(const struct fc_params *p, const double *y, size_t n, struct fc_state *st);

/* Fits the smoothing parameters of method m to y[0..n) by minimising the
 * sum of squared one-step errors (GSL Nelder-Mead). */
void fc_fit(enum fc_method m, const double *y, size_t n, struct fc_params *out);

/* Absolute and absolute percentage errors summed over forecast months;
 * the percentage only over months with positive sales. */
struct fc_accuracy {
    double abs_sum, ape_sum;
    size_t n, ape_n;
};

/* The choice for one series. */
struct fc_choice {
    struct fc_params model;       /* the chosen model, fitted on all of y */
    struct fc_params trend_model; /* model, or the best candidate with a trend */
    size_t backtest;              /* one-step forecasts in the back-test (1..12) */
    double mae[FC_METHOD_COUNT];  /* back-test MAE per candidate, NAN when not one */
    enum fc_method baseline;      /* seasonal naive when a candidate, else naive */
    double error_low, error_high; /* quantiles of the chosen model's back-test errors */
    /* The back-test accuracy of the chosen model and of the baseline.
     * The chosen model's figure flatters it, because the same months
     * chose it. */
    struct fc_accuracy chosen, baseline_all;
    /* The accuracy of choosing by back-test without that bias: each
     * back-test month after the first is forecast by the candidate with
     * the lowest MAE over the months before it. The baseline is measured
     * over the same months. */
    struct fc_accuracy online, online_baseline;
};

/* Chooses among the candidates that apply to y[0..n) by a rolling-origin
 * back-test: each of the last min(12, n - first origin) months is
 * forecast by each candidate fitted on the months before it. The
 * first origin is 2 for the non-seasonal set and 24 when n >=
 * FC_SEASONAL_MONTHS admits the seasonal models. Returns 0, or -1 when n <
 * FC_MIN_MONTHS. */
int fc_choose(const double *y, size_t n, struct fc_choice *out);

/* One forecast with its interval and turning-point flag. */
struct fc_outcome {
    double forecast, lower, upper; /* fen */
    double trend;                  /* fen per month at the last month */
    bool turning;
};

/* Applies the fitted models of c to y[0..n) (which may be longer or
 * shorter than the series they were fitted on). The interval is the
 * forecast plus the stored error quantiles, widened to include the
 * forecast, and cut at zero when the forecast is zero or more. When no
 * month of y is below zero, the forecast and both ends are at least 0
 * as well. turning
 * is true when the trend model's trend component was positive at the
 * month before the last and is negative at the last month. Returns 0,
 * or -1 when a model does not apply to y. */
int fc_apply(const struct fc_choice *c, const double *y, size_t n, struct fc_outcome *out);

/* Returns the q-quantile of v[0..n): the value at position q (n - 1) of
 * the sorted values, interpolated linearly. Sorts v. n must be
 * positive. */
double fc_quantile(double *v, size_t n, double q);

/* The monthly sales series of every unit, company first, then the
 * units in id order. */
struct forecast_series {
    char *unit; /* "company" or a unit id */
    double *y;  /* fen, from the unit's first month with sales */
    size_t n;
    int first_month; /* month index of y[0] */
};

struct forecast_data {
    struct forecast_series *v;
    size_t n;
    cdate as_of;      /* the day used, after DATE_NONE was settled */
    cdate last_order; /* the day of the latest order */
    /* The last whole month on or before as_of, and not after the month
     * of the latest order. */
    int last_month;
};

/* Reads the sales metric of every unit for each month from the month of
 * the first order to the last whole month on or before as_of (DATE_NONE:
 * the day of the latest order). The series never runs past the month of
 * the latest order. Leading months without sales are left out of each
 * series. Returns 0, 1 when there are no orders or no whole
 * month (d is then empty), or -1 with a message in err. Free d with
 * forecast_data_free in every case. */
int forecast_data_load(struct db *db, cdate as_of, struct forecast_data *d, struct strbuf *err);
void forecast_data_free(struct forecast_data *d);

/* Returns money in fen as JSON yuan, an integer when whole, the way
 * `cairn kpi` prints money. */
json_t *forecast_yuan_json(int64_t fen);

/* Chooses and fits a model for every unit with at least FC_MIN_MONTHS
 * months and stores them in the models table, replacing the stored
 * forecast model. *evaluation gets the back-test figures (money in
 * yuan); the caller owns it. Returns 0, 1 when there is nothing to fit,
 * or -1 with a message in err. */
int forecast_train(struct db *db, cdate as_of, json_t **evaluation, struct strbuf *err);

#endif
