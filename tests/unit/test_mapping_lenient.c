/*
 * Unit tests of the import field converters in lenient mode, the mode of
 * foreign files and mapped rows: canonical forms still pass, foreign
 * spellings of each type are converted, the date order decides
 * day/month dates, and a refused value names the parser's reason.
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

/* Converts raw for entity.field in mode; v and msg keep the outcome. */
static int convert(const char *entity, const char *field, const char *raw, enum value_mode mode,
                   struct field_value *v, struct strbuf *msg)
{
    const struct field_def *f = entity_field(entity_by_name(entity), field);

    assert_non_null(f);
    sb_reset(msg);
    return field_convert(f, raw, mode, shanghai, v, msg);
}

static void dates_by_order(void **state)
{
    static const struct {
        const char *raw;
        enum value_mode mode;
        const char *expected; /* NULL: refused */
    } cases[] = {
        {"2024-03-05", VALUE_LENIENT, "2024-03-05"},
        {"2024/3/5", VALUE_LENIENT, "2024-03-05"},
        {"2024年3月5日", VALUE_LENIENT, "2024-03-05"},
        {"25/03/2024", VALUE_LENIENT, "2024-03-25"},
        {"05/03/2024", VALUE_LENIENT, NULL},
        {"05/03/2024", VALUE_LENIENT_DMY, "2024-03-05"},
        {"05/03/2024", VALUE_LENIENT_MDY, "2024-05-03"},
        {"58-03-05", VALUE_LENIENT_DMY, NULL},
        {"2024/3/5", VALUE_STRICT, NULL},
    };
    struct field_value v = FIELD_VALUE_INIT;
    struct strbuf msg = STRBUF_INIT;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = convert("employees", "hire_date", cases[i].raw, cases[i].mode, &v, &msg);

        if (!cases[i].expected) {
            assert_int_equal(rc, -1);
            continue;
        }
        assert_int_equal(rc, 0);
        assert_string_equal(v.text, cases[i].expected);
    }
    assert_int_equal(convert("employees", "hire_date", "05/03/2024", VALUE_LENIENT, &v, &msg), -1);
    assert_non_null(strstr(msg.buf, "give --date-order dmy or mdy"));
    field_value_release(&v);
    sb_release(&msg);
}

static void event_dates_keep_given(void **state)
{
    struct field_value v = FIELD_VALUE_INIT;
    struct strbuf msg = STRBUF_INIT;

    (void)state;
    /* A timestamp with an offset still moves to the company's zone. */
    assert_int_equal(
        convert("orders", "order_date", "2026-02-28T16:30:00Z", VALUE_LENIENT, &v, &msg), 0);
    assert_string_equal(v.text, "2026-03-01");
    assert_int_equal(convert("orders", "order_date", "2024/3/5", VALUE_LENIENT, &v, &msg), 0);
    assert_string_equal(v.text, "2024-03-05");
    /* A foreign spelling is given as its date, so export writes a
     * value that a strict import reads back. */
    assert_string_equal(v.given, "2024-03-05");
    field_value_release(&v);
    sb_release(&msg);
}

static void money_scores_hours_numbers(void **state)
{
    struct field_value v = FIELD_VALUE_INIT;
    struct strbuf msg = STRBUF_INIT;

    (void)state;
    assert_int_equal(convert("orders", "amount", "¥1,234.50", VALUE_LENIENT, &v, &msg), 0);
    assert_int_equal(v.i, 123450);
    assert_int_equal(convert("orders", "amount", "1.2万", VALUE_LENIENT, &v, &msg), 0);
    assert_int_equal(v.i, 1200000);
    assert_int_equal(convert("orders", "amount", "１２３４．５", VALUE_LENIENT, &v, &msg), 0);
    assert_int_equal(v.i, 123450);
    assert_int_equal(convert("orders", "amount", "1.234", VALUE_LENIENT, &v, &msg), -1);
    assert_non_null(strstr(msg.buf, "'1.234' is not a valid amount (more than 2 decimals)"));
    assert_int_equal(convert("orders", "amount", "1,23", VALUE_LENIENT, &v, &msg), -1);

    assert_int_equal(convert("customer_surveys", "score", "８．５", VALUE_LENIENT, &v, &msg), 0);
    assert_int_equal(v.i, 850);
    assert_int_equal(convert("customer_surveys", "score", "10.5", VALUE_LENIENT, &v, &msg), -1);
    assert_int_equal(convert("courses", "hours", "１.5", VALUE_LENIENT, &v, &msg), 0);
    assert_int_equal(v.i, 150);
    assert_int_equal(convert("courses", "hours", "-1", VALUE_LENIENT, &v, &msg), -1);

    assert_int_equal(convert("targets", "value", "12.5%", VALUE_LENIENT, &v, &msg), 0);
    assert_string_equal(v.text, "0.125");
    assert_int_equal(convert("targets", "value", "1,234.500", VALUE_LENIENT, &v, &msg), 0);
    assert_string_equal(v.text, "1234.5");
    assert_int_equal(convert("targets", "value", "12.5%", VALUE_STRICT, &v, &msg), -1);
    field_value_release(&v);
    sb_release(&msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_by_order),
        cmocka_unit_test(event_dates_keep_given),
        cmocka_unit_test(money_scores_hours_numbers),
    };

    return cmocka_run_group_tests(tests, open_zone, close_zone);
}
