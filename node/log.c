/* log.c - leveled log lines to stderr: with a UTC timestamp, or, when stderr is the journal,
 * with the journal's priority prefix instead (it stamps lines itself). Never given secrets. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "node.h"

static enum log_level current = LOG_INFO;
static int journal = -1; /* stderr is the journal's stream: unknown yet (-1), no, yes */
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

const char *log_level_name(enum log_level level)
{
    return names[level];
}

/* $JOURNAL_STREAM names the journal's stream as DEVICE:INODE; is that our stderr? */
static bool on_journal(void)
{
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat sb;
    return js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &sb) == 0 &&
           (unsigned long long)sb.st_dev == dev && (unsigned long long)sb.st_ino == ino;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const priority[] = {SD_ERR, SD_WARNING, SD_INFO, SD_DEBUG};
    if (level > current) return;
    if (journal < 0) journal = on_journal();
    if (journal) {
        va_list ap;
        va_start(ap, fmt);
        fputs(priority[level], stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        return;
    }
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
