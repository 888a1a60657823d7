/*
 * Time zone conversions through ICU's calendar (ucal), which carries the
 * IANA rules including historical offsets.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "util/tz.h"
#include "util/xalloc.h"

struct tz {
    char *id;
    UCalendar *cal;
};

struct tz *tz_open(const char *id)
{
    UChar uid[128], canonical[128];
    UErrorCode status = U_ZERO_ERROR;
    UBool is_system = 0;
    int32_t len;
    struct tz *tz;

    if (!id || !*id || strlen(id) >= 120)
        return NULL;
    u_uastrcpy(uid, id);
    len = ucal_getCanonicalTimeZoneID(uid, -1, canonical, 128, &is_system, &status);
    if (U_FAILURE(status) || !is_system || len <= 0)
        return NULL;

    tz = xcalloc(1, sizeof(*tz));
    tz->id = xstrdup(id);
    tz->cal = ucal_open(uid, -1, "en_US", UCAL_GREGORIAN, &status);
    if (U_FAILURE(status)) {
        free(tz->id);
        free(tz);
        return NULL;
    }
    /* Pure proleptic Gregorian: no switch to the Julian calendar in 1582. */
    ucal_setGregorianChange(tz->cal, -1e300, &status);
    return tz;
}

void tz_close(struct tz *tz)
{
    if (!tz)
        return;
    ucal_close(tz->cal);
    free(tz->id);
    free(tz);
}

const char *tz_id(const struct tz *tz)
{
    return tz->id;
}

cdate tz_date_at(struct tz *tz, int64_t unix_seconds)
{
    UErrorCode status = U_ZERO_ERROR;
    int y, m, d;
    cdate out = DATE_NONE;

    ucal_setMillis(tz->cal, (UDate)unix_seconds * 1000.0, &status);
    y = ucal_get(tz->cal, UCAL_EXTENDED_YEAR, &status);
    m = ucal_get(tz->cal, UCAL_MONTH, &status) + 1;
    d = ucal_get(tz->cal, UCAL_DATE, &status);
    if (U_FAILURE(status) || date_from_ymd(y, m, d, &out))
        return DATE_NONE;
    return out;
}

cdate tz_today(struct tz *tz)
{
    return tz_date_at(tz, (int64_t)time(NULL));
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Parses the offset part of a timestamp into seconds east of UTC. */
static int parse_offset(const char *s, int *seconds)
{
    int sign, hh, mm = 0;
    size_t n = strlen(s);

    if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *seconds = 0;
        return 0;
    }
    if (s[0] != '+' && s[0] != '-')
        return EVENT_DATE_SYNTAX;
    sign = s[0] == '-' ? -1 : 1;
    if (n == 3 && !digits(s + 1, 2, &hh))
        ;
    else if (n == 5 && !digits(s + 1, 2, &hh) && !digits(s + 3, 2, &mm))
        ;
    else if (n == 6 && s[3] == ':' && !digits(s + 1, 2, &hh) && !digits(s + 4, 2, &mm))
        ;
    else
        return EVENT_DATE_SYNTAX;
    if (hh > 18 || mm > 59)
        return EVENT_DATE_RANGE;
    *seconds = sign * (hh * 3600 + mm * 60);
    return 0;
}

int event_date_parse(const char *s, struct tz *tz, cdate *out)
{
    char datepart[DATE_BUFSIZE];
    const char *p;
    int hh, mi, ss = 0, offset, rc;
    cdate day;

    if (strlen(s) < 10)
        return EVENT_DATE_SYNTAX;
    memcpy(datepart, s, 10);
    datepart[10] = '\0';
    if (date_parse(datepart, &day)) {
        if (strlen(datepart) == 10 && datepart[4] == '-' && datepart[7] == '-')
            return EVENT_DATE_RANGE;
        return EVENT_DATE_SYNTAX;
    }
    if (s[10] == '\0') {
        *out = day;
        return EVENT_DATE_OK;
    }

    /* A timestamp: "T" and hours and minutes, then optional seconds. */
    p = s + 10;
    if (*p != 'T' || digits(p + 1, 2, &hh) || p[3] != ':' || digits(p + 4, 2, &mi))
        return EVENT_DATE_SYNTAX;
    p += 6;
    if (*p == ':') {
        if (digits(p + 1, 2, &ss))
            return EVENT_DATE_SYNTAX;
        p += 3;
        if (*p == '.' || *p == ',') {
            p++;
            if (*p < '0' || *p > '9')
                return EVENT_DATE_SYNTAX;
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    if (hh > 23 || mi > 59 || ss > 60)
        return EVENT_DATE_RANGE;
    if (*p == '\0') {
        *out = day; /* local time in the company zone */
        return EVENT_DATE_OK;
    }
    rc = parse_offset(p, &offset);
    if (rc)
        return rc;

    *out = tz_date_at(tz, (int64_t)day * 86400 + hh * 3600 + mi * 60 + ss - offset);
    return *out == DATE_NONE ? EVENT_DATE_RANGE : EVENT_DATE_OK;
}
