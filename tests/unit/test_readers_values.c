/*
 * Table-driven tests of the lenient value parsers: every accepted date
 * and amount form with its exact day or hundredths, and every rejected
 * form with its reason.
 */
#include <stdlib.h>
#include <string.h>

#include "readers/values.h"
#include "support.h"

static void dates_accepted(void **state)
{
    static const struct {
        const char *text;
        enum date_order order;
        const char *date;
    } cases[] = {
        {"2024-03-05", DATE_ORDER_NONE, "2024-03-05"},
        {"2024/3/5", DATE_ORDER_NONE, "2024-03-05"},
        {"2024.3.5", DATE_ORDER_NONE, "2024-03-05"},
        {"2024年3月5日", DATE_ORDER_NONE, "2024-03-05"},
        {"2024年03月05号", DATE_ORDER_NONE, "2024-03-05"},
        {"2024 年 3 月 5 日", DATE_ORDER_NONE, "2024-03-05"},
        {"2024年3月5", DATE_ORDER_NONE, "2024-03-05"},
        {"20240305", DATE_ORDER_NONE, "2024-03-05"},
        {"２０２４－０３－０５", DATE_ORDER_NONE, "2024-03-05"},
        {"２０２４年３月５日", DATE_ORDER_NONE, "2024-03-05"},
        {"  2024-03-05  ", DATE_ORDER_NONE, "2024-03-05"},
        {"45356", DATE_ORDER_NONE, "2024-03-05"},
        {"45356.75", DATE_ORDER_NONE, "2024-03-05"},
        {"42852", DATE_ORDER_NONE, "2017-04-27"},
        {"21550", DATE_ORDER_NONE, "1958-12-31"},
        {"2024-03-05 14:30", DATE_ORDER_NONE, "2024-03-05"},
        {"2024/3/5 9:05:59", DATE_ORDER_NONE, "2024-03-05"},
        {"2024-03-05T14:30:00+08:00", DATE_ORDER_NONE, "2024-03-05"},
        {"2024-03-05T06:30:00Z", DATE_ORDER_NONE, "2024-03-05"},
        {"2024年3月5日 10:00", DATE_ORDER_NONE, "2024-03-05"},
        {"05/03/2024", DATE_ORDER_DMY, "2024-03-05"},
        {"05/03/2024", DATE_ORDER_MDY, "2024-05-03"},
        {"5.3.2024", DATE_ORDER_DMY, "2024-03-05"},
        {"25/03/2024", DATE_ORDER_NONE, "2024-03-25"},
        {"3/25/2024", DATE_ORDER_NONE, "2024-03-25"},
        {"11/8/2016", DATE_ORDER_MDY, "2016-11-08"},
        {"05/05/2024", DATE_ORDER_NONE, "2024-05-05"},
        {"5 Mar 2024", DATE_ORDER_NONE, "2024-03-05"},
        {"05-Mar-2024", DATE_ORDER_NONE, "2024-03-05"},
        {"Mar 5, 2024", DATE_ORDER_NONE, "2024-03-05"},
        {"March 5 2024", DATE_ORDER_NONE, "2024-03-05"},
        {"5 september 2024", DATE_ORDER_NONE, "2024-09-05"},
        {"Sept 5, 2024", DATE_ORDER_NONE, "2024-09-05"},
        {"1958-06-01", DATE_ORDER_NONE, "1958-06-01"},
        {"2024-02-29", DATE_ORDER_NONE, "2024-02-29"},
        {"1900-01-01", DATE_ORDER_NONE, "1900-01-01"},
    };
    char out[DATE_BUFSIZE];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cdate d = DATE_NONE;
        int rc = value_parse_date(cases[i].text, cases[i].order, &d);

        if (rc != VALUE_OK)
            fail_msg("\"%s\": error %d", cases[i].text, rc);
        date_format(d, out);
        assert_string_equal(out, cases[i].date);
    }
    (void)state;
}

