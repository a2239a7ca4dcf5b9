/* nettool.c - helpers for the network tests:
 *   nettool publish DATA_DIR SEED N SIZE   publish N chained bulletins of issuer SEED through
 *                                           the node's control socket; prints "acked ID" per
 *                                           bulletin the node confirmed (flushed at once)
 *   nettool hostile ENDPOINT NODEKEY SEED  connect as a peer and send garbage, forgeries,
 *                                           truncations, replays and an equivocation
 *   nettool echo ENDPOINT NODEKEY SEED     connect as two peers; the first sends a new bulletin,
 *                                           both listen 3 s; prints how many IHAVE naming it
 *                                           each got: "sender N listener M"
 *   nettool flood ENDPOINT NODEKEY ASKS NOTES
 *                                           send ASKS CHECKPOINT_AT and NOTES checkpoints of
 *                                           a log of its own; print how many the node answered
 *                                           and co-signed
 *   nettool equivocate SECONDS EP_A KEY_A SIZE_A EP_B KEY_B SIZE_B [EXTRA]
 *                                           a node that shows two peers two different logs:
 *                                           it connects to A and B under its own node key and
 *                                           signs, for each, checkpoints of its view (logs of
 *                                           SIZE_A and SIZE_B entries that differ from the
 *                                           first), answering CHECKPOINT_AT from that view;
 *                                           with EXTRA, as many more logs of SIZE_A to A;
 *                                           prints its node key, then runs for SECONDS
 *   nettool stall ENDPOINT NODEKEY SEED ROUNDS
 *                                           ROUNDS times: connect as a peer whose socket reads
 *                                           nothing (tiny buffers, pings on), ask for issuer
 *                                           SEED's bulletins again and again (FETCH, IWANT),
 *                                           then vanish without reading; the PINGs stay queued
 *                                           behind the asks at the node */
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "gen.h"
#include "proto_checkpoint.h"
#include "proto_pubkey.h"
#include "proto_wire.h"

static uint8_t buf[PROTO_BULLETIN_MAX];

static int publish(const char *dir, int seed, long n, size_t size)
{
    char endpoint[4200];
    snprintf(endpoint, sizeof endpoint, "ipc://%s/control.sock", dir);
    void *ctx = zmq_ctx_new(), *s = zmq_socket(ctx, ZMQ_DEALER);
    int timeout = 20000;
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    if (zmq_connect(s, endpoint) != 0) return 1;
    struct gen_chain c;
    gen_chain_init(&c, (uint8_t)seed, 0);
    long sent = 0, acked = 0;
    while (acked < n) {
        while (sent < n && sent - acked < 64) { /* a window of requests in flight */
            size_t len = gen_next(&c, size, 0, buf);
            zmq_send(s, "publish", 7, ZMQ_SNDMORE);
            zmq_send(s, buf, len, 0);
            sent++;
        }
        char status[8] = "", body[512];
        int k = zmq_recv(s, status, sizeof status - 1, 0);
        if (k < 0) break;
        int m = zmq_recv(s, body, sizeof body - 1, 0);
        if (m < 0) break;
        body[m < (int)sizeof body ? m : (int)sizeof body - 1] = 0;
        if (strncmp(status, "ok", 2) != 0) {
            fprintf(stderr, "nettool: refused: %s\n", body);
            break;
        }
        const char *id = strstr(body, "\"id\":\"");
        printf("acked %.64s\n", id ? id + 6 : "?");
        fflush(stdout);
        acked++;
    }
    gen_chain_free(&c);
    zmq_close(s);
    zmq_ctx_term(ctx);
    return acked == n ? 0 : 1;
}

static void send_msg(void *s, const uint8_t *m, size_t len)
{
    zmq_send(s, m, len, 0);
}

/* One BULLETINS message holding bulletin b[0..len). */
static void send_bulletin(void *s, const uint8_t *b, size_t len)
{
    static uint8_t msg[PROTO_BULLETIN_MAX + 16];
    struct proto_writer w;
    proto_writer_init(&w, msg, sizeof msg);
    proto_wire_bulletins_begin(&w, 1);
    proto_wire_bulletins_add(&w, b, len);
    send_msg(s, msg, w.len);
}

