/*
 * The visit, survey and expense rollups (internal to src/metrics), rebuilt by
 * rollups_refresh after the order rollups.
 */
#ifndef CAIRN_METRICS_ROLLUP_EVENTS_H
#define CAIRN_METRICS_ROLLUP_EVENTS_H

#include "metrics/org.h"

/* The event rollups, as a bit mask of the ones to rebuild. */
enum {
    ROLLUP_VISITS = 1,           /* rollup_visit_day */
    ROLLUP_EMPLOYEE_SURVEYS = 2, /* rollup_employee_survey_day */
    ROLLUP_CUSTOMER_SURVEYS = 4, /* rollup_customer_survey_day and _latest_survey */
    ROLLUP_EXPENSES = 8,         /* rollup_expense_day */
    ROLLUP_EVENTS_ALL = 15
};

/* Rebuilds the event rollups named in the mask `which`; customer_ids are
 * the customer ids in byte order (index = ckey). Returns 0, or -1 with a
 * message in err. */
int rollups_refresh_events(struct db *db, const struct org *org, char *const *customer_ids,
                           size_t ncustomers, unsigned which, struct strbuf *err);

#endif
