/* log.c - leveled log lines to stderr with a UTC timestamp. Never given secrets. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "node.h"

static enum log_level current = LOG_INFO;
static const char *const names[] = {"error", "warn", "info", "debug"};

void log_set_level(enum log_level level)
{
    current = level;
}

int log_parse_level(const char *s, enum log_level *level)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) return *level = (enum log_level)i, 0;
    return -1;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (level > current) return;
    struct timespec ts;
    struct tm tm;
    char when[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s.%03ldZ %-5s ", when, ts.tv_nsec / 1000000, names[level]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
