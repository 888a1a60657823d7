/*
 * The sales forecast on the database. The monthly sales of every unit
 * come from the metrics engine, forecast_smooth.c chooses a model for
 * each, and the choices are stored as one row of the models table.
 * risk_forecast applies the stored choices on an as-of day.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"
#include "models/forecast.h"
#include "models/risk.h"
#include "models/stored.h"
#include "util/xalloc.h"

#define MODEL_NAME "forecast"

/* The first and the latest order day, DATE_NONE without orders. */
static int order_days(struct db *db, cdate *first, cdate *last, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "SELECT MIN(order_date), MAX(order_date) FROM orders", err);
    int step;

    *first = *last = DATE_NONE;
    if (!st)
        return -1;
    step = db_step(st, err);
    if (step == DB_ROW && !db_column_is_null(st, 0)) {
        if (date_parse(db_column_text(st, 0), first) < 0 ||
            date_parse(db_column_text(st, 1), last) < 0)
            *first = *last = DATE_NONE;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

void forecast_data_free(struct forecast_data *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].unit);
        free(d->v[i].y);
    }
    free(d->v);
    d->v = NULL;
    d->n = 0;
}

int forecast_data_load(struct db *db, cdate as_of, struct forecast_data *d, struct strbuf *err)
{
    struct scorecard *cards = NULL;
    struct period *periods;
    cdate first, last;
    size_t ncards = 0, nunits;
    int nmonths, rc = -1;

    memset(d, 0, sizeof(*d));
    if (order_days(db, &first, &last, err) < 0)
        return -1;
    if (as_of == DATE_NONE)
        as_of = last;
    d->as_of = as_of;
    d->last_order = last;
    if (first == DATE_NONE || as_of == DATE_NONE)
        return 1;

    /* The last whole month: as_of's own month only when as_of ends it.
     * A month after the latest order's month has no data yet, not zero
     * sales, so the series stops at the latest order's month. */
    d->last_month = date_month_index(as_of);
    if (as_of != date_month_last(d->last_month))
        d->last_month--;
    if (d->last_month > date_month_index(last))
        d->last_month = date_month_index(last);
    nmonths = d->last_month - date_month_index(first) + 1;
    if (nmonths < 1)
        return 1;

    periods = xcalloc((size_t)nmonths, sizeof(*periods));
    for (int k = 0; k < nmonths; k++)
        periods[k] = period_of_month(date_month_index(first) + k);
    if (metrics_unit_scorecards(db, periods, (size_t)nmonths, as_of, &cards, &ncards, err))
        goto out;
    nunits = ncards / (size_t)nmonths;

    /* Card k * nunits + u is unit u's month k; unit 0 is the company. */
    d->v = xcalloc(nunits, sizeof(*d->v));
    for (size_t u = 0; u < nunits; u++) {
        struct forecast_series *s = &d->v[d->n];
        const char *scope = cards[u].scope;
        int start = nmonths;

        for (int k = nmonths - 1; k >= 0; k--) {
            const struct metric_value *v = &cards[(size_t)k * nunits + u].values[M_SALES];

            if (v->available && v->value != 0)
                start = k;
        }
        s->unit = xstrdup(strncmp(scope, "unit:", 5) ? scope : scope + 5);
        s->first_month = date_month_index(first) + start;
        s->n = (size_t)(nmonths - start);
        s->y = xcalloc(s->n + 1, sizeof(double));
        for (int k = start; k < nmonths; k++) {
            const struct metric_value *v = &cards[(size_t)k * nunits + u].values[M_SALES];

            /* The metric is in yuan, summed exactly in fen by the engine. */
            s->y[k - start] = v->available ? (double)llround(v->value * 100.0) : 0.0;
        }
        d->n++;
    }
    rc = 0;

out:
    for (size_t i = 0; i < ncards; i++)
        scorecard_free(&cards[i]);
    free(cards);
    free(periods);
    return rc;
}

json_t *forecast_yuan_json(int64_t fen)
{
    if (fen % 100 == 0)
        return json_integer((json_int_t)(fen / 100));
    return json_real((double)fen / 100.0);
}

static json_t *params_json(const struct fc_params *p)
{
    return json_pack("{s:s, s:f, s:f, s:f, s:f}", "method", fc_method_name(p->method), "alpha",
                     p->alpha, "beta", p->beta, "gamma", p->gamma, "phi", p->phi);
}

static int params_from_json(json_t *j, struct fc_params *p)
{
    const char *name = json_string_value(json_object_get(j, "method"));
    int m = name ? fc_method_parse(name) : -1;

    if (m < 0)
        return -1;
    p->method = (enum fc_method)m;
    p->alpha = json_number_value(json_object_get(j, "alpha"));
    p->beta = json_number_value(json_object_get(j, "beta"));
    p->gamma = json_number_value(json_object_get(j, "gamma"));
    p->phi = json_number_value(json_object_get(j, "phi"));
    return 0;
}

