/* witness.c - this node's signed checkpoints, and witnessing the other nodes' (docs/PROTOCOL.md
 * §20-§22).
 *
 * Every checkpoint_interval the node signs a checkpoint of its log when the log has grown, keeps
 * it, and sends it to its peers. A peer that receives a checkpoint from the node itself co-signs
 * it and sends it back; every node passes each checkpoint it has not seen on to its own peers.
 * So each node hears every node's checkpoints, directly or not. A node that showed two peers two
 * different logs is caught where the two meet: two checkpoints of one size with two roots. When
 * the sizes differ, a node that is a peer of the signer asks it (CHECKPOINT_AT) to sign its log
 * at the other size: an honest node's answer matches, an equivocating one's contradicts one of
 * them. Contradictions are kept as conflict files, which check offline (warta audit --check).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "node.h"
#include "proto_proof.h"
#include "i18n.h"

#define WITNESS_ORIGINS 1024    /* other nodes whose checkpoints are followed */
#define WITNESS_PENDING 8       /* checkpoints heard per node, waiting to be compared */
#define WITNESS_WRITE_MS 1000   /* changed notes are written at most this often */
#define WITNESS_RELAY_TTL 60000 /* a note passed on is not passed on again for this long (ms) */
#define WITNESS_ASKS 64         /* CHECKPOINT_AT a peer may ask per WITNESS_WINDOW */
#define WITNESS_NOTES 2048      /* CHECKPOINTs from a peer checked per WITNESS_WINDOW */
#define WITNESS_WINDOW 10000
#define WITNESS_EVIDENCE 4 /* conflict files kept per node: one proves it; more fill disks */

/* A checkpoint of another node, as heard. */
struct heard {
    uint64_t size;
    proto_hash root;
    char *note; /* its text, co-signatures included; NULL when the slot is empty */
    size_t len;
    bool asked; /* CHECKPOINT_AT sent for its size */
};

struct origin {
    uint8_t key[32], curve[32];
    struct heard latest;                   /* the largest checkpoint of that node heard */
    uint64_t direct_size;                  /* the largest log it showed this node itself */
    unsigned conflicts;                    /* conflict files kept against it */
    struct heard pending[WITNESS_PENDING]; /* smaller ones, to compare with its own word */
    bool dirty;                            /* latest changed since it was written */
};

struct witness {
    struct origin *origins;
    size_t n_origins;
    struct proto_checkpoint own; /* this node's latest checkpoint, co-signatures merged */
    bool have_own, own_dirty;
    bool dirty; /* some origin's latest changed since the notes were written */
    int64_t next_checkpoint, next_write;
    struct seen relayed;        /* notes passed on lately, by (node, size, root) */
    struct proto_checkpoint in; /* the note being handled */
    struct proto_checkpoint old;
    struct proto_proof proof;
    char text[PROTO_PROOF_MAX];
    char merged[PROTO_CHECKPOINT_MAX];
    uint8_t msg[PROTO_CHECKPOINT_MAX + 16];
    uint64_t cosigned, conflicts, confirmed;
};

static uint64_t now_s(void)
{
    return (uint64_t)time(NULL);
}

static void heard_clear(struct heard *h)
{
    free(h->note);
    memset(h, 0, sizeof *h);
}

static bool heard_set(struct heard *h, uint64_t size, const proto_hash root, const char *note,
                      size_t len)
{
    char *copy = malloc(len + 1);
    if (copy == NULL) return false;
    memcpy(copy, note, len);
    copy[len] = 0;
    heard_clear(h);
    *h = (struct heard){.size = size, .note = copy, .len = len};
    memcpy(h->root, root, PROTO_HASH_BYTES);
    return true;
}

static struct origin *origin_find(struct witness *w, const uint8_t key[32], bool add)
{
    for (size_t i = 0; i < w->n_origins; i++)
        if (memcmp(w->origins[i].key, key, 32) == 0) return &w->origins[i];
    if (!add || w->n_origins == WITNESS_ORIGINS) return NULL;
    struct origin *o = &w->origins[w->n_origins];
    memset(o, 0, sizeof *o);
    memcpy(o->key, key, 32);
    if (crypto_sign_ed25519_pk_to_curve25519(o->curve, key) != 0) return NULL;
    w->n_origins++;
    return o;
}

