/*
 * The demo company's people. Each seat has a first occupant hired before
 * the data starts, then leavers and their replacements. Growth hires
 * bring the company to its size. Also team moves, pay, managers, and
 * the files org_units.csv, employees.csv and assignments.csv.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo/internal.h"
#include "util/xalloc.h"

/* Employee rows of each size; the small company is what its story teams
 * need, without growth hires. */
static const long target_employees[] = {0, 1000, 10000};

struct occupancy {
    int seat;
    cdate hire, leave;
    int reason;
    int pass; /* 0 story-team first occupants, 1 other first occupants, 2 later hires */
};

static int compare_occupancy(const void *a, const void *b)
{
    const struct occupancy *x = a, *y = b;

    if (x->pass != y->pass)
        return x->pass - y->pass;
    if (x->pass == 2 && x->hire != y->hire)
        return x->hire < y->hire ? -1 : 1;
    return x->seat - y->seat;
}

/* The leave dates of the designated story leavers, by story_index. */
static cdate designated_leave(int story_index)
{
    static const int days[][3] = {{2026, 7, 15}, {2026, 11, 10}, {2026, 11, 20}, {2026, 11, 16}};

    return demo_date(days[story_index][0], days[story_index][1], days[story_index][2]);
}

/*
 * Moves a sales hire out of June to 1 September 2026. A rep hired then
 * is employed for the whole of September to November 2026 but may not
 * sell from the first day, and would fall under the minimum monthly
 * sales by accident.
 */
static cdate shift_sales_hire(cdate hire)
{
    cdate lo = demo_date(2026, 6, 1), hi = demo_date(2026, 9, 1);

    if (hire >= lo && hire <= hi)
        return demo_date(2026, 9, 2) + (hire - lo) % 40;
    return hire;
}

/* Appends the occupants of one seat: the first one, then replacements. */
static void fill_seat(struct demo_world *w, struct rng *r, int seat, struct occupancy **occ,
                      size_t *n, size_t *alloc)
{
    const struct seat *s = &w->seats[seat];
    const struct unit *u = &w->units[s->unit];
    bool story_team = u->kind == KIND_TEAM && u->story != TEAM_PLAIN;
    bool fixed = s->role != ROLE_NONE;
    cdate last_leave_allowed = story_team ? demo_date(2026, 5, 31) : demo_date(2026, 10, 31);
    int hazard = 6; /* monthly chance of leaving, permille */
    cdate hire;
    int pass = story_team ? 0 : 1;

    if (s->position == POS_SALES)
        hazard = 13;
    else if (s->position == POS_LEAD)
        hazard = 8;

    if (s->position == POS_MANAGER)
        hire = (cdate)rng_range(r, demo_date(2012, 1, 1), demo_date(2021, 12, 31));
    else if (fixed)
        hire = (cdate)rng_range(r, demo_date(2016, 1, 1), demo_date(2023, 6, 30));
    else
        hire = (cdate)rng_range(r, demo_date(2016, 1, 1), demo_date(2023, 12, 15));

    for (;;) {
        struct occupancy o = {seat, hire, DATE_NONE, LEAVE_NONE, pass};

        if (s->role == ROLE_LEAVER) {
            o.leave = designated_leave(s->story_index);
            o.reason = LEAVE_VOLUNTARY;
        } else if (!fixed) {
            int m0 = date_month_index(hire > w->first_day ? hire : w->first_day);

            for (int m = m0; m <= date_month_index(last_leave_allowed); m++) {
                cdate lo = date_month_first(m), hi = date_month_last(m);

                if (!rng_chance(r, hazard))
                    continue;
                if (lo < hire + 30)
                    lo = hire + 30;
                if (lo > hi)
                    continue;
                o.leave = (cdate)rng_range(r, lo, hi);
                o.reason = rng_chance(r, 700) ? LEAVE_VOLUNTARY : LEAVE_INVOLUNTARY;
                break;
            }
        }
        XGROW(*occ, *alloc, *n + 1);
        (*occ)[(*n)++] = o;
        if (o.leave == DATE_NONE || s->role == ROLE_LEAVER)
            return;

        /* The replacement. */
        hire = o.leave + (cdate)rng_range(r, 10, 60);
        if (s->position == POS_SALES)
            hire = shift_sales_hire(hire);
        if (hire > w->last_day)
            return;
        pass = 2;
    }
}

