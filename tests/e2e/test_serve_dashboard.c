/*
 * End-to-end tests of the dashboard's data routes. They cover the unit
 * tree in pinyin order, series, teams, orders with paging, the employee
 * and customer pages with field visibility, and the CSV downloads with
 * their translated file names. Each route gets 403 outside the caller's
 * scope and 404 for unknown ids. Expected values are computed by hand
 * from the rows inserted in setup.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "http.h"
#include "server.h"
#include "support.h"

#include "db/db.h"

#define PASSWORD "secret-pass-1"

struct fixture {
    char *dir;
    char *db_path;
    struct test_server server;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct strbuf err = STRBUF_INIT;
    struct db *db;

    f->dir = make_temp_dir();
    f->db_path = path_join(f->dir, "cairn.db");
    if (db_open(&db, f->db_path, DB_OPEN_CREATE, &err))
        fail_msg("db_open: %s", err.buf);
    /* 杭州 (hang) sorts before 上海 (shang) in pinyin, after it by code point. */
    if (db_exec(db,
                "INSERT INTO org_units (unit_id, name, parent_id, kind) VALUES"
                " ('C', '公司', NULL, 'company'), ('X', '上海', 'C', 'city'),"
                " ('Y', '杭州', 'C', 'city'), ('TA', '上海一组', 'X', 'team'),"
                " ('TB', '杭州一组', 'Y', 'team');"
                "INSERT INTO employees (employee_id, name, unit_id, hire_date, base_salary,"
                " email, phone) VALUES"
                " ('E1', '李', 'TA', '2023-01-01', 800000, 'e1@example.com', '100'),"
                " ('E2', '王', 'TA', '2023-01-01', 700000, 'e2@example.com', '200'),"
                " ('E3', '赵', 'TB', '2023-01-01', 600000, 'e3@example.com', '300');"
                "INSERT INTO customers (customer_id, name, unit_id, owner_id) VALUES"
                " ('K1', '甲公司', 'X', 'E1'), ('K2', '=乙公司', 'Y', 'E3');"
                "INSERT INTO customer_owners (customer_id, employee_id, start_date, end_date)"
                " VALUES ('K1', 'E2', '2023-01-01', '2023-12-31'), ('K1', 'E1', '2024-01-01', NULL);"
                "INSERT INTO customer_surveys (customer_id, survey_date_given, survey_date, score,"
                " employee_id) VALUES ('K1', '2024-03-20', '2024-03-20', 850, 'E1');"
                "INSERT INTO orders (order_id, order_date, order_date_given, customer_id,"
                " employee_id, amount, status) VALUES"
                " ('O1', '2024-03-05', '2024-03-05', 'K1', 'E1', 100000, 'completed'),"
                " ('O2', '2024-03-10', '2024-03-10', 'K1', 'E2', 25050, 'completed'),"
                " ('O3', '2024-03-12', '2024-03-12', 'K1', 'E2', 5000, 'refunded'),"
                " ('O4', '2024-03-15', '2024-03-15', 'K2', 'E3', 70000, 'cancelled'),"
                " ('O5', '2024-02-20', '2024-02-20', 'K1', 'E1', 12345, 'completed');",
                &err))
        fail_msg("insert: %s", err.buf);
    db_close(db);
    sb_release(&err);
    test_user_add(f->db_path, "boss", "gm", NULL, PASSWORD);
    test_user_add(f->db_path, "tina", "team_lead", "unit:TA", PASSWORD);
    test_user_add(f->db_path, "fay", "finance", NULL, PASSWORD);
    test_user_add(f->db_path, "li", "rep", "employee:E1", PASSWORD);
    test_server_start(&f->server, f->db_path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(test_server_stop(&f->server), 0);
    remove_tree(f->dir);
    free(f->dir);
    free(f->db_path);
    free(f);
    return 0;
}

/* Logs in and returns a Cookie header value with the session and the
 * page language ("zh-CN", "en" or "ja"). */
static char *log_in(const struct fixture *f, const char *login, const char *lang)
{
    char *session = test_log_in(&f->server, login, PASSWORD, NULL);
    struct strbuf cookie = STRBUF_INIT;

    sb_addf(&cookie, "%s; cairn_lang=%s", session, lang);
    free(session);
    return sb_detach(&cookie);
}