/* The link to the node itself, if it is a peer of ours. */
static struct peer *peer_of(struct node *n, const struct origin *o)
{
    for (int i = 0; i < NODE_MAX_PEERS; i++) {
        struct peer *p = &n->peers[i];
        if (p->used && !p->dropped && sodium_memcmp(p->curve_key, o->curve, 32) == 0) return p;
    }
    return NULL;
}

static void send_note(struct node *n, struct peer *p, const struct peer *skip, const char *note,
                      size_t len)
{
    struct witness *w = n->witness;
    struct proto_writer wr;
    proto_writer_init(&wr, w->msg, sizeof w->msg);
    proto_wire_checkpoint(&wr, note, len);
    if (wr.err != PROTO_OK) return;
    if (p)
        peer_send(n, p, w->msg, wr.len);
    else
        peers_broadcast(n, skip, w->msg, wr.len);
}

/* Pass a note on to every peer but its sender, once per (node, size, root) for a while. */
static void relay(struct node *n, const struct peer *from, const struct proto_checkpoint *c,
                  const char *note, size_t len)
{
    uint8_t tree[32 + 8 + PROTO_HASH_BYTES], h[16];
    struct proto_writer wr;
    proto_writer_init(&wr, tree, sizeof tree);
    proto_put_bytes(&wr, c->key, 32);
    proto_put_u64(&wr, c->size);
    proto_put_bytes(&wr, c->root, PROTO_HASH_BYTES);
    crypto_generichash(h, sizeof h, tree, sizeof tree, NULL, 0);
    if (seen_test_and_set(&n->witness->relayed, h, node_now_ms(), WITNESS_RELAY_TTL)) return;
    send_note(n, NULL, from, note, len);
}

/* Run fn inside a write transaction of its own (what ingest holds open is committed first). */
static int store_write(struct node *n, int (*fn)(struct node *n, void *ctx), void *ctx)
{
    gossip_flush(n);
    for (;;) {
        int rc = store_begin(n->st);
        if (rc == STORE_OK) rc = fn(n, ctx);
        if (rc == STORE_OK)
            rc = store_commit(n->st);
        else
            store_abort(n->st);
        if (rc != STORE_EFULL) {
            if (rc != STORE_OK) log_msg(LOG_ERROR, _("store: %s"), store_error(n->st));
            return rc;
        }
        if (store_grow(n->st) != STORE_OK) return STORE_EFULL;
    }
}

struct conflict {
    const struct origin *o;
    size_t len;
};

static int put_evidence(struct node *n, void *ctx)
{
    struct conflict *c = ctx;
    struct witness *w = n->witness;
    return store_put_evidence(n->st, c->o->key, w->proof.cps[1].size, w->proof.cps[1].root, w->text,
                              c->len);
}

/* held (a note already heard) and w->in (just received, as note) contradict each other: keep
 * the two as a conflict file, say so, and pass the new one on so that every node sees both. */
static void conflict(struct node *n, struct peer *from, struct origin *o, const struct heard *held,
                     const char *note, size_t len)
{
    struct witness *w = n->witness;
    char hex[17];
    if (o->conflicts >= WITNESS_EVIDENCE) return; /* caught already, several times over */
    memset(&w->proof, 0, sizeof w->proof);
    w->proof.kind = PROTO_PROOF_CONFLICT;
    if (proto_checkpoint_parse(&w->proof.cps[0], held->note, held->len, NULL) != PROTO_OK) return;
    w->proof.cps[1] = w->in;
    struct conflict c = {o, proto_proof_format(&w->proof, w->text, sizeof w->text)};
    if (c.len == 0 || store_write(n, put_evidence, &c) != STORE_OK) return;
    w->conflicts++, o->conflicts++;
    sodium_bin2hex(hex, sizeof hex, o->key, 8);
    log_msg(LOG_WARN,
            _("checkpoint conflict: node %s... signed two different logs of %llu entries "
            "(evidence kept; warta audit --conflicts)"),
            hex, (unsigned long long)w->in.size);
    relay(n, from, &w->in, note, len);
    /* The held one too: a node that has seen only one of them now sees both. */
    relay(n, NULL, &w->proof.cps[0], held->note, held->len);
}

/* Compare the note just received with what was heard of its node at the same size: returns
 * true if it contradicts something (handled), and drops pending entries it confirms. */
