/*
** date.c: calendar dates as days since 1970-01-01, no time zones involved.
*/
#include <stdlib.h>
#include <time.h>

#include "base/base.h"

/* Days from civil (Howard Hinnant's algorithm): exact for the proleptic
   Gregorian calendar, no time zones involved. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

int hc_date_parse(const char *s, size_t len, long *days)
{
    if (len != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1) return -1;
    unsigned max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
    if (d > max) return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

void hc_date_format(long z, char out[11])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999) y = 9999;
    snprintf(out, 11, "%04ld-%02u-%02u", y % 10000, m % 100, d % 100);
}

long long hc_clock_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

void hc_time_now_utc(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void hc_time_local(const char *utc, char out[20])
{
    /* "2026-09-10T02:00:00Z": the store's times are UTC; people read their own
       clock (TZ), to the minute */
    if (utc == NULL) {
        out[0] = '\0';
        return;
    }
    long days;
    static const char shape[] = "Tdd:dd:ddZ";
    int ok = strlen(utc) == 20 && hc_date_parse(utc, 10, &days) == 0;
    for (size_t i = 0; ok && shape[i]; i++)
        ok = shape[i] == 'd' ? utc[10 + i] >= '0' && utc[10 + i] <= '9' : utc[10 + i] == shape[i];
    long h = ok ? (utc[11] - '0') * 10 + (utc[12] - '0') : 0, mi = ok ? (utc[14] - '0') * 10 + (utc[15] - '0') : 0,
         sec = ok ? (utc[17] - '0') * 10 + (utc[18] - '0') : 0;
    if (!ok || h > 23 || mi > 59 || sec > 60) {
        snprintf(out, 20, "%s", utc);
        return;
    }
    time_t t = (time_t)days * 86400 + (time_t)h * 3600 + (time_t)mi * 60 + (time_t)sec;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M", &tm);
}
