/* node.c - wartad's event loop: one thread polls the peer sockets, the control socket and the
 * ZAP handler, dispatches each message, and runs the anti-entropy timer. All node state is
 * owned by this thread; only signature checks run elsewhere (verify_pool.c). */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "node.h"
#include "i18n.h"

int64_t node_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void send_hello(struct node *n, struct peer *p)
{
    uint8_t buf[128];
    struct proto_writer w;
    proto_writer_init(&w, buf, sizeof buf);
    proto_wire_hello(&w, n->cfg.name);
    peer_send(n, p, buf, w.len);
}

void node_on_message(struct node *n, struct peer *p, const uint8_t *msg, size_t len)
{
    struct proto_msg m;
    int rc = proto_wire_decode(&m, msg, len);
    if (rc != PROTO_OK) {
        peer_misbehaved(n, p, _(proto_strerror(rc)));
        return;
    }
    switch (m.type) {
    case PROTO_MSG_HELLO:
        /* Name the link after the node, unless the configuration named it. */
        if (p->inbound || p->auto_name)
            snprintf(p->name, sizeof p->name, "%s%.*s", p->inbound ? "in:" : "", (int)m.name.n,
                     (const char *)m.name.p);
        if (p->inbound) send_hello(n, p);
        sync_send_state(n, p);
        witness_greet(n, p);
        break;
    case PROTO_MSG_STATE:
        sync_on_state(n, p, &m);
        break;
    case PROTO_MSG_IHAVE:
        gossip_on_ihave(n, p, &m);
        break;
    case PROTO_MSG_IWANT:
        gossip_on_iwant(n, p, &m);
        break;
    case PROTO_MSG_BULLETINS:
        gossip_on_bulletins(n, p, &m);
        break;
    case PROTO_MSG_FETCH:
        sync_on_fetch(n, p, &m);
        break;
    case PROTO_MSG_CHECKPOINT:
        witness_on_checkpoint(n, p, &m);
        break;
    case PROTO_MSG_CHECKPOINT_AT:
        witness_on_checkpoint_at(n, p, &m);
        break;
    }
}

/* Greet every outbound peer: HELLO then STATE (queued until the link is up). */
static void greet(struct node *n)
{
    for (int i = 0; i < NODE_MAX_PEERS; i++)
        if (n->peers[i].used && !n->peers[i].inbound) {
            send_hello(n, &n->peers[i]);
            sync_send_state(n, &n->peers[i]);
        }
}

/* When the latest answer came from a peer that still owes answers to our FETCHes (a catch-up
 * is under way), or 0 if none owes any. */
static int64_t owed_reply_at(const struct node *n)
{
    int64_t last = 0;
    for (int i = 0; i < NODE_MAX_PEERS; i++) {
        const struct peer *p = &n->peers[i];
        if (p->used && !p->dropped && p->fetches > 0 && p->last_fetch_reply > last)
            last = p->last_fetch_reply;
    }
    return last;
}

int node_run(struct node *n)
{
    zmq_pollitem_t items[NODE_MAX_PEERS + 4];
    void *sockets[NODE_MAX_PEERS + 4];
    n->next_sync = node_now_ms() + n->cfg.sync_interval_ms;
    greet(n);
    while (!*n->stop) {
        int k = 0;
        if (n->reload && *n->reload) {
            *n->reload = 0;
            node_reload(n);
        }
        sockets[k++] = n->zap;
        sockets[k++] = n->control;
        if (n->router) sockets[k++] = n->router;
        if (guard_socket(n)) sockets[k++] = guard_socket(n);
        for (int i = 0; i < NODE_MAX_PEERS; i++)
            if (n->peers[i].used && n->peers[i].dealer) sockets[k++] = n->peers[i].dealer;
        for (int i = 0; i < k; i++)
            items[i] = (zmq_pollitem_t){sockets[i], 0, ZMQ_POLLIN, 0};
        int64_t now = node_now_ms(), wait = n->next_sync - now, commit_at = 0;
        /* Bulletins placed but not committed: commit once nothing else is waiting, so a
         * burst of messages shares commits. While a peer still owes answers to our FETCHes
         * (a catch-up), wait a little for the next one first, but not for long in all: the
         * answers then fill transactions of thousands (ingest commits at 8192), and each
         * commits while the next batch is being checked. */
        if (ingest_has_open(n->in)) {
            if (n->open_serial != ingest_transactions(n->in)) {
                n->open_serial = ingest_transactions(n->in);
                n->open_since = now;
            }
            int64_t last = owed_reply_at(n);
            commit_at = last == 0 ? now : n->open_since + NODE_OPEN_MAX_MS;
            if (last != 0 && last + NODE_HOLD_MS < commit_at) commit_at = last + NODE_HOLD_MS;
            wait = commit_at > now ? commit_at - now : 0;
        }
        int rc = zmq_poll(items, k, wait < 0 ? 0 : wait > 1000 ? 1000 : (long)wait);
        if (rc == 0 && ingest_has_open(n->in) && node_now_ms() >= commit_at) gossip_flush(n);
        if (rc < 0 && zmq_errno() != EINTR) {
            log_msg(LOG_ERROR, _("poll: %s"), zmq_strerror(zmq_errno()));
            return -1;
        }
        for (int i = 0; rc > 0 && i < k && !*n->stop; i++) {
            if (!(items[i].revents & ZMQ_POLLIN)) continue;
            if (sockets[i] == n->zap)
                zap_handle(n);
            else if (sockets[i] == n->control)
                control_handle(n);
            else if (sockets[i] == guard_socket(n))
                guard_handle(n);
            else
                peers_poll_in(n, sockets[i]);
        }
        /* What this round brought, as one batch; while more is waiting already (a catch-up
         * streams in), the batch grows first: a bigger batch keeps the cores checking
         * signatures while the previous one commits. */
        if (gossip_inbox_count(n) >= NODE_BATCH_MIN ||
            node_now_ms() - gossip_inbox_since(n) >= NODE_BATCH_WAIT_MS ||
            zmq_poll(items, k, 0) <= 0)
            gossip_ingest_inbox(n);
        sync_tick(n, node_now_ms());
        witness_tick(n, node_now_ms());
    }
    gossip_flush(n);
    return 0;
}