static bool compare(struct node *n, struct peer *from, struct origin *o, bool direct,
                    const char *note, size_t len)
{
    struct witness *w = n->witness;
    const struct proto_checkpoint *c = &w->in;
    if (o->latest.note && o->latest.size == c->size &&
        memcmp(o->latest.root, c->root, PROTO_HASH_BYTES) != 0) {
        conflict(n, from, o, &o->latest, note, len);
        return true;
    }
    for (int i = 0; i < WITNESS_PENDING; i++) {
        struct heard *h = &o->pending[i];
        if (h->note == NULL || h->size != c->size) continue;
        if (memcmp(h->root, c->root, PROTO_HASH_BYTES) != 0) {
            conflict(n, from, o, h, note, len);
            heard_clear(h);
            return true;
        }
        if (direct) { /* the node itself confirms what others heard */
            heard_clear(h);
            w->confirmed++;
        }
    }
    return false;
}

/* Keep a smaller checkpoint heard through others, to be compared with the node's own word. */
static void add_pending(struct origin *o, uint64_t size, const proto_hash root, const char *note,
                        size_t len, bool asked)
{
    int slot = -1;
    for (int i = 0; i < WITNESS_PENDING; i++) {
        struct heard *h = &o->pending[i];
        if (h->note && h->size == size) return; /* same size: compared already */
        if (h->note == NULL && slot < 0) slot = i;
    }
    if (slot < 0) { /* full: the smallest goes */
        slot = 0;
        for (int i = 1; i < WITNESS_PENDING; i++)
            if (o->pending[i].size < o->pending[slot].size) slot = i;
    }
    if (heard_set(&o->pending[slot], size, root, note, len)) o->pending[slot].asked = asked;
}

/* Ask the node itself to sign its log at each pending size it has reached. */
static void ask(struct node *n, struct origin *o)
{
    struct peer *p = peer_of(n, o);
    if (p == NULL) return;
    for (int i = 0; i < WITNESS_PENDING; i++) {
        struct heard *h = &o->pending[i];
        if (h->note == NULL || h->asked || h->size > o->direct_size || h->size == 0) continue;
        uint8_t buf[16];
        struct proto_writer wr;
        proto_writer_init(&wr, buf, sizeof buf);
        proto_wire_checkpoint_at(&wr, h->size);
        peer_send(n, p, buf, wr.len);
        h->asked = true;
    }
}

/* Our own checkpoint, back with a witness's co-signature. */
static void own_returned(struct node *n)
{
    struct witness *w = n->witness;
    if (!w->have_own || !proto_checkpoint_same_tree(&w->own, &w->in) || w->own.time != w->in.time)
        return;
    if (proto_checkpoint_merge(&w->own, &w->in) > 0)
        w->own_dirty = true, w->next_write = 0; /* kept at once: proofs are made from it */
}

/* Count a message of p against its budget for the current window: false when over it. */
static bool within_budget(struct peer *p, bool ask)
{
    int64_t now = node_now_ms();
    if (now - p->witness_window > WITNESS_WINDOW) p->witness_window = now, p->asks = p->notes = 0;
    return ask ? ++p->asks <= WITNESS_ASKS : ++p->notes <= WITNESS_NOTES;
}

