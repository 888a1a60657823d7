/*
 * Event dates: the tables whose date is derived from a value as given
 * (a date or a timestamp) in the company time zone.
 */
#ifndef CAIRN_EVENTS_H
#define CAIRN_EVENTS_H

#include "db/db.h"
#include "util/tz.h"

/* Opens the company time zone from the settings; NULL with a message. */
struct tz *company_tz_open(struct db *db, struct strbuf *err);

/* Derives every event date again from its given value in zone tz_id and
 * rebuilds the rollups. Runs inside the caller's transaction. Returns 0,
 * or -1 with a message. */
int events_rederive_dates(struct db *db, const char *tz_id, struct strbuf *err);

#endif
