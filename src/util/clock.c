/* clock.c - epoch milliseconds and the API's time format. */
#include "util/clock.h"

#include "openapply/event.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t oa_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t oa_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct timespec oa_deadline_us(int64_t us)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t ns = ts.tv_nsec + (us % 1000000) * 1000;
    ts.tv_sec += (time_t)(us / 1000000 + ns / 1000000000);
    ts.tv_nsec = ns % 1000000000;
    return ts;
}

int64_t oa_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void oa_time_fmt(int64_t ms, char out[OA_TIME_LEN])
{
    if (ms < 0)
        ms = 0;
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (tm.tm_year + 1900) % 10000,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
    memcpy(out, tmp, OA_TIME_LEN - 1);
    out[OA_TIME_LEN - 1] = '\0';
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static bool parse_date(const char *s, int *y, int *m, int *d)
{
    if (!digits(s, 4, y) || s[4] != '-' || !digits(s + 5, 2, m) || s[7] != '-' ||
        !digits(s + 8, 2, d))
        return false;
    return *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in_month(*y, *m);
}

bool oa_date_valid(const char *s)
{
    int y, m, d;
    return strlen(s) == 10 && parse_date(s, &y, &m, &d);
}

oa_status oa_time_parse(const char *s, int64_t *ms)
{
    /* libopenapply (linked into the engine) has the RFC 3339 parser; a space in place of the
     * 'T' (which RFC 3339 allows) is accepted here too. */
    char buf[64];
    size_t n = strlen(s);
    if (n < 20 || n >= sizeof buf)
        return OA_INVALID;
    memcpy(buf, s, n + 1);
    if (buf[10] == ' ')
        buf[10] = 'T';
    return oaw_time_parse(buf, ms) == OAW_OK ? OA_OK : OA_INVALID;
}
