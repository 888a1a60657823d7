/*
 * Lenient parsers for values in foreign files: the dates, amounts and
 * numbers that Excel users and Chinese business systems write, turned
 * into Cairn's exact forms (cdate day numbers, integer hundredths,
 * canonical decimal text). Full-width digits and punctuation are read as
 * their ASCII forms. Nothing is guessed: a two-digit year, an ambiguous
 * day/month order without a date order, and an amount that still has a
 * third decimal after conversion are rejected with a reason.
 */
#ifndef CAIRN_VALUES_H
#define CAIRN_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "util/date.h"
#include "util/strbuf.h"

enum value_error {
    VALUE_OK = 0,
    VALUE_EMPTY,          /* nothing but spaces */
    VALUE_SYNTAX,         /* not a form the parser accepts */
    VALUE_DATE_INVALID,   /* no such day, or a year outside 1900-2999 */
    VALUE_DATE_AMBIGUOUS, /* 05/03/2024 read either way, no date order */
    VALUE_DATE_TWO_DIGIT_YEAR,
    VALUE_GROUPING, /* thousands separators not in groups of three */
    VALUE_DECIMALS, /* more than 2 decimals after conversion */
    VALUE_RANGE,    /* too large to store */
    VALUE_DECIMAL_COMMA, /* 1.234,50 or 1234,5: a comma before the decimals */
};

/* The order of day and month in dates whose year comes last. */
enum date_order {
    DATE_ORDER_NONE = 0, /* only unambiguous dates are accepted */
    DATE_ORDER_YMD,      /* the year-first forms only (as NONE) */
    DATE_ORDER_DMY,
    DATE_ORDER_MDY,
};

/* Parses a --date-order value: ymd, dmy or mdy. Returns 0 or -1. */
int date_order_parse(const char *s, enum date_order *order);

/*
 * Parses a date: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日 (号 for 日
 * too), 20240305, 5 Mar 2024, Mar 5, 2024, an Excel serial day number of
 * five digits (10000-99999, the 1900 date system; a fraction is the time
 * of day), and day/month/year or month/day/year with a four-digit year:
 * with order DMY or MDY as given, without one only when a single reading
 * is a valid date (25/03/2024) or both readings agree. A time of day after
 * the date (" 10:30", "T10:30:00+08:00") is checked and dropped, its
 * offset included: the date is the one written, never converted to
 * another zone. Callers reading event dates parse ISO 8601 timestamps
 * with event_date_parse (util/tz.h) before falling back to this parser.
 * Returns an enum value_error.
 */
int value_parse_date(const char *s, enum date_order order, cdate *out);

/*
 * Parses an amount into hundredths: 1234.5, 1,234.50, ¥1,234.50,
 * ￥1234.5, RMB 1234, 1234.5元, 1.2万 (ten thousands: 12000.00), 3亿 (a
 * hundred million), -1,234, (1,234.00) for a negative amount, and
 * full-width forms such as １２３４．５. The arithmetic works on the
 * digits, so there is no binary rounding. Returns an enum value_error.
 */
int value_parse_money(const char *s, int64_t *hundredths);

/*
 * Parses a number as value_parse_money does, and also a percentage when
 * percent is set (12.5% is 0.125), into canonical decimal text without
 * grouping or trailing zeros ("-1234.5", "0.125", "12000") appended to
 * out. Returns an enum value_error; VALUE_DECIMALS is never returned.
 */
int value_parse_number(const char *s, bool percent, struct strbuf *out);

/* The reason for an enum value_error, translated, for messages. */
const char *value_error_message(int error);

/* Appends s to out with full-width ASCII forms (U+FF01-U+FF5E) turned into
 * ASCII, and the ideographic and no-break spaces into spaces. */
void value_fold_width(const char *s, struct strbuf *out);

#endif
