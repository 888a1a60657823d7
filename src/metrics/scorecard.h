/*
 * Internal helpers behind the scorecard functions of metrics.h: targets,
 * status and scope parsing.
 */
#ifndef CAIRN_METRICS_SCORECARD_H
#define CAIRN_METRICS_SCORECARD_H

#include "metrics/metrics.h"
#include "metrics/org.h"

/* The targets of one period, for every scope. */
struct target_row {
    char *scope; /* "company", "unit:ID" or "employee:ID" */
    int metric;
    double value;
};

struct target_set {
    struct target_row *rows;
    size_t n, alloc;
};

/* Loads the targets naming period p. Returns 0, or -1 with a message in
 * err; free with target_set_free (also after a failure). */
int target_set_load(struct db *db, const struct period *p, struct target_set *set,
                    struct strbuf *err);
/* Fills targets with the rows of set naming exactly this scope. */
void target_set_apply(const struct target_set *set, const char *scope,
                      struct metric_target targets[METRIC_COUNT]);
void target_set_free(struct target_set *set);

/* Sets t's attainment and the status of value v of metric d, from the
 * target in t when it has one, else from d's default thresholds. */
void metric_apply_target(const struct metric_def *d, const struct metric_value *v,
                         struct metric_target *t, enum metric_status *status);

/* The engine slot of a scope text (see org.h). Returns 0,
 * METRICS_BAD_SCOPE or METRICS_UNKNOWN_SCOPE with a message in err. */
int metrics_scope_slot(const struct org *org, const char *scope, size_t *slot, struct strbuf *err);

#endif
