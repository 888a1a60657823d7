/*
 * Cell value formatting. Numbers go through the C library's %.14e, which
 * rounds correctly to 15 significant digits; the digits are then laid out
 * without an exponent, whatever the locale's decimal point.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readers/cells.h"
#include "util/date.h"

enum cell_kind cell_format_kind(const char *code)
{
    bool date = false, time = false;

    for (const char *p = code; *p; p++) {
        char c = (char)tolower((unsigned char)*p);

        /* Literal text and modifiers do not show a date. */
        if (c == '"') {
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
            continue;
        }
        if (c == '[') {
            while (p[1] && p[1] != ']')
                p++;
            if (p[1])
                p++;
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') {
            if (p[1])
                p++;
            continue;
        }

        if (c == 'y' || c == 'd')
            date = true;
        else if (c == 'h' || c == 's')
            time = true;
    }
    if (date)
        return CELL_DATE;
    return time ? CELL_TIME : CELL_NUMBER;
}

enum cell_kind cell_builtin_kind(int id)
{
    if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47) || (id >= 32 && id <= 35))
        return CELL_TIME;
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
        return CELL_DATE;
    return CELL_NUMBER;
}

void cell_format_number(double v, char *out)
{
    char sci[48], digits[20];
    size_t ndigits = 0, pos = 0;
    int exponent;
    const char *e;
    bool negative = v < 0;

    if (v == 0) {
        snprintf(out, CELL_TEXT_BUFSIZE, "0");
        return;
    }
    if (!isfinite(v) || fabs(v) >= 1e21 || fabs(v) < 1e-20) {
        snprintf(out, CELL_TEXT_BUFSIZE, "%.15g", v);
        return;
    }

    /* "-d.dddddddddddddde+XX": 15 significant digits and the exponent. */
    snprintf(sci, sizeof(sci), "%.14e", v);
    e = strchr(sci, 'e');
    for (const char *p = sci; p < e; p++)
        if (isdigit((unsigned char)*p))
            digits[ndigits++] = *p;
    exponent = (int)strtol(e + 1, NULL, 10);
    while (ndigits > 1 && digits[ndigits - 1] == '0')
        ndigits--;

    /* Lay the digits out around the decimal point. */
    if (negative)
        out[pos++] = '-';
    if (exponent < 0) {
        out[pos++] = '0';
        out[pos++] = '.';
        for (int i = -1; i > exponent; i--)
            out[pos++] = '0';
        memcpy(out + pos, digits, ndigits);
        pos += ndigits;
    } else {
        for (int i = 0; i <= exponent; i++)
            out[pos++] = (size_t)i < ndigits ? digits[i] : '0';
        if (ndigits > (size_t)exponent + 1) {
            out[pos++] = '.';
            memcpy(out + pos, digits + exponent + 1, ndigits - (size_t)exponent - 1);
            pos += ndigits - (size_t)exponent - 1;
        }
    }
    out[pos] = '\0';
}

int cell_format_serial(double serial, bool date1904, enum cell_kind kind, char *out)
{
    double whole;
    long long days, seconds;
    cdate base, d;
    char day[DATE_BUFSIZE];
    int year, month, mday;

    if (!isfinite(serial) || serial < 0 || serial > 2958466)
        return -1;

    /* Split into days and seconds, carrying a rounded-up midnight. */
    whole = floor(serial);
    days = (long long)whole;
    seconds = llround((serial - whole) * 86400.0);
    if (seconds >= 86400) {
        days++;
        seconds -= 86400;
    }
    if (kind == CELL_TIME && days == 0) {
        snprintf(out, CELL_TEXT_BUFSIZE, "%02lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60,
                 seconds % 60);
        return 0;
    }

    /* In the 1900 system serial 1 is 1900-01-01 and serial 60 is the
     * 1900-02-29 that Lotus 1-2-3 invented, so later serials are one off. */
    if (date1904) {
        date_from_ymd(1904, 1, 1, &base);
        d = base + (cdate)days;
    } else {
        if (days == 60 || days < 1)
            return -1;
        date_from_ymd(1900, 1, 1, &base);
        d = base + (cdate)days - (days > 60 ? 2 : 1);
    }
    date_to_ymd(d, &year, &month, &mday);
    if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
        return -1;
    date_format(d, day);
    if (seconds == 0)
        snprintf(out, CELL_TEXT_BUFSIZE, "%s", day);
    else
        snprintf(out, CELL_TEXT_BUFSIZE, "%sT%02lld:%02lld:%02lld", day, seconds / 3600,
                 seconds / 60 % 60, seconds % 60);
    return 0;
}
