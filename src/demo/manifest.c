/*
 * The story manifest of a generated demo company, as JSON:
 *
 *   {"seed", "size", "first_day", "last_day", "as_of", "month",
 *    "stories": [{"rule", "fires", "scope", "period", "subject", "owner",
 *                 "figures", "story"}],
 *    "alerts": [...],        the warnings that must fire as of the end
 *                            date, in the shape and order of
 *                            "cairn alerts --format json"
 *    "leavers": [...],       designated leavers and their warning signs
 *    "onboarding": {...}}    opening rate of trained and other new hires
 *
 * Every figure is computed from the generated rows (the same sums the
 * metric definitions take), not copied from the plan, so a manifest that
 * disagrees with the plan shows a generator bug.
 */
#include <stdlib.h>
#include <string.h>

#include "demo/internal.h"
#include "util/xalloc.h"

#define MONTH_M (2026 * 12 + 10) /* 2026-11 */

static const char *const rule_order[] = {
    "new_customers_falling", "team_risk", "labor_cost_high", "below_minimum",
    "top_performer_at_risk", "customer_at_risk", "training_overdue",
};

static json_t *emp_id(const struct demo_world *w, int e)
{
    return e >= 0 ? json_string(w->emps[e].id) : json_null();
}

static json_t *yuan(int64_t fen)
{
    return json_real((double)fen / 100.0);
}

static json_t *date_json(cdate d)
{
    char buf[DATE_BUFSIZE];

    date_format(d, buf);
    return json_string(buf);
}

/* Appends a story; a firing one also goes to alerts, without "fires"
 * and "story". */
static void add_story(json_t *stories, json_t *alerts, const char *rule, bool fires,
                      const char *scope, const char *period, const char *subject, json_t *owner,
                      json_t *figures, const char *text)
{
    json_t *s = json_pack("{s:s, s:b, s:s, s:s, s:s, s:o, s:o, s:s}", "rule", rule, "fires",
                          fires, "scope", scope, "period", period, "subject", subject, "owner",
                          owner, "figures", figures, "story", text);

    if (fires)
        json_array_append_new(alerts, json_pack("{s:s, s:s, s:s, s:s, s:O, s:O}", "rule", rule,
                                                "scope", scope, "period", period, "subject",
                                                subject, "owner", owner, "figures", figures));
    json_array_append_new(stories, s);
}

/* Employees of unit u on day d (members only: the unit's own people). */
static int headcount(const struct demo_world *w, int u, cdate d)
{
    int n = 0;

    for (int j = w->member_start[u]; j < w->member_start[u + 1]; j++) {
        const struct employee *e = &w->emps[w->members[j]];

        if (employed_on(e, d) && unit_on(w, e, d) == u)
            n++;
    }
    return n;
}

static double attrition(const struct demo_world *w, int u, int m)
{
    double avg = (headcount(w, u, date_month_first(m)) + headcount(w, u, date_month_last(m))) / 2.0;
    int leavers = 0;

    for (int j = w->member_start[u]; j < w->member_start[u + 1]; j++) {
        const struct employee *e = &w->emps[w->members[j]];

        if (e->leave != DATE_NONE && date_month_index(e->leave) == m && unit_on(w, e, e->leave) == u)
            leavers++;
    }
    return leavers / avg;
}

static double satisfaction(const struct demo_world *w, int u, int m)
{
    cdate day = date_month_first(m) + 24;
    long sum = 0, n = 0;

    for (int j = w->member_start[u]; j < w->member_start[u + 1]; j++) {
        int i = w->members[j];
        int s = w->scores[(size_t)i * w->nmonths + (size_t)(m - w->first_month)];

        if (s >= 0 && employed_on(&w->emps[i], day) && unit_on(w, &w->emps[i], day) == u) {
            sum += s;
            n++;
        }
    }
    return (double)sum / (double)n / 100.0;
}

