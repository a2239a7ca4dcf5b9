/* ingest.c - decode, dedupe, verify in parallel, chain, commit. */
#include "ingest.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verify_pool.h"

#define PENDING_BUCKETS 4096
#define INGEST_CHUNK 1024      /* bulletins placed between checks for a commit */
#define INGEST_COMMIT_MIN 8192 /* an open transaction takes more batches until it holds this */
#define INGEST_ROOM_SLACK (16u << 20) /* map bytes kept free beyond the estimate below */

/* A verified bulletin waiting for its predecessor, keyed by (issuer, sequence). */
struct pending {
    struct pending *next;          /* bucket chain */
    struct pending *older, *newer; /* age list, for dropping the oldest when full */
    uint8_t id[PROTO_ID_BYTES];
    uint8_t *raw;
    size_t len;
    uint64_t origin;         /* the item's, for the news */
    bool drained;            /* accepted in the open transaction: removed once it commits */
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
    bool open;               /* a transaction holds placed bulletins, not committed yet */
    uint64_t begun;          /* transactions begun */
    size_t open_count;       /* bulletins placed in it */
    size_t open_bytes;       /* and their bytes */
    struct ingest_news held; /* the ids it accepted, announced once it commits */
    struct ingest_counters c;
    ingest_policy_fn policy;
    ingest_txn_fn policy_done;
    void *policy_ctx;
};

void ingest_set_policy(ingest *g, ingest_policy_fn fn, ingest_txn_fn done, void *ctx)
{
    g->policy = fn;
    g->policy_done = done;
    g->policy_ctx = ctx;
}

/* Tell the policy what became of the transaction it accepted bulletins into. */
static void txn_done(ingest *g, enum ingest_txn what)
{
    if (g->policy_done) g->policy_done(g->policy_ctx, what);
}

/* 0 if the policy lets b in, else what it returned. */
static int refusal(ingest *g, const struct proto_bulletin *b, const uint8_t *raw, size_t len,
                   const uint8_t *id)
{
    return g->policy == NULL ? 0 : g->policy(g->policy_ctx, b, raw, len, id);
}

ingest *ingest_new(store *s, int threads)
{
    ingest *g = calloc(1, sizeof *g);
    if (g == NULL) return NULL;
    g->st = s;
    /* A checking thread per core besides this one, which spends much of its time in the
     * store and waiting for the disk: the cores should not idle meanwhile. */
    if (threads <= 0) threads = (int)sysconf(_SC_NPROCESSORS_ONLN) + 1;
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
    for (int i = 0; i < 8; i++)
        h ^= (uint64_t)issuer[i] << (8 * i);
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
    while (*pp != p)
        pp = &(*pp)->next;
    *pp = p->next;
    if (p->older)
        p->older->newer = p->newer;
    else
        g->oldest = p->newer;
    if (p->newer)
        p->newer->older = p->older;
    else
        g->newest = p->older;
    g->n_pending--;
    free(p->raw);
    free(p);
}

/* Keep a verified bulletin until its predecessor arrives; the oldest goes when full (but not
 * one the open transaction accepted: that one leaves when the transaction commits). */
static void pending_add(ingest *g, const struct ingest_item *it)
{
    if (pending_find(g, it->b.issuer, it->b.sequence) != NULL) return;
    if (g->n_pending >= INGEST_PENDING_MAX) {
        struct pending *old = g->oldest;
        while (old && old->drained)
            old = old->newer;
        if (old == NULL) return;
        pending_remove(g, old);
    }
    struct pending *p = calloc(1, sizeof *p);
    if (p == NULL || (p->raw = malloc(it->len)) == NULL) {
        free(p);
        return;
    }
    memcpy(p->raw, it->raw, it->len);
    p->len = it->len;
    p->origin = it->origin;
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
    if (g->newest)
        g->newest->newer = p;
    else
        g->oldest = p;
    g->newest = p;
    g->n_pending++;
}

static int commit_open(ingest *g, struct ingest_news *news);

