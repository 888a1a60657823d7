/*
 * Targets and status. A target row applies to the exact scope and period
 * it names. Attainment is actual / target, or target / actual for metrics
 * where lower is better; green at 100 % and above, amber from 90 %, red
 * below. When the divisor is zero or negative there is no attainment and
 * the value is compared with the target directly. Without a target the
 * catalogue's default thresholds decide. Every comparison allows 1e-9 in
 * favour of the limit being reached, so that 0.15 - 0.10 >= 0.05 holds.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/scorecard.h"
#include "util/xalloc.h"

#define TOLERANCE 1e-9

/* "unit:ID" or "employee:ID" in a new string. */
static char *format_scope(const char *kind, const char *id)
{
    struct strbuf sb = STRBUF_INIT;

    sb_addf(&sb, "%s:%s", kind, id);
    return sb_detach(&sb);
}

/* Whether a >= b, allowing the tolerance. */
static bool at_least(double a, double b)
{
    return a >= b - TOLERANCE;
}

static enum metric_status status_from_attainment(double attainment)
{
    if (at_least(attainment, 1.0))
        return STATUS_GREEN;
    return at_least(attainment, 0.9) ? STATUS_AMBER : STATUS_RED;
}

static enum metric_status status_from_defaults(const struct metric_def *d, double v)
{
    if (d->lower_is_better) {
        if (at_least(d->green, v))
            return STATUS_GREEN;
        return at_least(d->red, v) ? STATUS_AMBER : STATUS_RED;
    }
    if (at_least(v, d->green))
        return STATUS_GREEN;
    return at_least(v, d->red) ? STATUS_AMBER : STATUS_RED;
}

void metric_apply_target(const struct metric_def *d, const struct metric_value *v,
                         struct metric_target *t, enum metric_status *status)
{
    double divisor, dividend;

    *status = STATUS_NONE;
    t->has_attainment = false;
    if (!v->available) {
        return;
    }
    if (!t->has_target) {
        if (d->has_default)
            *status = status_from_defaults(d, v->value);
        return;
    }

    dividend = d->lower_is_better ? t->target : v->value;
    divisor = d->lower_is_better ? v->value : t->target;
    if (divisor > 0) {
        t->has_attainment = true;
        t->attainment = dividend / divisor;
        *status = status_from_attainment(t->attainment);
        return;
    }

    /* No attainment: green when the value is on the right side of the
     * target or equal to it. */
    if (d->lower_is_better)
        *status = at_least(t->target, v->value) ? STATUS_GREEN : STATUS_RED;
    else
        *status = at_least(v->value, t->target) ? STATUS_GREEN : STATUS_RED;
}

int target_set_load(struct db *db, const struct period *p, struct target_set *set,
                    struct strbuf *err)
{
    struct db_stmt *st;
    char period[16];
    int step;

    memset(set, 0, sizeof(*set));
    st = db_prepare(db, "SELECT scope_kind, scope_id, metric, value FROM targets WHERE period = ?",
                    err);
    if (!st)
        return -1;
    period_format(p, period);
    db_bind_text(st, 1, period);
    while ((step = db_step(st, err)) == DB_ROW) {
        const char *kind = db_column_text(st, 0), *id = db_column_text(st, 1);
        int m = metric_by_name(db_column_text(st, 2));
        char *end;
        double v = strtod(db_column_text(st, 3), &end);
        struct target_row *r;

        if (m < 0 || *end)
            continue; /* the importer checks both */
        XGROW(set->rows, set->alloc, set->n + 1);
        r = &set->rows[set->n++];
        r->scope = !strcmp(kind, "company") ? xstrdup("company")
                                            : format_scope(kind, id ? id : "");
        r->metric = m;
        r->value = v;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

void target_set_apply(const struct target_set *set, const char *scope,
                      struct metric_target targets[METRIC_COUNT])
{
    memset(targets, 0, sizeof(*targets) * METRIC_COUNT);
    for (size_t i = 0; i < set->n; i++) {
        if (strcmp(set->rows[i].scope, scope))
            continue;
        targets[set->rows[i].metric].has_target = true;
        targets[set->rows[i].metric].target = set->rows[i].value;
    }
}

void target_set_free(struct target_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->rows[i].scope);
    free(set->rows);
    memset(set, 0, sizeof(*set));
}

const char *metric_status_name(enum metric_status s)
{
    switch (s) {
    case STATUS_GREEN:
        return "green";
    case STATUS_AMBER:
        return "amber";
    case STATUS_RED:
        return "red";
    case STATUS_NONE:
        break;
    }
    return NULL;
}
