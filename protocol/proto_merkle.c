/* proto_merkle.c - RFC 9162 §2.1 Merkle tree hashing and proofs, on SHA-256. */
#include "proto_merkle.h"

#include <sodium.h>
#include <string.h>

static void node_hash(const proto_hash left, const proto_hash right, proto_hash out)
{
    crypto_hash_sha256_state st;
    static const uint8_t prefix = 0x01;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, &prefix, 1);
    crypto_hash_sha256_update(&st, left, PROTO_HASH_BYTES);
    crypto_hash_sha256_update(&st, right, PROTO_HASH_BYTES);
    crypto_hash_sha256_final(&st, out);
}

void proto_merkle_leaf(const uint8_t *data, size_t len, proto_hash out)
{
    crypto_hash_sha256_state st;
    static const uint8_t prefix = 0x00;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, &prefix, 1);
    crypto_hash_sha256_update(&st, data, len);
    crypto_hash_sha256_final(&st, out);
}

/* The largest power of two smaller than n (n >= 2). */
static uint64_t split(uint64_t n)
{
    uint64_t k = 1;
    while (k << 1 < n)
        k <<= 1;
    return k;
}

void proto_merkle_root(const proto_hash *leaves, uint64_t n, proto_hash out)
{
    if (n == 0) {
        crypto_hash_sha256(out, NULL, 0);
        return;
    }
    if (n == 1) {
        memcpy(out, leaves[0], PROTO_HASH_BYTES);
        return;
    }
    uint64_t k = split(n);
    proto_hash left, right;
    proto_merkle_root(leaves, k, left);
    proto_merkle_root(leaves + k, n - k, right);
    node_hash(left, right, out);
}

/* Subtree lookups over a caller's array of leaf hashes. */
static int array_node(void *ctx, unsigned level, uint64_t index, proto_hash out)
{
    const proto_hash *leaves = ctx;
    proto_merkle_root(leaves + (index << level), (uint64_t)1 << level, out);
    return 0;
}

int proto_merkle_src_range(const struct proto_merkle_src *s, uint64_t start, uint64_t end,
                           proto_hash out)
{
    uint64_t n = end - start;
    if ((n & (n - 1)) == 0) {
        unsigned level = 0;
        while (((uint64_t)1 << level) < n)
            level++;
        return s->node(s->ctx, level, start >> level, out);
    }
    uint64_t k = split(n);
    proto_hash left, right;
    int rc = proto_merkle_src_range(s, start, start + k, left);
    if (rc == 0) rc = proto_merkle_src_range(s, start + k, end, right);
    if (rc == 0) node_hash(left, right, out);
    return rc;
}

int proto_merkle_src_root(const struct proto_merkle_src *s, uint64_t n, proto_hash out)
{
    if (n == 0) return crypto_hash_sha256(out, NULL, 0), 0;
    return proto_merkle_src_range(s, 0, n, out);
}

/* PATH(m, D[start:end]) of RFC 9162 §2.1.3.1, appended at proof[*len]. */
static int path(const struct proto_merkle_src *s, uint64_t start, uint64_t end, uint64_t m,
                proto_hash *proof, size_t *len)
{
    if (end - start <= 1) return 0;
    uint64_t k = split(end - start);
    int rc;
    if (m < start + k) {
        rc = path(s, start, start + k, m, proof, len);
        return rc ? rc : proto_merkle_src_range(s, start + k, end, proof[(*len)++]);
    }
    rc = path(s, start + k, end, m, proof, len);
    return rc ? rc : proto_merkle_src_range(s, start, start + k, proof[(*len)++]);
}

int proto_merkle_src_inclusion(const struct proto_merkle_src *s, uint64_t n, uint64_t m,
                               proto_hash *proof, size_t *len)
{
    *len = 0;
    return m < n ? path(s, 0, n, m, proof, len) : 0;
}

size_t proto_merkle_inclusion(const proto_hash *leaves, uint64_t n, uint64_t m, proto_hash *proof)
{
    struct proto_merkle_src s = {array_node, (void *)leaves};
    size_t len = 0;
    proto_merkle_src_inclusion(&s, n, m, proof, &len);
    return len;
}

bool proto_merkle_verify_inclusion(const proto_hash leaf, uint64_t m, uint64_t n,
                                   const proto_hash *proof, size_t proof_len, const proto_hash root)
{
    if (m >= n || proof_len > PROTO_MERKLE_MAX_PROOF) return false;
    uint64_t fn = m, sn = n - 1;
    proto_hash r;
    memcpy(r, leaf, PROTO_HASH_BYTES);
    for (size_t i = 0; i < proof_len; i++) {
        if (sn == 0) return false;
        if ((fn & 1) || fn == sn) {
            node_hash(proof[i], r, r);
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0)
                    fn >>= 1, sn >>= 1;
        } else {
            node_hash(r, proof[i], r);
        }
        fn >>= 1, sn >>= 1;
    }
    return sn == 0 && sodium_memcmp(r, root, PROTO_HASH_BYTES) == 0;
}

