/*
 * The current scores of the stored models (models/risk.h) for the
 * dashboard:
 * GET /api/v1/risk/attrition?scope=S&as_of=D — the attrition risk of the
 * employees employed on D whose current unit lies in S (for employee:ID
 * that employee only). Only gm, hr and team_lead callers get it, and
 * finance and rep callers get 403. The risk and its factors are a
 * judgement on the employee, made for those who manage the employee.
 * GET /api/v1/risk/churn?scope=S&as_of=D[&customer=ID] — the churn risk
 * of the customers with a purchase in the 365 days up to D whose owner
 * on D lies in S (for employee:ID the customers that employee owns).
 * GET /api/v1/forecast?scope=S&as_of=D — the sales forecast of every
 * unit in S for the month after the last whole month up to D.
 *
 * S is checked by web_requested_scope (403 outside the caller's scope)
 * and defaults to the caller's own. Each response is
 * {"model":..,"stored":bool,"as_of":..,"n":N,"top":K,"rows":[..]}; n
 * counts the subjects scored in the whole company and top is ceil(n /
 * 10), the size of the list that model warnings name, so each row's rank
 * (1 = riskiest in the company) shows whether it is one of them.
 * Answers are cached like the key results; a new import or a trained
 * model raises the data generation. The factors are made in the
 * caller's language under web_gettext_enter (gettext_lock.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auth/scope.h"
#include "metrics/owner_at.h"
#include "models/risk.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/api_table.h"

/* The units of a scope: every unit for the company, the unit and those
 * below it for unit:ID, none for employee:ID. */
struct unit_set {
    bool all;
    char **ids;
    size_t n, alloc;
};

static void unit_set_free(struct unit_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->ids[i]);
    free(s->ids);
}

static bool unit_set_has(const struct unit_set *s, const char *unit)
{
    if (s->all)
        return true;
    for (size_t i = 0; unit && i < s->n; i++)
        if (!strcmp(s->ids[i], unit))
            return true;
    return false;
}