/* A DEALER connected to the node whose key (text form) is nodekey, under the CURVE key pair
 * cpk/csk, that has said HELLO as name; NULL if the key or endpoint is bad. */
static void *dial_as(void *ctx, const char *endpoint, const char *nodekey, const uint8_t *cpk,
                     const uint8_t *csk, const char *name, bool reads)
{
    uint8_t server_ed[32], server[32], msg[256];
    if (proto_pubkey_parse(nodekey, strlen(nodekey), server_ed) != 0 ||
        crypto_sign_ed25519_pk_to_curve25519(server, server_ed) != 0)
        return NULL;
    void *s = zmq_socket(ctx, ZMQ_DEALER);
    int hwm = 100000, one = 1, tiny = 4096, ivl = 100, zero = 0;
    zmq_setsockopt(s, ZMQ_SNDHWM, reads ? &hwm : &zero, sizeof hwm);
    zmq_setsockopt(s, ZMQ_RCVHWM, reads ? &hwm : &one, sizeof hwm);
    if (!reads) { /* a peer that takes in next to nothing, and pings all the while */
        zmq_setsockopt(s, ZMQ_RCVBUF, &tiny, sizeof tiny);
        zmq_setsockopt(s, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl);
        zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    }
    zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, server, 32);
    zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, cpk, 32);
    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, csk, 32);
    if (zmq_connect(s, endpoint) != 0) {
        zmq_close(s);
        return NULL;
    }
    struct proto_writer w;
    proto_writer_init(&w, msg, sizeof msg);
    proto_wire_hello(&w, name);
    send_msg(s, msg, w.len);
    return s;
}

static void *dial(void *ctx, const char *endpoint, const char *nodekey, const uint8_t *cpk,
                  const uint8_t *csk, const char *name)
{
    return dial_as(ctx, endpoint, nodekey, cpk, csk, name, true);
}

/* A node identity of our own: an Ed25519 key pair and its X25519 (CURVE) form. */
static int identity(uint8_t pk[32], uint8_t sk[64], uint8_t cpk[32], uint8_t csk[32])
{
    crypto_sign_keypair(pk, sk);
    return crypto_sign_ed25519_pk_to_curve25519(cpk, pk) == 0 &&
                   crypto_sign_ed25519_sk_to_curve25519(csk, sk) == 0
               ? 0
               : -1;
}

static int hostile(const char *endpoint, const char *nodekey, int seed)
{
    uint8_t pk[32], sk[32];
    crypto_box_keypair(pk, sk); /* a CURVE key that is no node's */
    void *ctx = zmq_ctx_new(), *s = dial(ctx, endpoint, nodekey, pk, sk, "hostile");
    if (s == NULL) return 2;

    struct gen_chain good, fork;
    gen_chain_init(&good, (uint8_t)seed, 0);
    size_t len = gen_next(&good, 900, 0, buf); /* sequence 1 */
    send_bulletin(s, buf, len);                /* valid: accepted */
    send_bulletin(s, buf, len);                /* replayed: a duplicate, harmless */
    fork = good;                               /* same key and chain position */
    fork.seq = 0;
    memset(fork.last, 0, sizeof fork.last);
    size_t flen = gen_next(&fork, 900, 7, buf); /* a different sequence 1: equivocation */
    send_bulletin(s, buf, flen);

    len = gen_next(&good, 900, 0, buf); /* sequence 2 */
    buf[150] ^= 0x01;                   /* forged: one bit changed after signing */
    send_bulletin(s, buf, len);
    send_bulletin(s, buf, len / 2);                           /* truncated */
    send_msg(s, (const uint8_t *)"\x01\x07not a note\n", 13); /* a CHECKPOINT of garbage */
    send_msg(s, (const uint8_t *)"\x01\x63garbage", 9);       /* unknown message type */
    send_msg(s, (const uint8_t *)"\x09\x01", 2);              /* unknown version */
    send_msg(s, (const uint8_t *)"\x01\x03\x00\x05", 4);      /* IHAVE announcing 5 ids, has none */
    for (int i = 0; i < 6; i++)
        send_msg(s, (const uint8_t *)"\xff", 1); /* noise */
    sleep(1);
    gen_chain_free(&good);
    zmq_close(s);
    zmq_ctx_term(ctx);
    return 0;
}