/* Adds growth seats in background teams until the company has its size. */
static void add_growth(struct demo_world *w, struct rng *r, struct occupancy **occ, size_t *n,
                       size_t *alloc)
{
    long target = target_employees[w->opts.size];
    size_t nteams = 0, *teams = xcalloc(w->nunits, sizeof(*teams));

    for (size_t i = 0; i < w->nunits; i++)
        if (w->units[i].kind == KIND_TEAM && w->units[i].story == TEAM_PLAIN)
            teams[nteams++] = i;
    while (nteams && (long)*n < target) {
        int unit = (int)teams[rng_range(r, 0, (int64_t)nteams - 1)];
        struct occupancy o = {0, 0, DATE_NONE, LEAVE_NONE, 2};

        XGROW(w->seats, w->seats_alloc, w->nseats + 1);
        w->seats[w->nseats] = (struct seat){unit, POS_SALES, ROLE_NONE, 0, -1, 0};
        w->units[unit].nreps++;
        o.seat = (int)w->nseats++;
        o.hire = shift_sales_hire((cdate)rng_range(r, demo_date(2024, 2, 1), demo_date(2026, 10, 31)));
        XGROW(*occ, *alloc, *n + 1);
        (*occ)[(*n)++] = o;
    }
    free(teams);
}

static int64_t yuan(int64_t y)
{
    return y * 100;
}

/* Base salary by position, in fen, before the leaver discount. */
static int64_t base_salary(struct rng *r, const struct employee *e, const struct seat *s,
                           const struct unit *u)
{
    if (u->story == TEAM_LABOR || u->story == TEAM_LABOR_MISS)
        return e->position == POS_LEAD ? yuan(15000) : yuan(8000);
    if (e->employment == EMP_INTERN)
        return yuan(4000);
    if (e->employment == EMP_TEMPORARY)
        return yuan(rng_range(r, 55, 65) * 100);
    switch (s->position) {
    case POS_SALES:
        return yuan(rng_range(r, 65, 100) * 100);
    case POS_LEAD:
        return yuan(rng_range(r, 130, 180) * 100);
    case POS_MANAGER:
        return u->kind == KIND_COMPANY  ? yuan(80000)
               : u->kind == KIND_REGION ? yuan(rng_range(r, 350, 450) * 100)
                                        : yuan(rng_range(r, 220, 300) * 100);
    case POS_SUPPORT:
        return yuan(rng_range(r, 60, 80) * 100);
    default:
        return yuan(rng_range(r, 90, 160) * 100);
    }
}

static int productivity(struct rng *r, const struct employee *e, int role)
{
    switch (role) {
    case ROLE_BELOW_MIN:
        return 65;
    case ROLE_BELOW_MIN_MISS:
        return 70;
    case ROLE_TOP_AT_RISK:
        return 420;
    case ROLE_TOP_MISS:
        return 380;
    case ROLE_LABOR_REP:
        return 110;
    default:
        if (e->reason == LEAVE_INVOLUNTARY)
            return (int)rng_range(r, 45, 70);
        return (int)rng_range(r, 80, 180);
    }
}

/* The first selling day of a sales hire: trained hires open sooner. */
static cdate ramp_day(struct demo_world *w, struct rng *r, struct employee *e)
{
    cdate cap = demo_date(2026, 8, 31), ramp;

    if (e->hire < w->first_day)
        return e->hire;
    e->trained = rng_chance(r, 700);
    ramp = e->hire + (cdate)(e->trained ? rng_range(r, 10, 45) : rng_range(r, 30, 110));
    if (e->hire <= cap && ramp > cap)
        ramp = cap;
    return ramp;
}

