/*
 * End-to-end tests of the warning rules on a hand-made company, each
 * rule next to its boundary, and of the record kept by "cairn alerts
 * run": a warning recorded once, kept while it holds (also across an
 * owner hand-over), acknowledged, resolved by hand, and resolved when it
 * stops holding.
 *
 * The company, evaluated as of 2024-04-30 (month m = 2024-04):
 *   HQ (company, manager M0) -> T1 (team, L1), T2 (team, L2), T3 (team,
 *   no manager). M0, L1, L2 and D1's manager chain sit in HQ itself.
 *   T1: A01..A20 from 2023; A19, A20 leave 2024-03-31; A21, A22 join
 *   2024-04-01; A16, A17, A18 leave 2024-04-30. So T1 has 20 people on
 *   the first and last day of March and of April: attrition 2/20 = 0.10
 *   in March and 3/20 = 0.15 in April, a rise of 0.15 - 0.10 that is
 *   0.04999999999999999 in floating point and must still meet 0.05.
 *   T2: B01..B20; B20 leaves 2024-04-30: attrition 0 -> 1/20 = 0.05, but
 *   satisfaction holds at 7.5 (B01 8 -> 7, B02 7 -> 8).
 *   A01 finds 4, 3, 2, 1 new customers in January to April (T1 falls
 *   three times), B01 3, 2, 1, 1 (T2 does not); the company 7, 5, 3, 2.
 *   April: A01 and B01 each sell 100,000.00; payroll of T1 is 25,000.00
 *   (ratio exactly 0.25), of T2 25,000.01 (0.2500001).
 *   T3: C1 (sales) sells 49,999.99, 10,000.00, 0 in February to April;
 *   C2 (sales) 49,999.99, 50,000.00, 1.00; C3 (sales) is hired
 *   2024-02-02; D1 (team lead) sold 500.00 in January.
 *   Top set for May 2024: six candidates (A01 260,000; B01 250,000; C2;
 *   C1; C3; D1), so the top two: A01 (latest satisfaction 6.99) and B01
 *   (exactly 7.00).
 *   Customers sold to without a seller in 2023: K1 last bought
 *   2023-11-01 (181 days, CSAT 6.99, owner A01 then A03 from April);
 *   K2 2023-11-02 (180 days, CSAT 5, owner A03); K3 (CSAT exactly 7);
 *   K4 (two surveys on its latest day, 6.50 and 7.49: mean 6.995, owner
 *   D1 through customers.owner_id); K5 (owner X1, who left); K6 never
 *   bought (CSAT 3).
 *   Enrolments in course K: A02 due 04-29 open (1 day overdue), A03
 *   completed on its due date, A04 completed on the as-of date, A05 due
 *   on the as-of date, A06 completed after the as-of date (29 days
 *   overdue), A16 (leaves on the as-of date, still employed) 29 days,
 *   A19 (left) open.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delivery_receiver.h"
#include "support.h"

struct fixture {
    char *dir;
    char *data;
    char *db;
};

/* A CSV file built line by line. */
struct text {
    char *buf;
    size_t len;
    FILE *fp;
};

static void text_open(struct text *t, const char *header)
{
    t->buf = NULL;
    t->len = 0;
    t->fp = open_memstream(&t->buf, &t->len);
    fputs(header, t->fp);
}

static void text_write(struct text *t, const char *dir, const char *name)
{
    fclose(t->fp);
    free(write_file(dir, name, t->buf));
    free(t->buf);
}

