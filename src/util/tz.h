/*
 * The company time zone: turning instants and ISO 8601 timestamps into
 * calendar dates in that zone. Zone rules come from ICU's time zone data.
 */
#ifndef CAIRN_TZ_H
#define CAIRN_TZ_H

#include <stdint.h>

#include "util/date.h"

#define TZ_DEFAULT "Asia/Shanghai"

struct tz;

/* Opens a zone by IANA id; returns NULL for an id ICU does not know.
 * Free with tz_close. One struct tz is not safe for concurrent use. */
struct tz *tz_open(const char *id);
void tz_close(struct tz *tz);
const char *tz_id(const struct tz *tz);

/* The calendar date in the zone at a Unix time in seconds. */
cdate tz_date_at(struct tz *tz, int64_t unix_seconds);
/* Today's date in the zone. */
cdate tz_today(struct tz *tz);

enum event_date_error {
    EVENT_DATE_OK = 0,
    EVENT_DATE_SYNTAX = -1, /* neither YYYY-MM-DD nor an ISO 8601 timestamp */
    EVENT_DATE_RANGE = -2,  /* a field out of range (month 13, hour 25, year 1850) */
};

/*
 * Reads an event date: "YYYY-MM-DD", or a timestamp
 * "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z", "+HH:MM", "+HHMM" or
 * "+HH" (or "-"). A timestamp with an offset becomes the date in tz at
 * that instant; without one it is local time, so its date part is the
 * date. Returns an enum event_date_error.
 */
int event_date_parse(const char *s, struct tz *tz, cdate *out);

#endif
