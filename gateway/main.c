/* main.c - warta-gateway: flags, the store and roster, libmicrohttpd's loop. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gateway.h"
#include "i18n.h"
#include "tool.h"

extern const char gw_openapi_json[];
extern const size_t gw_openapi_json_len;

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static void usage(FILE *f)
{
    fprintf(f, _("usage: warta-gateway --roster ROSTER [--node DATA_DIR] [--listen ADDR:PORT]\n"
                 "                     [--base-url URL] [--max-connections N] [--max-feeds N]\n"
                 "                     [--per-ip N] [--timeout SECONDS]\n\n"
                 "Serves a node's store over HTTP: the JSON API under /v1/ (its OpenAPI document\n"
                 "at /v1/openapi.json), the live feed /v1/feed, and bulletin pages /b/ID. It reads\n"
                 "the store read-only while wartad runs and holds no key. ROSTER pins the network\n"
                 "root, as for warta verify --roster; the node's roster records are added.\n"
                 "--listen defaults to 127.0.0.1:8470 (loopback; port 0 picks a free one). Put TLS\n"
                 "in front with a reverse proxy, and give --base-url its public address.\n"
                 "--node DATA_DIR defaults to $WARTA_NODE, then /var/lib/warta.\n"
                 "example: warta-gateway --roster /etc/warta/root.wrb --listen 127.0.0.1:8470\n"));
}

static int positive(const char *s, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || v == 0 || v > 1000000) return -1;
    *out = (unsigned)v;
    return 0;
}

/* ---- requests ---- */

struct request {
    char *body;
    size_t n;
    bool too_big;
};

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    struct request *r = *con_cls;
    if (r) {
        free(r->body);
        free(r);
        *con_cls = NULL;
    }
}

static enum MHD_Result preflight(struct MHD_Connection *c)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (r == NULL) return MHD_NO;
    gw_common_headers(r);
    MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS");
    MHD_add_response_header(r, "Access-Control-Allow-Headers",
                            "Content-Type, Last-Event-ID, If-None-Match");
    MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
    enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_NO_CONTENT, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_len, void **con_cls)
{
    (void)version;
    struct gw *g = cls;
    struct request *r = *con_cls;
    if (r == NULL) { /* the headers are in: a request begins */
        if ((r = calloc(1, sizeof *r)) == NULL) return MHD_NO;
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_len > 0) { /* a piece of the body */
        if (r->too_big || r->n + *upload_len > GW_BODY_MAX) {
            r->too_big = true;
        } else {
            char *b = realloc(r->body, r->n + *upload_len + 1);
            if (b == NULL) return MHD_NO;
            memcpy(b + r->n, upload, *upload_len);
            r->body = b;
            r->n += *upload_len;
            r->body[r->n] = 0;
        }
        *upload_len = 0;
        return MHD_YES;
    }
    if (r->too_big)
        return gw_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
                        "a request body is at most %u bytes", GW_BODY_MAX);
    if (strcmp(method, "OPTIONS") == 0) return preflight(c);
    if (strncmp(url, "/v1/", 4) == 0)
        return gw_api(g, c, url, method, r->body ? r->body : "", r->n);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return gw_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method", "%s is not answered here",
                        method);
    if (strncmp(url, "/b/", 3) == 0) return gw_page_bulletin(g, c, url + 3);
    if (strcmp(url, "/") == 0) return gw_page_index(g, c);
    if (strcmp(url, "/verify") == 0) return gw_page_verify(g, c);
    if (strcmp(url, "/dashboard") == 0) return gw_page_dashboard(g, c);
    return gw_error(c, 404, "not_found", "no such address: %s", url);
}

/* ---- the store's snapshot ---- */

struct roster_skip {
    roster *ro;
    size_t skip, seen;
};

static int add_new(const uint8_t *raw, size_t len, void *p)
{
    struct roster_skip *r = p;
    if (r->seen++ >= r->skip) roster_visit_add(raw, len, r->ro);
    return 0;
}

