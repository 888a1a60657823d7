/*
 * Cairn's value parsers as SQL functions of the staging database, so a
 * mapping's SELECT reads dates, amounts and codes by the same rules as a
 * direct import:
 *
 *   cairn_date(text [, 'ymd'|'dmy'|'mdy'])  2024/3/5 -> 2024-03-05
 *   cairn_money(text)      ¥1,234.5 -> 1234.50; 1.2万 -> 12000.00
 *   cairn_wan(text)        an amount given in 万 yuan: 1.2 -> 12000.00
 *   cairn_fen(text [, 'round'])  an amount as integer fen, for exact sums;
 *                          with 'round', more decimals are rounded half
 *                          away from zero (129.696 -> 12970)
 *   cairn_yuan(integer)    fen back to yuan text: 123450 -> 1234.50
 *   cairn_number(text)     1,234.500 -> 1234.5; 12.5% -> 0.125
 *   cairn_width(text)      full-width forms folded to ASCII
 *   cairn_null_if(v, a, b, ...)   NULL when v (trimmed) is one of a, b ...
 *   cairn_map(v, from1, to1, ... [, default])   a value map
 *
 * A value a parser refuses is returned unchanged by cairn_date,
 * cairn_money, cairn_wan and cairn_number, so the import rejects its row
 * with the parser's reason, line and column. cairn_fen cannot do that
 * inside a SUM, so it stops the SELECT with an error naming the value.
 * Empty and NULL values give NULL.
 */
#include <stdlib.h>
#include <string.h>

#include "mapping/internal.h"
#include "readers/values.h"
#include "util/date.h"
#include "util/decimal.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* The argument as text, NULL for NULL or blanks only. */
static const char *arg_text(sqlite3_value *v)
{
    const unsigned char *s;

    if (sqlite3_value_type(v) == SQLITE_NULL)
        return NULL;
    s = sqlite3_value_text(v);
    if (!s)
        return NULL;
    for (const unsigned char *p = s; *p; p++)
        if (*p != ' ' && *p != '\t')
            return (const char *)s;
    return NULL;
}

static void result_copy(sqlite3_context *ctx, const char *s)
{
    sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

static void fn_date(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s = arg_text(argv[0]), *order_name = argc > 1 ? arg_text(argv[1]) : NULL;
    enum date_order order = DATE_ORDER_NONE;
    char out[DATE_BUFSIZE];
    cdate d;

    if (order_name && date_order_parse(order_name, &order)) {
        sqlite3_result_error(ctx, _("cairn_date: the order must be 'ymd', 'dmy' or 'mdy'"), -1);
        return;
    }
    if (!s) {
        sqlite3_result_null(ctx);
        return;
    }
    if (value_parse_date(s, order, &d) != VALUE_OK) {
        result_copy(ctx, s);
        return;
    }
    date_format(d, out);
    result_copy(ctx, out);
}

/* Parses an amount, with "万" appended when wan is set. */
static void money_result(sqlite3_context *ctx, sqlite3_value *arg, bool wan)
{
    const char *s = arg_text(arg);
    struct strbuf sb = STRBUF_INIT;
    char out[DECIMAL_BUFSIZE];
    int64_t fen;

    if (!s) {
        sqlite3_result_null(ctx);
        return;
    }
    sb_addf(&sb, "%s%s", s, wan ? "万" : "");
    if (value_parse_money(sb.buf, &fen) == VALUE_OK) {
        decimal_format(fen, out);
        result_copy(ctx, out);
    } else {
        result_copy(ctx, s);
    }
    sb_release(&sb);
}

static void fn_money(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    money_result(ctx, argv[0], false);
}

static void fn_wan(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    money_result(ctx, argv[0], true);
}

/* Rounds a canonical decimal ("-129.696") to fen, half away from zero;
 * returns a value_error. */
static int round_fen(const char *s, int64_t *fen)
{
    struct strbuf form = STRBUF_INIT;
    const char *p;
    int64_t v = 0;
    bool negative;
    int rc = value_parse_number(s, false, &form);

    if (rc != VALUE_OK)
        goto out;
    p = form.buf;
    negative = *p == '-';
    p += negative;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (DECIMAL_MAX_HUNDREDTHS / 100) * 10) {
            rc = VALUE_RANGE;
            goto out;
        }
        v = v * 10 + (*p - '0');
    }
    v *= 100;
    if (*p == '.')
        p++;
    for (int i = 0; i < 2; i++)
        v += (*p >= '0' && *p <= '9' ? *p++ - '0' : 0) * (i ? 1 : 10);
    if (*p >= '5' && *p <= '9')
        v++;
    *fen = negative ? -v : v;
