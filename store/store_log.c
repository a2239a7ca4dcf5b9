/* store_log.c - the node's log as a Merkle tree (docs/PROTOCOL.md §19), its own signed
 * checkpoints, the latest checkpoints of the nodes it witnesses, and conflict evidence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"
#include "i18n.h"

#define LOG_BUILD_CHUNK 65536 /* leaves per transaction when building a missing tree */

static int keep_node(void *ctx, unsigned level, uint64_t index, const proto_hash h)
{
    uint8_t k[9];
    k[0] = (uint8_t)level;
    proto_be64_put(k + 1, index);
    return db_put(ctx, DB_TREE, k, sizeof k, h, PROTO_HASH_BYTES);
}

int log_append(store *s, const uint8_t id[PROTO_ID_BYTES])
{
    proto_hash leaf;
    proto_merkle_leaf(id, PROTO_ID_BYTES, leaf);
    return proto_merkle_edge_append(&s->txn_edge, leaf, keep_node, s);
}

/* Subtree lookups inside one transaction. */
struct tree_read {
    store *s;
    MDB_txn *txn;
};

static int read_node(void *ctx, unsigned level, uint64_t index, proto_hash out)
{
    struct tree_read *t = ctx;
    uint8_t k[9];
    MDB_val v;
    k[0] = (uint8_t)level;
    proto_be64_put(k + 1, index);
    if (t->s->absent[DB_TREE]) {
        snprintf(t->s->error, sizeof t->s->error,
                 _("no log tree yet: the node that keeps this store predates it (restart it)"));
        return STORE_ENOTFOUND;
    }
    int rc = db_get(t->s, t->txn, DB_TREE, k, sizeof k, &v);
    if (rc == STORE_OK && v.mv_size != PROTO_HASH_BYTES) {
        snprintf(t->s->error, sizeof t->s->error, _("tree: damaged entry"));
        rc = STORE_EDB;
    }
    if (rc == STORE_ENOTFOUND)
        snprintf(t->s->error, sizeof t->s->error, _("tree: subtree %u/%llu missing"), level,
                 (unsigned long long)index);
    if (rc == STORE_OK) memcpy(out, v.mv_data, PROTO_HASH_BYTES);
    return rc;
}

/* Entries in a table whose keys are big-endian counters: the last key + 1 (0 when empty). */
static int count_of(store *s, MDB_txn *txn, int db, const uint8_t *below, size_t below_n,
                    uint64_t *n)
{
    MDB_cursor *c;
    MDB_val k = {below_n, (void *)below}, v;
    *n = 0;
    int rc = db_fail(s, mdb_cursor_open(txn, s->dbi[db], &c), db_names[db]);
    if (rc != STORE_OK) return rc;
    /* The last key before `below` (or the table's last key). */
    int r = below ? mdb_cursor_get(c, &k, &v, MDB_SET_RANGE) : MDB_NOTFOUND;
    r = r == 0 ? mdb_cursor_get(c, &k, &v, MDB_PREV) : mdb_cursor_get(c, &k, &v, MDB_LAST);
    if (r == 0 && k.mv_size >= 8) *n = proto_be64_get((uint8_t *)k.mv_data + k.mv_size - 8) + 1;
    mdb_cursor_close(c);
    return r == 0 || r == MDB_NOTFOUND ? STORE_OK : db_fail(s, r, db_names[db]);
}

/* Add the leaves of arrival entries [from, to) in one transaction. */
static int build_leaves(store *s, uint64_t from, uint64_t to)
{
    int rc = store_begin(s);
    for (uint64_t i = from; rc == STORE_OK && i < to; i++) {
        uint8_t k[8], id[PROTO_ID_BYTES];
        MDB_val v;
        proto_be64_put(k, i);
        rc = db_get(s, s->txn, DB_ARRIVAL, k, 8, &v);
        if (rc == STORE_ENOTFOUND)
            snprintf(s->error, sizeof s->error, _("arrival log: gap at %llu"), (unsigned long long)i);
        if (rc != STORE_OK) break;
        proto_bulletin_id(v.mv_data, v.mv_size, id);
        rc = log_append(s, id);
    }
    if (rc == STORE_OK) return store_commit(s);
    store_abort(s);
    return rc;
}

int log_open(store *s)
{
    MDB_txn *txn;
    uint64_t arrivals, leaves;
    static const uint8_t level1[1] = {1};
    int rc = db_fail(s, mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn), "read");
    if (rc != STORE_OK) return rc;
    rc = count_of(s, txn, DB_ARRIVAL, NULL, 0, &arrivals);
    if (rc == STORE_OK) rc = count_of(s, txn, DB_TREE, level1, 1, &leaves);
    struct tree_read t = {s, txn};
    struct proto_merkle_src src = {read_node, &t};
    if (rc == STORE_OK && leaves > arrivals) {
        snprintf(s->error, sizeof s->error, _("tree: %llu leaves for %llu log entries"),
                 (unsigned long long)leaves, (unsigned long long)arrivals);
        rc = STORE_EDB;
    }
    if (rc == STORE_OK) rc = proto_merkle_edge_load(&s->edge, &src, leaves);
    mdb_txn_abort(txn);
    /* A store from before the tree: build it from the arrival log, a chunk at a time. */
    for (uint64_t at = leaves; rc == STORE_OK && at < arrivals; at += LOG_BUILD_CHUNK) {
        uint64_t to = arrivals - at < LOG_BUILD_CHUNK ? arrivals : at + LOG_BUILD_CHUNK;
        while ((rc = build_leaves(s, at, to)) == STORE_EFULL && (rc = store_grow(s)) == STORE_OK)
            ;
    }
    return rc;
}

