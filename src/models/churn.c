/*
 * Builds the churn model's rows from the database: the customers, their
 * orders, surveys and owner history, read once into memory and turned
 * into the features of churn.h as of each cut-off. BG/NBD is fitted once
 * per cut-off on the purchase days up to it of every customer whose
 * first purchase is on or before it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/churn.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static const char *const feature_names[CHURN_COUNT] = {
    "recency_days", "frequency_365", "value_365", "value_change", "refund_share",
    "mean_gap_days", "csat", "csat_change", "owner_changed_180", "p_alive", "expected_90",
};

const char *churn_feature_name(enum churn_feature f)
{
    return feature_names[f];
}

static int compare_customer_id(const void *key, const void *elem)
{
    return strcmp(key, ((const struct churn_customer *)elem)->id);
}

static long find_customer(const struct churn_data *cd, const char *id)
{
    const struct churn_customer *c;

    if (!id || !cd->n)
        return -1;
    c = bsearch(id, cd->c, cd->n, sizeof(*cd->c), compare_customer_id);
    return c ? (long)(c - cd->c) : -1;
}

static cdate column_date(struct db_stmt *st, int col)
{
    const char *s = db_column_text(st, col);
    cdate d;

    return s && date_parse(s, &d) == 0 ? d : DATE_NONE;
}

static int load_customers(struct db *db, struct churn_data *cd, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT customer_id, owner_id FROM customers ORDER BY customer_id", err);
    size_t alloc = 0;
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        struct churn_customer *c;
        const char *owner = db_column_text(st, 1);

        XGROW(cd->c, alloc, cd->n + 1);
        c = &cd->c[cd->n++];
        memset(c, 0, sizeof(*c));
        c->id = xstrdup(db_column_text(st, 0));
        c->owner = owner && *owner ? xstrdup(owner) : NULL;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

static int load_orders(struct db *db, struct churn_data *cd, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT customer_id, order_date, amount, status FROM orders"
        " WHERE customer_id IS NOT NULL AND status IN ('completed', 'refunded')"
        " ORDER BY customer_id, order_date", err);
    size_t alloc = 0;
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        long i = find_customer(cd, db_column_text(st, 0));
        cdate day = column_date(st, 1);
        int64_t amount = db_column_int64(st, 2);
        struct churn_order *o;

        if (i < 0 || day == DATE_NONE)
            continue;
        XGROW(cd->orders, alloc, cd->norders + 1);
        o = &cd->orders[cd->norders];
        o->day = day;
        if (strcmp(db_column_text(st, 3), "completed") == 0) {
            o->sales = amount;
            o->purchase = amount > 0 ? amount : 0;
        } else {
            o->sales = amount < 0 ? amount : -amount;
            o->purchase = 0;
        }
        if (cd->c[i].norders == 0)
            cd->c[i].first_order = cd->norders;
        cd->c[i].norders++;
        cd->norders++;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* One survey day per customer and date: the mean of that day's scores. */
static int load_surveys(struct db *db, struct churn_data *cd, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT customer_id, survey_date, AVG(score) FROM customer_surveys"
        " GROUP BY customer_id, survey_date ORDER BY customer_id, survey_date", err);
    size_t alloc_day = 0, alloc_score = 0;
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        long i = find_customer(cd, db_column_text(st, 0));
        cdate day = column_date(st, 1);

        if (i < 0 || day == DATE_NONE)
            continue;
        XGROW(cd->survey_day, alloc_day, cd->nsurveys + 1);
        XGROW(cd->survey_score, alloc_score, cd->nsurveys + 1);
        if (cd->c[i].nsurveys == 0)
            cd->c[i].first_survey = cd->nsurveys;
        cd->c[i].nsurveys++;
        cd->survey_day[cd->nsurveys] = day;
        cd->survey_score[cd->nsurveys] = db_column_double(st, 2) / 100.0;
        cd->nsurveys++;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

static int load_owners(struct db *db, struct churn_data *cd, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT customer_id, employee_id, start_date, end_date FROM customer_owners"
        " ORDER BY customer_id, start_date", err);
    size_t alloc = 0;
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        long i = find_customer(cd, db_column_text(st, 0));
        cdate start = column_date(st, 2);
        struct churn_owner *o;

        if (i < 0 || start == DATE_NONE)
            continue;
        XGROW(cd->owners, alloc, cd->nowners + 1);
        o = &cd->owners[cd->nowners];
        o->start = start;
        o->end = db_column_is_null(st, 3) ? INT32_MAX : column_date(st, 3);
        o->employee = xstrdup(db_column_text(st, 1));
        if (cd->c[i].nowners == 0)
            cd->c[i].first_owner = cd->nowners;
        cd->c[i].nowners++;
        cd->nowners++;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