/* GETs path and returns its JSON body; fails unless the status is 200. */
static json_t *get_json(const struct fixture *f, const char *cookie, const char *path)
{
    struct http h = http_request(f->server.base_url, "GET", path, NULL, cookie, NULL);
    json_t *v;

    if (h.status != 200)
        fail_msg("GET %s: %ld %s", path, h.status, h.body);
    v = json_loads(h.body, 0, NULL);
    assert_non_null(v);
    http_free(&h);
    return v;
}

static void get_error(const struct fixture *f, const char *cookie, const char *path, long status,
                      const char *code)
{
    struct http h = http_request(f->server.base_url, "GET", path, NULL, cookie, NULL);

    http_assert_error(&h, status, code);
    http_free(&h);
}

static const char *str_at(json_t *v, const char *key)
{
    return json_string_value(json_object_get(v, key));
}

static double num_at(json_t *v, const char *key)
{
    return json_number_value(json_object_get(v, key));
}

static void units_in_pinyin_order(void **state)
{
    struct fixture *f = *state;
    char *zh = log_in(f, "boss", "zh-CN"), *en = log_in(f, "boss", "en");
    json_t *v, *roots, *cities;

    v = get_json(f, zh, "/api/v1/units");
    roots = json_object_get(v, "units");
    assert_int_equal(json_array_size(roots), 1);
    assert_string_equal(str_at(json_array_get(roots, 0), "id"), "C");
    cities = json_object_get(json_array_get(roots, 0), "children");
    assert_int_equal(json_array_size(cities), 2);
    assert_string_equal(str_at(json_array_get(cities, 0), "name"), "杭州");
    assert_string_equal(str_at(json_array_get(cities, 1), "name"), "上海");
    json_decref(v);

    v = get_json(f, en, "/api/v1/units");
    cities = json_object_get(json_array_get(json_object_get(v, "units"), 0), "children");
    assert_string_equal(str_at(json_array_get(cities, 0), "name"), "上海");
    assert_string_equal(str_at(json_array_get(cities, 1), "name"), "杭州");
    json_decref(v);
    free(zh);
    free(en);
}

/* Japanese collation orders kanji by their reading: 杭 (kou) before 上
 * (jou), unlike the code-point order that the English collation keeps. */
static void units_in_japanese_order(void **state)
{
    struct fixture *f = *state;
    char *ja = log_in(f, "boss", "ja");
    json_t *v, *cities;

    v = get_json(f, ja, "/api/v1/units");
    cities = json_object_get(json_array_get(json_object_get(v, "units"), 0), "children");
    assert_int_equal(json_array_size(cities), 2);
    assert_string_equal(str_at(json_array_get(cities, 0), "name"), "杭州");
    assert_string_equal(str_at(json_array_get(cities, 1), "name"), "上海");
    json_decref(v);
    free(ja);
}

static void units_limited_to_scope(void **state)
{
    struct fixture *f = *state;
    char *lead = log_in(f, "tina", "zh-CN"), *rep = log_in(f, "li", "zh-CN");
    json_t *v, *roots;

    v = get_json(f, lead, "/api/v1/units");
    roots = json_object_get(v, "units");
    assert_int_equal(json_array_size(roots), 1);
    assert_string_equal(str_at(json_array_get(roots, 0), "id"), "TA");
    json_decref(v);
    v = get_json(f, rep, "/api/v1/units");
    assert_int_equal(json_array_size(json_object_get(v, "units")), 0);
    json_decref(v);

    v = get_json(f, lead, "/api/v1/units/TA");
    assert_int_equal(json_array_size(json_object_get(v, "employees")), 2);
    assert_string_equal(str_at(json_array_get(json_object_get(v, "employees"), 0), "email"),
                        "e1@example.com");
    assert_string_equal(str_at(v, "parent_name"), "上海");
    json_decref(v);
    get_error(f, lead, "/api/v1/units/TB", 403, "forbidden");
    get_error(f, lead, "/api/v1/units/NOPE", 403, "forbidden");
    free(lead);
    free(rep);

    lead = log_in(f, "boss", "zh-CN");
    get_error(f, lead, "/api/v1/units/NOPE", 404, "not_found");
    free(lead);
}

