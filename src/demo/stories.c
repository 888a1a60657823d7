/*
 * The planted stories of the demo company: for each early-warning rule
 * one subject that fires at the end date (as of 2026-11-30, month m =
 * 2026-11) and one near miss that must not. The figures below are
 * chosen by hand against the metric definitions:
 *
 * - HZ01 gets 6, 5, 4, 3 new customers in August to November 2026
 *   (fires); SH01 gets 6, 5, 4, 4 (falls only twice).
 * - GZ01 has 10 people and no leaver in October, 2 leavers in November
 *   (attrition 0 then 2 / 9), satisfaction 7.60 then 7.23125 (fires);
 *   SZ01 has 21 people, 1 leaver in November (1 / 20.5 = 4.88 points),
 *   satisfaction 8.00 then 7.50 (the scores are set member by member).
 * - HZ03: a lead (15,000 base) and 4 reps (8,000 base) selling 60,000
 *   each in November: labor 69,240 / sales 240,000 = 0.2885 (fires);
 *   SH03 the same people selling 70,500 each: 70,500 / 282,000 = 0.25.
 * - HZ01's first rep sells 42,300.00, 38,750.50 and 31,200.00 in
 *   September to November (fires); SH01's first rep 48,000.00,
 *   50,000.00 and 45,000.00.
 * - HZ02's first rep is a top seller whose satisfaction falls to 6.40
 *   (fires); SH02's first rep ends at exactly 7.00.
 * - Customer C000001 is silent 181 days with CSAT 5.50. C000002 is
 *   silent 289 days, its two surveys of one day average 6.50, and it was
 *   handed over when its owner left. Both fire. C000003 (silent exactly
 *   180 days, CSAT 5.00) and C000004 (CSAT exactly 7.00) do not.
 * - Two enrolments are overdue; one was completed on its due date, one
 *   is due on the end date itself, one belongs to a leaver.
 */
#include <stdlib.h>
#include <string.h>

#include "demo/internal.h"
#include "util/xalloc.h"

#define AUGUST_2026 (2026 * 12 + 7)
#define SEPTEMBER_2026 (2026 * 12 + 8)
#define OCTOBER_2026 (2026 * 12 + 9)
#define NOVEMBER_2026 (2026 * 12 + 10)

int story_team_reps(int team_story)
{
    switch (team_story) {
    case TEAM_LABOR:
    case TEAM_LABOR_MISS:
        return 4;
    case TEAM_RISK:
        return 9;
    case TEAM_RISK_MISS:
        return 20;
    default:
        return 5;
    }
}

int story_find_unit(const struct demo_world *w, const char *id)
{
    for (size_t i = 0; i < w->nunits; i++)
        if (!strcmp(w->units[i].id, id))
            return (int)i;
    BUG("story unit %s missing", id);
}

/* The first occupant of rep seat k of a story team. */
int story_rep(const struct demo_world *w, const char *team, int k)
{
    int u = story_find_unit(w, team);

    for (size_t s = 0; s < w->nseats; s++)
        if (w->seats[s].unit == u && w->seats[s].position == POS_SALES && k-- == 0)
            return w->seats[s].first;
    BUG("story rep %s/%d missing", team, k);
}

int64_t story_exact_sales(const struct demo_world *w, const struct employee *e, int m)
{
    static const int64_t below[] = {4230000, 3875050, 3120000};
    static const int64_t miss[] = {4800000, 5000000, 4500000};

    if (m < SEPTEMBER_2026)
        return -1;
    switch (e->role) {
    case ROLE_BELOW_MIN:
        return below[m - SEPTEMBER_2026];
    case ROLE_BELOW_MIN_MISS:
        return miss[m - SEPTEMBER_2026];
    case ROLE_LABOR_REP:
        if (m != NOVEMBER_2026)
            return -1;
        return w->units[e->unit].story == TEAM_LABOR ? 6000000 : 7050000;
    default:
        return -1;
    }
}