/* Take a new snapshot; when the log grew, take in new roster records and wake the feeds. */
static int refresh(struct gw *g)
{
    uint64_t size = 0;
    if (store_refresh(g->s) != STORE_OK || store_log_size(g->s, &size) != STORE_OK) {
        fprintf(stderr, "warta-gateway: %s\n", store_error(g->s));
        return -1;
    }
    g->refreshed_ms = gw_now_ms();
    if (size != g->log_size || g->roster_seen == 0) {
        struct roster_skip r = {.ro = g->ro, .skip = g->roster_seen};
        store_roster_each(g->s, add_new, &r);
        g->roster_seen = r.seen;
    }
    bool grew = size != g->log_size;
    g->log_size = size;
    if (grew || gw_now_ms() - g->last_keepalive_ms >= GW_KEEPALIVE_MS) gw_feed_wake(g);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"node", required_argument, NULL, 'N'},      {"roster", required_argument, NULL, 'R'},
        {"listen", required_argument, NULL, 'l'},    {"base-url", required_argument, NULL, 'B'},
        {"max-connections", required_argument, NULL, 'c'},
        {"max-feeds", required_argument, NULL, 'f'}, {"per-ip", required_argument, NULL, 'p'},
        {"timeout", required_argument, NULL, 't'},   {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},         {NULL, 0, NULL, 0}};
    warta_i18n_init();
    const char *dir = NULL, *roster_path = NULL, *listen_at = "127.0.0.1:8470";
    unsigned max_conn = 4000, max_feeds = 2000, per_ip = 0, timeout = 30;
    struct gw g = {.base_url = ""};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'N': dir = optarg; break;
        case 'R': roster_path = optarg; break;
        case 'l': listen_at = optarg; break;
        case 'B':
            bad = strncmp(optarg, "http://", 7) != 0 && strncmp(optarg, "https://", 8) != 0;
            g.base_url = optarg;
            break;
        case 'c': bad = positive(optarg, &max_conn); break;
        case 'f': bad = positive(optarg, &max_feeds); break;
        case 'p': bad = positive(optarg, &per_ip); break;
        case 't': bad = positive(optarg, &timeout); break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("warta-gateway %s\n", WARTA_VERSION); return 0;
        default: usage(stderr); return EXIT_USAGE;
        }
        if (bad) {
            fprintf(stderr, _("warta-gateway: --%s: a bad value '%s'\n"),
                    c == 'B' ? "base-url" : c == 'c' ? "max-connections" : c == 'f' ? "max-feeds"
                    : c == 'p' ? "per-ip" : "timeout", optarg);
            return EXIT_USAGE;
        }
    }
    struct sockaddr_in addr;
    if (roster_path == NULL || optind != argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (tool_parse_listen(listen_at, &addr) != 0) {
        fprintf(stderr, _("warta-gateway: --listen: an IPv4 address and port like 127.0.0.1:8470, "
                          "not '%s'\n"), listen_at);
        return EXIT_USAGE;
    }
    size_t bl = strlen(g.base_url);
    while (bl > 0 && g.base_url[bl - 1] == '/') /* "https://x/" and "https://x" alike */
        ((char *)g.base_url)[--bl] = 0;
    dir = tool_node_dir(dir);
    if ((g.ro = tool_load_roster(roster_path)) == NULL) return EXIT_NOINPUT;
    if ((g.s = tool_open_store(dir)) == NULL) {
        roster_free(&g.ro);
        return EXIT_NOINPUT;
    }
    g.openapi = (char *)gw_openapi_json;
    g.openapi_len = gw_openapi_json_len;
    g.max_feeds = max_feeds;
    g.last_keepalive_ms = gw_now_ms();
    refresh(&g);

    /* Descriptors: as many as allowed, the connection limit within them. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < max_conn + 64)
            max_conn = rl.rlim_cur > 128 ? (unsigned)rl.rlim_cur - 64 : 64;
    }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    g.d = MHD_start_daemon(
        MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, &g,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)max_conn, MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 << 10), MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
    if (g.d == NULL) {
        fprintf(stderr, _("warta-gateway: cannot listen on %s: %s\n"), listen_at,
                strerror(errno));
        store_close(&g.s);
        roster_free(&g.ro);
        return EXIT_UNAVAILABLE;
    }
    const union MHD_DaemonInfo *port = MHD_get_daemon_info(g.d, MHD_DAEMON_INFO_BIND_PORT);
    const union MHD_DaemonInfo *ep = MHD_get_daemon_info(g.d, MHD_DAEMON_INFO_EPOLL_FD);
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof ip);
    fprintf(stderr, _("warta-gateway: serving %s on http://%s:%u/\n"), dir, ip,
            port ? (unsigned)port->port : 0u);
    while (!stopping) {
        MHD_UNSIGNED_LONG_LONG to;
        int wait = GW_TICK_MS;
        if (MHD_get_timeout(g.d, &to) == MHD_YES && to < (MHD_UNSIGNED_LONG_LONG)wait)
            wait = (int)to;
        struct pollfd p = {.fd = ep->epoll_fd, .events = POLLIN};
        poll(&p, 1, wait);
        MHD_run(g.d);
        if (gw_now_ms() - g.refreshed_ms >= GW_TICK_MS) refresh(&g);
    }
    /* MHD_stop_daemon must find no connection suspended: end every feed, let each finish. */
    gw_feed_release(&g);
    for (int i = 0; i < 100 && g.feeds > 0; i++) {
        struct pollfd p = {.fd = ep->epoll_fd, .events = POLLIN};
        poll(&p, 1, 10);
        MHD_run(g.d);
    }
    MHD_stop_daemon(g.d);
    store_close(&g.s);
    roster_free(&g.ro);
    return 0;
}
