/* ingest.c - decode, dedupe, verify in parallel, chain, commit. */
#include "ingest.h"

#include <stdlib.h>
#include <string.h>

#include "verify_pool.h"

#define PENDING_BUCKETS 4096

/* A verified bulletin waiting for its predecessor, keyed by (issuer, sequence). */
struct pending {
    struct pending *next; /* bucket chain */
    struct pending *older, *newer; /* age list, for dropping the oldest when full */
    uint8_t id[PROTO_ID_BYTES];
    uint8_t *raw;
    size_t len;
    struct proto_bulletin b; /* views into raw */
};

struct ingest {
    store *st;
    verify_pool *pool;
    struct pending *buckets[PENDING_BUCKETS];
    struct pending *oldest, *newest;
    size_t n_pending;
    struct pending **drained; /* accepted from pending in the open transaction */
    size_t n_drained, cap_drained;
    struct ingest_counters c;
};

ingest *ingest_new(store *s, int threads)
{
    ingest *g = calloc(1, sizeof *g);
    if (g == NULL) return NULL;
    g->st = s;
    g->pool = verify_pool_new(threads);
    if (g->pool == NULL) {
        free(g);
        return NULL;
    }
    return g;
}

static size_t bucket_of(const uint8_t *issuer, uint64_t seq)
{
    uint64_t h = seq * 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 8; i++) h ^= (uint64_t)issuer[i] << (8 * i);
    return (size_t)(h % PENDING_BUCKETS);
}

static struct pending *pending_find(ingest *g, const uint8_t *issuer, uint64_t seq)
{
    for (struct pending *p = g->buckets[bucket_of(issuer, seq)]; p; p = p->next)
        if (p->b.sequence == seq && memcmp(p->b.issuer, issuer, 32) == 0) return p;
    return NULL;
}

static void pending_remove(ingest *g, struct pending *p)
{
    struct pending **pp = &g->buckets[bucket_of(p->b.issuer, p->b.sequence)];
    while (*pp != p) pp = &(*pp)->next;
    *pp = p->next;
    if (p->older) p->older->newer = p->newer; else g->oldest = p->newer;
    if (p->newer) p->newer->older = p->older; else g->newest = p->older;
    g->n_pending--;
    free(p->raw);
    free(p);
}

/* Keep a verified bulletin until its predecessor arrives; the oldest goes when full. */
static void pending_add(ingest *g, const struct ingest_item *it)
{
    if (pending_find(g, it->b.issuer, it->b.sequence) != NULL) return;
    if (g->n_pending >= INGEST_PENDING_MAX) pending_remove(g, g->oldest);
    struct pending *p = calloc(1, sizeof *p);
    if (p == NULL || (p->raw = malloc(it->len)) == NULL) {
        free(p);
        return;
    }
    memcpy(p->raw, it->raw, it->len);
    p->len = it->len;
    memcpy(p->id, it->id, PROTO_ID_BYTES);
    if (proto_bulletin_decode(&p->b, p->raw, p->len, NULL) != PROTO_OK) {
        free(p->raw);
        free(p);
        return;
    }
    size_t k = bucket_of(p->b.issuer, p->b.sequence);
    p->next = g->buckets[k];
    g->buckets[k] = p;
    p->older = g->newest;
    if (g->newest) g->newest->newer = p; else g->oldest = p;
    g->newest = p;
    g->n_pending++;
}

void ingest_destroy(ingest **gp)
{
    ingest *g = gp ? *gp : NULL;
    if (g == NULL) return;
    while (g->oldest) pending_remove(g, g->oldest);
    free(g->drained);
    verify_pool_destroy(&g->pool);
    free(g);
    *gp = NULL;
}

static void verify_one(void *items, size_t i)
{
    struct ingest_item *it = (struct ingest_item *)items + i;
    if (it->result != INGEST_ACCEPTED) return; /* malformed or duplicate: nothing to check */
    if (proto_bulletin_verify(&it->b, it->raw, it->len) != PROTO_OK)
        it->result = INGEST_BAD_SIGNATURE;
}

