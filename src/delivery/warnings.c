/*
 * Warnings as messages: the text of a warning of the alert rules in the
 * delivery language (rule label, scope, subject, period, owner, each
 * figure with its unit) and the entry point the alerts command calls for
 * new warnings. The rule names, scopes and figure keys are those of the
 * warnings' JSON; a rule or figure this file does not know is shown by
 * its key.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "delivery/internal.h"
#include "settings/settings.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct rule_label {
    const char *rule;
    const char *label;
};

static const struct rule_label rule_labels[] = {
    {"attrition_risk_high", N_("High attrition risk")},
    {"below_minimum", N_("Sales below the minimum three months running")},
    {"churn_risk_high", N_("High churn risk")},
    {"customer_at_risk", N_("Customer at risk of churning")},
    {"labor_cost_high", N_("Labor cost ratio too high")},
    {"new_customers_falling", N_("New customers falling three months running")},
    {"sales_turning", N_("Sales forecast turning down")},
    {"team_risk", N_("Team at risk: attrition up, satisfaction down")},
    {"top_performer_at_risk", N_("Top performer at risk of leaving")},
    {"training_overdue", N_("Training overdue")},
};

enum figure_kind { FIG_PLAIN, FIG_MONEY, FIG_RATIO, FIG_SCORE };

struct figure_label {
    const char *key;
    const char *label;
    enum figure_kind kind;
};

static const struct figure_label figure_labels[] = {
    {"attrition_rate", N_("Attrition rate"), FIG_RATIO},
    {"csat", N_("Customer satisfaction (CSAT)"), FIG_SCORE},
    {"days_overdue", N_("Days overdue"), FIG_PLAIN},
    {"days_since", N_("Days since the last purchase"), FIG_PLAIN},
    {"due_date", N_("Due date"), FIG_PLAIN},
    {"employee_satisfaction", N_("Employee satisfaction"), FIG_SCORE},
    {"factors", N_("Factors"), FIG_PLAIN},
    {"forecast", N_("Sales forecast (yuan)"), FIG_MONEY},
    {"labor_cost", N_("Labor cost (yuan)"), FIG_MONEY},
    {"labor_cost_ratio", N_("Labor cost ratio"), FIG_RATIO},
    {"last_purchase", N_("Last purchase"), FIG_PLAIN},
    {"lower", N_("Forecast lower bound (yuan)"), FIG_MONEY},
    {"minimum", N_("Monthly minimum (yuan)"), FIG_MONEY},
    {"new_customers", N_("New customers"), FIG_PLAIN},
    {"probability", N_("Probability"), FIG_RATIO},
    {"sales", N_("Sales (yuan)"), FIG_MONEY},
    {"sales_12m", N_("Sales in the last 12 months (yuan)"), FIG_MONEY},
    {"satisfaction", N_("Latest satisfaction score"), FIG_SCORE},
    {"trend", N_("Trend"), FIG_PLAIN},
    {"upper", N_("Forecast upper bound (yuan)"), FIG_MONEY},
};

static const char *rule_label(const char *rule)
{
    for (size_t i = 0; i < sizeof(rule_labels) / sizeof(rule_labels[0]); i++)
        if (!strcmp(rule, rule_labels[i].rule))
            return _(rule_labels[i].label);
    return rule;
}

static const struct figure_label *figure_label(const char *key)
{
    for (size_t i = 0; i < sizeof(figure_labels) / sizeof(figure_labels[0]); i++)
        if (!strcmp(key, figure_labels[i].key))
            return &figure_labels[i];
    return NULL;
}

/* Writes yuan as 1,234,567.89; the figure is rounded to the fen. */
static void add_money(struct strbuf *out, double yuan)
{
    long long fen = llround(yuan * 100.0);
    unsigned long long whole;
    char digits[32];
    int n;

    if (fen < 0) {
        sb_addch(out, '-');
        fen = -fen;
    }
    whole = (unsigned long long)fen / 100;
    n = snprintf(digits, sizeof(digits), "%llu", whole);
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            sb_addch(out, ',');
        sb_addch(out, digits[i]);
    }
    sb_addf(out, ".%02lld", fen % 100);
}

