/*
 * Lenient date parsing (value_parse_date in values.h): the value is
 * folded to ASCII, a trailing time of day is checked and cut off, and
 * the rest is split into numbers, month names and separators, whose
 * pattern decides the form.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "readers/values.h"

/* One piece of a date: a run of digits, a run of letters, or a separator
 * ('-', '/', '.', ',', ' ', or Y, M, D for 年, 月, 日/号). */
struct date_token {
    char kind; /* 'n' number, 'w' word, or the separator */
    const char *text;
    size_t len;
};

#define DATE_MAX_TOKENS 8

/* Splits s into tokens; returns their number, or -1 for a character that
 * no date form uses. Runs of spaces count as one ' ' separator, and a
 * space next to another separator is dropped. */
static int tokenize(const char *s, struct date_token *tokens)
{
    int n = 0;

    while (*s) {
        struct date_token t = {0, s, 1};

        if (isdigit((unsigned char)*s)) {
            t.kind = 'n';
            while (isdigit((unsigned char)s[t.len]))
                t.len++;
        } else if (isalpha((unsigned char)*s)) {
            t.kind = 'w';
            while (isalpha((unsigned char)s[t.len]))
                t.len++;
        } else if (strchr("-/.,", *s)) {
            t.kind = *s;
        } else if (*s == ' ') {
            t.kind = ' ';
            while (s[t.len] == ' ')
                t.len++;
        } else if (!strncmp(s, "年", 3)) {
            t.kind = 'Y';
            t.len = 3;
        } else if (!strncmp(s, "月", 3)) {
            t.kind = 'M';
            t.len = 3;
        } else if (!strncmp(s, "日", 3) || !strncmp(s, "号", 3)) {
            t.kind = 'D';
            t.len = 3;
        } else {
            return -1;
        }
        s += t.len;

        /* Spaces around another separator add nothing. */
        if (t.kind == ' ' && (n == 0 || strchr("-/.,YMD", tokens[n - 1].kind)))
            continue;
        if (n && tokens[n - 1].kind == ' ' && strchr("-/.,YMD", t.kind))
            n--;
        if (n == DATE_MAX_TOKENS)
            return -1;
        tokens[n++] = t;
    }
    if (n && tokens[n - 1].kind == ' ')
        n--;
    return n;
}

static long token_value(const struct date_token *t)
{
    long v = 0;

    for (size_t i = 0; i < t->len && i < 9; i++)
        v = v * 10 + (t->text[i] - '0');
    return v;
}

/* The month (1-12) a word names: a three-letter abbreviation, "Sept", or
 * the full English name, in any case; 0 for other words. */
static int month_of(const struct date_token *t)
{
    static const char *const names[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};

    for (int m = 0; m < 12; m++) {
        if (t->len == 3 && !strncasecmp(t->text, names[m], 3))
            return m + 1;
        if (t->len == strlen(names[m]) && !strncasecmp(t->text, names[m], t->len))
            return m + 1;
    }
    if (t->len == 4 && !strncasecmp(t->text, "sept", 4))
        return 9;
    return 0;
}

static int make_date(long year, long month, long day, cdate *out)
{
    if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
        return VALUE_DATE_INVALID;
    if (date_from_ymd((int)year, (int)month, (int)day, out))
        return VALUE_DATE_INVALID;
    return VALUE_OK;
}

/* Checks "H:MM", "H:MM:SS", "H:MM:SS.fff", each optionally followed by
 * "Z" or an offset "+08:00" / "+0800" / "+08". */