out:
    sb_release(&form);
    return rc;
}

static void fn_fen(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s = arg_text(argv[0]), *how = argc > 1 ? arg_text(argv[1]) : NULL;
    struct strbuf msg = STRBUF_INIT;
    int64_t fen;
    int rc;

    if (how && strcmp(how, "round")) {
        sqlite3_result_error(ctx, _("cairn_fen: the second argument can only be 'round'"), -1);
        return;
    }
    if (!s) {
        sqlite3_result_null(ctx);
        return;
    }
    rc = how ? round_fen(s, &fen) : value_parse_money(s, &fen);
    if (rc == VALUE_OK) {
        sqlite3_result_int64(ctx, fen);
        return;
    }
    sb_addf(&msg, _("cairn_fen: '%s' is not an amount (%s)"), s, value_error_message(rc));
    sqlite3_result_error(ctx, msg.buf, -1);
    sb_release(&msg);
}

static void fn_yuan(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char out[DECIMAL_BUFSIZE];

    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    if (sqlite3_value_numeric_type(argv[0]) != SQLITE_INTEGER) {
        sqlite3_result_error(
            ctx, _("cairn_yuan: give an integer number of fen, such as SUM(cairn_fen(x))"), -1);
        return;
    }
    decimal_format(sqlite3_value_int64(argv[0]), out);
    result_copy(ctx, out);
}

static void fn_number(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *s = arg_text(argv[0]);
    struct strbuf out = STRBUF_INIT;

    (void)argc;
    if (!s)
        sqlite3_result_null(ctx);
    else if (value_parse_number(s, true, &out) == VALUE_OK)
        result_copy(ctx, out.buf);
    else
        result_copy(ctx, s);
    sb_release(&out);
}

static void fn_width(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const unsigned char *s = sqlite3_value_text(argv[0]);
    struct strbuf out = STRBUF_INIT;

    (void)argc;
    if (!s) {
        sqlite3_result_null(ctx);
        return;
    }
    value_fold_width((const char *)s, &out);
    result_copy(ctx, out.buf);
    sb_release(&out);
}

/* The text of v without blanks at its ends, in out. */
static void trimmed(sqlite3_value *v, struct strbuf *out)
{
    const char *s = (const char *)sqlite3_value_text(v);
    size_t n;

    sb_reset(out);
    if (!s)
        return;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    sb_addn(out, s, n);
}

static void fn_null_if(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct strbuf v = STRBUF_INIT, w = STRBUF_INIT;

    trimmed(argv[0], &v);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !v.len)
        goto null;
    for (int i = 1; i < argc; i++) {
        trimmed(argv[i], &w);
        if (!strcmp(v.buf, w.buf))
            goto null;
    }
    sqlite3_result_value(ctx, argv[0]);
    goto out;
null:
    sqlite3_result_null(ctx);
out:
    sb_release(&v);
    sb_release(&w);
}

static void fn_map(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct strbuf v = STRBUF_INIT, w = STRBUF_INIT;
    int i;

    if (argc < 3) {
        sqlite3_result_error(ctx, _("cairn_map: give a value and pairs of from and to values"), -1);
        return;
    }
    trimmed(argv[0], &v);
    for (i = 1; i + 1 < argc; i += 2) {
        trimmed(argv[i], &w);
        if (sqlite3_value_type(argv[0]) != SQLITE_NULL && !strcmp(v.buf, w.buf)) {
            sqlite3_result_value(ctx, argv[i + 1]);
            goto out;
        }
    }
    /* An odd last argument is the default; else the value itself. */
    sqlite3_result_value(ctx, i < argc ? argv[i] : argv[0]);
out:
    sb_release(&v);
    sb_release(&w);
}

int functions_register(sqlite3 *db, struct strbuf *err)
{
    static const struct {
        const char *name;
        int nargs;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
    } fns[] = {
        {"cairn_date", 1, fn_date},   {"cairn_date", 2, fn_date},
        {"cairn_money", 1, fn_money}, {"cairn_wan", 1, fn_wan},
        {"cairn_fen", 1, fn_fen},     {"cairn_fen", 2, fn_fen},
        {"cairn_yuan", 1, fn_yuan},   {"cairn_number", 1, fn_number},
        {"cairn_width", 1, fn_width}, {"cairn_null_if", -1, fn_null_if},
        {"cairn_map", -1, fn_map},
    };

    for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
        if (sqlite3_create_function(db, fns[i].name, fns[i].nargs,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fns[i].fn, NULL,
                                    NULL) != SQLITE_OK) {
            sb_addf(err, _("cannot register %s: %s"), fns[i].name, sqlite3_errmsg(db));
            return -1;
        }
    }
    return 0;
}