static void team_stories(struct demo_world *w, json_t *stories, json_t *alerts)
{
    static const struct {
        const char *team;
        const char *rule;
        bool fires;
        const char *text;
    } teams[] = {
        {"HZ01", "new_customers_falling", true,
         "New customers of the team fell three months in a row: 6, 5, 4, 3."},
        {"SH01", "new_customers_falling", false,
         "New customers fell only twice (6, 5, 4), then held at 4."},
        {"GZ01", "team_risk", true,
         "Two reps left in November after months of falling satisfaction; the team's "
         "satisfaction fell from 7.60 to 7.23."},
        {"SZ01", "team_risk", false,
         "One of 21 people left in November: attrition rose 4.88 points, under the 5-point "
         "threshold, although satisfaction fell."},
        {"HZ03", "labor_cost_high", true,
         "November sales slumped to 60,000 per rep while payroll stayed: labor cost ratio 28.85 %."},
        {"SH03", "labor_cost_high", false,
         "Labor cost ratio exactly 25 %: 70,500 of payroll on 282,000 of sales."},
    };
    char scope[32];

    for (size_t k = 0; k < sizeof(teams) / sizeof(teams[0]); k++) {
        int u = story_find_unit(w, teams[k].team);
        json_t *figures;

        snprintf(scope, sizeof(scope), "unit:%s", teams[k].team);
        if (!strcmp(teams[k].rule, "new_customers_falling")) {
            json_int_t counts[4] = {0};

            for (size_t c = 0; c < w->ncusts; c++) {
                const struct customer *cu = &w->custs[c];
                int m = date_month_index(cu->first_date);

                if (m >= MONTH_M - 3 && m <= MONTH_M &&
                    unit_on(w, &w->emps[cu->first_rep], cu->first_date) == u)
                    counts[m - (MONTH_M - 3)]++;
            }
            figures = json_pack("{s:[I,I,I,I]}", "new_customers", counts[0], counts[1], counts[2],
                                counts[3]);
        } else if (!strcmp(teams[k].rule, "team_risk")) {
            figures = json_pack("{s:[f,f], s:[f,f]}", "attrition_rate",
                                attrition(w, u, MONTH_M - 1), attrition(w, u, MONTH_M),
                                "employee_satisfaction", satisfaction(w, u, MONTH_M - 1),
                                satisfaction(w, u, MONTH_M));
        } else {
            int64_t labor = 0, sales = 0, base, variable, employer;

            for (int j = w->member_start[u]; j < w->member_start[u + 1]; j++) {
                const struct employee *e = &w->emps[w->members[j]];

                if (unit_on(w, e, date_month_last(MONTH_M)) != u)
                    continue;
                if (payroll_row(w, e, MONTH_M, &base, &variable, &employer))
                    labor += base + variable + employer;
                sales += w->sales[(size_t)w->members[j] * w->nmonths +
                                  (size_t)(MONTH_M - w->first_month)];
            }
            figures = json_pack("{s:f, s:o, s:o}", "labor_cost_ratio", (double)labor / (double)sales,
                                "labor_cost", yuan(labor), "sales", yuan(sales));
        }
        add_story(stories, alerts, teams[k].rule, teams[k].fires, scope, "2026-11", teams[k].team,
                  emp_id(w, w->units[u].head), figures, teams[k].text);
    }
}

static int64_t sales_of(const struct demo_world *w, int e, int m)
{
    return w->sales[(size_t)e * w->nmonths + (size_t)(m - w->first_month)];
}

static int64_t sales_12m(const struct demo_world *w, int e)
{
    int64_t s = 0;

    for (int m = MONTH_M - 11; m <= MONTH_M; m++)
        s += sales_of(w, e, m);
    return s;
}

static const struct demo_world *rank_world;
static int64_t *rank_sales;

static int compare_rank(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    if (rank_sales[x] != rank_sales[y])
        return rank_sales[x] > rank_sales[y] ? -1 : 1;
    return strcmp(rank_world->emps[x].id, rank_world->emps[y].id);
}

/* The 1-based rank of e among the top-performer candidates as of the
 * day after month m, and the size of the top set. */
static int top_rank(const struct demo_world *w, int e, int *top_size)
{
    int *cand = xmalloc(w->nemps * sizeof(*cand)), n = 0, rank = 0;
    cdate day = date_month_last(MONTH_M) + 1;

    rank_world = w;
    rank_sales = xcalloc(w->nemps, sizeof(*rank_sales));
    for (size_t i = 0; i < w->nemps; i++) {
        rank_sales[i] = sales_12m(w, (int)i);
        if (employed_on(&w->emps[i], day) && rank_sales[i] > 0)
            cand[n++] = (int)i;
    }
    qsort(cand, (size_t)n, sizeof(*cand), compare_rank);
    for (int k = 0; k < n; k++)
        if (cand[k] == e)
            rank = k + 1;
    *top_size = (n + 4) / 5;
    free(rank_sales);
    free(cand);
    return rank;
}

