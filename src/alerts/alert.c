/*
 * Warnings as values: the rule names and labels, building and freeing
 * a list of warnings, their order, their identity and their JSON.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/rules.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static const struct {
    const char *name;
    const char *label;
} rule_names[AR_COUNT] = {
    {"new_customers_falling", N_("New customers falling")},
    {"team_risk", N_("Team at risk")},
    {"labor_cost_high", N_("Labor cost ratio too high")},
    {"below_minimum", N_("Sales below the minimum")},
    {"top_performer_at_risk", N_("Top performer at risk")},
    {"customer_at_risk", N_("Customer at risk")},
    {"training_overdue", N_("Training overdue")},
    {"attrition_risk_high", N_("High attrition risk")},
    {"churn_risk_high", N_("High churn risk")},
    {"sales_turning", N_("Sales forecast turning down")},
};

const char *alert_model_name(enum alert_model model)
{
    switch (model) {
    case ALERT_MODEL_ATTRITION:
        return "attrition";
    case ALERT_MODEL_CHURN:
        return "churn";
    case ALERT_MODEL_FORECAST:
        return "forecast";
    }
    return "";
}

const char *alert_rule_name(enum alert_rule rule)
{
    return rule_names[rule].name;
}

const char *alert_rule_label(enum alert_rule rule)
{
    return rule_names[rule].label;
}

int alert_rule_by_name(const char *name)
{
    for (int r = 0; r < AR_COUNT; r++)
        if (!strcmp(rule_names[r].name, name))
            return r;
    return -1;
}

int alerts_month(cdate as_of)
{
    int month = date_month_index(as_of);

    return as_of == date_month_last(month) ? month : month - 1;
}

struct alert *alert_push(struct alert_ctx *ctx, enum alert_rule rule, const char *scope,
                         const char *period, const char *subject, const char *owner,
                         json_t *figures)
{
    struct alert_list *l = ctx->out;
    struct alert *a;

    XGROW(l->items, l->alloc, l->n + 1);
    a = &l->items[l->n++];
    a->rule = rule;
    a->scope = xstrdup(scope);
    a->period = xstrdup(period);
    a->subject = xstrdup(subject);
    a->owner = owner ? xstrdup(owner) : NULL;
    a->figures = figures;
    a->home_unit = -1;
    a->employee = -1;
    a->id = -1;
    a->state = a->first_seen = a->last_seen = NULL;
    return a;
}

void alert_release(struct alert *a)
{
    free(a->scope);
    free(a->period);
    free(a->subject);
    free(a->owner);
    json_decref(a->figures);
    free(a->state);
    free(a->first_seen);
    free(a->last_seen);
}

void alert_list_free(struct alert_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        alert_release(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof(*list));
}

void alert_list_drop_rule(struct alert_list *list, enum alert_rule rule)
{
    size_t kept = 0;

    for (size_t i = 0; i < list->n; i++) {
        if (list->items[i].rule == rule)
            alert_release(&list->items[i]);
        else
            list->items[kept++] = list->items[i];
    }
    list->n = kept;
}

json_t *alert_number(double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

json_t *alert_money(int64_t fen)
{
    if (fen % 100 == 0)
        return json_integer((json_int_t)(fen / 100));
    return json_real((double)fen / 100.0);
}

void alert_identity(const struct alert *a, struct strbuf *out)
{
    sb_add(out, alert_rule_name(a->rule));
    sb_addch(out, '|');
    if (a->rule != AR_CUSTOMER_AT_RISK && a->rule != AR_CHURN_RISK_HIGH) {
        sb_add(out, a->scope);
        sb_addch(out, '|');
    }
    sb_add(out, a->subject);
}

json_t *alert_to_json(const struct alert *a)
{
    json_t *o = json_object();

    json_object_set_new(o, "rule", json_string(alert_rule_name(a->rule)));
    json_object_set_new(o, "scope", json_string(a->scope));
    json_object_set_new(o, "period", json_string(a->period));
    json_object_set_new(o, "subject", json_string(a->subject));
    json_object_set_new(o, "owner", a->owner ? json_string(a->owner) : json_null());
    json_object_set(o, "figures", a->figures);
    if (a->id >= 0) {
        json_object_set_new(o, "id", json_integer((json_int_t)a->id));
        json_object_set_new(o, "state", json_string(a->state));
        json_object_set_new(o, "first_seen", json_string(a->first_seen));
        json_object_set_new(o, "last_seen", json_string(a->last_seen));
    }
    return o;
}

json_t *alert_list_to_json(const struct alert_list *list)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < list->n; i++)
        json_array_append_new(arr, alert_to_json(&list->items[i]));
    return arr;
}
