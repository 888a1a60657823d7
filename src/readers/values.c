/*
 * Lenient value parsing. Each parser first folds full-width forms to
 * ASCII, then reads the value with a small hand-written scanner. Amounts
 * are kept as a digit string and a power of ten until the end, so 1.2万
 * is exactly 12000.00 and no binary floating point is involved.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "readers/values.h"
#include "util/decimal.h"
#include "util/i18n.h"

/* Significant digits a number may have; more is out of range anyway. */
#define NUMBER_MAX_DIGITS 40

void value_fold_width(const char *s, struct strbuf *out)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x81 && p[2] <= 0xBF) {
            sb_addch(out, (char)(0x21 + p[2] - 0x81)); /* U+FF01-U+FF3F */
            p += 3;
        } else if (p[0] == 0xEF && p[1] == 0xBD && p[2] >= 0x80 && p[2] <= 0x9E) {
            sb_addch(out, (char)(0x60 + p[2] - 0x80)); /* U+FF40-U+FF5E */
            p += 3;
        } else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
            sb_addch(out, ' '); /* U+3000 ideographic space */
            p += 3;
        } else if (p[0] == 0xC2 && p[1] == 0xA0) {
            sb_addch(out, ' '); /* U+00A0 no-break space */
            p += 2;
        } else {
            sb_addch(out, (char)*p++);
        }
    }
}

/* Folds s and trims spaces at both ends; returns the start in out. */
static char *fold_trim(const char *s, struct strbuf *out)
{
    char *start;

    value_fold_width(s, out);
    start = out->buf ? out->buf : (char *)"";
    while (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n')
        start++;
    while (out->len && (out->buf + out->len > start) && strchr(" \t\r\n", out->buf[out->len - 1]))
        out->buf[--out->len] = '\0';
    return start;
}

static bool eat(const char **p, const char *word)
{
    size_t n = strlen(word);

    if (strncmp(*p, word, n))
        return false;
    *p += n;
    return true;
}

static bool eat_nocase(const char **p, const char *word)
{
    size_t n = strlen(word);

    if (strncasecmp(*p, word, n))
        return false;
    *p += n;
    return true;
}

static void skip_spaces(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
}

/* A number as sign, significant digits and a power of ten:
 * value = digits * 10^exp10. */
struct number {
    bool negative;
    char digits[NUMBER_MAX_DIGITS + 1];
    size_t ndigits;
    int exp10;
};

static int add_digit(struct number *n, char c)
{
    if (n->ndigits == 0 && c == '0')
        return 0; /* a leading zero */
    if (n->ndigits == NUMBER_MAX_DIGITS)
        return VALUE_RANGE;
    n->digits[n->ndigits++] = c;
    return 0;
}

/* Reads digits with optional groups of three (1,234,567) and a fraction. */
static int scan_mantissa(const char **pp, struct number *n)
{
    const char *p = *pp;
    size_t run = 0, total = 0;
    bool grouped = false;
    int frac = 0, rc;

    for (;;) {
        if (isdigit((unsigned char)*p)) {
            if ((rc = add_digit(n, *p)))
                return rc;
            run++;
            total++;
            p++;
        } else if (*p == ',' && isdigit((unsigned char)p[1])) {
            /* The first group has 1-3 digits, every later one exactly 3. */
            if (run == 0 || run > 3 || (grouped && run != 3))
                return VALUE_GROUPING;
            grouped = true;
            run = 0;
            p++;
        } else {
            break;
        }
    }
    if (grouped && run != 3)
        return VALUE_GROUPING;

    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) {
            if ((rc = add_digit(n, *p)))
                return rc;
            frac++;
            total++;
            p++;
        }
    }
    if (total == 0)
        return VALUE_SYNTAX;

    /* The digits read as one integer, leading zeros dropped, are the
     * value times 10^frac (0.05: digits "5", exp10 -2). */
    n->exp10 = -frac;
    *pp = p;
    return 0;
}

/* Whether p starts with a number written with a decimal comma, as in
 * 1.234,50 or 1234,5: digits (grouped by dots or not), a comma, one or
 * two digits, then no further digit, dot or comma. */
static bool is_decimal_comma(const char *p)
{
    size_t run = 0;
    bool dotted = false;

    for (; isdigit((unsigned char)*p) || *p == '.'; p++) {
        if (*p != '.') {
            run++;
            continue;
        }
        if (run == 0 || run > 3 || (dotted && run != 3))
            return false;
        dotted = true;
        run = 0;
    }
    if (run == 0 || (dotted && run != 3) || *p != ',')
        return false;
    p++;
    for (run = 0; isdigit((unsigned char)*p); p++)
        run++;
    return run >= 1 && run <= 2 && *p != '.' && *p != ',';
}

/*
 * Reads an amount or number: an optional sign, currency sign (¥, ￥, RMB,
 * CNY) or accounting parentheses, the digits, a scale (万, 亿, and % when
 * percent is set) and an optional 元 / RMB / CNY after it.
 */