int churn_data_load(struct db *db, struct churn_data *cd, struct strbuf *err)
{
    struct db_stmt *st;
    int step;

    memset(cd, 0, sizeof(*cd));
    if (load_customers(db, cd, err) < 0 || load_orders(db, cd, err) < 0 ||
        load_surveys(db, cd, err) < 0 || load_owners(db, cd, err) < 0)
        goto fail;

    st = db_prepare(db,
        "SELECT MAX(d) FROM (SELECT MAX(order_date) AS d FROM orders"
        " UNION ALL SELECT MAX(survey_date) FROM customer_surveys)", err);
    if (!st)
        goto fail;
    step = db_step(st, err);
    cd->last_day = step == DB_ROW ? column_date(st, 0) : DATE_NONE;
    db_finalize(st);
    if (step == DB_ERROR)
        goto fail;
    return 0;

fail:
    churn_data_free(cd);
    return -1;
}

void churn_data_free(struct churn_data *cd)
{
    for (size_t i = 0; i < cd->n; i++) {
        free(cd->c[i].id);
        free(cd->c[i].owner);
    }
    for (size_t k = 0; k < cd->nowners; k++)
        free(cd->owners[k].employee);
    free(cd->c);
    free(cd->orders);
    free(cd->survey_day);
    free(cd->survey_score);
    free(cd->owners);
    memset(cd, 0, sizeof(*cd));
}

const char *churn_owner_on(const struct churn_data *cd, size_t i, cdate day)
{
    const struct churn_customer *c = &cd->c[i];
    const struct churn_owner *o = cd->owners + c->first_owner;

    if (c->nowners == 0)
        return c->owner;
    for (size_t k = c->nowners; k-- > 0;)
        if (o[k].start <= day && day <= o[k].end)
            return o[k].employee;
    return NULL;
}

void churn_rows_init(struct churn_rows *rows)
{
    memset(rows, 0, sizeof(*rows));
    rows->d.p = CHURN_COUNT;
    rows->d.feature_names = xcalloc(CHURN_COUNT, sizeof(char *));
    for (int f = 0; f < CHURN_COUNT; f++)
        rows->d.feature_names[f] = xstrdup(feature_names[f]);
}

void churn_rows_free(struct churn_rows *rows)
{
    dataset_free(&rows->d);
    free(rows->customer);
    free(rows->cutoff);
    free(rows->handover_days);
    memset(rows, 0, sizeof(*rows));
}

/* A customer's purchase history up to a cut-off. */
struct history {
    cdate first, last;          /* purchase days; DATE_NONE without any */
    size_t days;                /* distinct purchase days up to the cut-off */
    size_t recent_days;         /* of them in the last 365 days */
    double value, value_before; /* sales of the last 365 days and the 365 before, yuan */
    double purchases, refunds;  /* of the last 365 days, yuan */
    bool bought_after;          /* a purchase in (cutoff, cutoff + 90] */
};

static void history_of(const struct churn_data *cd, const struct churn_customer *c, cdate cutoff,
                       struct history *h)
{
    memset(h, 0, sizeof(*h));
    h->first = h->last = DATE_NONE;
    for (size_t k = 0; k < c->norders; k++) {
        const struct churn_order *o = &cd->orders[c->first_order + k];

        if (o->day > cutoff) {
            h->bought_after = h->bought_after ||
                              (o->purchase > 0 && o->day <= cutoff + CHURN_HORIZON);
            continue;
        }
        if (o->day > cutoff - CHURN_ACTIVE_DAYS) {
            h->value += (double)o->sales / 100.0;
            h->purchases += (double)o->purchase / 100.0;
            if (o->sales < 0)
                h->refunds -= (double)o->sales / 100.0;
        } else if (o->day > cutoff - 2 * CHURN_ACTIVE_DAYS) {
            h->value_before += (double)o->sales / 100.0;
        }
        if (o->purchase <= 0)
            continue;
        if (h->first == DATE_NONE)
            h->first = o->day;
        if (h->last != o->day) {   /* orders come by day: a new purchase day */
            h->days++;
            h->recent_days += o->day > cutoff - CHURN_ACTIVE_DAYS;
        }
        h->last = o->day;
    }
}

static struct bgnbd_customer bgnbd_summary(const struct history *h, cdate cutoff)
{
    struct bgnbd_customer b;

    b.x = (double)h->days - 1.0;
    b.t_x = (h->last - h->first) / 7.0;
    b.T = (cutoff - h->first) / 7.0;
    return b;
}

/* Fits BG/NBD on every customer with a purchase up to cutoff. Returns 0,
 * or 1 when the fit is not possible (the features are then missing). */
