/*
 * The field converters. Strict mode accepts exactly the canonical forms;
 * lenient mode first tries the canonical form and then the parsers for
 * foreign spellings (2024/3/5, ¥1,234, 1.2万, full-width digits) of
 * readers/values.h. Messages name the lenient parser's reason.
 */
#include <stdio.h>
#include <string.h>

#include "import/convert.h"
#include "readers/values.h"
#include "util/decimal.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static enum date_order mode_order(enum value_mode mode)
{
    return mode == VALUE_LENIENT_DMY ? DATE_ORDER_DMY
         : mode == VALUE_LENIENT_MDY ? DATE_ORDER_MDY : DATE_ORDER_NONE;
}

/* Reads a foreign date; 0, or -1 with the parser's reason in msg. */
static int lenient_date(const char *raw, enum value_mode mode, cdate *out, struct strbuf *msg)
{
    int rc = value_parse_date(raw, mode_order(mode), out);

    if (rc == VALUE_OK)
        return 0;
    sb_addf(msg, _("'%s' is not a valid date (%s): write it as 2024-03-05, or give --date-order dmy or mdy for day/month/year dates"),
            raw, value_error_message(rc));
    return -1;
}

int value_date(const char *raw, enum value_mode mode, cdate *out, struct strbuf *msg)
{
    if (date_parse(raw, out) == 0)
        return 0;
    if (mode != VALUE_STRICT)
        return lenient_date(raw, mode, out, msg);
    sb_addf(msg, _("'%s' is not a valid date: write YYYY-MM-DD with a year from 1900 to 2999, for example 2024-03-05"), raw);
    return -1;
}

int value_event_date(const char *raw, enum value_mode mode, struct tz *tz, cdate *out,
                     struct strbuf *msg)
{
    if (event_date_parse(raw, tz, out) == EVENT_DATE_OK)
        return 0;
    if (mode != VALUE_STRICT)
        return lenient_date(raw, mode, out, msg);
    sb_addf(msg, _("'%s' is not a valid date or timestamp: write YYYY-MM-DD or an ISO 8601 timestamp such as 2024-03-01T00:30:00+08:00"), raw);
    return -1;
}

int value_month(const char *raw, enum value_mode mode, int *month_index, struct strbuf *msg)
{
    (void)mode;
    if (date_month_parse(raw, month_index) == 0)
        return 0;
    sb_addf(msg, _("'%s' is not a valid month: write YYYY-MM, for example 2024-03"), raw);
    return -1;
}

int value_period(const char *raw, enum value_mode mode, bool months_or_year,
                 char form[VALUE_FORM_SIZE], struct strbuf *msg)
{
    struct period p;

    (void)mode;
    /* The canonical quarter is "2024-Q1"; period_parse also reads "q". */
    if (period_parse(raw, &p) == 0 && !(strlen(raw) == 7 && raw[5] == 'q') &&
        !(months_or_year && p.kind == PERIOD_QUARTER)) {
        period_format(&p, form);
        return 0;
    }
    if (months_or_year)
        sb_addf(msg, _("'%s' is not a valid period for a market size: write a month YYYY-MM or a year YYYY"), raw);
    else
        sb_addf(msg, _("'%s' is not a valid period: write YYYY-MM, YYYY-Qn or YYYY, for example 2024-03, 2024-Q1 or 2024"), raw);
    return -1;
}

int value_money(const char *raw, enum value_mode mode, int64_t *fen, struct strbuf *msg)
{
    int rc;

    rc = decimal_parse(raw, fen);
    if (rc == DECIMAL_OK)
        return 0;
    if (mode != VALUE_STRICT) {
        rc = value_parse_money(raw, fen);
        if (rc == VALUE_OK)
            return 0;
        sb_addf(msg, _("'%s' is not a valid amount (%s): write yuan such as 1234.50, ¥1,234.50 or 1.2万"),
                raw, value_error_message(rc));
        return -1;
    }
    if (rc == DECIMAL_DECIMALS)
        sb_addf(msg, _("'%s' has more than 2 decimals: amounts are in yuan and fen, for example 1234.50"), raw);
    else if (rc == DECIMAL_RANGE)
        sb_addf(msg, _("'%s' is too large: amounts may be at most 9999999999999.99 yuan"), raw);
    else
        sb_addf(msg, _("'%s' is not a valid amount: write yuan as a plain number such as 1234.50 or -20, without thousands separators or currency sign"), raw);
    return -1;
}

