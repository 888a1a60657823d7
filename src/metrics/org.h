/*
 * The organisation as the metrics see it: units with their parents,
 * employees with their employment dates and unit history, held in memory
 * and indexed by rank (the position of the id in byte order, the same
 * ranks the rollup tables store as ukey and ekey). It answers the two
 * attribution questions of the definitions: is an employee employed on a
 * day, and which unit is an employee in on a day.
 *
 * Results are accumulated per *slot*: slot 0 is the company, slot 1 + u
 * is unit u (with everything below it), slot 1 + nunits + e is employee e.
 */
#ifndef CAIRN_METRICS_ORG_H
#define CAIRN_METRICS_ORG_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "util/date.h"

#define ORG_MAX_CHAIN 64 /* the deepest unit tree attribution follows */

struct org_unit {
    char *id;
    char *kind;
    int parent; /* rank of the parent unit, -1 for the root */
};

struct org_assignment {
    cdate start;
    cdate end; /* inclusive; INT32_MAX while open */
    int unit;  /* rank, -1 when the unit is unknown */
};

struct org_employee {
    char *id;
    cdate hire;
    cdate leave; /* DATE_NONE while employed */
    bool voluntary;
    bool temporary;
    int home_unit; /* employees.unit_id as a rank, -1 when empty */
    size_t first_assignment, nassignments; /* sorted by start date */
};

struct org {
    struct org_unit *units;
    size_t nunits;
    struct org_employee *employees;
    size_t nemployees;
    struct org_assignment *assignments;
    size_t nassignments;
};

/* Loads units, employees and assignments. Returns 0, or -1 with a message
 * in err; free with org_free (also after a failure). */
int org_load(struct db *db, struct org *org, struct strbuf *err);
void org_free(struct org *org);

/* Ranks of an id, or -1 when there is no such unit or employee. */
int org_unit_rank(const struct org *org, const char *id);
int org_employee_rank(const struct org *org, const char *id);

/* Whether employee e is employed on day d (hire_date <= d <= leave_date).
 * Callers pass days on or before the as-of date, so a leave_date after it
 * is automatically "still employed". */
bool org_employed(const struct org *org, int e, cdate d);

/* Employee e's unit on day d (-1 for none): the covering assignment with
 * the latest start, none when the employee has assignments but none
 * covers d, employees.unit_id without assignments; after leave_date, the
 * unit on leave_date. */
int org_unit_at(const struct org *org, int e, cdate d);

static inline size_t org_nslots(const struct org *org)
{
    return 1 + org->nunits + org->nemployees;
}

static inline size_t org_unit_slot(int u)
{
    return 1 + (size_t)u;
}

static inline size_t org_employee_slot(const struct org *org, int e)
{
    return 1 + org->nunits + (size_t)e;
}

/* Fills out with the slots a row of employee e (-1: none) attributed to
 * unit u (-1: none) belongs to: the company, the employee, u and every
 * unit above it. Returns how many. */
int org_slots(const struct org *org, int e, int u, size_t out[ORG_MAX_CHAIN + 2]);

/* Fills out with the slots a row of unit u belongs to, without any
 * employee slot. Returns how many. */
int org_unit_slots(const struct org *org, int u, size_t out[ORG_MAX_CHAIN + 2]);

#endif
