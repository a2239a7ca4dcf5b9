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

/* PATH(m, D[n]) of RFC 9162 §2.1.3.1, appended at proof[*len]. */
static void path(const proto_hash *leaves, uint64_t n, uint64_t m, proto_hash *proof, size_t *len)
{
    if (n <= 1) return;
    uint64_t k = split(n);
    if (m < k) {
        path(leaves, k, m, proof, len);
        proto_merkle_root(leaves + k, n - k, proof[(*len)++]);
    } else {
        path(leaves + k, n - k, m - k, proof, len);
        proto_merkle_root(leaves, k, proof[(*len)++]);
    }
}

size_t proto_merkle_inclusion(const proto_hash *leaves, uint64_t n, uint64_t m, proto_hash *proof)
{
    size_t len = 0;
    if (m < n) path(leaves, n, m, proof, &len);
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

/* SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1, appended at proof[*len]. */
static void subproof(const proto_hash *leaves, uint64_t m, uint64_t n, bool whole,
                     proto_hash *proof, size_t *len)
{
    if (m == n) {
        if (!whole) proto_merkle_root(leaves, n, proof[(*len)++]);
        return;
    }
    uint64_t k = split(n);
    if (m <= k) {
        subproof(leaves, m, k, whole, proof, len);
        proto_merkle_root(leaves + k, n - k, proof[(*len)++]);
    } else {
        subproof(leaves + k, m - k, n - k, false, proof, len);
        proto_merkle_root(leaves, k, proof[(*len)++]);
    }
}

size_t proto_merkle_consistency(const proto_hash *leaves, uint64_t m, uint64_t n, proto_hash *proof)
{
    size_t len = 0;
    if (m > 0 && m <= n) subproof(leaves, m, n, true, proof, &len);
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
