/* node.h - wartad's internal interfaces, grouped by file (store.h, ingest.h and verify_pool.h
 * stand alone because the tools and benchmarks use them too). */
#ifndef WARTA_NODE_H
#define WARTA_NODE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest.h"
#include "keys_secret.h"
#include "proto_wire.h"
#include "roster.h"
#include "store.h"

#define NODE_MAX_PEERS 64
#define NODE_BAD_LIMIT 10           /* garbage messages before a peer is dropped */
#define NODE_FETCH_BATCH 512        /* bulletins asked for in one FETCH */
#define NODE_BATCH_BYTES (1u << 20) /* bulletin bytes in one BULLETINS message */
#define NODE_SEEN_SLOTS 65536
#define NODE_HOLD_MS 20      /* in a catch-up, placed bulletins wait this long for more */
#define NODE_OPEN_MAX_MS 250 /* and this long in all */
#define NODE_BATCH_MIN 4096  /* received bulletins ingested at once even if more are waiting */
#define NODE_BATCH_WAIT_MS 5 /* and how long the first of them may wait for more */
#define NODE_HANDSHAKE_MS 5000       /* a connection that has not finished CurveZMQ by then goes */
#define NODE_LINK_TIMEOUT_MS 30000   /* so does one whose sent data stays unacknowledged */
#define NODE_MAX_CONNS 1024         /* inbound connections at most (fewer if descriptors are) */
#define NODE_CONNS_PER_ADDRESS 8     /* and from one IP address */
#define NODE_FD_RESERVE (64 + 2 * NODE_MAX_PEERS) /* descriptors kept for the node's own use */
#define NODE_GONE_MS 60000           /* how long a routing id is remembered as gone */
#define NODE_SERVE_OWED (16u << 20)  /* bytes a peer may leave unread before it is not served */
#define NODE_SERVE_RATE_PER_MS 65536 /* where unread bytes cannot be read off TCP: the assumed
                                        drain rate (64 MB/s) */

