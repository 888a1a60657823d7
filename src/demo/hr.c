/*
 * The demo's HR files: payroll (base pay raised each year, 3 % sales
 * commission, employer cost at 32 % of base pay), monthly pulse surveys
 * of employee satisfaction, courses and enrolments, and skill
 * assessments. Voluntary leavers' satisfaction falls over the months
 * before they leave; background enrolments due before the end date are
 * always completed by then, so only the planted ones are overdue.
 */
#include <stdio.h>

#include "demo/internal.h"

/* Base pay of a year, in percent of today's base salary. */
static int year_percent(int month_index)
{
    int year = month_index / 12;

    return year <= 2024 ? 92 : year == 2025 ? 96 : 100;
}

bool payroll_row(const struct demo_world *w, const struct employee *e, int m, int64_t *base,
                 int64_t *variable, int64_t *employer)
{
    cdate lo = date_month_first(m), hi = date_month_last(m);
    int dim = hi - lo + 1, days;

    if (e->hire > hi || (e->leave != DATE_NONE && e->leave < lo))
        return false;
    if (e->hire > lo)
        lo = e->hire;
    if (e->leave != DATE_NONE && e->leave < hi)
        hi = e->leave;
    days = hi - lo + 1;
    *base = e->base_salary * year_percent(m) / 100 * days / dim;
    *variable = 0;
    if (e->position == POS_SALES) {
        int64_t sales = w->sales[(size_t)(e - w->emps) * w->nmonths + (size_t)(m - w->first_month)];

        *variable = sales > 0 ? sales * 3 / 100 : 0;
    }
    *employer = *base * 32 / 100;
    return true;
}

void write_payroll(struct demo_world *w)
{
    FILE *f = w->files[F_PAYROLL];
    char month[8];

    fputs("employee_id,month,base_pay,variable_pay,employer_cost\n", f);
    for (size_t i = 0; i < w->nemps; i++) {
        for (int mo = 0; mo < w->nmonths; mo++) {
            int64_t base, variable, employer;

            if (!payroll_row(w, &w->emps[i], w->first_month + mo, &base, &variable, &employer))
                continue;
            date_month_format(w->first_month + mo, month);
            put_field(f, w->emps[i].id, false);
            put_field(f, month, false);
            put_money(f, base, false);
            put_money(f, variable, false);
            put_money(f, employer, true);
        }
    }
}

/*
 * Monthly pulse surveys on the 25th. Most employees answer; in the last
 * month everyone does, and a background employee's last score is at
 * least 7.20, so that only planted top performers are at risk.
 */
void write_employee_surveys(struct demo_world *w)
{
    FILE *f = w->files[F_EMPLOYEE_SURVEYS];
    struct rng r;

    rng_seed(&r, w->opts.seed, 6);
    fputs("employee_id,survey_date,score\n", f);
    for (size_t i = 0; i < w->nemps; i++) {
        const struct employee *e = &w->emps[i];

        for (int mo = 0; mo < w->nmonths; mo++) {
            int m = w->first_month + mo, score;
            cdate day = date_month_first(m) + 24;
            bool last = mo == w->nmonths - 1;

            if (!employed_on(e, day))
                continue;
            score = story_employee_score(w, e, m);
            if (score < 0) {
                if (!last && !rng_chance(&r, 850))
                    continue;
                score = e->satisfaction + (int)rng_range(&r, -60, 60);
                if (e->reason == LEAVE_VOLUNTARY && date_month_index(e->leave) - m < 6)
                    score -= (6 - (date_month_index(e->leave) - m)) * 45;
                if (last && score < 720)
                    score = 720 + (int)rng_range(&r, 0, 60);
                score = score < 0 ? 0 : score > 1000 ? 1000 : score;
            }
            w->scores[i * (size_t)w->nmonths + (size_t)mo] = (int16_t)score;
            put_field(f, e->id, false);
            put_date(f, day, false);
            put_money(f, score, true);
        }
    }
}

void write_courses(struct demo_world *w)
{
    static const char *const rows[] = {
        "C01,新人销售训练营,客户开发,16\n", "C02,合规与反商业贿赂,合规,2\n",
        "C03,产品知识进阶,产品知识,8\n",    "C04,谈判技巧,谈判技巧,6.5\n",
        "C05,CRM系统操作,系统操作,4\n",     "C06,管理者领导力,团队管理,12\n",
    };

    fputs("course_id,name,skill,hours\n", w->files[F_COURSES]);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        fputs(rows[i], w->files[F_COURSES]);
}

/*
 * The completion day of an enrolment, or DATE_NONE. ontime is the
 * chance in permille of finishing by the due date; a late finisher
 * still finishes before the end date when the due date is before it.
 */
