/*
 * The linkage views: the figures a GM reads side by side, with the
 * correlation between them stated honestly.
 *
 * - training: training_completion_rate (x) against per_capita_sales (y)
 *   of the units of kind team;
 * - cost: labor_cost_ratio (x) against market_share (y) of the units
 *   that have market rows;
 * - turnover: the repurchase of customers whose account owner left
 *   against that of customers whose owner stayed.
 *
 * The two correlation views have an analysis across units for the period
 * and one over unit-months (every unit and month of the 12 months ending
 * with the period's last month, pooled). Every value comes from the
 * metrics library; this room computes no metric of its own.
 */
#ifndef CAIRN_LINKAGE_H
#define CAIRN_LINKAGE_H

#include <stdbool.h>
#include <jansson.h>

#include "db/db.h"
#include "linkage/stats.h"
#include "util/date.h"
#include "util/strbuf.h"

/* Besides the METRICS_* results: a scope the views do not take. */
#define LINKAGE_BAD_SCOPE (-10)

enum linkage_view { LINKAGE_TRAINING, LINKAGE_TURNOVER, LINKAGE_COST };

/* One point: a unit (month -1 for the period) or a unit in one month; for
 * turnover a customer, x 1 when the owner left, y 1 when it repurchased. */
struct linkage_point {
    char *subject;
    int month; /* month index, -1 when the point is the whole period */
    double x, y;
};

struct linkage_analysis {
    struct linkage_point *points;
    size_t n, alloc;
    struct correlation stats;
};

struct linkage_result {
    enum linkage_view view;
    char *scope;
    struct period period;
    cdate as_of;
    struct linkage_analysis across;      /* training, cost: units in the period */
    struct linkage_analysis over_months; /* training, cost: unit-months */
    /* turnover: customers in across.points, the test here, and the
     * repurchase_rate of the scope from the metrics library. */
    struct proportion_test turnover;
    bool has_repurchase_rate;
    double repurchase_rate;
};

/* The view of a name ("training", "turnover", "cost"); -1 when none. */
int linkage_view_parse(const char *name);
const char *linkage_view_name(enum linkage_view view);

/*
 * Computes a view for scope ("company" or "unit:ID") and period p as of
 * as_of. Returns 0; LINKAGE_BAD_SCOPE for an employee or malformed scope
 * and METRICS_UNKNOWN_SCOPE for an unknown unit, both with a message in
 * err; or METRICS_FAILED. Free with linkage_result_free (also after a
 * failure).
 */
int linkage_compute(struct db *db, enum linkage_view view, const char *scope,
                    const struct period *p, cdate as_of, struct linkage_result *out,
                    struct strbuf *err);
void linkage_result_free(struct linkage_result *r);

/* The translator of a message id into the reader's language; a
 * translated format keeps the conversions of its msgid. */
typedef const char *(*linkage_translate)(const char *msgid, void *ctx)
    __attribute__((format_arg(1)));

/* Appends the plain-words statement of an analysis (across or
 * over_months) or, for turnover, of the proportion test. */
void linkage_statement(const struct linkage_result *r, const struct linkage_analysis *a,
                       linkage_translate tr, void *ctx, struct strbuf *out);

/* The JSON of `cairn linkage --format json`, statements translated by
 * tr; the caller owns the result. */
json_t *linkage_to_json(const struct linkage_result *r, linkage_translate tr, void *ctx);

/* Message ids of the API's query errors, kept here so that the linkage
 * catalog holds them. */
extern const char linkage_msg_bad_view[];
extern const char linkage_msg_employee_scope[];

/* Internal to the room. */
struct org;

/* The turnover view (turnover.c). */
int linkage_turnover(struct db *db, const char *scope, const struct period *p, cdate as_of,
                     struct linkage_result *out, struct strbuf *err);

/* Resolves scope to the rank of its unit (-1 for the company). Returns 0,
 * LINKAGE_BAD_SCOPE or METRICS_UNKNOWN_SCOPE with a message in err. */
int linkage_scope_unit(const struct org *org, const char *scope, int *unit, struct strbuf *err);

/* Whether unit u is top or lies below it (top -1: the company). */
bool linkage_unit_within(const struct org *org, int u, int top);

#endif