int story_employee_score(const struct demo_world *w, const struct employee *e, int m)
{
    static const int top[] = {860, 830, 790, 750, 690, 640};
    static const int top_miss[] = {820, 800, 770, 750, 730, 700};
    /* GZ01 by member (lead, then rep seats): October and November. */
    static const int risk_oct[] = {800, 620, 580, 810, 790, 830, 770, 800, 820, 780};
    static const int risk_nov[] = {740, -1, -1, 710, 730, 705, 720, 750, 710, 720};
    const struct unit *u = &w->units[e->unit];
    int member;

    if (m >= NOVEMBER_2026 - 5 && e->role == ROLE_TOP_AT_RISK)
        return top[m - (NOVEMBER_2026 - 5)];
    if (m >= NOVEMBER_2026 - 5 && e->role == ROLE_TOP_MISS)
        return top_miss[m - (NOVEMBER_2026 - 5)];
    if ((u->story != TEAM_RISK && u->story != TEAM_RISK_MISS) || m < OCTOBER_2026)
        return -1;

    /* Member 0 is the lead, member k + 1 rep seat k. */
    member = e->seat - w->emps[u->head].seat;
    if (u->story == TEAM_RISK)
        return m == OCTOBER_2026 ? risk_oct[member] : risk_nov[member];
    /* SZ01: October 820 (lead), 580 (the leaver), then 840 for every
     * fourth rep and 800 for the others: mean 8.00 over 21. */
    if (m == OCTOBER_2026) {
        if (member == 0)
            return 820;
        if (member == 1)
            return 580;
        return member % 4 == 2 ? 840 : 800;
    }
    /* November: 770 for the lead and odd members, 730 for the even
     * ones: mean 7.50 over the 20 left. */
    if (member == 0 || member % 2)
        return 770;
    return 730;
}

int story_new_customers(const struct unit *u, int m)
{
    static const int falling[] = {6, 5, 4, 3}, falling_miss[] = {6, 5, 4, 4};

    if (m < AUGUST_2026)
        return -1;
    if (u->story == TEAM_FALLING)
        return falling[m - AUGUST_2026];
    if (u->story == TEAM_FALLING_MISS)
        return falling_miss[m - AUGUST_2026];
    return -1;
}

/* The story customers C000001 to C000004: owner team and rep seat, last
 * purchase, product. Orders run every 45 days back to mid-January 2024. */
static const struct {
    const char *team;
    int rep;
    int last[3];
} story_customers[] = {
    {"HZ02", 1, {2026, 6, 2}},
    {"SH02", 1, {2026, 2, 14}},
    {"HZ01", 1, {2026, 6, 3}},
    {"SH01", 1, {2026, 2, 3}},
};
#define NSTORY_CUSTOMERS ((int)(sizeof(story_customers) / sizeof(story_customers[0])))
#define ORDER_STEP 45

static int story_orders_of(int k)
{
    cdate last = demo_date(story_customers[k].last[0], story_customers[k].last[1],
                           story_customers[k].last[2]);

    return (last - demo_date(2024, 1, 15)) / ORDER_STEP + 1;
}

long story_order_count(void)
{
    long n = 0;

    for (int k = 0; k < NSTORY_CUSTOMERS; k++)
        n += story_orders_of(k);
    return n;
}

int story_customer_count(void)
{
    return NSTORY_CUSTOMERS;
}

void story_add_customers(struct demo_world *w)
{
    struct rng r;

    rng_seed(&r, w->opts.seed, 12);
    for (int k = 0; k < NSTORY_CUSTOMERS; k++) {
        int rep = story_rep(w, story_customers[k].team, story_customers[k].rep);
        const struct unit *team = &w->units[w->emps[rep].unit];
        cdate last = demo_date(story_customers[k].last[0], story_customers[k].last[1],
                               story_customers[k].last[2]);
        struct customer *c;

        XGROW(w->custs, w->custs_alloc, w->ncusts + 1);
        c = &w->custs[w->ncusts];
        memset(c, 0, sizeof(*c));
        c->city = team->city;
        c->home_unit = team->parent;
        customer_name_pick(&r, c);
        c->segment = 0;
        c->created = demo_date(2023, 5, 10);
        c->first_date = last - (story_orders_of(k) - 1) * ORDER_STEP;
        c->first_rep = c->owner = rep;
        c->churn = DATE_NONE;
        c->last_purchase = DATE_NONE;
        c->csat = 0;
        c->story = k;
        c->next_first = -1;
        book_add(&w->books[rep], (int)w->ncusts++);
    }
}

long story_write_orders(struct demo_world *w, int emp, int m)
{
    long n = 0;

    for (int k = 0; k < NSTORY_CUSTOMERS; k++) {
        const struct customer *c = &w->custs[k];

        if (c->first_rep != emp)
            continue;
        for (int j = 0; j < story_orders_of(k); j++) {
            cdate day = c->first_date + j * ORDER_STEP;

            if (date_month_index(day) != m)
                continue;
            write_order(w, day, -1, k, emp, 2000000 + 125000 * (j % 7), k, ORDER_COMPLETED);
            n++;
        }
    }
    return n;
}