static void employee_stories(struct demo_world *w, json_t *stories, json_t *alerts)
{
    char scope[32];

    /* below_minimum: HZ01 and SH01's first reps. */
    for (int k = 0; k < 2; k++) {
        int e = story_rep(w, k == 0 ? "HZ01" : "SH01", 0);
        json_t *figures = json_pack("{s:[o,o,o], s:i}", "sales", yuan(sales_of(w, e, MONTH_M - 2)),
                                    yuan(sales_of(w, e, MONTH_M - 1)), yuan(sales_of(w, e, MONTH_M)),
                                    "minimum", 50000);

        snprintf(scope, sizeof(scope), "employee:%s", w->emps[e].id);
        add_story(stories, alerts, "below_minimum", k == 0, scope, "2026-11", w->emps[e].id,
                  emp_id(w, w->emps[e].manager), figures,
                  k == 0 ? "A rep sold under 50,000 in each of September, October and November."
                         : "A rep sold exactly 50,000.00 in October, so not every month is below "
                           "the minimum.");
    }

    /* top_performer_at_risk: HZ02 and SH02's first reps. */
    for (int k = 0; k < 2; k++) {
        int e = story_rep(w, k == 0 ? "HZ02" : "SH02", 0), top_size;
        int rank = top_rank(w, e, &top_size);
        int score = w->scores[(size_t)e * w->nmonths + (size_t)(MONTH_M - w->first_month)];
        json_t *figures = json_pack("{s:o, s:f}", "sales_12m", yuan(sales_12m(w, e)),
                                    "satisfaction", score / 100.0);

        if (rank < 1 || rank > top_size)
            BUG("top performer story: rank %d outside the top %d", rank, top_size);
        snprintf(scope, sizeof(scope), "employee:%s", w->emps[e].id);
        add_story(stories, alerts, "top_performer_at_risk", k == 0, scope, "2026-11",
                  w->emps[e].id, emp_id(w, w->emps[e].manager), figures,
                  k == 0 ? "The company's top seller's satisfaction fell from 8.60 to 6.40 since "
                           "June."
                         : "A top seller's satisfaction fell to exactly 7.00, not below 7.");
    }
}

static void customer_stories(struct demo_world *w, json_t *stories, json_t *alerts)
{
    static const char *const texts[] = {
        "A key account silent for 181 days whose latest CSAT is 5.50.",
        "A key account silent for 289 days, handed over when its owner left in July; its two "
        "surveys of 2026-09-05 average 6.50.",
        "Silent for exactly 180 days (not more) with CSAT 5.00.",
        "Silent for 300 days, but its latest CSAT is exactly 7.00.",
    };
    char scope[32], subject[16];

    for (int k = 0; k < story_customer_count(); k++) {
        const struct customer *c = &w->custs[k];
        cdate survey;
        int csat = story_customer_csat(k, &survey);
        int days = w->last_day - c->last_purchase;
        bool fires = days > 180 && csat < 700;
        bool employed = employed_on(&w->emps[c->owner], w->last_day);

        snprintf(scope, sizeof(scope), "employee:%s", w->emps[c->owner].id);
        snprintf(subject, sizeof(subject), "C%06d", k + 1);
        add_story(stories, alerts, "customer_at_risk", fires, scope, DEMO_LAST_DAY, subject,
                  employed ? emp_id(w, c->owner) : json_null(),
                  json_pack("{s:o, s:i, s:f}", "last_purchase", date_json(c->last_purchase),
                            "days_since", days, "csat", csat / 100.0),
                  texts[k]);
    }
}

static void training_stories(struct demo_world *w, json_t *stories, json_t *alerts)
{
    char scope[32], subject[64], assigned[DATE_BUFSIZE];

    for (int k = 0; k < story_training_count(); k++) {
        struct story_training t;
        int e = story_training_employee(w, k);

        story_training_info(k, &t);
        date_format(t.assigned, assigned);
        snprintf(scope, sizeof(scope), "employee:%s", w->emps[e].id);
        snprintf(subject, sizeof(subject), "%s/%s/%s", w->emps[e].id, t.course, assigned);
        add_story(stories, alerts, "training_overdue", t.fires, scope, DEMO_LAST_DAY, subject,
                  emp_id(w, w->emps[e].manager),
                  json_pack("{s:o, s:i}", "due_date", date_json(t.due), "days_overdue",
                            w->last_day - t.due),
                  t.why);
    }
}

