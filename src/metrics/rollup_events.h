/*
 * The visit, survey and expense rollups (internal to src/metrics), rebuilt by
 * rollups_refresh after the order rollups.
 */
#ifndef CAIRN_METRICS_ROLLUP_EVENTS_H
#define CAIRN_METRICS_ROLLUP_EVENTS_H

#include "metrics/org.h"

/* Rebuilds rollup_visit_day, rollup_employee_survey_day,
 * rollup_customer_survey_day and rollup_expense_day; customer_ids are the customer ids in byte
 * order (index = ckey). Returns 0, or -1 with a message in err. */
int rollups_refresh_events(struct db *db, const struct org *org, char *const *customer_ids,
                           size_t ncustomers, struct strbuf *err);

#endif