/* CSAT surveys of the story customers: the date as given and the score. */
static const struct {
    int customer;
    const char *given;
    int score;
} story_surveys[] = {
    {0, "2025-09-10", 780}, {0, "2026-04-18", 690}, {0, "2026-08-20", 550},
    {1, "2025-06-15", 720}, {1, "2026-09-05", 600}, {1, "2026-09-05T15:20:00+08:00", 700},
    {2, "2025-11-02", 820}, {2, "2026-07-01", 500},
    {3, "2025-12-01", 500}, {3, "2026-06-20", 700},
};
#define NSTORY_SURVEYS ((int)(sizeof(story_surveys) / sizeof(story_surveys[0])))

void story_write_customer_surveys(struct demo_world *w, int cust)
{
    FILE *f = w->files[F_CUSTOMER_SURVEYS];
    const struct customer *c = &w->custs[cust];
    char id[32];

    snprintf(id, sizeof(id), "C%06d", cust + 1);
    for (int k = 0; k < NSTORY_SURVEYS; k++) {
        bool after_handover = strcmp(story_surveys[k].given, "2026-07-16") >= 0;

        if (story_surveys[k].customer != c->story)
            continue;
        put_field(f, id, false);
        put_field(f, story_surveys[k].given, false);
        put_money(f, story_surveys[k].score, false);
        put_field(f, w->emps[after_handover ? c->owner : c->first_rep].id, true);
    }
}

/* The story enrolments: team, rep seat (-1: the lead), course,
 * assigned, due and completed dates (completed {0} when open). */
static const struct {
    const char *team;
    int rep;
    const char *course;
    int assigned[3], due[3], completed[3];
    bool fires;
    const char *why;
} story_trainings[] = {
    {"SH01", 1, "C05", {2026, 9, 15}, {2026, 10, 31}, {0}, true, "Overdue by 30 days: not completed."},
    {"HZ02", -1, "C06", {2026, 10, 10}, {2026, 11, 10}, {0}, true, "Overdue by 20 days: not completed."},
    {"SH02", 2, "C05", {2026, 10, 20}, {2026, 11, 20}, {2026, 11, 20}, false,
     "Completed exactly on its due date."},
    {"HZ01", 1, "C05", {2026, 11, 1}, {2026, 11, 30}, {0}, false,
     "Due on the as-of date itself, so not yet overdue."},
    {"GZ01", 0, "C05", {2026, 10, 8}, {2026, 11, 5}, {0}, false,
     "Open past its due date, but the employee left on 2026-11-10."},
};
#define NSTORY_TRAININGS ((int)(sizeof(story_trainings) / sizeof(story_trainings[0])))

int story_training_employee(const struct demo_world *w, int k)
{
    if (story_trainings[k].rep < 0)
        return w->units[story_find_unit(w, story_trainings[k].team)].head;
    return story_rep(w, story_trainings[k].team, story_trainings[k].rep);
}

#define YMD(a) demo_date((a)[0], (a)[1], (a)[2])

void story_write_trainings(struct demo_world *w)
{
    FILE *f = w->files[F_TRAININGS];

    for (int k = 0; k < NSTORY_TRAININGS; k++) {
        bool done = story_trainings[k].completed[0] != 0;

        put_field(f, w->emps[story_training_employee(w, k)].id, false);
        put_field(f, story_trainings[k].course, false);
        put_date(f, YMD(story_trainings[k].assigned), false);
        put_date(f, YMD(story_trainings[k].due), false);
        put_date(f, done ? YMD(story_trainings[k].completed) : DATE_NONE, false);
        put_field(f, done ? "88.50" : "", true);
    }
}

int story_training_count(void)
{
    return NSTORY_TRAININGS;
}

void story_training_info(int k, struct story_training *out)
{
    out->course = story_trainings[k].course;
    out->assigned = YMD(story_trainings[k].assigned);
    out->due = YMD(story_trainings[k].due);
    out->completed = story_trainings[k].completed[0] ? YMD(story_trainings[k].completed) : DATE_NONE;
    out->fires = story_trainings[k].fires;
    out->why = story_trainings[k].why;
}

/* The latest CSAT of story customer k on or before the end date, in
 * hundredths: the mean when several surveys share that date. */
int story_customer_csat(int k, cdate *day)
{
    cdate latest = DATE_NONE;
    int sum = 0, n = 0;

    for (int s = 0; s < NSTORY_SURVEYS; s++) {
        char date[DATE_BUFSIZE];
        cdate d;

        if (story_surveys[s].customer != k)
            continue;
        snprintf(date, sizeof(date), "%.10s", story_surveys[s].given);
        if (date_parse(date, &d))
            BUG("bad story survey date %s", date);
        if (latest == DATE_NONE || d > latest) {
            latest = d;
            sum = n = 0;
        }
        if (d == latest) {
            sum += story_surveys[s].score;
            n++;
        }
    }
    *day = latest;
    return sum / n;
}
