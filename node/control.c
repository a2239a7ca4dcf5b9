/* control.c - the local control socket (ipc://DATA_DIR/control.sock; the data directory is
 * mode 0700, so only the node's user can connect). Requests are [op][payload] frames:
 * "publish" + a signed bulletin (the reply comes only after it is committed), "status". */
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "node.h"
#include "proto_pubkey.h"
#include "i18n.h"

static const char *const result_names[] = {"accepted",  "duplicate",     "pending", "fork",
                                           "malformed", "bad_signature", "error",   "untrusted"};

int control_open(struct node *n)
{
    char endpoint[1200], path[1100];
    snprintf(path, sizeof path, "%s/control.sock", n->cfg.data_dir);
    snprintf(endpoint, sizeof endpoint, "ipc://%s", path);
    n->control = zmq_socket(n->zctx, ZMQ_ROUTER);
    int linger = 0;
    zmq_setsockopt(n->control, ZMQ_LINGER, &linger, sizeof linger);
    int64_t max = PROTO_BULLETIN_MAX + 1024;
    zmq_setsockopt(n->control, ZMQ_MAXMSGSIZE, &max, sizeof max);
    unlink(path); /* a socket left by a node that was killed */
    if (zmq_bind(n->control, endpoint) != 0) {
        log_msg(LOG_ERROR, _("control socket %s: %s"), path, zmq_strerror(zmq_errno()));
        return -1;
    }
    /* The node's group may use it: office staff in the warta group publish without sudo (the
     * packaged data directory is 0750, so only that group reaches the socket). */
    if (chmod(path, 0660) != 0) log_msg(LOG_WARN, _("control socket %s: %s"), path, strerror(errno));
    return 0;
}

static void reply(struct node *n, zmq_msg_t *rid, bool ok, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    zmq_send(n->control, zmq_msg_data(rid), zmq_msg_size(rid), ZMQ_SNDMORE | ZMQ_DONTWAIT);
    zmq_send(n->control, ok ? "ok" : "error", ok ? 2 : 5, ZMQ_SNDMORE | ZMQ_DONTWAIT);
    zmq_send(n->control, text ? text : "{}", text ? strlen(text) : 2, ZMQ_DONTWAIT);
    free(text);
    json_decref(body);
}

/* A bulletin published here at a place of its issuer's chain that the node holds another
 * bulletin at: the key was used elsewhere, or its chain state was lost. Refused before it is
 * stored, so that an office cannot make fork evidence against itself by accident (a fork that
 * arrives from peers is still recorded). NULL if the place is free. */
static json_t *place_taken(struct node *n, const uint8_t *raw, size_t len)
{
    struct proto_bulletin b;
    uint8_t id[PROTO_ID_BYTES];
    uint64_t head = 0;
    bool forked = false;
    /* Only a bulletin its key really signed can take a place: an altered one is refused by
     * ingest as what it is (a bad signature), not as a fork of the office's chain. */
    if (proto_bulletin_decode(&b, raw, len, NULL) != PROTO_OK ||
        proto_bulletin_verify(&b, raw, len) != PROTO_OK)
        return NULL;
    proto_bulletin_id(raw, len, id);
    if (store_head(n->st, b.issuer, &head, &forked) != STORE_OK || b.sequence > head ||
        store_has(n->st, id))
        return NULL;
    log_msg(LOG_WARN, _("publish refused: sequence %llu of this issuer is taken (its chain is at %llu)"),
            (unsigned long long)b.sequence, (unsigned long long)head);
    return json_pack("{s:s, s:I, s:I}", "result", "taken", "sequence", (json_int_t)b.sequence,
                     "head", (json_int_t)head);
}

static json_t *publish(struct node *n, const uint8_t *raw, size_t len, bool *ok)
{
    struct ingest_item item = {.raw = raw, .len = len};
    char hex[2 * PROTO_ID_BYTES + 1];
    gossip_ingest_inbox(n); /* what peers sent first goes first */
    json_t *taken = place_taken(n, raw, len);
    if (taken) {
        *ok = false;
        return taken;
    }
    int rc = gossip_publish(n, &item);
    /* Only a committed bulletin counts: one waiting for its predecessor is not stored yet. */
    *ok = rc == STORE_OK && (item.result == INGEST_ACCEPTED || item.result == INGEST_DUPLICATE);
    sodium_bin2hex(hex, sizeof hex, item.id, PROTO_ID_BYTES);
    if (item.result == INGEST_ACCEPTED)
        log_msg(LOG_DEBUG, _("published %.16s... (sequence %llu)"), hex,
                (unsigned long long)item.b.sequence);
    json_t *o = json_pack("{s:s, s:s}", "result", result_names[item.result], "id",
                          item.result == INGEST_MALFORMED ? "" : hex);
    if (item.result == INGEST_UNTRUSTED)
        json_object_set_new(o, "reason", json_string(roster_status_name(item.refusal)));
    return o;
}

/* How many bulletins p has said it holds that this node does not. */
static uint64_t lag_behind(struct node *n, const struct peer *p)
{
    uint64_t lag = 0;
    for (size_t i = 0; i < p->n_state; i++) {
        uint64_t theirs = proto_state_head(p->state, i), ours;
        bool forked;
        if (store_head(n->st, proto_state_issuer(p->state, i), &ours, &forked) == STORE_OK &&
            theirs > ours)
            lag += theirs - ours;
    }
    return lag;
}

