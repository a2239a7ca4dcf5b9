/* peers.c - the node's ZeroMQ links: one bound ROUTER for peers that connect in, one DEALER
 * per configured peer it connects out to, CurveZMQ on every link. */
#include <errno.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "node.h"
#include "i18n.h"

/* Options of every peer socket. Two of them work around libzmq 4.3.4, whose stream engine
 * aborts the process (zmq_assert(!_io_error) in out_event) when it must write on a connection
 * it has already marked broken, and it does so once a connection whose input it had stopped
 * for a full queue is closed by the peer: then its heartbeat timer, or a PING still in its
 * read buffer, makes it write. A peer that asks for much and never reads brings that about at
 * will. So the receive queues are unbounded (RCVHWM 0: the engine never stops reading; the
 * node itself drains every queue each round, and what a peer may make it do is bounded by the
 * serve credit below), and ZMTP heartbeats are off. Dead links are found by TCP instead:
 * keepalive probes an idle link, and a link whose data stays unacknowledged for
 * NODE_LINK_TIMEOUT_MS (a peer that stopped reading, or a cut cable) is closed. */
static void common_options(void *s)
{
    int64_t max = PROTO_WIRE_MAX;
    int linger = 0, sndhwm = 10000, rcvhwm = 0, one = 1, idle = 15, intvl = 5, cnt = 3;
    int maxrt = NODE_LINK_TIMEOUT_MS, handshake = NODE_HANDSHAKE_MS;
    zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &max, sizeof max);
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(s, ZMQ_SNDHWM, &sndhwm, sizeof sndhwm);
    zmq_setsockopt(s, ZMQ_RCVHWM, &rcvhwm, sizeof rcvhwm);
    zmq_setsockopt(s, ZMQ_HANDSHAKE_IVL, &handshake, sizeof handshake);
    zmq_setsockopt(s, ZMQ_TCP_KEEPALIVE, &one, sizeof one);
    zmq_setsockopt(s, ZMQ_TCP_KEEPALIVE_IDLE, &idle, sizeof idle);
    zmq_setsockopt(s, ZMQ_TCP_KEEPALIVE_INTVL, &intvl, sizeof intvl);
    zmq_setsockopt(s, ZMQ_TCP_KEEPALIVE_CNT, &cnt, sizeof cnt);
    zmq_setsockopt(s, ZMQ_TCP_MAXRT, &maxrt, sizeof maxrt);
}

/* A free slot, else the slot of an inbound peer dropped for garbage (so that dropped peers
 * reconnecting under new keys cannot fill the table), else NULL. */
static struct peer *new_peer(struct node *n)
{
    struct peer *p = NULL;
    for (int i = 0; i < NODE_MAX_PEERS && p == NULL; i++)
        if (!n->peers[i].used) p = &n->peers[i];
    for (int i = 0; i < NODE_MAX_PEERS && p == NULL; i++)
        if (n->peers[i].inbound && n->peers[i].dropped) p = &n->peers[i];
    if (p == NULL) return NULL;
    unsigned gen = p->gen + 1;
    peer_forget(p);
    p->used = true;
    p->gen = gen;
    p->fd = -1;
    return p;
}

static int connect_peer(struct node *n, const struct peer_config *pc)
{
    struct peer *p = new_peer(n);
    uint8_t server[32];
    int reconnect = 200, reconnect_max = 5000;
    if (p == NULL || crypto_sign_ed25519_pk_to_curve25519(server, pc->key) != 0) {
        log_msg(LOG_ERROR, _("peer %s: unusable key"), pc->name);
        return -1;
    }
    p->dealer = zmq_socket(n->zctx, ZMQ_DEALER);
    common_options(p->dealer);
    zmq_setsockopt(p->dealer, ZMQ_RECONNECT_IVL, &reconnect, sizeof reconnect);
    zmq_setsockopt(p->dealer, ZMQ_RECONNECT_IVL_MAX, &reconnect_max, sizeof reconnect_max);
    zmq_setsockopt(p->dealer, ZMQ_CURVE_SERVERKEY, server, 32);
    zmq_setsockopt(p->dealer, ZMQ_CURVE_PUBLICKEY, n->curve_pk, 32);
    zmq_setsockopt(p->dealer, ZMQ_CURVE_SECRETKEY, n->curve_sk, 32);
    memcpy(p->curve_key, server, 32);
    snprintf(p->name, sizeof p->name, "%s", pc->name);
    p->auto_name = pc->auto_name;
    snprintf(p->endpoint, sizeof p->endpoint, "%s", pc->endpoint);
    if (zmq_connect(p->dealer, pc->endpoint) != 0) {
        log_msg(LOG_ERROR, _("peer %s: connect %s: %s"), pc->name, pc->endpoint,
                zmq_strerror(zmq_errno()));
        return -1;
    }
    log_msg(LOG_INFO, _("peer %s: connecting to %s"), pc->name, pc->endpoint);
    return 0;
}