static void write_org(const char *dir)
{
    struct text e;

    free(write_file(dir, "org_units.csv",
                    "unit_id,name,parent_id,kind,manager_id\n"
                    "HQ,总部,,company,M0\n"
                    "T1,一组,HQ,team,L1\n"
                    "T2,二组,HQ,team,L2\n"
                    "T3,三组,HQ,team,\n"));

    text_open(&e, "employee_id,name,unit_id,position,employment_type,hire_date,leave_date,"
                  "leave_reason,manager_id\n");
    fputs("M0,总经理,HQ,manager,full_time,2020-01-01,,,\n"
          "L1,一组组长,HQ,team_lead,full_time,2020-01-01,,,M0\n"
          "L2,二组组长,HQ,team_lead,full_time,2020-01-01,,,M0\n"
          "D1,三组组长,HQ,team_lead,full_time,2020-01-01,,,M0\n"
          "X1,离职者,T3,support,full_time,2020-01-01,2024-02-01,voluntary,D1\n"
          "C1,销售一,T3,sales,full_time,2023-01-01,,,D1\n"
          "C2,销售二,T3,sales,full_time,2023-01-01,,,D1\n"
          "C3,销售三,T3,sales,full_time,2024-02-02,,,D1\n",
          e.fp);
    for (int i = 1; i <= 22; i++) {
        const char *hire = i >= 21 ? "2024-04-01" : "2023-01-01";
        const char *leave = i >= 19 && i <= 20   ? "2024-03-31"
                            : i >= 16 && i <= 18 ? "2024-04-30"
                                                 : "";

        fprintf(e.fp, "A%02d,甲%02d,T1,%s,full_time,%s,%s,%s,L1\n", i, i,
                i == 1 ? "sales" : "support", hire, leave, *leave ? "voluntary" : "");
    }
    for (int i = 1; i <= 20; i++)
        fprintf(e.fp, "B%02d,乙%02d,T2,%s,full_time,2023-01-01,%s,%s,L2\n", i, i,
                i == 1 ? "sales" : "support", i == 20 ? "2024-04-30" : "",
                i == 20 ? "involuntary" : "");
    text_write(&e, dir, "employees.csv");
}

/* New customers of A01 (T1) and B01 (T2): count per month Jan..Apr, and
 * the amount of each order so that monthly sales are as described. */
static void write_orders(const char *dir)
{
    static const int t1[4] = {4, 3, 2, 1}, t2[4] = {3, 2, 1, 1};
    static const char *const t1_amount[4] = {"10000", "20000", "30000", "100000"};
    static const char *const t2_amount[4] = {"10000", "30000", "60000", "100000"};
    struct text o, c;
    int n = 0;

    text_open(&o, "order_id,order_date,customer_id,employee_id,amount,product,status\n");
    text_open(&c, "customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n");
    for (int m = 0; m < 4; m++) {
        for (int k = 0; k < t1[m]; k++, n++) {
            fprintf(c.fp, "N%02d,新客%02d,,,,A01,\n", n, n);
            fprintf(o.fp, "O%03d,2024-%02d-1%d,N%02d,A01,%s,,completed\n", n, m + 1, k, n,
                    t1_amount[m]);
        }
        for (int k = 0; k < t2[m]; k++, n++) {
            fprintf(c.fp, "N%02d,新客%02d,,,,B01,\n", n, n);
            fprintf(o.fp, "O%03d,2024-%02d-2%d,N%02d,B01,%s,,completed\n", n, m + 1, k, n,
                    t2_amount[m]);
        }
    }
    fputs("P01,2024-02-05,,C1,49999.99,,completed\n"
          "P02,2024-03-05,,C1,10000.00,,completed\n"
          "P03,2024-02-05,,C2,49999.99,,completed\n"
          "P04,2024-03-05,,C2,50000.00,,completed\n"
          "P05,2024-04-05,,C2,1.00,,completed\n"
          "P06,2024-02-10,,C3,1000.00,,completed\n"
          "P07,2024-01-10,,D1,500.00,,completed\n"
          "Q01,2023-11-01,K1,,800.00,,completed\n"
          "Q02,2023-11-02,K2,,800.00,,completed\n"
          "Q03,2023-06-01,K3,,800.00,,completed\n"
          "Q04,2023-06-01,K4,,800.00,,completed\n"
          "Q05,2023-06-01,K5,,800.00,,completed\n",
          o.fp);
    fputs("K1,客户一,,,,A01,\n"
          "K2,客户二,,,,A03,\n"
          "K3,客户三,,,,A03,\n"
          "K4,客户四,,,,D1,\n"
          "K5,客户五,,,,X1,\n"
          "K6,客户六,,,,A03,\n",
          c.fp);
    text_write(&o, dir, "orders.csv");
    text_write(&c, dir, "customers.csv");
}