static void news_add(struct ingest_news *news, const uint8_t *id)
{
    if (news->n_ids == news->cap) {
        size_t cap = news->cap ? news->cap * 2 : 64;
        uint8_t *ids = realloc(news->ids, cap * PROTO_ID_BYTES);
        if (ids == NULL) return;
        news->ids = ids, news->cap = cap;
    }
    memcpy(news->ids + news->n_ids++ * PROTO_ID_BYTES, id, PROTO_ID_BYTES);
}

void ingest_news_clear(struct ingest_news *news)
{
    free(news->ids);
    memset(news, 0, sizeof *news);
}

/* Is b the next link of its issuer's chain as stored? */
static int is_next(ingest *g, const struct proto_bulletin *b, int *next)
{
    uint64_t head;
    bool forked;
    uint8_t prev[PROTO_ID_BYTES];
    int rc = store_head(g->st, b->issuer, &head, &forked);
    *next = 0;
    if (rc != STORE_OK || b->sequence != head + 1) return rc;
    if (b->sequence == 1) return *next = 1, STORE_OK;
    rc = store_chain_id(g->st, b->issuer, b->sequence - 1, prev);
    if (rc == STORE_OK) *next = memcmp(prev, b->previous, PROTO_ID_BYTES) == 0;
    return rc == STORE_ENOTFOUND ? STORE_OK : rc;
}

/* After accepting (issuer, seq), accept the pending bulletins that now follow it. */
static int drain_pending(ingest *g, const uint8_t *issuer, uint64_t seq, struct ingest_news *news)
{
    struct pending *p;
    int rc = STORE_OK, next = 0;
    while (rc == STORE_OK && (p = pending_find(g, issuer, seq + 1)) != NULL) {
        rc = is_next(g, &p->b, &next);
        if (rc != STORE_OK || !next) break;
        if (g->n_drained == g->cap_drained) {
            size_t cap = g->cap_drained ? 2 * g->cap_drained : 64;
            struct pending **d = realloc(g->drained, cap * sizeof *d);
            if (d == NULL) return STORE_ENOMEM;
            g->drained = d, g->cap_drained = cap;
        }
        rc = store_accept(g->st, &p->b, p->raw, p->len, p->id);
        if (rc == STORE_OK) news_add(news, p->id), g->drained[g->n_drained++] = p, seq++;
    }
    return rc;
}

/* Decide one verified, non-duplicate item inside the write transaction. */
static int place(ingest *g, struct ingest_item *it, struct ingest_news *news)
{
    uint8_t other[PROTO_ID_BYTES];
    int next = 0;
    int rc = store_chain_id(g->st, it->b.issuer, it->b.sequence, other);
    if (rc == STORE_OK) {
        if (memcmp(other, it->id, PROTO_ID_BYTES) == 0) return it->result = INGEST_DUPLICATE, 0;
        it->result = INGEST_FORK;
        rc = store_fork(g->st, &it->b, it->raw, it->len, it->id, other);
        if (rc == STORE_OK) news_add(news, it->id);
        return rc;
    }
    if (rc != STORE_ENOTFOUND) return rc;
    if ((rc = is_next(g, &it->b, &next)) != STORE_OK) return rc;
    if (!next) {
        it->result = INGEST_PENDING;
        return STORE_OK;
    }
    rc = store_accept(g->st, &it->b, it->raw, it->len, it->id);
    if (rc == STORE_OK) {
        it->result = INGEST_ACCEPTED;
        news_add(news, it->id);
        rc = drain_pending(g, it->b.issuer, it->b.sequence, news);
    }
    return rc;
}

/* Order by issuer then sequence, so a batch from one chain is accepted in one pass. */
static int by_chain(const void *a, const void *b)
{
    const struct ingest_item *x = *(struct ingest_item *const *)a;
    const struct ingest_item *y = *(struct ingest_item *const *)b;
    int c = memcmp(x->b.issuer, y->b.issuer, PROTO_KEY_BYTES);
    if (c) return c;
    return x->b.sequence < y->b.sequence ? -1 : x->b.sequence > y->b.sequence;
}