static void dates_rejected(void **state)
{
    static const struct {
        const char *text;
        enum date_order order;
        int error;
    } cases[] = {
        {"", DATE_ORDER_NONE, VALUE_EMPTY},
        {"   ", DATE_ORDER_NONE, VALUE_EMPTY},
        {"05/03/2024", DATE_ORDER_NONE, VALUE_DATE_AMBIGUOUS},
        {"05/03/2024", DATE_ORDER_YMD, VALUE_DATE_AMBIGUOUS},
        {"3/5/24", DATE_ORDER_NONE, VALUE_DATE_TWO_DIGIT_YEAR},
        {"3/5/24", DATE_ORDER_MDY, VALUE_DATE_TWO_DIGIT_YEAR},
        {"24-03-05", DATE_ORDER_NONE, VALUE_DATE_TWO_DIGIT_YEAR},
        {"58年3月5日", DATE_ORDER_NONE, VALUE_DATE_TWO_DIGIT_YEAR},
        {"240305", DATE_ORDER_NONE, VALUE_DATE_TWO_DIGIT_YEAR},
        {"5 Mar 24", DATE_ORDER_NONE, VALUE_DATE_TWO_DIGIT_YEAR},
        {"58", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"2024", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"2024-02-30", DATE_ORDER_NONE, VALUE_DATE_INVALID},
        {"2023-02-29", DATE_ORDER_NONE, VALUE_DATE_INVALID},
        {"2024-13-01", DATE_ORDER_NONE, VALUE_DATE_INVALID},
        {"1899-12-31", DATE_ORDER_NONE, VALUE_DATE_INVALID},
        {"3000-01-01", DATE_ORDER_NONE, VALUE_DATE_INVALID},
        {"13/13/2024", DATE_ORDER_NONE, VALUE_DATE_INVALID},
        {"20241305", DATE_ORDER_NONE, VALUE_DATE_INVALID},
        {"2024-03/05", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"2024-03-05 25:00", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"2024-03-05 noon", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"2024-3", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"2024.3", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"9999", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"123456789", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"5 Foo 2024", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"yesterday", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"2024-03-05-01", DATE_ORDER_NONE, VALUE_SYNTAX},
        {"024-03-05", DATE_ORDER_NONE, VALUE_SYNTAX},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cdate d;
        int rc = value_parse_date(cases[i].text, cases[i].order, &d);

        if (rc != cases[i].error)
            fail_msg("\"%s\": error %d, expected %d", cases[i].text, rc, cases[i].error);
    }
    (void)state;
}

static void money_accepted(void **state)
{
    static const struct {
        const char *text;
        int64_t hundredths;
    } cases[] = {
        {"1234.5", 123450},
        {"1,234.50", 123450},
        {"¥1,234.50", 123450},
        {"￥1,234.50", 123450},
        {"¥ 1234.5", 123450},
        {"RMB 1,234.50", 123450},
        {"1234.50 CNY", 123450},
        {"1234.5元", 123450},
        {"1,234.5 元", 123450},
        {"1.2万", 1200000},
        {"1.2万元", 1200000},
        {"3亿", 30000000000LL},
        {"0.0001万", 100},
        {"0.00001万", 10},
        {"1.234567万", 1234567},
        {"-1,234", -123400},
        {"-¥1,234.00", -123400},
        {"¥-1,234.00", -123400},
        {"(1,234.00)", -123400},
        {"+12", 1200},
        {"１２３４．５", 123450},
        {"１，２３４．５０元", 123450},
        {"－５", -500},
        {"0", 0},
        {"-0", 0},
        {"0.05", 5},
        {".5", 50},
        {"5.", 500},
        {"1234.500", 123450},
        {"007", 700},
        {"1,234,567.89", 123456789},
        {"9999999999999.99", 999999999999999LL},
        {"  12  ", 1200},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t v = -1;
        int rc = value_parse_money(cases[i].text, &v);

        if (rc != VALUE_OK)
            fail_msg("\"%s\": error %d", cases[i].text, rc);
        assert_int_equal(v, cases[i].hundredths);
    }
    (void)state;
}

