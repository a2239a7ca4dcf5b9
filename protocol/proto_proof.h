/* proto_proof.h - the files an auditor keeps and hands on (docs/PROTOCOL.md §22): an inclusion
 * proof (this bulletin is in a node's log at a signed checkpoint), a consistency proof (a later
 * checkpoint extends an earlier one), and conflict evidence (two checkpoints the same node
 * signed that cannot both be true). Each checks offline, from the file alone. */
#ifndef WARTA_PROTO_PROOF_H
#define WARTA_PROTO_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "proto_checkpoint.h"

#define PROTO_PROOF_MAX (2 * PROTO_CHECKPOINT_MAX + 8192) /* bytes of a whole file */

enum proto_proof_kind {
    PROTO_PROOF_INCLUSION = 1,   /* id at index in cps[0]'s tree; hashes = PATH */
    PROTO_PROOF_CONSISTENCY = 2, /* cps[1] extends cps[0]; hashes = PROOF */
    PROTO_PROOF_CONFLICT = 3,    /* cps[0] and cps[1]: one node, one size, two roots */
};

struct proto_proof {
    int kind;
    uint8_t id[32]; /* INCLUSION: the bulletin id (the leaf's data, §19) */
    uint64_t index; /* INCLUSION: its place in the log, from 0 */
    size_t n_hashes;
    proto_hash hashes[PROTO_MERKLE_MAX_PROOF];
    struct proto_checkpoint cps[2]; /* INCLUSION uses cps[0] only */
};

/* The file for p into out; returns its length, or 0 if cap is too small. */
size_t proto_proof_format(const struct proto_proof *p, char *out, size_t cap);

/* Parse a file strictly (the checkpoints' signatures included); PROTO_OK or a status. */
int proto_proof_parse(struct proto_proof *p, const char *text, size_t len, struct proto_err *err);

/* Whether what the file claims holds: the proof verifies against its checkpoints, or the two
 * checkpoints do conflict. PROTO_OK, or PROTO_ESIGNATURE with err->field naming what failed. */
int proto_proof_check(const struct proto_proof *p, struct proto_err *err);

#endif