void ingest_destroy(ingest **gp)
{
    ingest *g = gp ? *gp : NULL;
    if (g == NULL) return;
    struct ingest_news last = {0};
    commit_open(g, &last); /* placed bulletins are kept, though nobody was told of them */
    ingest_news_clear(&last);
    ingest_news_clear(&g->held);
    while (g->oldest)
        pending_remove(g, g->oldest);
    free(g->drained);
    verify_pool_destroy(&g->pool);
    free(g);
    *gp = NULL;
}

/* Phase 1, on every core: decode and hash. */
static void decode_one(void *items, size_t i)
{
    struct ingest_item *it = (struct ingest_item *)items + i;
    it->result = INGEST_ACCEPTED; /* "still to decide" until a later phase says otherwise */
    if (proto_bulletin_decode(&it->b, it->raw, it->len, NULL) != PROTO_OK)
        it->result = INGEST_MALFORMED;
    else
        proto_bulletin_id(it->raw, it->len, it->id);
}

/* Phase 3, on every core: check the signatures of the items to place, in chain order. */
static void verify_one(void *order, size_t i)
{
    struct ingest_item *it = ((struct ingest_item **)order)[i];
    if (proto_bulletin_verify(&it->b, it->raw, it->len) != PROTO_OK)
        it->result = INGEST_BAD_SIGNATURE;
    atomic_store_explicit(&it->checked, 1, memory_order_release);
}

static void news_add(struct ingest_news *news, const uint8_t *id, uint64_t origin)
{
    if (news->n_ids == news->cap) {
        size_t cap = news->cap ? news->cap * 2 : 64;
        uint8_t *ids = realloc(news->ids, cap * PROTO_ID_BYTES);
        if (ids == NULL) {
            news->lost++;
            return;
        }
        news->ids = ids;
        uint64_t *origins = realloc(news->origins, cap * sizeof *origins);
        if (origins == NULL) {
            news->lost++;
            return;
        }
        news->origins = origins;
        news->cap = cap;
    }
    news->origins[news->n_ids] = origin;
    memcpy(news->ids + news->n_ids++ * PROTO_ID_BYTES, id, PROTO_ID_BYTES);
}

void ingest_news_clear(struct ingest_news *news)
{
    free(news->ids);
    free(news->origins);
    memset(news, 0, sizeof *news);
}

/* Where one issuer's chain stands inside the open transaction. The batch is sorted by issuer,
 * so one cursor serves a whole run of its bulletins; the head is written back once. */
struct chain_pos {
    bool valid, dirty, forked;
    uint8_t issuer[PROTO_KEY_BYTES];
    uint64_t head;
    uint8_t head_id[PROTO_ID_BYTES];
};

static int pos_flush(ingest *g, struct chain_pos *c)
{
    int rc = c->valid && c->dirty ? store_set_head(g->st, c->issuer, c->head, c->forked) : STORE_OK;
    c->dirty = false;
    return rc;
}

static int pos_load(ingest *g, struct chain_pos *c, const uint8_t *issuer)
{
    if (c->valid && memcmp(c->issuer, issuer, PROTO_KEY_BYTES) == 0) return STORE_OK;
    int rc = pos_flush(g, c);
    if (rc == STORE_OK) rc = store_head(g->st, issuer, &c->head, &c->forked);
    memset(c->head_id, 0, PROTO_ID_BYTES);
    if (rc == STORE_OK && c->head > 0) rc = store_chain_id(g->st, issuer, c->head, c->head_id);
    memcpy(c->issuer, issuer, PROTO_KEY_BYTES);
    c->valid = rc == STORE_OK;
    return rc;
}

static bool follows(const struct chain_pos *c, const struct proto_bulletin *b)
{
    return b->sequence == c->head + 1 && memcmp(b->previous, c->head_id, PROTO_ID_BYTES) == 0;
}

static int accept_one(ingest *g, struct chain_pos *c, const struct proto_bulletin *b,
                      const uint8_t *raw, size_t len, const uint8_t *id, uint64_t origin,
                      struct ingest_news *news)
{
    int rc = store_accept(g->st, b, raw, len, id);
    if (rc != STORE_OK) return rc;
    g->open_count++;
    g->open_bytes += len;
    c->head = b->sequence;
    memcpy(c->head_id, id, PROTO_ID_BYTES);
    c->dirty = true;
    news_add(news, id, origin);
    return STORE_OK;
}

