/*
 * The three splits of a change in sales. Totals come from the
 * key-results library (sales and avg_headcount of the scope and of its
 * child units), so they match `cairn kpi`; only the sales of new
 * customers, which no metric reports, are summed here from the customer
 * rollups. Every split ends with a part that takes the remainder, so it
 * sums to the change to the fen.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain.h"
#include "metrics/metrics.h"
#include "metrics/org.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static const char *const split_names[EXPLAIN_SPLITS] = {"headcount", "customers", "units"};

const char *explain_split_name(int split)
{
    return split_names[split];
}

static void add_part(struct explain_split *s, const char *name, int64_t fen)
{
    XGROW(s->parts, s->alloc, s->n + 1);
    s->parts[s->n].name = xstrdup(name);
    s->parts[s->n].fen = fen;
    s->n++;
}

void explanation_free(struct explanation *e)
{
    for (int k = 0; k < EXPLAIN_SPLITS; k++) {
        for (size_t i = 0; i < e->splits[k].n; i++)
            free(e->splits[k].parts[i].name);
        free(e->splits[k].parts);
    }
    free(e->scope);
    memset(e, 0, sizeof(*e));
}

static int64_t to_fen(double yuan)
{
    return llround(yuan * 100.0);
}

/*
 * Headcount and per-capita effects. With h = avg_headcount and p =
 * sales / h (sales per head over the period), sales = h * p, and the
 * symmetric split of the product is exact:
 * h1 p1 - h0 p0 = (h1 - h0)(p0 + p1)/2 + (p1 - p0)(h0 + h1)/2. The
 * headcount effect is rounded to the fen and the per-capita effect is the
 * rest. A period without headcount has p = 0, so its sales fall to the
 * per-capita effect.
 */
static void headcount_split(struct explanation *e, const struct scorecard *to,
                            const struct scorecard *from)
{
    const struct metric_value *h1 = &to->values[M_AVG_HEADCOUNT];
    const struct metric_value *h0 = &from->values[M_AVG_HEADCOUNT];
    long double hc1 = h1->available ? h1->value : 0, hc0 = h0->available ? h0->value : 0;
    long double p1 = hc1 > 0 ? (long double)e->to / hc1 : 0;
    long double p0 = hc0 > 0 ? (long double)e->from / hc0 : 0;
    int64_t effect = llroundl((hc1 - hc0) * (p0 + p1) / 2);

    add_part(&e->splits[EXPLAIN_HEADCOUNT], "headcount", effect);
    add_part(&e->splits[EXPLAIN_HEADCOUNT], "per_capita", e->to - e->from - effect);
}

/* Whether a row of employee ekey in unit ukey lies in the scope: the
 * company (unit and employee -1), unit, or employee. */
static bool in_scope(const struct org *org, int unit, int employee, int ekey, int ukey)
{
    size_t slots[ORG_MAX_CHAIN + 2];
    int n;

    if (employee >= 0)
        return ekey == employee;
    if (unit < 0)
        return true;
    n = org_unit_slots(org, ukey, slots);
    for (int i = 0; i < n; i++)
        if (slots[i] == org_unit_slot(unit))
            return true;
    return false;
}

/* Sales in period p (to as_of) of the scope's rows whose customer made
 * the first purchase in p, in fen. */
static int new_customer_sales(struct db *db, const struct org *org, int unit, int employee,
                              const struct period *p, cdate as_of, int64_t *fen,
                              struct strbuf *err)
{
    struct db_stmt *st;
    cdate last = p->end - 1 < as_of ? p->end - 1 : as_of;
    int step;

