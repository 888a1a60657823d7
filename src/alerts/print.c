/*
 * Printing warnings for people. JSON carries the figures unrounded; here
 * money gets thousands separators and two decimals, ratios become
 * percentages and scores keep two decimals, each with its label in the
 * reader's language.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alerts/print.h"
#include "util/i18n.h"
#include "util/strbuf.h"

/* FK_LIST is a list of phrases, joined by "; " rather than arrows. */
enum figure_kind { FK_MONEY, FK_RATIO, FK_SCORE, FK_COUNT, FK_TEXT, FK_LIST };

static const struct {
    const char *key;
    const char *label;
    enum figure_kind kind;
} figure_names[] = {
    {"attrition_rate", N_("attrition rate"), FK_RATIO},
    {"csat", N_("latest CSAT"), FK_SCORE},
    {"days_overdue", N_("days overdue"), FK_COUNT},
    {"days_since", N_("days since"), FK_COUNT},
    {"due_date", N_("due date"), FK_TEXT},
    {"employee_satisfaction", N_("employee satisfaction"), FK_SCORE},
    {"factors", N_("factors"), FK_LIST},
    {"forecast", N_("forecast"), FK_MONEY},
    {"labor_cost", N_("labor cost"), FK_MONEY},
    {"labor_cost_ratio", N_("labor cost ratio"), FK_RATIO},
    {"last_purchase", N_("last purchase"), FK_TEXT},
    {"lower", N_("lower bound"), FK_MONEY},
    {"minimum", N_("minimum"), FK_MONEY},
    {"new_customers", N_("new customers"), FK_COUNT},
    {"probability", N_("probability"), FK_RATIO},
    {"sales", N_("sales"), FK_MONEY},
    {"sales_12m", N_("sales in 12 months"), FK_MONEY},
    {"satisfaction", N_("latest satisfaction"), FK_SCORE},
    {"trend", N_("trend per month"), FK_MONEY},
    {"upper", N_("upper bound"), FK_MONEY},
};

/* Appends yuan as "-1,234,567.89". */
static void add_money(struct strbuf *sb, double yuan)
{
    long long fen = llround(yuan * 100.0);
    unsigned long long abs_fen = (unsigned long long)(fen < 0 ? -fen : fen);
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%llu", abs_fen / 100);

    if (fen < 0)
        sb_addch(sb, '-');
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            sb_addch(sb, ',');
        sb_addch(sb, digits[i]);
    }
    sb_addf(sb, ".%02llu", abs_fen % 100);
}

static void add_value(struct strbuf *sb, const json_t *v, enum figure_kind kind)
{
    double x = json_number_value(v);

    if (json_is_string(v)) {
        sb_add(sb, json_string_value(v));
        return;
    }
    switch (kind) {
    case FK_MONEY:
        add_money(sb, x);
        break;
    case FK_RATIO:
        sb_addf(sb, "%.2f%%", x * 100.0);
        break;
    case FK_SCORE:
        sb_addf(sb, "%.2f", x);
        break;
    case FK_COUNT:
    case FK_TEXT:
    case FK_LIST:
        sb_addf(sb, "%.0f", x);
        break;
    }
}

/* "label: a → b → c" for one figure. */
static void add_figure(struct strbuf *sb, const char *key, const json_t *value)
{
    enum figure_kind kind = FK_TEXT;
    const char *label = key;

    for (size_t i = 0; i < sizeof(figure_names) / sizeof(figure_names[0]); i++) {
        if (!strcmp(figure_names[i].key, key)) {
            kind = figure_names[i].kind;
            label = _(figure_names[i].label);
        }
    }
    sb_addf(sb, "%s: ", label);
    if (json_is_array(value)) {
        size_t i;
        const json_t *item;

        json_array_foreach(value, i, item) {
            if (i)
                sb_add(sb, kind == FK_LIST ? "; " : " \xe2\x86\x92 "); /* U+2192 RIGHTWARDS ARROW */
            add_value(sb, item, kind);
        }
    } else {
        add_value(sb, value, kind);
    }
}

/* One block per warning of list in [from, to). */
static void print_blocks(const struct alert_list *list, size_t from, size_t to)
{
    struct strbuf line = STRBUF_INIT;

    for (size_t i = from; i < to; i++) {
        const struct alert *a = &list->items[i];
        const char *key;
        const json_t *value;
        bool first_figure = true;

        printf("\n%s (%s)  %s  %s\n", _(alert_rule_label(a->rule)), alert_rule_name(a->rule),
               a->scope, a->period);
        printf("  %s %s  ", _("subject"), a->subject);
        printf("%s %s\n", _("owner"), a->owner ? a->owner : _("unknown (the GM acts)"));
        sb_reset(&line);
        json_object_foreach((json_t *)a->figures, key, value) {
            if (!first_figure)
                sb_add(&line, "; ");
            add_figure(&line, key, value);
            first_figure = false;
        }
        printf("  %s\n", line.buf);
    }
    sb_release(&line);
}

void alerts_print_table(const struct alert_list *list, cdate as_of)
{
    char day[DATE_BUFSIZE];
    size_t rules = 0;

    while (rules < list->n && list->items[rules].rule < AR_FIRST_MODEL)
        rules++;
    date_format(as_of, day);
    printf(_("Warnings as of %s: %zu\n"), day, rules);
    print_blocks(list, 0, rules);
}

void alerts_print_models(const struct alert_list *list, cdate as_of, unsigned skipped)
{
    static const enum alert_model models[] = {ALERT_MODEL_ATTRITION, ALERT_MODEL_CHURN,
                                              ALERT_MODEL_FORECAST};
    struct strbuf names = STRBUF_INIT;
    char day[DATE_BUFSIZE];
    size_t first = 0;

    while (first < list->n && list->items[first].rule < AR_FIRST_MODEL)
        first++;
    date_format(as_of, day);
    printf(_("\nModel warnings as of %s: %zu\n"), day, list->n - first);
    for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
        if (!(skipped & models[i]))
            continue;
        if (names.len)
            sb_add(&names, ", ");
        sb_add(&names, alert_model_name(models[i]));
    }
    if (names.len)
        printf(_("Skipped, no stored model: %s (run 'cairn model train NAME')\n"), names.buf);
    print_blocks(list, first, list->n);
    sb_release(&names);
}