/* One attempt at the write transaction; STORE_EFULL means grow and retry. */
static int commit_batch(ingest *g, struct ingest_item **order, size_t m, struct ingest_news *news)
{
    int rc = store_begin(g->st);
    size_t mark = news->n_ids;
    g->n_drained = 0;
    for (size_t i = 0; rc == STORE_OK && i < m; i++) {
        order[i]->result = INGEST_ACCEPTED;
        rc = place(g, order[i], news);
    }
    if (rc == STORE_OK) rc = store_commit(g->st);
    else store_abort(g->st);
    if (rc != STORE_OK) news->n_ids = mark;
    return rc;
}

/* After commit: drop pending entries that were accepted, keep the new pending ones. */
static void settle_pending(ingest *g, struct ingest_item **order, size_t m,
                           struct ingest_news *news)
{
    /* Committed: what was drained from pending is stored now (removed before adding, so the
     * eviction of the oldest cannot free a drained entry twice). */
    g->c.accepted += g->n_drained;
    for (size_t i = 0; i < g->n_drained; i++) pending_remove(g, g->drained[i]);
    g->n_drained = 0;
    for (size_t i = 0; i < m; i++) {
        struct ingest_item *it = order[i];
        if (it->result == INGEST_PENDING) {
            pending_add(g, it);
            if (!news->has_gap) {
                uint64_t head;
                bool forked;
                store_head(g->st, it->b.issuer, &head, &forked);
                memcpy(news->gap_issuer, it->b.issuer, PROTO_KEY_BYTES);
                news->gap_from = head + 1;
                news->has_gap = 1;
            }
        }
    }
}

int ingest_batch(ingest *g, struct ingest_item *items, size_t n, struct ingest_news *news)
{
    struct ingest_item **order = malloc((n ? n : 1) * sizeof *order);
    size_t m = 0;
    int rc = STORE_OK;
    if (order == NULL) return STORE_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        struct ingest_item *it = &items[i];
        it->result = INGEST_ACCEPTED; /* "still to check" until decided */
        if (proto_bulletin_decode(&it->b, it->raw, it->len, NULL) != PROTO_OK) {
            it->result = INGEST_MALFORMED;
            continue;
        }
        proto_bulletin_id(it->raw, it->len, it->id);
        struct pending *pd = pending_find(g, it->b.issuer, it->b.sequence);
        if (store_has(g->st, it->id) || (pd && memcmp(pd->id, it->id, PROTO_ID_BYTES) == 0))
            it->result = INGEST_DUPLICATE;
    }
    verify_pool_run(g->pool, verify_one, items, n);
    for (size_t i = 0; i < n; i++)
        if (items[i].result == INGEST_ACCEPTED) order[m++] = &items[i];
    qsort(order, m, sizeof *order, by_chain);
    while ((rc = commit_batch(g, order, m, news)) == STORE_EFULL)
        if ((rc = store_grow(g->st)) != STORE_OK) break;
    if (rc != STORE_OK) {
        for (size_t i = 0; i < m; i++) order[i]->result = INGEST_ERROR;
    } else {
        settle_pending(g, order, m, news);
    }
    for (size_t i = 0; i < n; i++) {
        switch (items[i].result) {
        case INGEST_ACCEPTED: g->c.accepted++; break;
        case INGEST_DUPLICATE: g->c.duplicate++; break;
        case INGEST_PENDING: g->c.pending++; break;
        case INGEST_FORK: g->c.fork++; break;
        case INGEST_MALFORMED: g->c.malformed++; break;
        case INGEST_BAD_SIGNATURE: g->c.bad_signature++; break;
        }
    }
    free(order);
    return rc;
}

void ingest_counters(const ingest *g, struct ingest_counters *c)
{
    *c = g->c;
}

size_t ingest_pending_count(const ingest *g)
{
    return g->n_pending;
}
