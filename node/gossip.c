/* gossip.c - spreading new bulletins: a node that accepts something announces its id (IHAVE);
 * each neighbour asks for what it lacks (IWANT) and receives one copy (BULLETINS). Ids asked
 * for are remembered for a while so that announcements from several neighbours do not fetch
 * the same bulletin twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"

#define WANT_TTL_MS 3000

static uint8_t msgbuf[PROTO_WIRE_MAX];

void gossip_announce(struct node *n, const struct peer *source, const struct ingest_news *news)
{
    for (size_t i = 0; i < news->n_ids; i += PROTO_WIRE_MAX_IDS) {
        size_t k = news->n_ids - i < PROTO_WIRE_MAX_IDS ? news->n_ids - i : PROTO_WIRE_MAX_IDS;
        struct proto_writer w;
        proto_writer_init(&w, msgbuf, sizeof msgbuf);
        proto_wire_ids(&w, PROTO_MSG_IHAVE, news->ids + i * PROTO_ID_BYTES, k);
        peers_broadcast(n, source, msgbuf, w.len);
    }
}

int gossip_ingest(struct node *n, struct peer *p, struct ingest_item *items, size_t count)
{
    struct ingest_news news = {0};
    int rc = ingest_batch(n->in, items, count, &news);
    for (size_t i = 0; p != NULL && i < count; i++) {
        if (items[i].result == INGEST_MALFORMED) peer_misbehaved(n, p, "malformed bulletin");
        if (items[i].result == INGEST_BAD_SIGNATURE) peer_misbehaved(n, p, "forged bulletin");
        if (items[i].result == INGEST_FORK) {
            char hex[17];
            for (int k = 0; k < 8; k++)
                sprintf(hex + 2 * k, "%02x", items[i].b.issuer[k]);
            log_msg(LOG_WARN, "fork: issuer %s... signed two bulletins at sequence %llu", hex,
                    (unsigned long long)items[i].b.sequence);
        }
    }
    if (rc != STORE_OK) log_msg(LOG_ERROR, "store: %s", store_error(n->st));
    gossip_announce(n, p, &news);
    if (news.has_gap && p != NULL) {
        /* A bulletin whose predecessor is missing: ask the sender for the gap. */
        struct proto_writer w;
        proto_writer_init(&w, msgbuf, sizeof msgbuf);
        proto_wire_fetch(&w, news.gap_issuer, news.gap_from, NODE_FETCH_BATCH);
        peer_send(n, p, msgbuf, w.len);
    }
    ingest_news_clear(&news);
    return rc;
}

int gossip_flush(struct node *n)
{
    struct ingest_news news = {0};
    int rc = ingest_flush(n->in, &news);
    if (rc != STORE_OK) log_msg(LOG_ERROR, "store: %s", store_error(n->st));
    gossip_announce(n, NULL, &news);
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
        proto_writer_init(&w, msgbuf, sizeof msgbuf);
        proto_wire_ids(&w, PROTO_MSG_IWANT, want, k);
        peer_send(n, p, msgbuf, w.len);
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
        proto_writer_init(&b->w, msgbuf, sizeof msgbuf);
        proto_wire_bulletins_begin(&b->w, 0);
    }
    proto_wire_bulletins_add(&b->w, raw, len);
    b->count++;
    return 0;
}

void gossip_on_iwant(struct node *n, struct peer *p, const struct proto_msg *m)
{
    struct batch b = {.n = n, .p = p};
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
    store_range(n->st, issuer, from, max, batch_add, &b);
    batch_flush(&b);
}

void gossip_on_bulletins(struct node *n, struct peer *p, const struct proto_msg *m)
{
    struct ingest_item *items = calloc(m->n, sizeof *items);
    size_t pos = 0, k = 0;
    if (items == NULL) return;
    while (k < m->n && proto_wire_next_bulletin(m, &pos, &items[k].raw, &items[k].len) == 0)
        k++;
    gossip_ingest(n, p, items, k);
    for (size_t i = 0; i < k; i++)
        if (items[i].result != INGEST_MALFORMED) seen_clear(n->wanted, items[i].id);
    free(items);
    sync_continue(n, p);
}
