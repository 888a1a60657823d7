/*
 * Unit tests of the import field converters (src/import/convert.c) in
 * strict mode: each field type, defaults, required and key fields, and
 * the messages that name the value.
 */
#include <string.h>

#include "import/convert.h"
#include "support.h"

static struct tz *shanghai;

static int open_zone(void **state)
{
    (void)state;
    shanghai = tz_open("Asia/Shanghai");
    return shanghai ? 0 : -1;
}

static int close_zone(void **state)
{
    (void)state;
    tz_close(shanghai);
    return 0;
}

static const struct field_def *field_of(const char *entity, const char *field)
{
    const struct entity_def *e = entity_by_name(entity);
    const struct field_def *f;

    assert_non_null(e);
    f = entity_field(e, field);
    assert_non_null(f);
    return f;
}

/* Converts raw for entity.field and returns the result code; msg and v
 * keep the outcome. */
static int convert(const char *entity, const char *field, const char *raw,
                   struct field_value *v, struct strbuf *msg)
{
    sb_reset(msg);
    return field_convert(field_of(entity, field), raw, VALUE_STRICT, shanghai, v, msg);
}

static void money_into_fen(void **state)
{
    struct field_value v = FIELD_VALUE_INIT;
    struct strbuf msg = STRBUF_INIT;

    (void)state;
    assert_int_equal(convert("orders", "amount", "1234.5", &v, &msg), 0);
    assert_int_equal(v.kind, CELL_INT);
    assert_int_equal(v.i, 123450);
    assert_int_equal(convert("orders", "amount", " -0.5 ", &v, &msg), 0);
    assert_int_equal(v.i, -50);
    assert_int_equal(convert("orders", "amount", "12.345", &v, &msg), -1);
    assert_string_equal(msg.buf, "'12.345' has more than 2 decimals: amounts are in yuan and fen, for example 1234.50");
    assert_int_equal(convert("orders", "amount", "1,234.50", &v, &msg), -1);
    assert_non_null(strstr(msg.buf, "'1,234.50' is not a valid amount"));
    assert_int_equal(convert("orders", "amount", "10000000000000", &v, &msg), -1);
    assert_non_null(strstr(msg.buf, "is too large"));
    assert_int_equal(convert("orders", "amount", "", &v, &msg), -1);
    assert_string_equal(msg.buf, "a value is required here");
    /* An optional money field left empty is NULL; a default applies. */
    assert_int_equal(convert("employees", "base_salary", "", &v, &msg), 0);
    assert_int_equal(v.kind, CELL_NULL);
    assert_int_equal(convert("payroll", "variable_pay", "", &v, &msg), 0);
    assert_int_equal(v.kind, CELL_INT);
    assert_int_equal(v.i, 0);
    field_value_release(&v);
    sb_release(&msg);
}

static void scores_and_hours(void **state)
{
    struct field_value v = FIELD_VALUE_INIT;
    struct strbuf msg = STRBUF_INIT;

    (void)state;
    assert_int_equal(convert("customer_surveys", "score", "9.5", &v, &msg), 0);
    assert_int_equal(v.i, 950);
    assert_int_equal(convert("customer_surveys", "score", "10.5", &v, &msg), -1);
    assert_string_equal(msg.buf, "'10.5' is not a valid score: write a number from 0 to 10 with at most 2 decimals");
    assert_int_equal(convert("skills", "score", "100", &v, &msg), 0);
    assert_int_equal(v.i, 10000);
    assert_int_equal(convert("skills", "score", "-1", &v, &msg), -1);
    assert_int_equal(convert("trainings", "exam_score", "", &v, &msg), 0);
    assert_int_equal(v.kind, CELL_NULL);
    assert_int_equal(convert("courses", "hours", "1.5", &v, &msg), 0);
    assert_int_equal(v.i, 150);
    assert_int_equal(convert("courses", "hours", "-1", &v, &msg), -1);
    field_value_release(&v);
    sb_release(&msg);
}

static void dates_strict(void **state)
{
    struct field_value v = FIELD_VALUE_INIT;
    struct strbuf msg = STRBUF_INIT;

    (void)state;
    assert_int_equal(convert("employees", "hire_date", "2024-02-29", &v, &msg), 0);
    assert_string_equal(v.text, "2024-02-29");
    assert_int_equal(convert("employees", "hire_date", "2023-02-29", &v, &msg), -1);
    assert_string_equal(msg.buf, "'2023-02-29' is not a valid date: write YYYY-MM-DD with a year from 1900 to 2999, for example 2024-03-05");
    assert_int_equal(convert("employees", "hire_date", "1899-12-31", &v, &msg), -1);
    assert_int_equal(convert("employees", "hire_date", "2024/3/5", &v, &msg), -1);
    assert_int_equal(convert("employees", "leave_date", "", &v, &msg), 0);
    assert_int_equal(v.kind, CELL_NULL);
    field_value_release(&v);
    sb_release(&msg);
}

