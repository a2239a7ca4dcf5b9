/* proto_merkle.h - the Merkle tree of a node's log, hashed as RFC 9162 §2.1 specifies, with
 * SHA-256 (docs/PROTOCOL.md §19): leaf hash = SHA-256(0x00 || leaf), node hash =
 * SHA-256(0x01 || left || right); inclusion and consistency proofs. Pure code: over arrays of
 * leaf hashes the caller keeps, or over a source that looks up the hashes of whole subtrees
 * (a node's store keeps those, so a proof over a million leaves reads a few dozen). */
#ifndef WARTA_PROTO_MERKLE_H
#define WARTA_PROTO_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_HASH_BYTES 32
#define PROTO_MERKLE_MAX_PROOF 64 /* hashes in a proof of a tree of up to 2^64 leaves */

typedef uint8_t proto_hash[PROTO_HASH_BYTES];

/* The hash of one leaf's data. */
void proto_merkle_leaf(const uint8_t *data, size_t len, proto_hash out);

/* The root (MTH) of leaves[0..n); the empty tree's root is SHA-256 of nothing. */
void proto_merkle_root(const proto_hash *leaves, uint64_t n, proto_hash out);

/* The inclusion proof (PATH) of leaf m in the tree of leaves[0..n), m < n: writes up to
 * PROTO_MERKLE_MAX_PROOF hashes to proof and returns how many (0 when m >= n). */
size_t proto_merkle_inclusion(const proto_hash *leaves, uint64_t n, uint64_t m, proto_hash *proof);

/* RFC 9162 §2.1.3.2: whether proof shows the leaf hash `leaf` at index m of a tree of size n
 * whose root is root. */
bool proto_merkle_verify_inclusion(const proto_hash leaf, uint64_t m, uint64_t n,
                                   const proto_hash *proof, size_t proof_len,
                                   const proto_hash root);

/* The consistency proof (PROOF) between the first m leaves and all n, 0 < m <= n: writes up to
 * PROTO_MERKLE_MAX_PROOF hashes and returns how many. */
size_t proto_merkle_consistency(const proto_hash *leaves, uint64_t m, uint64_t n,
                                proto_hash *proof);

/* RFC 9162 §2.1.4.2: whether proof shows that the tree of size n with root root2 extends the
 * tree of size m with root root1 (nothing removed, nothing reordered). */
bool proto_merkle_verify_consistency(uint64_t m, uint64_t n, const proto_hash root1,
                                     const proto_hash root2, const proto_hash *proof,
                                     size_t proof_len);

/*
 * A tree whose perfect subtrees can be looked up: node(ctx, level, index, out) writes the hash
 * of leaves [index * 2^level, (index + 1) * 2^level) and returns 0, or non-zero when it cannot
 * (the functions below then return that value).
 */
struct proto_merkle_src {
    int (*node)(void *ctx, unsigned level, uint64_t index, proto_hash out);
    void *ctx;
};

/* The hash (MTH) of leaves [start, end), start a multiple of the largest power of two that is
 * not more than end - start (as every range of RFC 9162's recursion is); start < end. */
int proto_merkle_src_range(const struct proto_merkle_src *s, uint64_t start, uint64_t end,
                           proto_hash out);
/* The root of the first n leaves (n = 0: the empty tree's). */
int proto_merkle_src_root(const struct proto_merkle_src *s, uint64_t n, proto_hash out);
/* PATH(m, D[n]) and PROOF(m, D[n]) as above, into proof[PROTO_MERKLE_MAX_PROOF]; *len set. */
int proto_merkle_src_inclusion(const struct proto_merkle_src *s, uint64_t n, uint64_t m,
                               proto_hash *proof, size_t *len);
int proto_merkle_src_consistency(const struct proto_merkle_src *s, uint64_t m, uint64_t n,
                                 proto_hash *proof, size_t *len);

/*
 * The right edge of a growing tree (a compact range): the roots of its perfect subtrees, one
 * per bit set in size. Appending a leaf completes the subtrees that end at it; each is passed
 * to done (level, index, hash), the leaf itself first at level 0, so a store can keep them.
 */
struct proto_merkle_edge {
    uint64_t size;
    proto_hash h[64]; /* h[l]: the perfect subtree of 2^l leaves, when bit l of size is set */
};
typedef int (*proto_merkle_done_fn)(void *ctx, unsigned level, uint64_t index,
                                    const proto_hash hash);
int proto_merkle_edge_append(struct proto_merkle_edge *e, const proto_hash leaf,
                             proto_merkle_done_fn done, void *ctx);
/* The root of the tree the edge ends. */
void proto_merkle_edge_root(const struct proto_merkle_edge *e, proto_hash out);
/* Load the edge of a tree of size n from a source. */
int proto_merkle_edge_load(struct proto_merkle_edge *e, const struct proto_merkle_src *s,
                           uint64_t n);

#endif