static const char owners_v1[] = "customer_id,employee_id,start_date,end_date\n"
                                "K1,A01,2023-01-01,2024-03-31\n"
                                "K1,A03,2024-04-01,\n";

/* The hand-over: A03 passes K1 to A04 on 2024-04-30. */
static const char owners_v2[] = "customer_id,employee_id,start_date,end_date\n"
                                "K1,A01,2023-01-01,2024-03-31\n"
                                "K1,A03,2024-04-01,2024-04-29\n"
                                "K1,A04,2024-04-30,\n";

static void write_rest(const char *dir)
{
    free(write_file(dir, "customer_owners.csv", owners_v1));
    free(write_file(dir, "customer_surveys.csv",
                    "customer_id,survey_date,score,employee_id\n"
                    "K1,2024-01-10,6.99,\n"
                    "K2,2024-01-10,5,\n"
                    "K3,2024-01-10,7,\n"
                    "K4,2023-12-01,9,\n"
                    "K4,2024-01-05,6.5,\n"
                    "K4,2024-01-05T10:00:00+08:00,7.49,\n"
                    "K5,2024-01-10,4,\n"
                    "K6,2024-01-10,3,\n"));
    free(write_file(dir, "employee_surveys.csv",
                    "employee_id,survey_date,score\n"
                    "A01,2024-03-25,8\n"
                    "A01,2024-04-25,6.99\n"
                    "B01,2024-03-25,8\n"
                    "B01,2024-04-25,7\n"
                    "B02,2024-03-25,7\n"
                    "B02,2024-04-25,8\n"));
    free(write_file(dir, "payroll.csv",
                    "employee_id,month,base_pay,variable_pay,employer_cost\n"
                    "A01,2024-04,20000,,5000\n"
                    "B01,2024-04,20000,,5000.01\n"));
    free(write_file(dir, "courses.csv", "course_id,name,skill,hours\nK,新人培训,,\n"));
    free(write_file(dir, "trainings.csv",
                    "employee_id,course_id,assigned_date,due_date,completed_date,exam_score\n"
                    "A02,K,2024-03-01,2024-04-29,,\n"
                    "A03,K,2024-03-01,2024-04-29,2024-04-29,\n"
                    "A04,K,2024-03-01,2024-04-29,2024-04-30,\n"
                    "A05,K,2024-03-01,2024-04-30,,\n"
                    "A06,K,2024-03-01,2024-04-01,2024-05-02,\n"
                    "A16,K,2024-03-01,2024-04-01,,\n"
                    "A19,K,2024-03-01,2024-03-20,,\n"));
}

static void run_ok(const char *const *args)
{
    struct run_result r = run_cairn(NULL, NULL, args);

    if (r.status)
        fprintf(stderr, "cairn failed: %s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    f->dir = make_temp_dir();
    f->data = path_join(f->dir, "data");
    f->db = path_join(f->dir, "alerts.db");
    write_org(f->data);
    write_orders(f->data);
    write_rest(f->data);
    run_ok(ARGS("--db", f->db, "init"));
    run_ok(ARGS("--db", f->db, "import", f->data));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    remove_tree(f->dir);
    free(f->dir);
    free(f->data);
    free(f->db);
    free(f);
    return 0;
}

static json_t *alerts(const char *db, const char *as_of)
{
    return run_cairn_json(NULL, ARGS("--db", db, "alerts", "--as-of", as_of, "--format", "json"),
                          0);
}

/* Finds the warning of rule and subject; NULL when absent. */
static json_t *find(json_t *list, const char *rule, const char *subject)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *a = json_array_get(list, i);

        if (!strcmp(json_string_value(json_object_get(a, "rule")), rule) &&
            !strcmp(json_string_value(json_object_get(a, "subject")), subject))
            return a;
    }
    return NULL;
}

