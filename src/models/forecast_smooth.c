/*
 * Exponential smoothing of one monthly series, the rolling-origin
 * back-test that chooses a model, and the turning-point rule. The
 * models are written in component form, with one update equation each
 * for the level, the trend and the seasonal term. The seasonal models
 * start from the first two seasons, the trend models from the first two
 * months, and the parameters minimise the sum of squared one-step
 * errors.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>

#include "models/forecast.h"
#include "util/xalloc.h"

#define DAMPING_MIN    0.8
#define FIT_ITERATIONS 400

static const char *const method_names[FC_METHOD_COUNT] = {
    "naive",       "seasonal_naive",        "ses",
    "holt_damped", "holt_winters_additive", "holt_winters_multiplicative",
};

const char *fc_method_name(enum fc_method m)
{
    return method_names[m];
}

int fc_method_parse(const char *s)
{
    for (int m = 0; m < FC_METHOD_COUNT; m++)
        if (!strcmp(s, method_names[m]))
            return m;
    return -1;
}

bool fc_method_has_trend(enum fc_method m)
{
    return m == FC_HOLT_DAMPED || m == FC_HW_ADDITIVE || m == FC_HW_MULTIPLICATIVE;
}

bool fc_method_is_seasonal(enum fc_method m)
{
    return m == FC_SEASONAL_NAIVE || m == FC_HW_ADDITIVE || m == FC_HW_MULTIPLICATIVE;
}

/* The means of the first two seasons and the trend per month between
 * them, which start the Holt-Winters models. */
static void season_start(const double *y, double *mean1, double *mean2, double *slope)
{
    double s1 = 0.0, s2 = 0.0;

    for (int i = 0; i < FC_PERIOD; i++) {
        s1 += y[i];
        s2 += y[FC_PERIOD + i];
    }
    *mean1 = s1 / FC_PERIOD;
    *mean2 = s2 / FC_PERIOD;
    *slope = (*mean2 - *mean1) / FC_PERIOD;
}

bool fc_method_applies(enum fc_method m, const double *y, size_t n)
{
    double mean1, mean2, slope;

    switch (m) {
    case FC_NAIVE:
    case FC_SES:
        return n >= 1;
    case FC_HOLT_DAMPED:
        return n >= 2;
    case FC_SEASONAL_NAIVE:
    case FC_HW_ADDITIVE:
        return n >= 2 * FC_PERIOD;
    case FC_HW_MULTIPLICATIVE:
        if (n < 2 * FC_PERIOD)
            return false;
        for (size_t t = 0; t < n; t++)
            if (!(y[t] > 0))
                return false;
        /* The starting trend line must stay positive to divide by it. */
        season_start(y, &mean1, &mean2, &slope);
        return mean1 - 5.5 * slope > 0 && mean2 + 5.5 * slope > 0;
    case FC_METHOD_COUNT:
        break;
    }
    return false;
}

static void add_error(struct fc_state *st, double actual, double predicted)
{
    double e = actual - predicted;

    st->sse += e * e;
    st->nerrors++;
}

static void run_holt(const struct fc_params *p, const double *y, size_t n, struct fc_state *st)
{
    double level = y[1], trend = y[1] - y[0];

    st->prev_trend = trend;
    for (size_t t = 2; t < n; t++) {
        double predicted = level + p->phi * trend;
        double new_level = p->alpha * y[t] + (1.0 - p->alpha) * predicted;

        add_error(st, y[t], predicted);
        st->prev_trend = trend;
        trend = p->beta * (new_level - level) + (1.0 - p->beta) * p->phi * trend;
        level = new_level;
    }
    st->forecast = level + p->phi * trend;
    st->trend = trend;
}

/*
 * Holt-Winters with a season of 12 months. The level and trend start at
 * the end of the first season from the two seasons' means. Each seasonal
 * term starts as the mean over both seasons of the month's deviation
 * (additive) or ratio (multiplicative) from that trend line.
 */
static void run_holt_winters(const struct fc_params *p, const double *y, size_t n,
                             struct fc_state *st)
{
    bool mult = p->method == FC_HW_MULTIPLICATIVE;
    double season[FC_PERIOD], mean1, mean2, slope, level, trend, sum = 0.0;

