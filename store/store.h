/* store.h - the node's LMDB store: bulletins, issuer chains, indexes, arrival log and its
 * Merkle tree, forks, checkpoints. Its tables are laid out in docs/PROTOCOL.md §16.
 *
 * Readers and the writer:
 * - One process writes: wartad, from one thread (node/ingest.c), through store_begin ...
 *   store_commit. A second writer on the same directory is refused by wartad's lock file.
 * - Any number of other processes read at the same time (the warta tool, a gateway), each
 *   with store_open(dir, true, ...). A reader never blocks the writer nor is blocked by it
 *   (LMDB's copy-on-write pages): it sees one snapshot, taken at open or at the last
 *   store_refresh, in which every table agrees with every other, and nothing committed after
 *   it. A reader that runs for long should refresh between requests, since the pages of its
 *   snapshot cannot be reused by the writer while it holds them (the file grows instead).
 * - A read-only store is not for use by two threads at once; open one per thread. Bytes
 *   handed to a callback are valid only during the call; functions that return buffers
 *   (store_get, store_checkpoint) return copies the caller frees.
 * - Nothing a reader does changes the store: a read-only open of a directory that is not a
 *   store, or of a table an older wartad did not make, reports it and changes nothing. */
#ifndef WARTA_STORE_H
#define WARTA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_bulletin.h"
#include "proto_merkle.h"

enum store_status {
    STORE_OK = 0,
    STORE_ENOTFOUND = -200,
    STORE_EFULL = -201, /* the map is full: store_grow() then redo the transaction */
    STORE_EDB = -202,   /* any other LMDB failure; store_error() says which */
    STORE_ENOMEM = -203,
    STORE_EAMBIGUOUS = -204, /* an id prefix that more than one stored bulletin has */
};

typedef struct store store;

/* A query of warta list: every set field narrows the result. */
struct store_filter {
    const char *region;  /* this code and the codes inside it ("17" matches "17.71"); NULL = any */
    const char *verdict; /* exact label, or NULL */
    const uint8_t *issuer; /* 32-byte key, or NULL */
    uint64_t since, until; /* issued_at range in ms, inclusive; 0 = open */
    size_t limit;          /* 0 = no limit */
};

/* Called for each bulletin found; the bytes are valid only during the call. Return non-zero
 * to stop. */
typedef int (*store_visit_fn)(const uint8_t *raw, size_t len, void *ctx);

/*
 * Open (creating if needed, unless readonly) the store in directory dir.
 * On failure returns NULL and writes the reason to err.
 * A read-only store reads one snapshot, taken at open, until it is closed or refreshed: a tool
 * reading the store of a running node sees every table as of one moment, whatever the node
 * commits meanwhile.
 */
store *store_open(const char *dir, bool readonly, char *err, size_t err_len);
/* A read-only store: let go of its snapshot and take a new one (what was committed since). */
int store_refresh(store *s);
/* The same with the initial map size in bytes (the map doubles whenever it fills). */
store *store_open_sized(const char *dir, bool readonly, size_t map_bytes, char *err,
                        size_t err_len);
void store_close(store **s);
const char *store_error(const store *s);

/* Write transactions: the caller (the node's one writer thread) brackets its puts. */
int store_begin(store *s);
int store_commit(store *s);
void store_abort(store *s);
/* Write the index entries (by id, time, region, verdict) that the transaction's puts held back,
 * in key order. Reads through the store and store_commit do it themselves; calling it after a
 * run of puts (ingest: after each chunk) sorts that run as one. STORE_EFULL: abort, grow,
 * redo. */
int store_settle(store *s);
/* Double the map size; only between transactions. */
int store_grow(store *s);
/* Whether the map has more than bytes free beyond what the last commit used. */
bool store_has_room(store *s, size_t bytes);

/* Inside a write transaction. */
/* The head (highest contiguous accepted sequence) of issuer, 0 if unknown; *forked if a fork
 * of it was ever seen. */
int store_head(store *s, const uint8_t *issuer, uint64_t *head, bool *forked);
/* The id accepted at (issuer, seq): STORE_OK or STORE_ENOTFOUND. */
int store_chain_id(store *s, const uint8_t *issuer, uint64_t seq, uint8_t id[PROTO_ID_BYTES]);
/* Whether a bulletin with this id is stored (accepted or as fork evidence). */
bool store_has(store *s, const uint8_t id[PROTO_ID_BYTES]);
/* Store b (decoded from raw, verified, the next in its issuer's chain): bulletin, chain
 * entry, indexes and arrival log. The caller advances the head with store_set_head. */
int store_accept(store *s, const struct proto_bulletin *b, const uint8_t *raw, size_t len,
                 const uint8_t id[PROTO_ID_BYTES]);
/* Record issuer's head and forked flag. */
int store_set_head(store *s, const uint8_t *issuer, uint64_t head, bool forked);
/* Keep a bulletin the roster refused apart from the others (not in any index, list or chain),
 * with why (a roster status). Accepting it later removes it from there. */
int store_keep_untrusted(store *s, const uint8_t *raw, size_t len, const uint8_t id[PROTO_ID_BYTES],
                         int reason);
/* Visit the bulletins kept apart (reads its own transaction). */
int store_untrusted_each(store *s,
                         void (*fn)(const uint8_t *raw, size_t len, int reason, void *ctx),
                         void *ctx);
/* Keep b as evidence that its issuer forked at b->sequence, where other_id was accepted.
 * The caller marks the issuer forked with store_set_head. */
int store_fork(store *s, const struct proto_bulletin *b, const uint8_t *raw, size_t len,
               const uint8_t id[PROTO_ID_BYTES], const uint8_t other_id[PROTO_ID_BYTES]);

