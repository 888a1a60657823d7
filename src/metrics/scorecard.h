/*
 * Internal helpers behind the scorecard functions of metrics.h: targets,
 * status and scope parsing.
 */
#ifndef CAIRN_METRICS_SCORECARD_H
#define CAIRN_METRICS_SCORECARD_H

#include "metrics/metrics.h"

/* Loads the targets naming exactly this scope and period. Returns 0, or
 * -1 with a message in err. */
int metric_load_targets(struct db *db, const char *scope, const struct period *p,
                        struct metric_target targets[METRIC_COUNT], struct strbuf *err);

/* Sets t's attainment and the status of value v of metric d, from the
 * target in t when it has one, else from d's default thresholds. */
void metric_apply_target(const struct metric_def *d, const struct metric_value *v,
                         struct metric_target *t, enum metric_status *status);

#endif