static void orders_attributed_and_paged(void **state)
{
    struct fixture *f = *state;
    char *boss = log_in(f, "boss", "zh-CN"), *lead = log_in(f, "tina", "zh-CN");
    json_t *v, *orders;

    /* TA in March: O1 1000.00 + O2 250.50 - O3 50.00 (refunded). */
    v = get_json(f, boss, "/api/v1/orders?scope=unit:TA&period=2024-03");
    assert_int_equal(json_integer_value(json_object_get(v, "total")), 3);
    assert_true(num_at(v, "sales") == 1200.5);
    orders = json_object_get(v, "orders");
    assert_int_equal(json_array_size(orders), 3);
    assert_string_equal(str_at(json_array_get(orders, 0), "order_id"), "O3");
    assert_string_equal(str_at(json_array_get(orders, 0), "status"), "refunded");
    assert_string_equal(str_at(json_array_get(orders, 1), "order_id"), "O2");
    assert_true(num_at(json_array_get(orders, 1), "amount") == 250.5);
    assert_string_equal(str_at(json_array_get(orders, 1), "employee"), "王");
    assert_string_equal(str_at(json_array_get(orders, 2), "order_id"), "O1");
    json_decref(v);

    v = get_json(f, boss, "/api/v1/orders?scope=unit:TA&period=2024-03&page=2&page_size=2");
    orders = json_object_get(v, "orders");
    assert_int_equal(json_array_size(orders), 1);
    assert_string_equal(str_at(json_array_get(orders, 0), "order_id"), "O1");
    json_decref(v);

    /* The company: O4 is cancelled, so it counts nothing. */
    v = get_json(f, boss, "/api/v1/orders?period=2024-03");
    assert_int_equal(json_integer_value(json_object_get(v, "total")), 4);
    assert_true(num_at(v, "sales") == 1200.5);
    json_decref(v);

    /* The lead's own scope by default; another team is refused. */
    v = get_json(f, lead, "/api/v1/orders?period=2024-Q1");
    assert_string_equal(str_at(v, "scope"), "unit:TA");
    assert_int_equal(json_integer_value(json_object_get(v, "total")), 4);
    json_decref(v);
    get_error(f, lead, "/api/v1/orders?period=2024-03&scope=unit:TB", 403, "forbidden");
    get_error(f, lead, "/api/v1/orders?period=2024-03&scope=company", 403, "forbidden");
    get_error(f, boss, "/api/v1/orders?period=March", 400, "bad_request");
    get_error(f, boss, "/api/v1/orders?period=2024-03&page_size=501", 400, "bad_request");
    get_error(f, boss, "/api/v1/orders?period=2024-03&page=0", 400, "bad_request");
    free(boss);
    free(lead);
}

#define CSV_EN_START "\xEF\xBB\xBFOrder number,Order date,"