/* Fills the attributes of employee i from its occupancy. */
static void make_employee(struct demo_world *w, struct rng *r, int i, const struct occupancy *o)
{
    struct employee *e = &w->emps[i];
    const struct seat *s = &w->seats[o->seat];
    const struct unit *u = &w->units[s->unit];
    bool story_team = u->kind == KIND_TEAM && u->story != TEAM_PLAIN;

    memset(e, 0, sizeof(*e));
    snprintf(e->id, sizeof(e->id), "E%05d", i + 1);
    person_name(r, e->name, sizeof(e->name));
    e->seat = o->seat;
    e->unit = s->unit;
    e->prev_unit = -1;
    e->move_date = DATE_NONE;
    e->position = s->position;
    e->hire = o->hire;
    e->leave = o->leave;
    e->reason = o->reason;
    e->manager = -1;
    e->role = s->role;
    e->story_index = s->story_index;
    e->employment = EMP_FULL_TIME;
    if (s->position == POS_SALES && !story_team && s->role == ROLE_NONE) {
        int roll = (int)rng_range(r, 0, 99);

        if (roll < 8)
            e->employment = EMP_TEMPORARY;
        else if (roll < 12)
            e->employment = EMP_INTERN;
    }
    e->base_salary = base_salary(r, e, s, u);
    /* Voluntary leavers earn less than their peers (sales reps earn
     * 6,500 to 10,000). */
    if (e->reason == LEAVE_VOLUNTARY && s->position == POS_SALES && e->employment == EMP_FULL_TIME)
        e->base_salary = yuan(rng_range(r, 60, 68) * 100);
    else if (e->reason == LEAVE_VOLUNTARY)
        e->base_salary = e->base_salary * 88 / 100 / 100 * 100;
    e->productivity = productivity(r, e, s->role);
    e->satisfaction = e->reason == LEAVE_VOLUNTARY ? (int)rng_range(r, 650, 780)
                                                   : (int)rng_range(r, 740, 900);
    e->ramp = DATE_NONE;
    if (s->position == POS_SALES)
        e->ramp = ramp_day(w, r, e);
}

/* Another team of the same city as unit u, or -1 when it has none. */
static int other_team(const struct demo_world *w, struct rng *r, int u)
{
    int n = 0, pick;

    for (size_t t = 0; t < w->nunits; t++)
        if (w->units[t].kind == KIND_TEAM && w->units[t].city == w->units[u].city && (int)t != u)
            n++;
    if (n == 0)
        return -1;
    pick = (int)rng_range(r, 0, n - 1);
    for (size_t t = 0; t < w->nunits; t++)
        if (w->units[t].kind == KIND_TEAM && w->units[t].city == w->units[u].city &&
            (int)t != u && pick-- == 0)
            return (int)t;
    return -1;
}

/*
 * A few background reps (about 5 %, and at least one) moved from
 * another team of their city in 2024 or 2025; assignments.csv records
 * both stints.
 */
static void make_moves(struct demo_world *w, struct rng *r)
{
    int moved = 0;

    for (int pass = 0; pass < 2 && !moved; pass++) {
        for (size_t i = 0; i < w->nemps; i++) {
            struct employee *e = &w->emps[i];
            cdate lo = e->hire + 60, hi = demo_date(2025, 12, 31);
            int other;

            if (e->position != POS_SALES || e->role != ROLE_NONE || e->prev_unit >= 0 ||
                (pass == 0 && !rng_chance(r, 50)))
                continue;
            if (lo < w->first_day)
                lo = w->first_day;
            if (e->leave != DATE_NONE && e->leave - 1 < hi)
                hi = e->leave - 1;
            other = other_team(w, r, e->unit);
            if (lo > hi || other < 0)
                continue;
            e->prev_unit = other;
            e->move_date = (cdate)rng_range(r, lo, hi);
            moved++;
            if (pass == 1)
                break;
        }
    }
}

/* The occupant of seat on day d, else the last one hired before d. */
static int occupant(const struct demo_world *w, const int *seat_next, int seat, cdate d)
{
    int best = -1;

    for (int i = w->seats[seat].first; i >= 0; i = seat_next[i]) {
        if (w->emps[i].hire > d)
            continue;
        if (employed_on(&w->emps[i], d))
            return i;
        best = i;
    }
    return best;
}

/* The seat of the person an employee of unit u reports to. */
static int manager_seat(const struct demo_world *w, const struct employee *e)
{
    const struct unit *u = &w->units[e->unit];

    if (u->head >= 0 && u->head != e->seat)
        return u->head;
    if (u->parent < 0)
        return -1;
    return w->units[u->parent].head;
}

