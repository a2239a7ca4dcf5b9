/* proto_pubkey.h - the text form and spoken fingerprint of an issuer's public key (PROTOCOL.md §6).
 */
#ifndef WARTA_PROTO_PUBKEY_H
#define WARTA_PROTO_PUBKEY_H

#include <stddef.h>
#include <stdint.h>

#include "proto_bulletin.h"

#define PROTO_PUBKEY_PREFIX "wpk1"
#define PROTO_PUBKEY_TEXT_LEN 52 /* "wpk1" + 48 base64url characters */
#define PROTO_FINGERPRINT_LEN 29 /* five groups of five digits, single spaces */

/* Write the text form of pk to out (at least PROTO_PUBKEY_TEXT_LEN + 1 bytes, NUL-terminated). */
void proto_pubkey_format(const uint8_t pk[PROTO_KEY_BYTES], char out[PROTO_PUBKEY_TEXT_LEN + 1]);

/*
 * Parse the text form in text[0..len) (no surrounding white space) into pk.
 * Returns PROTO_OK, PROTO_ESYNTAX (wrong prefix, length or alphabet) or PROTO_ECHECKSUM
 * (well-formed but the checksum does not match: a typo).
 */
int proto_pubkey_parse(const char *text, size_t len, uint8_t pk[PROTO_KEY_BYTES]);

/* Write the fingerprint of pk ("12345 67890 ...") to out (NUL-terminated). */
void proto_pubkey_fingerprint(const uint8_t pk[PROTO_KEY_BYTES],
                              char out[PROTO_FINGERPRINT_LEN + 1]);

#endif