static double figure(json_t *a, const char *name, int index)
{
    json_t *v = json_object_get(json_object_get(a, "figures"), name);

    if (index >= 0)
        v = json_array_get(v, (size_t)index);
    if (!json_is_number(v))
        fail_msg("figure %s[%d] is not a number", name, index);
    return json_number_value(v);
}

static void assert_near(double got, double want)
{
    if (fabs(got - want) > 1e-12 * fmax(1.0, fabs(want)))
        fail_msg("expected %.15g, got %.15g", want, got);
}

static const char *text_of(json_t *a, const char *key)
{
    return json_string_value(json_object_get(a, key));
}

/* Every warning as of 2024-04-30, in order: rule, scope, subject. */
static void rules_fire_in_order(void **state)
{
    static const char *const expected[][3] = {
        {"new_customers_falling", "company", "company"},
        {"new_customers_falling", "unit:T1", "T1"},
        {"team_risk", "unit:T1", "T1"},
        {"labor_cost_high", "unit:T2", "T2"},
        {"below_minimum", "employee:C1", "C1"},
        {"top_performer_at_risk", "employee:A01", "A01"},
        {"customer_at_risk", "employee:A03", "K1"},
        {"customer_at_risk", "employee:D1", "K4"},
        {"customer_at_risk", "employee:X1", "K5"},
        {"training_overdue", "employee:A02", "A02/K/2024-03-01"},
        {"training_overdue", "employee:A06", "A06/K/2024-03-01"},
        {"training_overdue", "employee:A16", "A16/K/2024-03-01"},
    };
    struct fixture *f = *state;
    json_t *list = alerts(f->db, "2024-04-30");
    size_t n = sizeof(expected) / sizeof(expected[0]);

    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *a = json_array_get(list, i);

        if (i >= n)
            fail_msg("unexpected warning %s %s", text_of(a, "rule"), text_of(a, "subject"));
        assert_string_equal(text_of(a, "rule"), expected[i][0]);
        assert_string_equal(text_of(a, "scope"), expected[i][1]);
        assert_string_equal(text_of(a, "subject"), expected[i][2]);
    }
    assert_int_equal(json_array_size(list), n);
    json_decref(list);
}

static void unit_rules_figures_and_owners(void **state)
{
    struct fixture *f = *state;
    json_t *list = alerts(f->db, "2024-04-30");
    json_t *company = find(list, "new_customers_falling", "company");
    json_t *t1 = find(list, "new_customers_falling", "T1");
    json_t *risk = find(list, "team_risk", "T1");
    json_t *labor = find(list, "labor_cost_high", "T2");

    assert_non_null(company);
    assert_string_equal(text_of(company, "period"), "2024-04");
    assert_string_equal(text_of(company, "owner"), "M0"); /* the root unit's manager */
    assert_near(figure(company, "new_customers", 0), 7);
    assert_near(figure(company, "new_customers", 3), 2);
    assert_non_null(t1);
    assert_string_equal(text_of(t1, "owner"), "L1");
    assert_near(figure(t1, "new_customers", 0), 4);
    assert_near(figure(t1, "new_customers", 1), 3);
    assert_near(figure(t1, "new_customers", 2), 2);
    assert_near(figure(t1, "new_customers", 3), 1);
    assert_null(find(list, "new_customers_falling", "T2")); /* 3, 2, 1, 1 */

    assert_non_null(risk);
    assert_near(figure(risk, "attrition_rate", 0), 0.10);
    assert_near(figure(risk, "attrition_rate", 1), 0.15);
    assert_near(figure(risk, "employee_satisfaction", 0), 8);
    assert_near(figure(risk, "employee_satisfaction", 1), 6.99);
    assert_null(find(list, "team_risk", "T2")); /* satisfaction held at 7.5 */

    assert_non_null(labor);
    assert_string_equal(text_of(labor, "owner"), "L2");
    assert_near(figure(labor, "labor_cost_ratio", -1), 25000.01 / 100000.0);
    assert_near(figure(labor, "labor_cost", -1), 25000.01);
    assert_near(figure(labor, "sales", -1), 100000);
    assert_null(find(list, "labor_cost_high", "T1"));      /* exactly 0.25 */
    assert_null(find(list, "labor_cost_high", "company")); /* 50,000.01 / 200,001 */
    json_decref(list);
}