static void add_figure_value(struct strbuf *out, const json_t *value, enum figure_kind kind)
{
    size_t i;
    json_t *item;
    double v;

    if (json_is_array(value)) {
        json_array_foreach(value, i, item)
        {
            if (i)
                sb_add(out, ", ");
            add_figure_value(out, item, kind);
        }
        return;
    }
    if (json_is_string(value)) {
        sb_add(out, json_string_value(value));
        return;
    }
    if (json_is_boolean(value)) {
        sb_add(out, json_is_true(value) ? "true" : "false");
        return;
    }
    if (!json_is_number(value)) {
        sb_add(out, _("n/a"));
        return;
    }
    v = json_number_value(value);
    switch (kind) {
    case FIG_MONEY:
        add_money(out, v);
        break;
    case FIG_RATIO:
        sb_addf(out, "%.2f%%", v * 100.0);
        break;
    case FIG_SCORE:
        sb_addf(out, "%.2f", v);
        break;
    case FIG_PLAIN:
        if (json_is_integer(value))
            sb_addf(out, "%lld", (long long)json_integer_value(value));
        else
            sb_addf(out, "%.15g", v);
        break;
    }
}

/* Runs a one-row, one-column text query with one parameter; *out is NULL
 * when there is no row or the value is NULL or empty. */
static int query_text(struct db *db, const char *sql, const char *param, char **out,
                      struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, sql, err);
    const char *text;
    int rc;

    *out = NULL;
    if (!st)
        return -1;
    if (param)
        db_bind_text(st, 1, param);
    rc = db_step(st, err);
    if (rc == DB_ROW) {
        text = db_column_text(st, 0);
        if (text && *text)
            *out = xstrdup(text);
    }
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

/* The name people know the scope by: the company's name, a unit's name or
 * an employee's name; NULL when the id is unknown. */
static int scope_name(struct db *db, const char *scope, char **out, struct strbuf *err)
{
    *out = NULL;
    if (!strcmp(scope, "company"))
        return (*out = setting_get(db, "company.name", err)) ? 0 : -1;
    if (!strncmp(scope, "unit:", 5))
        return query_text(db, "SELECT name FROM org_units WHERE unit_id = ?", scope + 5, out, err);
    if (!strncmp(scope, "employee:", 9))
        return query_text(db, "SELECT name FROM employees WHERE employee_id = ?", scope + 9, out,
                          err);
    return 0;
}

/* Adds the owner line and the e-mail recipient: the owner's address, or
 * the company manager's when there is no owner or the owner has none. */
static int add_owner(struct db *db, const char *owner, struct delivery_message *msg,
                     struct strbuf *err)
{
    char *name = NULL, *email = NULL;
    int rc = -1;

    if (owner) {
        if (query_text(db, "SELECT name FROM employees WHERE employee_id = ?", owner, &name, err) ||
            query_text(db, "SELECT email FROM employees WHERE employee_id = ?", owner, &email, err))
            goto out;
        if (name)
            delivery_message_add_line(msg, _("Owner: %s (%s)"), name, owner);
        else
            delivery_message_add_line(msg, _("Owner: %s"), owner);
    } else {
        delivery_message_add_line(msg, _("Owner: none, the general manager acts"));
    }
    if (!email && query_text(db,
                             "SELECT e.email FROM org_units u JOIN employees e "
                             "ON e.employee_id = u.manager_id WHERE u.parent_id IS NULL "
                             "ORDER BY u.unit_id LIMIT 1",
                             NULL, &email, err))
        goto out;
    delivery_message_add_recipient(msg, email);
    rc = 0;
out:
    free(name);
    free(email);
    return rc;
}

int warning_format(struct db *db, const struct delivery_warning *w, const char *today,
                   struct delivery_message *msg, struct strbuf *err)
{
    struct strbuf text = STRBUF_INIT;
    const struct figure_label *fig;
    const char *key;
    char *name = NULL;
    json_t *value;
    int rc = -1;

    if (!w->rule || !w->scope || !w->subject || !w->period)
        BUG("a warning without rule, scope, subject or period");

