/*
 * Explaining a change in sales between two periods (`cairn explain
 * sales`), split three ways, each split summing exactly to the change in
 * fen: headcount and per-capita effects, existing and new customers, and
 * one part per child unit plus "other".
 */
#ifndef CAIRN_EXPLAIN_H
#define CAIRN_EXPLAIN_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/date.h"

/* One part of a split: a name and its share of the change in fen. */
struct explain_part {
    char *name;
    int64_t fen;
};

struct explain_split {
    struct explain_part *parts;
    size_t n, alloc;
};

enum { EXPLAIN_HEADCOUNT, EXPLAIN_CUSTOMERS, EXPLAIN_UNITS, EXPLAIN_SPLITS };

struct explanation {
    char *scope;
    struct period period, vs;
    int64_t from, to; /* sales of vs and of period, in fen */
    struct explain_split splits[EXPLAIN_SPLITS];
};

/* The split's name in JSON: "headcount", "customers", "units". */
const char *explain_split_name(int split);

/*
 * Explains the change in sales of scope from period vs to period as of
 * as_of. Returns 0; METRICS_BAD_SCOPE or METRICS_UNKNOWN_SCOPE with a
 * message in err; or METRICS_FAILED (also when sales are unavailable
 * because no orders are loaded). Free with explanation_free.
 */
int explain_sales(struct db *db, const char *scope, const struct period *period,
                  const struct period *vs, cdate as_of, struct explanation *out,
                  struct strbuf *err);
void explanation_free(struct explanation *e);

/* The JSON of `cairn explain sales --format json`; the caller owns it. */
json_t *explanation_to_json(const struct explanation *e);

#endif