    *fen = 0;
    if (p->start > as_of)
        return 0;
    st = db_prepare(db,
                    "SELECT d.ekey, d.ukey, d.sales FROM rollup_customer_day d"
                    " JOIN rollup_first_purchase f ON f.ckey = d.ckey"
                    " WHERE d.day BETWEEN ?1 AND ?2 AND f.day BETWEEN ?1 AND ?2",
                    err);
    if (!st)
        return -1;
    db_bind_int64(st, 1, p->start);
    db_bind_int64(st, 2, last);
    while ((step = db_step(st, err)) == DB_ROW)
        if (in_scope(org, unit, employee, (int)db_column_int64(st, 0),
                     (int)db_column_int64(st, 1)))
            *fen += db_column_int64(st, 2);
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

static int customers_split(struct db *db, struct explanation *e, cdate as_of, struct strbuf *err)
{
    struct org org;
    int64_t new_to = 0, new_from = 0;
    int unit = -1, employee = -1, rc = -1;

    if (org_load(db, &org, err))
        goto out;
    if (!strncmp(e->scope, "unit:", 5))
        unit = org_unit_rank(&org, e->scope + 5);
    if (!strncmp(e->scope, "employee:", 9))
        employee = org_employee_rank(&org, e->scope + 9);
    if (new_customer_sales(db, &org, unit, employee, &e->period, as_of, &new_to, err) ||
        new_customer_sales(db, &org, unit, employee, &e->vs, as_of, &new_from, err))
        goto out;
    add_part(&e->splits[EXPLAIN_CUSTOMERS], "existing_customers",
             (e->to - new_to) - (e->from - new_from));
    add_part(&e->splits[EXPLAIN_CUSTOMERS], "new_customers", new_to - new_from);
    rc = 0;
out:
    org_free(&org);
    return rc;
}

/* One part per child unit of the scope (the root's children for the
 * company, none for an employee), then "other" for the rest. */
static int units_split(struct db *db, struct explanation *e, cdate as_of, struct strbuf *err)
{
    struct scorecard *to = NULL, *from = NULL;
    size_t nto = 0, nfrom = 0;
    const char *unit = !strncmp(e->scope, "unit:", 5) ? e->scope + 5 : NULL;
    int64_t rest = e->to - e->from;
    int rc = 0;

    if (strncmp(e->scope, "employee:", 9)) {
        rc = metrics_child_scorecards(db, unit, &e->period, as_of, &to, &nto, err);
        if (!rc)
            rc = metrics_child_scorecards(db, unit, &e->vs, as_of, &from, &nfrom, err);
    }
    for (size_t i = 0; !rc && i < nto && i < nfrom; i++) {
        const struct metric_value *a = &to[i].values[M_SALES], *b = &from[i].values[M_SALES];
        int64_t part = (a->available ? to_fen(a->value) : 0) -
                       (b->available ? to_fen(b->value) : 0);

        add_part(&e->splits[EXPLAIN_UNITS], to[i].scope + 5, part);
        rest -= part;
    }
    if (!rc)
        add_part(&e->splits[EXPLAIN_UNITS], "other", rest);
    for (size_t i = 0; i < nto; i++)
        scorecard_free(&to[i]);
    for (size_t i = 0; i < nfrom; i++)
        scorecard_free(&from[i]);
    free(to);
    free(from);
    return rc;
}

int explain_sales(struct db *db, const char *scope, const struct period *period,
                  const struct period *vs, cdate as_of, struct explanation *out,
                  struct strbuf *err)
{
    struct scorecard to, from;
    bool have_to = false, have_from = false;
    int rc;

    memset(out, 0, sizeof(*out));
    out->scope = xstrdup(scope);
    out->period = *period;
    out->vs = *vs;

    /* Sales and headcount of both periods, as `cairn kpi` gives them. */
    rc = metrics_scorecard(db, scope, period, as_of, &to, err);
    have_to = !rc;
    if (!rc)
        rc = metrics_scorecard(db, scope, vs, as_of, &from, err);
    have_from = have_to && !rc;
    if (rc)
        goto out;
    rc = METRICS_FAILED;
    if (!to.values[M_SALES].available || !from.values[M_SALES].available) {
        sb_addf(err, "%s", _("sales are unavailable for one of the periods: no orders are loaded, "
                             "or the period starts after the as-of date"));
        goto out;
    }
    out->to = to_fen(to.values[M_SALES].value);
    out->from = to_fen(from.values[M_SALES].value);

    /* The three splits. */
    headcount_split(out, &to, &from);
    if (customers_split(db, out, as_of, err))
        goto out;
    rc = units_split(db, out, as_of, err);
out:
    if (have_to)
        scorecard_free(&to);
    if (have_from)
        scorecard_free(&from);
    return rc;
}

static json_t *money_json(int64_t fen)
{
    if (fen % 100 == 0)
        return json_integer((json_int_t)(fen / 100));
    return json_real((double)fen / 100.0);
}

json_t *explanation_to_json(const struct explanation *e)
{
    json_t *root = json_object(), *splits = json_object();
    char period[16], vs[16];

    period_format(&e->period, period);
    period_format(&e->vs, vs);
    json_object_set_new(root, "metric", json_string("sales"));
    json_object_set_new(root, "period", json_string(period));
    json_object_set_new(root, "vs", json_string(vs));
    json_object_set_new(root, "scope", json_string(e->scope));
    json_object_set_new(root, "from", money_json(e->from));
    json_object_set_new(root, "to", money_json(e->to));
    json_object_set_new(root, "change", money_json(e->to - e->from));
    for (int k = 0; k < EXPLAIN_SPLITS; k++) {
        json_t *parts = json_array();

        for (size_t i = 0; i < e->splits[k].n; i++)
            json_array_append_new(parts, json_pack("{s:s,s:o}", "name", e->splits[k].parts[i].name,
                                                   "value", money_json(e->splits[k].parts[i].fen)));
        json_object_set_new(splits, split_names[k], parts);
    }
    json_object_set_new(root, "splits", splits);
    return root;
}