static cdate completion(const struct demo_world *w, struct rng *r, const struct employee *e,
                        cdate assigned, cdate due, int ontime)
{
    cdate done = rng_chance(r, ontime) ? assigned + (cdate)rng_range(r, 1, due - assigned)
                                       : due + (cdate)rng_range(r, 1, 40);

    if (e->leave != DATE_NONE && done > e->leave)
        return DATE_NONE;
    if (done >= w->last_day)
        return due < w->last_day ? w->last_day - 1 : DATE_NONE;
    return done;
}

static void enrol(struct demo_world *w, struct rng *r, const struct employee *e, const char *course,
                  cdate assigned, cdate due, cdate done)
{
    FILE *f = w->files[F_TRAININGS];

    put_field(f, e->id, false);
    put_field(f, course, false);
    put_date(f, assigned, false);
    put_date(f, due, false);
    put_date(f, done, false);
    if (done != DATE_NONE)
        put_money(f, rng_range(r, 6000, 9850), true);
    else
        put_field(f, "", true);
}

void write_trainings(struct demo_world *w)
{
    struct rng r;

    rng_seed(&r, w->opts.seed, 7);
    fputs("employee_id,course_id,assigned_date,due_date,completed_date,exam_score\n",
          w->files[F_TRAININGS]);
    for (size_t i = 0; i < w->nemps; i++) {
        const struct employee *e = &w->emps[i];
        bool seller = e->position == POS_SALES || e->position == POS_LEAD;
        bool leader = e->position == POS_LEAD || e->position == POS_MANAGER;
        cdate a, due;

        /* Onboarding: due three weeks after the hire; the trained hires
         * (see people.c) finish on time and open orders sooner. */
        if (e->position == POS_SALES && e->hire >= w->first_day) {
            cdate done = e->trained ? e->hire + (cdate)rng_range(&r, 5, 21)
                                    : completion(w, &r, e, e->hire, e->hire + 21, 0);

            if (done != DATE_NONE && done > w->last_day)
                done = DATE_NONE;
            enrol(w, &r, e, "C01", e->hire, e->hire + 21, done);
        }
        /* Yearly compliance course in March. */
        for (int y = 2024; y <= 2026; y++) {
            a = demo_date(y, 3, 1);
            if (employed_on(e, a))
                enrol(w, &r, e, "C02", a, demo_date(y, 3, 31),
                      completion(w, &r, e, a, demo_date(y, 3, 31), 880));
        }
        a = demo_date(2024, 7, 1);
        if (employed_on(e, a))
            enrol(w, &r, e, "C05", a, demo_date(2024, 7, 31),
                  completion(w, &r, e, a, demo_date(2024, 7, 31), 900));
        a = demo_date(2025, 5, 12);
        if (seller && employed_on(e, a))
            enrol(w, &r, e, "C03", a, demo_date(2025, 6, 30),
                  completion(w, &r, e, a, demo_date(2025, 6, 30), 850));
        a = demo_date(2025, 10, 8);
        if (leader && employed_on(e, a))
            enrol(w, &r, e, "C06", a, demo_date(2025, 12, 31),
                  completion(w, &r, e, a, demo_date(2025, 12, 31), 900));
        /* Negotiation: due after the end date, so still open for many. */
        a = demo_date(2026, 9, 1);
        due = demo_date(2026, 12, 15);
        if (e->position == POS_SALES && employed_on(e, a))
            enrol(w, &r, e, "C04", a, due,
                  rng_chance(&r, 450) ? (cdate)rng_range(&r, a + 4, w->last_day - 2) : DATE_NONE);
    }
    story_write_trainings(w);
}

void write_skills(struct demo_world *w)
{
    static const char *const skills[] = {"产品知识", "谈判技巧", "客户开发"};
    FILE *f = w->files[F_SKILLS];
    struct rng r;

    rng_seed(&r, w->opts.seed, 8);
    fputs("employee_id,skill,score,assessed_date\n", f);
    for (size_t i = 0; i < w->nemps; i++) {
        const struct employee *e = &w->emps[i];

        if (e->position != POS_SALES && e->position != POS_LEAD)
            continue;
        for (int y = 2024; y <= 2026; y++) {
            cdate day = demo_date(y, 6, 30);
            int prod = e->productivity > 200 ? 200 : e->productivity;

            if (!employed_on(e, day))
                continue;
            for (int s = 0; s < 3; s++) {
                int score = 4500 + prod * 20 + (y - 2024) * 300 + (int)rng_range(&r, -800, 800);

                put_field(f, e->id, false);
                put_field(f, skills[s], false);
                put_money(f, score > 10000 ? 10000 : score, false);
                put_date(f, day, true);
            }
        }
    }
}