/* After accepting up to c->head, accept the pending bulletins that now follow. */
static int drain_pending(ingest *g, struct chain_pos *c, struct ingest_news *news)
{
    struct pending *p;
    int rc = STORE_OK;
    while (rc == STORE_OK && (p = pending_find(g, c->issuer, c->head + 1)) != NULL &&
           follows(c, &p->b) && refusal(g, &p->b, p->raw, p->len, p->id) == 0) {
        if (g->n_drained == g->cap_drained) {
            size_t cap = g->cap_drained ? 2 * g->cap_drained : 64;
            struct pending **d = realloc(g->drained, cap * sizeof *d);
            if (d == NULL) return STORE_ENOMEM;
            g->drained = d;
            g->cap_drained = cap;
        }
        rc = accept_one(g, c, &p->b, p->raw, p->len, p->id, p->origin, news);
        if (rc == STORE_OK) {
            g->drained[g->n_drained++] = p;
            p->drained = true;
        }
    }
    return rc;
}

/* Decide one verified item inside the write transaction. */
static int place(ingest *g, struct chain_pos *c, struct ingest_item *it, struct ingest_news *news)
{
    uint8_t other[PROTO_ID_BYTES];
    int rc = pos_load(g, c, it->b.issuer);
    if (rc != STORE_OK) return rc;
    if (it->b.sequence <= c->head) {
        /* That position is taken: the same bulletin, or proof of a fork. */
        rc = store_chain_id(g->st, it->b.issuer, it->b.sequence, other);
        if (rc != STORE_OK) return rc;
        if (memcmp(other, it->id, PROTO_ID_BYTES) == 0) return it->result = INGEST_DUPLICATE, 0;
        it->result = INGEST_FORK;
        rc = store_fork(g->st, &it->b, it->raw, it->len, it->id, other);
        if (rc == STORE_OK) c->forked = c->dirty = true, news_add(news, it->id, it->origin);
        return rc;
    }
    if (!follows(c, &it->b)) return it->result = INGEST_PENDING, 0;
    if ((it->refusal = refusal(g, &it->b, it->raw, it->len, it->id)) != 0)
        return it->result = INGEST_UNTRUSTED, 0;
    it->result = INGEST_ACCEPTED;
    rc = accept_one(g, c, &it->b, it->raw, it->len, it->id, it->origin, news);
    return rc == STORE_OK ? drain_pending(g, c, news) : rc;
}

/* Order by issuer then sequence (then id), so a batch from one chain is accepted in one pass. */
static int by_chain(const void *a, const void *b)
{
    const struct ingest_item *x = *(struct ingest_item *const *)a;
    const struct ingest_item *y = *(struct ingest_item *const *)b;
    int c = memcmp(x->b.issuer, y->b.issuer, PROTO_KEY_BYTES);
    if (c) return c;
    if (x->b.sequence != y->b.sequence) return x->b.sequence < y->b.sequence ? -1 : 1;
    return memcmp(x->id, y->id, PROTO_ID_BYTES); /* copies of one bulletin side by side */
}

/* Drop duplicates (stored, pending, or twice in the batch) before spending a signature check
 * on them; collect the rest in chain order. */
static size_t select_new(ingest *g, struct ingest_item *items, size_t n, struct ingest_item **order)
{
    size_t m = 0, k = 0;
    uint64_t head = 0;
    bool forked;
    for (size_t i = 0; i < n; i++)
        if (items[i].result == INGEST_ACCEPTED) order[m++] = &items[i];
    qsort(order, m, sizeof *order, by_chain);
    for (size_t i = 0; i < m; i++) {
        struct ingest_item *it = order[i];
        bool same_chain =
            i > 0 && memcmp(it->b.issuer, order[i - 1]->b.issuer, PROTO_KEY_BYTES) == 0;
        if (!same_chain && store_head(g->st, it->b.issuer, &head, &forked) != STORE_OK)
            head = UINT64_MAX; /* then ask the id index about every one */
        /* Past its issuer's head a bulletin is not stored (fork evidence is kept only at
         * sequences up to it), so only those up to the head need the id index. */
        struct pending *pd = pending_find(g, it->b.issuer, it->b.sequence);
        if ((same_chain && memcmp(it->id, order[i - 1]->id, PROTO_ID_BYTES) == 0) ||
            (it->b.sequence <= head && store_has(g->st, it->id)) ||
            (pd && memcmp(pd->id, it->id, PROTO_ID_BYTES) == 0)) {
            it->result = INGEST_DUPLICATE;
            continue;
        }
        atomic_store(&it->checked, 0);
        order[k++] = it;
    }
    return k;
}