/* Whether an IHAVE message m names id. */
static bool names(const struct proto_msg *m, const uint8_t *id)
{
    for (size_t i = 0; m->type == PROTO_MSG_IHAVE && i < m->n; i++)
        if (memcmp(m->items + i * PROTO_ID_BYTES, id, PROTO_ID_BYTES) == 0) return true;
    return false;
}

static int echo(const char *endpoint, const char *nodekey, int seed)
{
    uint8_t pk[2][32], sk[2][32], id[PROTO_ID_BYTES];
    void *ctx = zmq_ctx_new(), *s[2];
    for (int i = 0; i < 2; i++) {
        crypto_box_keypair(pk[i], sk[i]);
        if ((s[i] = dial(ctx, endpoint, nodekey, pk[i], sk[i], i ? "listener" : "sender")) == NULL)
            return 2;
    }
    usleep(500000); /* both greeted before the bulletin comes */
    struct gen_chain c;
    gen_chain_init(&c, (uint8_t)seed, 0);
    size_t len = gen_next(&c, 900, 0, buf);
    gen_chain_free(&c);
    proto_bulletin_id(buf, len, id);
    send_bulletin(s[0], buf, len);
    int seen[2] = {0, 0};
    time_t end = time(NULL) + 3;
    while (time(NULL) < end) {
        zmq_pollitem_t items[2] = {{s[0], 0, ZMQ_POLLIN, 0}, {s[1], 0, ZMQ_POLLIN, 0}};
        if (zmq_poll(items, 2, 200) <= 0) continue;
        for (int i = 0; i < 2; i++) {
            static uint8_t in[PROTO_WIRE_MAX];
            struct proto_msg m;
            int k = (items[i].revents & ZMQ_POLLIN) ? zmq_recv(s[i], in, sizeof in, 0) : -1;
            if (k >= 0 && (size_t)k <= sizeof in && proto_wire_decode(&m, in, (size_t)k) == 0)
                seen[i] += names(&m, id);
        }
    }
    printf("sender %d listener %d\n", seen[0], seen[1]);
    for (int i = 0; i < 2; i++)
        zmq_close(s[i]);
    zmq_ctx_term(ctx);
    return 0;
}

/* One view of the equivocating node's log: leaves "view:i". */
struct view {
    void *sock;
    proto_hash leaves[64];
    uint64_t size;
};

static void send_view_checkpoint(struct view *v, const uint8_t *pk, const uint8_t *sk,
                                 uint64_t size)
{
    static struct proto_checkpoint c;
    static char note[PROTO_CHECKPOINT_MAX];
    static uint8_t msg[PROTO_CHECKPOINT_MAX + 16];
    memset(&c, 0, sizeof c);
    memcpy(c.key, pk, 32);
    c.size = size;
    c.time = (uint64_t)time(NULL);
    proto_merkle_root(v->leaves, size, c.root);
    proto_checkpoint_sign(&c, sk);
    size_t n = proto_checkpoint_format(&c, note, sizeof note);
    struct proto_writer w;
    proto_writer_init(&w, msg, sizeof msg);
    proto_wire_checkpoint(&w, note, n);
    send_msg(v->sock, msg, w.len);
}

