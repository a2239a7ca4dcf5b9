/* proto_checkpoint.h - signed checkpoints of a node's log and witnesses' co-signatures
 * (docs/PROTOCOL.md §20): a C2SP signed note whose body is a tlog checkpoint (origin, tree size,
 * root hash) with one extension line, the time; co-signatures in the C2SP tlog-cosignature/v1
 * form. Pure code: text in, text out. */
#ifndef WARTA_PROTO_CHECKPOINT_H
#define WARTA_PROTO_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_error.h"
#include "proto_merkle.h"

#define PROTO_CHECKPOINT_MAX 16384        /* bytes of a whole note, co-signatures included */
#define PROTO_CHECKPOINT_COSIGS 64        /* co-signatures one note may carry */
#define PROTO_ORIGIN_PREFIX "warta/node/" /* then the node key in 64 lowercase hex digits */
#define PROTO_ORIGIN_LEN (11 + 64)

struct proto_witness_sig {
    uint8_t key[32]; /* the witness node's key */
    uint64_t time;   /* when it co-signed, unix seconds */
    uint8_t sig[64];
};

struct proto_checkpoint {
    uint8_t key[32]; /* the node whose log it is: its origin is PROTO_ORIGIN_PREFIX + hex */
    uint64_t size;   /* leaves in the log */
    proto_hash root; /* RFC 9162 root of those leaves (§19) */
    uint64_t time;   /* when the node signed it, unix seconds */
    uint8_t sig[64]; /* the node's signature over the body */
    size_t n_cosigs;
    struct proto_witness_sig cosigs[PROTO_CHECKPOINT_COSIGS];
};

/* "warta/node/<hex>" for key, NUL-terminated (PROTO_ORIGIN_LEN + 1 bytes). */
void proto_origin(const uint8_t key[32], char out[PROTO_ORIGIN_LEN + 1]);

/* The signed body (four lines) into out; returns its length, or 0 if cap is too small. */
size_t proto_checkpoint_body(const struct proto_checkpoint *c, char *out, size_t cap);

/* Sign the body with the node's Ed25519 secret key sk (64 bytes; its public half is c->key). */
void proto_checkpoint_sign(struct proto_checkpoint *c, const uint8_t *sk);

/* Add (or renew) the co-signature of the witness whose key pair is pk/sk, made at time.
 * PROTO_ERANGE when the note already holds PROTO_CHECKPOINT_COSIGS others, PROTO_ESYNTAX when
 * the witness is the log's own node. */
int proto_checkpoint_cosign(struct proto_checkpoint *c, const uint8_t pk[32], const uint8_t *sk,
                            uint64_t time);

/* The whole note (body, blank line, signature lines) into out; returns its length, or 0 if cap
 * is too small. */
size_t proto_checkpoint_format(const struct proto_checkpoint *c, char *out, size_t cap);

/*
 * Parse a whole note strictly and check every signature in it: the node's (exactly one) and
 * each co-signature. Returns PROTO_OK or a negative status (PROTO_ESIGNATURE when a signature
 * does not verify), with err saying where.
 */
int proto_checkpoint_parse(struct proto_checkpoint *c, const char *text, size_t len,
                           struct proto_err *err);

/* Whether a and b state the same thing (node, size, root), whatever their times. */
bool proto_checkpoint_same_tree(const struct proto_checkpoint *a, const struct proto_checkpoint *b);

/* Add to dst the co-signatures of src that dst lacks (src must be the same note: same body and
 * signature). Returns how many were added, or a negative status. */
int proto_checkpoint_merge(struct proto_checkpoint *dst, const struct proto_checkpoint *src);

/* Whether a and b, signed by the same node, contradict each other: the same size with
 * different roots. (Different sizes are checked with a consistency proof, §19.) */
bool proto_checkpoint_conflict(const struct proto_checkpoint *a, const struct proto_checkpoint *b);

#endif
