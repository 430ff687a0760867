/*
** test_date.c: dates and times (base/date.c): calendar dates round trip and
** refuse what is not a day; a stored UTC time reads as the local clock,
** across midnight and a year's end; anything else is left as it was.
*/
#include <time.h>

#include "testutil.h"

static void test_dates(void **state)
{
    (void)state;
    long days;
    char out[11];
    assert_int_equal(hc_date_parse("2026-09-10", 10, &days), 0);
    hc_date_format(days, out);
    assert_string_equal(out, "2026-09-10");
    assert_int_equal(hc_date_parse("2024-02-29", 10, &days), 0);
    assert_int_equal(hc_date_parse("2026-02-29", 10, &days), -1);
    assert_int_equal(hc_date_parse("2026-13-01", 10, &days), -1);
    assert_int_equal(hc_date_parse("2026-9-10", 9, &days), -1);
}

static void test_local_time(void **state)
{
    (void)state;
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    char out[20];
    hc_time_local("2026-09-10T02:00:00Z", out);
    assert_string_equal(out, "2026-09-10 10:00");
    hc_time_local("2026-09-10T20:30:59Z", out);          /* past midnight in Beijing */
    assert_string_equal(out, "2026-09-11 04:30");
    hc_time_local("2026-12-31T16:00:00Z", out);
    assert_string_equal(out, "2027-01-01 00:00");
    setenv("TZ", "UTC", 1);
    tzset();
    hc_time_local("2026-09-10T02:00:00Z", out);
    assert_string_equal(out, "2026-09-10 02:00");
    /* not a stored time: copied as it is, never misread */
    hc_time_local("2026-09-10", out);
    assert_string_equal(out, "2026-09-10");
    hc_time_local("2026-09-10T25:00:00Z", out);
    assert_string_equal(out, "2026-09-10T25:00:00");
    hc_time_local(NULL, out);
    assert_string_equal(out, "");
    unsetenv("TZ");
    tzset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_local_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
