/*
 * The catalogue of key-result metrics: every metric of the definitions
 * in their published order, with its labels, its group (one of the four
 * key results), how its value is shown, whether lower values are better,
 * and the default status thresholds used when no target applies. It is
 * the one list of metric names: the importer checks targets.csv against
 * it and every output iterates it in this order.
 */
#ifndef CAIRN_METRICS_CATALOG_H
#define CAIRN_METRICS_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

enum metric_id {
    M_SALES,
    M_SALES_YOY,
    M_SALES_POP,
    M_MARKET_SHARE,
    M_NEW_CUSTOMERS,
    M_NEW_CUSTOMERS_PER_MONTH,
    M_ACTIVE_CUSTOMERS,
    M_NEW_CUSTOMER_RATIO,
    M_HEADCOUNT,
    M_AVG_HEADCOUNT,
    M_PER_CAPITA_SALES,
    M_ATTRITION_RATE,
    M_VOLUNTARY_ATTRITION_RATE,
    M_TOP_PERFORMER_RETENTION,
    M_TRAINING_COMPLETION_RATE,
    M_OPENING_RATE,
    M_TRAINING_LIFT,
    M_EMPLOYEE_SATISFACTION,
    M_VISITS_PER_HEAD,
    M_REPURCHASE_RATE,
    M_CSAT,
    M_TOP20_CUSTOMER_SHARE,
    M_AT_RISK_CUSTOMERS,
    M_LABOR_COST,
    M_LABOR_COST_RATIO,
    M_SALES_PER_LABOR_YUAN,
    M_SALES_EXPENSE_RATIO,
    M_EXPENSE_RATIO,
    M_TEMPORARY_SHARE,
    METRIC_COUNT
};

/* The four key results, in the order they are shown. */
enum metric_group { MG_GROWTH, MG_TEAM, MG_CUSTOMERS, MG_COST, METRIC_GROUP_COUNT };

/* How a value is written for people (JSON always gets the plain number). */
enum metric_kind {
    MK_MONEY,  /* yuan, thousands separators and 2 decimals */
    MK_COUNT,  /* a whole number */
    MK_RATIO,  /* a fraction shown as a percentage */
    MK_NUMBER, /* a plain number with 2 decimals */
    MK_SCORE,  /* a 0-10 score with 2 decimals */
};

struct metric_def {
    const char *name;  /* the exact name used in JSON, CSV and targets.csv */
    const char *label; /* English msgid for N_(); translated at display */
    enum metric_group group;
    enum metric_kind kind;
    bool lower_is_better;
    /* Default thresholds: has_default, then the green and red limits.
     * Higher-is-better: green at value >= green, red at value < red.
     * Lower-is-better: green at value <= green, red at value > red. */
    bool has_default;
    double green;
    double red;
};

extern const struct metric_def metric_defs[METRIC_COUNT];

/* Whether metric m is computed from payroll (labor_cost and the ratios
 * built on it), so that only roles allowed to see pay may read it. */
bool metric_uses_pay(enum metric_id m);

/* The metric with this exact name, or -1. */
int metric_by_name(const char *name);

/* The English msgid of a group's title ("Growth"); translate with _(). */
const char *metric_group_title(enum metric_group g);

#endif
