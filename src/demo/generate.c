/*
 * The demo generator's driver: runs the phases in order over one world,
 * streams the 16 canonical files into the output folder, and frees
 * everything. Also the small helpers every phase shares (attribution on
 * a day, seasons, CSV fields).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "demo/internal.h"
#include "util/decimal.h"
#include "util/i18n.h"
#include "util/xalloc.h"

_Static_assert(F_COUNT == DEMO_NFILES, "one file name per enum demo_file");

/* Order rows of each size. */
static const long target_orders[] = {5000, 100000, 1000000};

const char *const demo_file_names[DEMO_NFILES] = {
    "org_units.csv", "employees.csv", "assignments.csv", "customers.csv",
    "customer_owners.csv", "orders.csv", "visits.csv", "customer_surveys.csv",
    "employee_surveys.csv", "courses.csv", "trainings.csv", "skills.csv",
    "payroll.csv", "expenses.csv", "targets.csv", "market.csv",
};

int demo_size_parse(const char *s, enum demo_size *out)
{
    static const char *const names[] = {"small", "medium", "large"};

    for (int i = 0; i < 3; i++)
        if (!strcmp(s, names[i])) {
            *out = (enum demo_size)i;
            return 0;
        }
    return -1;
}

const char *demo_size_name(enum demo_size size)
{
    static const char *const names[] = {"small", "medium", "large"};

    return names[size];
}

cdate demo_date(int y, int m, int d)
{
    cdate out;

    if (date_from_ymd(y, m, d, &out))
        BUG("invalid demo date %d-%d-%d", y, m, d);
    return out;
}

bool employed_on(const struct employee *e, cdate d)
{
    return e->hire <= d && (e->leave == DATE_NONE || d <= e->leave);
}

int unit_on(const struct demo_world *w, const struct employee *e, cdate d)
{
    (void)w;
    if (e->prev_unit >= 0 && d < e->move_date)
        return e->prev_unit;
    return e->unit;
}

int season_percent(int month_index)
{
    /* Year-end peak, a summer lull; Chinese New Year fell on 2024-02-10,
     * 2025-01-29 and 2026-02-17. */
    static const int by_month[12] = {95, 90, 100, 100, 102, 108, 95, 95, 100, 98, 115, 130};
    int year = month_index / 12, month = month_index % 12 + 1;
    int p = by_month[month - 1];

    if ((year == 2024 && month == 2) || (year == 2026 && month == 2))
        p = p * 60 / 100;
    if (year == 2025 && month == 1)
        p = p * 65 / 100;
    if (year == 2025 && month == 2)
        p = p * 85 / 100;
    return p;
}

void put_field(FILE *f, const char *s, bool last)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

void put_date(FILE *f, cdate d, bool last)
{
    char buf[DATE_BUFSIZE];

    if (d == DATE_NONE) {
        fputc(last ? '\n' : ',', f);
        return;
    }
    date_format(d, buf);
    put_field(f, buf, last);
}

void put_money(FILE *f, int64_t fen, bool last)
{
    char buf[DECIMAL_BUFSIZE];

    decimal_format(fen, buf);
    put_field(f, buf, last);
}

void put_int(FILE *f, long v, bool last)
{
    fprintf(f, "%ld%c", v, last ? '\n' : ',');
}

static int open_files(struct demo_world *w, const char *dir, struct strbuf *err)
{
    struct strbuf path = STRBUF_INIT;

    for (int i = 0; i < F_COUNT; i++) {
        sb_setf(&path, "%s/%s", dir, demo_file_names[i]);
        w->files[i] = fopen(path.buf, "w");
        if (!w->files[i]) {
            sb_addf(err, _("cannot write %s: %s"), path.buf, strerror(errno));
            sb_release(&path);
            return -1;
        }
        setvbuf(w->files[i], NULL, _IOFBF, 1 << 16);
    }
    sb_release(&path);
    return 0;
}

/* Closes every file; returns -1 with a message when one failed. */
static int close_files(struct demo_world *w, const char *dir, struct strbuf *err)
{
    int rc = 0;

    for (int i = 0; i < F_COUNT; i++) {
        if (!w->files[i])
            continue;
        if ((ferror(w->files[i]) | fclose(w->files[i])) && rc == 0) {
            sb_addf(err, _("cannot write %s/%s: %s"), dir, demo_file_names[i], strerror(errno));
            rc = -1;
        }
        w->files[i] = NULL;
    }
    return rc;
}

static void free_world(struct demo_world *w)
{
    for (size_t i = 0; w->books && i < w->nemps; i++)
        free(w->books[i].items);
    free(w->books);
    free(w->units);
    free(w->seats);
    free(w->emps);
    free(w->custs);
    free(w->handovers);
    free(w->quota);
    free(w->first_head);
    free(w->firsts);
    free(w->sales);
    free(w->city_sales);
    free(w->scores);
    free(w->first_sale);
    free(w->members);
    free(w->member_start);
}

int demo_generate(const char *dir, const struct demo_options *opts, struct demo_counts *counts,
                  json_t **stories, struct strbuf *err)
{
    struct demo_world w;
    size_t cells;
    int rc = -1;

    memset(&w, 0, sizeof(w));
    w.opts = *opts;
    w.first_day = demo_date(2024, 1, 1);
    w.last_day = demo_date(2026, 11, 30);
    w.first_month = date_month_index(w.first_day);
    w.nmonths = date_month_index(w.last_day) - w.first_month + 1;

    /* The organisation and its people, then the plan of the sales. */
    org_build(&w);
    people_build(&w);
    plan_customers(&w);
    plan_quotas(&w, target_orders[opts->size]);
    cells = w.nemps * (size_t)w.nmonths;
    w.sales = xcalloc(cells, sizeof(*w.sales));
    w.city_sales = xcalloc((size_t)demo_ncities * (size_t)w.nmonths, sizeof(*w.city_sales));
    w.scores = xmalloc(cells * sizeof(*w.scores));
    memset(w.scores, 0xff, cells * sizeof(*w.scores));
    w.first_sale = xmalloc((w.nemps + 1) * sizeof(*w.first_sale));
    for (size_t i = 0; i < w.nemps; i++)
        w.first_sale[i] = DATE_NONE;

    /* The files, in the order their inputs become known. */
    if (open_files(&w, dir, err))
        goto out;
    write_org_units(&w);
    write_employees(&w);
    sales_run(&w);
    write_customers(&w);
    write_customer_surveys(&w);
    write_payroll(&w);
    write_employee_surveys(&w);
    write_courses(&w);
    write_trainings(&w);
    write_skills(&w);
    write_targets(&w);
    write_market(&w);
    if (close_files(&w, dir, err))
        goto out;

    counts->units = (long)w.nunits;
    counts->employees = (long)w.nemps;
    counts->customers = (long)w.ncusts;
    counts->orders = w.norders;
    if (stories)
        *stories = story_manifest(&w);
    rc = 0;
out:
    close_files(&w, dir, err);
    free_world(&w);
    return rc;
}