int store_log_size(store *s, uint64_t *n)
{
    if (!s->readonly) {
        *n = s->edge.size;
        return STORE_OK;
    }
    MDB_txn *txn;
    int rc = db_read(s, &txn);
    if (rc == STORE_OK) rc = count_of(s, txn, DB_ARRIVAL, NULL, 0, n);
    db_read_done(s, txn);
    return rc;
}

/* Run one source operation inside a read transaction, after checking n is within the log. */
enum tree_op { OP_ROOT, OP_INCLUSION, OP_CONSISTENCY };
static int tree_op(store *s, enum tree_op op, uint64_t a, uint64_t b, proto_hash *out, size_t *len)
{
    uint64_t size;
    MDB_txn *txn;
    int rc = store_log_size(s, &size);
    if (rc != STORE_OK) return rc;
    if (b > size) {
        snprintf(s->error, sizeof s->error, _("the log has %llu entries, not %llu"),
                 (unsigned long long)size, (unsigned long long)b);
        return STORE_ENOTFOUND;
    }
    if ((rc = db_read(s, &txn)) != STORE_OK) return rc;
    struct tree_read t = {s, txn};
    struct proto_merkle_src src = {read_node, &t};
    if (op == OP_ROOT) rc = proto_merkle_src_root(&src, b, out[0]);
    if (op == OP_INCLUSION) rc = proto_merkle_src_inclusion(&src, b, a, out, len);
    if (op == OP_CONSISTENCY) rc = proto_merkle_src_consistency(&src, a, b, out, len);
    db_read_done(s, txn);
    return rc;
}

int store_log_root(store *s, uint64_t n, proto_hash root)
{
    return tree_op(s, OP_ROOT, 0, n, (proto_hash *)root, NULL);
}

int store_log_inclusion(store *s, uint64_t n, uint64_t index, proto_hash *proof, size_t *len)
{
    if (index >= n) {
        snprintf(s->error, sizeof s->error, _("entry %llu is not in a log of %llu"),
                 (unsigned long long)index, (unsigned long long)n);
        return STORE_ENOTFOUND;
    }
    return tree_op(s, OP_INCLUSION, index, n, proof, len);
}

int store_log_consistency(store *s, uint64_t m, uint64_t n, proto_hash *proof, size_t *len)
{
    if (m > n) {
        snprintf(s->error, sizeof s->error, _("a log of %llu cannot extend one of %llu"),
                 (unsigned long long)n, (unsigned long long)m);
        return STORE_ENOTFOUND;
    }
    return tree_op(s, OP_CONSISTENCY, m, n, proof, len);
}

int store_log_index(store *s, const uint8_t id[PROTO_ID_BYTES], uint64_t *index)
{
    MDB_txn *txn;
    uint8_t at[8];
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    rc = db_arrival_of(s, txn, id, at);
    if (rc == STORE_OK) *index = proto_be64_get(at);
    db_read_done(s, txn);
    return rc;
}

/* A malloc'd NUL-terminated copy of v. */
static int copy_out(const MDB_val *v, char **out, size_t *len)
{
    if ((*out = malloc(v->mv_size + 1)) == NULL) return STORE_ENOMEM;
    memcpy(*out, v->mv_data, v->mv_size);
    (*out)[v->mv_size] = 0;
    *len = v->mv_size;
    return STORE_OK;
}

int store_put_checkpoint(store *s, uint64_t size, const char *note, size_t len)
{
    uint8_t k[8];
    proto_be64_put(k, size);
    return db_put(s, DB_CHECKPOINTS, k, 8, note, len);
}

int store_checkpoint(store *s, uint64_t size, char **note, size_t *len)
{
    MDB_txn *txn;
    MDB_cursor *c;
    MDB_val k, v;
    uint8_t key[8];
    if (s->absent[DB_CHECKPOINTS]) return STORE_ENOTFOUND;
    int rc = db_read(s, &txn);
    if (rc != STORE_OK) return rc;
    if (size != UINT64_MAX) {
        proto_be64_put(key, size);
        rc = db_get(s, txn, DB_CHECKPOINTS, key, 8, &v);
    } else if ((rc = db_fail(s, mdb_cursor_open(txn, s->dbi[DB_CHECKPOINTS], &c), "cursor")) ==
               STORE_OK) {
        rc = db_fail(s, mdb_cursor_get(c, &k, &v, MDB_LAST), "checkpoints");
        mdb_cursor_close(c);
    }
    if (rc == STORE_OK) rc = copy_out(&v, note, len);
    db_read_done(s, txn);
    return rc;
}

int store_put_witnessed(store *s, const uint8_t key[32], const char *note, size_t len)
{
    return db_put(s, DB_WITNESSED, key, 32, note, len);
}

int store_put_evidence(store *s, const uint8_t key[32], uint64_t size, const proto_hash root,
                       const char *file, size_t len)
{
    uint8_t k[72];
    memcpy(k, key, 32);
    proto_be64_put(k + 32, size);
    memcpy(k + 40, root, 32);
    return db_put(s, DB_EVIDENCE, k, sizeof k, file, len);
}
