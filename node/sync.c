/* sync.c - anti-entropy. On connect and every sync interval, each node sends its peers a STATE:
 * every issuer it knows with the head of that issuer's chain. A node that sees a peer ahead on
 * an issuer asks for the rest (FETCH), a batch or two at a time, and keeps asking as batches
 * arrive, so lost messages, down nodes and partitions are repaired and a new node gets the
 * whole history from any one peer. */
#include <stdlib.h>
#include <string.h>

#include "node.h"

#define FETCH_TTL_MS 5000


void sync_send_state(struct node *n, struct peer *p)
{
    uint8_t *entries = NULL;
    size_t count = 0;
    if (store_state(n->st, &entries, &count) != STORE_OK) return;
    if (count > PROTO_WIRE_MAX_ISSUERS) count = PROTO_WIRE_MAX_ISSUERS;
    struct proto_writer w;
    proto_writer_init(&w, n->sync_buf, PROTO_WIRE_MAX);
    proto_wire_state(&w, entries, count);
    if (w.err == PROTO_OK && peer_send(n, p, n->sync_buf, w.len)) p->last_state_sent = node_now_ms();
    free(entries);
}

/* The slot of issuer: its own if present, else a free or expired one near its hash (linear
 * probing), else the nearest (forgetting that one only risks asking twice). */
static struct fetch_slot *fetch_slot(struct node *n, const uint8_t *issuer, int64_t now)
{
    uint64_t h;
    struct fetch_slot *spare = NULL;
    memcpy(&h, issuer, 8);
    for (size_t i = 0; i < 32; i++) {
        struct fetch_slot *f = &n->fetching[(h + i) % NODE_FETCH_SLOTS];
        if (memcmp(f->issuer, issuer, PROTO_KEY_BYTES) == 0) return f;
        if (spare == NULL && f->until <= now) spare = f;
    }
    return spare ? spare : &n->fetching[h % NODE_FETCH_SLOTS];
}

/* Ask p for issuer's bulletins after our head, keeping up to NODE_FETCH_AHEAD batches in
 * flight and never past what p said it has. */
static void fetch_more(struct node *n, struct peer *p, const uint8_t *issuer, uint64_t theirs,
                       int64_t now)
{
    uint64_t ours;
    bool forked;
    if (store_head(n->st, issuer, &ours, &forked) != STORE_OK || theirs <= ours) return;
    if (policy_shuns(n, issuer)) return; /* refused by the roster a moment ago */
    struct fetch_slot *f = fetch_slot(n, issuer, now);
    if (memcmp(f->issuer, issuer, PROTO_KEY_BYTES) != 0 || f->until <= now ||
        f->requested_to < ours) {
        memcpy(f->issuer, issuer, PROTO_KEY_BYTES);
        f->requested_to = ours;
    }
    /* A peer that has not answered for a while has dropped what we asked; ask again. */
    if (p->fetches > 0 && now - p->last_fetch_reply > FETCH_TTL_MS) p->fetches = 0;
    while (f->requested_to < theirs &&
           f->requested_to < ours + NODE_FETCH_AHEAD * NODE_FETCH_BATCH &&
           p->fetches < NODE_FETCH_INFLIGHT) {
        struct proto_writer w;
        proto_writer_init(&w, n->sync_buf, PROTO_WIRE_MAX);
        proto_wire_fetch(&w, issuer, f->requested_to + 1, NODE_FETCH_BATCH);
        if (!peer_send(n, p, n->sync_buf, w.len)) break;
        if (p->fetches++ == 0) p->last_fetch_reply = now;
        f->requested_to += NODE_FETCH_BATCH;
        f->until = now + FETCH_TTL_MS;
    }
}

void sync_on_state(struct node *n, struct peer *p, const struct proto_msg *m)
{
    int64_t now = node_now_ms();
    bool they_lack = false;
    free(p->state);
    p->state = malloc(m->items_len + 1);
    p->n_state = p->state ? m->n : 0;
    if (p->state) memcpy(p->state, m->items, m->items_len);
    for (size_t i = 0; i < p->n_state; i++)
        fetch_more(n, p, proto_state_issuer(p->state, i), proto_state_head(p->state, i), now);
    /* Do we know issuers they lack, or more of them? Then tell them, at most once per half
     * interval so two nodes do not bounce STATEs while a fetch is under way. */
    uint8_t *ours = NULL;
    size_t n_ours = 0, j = 0;
    if (store_state(n->st, &ours, &n_ours) != STORE_OK) return;
    for (size_t i = 0; i < n_ours && !they_lack; i++) {
        const uint8_t *e = proto_state_issuer(ours, i);
        while (j < p->n_state && memcmp(proto_state_issuer(p->state, j), e, 32) < 0)
            j++;
        they_lack = j == p->n_state || memcmp(proto_state_issuer(p->state, j), e, 32) != 0 ||
                    proto_state_head(p->state, j) < proto_state_head(ours, i);
    }
    free(ours);
    if (they_lack && now - p->last_state_sent > n->cfg.sync_interval_ms / 2) sync_send_state(n, p);
}

void sync_on_fetch(struct node *n, struct peer *p, const struct proto_msg *m)
{
    gossip_send_range(n, p, m->issuer, m->from, m->max);
}

/* Ask p for more of every issuer its STATE says it has. */
static void fetch_all(struct node *n, struct peer *p, int64_t now)
{
    for (size_t i = 0; i < p->n_state; i++)
        fetch_more(n, p, proto_state_issuer(p->state, i), proto_state_head(p->state, i), now);
}

void sync_on_reply(struct node *n, struct peer *p)
{
    int64_t now = node_now_ms();
    if (p->fetches == 0) return; /* not an answer to a FETCH (or a late one) */
    p->fetches--;
    p->last_fetch_reply = now;
    fetch_all(n, p, now);
}

void sync_continue(struct node *n, struct peer *p)
{
    fetch_all(n, p, node_now_ms());
}

void sync_tick(struct node *n, int64_t now)
{
    if (now < n->next_sync) return;
    n->next_sync = now + n->cfg.sync_interval_ms;
    for (int i = 0; i < NODE_MAX_PEERS; i++)
        if (n->peers[i].used && !n->peers[i].dropped) sync_send_state(n, &n->peers[i]);
}
