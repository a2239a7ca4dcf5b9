/* gen.h - realistic signed bulletins made fast, for integration tests and benchmarks. */
#ifndef WARTA_TEST_GEN_H
#define WARTA_TEST_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "keys_secret.h"
#include "proto_bulletin.h"

/* The next bulletin of an issuer's chain. */
struct gen_chain {
    keys_secret *key;
    uint64_t seq;                 /* of the last bulletin made, 0 at first */
    uint8_t last[PROTO_ID_BYTES]; /* its id */
};

/* A chain for the issuer whose seed is 32 bytes of seed_byte (and an index mixed in). */
void gen_chain_init(struct gen_chain *c, uint8_t seed_byte, uint32_t index);
void gen_chain_free(struct gen_chain *c);

/* Sign the next bulletin (about size bytes, at least 300) into out (PROTO_BULLETIN_MAX);
 * returns its length. variant changes the text, to make a fork at the same sequence. */
size_t gen_next(struct gen_chain *c, size_t size, uint32_t variant, uint8_t *out);

/* Seal roster record r as the next bulletin of c, issued at `at`, after adding the
 * co-signatures of cosigners[0..n). Returns the length written to out, 0 on a rule violation. */
struct proto_roster;
size_t gen_record(struct gen_chain *c, struct proto_roster *r, struct gen_chain *const *cosigners,
                  size_t n, uint64_t at, uint8_t *out);

#endif