static void event_dates_keep_given_value(void **state)
{
    struct field_value v = FIELD_VALUE_INIT;
    struct strbuf msg = STRBUF_INIT;

    (void)state;
    assert_int_equal(convert("orders", "order_date", "2024-02-29T16:30:00Z", &v, &msg), 0);
    assert_string_equal(v.text, "2024-03-01");
    assert_string_equal(v.given, "2024-02-29T16:30:00Z");
    assert_int_equal(convert("orders", "order_date", "2024-03-01T00:30:00+08:00", &v, &msg), 0);
    assert_string_equal(v.text, "2024-03-01");
    assert_int_equal(convert("visits", "visit_date", "2024-03-02", &v, &msg), 0);
    assert_string_equal(v.text, "2024-03-02");
    assert_string_equal(v.given, "2024-03-02");
    assert_int_equal(convert("orders", "order_date", "2024-03-01 00:30", &v, &msg), -1);
    assert_non_null(strstr(msg.buf, "'2024-03-01 00:30' is not a valid date or timestamp"));
    field_value_release(&v);
    sb_release(&msg);
}

static void months_and_periods(void **state)
{
    struct field_value v = FIELD_VALUE_INIT;
    struct strbuf msg = STRBUF_INIT;

    (void)state;
    assert_int_equal(convert("payroll", "month", "2024-01", &v, &msg), 0);
    assert_string_equal(v.text, "2024-01");
    assert_int_equal(convert("payroll", "month", "2024-1", &v, &msg), -1);
    assert_int_equal(convert("payroll", "month", "2024-01-01", &v, &msg), -1);
    assert_int_equal(convert("targets", "period", "2024-Q1", &v, &msg), 0);
    assert_string_equal(v.text, "2024-Q1");
    assert_int_equal(convert("targets", "period", "2024", &v, &msg), 0);
    assert_string_equal(v.text, "2024");
    assert_int_equal(convert("targets", "period", "2024-q1", &v, &msg), -1);
    assert_int_equal(convert("targets", "period", "2024-Q5", &v, &msg), -1);
    assert_int_equal(convert("market", "period", "2024-03", &v, &msg), 0);
    assert_string_equal(v.text, "2024-03");
    assert_int_equal(convert("market", "period", "2024-Q1", &v, &msg), -1);
    assert_string_equal(msg.buf, "'2024-Q1' is not a valid period for a market size: write a month YYYY-MM or a year YYYY");
    field_value_release(&v);
    sb_release(&msg);
}

static void enums_metrics_and_decimals(void **state)
{
    struct field_value v = FIELD_VALUE_INIT;
    struct strbuf msg = STRBUF_INIT;

    (void)state;
    assert_int_equal(convert("orders", "status", "", &v, &msg), 0);
    assert_string_equal(v.text, "completed");
    assert_int_equal(convert("orders", "status", "refunded", &v, &msg), 0);
    assert_string_equal(v.text, "refunded");
    assert_int_equal(convert("orders", "status", "Refunded", &v, &msg), -1);
    assert_string_equal(msg.buf, "'Refunded' is not an allowed value: use one of completed, cancelled, refunded");
    assert_int_equal(convert("employees", "employment_type", "", &v, &msg), 0);
    assert_string_equal(v.text, "full_time");
    assert_int_equal(convert("employees", "position", "", &v, &msg), 0);
    assert_int_equal(v.kind, CELL_NULL);

    assert_int_equal(convert("targets", "metric", "per_capita_sales", &v, &msg), 0);
    assert_string_equal(v.text, "per_capita_sales");
    assert_int_equal(convert("targets", "metric", "revenue", &v, &msg), -1);

    assert_int_equal(convert("targets", "value", "0.125", &v, &msg), 0);
    assert_string_equal(v.text, "0.125");
    assert_int_equal(convert("targets", "value", "-120000", &v, &msg), 0);
    assert_string_equal(v.text, "-120000");
    assert_int_equal(convert("targets", "value", "1e5", &v, &msg), -1);
    assert_int_equal(convert("targets", "value", "12.", &v, &msg), -1);
    assert_int_equal(convert("targets", "value", ".5", &v, &msg), -1);
    assert_int_equal(convert("targets", "value", "-", &v, &msg), -1);
    field_value_release(&v);
    sb_release(&msg);
}

static void ids_and_text_kept_exactly(void **state)
{
    struct field_value v = FIELD_VALUE_INIT;
    struct strbuf msg = STRBUF_INIT;

    (void)state;
    assert_int_equal(convert("customers", "name", " Acme, Inc. ", &v, &msg), 0);
    assert_string_equal(v.text, " Acme, Inc. ");
    assert_int_equal(convert("org_units", "unit_id", "华东-01/杭州", &v, &msg), 0);
    assert_string_equal(v.text, "华东-01/杭州");
    assert_int_equal(convert("org_units", "unit_id", "", &v, &msg), -1);
    /* scope_id is part of the key but optional: empty is "", not NULL. */
    assert_int_equal(convert("targets", "scope_id", "", &v, &msg), 0);
    assert_int_equal(v.kind, CELL_TEXT);
    assert_string_equal(v.text, "");
    assert_int_equal(convert("customers", "segment", "", &v, &msg), 0);
    assert_int_equal(v.kind, CELL_NULL);
    field_value_release(&v);
    sb_release(&msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(money_into_fen),
        cmocka_unit_test(scores_and_hours),
        cmocka_unit_test(dates_strict),
        cmocka_unit_test(event_dates_keep_given_value),
        cmocka_unit_test(months_and_periods),
        cmocka_unit_test(enums_metrics_and_decimals),
        cmocka_unit_test(ids_and_text_kept_exactly),
    };

    return cmocka_run_group_tests(tests, open_zone, close_zone);
}