    season_start(y, &mean1, &mean2, &slope);
    for (int i = 0; i < FC_PERIOD; i++) {
        double line1 = mean1 + (i - 5.5) * slope, line2 = mean2 + (i - 5.5) * slope;

        season[i] = mult ? (y[i] / line1 + y[FC_PERIOD + i] / line2) / 2.0
                         : (y[i] - line1 + y[FC_PERIOD + i] - line2) / 2.0;
        sum += season[i];
    }
    if (mult)
        for (int i = 0; i < FC_PERIOD; i++)
            season[i] *= FC_PERIOD / sum;
    level = mean1 + 5.5 * slope;
    trend = slope;
    st->prev_trend = trend;

    for (size_t t = FC_PERIOD; t < n; t++) {
        double *s = &season[t % FC_PERIOD];
        double base = level + trend;
        double predicted = mult ? base * *s : base + *s;
        double new_level = mult ? p->alpha * y[t] / *s + (1.0 - p->alpha) * base
                                : p->alpha * (y[t] - *s) + (1.0 - p->alpha) * base;

        add_error(st, y[t], predicted);
        st->prev_trend = trend;
        trend = p->beta * (new_level - level) + (1.0 - p->beta) * trend;
        level = new_level;
        *s = mult ? p->gamma * y[t] / level + (1.0 - p->gamma) * *s
                  : p->gamma * (y[t] - level) + (1.0 - p->gamma) * *s;
    }
    st->forecast =
        mult ? (level + trend) * season[n % FC_PERIOD] : level + trend + season[n % FC_PERIOD];
    st->trend = trend;
}

void fc_run(const struct fc_params *p, const double *y, size_t n, struct fc_state *st)
{
    memset(st, 0, sizeof(*st));
    switch (p->method) {
    case FC_NAIVE:
        for (size_t t = 1; t < n; t++)
            add_error(st, y[t], y[t - 1]);
        st->forecast = y[n - 1];
        break;
    case FC_SEASONAL_NAIVE:
        for (size_t t = FC_PERIOD; t < n; t++)
            add_error(st, y[t], y[t - FC_PERIOD]);
        st->forecast = y[n - FC_PERIOD];
        break;
    case FC_SES: {
        double level = y[0];

        for (size_t t = 1; t < n; t++) {
            add_error(st, y[t], level);
            level += p->alpha * (y[t] - level);
        }
        st->forecast = level;
        break;
    }
    case FC_HOLT_DAMPED:
        run_holt(p, y, n, st);
        break;
    case FC_HW_ADDITIVE:
    case FC_HW_MULTIPLICATIVE:
        run_holt_winters(p, y, n, st);
        break;
    case FC_METHOD_COUNT:
        break;
    }
}

/* The smoothing parameters that fc_fit can fit. */
enum fit_field { FIELD_ALPHA, FIELD_BETA, FIELD_GAMMA, FIELD_PHI };

static double *param_field(struct fc_params *p, enum fit_field f)
{
    switch (f) {
    case FIELD_ALPHA:
        return &p->alpha;
    case FIELD_BETA:
        return &p->beta;
    case FIELD_GAMMA:
        return &p->gamma;
    case FIELD_PHI:
        break;
    }
    return &p->phi;
}

/* The parameters fitted for one method, each with its range. */
struct fit_problem {
    struct fc_params base;
    enum fit_field field[4];
    double lo[4], hi[4];
    size_t dims;
    const double *y;
    size_t n;
};

/* Maps an unbounded x onto [lo, hi] by sin^2, so that the bounds
 * themselves (phi = 1 on a straight line) can be reached. */
static double bounded(double x, double lo, double hi)
{
    double s = sin(x);

    return lo + (hi - lo) * s * s;
}

static double unbounded(double v, double lo, double hi)
{
    return asin(sqrt((v - lo) / (hi - lo)));
}

static struct fc_params params_at(const struct fit_problem *fp, const gsl_vector *x)
{
    struct fc_params p = fp->base;

    for (size_t k = 0; k < fp->dims; k++)
        *param_field(&p, fp->field[k]) = bounded(gsl_vector_get(x, k), fp->lo[k], fp->hi[k]);
    return p;
}

static double fit_objective(const gsl_vector *x, void *data)
{
    const struct fit_problem *fp = data;
    struct fc_params p = params_at(fp, x);
    struct fc_state st;

    fc_run(&p, fp->y, fp->n, &st);
    return isfinite(st.sse) ? st.sse : GSL_POSINF;
}

