/* feed.c - GET /v1/feed: the node's bulletins as Server-Sent Events, in arrival order.
 *
 * Each event's id is the bulletin's arrival number in this node's log, so a consumer that
 * reconnects with Last-Event-ID (or ?after=N) gets exactly what came after, from the store: a
 * feed holds no queue. It sends the stored bulletins first, then one `live` event, then each new
 * bulletin as the node commits it, and a comment every GW_KEEPALIVE_MS when nothing happens.
 * A feed holds at most one event beyond what the socket takes; a consumer that stops reading is
 * cut off by the connection timeout and resumes from the last id it got.
 * Messages: not translated (the event stream is a wire format). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway.h"
#include "tool.h"

#define FEED_SCAN_STEP 4096 /* log entries looked at per call before giving the loop back */

struct feed {
    struct gw *g;
    struct MHD_Connection *c;
    struct gw_filter f;
    uint64_t next;  /* the next arrival number to look at */
    bool live_sent; /* the `live` event, once the stored ones are out */
    bool keepalive;
    char *pending; /* the event being sent */
    size_t pending_len, pending_off;
    struct feed *next_waiting;
    bool waiting;
};

static void set_pending(struct feed *f, char *text, size_t n)
{
    free(f->pending);
    f->pending = text;
    f->pending_len = n;
    f->pending_off = 0;
}

struct scan {
    struct feed *f;
    size_t looked;
    bool found, stopped;
};

static int feed_one(uint64_t arrival, const struct proto_bulletin *b, const uint8_t *raw,
                    size_t len, void *p)
{
    struct scan *sc = p;
    struct feed *f = sc->f;
    if (sc->looked++ >= FEED_SCAN_STEP) {
        sc->stopped = true;
        f->next = arrival;
        return 1;
    }
    f->next = arrival + 1;
    if (!gw_filter_match(f->g, &f->f, b, raw, len)) return 0;
    json_t *o = gw_bulletin_json(b, raw, len, arrival);
    char *data = o ? tool_json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(o);
    if (data == NULL) return 0;
    size_t cap = strlen(data) + 64;
    char *ev = malloc(cap);
    if (ev != NULL) {
        int n = snprintf(ev, cap, "id: %llu\nevent: bulletin\ndata: %s\n\n",
                         (unsigned long long)arrival, data);
        set_pending(f, ev, (size_t)n);
        sc->found = true;
    }
    free(data);
    return sc->found;
}

/* Put the next event into pending: 1 if there is one, 0 if caught up, -1 to come back later. */
static int next_event(struct feed *f)
{
    struct scan sc = {.f = f};
    uint64_t from = f->next;
    if (from < f->g->log_size && store_arrivals(f->g->s, from, false, feed_one, &sc) != STORE_OK)
        return 0;
    if (sc.found) return 1;
    if (sc.stopped) return -1;
    if (f->next < f->g->log_size) f->next = f->g->log_size; /* the rest was fork evidence */
    if (!f->live_sent) {
        char *ev = malloc(96);
        if (ev == NULL) return 0;
        int n =
            snprintf(ev, 96, "event: live\ndata: {\"next\":%llu}\n\n", (unsigned long long)f->next);
        set_pending(f, ev, (size_t)n);
        f->live_sent = true;
        return 1;
    }
    if (f->keepalive) {
        f->keepalive = false;
        char *ev = strdup(": keep-alive\n\n");
        if (ev == NULL) return 0;
        set_pending(f, ev, strlen(ev));
        return 1;
    }
    return 0;
}

static ssize_t feed_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct feed *f = cls;
    size_t out = 0;
    while (out < max) {
        if (f->pending_off < f->pending_len) {
            size_t n = f->pending_len - f->pending_off;
            if (n > max - out) n = max - out;
            memcpy(buf + out, f->pending + f->pending_off, n);
            f->pending_off += n;
            out += n;
            continue;
        }
        int got = next_event(f);
        if (got == 1) continue;
        if (got < 0) return (ssize_t)out; /* more to look at: called again at once */
        break;
    }
    if (out > 0) return (ssize_t)out;
    if (f->g->stopping) return MHD_CONTENT_READER_END_OF_STREAM;
    /* Caught up: wait until the log grows or a keep-alive is due. */
    f->waiting = true;
    f->next_waiting = f->g->waiting;
    f->g->waiting = f;
    MHD_suspend_connection(f->c);
    return 0;
}

static void feed_free(void *cls)
{
    struct feed *f = cls;
    if (f->waiting) { /* only when the daemon stops: a waiting feed is not closed */
        for (struct feed **p = &f->g->waiting; *p; p = &(*p)->next_waiting)
            if (*p == f) {
                *p = f->next_waiting;
                break;
            }
    }
    f->g->feeds--;
    free(f->pending);
    free(f);
}

void gw_feed_wake(struct gw *g)
{
    uint64_t now = gw_now_ms();
    bool keepalive = now - g->last_keepalive_ms >= GW_KEEPALIVE_MS;
    if (keepalive) g->last_keepalive_ms = now;
    struct feed *f = g->waiting, *next;
    g->waiting = NULL;
    for (; f; f = next) {
        next = f->next_waiting;
        f->waiting = false;
        f->keepalive = keepalive;
        MHD_resume_connection(f->c);
    }
}

void gw_feed_release(struct gw *g)
{
    g->stopping = true;
    g->last_keepalive_ms = gw_now_ms();
    gw_feed_wake(g);
}

enum MHD_Result gw_feed(struct gw *g, struct MHD_Connection *c)
{
    static const char *const extra[] = {"after", NULL};
    struct gw_filter flt;
    char msg[200];
    if (gw_filter_parse(g, c, &flt, extra, msg, sizeof msg) != 0)
        return gw_error(c, 400, "bad_parameter", "%s", msg);
    const char *after = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID");
    if (after == NULL) after = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "after");
    uint64_t next = 0;
    if (after != NULL) {
        char *end;
        unsigned long long v = strtoull(after, &end, 10);
        if (*after < '0' || *after > '9' || *end || v == UINT64_MAX)
            return gw_error(c, 400, "bad_parameter",
                            "Last-Event-ID (or after): the id of the last event received");
        next = v + 1;
    }
    if (g->feeds >= g->max_feeds)
        return gw_error(c, 503, "busy", "%zu feeds are open, the most this gateway serves",
                        g->feeds);
    struct feed *f = calloc(1, sizeof *f);
    if (f == NULL) return gw_error(c, 503, "busy", "out of memory");
    *f = (struct feed){.g = g, .c = c, .f = flt, .next = next};
    /* Tell EventSource how soon to come back after a cut. */
    f->pending = strdup("retry: 2000\n\n");
    f->pending_len = f->pending ? strlen(f->pending) : 0;
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 << 10, feed_read, f, feed_free);
    if (r == NULL) {
        free(f->pending);
        free(f);
        return MHD_NO;
    }
    g->feeds++;
    MHD_add_response_header(r, "Content-Type", "text/event-stream; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Accel-Buffering", "no"); /* a proxy must not hold events */
    gw_common_headers(r);
    enum MHD_Result rc = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return rc;
}
