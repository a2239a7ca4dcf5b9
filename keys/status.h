/* status.h - a notice's current status: in force, corrected, withdrawn or expired, with its
 * translations (docs/PROTOCOL.md §23). The one rule every surface (the warta tool, the gateway's
 * API and pages) answers with.
 *
 * Pure logic: the caller says where the notices that amend or translate a bulletin are found
 * (the node's store, a file), the roster says which of them count. */
#ifndef WARTA_STATUS_H
#define WARTA_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_bulletin.h"
#include "roster.h"

enum bulletin_state {
    BSTATE_IN_FORCE = 0,
    BSTATE_CORRECTED, /* a correction that counts names it; the latest is status.by */
    BSTATE_WITHDRAWN, /* a withdrawal that counts names it; the earliest is status.by */
    BSTATE_EXPIRED,   /* past its expires_at, neither corrected nor withdrawn */
    BSTATE_UNTRUSTED, /* the roster does not let its issuer say it (status.trust says why) */
};

#define STATUS_MAX_LIST 16 /* ids kept per list; the counts go on */

struct status_ref {
    uint8_t id[PROTO_ID_BYTES];
    uint64_t issued_at;
    char lang[PROTO_MAX_LANG + 1]; /* translations: the language */
};

struct bulletin_status {
    int state;                   /* enum bulletin_state */
    int trust;                   /* roster_check of the notice itself */
    struct roster_office office; /* the office that issued it (when trusted) */
    uint8_t by[PROTO_ID_BYTES];  /* the withdrawal or correction that decided the state */
    /* Each list in (issued_at, id) order; n_* counts all, at most STATUS_MAX_LIST are kept. */
    size_t n_corrections, n_withdrawals, n_translations;
    struct status_ref corrections[STATUS_MAX_LIST], withdrawals[STATUS_MAX_LIST],
        translations[STATUS_MAX_LIST];
    size_t n_ignored; /* notices naming it that do not count (untrusted, not the office's) */
};

/* Where notices naming a bulletin are: call fn for the signed bytes of each stored notice whose
 * subject or translation_of is id (bytes valid during the call; fn returns non-0 to stop).
 * Returns 0, or non-0 if they cannot be read. */
typedef int (*status_source_fn)(void *src, const uint8_t id[PROTO_ID_BYTES],
                                int (*fn)(const uint8_t *raw, size_t len, void *ctx), void *ctx);

/* The status of notice b (decoded, signature verified; id its id) at time at (ms). Returns 0,
 * or -1 when the source could not be read or memory ran out (out is then incomplete). */
int bulletin_status(roster *ro, const struct proto_bulletin *b, const uint8_t id[PROTO_ID_BYTES],
                    uint64_t at, status_source_fn source, void *src, struct bulletin_status *out);

/* A report's state (PROTOCOL.md §23): open until a notice that counts answers it. An answer
 * counts when it is trusted, not withdrawn (bulletin_status), and its office's regions cover
 * the report's region. */
struct report_status {
    int trust;                  /* roster_check of the report */
    struct roster_office office; /* who reported it (when trusted) */
    bool answered;
    struct status_ref answer;   /* the earliest answer that counts (issued_at, then id) */
    size_t n_answers, n_ignored; /* answers that count; notices naming it that do not */
};
/* Two reports are of one claim when they carry the same non-zero content hash or share a url. */
bool report_same_claim(const struct proto_bulletin *a, const struct proto_bulletin *b);
int report_status(roster *ro, const struct proto_bulletin *b, const uint8_t id[PROTO_ID_BYTES],
                  uint64_t at, status_source_fn source, void *src, struct report_status *out);

/* "in_force", "corrected", "withdrawn", "expired", "untrusted". */
const char *bulletin_state_name(int state);

#endif