static void add_dimension(struct fit_problem *fp, enum fit_field field, double start, double lo,
                          double hi)
{
    *param_field(&fp->base, field) = start;
    fp->field[fp->dims] = field;
    fp->lo[fp->dims] = lo;
    fp->hi[fp->dims] = hi;
    fp->dims++;
}

void fc_fit(enum fc_method m, const double *y, size_t n, struct fc_params *out)
{
    struct fit_problem fp = {
        .base = {.method = m, .alpha = 0.5, .beta = 0.1, .gamma = 0.1, .phi = 1.0}, .y = y, .n = n};
    gsl_multimin_function f = {.f = fit_objective, .params = &fp};
    gsl_multimin_fminimizer *s;
    gsl_vector *x, *step;
    struct fc_state st;

    if (m == FC_SES || fc_method_has_trend(m))
        add_dimension(&fp, FIELD_ALPHA, 0.5, 0.0, 1.0);
    if (fc_method_has_trend(m))
        add_dimension(&fp, FIELD_BETA, 0.1, 0.0, 1.0);
    if (m == FC_HW_ADDITIVE || m == FC_HW_MULTIPLICATIVE)
        add_dimension(&fp, FIELD_GAMMA, 0.1, 0.0, 1.0);
    if (m == FC_HOLT_DAMPED)
        add_dimension(&fp, FIELD_PHI, 1.0, DAMPING_MIN, 1.0);

    /* Without parameters or one-step errors there is nothing to fit, and
     * a start without error (a constant or a straight line) is kept. */
    fc_run(&fp.base, y, n, &st);
    if (fp.dims == 0 || st.nerrors == 0 || st.sse == 0) {
        *out = fp.base;
        return;
    }

    gsl_set_error_handler_off();
    f.n = fp.dims;
    s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, fp.dims);
    x = gsl_vector_alloc(fp.dims);
    step = gsl_vector_alloc(fp.dims);
    for (size_t k = 0; k < fp.dims; k++)
        gsl_vector_set(x, k, unbounded(*param_field(&fp.base, fp.field[k]), fp.lo[k], fp.hi[k]));
    gsl_vector_set_all(step, 0.3);
    gsl_multimin_fminimizer_set(s, &f, x, step);
    for (int iter = 0; iter < FIT_ITERATIONS; iter++) {
        if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
            break;
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-7) == GSL_SUCCESS)
            break;
    }
    *out = params_at(&fp, gsl_multimin_fminimizer_x(s));
    gsl_multimin_fminimizer_free(s);
    gsl_vector_free(x);
    gsl_vector_free(step);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double fc_quantile(double *v, size_t n, double q)
{
    double pos, frac;
    size_t lo;

    qsort(v, n, sizeof(double), compare_doubles);
    pos = q * (double)(n - 1);
    lo = (size_t)floor(pos);
    frac = pos - (double)lo;
    return lo + 1 < n ? v[lo] + frac * (v[lo + 1] - v[lo]) : v[lo];
}

/* Whether candidate m takes part for a series of n months whose
 * back-test starts at origin. */
static bool is_candidate(enum fc_method m, const double *y, size_t n, size_t origin, bool seasonal)
{
    if (fc_method_is_seasonal(m) && !seasonal)
        return false;
    return fc_method_applies(m, y, n) && fc_method_applies(m, y, origin);
}

/* The better of two back-test MAEs: a tie within rounding keeps the
 * earlier, simpler method. */
static bool better(double mae, double best)
{
    return isnan(best) || mae < best - 1e-9 * (1.0 + fabs(best));
}

static void add_accuracy(struct fc_accuracy *a, double actual, double error)
{
    a->abs_sum += fabs(error);
    a->n++;
    if (actual > 0) {
        a->ape_sum += fabs(error) / actual;
        a->ape_n++;
    }
}

/* Fills the accuracy figures of out from the back-test errors of the
 * candidates (those with mae[m] not NAN). */
static void measure_selection(const double *y, size_t n,
                              const double errors[FC_METHOD_COUNT][FC_MAX_BACKTEST],
                              struct fc_choice *out)
{
    size_t h = out->backtest;

