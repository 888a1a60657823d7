/*
 * Market size behind market_share. The market of a scope is the sum over
 * the highest units at or below it that have market rows (a unit's own
 * figures hide those of the units below it). A year uses a unit's year
 * row when present and the year has ended; otherwise, and for months and
 * quarters, the monthly rows of the started months, all of which must be
 * present.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/engine.h"
#include "util/xalloc.h"

struct market_row {
    int unit;
    bool year; /* a 'YYYY' row; else a month row */
    int index; /* the year, or the month index */
    int64_t size;
};

struct market {
    struct market_row *rows;
    size_t n, alloc;
    bool *has_rows; /* per unit */
};

static int load_market(struct engine_run *run, struct market *mk, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(run->en->db, "SELECT unit_id, period, market_size FROM market", err);
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        struct market_row r;
        const char *period = db_column_text(st, 1);

        r.unit = org_unit_rank(&run->en->org, db_column_text(st, 0));
        r.size = db_column_int64(st, 2);
        r.year = strlen(period) == 4;
        if (r.unit < 0)
            continue;
        if (r.year)
            r.index = (int)strtol(period, NULL, 10);
        else if (date_month_parse(period, &r.index))
            continue;
        mk->has_rows[r.unit] = true;
        XGROW(mk->rows, mk->alloc, mk->n + 1);
        mk->rows[mk->n++] = r;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

/* The market size of unit u in P; false when a figure is missing. */
static bool unit_market(const struct engine_run *run, const struct market *mk, int u, int64_t *size)
{
    int year = run->p.first_month / 12, found = 0;

    *size = 0;
    if (run->p.kind == PERIOD_YEAR && !run->partial)
        for (size_t i = 0; i < mk->n; i++)
            if (mk->rows[i].unit == u && mk->rows[i].year && mk->rows[i].index == year) {
                *size = mk->rows[i].size;
                return true;
            }
    for (size_t i = 0; i < mk->n; i++) {
        const struct market_row *r = &mk->rows[i];

        if (r->unit != u || r->year || r->index < run->p.first_month ||
            r->index >= run->p.first_month + run->nmonths)
            continue;
        *size += r->size;
        found++;
    }
    return found == run->nmonths;
}

/* Whether unit u is one of the highest units with rows at or below top
 * (-1: the whole company). */
static bool covers(const struct org *org, const struct market *mk, int top, int u)
{
    int depth = 0;

    if (!mk->has_rows[u])
        return false;
    if (u == top)
        return true;
    for (int w = org->units[u].parent; w >= 0 && depth < ORG_MAX_CHAIN; w = org->units[w].parent) {
        if (mk->has_rows[w])
            return false;
        if (w == top)
            return true;
        depth++;
    }
    return top < 0;
}

int engine_market(struct engine_run *run, struct strbuf *err)
{
    const struct org *org = &run->en->org;
    struct market mk = {0};

    if (!run->en->has[SRC_MARKET])
        return 0;
    mk.has_rows = xcalloc(org->nunits + 1, sizeof(*mk.has_rows));
    if (load_market(run, &mk, err)) {
        free(mk.rows);
        free(mk.has_rows);
        return -1;
    }

    /* The company (slot 0) and every wanted unit. */
    for (size_t s = 0; s <= org->nunits; s++) {
        int top = (int)s - 1;
        bool any = false, complete = true;
        int64_t total = 0;

        if (!run->want[s])
            continue;
        for (size_t u = 0; u < org->nunits; u++) {
            int64_t size;

            if (!covers(org, &mk, top, (int)u))
                continue;
            any = true;
            complete = unit_market(run, &mk, (int)u, &size) && complete;
            total += size;
        }
        run->market[s].available = any && complete;
        run->market[s].value = (double)total / 100.0;
    }
    free(mk.rows);
    free(mk.has_rows);
    return 0;
}
