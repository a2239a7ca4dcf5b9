/* proto_merkle.h - the Merkle tree of a node's log, hashed as RFC 9162 §2.1 specifies, with
 * SHA-256 (docs/PROTOCOL.md §19): leaf hash = SHA-256(0x00 || leaf), node hash =
 * SHA-256(0x01 || left || right); inclusion and consistency proofs. Pure code over arrays of
 * leaf hashes, which the caller keeps. */
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

#endif