    for (size_t k = 0; k < h; k++) {
        add_accuracy(&out->chosen, y[n - h + k], errors[out->model.method][k]);
        add_accuracy(&out->baseline_all, y[n - h + k], errors[out->baseline][k]);
    }
    for (size_t k = 1; k < h; k++) {
        double best_sum = NAN;
        int best = -1;

        for (int m = 0; m < FC_METHOD_COUNT; m++) {
            double sum = 0.0;

            if (isnan(out->mae[m]))
                continue;
            for (size_t j = 0; j < k; j++)
                sum += fabs(errors[m][j]);
            if (best < 0 || better(sum, best_sum)) {
                best = m;
                best_sum = sum;
            }
        }
        add_accuracy(&out->online, y[n - h + k], errors[best][k]);
        add_accuracy(&out->online_baseline, y[n - h + k], errors[out->baseline][k]);
    }
}

int fc_choose(const double *y, size_t n, struct fc_choice *out)
{
    bool seasonal = n >= FC_SEASONAL_MONTHS;
    size_t origin = seasonal ? 2 * FC_PERIOD : 2, h;
    double errors[FC_METHOD_COUNT][FC_MAX_BACKTEST];
    int best = -1, best_trend = -1;

    if (n < FC_MIN_MONTHS)
        return -1;
    memset(out, 0, sizeof(*out));
    h = n - origin < FC_MAX_BACKTEST ? n - origin : FC_MAX_BACKTEST;
    out->backtest = h;
    out->baseline = seasonal ? FC_SEASONAL_NAIVE : FC_NAIVE;

    /* Each candidate forecasts each of the last h months from a fit on
     * the months before it. */
    for (int m = 0; m < FC_METHOD_COUNT; m++) {
        double abs_sum = 0.0;

        out->mae[m] = NAN;
        if (!is_candidate((enum fc_method)m, y, n, n - h, seasonal))
            continue;
        for (size_t k = 0; k < h; k++) {
            size_t t = n - h + k;
            struct fc_params p;
            struct fc_state st;

            fc_fit((enum fc_method)m, y, t, &p);
            fc_run(&p, y, t, &st);
            errors[m][k] = y[t] - st.forecast;
            abs_sum += fabs(errors[m][k]);
        }
        out->mae[m] = abs_sum / (double)h;
        if (best < 0 || better(out->mae[m], out->mae[best]))
            best = m;
        if (fc_method_has_trend((enum fc_method)m) &&
            (best_trend < 0 || better(out->mae[m], out->mae[best_trend])))
            best_trend = m;
    }

    /* The chosen model and its interval from its back-test errors. */
    fc_fit((enum fc_method)best, y, n, &out->model);
    measure_selection(y, n, errors, out);
    out->error_low = fc_quantile(errors[best], h, FC_INTERVAL_LOW);
    out->error_high = fc_quantile(errors[best], h, FC_INTERVAL_HIGH);
    if (fc_method_has_trend((enum fc_method)best))
        out->trend_model = out->model;
    else
        fc_fit((enum fc_method)best_trend, y, n, &out->trend_model);
    return 0;
}

static bool series_is_non_negative(const double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (y[i] < 0)
            return false;
    return true;
}

int fc_apply(const struct fc_choice *c, const double *y, size_t n, struct fc_outcome *out)
{
    struct fc_state st, trend;

    if (n < FC_MIN_MONTHS || !fc_method_applies(c->model.method, y, n) ||
        !fc_method_applies(c->trend_model.method, y, n))
        return -1;
    fc_run(&c->model, y, n, &st);
    fc_run(&c->trend_model, y, n, &trend);
    out->forecast = st.forecast;
    out->lower = fmin(st.forecast + c->error_low, st.forecast);
    out->upper = fmax(st.forecast + c->error_high, st.forecast);
    /* Sales below zero need refunds above sales. A series that never went
     * below zero gets no forecast or interval end below zero, however
     * steep its trend; otherwise the interval stops at zero unless the
     * forecast itself is negative. */
    if (series_is_non_negative(y, n)) {
        out->forecast = fmax(out->forecast, 0);
        out->lower = fmax(out->lower, 0);
        out->upper = fmax(out->upper, 0);
    } else if (st.forecast >= 0 && out->lower < 0) {
        out->lower = 0;
    }
    out->trend = trend.trend;
    out->turning = trend.prev_trend > 0 && trend.trend < 0;
    return 0;
}