/* log.c */
enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
void log_set_level(enum log_level level);
int log_parse_level(const char *s, enum log_level *level);
const char *log_level_name(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* config.c */
struct peer_config {
    char name[64];
    char endpoint[256];
    uint8_t key[PROTO_KEY_BYTES]; /* the peer node's public key */
    bool auto_name;               /* given with -p: named after its HELLO */
};
struct node_config {
    char name[64];
    char data_dir[1024];
    char listen[256];    /* endpoint to bind, or "" for none */
    char key_file[1024]; /* node identity key; default data_dir/node.key */
    char passphrase_file[1024];
    char roster[1024];          /* roster file (first record: the network root), or "" = open */
    bool keep_untrusted;        /* keep bulletins the roster refuses apart, instead of dropping */
    int threads;                /* signature-checking threads, 0 = one per core */
    int sync_interval_ms;       /* anti-entropy period */
    int checkpoint_interval_ms; /* how often the log is checkpointed (when it grew) */
    bool allow_listed_only;     /* refuse inbound peers whose key is not a [peer] */
    enum log_level log_level;
    struct peer_config peers[NODE_MAX_PEERS];
    int n_peers;
};
void config_defaults(struct node_config *c);
/* Read an INI file into c; on error returns -1 with msg naming the line. */
int config_load(struct node_config *c, const char *path, char *msg, size_t msg_len);
/* The same from an open file named path (in messages). */
int config_load_stream(struct node_config *c, FILE *f, const char *path, char *msg,
                       size_t msg_len);
/* A [node] setting given by a flag, checked as in the file; msg names the flag. */
int config_set(struct node_config *c, const char *flag, const char *key, const char *value,
               char *msg, size_t msg_len);
/* "KEY@ENDPOINT" from a -p flag. */
int config_add_peer(struct node_config *c, const char *spec, char *msg, size_t msg_len);
/* Check the whole configuration; -1 with msg if something is missing or wrong. */
int config_check(const struct node_config *c, char *msg, size_t msg_len);

/* seen.c: a fixed-size set of recently seen keys with expiry (collisions only forget). */
struct seen {
    uint64_t key[NODE_SEEN_SLOTS];
    int64_t until[NODE_SEEN_SLOTS];
};
/* True if key (its first 8 bytes) was marked and has not expired; otherwise marks it. */
bool seen_test_and_set(struct seen *s, const uint8_t *key, int64_t now, int64_t ttl);
void seen_clear(struct seen *s, const uint8_t *key);
/* When key's mark expires (ms), or 0 if it is not marked; marks nothing. */
int64_t seen_until(const struct seen *s, const uint8_t *key);

/* fetch table: per issuer, how far this node has asked (FETCH) and until when that holds. */
struct fetch_slot {
    uint8_t issuer[PROTO_KEY_BYTES];
    uint64_t requested_to;
    int64_t until;
};
#define NODE_FETCH_SLOTS 4096
#define NODE_FETCH_AHEAD 4    /* FETCH batches in flight per issuer */
#define NODE_FETCH_INFLIGHT 8 /* FETCH batches in flight per peer, all issuers together */

/* A peer link: an outbound DEALER we connected, or an inbound ROUTER identity. */
struct peer {
    bool used, inbound, dropped, auto_name;
    void *dealer;     /* outbound */
    uint8_t rid[256]; /* inbound ROUTER routing id */
    size_t rid_len;
    char name[65];
    char endpoint[256];
    uint8_t curve_key[32]; /* the remote's CURVE key, when known */
    unsigned bad;          /* garbage counter */
    uint8_t *state;        /* last STATE received: n_state x 40 bytes, sorted */
    size_t n_state;
    int64_t last_state_sent;  /* ms; STATE replies are rate-limited */
    int fetches;              /* FETCHes sent and not yet answered (approximately) */
    int64_t last_fetch_reply; /* ms; a stalled peer's fetch count is reset after a while */
    uint64_t received, sent;  /* messages */
    unsigned gen;             /* bumped when the slot is given to another peer */
    uint64_t bytes_in, bytes_out;
    int64_t witness_window; /* ms: start of the window in which the two below are counted */
    unsigned asks, notes;   /* CHECKPOINT_AT and CHECKPOINT received in it */
    /* What the peer has not yet read of what was sent to it (peer_owed): */
    int fd;                 /* its connection's descriptor (libzmq's, only read), or -1 */
    uint64_t out_base;      /* bytes_out ... */
    uint64_t acked_base;    /* ... and the kernel's count of acknowledged bytes, when last even */
    uint64_t owed;          /* not TCP: bytes sent less what the assumed drain rate took */
    int64_t owed_ms;        /* when that was last brought up to date */
    uint64_t unserved;      /* FETCH and IWANT left unanswered because it owed too much */
};

struct node {
    struct node_config cfg;
    void *zctx;
    void *router;  /* bound, for peers that connect in */
    void *control; /* ROUTER on ipc://data_dir/control.sock */
    void *zap;     /* REP on inproc://zeromq.zap.01 */
    keys_secret *identity;
    uint8_t curve_pk[32], *curve_sk; /* curve_sk in sodium_malloc'd memory */
    store *st;
    ingest *in;
    struct peer peers[NODE_MAX_PEERS];
    struct seen *wanted;         /* ids asked for with IWANT, not yet received */
    struct fetch_slot *fetching; /* NODE_FETCH_SLOTS, by issuer */
    struct inbox *inbox;         /* bulletins received in this poll round, ingested together */
    struct witness *witness;     /* checkpoints: this node's and the ones it witnesses */
    struct guard *guard;         /* inbound connections, counted and capped */
    uint8_t *gossip_buf;         /* PROTO_WIRE_MAX: messages gossip.c builds */
    uint8_t *sync_buf;           /* PROTO_WIRE_MAX: messages sync.c builds */
    roster *roster;              /* the trust roster, or NULL when every issuer is accepted */
    struct seen *untrusted;      /* issuers recently refused by the roster */
    uint64_t kept_untrusted;     /* bulletins kept apart in the store */
    uint64_t kept_untrusted_stored; /* of those, committed (the rest wait for a commit) */
    size_t roster_kept;          /* its records that are stored (the rest wait for a commit) */
    int64_t roster_changed_ms;   /* when a roster record last came in force */
    uint8_t banned[NODE_MAX_PEERS][32];
    int n_banned;
    /* Inbound routing ids found gone (a send failed), by hash: what they still had queued when
     * their connection ended is dropped unread, instead of each message taking a slot and work. */
    struct seen *gone;
    int64_t next_sync;
    int64_t open_since;   /* ms: since when ingest's open transaction holds bulletins */
    uint64_t open_serial; /* which transaction that is (ingest_transactions) */
    uint64_t started_ms;
    volatile sig_atomic_t *stop;
    volatile sig_atomic_t *reload; /* SIGHUP: read the configuration again (node_reload) */
    int argc;                      /* the command line, read again on reload */
    char **argv;
    int lock_fd; /* flock on DATA_DIR/wartad.lock, held while running */
};

/* peers.c: sockets and framing */
int peers_open(struct node *n); /* bind the router, connect a dealer per configured peer */
void peers_close(struct node *n);
/* Send one message to p; false (and p marked gone for an inbound peer) if it cannot go. */
bool peer_send(struct node *n, struct peer *p, const uint8_t *msg, size_t len);
/* Send to every live peer except skip (may be NULL). */
void peers_broadcast(struct node *n, const struct peer *skip, const uint8_t *msg, size_t len);
/* Receive what is waiting on the router and the dealers; dispatches to node_on_message. */
void peers_poll_in(struct node *n, void *socket);
/* Whether p has left too much unread to be sent answers (FETCH, IWANT): a peer that asks and
 * does not read cannot fill the node's memory with answers queued for it. Counts it if so. */
bool peer_owes_too_much(struct peer *p);
/* Count a garbage message from p; drop p past NODE_BAD_LIMIT. */
void peer_misbehaved(struct node *n, struct peer *p, const char *why);
void peer_forget(struct peer *p);

/* zap.c: CURVE authentication of inbound peers (RFC 27) */
int zap_open(struct node *n);
void zap_handle(struct node *n);
bool zap_is_banned(const struct node *n, const uint8_t curve_key[32]);

/* guard.c: caps on inbound connections, in all and per address, and a descriptor reserve */
int guard_open(struct node *n); /* after peers_open */
void guard_close(struct node *n);
void *guard_socket(const struct node *n); /* its monitor socket to poll, or NULL */
void guard_handle(struct node *n);
void guard_status(const struct node *n, size_t *open, size_t *cap, uint64_t *refused);

/* gossip.c: spreading new bulletins (IHAVE / IWANT / BULLETINS) */
/* IHAVE the news to every peer but the one each bulletin came from. */
void gossip_announce(struct node *n, const struct ingest_news *news);
void gossip_on_ihave(struct node *n, struct peer *p, const struct proto_msg *m);
void gossip_on_iwant(struct node *n, struct peer *p, const struct proto_msg *m);
void gossip_on_bulletins(struct node *n, struct peer *p, const struct proto_msg *m);
/* Send p up to max of issuer's bulletins from sequence from on (the answer to FETCH). */
void gossip_send_range(struct node *n, struct peer *p, const uint8_t *issuer, uint64_t from,
                       size_t max);
/* Ingest one bulletin published at this node, commit it, and announce what is new. */
int gossip_publish(struct node *n, struct ingest_item *item);
/* Commit what ingest still holds open and announce it. */
int gossip_flush(struct node *n);
/* Ingest the bulletins received from peers since the last call (BULLETINS messages are
 * collected, so that a burst of them is checked and committed as one batch). */
void gossip_ingest_inbox(struct node *n);
void gossip_inbox_free(struct node *n);
/* Bulletins received and not yet ingested, and since when the oldest waits (ms; now if none). */
size_t gossip_inbox_count(const struct node *n);
int64_t gossip_inbox_since(const struct node *n);

/* sync.c: anti-entropy (STATE / FETCH) */
void sync_send_state(struct node *n, struct peer *p);
void sync_on_state(struct node *n, struct peer *p, const struct proto_msg *m);
void sync_on_fetch(struct node *n, struct peer *p, const struct proto_msg *m);
/* A BULLETINS message came from p, most likely the answer to one of our FETCHes: ask for more
 * at once, so that p serves the next ones while this node checks and stores these. */
void sync_on_reply(struct node *n, struct peer *p);
/* After ingesting BULLETINS from p (heads moved on): ask p for more of what its STATE says it
 * has. */
void sync_continue(struct node *n, struct peer *p);
void sync_tick(struct node *n, int64_t now);

/* control.c: the local control socket of warta publish / status */
int control_open(struct node *n);
void control_handle(struct node *n);

/* policy.c: the trust roster (none configured: every correctly signed bulletin is accepted) */
int policy_open(struct node *n); /* after the store and ingest are open */
/* True if issuer was refused by the roster lately (its chain is not fetched meanwhile). */
bool policy_shuns(struct node *n, const uint8_t *issuer);
void policy_close(struct node *n);
/* Read the roster file again (with the store's records); the old roster stays if it fails or
 * names another network. */
int policy_reload(struct node *n, const char *path);

/* main.c: SIGHUP. The configuration is read again; the log level and the roster take effect,
 * a change that needs a restart (peers, listen, data...) is logged and left alone. */
void node_reload(struct node *n);
/* Tell systemd (if it started us) what the node holds: STATUS=... */
void node_notify_status(struct node *n);

/* witness.c: this node's signed checkpoints, and witnessing the other nodes' (§20, §21) */
int witness_open(struct node *n); /* after the store */
void witness_close(struct node *n);
/* Sign a checkpoint when one is due and the log grew; write the notes that changed. */
void witness_tick(struct node *n, int64_t now);
/* Send p this node's latest checkpoint (on HELLO). */
void witness_greet(struct node *n, struct peer *p);
void witness_on_checkpoint(struct node *n, struct peer *p, const struct proto_msg *m);
void witness_on_checkpoint_at(struct node *n, struct peer *p, const struct proto_msg *m);
struct witness_status {
    bool have_checkpoint;
    uint64_t size, time; /* of this node's latest checkpoint */
    uint8_t root[32];
    size_t cosigners;
    size_t nodes; /* other nodes whose checkpoints were heard */
    uint64_t cosigned, confirmed, conflicts;
};
void witness_status(const struct node *n, struct witness_status *s);

/* node.c */
int64_t node_now_ms(void);
void node_on_message(struct node *n, struct peer *p, const uint8_t *msg, size_t len);
int node_run(struct node *n);

#endif
