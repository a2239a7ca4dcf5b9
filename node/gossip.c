/* gossip.c - spreading new bulletins: a node that accepts something announces its id (IHAVE);
 * each neighbour asks for what it lacks (IWANT) and receives one copy (BULLETINS). Ids asked
 * for are remembered for a while so that announcements from several neighbours do not fetch
 * the same bulletin twice. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "i18n.h"

#define WANT_TTL_MS 3000


/* A peer's tag as the origin of the bulletins it sent (0 is this node itself). */
static uint64_t origin_of(const struct node *n, const struct peer *p)
{
    return (uint64_t)p->gen << 8 | (uint64_t)(p - n->peers + 1);
}

void gossip_announce(struct node *n, const struct ingest_news *news)
{
    uint8_t *ids = news->n_ids ? malloc(news->n_ids * PROTO_ID_BYTES) : NULL;
    size_t lost = news->lost + (news->n_ids && ids == NULL ? news->n_ids : 0);
    if (lost)
        log_msg(LOG_WARN, _("out of memory: %zu stored bulletins not announced (sync sends them)"),
                lost);
    if (ids == NULL) return;
    for (int i = 0; i < NODE_MAX_PEERS; i++) {
        struct peer *p = &n->peers[i];
        if (!p->used) continue;
        /* Not to the peer a bulletin came from: it has it. */
        uint64_t from = origin_of(n, p);
        size_t k = 0;
        for (size_t j = 0; j < news->n_ids; j++)
            if (news->origins[j] != from)
                memcpy(ids + k++ * PROTO_ID_BYTES, news->ids + j * PROTO_ID_BYTES, PROTO_ID_BYTES);
        for (size_t at = 0; at < k; at += PROTO_WIRE_MAX_IDS) {
            struct proto_writer w;
            proto_writer_init(&w, n->gossip_buf, PROTO_WIRE_MAX);
            proto_wire_ids(&w, PROTO_MSG_IHAVE, ids + at * PROTO_ID_BYTES,
                           k - at < PROTO_WIRE_MAX_IDS ? k - at : PROTO_WIRE_MAX_IDS);
            peer_send(n, p, n->gossip_buf, w.len);
        }
    }
    free(ids);
}

int gossip_publish(struct node *n, struct ingest_item *item)
{
    struct ingest_news news = {0};
    int rc = ingest_batch(n->in, item, 1, &news);
    int frc = ingest_flush(n->in, &news); /* acknowledged only once committed */
    if (rc == STORE_OK) rc = frc;
    if (rc != STORE_OK) log_msg(LOG_ERROR, _("store: %s"), store_error(n->st));
    if (item->result == INGEST_FORK)
        log_msg(LOG_WARN, _("fork: a bulletin published here equivocates (sequence %llu)"),
                (unsigned long long)item->b.sequence);
    gossip_announce(n, &news);
    ingest_news_clear(&news);
    return rc;
}

int gossip_flush(struct node *n)
{
    struct ingest_news news = {0};
    int rc = ingest_flush(n->in, &news);
    if (rc != STORE_OK) log_msg(LOG_ERROR, _("store: %s"), store_error(n->st));
    gossip_announce(n, &news);
    ingest_news_clear(&news);
    return rc;
}

void gossip_on_ihave(struct node *n, struct peer *p, const struct proto_msg *m)
{
    uint8_t *want = malloc(m->n * PROTO_ID_BYTES);
    size_t k = 0;
    int64_t now = node_now_ms();
    if (want == NULL) return;
    for (size_t i = 0; i < m->n; i++) {
        const uint8_t *id = m->items + i * PROTO_ID_BYTES;
        if (store_has(n->st, id)) continue;
        if (seen_test_and_set(n->wanted, id, now, WANT_TTL_MS)) continue;
        memcpy(want + k++ * PROTO_ID_BYTES, id, PROTO_ID_BYTES);
    }
    if (k > 0) {
        struct proto_writer w;
        proto_writer_init(&w, n->gossip_buf, PROTO_WIRE_MAX);
        proto_wire_ids(&w, PROTO_MSG_IWANT, want, k);
        peer_send(n, p, n->gossip_buf, w.len);
    }
    free(want);
}

/* Collects bulletins into BULLETINS messages of at most NODE_BATCH_BYTES and sends them. */
struct batch {
    struct node *n;
    struct peer *p;
    struct proto_writer w;
    size_t count, max;
};

static void batch_flush(struct batch *b)
{
    if (b->count == 0) return;
    /* Patch the count (offset 2) now that it is known. */
    b->w.buf[2] = (uint8_t)(b->count >> 8);
    b->w.buf[3] = (uint8_t)b->count;
    peer_send(b->n, b->p, b->w.buf, b->w.len);
    b->count = 0;
}

static int batch_add(const uint8_t *raw, size_t len, void *ctx)
{
    struct batch *b = ctx;
    if (b->count > 0 && (b->w.len + 4 + len > NODE_BATCH_BYTES || b->count == PROTO_WIRE_MAX_BATCH))
        batch_flush(b);
    if (b->count == 0) {
        proto_writer_init(&b->w, b->n->gossip_buf, PROTO_WIRE_MAX);
        proto_wire_bulletins_begin(&b->w, 0);
    }
    proto_wire_bulletins_add(&b->w, raw, len);
    b->count++;
    return 0;
}

