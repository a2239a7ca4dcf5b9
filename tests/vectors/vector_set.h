/* vector_set.h - build the test vector bulletins from their JSON definition (shared by the
 * generator and the test that checks the committed vectors). */
#ifndef WARTA_VECTOR_SET_H
#define WARTA_VECTOR_SET_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_bulletin.h"

/*
 * Sign the bulletin described by def ({"seed", "sequence", "previous", "fields"}) into out
 * (PROTO_BULLETIN_MAX bytes). "previous" may be "@N": the id of vector N of the same set,
 * whose encodings are given in done[0..n_done). Returns the length or 0 with msg set.
 */
size_t vector_sign(json_t *def, const uint8_t *const *done, const size_t *done_len, size_t n_done,
                   uint8_t *out, char *msg, size_t msg_len);

#endif