void people_build(struct demo_world *w)
{
    struct occupancy *occ = NULL;
    size_t n = 0, alloc = 0;
    int *seat_next;
    struct rng r;

    /* Who sits in each seat when, then the growth hires. */
    rng_seed(&r, w->opts.seed, 2);
    for (size_t s = 0; s < w->nseats; s++)
        fill_seat(w, &r, (int)s, &occ, &n, &alloc);
    add_growth(w, &r, &occ, &n, &alloc);
    qsort(occ, n, sizeof(*occ), compare_occupancy);

    /* Employees in id order: story teams, other first occupants, then
     * later hires by hire date. */
    rng_seed(&r, w->opts.seed, 3);
    w->emps = xcalloc(n, sizeof(*w->emps));
    w->nemps = w->emps_alloc = n;
    seat_next = xmalloc(n * sizeof(*seat_next));
    for (size_t i = n; i-- > 0;) {
        seat_next[i] = w->seats[occ[i].seat].first;
        w->seats[occ[i].seat].first = (int)i;
        w->seats[occ[i].seat].count++;
    }
    for (size_t i = 0; i < n; i++)
        make_employee(w, &r, (int)i, &occ[i]);
    make_moves(w, &r);

    /* Managers: the head above each employee when they leave or now. */
    for (size_t i = 0; i < n; i++) {
        struct employee *e = &w->emps[i];
        int seat = manager_seat(w, e);
        cdate ref = e->leave != DATE_NONE ? e->leave : w->last_day;

        if (seat >= 0)
            e->manager = occupant(w, seat_next, seat, ref);
        if (e->manager == (int)i)
            e->manager = -1;
    }
    for (size_t u = 0; u < w->nunits; u++) {
        int seat = w->units[u].head;
        int who = seat >= 0 ? occupant(w, seat_next, seat, w->last_day) : -1;

        /* A unit's head is the seat's occupant today, if still employed. */
        w->units[u].head = who >= 0 && employed_on(&w->emps[who], w->last_day) ? who : -1;
    }
    free(seat_next);
    free(occ);
}

static const char *const kind_names[] = {"company", "region", "city", "team"};
static const char *const position_names[] = {"sales", "team_lead", "manager", "support",
                                             "hr", "finance", "other"};
static const char *const employment_names[] = {"full_time", "temporary", "intern"};

int write_org_units(struct demo_world *w)
{
    FILE *f = w->files[F_ORG_UNITS];

    fputs("unit_id,name,parent_id,kind,manager_id\n", f);
    for (size_t i = 0; i < w->nunits; i++) {
        const struct unit *u = &w->units[i];

        put_field(f, u->id, false);
        put_field(f, u->name, false);
        put_field(f, u->parent >= 0 ? w->units[u->parent].id : "", false);
        put_field(f, kind_names[u->kind], false);
        put_field(f, u->head >= 0 ? w->emps[u->head].id : "", true);
    }
    return 0;
}

int write_employees(struct demo_world *w)
{
    FILE *f = w->files[F_EMPLOYEES], *a = w->files[F_ASSIGNMENTS];
    char buf[64];

    fputs("employee_id,name,unit_id,position,employment_type,hire_date,leave_date,leave_reason,"
          "manager_id,base_salary,email,phone\n",
          f);
    fputs("employee_id,unit_id,start_date,end_date\n", a);
    for (size_t i = 0; i < w->nemps; i++) {
        const struct employee *e = &w->emps[i];

        put_field(f, e->id, false);
        put_field(f, e->name, false);
        put_field(f, w->units[e->unit].id, false);
        put_field(f, position_names[e->position], false);
        put_field(f, employment_names[e->employment], false);
        put_date(f, e->hire, false);
        put_date(f, e->leave, false);
        put_field(f, e->reason == LEAVE_VOLUNTARY     ? "voluntary"
                     : e->reason == LEAVE_INVOLUNTARY ? "involuntary"
                                                      : "",
                  false);
        put_field(f, e->manager >= 0 ? w->emps[e->manager].id : "", false);
        put_money(f, e->base_salary, false);
        snprintf(buf, sizeof(buf), "e%05zu@huayue-demo.example", i + 1);
        put_field(f, buf, false);
        /* 1990000xxxx: fictional numbers of one made-up block. */
        snprintf(buf, sizeof(buf), "1990000%04zu", (i + 1) % 10000);
        put_field(f, buf, true);

        if (e->prev_unit >= 0) {
            put_field(a, e->id, false);
            put_field(a, w->units[e->prev_unit].id, false);
            put_date(a, e->hire, false);
            put_date(a, e->move_date - 1, true);
            put_field(a, e->id, false);
            put_field(a, w->units[e->unit].id, false);
            put_date(a, e->move_date, false);
            put_date(a, e->leave, true);
        }
    }
    return 0;
}
