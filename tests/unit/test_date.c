/*
 * Unit tests of calendar dates, months and periods (src/util/date.c) and
 * of event dates in a time zone (src/util/tz.c).
 */
#include "support.h"
#include "util/date.h"
#include "util/tz.h"

static cdate day(const char *text)
{
    cdate d = DATE_NONE;

    assert_int_equal(date_parse(text, &d), 0);
    return d;
}

static void leap_years(void **state)
{
    (void)state;
    assert_false(date_is_leap(1900));
    assert_true(date_is_leap(2000));
    assert_true(date_is_leap(2024));
    assert_false(date_is_leap(2023));
    assert_false(date_is_leap(2100));
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2023, 2), 28);
    assert_int_equal(date_days_in_month(2024, 4), 30);
}

static void parse_dates_strictly(void **state)
{
    static const char *const invalid[] = {
        "2023-02-29", "1900-02-29", "1899-12-31", "3000-01-01", "2024-3-5", "2024/03/05",
        "2024-13-01", "2024-00-10", "2024-04-31", "20240305", "2024-03-05 ", "",
    };
    cdate d;

    (void)state;
    assert_int_equal(day("1970-01-01"), 0);
    assert_int_equal(day("2024-03-01"), 19783);
    assert_int_equal(day("2024-02-29"), 19782);
    assert_int_equal(day("2000-02-29"), day("2000-03-01") - 1);
    assert_int_equal(day("1900-01-01"), -25567);
    assert_int_equal(day("2999-12-31"), 376199);
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
        assert_int_equal(date_parse(invalid[i], &d), -1);
}

static void format_round_trips(void **state)
{
    char out[DATE_BUFSIZE];

    (void)state;
    date_format(19782, out);
    assert_string_equal(out, "2024-02-29");
    date_format(-25567, out);
    assert_string_equal(out, "1900-01-01");
}

static void months_clamp_to_month_end(void **state)
{
    char out[DATE_BUFSIZE];

    (void)state;
    date_format(date_add_months_clamped(day("2024-02-29"), -12), out);
    assert_string_equal(out, "2023-02-28");
    date_format(date_add_months_clamped(day("2024-01-31"), 1), out);
    assert_string_equal(out, "2024-02-29");
    date_format(date_add_months_clamped(day("2024-03-31"), -1), out);
    assert_string_equal(out, "2024-02-29");
    date_format(date_add_months_clamped(day("2023-12-15"), 2), out);
    assert_string_equal(out, "2024-02-15");
    date_format(date_add_months_clamped(day("2024-02-29"), 48), out);
    assert_string_equal(out, "2028-02-29");
}

static void month_parsing(void **state)
{
    int m = 0;
    char out[8];

    (void)state;
    assert_int_equal(date_month_parse("2024-12", &m), 0);
    assert_int_equal(m, 2024 * 12 + 11);
    date_month_format(m, out);
    assert_string_equal(out, "2024-12");
    assert_int_equal(date_month_parse("2024-13", &m), -1);
    assert_int_equal(date_month_parse("2024-00", &m), -1);
    assert_int_equal(date_month_parse("2024-3", &m), -1);
    assert_int_equal(date_month_parse("1899-12", &m), -1);
}

static void period_parsing(void **state)
{
    struct period p, q;
    char out[16];

    (void)state;
    assert_int_equal(period_parse("2024-Q1", &p), 0);
    assert_int_equal(p.kind, PERIOD_QUARTER);
    assert_int_equal(p.months, 3);
    assert_int_equal(p.start, day("2024-01-01"));
    assert_int_equal(p.end, day("2024-04-01"));
    period_format(&p, out);
    assert_string_equal(out, "2024-Q1");
    q = period_shift(&p, -1);
    period_format(&q, out);
    assert_string_equal(out, "2023-Q4");

    assert_int_equal(period_parse("2024", &p), 0);
    assert_int_equal(p.kind, PERIOD_YEAR);
    assert_int_equal(p.end - p.start, 366);

    assert_int_equal(period_parse("2024-02", &p), 0);
    assert_int_equal(p.kind, PERIOD_MONTH);
    assert_int_equal(p.end - p.start, 29);
    q = period_year_before(&p);
    period_format(&q, out);
    assert_string_equal(out, "2023-02");
    assert_int_equal(q.end - q.start, 28);

    assert_int_equal(period_parse("2024-Q5", &p), -1);
    assert_int_equal(period_parse("2024-Q0", &p), -1);
    assert_int_equal(period_parse("24-03", &p), -1);
    assert_int_equal(period_parse("2024-H1", &p), -1);
    assert_int_equal(period_parse("", &p), -1);
}

static void event_dates_in_shanghai_and_utc(void **state)
{
    struct tz *shanghai = tz_open("Asia/Shanghai"), *utc = tz_open("UTC");
    cdate d = 0;

    (void)state;
    assert_non_null(shanghai);
    assert_non_null(utc);
    assert_null(tz_open("Not/A_Zone"));

    assert_int_equal(event_date_parse("2024-03-01T00:30:00+08:00", shanghai, &d), EVENT_DATE_OK);
    assert_int_equal(d, day("2024-03-01"));
    assert_int_equal(event_date_parse("2024-03-01T00:30:00+08:00", utc, &d), EVENT_DATE_OK);
    assert_int_equal(d, day("2024-02-29"));
    assert_int_equal(event_date_parse("2024-02-29T16:30:00Z", shanghai, &d), EVENT_DATE_OK);
    assert_int_equal(d, day("2024-03-01"));
    assert_int_equal(event_date_parse("2024-02-29T15:59:59Z", shanghai, &d), EVENT_DATE_OK);
    assert_int_equal(d, day("2024-02-29"));
    assert_int_equal(event_date_parse("2024-02-29T16:30Z", shanghai, &d), EVENT_DATE_OK);
    assert_int_equal(d, day("2024-03-01"));
    assert_int_equal(event_date_parse("2024-03-01T00:30:00+0800", utc, &d), EVENT_DATE_OK);
    assert_int_equal(d, day("2024-02-29"));
    assert_int_equal(event_date_parse("2024-03-01T00:30:00+08", utc, &d), EVENT_DATE_OK);
    assert_int_equal(d, day("2024-02-29"));
    /* Without an offset the time is local, so the date part is the date. */
    assert_int_equal(event_date_parse("2024-03-01T00:30", utc, &d), EVENT_DATE_OK);
    assert_int_equal(d, day("2024-03-01"));
    assert_int_equal(event_date_parse("2024-03-01", utc, &d), EVENT_DATE_OK);
    assert_int_equal(d, day("2024-03-01"));

    assert_int_equal(event_date_parse("2024-03-01T25:00Z", utc, &d), EVENT_DATE_RANGE);
    assert_int_equal(event_date_parse("2024-02-30", utc, &d), EVENT_DATE_RANGE);
    assert_int_equal(event_date_parse("2024-03-01 00:30", utc, &d), EVENT_DATE_SYNTAX);
    assert_int_equal(event_date_parse("2024/03/01", utc, &d), EVENT_DATE_SYNTAX);
    assert_int_equal(event_date_parse("2024-03-01T00:30+8", utc, &d), EVENT_DATE_SYNTAX);
    tz_close(shanghai);
    tz_close(utc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(leap_years),
        cmocka_unit_test(parse_dates_strictly),
        cmocka_unit_test(format_round_trips),
        cmocka_unit_test(months_clamp_to_month_end),
        cmocka_unit_test(month_parsing),
        cmocka_unit_test(period_parsing),
        cmocka_unit_test(event_dates_in_shanghai_and_utc),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