int peers_open(struct node *n)
{
    if (n->cfg.listen[0]) {
        int one = 1;
        n->router = zmq_socket(n->zctx, ZMQ_ROUTER);
        common_options(n->router);
        zmq_setsockopt(n->router, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
        /* A second connection under a routing id in use takes it over; without this libzmq
         * keeps the newcomer's messages in a queue it never reads, which with unbounded
         * queues (above) any peer could grow at will. Ids the router gives start from a
         * random number, so a peer cannot guess another's. */
        zmq_setsockopt(n->router, ZMQ_ROUTER_HANDOVER, &one, sizeof one);
        zmq_setsockopt(n->router, ZMQ_CURVE_SERVER, &one, sizeof one);
        zmq_setsockopt(n->router, ZMQ_CURVE_SECRETKEY, n->curve_sk, 32);
        zmq_setsockopt(n->router, ZMQ_ZAP_DOMAIN, "warta", 5);
        if (zmq_bind(n->router, n->cfg.listen) != 0) {
            log_msg(LOG_ERROR, _("listen %s: %s"), n->cfg.listen, zmq_strerror(zmq_errno()));
            return -1;
        }
        log_msg(LOG_INFO, _("listening on %s"), n->cfg.listen);
    }
    for (int i = 0; i < n->cfg.n_peers; i++)
        if (connect_peer(n, &n->cfg.peers[i]) != 0) return -1;
    return 0;
}

void peer_forget(struct peer *p)
{
    if (p->dealer) zmq_close(p->dealer);
    free(p->state);
    memset(p, 0, sizeof *p);
}

void peers_close(struct node *n)
{
    for (int i = 0; i < NODE_MAX_PEERS; i++)
        if (n->peers[i].used) peer_forget(&n->peers[i]);
    if (n->router) zmq_close(n->router);
    n->router = NULL;
}

/* A routing id as a key of the gone set: its hash (ids are short and not random). */
static void rid_key(const uint8_t *rid, size_t len, uint8_t key[16])
{
    crypto_generichash(key, 16, rid, len, NULL, 0);
}

static void mark_gone(struct node *n, const struct peer *p)
{
    uint8_t key[16];
    rid_key(p->rid, p->rid_len, key);
    seen_test_and_set(n->gone, key, node_now_ms(), NODE_GONE_MS);
}

static bool is_gone(const struct node *n, const uint8_t *rid, size_t len)
{
    uint8_t key[16];
    rid_key(rid, len, key);
    return seen_until(n->gone, key) > node_now_ms();
}

bool peer_send(struct node *n, struct peer *p, const uint8_t *msg, size_t len)
{
    int rc;
    if (!p->used || p->dropped) return false;
    if (p->inbound) {
        rc = zmq_send(n->router, p->rid, p->rid_len, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        if (rc >= 0) rc = zmq_send(n->router, msg, len, ZMQ_DONTWAIT);
        if (rc < 0 && zmq_errno() == EHOSTUNREACH) {
            log_msg(LOG_INFO, _("peer %s: gone"), p->name);
            mark_gone(n, p);
            peer_forget(p);
            return false;
        }
    } else {
        rc = zmq_send(p->dealer, msg, len, ZMQ_DONTWAIT);
    }
    if (rc < 0) {
        /* A full queue drops the message; anti-entropy repairs what it carried. */
        log_msg(LOG_DEBUG, _("peer %s: send: %s"), p->name, zmq_strerror(zmq_errno()));
        return false;
    }
    p->sent++;
    p->bytes_out += len;
    p->owed += len;
    return true;
}

/* The bytes the peer's kernel has acknowledged on TCP connection fd; false if fd is not one. */
static bool tcp_acked(int fd, uint64_t *acked)
{
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
        len < offsetof(struct tcp_info, tcpi_bytes_acked) + sizeof ti.tcpi_bytes_acked)
        return false;
    *acked = ti.tcpi_bytes_acked;
    return true;
}

/* The connection of p is now fd (from the latest message it sent): measure from here on. */
static void peer_set_fd(struct peer *p, int fd)
{
    if (fd == p->fd) return;
    p->fd = fd;
    p->out_base = p->bytes_out;
    if (!tcp_acked(fd, &p->acked_base)) p->acked_base = 0;
}

bool peer_owes_too_much(struct peer *p)
{
    uint64_t owed, now_acked;
    if (tcp_acked(p->fd, &now_acked)) {
        /* Sent since the base, less what the peer's kernel acknowledged since. The link also
         * carries framing, so acknowledged bytes can run ahead: then nothing is owed, and the
         * base moves up so that the surplus is not credited against later answers. */
        uint64_t sent = p->bytes_out - p->out_base, acked = now_acked - p->acked_base;
        if (acked >= sent) {
            p->out_base = p->bytes_out;
            p->acked_base = now_acked;
        }
        owed = acked >= sent ? 0 : sent - acked;
    } else { /* ipc: libzmq's queue cannot be seen; assume the peer drains at a fixed rate */
        int64_t now = node_now_ms();
        uint64_t drained = (uint64_t)(now - p->owed_ms) * NODE_SERVE_RATE_PER_MS;
        p->owed = p->owed > drained ? p->owed - drained : 0;
        p->owed_ms = now;
        owed = p->owed;
    }
    if (owed < NODE_SERVE_OWED) return false;
    if (p->unserved++ == 0)
        log_msg(LOG_INFO, _("peer %s: not served while it leaves %llu bytes unread"), p->name,
                (unsigned long long)owed);
    return true;
}

void peers_broadcast(struct node *n, const struct peer *skip, const uint8_t *msg, size_t len)
{
    for (int i = 0; i < NODE_MAX_PEERS; i++)
        if (n->peers[i].used && &n->peers[i] != skip) peer_send(n, &n->peers[i], msg, len);
}

void peer_misbehaved(struct node *n, struct peer *p, const char *why)
{
    p->bad++;
    log_msg(LOG_WARN, _("peer %s: %s (%u of %d)"), p->name, why, p->bad, NODE_BAD_LIMIT);
    if (p->bad < NODE_BAD_LIMIT) return;
    log_msg(LOG_WARN, _("peer %s: dropped for sending garbage"), p->name);
    if (n->n_banned < NODE_MAX_PEERS && !proto_is_zero(p->curve_key, 32))
        memcpy(n->banned[n->n_banned++], p->curve_key, 32);
    if (p->dealer) {
        zmq_close(p->dealer);
        p->dealer = NULL;
    }
    p->dropped = true;
}

static struct peer *inbound_peer(struct node *n, const uint8_t *rid, size_t rid_len,
                                 const char *user)
{
    for (int i = 0; i < NODE_MAX_PEERS; i++) {
        struct peer *p = &n->peers[i];
        if (p->used && p->inbound && p->rid_len == rid_len && memcmp(p->rid, rid, rid_len) == 0)
            return p;
    }
    if (is_gone(n, rid, rid_len)) return NULL; /* what a vanished peer left queued */
    struct peer *p = rid_len <= sizeof p->rid ? new_peer(n) : NULL;
    if (p == NULL) return NULL;
    p->inbound = true;
    memcpy(p->rid, rid, rid_len);
    p->rid_len = rid_len;
    if (user && strlen(user) == 64) sodium_hex2bin(p->curve_key, 32, user, 64, NULL, NULL, NULL);
    snprintf(p->name, sizeof p->name, "in:%.12s", user ? user : "?");
    log_msg(LOG_INFO, _("peer %s: connected in"), p->name);
    return p;
}

/* Receive one whole message from a ROUTER (identity + payload) or DEALER (payload). */
static int recv_one(struct node *n, void *socket)
{
    zmq_msg_t rid, body;
    struct peer *p = NULL;
    zmq_msg_init(&rid);
    zmq_msg_init(&body);
    bool router = socket == n->router;
    if (router && zmq_msg_recv(&rid, socket, ZMQ_DONTWAIT) < 0) goto none;
    if ((router && !zmq_msg_more(&rid)) || zmq_msg_recv(&body, socket, ZMQ_DONTWAIT) < 0) goto none;
    bool extra = zmq_msg_more(&body);
    while (zmq_msg_more(&body)) { /* a peer message is one frame; drain any more */
        zmq_msg_close(&body);
        zmq_msg_init(&body);
        if (zmq_msg_recv(&body, socket, ZMQ_DONTWAIT) < 0) break;
    }
    if (router) {
        p = inbound_peer(n, zmq_msg_data(&rid), zmq_msg_size(&rid), zmq_msg_gets(&body, "User-Id"));
    } else {
        for (int i = 0; i < NODE_MAX_PEERS && p == NULL; i++)
            if (n->peers[i].used && n->peers[i].dealer == socket) p = &n->peers[i];
    }
    if (p != NULL && !p->dropped) {
        int fd = zmq_msg_get(&body, ZMQ_SRCFD);
        if (fd >= 0) peer_set_fd(p, fd);
        p->received++;
        p->bytes_in += zmq_msg_size(&body);
        if (extra)
            peer_misbehaved(n, p, _("message with more than one frame"));
        else
            node_on_message(n, p, zmq_msg_data(&body), zmq_msg_size(&body));
    }
    zmq_msg_close(&rid);
    zmq_msg_close(&body);
    return 0;
none:
    zmq_msg_close(&rid);
    zmq_msg_close(&body);
    return -1;
}

static bool socket_live(struct node *n, void *socket)
{
    if (socket == n->router) return true;
    for (int k = 0; k < NODE_MAX_PEERS; k++)
        if (n->peers[k].used && n->peers[k].dealer == socket) return true;
    return false; /* handling an earlier message dropped the peer and closed its socket */
}

void peers_poll_in(struct node *n, void *socket)
{
    /* Bounded, so one busy peer cannot starve the others and the control socket. */
    for (int i = 0; i < 64 && socket_live(n, socket); i++)
        if (recv_one(n, socket) != 0) break;
}