static void money_rejected(void **state)
{
    static const struct {
        const char *text;
        int error;
    } cases[] = {
        {"", VALUE_EMPTY},
        {"　", VALUE_EMPTY},
        {"1.234", VALUE_DECIMALS},
        {"0.0000001万", VALUE_DECIMALS},
        {"1.2345678万", VALUE_DECIMALS},
        {"12.5%", VALUE_SYNTAX},
        {"1,23", VALUE_DECIMAL_COMMA},
        {"1.234,50", VALUE_DECIMAL_COMMA},
        {"1234,5", VALUE_DECIMAL_COMMA},
        {"¥1.234.567,89", VALUE_DECIMAL_COMMA},
        {"1.234,567", VALUE_SYNTAX},
        {"1.23,45", VALUE_SYNTAX},
        {"1234,567", VALUE_GROUPING},
        {"1,2345", VALUE_GROUPING},
        {"12,345,67", VALUE_GROUPING},
        {"abc", VALUE_SYNTAX},
        {"--5", VALUE_SYNTAX},
        {"-(5)", VALUE_SYNTAX},
        {"(5", VALUE_SYNTAX},
        {"5 5", VALUE_SYNTAX},
        {"¥", VALUE_SYNTAX},
        {".", VALUE_SYNTAX},
        {"1e5", VALUE_SYNTAX},
        {"10000000000000", VALUE_RANGE},
        {"1000000000万", VALUE_RANGE},
        {"12元5角", VALUE_SYNTAX},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t v;
        int rc = value_parse_money(cases[i].text, &v);

        if (rc != cases[i].error)
            fail_msg("\"%s\": error %d, expected %d", cases[i].text, rc, cases[i].error);
    }
    (void)state;
}

static void numbers_and_percentages(void **state)
{
    static const struct {
        const char *text;
        bool percent;
        const char *canonical; /* NULL: rejected */
    } cases[] = {
        {"12.5%", true, "0.125"},
        {"１２．５％", true, "0.125"},
        {"100%", true, "1"},
        {"0.5%", true, "0.005"},
        {"-3%", true, "-0.03"},
        {"12.5%", false, NULL},
        {"0.12", true, "0.12"},
        {"1.2万", false, "12000"},
        {"1,234.500", false, "1234.5"},
        {"0.001", false, "0.001"},
        {"1.23456万", false, "12345.6"},
        {"-0.0", false, "0"},
        {"120000", false, "120000"},
        {"x%", true, NULL},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct strbuf out = STRBUF_INIT;
        int rc = value_parse_number(cases[i].text, cases[i].percent, &out);

        if (!cases[i].canonical) {
            assert_int_not_equal(rc, VALUE_OK);
        } else {
            if (rc != VALUE_OK)
                fail_msg("\"%s\": error %d", cases[i].text, rc);
            assert_string_equal(sb_str(&out), cases[i].canonical);
        }
        sb_release(&out);
    }
    (void)state;
}

static void date_orders_and_messages(void **state)
{
    enum date_order order;

    assert_int_equal(date_order_parse("dmy", &order), 0);
    assert_int_equal(order, DATE_ORDER_DMY);
    assert_int_equal(date_order_parse("MDY", &order), 0);
    assert_int_equal(order, DATE_ORDER_MDY);
    assert_int_equal(date_order_parse("ymd", &order), 0);
    assert_int_equal(order, DATE_ORDER_YMD);
    assert_int_equal(date_order_parse("ydm", &order), -1);
    for (int e = VALUE_EMPTY; e <= VALUE_RANGE; e++)
        assert_true(strlen(value_error_message(e)) > 0);
    assert_non_null(strstr(value_error_message(VALUE_DATE_AMBIGUOUS), "--date-order"));
    (void)state;
}

static void width_folding(void **state)
{
    struct strbuf out = STRBUF_INIT;

    value_fold_width("ＡＢｃ１２３　！～\xC2\xA0x工", &out);
    assert_string_equal(sb_str(&out), "ABc123 !~ x工");
    sb_release(&out);
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_accepted),          cmocka_unit_test(dates_rejected),
        cmocka_unit_test(money_accepted),          cmocka_unit_test(money_rejected),
        cmocka_unit_test(numbers_and_percentages), cmocka_unit_test(date_orders_and_messages),
        cmocka_unit_test(width_folding),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