/* The stored form of one unit's choice (fen, as fitted). */
static json_t *choice_json(const struct forecast_series *s, const struct fc_choice *c)
{
    json_t *mae = json_object();
    char month[8];

    for (int m = 0; m < FC_METHOD_COUNT; m++)
        if (!isnan(c->mae[m]))
            json_object_set_new(mae, fc_method_name((enum fc_method)m), json_real(c->mae[m]));
    date_month_format(s->first_month, month);
    return json_pack("{s:s, s:s, s:I, s:o, s:o, s:f, s:f, s:I, s:o}", "unit", s->unit,
                     "first_month", month, "months", (json_int_t)s->n, "model",
                     params_json(&c->model), "trend_model", params_json(&c->trend_model),
                     "error_low", c->error_low, "error_high", c->error_high, "backtest",
                     (json_int_t)c->backtest, "mae", mae);
}

/* Back-test totals over the units. */
struct backtest_totals {
    struct fc_accuracy chosen, baseline_all, online, online_baseline;
    size_t units;
    size_t methods[FC_METHOD_COUNT];
};

static void add_accuracy(struct fc_accuracy *sum, const struct fc_accuracy *a)
{
    sum->abs_sum += a->abs_sum;
    sum->ape_sum += a->ape_sum;
    sum->n += a->n;
    sum->ape_n += a->ape_n;
}

static void add_totals(struct backtest_totals *t, const struct fc_choice *c)
{
    add_accuracy(&t->chosen, &c->chosen);
    add_accuracy(&t->baseline_all, &c->baseline_all);
    add_accuracy(&t->online, &c->online);
    add_accuracy(&t->online_baseline, &c->online_baseline);
    t->units++;
    t->methods[c->model.method]++;
}

/* Sets mae_key and mape_key of j from a (null without months). */
static void set_accuracy(json_t *j, const char *mae_key, const char *mape_key,
                         const struct fc_accuracy *a)
{
    json_object_set_new(
        j, mae_key, a->n ? forecast_yuan_json(llround(a->abs_sum / (double)a->n)) : json_null());
    json_object_set_new(j, mape_key,
                        a->ape_n ? json_real(a->ape_sum / (double)a->ape_n) : json_null());
}

/* The figures of choosing month by month on earlier errors only. */
static json_t *online_json(const struct fc_accuracy *online, const struct fc_accuracy *baseline)
{
    json_t *j = json_pack("{s:I}", "forecasts", (json_int_t)online->n);

    set_accuracy(j, "mae", "mape", online);
    set_accuracy(j, "baseline_mae", "baseline_mape", baseline);
    return j;
}

static json_t *unit_evaluation(const struct forecast_series *s, const struct fc_choice *c)
{
    json_t *mae = json_object();
    json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:s}", "unit", s->unit, "method",
                          fc_method_name(c->model.method), "months", (json_int_t)s->n, "backtest",
                          (json_int_t)c->backtest, "baseline", fc_method_name(c->baseline));

    for (int m = 0; m < FC_METHOD_COUNT; m++)
        if (!isnan(c->mae[m]))
            json_object_set_new(mae, fc_method_name((enum fc_method)m),
                                forecast_yuan_json(llround(c->mae[m])));
    json_object_set_new(j, "candidates_mae", mae);
    set_accuracy(j, "mae", "mape", &c->chosen);
    set_accuracy(j, "baseline_mae", "baseline_mape", &c->baseline_all);
    json_object_set_new(j, "online", online_json(&c->online, &c->online_baseline));
    return j;
}

static json_t *evaluation_json(const struct forecast_data *d, const struct backtest_totals *t,
                               json_t *units)
{
    json_t *methods = json_object(), *root;
    char day[DATE_BUFSIZE], month[8];

    for (int m = 0; m < FC_METHOD_COUNT; m++)
        if (t->methods[m])
            json_object_set_new(methods, fc_method_name((enum fc_method)m),
                                json_integer((json_int_t)t->methods[m]));
    date_format(d->as_of, day);
    date_month_format(d->last_month, month);
    root = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:o}", "model", MODEL_NAME, "as_of", day,
                     "last_month", month, "units", (json_int_t)d->n, "fitted", (json_int_t)t->units,
                     "forecasts", (json_int_t)t->chosen.n, "methods", methods);
    set_accuracy(root, "mae", "mape", &t->chosen);
    set_accuracy(root, "baseline_mae", "baseline_mape", &t->baseline_all);
    json_object_set_new(root, "online", online_json(&t->online, &t->online_baseline));
    json_object_set_new(root, "per_unit", units);
    return root;
}

