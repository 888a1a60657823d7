/*
 * The scorecard functions of metrics.h: resolving a scope to a slot,
 * running the engine for one scope, the children of a unit or a monthly
 * series, attaching targets and status, and the JSON of `cairn kpi`.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/engine.h"
#include "metrics/scorecard.h"
#include "util/i18n.h"
#include "util/xalloc.h"

int metrics_scope_check(const char *scope)
{
    if (!strcmp(scope, "company"))
        return 0;
    if (!strncmp(scope, "unit:", 5) && scope[5])
        return 0;
    if (!strncmp(scope, "employee:", 9) && scope[9])
        return 0;
    return METRICS_BAD_SCOPE;
}

/* The slot of a scope text; METRICS_BAD_SCOPE or METRICS_UNKNOWN_SCOPE
 * with a message in err. */
static int scope_slot(const struct org *org, const char *scope, size_t *slot, struct strbuf *err)
{
    int rank;

    if (metrics_scope_check(scope)) {
        sb_addf(err, _("invalid scope '%s': use company, unit:ID or employee:ID"), scope);
        return METRICS_BAD_SCOPE;
    }
    if (!strcmp(scope, "company")) {
        *slot = 0;
        return 0;
    }
    if (!strncmp(scope, "unit:", 5)) {
        rank = org_unit_rank(org, scope + 5);
        if (rank < 0) {
            sb_addf(err, _("unit '%s' not found"), scope + 5);
            return METRICS_UNKNOWN_SCOPE;
        }
        *slot = org_unit_slot(rank);
        return 0;
    }
    rank = org_employee_rank(org, scope + 9);
    if (rank < 0) {
        sb_addf(err, _("employee '%s' not found"), scope + 9);
        return METRICS_UNKNOWN_SCOPE;
    }
    *slot = org_employee_slot(org, rank);
    return 0;
}

int metrics_scope_slot(const struct org *org, const char *scope, size_t *slot, struct strbuf *err)
{
    return scope_slot(org, scope, slot, err);
}

/* Opens an engine and resolves scope to its slot. Returns 0 or a
 * METRICS_ code with a message in err; close the engine either way. */
static int open_scope(struct engine *en, struct db *db, const char *scope, cdate as_of,
                      size_t *slot, struct strbuf *err)
{
    if (engine_open(en, db, as_of, err))
        return METRICS_FAILED;
    return scope_slot(&en->org, scope, slot, err);
}

void scorecard_free(struct scorecard *sc)
{
    free(sc->scope);
    sc->scope = NULL;
}

/* Fills a scorecard from computed values and attaches targets. */
static void fill(const struct target_set *targets, const char *scope, const struct period *p,
                 cdate as_of, const struct metric_value values[METRIC_COUNT],
                 struct scorecard *out)
{
    memset(out, 0, sizeof(*out));
    out->scope = xstrdup(scope);
    out->period = *p;
    out->as_of = as_of;
    out->partial = p->end - 1 > as_of;
    memcpy(out->values, values, sizeof(out->values));
    target_set_apply(targets, scope, out->targets);
    for (int m = 0; m < METRIC_COUNT; m++)
        metric_apply_target(&metric_defs[m], &out->values[m], &out->targets[m], &out->status[m]);
}

int metrics_scorecard(struct db *db, const char *scope, const struct period *p, cdate as_of,
                      struct scorecard *out, struct strbuf *err)
{
    struct engine en;
    struct target_set targets = {0};
    struct metric_value values[1][METRIC_COUNT];
    size_t slot;
    int rc = METRICS_FAILED;

    rc = open_scope(&en, db, scope, as_of, &slot, err);
    if (rc)
        goto out;
    rc = METRICS_FAILED;
    if (engine_compute(&en, p, &slot, 1, values, err) || target_set_load(db, p, &targets, err))
        goto out;
    fill(&targets, scope, p, as_of, values[0], out);
    rc = 0;
out:
    target_set_free(&targets);
    engine_close(&en);
    return rc;
}

/*
 * Evaluates the listed unit slots (slot 0: the company) for each period
 * and fills nperiods * nslots scorecards, period by period. On failure
 * *out is NULL.
 */
static int unit_scorecards(struct db *db, struct engine *en, const size_t *slots, size_t nslots,
                           const struct period *periods, size_t nperiods, cdate as_of,
                           struct scorecard **out, size_t *n, struct strbuf *err)
{
    struct metric_value(*values)[METRIC_COUNT] = xcalloc(nslots + 1, sizeof(*values));
    struct strbuf scope = STRBUF_INIT;
    struct target_set targets = {0};
    int rc = METRICS_FAILED;

    *out = xcalloc(nslots * nperiods + 1, sizeof(**out));
    *n = 0;
    for (size_t k = 0; k < nperiods; k++) {
        if (engine_compute(en, &periods[k], slots, nslots, values, err) ||
            target_set_load(db, &periods[k], &targets, err))
            goto out;
        for (size_t i = 0; i < nslots; i++) {
            if (slots[i] == 0)
                sb_setf(&scope, "company");
            else
                sb_setf(&scope, "unit:%s", en->org.units[slots[i] - 1].id);
            fill(&targets, scope.buf, &periods[k], as_of, values[i], &(*out)[(*n)++]);
        }
        target_set_free(&targets);
    }
    rc = 0;
out:
    if (rc) {
        for (size_t i = 0; i < *n; i++)
            scorecard_free(&(*out)[i]);
        free(*out);
        *out = NULL;
        *n = 0;
    }
    target_set_free(&targets);
    free(values);
    sb_release(&scope);
    return rc;
}

