/*
 * Unit tests of the two-decimal fixed-point values (src/util/decimal.c):
 * parsing money and scores into hundredths, and formatting them back.
 */
#include "support.h"
#include "util/decimal.h"

static void parse_valid_amounts(void **state)
{
    static const struct {
        const char *text;
        int64_t hundredths;
    } cases[] = {
        {"1234.5", 123450}, {"1234.50", 123450}, {"-0.5", -50}, {"0.07", 7},
        {"0", 0},           {"-20", -2000},      {"007", 700},  {"9999999999999.99", 999999999999999LL},
        {"-9999999999999.99", -999999999999999LL},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t v = -1;

        assert_int_equal(decimal_parse(cases[i].text, &v), DECIMAL_OK);
        assert_int_equal(v, cases[i].hundredths);
    }
}

static void parse_rejects_bad_amounts(void **state)
{
    static const struct {
        const char *text;
        int error;
    } cases[] = {
        {"12.345", DECIMAL_DECIMALS}, {"0.001", DECIMAL_DECIMALS}, {"12.345x", DECIMAL_SYNTAX},
        {"1.", DECIMAL_SYNTAX},       {".5", DECIMAL_SYNTAX},      {"1,234", DECIMAL_SYNTAX},
        {"", DECIMAL_SYNTAX},         {"-", DECIMAL_SYNTAX},       {"+1", DECIMAL_SYNTAX},
        {" 1", DECIMAL_SYNTAX},       {"1e5", DECIMAL_SYNTAX},     {"¥12", DECIMAL_SYNTAX},
        {"10000000000000", DECIMAL_RANGE},
        {"99999999999999999999999", DECIMAL_RANGE},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t v = 42;

        assert_int_equal(decimal_parse(cases[i].text, &v), cases[i].error);
        assert_int_equal(v, 42);
    }
}

static void scores_stay_in_range(void **state)
{
    int64_t v = 0;

    (void)state;
    assert_int_equal(score_parse("10", 10, &v), DECIMAL_OK);
    assert_int_equal(v, 1000);
    assert_int_equal(score_parse("9.99", 10, &v), DECIMAL_OK);
    assert_int_equal(v, 999);
    assert_int_equal(score_parse("0", 100, &v), DECIMAL_OK);
    assert_int_equal(v, 0);
    assert_int_equal(score_parse("100", 100, &v), DECIMAL_OK);
    assert_int_equal(v, 10000);
    assert_int_equal(score_parse("10.01", 10, &v), DECIMAL_RANGE);
    assert_int_equal(score_parse("-1", 10, &v), DECIMAL_RANGE);
    assert_int_equal(score_parse("100.5", 100, &v), DECIMAL_RANGE);
    assert_int_equal(score_parse("8.125", 10, &v), DECIMAL_DECIMALS);
}

static void format_two_decimals(void **state)
{
    static const struct {
        int64_t hundredths;
        const char *full, *shortened;
    } cases[] = {
        {123450, "1234.50", "1234.5"}, {-50, "-0.50", "-0.5"}, {-5, "-0.05", "-0.05"},
        {0, "0.00", "0"},              {100, "1.00", "1"},     {7, "0.07", "0.07"},
        {999999999999999LL, "9999999999999.99", "9999999999999.99"},
        {-999999999999999LL, "-9999999999999.99", "-9999999999999.99"},
    };
    char out[DECIMAL_BUFSIZE];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        decimal_format(cases[i].hundredths, out);
        assert_string_equal(out, cases[i].full);
        decimal_format_short(cases[i].hundredths, out);
        assert_string_equal(out, cases[i].shortened);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_valid_amounts),
        cmocka_unit_test(parse_rejects_bad_amounts),
        cmocka_unit_test(scores_stay_in_range),
        cmocka_unit_test(format_two_decimals),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
