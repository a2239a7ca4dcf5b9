/* timefmt.c - times: read as RFC 3339 (Z or an offset) or with an Indonesian zone (WIB, WITA,
 * WIT), written as UTC with milliseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tool.h"

/* The zone after a local time: its offset east of UTC in minutes, or -1 if s is not one.
 * Z, +HH:MM / -HH:MM, or Indonesia's zones by name (WIB +07:00, WITA +08:00, WIT +09:00),
 * with or without a space before the name. */
static int zone_offset(const char *s, int *minutes)
{
    static const struct {
        const char *name;
        int minutes;
    } zones[] = {{"WIB", 7 * 60}, {"WITA", 8 * 60}, {"WIT", 9 * 60}};
    if (strcmp(s, "Z") == 0) {
        *minutes = 0;
        return 0;
    }
    if ((s[0] == '+' || s[0] == '-') && strlen(s) == 6 && s[3] == ':' &&
        strspn(s + 1, "0123456789") == 2 && strspn(s + 4, "0123456789") == 2) {
        int h = (s[1] - '0') * 10 + (s[2] - '0'), m = (s[4] - '0') * 10 + (s[5] - '0');
        if (h > 14 || m > 59) return -1;
        *minutes = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
        return 0;
    }
    if (s[0] == ' ') s++;
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strcmp(s, zones[i].name) == 0) {
            *minutes = zones[i].minutes;
            return 0;
        }
    return -1;
}

int tool_time_parse(const char *s, uint64_t *ms)
{
    int y, mo, d, h, mi, sec, n = 0, offset = 0;
    unsigned frac = 0;
    size_t len = strlen(s);
    if (len > 0 && strspn(s, "0123456789") == len) {
        char *end;
        unsigned long long v = strtoull(s, &end, 10);
        if (*end != 0 || v == 0 || v > PROTO_TIME_MAX) return -1;
        *ms = v;
        return 0;
    }
    if (len < 20) return -1;
    for (int i = 0; i < 19; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if (digit != (i != 4 && i != 7 && i != 10 && i != 13 && i != 16)) return -1;
    }
    if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
        s[16] != ':')
        return -1;
    if (sscanf(s, "%4d-%2d-%2d%*c%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
        return -1;
    const char *zone = s + 19;
    if (*zone == '.') { /* milliseconds: 1 to 3 digits */
        size_t k = strspn(zone + 1, "0123456789");
        if (k < 1 || k > 3) return -1;
        for (size_t i = 0; i < 3; i++)
            frac = frac * 10 + (i < k ? (unsigned)(zone[1 + i] - '0') : 0);
        zone += 1 + k;
    }
    if (zone_offset(zone, &offset) != 0 || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
        h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0)
        return -1;
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = d,
                    .tm_hour = h,
                    .tm_min = mi,
                    .tm_sec = sec};
    time_t t = timegm(&tm);
    if (t < 0 || tm.tm_mday != d) return -1; /* timegm normalised an impossible date */
    t -= (time_t)offset * 60;                  /* local time to UTC */
    if (t < 0) return -1;
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
