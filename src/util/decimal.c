/*
 * Parsing and formatting of two-decimal fixed-point values.
 */
#include <stdio.h>
#include <string.h>

#include "util/decimal.h"
#include "util/xalloc.h"

int decimal_parse(const char *s, int64_t *hundredths)
{
    const char *p = s;
    int64_t whole = 0;
    int frac = 0, frac_digits = 0, int_digits = 0;
    int negative = 0;

    if (*p == '-') {
        negative = 1;
        p++;
    }
    while (*p >= '0' && *p <= '9') {
        if (whole > DECIMAL_MAX_HUNDREDTHS / 10)
            return DECIMAL_RANGE;
        whole = whole * 10 + (*p - '0');
        int_digits++;
        p++;
    }
    if (int_digits == 0)
        return DECIMAL_SYNTAX;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (frac_digits == 2) {
                /* Report a third decimal only when the rest is a number. */
                while (*p >= '0' && *p <= '9')
                    p++;
                return *p ? DECIMAL_SYNTAX : DECIMAL_DECIMALS;
            }
            frac = frac * 10 + (*p - '0');
            frac_digits++;
            p++;
        }
        if (frac_digits == 0)
            return DECIMAL_SYNTAX;
    }
    if (*p != '\0')
        return DECIMAL_SYNTAX;
    if (frac_digits == 1)
        frac *= 10;
    if (whole > (DECIMAL_MAX_HUNDREDTHS - frac) / 100)
        return DECIMAL_RANGE;
    *hundredths = (whole * 100 + frac) * (negative ? -1 : 1);
    return DECIMAL_OK;
}

int score_parse(const char *s, int max_points, int64_t *hundredths)
{
    int rc = decimal_parse(s, hundredths);

    if (rc)
        return rc;
    if (*hundredths < 0 || *hundredths > (int64_t)max_points * 100)
        return DECIMAL_RANGE;
    return DECIMAL_OK;
}

void decimal_format(int64_t hundredths, char out[DECIMAL_BUFSIZE])
{
    uint64_t mag = hundredths < 0 ? (uint64_t)0 - (uint64_t)hundredths : (uint64_t)hundredths;

    snprintf(out, DECIMAL_BUFSIZE, "%s%llu.%02llu", hundredths < 0 ? "-" : "",
             (unsigned long long)(mag / 100), (unsigned long long)(mag % 100));
}

void decimal_format_short(int64_t hundredths, char out[DECIMAL_BUFSIZE])
{
    size_t n;

    decimal_format(hundredths, out);
    n = strlen(out);
    if (out[n - 1] == '0') {
        out[--n] = '\0';
        if (out[n - 1] == '0')
            out[n - 2] = '\0';
    }
}