static void orders_csv_download(void **state)
{
    struct fixture *f = *state;
    char *zh = log_in(f, "boss", "zh-CN"), *en = log_in(f, "boss", "en"), *value;
    const char *path = "/api/v1/orders?scope=unit:TA&period=2024-03&format=csv";
    struct http h;

    h = http_request(f->server.base_url, "GET", path, NULL, zh, NULL);
    assert_int_equal(h.status, 200);
    value = http_header(&h, "Content-Disposition");
    assert_string_equal(value,
                        "attachment; filename=\"orders.csv\"; filename*=UTF-8''%E8%AE%A2%E5%8D%95.csv");
    free(value);
    value = http_header(&h, "Content-Type");
    assert_string_equal(value, "text/csv; charset=utf-8");
    free(value);
    assert_string_equal(h.body,
                        "\xEF\xBB\xBF订单号,下单日期,客户编号,客户,工号,销售员,金额（元）,产品,状态\r\n"
                        "O3,2024-03-12,K1,甲公司,E2,王,50.00,,refunded\r\n"
                        "O2,2024-03-10,K1,甲公司,E2,王,250.50,,completed\r\n"
                        "O1,2024-03-05,K1,甲公司,E1,李,1000.00,,completed\r\n");
    http_free(&h);

    h = http_request(f->server.base_url, "GET", path, NULL, en, NULL);
    value = http_header(&h, "Content-Disposition");
    assert_string_equal(value, "attachment; filename=\"orders.csv\"; filename*=UTF-8''orders.csv");
    free(value);
    assert_true(!strncmp(h.body, CSV_EN_START, strlen(CSV_EN_START)));
    http_free(&h);

    /* The same rows as a workbook (a ZIP file). */
    h = http_request(f->server.base_url, "GET",
                     "/api/v1/orders?scope=unit:TA&period=2024-03&format=xlsx", NULL, zh, NULL);
    assert_int_equal(h.status, 200);
    value = http_header(&h, "Content-Disposition");
    assert_string_equal(
        value, "attachment; filename=\"orders.xlsx\"; filename*=UTF-8''%E8%AE%A2%E5%8D%95.xlsx");
    free(value);
    value = http_header(&h, "Content-Type");
    assert_string_equal(value, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    free(value);
    assert_true(!strncmp(h.body, "PK", 2));
    http_free(&h);
    /* A name that a spreadsheet would run as a formula is quoted. */
    h = http_request(f->server.base_url, "GET",
                     "/api/v1/orders?scope=unit:TB&period=2024-03&format=csv", NULL, zh, NULL);
    assert_int_equal(h.status, 200);
    assert_non_null(strstr(h.body, "\r\nO4,2024-03-15,K2,'=乙公司,E3,赵,700.00,,cancelled\r\n"));
    http_free(&h);
    free(zh);
    free(en);
}

static void series_and_teams(void **state)
{
    struct fixture *f = *state;
    char *boss = log_in(f, "boss", "zh-CN"), *lead = log_in(f, "tina", "zh-CN");
    json_t *v, *months, *sales, *teams, *metrics;

    v = get_json(f, boss, "/api/v1/series?metric=sales&scope=unit:TA&months=3&as_of=2024-03-31");
    months = json_object_get(v, "months");
    assert_int_equal(json_array_size(months), 3);
    assert_string_equal(json_string_value(json_array_get(months, 0)), "2024-01");
    assert_string_equal(json_string_value(json_array_get(months, 2)), "2024-03");
    sales = json_object_get(json_object_get(v, "series"), "sales");
    assert_true(json_number_value(json_array_get(sales, 1)) == 123.45);
    assert_true(json_number_value(json_array_get(sales, 2)) == 1200.5);
    json_decref(v);
    get_error(f, boss, "/api/v1/series?metric=nope", 400, "bad_request");
    get_error(f, boss, "/api/v1/series?metric=sales&months=37", 400, "bad_request");
    get_error(f, lead, "/api/v1/series?metric=sales&scope=unit:TB", 403, "forbidden");

    /* Teams in pinyin order: 杭州一组 (TB) before 上海一组 (TA). */
    v = get_json(f, boss, "/api/v1/teams?period=2024-03&as_of=2024-03-31");
    teams = json_object_get(v, "teams");
    assert_int_equal(json_array_size(teams), 2);
    assert_string_equal(str_at(json_array_get(teams, 0), "id"), "TB");
    assert_string_equal(str_at(json_array_get(teams, 1), "id"), "TA");
    assert_string_equal(str_at(json_array_get(teams, 1), "parent"), "上海");
    metrics = json_object_get(json_array_get(teams, 1), "metrics");
    assert_true(num_at(metrics, "sales") == 1200.5);
    assert_true(num_at(metrics, "headcount") == 2);
    assert_true(num_at(json_object_get(json_array_get(teams, 0), "metrics"), "sales") == 0);
    json_decref(v);

    v = get_json(f, lead, "/api/v1/teams?period=2024-03&as_of=2024-03-31");
    teams = json_object_get(v, "teams");
    assert_int_equal(json_array_size(teams), 1);
    assert_string_equal(str_at(json_array_get(teams, 0), "id"), "TA");
    json_decref(v);
    get_error(f, lead, "/api/v1/teams?period=2024-03&scope=unit:TB", 403, "forbidden");
    free(boss);
    free(lead);
}

static void employee_fields_by_role(void **state)
{
    struct fixture *f = *state;
    char *boss = log_in(f, "boss", "zh-CN"), *lead = log_in(f, "tina", "zh-CN"),
         *fin = log_in(f, "fay", "zh-CN"), *rep = log_in(f, "li", "zh-CN");
    json_t *v;

    v = get_json(f, boss, "/api/v1/employees/E1");
    assert_true(num_at(v, "base_salary") == 8000);
    assert_string_equal(str_at(v, "email"), "e1@example.com");
    assert_int_equal(json_array_size(json_object_get(v, "orders")), 2);
    assert_int_equal(json_array_size(json_object_get(v, "customers")), 1);
    json_decref(v);

    /* A team lead gets personal fields of its unit, never pay. */
    v = get_json(f, lead, "/api/v1/employees/E2");
    assert_true(json_is_null(json_object_get(v, "base_salary")));
    assert_string_equal(str_at(v, "phone"), "200");
    json_decref(v);

    /* Finance gets pay, never personal fields. */
    v = get_json(f, fin, "/api/v1/employees/E3");
    assert_true(num_at(v, "base_salary") == 6000);
    assert_true(json_is_null(json_object_get(v, "email")));
    assert_true(json_is_null(json_object_get(v, "phone")));
    json_decref(v);

    v = get_json(f, rep, "/api/v1/employees/E1");
    assert_true(num_at(v, "base_salary") == 8000);
    json_decref(v);
    get_error(f, rep, "/api/v1/employees/E2", 403, "forbidden");
    get_error(f, lead, "/api/v1/employees/E3", 403, "forbidden");
    get_error(f, boss, "/api/v1/employees/E9", 404, "not_found");
    free(boss);
    free(lead);
    free(fin);
    free(rep);
}

static void customer_page_by_owner(void **state)
{
    struct fixture *f = *state;
    char *boss = log_in(f, "boss", "zh-CN"), *lead = log_in(f, "tina", "zh-CN"),
         *rep = log_in(f, "li", "zh-CN");
    json_t *v, *owners, *surveys;
    struct http h;

    v = get_json(f, boss, "/api/v1/customers/K1");
    assert_string_equal(str_at(v, "name"), "甲公司");
    assert_int_equal(json_array_size(json_object_get(v, "orders")), 4);
    owners = json_object_get(v, "owners");
    assert_int_equal(json_array_size(owners), 2);
    assert_string_equal(str_at(json_array_get(owners, 0), "employee_id"), "E1");
    assert_true(json_is_null(json_object_get(json_array_get(owners, 0), "end_date")));
    assert_string_equal(str_at(json_array_get(owners, 1), "end_date"), "2023-12-31");
    surveys = json_object_get(v, "surveys");
    assert_int_equal(json_array_size(surveys), 1);
    assert_true(num_at(json_array_get(surveys, 0), "score") == 8.5);
    json_decref(v);

    /* K1's current owner E1 is in the lead's team and is the rep. */
    v = get_json(f, lead, "/api/v1/customers/K1");
    json_decref(v);
    v = get_json(f, rep, "/api/v1/customers/K1");
    json_decref(v);
    get_error(f, lead, "/api/v1/customers/K2", 403, "forbidden");
    get_error(f, lead, "/api/v1/customers/K9", 403, "forbidden");
    get_error(f, boss, "/api/v1/customers/K9", 404, "not_found");
    get_error(f, boss, "/api/v1/customers/K1?format=csv&table=nope", 400, "bad_request");

    h = http_request(f->server.base_url, "GET", "/api/v1/customers/K1?format=csv&table=surveys",
                     NULL, boss, NULL);
    assert_int_equal(h.status, 200);
    assert_string_equal(h.body, "\xEF\xBB\xBF调查日期,评分,工号\r\n2024-03-20,8.5,E1\r\n");
    http_free(&h);
    free(boss);
    free(lead);
    free(rep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(units_in_pinyin_order),
        cmocka_unit_test(units_in_japanese_order),
        cmocka_unit_test(units_limited_to_scope),
        cmocka_unit_test(orders_attributed_and_paged),
        cmocka_unit_test(orders_csv_download),
        cmocka_unit_test(series_and_teams),
        cmocka_unit_test(employee_fields_by_role),
        cmocka_unit_test(customer_page_by_owner),
    };

    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return failed;
}