static void people_rules_figures_and_owners(void **state)
{
    struct fixture *f = *state;
    json_t *list = alerts(f->db, "2024-04-30");
    json_t *low = find(list, "below_minimum", "C1");
    json_t *top = find(list, "top_performer_at_risk", "A01");
    json_t *k1 = find(list, "customer_at_risk", "K1");
    json_t *k4 = find(list, "customer_at_risk", "K4");
    json_t *k5 = find(list, "customer_at_risk", "K5");
    json_t *a02 = find(list, "training_overdue", "A02/K/2024-03-01");
    json_t *a06 = find(list, "training_overdue", "A06/K/2024-03-01");

    assert_non_null(low);
    assert_string_equal(text_of(low, "owner"), "D1");
    assert_near(figure(low, "sales", 0), 49999.99);
    assert_near(figure(low, "sales", 1), 10000);
    assert_near(figure(low, "sales", 2), 0);
    assert_near(figure(low, "minimum", -1), 50000);
    assert_null(find(list, "below_minimum", "C2")); /* exactly 50,000.00 in March */
    assert_null(find(list, "below_minimum", "C3")); /* hired 2024-02-02 */
    assert_null(find(list, "below_minimum", "D1")); /* not a sales position */

    assert_non_null(top);
    assert_string_equal(text_of(top, "owner"), "L1");
    assert_near(figure(top, "sales_12m", -1), 260000);
    assert_near(figure(top, "satisfaction", -1), 6.99);
    assert_null(find(list, "top_performer_at_risk", "B01")); /* exactly 7.00 */

    assert_non_null(k1);
    assert_string_equal(text_of(k1, "period"), "2024-04-30");
    assert_string_equal(text_of(k1, "owner"), "A03");
    assert_string_equal(json_string_value(json_object_get(json_object_get(k1, "figures"),
                                                          "last_purchase")),
                        "2023-11-01");
    assert_near(figure(k1, "days_since", -1), 181);
    assert_near(figure(k1, "csat", -1), 6.99);
    assert_non_null(k4);
    assert_string_equal(text_of(k4, "owner"), "D1");
    assert_near(figure(k4, "csat", -1), 6.995);
    assert_non_null(k5);
    assert_true(json_is_null(json_object_get(k5, "owner"))); /* X1 has left */
    assert_null(find(list, "customer_at_risk", "K2")); /* exactly 180 days */
    assert_null(find(list, "customer_at_risk", "K3")); /* CSAT exactly 7 */
    assert_null(find(list, "customer_at_risk", "K6")); /* never bought */

    assert_non_null(a02);
    assert_string_equal(text_of(a02, "owner"), "L1");
    assert_string_equal(json_string_value(json_object_get(json_object_get(a02, "figures"),
                                                          "due_date")),
                        "2024-04-29");
    assert_near(figure(a02, "days_overdue", -1), 1);
    assert_non_null(a06);
    assert_near(figure(a06, "days_overdue", -1), 29);
    assert_null(find(list, "training_overdue", "A03/K/2024-03-01")); /* on its due date */
    assert_null(find(list, "training_overdue", "A04/K/2024-03-01")); /* on the as-of date */
    assert_null(find(list, "training_overdue", "A05/K/2024-03-01")); /* due on the as-of date */
    assert_null(find(list, "training_overdue", "A19/K/2024-03-01")); /* left */
    json_decref(list);
}

/* Month m is the latest month that has ended: on 2024-04-29 it is March. */
static void month_is_last_ended(void **state)
{
    struct fixture *f = *state;
    json_t *list = alerts(f->db, "2024-04-29");
    json_t *t1 = find(list, "new_customers_falling", "T1");

    /* December 0, then 4, 3, 2: not falling three times. */
    assert_null(t1);
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *a = json_array_get(list, i);
        const char *period = text_of(a, "period");

        if (strlen(period) == 7)
            assert_string_equal(period, "2024-03");
        else
            assert_string_equal(period, "2024-04-29");
    }
    json_decref(list);
}

