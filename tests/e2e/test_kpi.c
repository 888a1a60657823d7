/*
 * End-to-end tests of "cairn kpi" on a small hand-made company, imported
 * with the real "cairn import". Every expected value is worked out by
 * hand in the comment beside its assertion.
 *
 * The company (P = 2024-Q1 unless a test names another period):
 *   HQ (company) -> R1 (region) -> T1, T2 (teams); HQ -> T3 (team).
 *   E1, E10, E9 in T1; E2 in T1 until 2024-03-15, then T2 (assignments);
 *   E3 (temporary, hired 2024-01-31, the last day of a month), E4 (left
 *   2024-02-29, voluntary, the last day of a month), E7 (hired
 *   2024-02-01) in T2; E5 (intern, never sells) in T3; E6 hired
 *   2024-03-05 in T1; E9 left 2024-03-20 (involuntary).
 *   Customer C5 is handed over from E2 to E3 on 2024-03-16.
 *   O14 is a refund, O18 a cancelled order, O15 (2024-02-29T16:30Z) and
 *   O16 (2024-03-01T00:30+08:00) both fall on 1 March in Shanghai, O21
 *   has no customer and O22 no seller. C7's two first purchases fall on
 *   one day (O30 by E7 in T2 wins by order_id over O31 by E10 in T1).
 *   E9 and E10 tie on 2023 sales (500 each) for the top performer.
 *   R1 and T1 have market figures, T2 and T3 none.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "util/tz.h"

static const char org_units_csv[] = "unit_id,name,parent_id,kind,manager_id\n"
                                    "HQ,总部,,company,\n"
                                    "R1,华东大区,HQ,region,\n"
                                    "T1,杭州一组,R1,team,\n"
                                    "T2,杭州二组,R1,team,\n"
                                    "T3,上海一组,HQ,team,\n";

static const char employees_csv[] =
    "employee_id,name,unit_id,position,employment_type,hire_date,leave_date,leave_reason\n"
    "E1,张一,T1,sales,full_time,2023-01-01,,\n"
    "E10,周十,T1,sales,full_time,2023-01-01,,\n"
    "E2,王二,T2,sales,full_time,2023-01-01,,\n"
    "E3,李三,T2,sales,temporary,2024-01-31,,\n"
    "E4,赵四,T2,sales,full_time,2023-06-01,2024-02-29,voluntary\n"
    "E5,钱五,T3,sales,intern,2023-01-01,,\n"
    "E6,吴六,T1,sales,full_time,2024-03-05,,\n"
    "E7,郑七,T2,sales,full_time,2024-02-01,,\n"
    "E9,孙九,T1,sales,full_time,2023-01-01,2024-03-20,involuntary\n";

static const char assignments_csv[] = "employee_id,unit_id,start_date,end_date\n"
                                      "E2,T1,2023-01-01,2024-03-15\n"
                                      "E2,T2,2024-03-16,\n";

static const char customers_csv[] = "customer_id,name,unit_id,segment,market_tier,owner_id,created_date\n"
                                    "C1,甲公司,,,,E1,\n"
                                    "C2,乙公司,,,,E4,\n"
                                    "C3,丙公司,,,,E10,\n"
                                    "C4,丁公司,,,,E7,\n"
                                    "C5,戊公司,,,,E3,\n"
                                    "C6,己公司,,,,E3,\n"
                                    "C7,庚公司,,,,,\n"
                                    "C8,辛公司,,,,,\n";

static const char customer_owners_csv[] = "customer_id,employee_id,start_date,end_date\n"
                                          "C5,E2,2023-06-01,2024-03-15\n"
                                          "C5,E3,2024-03-16,\n";

static const char orders_csv[] = "order_id,order_date,customer_id,employee_id,amount,product,status\n"
                                 "O01,2023-02-10,C1,E1,100.00,,completed\n"
                                 "O02,2023-02-28,C2,E9,500.00,,completed\n"
                                 "O03,2023-03-15,C3,E10,300.00,,completed\n"
                                 "O04,2023-11-20,C1,E10,200.00,,completed\n"
                                 "O05,2023-12-05,C4,E2,400.00,,completed\n"
                                 "O10,2024-01-05,C1,E1,800.00,,completed\n"
                                 "O11,2024-01-20,C5,E2,300.00,,completed\n"
                                 "O12,2024-02-10,C6,E3,250.00,,completed\n"
                                 "O13,2024-02-15,C2,E4,600.00,,completed\n"
                                 "O14,2024-02-20,C2,E4,600.00,,refunded\n"
                                 "O15,2024-02-29T16:30:00Z,C4,E7,150.00,,completed\n"
                                 "O16,2024-03-01T00:30:00+08:00,C1,E2,200.00,,completed\n"
                                 "O17,2024-03-20,C5,E2,700.00,,completed\n"
                                 "O18,2024-03-10,C3,E1,100.00,,cancelled\n"
                                 "O20,2024-05-10,C6,E6,50.00,,completed\n"
                                 "O21,2024-03-28,,E10,90.00,,completed\n"
                                 "O22,2024-03-29,C1,,60.00,,completed\n"
                                 "O30,2024-03-05,C7,E7,40.00,,completed\n"
                                 "O31,2024-03-05,C7,E10,40.00,,completed\n";

static const char courses_csv[] = "course_id,name,skill,hours\n"
                                  "K1,新人培训,,\n"
                                  "K2,产品培训,,\n";

static const char trainings_csv[] =
    "employee_id,course_id,assigned_date,due_date,completed_date,exam_score\n"
    "E3,K1,2024-01-31,2024-02-15,2024-02-10,\n"
    "E7,K1,2024-02-01,2024-02-20,,\n"
    "E6,K1,2024-03-05,2024-03-20,,\n"
    "E1,K2,2024-03-01,2024-03-31,2024-03-31,\n"
    "E4,K2,2024-02-01,2024-03-10,,\n";

static const char employee_surveys_csv[] = "employee_id,survey_date,score\n"
                                           "E1,2024-01-15,8\n"
                                           "E1,2024-03-15,9\n"
                                           "E2,2024-02-10,6.5\n"
                                           "E5,2024-03-01,7\n"
                                           "E4,2024-04-01,5\n";

static const char visits_csv[] = "visit_id,visit_date,employee_id,customer_id,kind\n"
                                 "V1,2024-01-10,E1,C1,\n"
                                 "V2,2024-02-10,E1,C1,\n"
                                 "V3,2024-03-18,E2,C5,\n"
                                 "V4,2024-03-05,E5,,\n";

static const char customer_surveys_csv[] = "customer_id,survey_date,score,employee_id\n"
                                           "C1,2024-02-01,9,\n"
                                           "C2,2024-03-20,5,\n"
                                           "C5,2024-03-10,8,\n"
                                           "C4,2024-03-02,4,\n"
                                           "C3,2024-01-05,6,\n"
                                           "C3,2024-01-05T10:00:00+08:00,7.5,\n"
                                           "C8,2024-02-01,3,\n"
                                           "C3,2024-07-01,9,\n";

static const char payroll_csv[] = "employee_id,month,base_pay,variable_pay,employer_cost\n"
                                  "E1,2024-01,1000,200,100\n"
                                  "E1,2024-02,1000,,100\n"
                                  "E1,2024-03,1000,300,100\n"
                                  "E2,2024-03,800,,\n"
                                  "E5,2024-02,500,,\n";

static const char expenses_csv[] = "expense_id,employee_id,expense_date,category,amount,status\n"
                                   "X1,E1,2024-01-15,travel,100,approved\n"
                                   "X2,E1,2024-02-15,entertainment,50,approved\n"
                                   "X3,E2,2024-03-20,marketing,200,approved\n"
                                   "X4,E3,2024-02-01,travel,30,rejected\n"
                                   "X5,E5,2024-03-01,other,10,approved\n";

static const char market_csv[] = "unit_id,period,market_size\n"
                                 "R1,2024-01,10000\n"
                                 "R1,2024-02,10000\n"
                                 "R1,2024-03,6000\n"
                                 "T1,2024-01,5000\n"
                                 "T1,2024-02,5000\n"
                                 "T1,2024-03,5000\n";

static const char targets_csv[] = "scope_kind,scope_id,period,metric,value\n"
                                  "company,,2024-Q1,sales,2500\n"
                                  "unit,T1,2024-Q1,sales,1500\n"
                                  "unit,T2,2024-Q1,sales,2000\n"
                                  "company,,2024-Q1,labor_cost_ratio,2.0\n"
                                  "company,,2024-Q1,attrition_rate,0.25\n"
                                  "company,,2024-Q1,sales_yoy,-0.5\n";

struct fixture {
    char *dir;
    char *db;
    char *bare_db; /* org, employees, customers and orders only; visits.csv empty */
};

