/* keys_chain.h - an issuer's chain state: the last bulletin it signed, kept next to its key. */
#ifndef WARTA_KEYS_CHAIN_H
#define WARTA_KEYS_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto_bulletin.h"

/* Where the issuer stands: the sequence and id of its last signed bulletin (0 / zero if none). */
struct keys_chain {
    uint64_t last_sequence;
    uint8_t last_id[PROTO_ID_BYTES];
};

/*
 * Take the chain lock of the key at keypath (keypath.lock, flock) so that two signers cannot
 * use one sequence number. Returns a descriptor >= 0 to pass to keys_chain_unlock, or
 * KEYS_ELOCKED / KEYS_EIO.
 */
int keys_chain_lock(const char *keypath);
void keys_chain_unlock(int fd);

/*
 * Load the chain state kept in keypath.chain for the issuer pk. A missing file means a fresh
 * issuer (sequence 0). The file holds the armored last bulletin; it must decode, carry a valid
 * signature and name pk as issuer, or KEYS_ECHAIN is returned and nothing may be signed.
 */
int keys_chain_load(const char *keypath, const uint8_t pk[PROTO_KEY_BYTES], struct keys_chain *st);

/*
 * Record the signed bulletin in[0..len) as the new last one: keypath.chain is replaced
 * atomically and durably before the caller may hand the bulletin out, so a crash can never
 * lead to the same sequence number being signed twice. Returns KEYS_OK or KEYS_EIO.
 */
int keys_chain_save(const char *keypath, const uint8_t *in, size_t len);

/*
 * Delivery of the last signed bulletin. keys_chain_sending marks (keypath.unsent, durably)
 * that a bulletin is being signed and not yet written out; keys_chain_sent clears the mark once
 * it is. While the mark stands, keys_chain_unsent is true: the chain file holds a bulletin that
 * may exist nowhere else, and nothing more may be signed until it is written out (warta chain).
 */
int keys_chain_sending(const char *keypath);
int keys_chain_sent(const char *keypath);
bool keys_chain_unsent(const char *keypath);

#endif
