/* proto_bulletin.h - the signed bulletin (docs/PROTOCOL.md §2-4): version 1, and version 2,
 * which is a notice that names the reports it answers. */
#ifndef WARTA_PROTO_BULLETIN_H
#define WARTA_PROTO_BULLETIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_error.h"

#define PROTO_BULLETIN_VERSION 1   /* every kind */
#define PROTO_BULLETIN_VERSION_2 2 /* a clarification or correction with answers (§2.5) */
#define PROTO_BULLETIN_MAX 65536   /* bytes, whole signed encoding */
#define PROTO_KEY_BYTES 32         /* Ed25519 public key */
#define PROTO_SIG_BYTES 64         /* Ed25519 signature */
#define PROTO_ID_BYTES 32          /* BLAKE2b-256 bulletin id */
#define PROTO_HEADER_BYTES 98      /* magic .. body length */
#define PROTO_MAX_LINKS 32
#define PROTO_MAX_LANG 35
#define PROTO_MAX_REGION 13
#define PROTO_MAX_VERDICT 32
#define PROTO_MAX_TITLE 512
#define PROTO_MAX_CLAIM 8192
#define PROTO_MAX_EXPLANATION 49152
#define PROTO_MAX_URL 2048
#define PROTO_MAX_ANSWERS 32      /* reports one notice answers */
#define PROTO_MAX_REASON_TEXT 512 /* a receipt's reason */
#define PROTO_HASH_BYTES 32       /* SHA-256, a report's content hash */
/* Latest time a bulletin may carry: 9999-12-31T23:59:59.999Z, in ms since the Unix epoch. */
#define PROTO_TIME_MAX UINT64_C(253402300799999)

/* The magic and the signature domain separator (PROTOCOL.md §2, §3). */
extern const uint8_t proto_bulletin_magic[4];
extern const uint8_t proto_sign_domain[18];

enum proto_kind {
    PROTO_KIND_CLARIFICATION = 1,
    PROTO_KIND_CORRECTION = 2, /* amends the bulletin named by subject */
    PROTO_KIND_WITHDRAWAL = 3, /* retracts the bulletin named by subject */
    /* Roster records (proto_roster.h): body is a record, not a notice. */
    PROTO_KIND_ROOT = 4,       /* the network's root keys and threshold */
    PROTO_KIND_DELEGATION = 5, /* a key speaks for an office, in a scope, for a time */
    PROTO_KIND_REVOCATION = 6, /* a key stops being trusted from a time on */
    PROTO_KIND_ROTATION = 7,   /* an office moves from one key to another */
    PROTO_KIND_CHAIN_END = 8,  /* a key's chain ends: nothing it signs later is trusted */
    PROTO_KIND_REPORT = 9,     /* a claim seen circulating, for the office responsible (§2.6) */
    PROTO_KIND_RECEIPT = 10,   /* what a platform did about a bulletin (§2.7) */
};

/* A receipt's action. */
enum proto_action {
    PROTO_ACTION_LABELLED = 0,
    PROTO_ACTION_REACH_REDUCED = 1,
    PROTO_ACTION_REMOVED = 2,
    PROTO_ACTION_NONE = 3, /* no action; the reason says why */
};

enum proto_priority {
    PROTO_PRIORITY_NORMAL = 0,
    PROTO_PRIORITY_URGENT = 1,
};

enum proto_link_rel {
    PROTO_LINK_APPEARANCE = 0, /* where the claim appeared */
    PROTO_LINK_REFERENCE = 1,  /* a source that supports the explanation */
};

/* A byte string that points into memory the caller owns; not NUL-terminated. */
struct proto_str {
    const uint8_t *p;
    size_t n;
};

struct proto_link {
    uint8_t rel; /* enum proto_link_rel */
    struct proto_str url;
};

/*
 * A bulletin as plain data. Text fields are views: after proto_bulletin_decode() they point
 * into the decoded input, which must outlive the struct; before encoding, into whatever the
 * caller built them from. An all-zero subject or translation_of means "none".
 */