/* Reads (each in its own read transaction when no write transaction is open). */
/* A malloc'd copy of the bulletin id, or STORE_ENOTFOUND. */
int store_get(store *s, const uint8_t id[PROTO_ID_BYTES], uint8_t **raw, size_t *len);
/* The id of the one stored bulletin whose id starts with hex (lower- or upper-case digits, as
 * `warta list` shows 16 of them): STORE_ENOTFOUND if none, STORE_EAMBIGUOUS if several. */
int store_find_id(store *s, const char *hex, uint8_t id[PROTO_ID_BYTES]);
/* Every issuer's (key, head) as STATE entries sorted by key: malloc'd n x 40 bytes. */
int store_state(store *s, uint8_t **entries, size_t *n);
/* Visit issuer's accepted bulletins from sequence from on, at most max. */
int store_range(store *s, const uint8_t *issuer, uint64_t from, size_t max, store_visit_fn fn,
                void *ctx);
/* Visit the accepted bulletins of the arrival log (fork evidence skipped) from arrival number
 * from on, upwards, or with backward from it down to 0 (from beyond the end: from the last).
 * b is raw decoded; both are valid only during the call. Return non-zero to stop. */
typedef int (*store_arrival_fn)(uint64_t arrival, const struct proto_bulletin *b,
                                const uint8_t *raw, size_t len, void *ctx);
int store_arrivals(store *s, uint64_t from, bool backward, store_arrival_fn fn, void *ctx);
/* Visit every accepted bulletin that names id: whose subject or translation_of is id (its
 * corrections, withdrawals and translations; receipts, by the bulletin they act on), or whose
 * answers hold it (the notices answering a report), in id order. */
int store_named(store *s, const uint8_t id[PROTO_ID_BYTES], store_visit_fn fn, void *ctx);
/* store_named as the source bulletin_status and report_status read (s is the store): 0, or -1
 * when the store cannot be read. */
int store_named_source(void *s, const uint8_t id[PROTO_ID_BYTES], store_visit_fn fn, void *ctx);
/* Visit every accepted roster record (kinds 4-7) in the order this node accepted them. */
int store_roster_each(store *s, store_visit_fn fn, void *ctx);
/* Visit bulletins matching f, newest first. */
int store_list(store *s, const struct store_filter *f, store_visit_fn fn, void *ctx);

/* The tables an auditor reads raw (layouts in docs/PROTOCOL.md §16). */
enum store_table {
    STORE_T_ARRIVAL,     /* u64 arrival -> signed bytes */
    STORE_T_INDEX,       /* id -> u64 arrival */
    STORE_T_CHAIN,       /* issuer | u64 seq -> id */
    STORE_T_ISSUERS,     /* issuer -> u64 head | u8 forked */
    STORE_T_FORKS,       /* issuer | u64 seq | id -> "" */
    STORE_T_UNTRUSTED,   /* id -> u8 reason | signed bytes (kept apart) */
    STORE_T_CHECKPOINTS, /* u64 tree size -> this node's checkpoint note */
    STORE_T_WITNESSED,   /* node key -> latest checkpoint note of that node seen */
    STORE_T_EVIDENCE,    /* node key | u64 size | root -> conflict file against that node */
};
/* Visit every (key, value) of a table in key order, in one read transaction; the bytes are
 * valid only during the call. Stops when fn returns non-zero. */
int store_table_each(store *s, enum store_table t,
                     int (*fn)(const uint8_t *k, size_t kn, const uint8_t *v, size_t vn, void *ctx),
                     void *ctx);

/*
 * The node's log as a Merkle tree (docs/PROTOCOL.md §19): leaf i is the id of the i-th entry of
 * the arrival log. The node adds each leaf in the transaction that stores the bulletin, and
 * keeps the hash of every perfect subtree, so roots and proofs of any size read O(log n).
 */
/* Leaves in the committed log. */
int store_log_size(store *s, uint64_t *n);
/* The root of the first n leaves, n <= size. */
int store_log_root(store *s, uint64_t n, proto_hash root);
/* Inclusion proof of leaf index in the tree of size n, consistency proof between sizes m and
 * n, into proof[PROTO_MERKLE_MAX_PROOF]. */
int store_log_inclusion(store *s, uint64_t n, uint64_t index, proto_hash *proof, size_t *len);
int store_log_consistency(store *s, uint64_t m, uint64_t n, proto_hash *proof, size_t *len);
/* The place of bulletin id in the log (its arrival number), or STORE_ENOTFOUND. */
int store_log_index(store *s, const uint8_t id[PROTO_ID_BYTES], uint64_t *index);

/* Checkpoint notes (§20): this node's own by tree size; another node's latest by its key
 * (read back with store_table_each, STORE_T_WITNESSED); conflict files (§22) by node, size and
 * root. Puts inside a write transaction; store_checkpoint returns a malloc'd NUL-terminated
 * copy (size UINT64_MAX: the latest). */
int store_put_checkpoint(store *s, uint64_t size, const char *note, size_t len);
int store_checkpoint(store *s, uint64_t size, char **note, size_t *len);
int store_put_witnessed(store *s, const uint8_t key[32], const char *note, size_t len);
int store_put_evidence(store *s, const uint8_t key[32], uint64_t size, const proto_hash root,
                       const char *file, size_t len);

struct store_stats {
    uint64_t bulletins; /* accepted */
    uint64_t issuers;
    uint64_t fork_events; /* forks detected (each adds two evidence entries) */
    uint64_t fork_evidence;
    uint64_t untrusted; /* kept apart (store_keep_untrusted) */
    uint64_t map_size;
};
int store_stats(store *s, struct store_stats *st);

#endif