int value_score(const char *raw, enum value_mode mode, int max_points, int64_t *hundredths,
                struct strbuf *msg)
{
    struct strbuf form = STRBUF_INIT;
    bool ok = score_parse(raw, max_points, hundredths) == DECIMAL_OK;

    /* Lenient: full-width digits and the like, then the same check. */
    if (!ok && mode != VALUE_STRICT && value_parse_number(raw, false, &form) == VALUE_OK)
        ok = score_parse(form.buf, max_points, hundredths) == DECIMAL_OK;
    sb_release(&form);
    if (ok)
        return 0;
    sb_addf(msg, _("'%s' is not a valid score: write a number from 0 to %d with at most 2 decimals"),
            raw, max_points);
    return -1;
}

int value_hours(const char *raw, enum value_mode mode, int64_t *hundredths, struct strbuf *msg)
{
    struct strbuf form = STRBUF_INIT;
    bool ok = decimal_parse(raw, hundredths) == DECIMAL_OK;

    if (!ok && mode != VALUE_STRICT && value_parse_number(raw, false, &form) == VALUE_OK)
        ok = decimal_parse(form.buf, hundredths) == DECIMAL_OK;
    sb_release(&form);
    if (ok && *hundredths >= 0)
        return 0;
    sb_addf(msg, _("'%s' is not a valid number of hours: write a number of at least 0 with at most 2 decimals, for example 1.5"), raw);
    return -1;
}

int value_enum(const char *raw, enum value_mode mode, const char *const *values, int *index,
               struct strbuf *msg)
{
    struct strbuf list = STRBUF_INIT;

    (void)mode;
    for (int i = 0; values[i]; i++) {
        if (!strcmp(values[i], raw)) {
            *index = i;
            return 0;
        }
    }
    for (int i = 0; values[i]; i++) {
        if (i)
            sb_add(&list, ", ");
        sb_add(&list, values[i]);
    }
    sb_addf(msg, _("'%s' is not an allowed value: use one of %s"), raw, list.buf);
    sb_release(&list);
    return -1;
}

int value_metric(const char *raw, enum value_mode mode, struct strbuf *msg)
{
    (void)mode;
    if (metric_name_known(raw))
        return 0;
    sb_addf(msg, _("'%s' is not a known metric name: use a metric name such as sales, per_capita_sales or attrition_rate"), raw);
    return -1;
}

int value_decimal(const char *raw, enum value_mode mode, struct strbuf *form, struct strbuf *msg)
{
    const char *p = raw;
    size_t int_digits = 0, frac_digits = 0;

    /* Lenient: 1,234.5, full-width digits, 12.5% (0.125). */
    if (mode != VALUE_STRICT && value_parse_number(raw, true, form) == VALUE_OK)
        return 0;
    if (*p == '-')
        p++;
    while (*p >= '0' && *p <= '9') {
        p++;
        int_digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            frac_digits++;
        }
        if (!frac_digits)
            int_digits = 0;
    }
    if (*p || !int_digits || int_digits + frac_digits > 30) {
        sb_addf(msg, _("'%s' is not a valid number: write a plain decimal number such as 0.12 or 120000"), raw);
        return -1;
    }
    sb_add(form, raw);
    return 0;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Sets v to raw without surrounding blanks (in v->trimmed when needed). */
static const char *trim_value(const char *raw, struct field_value *v)
{
    size_t n = strlen(raw);
    const char *start = raw;

    if (!n || (!is_blank(raw[0]) && !is_blank(raw[n - 1])))
        return raw;
    while (is_blank(*start))
        start++;
    n = strlen(start);
    while (n && is_blank(start[n - 1]))
        n--;
    sb_reset(&v->trimmed);
    sb_addn(&v->trimmed, start, n);
    return sb_str(&v->trimmed);
}

