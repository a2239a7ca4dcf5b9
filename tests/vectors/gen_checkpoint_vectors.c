/* gen_checkpoint_vectors.c - write checkpoint-v1.json (docs/PROTOCOL.md §20-§22): a node key and
 * a witness key from fixed seeds, a log of eight bulletin ids, its roots, a checkpoint note
 * co-signed by the witness, an inclusion proof, a consistency proof, a conflict file, and
 * altered files that must fail. Ed25519 signatures are deterministic: the output is stable.
 * usage: gen_checkpoint_vectors > checkpoint-v1.json */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "proto_proof.h"
#include "tool.h"

#define TIME 1795000000 /* 2026-11-18T09:46:40Z */

static uint8_t node_pk[32], node_sk[64], wit_pk[32], wit_sk[64];
static proto_hash leaves[8];
static uint8_t ids[8][32];

static struct proto_checkpoint checkpoint(uint64_t size, uint64_t time)
{
    struct proto_checkpoint c;
    memset(&c, 0, sizeof c);
    memcpy(c.key, node_pk, 32);
    c.size = size;
    c.time = time;
    proto_merkle_root(leaves, size, c.root);
    proto_checkpoint_sign(&c, node_sk);
    return c;
}

static json_t *proof_json(const struct proto_proof *p)
{
    static char text[PROTO_PROOF_MAX];
    size_t n = proto_proof_format(p, text, sizeof text);
    return json_stringn(text, n);
}

int main(void)
{
    uint8_t seed[32];
    static char text[PROTO_CHECKPOINT_MAX];
    static struct proto_proof p;
    if (sodium_init() < 0) return 1;
    memset(seed, 0x4e, 32); /* 'N' */
    crypto_sign_seed_keypair(node_pk, node_sk, seed);
    memset(seed, 0x57, 32); /* 'W' */
    crypto_sign_seed_keypair(wit_pk, wit_sk, seed);
    json_t *jids = json_array(), *roots = json_array();
    for (int i = 0; i < 8; i++) { /* ids: BLAKE2b-256 of "warta vector bulletin i" */
        char d[32];
        int n = snprintf(d, sizeof d, "warta vector bulletin %d", i);
        crypto_generichash(ids[i], 32, (const uint8_t *)d, (size_t)n, NULL, 0);
        proto_merkle_leaf(ids[i], 32, leaves[i]);
        json_array_append_new(jids, tool_hex_json(ids[i], 32));
    }
    for (uint64_t n = 0; n <= 8; n++) {
        proto_hash r;
        proto_merkle_root(leaves, n, r);
        json_array_append_new(roots, tool_hex_json(r, 32));
    }
    struct proto_checkpoint c8 = checkpoint(8, TIME), c5 = checkpoint(5, TIME - 600);
    char body[512];
    size_t body_len = proto_checkpoint_body(&c8, body, sizeof body);
    proto_checkpoint_cosign(&c8, wit_pk, wit_sk, TIME + 2);
    size_t note_len = proto_checkpoint_format(&c8, text, sizeof text);

    memset(&p, 0, sizeof p);
    p.kind = PROTO_PROOF_INCLUSION;
    memcpy(p.id, ids[5], 32);
    p.index = 5;
    p.cps[0] = c8;
    p.n_hashes = proto_merkle_inclusion(leaves, 8, 5, p.hashes);
    json_t *inclusion = proof_json(&p);
    p.index = 4; /* the same proof, another place: must fail */
    json_t *bad_index = proof_json(&p);

    memset(&p, 0, sizeof p);
    p.kind = PROTO_PROOF_CONSISTENCY;
    p.cps[0] = c5;
    p.cps[1] = c8;
    p.n_hashes = proto_merkle_consistency(leaves, 5, 8, p.hashes);
    json_t *consistency = proof_json(&p);
    p.hashes[0][0] ^= 1;
    json_t *bad_hash = proof_json(&p);

    /* The node signs, for someone else, a log of 5 whose third entry differs. */
    memset(&p, 0, sizeof p);
    p.kind = PROTO_PROOF_CONFLICT;
    p.cps[0] = c5;
    leaves[2][0] ^= 0xff;
    p.cps[1] = checkpoint(5, TIME - 300);
    leaves[2][0] ^= 0xff;
    json_t *conflict = proof_json(&p);
    p.cps[1] = checkpoint(5, TIME - 300); /* the same log twice: no conflict */
    json_t *no_conflict = proof_json(&p);

    json_t *out = json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:s%, s:s%, s:I}, s:o, s:o, s:o, "
        "s:[{s:s, s:o}, {s:s, s:o}, {s:s, s:o}]}",
        "description",
        "warta checkpoints, proofs and conflict files (docs/PROTOCOL.md §19-§22): node and "
        "witness keys from 32 bytes of 0x4e and 0x57; leaf data = the ids",
        "node_seed", tool_hex_json((const uint8_t *)"NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN", 32),
        "node_key", tool_hex_json(node_pk, 32), "witness_seed",
        tool_hex_json((const uint8_t *)"WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW", 32), "witness_key",
        tool_hex_json(wit_pk, 32), "ids", jids, "roots", roots, "checkpoint", "size", (json_int_t)8,
        "time", (json_int_t)TIME, "body", body, body_len, "note", text, note_len,
        "cosignature_time", (json_int_t)(TIME + 2), "inclusion_5_of_8", inclusion,
        "consistency_5_to_8", consistency, "conflict_at_5", conflict, "must_fail", "why",
        "inclusion proof with another index", "file", bad_index, "why",
        "consistency proof with a changed hash", "file", bad_hash, "why",
        "two checkpoints of one log: no conflict", "file", no_conflict);
    char *s = json_dumps(out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    puts(s);
    free(s);
    json_decref(out);
    return 0;
}
