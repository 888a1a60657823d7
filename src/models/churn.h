/*
 * The churn model's data: per customer and cut-off day, features from
 * the customer's orders, surveys and owner history as they stood on the
 * cut-off, and the label "bought nothing in the 90 days after it".
 *
 * A purchase is a completed order with an amount above zero (metrics.md);
 * a customer's purchases on one day are one purchase day. A customer has
 * a row at cut-off c when it has a purchase in the 365 days up to c, that
 * is on a day in (c - 365, c]. Nothing dated after c enters a feature.
 */
#ifndef CAIRN_CHURN_H
#define CAIRN_CHURN_H

#include <stdint.h>

#include "db/db.h"
#include "models/models.h"
#include "util/date.h"

#define CHURN_HORIZON 90        /* days after the cut-off the label looks at */
#define CHURN_ACTIVE_DAYS 365   /* a purchase this recent makes a customer a row */
#define CHURN_HANDOVER_DAYS 180 /* how far back an owner change counts */

enum churn_feature {
    CHURN_RECENCY,          /* days from the last purchase to the cut-off */
    CHURN_FREQUENCY,        /* purchase days in the last 365 days */
    CHURN_VALUE,            /* sales of the last 365 days, yuan (refunds subtracted) */
    CHURN_VALUE_CHANGE,     /* relative to the 365 days before them; NAN when those are <= 0 */
    CHURN_REFUND_SHARE,     /* refunds of the last 365 days / their purchases */
    CHURN_MEAN_GAP,         /* days between purchase days, all history; NAN with one */
    CHURN_CSAT,             /* latest customer survey, 0-10 (mean of that day) */
    CHURN_CSAT_CHANGE,      /* latest minus the survey day before; NAN with fewer than two */
    CHURN_HANDOVER,         /* the owner changed in the last 180 days */
    CHURN_P_ALIVE,          /* BG/NBD probability of being alive, fitted as of the cut-off */
    CHURN_EXPECTED_90,      /* BG/NBD expected purchase days in the next 90 days */
    CHURN_COUNT
};

struct churn_order {
    cdate day;
    int64_t sales;      /* fen: the signed sales contribution (metrics.md) */
    int64_t purchase;   /* fen: the amount when a purchase, else 0 */
};

struct churn_owner {
    cdate start, end;   /* end: INT32_MAX while open */
    char *employee;
};

struct churn_customer {
    char *id;
    char *owner;                    /* customers.owner_id, or NULL */
    size_t first_order, norders;    /* completed and refunded orders, by day */
    size_t first_survey, nsurveys;  /* survey days, by day */
    size_t first_owner, nowners;    /* customer_owners rows, by start */
};

struct churn_data {
    struct churn_customer *c;       /* sorted by id */
    size_t n;
    struct churn_order *orders;
    size_t norders;
    cdate *survey_day;
    double *survey_score;           /* the mean score of that day, 0-10 */
    size_t nsurveys;
    struct churn_owner *owners;
    size_t nowners;
    cdate last_day;                 /* the latest order or survey date; DATE_NONE when none */
};

int churn_data_load(struct db *db, struct churn_data *cd, struct strbuf *err);
void churn_data_free(struct churn_data *cd);

/* The employee owning customer i on day: the covering customer_owners row
 * with the latest start, none (NULL) when it has rows but none covers
 * day, customers.owner_id when it has none. */
const char *churn_owner_on(const struct churn_data *cd, size_t i, cdate day);

/* Rows of the model: one per customer with a purchase in the 365 days up
 * to a cut-off. */
struct churn_rows {
    struct dataset d;           /* features and labels */
    size_t *customer;           /* index into churn_data.c, per row */
    cdate *cutoff;              /* per row */
    double *handover_days;      /* days since the owner change; NAN without one */
    size_t alloc;
};

void churn_rows_init(struct churn_rows *rows);
void churn_rows_free(struct churn_rows *rows);

/* Appends the rows of cutoff, with BG/NBD fitted on the purchases up to
 * it (its two features are missing when the fit is not possible). The
 * label is 1 when the customer has no purchase in (cutoff, cutoff + 90]. */
void churn_add_cutoff(const struct churn_data *cd, cdate cutoff, struct churn_rows *rows);

const char *churn_feature_name(enum churn_feature f);

#endif
