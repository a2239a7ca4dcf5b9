/* keys_secret.h - an issuer's secret key in secure memory, and its encrypted file (PROTOCOL.md §7).
 */
#ifndef WARTA_KEYS_SECRET_H
#define WARTA_KEYS_SECRET_H

#include <stddef.h>
#include <stdint.h>

#define KEYS_SEED_BYTES 32
#define KEYS_SK_BYTES 64
#define KEYS_PK_BYTES 32
#define KEYS_SEALED_BYTES 158 /* binary sealed key, before armor */
#define KEYS_FILE_MAX 4096    /* a key file is never larger */

/* Argon2id cost presets (libsodium's interactive / moderate / sensitive limits). */
enum keys_cost { KEYS_COST_INTERACTIVE, KEYS_COST_MODERATE, KEYS_COST_SENSITIVE };

/* Opaque: a keypair whose secret half lives in sodium_malloc'd, read-only memory. */
typedef struct keys_secret keys_secret;

/* The parsed, still encrypted contents of a key file; plain data, holds no secret. */
struct keys_sealed {
    uint64_t opslimit, memlimit;
    uint8_t salt[16];
    uint8_t nonce[24];
    uint8_t pk[KEYS_PK_BYTES];
    uint8_t box[48]; /* secretbox(seed): 16-byte tag then 32 bytes */
};

/* A fresh random keypair, or NULL if secure memory is exhausted. Free with keys_secret_destroy. */
keys_secret *keys_secret_generate(void);

/* The keypair of a fixed 32-byte seed (test vectors), or NULL. */
keys_secret *keys_secret_from_seed(const uint8_t seed[KEYS_SEED_BYTES]);

/* Wipe and free *ks and set it to NULL; safe on NULL and twice. */
void keys_secret_destroy(keys_secret **ks);

/* The public key (32 bytes) and libsodium's 64-byte secret key; owned by ks. */
const uint8_t *keys_secret_pk(const keys_secret *ks);
const uint8_t *keys_secret_sk(const keys_secret *ks);

/*
 * Parse the binary sealed form in[0..len) without decrypting (no passphrase needed).
 * Returns KEYS_OK, KEYS_EFORMAT (magic, version, KDF, length), KEYS_EDAMAGED (checksum) or
 * KEYS_EPARAMS (costs outside the range this code will spend).
 */
int keys_sealed_parse(struct keys_sealed *s, const uint8_t *in, size_t len);

/* Parse the armored text of a key file (as keys_sealed_parse, and KEYS_EFORMAT if no armor). */
int keys_sealed_parse_text(struct keys_sealed *s, const char *text, size_t len);

/*
 * Encrypt ks under pass with cost and write the armored key file to path, mode 0600, refusing
 * to overwrite. Returns KEYS_OK, KEYS_EEXIST, KEYS_EIO (errno set) or KEYS_ENOMEM.
 */
int keys_secret_save(const keys_secret *ks, const char *path, const char *pass, size_t pass_len,
                     enum keys_cost cost);

/*
 * Read and decrypt the key file at path. On KEYS_OK *out is a new keys_secret the caller
 * destroys. Errors: KEYS_EIO, KEYS_ETOOBIG, KEYS_EFORMAT, KEYS_EDAMAGED, KEYS_EPARAMS,
 * KEYS_EPASSPHRASE, KEYS_ENOMEM.
 */
int keys_secret_load(keys_secret **out, const char *path, const char *pass, size_t pass_len);

/* Read only the public key of the key file at path (no passphrase). */
int keys_secret_read_pk(const char *path, uint8_t pk[KEYS_PK_BYTES]);

#endif
