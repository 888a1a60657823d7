/*
 * Shared state of the demo generator. Generation runs in phases over one
 * struct demo_world: the organisation and its people (org.c), the plan
 * of every customer's first purchase and each rep's monthly order
 * quota (plan.c), the month-by-month sales simulation that streams
 * orders, visits and expenses (sales.c), and the files written from the
 * results (people.c, hr.c, extras.c). stories.c fixes the planted
 * stories. Money is in fen, scores in hundredths, dates are cdate.
 */
#ifndef CAIRN_DEMO_INTERNAL_H
#define CAIRN_DEMO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "demo/demo.h"
#include "demo/rng.h"
#include "util/date.h"
#include <jansson.h>

enum unit_kind { KIND_COMPANY, KIND_REGION, KIND_CITY, KIND_TEAM };

enum position { POS_SALES, POS_LEAD, POS_MANAGER, POS_SUPPORT, POS_HR, POS_FINANCE, POS_OTHER };

enum employment { EMP_FULL_TIME, EMP_TEMPORARY, EMP_INTERN };

enum leave_reason { LEAVE_NONE, LEAVE_VOLUNTARY, LEAVE_INVOLUNTARY };

/*
 * Roles of the people, teams and customers that carry a planted story.
 * Every story subject is fixed (no random turnover) so that its figures
 * hold for every seed and size.
 */
enum story_role {
    ROLE_NONE = 0,
    ROLE_FIXED,          /* a story team member without a story of their own */
    ROLE_BELOW_MIN,      /* three months under the minimum */
    ROLE_BELOW_MIN_MISS, /* exactly the minimum in one month */
    ROLE_TOP_AT_RISK,    /* top performer, satisfaction down to 6.40 */
    ROLE_TOP_MISS,       /* top performer, satisfaction exactly 7.00 */
    ROLE_LABOR_REP,      /* rep of a labor-cost story team, exact November */
    ROLE_LEAVER,         /* designated leaver with warning signs */
    ROLE_CUSTOMER_OWNER, /* owner of an at-risk story customer */
    ROLE_TRAINING,       /* subject of a training story */
};

enum team_story {
    TEAM_PLAIN = 0,
    TEAM_FALLING,      /* new customers 6, 5, 4, 3 */
    TEAM_FALLING_MISS, /* new customers 6, 5, 4, 4 */
    TEAM_RISK,         /* two leavers in November, satisfaction down */
    TEAM_RISK_MISS,    /* one leaver among 21, rise 4.88 points */
    TEAM_LABOR,        /* labor cost ratio 0.2885 */
    TEAM_LABOR_MISS,   /* labor cost ratio exactly 0.25 */
    TEAM_STORY_PLAIN,  /* a story team without a team story */
};

struct unit {
    char id[12];
    char name[40];
    int parent;   /* unit index, -1 for the root */
    int kind;     /* enum unit_kind */
    int city;     /* index in the city table; -1 above cities */
    int head;     /* the seat of the unit's head, -1 when none */
    int story;    /* enum team_story */
    int nreps;    /* sales seats (teams) */
};

struct employee {
    char id[16];
    char name[16];
    int seat;
    int unit;       /* current unit (the last one for a leaver) */
    int prev_unit;  /* unit before move_date, -1 when never moved */
    cdate move_date;
    int position;   /* enum position */
    int employment; /* enum employment */
    cdate hire, leave; /* leave is DATE_NONE while employed */
    int reason;        /* enum leave_reason */
    int manager;       /* employee index, -1 when none */
    int64_t base_salary;
    int productivity; /* percent of the standard monthly sales */
    cdate ramp;       /* first selling day of a sales rep, DATE_NONE otherwise */
    bool trained;     /* completed onboarding on time */
    int satisfaction; /* usual survey score, hundredths */
    int role;         /* enum story_role */
    int story_index;  /* which subject of that role (0, 1, ...) */
};

struct seat {
    int unit;
    int position;
    int role;
    int story_index;
    int first;  /* employee indices of the occupants, in hire order */
    int count;
};

struct customer {
    int city;        /* home city (index in the city table) */
    int home_unit;   /* unit index of the home city */
    int name_a, name_b, name_kind;
    int segment;
    cdate created;
    cdate first_date;   /* planned first purchase */
    int first_rep;      /* seller of the first purchase, the first owner */
    int owner;          /* current owner */
    cdate churn;        /* no purchases from this day on; DATE_NONE: never */
    cdate last_purchase;
    int csat;           /* usual CSAT, hundredths */
    int story;          /* index of a story customer, -1 for the others */
    int next_first;     /* next customer with the same first rep-month */
};

/* One owner hand-over: from this day on, the customer belongs to owner. */
struct handover {
    int customer;
    int owner;
    cdate start;
};

/* A customer book: the customers an employee owns. */
struct book {
    int *items;
    size_t len, alloc;
};

enum demo_file {
    F_ORG_UNITS, F_EMPLOYEES, F_ASSIGNMENTS, F_CUSTOMERS, F_CUSTOMER_OWNERS, F_ORDERS,
    F_VISITS, F_CUSTOMER_SURVEYS, F_EMPLOYEE_SURVEYS, F_COURSES, F_TRAININGS, F_SKILLS,
    F_PAYROLL, F_EXPENSES, F_TARGETS, F_MARKET, F_COUNT
};

struct demo_world {
    struct demo_options opts;
    cdate first_day, last_day;
    int first_month, nmonths; /* month indexes of the data */

    struct unit *units;
    size_t nunits, units_alloc;
    struct seat *seats;
    size_t nseats, seats_alloc;
    struct employee *emps;
    size_t nemps, emps_alloc;
    struct customer *custs;
    size_t ncusts, custs_alloc;
    struct handover *handovers;
    size_t nhandovers, handovers_alloc;
    struct book *books; /* per employee */