void witness_on_checkpoint(struct node *n, struct peer *p, const struct proto_msg *m)
{
    struct witness *w = n->witness;
    struct proto_checkpoint *c = &w->in;
    struct proto_err err = {0};
    const char *note = (const char *)m->items;
    size_t len = m->items_len;
    /* Each note costs up to 65 signature checks: a peer gets a budget (honest ones pass on
     * each node's note about once per checkpoint interval). */
    if (!within_budget(p, false)) return;
    if (proto_checkpoint_parse(c, note, len, &err) != PROTO_OK) {
        char why[96];
        snprintf(why, sizeof why, _("bad checkpoint (%s: %s)"), err.field ? err.field : "note",
                 _(proto_strerror(err.code)));
        peer_misbehaved(n, p, why);
        return;
    }
    if (memcmp(c->key, keys_secret_pk(n->identity), 32) == 0) {
        own_returned(n);
        return;
    }
    struct origin *o = origin_find(w, c->key, true);
    if (o == NULL) return;
    bool direct = sodium_memcmp(p->curve_key, o->curve, 32) == 0;
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, o->key, 8);
    log_msg(LOG_DEBUG, _("checkpoint of %s...: %llu entries, %s %s (heard up to %llu)"), hex,
            (unsigned long long)c->size, direct ? _("from the node") : _("passed on by"), p->name,
            (unsigned long long)o->latest.size);
    if (compare(n, p, o, direct, note, len)) return;
    if (direct && c->size >= o->direct_size) {
        /* Co-sign what the node itself shows us, and hand it back. */
        o->direct_size = c->size;
        const uint8_t *sk = keys_secret_sk(n->identity);
        if (proto_checkpoint_cosign(c, keys_secret_pk(n->identity), sk, now_s()) == PROTO_OK &&
            (len = proto_checkpoint_format(c, w->text, sizeof w->text)) > 0) {
            note = w->text;
            send_note(n, p, NULL, note, len);
            w->cosigned++;
        }
    }
    if (o->latest.note == NULL || c->size > o->latest.size) {
        /* The largest so far: the one before it waits to be compared at its own size. */
        if (o->latest.note)
            add_pending(o, o->latest.size, o->latest.root, o->latest.note, o->latest.len, false);
        heard_set(&o->latest, c->size, c->root, note, len);
        o->dirty = w->dirty = true;
        relay(n, p, c, note, len);
    } else if (c->size == o->latest.size) {
        /* The same log: keep the co-signatures we did not have. */
        if (proto_checkpoint_parse(&w->old, o->latest.note, o->latest.len, NULL) == PROTO_OK &&
            proto_checkpoint_merge(&w->old, c) > 0) {
            size_t k = proto_checkpoint_format(&w->old, w->merged, sizeof w->merged);
            if (k > 0 && heard_set(&o->latest, w->old.size, w->old.root, w->merged, k))
                o->dirty = w->dirty = true;
        }
        relay(n, p, c, note, len);
    } else {
        /* Smaller than the largest heard: kept, to be compared at its own size (asked of the
         * node unless it said so itself), and passed on for the nodes that can ask it. */
        add_pending(o, c->size, c->root, note, len, direct);
        relay(n, p, c, note, len);
    }
    ask(n, o);
}

/* Sign a checkpoint of this node's log at size into c, now; its text in w->text. Returns the
 * text's length, 0 if the log cannot give that root. */
static size_t sign_log(struct node *n, uint64_t size, struct proto_checkpoint *c)
{
    struct witness *w = n->witness;
    memset(c, 0, sizeof *c);
    memcpy(c->key, keys_secret_pk(n->identity), 32);
    c->size = size;
    c->time = now_s();
    if (store_log_root(n->st, size, c->root) != STORE_OK) {
        log_msg(LOG_ERROR, _("log tree: %s"), store_error(n->st));
        return 0;
    }
    proto_checkpoint_sign(c, keys_secret_sk(n->identity));
    return proto_checkpoint_format(c, w->text, sizeof w->text);
}

void witness_on_checkpoint_at(struct node *n, struct peer *p, const struct proto_msg *m)
{
    struct witness *w = n->witness;
    uint64_t size;
    if (!within_budget(p, true) || m->from == 0 || store_log_size(n->st, &size) != STORE_OK ||
        m->from > size)
        return;
    size_t len = sign_log(n, m->from, &w->old);
    if (len) send_note(n, p, NULL, w->text, len);
}

void witness_greet(struct node *n, struct peer *p)
{
    struct witness *w = n->witness;
    if (!w->have_own) return;
    size_t len = proto_checkpoint_format(&w->own, w->text, sizeof w->text);
    if (len) send_note(n, p, NULL, w->text, len);
}

static int write_changes(struct node *n, void *ctx)
{
    struct witness *w = n->witness;
    int rc = STORE_OK;
    (void)ctx;
    if (w->own_dirty) {
        size_t len = proto_checkpoint_format(&w->own, w->text, sizeof w->text);
        rc = store_put_checkpoint(n->st, w->own.size, w->text, len);
    }
    for (size_t i = 0; rc == STORE_OK && w->dirty && i < w->n_origins; i++) {
        struct origin *o = &w->origins[i];
        if (o->dirty) rc = store_put_witnessed(n->st, o->key, o->latest.note, o->latest.len);
    }
    return rc;
}