/* The open transaction's drained entries stay pending (it was aborted, or failed). */
static void undrain(ingest *g)
{
    for (size_t i = 0; i < g->n_drained; i++)
        g->drained[i]->drained = false;
    g->n_drained = 0;
}

/* Commit the open transaction, if any: its accepted ids go to news, the pending entries it
 * accepted leave the pending set. On failure nothing of it is stored or announced (peers
 * offer those bulletins again; anti-entropy asks for them). */
static int commit_open(ingest *g, struct ingest_news *news)
{
    if (!g->open) return STORE_OK;
    g->open = false;
    g->open_count = g->open_bytes = 0;
    int rc = store_commit(g->st);
    txn_done(g, rc == STORE_OK ? INGEST_TXN_COMMITTED : INGEST_TXN_ABORTED);
    if (rc == STORE_OK) {
        for (size_t i = 0; i < g->held.n_ids; i++)
            news_add(news, g->held.ids + i * PROTO_ID_BYTES, g->held.origins[i]);
        g->c.accepted += g->n_drained;
        for (size_t i = 0; i < g->n_drained; i++)
            pending_remove(g, g->drained[i]);
        g->n_drained = 0;
    }
    undrain(g);
    g->held.n_ids = 0;
    return rc;
}

/* Keep the chunk's bulletins that wait for a predecessor, and report one gap to fetch. */
static void keep_pending(ingest *g, struct ingest_item **order, size_t m, struct ingest_news *news)
{
    for (size_t i = 0; i < m; i++) {
        struct ingest_item *it = order[i];
        if (it->result != INGEST_PENDING) continue;
        pending_add(g, it);
        uint64_t head;
        bool forked;
        /* The gap to fetch: from the issuer's head on (none reported if it cannot be read). */
        if (!news->has_gap && store_head(g->st, it->b.issuer, &head, &forked) == STORE_OK) {
            memcpy(news->gap_issuer, it->b.issuer, PROTO_KEY_BYTES);
            news->gap_from = head + 1;
            news->has_gap = 1;
        }
    }
}

/* The decisions of a failed attempt are void: back to "to decide", keeping rejections. */
static void reset_results(struct ingest_item **order, size_t m)
{
    for (size_t i = 0; i < m; i++)
        if (order[i]->result != INGEST_BAD_SIGNATURE && order[i]->result != INGEST_UNTRUSTED)
            order[i]->result = INGEST_ACCEPTED;
}

/* Whether the open transaction should be committed before `more` bytes are placed: it holds
 * enough already, or the map might not hold the rest (a full map in a transaction that spans
 * batches would lose what earlier batches placed in it; the map grows between transactions). */
static bool commit_due(ingest *g, size_t more)
{
    /* Each byte placed costs up to about eight in the map: the bulletin, its index entries
     * and the tree, and the copies of the pages a transaction changes. */
    return g->open && (g->open_count >= INGEST_COMMIT_MIN ||
                       !store_has_room(g->st, 8 * (g->open_bytes + more) + INGEST_ROOM_SLACK));
}

/* Place order[0..m) in the open transaction, or a new one, left open: each item's signature is
 * checked (or being checked: wait for it, helping the workers meanwhile). A full map is grown
 * and the chunk placed again in a new transaction; what earlier batches had placed in the
 * aborted one is then not stored (nor announced: peers offer it again). */
