/*
 * Exact decimal values with at most two decimals, held as integer
 * hundredths: money in fen (0.01 yuan), scores in hundredths of a point.
 * No binary floating point is involved in parsing or formatting.
 */
#ifndef CAIRN_DECIMAL_H
#define CAIRN_DECIMAL_H

#include <stdint.h>

/* The largest magnitude accepted, in hundredths: 10^15 fen is ten
 * trillion yuan, the most that JSON's 15 significant digits print exactly. */
#define DECIMAL_MAX_HUNDREDTHS 999999999999999LL

enum decimal_error {
    DECIMAL_OK = 0,
    DECIMAL_SYNTAX = -1,   /* not [-]digits[.d[d]] */
    DECIMAL_DECIMALS = -2, /* a third decimal */
    DECIMAL_RANGE = -3,    /* beyond the accepted magnitude or range */
};

/* Parses the canonical form "-1234.5" (no sign other than a leading '-',
 * no separators, digits on both sides of the point) into hundredths.
 * Returns an enum decimal_error. */
int decimal_parse(const char *s, int64_t *hundredths);

/* Parses a score in [0, max_points] with at most 2 decimals. */
int score_parse(const char *s, int max_points, int64_t *hundredths);

#define DECIMAL_BUFSIZE 32
/* Formats hundredths as "-1234.50"; always two decimals. */
void decimal_format(int64_t hundredths, char out[DECIMAL_BUFSIZE]);
/* Formats hundredths with trailing zero decimals dropped: "12", "12.5". */
void decimal_format_short(int64_t hundredths, char out[DECIMAL_BUFSIZE]);

/* Hundredths as a double, for ratios and JSON output only. */
static inline double decimal_to_double(int64_t hundredths)
{
    return (double)hundredths / 100.0;
}

#endif