static int equivocate(int seconds, char **a, char **b, int extra)
{
    uint8_t pk[32], sk[64], cpk[32], csk[32];
    char **ends[2] = {a, b};
    struct view v[2];
    void *ctx = zmq_ctx_new();
    if (identity(pk, sk, cpk, csk) != 0) return 2;
    char key[PROTO_PUBKEY_TEXT_LEN + 1];
    proto_pubkey_format(pk, key);
    printf("%s\n", key);
    fflush(stdout);
    for (int i = 0; i < 2; i++) {
        v[i].size = (uint64_t)atoi(ends[i][2]);
        if (v[i].size < 1 || v[i].size > 64) return 2;
        for (int j = 0; j < 64; j++) { /* the views differ from the first entry on */
            uint8_t d[8] = {'v', 'i', 'e', 'w', (uint8_t)('A' + i), (uint8_t)j};
            proto_merkle_leaf(d, sizeof d, v[i].leaves[j]);
        }
        v[i].sock = dial(ctx, ends[i][0], ends[i][1], cpk, csk, i ? "liar-to-b" : "liar-to-a");
        if (v[i].sock == NULL) return 2;
        send_view_checkpoint(&v[i], pk, sk, v[i].size);
    }
    /* More logs of A's size, each different, to A: caught already, they must not pile up. */
    for (int k = 0; k < extra; k++) {
        struct view alt = {.sock = v[0].sock};
        for (int j = 0; j < 64; j++) {
            uint8_t d[8] = {'v', 'i', 'e', 'w', (uint8_t)('C' + k), (uint8_t)j};
            proto_merkle_leaf(d, sizeof d, alt.leaves[j]);
        }
        send_view_checkpoint(&alt, pk, sk, v[0].size);
    }
    /* Answer CHECKPOINT_AT from the view each peer was shown. */
    time_t end = time(NULL) + seconds;
    while (time(NULL) < end) {
        zmq_pollitem_t items[2] = {{v[0].sock, 0, ZMQ_POLLIN, 0}, {v[1].sock, 0, ZMQ_POLLIN, 0}};
        if (zmq_poll(items, 2, 200) <= 0) continue;
        for (int i = 0; i < 2; i++) {
            if (!(items[i].revents & ZMQ_POLLIN)) continue;
            static uint8_t in[PROTO_WIRE_MAX];
            int k = zmq_recv(v[i].sock, in, sizeof in, 0);
            struct proto_msg m;
            if (k < 0 || (size_t)k > sizeof in || proto_wire_decode(&m, in, (size_t)k) != 0)
                continue;
            if (m.type == PROTO_MSG_CHECKPOINT_AT && m.from >= 1 && m.from <= v[i].size) {
                printf("asked by %c for %llu\n", 'A' + i, (unsigned long long)m.from);
                fflush(stdout);
                send_view_checkpoint(&v[i], pk, sk, m.from);
            }
        }
    }
    for (int i = 0; i < 2; i++)
        zmq_close(v[i].sock);
    zmq_ctx_term(ctx);
    return 0;
}

/* Connect to a node under a node key of our own; send `asks` CHECKPOINT_AT(1) and `notes`
 * checkpoints of our own (made-up) log, sizes 1, 2, ...; print how many checkpoints came back
 * signed by the node (answers) and co-signed by it (our notes). */
static int flood(const char *endpoint, const char *nodekey, int asks, int notes)
{
    uint8_t pk[32], sk[64], cpk[32], csk[32], server_ed[32], msg[256];
    void *ctx = zmq_ctx_new(), *sock;
    if (identity(pk, sk, cpk, csk) != 0 ||
        proto_pubkey_parse(nodekey, strlen(nodekey), server_ed) != 0 ||
        (sock = dial(ctx, endpoint, nodekey, cpk, csk, "flood")) == NULL)
        return 2;
    struct proto_writer w;
    for (int i = 0; i < asks; i++) {
        proto_writer_init(&w, msg, sizeof msg);
        proto_wire_checkpoint_at(&w, 1);
        send_msg(sock, msg, w.len);
    }
    for (int i = 1; i <= notes; i++) { /* a growing log: its roots need not be real here */
        static struct proto_checkpoint mine;
        static char note[PROTO_CHECKPOINT_MAX];
        static uint8_t out[PROTO_CHECKPOINT_MAX + 16];
        memset(&mine, 0, sizeof mine);
        memcpy(mine.key, pk, 32);
        mine.size = (uint64_t)i;
        mine.time = (uint64_t)time(NULL);
        crypto_hash_sha256(mine.root, (const uint8_t *)&i, sizeof i);
        proto_checkpoint_sign(&mine, sk);
        size_t n = proto_checkpoint_format(&mine, note, sizeof note);
        proto_writer_init(&w, out, sizeof out);
        proto_wire_checkpoint(&w, note, n);
        send_msg(sock, out, w.len);
    }
    int answers = 0, cosigned = 0;
    static struct proto_checkpoint c;
    for (time_t end = time(NULL) + 4; time(NULL) < end;) {
        zmq_pollitem_t item = {sock, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, 200) <= 0) continue;
        static uint8_t in[PROTO_WIRE_MAX];
        int k = zmq_recv(sock, in, sizeof in, 0);
        struct proto_msg m;
        if (k < 0 || (size_t)k > sizeof in || proto_wire_decode(&m, in, (size_t)k) != 0 ||
            m.type != PROTO_MSG_CHECKPOINT ||
            proto_checkpoint_parse(&c, (const char *)m.items, m.items_len, NULL) != 0)
            continue;
        if (memcmp(c.key, server_ed, 32) == 0 && c.size == 1) answers++;
        if (memcmp(c.key, pk, 32) == 0 && c.n_cosigs == 1) cosigned++;
    }
    printf("answers %d cosigned %d\n", answers, cosigned);
    zmq_close(sock);
    zmq_ctx_term(ctx);
    return 0;
}