/* This node's new checkpoint: kept, and sent to every peer. */
static void sign_own(struct node *n, uint64_t size)
{
    struct witness *w = n->witness;
    size_t len = sign_log(n, size, &w->old);
    if (len == 0) return;
    w->own = w->old;
    w->have_own = w->own_dirty = true;
    send_note(n, NULL, NULL, w->text, len);
    log_msg(LOG_DEBUG, _("checkpoint: %llu entries"), (unsigned long long)size);
}

/* Write the notes that changed, at most once per WITNESS_WRITE_MS unless forced. */
static void write_dirty(struct node *n, int64_t now, bool force)
{
    struct witness *w = n->witness;
    if ((now < w->next_write && !force) || !(w->own_dirty || w->dirty)) return;
    w->next_write = now + WITNESS_WRITE_MS;
    if (store_write(n, write_changes, NULL) != STORE_OK) return;
    w->own_dirty = w->dirty = false;
    for (size_t i = 0; i < w->n_origins; i++)
        w->origins[i].dirty = false;
}

void witness_tick(struct node *n, int64_t now)
{
    struct witness *w = n->witness;
    uint64_t size;
    if (now >= w->next_checkpoint) {
        w->next_checkpoint = now + n->cfg.checkpoint_interval_ms;
        if (store_log_size(n->st, &size) == STORE_OK && size > 0 &&
            (!w->have_own || size != w->own.size))
            sign_own(n, size);
    }
    write_dirty(n, now, false);
}

static int load_witnessed(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct node *n = ctx;
    struct witness *w = n->witness;
    if (kn != 32 || proto_checkpoint_parse(&w->in, (const char *)v, vn, NULL) != PROTO_OK ||
        memcmp(w->in.key, k, 32) != 0)
        return 0; /* a damaged entry: forgotten, the node's next checkpoint replaces it */
    struct origin *o = origin_find(w, k, true);
    if (o) heard_set(&o->latest, w->in.size, w->in.root, (const char *)v, vn);
    return 0;
}

static int count_evidence(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx)
{
    struct witness *w = ctx;
    struct origin *o = kn >= 32 ? origin_find(w, k, true) : NULL;
    (void)v, (void)vn;
    w->conflicts++;
    if (o) o->conflicts++;
    return 0;
}

int witness_open(struct node *n)
{
    struct witness *w = calloc(1, sizeof *w);
    char *note;
    size_t len;
    if (w == NULL || (w->origins = calloc(WITNESS_ORIGINS, sizeof *w->origins)) == NULL) {
        free(w);
        log_msg(LOG_ERROR, _("witness: out of memory"));
        return -1;
    }
    n->witness = w;
    if (store_checkpoint(n->st, UINT64_MAX, &note, &len) == STORE_OK) {
        w->have_own = proto_checkpoint_parse(&w->own, note, len, NULL) == PROTO_OK &&
                      memcmp(w->own.key, keys_secret_pk(n->identity), 32) == 0;
        free(note);
    }
    store_table_each(n->st, STORE_T_WITNESSED, load_witnessed, n);
    store_table_each(n->st, STORE_T_EVIDENCE, count_evidence, w);
    w->next_checkpoint = node_now_ms() + n->cfg.checkpoint_interval_ms;
    return 0;
}

void witness_close(struct node *n)
{
    struct witness *w = n->witness;
    if (w == NULL) return;
    write_dirty(n, node_now_ms(), true);
    for (size_t i = 0; i < w->n_origins; i++) {
        heard_clear(&w->origins[i].latest);
        for (int j = 0; j < WITNESS_PENDING; j++)
            heard_clear(&w->origins[i].pending[j]);
    }
    free(w->origins);
    free(w);
    n->witness = NULL;
}

void witness_status(const struct node *n, struct witness_status *s)
{
    const struct witness *w = n->witness;
    memset(s, 0, sizeof *s);
    s->have_checkpoint = w->have_own;
    s->size = w->own.size;
    memcpy(s->root, w->own.root, PROTO_HASH_BYTES);
    s->time = w->own.time;
    s->cosigners = w->own.n_cosigs;
    s->nodes = w->n_origins;
    s->cosigned = w->cosigned;
    s->confirmed = w->confirmed;
    s->conflicts = w->conflicts;
}