static int rule_rank(const char *rule)
{
    for (size_t k = 0; k < sizeof(rule_order) / sizeof(rule_order[0]); k++)
        if (!strcmp(rule, rule_order[k]))
            return (int)k;
    return 99;
}

static int compare_alerts(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = rule_rank(json_string_value(json_object_get(x, "rule"))) -
            rule_rank(json_string_value(json_object_get(y, "rule")));

    if (c)
        return c;
    c = strcmp(json_string_value(json_object_get(x, "scope")),
               json_string_value(json_object_get(y, "scope")));
    if (c)
        return c;
    return strcmp(json_string_value(json_object_get(x, "subject")),
                  json_string_value(json_object_get(y, "subject")));
}

/* Sorts a JSON array of alerts as "cairn alerts" orders them. */
static json_t *sorted_alerts(json_t *alerts)
{
    size_t n = json_array_size(alerts);
    json_t **items = xmalloc((n + 1) * sizeof(*items));
    json_t *out = json_array();

    for (size_t i = 0; i < n; i++)
        items[i] = json_array_get(alerts, i);
    qsort(items, n, sizeof(*items), compare_alerts);
    for (size_t i = 0; i < n; i++)
        json_array_append(out, items[i]);
    free(items);
    json_decref(alerts);
    return out;
}

/* The designated leavers: satisfaction and sales over the six months
 * before they left, and their base salary against their peers'. */
static json_t *leavers(struct demo_world *w)
{
    json_t *list = json_array();
    int64_t peer_sum = 0, peers = 0;

    for (size_t i = 0; i < w->nemps; i++) {
        const struct employee *e = &w->emps[i];

        if (e->position == POS_SALES && e->leave == DATE_NONE && e->employment == EMP_FULL_TIME &&
            e->role == ROLE_NONE) {
            peer_sum += e->base_salary;
            peers++;
        }
    }
    for (size_t i = 0; i < w->nemps; i++) {
        const struct employee *e = &w->emps[i];
        int last = date_month_index(e->leave);
        json_t *sat = json_array(), *sales = json_array();

        if (e->role != ROLE_LEAVER) {
            json_decref(sat);
            json_decref(sales);
            continue;
        }
        for (int m = last - 6; m < last; m++) {
            int s = w->scores[i * (size_t)w->nmonths + (size_t)(m - w->first_month)];

            json_array_append_new(sat, s >= 0 ? json_real(s / 100.0) : json_null());
            json_array_append_new(sales, yuan(sales_of(w, (int)i, m)));
        }
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "employee", e->id, "unit",
                            w->units[e->unit].id, "leave_date", date_json(e->leave), "leave_reason",
                            "voluntary", "satisfaction_6m", sat, "sales_6m", sales,
                            "base_salary", yuan(e->base_salary), "peer_mean_base_salary",
                            yuan(peers ? peer_sum / peers : 0)));
    }
    return list;
}

/* Opening rate (a purchase within 60 days of hire) of the sales hires
 * who completed onboarding on time and of the others. */
static json_t *onboarding(struct demo_world *w)
{
    long hires[2] = {0}, opened[2] = {0};

    for (size_t i = 0; i < w->nemps; i++) {
        const struct employee *e = &w->emps[i];

        if (e->position != POS_SALES || e->hire < w->first_day || e->hire + 60 > w->last_day)
            continue;
        hires[e->trained]++;
        if (w->first_sale[i] != DATE_NONE && w->first_sale[i] <= e->hire + 60)
            opened[e->trained]++;
    }
    return json_pack("{s:{s:I, s:I}, s:{s:I, s:I}}", "trained", "hires", (json_int_t)hires[1],
                     "opened", (json_int_t)opened[1], "untrained", "hires", (json_int_t)hires[0],
                     "opened", (json_int_t)opened[0]);
}

json_t *story_manifest(struct demo_world *w)
{
    json_t *stories = json_array(), *alerts = json_array();

    team_stories(w, stories, alerts);
    employee_stories(w, stories, alerts);
    customer_stories(w, stories, alerts);
    training_stories(w, stories, alerts);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "seed",
                     (json_int_t)w->opts.seed, "size", demo_size_name(w->opts.size), "first_day",
                     DEMO_FIRST_DAY, "last_day", DEMO_LAST_DAY, "as_of", DEMO_LAST_DAY, "month",
                     "2026-11", "stories", stories, "alerts", sorted_alerts(alerts), "leavers",
                     leavers(w), "onboarding", onboarding(w));
}