    /* Identity and day. */
    if (w->identity)
        sb_add(&text, w->identity);
    else if (!strcmp(w->rule, "customer_at_risk") || !strcmp(w->rule, "churn_risk_high"))
        sb_addf(&text, "%s/%s", w->rule, w->subject);
    else
        sb_addf(&text, "%s/%s/%s", w->rule, w->scope, w->subject);
    delivery_message_set_key(msg, text.buf, w->first_seen ? w->first_seen : today);

    /* Title and the lines naming the warning. */
    if (scope_name(db, w->scope, &name, err))
        goto out;
    sb_reset(&text);
    if (name)
        sb_addf(&text, _("%s: %s (%s)"), rule_label(w->rule), name, w->period);
    else
        sb_addf(&text, _("%s: %s (%s)"), rule_label(w->rule), w->scope, w->period);
    delivery_message_set_title(msg, text.buf);
    delivery_message_add_line(msg, _("Rule: %s (%s)"), rule_label(w->rule), w->rule);
    delivery_message_add_line(msg, _("Scope: %s"), w->scope);
    delivery_message_add_line(msg, _("Subject: %s"), w->subject);
    delivery_message_add_line(msg, _("Period: %s"), w->period);
    if (add_owner(db, w->owner, msg, err))
        goto out;

    /* Figures, in the order the rule gave them. */
    if (json_is_object(w->figures)) {
        json_object_foreach((json_t *)w->figures, key, value)
        {
            fig = figure_label(key);
            sb_reset(&text);
            add_figure_value(&text, value, fig ? fig->kind : FIG_PLAIN);
            delivery_message_add_line(msg, _("%s: %s"), fig ? _(fig->label) : key, text.buf);
        }
    }
    delivery_message_set_link(msg, w->link);
    rc = 0;
out:
    free(name);
    sb_release(&text);
    return rc;
}

/* Formats one warning, then queues it for the digest or sends it. A
 * failed send is added to failures (one line each); returns -1 only when
 * the warning could not be formatted, queued or logged. */
static int deliver_one(struct db *db, const struct delivery_config *cfg,
                       const struct delivery_warning *w, const char *today, struct strbuf *failures,
                       struct strbuf *err)
{
    struct delivery_message msg;
    struct strbuf send_err = STRBUF_INIT;
    char *saved_lang;
    int rc;

    /* The text is in the delivery language; messages to the user are not. */
    delivery_message_init(&msg);
    delivery_message_set_lang(&msg, cfg->lang);
    saved_lang = delivery_lang_push(cfg->lang);
    rc = warning_format(db, w, today, &msg, err);
    delivery_lang_pop(saved_lang);
    if (rc)
        goto out;

    if (cfg->digest) {
        rc = digest_queue(db, &msg, err);
    } else if (delivery_send_config(db, cfg, &msg, DELIVERY_ALL_CHANNELS, NULL, &send_err)) {
        sb_addf(failures, "%s\n", sb_str(&send_err));
    }
out:
    delivery_message_release(&msg);
    sb_release(&send_err);
    return rc;
}

int alerts_deliver_new(struct db *db, const char *today, const struct delivery_warning *warnings,
                       size_t nwarnings, struct strbuf *err)
{
    struct delivery_config cfg;
    struct strbuf failures = STRBUF_INIT;
    int rc = -1;

    if (delivery_config_load(db, &cfg, err))
        return -1;

    /* Earlier failures first, so that they keep their order. */
    if (outbox_retry(db, &cfg, &failures, err))
        goto out;
    for (size_t i = 0; i < nwarnings; i++)
        if (deliver_one(db, &cfg, &warnings[i], today, &failures, err))
            goto out;
    if (cfg.digest && digest_flush(db, &cfg, today, 0, &failures))
        sb_addch(&failures, '\n');

    if (failures.len) {
        sb_truncate(&failures, failures.len - 1);
        sb_add(err, failures.buf);
        goto out;
    }
    rc = 0;
out:
    delivery_config_release(&cfg);
    sb_release(&failures);
    return rc;
}
