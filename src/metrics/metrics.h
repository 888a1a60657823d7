/*
 * Key results: the library interface the command line, the web server
 * and the alerts use. A scorecard is every metric of one scope, period
 * and as-of date, with targets and status; values are plain doubles with
 * an availability flag (money in yuan, ratios as fractions), so callers
 * format them as they need and scorecard_to_json gives the JSON of
 * `cairn kpi`.
 *
 * Scopes are written as on the command line: "company", "unit:ID" or
 * "employee:ID".
 */
#ifndef CAIRN_METRICS_H
#define CAIRN_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "db/db.h"
#include "metrics/catalog.h"
#include "util/date.h"

/* Results of the functions below besides 0. */
enum {
    METRICS_FAILED = -1,       /* a database error; err says what */
    METRICS_BAD_SCOPE = -2,    /* the scope is not company, unit:ID or employee:ID */
    METRICS_UNKNOWN_SCOPE = -3 /* no such unit or employee */
};

struct metric_value {
    bool available; /* false: unavailable, JSON null, shown "—" */
    double value;
};

enum metric_status { STATUS_NONE, STATUS_GREEN, STATUS_AMBER, STATUS_RED };

struct metric_target {
    bool has_target;      /* a target row names this period and scope */
    double target;
    bool has_attainment;  /* false when the value is missing or the divisor <= 0 */
    double attainment;
};

struct scorecard {
    char *scope; /* "company", "unit:T01", "employee:E1"; owned */
    struct period period;
    cdate as_of;
    bool partial;
    struct metric_value values[METRIC_COUNT];
    struct metric_target targets[METRIC_COUNT];
    enum metric_status status[METRIC_COUNT];
};

void scorecard_free(struct scorecard *sc);

/* Checks the syntax of a scope text: 0, or METRICS_BAD_SCOPE. */
int metrics_scope_check(const char *scope);

/*
 * Computes the scorecard of scope for period p as of as_of. Returns 0,
 * METRICS_BAD_SCOPE, METRICS_UNKNOWN_SCOPE (with a message in err) or
 * METRICS_FAILED. On success free the result with scorecard_free.
 */
int metrics_scorecard(struct db *db, const char *scope, const struct period *p, cdate as_of,
                      struct scorecard *out, struct strbuf *err);

/*
 * Computes the scorecards of every child unit of unit_id (NULL: the
 * children of the root unit) in one evaluation. *out is an array of *n
 * scorecards in unit_id byte order; free each with scorecard_free and the
 * array with free(). Returns as metrics_scorecard.
 */
int metrics_child_scorecards(struct db *db, const char *unit_id, const struct period *p,
                             cdate as_of, struct scorecard **out, size_t *n, struct strbuf *err);

/*
 * Computes the scorecards of the company and of every unit for each of
 * nperiods periods, sharing one evaluation context: *out holds nperiods
 * runs of 1 + units scorecards, each run being the company then the
 * units in unit_id byte order. Free as for metrics_child_scorecards.
 * Returns 0 or METRICS_FAILED.
 */
int metrics_unit_scorecards(struct db *db, const struct period *periods, size_t nperiods,
                            cdate as_of, struct scorecard **out, size_t *n, struct strbuf *err);

/*
 * Computes metric m of scope for nmonths calendar months from first_month
 * (a month index, see date.h), each as of as_of; a month that starts
 * after as_of is unavailable, the month holding as_of is partial. out
 * gets nmonths values. Returns as metrics_scorecard.
 */
int metrics_series(struct db *db, const char *scope, enum metric_id m, int first_month,
                   int nmonths, cdate as_of, struct metric_value *out, struct strbuf *err);
/* As metrics_series for every metric at once (one evaluation per month):
 * out gets nmonths rows of METRIC_COUNT values. */
int metrics_series_all(struct db *db, const char *scope, int first_month, int nmonths,
                       cdate as_of, struct metric_value (*out)[METRIC_COUNT], struct strbuf *err);

/* One employee of the top set of top_performer_retention. */
struct metrics_top_member {
    char *id;
    int64_t sales_12m; /* fen, the 12 months before the period */
};

/*
 * The top set of top_performer_retention of scope for period p as of
 * as_of, highest sales first (ties by id). *out is an array of *n
 * members; free with metrics_top_set_free. Returns as metrics_scorecard.
 */
int metrics_top_set(struct db *db, const char *scope, const struct period *p, cdate as_of,
                    struct metrics_top_member **out, size_t *n, struct strbuf *err);
void metrics_top_set_free(struct metrics_top_member *members, size_t n);

/* One customer of at_risk_customers. */
struct metrics_at_risk {
    char *customer;
    char *owner;         /* the owner on the as-of date; NULL when none */
    cdate last_purchase; /* the last purchase on or before the as-of date */
    int64_t csat_sum, csat_n; /* latest CSAT: hundredths summed over n surveys */
};

/*
 * The customers of at_risk_customers as of as_of (company scope), in
 * customer_id byte order; an empty list when customers, orders or
 * customer surveys have no rows. Free with metrics_at_risk_free.
 * Returns 0 or METRICS_FAILED.
 */
int metrics_at_risk_list(struct db *db, cdate as_of, struct metrics_at_risk **out, size_t *n,
                         struct strbuf *err);
void metrics_at_risk_free(struct metrics_at_risk *list, size_t n);

/*
 * Computes metric m of every employee for nmonths calendar months from
 * first_month as of as_of, in one evaluation per month: *ids gets the
 * *nemployees employee ids in byte order and *out nmonths runs of
 * *nemployees values (out[k * nemployees + e]). Free the ids with
 * metrics_ids_free and out with free(). Returns 0 or METRICS_FAILED.
 */
int metrics_employee_series(struct db *db, enum metric_id m, int first_month, int nmonths,
                            cdate as_of, char ***ids, size_t *nemployees,
                            struct metric_value **out, struct strbuf *err);
void metrics_ids_free(char **ids, size_t n);

/*
 * Computes every metric of every employee for period p as of as_of in one
 * evaluation: *ids gets the *nemployees employee ids in byte order and
 * *out one row of METRIC_COUNT values per employee, in the same order.
 * Free the ids with metrics_ids_free and out with free(). Returns 0 or
 * METRICS_FAILED.
 */
int metrics_employee_values(struct db *db, const struct period *p, cdate as_of, char ***ids,
                            size_t *nemployees, struct metric_value (**out)[METRIC_COUNT],
                            struct strbuf *err);

/* The JSON object of `cairn kpi` for a scorecard, limited to the metrics
 * with selected[i] true (NULL: all). The caller owns the result. */
json_t *scorecard_to_json(const struct scorecard *sc, const bool *selected);

/* The status name: "green", "amber", "red", or NULL for none. */
const char *metric_status_name(enum metric_status s);

#endif
