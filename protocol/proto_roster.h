/* proto_roster.h - roster records: the bodies of bulletin kinds 4-8 (docs/PROTOCOL.md §17).
 *
 * A roster record is a statement (who may speak for which office, which keys form the network
 * root, which key is revoked or replaced) followed by co-signatures over that statement. The
 * bulletin carrying it is signed by its issuer as usual; that signature endorses the statement
 * too, so the record's signers are the issuer plus every co-signer. Pure code: no I/O. */
#ifndef WARTA_PROTO_ROSTER_H
#define WARTA_PROTO_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_bulletin.h"

#define PROTO_ROSTER_MAX_KEYS 16    /* keys in a root */
#define PROTO_ROSTER_MAX_SIGS 16    /* co-signatures on one record */
#define PROTO_ROSTER_MAX_REGIONS 32 /* region codes in one delegation */
#define PROTO_MAX_OFFICE 64
#define PROTO_MAX_NAME 256
#define PROTO_MAX_REASON 512
#define PROTO_ROSTER_FLAG_DELEGATE 0x01 /* the delegate may itself sign delegations */

enum proto_role {
    PROTO_ROLE_MINISTRY = 1,
    PROTO_ROLE_PROVINCE = 2,
    PROTO_ROLE_REGENCY = 3,
    PROTO_ROLE_PLATFORM = 4,
    PROTO_ROLE_AUDITOR = 5,
};

/* The co-signature domain: "warta/roster/v1" and a NUL. */
extern const uint8_t proto_roster_domain[16];

struct proto_cosig {
    uint8_t key[PROTO_KEY_BYTES];
    uint8_t sig[PROTO_SIG_BYTES];
};

/* One record as plain data; which fields count depends on kind. Text fields are views. */
struct proto_roster {
    uint8_t kind;                    /* PROTO_KIND_ROOT .. PROTO_KIND_CHAIN_END */
    uint8_t network[PROTO_ID_BYTES]; /* network id; zero only in a version-1 root */
    /* root */
    uint8_t previous[PROTO_ID_BYTES]; /* root hash of version - 1; zero for version 1 */
    uint64_t version;
    uint8_t threshold;
    size_t n_keys;
    uint8_t keys[PROTO_ROSTER_MAX_KEYS][PROTO_KEY_BYTES];
    /* delegation, revocation, chain end: key; rotation: key = the old key, new_key */
    uint8_t key[PROTO_KEY_BYTES];
    uint8_t new_key[PROTO_KEY_BYTES];
    /* chain end: the last bulletin of key's chain that is trusted (0 and zero: none is) */
    uint64_t last_sequence;
    uint8_t last_id[PROTO_ID_BYTES];
    struct proto_str office, name, reason;
    uint8_t role, flags;
    size_t n_regions;
    struct proto_str regions[PROTO_ROSTER_MAX_REGIONS];
    uint64_t valid_from;  /* root, delegation; revocation and rotation: effective time */
    uint64_t valid_until; /* delegation; 0 = no end */
    size_t n_sigs;
    struct proto_cosig sigs[PROTO_ROSTER_MAX_SIGS];
};

bool proto_kind_is_roster(uint8_t kind);

/* Role name ("province"...) or NULL; and back: 0 if unknown. */
const char *proto_role_name(uint8_t role);
uint8_t proto_role_from_name(const char *name);

/* Decode a record body of the given kind (exactly len bytes, canonical form only). */
int proto_roster_decode(struct proto_roster *r, uint8_t kind, const uint8_t *in, size_t len,
                        struct proto_err *err);

/* Check every rule of r and encode it (statement, then co-signatures sorted by key). */
int proto_roster_encode(const struct proto_roster *r, uint8_t *out, size_t cap, size_t *out_len,
                        struct proto_err *err);

/* The co-signature input of r: domain || kind || statement, in a new heap buffer (NULL if r
 * breaks a rule or memory runs out). */
uint8_t *proto_roster_signing_input(const struct proto_roster *r, size_t *out_len);

/* Add (or replace) the co-signature of the Ed25519 secret key sk (libsodium's 64 bytes).
 * Returns PROTO_OK, a rule violation, or PROTO_ETOOBIG when the record is full. */
int proto_roster_cosign(struct proto_roster *r, const uint8_t *sk, struct proto_err *err);

/* Whether the co-signature sigs[i] verifies; whether all of them do (one signing input). */
bool proto_roster_cosig_valid(const struct proto_roster *r, size_t i);
bool proto_roster_cosigs_valid(const struct proto_roster *r);

/* Root hash: BLAKE2b-256 of the signing input of a root record. The network id is the root
 * hash of version 1. Returns PROTO_OK or a rule violation. */
int proto_roster_root_hash(const struct proto_roster *root, uint8_t out[PROTO_ID_BYTES]);

/* Whether the region code `region` lies inside the scope code `scope` ("" is national). */
bool proto_region_within(struct proto_str region, struct proto_str scope);

#endif