static int place_chunk(ingest *g, struct ingest_item **order, size_t m)
{
    for (;;) {
        struct chain_pos c = {0};
        int rc = STORE_OK;
        if (!g->open) {
            g->begun++;
            rc = store_begin(g->st);
        }
        for (size_t j = 0; j < m; j++) {
            while (!atomic_load_explicit(&order[j]->checked, memory_order_acquire))
                if (!verify_pool_help(g->pool)) sched_yield();
            if (rc == STORE_OK && order[j]->result == INGEST_ACCEPTED)
                rc = place(g, &c, order[j], &g->held);
        }
        if (rc == STORE_OK) rc = pos_flush(g, &c);
        /* The chunk's index entries, in key order (a full map shows here too). */
        if (rc == STORE_OK) rc = store_settle(g->st);
        if (rc == STORE_OK) {
            g->open = true;
            return STORE_OK;
        }
        store_abort(g->st);
        txn_done(g, INGEST_TXN_ABORTED);
        g->open = false;
        g->open_count = g->open_bytes = 0;
        g->held.n_ids = 0;
        undrain(g);
        if (rc != STORE_EFULL) return rc;
        reset_results(order, m);
        if ((rc = store_grow(g->st)) != STORE_OK) return rc;
    }
}

int ingest_flush(ingest *g, struct ingest_news *news)
{
    return commit_open(g, news);
}

bool ingest_has_open(const ingest *g)
{
    return g->open;
}

uint64_t ingest_transactions(const ingest *g)
{
    return g->begun;
}

int ingest_batch(ingest *g, struct ingest_item *items, size_t n, struct ingest_news *news)
{
    struct ingest_item **order = malloc((n ? n : 1) * sizeof *order);
    if (order == NULL) return STORE_ENOMEM;
    verify_pool_run(g->pool, decode_one, items, n);
    size_t m = select_new(g, items, n, order);
    /* The workers check signatures in chain order while this thread commits: the previous
     * batch's last chunk now, then each chunk of this batch but the last, which stays open
     * until the next batch (or ingest_flush). So the disk writes of one chunk overlap the
     * checks of the next, across batches too. */
    verify_pool_start(g->pool, verify_one, order, m);
    size_t bytes = 0;
    for (size_t i = 0; i < m; i++)
        bytes += order[i]->len;
    int rc = commit_due(g, bytes) ? commit_open(g, news) : STORE_OK;
    /* Room before a transaction starts, for this batch (a full map mid-way costs a redo) and
     * for later ones like it until it holds INGEST_COMMIT_MIN (else it commits early). */
    size_t fill = m ? bytes / m * INGEST_COMMIT_MIN : 0;
    while (rc == STORE_OK && !g->open &&
           !store_has_room(g->st, 8 * (bytes > fill ? bytes : fill) + INGEST_ROOM_SLACK))
        rc = store_grow(g->st);
    for (size_t at = 0; at < m; at += INGEST_CHUNK) {
        size_t k = m - at < INGEST_CHUNK ? m - at : INGEST_CHUNK;
        int prc = place_chunk(g, order + at, k);
        if (prc == STORE_OK) keep_pending(g, order + at, k, news);
        if (prc == STORE_OK && at + k < m && commit_due(g, 0)) prc = commit_open(g, news);
        if (prc != STORE_OK) {
            for (size_t i = at; i < m; i++)
                if (order[i]->result == INGEST_ACCEPTED || order[i]->result == INGEST_PENDING ||
                    order[i]->result == INGEST_FORK)
                    order[i]->result = INGEST_ERROR;
            if (rc == STORE_OK) rc = prc;
            break;
        }
    }
    verify_pool_wait(g->pool);
    uint64_t *counter[] = {
        [INGEST_ACCEPTED] = &g->c.accepted,
        [INGEST_DUPLICATE] = &g->c.duplicate,
        [INGEST_PENDING] = &g->c.pending,
        [INGEST_FORK] = &g->c.fork,
        [INGEST_MALFORMED] = &g->c.malformed,
        [INGEST_BAD_SIGNATURE] = &g->c.bad_signature,
        [INGEST_ERROR] = NULL,
        [INGEST_UNTRUSTED] = &g->c.untrusted,
    };
    for (size_t i = 0; i < n; i++)
        if (counter[items[i].result]) ++*counter[items[i].result];
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