static json_t *roster_status(struct node *n)
{
    if (n->roster == NULL) return json_pack("{s:b}", "enforced", 0);
    char net[2 * PROTO_ID_BYTES + 1];
    uint8_t id[PROTO_ID_BYTES];
    roster_network(n->roster, id);
    sodium_bin2hex(net, sizeof net, id, PROTO_ID_BYTES);
    return json_pack("{s:b, s:s, s:I, s:I, s:s, s:I}", "enforced", 1, "network", net,
                     "root_version", (json_int_t)roster_root(n->roster)->version, "records",
                     (json_int_t)roster_count(n->roster), "untrusted",
                     n->cfg.keep_untrusted ? "keep" : "reject", "kept_apart",
                     (json_int_t)n->kept_untrusted);
}

/* The log's latest checkpoint and what this node witnessed of the others. */
static json_t *log_status(struct node *n)
{
    struct witness_status w;
    uint64_t size = 0;
    char root[65];
    witness_status(n, &w);
    store_log_size(n->st, &size);
    json_t *o =
        json_pack("{s:I, s:{s:I, s:I, s:I, s:I}}", "size", (json_int_t)size, "witness", "nodes",
                  (json_int_t)w.nodes, "cosigned", (json_int_t)w.cosigned, "confirmed",
                  (json_int_t)w.confirmed, "conflicts", (json_int_t)w.conflicts);
    if (w.have_checkpoint) {
        sodium_bin2hex(root, sizeof root, w.root, 32);
        json_object_set_new(o, "checkpoint",
                            json_pack("{s:I, s:s, s:I, s:I}", "size", (json_int_t)w.size, "root",
                                      root, "time", (json_int_t)w.time, "cosigners",
                                      (json_int_t)w.cosigners));
    }
    return o;
}

static json_t *status(struct node *n)
{
    struct store_stats st;
    struct ingest_counters c;
    char key[PROTO_PUBKEY_TEXT_LEN + 1];
    store_stats(n->st, &st);
    ingest_counters(n->in, &c);
    proto_pubkey_format(keys_secret_pk(n->identity), key);
    json_t *peers = json_array();
    for (int i = 0; i < NODE_MAX_PEERS; i++) {
        struct peer *p = &n->peers[i];
        if (!p->used) continue;
        json_array_append_new(
            peers, json_pack("{s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:i, s:I, s:I}", "name", p->name,
                             "direction", p->inbound ? "in" : "out", "endpoint", p->endpoint,
                             "dropped", p->dropped, "messages_in", (json_int_t)p->received,
                             "messages_out", (json_int_t)p->sent, "bytes_in",
                             (json_int_t)p->bytes_in, "bytes_out", (json_int_t)p->bytes_out,
                             "bad_messages", (int)p->bad, "lag", (json_int_t)lag_behind(n, p),
                             "unserved", (json_int_t)p->unserved));
    }
    json_t *o = json_pack(
        "{s:s, s:s, s:I, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:I,"
        " s:I, s:I, s:I}, s:o, s:o, s:o}",
        "name", n->cfg.name, "node_key", key, "uptime_ms",
        (json_int_t)(node_now_ms() - (int64_t)n->started_ms), "store", "bulletins",
        (json_int_t)st.bulletins, "issuers", (json_int_t)st.issuers, "fork_events",
        (json_int_t)st.fork_events, "map_size", (json_int_t)st.map_size, "ingest", "accepted",
        (json_int_t)c.accepted, "duplicate", (json_int_t)c.duplicate, "pending",
        (json_int_t)c.pending, "fork", (json_int_t)c.fork, "malformed", (json_int_t)c.malformed,
        "bad_signature", (json_int_t)c.bad_signature, "untrusted", (json_int_t)c.untrusted,
        "waiting", (json_int_t)ingest_pending_count(n->in), "peers", peers, "roster",
        roster_status(n), "log", log_status(n));
    size_t open, cap;
    uint64_t refused;
    guard_status(n, &open, &cap, &refused);
    json_object_set_new(o, "connections",
                        json_pack("{s:I, s:I, s:I}", "inbound", (json_int_t)open, "limit",
                                  (json_int_t)cap, "refused", (json_int_t)refused));
    return o;
}

void control_handle(struct node *n)
{
    for (int round = 0; round < 16; round++) {
        zmq_msg_t f[3];
        int count = 0, more = 1;
        for (; more && count < 3; count++) {
            zmq_msg_init(&f[count]);
            if (zmq_msg_recv(&f[count], n->control, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(&f[count]);
                break;
            }
            more = zmq_msg_more(&f[count]);
        }
        while (more) { /* ignore frames beyond [id][op][payload] */
            zmq_msg_t x;
            zmq_msg_init(&x);
            if (zmq_msg_recv(&x, n->control, ZMQ_DONTWAIT) < 0)
                more = 0;
            else
                more = zmq_msg_more(&x);
            zmq_msg_close(&x);
        }
        if (count == 0) return;
        bool ok = false;
        json_t *body = NULL;
        size_t oplen = count >= 2 ? zmq_msg_size(&f[1]) : 0;
        const char *op = count >= 2 ? zmq_msg_data(&f[1]) : "";
        if (oplen == 7 && memcmp(op, "publish", 7) == 0 && count == 3)
            body = publish(n, zmq_msg_data(&f[2]), zmq_msg_size(&f[2]), &ok);
        else if (oplen == 6 && memcmp(op, "status", 6) == 0)
            body = status(n), ok = true;
        else
            body = json_pack("{s:s}", "error", "unknown request");
        if (count >= 1)
            reply(n, &f[0], ok, body);
        else
            json_decref(body);
        for (int i = 0; i < count; i++)
            zmq_msg_close(&f[i]);
    }
}