static int scan_number(const char *s, bool percent, struct number *n)
{
    struct strbuf folded = STRBUF_INIT;
    const char *p = fold_trim(s, &folded), *digits;
    bool paren = false, sign = false, currency = false;
    int rc = 0;

    memset(n, 0, sizeof(*n));
    if (!*p) {
        rc = VALUE_EMPTY;
        goto out;
    }

    /* Sign, currency and parentheses, in either order. */
    paren = eat(&p, "(");
    skip_spaces(&p);
    for (int pass = 0; pass < 2; pass++) {
        if (!sign && !paren && (*p == '-' || *p == '+')) {
            n->negative = *p == '-';
            sign = true;
            p++;
        }
        skip_spaces(&p);
        if (!currency &&
            (eat(&p, "¥") || eat(&p, "￥") || eat_nocase(&p, "RMB") || eat_nocase(&p, "CNY")))
            currency = true;
        skip_spaces(&p);
    }

    /* The digits. */
    digits = p;
    if ((rc = scan_mantissa(&p, n))) {
        if (rc == VALUE_GROUPING && is_decimal_comma(digits))
            rc = VALUE_DECIMAL_COMMA;
        goto out;
    }
    skip_spaces(&p);

    /* Scale and unit. */
    if (eat(&p, "万"))
        n->exp10 += 4;
    else if (eat(&p, "亿"))
        n->exp10 += 8;
    else if (percent && eat(&p, "%"))
        n->exp10 -= 2;
    skip_spaces(&p);
    if (eat(&p, "元") || (!currency && (eat_nocase(&p, "RMB") || eat_nocase(&p, "CNY"))))
        skip_spaces(&p);
    if (paren) {
        if (!eat(&p, ")")) {
            rc = VALUE_SYNTAX;
            goto out;
        }
        n->negative = true;
        skip_spaces(&p);
    }
    if (*p)
        rc = is_decimal_comma(digits) ? VALUE_DECIMAL_COMMA : VALUE_SYNTAX;

out:
    sb_release(&folded);
    return rc;
}

/* Drops trailing zero digits into the exponent; a zero has no digits. */
static void normalize(struct number *n)
{
    while (n->ndigits && n->digits[n->ndigits - 1] == '0') {
        n->ndigits--;
        n->exp10++;
    }
    if (!n->ndigits) {
        n->exp10 = 0;
        n->negative = false;
    }
}

int value_parse_money(const char *s, int64_t *hundredths)
{
    struct number n;
    int64_t v = 0;
    int rc = scan_number(s, false, &n);

    if (rc)
        return rc;
    normalize(&n);
    if (n.exp10 < -2)
        return VALUE_DECIMALS;
    if (n.ndigits && (int)n.ndigits + n.exp10 + 2 > 15)
        return VALUE_RANGE;
    for (size_t i = 0; i < n.ndigits; i++)
        v = v * 10 + (n.digits[i] - '0');
    for (int i = 0; n.ndigits && i < n.exp10 + 2; i++)
        v *= 10;
    if (v > DECIMAL_MAX_HUNDREDTHS)
        return VALUE_RANGE;
    *hundredths = n.negative ? -v : v;
    return VALUE_OK;
}

int value_parse_number(const char *s, bool percent, struct strbuf *out)
{
    struct number n;
    int point;
    int rc = scan_number(s, percent, &n);

    if (rc)
        return rc;
    normalize(&n);
    if (!n.ndigits) {
        sb_addch(out, '0');
        return VALUE_OK;
    }
    if ((int)n.ndigits + n.exp10 > NUMBER_MAX_DIGITS || n.exp10 < -NUMBER_MAX_DIGITS)
        return VALUE_RANGE;

    /* Lay the digits out around the decimal point. */
    if (n.negative)
        sb_addch(out, '-');
    point = (int)n.ndigits + n.exp10; /* digits before the point */
    if (n.exp10 >= 0) {
        sb_addn(out, n.digits, n.ndigits);
        for (int i = 0; i < n.exp10; i++)
            sb_addch(out, '0');
    } else if (point <= 0) {
        sb_add(out, "0.");
        for (int i = point; i < 0; i++)
            sb_addch(out, '0');
        sb_addn(out, n.digits, n.ndigits);
    } else {
        sb_addn(out, n.digits, (size_t)point);
        sb_addch(out, '.');
        sb_addn(out, n.digits + point, n.ndigits - (size_t)point);
    }
    return VALUE_OK;
}

int date_order_parse(const char *s, enum date_order *order)
{
    if (!strcasecmp(s, "ymd"))
        *order = DATE_ORDER_YMD;
    else if (!strcasecmp(s, "dmy"))
        *order = DATE_ORDER_DMY;
    else if (!strcasecmp(s, "mdy"))
        *order = DATE_ORDER_MDY;
    else
        return -1;
    return 0;
}

const char *value_error_message(int error)
{
    switch (error) {
    case VALUE_OK:
        return "";
    case VALUE_EMPTY:
        return _("the value is empty");
    case VALUE_DATE_INVALID:
        return _("no such date, or a year outside 1900-2999");
    case VALUE_DATE_AMBIGUOUS:
        return _("the day and month can be read either way; give the date order with "
                 "--date-order dmy or mdy");
    case VALUE_DATE_TWO_DIGIT_YEAR:
        return _("a two-digit year is not accepted; write the year with four digits");
    case VALUE_GROUPING:
        return _("the thousands separators are not in groups of three digits");
    case VALUE_DECIMALS:
        return _("more than 2 decimals");
    case VALUE_RANGE:
        return _("the number is too large");
    case VALUE_DECIMAL_COMMA:
        return _("it has a decimal comma; write a decimal point instead, as in 1234.50");
    default:
        return _("not a recognised date or number");
    }
}
