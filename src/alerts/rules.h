/*
 * Internal to src/alerts: the evaluation context the rules share (the
 * organisation, managers and positions, month m, the thresholds) and the
 * two groups of rules, the unit rules and the people rules.
 */
#ifndef CAIRN_ALERTS_RULES_H
#define CAIRN_ALERTS_RULES_H

#include "alerts/alerts.h"
#include "metrics/org.h"

/* Values closer than this are equal when thresholds are compared, so a
 * difference computed in floating point meets its threshold exactly. */
#define ALERT_EPSILON 1e-9

struct alert_ctx {
    struct db *db;
    bool without_pay; /* model warnings leave out factors that state pay */
    cdate as_of;
    int m; /* month index of month m */
    struct org org;
    char **unit_manager;  /* per unit rank; NULL when none */
    char **emp_manager;   /* per employee rank */
    bool *emp_sales;      /* per employee rank: position is sales */
    int root;             /* the first root unit's rank; -1 when there are no units */
    bool single_root;     /* root is the only unit without a parent */
    int64_t minimum_fen;  /* alerts.minimum_monthly_sales */
    double attrition_rise; /* alerts.attrition_rise */
    double labor_max;     /* alerts.labor_cost_ratio_max */
    struct alert_list *out;
};

/* Appends a warning; the strings are copied, figures is stolen. */
struct alert *alert_push(struct alert_ctx *ctx, enum alert_rule rule, const char *scope,
                         const char *period, const char *subject, const char *owner,
                         json_t *figures);

/* Frees what one warning owns (not the warning itself). */
void alert_release(struct alert *a);

/* An amount in fen as a JSON number of yuan. */
json_t *alert_money(int64_t fen);
/* A plain JSON number: an integer when whole, else a real. */
json_t *alert_number(double v);

/* Rules 1-3 (units and the company) and rules 4-7 (people, customers,
 * enrolments). Each returns 0, or -1 with a message in err. */
int alerts_unit_rules(struct alert_ctx *ctx, struct strbuf *err);
int alerts_people_rules(struct alert_ctx *ctx, struct strbuf *err);

/* The model warnings (models.c); sets the bits of the models that are
 * not stored in *skipped. Returns 0, or -1 with a message in err. */
int alerts_model_rules(struct alert_ctx *ctx, unsigned *skipped, struct strbuf *err);

#endif
