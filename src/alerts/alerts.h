/*
 * Early warnings: the seven warning rules of the key-result definitions
 * and the three model warnings built on the stored models, evaluated as
 * of a date. Each warning names its rule, scope, period,
 * subject, owner and the figures that fired it, and the list comes in the
 * rules' published order. The rules read every figure through the
 * key-results library (src/metrics), so a warning and the metric it is
 * built on always agree. docs/alerts.md states the decisions taken.
 */
#ifndef CAIRN_ALERTS_H
#define CAIRN_ALERTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/date.h"

/* The rules, in the order they are listed (and warnings are sorted) in. */
enum alert_rule {
    AR_NEW_CUSTOMERS_FALLING,
    AR_TEAM_RISK,
    AR_LABOR_COST_HIGH,
    AR_BELOW_MINIMUM,
    AR_TOP_PERFORMER_AT_RISK,
    AR_CUSTOMER_AT_RISK,
    AR_TRAINING_OVERDUE,
    /* The model warnings, evaluated apart from the rules above. */
    AR_ATTRITION_RISK_HIGH,
    AR_CHURN_RISK_HIGH,
    AR_SALES_TURNING,
    AR_COUNT
};

#define AR_FIRST_MODEL AR_ATTRITION_RISK_HIGH

/* The models behind the model warnings, as bits of a set. */
enum alert_model {
    ALERT_MODEL_ATTRITION = 1,
    ALERT_MODEL_CHURN = 2,
    ALERT_MODEL_FORECAST = 4,
};

/* Returns the model's name as in "cairn model train" ("churn"). */
const char *alert_model_name(enum alert_model model);

struct alert {
    enum alert_rule rule;
    char *scope;     /* "company", "unit:ID" or "employee:ID" */
    char *period;    /* "YYYY-MM" (month m) or "YYYY-MM-DD" (the as-of date) */
    char *subject;
    char *owner;     /* who should act; NULL when unknown (JSON null) */
    json_t *figures; /* owned object: money in yuan, ratios as fractions */
    int home_unit;   /* rank of the unit the scope lies in; -1 none */
    int employee;    /* rank of the scope's employee; -1 none */
    /* The open record of this warning (alerts_attach_records): id -1
     * when it has none; state, first_seen and last_seen owned. */
    int64_t id;
    char *state, *first_seen, *last_seen;
};

struct alert_list {
    struct alert *items;
    size_t n, alloc;
};

/* The rule's name as in JSON ("team_risk"), and the reverse (-1). */
const char *alert_rule_name(enum alert_rule rule);
int alert_rule_by_name(const char *name);
/* The rule's English label msgid (translate with _()). */
const char *alert_rule_label(enum alert_rule rule);

/* The latest month that has ended on as_of, as a month index. */
int alerts_month(cdate as_of);

/*
 * Evaluates every rule as of as_of and fills out with the warnings whose
 * scope lies in scope ("company" or NULL: all), sorted by rule, scope and
 * subject byte by byte. Returns 0, METRICS_BAD_SCOPE or
 * METRICS_UNKNOWN_SCOPE (with a message in err) or METRICS_FAILED.
 * Free with alert_list_free (also after a failure).
 */
int alerts_evaluate(struct db *db, cdate as_of, const char *scope, struct alert_list *out,
                    struct strbuf *err);
void alert_list_free(struct alert_list *list);
/* Removes the warnings of rule from the list, keeping the order. */
void alert_list_drop_rule(struct alert_list *list, enum alert_rule rule);

/*
 * Appends the model warnings as of as_of whose scope lies in scope to
 * out, after what it holds, sorted as alerts_evaluate sorts. A model
 * that is not stored is skipped and its bit set in *skipped. The list
 * of each model is its top 10 %: the ceil(n / 10) highest of n, ties by
 * subject id. Without with_pay the factors that state an employee's pay
 * are left out. Returns as alerts_evaluate; after a failure out keeps the
 * warnings it held before the call.
 */
int alerts_evaluate_models(struct db *db, cdate as_of, const char *scope, bool with_pay,
                           struct alert_list *out, unsigned *skipped, struct strbuf *err);

/*
 * Looks up the open record of each warning by its identity and copies
 * its id, state and first and last dates into the warning (which then
 * adds them to its JSON). Returns 0, or -1 with a message in err.
 */
int alerts_attach_records(struct db *db, struct alert_list *list, struct strbuf *err);

/* The JSON object of one warning: rule, scope, period, subject, owner,
 * figures, and id, state, first_seen and last_seen when it has a
 * record. The caller owns the result. */
json_t *alert_to_json(const struct alert *a);
/* The JSON list of `cairn alerts`. */
json_t *alert_list_to_json(const struct alert_list *list);

/* A warning's identity: rule + scope + subject, or rule + subject for
 * customer_at_risk and churn_risk_high (whose scope moves with a
 * hand-over). Appended to out. */
void alert_identity(const struct alert *a, struct strbuf *out);

#endif