/* SUBPROOF(m, D[start:end], b) of RFC 9162 §2.1.4.1 (m counted from start), appended at
 * proof[*len]. */
static int subproof(const struct proto_merkle_src *s, uint64_t start, uint64_t m, uint64_t end,
                    bool whole, proto_hash *proof, size_t *len)
{
    if (start + m == end) return whole ? 0 : proto_merkle_src_range(s, start, end, proof[(*len)++]);
    uint64_t k = split(end - start);
    int rc;
    if (m <= k) {
        rc = subproof(s, start, m, start + k, whole, proof, len);
        return rc ? rc : proto_merkle_src_range(s, start + k, end, proof[(*len)++]);
    }
    rc = subproof(s, start + k, m - k, end, false, proof, len);
    return rc ? rc : proto_merkle_src_range(s, start, start + k, proof[(*len)++]);
}

int proto_merkle_src_consistency(const struct proto_merkle_src *s, uint64_t m, uint64_t n,
                                 proto_hash *proof, size_t *len)
{
    *len = 0;
    return m > 0 && m <= n ? subproof(s, 0, m, n, true, proof, len) : 0;
}

size_t proto_merkle_consistency(const proto_hash *leaves, uint64_t m, uint64_t n, proto_hash *proof)
{
    struct proto_merkle_src s = {array_node, (void *)leaves};
    size_t len = 0;
    proto_merkle_src_consistency(&s, m, n, proof, &len);
    return len;
}

bool proto_merkle_verify_consistency(uint64_t m, uint64_t n, const proto_hash root1,
                                     const proto_hash root2, const proto_hash *proof,
                                     size_t proof_len)
{
    if (m == 0 || m > n || proof_len > PROTO_MERKLE_MAX_PROOF) return false;
    if (m == n) return proof_len == 0 && sodium_memcmp(root1, root2, PROTO_HASH_BYTES) == 0;
    if (proof_len == 0) return false;
    /* A first tree of a power-of-two size is itself a node of the second: its root starts
     * the path. */
    bool pow2 = (m & (m - 1)) == 0;
    const uint8_t *first = pow2 ? root1 : proof[0];
    size_t i = pow2 ? 0 : 1;
    uint64_t fn = m - 1, sn = n - 1;
    while (fn & 1)
        fn >>= 1, sn >>= 1;
    proto_hash fr, sr;
    memcpy(fr, first, PROTO_HASH_BYTES);
    memcpy(sr, first, PROTO_HASH_BYTES);
    for (; i < proof_len; i++) {
        if (sn == 0) return false;
        if ((fn & 1) || fn == sn) {
            node_hash(proof[i], fr, fr);
            node_hash(proof[i], sr, sr);
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0)
                    fn >>= 1, sn >>= 1;
        } else {
            node_hash(sr, proof[i], sr);
        }
        fn >>= 1, sn >>= 1;
    }
    return sn == 0 && sodium_memcmp(fr, root1, PROTO_HASH_BYTES) == 0 &&
           sodium_memcmp(sr, root2, PROTO_HASH_BYTES) == 0;
}

int proto_merkle_edge_append(struct proto_merkle_edge *e, const proto_hash leaf,
                             proto_merkle_done_fn done, void *ctx)
{
    proto_hash h;
    memcpy(h, leaf, PROTO_HASH_BYTES);
    uint64_t index = e->size;
    unsigned level = 0;
    int rc = done ? done(ctx, 0, index, h) : 0;
    /* Each set low bit of size is a left sibling waiting for this leaf's subtree. */
    while (rc == 0 && (e->size >> level) & 1) {
        node_hash(e->h[level], h, h);
        index >>= 1, level++;
        rc = done ? done(ctx, level, index, h) : 0;
    }
    if (rc != 0) return rc;
    memcpy(e->h[level], h, PROTO_HASH_BYTES);
    e->size++;
    return 0;
}

void proto_merkle_edge_root(const struct proto_merkle_edge *e, proto_hash out)
{
    if (e->size == 0) {
        crypto_hash_sha256(out, NULL, 0);
        return;
    }
    unsigned level = 0;
    while (!((e->size >> level) & 1))
        level++;
    memcpy(out, e->h[level], PROTO_HASH_BYTES);
    for (level++; level < 64; level++)
        if ((e->size >> level) & 1) node_hash(e->h[level], out, out);
}

int proto_merkle_edge_load(struct proto_merkle_edge *e, const struct proto_merkle_src *s,
                           uint64_t n)
{
    memset(e, 0, sizeof *e);
    uint64_t start = 0;
    for (int level = 63; level >= 0; level--) {
        if (!((n >> level) & 1)) continue;
        int rc = s->node(s->ctx, (unsigned)level, start >> level, e->h[level]);
        if (rc != 0) return rc;
        start += (uint64_t)1 << level;
    }
    e->size = n;
    return 0;
}
