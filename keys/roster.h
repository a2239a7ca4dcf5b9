/* roster.h - the trust roster: which key speaks for which office, in which regions, when
 * (docs/PROTOCOL.md §17-18).
 *
 * A roster starts from a pinned root record and takes in any number of roster records
 * (root, delegation, revocation, rotation bulletins) in any order. Each question is answered
 * from everything added so far: records whose authority is missing now count once it arrives.
 * Pure logic over decoded bytes (roster_file.c reads the file a roster starts from). */
#ifndef WARTA_ROSTER_H
#define WARTA_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_roster.h"

#define ROSTER_MAX_PATH 8   /* delegation depth followed from the root */
#define ROSTER_MAX_PASSES 8 /* evaluation passes at most (§18 step 6) */

enum roster_status {
    ROSTER_TRUSTED = 0,     /* delegated, in scope, not revoked at the bulletin's time */
    ROSTER_UNKNOWN,         /* no delegation names this key */
    ROSTER_NOT_VALID,       /* delegated, but not at that time (expired or not yet valid) */
    ROSTER_REVOKED,         /* revoked or rotated away at or before that time */
    ROSTER_OUT_OF_SCOPE,    /* the bulletin's region is outside the key's regions */
    ROSTER_UNAUTHORIZED,    /* a roster record without the authority it needs */
    ROSTER_BAD_COSIGNATURE, /* a roster record with a co-signature that does not verify */
    ROSTER_OTHER_NETWORK,   /* a roster record of another network */
    ROSTER_MALFORMED,       /* not a decodable bulletin */
    ROSTER_NOMEM,           /* memory ran out: nothing can be said */
    ROSTER_WRONG_ROLE,      /* the office's role may not sign this kind (§18 step 7) */
};

/* Which roles may sign which kind of bulletin (§18 step 7): notices the ministry, provinces
 * and regencies; reports those and platforms; receipts platforms only. */
bool roster_role_may_sign(uint8_t role, uint8_t kind);

const char *roster_status_name(int status);

/* Who a key is at a time: the delegation that makes it trusted, and the path to the root. */
struct roster_office {
    struct proto_roster delegation;                 /* views into roster memory */
    uint8_t key[PROTO_KEY_BYTES];                   /* the key asked about */
    uint8_t via_rotation[PROTO_KEY_BYTES];          /* the office's key it replaced, or zero */
    size_t depth;                                   /* delegations between the key and the root */
    uint8_t path[ROSTER_MAX_PATH][PROTO_KEY_BYTES]; /* path[0] delegated the key, path[1]... */
    bool path_to_root;                              /* the last step was root-signed */
    uint64_t root_version;                          /* root in force for that last step */
    uint8_t root_threshold;
};

typedef struct roster roster;

/* A roster pinned to the root record in raw[0..len) (a signed root bulletin whose own keys
 * meet its own threshold). NULL with a message in err otherwise. */
roster *roster_new(const uint8_t *raw, size_t len, char *err, size_t err_len);
void roster_free(roster **r);

/* The network id (root hash of version 1, or the pinned root's network field). */
void roster_network(const roster *r, uint8_t out[PROTO_ID_BYTES]);

/* Take in one roster bulletin (signature already verified by the caller). Returns
 * ROSTER_TRUSTED if it was added (or was already there), or why it was refused:
 * ROSTER_MALFORMED, ROSTER_BAD_COSIGNATURE, ROSTER_OTHER_NETWORK, ROSTER_NOMEM. Adding a record that is not
 * (yet) authorized is fine: roster_check says whether it counts. */
int roster_add(roster *r, const uint8_t *raw, size_t len);

/* Remove the record added last (used when a caller decides against keeping it). */
void roster_pop(roster *r);
/* Remove the records added after the first n (never the root record). */
void roster_truncate(roster *r, size_t n);

/*
 * Whether bulletin b (decoded; signature verified; id its bulletin id, or NULL if it has none
 * yet) is trusted: for a notice, its issuer at its issued_at, its place in the issuer's chain
 * (not past an end that a record in force set) and its region; for a roster record (added first
 * with roster_add), whether it is in force. who (may be NULL) names the office (for a roster
 * record, the office that carried it; zero for a root key).
 */
int roster_check(roster *r, const struct proto_bulletin *b, const uint8_t *id,
                 struct roster_office *who);

/* The office of key at time t, as roster_check reports it for a national-scope question
 * without the scope test. */
int roster_key_at(roster *r, const uint8_t *key, uint64_t t, struct roster_office *who);

/* The current root (last of the followed chain) and the number of records held. */
const struct proto_roster *roster_root(roster *r);
size_t roster_count(const roster *r);

/* roster_file.c: a roster from the file at path, armored bulletins (or one raw bulletin) whose
 * first is the network root to pin; the others are added (*refused, if not NULL, counts those
 * refused). NULL with the reason in err. */
roster *roster_load(const char *path, size_t *refused, char *err, size_t err_len);
/* roster_add for iterators over stored bulletins (ro is the roster); always goes on. */
int roster_visit_add(const uint8_t *raw, size_t len, void *ro);

/* Visit every record: its raw bytes and whether it is in force. Stops when fn returns non-0. */
int roster_each(roster *r, int (*fn)(const uint8_t *raw, size_t len, bool in_force, void *ctx),
                void *ctx);

#endif