/* A higher minimum catches C2 as well; a lower rise threshold T2. */
static void thresholds_come_from_settings(void **state)
{
    struct fixture *f = *state;
    char *copy = path_join(f->dir, "settings.db");
    json_t *list;
    struct run_result r;
    size_t len;
    char *bytes = read_file(f->db, &len);
    FILE *fp = fopen(copy, "wb");

    assert_non_null(bytes);
    assert_non_null(fp);
    assert_int_equal(fwrite(bytes, 1, len, fp), len);
    fclose(fp);
    free(bytes);
    run_ok(ARGS("--db", copy, "config", "alerts.minimum_monthly_sales", "50000.01"));
    run_ok(ARGS("--db", copy, "config", "alerts.labor_cost_ratio_max", "0.2"));
    list = alerts(copy, "2024-04-30");
    assert_non_null(find(list, "below_minimum", "C2"));
    assert_near(figure(find(list, "below_minimum", "C2"), "minimum", -1), 50000.01);
    assert_non_null(find(list, "labor_cost_high", "T1"));
    assert_non_null(find(list, "labor_cost_high", "company"));
    json_decref(list);
    r = run_cairn(NULL, NULL, ARGS("--db", copy, "config", "alerts.attrition_rise", "0.06"));
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    list = alerts(copy, "2024-04-30");
    assert_null(find(list, "team_risk", "T1"));
    json_decref(list);
    free(copy);
}

/* Reads the recorded id and state of a warning from `cairn alerts`. */
static json_int_t recorded_id(const char *db, const char *as_of, const char *rule,
                              const char *subject, char *state, size_t state_size,
                              char *first_seen, char *scope)
{
    json_t *list = alerts(db, as_of);
    json_t *a = find(list, rule, subject);
    json_int_t id;

    assert_non_null(a);
    assert_true(json_is_integer(json_object_get(a, "id")));
    id = json_integer_value(json_object_get(a, "id"));
    snprintf(state, state_size, "%s", text_of(a, "state"));
    snprintf(first_seen, 11, "%s", text_of(a, "first_seen"));
    snprintf(scope, 64, "%s", text_of(a, "scope"));
    json_decref(list);
    return id;
}

static json_t *run_alerts(const char *db, const char *as_of)
{
    return run_cairn_json(NULL,
                          ARGS("--db", db, "alerts", "run", "--as-of", as_of, "--format", "json"),
                          0);
}

static void check_counts(json_t *summary, int added, int held, int resolved)
{
    assert_int_equal(json_integer_value(json_object_get(summary, "new")), added);
    assert_int_equal(json_integer_value(json_object_get(summary, "held")), held);
    assert_int_equal(json_integer_value(json_object_get(summary, "resolved")), resolved);
    json_decref(summary);
}