int metrics_child_scorecards(struct db *db, const char *unit_id, const struct period *p,
                             cdate as_of, struct scorecard **out, size_t *n, struct strbuf *err)
{
    struct engine en;
    size_t *slots = NULL, nchildren = 0;
    int parent = -1, rc = METRICS_FAILED;

    *out = NULL;
    *n = 0;
    if (engine_open(&en, db, as_of, err))
        goto out;

    /* The parent: the named unit, or the root. */
    for (size_t u = 0; !unit_id && u < en.org.nunits && parent < 0; u++)
        if (en.org.units[u].parent < 0)
            parent = (int)u;
    if (unit_id && (parent = org_unit_rank(&en.org, unit_id)) < 0) {
        sb_addf(err, _("unit '%s' not found"), unit_id);
        rc = METRICS_UNKNOWN_SCOPE;
        goto out;
    }

    /* Its children in id order, evaluated together. */
    slots = xcalloc(en.org.nunits + 1, sizeof(*slots));
    for (size_t u = 0; parent >= 0 && u < en.org.nunits; u++)
        if (en.org.units[u].parent == parent && (int)u != parent)
            slots[nchildren++] = org_unit_slot((int)u);
    rc = unit_scorecards(db, &en, slots, nchildren, p, 1, as_of, out, n, err);
out:
    free(slots);
    engine_close(&en);
    return rc;
}

int metrics_unit_scorecards(struct db *db, const struct period *periods, size_t nperiods,
                            cdate as_of, struct scorecard **out, size_t *n, struct strbuf *err)
{
    struct engine en;
    size_t *slots = NULL;
    int rc = METRICS_FAILED;

    *out = NULL;
    *n = 0;
    if (!engine_open(&en, db, as_of, err)) {
        slots = xcalloc(en.org.nunits + 1, sizeof(*slots));
        for (size_t s = 0; s <= en.org.nunits; s++)
            slots[s] = s;
        rc = unit_scorecards(db, &en, slots, en.org.nunits + 1, periods, nperiods, as_of, out, n,
                             err);
    }
    free(slots);
    engine_close(&en);
    return rc;
}

int metrics_series_all(struct db *db, const char *scope, int first_month, int nmonths,
                       cdate as_of, struct metric_value (*out)[METRIC_COUNT], struct strbuf *err)
{
    struct engine en;
    size_t slot;
    int rc;

    rc = open_scope(&en, db, scope, as_of, &slot, err);
    if (rc)
        goto out;
    rc = METRICS_FAILED;
    for (int i = 0; i < nmonths; i++) {
        struct period p = period_of_month(first_month + i);

        if (engine_compute(&en, &p, &slot, 1, &out[i], err))
            goto out;
    }
    rc = 0;
out:
    engine_close(&en);
    return rc;
}

int metrics_series(struct db *db, const char *scope, enum metric_id m, int first_month,
                   int nmonths, cdate as_of, struct metric_value *out, struct strbuf *err)
{
    struct metric_value(*all)[METRIC_COUNT] = xcalloc((size_t)nmonths + 1, sizeof(*all));
    int rc = metrics_series_all(db, scope, first_month, nmonths, as_of, all, err);

    for (int i = 0; rc == 0 && i < nmonths; i++)
        out[i] = all[i][m];
    free(all);
    return rc;
}

/* A JSON number: an integer when the value is whole, else a real (printed
 * with 15 significant digits by cli_print_json). */
static json_t *number_json(double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        return json_integer((json_int_t)v);
    return json_real(v);
}

json_t *scorecard_to_json(const struct scorecard *sc, const bool *selected)
{
    json_t *root = json_object(), *metrics = json_object(), *targets = json_object();
    json_t *status = json_object();
    char period[16], as_of[DATE_BUFSIZE];

    period_format(&sc->period, period);
    date_format(sc->as_of, as_of);
    json_object_set_new(root, "period", json_string(period));
    json_object_set_new(root, "scope", json_string(sc->scope));
    json_object_set_new(root, "as_of", json_string(as_of));
    json_object_set_new(root, "partial", json_boolean(sc->partial));

    for (int m = 0; m < METRIC_COUNT; m++) {
        const char *name = metric_defs[m].name, *st = metric_status_name(sc->status[m]);

        if (selected && !selected[m])
            continue;
        json_object_set_new(metrics, name, sc->values[m].available
                                               ? number_json(sc->values[m].value)
                                               : json_null());
        if (sc->targets[m].has_target) {
            json_t *t = json_object();

            json_object_set_new(t, "target", number_json(sc->targets[m].target));
            json_object_set_new(t, "attainment", sc->targets[m].has_attainment
                                                     ? number_json(sc->targets[m].attainment)
                                                     : json_null());
            json_object_set_new(targets, name, t);
        }
        if (st)
            json_object_set_new(status, name, json_string(st));
    }
    json_object_set_new(root, "metrics", metrics);
    json_object_set_new(root, "targets", targets);
    json_object_set_new(root, "status", status);
    return root;
}
