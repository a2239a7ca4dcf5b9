/* guard.c - what a crowd of connections cannot take from the node: its file descriptors.
 *
 * libzmq accepts every connection on the listening ROUTER. Once the process runs out of
 * descriptors, libzmq 4.3.4 spins on the listener (accept fails, the socket stays readable) and
 * aborts on the next accept of the control socket (`Too many open files
 * (src/ipc_listener.cpp:325)`), which the next `warta status` makes. So the node raises its
 * soft descriptor limit to the hard one, keeps NODE_FD_RESERVE of them for its own use (store,
 * control socket and its clients, outbound links, libzmq's own), and lets inbound connections
 * have half of the rest at most, and NODE_CONNS_PER_ADDRESS from any one IP address. A monitor
 * on the ROUTER reports each accepted connection with its descriptor; one past either limit is
 * shut down at once (libzmq then sees the end of the stream and closes it). A connection that
 * does not finish its handshake is closed by libzmq after NODE_HANDSHAKE_MS. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <zmq.h>

#include "node.h"
#include "i18n.h"

#define MONITOR_ENDPOINT "inproc://wartad-router-monitor"

struct conn {
    int fd;
    bool refused;       /* shut down by the guard, not yet reported closed */
    uint8_t addr[16];   /* IPv4 (mapped) or IPv6 address; all zero for other families */
};

struct guard {
    void *monitor; /* PAIR connected to the router's monitor */
    size_t cap;    /* inbound connections at most */
    size_t n;
    struct conn *conns; /* cap + NODE_GUARD_SLACK of them */
    uint64_t refused, accept_failures;
    int64_t warned_ms;
};

/* A connection refused while the table is full still holds its descriptor until libzmq
 * closes it; these slots keep track of them. */
#define NODE_GUARD_SLACK 64

/* The IP address of fd's peer, as 16 bytes (IPv4 mapped into IPv6); false if it has none. */
static bool peer_address(int fd, uint8_t out[16])
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    memset(out, 0, 16);
    if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0) return false;
    if (ss.ss_family == AF_INET) {
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &((struct sockaddr_in *)&ss)->sin_addr, 4);
        return true;
    }
    if (ss.ss_family == AF_INET6) {
        memcpy(out, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
        return true;
    }
    return false; /* ipc: the local machine */
}

static size_t open_from(const struct guard *g, const uint8_t addr[16])
{
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++)
        k += !g->conns[i].refused && memcmp(g->conns[i].addr, addr, 16) == 0;
    return k;
}

static void on_accepted(struct guard *g, int fd, int64_t now)
{
    uint8_t addr[16];
    bool ip = peer_address(fd, addr);
    size_t live = 0;
    for (size_t i = 0; i < g->n; i++)
        live += !g->conns[i].refused;
    bool refuse = live >= g->cap || (ip && open_from(g, addr) >= NODE_CONNS_PER_ADDRESS);
    if (refuse) {
        shutdown(fd, SHUT_RDWR);
        if (g->refused++ == 0 || now - g->warned_ms > 10000) { /* a line per 10 s at most */
            g->warned_ms = now;
            log_msg(LOG_WARN, _("connections: %zu open, refusing more (%llu refused so far)"), live,
                    (unsigned long long)g->refused);
        }
    }
    if (g->n == g->cap + NODE_GUARD_SLACK) return; /* refused ones only: left to libzmq */
    g->conns[g->n++] = (struct conn){.fd = fd, .refused = refuse};
    memcpy(g->conns[g->n - 1].addr, addr, 16);
}

static void on_closed(struct guard *g, int fd)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->conns[i].fd == fd) {
            g->conns[i] = g->conns[--g->n];
            return;
        }
}

int guard_open(struct node *n)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl); /* as many as this process may have */
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (!n->router) return 0;
    rlim_t limit = rl.rlim_cur == RLIM_INFINITY ? 1 << 20 : rl.rlim_cur;
    if (limit < NODE_FD_RESERVE + 16) {
        log_msg(LOG_ERROR, _("only %llu file descriptors allowed; wartad needs %d or more "
                           "(raise `ulimit -n`, or LimitNOFILE= in its systemd unit)"),
                (unsigned long long)limit, NODE_FD_RESERVE + 16);
        return -1;
    }
    struct guard *g = calloc(1, sizeof *g);
    if (g == NULL) return -1;
    g->cap = (size_t)(limit - NODE_FD_RESERVE) / 2;
    if (g->cap > NODE_MAX_CONNS) g->cap = NODE_MAX_CONNS;
    g->conns = calloc(g->cap + NODE_GUARD_SLACK, sizeof *g->conns);
    n->guard = g;
    if (g->conns == NULL ||
        zmq_socket_monitor(n->router, MONITOR_ENDPOINT,
                           ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED |
                               ZMQ_EVENT_ACCEPT_FAILED) != 0 ||
        (g->monitor = zmq_socket(n->zctx, ZMQ_PAIR)) == NULL ||
        zmq_connect(g->monitor, MONITOR_ENDPOINT) != 0) {
        log_msg(LOG_ERROR, _("connection guard: %s"), zmq_strerror(zmq_errno()));
        return -1;
    }
    log_msg(LOG_INFO, _("inbound connections: at most %zu, %d per address (%llu descriptors)"),
            g->cap, NODE_CONNS_PER_ADDRESS, (unsigned long long)limit);
    return 0;
}

void *guard_socket(const struct node *n)
{
    return n->guard ? n->guard->monitor : NULL;
}

void guard_handle(struct node *n)
{
    struct guard *g = n->guard;
    for (int k = 0; k < 256; k++) {
        zmq_msg_t ev, where;
        zmq_msg_init(&ev);
        zmq_msg_init(&where);
        if (zmq_msg_recv(&ev, g->monitor, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&ev);
            zmq_msg_close(&where);
            return;
        }
        if (zmq_msg_more(&ev)) zmq_msg_recv(&where, g->monitor, ZMQ_DONTWAIT);
        if (zmq_msg_size(&ev) == 6) {
            uint16_t event;
            int32_t value;
            memcpy(&event, zmq_msg_data(&ev), 2);
            memcpy(&value, (uint8_t *)zmq_msg_data(&ev) + 2, 4);
            int64_t now = node_now_ms();
            if (event == ZMQ_EVENT_ACCEPTED)
                on_accepted(g, value, now);
            else if (event == ZMQ_EVENT_DISCONNECTED)
                on_closed(g, value);
            else if (event == ZMQ_EVENT_ACCEPT_FAILED && ++g->accept_failures &&
                     now - g->warned_ms > 10000) { /* at most one line per 10 s */
                g->warned_ms = now;
                log_msg(LOG_WARN, _("accept: %s (%llu times)"), strerror(value),
                        (unsigned long long)g->accept_failures);
            }
        }
        zmq_msg_close(&ev);
        zmq_msg_close(&where);
    }
}

void guard_status(const struct node *n, size_t *open, size_t *cap, uint64_t *refused)
{
    const struct guard *g = n->guard;
    *open = *cap = 0;
    *refused = 0;
    if (g == NULL) return;
    for (size_t i = 0; i < g->n; i++)
        *open += !g->conns[i].refused;
    *cap = g->cap;
    *refused = g->refused;
}

void guard_close(struct node *n)
{
    struct guard *g = n->guard;
    if (g == NULL) return;
    if (g->monitor) zmq_close(g->monitor);
    free(g->conns);
    free(g);
    n->guard = NULL;
}
