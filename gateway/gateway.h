/* gateway.h - warta-gateway: a node's store over HTTP (libmicrohttpd) for platforms and the
 * public: the JSON API under /v1/, the live feed, bulletin pages and the verification page.
 *
 * Its own process beside wartad: it opens the node's store read-only (store.h's reader
 * contract), so it never takes the writer's lock nor slows ingest, holds no key, and a fault in
 * it cannot stop the node. One thread runs libmicrohttpd's event loop (external epoll), takes a
 * new snapshot of the store at most every WARTA_GW_TICK_MS, and wakes the feeds when the log grew;
 * every request between two ticks reads the same snapshot. */
#ifndef WARTA_GATEWAY_H
#define WARTA_GATEWAY_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_bulletin.h"
#include "query.h"
#include "roster.h"
#include "status.h"
#include "store.h"

#define GW_TICK_MS 100             /* snapshot refresh, at most this often */
#define GW_BODY_MAX (256u << 10)   /* a POST body: an armored bulletin of 65536 bytes fits */
#define GW_PAGE_MAX 500            /* bulletins per page of the list */
#define GW_SCAN_MAX 100000         /* log entries one list request may look at */
#define GW_KEEPALIVE_MS 15000      /* a comment on an idle feed */

struct feed;

struct gw {
    store *s;
    roster *ro;
    size_t roster_seen;      /* roster records of the store taken in */
    uint64_t log_size;       /* entries in the log at the last refresh */
    uint64_t refreshed_ms;
    struct MHD_Daemon *d;
    const char *base_url;    /* where pages are, for ClaimReview and OpenGraph ("" = relative) */
    char *openapi;           /* the OpenAPI document served at /v1/openapi.json */
    size_t openapi_len;
    struct feed *waiting;    /* feeds suspended until the log grows or a keep-alive is due */
    size_t feeds, max_feeds;
    bool stopping; /* feeds end instead of waiting: the daemon stops */
    uint64_t last_keepalive_ms;
};

/* http.c: answers. Each queues a response and returns what the access handler returns. */
enum MHD_Result gw_json(struct MHD_Connection *c, unsigned status, json_t *o);
/* {"error": {"code": code, "message": message}} */
enum MHD_Result gw_error(struct MHD_Connection *c, unsigned status, const char *code,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* An immutable object (etag "..."; 304 when If-None-Match has it), or a changing one (etag
 * NULL). */
enum MHD_Result gw_bytes(struct MHD_Connection *c, unsigned status, const char *type,
                         const void *data, size_t len, const char *etag);
/* Headers every answer carries (CORS, nosniff). */
void gw_common_headers(struct MHD_Response *r);
uint64_t gw_now_ms(void);
/* Where this gateway is, for absolute links: --base-url, else the Host the request named (a
 * plausible one), else http://127.0.0.1; without a trailing "/". */
#define GW_BASE_MAX 300
void gw_base_url(const struct gw *g, struct MHD_Connection *c, char out[GW_BASE_MAX]);

/* api.c: the /v1/ routes. */
enum MHD_Result gw_api(struct gw *g, struct MHD_Connection *c, const char *url,
                       const char *method, const char *body, size_t body_len);
/* Parse the filter parameters (and check that no unknown one is given, besides the names in
 * extra, NULL-terminated). 0, or -1 with msg filled. */
int gw_filter_parse(struct gw *g, struct MHD_Connection *c, struct gw_filter *f,
                    const char *const *extra, char *msg, size_t cap);
bool gw_filter_match(struct gw *g, const struct gw_filter *f, const struct proto_bulletin *b,
                     const uint8_t *raw, size_t len);
/* A bulletin as the API shows it: its JSON form (tools/bulletin_json.c) and its arrival number. */
json_t *gw_bulletin_json(const struct proto_bulletin *b, const uint8_t *raw, size_t len,
                         uint64_t arrival);
/* The status of a stored notice (keys/status.c) now, from the store's named notices. */
int gw_status(struct gw *g, const struct proto_bulletin *b, const uint8_t *id,
              struct bulletin_status *st);
json_t *gw_status_json(const struct bulletin_status *st, const uint8_t *id);
/* The roster: {"network", "offices"} (the delegations in force, with each key's office now) or
 * {"network", "records"}; and as armored records, one after another (malloc'd, NULL when out
 * of memory). */
json_t *gw_roster_view(struct gw *g, bool offices);
char *gw_roster_text(struct gw *g, size_t *len);
/* Parse 64 hex digits. */
bool gw_parse_id(const char *s, uint8_t id[PROTO_ID_BYTES]);

/* feed.c: GET /v1/feed, Server-Sent Events. */
enum MHD_Result gw_feed(struct gw *g, struct MHD_Connection *c);
/* The log grew, or keep-alives are due: resume the waiting feeds. */
void gw_feed_wake(struct gw *g);
/* Before stopping: resume every feed so the daemon can close them. */
void gw_feed_release(struct gw *g);

/* page.c: the human pages. */
enum MHD_Result gw_page_bulletin(struct gw *g, struct MHD_Connection *c, const char *id_hex);
enum MHD_Result gw_page_index(struct gw *g, struct MHD_Connection *c);

/* cap.c: GET /v1/alerts (Atom) and /v1/alerts/ID (one CAP 1.2 alert). */
enum MHD_Result gw_cap_feed(struct gw *g, struct MHD_Connection *c);
enum MHD_Result gw_cap_alert(struct gw *g, struct MHD_Connection *c, const char *id_hex);

/* verify.c: GET /verify, the verification page (web/) with the roster put in it. */
enum MHD_Result gw_page_verify(struct gw *g, struct MHD_Connection *c);
/* GET /dashboard: the effectiveness dashboard (web/dashboard.html), drawn from /v1/stats. */
enum MHD_Result gw_page_dashboard(struct gw *g, struct MHD_Connection *c);

#endif