static void record_lifecycle(void **state)
{
    struct fixture *f = *state;
    char *db = path_join(f->dir, "record.db");
    char *data2 = path_join(f->dir, "owners2");
    char st[32], first[16], scope[64], id_text[32];
    json_int_t k1, a02, a16;
    struct run_result r;

    run_ok(ARGS("--db", db, "init"));
    run_ok(ARGS("--db", db, "import", f->data));

    /* Before any run, warnings carry no record. */
    {
        json_t *list = alerts(db, "2024-04-30");

        assert_null(json_object_get(json_array_get(list, 0), "id"));
        json_decref(list);
    }

    /* First run: twelve new; the same day again: twelve held. */
    check_counts(run_alerts(db, "2024-04-30"), 12, 0, 0);
    check_counts(run_alerts(db, "2024-04-30"), 0, 12, 0);
    k1 = recorded_id(db, "2024-04-30", "customer_at_risk", "K1", st, sizeof(st), first, scope);
    assert_string_equal(st, "new");
    assert_string_equal(first, "2024-04-30");
    assert_string_equal(scope, "employee:A03");
    a02 = recorded_id(db, "2024-04-30", "training_overdue", "A02/K/2024-03-01", st, sizeof(st),
                      first, scope);
    a16 = recorded_id(db, "2024-04-30", "training_overdue", "A16/K/2024-03-01", st, sizeof(st),
                      first, scope);

    /* ack and resolve by hand; an unknown id is refused. */
    snprintf(id_text, sizeof(id_text), "%lld", (long long)a02);
    run_ok(ARGS("--db", db, "alerts", "ack", id_text));
    snprintf(id_text, sizeof(id_text), "%lld", (long long)k1);
    run_ok(ARGS("--db", db, "alerts", "resolve", id_text));
    r = run_cairn(NULL, NULL, ARGS("--db", db, "alerts", "ack", "99999"));
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "99999"));
    run_result_free(&r);
    r = run_cairn(NULL, NULL, ARGS("--db", db, "alerts", "resolve", "x1"));
    assert_int_equal(r.status, 2);
    run_result_free(&r);

    /* K1 is handed over to A04: same warning, new scope, state kept. */
    free(write_file(data2, "customer_owners.csv", owners_v2));
    run_ok(ARGS("--db", db, "import", data2));
    check_counts(run_alerts(db, "2024-04-30"), 0, 12, 0);
    assert_int_equal(recorded_id(db, "2024-04-30", "customer_at_risk", "K1", st, sizeof(st),
                                 first, scope),
                     k1);
    assert_string_equal(st, "resolved");
    assert_string_equal(first, "2024-04-30");
    assert_string_equal(scope, "employee:A04");
    assert_int_equal(recorded_id(db, "2024-04-30", "training_overdue", "A02/K/2024-03-01", st,
                                 sizeof(st), first, scope),
                     a02);
    assert_string_equal(st, "acknowledged");

    /* A day later: A05's enrolment is overdue and K2 silent 181 days
     * (new); A16 left on 2024-04-30, so its warning is resolved. */
    check_counts(run_alerts(db, "2024-05-01"), 2, 11, 1);
    assert_int_equal(recorded_id(db, "2024-05-01", "training_overdue", "A02/K/2024-03-01", st,
                                 sizeof(st), first, scope),
                     a02);
    assert_string_equal(first, "2024-04-30");
    recorded_id(db, "2024-05-01", "customer_at_risk", "K2", st, sizeof(st), first, scope);
    assert_string_equal(st, "new");
    assert_string_equal(first, "2024-05-01");
    (void)a16;

    free(db);
    free(data2);
}

/* New warnings go to the configured robot once; held ones are not sent
 * again. */
static void run_delivers_new_warnings(void **state)
{
    struct fixture *f = *state;
    char *db = path_join(f->dir, "deliver.db");
    char url[128];
    struct receiver rx;
    const struct received_request *req;

    receiver_start(&rx);
    snprintf(url, sizeof(url), "%s/wecom", rx.base_url);
    run_ok(ARGS("--db", db, "init"));
    run_ok(ARGS("--db", db, "import", f->data));
    run_ok(ARGS("--db", db, "config", "delivery.wecom.url", url));
    check_counts(run_alerts(db, "2024-04-30"), 12, 0, 0);
    assert_int_equal(receiver_count(&rx, "/wecom"), 12);
    check_counts(run_alerts(db, "2024-04-30"), 0, 12, 0);
    assert_int_equal(receiver_count(&rx, "/wecom"), 12);

    /* The message links to the warning's page. */
    req = receiver_request(&rx, "/wecom", 0);
    assert_non_null(strstr(req->body, "/#/alerts/"));
    receiver_stop(&rx);
    free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules_fire_in_order),
        cmocka_unit_test(unit_rules_figures_and_owners),
        cmocka_unit_test(people_rules_figures_and_owners),
        cmocka_unit_test(month_is_last_ended),
        cmocka_unit_test(thresholds_come_from_settings),
        cmocka_unit_test(record_lifecycle),
        cmocka_unit_test(run_delivers_new_warnings),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