    /* Per employee and month (index emp * nmonths + month offset). */
    int16_t *quota;      /* order rows of background orders */
    int32_t *first_head; /* first customer planned for that rep-month, -1 */
    int16_t *firsts;     /* how many */
    int64_t *sales;      /* sales contributions credited, fen */
    int64_t *city_sales; /* per city and month */
    int16_t *scores;     /* employee survey score per month, -1 for none */
    cdate *first_sale;   /* first purchase credited to each employee */
    int ncities;

    /* Employees who ever belong to each unit (current or earlier team),
     * unit u's from member_start[u] to member_start[u + 1]. */
    int *members, *member_start;

    long norders, nvisits, nexpenses;
    FILE *files[F_COUNT];
};

/* Helpers shared by the phases (generate.c). */
static inline int month_offset(const struct demo_world *w, cdate d)
{
    return date_month_index(d) - w->first_month;
}
int unit_on(const struct demo_world *w, const struct employee *e, cdate d);
bool employed_on(const struct employee *e, cdate d);
cdate demo_date(int y, int m, int d);
/* The percent factor of a month's sales: seasons and Chinese New Year. */
int season_percent(int month_index);
/* Writes one CSV field (quoted when needed) and the separator after it. */
void put_field(FILE *f, const char *s, bool last);
void put_date(FILE *f, cdate d, bool last);
void put_money(FILE *f, int64_t fen, bool last);
void put_int(FILE *f, long v, bool last);

/* names.c */
struct city_info {
    const char *code, *name, *tier;
    int region;
};
extern const struct city_info demo_cities[];
extern const int demo_ncities;
extern const char *const demo_regions[][2]; /* id, name */
extern const int demo_nregions;
void team_name(const char *city, int number, char *out, size_t size);
void person_name(struct rng *r, char *out, size_t size);
void customer_name(const struct customer *c, char *out, size_t size);
void customer_name_pick(struct rng *r, struct customer *c);
extern const char *const demo_products[];
extern const int demo_nproducts;

/* org.c */
void org_build(struct demo_world *w);
int org_add_unit(struct demo_world *w, const char *id, const char *name, int parent, int kind,
                 int city, int story);

/* people.c */
void people_build(struct demo_world *w);
int write_org_units(struct demo_world *w);
int write_employees(struct demo_world *w);

/* plan.c */
void book_add(struct book *b, int customer);
/* The days of month m on which rep e can sell: [*lo, *hi]; false when
 * there are none. */
bool selling_window(const struct demo_world *w, const struct employee *e, int m, cdate *lo,
                    cdate *hi);
void plan_customers(struct demo_world *w);
void plan_quotas(struct demo_world *w, long target_orders);

/* sales.c */
enum order_status { ORDER_COMPLETED, ORDER_CANCELLED, ORDER_REFUNDED };
/* Writes one order row with the next order id and credits its sales
 * contribution to the seller, the seller's city and, for a purchase,
 * the customer's last purchase. customer and emp may be -1; minute is
 * the local time of a timestamped order_date, or -1 for a plain date. */
void write_order(struct demo_world *w, cdate day, int minute, int customer, int emp,
                 int64_t amount, int product, int status);
void sales_run(struct demo_world *w);
int write_customers(struct demo_world *w);

/* hr.c */
/* The payroll row of e for month m: *base, *variable, *employer in fen;
 * false when e is not employed in m. */
bool payroll_row(const struct demo_world *w, const struct employee *e, int m, int64_t *base,
                 int64_t *variable, int64_t *employer);
void write_courses(struct demo_world *w);
void write_payroll(struct demo_world *w);
void write_employee_surveys(struct demo_world *w);
void write_trainings(struct demo_world *w);
void write_skills(struct demo_world *w);

/* extras.c */
void write_customer_surveys(struct demo_world *w);
void write_targets(struct demo_world *w);
void write_market(struct demo_world *w);

/* stories.c */
/* The fixed stories: team layout, exact monthly sales, survey scores,
 * story customers with their orders and surveys, story enrolments. */
int story_team_reps(int team_story);
/* Exact monthly sales (fen) of a story rep in a month, or -1 when the
 * month is not fixed. */
int64_t story_exact_sales(const struct demo_world *w, const struct employee *e, int month_index);
/* Fixed employee-survey score of a story subject or story-team member in
 * a month, or -1 when random. member is the index among the team's
 * members in seat order. */
int story_employee_score(const struct demo_world *w, const struct employee *e, int month_index);
/* New customers planned for a team in a month, or -1 for the usual plan. */
int story_new_customers(const struct unit *u, int month_index);
int story_customer_count(void);
/* Adds the story customers (with their owners) to the world. */
void story_add_customers(struct demo_world *w);
/* Writes the orders of the story customers sold by emp in month m;
 * returns the rows written. */
long story_write_orders(struct demo_world *w, int emp, int month_index);
long story_order_count(void);
void story_write_customer_surveys(struct demo_world *w, int cust);
void story_write_trainings(struct demo_world *w);
int story_find_unit(const struct demo_world *w, const char *id);
/* The first occupant of rep seat k of a story team. */
int story_rep(const struct demo_world *w, const char *team, int k);
int story_training_employee(const struct demo_world *w, int k);
struct story_training {
    const char *course;
    cdate assigned, due, completed;
    bool fires;
    const char *why;
};
int story_training_count(void);
/* The latest CSAT (hundredths) of story customer k and its date. */
int story_customer_csat(int k, cdate *day);
void story_training_info(int k, struct story_training *out);

/* manifest.c: the stories as JSON, figures computed from the data. */
json_t *story_manifest(struct demo_world *w);

#endif
