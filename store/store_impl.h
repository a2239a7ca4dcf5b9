/* store_impl.h - what the store's files share (store.c: bulletins, chains, indexes; store_log.c:
 * the log tree and checkpoints). Not for callers of the store: they use store.h. */
#ifndef WARTA_STORE_IMPL_H
#define WARTA_STORE_IMPL_H

#include <lmdb.h>

#include "proto_buf.h"
#include "proto_merkle.h"
#include "proto_wire.h"
#include "store.h"

#define INITIAL_MAP (64u << 20)
/* The longest key held back: a verdict | 0 | issued_at | id (regions are shorter). */
#define STAGED_KEY_MAX (PROTO_MAX_VERDICT + 1 + 8 + PROTO_ID_BYTES)

enum dbi_index {
    DB_BULLETINS,   /* id -> arrival number (u64) of the bulletin's bytes */
    DB_CHAIN,       /* issuer | seq -> id of the accepted bulletin */
    DB_ISSUERS,     /* issuer -> head seq (8) | forked (1) */
    DB_BY_TIME,     /* issued_at | id -> "" */
    DB_BY_REGION,   /* region | 0x00 | issued_at | id -> "" */
    DB_BY_VERDICT,  /* verdict | 0x00 | issued_at | id -> "" */
    DB_ARRIVAL,     /* arrival number -> signed bulletin bytes, in the order this node stored
                     * them (accepted ones and fork evidence); appended, so pages stay dense */
    DB_FORKS,       /* issuer | seq | id -> "" for every bulletin of a fork, both sides */
    DB_META,        /* "forks" -> number of forks detected */
    DB_ROSTER,      /* arrival number -> "" for every accepted roster record (kinds 4-7) */
    DB_UNTRUSTED,   /* id -> reason (u8) | bulletin bytes: refused by the roster, kept apart */
    DB_TREE,        /* level (u8) | index -> hash of that perfect subtree of the log (§19) */
    DB_CHECKPOINTS, /* tree size -> this node's signed checkpoint, witnesses' lines merged */
    DB_WITNESSED,   /* node key -> the latest checkpoint of that node seen (§21) */
    DB_EVIDENCE,    /* node key | size | root -> conflict file (§22) against that node */
    DB_NAMED,       /* subject or translation_of | id -> "" for every accepted notice naming
                     * another (corrections, withdrawals, translations: a bulletin's status) */
    DB_COUNT
};

extern const char *const db_names[DB_COUNT];

struct store {
    MDB_env *env;
    MDB_dbi dbi[DB_COUNT];
    MDB_txn *txn;  /* the open write transaction, or NULL */
    MDB_txn *snap; /* read-only: the one read transaction, from open to close, that every read
                      uses, so that a reader of a store a node is writing sees one state */
    /* The log tree's edge, committed and in the open transaction; its size is also the number
     * of arrival entries, so the next arrival number (log_open keeps the two in step). */
    struct proto_merkle_edge edge, txn_edge;
    /* Entries of the tables indexed by id, time, region and verdict that the open transaction
     * holds back: store_settle writes them in key order, so that a chunk of random ids
     * walks each B-tree once, from left to right, instead of jumping about it. */
    struct staged *staged;
    size_t n_staged, cap_staged;
    bool readonly;
    bool absent[DB_COUNT]; /* read-only, a table an older wartad did not make */
    char error[160];
};

/* An LMDB return code as a store status, remembering the message. */
int db_fail(store *s, int rc, const char *what);
/* The open write transaction, or a new read transaction (db_read_done ends it). */
int db_read(store *s, MDB_txn **txn);
void db_read_done(store *s, MDB_txn *txn);
int db_get(store *s, MDB_txn *txn, int db, const void *k, size_t kn, MDB_val *v);
int db_put(store *s, int db, const void *k, size_t kn, const void *v, size_t vn);
/* Hold back an entry for a store_settle of the open transaction (one with a longer key or
 * value than a staged entry holds is written at once). */
int db_stage(store *s, int db, const void *k, size_t kn, const void *v, size_t vn);
/* Before reading an indexed table through txn: if it is the open transaction, write what it
 * holds back. */
int db_settle(store *s, MDB_txn *txn);
/* The arrival number (big-endian) the id index gives bulletin id. */
int db_arrival_of(store *s, MDB_txn *txn, const uint8_t *id, uint8_t at[8]);

/* store_log.c: add the leaf of id (the arrival entry just appended) to the tree in the open
 * transaction; load the edge at open, building the tree of a store written before it existed. */
int log_append(store *s, const uint8_t id[PROTO_ID_BYTES]);
int log_open(store *s);

#endif