static void import_folder(const char *db, const char *folder)
{
    struct run_result r = run_cairn(NULL, NULL, ARGS("--db", db, "init"));

    assert_int_equal(r.status, 0);
    run_result_free(&r);
    r = run_cairn(NULL, NULL, ARGS("--db", db, "import", folder));
    if (r.status)
        fprintf(stderr, "import failed: %s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char *data, *bare;

    f->dir = make_temp_dir();
    data = path_join(f->dir, "data");
    bare = path_join(f->dir, "bare");
    free(write_file(data, "org_units.csv", org_units_csv));
    free(write_file(data, "employees.csv", employees_csv));
    free(write_file(data, "assignments.csv", assignments_csv));
    free(write_file(data, "customers.csv", customers_csv));
    free(write_file(data, "customer_owners.csv", customer_owners_csv));
    free(write_file(data, "orders.csv", orders_csv));
    free(write_file(data, "courses.csv", courses_csv));
    free(write_file(data, "trainings.csv", trainings_csv));
    free(write_file(data, "employee_surveys.csv", employee_surveys_csv));
    free(write_file(data, "visits.csv", visits_csv));
    free(write_file(data, "customer_surveys.csv", customer_surveys_csv));
    free(write_file(data, "payroll.csv", payroll_csv));
    free(write_file(data, "expenses.csv", expenses_csv));
    free(write_file(data, "market.csv", market_csv));
    free(write_file(data, "targets.csv", targets_csv));
    f->db = path_join(f->dir, "kpi.db");
    import_folder(f->db, data);

    free(write_file(bare, "org_units.csv", org_units_csv));
    free(write_file(bare, "employees.csv", employees_csv));
    free(write_file(bare, "customers.csv", customers_csv));
    free(write_file(bare, "orders.csv", orders_csv));
    free(write_file(bare, "visits.csv", "visit_id,visit_date,employee_id,customer_id,kind\n"));
    f->bare_db = path_join(f->dir, "bare.db");
    import_folder(f->bare_db, bare);

    free(data);
    free(bare);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    remove_tree(f->dir);
    free(f->dir);
    free(f->db);
    free(f->bare_db);
    free(f);
    return 0;
}

static json_t *kpi(const char *db, const char *period, const char *as_of, const char *scope)
{
    return run_cairn_json(NULL,
                          ARGS("--db", db, "kpi", "--period", period, "--as-of", as_of, "--scope",
                               scope, "--format", "json"),
                          0);
}

/* Checks a metric to the 15 significant digits JSON carries. */
static void check_metric(json_t *card, const char *name, double expected)
{
    json_t *v = json_object_get(json_object_get(card, "metrics"), name);

    if (!json_is_number(v))
        fail_msg("%s: expected %.15g, got %s", name, expected, v ? "null" : "nothing");
    if (fabs(json_number_value(v) - expected) > 1e-13 * fmax(1.0, fabs(expected)))
        fail_msg("%s: expected %.15g, got %.15g", name, expected, json_number_value(v));
}

static void check_null(json_t *card, const char *name)
{
    json_t *v = json_object_get(json_object_get(card, "metrics"), name);

    if (!json_is_null(v))
        fail_msg("%s: expected null, got %s", name, v ? "a value" : "nothing");
}

static const char *status_of(json_t *card, const char *name)
{
    return json_string_value(json_object_get(json_object_get(card, "status"), name));
}

static void company_quarter_every_metric(void **state)
{
    struct fixture *f = *state;
    json_t *c = kpi(f->db, "2024-Q1", "2024-06-30", "company");

    assert_string_equal(json_string_value(json_object_get(c, "period")), "2024-Q1");
    assert_string_equal(json_string_value(json_object_get(c, "scope")), "company");
    assert_string_equal(json_string_value(json_object_get(c, "as_of")), "2024-06-30");
    assert_true(json_is_false(json_object_get(c, "partial")));
    assert_int_equal(json_object_size(json_object_get(c, "metrics")), 29);

    /* O10 800 + O11 300 + O12 250 + O13 600 - O14 600 + O15 150 + O16 200
     * + O17 700 + O21 90 + O22 60 + O30 40 + O31 40; O18 cancelled. */
    check_metric(c, "sales", 2630);
    /* 2023-Q1: O01 100 + O02 500 + O03 300 = 900; 2630 / 900 - 1. */
    check_metric(c, "sales_yoy", 2630.0 / 900 - 1);
    /* 2023-Q4: O04 200 + O05 400 = 600. */
    check_metric(c, "sales_pop", 2630.0 / 600 - 1);
    /* Highest units with market rows: R1 (hides T1), 10000 + 10000 + 6000. */
    check_metric(c, "market_share", 2630.0 / 26000);
    /* First purchases in Q1: C5 (O11), C6 (O12), C7 (O30). */
    check_metric(c, "new_customers", 3);
    check_metric(c, "new_customers_per_month", 1);
    /* Purchases in Q1 by C1, C2, C4, C5, C6, C7. */
    check_metric(c, "active_customers", 6);
    check_metric(c, "new_customer_ratio", 0.5);
    /* On 2024-03-31: E1, E2, E3, E5, E6, E7, E10 (E4 and E9 have left). */
    check_metric(c, "headcount", 7);
    /* Jan 1: 6, Jan 31: 7 (E3), Feb 1: 8 (E7), Feb 29: 8 (E4 still there),
     * Mar 1: 7, Mar 31: 7 (E9 left, E6 hired); 43 / 6. */
    check_metric(c, "avg_headcount", 43.0 / 6);
    /* 2630 / (43 / 6) / 3. */
    check_metric(c, "per_capita_sales", 2630.0 * 6 / 43 / 3);
    /* E4 and E9 left in Q1; E4 voluntarily. */
    check_metric(c, "attrition_rate", 2 / (43.0 / 6));
    check_metric(c, "voluntary_attrition_rate", 1 / (43.0 / 6));
    /* Candidates on Jan 1 with 2023 sales: E9 500, E10 500, E2 400, E1 100;
     * top ceil(0.8) = 1: the tie goes to "E10" < "E9", still employed. */
    check_metric(c, "top_performer_retention", 1);
    /* Due in Q1 of employees employed then: E3 done, E7 not, E6 not, E1
     * done on the due date; E4 (left before due) is out. */
    check_metric(c, "training_completion_rate", 0.5);
    /* Hires E3 (sold O12), E7 (sold O15), E6 (O20 is after day 60). */
    check_metric(c, "opening_rate", 2.0 / 3);
    /* Trained: E3, 1 of 1 opened; untrained: E7 and E6, 1 of 2. */
    check_metric(c, "training_lift", 1.0 / 0.5);
    /* Surveys in Q1: 8, 9, 6.5, 7. */
    check_metric(c, "employee_satisfaction", 30.5 / 4);
    /* V1..V4: 4 / (43 / 6) / 3. */
    check_metric(c, "visits_per_head", 4.0 * 6 / 43 / 3);
    /* Bought in 2023: C1, C2, C3, C4; again in Q1: C1, C2, C4. */
    check_metric(c, "repurchase_rate", 0.75);
    /* 9 + 5 + 8 + 4 + 6 + 7.5 + 3 over 7 surveys. */
    check_metric(c, "csat", 42.5 / 7);
    /* Positive customers: C1 1060, C5 1000, C6 250, C4 150, C7 80;
     * top ceil(1) = C1. */
    check_metric(c, "top20_customer_share", 1060.0 / 2630);
    /* C3: latest CSAT on or before the as-of date is the mean
     * (6 + 7.5) / 2 < 7 (its 2024-07-01 survey comes later), last
     * purchase 2023-03-15. */
    check_metric(c, "at_risk_customers", 1);
    /* 1300 + 1100 + 1400 + 800 + 500. */
    check_metric(c, "labor_cost", 5100);
    check_metric(c, "labor_cost_ratio", 5100.0 / 2630);
    check_metric(c, "sales_per_labor_yuan", 2630.0 / 5100);
    /* Approved travel 100 + entertainment 50; all approved 360. */
    check_metric(c, "sales_expense_ratio", 150.0 / 2630);
    check_metric(c, "expense_ratio", 360.0 / 2630);
    /* E3 counted on Jan 31, Feb 1, Feb 29, Mar 1, Mar 31: 5 of 43. */
    check_metric(c, "temporary_share", 5.0 / 43);
    json_decref(c);
}

static void team_move_and_handover(void **state)
{
    struct fixture *f = *state;
    json_t *t1 = kpi(f->db, "2024-Q1", "2024-06-30", "unit:T1");
    json_t *t2 = kpi(f->db, "2024-Q1", "2024-06-30", "unit:T2");

    /* T1: O10 800 + O11 300 + O16 200 (E2 still in T1 on 1 March) + O21 90
     * + O31 40; T2: O12 250 + 600 - 600 + O15 150 + O17 700 (E2 moved)
     * + O30 40. */
    check_metric(t1, "sales", 1430);
    check_metric(t2, "sales", 1140);
    /* T1 2023-Q1 900 and 2023-Q4 600 (E2 was in T1); T2 had none. */
    check_metric(t1, "sales_yoy", 1430.0 / 900 - 1);
    check_metric(t1, "sales_pop", 1430.0 / 600 - 1);
    check_null(t2, "sales_yoy");
    check_null(t2, "sales_pop");
    /* T1's own market rows; T2 has none. */
    check_metric(t1, "market_share", 1430.0 / 15000);
    check_null(t2, "market_share");
    /* C5 first bought from E2 in T1; C6 and C7 (O30 wins the tie) in T2. */
    check_metric(t1, "new_customers", 1);
    check_metric(t2, "new_customers", 2);
    check_metric(t1, "active_customers", 3);
    check_metric(t2, "active_customers", 5);
    check_metric(t1, "headcount", 3);
    check_metric(t2, "headcount", 3);
    /* T1: 4, 4, 4, 4, 4, 3 = 23; T2: 1, 2, 3, 3, 2, 3 = 14. */
    check_metric(t1, "avg_headcount", 23.0 / 6);
    check_metric(t2, "avg_headcount", 14.0 / 6);
    check_metric(t1, "attrition_rate", 1 / (23.0 / 6));
    check_metric(t1, "voluntary_attrition_rate", 0);
    check_metric(t2, "voluntary_attrition_rate", 1 / (14.0 / 6));
    /* T2 has no candidate with 2023 sales (E4 sold nothing). */
    check_metric(t1, "top_performer_retention", 1);
    check_null(t2, "top_performer_retention");
    check_metric(t1, "opening_rate", 0);
    check_metric(t2, "opening_rate", 1);
    check_null(t1, "training_lift");
    check_metric(t2, "training_lift", 1);
    /* E1 8 and 9, E2 6.5 (in T1 on 2024-02-10); none in T2. */
    check_metric(t1, "employee_satisfaction", 23.5 / 3);
    check_null(t2, "employee_satisfaction");
    /* V3 on 2024-03-18 belongs to T2 after the move. */
    check_metric(t1, "visits_per_head", 2 / (23.0 / 6) / 3);
    check_metric(t2, "visits_per_head", 1 / (14.0 / 6) / 3);
    check_metric(t1, "repurchase_rate", 0.75);
    check_null(t2, "repurchase_rate");
    /* C5's survey of 2024-03-10 is E2's (in T1) before the hand-over;
     * C2's owner E4 left, keeping T2; T1: 9 + 8 + 6 + 7.5, T2: 5 + 4. */
    check_metric(t1, "csat", 30.5 / 4);
    check_metric(t2, "csat", 4.5);
    check_metric(t1, "top20_customer_share", 1000.0 / 1430);
    check_metric(t2, "top20_customer_share", 700.0 / 1140);
    check_metric(t1, "at_risk_customers", 1);
    check_metric(t2, "at_risk_customers", 0);
    /* E2's March payroll goes to T2, his unit on 2024-03-31. */
    check_metric(t1, "labor_cost", 3800);
    check_metric(t2, "labor_cost", 800);
    check_metric(t1, "sales_expense_ratio", 150.0 / 1430);
    check_metric(t2, "sales_expense_ratio", 0);
    check_metric(t2, "expense_ratio", 200.0 / 1140);
    check_metric(t2, "temporary_share", 5.0 / 14);
    json_decref(t1);
    json_decref(t2);
}

static void team_without_sales(void **state)
{
    struct fixture *f = *state;
    json_t *t3 = kpi(f->db, "2024-Q1", "2024-06-30", "unit:T3");
    json_t *r1 = kpi(f->db, "2024-Q1", "2024-06-30", "unit:R1");

    check_metric(t3, "sales", 0);
    check_metric(t3, "per_capita_sales", 0);
    check_null(t3, "sales_yoy");
    check_null(t3, "market_share");
    check_null(t3, "new_customer_ratio");
    check_null(t3, "top20_customer_share");
    check_null(t3, "labor_cost_ratio");
    check_null(t3, "sales_expense_ratio");
    check_null(t3, "expense_ratio");
    check_null(t3, "csat");
    /* E5's 500 of payroll, so 0 sales per yuan. */
    check_metric(t3, "labor_cost", 500);
    check_metric(t3, "sales_per_labor_yuan", 0);
    /* E5's own survey and visit. */
    check_metric(t3, "employee_satisfaction", 7);
    check_metric(t3, "visits_per_head", 1.0 / 3);
    check_metric(t3, "headcount", 1);

    /* R1 = T1 + T2; its own market rows hide T1's: 2570 / 26000. */
    check_metric(r1, "sales", 2570);
    check_metric(r1, "market_share", 2570.0 / 26000);
    check_metric(r1, "avg_headcount", 37.0 / 6);
    check_metric(r1, "csat", 39.5 / 6);
    json_decref(t3);
    json_decref(r1);
}

static void employee_scope(void **state)
{
    struct fixture *f = *state;
    json_t *e = kpi(f->db, "2024-Q1", "2024-06-30", "employee:E10");

    /* O21 90 + O31 40; 2023-Q1 O03 300; 2023-Q4 O04 200. */
    check_metric(e, "sales", 130);
    check_metric(e, "sales_yoy", 130.0 / 300 - 1);
    check_metric(e, "sales_pop", 130.0 / 200 - 1);
    check_null(e, "market_share");
    check_metric(e, "headcount", 1);
    check_metric(e, "avg_headcount", 1);
    check_metric(e, "active_customers", 1);
    check_metric(e, "new_customers", 0);
    check_metric(e, "new_customer_ratio", 0);
    check_metric(e, "top_performer_retention", 1);
    /* Sold to C3 and C1 in 2023; only C1 bought again. */
    check_metric(e, "repurchase_rate", 0.5);
    /* E10 owns C3: surveys 6 and 7.5; C3 is at risk. */
    check_metric(e, "csat", 6.75);
    check_metric(e, "at_risk_customers", 1);
    check_metric(e, "top20_customer_share", 40.0 / 130);
    /* The source has rows, none for E10: 0, not null. */
    check_metric(e, "visits_per_head", 0);
    check_metric(e, "labor_cost", 0);
    check_null(e, "sales_per_labor_yuan");
    json_decref(e);
}

static void partial_quarter_leap_day(void **state)
{
    struct fixture *f = *state;
    json_t *c = kpi(f->db, "2024-Q1", "2024-02-29", "company");

    assert_true(json_is_true(json_object_get(c, "partial")));
    /* O10 800 + O11 300 + O12 250 + O13 600 - O14 600; O15 is 1 March. */
    check_metric(c, "sales", 1350);
    /* 2023-01-01..2023-02-28 (29 Feb clamped): O01 100 + O02 500. */
    check_metric(c, "sales_yoy", 1350.0 / 600 - 1);
    /* 2023-10-01..2023-11-29: O04 200. */
    check_metric(c, "sales_pop", 1350.0 / 200 - 1);
    /* Two started months: R1's January and February figures. */
    check_metric(c, "market_share", 1350.0 / 20000);
    check_metric(c, "new_customers_per_month", 2.0 / 2);
    /* E4 is employed on his last day. */
    check_metric(c, "headcount", 8);
    /* 6 + 7 + 8 + 8 over 4 month ends. */
    check_metric(c, "avg_headcount", 29.0 / 4);
    check_metric(c, "attrition_rate", 1 / 7.25);
    /* No hire has had 60 days yet. */
    check_null(c, "opening_rate");
    /* C1 and C2 bought by 2024-02-29, C4 only on 1 March. */
    check_metric(c, "repurchase_rate", 0.5);
    check_metric(c, "top20_customer_share", 800.0 / 1350);
    /* Payroll of January and February only. */
    check_metric(c, "labor_cost", 2900);
    check_metric(c, "visits_per_head", 2 / 7.25 / 2);
    json_decref(c);
}

static void as_of_hides_later_leave(void **state)
{
    struct fixture *f = *state;
    json_t *c = kpi(f->db, "2024-03", "2024-03-10", "company");

    /* E9 leaves on 2024-03-20, after the as-of date: still employed. */
    check_metric(c, "headcount", 8);
    check_metric(c, "attrition_rate", 0);
    /* O15 150 + O16 200 (both 1 March in Shanghai) + O30 40 + O31 40. */
    check_metric(c, "sales", 430);
    json_decref(c);
}

static void at_risk_180_day_limit(void **state)
{
    struct fixture *f = *state;
    json_t *before = kpi(f->db, "2024-08", "2024-08-28", "company");
    json_t *after = kpi(f->db, "2024-08", "2024-08-29", "company");

    /* C4 last bought 2024-03-01: 180 days before 2024-08-28, 181 before
     * 2024-08-29. C2 (2024-02-15) is past the limit on both; C3's latest
     * survey (2024-07-01) scores 9. */
    check_metric(before, "at_risk_customers", 1);
    check_metric(after, "at_risk_customers", 2);
    /* No payroll row in August at all. */
    check_null(after, "labor_cost");
    json_decref(before);
    json_decref(after);
}

static void future_period_has_no_values(void **state)
{
    struct fixture *f = *state;
    json_t *c = kpi(f->db, "2025-01", "2024-08-29", "company");
    json_t *q2 = kpi(f->db, "2024-Q2", "2024-04-10", "company");

    check_null(c, "sales");
    check_null(c, "headcount");
    assert_true(json_is_true(json_object_get(c, "partial")));
    /* April has started but has no payroll or market rows. */
    check_metric(q2, "sales", 0);
    check_null(q2, "labor_cost");
    check_null(q2, "market_share");
    json_decref(c);
    json_decref(q2);
}

static void empty_sources_are_null(void **state)
{
    struct fixture *f = *state;
    json_t *c = kpi(f->bare_db, "2024-Q1", "2024-06-30", "company");

    check_metric(c, "sales", 2630);
    check_metric(c, "headcount", 7);
    /* visits.csv was loaded empty; the other sources never. */
    check_null(c, "visits_per_head");
    check_null(c, "csat");
    check_null(c, "at_risk_customers");
    check_null(c, "employee_satisfaction");
    check_null(c, "training_completion_rate");
    check_null(c, "training_lift");
    check_null(c, "labor_cost");
    check_null(c, "labor_cost_ratio");
    check_null(c, "sales_expense_ratio");
    check_null(c, "market_share");
    check_metric(c, "opening_rate", 2.0 / 3);
    json_decref(c);
}

static void targets_and_status(void **state)
{
    struct fixture *f = *state;
    json_t *c = kpi(f->db, "2024-Q1", "2024-06-30", "company");
    json_t *t1 = kpi(f->db, "2024-Q1", "2024-06-30", "unit:T1");
    json_t *t2 = kpi(f->db, "2024-Q1", "2024-06-30", "unit:T2");
    json_t *targets = json_object_get(c, "targets");
    json_t *sales = json_object_get(targets, "sales");

    /* 2630 / 2500 = 105.2 %: green. */
    assert_int_equal(json_integer_value(json_object_get(sales, "target")), 2500);
    assert_true(fabs(json_number_value(json_object_get(sales, "attainment")) - 1.052) < 1e-13);
    assert_string_equal(status_of(c, "sales"), "green");
    /* Lower is better: 2.0 / (5100 / 2630) = 103.1 %: green. */
    assert_string_equal(status_of(c, "labor_cost_ratio"), "green");
    /* 0.25 / (12 / 43) = 89.6 %: red. */
    assert_true(fabs(json_number_value(json_object_get(
                         json_object_get(targets, "attrition_rate"), "attainment")) -
                     0.25 * 43 / 12) < 1e-13);
    assert_string_equal(status_of(c, "attrition_rate"), "red");
    /* A negative target: no attainment, 1.92 >= -0.5 is green. */
    assert_true(json_is_null(json_object_get(json_object_get(targets, "sales_yoy"), "attainment")));
    assert_string_equal(status_of(c, "sales_yoy"), "green");
    /* Defaults: CSAT 6.07 < 7 red; repurchase 75 % green. */
    assert_string_equal(status_of(c, "csat"), "red");
    assert_string_equal(status_of(c, "repurchase_rate"), "green");
    /* Metrics without target or default have no status. */
    assert_null(status_of(c, "headcount"));
    assert_int_equal(json_object_size(targets), 4);

    /* T1: 1430 / 1500 = 95.3 % amber; CSAT 7.625 amber; labor ratio red. */
    assert_string_equal(status_of(t1, "sales"), "amber");
    assert_string_equal(status_of(t1, "csat"), "amber");
    assert_string_equal(status_of(t1, "labor_cost_ratio"), "red");
    assert_string_equal(status_of(t1, "sales_expense_ratio"), "red");
    /* T2: 1140 / 2000 = 57 % red; no status for its null yoy. */
    assert_string_equal(status_of(t2, "sales"), "red");
    assert_null(status_of(t2, "sales_yoy"));
    json_decref(c);
    json_decref(t1);
    json_decref(t2);
}

static void csv_output(void **state)
{
    struct fixture *f = *state;
    struct run_result r =
        run_cairn(NULL, NULL,
                  ARGS("--db", f->db, "kpi", "--period", "2024-Q1", "--as-of", "2024-06-30",
                       "--format", "csv", "--metrics", "sales_yoy,sales,market_share,headcount"));

    assert_int_equal(r.status, 0);
    /* Rows in catalogue order, whatever the order of --metrics. */
    assert_string_equal(r.out, "metric,value,target,attainment,status\n"
                               "sales,2630,2500,1.052,green\n"
                               "sales_yoy,1.92222222222222,-0.5,,green\n"
                               "market_share,0.101153846153846,,,\n"
                               "headcount,7,,,\n");
    run_result_free(&r);

    r = run_cairn(NULL, NULL,
                  ARGS("--db", f->db, "kpi", "--period", "2024-Q1", "--as-of", "2024-06-30",
                       "--scope", "unit:T2", "--format", "csv", "--metrics", "sales_yoy"));
    assert_string_equal(r.out, "metric,value,target,attainment,status\nsales_yoy,,,,\n");
    run_result_free(&r);
}

static void table_output(void **state)
{
    struct fixture *f = *state;
    struct run_result zh = run_cairn(NULL, NULL,
                                     ARGS("--db", f->db, "kpi", "--period", "2024-Q1", "--as-of",
                                          "2024-06-30", "--scope", "unit:T2"));
    struct run_result en = run_cairn(NULL, NULL,
                                     ARGS("--lang", "en", "--db", f->db, "kpi", "--period",
                                          "2024-Q1", "--as-of", "2024-06-30"));

    assert_int_equal(zh.status, 0);
    assert_non_null(strstr(zh.out, "业绩增长"));
    assert_non_null(strstr(zh.out, "团队效能"));
    assert_non_null(strstr(zh.out, "客户留存"));
    assert_non_null(strstr(zh.out, "成本控制"));
    assert_non_null(strstr(zh.out, "销售额"));
    assert_non_null(strstr(zh.out, "1,140.00"));
    /* T2's year-on-year growth is unavailable. */
    assert_non_null(strstr(zh.out, "\xe2\x80\x94"));
    /* Not a terminal: no colour codes. */
    assert_null(strstr(zh.out, "\033["));

    assert_int_equal(en.status, 0);
    assert_non_null(strstr(en.out, "Growth"));
    assert_non_null(strstr(en.out, "2,630.00"));
    assert_non_null(strstr(en.out, "50.0%"));
    run_result_free(&zh);
    run_result_free(&en);
}

static void usage_errors(void **state)
{
    struct fixture *f = *state;
    static const char *const bad[][2] = {
        {"--metrics", "sales,bogus"},
        {"--period", "2024-13"},
        {"--scope", "team:T1"},
        {"--as-of", "2024-02-30"},
        {"--format", "xml"},
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *period = strcmp(bad[i][0], "--period") ? "2024-Q1" : bad[i][1];
        struct run_result r = run_cairn(
            NULL, NULL,
            ARGS("--db", f->db, "kpi", "--period", period, bad[i][0], bad[i][1]));

        if (r.status != 2)
            fail_msg("%s %s: exit %d, expected 2", bad[i][0], bad[i][1], r.status);
        run_result_free(&r);
    }
}

static void unknown_scope_fails(void **state)
{
    struct fixture *f = *state;
    struct run_result unit = run_cairn(NULL, NULL,
                                       ARGS("--lang", "en", "--db", f->db, "kpi", "--period",
                                            "2024-Q1", "--scope", "unit:NOPE"));
    struct run_result employee = run_cairn(NULL, NULL,
                                           ARGS("--db", f->db, "kpi", "--period", "2024-Q1",
                                                "--scope", "employee:E404"));
    struct run_result missing = run_cairn(NULL, NULL, ARGS("--db", f->db, "kpi"));

    assert_int_equal(unit.status, 1);
    assert_non_null(strstr(unit.err, "unit 'NOPE' not found"));
    assert_int_equal(employee.status, 1);
    assert_int_equal(missing.status, 2);
    run_result_free(&unit);
    run_result_free(&employee);
    run_result_free(&missing);
}

/* Imports one more order and undoes it: the rollups follow both. */
static void import_and_undo_refresh(void **state)
{
    struct fixture *f = *state;
    char *extra = path_join(f->dir, "extra");
    struct run_result r;
    json_t *before, *added, *undone, *report;
    char batch[32];

    free(write_file(extra, "orders.csv",
                    "order_id,order_date,customer_id,employee_id,amount\n"
                    "O40,2024-03-15,C1,E1,1000.00\n"));
    before = kpi(f->db, "2024-Q1", "2024-06-30", "company");
    report = run_cairn_json(NULL, ARGS("--db", f->db, "import", extra, "--format", "json"), 0);
    snprintf(batch, sizeof(batch), "%lld",
             (long long)json_integer_value(json_object_get(report, "batch")));
    json_decref(report);
    added = kpi(f->db, "2024-Q1", "2024-06-30", "company");
    r = run_cairn(NULL, NULL, ARGS("--db", f->db, "imports", "undo", batch));
    if (r.status)
        fprintf(stderr, "%s%s", r.out, r.err);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    undone = kpi(f->db, "2024-Q1", "2024-06-30", "company");

    check_metric(before, "sales", 2630);
    check_metric(added, "sales", 3630);
    check_metric(undone, "sales", 2630);
    json_decref(before);
    json_decref(added);
    json_decref(undone);
    free(extra);
}

static void default_as_of_is_today(void **state)
{
    struct fixture *f = *state;
    struct tz *tz = tz_open("Asia/Shanghai");
    char today[DATE_BUFSIZE];
    json_t *c;

    date_format(tz_today(tz), today);
    tz_close(tz);
    c = run_cairn_json(NULL, ARGS("--db", f->db, "kpi", "--period", "2024-Q1", "--format", "json"),
                       0);
    /* NOTE: fails if the test runs across midnight in Shanghai. */
    assert_string_equal(json_string_value(json_object_get(c, "as_of")), today);
    json_decref(c);
}

static void set_time_zone(const char *db, const char *zone)
{
    struct run_result r = run_cairn(NULL, NULL, ARGS("--db", db, "config", "company.timezone", zone));

    assert_int_equal(r.status, 0);
    run_result_free(&r);
}

/* Changes the company time zone, so it runs last. */
static void time_zone_change_moves_orders(void **state)
{
    struct fixture *f = *state;
    json_t *shanghai, *utc, *back;

    /* Shanghai: February is O12 250 + O13 600 - O14 600. */
    shanghai = kpi(f->db, "2024-02", "2024-06-30", "company");
    check_metric(shanghai, "sales", 250);

    /* In UTC, O15 (16:30Z) and O16 (00:30+08:00) fall on 29 February. */
    set_time_zone(f->db, "UTC");
    utc = kpi(f->db, "2024-02", "2024-06-30", "company");
    check_metric(utc, "sales", 250 + 150 + 200);

    set_time_zone(f->db, "Asia/Shanghai");
    back = kpi(f->db, "2024-02", "2024-06-30", "company");
    check_metric(back, "sales", 250);
    json_decref(shanghai);
    json_decref(utc);
    json_decref(back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(company_quarter_every_metric),
        cmocka_unit_test(team_move_and_handover),
        cmocka_unit_test(team_without_sales),
        cmocka_unit_test(employee_scope),
        cmocka_unit_test(partial_quarter_leap_day),
        cmocka_unit_test(as_of_hides_later_leave),
        cmocka_unit_test(at_risk_180_day_limit),
        cmocka_unit_test(future_period_has_no_values),
        cmocka_unit_test(empty_sources_are_null),
        cmocka_unit_test(targets_and_status),
        cmocka_unit_test(csv_output),
        cmocka_unit_test(table_output),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(unknown_scope_fails),
        cmocka_unit_test(import_and_undo_refresh),
        cmocka_unit_test(default_as_of_is_today),
        cmocka_unit_test(time_zone_change_moves_orders),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
