/*
 * Calendar dates and periods. A date is a day number (days since
 * 1970-01-01 in the proleptic Gregorian calendar); it names a calendar
 * day in the company's time zone, never an instant. Periods are months,
 * quarters and years as half-open day ranges.
 */
#ifndef CAIRN_DATE_H
#define CAIRN_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t cdate;

#define DATE_NONE INT32_MIN
#define DATE_BUFSIZE 11 /* "YYYY-MM-DD" and its NUL */

/* Years Cairn accepts anywhere; outside them a date is invalid. */
#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2999

bool date_is_leap(int year);
int date_days_in_month(int year, int month);

/* Returns 0 and sets *out for a valid year, month and day; -1 otherwise. */
int date_from_ymd(int year, int month, int day, cdate *out);
void date_to_ymd(cdate d, int *year, int *month, int *day);

/* Parses exactly "YYYY-MM-DD"; returns 0, or -1 for anything else. */
int date_parse(const char *s, cdate *out);
void date_format(cdate d, char out[DATE_BUFSIZE]);

/* A month as year * 12 + (month - 1), so consecutive months differ by 1. */
int date_month_index(cdate d);
cdate date_month_first(int month_index);
cdate date_month_last(int month_index);
/* Parses exactly "YYYY-MM" into a month index; returns 0 or -1. */
int date_month_parse(const char *s, int *month_index);
void date_month_format(int month_index, char out[8]);

/* Moves d by a number of months, clamping the day to the end of the
 * target month (2024-02-29 minus 12 months is 2023-02-28). */
cdate date_add_months_clamped(cdate d, int months);

enum period_kind { PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR };

struct period {
    enum period_kind kind;
    int first_month; /* month index of the first month */
    int months;      /* 1, 3 or 12 */
    cdate start;     /* first day */
    cdate end;       /* first day of the next period (exclusive) */
};

/* Parses "YYYY-MM", "YYYY-Qn" or "YYYY"; returns 0 or -1. */
int period_parse(const char *s, struct period *p);
void period_format(const struct period *p, char out[16]);
/* The period of the same kind moved by n periods (n = -1: P-1). */
struct period period_shift(const struct period *p, int n);
/* The same period one year earlier (P-1y). */
struct period period_year_before(const struct period *p);
struct period period_of_month(int month_index);

#endif