struct proto_bulletin {
    uint8_t kind; /* enum proto_kind */
    uint8_t issuer[PROTO_KEY_BYTES];
    uint64_t sequence;                /* 1 for the issuer's first bulletin */
    uint8_t previous[PROTO_ID_BYTES]; /* id of the issuer's bulletin sequence-1; zero for 1 */
    uint64_t issued_at;               /* ms since 1970-01-01T00:00:00Z */
    uint64_t expires_at;              /* ms since the epoch; 0 = never */
    uint8_t priority;                 /* enum proto_priority */
    uint8_t subject[PROTO_ID_BYTES];
    uint8_t translation_of[PROTO_ID_BYTES];
    struct proto_str lang, region, verdict, title, claim, explanation;
    size_t n_links;
    struct proto_link links[PROTO_MAX_LINKS];
    struct proto_str record; /* kinds 4-8: the record body (proto_roster_decode reads it) */
    uint8_t version;         /* as decoded; encoding picks it (2 exactly when n_answers > 0) */
    /* Version 2 notices (kinds 1-2): the reports answered, strictly ascending. */
    size_t n_answers;
    uint8_t answers[PROTO_MAX_ANSWERS][PROTO_ID_BYTES];
    /* Reports (kind 9) use priority (urgency), lang, region, claim, links (each an appearance:
     * where the claim was seen) and content_hash (SHA-256 of the media or text, zero: none). */
    uint8_t content_hash[PROTO_HASH_BYTES];
    /* Receipts (kind 10) use subject (the bulletin acted on) and these. */
    uint8_t action; /* enum proto_action */
    uint32_t items;
    uint64_t acted_at;
    struct proto_str reason;
    uint8_t signature[PROTO_SIG_BYTES];
};

/* Name of a kind ("clarification"...) or NULL; and back: 0 if the name is unknown. */
const char *proto_kind_name(uint8_t kind);
uint8_t proto_kind_from_name(const char *name);

/* Kinds 1-3: a clarification, correction or withdrawal. */
bool proto_kind_is_notice(uint8_t kind);
/* A receipt action's name ("labelled", "reach_reduced", "removed", "no_action") or NULL; and
 * back: -1 if unknown. */
const char *proto_action_name(uint8_t action);
int proto_action_from_name(const char *name);

/* True if all n bytes are zero (an absent id). */
bool proto_is_zero(const uint8_t *p, size_t n);

/*
 * Check every field of b against the rules of PROTOCOL.md §2 without encoding it.
 * Returns PROTO_OK or a negative status with err naming the field.
 */
int proto_bulletin_check(const struct proto_bulletin *b, struct proto_err *err);
/* The most bytes the text field of that name (as proto_err names it) may hold; 0 if unknown. */
size_t proto_field_max(const char *name);

/*
 * Encode b and sign it with sk (libsodium's 64-byte Ed25519 secret key, whose public half
 * must equal b->issuer). Writes the whole signed bulletin to out (cap bytes; PROTO_BULLETIN_MAX
 * always suffices), its length to *out_len, and the signature to b->signature.
 * Returns PROTO_OK, a field error (err says which), PROTO_ERANGE if sk does not belong to
 * b->issuer, or PROTO_ETOOBIG.
 */
int proto_bulletin_sign(struct proto_bulletin *b, const uint8_t *sk, uint8_t *out, size_t cap,
                        size_t *out_len, struct proto_err *err);

/*
 * Encode b with the signature it already carries (b->signature) into out, without signing:
 * re-encoding a decoded bulletin gives back exactly its input bytes. Returns as
 * proto_bulletin_sign() does, minus the key check.
 */
int proto_bulletin_encode(const struct proto_bulletin *b, uint8_t *out, size_t cap, size_t *out_len,
                          struct proto_err *err);

/*
 * Decode the signed bulletin in[0..len) into b, accepting exactly the canonical encoding.
 * Does NOT check the signature: call proto_bulletin_verify() for that. On failure returns a
 * negative status and err names the field and offset.
 */
int proto_bulletin_decode(struct proto_bulletin *b, const uint8_t *in, size_t len,
                          struct proto_err *err);

/*
 * Verify the signature of the signed bulletin in[0..len) that b was decoded from.
 * Returns PROTO_OK or PROTO_ESIGNATURE.
 */
int proto_bulletin_verify(const struct proto_bulletin *b, const uint8_t *in, size_t len)
    __attribute__((warn_unused_result));

/* The bulletin id: BLAKE2b-256 of the whole signed encoding. */
void proto_bulletin_id(const uint8_t *in, size_t len, uint8_t id[PROTO_ID_BYTES]);

/*
 * Write the signing input (domain || unsigned encoding) of in[0..len) to a new heap buffer.
 * Exposed for the test vectors; returns NULL if len is too short or memory runs out.
 */
uint8_t *proto_bulletin_signing_input(const uint8_t *in, size_t len, size_t *out_len);

#endif
