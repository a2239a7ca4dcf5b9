/* timefmt.c - RFC 3339 UTC times with milliseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tool.h"

int tool_time_parse(const char *s, uint64_t *ms)
{
    int y, mo, d, h, mi, sec, n = 0;
    unsigned frac = 0;
    size_t len = strlen(s);
    if (len > 0 && strspn(s, "0123456789") == len) {
        char *end;
        unsigned long long v = strtoull(s, &end, 10);
        if (*end != 0 || v == 0 || v > PROTO_TIME_MAX) return -1;
        *ms = v;
        return 0;
    }
    if (len != 20 && len != 24) return -1;
    for (int i = 0; i < 19; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if (digit != (i != 4 && i != 7 && i != 10 && i != 13 && i != 16)) return -1;
    }
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
        return -1;
    if (len == 24) {
        if (s[19] != '.' || strspn(s + 20, "0123456789") != 3) return -1;
        frac = (unsigned)atoi(s + 20);
    }
    if (s[len - 1] != 'Z' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
        mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
        return -1;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    time_t t = timegm(&tm);
    if (t < 0 || tm.tm_mday != d) return -1; /* timegm normalised an impossible date */
    *ms = (uint64_t)t * 1000u + frac;
    return *ms == 0 || *ms > PROTO_TIME_MAX ? -1 : 0;
}

void tool_time_format(uint64_t ms, char out[TOOL_TIME_LEN])
{
    time_t t = (time_t)(ms / 1000u);
    struct tm tm;
    char date[24];
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, TOOL_TIME_LEN, "%s.%03uZ", date, (unsigned)(ms % 1000u));
}

uint64_t tool_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