static bool valid_time(const char *s)
{
    int h = 0, m = 0, sec = 0, digits = 0;

    for (; isdigit((unsigned char)*s) && digits < 2; s++, digits++)
        h = h * 10 + (*s - '0');
    if (!digits || *s++ != ':' || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
        return false;
    m = (s[0] - '0') * 10 + (s[1] - '0');
    s += 2;
    if (*s == ':') {
        if (!isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
            return false;
        sec = (s[1] - '0') * 10 + (s[2] - '0');
        s += 3;
        if (*s == '.') {
            s++;
            if (!isdigit((unsigned char)*s))
                return false;
            while (isdigit((unsigned char)*s))
                s++;
        }
    }
    if (h > 23 || m > 59 || sec > 60)
        return false;
    if (*s == ' ')
        s++;
    if (*s == 'Z')
        return s[1] == '\0';
    if (*s == '+' || *s == '-') {
        s++;
        for (int i = 0; i < 2; i++, s++)
            if (!isdigit((unsigned char)*s))
                return false;
        if (*s == ':')
            s++;
        if (*s && (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2]))
            return false;
        return true;
    }
    return *s == '\0';
}

/* Cuts a time of day off the end of s (in place). Returns false when a
 * time is there but invalid. */
static bool cut_time(char *s)
{
    char *colon = strchr(s, ':'), *start;

    if (!colon)
        return true;
    start = colon;
    while (start > s && isdigit((unsigned char)start[-1]))
        start--;
    if (start == s || (start[-1] != ' ' && start[-1] != 'T') || !valid_time(start))
        return false;
    start[-1] = '\0';
    return true;
}

/* An Excel serial day number of five digits, with an optional fraction
 * (the time of day, dropped). s holds only digits and at most one point. */
static int parse_serial(const char *s, cdate *out)
{
    long days = strtol(s, NULL, 10);
    cdate base;

    if (days < 10000 || days > 99999)
        return VALUE_SYNTAX;
    /* Serial 1 is 1900-01-01, and Excel counts a 1900-02-29 that never
     * was, so from serial 61 on the day number is two more than the days
     * since 1900-01-01. */
    date_from_ymd(1900, 1, 1, &base);
    *out = base + (cdate)days - 2;
    return VALUE_OK;
}

static bool all_digits_or_point(const char *s)
{
    bool point = false;

    for (; *s; s++) {
        if (*s == '.' && !point)
            point = true;
        else if (!isdigit((unsigned char)*s))
            return false;
    }
    return true;
}

/* Day and month from a, b with the year last, by order or ambiguity. */
static int day_month_year(long a, long b, long year, enum date_order order, cdate *out)
{
    cdate dmy, mdy;
    bool dmy_ok, mdy_ok;

    if (order == DATE_ORDER_DMY)
        return make_date(year, b, a, out);
    if (order == DATE_ORDER_MDY)
        return make_date(year, a, b, out);
    dmy_ok = make_date(year, b, a, &dmy) == VALUE_OK;
    mdy_ok = make_date(year, a, b, &mdy) == VALUE_OK;
    if (dmy_ok && mdy_ok && dmy != mdy)
        return VALUE_DATE_AMBIGUOUS;
    if (!dmy_ok && !mdy_ok)
        return VALUE_DATE_INVALID;
    *out = dmy_ok ? dmy : mdy;
    return VALUE_OK;
}

/* Three numbers: Y-M-D, Y年M月D日, or D/M/Y and M/D/Y. */
static int three_numbers(const struct date_token *t, int n, enum date_order order, cdate *out)
{
    const struct date_token *n1 = &t[0], *n2 = &t[2], *n3 = &t[4];
    char sep = t[1].kind;

    if (n1->len > 4 || n2->len > 2 || n3->len > 4)
        return VALUE_SYNTAX;

    /* 2024年3月5日, the 日 optional. */
    if (sep == 'Y') {
        if (t[3].kind != 'M' || (n == 6 && t[5].kind != 'D') || n > 6)
            return VALUE_SYNTAX;
        if (n1->len != 4)
            return n1->len == 2 ? VALUE_DATE_TWO_DIGIT_YEAR : VALUE_SYNTAX;
        return make_date(token_value(n1), token_value(n2), token_value(n3), out);
    }
    if (n != 5 || !strchr("-/.", sep) || t[3].kind != sep)
        return VALUE_SYNTAX;

    if (n1->len == 4 && n3->len <= 2)
        return make_date(token_value(n1), token_value(n2), token_value(n3), out);
    if (n3->len == 4 && n1->len <= 2)
        return day_month_year(token_value(n1), token_value(n2), token_value(n3), order, out);
    if (n1->len <= 2 && n3->len <= 2)
        return VALUE_DATE_TWO_DIGIT_YEAR;
    return VALUE_SYNTAX;
}

/* A month name with a day and a year: 5 Mar 2024, 5-Mar-2024,
 * Mar 5, 2024, March 5 2024. */
static int with_month_name(const struct date_token *t, int n, cdate *out)
{
    const struct date_token *items[3];
    int k = 0, month = 0, word = -1;

    for (int i = 0; i < n; i++) {
        if (t[i].kind == 'n' || t[i].kind == 'w') {
            if (k == 3)
                return VALUE_SYNTAX;
            if (t[i].kind == 'w')
                word = k;
            items[k++] = &t[i];
        } else if (!strchr("- ,", t[i].kind)) {
            return VALUE_SYNTAX;
        }
    }
    if (k != 3 || word < 0 || word == 2 || !(month = month_of(items[word])))
        return VALUE_SYNTAX;

    /* The day is the other number that is not last; the year is last. */
    {
        const struct date_token *day = items[word == 0 ? 1 : 0], *year = items[2];

        if (year->kind != 'n' || day->kind != 'n' || day->len > 2)
            return VALUE_SYNTAX;
        if (year->len != 4)
            return year->len == 2 ? VALUE_DATE_TWO_DIGIT_YEAR : VALUE_SYNTAX;
        return make_date(token_value(year), month, token_value(day), out);
    }
}

int value_parse_date(const char *s, enum date_order order, cdate *out)
{
    struct strbuf folded = STRBUF_INIT;
    struct date_token t[DATE_MAX_TOKENS];
    char *p;
    int n, rc = VALUE_SYNTAX;

    value_fold_width(s, &folded);
    p = folded.buf ? folded.buf : (char *)"";
    while (*p == ' ' || *p == '\t')
        p++;
    while (folded.len && strchr(" \t\r\n", folded.buf[folded.len - 1]))
        folded.buf[--folded.len] = '\0';
    if (!*p) {
        rc = VALUE_EMPTY;
        goto out;
    }
    if (!cut_time(p))
        goto out;

    /* Plain digits: 20240305, a serial day number, or 240305. */
    if (all_digits_or_point(p)) {
        const char *point = strchr(p, '.');
        size_t int_len = point ? (size_t)(point - p) : strlen(p);
        long v = strtol(p, NULL, 10);

        if (int_len == 5)
            rc = parse_serial(p, out);
        else if (!point && int_len == 8)
            rc = make_date(v / 10000, v / 100 % 100, v % 100, out);
        else if (!point && int_len == 6)
            rc = VALUE_DATE_TWO_DIGIT_YEAR;
        goto out;
    }

    n = tokenize(p, t);
    if (n < 0)
        goto out;
    if (n >= 5 && t[0].kind == 'n' && t[2].kind == 'n' && t[4].kind == 'n')
        rc = three_numbers(t, n, order, out);
    else
        rc = with_month_name(t, n, out);

out:
    sb_release(&folded);
    return rc;
}