static int fit_bgnbd(const struct churn_data *cd, cdate cutoff, struct bgnbd_fit *fit)
{
    struct bgnbd_customer *b = xcalloc(cd->n + 1, sizeof(*b));
    struct strbuf err = STRBUF_INIT;
    size_t n = 0;
    int rc = 1;

    for (size_t i = 0; i < cd->n; i++) {
        struct history h;

        history_of(cd, &cd->c[i], cutoff, &h);
        if (h.days == 0)
            continue;
        b[n++] = bgnbd_summary(&h, cutoff);
    }
    /* bgnbd_fit fails when there are too few customers or none who bought
     * twice, so the fit has nothing to estimate the rates from. A fit at
     * the edge of the parameter space is kept, because its predictions
     * are those of the limiting model. */
    if (bgnbd_fit(b, n, fit, &err) == 0)
        rc = 0;
    sb_release(&err);
    free(b);
    return rc;
}

/* The latest owner change in (cutoff - 180, cutoff]: a customer_owners
 * row starting then that follows an earlier row. Returns the days since
 * it, or NAN without one. */
static double handover_days(const struct churn_data *cd, const struct churn_customer *c,
                            cdate cutoff)
{
    const struct churn_owner *o = cd->owners + c->first_owner;
    double days = NAN;

    for (size_t k = 1; k < c->nowners; k++)
        if (o[k].start <= cutoff && o[k].start > cutoff - CHURN_HANDOVER_DAYS)
            days = cutoff - o[k].start;
    return days;
}

static void survey_features(const struct churn_data *cd, const struct churn_customer *c,
                            cdate cutoff, double *x)
{
    size_t count = 0, last = 0;

    for (size_t k = 0; k < c->nsurveys; k++)
        if (cd->survey_day[c->first_survey + k] <= cutoff) {
            last = c->first_survey + k;
            count++;
        }
    x[CHURN_CSAT] = count ? cd->survey_score[last] : NAN;
    x[CHURN_CSAT_CHANGE] = count >= 2 ? cd->survey_score[last] - cd->survey_score[last - 1] : NAN;
}

static void grow_rows(struct churn_rows *rows)
{
    if (rows->d.n + 1 <= rows->alloc)
        return;
    rows->alloc = rows->alloc ? rows->alloc * 2 : 256;
    rows->d.x = xrealloc(rows->d.x, rows->alloc * CHURN_COUNT * sizeof(double));
    rows->d.y = xrealloc(rows->d.y, rows->alloc * sizeof(int));
    rows->customer = xrealloc(rows->customer, rows->alloc * sizeof(size_t));
    rows->cutoff = xrealloc(rows->cutoff, rows->alloc * sizeof(cdate));
    rows->handover_days = xrealloc(rows->handover_days, rows->alloc * sizeof(double));
}

void churn_add_cutoff(const struct churn_data *cd, cdate cutoff, struct churn_rows *rows)
{
    struct bgnbd_fit fit;
    bool fitted = fit_bgnbd(cd, cutoff, &fit) == 0;

    for (size_t i = 0; i < cd->n; i++) {
        const struct churn_customer *c = &cd->c[i];
        struct history h;
        struct bgnbd_customer b;
        size_t r = rows->d.n;
        double *x;

        history_of(cd, c, cutoff, &h);
        if (h.days == 0 || h.last <= cutoff - CHURN_ACTIVE_DAYS)
            continue;
        grow_rows(rows);
        x = &rows->d.x[r * CHURN_COUNT];
        rows->customer[r] = i;
        rows->cutoff[r] = cutoff;
        rows->d.y[r] = !h.bought_after;

        x[CHURN_RECENCY] = cutoff - h.last;
        x[CHURN_FREQUENCY] = (double)h.recent_days;
        x[CHURN_VALUE] = h.value;
        x[CHURN_VALUE_CHANGE] = h.value_before > 0 ? (h.value - h.value_before) / h.value_before
                                                   : NAN;
        x[CHURN_REFUND_SHARE] = h.purchases > 0 ? h.refunds / h.purchases : NAN;
        x[CHURN_MEAN_GAP] = h.days >= 2 ? (double)(h.last - h.first) / (double)(h.days - 1) : NAN;
        survey_features(cd, c, cutoff, x);
        rows->handover_days[r] = handover_days(cd, c, cutoff);
        x[CHURN_HANDOVER] = !isnan(rows->handover_days[r]);
        b = bgnbd_summary(&h, cutoff);
        x[CHURN_P_ALIVE] = fitted ? bgnbd_p_alive(&fit, &b) : NAN;
        x[CHURN_EXPECTED_90] = fitted ? bgnbd_conditional_expectation(&fit, &b,
                                                                      CHURN_HORIZON / 7.0)
                                      : NAN;
        rows->d.n++;
    }
}