void gossip_on_iwant(struct node *n, struct peer *p, const struct proto_msg *m)
{
    struct batch b = {.n = n, .p = p};
    if (peer_owes_too_much(p)) return;
    for (size_t i = 0; i < m->n; i++) {
        uint8_t *raw = NULL;
        size_t len = 0;
        if (store_get(n->st, m->items + i * PROTO_ID_BYTES, &raw, &len) != STORE_OK) continue;
        batch_add(raw, len, &b);
        free(raw);
    }
    batch_flush(&b);
}

void gossip_send_range(struct node *n, struct peer *p, const uint8_t *issuer, uint64_t from,
                       size_t max)
{
    struct batch b = {.n = n, .p = p};
    if (peer_owes_too_much(p)) return;
    store_range(n->st, issuer, from, max, batch_add, &b);
    batch_flush(&b);
}

/* Bulletins from peers waiting to be ingested together, with where each came from. */
#define INBOX_MAX 4096 /* bulletins: a batch is ingested at once when it is this big */
struct inbox {
    struct ingest_item items[INBOX_MAX];
    uint8_t *copies[INBOX_MAX]; /* items[i].raw, owned */
    size_t n;
    int64_t since; /* ms: when the first of them came */
    /* Per peer slot: the origin of BULLETINS it sent since the last batch, or 0. */
    uint64_t answered[NODE_MAX_PEERS];
};

/* The peer an origin names, if it is still connected (its slot not given to another). */
static struct peer *sender(struct node *n, uint64_t origin)
{
    uint64_t slot = origin & 0xff;
    if (slot == 0 || slot > NODE_MAX_PEERS) return NULL;
    struct peer *p = &n->peers[slot - 1];
    return p->used && !p->dropped && origin_of(n, p) == origin ? p : NULL;
}

void gossip_ingest_inbox(struct node *n)
{
    struct inbox *in = n->inbox;
    bool any = in != NULL && in->n > 0;
    for (int i = 0; in != NULL && i < NODE_MAX_PEERS; i++)
        any |= in->answered[i] != 0;
    if (!any) return;
    struct ingest_news news = {0};
    int rc = in->n ? ingest_batch(n->in, in->items, in->n, &news) : STORE_OK;
    if (rc != STORE_OK) log_msg(LOG_ERROR, _("store: %s"), store_error(n->st));
    for (size_t i = 0; i < in->n; i++) {
        struct ingest_item *it = &in->items[i];
        struct peer *p = sender(n, it->origin);
        if (it->result == INGEST_MALFORMED && p) peer_misbehaved(n, p, _("malformed bulletin"));
        if (it->result == INGEST_BAD_SIGNATURE && p) peer_misbehaved(n, p, _("forged bulletin"));
        if (it->result == INGEST_FORK) {
            char hex[17];
            sodium_bin2hex(hex, sizeof hex, it->b.issuer, 8);
            log_msg(LOG_WARN, _("fork: issuer %s... signed two bulletins at sequence %llu"), hex,
                    (unsigned long long)it->b.sequence);
        }
        if (it->result != INGEST_MALFORMED) seen_clear(n->wanted, it->id);
        /* A bulletin whose predecessor is missing: ask its sender for the gap. */
        if (news.has_gap && p && it->result == INGEST_PENDING &&
            memcmp(it->b.issuer, news.gap_issuer, PROTO_KEY_BYTES) == 0) {
            struct proto_writer w;
            proto_writer_init(&w, n->gossip_buf, PROTO_WIRE_MAX);
            proto_wire_fetch(&w, news.gap_issuer, news.gap_from, NODE_FETCH_BATCH);
            peer_send(n, p, n->gossip_buf, w.len);
            news.has_gap = 0;
        }
        free(in->copies[i]);
    }
    in->n = 0;
    gossip_announce(n, &news);
    ingest_news_clear(&news);
    for (int i = 0; i < NODE_MAX_PEERS; i++) {
        struct peer *p = in->answered[i] ? sender(n, in->answered[i]) : NULL;
        if (p) sync_continue(n, p); /* heads moved on: ask further */
        in->answered[i] = 0;
    }
}

void gossip_on_bulletins(struct node *n, struct peer *p, const struct proto_msg *m)
{
    if (n->inbox == NULL && (n->inbox = calloc(1, sizeof *n->inbox)) == NULL) return;
    struct inbox *in = n->inbox;
    uint64_t origin = origin_of(n, p);
    size_t pos = 0;
    const uint8_t *raw;
    size_t len;
    while (proto_wire_next_bulletin(m, &pos, &raw, &len) == 0) {
        if (in->n == INBOX_MAX) gossip_ingest_inbox(n);
        if (in->n == 0) in->since = node_now_ms();
        uint8_t *copy = malloc(len ? len : 1);
        if (copy == NULL) break;
        memcpy(copy, raw, len);
        in->copies[in->n] = copy;
        in->items[in->n++] = (struct ingest_item){.raw = copy, .len = len, .origin = origin};
    }
    in->answered[p - n->peers] = origin;
    sync_on_reply(n, p);
}

size_t gossip_inbox_count(const struct node *n)
{
    return n->inbox ? n->inbox->n : 0;
}

int64_t gossip_inbox_since(const struct node *n)
{
    return n->inbox && n->inbox->n ? n->inbox->since : node_now_ms();
}

void gossip_inbox_free(struct node *n)
{
    if (n->inbox == NULL) return;
    for (size_t i = 0; i < n->inbox->n; i++)
        free(n->inbox->copies[i]);
    free(n->inbox);
    n->inbox = NULL;
}