int forecast_train(struct db *db, cdate as_of, json_t **evaluation, struct strbuf *err)
{
    struct forecast_data d;
    struct backtest_totals totals = {0};
    json_t *units = json_array(), *per_unit = json_array(), *params;
    char month[8];
    int rc = forecast_data_load(db, as_of, &d, err);

    *evaluation = NULL;
    if (rc != 0)
        goto out;

    for (size_t i = 0; i < d.n; i++) {
        struct fc_choice c;

        if (fc_choose(d.v[i].y, d.v[i].n, &c) < 0)
            continue;
        json_array_append_new(units, choice_json(&d.v[i], &c));
        json_array_append_new(per_unit, unit_evaluation(&d.v[i], &c));
        add_totals(&totals, &c);
    }
    if (totals.units == 0) {
        rc = 1;
        goto out;
    }

    date_month_format(d.last_month, month);
    params = json_pack("{s:s, s:O}", "last_month", month, "units", units);
    *evaluation = evaluation_json(&d, &totals, json_incref(per_unit));
    rc = stored_model_save(db, MODEL_NAME, "exponential_smoothing", d.as_of, params, *evaluation,
                           err);
    json_decref(params);
    if (rc < 0) {
        json_decref(*evaluation);
        *evaluation = NULL;
    }

out:
    json_decref(units);
    json_decref(per_unit);
    forecast_data_free(&d);
    return rc;
}

/* One stored unit: its id and the fitted choice. */
struct stored_unit {
    const char *unit; /* points into the stored JSON */
    struct fc_choice choice;
};

static int stored_unit_parse(json_t *j, struct stored_unit *u)
{
    memset(u, 0, sizeof(*u));
    u->unit = json_string_value(json_object_get(j, "unit"));
    if (!u->unit || params_from_json(json_object_get(j, "model"), &u->choice.model) < 0 ||
        params_from_json(json_object_get(j, "trend_model"), &u->choice.trend_model) < 0)
        return -1;
    u->choice.error_low = json_number_value(json_object_get(j, "error_low"));
    u->choice.error_high = json_number_value(json_object_get(j, "error_high"));
    return 0;
}

static const struct forecast_series *find_series(const struct forecast_data *d, const char *unit)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->v[i].unit, unit))
            return &d->v[i];
    return NULL;
}

void forecast_list_free(struct forecast_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].unit);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int compare_forecasts(const void *a, const void *b)
{
    const struct unit_forecast *x = a, *y = b;

    return strcmp(x->unit, y->unit);
}

int risk_forecast(struct db *db, cdate as_of, struct forecast_list *out, struct strbuf *err)
{
    struct forecast_data d;
    json_t *params, *j;
    size_t k;
    int rc;

    memset(out, 0, sizeof(*out));
    out->as_of = as_of;
    rc = stored_model_params(db, MODEL_NAME, &params, err);
    if (rc != 0)
        return rc;
    if (!json_is_array(json_object_get(params, "units"))) {
        stored_model_mismatch(MODEL_NAME, err);
        json_decref(params);
        return -1;
    }
    rc = forecast_data_load(db, as_of, &d, err);
    out->as_of = d.as_of;
    out->last_order = d.last_order;
    out->last_month = d.last_month;
    if (rc != 0) {
        json_decref(params);
        forecast_data_free(&d);
        return rc < 0 ? -1 : 0;
    }

    /* Each stored unit whose series still suits its model. */
    out->v = xcalloc(json_array_size(json_object_get(params, "units")) + 1, sizeof(*out->v));
    json_array_foreach(json_object_get(params, "units"), k, j)
    {
        const struct forecast_series *s;
        struct stored_unit u;
        struct fc_outcome o;
        struct unit_forecast *f = &out->v[out->n];

        if (stored_unit_parse(j, &u) < 0) {
            stored_model_mismatch(MODEL_NAME, err);
            forecast_list_free(out);
            rc = -1;
            break;
        }
        s = find_series(&d, u.unit);
        if (!s || fc_apply(&u.choice, s->y, s->n, &o) < 0)
            continue;
        f->unit = xstrdup(u.unit);
        f->month = date_month_first(d.last_month + 1);
        f->forecast = llround(o.forecast);
        f->lower = llround(o.lower);
        f->upper = llround(o.upper);
        f->trend = o.trend;
        f->turning = o.turning;
        out->n++;
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof(*out->v), compare_forecasts);
    json_decref(params);
    forecast_data_free(&d);
    return rc;
}
