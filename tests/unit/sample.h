/* sample.h - realistic bulletins and fixed keys for the unit tests. */
#ifndef WARTA_TEST_SAMPLE_H
#define WARTA_TEST_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "keys_secret.h"
#include "proto_bulletin.h"

/* The keypair of the seed made of 32 copies of n. */
keys_secret *sample_key(uint8_t n);

/* A clarification with every field set (views point at static strings), issued by pk. */
void sample_bulletin(struct proto_bulletin *b, const uint8_t *pk);

/* proto_str of a C string. */
struct proto_str sample_str(const char *s);

/* Sign b with ks into out (PROTO_BULLETIN_MAX bytes); returns the length, asserts success. */
size_t sample_sign(struct proto_bulletin *b, const keys_secret *ks, uint8_t *out);

#endif
