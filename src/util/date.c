/*
 * Day-number arithmetic for the proleptic Gregorian calendar, and the
 * month/quarter/year periods the metrics are computed over.
 */
#include <stdio.h>
#include <string.h>

#include "util/date.h"
#include "util/xalloc.h"

bool date_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (month == 2 && date_is_leap(year))
        return 29;
    return days[month - 1];
}

/* Day number of a civil date, counting eras of 400 years (146097 days)
 * from 0000-03-01 so that the leap day is the last day of each year. */
static cdate days_from_civil(int y, int m, int d)
{
    int era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int date_from_ymd(int year, int month, int day, cdate *out)
{
    if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR || month < 1 || month > 12 || day < 1 ||
        day > date_days_in_month(year, month))
        return -1;
    *out = days_from_civil(year, month, day);
    return 0;
}

void date_to_ymd(cdate d, int *year, int *month, int *day)
{
    int z = d + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int m = mp < 10 ? mp + 3 : mp - 9;

    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = m;
    *year = yoe + era * 400 + (m <= 2);
}

static int parse_digits(const char *s, int n, int *out)
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

int date_parse(const char *s, cdate *out)
{
    int y, m, d;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    if (parse_digits(s, 4, &y) || parse_digits(s + 5, 2, &m) || parse_digits(s + 8, 2, &d))
        return -1;
    return date_from_ymd(y, m, d, out);
}

/* Writes n decimal digits of v (zero-padded) to out. */
static void put_digits(char *out, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void date_format(cdate d, char out[DATE_BUFSIZE])
{
    int y, m, day;

    date_to_ymd(d, &y, &m, &day);
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, day, 2);
    out[10] = '\0';
}

int date_month_index(cdate d)
{
    int y, m, day;

    date_to_ymd(d, &y, &m, &day);
    return y * 12 + (m - 1);
}

cdate date_month_first(int month_index)
{
    return days_from_civil(month_index / 12, month_index % 12 + 1, 1);
}

cdate date_month_last(int month_index)
{
    return date_month_first(month_index + 1) - 1;
}

int date_month_parse(const char *s, int *month_index)
{
    int y, m;

    if (strlen(s) != 7 || s[4] != '-')
        return -1;
    if (parse_digits(s, 4, &y) || parse_digits(s + 5, 2, &m))
        return -1;
    if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || m < 1 || m > 12)
        return -1;
    *month_index = y * 12 + (m - 1);
    return 0;
}

void date_month_format(int month_index, char out[8])
{
    put_digits(out, month_index / 12, 4);
    out[4] = '-';
    put_digits(out + 5, month_index % 12 + 1, 2);
    out[7] = '\0';
}

cdate date_add_months_clamped(cdate d, int months)
{
    int y, m, day, mi, last;

    date_to_ymd(d, &y, &m, &day);
    mi = y * 12 + (m - 1) + months;
    last = date_days_in_month(mi / 12, mi % 12 + 1);
    return days_from_civil(mi / 12, mi % 12 + 1, day < last ? day : last);
}

static struct period make_period(enum period_kind kind, int first_month)
{
    struct period p;

    p.kind = kind;
    p.first_month = first_month;
    p.months = kind == PERIOD_MONTH ? 1 : kind == PERIOD_QUARTER ? 3 : 12;
    p.start = date_month_first(first_month);
    p.end = date_month_first(first_month + p.months);
    return p;
}

struct period period_of_month(int month_index)
{
    return make_period(PERIOD_MONTH, month_index);
}

int period_parse(const char *s, struct period *p)
{
    int y, q, mi;
    size_t n = strlen(s);

    if (n == 4 && !parse_digits(s, 4, &y) && y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR) {
        *p = make_period(PERIOD_YEAR, y * 12);
        return 0;
    }
    if (n == 7 && s[4] == '-' && (s[5] == 'Q' || s[5] == 'q') && !parse_digits(s, 4, &y) &&
        s[6] >= '1' && s[6] <= '4' && y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR) {
        q = s[6] - '0';
        *p = make_period(PERIOD_QUARTER, y * 12 + (q - 1) * 3);
        return 0;
    }
    if (!date_month_parse(s, &mi)) {
        *p = make_period(PERIOD_MONTH, mi);
        return 0;
    }
    return -1;
}

void period_format(const struct period *p, char out[16])
{
    int y = p->first_month / 12;

    switch (p->kind) {
    case PERIOD_YEAR:
        snprintf(out, 16, "%04d", y);
        break;
    case PERIOD_QUARTER:
        snprintf(out, 16, "%04d-Q%d", y, p->first_month % 12 / 3 + 1);
        break;
    case PERIOD_MONTH:
        date_month_format(p->first_month, out);
        break;
    }
}

struct period period_shift(const struct period *p, int n)
{
    return make_period(p->kind, p->first_month + n * p->months);
}

struct period period_year_before(const struct period *p)
{
    return make_period(p->kind, p->first_month - 12);
}