static void set_text(struct field_value *v, const char *text)
{
    v->kind = CELL_TEXT;
    v->text = text;
}

static void set_form(struct field_value *v)
{
    v->kind = CELL_TEXT;
    v->text = sb_str(&v->form);
}

/* Converts a non-empty value of a typed field. */
static int convert_typed(const struct field_def *f, const char *s, enum value_mode mode,
                         struct tz *tz, struct field_value *v, struct strbuf *msg)
{
    char form[VALUE_FORM_SIZE];
    bool canonical;
    cdate d;
    int index;

    switch (f->type) {
    case FT_ID:
    case FT_TEXT:
        BUG("untyped field %s", f->name);
    case FT_ENUM:
        if (value_enum(s, mode, f->enum_values, &index, msg))
            return -1;
        set_text(v, f->enum_values[index]);
        return 0;
    case FT_DATE:
        if (value_date(s, mode, &d, msg))
            return -1;
        date_format(d, form);
        sb_add(&v->form, form);
        set_form(v);
        return 0;
    case FT_EVENT_DATE:
        /* A canonical date or timestamp is kept as given. A foreign
         * spelling (2024/3/5, 45356) is given as the date it was read as,
         * so that export writes a value the strict reader takes back. */
        canonical = event_date_parse(s, tz, &d) == EVENT_DATE_OK;
        if (!canonical && value_event_date(s, mode, tz, &d, msg))
            return -1;
        date_format(d, form);
        sb_add(&v->form, form);
        set_form(v);
        v->given = canonical ? s : v->text;
        return 0;
    case FT_MONTH:
        if (value_month(s, mode, &index, msg))
            return -1;
        date_month_format(index, form);
        sb_add(&v->form, form);
        set_form(v);
        return 0;
    case FT_PERIOD:
    case FT_MARKET_PERIOD:
        if (value_period(s, mode, f->type == FT_MARKET_PERIOD, form, msg))
            return -1;
        sb_add(&v->form, form);
        set_form(v);
        return 0;
    case FT_MONEY:
        v->kind = CELL_INT;
        return value_money(s, mode, &v->i, msg);
    case FT_SCORE10:
    case FT_SCORE100:
        v->kind = CELL_INT;
        return value_score(s, mode, f->type == FT_SCORE10 ? 10 : 100, &v->i, msg);
    case FT_HOURS:
        v->kind = CELL_INT;
        return value_hours(s, mode, &v->i, msg);
    case FT_METRIC:
        if (value_metric(s, mode, msg))
            return -1;
        set_text(v, s);
        return 0;
    case FT_DECIMAL:
        if (value_decimal(s, mode, &v->form, msg))
            return -1;
        set_form(v);
        return 0;
    }
    BUG("unknown field type %d", (int)f->type);
}

int field_convert(const struct field_def *f, const char *raw, enum value_mode mode,
                  struct tz *tz, struct field_value *v, struct strbuf *msg)
{
    const char *s = raw;

    v->kind = CELL_NULL;
    v->text = NULL;
    v->given = NULL;
    sb_reset(&v->form);

    /* Ids and text are kept exactly; typed values lose surrounding blanks. */
    if (f->type != FT_ID && f->type != FT_TEXT)
        s = trim_value(raw, v);
    if (!*s && f->default_value)
        s = f->default_value;
    if (!*s) {
        if (f->flags & FF_REQUIRED) {
            sb_add(msg, _("a value is required here"));
            return -1;
        }
        if (f->flags & FF_KEY)
            set_text(v, "");
        return 0;
    }
    if (f->type == FT_ID || f->type == FT_TEXT) {
        set_text(v, s);
        return 0;
    }
    return convert_typed(f, s, mode, tz, v, msg);
}

void field_value_release(struct field_value *v)
{
    sb_release(&v->form);
    sb_release(&v->trimmed);
}