static int stall(const char *endpoint, const char *nodekey, int seed, int rounds)
{
    struct gen_chain c;
    gen_chain_init(&c, (uint8_t)seed, 0);
    uint8_t id[PROTO_ID_BYTES], msg[128];
    size_t len = gen_next(&c, 900, 0, buf); /* sequence 1 of the issuer: its id, for IWANT */
    proto_bulletin_id(buf, len, id);
    for (int r = 0; r < rounds; r++) {
        uint8_t pk[32], sk[32];
        crypto_box_keypair(pk, sk);
        void *ctx = zmq_ctx_new(), *s = dial_as(ctx, endpoint, nodekey, pk, sk, "stall", false);
        if (s == NULL) return 2;
        struct proto_writer w;
        for (int i = 0; i < 20000; i++) {
            proto_writer_init(&w, msg, sizeof msg);
            if (i % 2)
                proto_wire_ids(&w, PROTO_MSG_IWANT, id, 1);
            else
                proto_wire_fetch(&w, keys_secret_pk(c.key), 1, 512);
            zmq_send(s, msg, w.len, ZMQ_DONTWAIT);
        }
        /* Once the node answers (a message waits: seen, not read), stay long enough for its
         * queues to fill and its pings to go; a slow node (a sanitizer build) may take a
         * second or more to get through the handshake. */
        zmq_pollitem_t it = {.socket = s, .events = ZMQ_POLLIN};
        zmq_poll(&it, 1, 10000);
        usleep(1500000);
        zmq_close(s);    /* unread data in the socket: the close resets the connection */
        zmq_ctx_term(ctx);
    }
    gen_chain_free(&c);
    printf("stalled %d\n", rounds);
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) return 1;
    if (argc == 6 && strcmp(argv[1], "publish") == 0)
        return publish(argv[2], atoi(argv[3]), atol(argv[4]), (size_t)atol(argv[5]));
    if (argc == 5 && strcmp(argv[1], "hostile") == 0)
        return hostile(argv[2], argv[3], atoi(argv[4]));
    if (argc == 5 && strcmp(argv[1], "echo") == 0) return echo(argv[2], argv[3], atoi(argv[4]));
    if (argc == 6 && strcmp(argv[1], "flood") == 0)
        return flood(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
    if ((argc == 9 || argc == 10) && strcmp(argv[1], "equivocate") == 0)
        return equivocate(atoi(argv[2]), argv + 3, argv + 6, argc == 10 ? atoi(argv[9]) : 0);
    if (argc == 6 && strcmp(argv[1], "stall") == 0)
        return stall(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
    fprintf(stderr, "usage: nettool publish DIR SEED N SIZE | hostile ENDPOINT NODEKEY SEED | "
                    "echo ENDPOINT NODEKEY SEED | flood ENDPOINT NODEKEY ASKS NOTES | "
                    "equivocate SECONDS EP_A KEY_A SIZE_A EP_B KEY_B SIZE_B [EXTRA] | "
                    "stall ENDPOINT NODEKEY SEED ROUNDS\n");
    return 64;
}
