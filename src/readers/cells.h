/*
 * Spreadsheet cell values as text: numbers as Excel shows them in the
 * General format (15 significant digits), date and time cells from their
 * serial day numbers, and which number formats show a date or a time.
 * Shared by the XLSX and XLS readers and the lenient date parser.
 */
#ifndef CAIRN_CELLS_H
#define CAIRN_CELLS_H

#include <stdbool.h>
#include <stddef.h>

/* Large enough for any number cell_format_number writes. */
#define CELL_TEXT_BUFSIZE 64

/* What a cell's number format shows. */
enum cell_kind {
    CELL_NUMBER = 0,
    CELL_DATE, /* a date, possibly with a time of day */
    CELL_TIME, /* a time of day only (h, m, s without y or d) */
};

/* Classifies a number format code ("yyyy/m/d", "0.00", "[h]:mm"): text in
 * "quotes", [brackets], after a backslash, _ or * does not count; y, d
 * make a date, h or s without them a time. */
enum cell_kind cell_format_kind(const char *code);
/* Classifies a built-in number format id: 14-22, 27-36 and 50-58 (dates
 * and times, the latter two ranges in Chinese, Japanese and Korean Excel)
 * and 45-47 (times). */
enum cell_kind cell_builtin_kind(int id);

/*
 * Writes v as Excel's General format shows it: rounded to 15 significant
 * digits, trailing zeros and a trailing point dropped, no exponent for
 * magnitudes from 1e-20 to 1e21 (99.98999999999999 is "99.99", 1470 is
 * "1470"). out has room for CELL_TEXT_BUFSIZE bytes.
 */
void cell_format_number(double v, char *out);

/*
 * Writes the Excel serial day number serial (1900 date system, or 1904
 * when date1904) as "YYYY-MM-DD", as "YYYY-MM-DDTHH:MM:SS" when it has a
 * time of day (rounded to the second), or as "HH:MM:SS" for kind
 * CELL_TIME below 1. Returns -1, writing nothing, for a serial outside
 * the years 1900-2999 and for 60 (the 1900-02-29 that Excel counts but
 * that never was).
 */
int cell_format_serial(double serial, bool date1904, enum cell_kind kind, char *out);

#endif