static int unit_set_load(struct db *db, const struct scope *scope, struct unit_set *s,
                         struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    struct db_stmt *st;
    int step = DB_DONE;

    memset(s, 0, sizeof(*s));
    s->all = scope->kind == SCOPE_COMPANY;
    if (scope->kind != SCOPE_UNIT)
        return 0;
    sb_addf(&sql, "%sSELECT u FROM sub", web_subtree_cte);
    st = db_prepare(db, sql.buf, err);
    sb_release(&sql);
    if (!st)
        return -1;
    db_bind_text(st, 1, scope->id);
    while ((step = db_step(st, err)) == DB_ROW) {
        XGROW(s->ids, s->alloc, s->n + 1);
        s->ids[s->n++] = xstrdup(db_column_text(st, 0));
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* The name of id in the table of sql (one parameter), or NULL. */
static json_t *name_of(struct db_stmt *st, const char *id, struct strbuf *err)
{
    json_t *name = json_null();

    db_bind_text(st, 1, id);
    if (db_step(st, err) == DB_ROW && db_column_text(st, 0))
        name = json_string(db_column_text(st, 0));
    db_reset(st);
    return name;
}

/* The response object, before its rows are added. */
static json_t *response_frame(const char *model, int found, cdate as_of, size_t n)
{
    char day[DATE_BUFSIZE];

    date_format(as_of, day);
    return json_pack("{s:s,s:b,s:s,s:I,s:I,s:[]}", "model", model, "stored", found == 0,
                     "as_of", day, "n", (json_int_t)n, "top", (json_int_t)((n + 9) / 10), "rows");
}

/* The checks every route shares: the scope (403 outside the caller's),
 * its parsed form and the as-of date. Returns 0, or -1 after the error
 * response. */
static int read_arguments(struct request *req, struct strbuf *scope_text, struct scope *scope,
                          cdate *as_of)
{
    if (web_requested_scope(req, scope_text) || web_as_of(req, as_of))
        return -1;
    if (scope_parse(scope_text->buf, scope)) {
        web_error(req, 400, "bad_request",
                  N_("The scope is invalid: use company, unit:ID or employee:ID."));
        return -1;
    }
    return 0;
}

/* Scores with list_fn in the caller's language and sends the rows in
 * the requested scope (and of the customer argument, when given). */
static void risk_reply(struct request *req, const char *model,
                       int (*list_fn)(struct db *, cdate, struct risk_list *, struct strbuf *))
{
    struct strbuf err = STRBUF_INIT, scope_text = STRBUF_INIT, key = STRBUF_INIT;
    struct strbuf cache_query = STRBUF_INIT;
    struct web_gettext sw;
    struct risk_list list = {0};
    struct unit_set units = {0};
    struct db_stmt *names = NULL, *owners = NULL;
    const char *customer = web_query(req, "customer");
    bool sees_pay = role_sees_pay(req->session.who.role);
    bool churn = !strcmp(model, "churn");
    struct scope scope;
    int64_t generation;
    json_t *out = NULL, *rows;
    char day[DATE_BUFSIZE];
    cdate as_of;
    int found;

    /* The factors are in the caller's language. */
    sb_addf(&cache_query, "%s|%s", req->lang, customer ? customer : "");
    if (web_cache_lookup(req, model, cache_query.buf, &key, &generation))
        goto done;
    if (read_arguments(req, &scope_text, &scope, &as_of))
        goto done;
    if (unit_set_load(req->db, &scope, &units, &err))
        goto failed;

    web_gettext_enter(req, &sw);
    found = list_fn(req->db, as_of, &list, &err);
    web_gettext_leave(&sw);
    if (found < 0)
        goto failed;

    names = db_prepare(req->db,
                       churn ? "SELECT name FROM customers WHERE customer_id = ?"
                             : "SELECT name FROM employees WHERE employee_id = ?",
                       &err);
    owners = churn ? db_prepare(req->db, "SELECT " OWNER_AT("?1", "?2"), &err) : NULL;
    if (!names || (churn && !owners))
        goto failed;
    date_format(as_of, day);
    out = response_frame(model, found, as_of, list.n);
    rows = json_object_get(out, "rows");
    for (size_t i = 0; i < list.n; i++) {
        const struct risk *r = &list.v[i];
        json_t *factors, *row, *owner = json_null();
        bool in;

        if (customer && strcmp(customer, r->subject))
            continue;
        if (churn) {
            db_bind_text(owners, 1, r->subject);
            db_bind_text(owners, 2, day);
            if (db_step(owners, &err) == DB_ROW && db_column_text(owners, 0))
                owner = json_string(db_column_text(owners, 0));
            db_reset(owners);
        }
        if (scope.kind == SCOPE_EMPLOYEE)
            in = churn ? json_is_string(owner) && !strcmp(json_string_value(owner), scope.id)
                       : !strcmp(r->subject, scope.id);
        else
            in = unit_set_has(&units, r->unit);
        if (!in) {
            json_decref(owner);
            continue;
        }
        factors = json_array();
        for (size_t k = 0; k < r->nfactors; k++)
            if (sees_pay || !(r->pay_factors & 1u << k))
                json_array_append_new(factors, json_string(r->factors[k]));
        row = json_pack("{s:s,s:o,s:s?,s:f,s:I,s:b,s:o}", "subject", r->subject, "name",
                        name_of(names, r->subject, &err), "unit", r->unit, "probability",
                        r->probability, "rank", (json_int_t)(i + 1), "top",
                        i < (list.n + 9) / 10, "factors", factors);
        if (churn)
            json_object_set_new(row, "owner", owner);
        else
            json_decref(owner);
        json_array_append_new(rows, row);
    }
    web_json(req, 200, out);
    out = NULL;
    web_cache_store(req, key.buf, generation);
    goto done;

failed:
    web_internal_error(req, model, &err);
done:
    json_decref(out);
    db_finalize(names);
    db_finalize(owners);
    unit_set_free(&units);
    risk_list_free(&list);
    sb_release(&cache_query);
    sb_release(&key);
    sb_release(&scope_text);
    sb_release(&err);
}

void api_risk_attrition_get(struct request *req)
{
    enum role role = req->session.who.role;

    if (role != ROLE_GM && role != ROLE_HR && role != ROLE_TEAM_LEAD) {
        web_error(req, 403, "forbidden",
                  N_("Attrition risk is shown to general managers, HR and team leads only."));
        return;
    }
    risk_reply(req, "attrition", risk_attrition);
}

void api_risk_churn_get(struct request *req)
{
    risk_reply(req, "churn", risk_churn);
}

void api_forecast_get(struct request *req)
{
    struct strbuf err = STRBUF_INIT, scope_text = STRBUF_INIT, key = STRBUF_INIT;
    struct forecast_list list = {0};
    struct unit_set units = {0};
    struct db_stmt *names = NULL;
    struct scope scope;
    int64_t generation;
    json_t *out = NULL, *rows;
    cdate as_of;
    int found;

    if (web_cache_lookup(req, "forecast", "", &key, &generation))
        goto done;
    if (read_arguments(req, &scope_text, &scope, &as_of))
        goto done;
    if (unit_set_load(req->db, &scope, &units, &err))
        goto failed;
    found = risk_forecast(req->db, as_of, &list, &err);
    if (found < 0)
        goto failed;
    names = db_prepare(req->db, "SELECT name FROM org_units WHERE unit_id = ?", &err);
    if (!names)
        goto failed;

    out = response_frame("forecast", found, as_of, list.n);
    json_object_del(out, "top");
    rows = json_object_get(out, "rows");
    for (size_t i = 0; i < list.n; i++) {
        const struct unit_forecast *f = &list.v[i];
        char month[8];

        if (!unit_set_has(&units, f->unit))
            continue;
        date_month_format(date_month_index(f->month), month);
        json_array_append_new(
            rows, json_pack("{s:s,s:o,s:s,s:o,s:o,s:o,s:f,s:b}", "unit", f->unit, "name",
                            name_of(names, f->unit, &err), "month", month, "forecast",
                            web_yuan(f->forecast), "lower", web_yuan(f->lower), "upper",
                            web_yuan(f->upper), "trend", f->trend / 100.0, "turning",
                            f->turning != 0));
    }
    web_json(req, 200, out);
    out = NULL;
    web_cache_store(req, key.buf, generation);
    goto done;

failed:
    web_internal_error(req, "forecast", &err);
done:
    json_decref(out);
    db_finalize(names);
    unit_set_free(&units);
    forecast_list_free(&list);
    sb_release(&key);
    sb_release(&scope_text);
    sb_release(&err);
}
