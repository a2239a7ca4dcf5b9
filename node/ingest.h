/* ingest.h - from received bytes to committed bulletins: decode, drop duplicates, verify
 * signatures on all cores, follow issuer chains (with a bounded pending set for gaps), detect
 * forks, and commit a batch in one transaction. Used by the node's single writer thread. */
#ifndef WARTA_INGEST_H
#define WARTA_INGEST_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_bulletin.h"
#include "store.h"

#define INGEST_PENDING_MAX 16384 /* bulletins waiting for a predecessor */

enum ingest_result {
    INGEST_ACCEPTED = 0, /* valid, next in its chain, stored: committed when the next
                          * ingest_batch or ingest_flush returns STORE_OK */
    INGEST_DUPLICATE,    /* already stored */
    INGEST_PENDING,      /* valid, waiting for its predecessor */
    INGEST_FORK,         /* valid, but the issuer signed another bulletin at this sequence */
    INGEST_MALFORMED,    /* does not decode */
    INGEST_BAD_SIGNATURE,
    INGEST_ERROR,     /* the store failed; nothing of the batch was committed */
    INGEST_UNTRUSTED, /* valid and next in its chain, but refused by the trust policy */
};

/* One received bulletin. raw must stay valid for the call. */
struct ingest_item {
    const uint8_t *raw;
    size_t len;
    int result;      /* enum ingest_result, set by ingest_batch */
    int refusal;     /* INGEST_UNTRUSTED: what the policy returned */
    uint64_t origin; /* the caller's tag for where it came from (0: here); news carries it */
    uint8_t id[PROTO_ID_BYTES];
    struct proto_bulletin b; /* internal */
    atomic_int checked;      /* internal: signature checked (set by a worker thread) */
};

/* What a batch changed, for announcing to peers and for gap repair. */
struct ingest_news {
    uint8_t *ids;      /* accepted or fork ids to announce: n_ids x 32 bytes, malloc'd */
    uint64_t *origins; /* and the origin of each (its ingest_item's), malloc'd */
    size_t n_ids;
    size_t cap;
    uint8_t gap_issuer[PROTO_KEY_BYTES]; /* one issuer with a gap to fetch, if has_gap */
    uint64_t gap_from;
    int has_gap;
    size_t lost; /* ids left out for want of memory: stored, but not announced (sync repairs) */
};

typedef struct ingest ingest;

/* threads: signature-checking threads (<= 0: one per core). NULL on failure. */
ingest *ingest_new(store *s, int threads);
void ingest_destroy(ingest **g);

/*
 * Process items[0..n). Sets each item's result and appends to news what is now committed
 * (which the caller frees with ingest_news_clear). Accepted bulletins are placed in an open
 * transaction that later batches keep filling until it holds about 8192 bulletins (or the map
 * might not take more); it is then committed at the start of the next call, while that
 * batch's signatures are being checked, or by ingest_flush. So news lists what earlier calls
 * placed as well. Returns STORE_OK, or the first store error (the items it concerns are
 * INGEST_ERROR when they are of this call).
 */
int ingest_batch(ingest *g, struct ingest_item *items, size_t n, struct ingest_news *news);
/* Commit the open transaction, if any, adding its ids to news. Call it when no batch follows
 * at once (the node: when nothing else is waiting), and before acknowledging a bulletin. */
int ingest_flush(ingest *g, struct ingest_news *news);
bool ingest_has_open(const ingest *g);
/* Transactions begun so far (a new number means the open transaction is a new one). */
uint64_t ingest_transactions(const ingest *g);
void ingest_news_clear(struct ingest_news *news);

/*
 * A trust policy: called on the writer thread for each verified bulletin about to be accepted
 * (next in its chain), in chain order. Returns 0 to accept, anything else to refuse it (the
 * bulletin is not stored; its successors wait). Without one, every valid bulletin is accepted.
 */
typedef int (*ingest_policy_fn)(void *ctx, const struct proto_bulletin *b, const uint8_t *raw,
                                size_t len, const uint8_t id[PROTO_ID_BYTES]);
/*
 * What became of the transaction the policy accepted bulletins into: committed (they are
 * stored), or aborted (none of them is; they may be offered to the policy again). A policy
 * that changes its own state on accepting (the roster takes records in) keeps the change on
 * INGEST_TXN_COMMITTED and undoes it on INGEST_TXN_ABORTED. May be NULL.
 */
enum ingest_txn { INGEST_TXN_COMMITTED, INGEST_TXN_ABORTED };
typedef void (*ingest_txn_fn)(void *ctx, enum ingest_txn what);
void ingest_set_policy(ingest *g, ingest_policy_fn fn, ingest_txn_fn done, void *ctx);

/* Counters since start. */
struct ingest_counters {
    uint64_t accepted, duplicate, pending, fork, malformed, bad_signature, untrusted;
};
void ingest_counters(const ingest *g, struct ingest_counters *c);
size_t ingest_pending_count(const ingest *g);

#endif
