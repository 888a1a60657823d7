/*
 * The record of warnings (table alerts): `cairn alerts run` and the
 * state changes of `ack` and `resolve`. A record is open while its
 * warning held at the latest run; its state (new, acknowledged,
 * resolved) is what people set, and a record that stops holding is
 * closed and resolved.
 */
#ifndef CAIRN_ALERTS_RECORD_H
#define CAIRN_ALERTS_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/date.h"

enum {
    ALERTS_UNKNOWN_ID = -4,      /* no recorded warning has this id */
    ALERTS_DELIVERY_FAILED = -5, /* recorded, but a delivery failed */
    ALERTS_MODELS_FAILED = -6,   /* the rules' warnings recorded, a model failed */
};

struct alert_run_summary {
    size_t added, held, resolved;
};

/*
 * Evaluates every rule and the model warnings of the stored models as of
 * as_of and records the outcome in one transaction: new warnings are
 * inserted (state new), warnings that still hold keep their record,
 * open records no longer holding are closed as resolved. Then delivers
 * the new warnings. Returns 0, ALERTS_DELIVERY_FAILED when the warnings
 * are recorded but a delivery failed (err names it),
 * ALERTS_MODELS_FAILED when a stored model could not be applied (the
 * rules' warnings are recorded and the open model warnings kept as they
 * were; err names it), or -1.
 */
int alerts_record(struct db *db, cdate as_of, struct alert_run_summary *sum, struct strbuf *err);

/* Sets the state of recorded warning id ("acknowledged" or "resolved").
 * Returns 0, ALERTS_UNKNOWN_ID with a message, or -1. */
int alerts_set_state(struct db *db, int64_t id, const char *state, struct strbuf *err);

#endif
